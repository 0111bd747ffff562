"""The quarterly report as an Excel workbook walks the same document model as the PDF: the
sheet "Laporan" holds the cover, the front matter, the Daftar Isi and BAB I–IV with the
model's headings, captions and cell texts in order; the sheet "Lampiran" holds the evaluation
form with its live formulas. Read back with openpyxl, and converted by LibreOffice."""

import io
import re
import subprocess
from dataclasses import replace

import openpyxl
import pytest

from kinerja.core.checks import RULE_TITLES
from kinerja.reporting.data import data_hash
from kinerja.reporting.document import Table, laporan_document
from kinerja.reporting.renderers import Provenance
from kinerja.reporting.renderers.xlsx_laporan import CAPTION, H1, H2, LaporanXlsx

from .test_xlsx_form import RECALC_ALWAYS, SOFFICE

pytestmark = pytest.mark.django_db


# A renderer test hands in the provenance; these stand for the two hashes.
def provenance(report) -> Provenance:
    return Provenance(data_hash(report), LaporanXlsx.template_hash())


def render(report, **options) -> bytes:
    return LaporanXlsx().render(report, provenance=provenance(report), **options)


def load(content: bytes, **options) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content), **options)


@pytest.fixture(scope="module")
def content(quarterly_report) -> bytes:
    return render(quarterly_report)


@pytest.fixture(scope="module")
def book(content) -> openpyxl.Workbook:
    return load(content, data_only=True)


@pytest.fixture(scope="module")
def doc(quarterly_report):
    return laporan_document(quarterly_report)


def cells(ws):
    """Every non-empty cell, row by row, left to right."""
    return [c for row in ws.iter_rows() for c in row if c.value not in (None, "")]


def texts(ws) -> list[str]:
    return [str(c.value) for c in cells(ws)]


def row_texts(ws, row: int) -> list[str]:
    return [str(c.value) for c in ws[row] if c.value not in (None, "")]


def rows_between(ws, start: str, end: str) -> list[list[str]]:
    """The rows' texts from the row holding ``start`` up to the one holding ``end``."""
    rows = [row_texts(ws, r) for r in range(1, ws.max_row + 1)]
    first = next(i for i, r in enumerate(rows) if start in r)
    last = next(i for i, r in enumerate(rows) if i > first and end in r)
    return rows[first:last]


def row_with(rows: list[list[str]], *expected: str) -> list[str]:
    found = [r for r in rows if all(e in r for e in expected)]
    assert found, expected
    return found[0]


def in_order(expected: list[str], found: list[str]) -> bool:
    rest = iter(found)
    return all(any(f == e for f in rest) for e in expected)


def test_the_workbook_is_the_report_then_its_appendix(book):
    assert book.sheetnames == ["Laporan", "Lampiran"]


def test_the_headings_are_the_models_in_its_order(book, doc):
    headings = [c.value for c in cells(book["Laporan"]) if c.font.b and c.font.sz in (H1, H2)]
    assert headings == [h.label for h in doc.headings()]
    assert headings[:3] == ["KATA PENGANTAR", "DAFTAR ISI", "BAB I PENDAHULUAN"]
    assert headings[-1] == "LAMPIRAN"


def test_the_captions_are_the_models_in_its_order(book, doc):
    captions = [c.value for c in cells(book["Laporan"]) if c.font.b and c.font.sz == CAPTION]
    assert captions == doc.captions()
    assert "Tabel 3.2 Realisasi Anggaran Sasaran dan Program" in captions
    assert "Gambar 3.1 Capaian kinerja program Triwulan I 2024" in captions


def test_every_table_cell_reads_as_in_the_model_and_in_its_order(book, doc):
    expected = [c.plain for b in doc.body if isinstance(b, Table)
                for row in (*b.header, *b.rows) for c in row.cells if c.plain]  # fmt: skip
    assert len(expected) > 500
    assert in_order(expected, texts(book["Laporan"]))


def test_the_daftar_isi_links_each_entry_to_its_heading(book, doc):
    ws = book["Laporan"]
    links = [c for c in cells(ws) if c.hyperlink is not None and
             c.hyperlink.location and c.hyperlink.location.startswith("'Laporan'!")]  # fmt: skip
    assert [c.value for c in links] == [h.label for h in doc.contents()]
    targets = [int(c.hyperlink.location.removeprefix("'Laporan'!A")) for c in links]
    assert [ws.cell(row, 1).value for row in targets] == [h.label for h in doc.contents()]
    assert targets == sorted(targets) and min(targets) < links[0].row  # KATA PENGANTAR above
    # and the appendix's line opens the form's sheet
    appendix = next(c for c in cells(ws) if c.hyperlink is not None and c.row > targets[-1])
    assert appendix.hyperlink.location == "'Lampiran'!A1"


