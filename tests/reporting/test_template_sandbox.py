"""A Word template is code. Every template renders in a sandbox; an uploaded one is checked
(a bounded .docx, tags that parse and stay within the report's fields, a test render) and
refused with an Indonesian message, nothing stored; one stored before the checks is refused
when a report is made, with a message on the page and in the CLI, never a 500."""

import io
import subprocess
import zipfile
from importlib import resources

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docxtpl import DocxTemplate, InlineImage

from kinerja.cli import main
from kinerja.monitoring.models import GeneratedReport
from kinerja.planning.models import ReportTemplate
from kinerja.reporting.generate import build_report, generate
from kinerja.reporting.renderers import Provenance
from kinerja.reporting.renderers.docx_laporan import LaporanDocx
from kinerja.reporting.renderers.docx_pk import PkDocx, agreement_context
from kinerja.reporting.sample import SAMPLES, sample_agreement_report
from kinerja.reporting.template_check import (
    MAX_TEMPLATE_BYTES,
    TemplateRefused,
    check_template,
    open_template,
    render_template,
)

from .conftest import SIGNED_ON

pytestmark = pytest.mark.django_db

RENDERERS = {"laporan": LaporanDocx, "pk": PkDocx}
PROVENANCE = Provenance("0" * 64, "1" * 64)
HELP = "Templat hanya boleh memakai isian laporan yang tercantum di docs/report-template.md."
ID_U = subprocess.run(["id", "-u"], capture_output=True, text=True, check=True).stdout.strip()


def shipped(document: str) -> bytes:
    path = f"reporting/templates/{document}.docx"
    return resources.files("kinerja").joinpath(path).read_bytes()


def own_template(text: str, document: str = "pk", *, where: str = "body") -> bytes:
    """The shipped template with ``text`` as a new first paragraph (one run: tags stay whole),
    in the first header, or as the document's title property."""
    document_ = docx.Document(io.BytesIO(shipped(document)))
    if where == "body":
        document_.paragraphs[0].insert_paragraph_before(text)
    elif where == "header":
        document_.sections[0].header.paragraphs[0].insert_paragraph_before(text)
    else:
        document_.core_properties.title = text
    out = io.BytesIO()
    document_.save(out)
    return out.getvalue()


def unsafe(detail: str) -> str:
    return f"Templat Word ditolak: templat menjangkau sesuatu yang tidak aman ({detail}). {HELP}"


def unknown(name: str, part: str = "isi dokumen") -> str:
    return (f"Templat Word ditolak: isian «{name}» di {part} tidak dikenal. Isian yang tersedia "
            "tercantum di docs/report-template.md.")  # fmt: skip


PAYLOADS = [
    ("{{ cycler.__init__.__globals__ }}", unsafe("«__globals__» di isi dokumen")),
    ("{{ ''.__class__.__mro__ }}", unsafe("«__mro__» di isi dokumen")),
    ("{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
     unsafe("«__subclasses__» di isi dokumen")),
    ("{{ self._TemplateReference__context }}", unsafe("«_TemplateReference__context» di isi dokumen")),
    ("{{ lipsum.__globals__.os.popen('id').read() }}", unsafe("«__globals__» di isi dokumen")),
    ("{{ request }}", unknown("request")),
    ("{{ config }}", unknown("config")),
    ("{{ title|attr('__class__') }}", unsafe("«__class__» di isi dokumen")),
    ("{{ title['__class__'] }}", unsafe("«__class__» di isi dokumen")),
    # spelled so no check of the text can see it: the sandbox refuses it in the test render
    ("{{ (title ~ '')|attr('__cl' ~ 'ass__') }}", unsafe("«__class__» dari str")),
    ("{{ range(10) }}", unknown("range")),
    ("{{ 'x' * 100000 }}", unsafe("pengulangan lebih dari 10.000")),
]  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def stored_files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


# ---- the sandbox keeps the shipped templates' output --------------------------------------


@pytest.mark.parametrize("document", ["laporan", "pk"])
def test_the_shipped_templates_pass_the_upload_check(document):
    check_template(shipped(document), document)


