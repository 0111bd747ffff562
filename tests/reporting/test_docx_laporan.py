"""The quarterly report as a Word document: the seed's figures in their tables, front matter
numbered i, ii …, a table of contents Word fills in, the appendix landscape, provenance in
the document properties, and a file LibreOffice turns into a PDF."""

import dataclasses
import importlib.util
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from importlib import resources
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from kinerja.reporting.data import ActionPlanLine
from kinerja.reporting.renderers import Provenance, renderer_for
from kinerja.reporting.renderers.docx_laporan import LaporanDocx

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
# A stand-in digest: the renderer writes whatever provenance it is given (generate() makes the real one).
PROVENANCE = Provenance("0123456789abcdef" * 4, LaporanDocx.template_hash())
K13 = 5 + 2 * (13 - 6)  # the appendix cell of column 13 K: five text columns, then K/Rp pairs


@pytest.fixture(scope="module")
def content(quarterly_report) -> bytes:
    return LaporanDocx().render(quarterly_report, provenance=PROVENANCE)


@pytest.fixture(scope="module")
def document(content):
    return docx.Document(io.BytesIO(content))


def table(document, caption: str):
    """The table whose alt-text title (``w:tblCaption``) is ``caption``."""
    for t in document.tables:
        found = t._tbl.tblPr.find(qn("w:tblCaption"))
        if found is not None and found.get(qn("w:val")) == caption:
            return t
    raise AssertionError(f"no table «{caption}»")


def texts(t) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in t.rows]


def row_of(t, first: str, column: int = 1) -> list[str]:
    """The first row whose ``column`` starts with ``first``."""
    return next(r for r in texts(t) if r[column].startswith(first))


