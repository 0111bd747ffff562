"""The quarterly report as an Excel workbook: one sheet per table, the core's figures as
numbers, Tabel 3.2's percentages and totals as live formulas that LibreOffice recalculates to
the same values, and the evaluation form as FormXlsx writes it."""

import io
import subprocess

import openpyxl
import pytest

from kinerja.reporting.data import data_hash
from kinerja.reporting.renderers import Provenance
from kinerja.reporting.renderers.xlsx_form import FIRST, k_col
from kinerja.reporting.renderers.xlsx_laporan import LaporanXlsx

from .test_xlsx_form import RECALC_ALWAYS, SOFFICE

pytestmark = pytest.mark.django_db


# A renderer test hands in the provenance; these stand for the two hashes.
def provenance(report) -> Provenance:
    return Provenance(data_hash(report), LaporanXlsx.template_hash())


SHEETS = ["Tabel 2.1", "Tabel 2.2", "Tabel 2.3 IKU", "Tabel 2.3 PK", "Tabel 2.4", "Tabel 3.1",
          "Tabel 3.2", "Rencana Aksi", "Tabel 3.3", "Tabel 3.4", "Rekomendasi", "Temuan",
          "Formulir"]  # fmt: skip
HEADER_ROW = 5  # the header's first row (1-based), under the caption, title and agency


def render(report, **options) -> bytes:
    return LaporanXlsx().render(report, provenance=provenance(report), **options)


@pytest.fixture(scope="module")
def content(quarterly_report) -> bytes:
    return render(quarterly_report)


@pytest.fixture(scope="module")
def book(content) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content), data_only=True)


def row_where(ws, column: int, text: str) -> int:
    """The first row (1-based) whose cell in ``column`` reads ``text``."""
    rows = [r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == text]
    assert rows, f"{text!r} tidak ada di kolom {column} lembar {ws.title}"
    return rows[0]


def values(ws, row: int, columns) -> list:
    return [ws.cell(row, c).value for c in columns]


def test_the_workbook_has_one_sheet_per_table_then_the_findings_and_the_form(book):
    assert book.sheetnames == SHEETS


def test_table_3_1_holds_the_core_figures_as_numbers(book):
    ws = book["Tabel 3.1"]
    ip_asn = row_where(ws, 3, "Indeks Profesionalitas ASN")
    target, realised, achieved = values(ws, ip_asn, (5, 6, 7))
    assert (target, realised) == (84, 59)
    assert isinstance(achieved, float)
    assert achieved == pytest.approx(70.24, abs=0.005)
    assert values(ws, ip_asn, (8, 9)) == ["Sedang", "Sangat Rendah"]
    assert ws.cell(ip_asn, 7).number_format == "#,##0.00"
    share = row_where(ws, 3, "Persentase Capaian Kinerja Perangkat Daerah")
    assert values(ws, share, (5, 6)) == [96, 18]
    assert ws.cell(share, 7).value == pytest.approx(18.75, abs=0.005)
    assert ws.cell(share, 12).value == pytest.approx(19.55, abs=0.005)  # from the form
    assert ws.cell(share, 13).value == "rata-rata kolom 14 baris program"
    merit = row_where(ws, 3, "Indeks Penilaian Sistem Merit")
    assert values(ws, merit, (5, 6, 7, 8)) == [0.7, "-", "-", "-"]


def test_table_3_2_percentages_are_formulas_cached_with_the_core_values(content, book):
    ws, formulas = book["Tabel 3.2"], openpyxl.load_workbook(io.BytesIO(content))["Tabel 3.2"]
    rows = [row_where(ws, 3, name) for name in ("Program Kepegawaian Daerah",
            "Program Pengembangan Sumber Daya Manusia",
            "Program Penunjang Urusan Pemerintahan Daerah Kabupaten / Kota")]  # fmt: skip
    rows.append(row_where(ws, 2, "JUMLAH TOTAL"))
    of_plan = [round(ws.cell(r, 7).value, 2) for r in rows]
    of_budget = [round(ws.cell(r, 8).value, 2) for r in rows]
    assert of_plan == [7.82, 13.63, 51.41, 40.64]
    assert of_budget == [3.11, 3.11, 14.04, 11.80]
    total = rows[-1]
    assert values(ws, total, (4, 5, 6)) == [12_233_732_131, 3_551_016_300, 1_443_040_145]
    assert formulas.cell(total, 4).value == f"=SUM(D{HEADER_ROW + 1}:D{total - 1})"
    assert formulas.cell(total, 7).value == f'=IF(OR(F{total}="",E{total}="",E{total}=0),"",' \
        f"F{total}/E{total}*100)"  # fmt: skip
    assert [ws.cell(rows[0], c).number_format for c in (4, 5, 6, 7, 8)] == (
        ["#,##0"] * 3 + ["#,##0.00"] * 2
    )
    assert ws.cell(HEADER_ROW, 5).value == "Rencana Anggaran Kas TW I (Rp)"


