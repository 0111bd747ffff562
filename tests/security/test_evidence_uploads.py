"""The upload corpus: hostile evidence files, each built here, posted through the upload page by
the agency's operator. Each is refused with an Indonesian reason naming the file and leaves
nothing behind — no Evidence row (nor any recorded table changed) and no file under
MEDIA_ROOT; the valid PDF, PNG, JPG, XLSX and DOCX are stored, under generated names.

Names a browser sends with a folder (``../../etc/passwd.pdf``, ``C:\\x\\sk.pdf``) are cut to
their last part by Django's multipart parser before Kinerja sees them: such a file with a
valid content is stored (under a generated name, the name shown without the folder), which
tests/security/test_uploads.py and the last tests here show on raw multipart bodies."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.monitoring.models import Evidence, Realisation
from kinerja.planning.models import WorkItem
from tests.monitoring import evidence_samples as S

pytestmark = pytest.mark.django_db

JS = b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<rect width='1' height='1'/></svg>")  # fmt: skip
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
NOT_PDF, NOT_PNG, NOT_JPG = "isinya bukan berkas PDF", "isinya bukan berkas PNG", \
    "isinya bukan berkas JPG"  # fmt: skip
NOT_DOCX, NOT_XLSX = "isinya bukan berkas DOCX", "isinya bukan berkas XLSX"
HAS_HTML = "berisi kode HTML atau skrip; berkas seperti ini tidak diterima."
HAS_JS = "PDF berisi JavaScript atau aksi yang menjalankan program"
WRONG_TYPE = "jenis berkas tidak diterima (PDF, JPG, PNG, XLSX, DOCX)."
UNREADABLE = "(tidak dapat dibuka)."


def _half(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _corrupt_png_crc() -> bytes:
    data = bytearray(S.image("PNG"))
    data[29] ^= 0xFF  # the last byte of IHDR's CRC
    return bytes(data)


def _settings_small(settings):
    settings.KINERJA_EVIDENCE_MAX_BYTES = 64 * 1024
    settings.KINERJA_EVIDENCE_MAX_UNCOMPRESSED = 1024 * 1024


# (case id, uploaded name, content builder, the refusal's words); every content is built here
CORPUS = [
    # empty files and plain wrong types
    ("empty-pdf", "kosong.pdf", lambda: b"", "isinya bukan berkas PDF (berkas kosong)."),
    ("empty-png", "kosong.png", lambda: b"", "isinya bukan berkas PNG (berkas kosong)."),
    ("empty-docx", "kosong.docx", lambda: b"", "isinya bukan berkas DOCX (berkas kosong)."),
    ("exe", "setup.exe", lambda: b"MZ\x90\x00\x03", WRONG_TYPE),
    ("html", "bukti.html", lambda: HTML, WRONG_TYPE),
    ("svg", "bagan.svg", lambda: SVG, WRONG_TYPE),
    ("double-ext-html", "x.pdf.html", S.pdf, WRONG_TYPE),
    ("double-ext-exe", "sk.pdf.exe", lambda: b"MZ\x90\x00", WRONG_TYPE),
    ("no-extension", "bukti", S.pdf, WRONG_TYPE),
    ("trailing-dot", "sk.pdf.", S.pdf, WRONG_TYPE),
    ("docm", "makro.docm", S.docx, WRONG_TYPE),
    ("gif-ext", "anim.gif", lambda: S.image("GIF"), WRONG_TYPE),
    # renamed files: the extension says one thing, the content another
    ("exe-as-pdf", "sk.pdf", lambda: b"MZ\x90\x00" + b"\x00" * 60, NOT_PDF),
    ("png-as-pdf", "sk.pdf", lambda: S.image("PNG"), NOT_PDF),
    ("pdf-as-png", "foto.png", S.pdf, NOT_PNG),
    ("jpg-as-png", "foto.png", lambda: S.image("JPEG"), NOT_PNG),
    ("png-as-jpg", "foto.jpg", lambda: S.image("PNG"), NOT_JPG),
    ("png-as-jpeg-upper", "FOTO.JPEG", lambda: S.image("PNG"), "isinya bukan berkas JPEG"),
    ("gif-as-png", "foto.png", lambda: S.image("GIF"), NOT_PNG),
    ("bmp-as-jpg", "foto.jpg", lambda: S.image("BMP"), NOT_JPG),
    ("xlsx-as-docx", "laporan.docx", S.xlsx, NOT_DOCX),
    ("docx-as-xlsx", "tabel.xlsx", S.docx, NOT_XLSX),
    ("pdf-as-docx", "sk.docx", S.pdf, NOT_DOCX),
    ("utf16-pdf-magic", "sk.pdf", lambda: "%PDF-1.4".encode("utf-16"), NOT_PDF),
    # HTML where an image or a document is expected, and polyglots
    ("html-as-jpg", "foto.jpg", lambda: HTML, NOT_JPG),
    ("svg-as-png", "foto.png", lambda: SVG, NOT_PNG),
    ("html-before-pdf", "sk.pdf", lambda: HTML + S.pdf(), NOT_PDF),
    ("html-in-pdf-header", "sk.pdf",
     lambda: S.raw_pdf(header=b"%PDF-1.4\n%" + HTML + b"\n"), HAS_HTML),
    ("script-in-jpeg-comment", "foto.jpg",
     lambda: S.image("JPEG", comment=b"<script>alert(1)</script>"), HAS_HTML),
    ("html-in-png-text", "foto.png", lambda: S.png_with_text(HTML.decode()), HAS_HTML),
    ("html-before-docx", "sk.docx", lambda: HTML + S.docx(), NOT_DOCX),
    ("javascript-uri-in-pdf", "sk.pdf",
     lambda: S.raw_pdf(b"/OpenAction << /S /URI /URI (javascript:alert\\(1\\)) >>"), HAS_HTML),
    # PDFs that run code when opened
    ("pdf-openaction-js", "sk.pdf", lambda: S.raw_pdf(b"/OpenAction 4 0 R", JS), HAS_JS),
    ("pdf-names-js", "sk.pdf", lambda: S.raw_pdf(b"/Names << /JavaScript 4 0 R >>",
                                                  b"<< /Names [(a) 5 0 R] >>", JS), HAS_JS),
    ("pdf-hex-escaped-js", "sk.pdf",
     lambda: S.raw_pdf(b"/OpenAction << /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>"), HAS_JS),
    ("pdf-launch", "sk.pdf",
     lambda: S.raw_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >>"), HAS_JS),
    ("pdf-js-in-object-stream", "sk.pdf", S.pdf_with_js_in_object_stream, HAS_JS),
    ("pdf-page-aa-js", "sk.pdf",
     lambda: S.raw_pdf(b"/AA << /WC 4 0 R >>", JS), HAS_JS),
    # PDFs that do not open
    ("pdf-magic-only", "sk.pdf", lambda: b"%PDF-1.4 x", UNREADABLE),
    ("pdf-truncated", "sk.pdf", lambda: S.raw_pdf()[:120], UNREADABLE),
    ("pdf-encrypted", "sk.pdf", S.encrypted_pdf, "PDF terkunci sandi; unggah salinan tanpa sandi."),
    # images that do not decode
    ("png-truncated", "foto.png", lambda: _half(S.image("PNG", size=(300, 200))), UNREADABLE),
    ("jpg-truncated", "foto.jpg", lambda: _half(S.image("JPEG", size=(300, 200))), UNREADABLE),
    ("png-bad-crc", "foto.png", _corrupt_png_crc, NOT_PNG),
    ("png-pixel-bomb", "foto.png", lambda: S.png_claiming(100_000, 100_000),
     "gambar lebih dari 60 juta piksel."),
    ("png-70-megapixels", "foto.png", lambda: S.png_claiming(10_000, 7_000),
     "gambar lebih dari 60 juta piksel."),
    # OOXML: zip bombs, traversal, macros, missing or wrong parts
    ("zip-bomb-declared-1gib", "bom.docx", lambda: S.declared_bomb(1 << 30),
     "isinya setelah dibuka lebih dari 100 MB."),
    ("zip-bomb-lying-sizes", "bom.docx", S.lying_sizes, UNREADABLE),
    ("zip-too-many-entries", "banyak.docx", lambda: S.zip_with_entries(1001),
     "berisi lebih dari 1000 bagian."),
    ("zip-traversal", "sk.docx", lambda: S.rezip(S.docx(), add={"../../etc/cron.d/x": b"a"}),
     "berisi nama bagian yang tidak sah."),
    ("zip-absolute", "sk.docx", lambda: S.rezip(S.docx(), add={"/etc/passwd": b"a"}),
     "berisi nama bagian yang tidak sah."),
    ("zip-backslash", "sk.xlsx", lambda: S.rezip(S.xlsx(), add={"..\\..\\boot.ini": b"a"}),
     "berisi nama bagian yang tidak sah."),
    ("docx-with-macros", "sk.docx", lambda: S.rezip(S.docx(), add={"word/vbaProject.bin": b"x"}),
     "berisi makro; simpan ulang sebagai DOCX biasa."),
    ("docx-macro-content-type", "sk.docx", lambda: S.rezip(S.docx(), replace={
        "[Content_Types].xml": S.content_types(
            "application/vnd.ms-word.document.macroEnabled.main+xml")}), NOT_DOCX),
    ("docx-no-content-types", "sk.docx",
     lambda: S.rezip(S.docx(), drop=("[Content_Types].xml",)), NOT_DOCX),
    ("docx-main-part-missing", "sk.docx",
     lambda: S.rezip(S.docx(), drop=("word/document.xml",)), NOT_DOCX),
    ("docx-content-types-doctype", "sk.docx", lambda: S.rezip(S.docx(), replace={
        "[Content_Types].xml": b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM '
        b'"file:///etc/passwd">]>' + S.content_types(WORD_MAIN).split(b"?>", 1)[1]}), NOT_DOCX),
    ("plain-zip-as-docx", "sk.docx", lambda: S.rezip(S.docx(), drop=tuple(
        n for n in ("[Content_Types].xml", "word/document.xml", "_rels/.rels"))), NOT_DOCX),
    ("docx-truncated", "sk.docx", lambda: _half(S.docx()), NOT_DOCX),
    ("zip-encrypted-flag", "sk.docx", lambda: _encrypted_flag(S.docx()),
     "terkunci sandi; unggah salinan tanpa sandi."),
]  # fmt: skip


def _encrypted_flag(source: bytes) -> bytes:
    """The zip with every entry's 'encrypted' bit set, as a password-protected zip has."""
    data = bytearray(source)
    for signature, at_flag in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + at_flag] |= 0x01
            at = data.find(signature, at + 4)
    return bytes(data)