def test_the_sandbox_renders_the_shipped_pk_exactly_as_docxtpl_did():
    context = agreement_context(sample_agreement_report())
    before = DocxTemplate(io.BytesIO(shipped("pk")))
    before.render(context, autoescape=True)  # how the renderer called docxtpl before
    after = open_template(shipped("pk"))
    render_template(after, context)
    assert after.docx.element.xml == before.docx.element.xml
    assert "BADAN CONTOH KABUPATEN CONTOH" in after.docx.element.xml


# ---- refused at upload, nothing stored ------------------------------------------------------


@pytest.mark.parametrize(("payload", "message"), PAYLOADS)
def test_an_ssti_payload_is_refused_by_full_clean(agency, media, payload, message):
    row = ReportTemplate(government=agency.government, agency=agency, document="pk",
                         file=ContentFile(own_template(payload), name="pk-sendiri.docx"))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert refused.value.message_dict == {"file": [message]}
    assert stored_files(media) == []


@pytest.mark.parametrize(("payload", "message"), PAYLOADS[:7])
def test_an_ssti_payload_is_refused_by_save_before_it_is_stored(agency, media, payload, message):
    with pytest.raises(ValidationError) as refused:
        ReportTemplate.objects.create(
            government=agency.government, agency=agency, document="laporan",
            file=ContentFile(own_template(payload, "laporan"), name="laporan-sendiri.docx"),
        )  # fmt: skip
    assert refused.value.message_dict == {"file": [message]}
    assert ReportTemplate.objects.count() == 0
    assert stored_files(media) == []


@pytest.fixture(params=["admin", "platform"])
def admin_client(request, client, demo_users):
    """The pemda's admin (the demo's ``admin``, not a superuser) and the platform superuser."""
    if request.param == "platform":
        user = get_user_model().objects.create_superuser("platform", password="x")
    else:
        user = demo_users["admin"]
        assert not user.is_superuser
    client.force_login(user)
    return client


def admin_upload(client, agency, content: bytes, name: str = "pk-sendiri.docx"):
    return client.post(reverse("admin:planning_reporttemplate_add"), {
        "government": agency.government_id, "agency": agency.pk, "document": "pk",
        "file": SimpleUploadedFile(name, content), "change_reason": "Kop sendiri",
    })  # fmt: skip


@pytest.mark.parametrize(("payload", "message"), PAYLOADS[:7])
def test_an_ssti_payload_is_refused_by_the_admin_form(admin_client, agency, media, payload,
                                                      message):  # fmt: skip
    response = admin_upload(admin_client, agency, own_template(payload))
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["file"] == [message]
    assert ReportTemplate.objects.count() == 0
    assert stored_files(media) == []


def test_a_valid_custom_template_is_accepted_by_the_admin_and_used(admin_client, agency,
                                                                   media):  # fmt: skip
    content = own_template("KOP SURAT {{ agency_upper }} SENDIRI")
    response = admin_upload(admin_client, agency, content)
    assert response.status_code == 302
    row = ReportTemplate.objects.get()
    assert stored_files(media) == [row.file.name]
    assert (media / row.file.name).read_bytes() == content
    (file,) = generate(build_report("pk", agency, year=2024, quarter=1, signed_on=SIGNED_ON),
                       ["docx"])  # fmt: skip
    lines = [p.text for p in docx.Document(io.BytesIO(file.content)).paragraphs]
    assert lines[0] == f"KOP SURAT {agency.name.upper()} SENDIRI"


@pytest.mark.parametrize(
    ("where", "message"),
    [("header", unsafe("«__class__» di kepala halaman")),
     ("title", unsafe("«__class__» di properti dokumen"))],
)  # fmt: skip
def test_a_payload_outside_the_body_is_refused_too(where, message):
    content = own_template("{{ title.__class__ }}", "laporan", where=where)
    with pytest.raises(TemplateRefused) as refused:
        check_template(content, "laporan")
    assert str(refused.value) == message


def test_a_field_of_the_other_document_is_unknown():
    with pytest.raises(TemplateRefused) as refused:
        check_template(own_template("{{ charts }}", "pk"), "pk")
    assert str(refused.value) == unknown("charts")


def test_a_broken_tag_is_refused_with_where_it_is():
    with pytest.raises(TemplateRefused) as refused:
        check_template(own_template("{{ agency_upper }} {% if %}"), "pk")
    assert str(refused.value) == (
        "Templat Word ditolak: tag templat tidak sah di isi dokumen, sekitar paragraf ke-1 "
        "(«{{ agency_upper }} {% if %}»): Expected an expression, got 'end of statement block'."
    )