def test_tabel_3_1_prints_the_iku_as_the_pdf_does(book, doc):
    rows = rows_between(book["Laporan"], "Tabel 3.1 Capaian Indikator Kinerja Utama (IKU)",
                        "Gambar 3.1 Capaian kinerja program Triwulan I 2024")  # fmt: skip
    ip_asn = row_with(rows, "Indeks Profesionalitas ASN")
    assert ip_asn[3:6] == ["84", "59", "70,24"]
    assert ip_asn[6].startswith("Sedang\nkategori nilai: Sangat Rendah")
    table = next(b for b in doc.body if isinstance(b, Table) and b.number == "3.1")
    merit = next(r for r in table.rows if r.cells[2].text == "Indeks Penilaian Sistem Merit")
    target = merit.cells[3].text  # the indicator's declared decimals, as the model has them
    assert target.startswith("0,7")
    assert row_with(rows, "Indeks Penilaian Sistem Merit")[3:6] == [target, "-", "-"]
    assert row_with(rows, "Persentase Capaian Kinerja Perangkat Daerah")[3:6] == [
        "96", "18", "18,75",
    ]  # fmt: skip
    assert any(r and "19,55, di samping realisasi yang dilaporkan 18." in r[0] for r in rows)


@pytest.mark.parametrize(("program", "figures"), [
    ("Program Penunjang Urusan Pemerintahan Daerah Kabupaten / Kota\nPenanggung jawab: "
     "Sekretariat", ["9.722.008.231", "2.654.870.800", "1.364.941.860", "51,41", "14,04"]),
    ("Program Kepegawaian Daerah", ["1.905.955.200", "758.058.000", "59.281.085", "7,82",
                                    "3,11"]),
    ("Jumlah total", ["12.233.732.131", "3.551.016.300", "1.443.040.145", "40,64", "11,80"]),
])  # fmt: skip
def test_tabel_3_2_prints_pagu_cash_plan_realisation_and_both_percentages(book, program, figures):
    ws = book["Laporan"]
    rows = rows_between(ws, "Tabel 3.2 Realisasi Anggaran Sasaran dan Program",
                        "Gambar 3.2 Penyerapan anggaran per triwulan 2024")  # fmt: skip
    row = row_with(rows, program)
    assert row[row.index(program) + 1 :] == figures


def test_the_total_of_tabel_3_2_is_bold_and_shaded_and_its_numbers_right_aligned(book):
    ws = book["Laporan"]
    total = next(c for c in cells(ws) if c.value == "Jumlah total")
    figures = [c for c in ws[total.row] if c.value not in (None, "")]
    assert all(c.font.b for c in figures)
    assert {c.fill.fgColor.rgb for c in figures} == {"FFEEF2F7"}
    assert [c.alignment.horizontal for c in figures[1:]] == ["right"] * 5


def test_tabel_2_2_sets_original_and_revised_targets_side_by_side(book):
    rows = rows_between(book["Laporan"], "Tabel 2.2 Tujuan, Sasaran, Indikator dan Target "
                        "Kinerja Renstra 2021–2026", "2.2 Indikator Kinerja Utama")  # fmt: skip
    assert row_with(rows, "Indeks Profesionalitas ASN (Nilai)")[-10:] == [
        "62", "62", "64", "64", "66", "84", "68", "84", "70", "85",
    ]  # fmt: skip
    assert row_with(rows, "2022", "2026")[-5:] == ["2022", "2023", "2024", "2025", "2026"]


def test_the_charts_are_pictures_under_which_their_captions_stand(book, quarterly_report):
    ws = book["Laporan"]
    images = ws._images
    kop = quarterly_report.kop
    if kop is not None and kop.logo:  # the emblem beside the kop, on the cover
        logo, *images = images
        assert row_texts(ws, logo.anchor._from.row + 1) == [kop.government.upper()]
    assert len(images) == len(quarterly_report.charts) == 2
    for number, (image, chart) in enumerate(zip(images, quarterly_report.charts, strict=True), 1):
        row = image.anchor._from.row + 1  # the picture's row (1-based); its caption below
        assert row_texts(ws, row + 1) == [f"Gambar 3.{number} {chart.title}"]
        assert row_texts(ws, row + 2) == [chart.description]
        assert ws.row_dimensions[row].height > 100  # the row is as tall as the picture


def test_the_appendix_is_the_form_with_its_footer(book, quarterly_report):
    ws = book["Lampiran"]
    assert ws["A1"].value == quarterly_report.form.title
    label = next(c for c in cells(ws) if c.value == "Rata-rata capaian kinerja (%)")
    numbers = [c.value for c in ws[label.row] if isinstance(c.value, float)]
    assert [round(v, 2) for v in numbers] == [19.55, 11.80]