@pytest.fixture
def item(agency, open_period):
    found = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    Realisation.objects.create(work_item=found, quarter=2, value_k=Decimal(1))
    return found


@pytest.fixture
def operator(client, demo_users):
    client.force_login(demo_users["operator"])
    return client


def _url(agency, item):
    return f"/isi/{agency.slug}/2024/tw2/bukti/{item.pk}/"


def _stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40
    assert len({case for case, *_ in CORPUS}) == len(CORPUS)


@pytest.mark.parametrize(("case", "name", "build", "says"), CORPUS,
                         ids=[c[0] for c in CORPUS])  # fmt: skip
def test_each_hostile_file_is_refused_and_nothing_is_stored(operator, agency, item, settings,
                                                            fingerprint, case, name, build, says):  # fmt: skip
    before = fingerprint()
    response = operator.post(_url(agency, item), {"files": SimpleUploadedFile(name, build())},
                             follow=True)  # fmt: skip
    assert response.status_code == 200
    [message] = _messages(response)
    assert message.startswith(f"«{name}»"), message
    assert says in message
    assert fingerprint() == before
    assert _stored_files(settings) == []


def test_a_refused_file_in_a_batch_stores_none_of_it(operator, agency, item, settings):
    batch = [SimpleUploadedFile("sk.pdf", S.pdf()), SimpleUploadedFile("foto.png", S.image("PNG")),
             SimpleUploadedFile("foto.jpg", HTML)]  # fmt: skip
    response = operator.post(_url(agency, item), {"files": batch}, follow=True)
    assert _messages(response) == ["«foto.jpg»: isinya bukan berkas JPG."]
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []
    batch = [SimpleUploadedFile("sk.pdf", S.pdf()), SimpleUploadedFile("tabel.xlsx", S.xlsx()),
             SimpleUploadedFile("js.pdf", S.raw_pdf(b"/OpenAction 4 0 R", JS))]  # fmt: skip
    response = operator.post(_url(agency, item), {"files": batch}, follow=True)
    [message] = _messages(response)
    assert message.startswith("«js.pdf»: " + HAS_JS)
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_sixty_files_in_one_post_are_refused(operator, agency, item, settings):
    batch = [SimpleUploadedFile(f"sk-{i}.pdf", S.raw_pdf()) for i in range(60)]
    response = operator.post(_url(agency, item), {"files": batch}, follow=True)
    assert _messages(response) == ["Paling banyak 10 berkas sekali unggah; Anda memilih 60."]
    assert not Evidence.objects.exists()
    assert _stored_files(settings) == []