# ---- what an upload may be ----------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, body in parts.items():
            package.writestr(name, body)
    return out.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def _bomb() -> bytes:
    """A real .docx with one more part: 60 MiB of zeros, 60 KB packed."""
    source = zipfile.ZipFile(io.BytesIO(shipped("pk")))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    return _zip({**parts, "word/media/nol.bin": bytes(60 * 1024 * 1024)})


PACKAGES = [
    ("pk.docx", lambda: b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n",
     "Templat Word ditolak: berkas ini bukan dokumen Word (.docx)."),
    ("pk.docx", lambda: b"<html><script>alert(1)</script></html>",
     "Templat Word ditolak: berkas ini bukan dokumen Word (.docx)."),
    ("pk.docx", lambda: _zip({"word/document.xml": b"<w:document/>"}),
     "Templat Word ditolak: berkas ini bukan dokumen Word (.docx): [Content_Types].xml tidak ada."),
    ("pk.docx", _xlsx,
     "Templat Word ditolak: berkas ini bukan dokumen Word (.docx) yang dapat dibuka."),
    ("pk.docx", _bomb,
     "Templat Word ditolak: isi dokumen yang dibuka 62.955.917 byte, paling besar "
     "52.428.800 byte."),
    ("pk.docx", lambda: _zip({"[Content_Types].xml": b"", **{f"x/{i}": b"" for i in range(1001)}}),
     "Templat Word ditolak: dokumen berisi 1.002 bagian, paling banyak 1.000."),
    ("pk.docx", lambda: bytes(MAX_TEMPLATE_BYTES + 1),
     "Templat Word ditolak: berkasnya 10.485.761 byte, paling besar 10.485.760 byte."),
    ("pk.pdf", lambda: shipped("pk"), "Templat Word ditolak: berkas «pk.pdf» bukan berkas .docx."),
]  # fmt: skip


@pytest.mark.parametrize(("name", "make", "message"), PACKAGES)
def test_an_upload_that_is_no_bounded_docx_is_refused_and_not_stored(agency, media, name, make,
                                                                     message):  # fmt: skip
    content = make()
    if make is _bomb:  # the bomb's unpacked size: the shipped parts and the 60 MiB
        total = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(content)).infolist())
        message = message.replace("62.955.917", f"{total:,}".replace(",", "."))
    row = ReportTemplate(government=agency.government, document="pk",
                         file=ContentFile(content, name=name))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        row.save()
    assert refused.value.message_dict == {"file": [message]}
    assert stored_files(media) == []


# ---- rendering never runs a payload -------------------------------------------------------


def test_without_the_sandbox_the_payload_runs_a_command():
    """The control: rendered the way Kinerja did before, the payload's `id -u` lands in the
    document — so the payload the next test throws at the renderer is a real one."""
    template = DocxTemplate(io.BytesIO(own_template("{{ lipsum.__globals__.os.popen('id -u')"
                                                    ".read() }}")))  # fmt: skip
    template.render(agreement_context(sample_agreement_report()), autoescape=True)
    assert template.docx.paragraphs[0].text.strip() == ID_U


def test_without_the_sandbox_a_chart_writes_a_file(tmp_path):
    """The control of the file-writing payload: the chart's image holds the DocxTemplate."""
    target = tmp_path / "tertulis.docx"
    template = DocxTemplate(
        io.BytesIO(own_template(f"{{{{ charts[0].image.tpl.save('{target}') }}}}"))
    )
    png = SAMPLES["laporan"]().charts[0].png
    chart = {"image": InlineImage(template, io.BytesIO(png))}
    template.render({**agreement_context(sample_agreement_report()), "charts": [chart]})
    assert target.exists()


@pytest.mark.parametrize("document", ["laporan", "pk"])
@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ("{{ lipsum.__globals__.os.popen('id -u').read() }}", "'lipsum' is undefined"),
        ("{{ title.__class__.__mro__[1].__subclasses__() }}", "«__class__» dari str"),
        ("{% for x in title|list %}{{ loop.__class__.__init__.__globals__ }}"
         "{% endfor %}", "«__class__» dari LoopContext"),
    ],
)  # fmt: skip
def test_the_renderer_refuses_a_payload_instead_of_running_it(document, payload, why):
    data = SAMPLES[document](word_template=own_template(payload, document))
    with pytest.raises(TemplateRefused) as refused:
        RENDERERS[document]().render(data, provenance=PROVENANCE)
    assert why in str(refused.value)
    assert str(refused.value).startswith("Templat Word ditolak: ")


