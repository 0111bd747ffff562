"""One document in three formats (issue 14): the seed's TW I 2024 (approved) as PDF (text by
pdftotext), Word (text by LibreOffice) and Excel (cells by openpyxl) reads the document model's
headings and table and figure captions in the same order — in the Daftar Isi and in the body —
with the seed's date and its declared decimals (0,70), the Tujuan with their explanations, and
no placeholder, hash, rule name or rule id. Each format is rendered once for the module."""

import io
import re
import shutil
import subprocess

import openpyxl
import pytest

from kinerja.core.evaluation import AverageRule
from kinerja.reporting.checklist import TITLES
from kinerja.reporting.data import data_hash
from kinerja.reporting.document import Figure, Heading, Table, laporan_document
from kinerja.reporting.renderers import Provenance, renderer_for

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
FORMATS = ("pdf", "docx", "xlsx")
RULE_IDS = sorted({*TITLES, *(r.value for r in AverageRule)})


def _words(text: str) -> str:
    """The text as one line: a word hyphenated at a line's end joined, spaces collapsed."""
    return " ".join(re.sub(r"(\w)-\n(\w)", r"\1\2", text).split())


@pytest.fixture(scope="module")
def files(quarterly_report) -> dict[str, bytes]:
    out = {}
    for fmt in FORMATS:
        renderer = renderer_for("laporan", fmt)
        provenance = Provenance(data_hash(quarterly_report),
                                renderer.template_hash_for(quarterly_report))  # fmt: skip
        out[fmt] = renderer.render(quarterly_report, provenance=provenance)
    return out


@pytest.fixture(scope="module")
def texts(files, tmp_path_factory) -> dict[str, str]:
    """The visible text of each format."""
    tmp = tmp_path_factory.mktemp("three-formats")
    (tmp / "laporan.pdf").write_bytes(files["pdf"])
    (tmp / "laporan.docx").write_bytes(files["docx"])
    pdf = subprocess.run(["pdftotext", str(tmp / "laporan.pdf"), "-"], check=True,
                         capture_output=True, text=True).stdout  # fmt: skip
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--norestore",
         "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(tmp), str(tmp / "laporan.docx")],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    word = (tmp / "laporan.txt").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), data_only=True)
    cells = "\n".join(str(c.value) for ws in book for row in ws.iter_rows() for c in row
                      if c.value not in (None, ""))  # fmt: skip
    return {"pdf": _words(pdf), "docx": _words(word), "xlsx": _words(cells)}


def _found_in_order(text: str, wanted: list[str], start: int = 0) -> tuple[list[str], int]:
    """The entries of ``wanted`` found one after another from ``start``, and where the last
    ended: an entry missing or out of order stops the list there."""
    found, at = [], start
    for entry in wanted:
        i = text.find(entry, at)
        if i < 0:
            break
        found.append(entry)
        at = i + len(entry)
    return found, at


def test_each_format_reads_the_same_headings_and_captions_in_the_same_order(texts,
                                                                            quarterly_report):  # fmt: skip
    doc = laporan_document(quarterly_report)
    contents = [h.label for h in doc.contents()]
    body = [b.label if isinstance(b, Heading) else b.title
            for b in doc.blocks() if isinstance(b, Heading | Table | Figure)]  # fmt: skip
    body = body[body.index("BAB I PENDAHULUAN") :]  # after the Daftar Isi
    assert "Tabel 2.1 Tujuan, Sasaran dan Indikator RPJMD yang Diintervensi" in body
    assert "Gambar 3.1 Capaian kinerja program Triwulan I 2024" in body
    read = {}
    for fmt, text in texts.items():
        toc, end = _found_in_order(text, contents, text.index("DAFTAR ISI"))
        found, _ = _found_in_order(text, body, end)
        read[fmt] = (toc, found)
    assert read["pdf"] == (contents, body)
    assert read["docx"] == read["pdf"]
    assert read["xlsx"] == read["pdf"]


def test_each_format_dates_the_signature_as_the_seed_and_prints_declared_decimals(texts):
    for fmt, text in texts.items():
        assert "Sumenep, 16 April 2024" in text, fmt
        assert "0,70" in text, fmt  # Indeks Penilaian Sistem Merit's target, as the seed


def test_each_format_prints_the_tujuan_with_their_explanations_before_tabel_2_1(texts):
    for fmt, text in texts.items():
        tujuan = text.find("Tujuan 1 “Terwujudnya Profesionalisme Aparatur Sipil Negara "
                           "Pemerintah Daerah”")  # fmt: skip
        explained = text.find("Melalui tujuan ini Badan Kepegawaian Daerah")
        second = text.find("Tujuan 2 “Meningkatkan Akuntabilitas Kinerja Perangkat Daerah”")
        table = text.find("Tabel 2.1 Tujuan, Sasaran dan Indikator RPJMD")
        assert 0 < tujuan < explained < second < table, fmt


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_placeholder_hash_rule_name_or_rule_id_is_visible(texts, fmt):
    text = texts[fmt]
    assert "……" not in text
    assert "LOGO" not in text
    assert "sha256" not in text.lower()
    assert not re.search(r"\baturan\b", text, re.IGNORECASE)  # "Peraturan Presiden" may stay
    assert [rule for rule in RULE_IDS if rule in text] == []
