"""The PK (Perjanjian Kinerja) as Word (docxtpl template) and PDF (Typst): the same targets,
programs with their pagu and total, and both signatories, in both formats."""

import dataclasses
import importlib.util
import io
import shutil
import subprocess
import zipfile
from importlib import resources
from pathlib import Path

import docx
import pdfplumber
import pytest

from kinerja.reporting.data import data_hash
from kinerja.reporting.renderers import Provenance, renderer_for
from kinerja.reporting.renderers.docx_pk import PkDocx
from kinerja.reporting.renderers.pdf_pk import PkPdf

from .test_xlsx_form import SOFFICE

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
BUDGETS = ["1.905.955.200", "605.768.700", "9.722.008.231"]
HEAD = "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sumenep"


def render(cls, report, **options) -> bytes:
    provenance = Provenance(data_hash(report), cls.template_hash())
    return cls().render(report, provenance=provenance, **options)


def docx_text(content: bytes) -> str:
    """Every paragraph of the body and of every table cell, one per line."""
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines += [cell.text for cell in row.cells]
    return "\n".join(lines)


def pdf_text(content: bytes) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) tidak terpasang")
    done = subprocess.run([PDFTOTEXT, "-layout", "-", "-"], input=content,
                          capture_output=True, check=True)  # fmt: skip
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def docx_content(agreement_report) -> bytes:
    return render(PkDocx, agreement_report)


@pytest.fixture(scope="module")
def pdf_content(agreement_report) -> bytes:
    return render(PkPdf, agreement_report)


def test_both_formats_are_registered_for_the_pk():
    assert type(renderer_for("pk", "docx")) is PkDocx
    assert type(renderer_for("pk", "pdf")) is PkPdf


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_pk_holds_title_targets_programs_total_and_both_signatories(
    fmt, docx_content, pdf_content
):
    text = docx_text(docx_content) if fmt == "docx" else pdf_text(pdf_content)
    for expected in ["PERJANJIAN KINERJA TAHUN 2024", "PEMERINTAH KABUPATEN SUMENEP",
                     "Indeks Penilaian Sistem Merit", "0,70", "96", *BUDGETS, "Jumlah",
                     "12.233.732.131", "PIHAK PERTAMA,", "PIHAK KEDUA,", "Bupati Sumenep",
                     "Sumenep, 31 Januari 2024", "NIP. 123456789012345678"]:  # fmt: skip
        assert expected in text, expected
    assert " ".join(HEAD.split()) in " ".join(text.split())
    assert "{{" not in text and "{%" not in text


def test_the_docx_tables_hold_one_row_per_target_and_program(agreement_report, docx_content):
    tables = docx.Document(io.BytesIO(docx_content)).tables
    targets, programs = tables[1], tables[2]  # tables 0 and 3: the signatures
    rows = [[c.text for c in row.cells] for row in targets.rows[2:]]
    assert rows == [
        ["1", "Meningkatnya Kualitas Kinerja dan Kompetensi ASN di Lingkungan Pemerintah "
         "Kabupaten Sumenep", "Indeks Penilaian Sistem Merit", "0,70", "Nilai"],
        ["2", "Meningkatnya Capaian Kinerja Perangkat",
         "Presentase Capaian Kinerja Perangkat Daerah", "96", "%"],
    ]  # fmt: skip
    assert [row.cells[4].text for row in programs.rows[2:]] == [*BUDGETS, "12.233.732.131"]
    assert [row.cells[3].text for row in programs.rows[2:5]] == ["55", "45 %", "100"]


def test_signatories_side_by_side_second_party_left_and_acting_named(agreement_report):
    head = dataclasses.replace(agreement_report.first_party, name="Nama Kepala Badan",
                               nip="19700101 199503 1 001", rank="Pembina Utama Muda",
                               acting="Plt")  # fmt: skip
    regent = dataclasses.replace(agreement_report.second_party, name="")  # none set: a line
    report = dataclasses.replace(agreement_report, first_party=head, second_party=regent)
    table = docx.Document(io.BytesIO(render(PkDocx, report))).tables[0]
    lines = [[c.text for c in row.cells] for row in table.rows]
    assert lines == [
        ["", "Sumenep, 31 Januari 2024"],
        ["PIHAK KEDUA,", "PIHAK PERTAMA,"],
        ["Bupati Sumenep", f"Plt. {HEAD}"],
        ["", ""],
        ["_" * 34, "Nama Kepala Badan"],  # a line to write the name on
        ["", "Pembina Utama Muda"],
        ["", "NIP. 19700101 199503 1 001"],
    ]
    text = " ".join(pdf_text(render(PkPdf, report)).split())
    assert "Plt. Kepala Badan Kepegawaian" in text
    assert "NIP. 19700101 199503 1 001" in text


def test_provenance_in_the_document_properties(agreement_report, docx_content, pdf_content):
    digest = data_hash(agreement_report)
    props = docx.Document(io.BytesIO(docx_content)).core_properties
    assert props.title == "Perjanjian Kinerja Tahun 2024"
    assert props.comments == f"data sha256:{digest} · templat sha256:{PkDocx.template_hash()}"
    custom = zipfile.ZipFile(io.BytesIO(docx_content)).read("docProps/custom.xml").decode()
    assert f'name="kinerja_data_sha256"><vt:lpwstr>{digest}</vt:lpwstr>' in custom
    with pdfplumber.open(io.BytesIO(pdf_content)) as pdf:
        assert pdf.metadata["Title"] == "Perjanjian Kinerja Tahun 2024"
        assert f"data sha256:{digest}" in pdf.metadata["Keywords"]
        assert f"templat sha256:{PkPdf.template_hash()}" in pdf.metadata["Keywords"]
        assert [(round(p.width), round(p.height)) for p in pdf.pages] == [(595, 842)] * 2


def test_paper_f4_portrait_and_unknown_paper(agreement_report):
    section = docx.Document(io.BytesIO(render(PkDocx, agreement_report, paper="f4"))).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (215, 330)
    with pdfplumber.open(io.BytesIO(render(PkPdf, agreement_report, paper="f4"))) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (609, 935)
    for cls in (PkDocx, PkPdf):
        with pytest.raises(ValueError, match="ukuran kertas «b5» tidak dikenal"):
            render(cls, agreement_report, paper="b5")


def test_the_shipped_template_is_what_the_builder_makes(tmp_path):
    shipped = resources.files("kinerja").joinpath("reporting/templates/pk.docx").read_bytes()
    builder = Path(__file__).resolve().parents[2] / "tools" / "build_docx_templates.py"
    spec = importlib.util.spec_from_file_location("build_docx_templates", builder)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build_pk_template(tmp_path / "pk.docx")
    assert built.read_bytes() == shipped, "jalankan tools/build_docx_templates.py"


def test_libreoffice_converts_the_docx(docx_content, tmp_path):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    source = tmp_path / "pk.docx"
    source.write_bytes(docx_content)
    profile = tmp_path / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    converted = (tmp_path / "pk.pdf").read_bytes()
    with pdfplumber.open(io.BytesIO(converted)) as pdf:
        assert len(pdf.pages) == 2
    assert "12.233.732.131" in pdf_text(converted)