def test_no_findings_no_rule_ids_no_hashes_and_no_placeholders_in_any_cell(book, content):
    every = [t for ws in book for t in texts(ws)]
    joined = "\n".join(every)
    for rule in RULE_TITLES:
        assert rule not in joined
    for words in ("sha256", "(aturan", "program_mean", "DESIGN", "Temuan", "……", "LOGO"):
        assert words not in joined
    assert "16 April 2024" in joined
    # the hashes are in the properties only
    props = {p.name: p.value for p in load(content).custom_doc_props.props}
    assert props["kinerja_data_sha256"] not in joined


def test_long_merged_paragraphs_are_given_the_height_of_their_lines(book):
    ws = book["Laporan"]
    merged = {r.min_row: r for r in ws.merged_cells.ranges}
    long = [c for c in cells(ws) if isinstance(c.value, str) and len(c.value) > 400
            and c.row in merged and merged[c.row].max_col - merged[c.row].min_col > 30]  # fmt: skip
    assert long
    for c in long:  # 40 columns of 16 px hold about 100 characters a line, 10 pt Arial
        lines = len(c.value) / 110
        assert ws.row_dimensions[c.row].height >= 12 * lines, c.value[:40]


def test_each_chapter_starts_a_printed_page_and_the_pages_are_portrait(book, doc):
    ws = book["Laporan"]
    breaks = {b.id for b in ws.row_breaks.brk}
    chapters = [c.row for c in cells(ws) if c.font.b and c.font.sz == H1]
    assert len(chapters) == len([h for h in doc.headings() if h.level == 1]) == 7
    assert all(row - 1 in breaks for row in chapters)  # a break right above each
    assert ws.page_setup.orientation == "portrait"
    assert int(ws.page_setup.paperSize) == 14  # F4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert book["Lampiran"].page_setup.orientation == "landscape"


def test_a_draft_says_draf_on_every_sheet_and_a_final_one_nowhere(quarterly_report, book):
    draft = load(render(replace(quarterly_report, draft=True)))
    for ws in draft:
        assert "DRAF" in (ws.oddHeader.center.text or ""), ws.title
        assert str(ws["A1"].value).startswith("DRAF"), ws.title
    assert draft["Laporan"]["A1"].value == f"DRAF · {quarterly_report.title}"
    for ws in book:
        assert "DRAF" not in (ws.oddHeader.center.text or "")
        assert "DRAF" not in str(ws["A1"].value)


def test_paper_a4_and_the_provenance(quarterly_report):
    book = load(render(quarterly_report, paper="a4"))
    assert {int(ws.page_setup.paperSize) for ws in book.worksheets} == {9}
    assert book.properties.title == "Laporan Capaian Kinerja Triwulan I Tahun 2024"
    expected = provenance(quarterly_report)
    assert book.properties.description == expected.describe()
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props == {
        "kinerja_data_sha256": expected.data_hash,
        "kinerja_template_sha256": expected.template_hash,
    }
    with pytest.raises(ValueError, match="ukuran kertas «b5» tidak dikenal"):
        render(quarterly_report, paper="b5")


@pytest.fixture(scope="module")
def libreoffice(quarterly_report, tmp_path_factory):
    """The workbook with its appendix's formulas left uncalculated, converted by LibreOffice
    (recalculating) to PDF and to xlsx."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    tmp = tmp_path_factory.mktemp("lo")
    profile = tmp / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    source = tmp / "laporan.xlsx"
    source.write_bytes(render(quarterly_report, cache_values=False))
    for target in ("pdf", "xlsx"):
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
             "--convert-to", target, "--outdir", str(tmp / "out"), str(source)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    return tmp / "out"


def test_libreoffice_prints_the_report_as_the_model_reads(libreoffice, doc):
    pdf = libreoffice / "laporan.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           check=True, text=True).stdout.split("\f")  # fmt: skip
    text = " ".join(" ".join(pages).split())
    assert in_order([h.label for h in doc.headings()], [
        " ".join(line.split()) for page in pages for line in page.splitlines()
    ])  # fmt: skip
    for figure in ("40,64", "11,80", "70,24", "16 April 2024", "Nama Kepala BKPSDM (contoh)"):
        assert figure in text
    assert "Halaman 1 dari" in text
    # each chapter opens its page (the page's first line after the running title)
    first_lines = [[line.strip() for line in page.splitlines() if line.strip()][:1]
                   for page in pages]  # fmt: skip
    for chapter in ("BAB I PENDAHULUAN", "BAB II PERENCANAAN KINERJA", "BAB IV PENUTUP"):
        assert [chapter] in first_lines
    assert not re.search(r"#{3,}", text)  # no number too wide for its column


def test_libreoffice_recalculates_the_appendix_from_its_formulas(libreoffice):
    book = openpyxl.load_workbook(libreoffice / "laporan.xlsx", data_only=True)
    ws = book["Lampiran"]
    label = next(c for c in cells(ws) if c.value == "Rata-rata capaian kinerja (%)")
    assert [round(c.value, 2) for c in ws[label.row] if isinstance(c.value, float)] == [
        19.55, 11.80,
    ]  # fmt: skip