def test_table_2_2_shows_the_original_and_the_revised_target_side_by_side(book):
    ws = book["Tabel 2.2"]
    year = next(c for c in range(1, ws.max_column + 1) if ws.cell(HEADER_ROW, c).value == "2024")
    assert values(ws, HEADER_ROW + 1, (year, year + 1)) == ["Awal", "Perubahan"]
    ip_asn = row_where(ws, 4, "Indeks Profesionalitas ASN")
    assert values(ws, ip_asn, (year, year + 1)) == [66, 84]
    merit = row_where(ws, 4, "Indeks Penilaian Sistem Merit")
    assert values(ws, merit, (year, year + 1)) == [0.55, 0.7]
    assert ws.cell(merit, year + 1).number_format == "#,##0.00"
    assert ws.cell(merit, ws.max_column).value == "-"  # no revised 2026 target


def test_tables_2_3_and_2_4_hold_the_pk(book):
    ws = book["Tabel 2.3 PK"]
    assert values(ws, HEADER_ROW + 1, (3, 4, 5)) == ["Indeks Penilaian Sistem Merit", 0.7, "Nilai"]
    ws = book["Tabel 2.4"]
    total = row_where(ws, 2, "Jumlah pagu program")
    assert ws.cell(total, 6).value == 12_233_732_131
    assert ws.cell(HEADER_ROW + 1, 6).value == 1_905_955_200
    ws = book["Tabel 2.3 IKU"]
    assert ws.cell(HEADER_ROW + 1, 8).value == (
        "Kualifikasi 25 %\nKompetensi 40 %\nKinerja 30 %\nDisiplin 5 %"
    )


def test_the_form_sheet_is_the_form_with_its_footer(quarterly_report, book):
    ws = book["Formulir"]
    footer = FIRST + len(quarterly_report.form.printed_rows()) + 1  # urusan rows included
    assert [round(ws.cell(footer, k_col(14) + 1 + part).value, 2) for part in (0, 1)] == [
        19.55,
        11.80,
    ]
    assert ws["A1"].value == quarterly_report.form.title


def test_findings_link_to_the_form_rows(quarterly_report, book):
    ws = book["Temuan"]
    findings = quarterly_report.findings
    assert [ws.cell(r, 2).value for r in range(4, 4 + len(findings))] == [f.title for f in findings]
    assert ws.cell(4, 4).hyperlink.location.startswith("'Formulir'!D")
    assert ws.cell(3 + len(findings), 4).hyperlink is None  # an indicator, not a form row


def test_every_table_sheet_has_a_frozen_header_and_prints_landscape_on_f4(book):
    for name in SHEETS[:11]:
        ws = book[name]
        assert ws.freeze_panes in (f"A{HEADER_ROW + 1}", f"A{HEADER_ROW + 2}"), name
        assert ws.page_setup.orientation == "landscape", name
        assert int(ws.page_setup.paperSize) == 14, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True, name
        assert ws.print_title_rows.startswith(f"${HEADER_ROW}:"), name


def test_paper_a4_and_the_provenance(quarterly_report):
    book = openpyxl.load_workbook(io.BytesIO(render(quarterly_report, paper="a4")))
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


def test_libreoffice_recalculates_table_3_2_from_its_formulas(quarterly_report, tmp_path):
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    source = tmp_path / "laporan.xlsx"
    source.write_bytes(render(quarterly_report, cache_values=False))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(tmp_path / "out"), str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    book = openpyxl.load_workbook(tmp_path / "out" / "laporan.xlsx", data_only=True)
    ws = book["Tabel 3.2"]
    rows = range(HEADER_ROW + 1, HEADER_ROW + 1 + len(quarterly_report.budget))
    expected = [(float(round(b.pct_of_plan, 2)), float(round(b.pct_of_budget, 2)))
                for b in quarterly_report.budget]  # fmt: skip
    assert [(round(ws.cell(r, 7).value, 2), round(ws.cell(r, 8).value, 2)) for r in rows] == (
        expected
    )
    assert sorted(expected) == [(7.82, 3.11), (13.63, 3.11), (40.64, 11.8), (51.41, 14.04)]
    form = book["Formulir"]
    footer = FIRST + len(quarterly_report.form.printed_rows()) + 1  # urusan rows included
    assert [round(form.cell(footer, k_col(14) + 1 + p).value, 2) for p in (0, 1)] == [19.55, 11.8]