def part(content: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read(name).decode("utf-8")


def test_the_renderer_is_registered_for_the_laporan():
    assert isinstance(renderer_for("laporan", "docx"), LaporanDocx)


def test_tabel_3_1_holds_every_iku_with_target_realisation_and_capaian(document):
    rows = [r for r in texts(table(document, "Tabel 3.1")) if r[0] in {"1", "2", "3", "4"}]
    assert [(r[2], r[3], r[4], r[5], r[6].split("\n")[0]) for r in rows] == [
        ("Indeks Profesionalitas ASN", "84", "59", "70,24", "Sedang"),
        ("Indeks Penilaian Sistem Merit", "0,70", "-", "-", "-"),  # declared decimals
        ("Nilai SAKIP Perangkat Daerah", "89,95", "-", "-", "-"),
        ("Persentase Capaian Kinerja Perangkat Daerah", "96", "18", "18,75", "Sangat Rendah"),
    ]
    assert rows[0][6] == ("Sedang\nkategori nilai: Sangat Rendah (skala Indeks "
                          "Profesionalitas ASN (PermenPANRB 38/2018))")  # fmt: skip


def test_tabel_3_1_cross_checks_the_entered_value_with_the_form(document):
    notes = [r[0] for r in texts(table(document, "Tabel 3.1")) if r[0].startswith("Pembanding")]
    assert notes == [
        "Pembanding: nilai dari formulir evaluasi (rata-rata kolom 14 baris program): 19,55, "
        "di samping realisasi yang dilaporkan 18."
    ]


def test_tabel_3_2_holds_both_percentages_and_a_bold_total(document):
    t = table(document, "Tabel 3.2")
    got = {r[1].split("\n")[0]: (r[5], r[6]) for r in texts(t) if r[0] in {"1", "2", "3"}}
    assert got == {
        "Program Penunjang Urusan Pemerintahan Daerah Kabupaten / Kota": ("51,41", "14,04"),
        "Program Kepegawaian Daerah": ("7,82", "3,11"),
        "Program Pengembangan Sumber Daya Manusia": ("13,63", "3,11"),
    }
    total = t.rows[-1]
    assert [c.text for c in total.cells][1:7] == [
        "Jumlah total", "12.233.732.131", "3.551.016.300", "1.443.040.145", "40,64", "11,80",
    ]  # fmt: skip
    assert all(run.bold for cell in total.cells for p in cell.paragraphs for run in p.runs)
    assert texts(t)[0][5] == "% terhadap rencana kas"
    assert texts(t)[0][3] == "Rencana anggaran kas TW I (Rp)"


def test_tabel_2_2_shows_the_original_and_the_revised_target_side_by_side(document):
    t = table(document, "Tabel 2.2")
    assert texts(t)[0][1::2] == ["2022", "2023", "2024", "2025", "2026"]
    ip_asn = row_of(t, "Indeks Profesionalitas ASN", column=0)
    assert ip_asn[1:] == ["62", "62", "64", "64", "66", "84", "68", "84", "70", "85"]


def test_the_appendix_holds_the_form_with_its_footer(document):
    """The form (docx_form.append_form) after the LAMPIRAN heading: column 13 as computed,
    the urusan rows, and the averages with their rule in words."""
    lines = [p.text for p in document.paragraphs]
    assert "LAMPIRAN" in lines and lines.index("LAMPIRAN") > lines.index("BAB IV\nPENUTUP")
    assert lines[lines.index("LAMPIRAN") + 1].startswith("Evaluasi terhadap Hasil Renja")
    (form,) = [t for t in document.tables if len(t.columns) == 28]
    rows = texts(form)
    k13 = next(i for i, c in enumerate(rows[2]) if c.startswith("13"))
    assert row_of(form, "Program Penunjang", column=3)[k13] == "15"
    assert row_of(form, "Pengadaan, Pemberhentian dan Informasi", column=3)[k13] == "0,25"
    assert [r[2:4] for r in rows[4:6]] == [
        ["5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN"],
        ["5.03", "KEPEGAWAIAN"],
    ]  # urusan, bidang urusan
    average = row_of(table(document, "Lampiran"), "Rata-rata capaian kinerja", column=0)
    assert average[1:3] == ["19,55", "11,80"]
    assert "rata-rata kolom 14 baris program" in average[3] and "aturan" not in average[3]


def test_front_matter_is_numbered_in_roman_and_the_body_restarts_at_one(document):
    numbering = [s._sectPr.find(qn("w:pgNumType")) for s in document.sections]
    shown = [None if n is None else (n.get(qn("w:fmt")), n.get(qn("w:start"))) for n in numbering]
    assert shown == [None, ("lowerRoman", "1"), ("decimal", "1"), ("decimal", None)]


def test_pages_are_a4_with_the_appendix_landscape(document, quarterly_report):
    sizes = [(round(s.page_width.mm), round(s.page_height.mm)) for s in document.sections]
    assert sizes == [(210, 297)] * 3 + [(297, 210)]
    assert document.sections[-1].orientation == WD_ORIENT.LANDSCAPE
    f4 = docx.Document(io.BytesIO(LaporanDocx().render(quarterly_report, provenance=PROVENANCE,
                                                       paper="f4")))  # fmt: skip
    assert [(round(s.page_width.mm), round(s.page_height.mm)) for s in f4.sections] == [
        (215, 330)] * 3 + [(330, 215)]  # fmt: skip


def test_an_unknown_paper_is_refused_in_indonesian(quarterly_report):
    with pytest.raises(ValueError, match="ukuran kertas «b5» tidak dikenal"):
        LaporanDocx().render(quarterly_report, provenance=PROVENANCE, paper="b5")


def test_the_daftar_isi_is_filled_with_the_models_headings_and_the_pdfs_pages(
    document, content, quarterly_report
):
    """A TOC field (Word and LibreOffice may refresh it) already showing every heading of the
    document model with the page it has in the PDF rendering of the same model."""
    from kinerja.reporting.document import laporan_document
    from kinerja.reporting.renderers.pdf_laporan import page_numbers

    assert 'TOC \\o "1-2" \\h \\z \\u' in part(content, "word/document.xml")
    model = laporan_document(quarterly_report)
    pages = page_numbers(quarterly_report, model)
    lines = [p.text for p in document.paragraphs]
    start = lines.index("DAFTAR ISI") + 1
    shown = lines[start : start + len(pages)]
    assert shown == [f"{h.label}\t{page}" for h, page in zip(model.contents(), pages, strict=True)]
    assert shown[0] == "KATA PENGANTAR\ti" and shown[2] == "BAB I PENDAHULUAN\t1"
    assert "Daftar isi belum disusun" not in "\n".join(lines)


def test_every_template_tag_was_rendered(content):
    for name in ("word/document.xml", "word/header1.xml", "word/footer1.xml"):
        xml = part(content, name)
        assert "{{" not in xml and "{%" not in xml, name


def test_the_charts_are_images_with_their_description_as_alt_text(document, quarterly_report):
    described = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert described[-2:] == [c.description for c in quarterly_report.charts]


def test_the_signature_has_place_and_indonesian_date(document):
    lines = [p.text for p in document.paragraphs]
    assert lines.count("Sumenep, 16 April 2024") == 3  # Kata Pengantar, BAB IV, the form


def test_an_acting_head_signs_as_plt_and_later_quarters_say_s_d(quarterly_report):
    report = dataclasses.replace(
        quarterly_report,
        signature=dataclasses.replace(quarterly_report.signature, acting="Plt",
                                      name="Drs. Contoh Nama", nip="197001012000031001"),
        budget_basis="s.d. TW II",
        action_plan=(ActionPlanLine("5.03.02.2.01", "Pengadaan ASN", "Dokumen", Decimal("2"),
                                    Decimal("1"), Decimal("50"), "Sangat Rendah"),),
    )  # fmt: skip
    document = docx.Document(io.BytesIO(LaporanDocx().render(report, provenance=PROVENANCE)))
    lines = [p.text for p in document.paragraphs]
    title = "Plt. Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sumenep"
    assert lines.count(title) == 2
    assert lines.count("NIP. 197001012000031001") == 2
    assert texts(table(document, "Tabel 3.2"))[0][3] == "Rencana anggaran kas s.d. TW II (Rp)"
    assert texts(table(document, "Tabel 3.3"))[1] == [
        "5.03.02.2.01", "Pengadaan ASN", "2", "1", "Dokumen", "50,00", "Sangat Rendah"]  # fmt: skip


def test_the_document_properties_record_the_data_and_template_hashes(document):
    props = document.core_properties
    assert (props.title, props.author) == ("Laporan Capaian Kinerja Triwulan I Tahun 2024",
                                           "Kinerja")  # fmt: skip
    assert props.subject == props.comments == PROVENANCE.describe()
    assert props.keywords == (f"laporan kinerja; data sha256:{PROVENANCE.data_hash}; "
                              f"templat sha256:{PROVENANCE.template_hash}")  # fmt: skip


def test_the_shipped_template_is_what_the_builder_makes(tmp_path):
    shipped = resources.files("kinerja").joinpath("reporting/templates/laporan.docx").read_bytes()
    builder = Path(__file__).resolve().parents[2] / "tools" / "build_docx_templates.py"
    spec = importlib.util.spec_from_file_location("build_docx_templates", builder)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build_laporan_template(tmp_path / "laporan.docx")
    assert built.read_bytes() == shipped, "jalankan tools/build_docx_templates.py"


def test_libreoffice_converts_the_docx_to_pdf(content, tmp_path):
    if SOFFICE is None or PDFTOTEXT is None:
        pytest.skip("LibreOffice (soffice) atau pdftotext tidak terpasang")
    source = tmp_path / "laporan.docx"
    source.write_bytes(content)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    text = subprocess.run([PDFTOTEXT, "-layout", str(tmp_path / "laporan.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout  # fmt: skip
    assert "BAB IV" in text
    assert "40,64" in text