def test_the_domain_refuses_more_files_than_one_post_may_hold(demo_users, item, open_period):
    from kinerja.monitoring.domain import EditRefused, add_evidence

    files = [SimpleUploadedFile(f"sk-{i}.pdf", S.raw_pdf()) for i in range(11)]
    with pytest.raises(EditRefused) as refused:
        add_evidence(user=demo_users["operator"], work_item=item, quarter=2, files=files,
                     today=open_period)  # fmt: skip
    assert str(refused.value) == "Paling banyak 10 berkas sekali unggah; Anda memilih 11."
    assert not Evidence.objects.exists()


def test_a_realisation_holds_at_most_twenty_files(operator, agency, item, settings):
    for start in (0, 10):
        batch = [SimpleUploadedFile(f"sk-{start + i}.pdf", S.raw_pdf()) for i in range(10)]
        response = operator.post(_url(agency, item), {"files": batch}, follow=True)
        assert _messages(response) == ["10 berkas bukti diunggah."]
    response = operator.post(_url(agency, item), {"files": SimpleUploadedFile("lagi.pdf",
                                                                              S.raw_pdf())},
                             follow=True)  # fmt: skip
    assert _messages(response) == [
        "Paling banyak 20 berkas bukti untuk satu realisasi; sudah ada 20."
    ]
    assert Evidence.objects.count() == 20
    assert len(_stored_files(settings)) == 20