def test_the_renderer_refuses_to_write_a_file_through_a_chart(tmp_path):
    target = tmp_path / "tertulis.docx"
    payload = f"{{{{ kop.logo.tpl.save('{target}') }}}}"
    data = SAMPLES["laporan"](word_template=own_template(payload, "laporan"))
    with pytest.raises(TemplateRefused) as refused:
        LaporanDocx().render(data, provenance=PROVENANCE)
    assert str(refused.value) == unsafe("«tpl» dari DescribedImage")
    assert not target.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{% include '/etc/passwd' %}",
         "Templat Word ditolak: templat tidak boleh memuat templat lain («/etc/passwd»)."),
        ("{% import 'os' as os %}",
         "Templat Word ditolak: templat tidak boleh memuat templat lain («os»)."),
        ("{{ title + 1 }}",
         'Templat Word ditolak: tag templat tidak dapat dijalankan (TypeError: can only '
         'concatenate str (not "int") to str).'),
    ],
)  # fmt: skip
def test_a_template_that_fails_is_refused_at_upload_and_when_rendered(payload, message):
    content = own_template(payload)
    with pytest.raises(TemplateRefused) as at_upload:
        check_template(content, "pk")
    with pytest.raises(TemplateRefused) as when_rendered:
        PkDocx().render(sample_agreement_report(word_template=content), provenance=PROVENANCE)
    assert str(at_upload.value) == str(when_rendered.value) == message


def test_an_unknown_field_renders_empty_never_as_anything_of_the_server():
    """A template stored before the checks may name ``request`` or ``config``: nothing is
    behind those names in the sandbox."""
    data = sample_agreement_report(word_template=own_template("[{{ request }}{{ config }}]"))
    content = PkDocx().render(data, provenance=PROVENANCE)
    assert docx.Document(io.BytesIO(content)).paragraphs[0].text == "[]"


# ---- a template stored before the checks: refused when a report is made --------------------


@pytest.fixture
def stored_payload(agency, media):
    """An unsafe template as one uploaded before this check was there: in storage, its row
    saved without passing the check (a stored file is not checked again on save)."""
    payload = own_template("{{ title.__class__.__mro__[1].__subclasses__() }}"
                           "{{ lipsum.__globals__.os.popen('id -u').read() }}")  # fmt: skip
    name = default_storage.save("templat/lama.docx", ContentFile(payload))
    return ReportTemplate.objects.create(government=agency.government, agency=agency,
                                         document="pk", file=name)  # fmt: skip


STORED_REFUSAL = (
    "Laporan Word tidak dibuat. "
    + unsafe("«__class__» dari str")
    + " Perbaiki templat itu, atau hapus templat laporan perangkat daerah ini di Admin "
    "(Perencanaan › Templat laporan) agar templat bawaan Kinerja dipakai."
)


def test_the_reports_page_says_why_a_stored_template_is_refused(client, demo_users, agency,
                                                                 stored_payload,
                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    from ..queue_helpers import work_off

    client.force_login(demo_users["pimpinan"])
    kwargs = {"agency": agency.slug, "year": 2024, "quarter": 1}
    url = reverse("web:download", kwargs={**kwargs, "document": "pk", "fmt": "docx"})
    with django_capture_on_commit_callbacks(execute=True):
        job_page = client.get(url)["Location"]  # the job's page: a worker renders
    work_off()
    response = client.get(job_page)
    assert response.status_code == 200 and "Refresh" not in response
    assert STORED_REFUSAL in response.content.decode()
    assert GeneratedReport.objects.count() == 0


def test_kinerja_report_says_why_a_stored_template_is_refused(capsys, agency, stored_payload,
                                                              tmp_path):  # fmt: skip
    out = tmp_path / "keluar"
    code = main(["report", "--document", "pk", "--agency", agency.slug, "--year", "2024",
                 "--quarter", "1", "--format", "docx", "--output", str(out)])  # fmt: skip
    assert code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"kinerja: {STORED_REFUSAL}"
    assert list(out.iterdir()) == []