def test_a_file_over_the_size_limit_is_refused(operator, agency, item, settings):
    _settings_small(settings)
    padded = S.raw_pdf() + b"%" + b"0" * (64 * 1024)  # a comment after %%EOF: still a PDF
    response = operator.post(_url(agency, item), {"files": SimpleUploadedFile("besar.pdf",
                                                                              padded)},
                             follow=True)  # fmt: skip
    assert _messages(response) == ["«besar.pdf» lebih dari 64 KB."]
    assert _stored_files(settings) == []
    exactly = S.raw_pdf()
    exactly += b"%" + b"0" * (64 * 1024 - len(exactly) - 1)
    assert len(exactly) == 64 * 1024
    response = operator.post(_url(agency, item), {"files": SimpleUploadedFile("pas.pdf",
                                                                              exactly)},
                             follow=True)  # fmt: skip
    assert _messages(response) == ["1 berkas bukti diunggah."]


def test_the_default_size_limit_is_10_mb(operator, agency, item, settings):
    big = S.raw_pdf()
    big += b"%" + b"0" * (10 * 1024 * 1024 - len(big))  # one byte over 10 MB
    response = operator.post(_url(agency, item), {"files": SimpleUploadedFile("besar.pdf", big)},
                             follow=True)  # fmt: skip
    assert _messages(response) == ["«besar.pdf» lebih dari 10 MB."]
    assert _stored_files(settings) == []


def test_a_deflate_bomb_beyond_the_bound_is_refused(operator, agency, item, settings):
    """5 MB of the same byte deflates to a few KB: under the upload limit, over the bound of
    what an OOXML file may unpack to (1 MB here, 100 MB by default)."""
    _settings_small(settings)
    bomb = S.rezip(S.docx(), add={"word/media/bom.bin": b"\0" * (5 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    response = operator.post(_url(agency, item), {"files": SimpleUploadedFile("bom.docx", bomb)},
                             follow=True)  # fmt: skip
    assert _messages(response) == ["«bom.docx»: isinya setelah dibuka lebih dari 1 MB."]
    assert _stored_files(settings) == []


VALID = [
    ("sk.pdf", S.pdf, "application/pdf"),
    ("sk-tangan.pdf", S.raw_pdf, "application/pdf"),
    ("foto.png", lambda: S.image("PNG"), "image/png"),
    ("foto.jpg", lambda: S.image("JPEG"), "image/jpeg"),
    ("FOTO.JPEG", lambda: S.image("JPEG"), "image/jpeg"),
    ("SK.PDF", S.pdf, "application/pdf"),
    ("tabel.xlsx", S.xlsx,
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("surat.docx", S.docx,
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
]  # fmt: skip


def test_the_valid_files_are_stored_under_generated_names(operator, agency, item, settings):
    sent = [(name, build()) for name, build, _ in VALID]
    batch = [SimpleUploadedFile(name, data) for name, data in sent]
    response = operator.post(_url(agency, item), {"files": batch}, follow=True)
    assert _messages(response) == ["8 berkas bukti diunggah."]
    stored = list(Evidence.objects.order_by("pk"))
    assert [e.original_name for e in stored] == [name for name, _ in sent]
    for evidence, (name, data) in zip(stored, sent, strict=True):
        folder, _year, generated = evidence.file.name.split("/")
        stem, ext = generated.rsplit(".", 1)
        assert (folder, len(stem), ext) == ("bukti", 32, name.rsplit(".", 1)[1].lower())
        int(stem, 16)  # a uuid's hex digits, nothing of the uploaded name
        with evidence.file.open("rb") as fh:
            assert fh.read() == data
    assert sorted(p.name for p in _stored_files(settings)) == sorted(
        e.file.name.rsplit("/", 1)[1] for e in stored
    )


def _raw_post(client, url, filename: bytes, content: bytes):
    """A multipart body written by hand, so the name reaches the server as a script sends it."""
    boundary = b"----kinerja-batas"
    body = (b"--" + boundary + b"\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
            + filename + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content
            + b"\r\n--" + boundary + b"--\r\n")  # fmt: skip
    return client.post(url, data=body, content_type="multipart/form-data; boundary="
                       + boundary.decode(), follow=True)  # fmt: skip


@pytest.mark.parametrize(("sent", "shown"), [
    (b"../../etc/passwd.pdf", "passwd.pdf"),
    (b"C:\\Windows\\system32\\sk.pdf", "sk.pdf"),
    ("b\u202efdp.exe.pdf".encode(), "bfdp.exe.pdf"),
    (b"a" * 300 + b".pdf", "a" * 196 + ".pdf"),
    (b"sk\x00.pdf", "sk.pdf"),
    (b"sk\x1b[31m.pdf", "sk[31m.pdf"),
], ids=["traversal", "windows-path", "rtl-override", "300-chars", "nul", "escape"])  # fmt: skip
def test_a_name_sent_with_a_folder_or_hidden_characters_never_names_the_stored_file(
    operator, agency, item, settings, sent, shown
):
    response = _raw_post(operator, _url(agency, item), sent, S.raw_pdf())
    assert _messages(response) == ["1 berkas bukti diunggah."]
    [evidence] = Evidence.objects.all()
    assert evidence.original_name == shown
    assert evidence.file.name.startswith("bukti/") and evidence.file.name.endswith(".pdf")
    assert len(evidence.file.name.rsplit("/", 1)[1]) == 36  # <uuid hex>.pdf
    [stored] = _stored_files(settings)
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert f">{shown}</a>" in response.content.decode()  # the page lists it by its shown name
