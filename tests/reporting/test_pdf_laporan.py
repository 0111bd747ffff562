"""The quarterly report as PDF (Typst): the seed's figures in every table, the front matter's
roman page numbers and Daftar Isi, the appendix form on landscape pages, and provenance.

The report is the seed agency's (tests/reporting/conftest.py). Each PDF is compiled once per
module and read back with poppler: ``pdftotext -bbox`` for the words of each line (tables),
plain ``pdftotext`` for running text, and pdfplumber for metadata and fonts.
"""

import io
import re
import subprocess
from dataclasses import dataclass, replace
from decimal import Decimal

import pdfplumber
import pytest

from kinerja.core.checks import RULE_TITLES
from kinerja.reporting.data import ActionPlanLine, QuarterlyReport
from kinerja.reporting.renderers import Provenance, renderer_for
from kinerja.reporting.renderers.pdf_laporan import LaporanPdf

from .test_pdf_form import in_order, read_words, table_numbers

pytestmark = pytest.mark.django_db

# A renderer is handed its provenance; these stand for the two hashes.
PROVENANCE = Provenance("5eed" * 16, LaporanPdf.template_hash())
A4, A3_LANDSCAPE = (595.28, 841.89), (1190.55, 841.89)
F4, F4_LANDSCAPE = (609.45, 935.43), (935.43, 609.45)
JOINER = "\u2060"  # Typst puts a word joiner before the page numbers of the Daftar Isi


@dataclass(frozen=True)
class Pdf:
    report: QuarterlyReport
    content: bytes
    metadata: dict
    sizes: list[tuple[float, float]]
    lines: list[list[list[str]]]  # per page, per line (top to bottom), the words
    text: str  # all running text, whitespace collapsed

    @property
    def labels(self) -> list[str]:
        """The page number printed at the foot of each page (the last word of its last line)."""
        return [page[-1][-1] if page else "" for page in self.lines]

    def page_text(self, index: int) -> str:
        return "\n".join(" ".join(line) for line in self.lines[index])

    def section(self, start: str, end: str) -> list[list[str]]:
        """The lines from the one reading ``start`` up to the next one reading ``end``."""
        flat = [line for page in self.lines for line in page]
        texts = [" ".join(line) for line in flat]
        first = texts.index(start)
        return flat[first : texts.index(end, first + 1)]


def render(report: QuarterlyReport, paper: str = "a4") -> Pdf:
    content = LaporanPdf().render(report, provenance=PROVENANCE, paper=paper)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        metadata = dict(pdf.metadata)
    sizes, words = read_words(content)
    plain = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return Pdf(report, content, metadata, sizes, [by_line(page) for page in words],
               " ".join(plain.split()))  # fmt: skip


def by_line(words: list[dict]) -> list[list[str]]:
    rows: dict[int, list[dict]] = {}
    for w in words:
        rows.setdefault(round(w["bottom"]), []).append(w)
    # The Daftar Isi's last dot, joiner and page number come as one word: split it.
    return [
        [part for w in sorted(row, key=lambda w: w["x0"])
         for part in w["text"].replace(JOINER, " ").split()]
        for _, row in sorted(rows.items())
    ]  # fmt: skip


def line_with(lines: list[list[str]], expected: list[str]) -> list[str]:
    """The first line holding the ``expected`` words in this order."""
    found = [line for line in lines if in_order(expected, line)]
    assert found, expected
    return found[0]


@pytest.fixture(scope="module")
def pdf(quarterly_report) -> Pdf:
    return render(quarterly_report)


@pytest.fixture(scope="module")
def f4(quarterly_report) -> Pdf:
    return render(quarterly_report, "f4")


@pytest.mark.parametrize(("first_words", "figures"), [
    (["Indeks"], ["84", "59", "70,24", "Sedang", "SI-ASN", "BKN"]),
    (["Indeks", "Penilaian"], ["0,70", "-", "-", "-"]),  # its declared 2 decimals
    (["Nilai", "SAKIP"], ["89,95", "-", "-", "-"]),
    (["Persentase"], ["96", "18", "18,75", "Sangat", "Rendah"]),
])  # fmt: skip
def test_tabel_3_1_prints_each_indicator_on_one_line(pdf, first_words, figures):
    rows = pdf.section("Tabel 3.1", "Tabel 3.2")
    line_with(rows, first_words + figures)


def test_tabel_3_1_sets_the_form_derived_value_beside_the_entered_one(pdf):
    assert (
        "Pembanding: nilai dari formulir evaluasi (rata-rata kolom 14 baris program): 19,55, "
        "di samping realisasi yang dilaporkan 18." in pdf.text
    )
    assert "kategori nilai: Sangat Rendah (skala Indeks Profesionalitas ASN" in pdf.text


@pytest.mark.parametrize(("program", "figures"), [
    ("Penunjang", ["9.722.008.231", "2.654.870.800", "1.364.941.860", "51,41", "14,04"]),
    ("Kepegawaian", ["1.905.955.200", "758.058.000", "59.281.085", "7,82", "3,11"]),
    ("Pengembangan", ["605.768.700", "138.087.500", "18.817.200", "13,63", "3,11"]),
    ("Jumlah", ["total", "12.233.732.131", "3.551.016.300", "1.443.040.145", "40,64", "11,80"]),
])  # fmt: skip
def test_tabel_3_2_prints_pagu_cash_plan_realisation_and_both_percentages(pdf, program, figures):
    rows = pdf.section("Tabel 3.2", "Gambar 3.2")
    line_with(rows, [program, *figures])
    assert "% terhadap rencana kas = realisasi TW I ÷ rencana anggaran kas TW I × 100;" in pdf.text


def test_the_total_line_of_tabel_3_2_is_bold(pdf):
    page = next(i for i, page in enumerate(pdf.lines) if ["Tabel", "3.2"] in page)
    with pdfplumber.open(io.BytesIO(pdf.content)) as doc:
        words = doc.pages[page].extract_words(extra_attrs=["fontname"])
    fonts = {w["text"]: w["fontname"] for w in words}
    for figure in ("12.233.732.131", "40,64", "11,80"):
        assert fonts[figure].endswith("LiberationSans-Bold")
    assert not fonts["51,41"].endswith("Bold")


def test_tabel_2_2_sets_original_and_revised_targets_side_by_side(pdf):
    rows = pdf.section("Tabel 2.2", "Tabel 2.3")
    assert line_with(rows, ["Profesionalitas"])[-10:] == [
        "62", "62", "64", "64", "66", "84", "68", "84", "70", "85",
    ]  # fmt: skip
    assert line_with(rows, ["Sistem", "Merit"])[-10:] == [
        "0,45", "0,45", "0,50", "0,50", "0,55", "0,70", "0,60", "0,60", "0,65", "-",
    ]  # fmt: skip


def test_the_explanatory_paragraphs_follow_tabel_3_1(pdf):
    for achievement in pdf.report.achievements:
        assert " ".join(achievement.paragraph.split()) in pdf.text
    assert "ditetapkan 84 dan terealisasi 59 dengan capaian 70,24 % (Sedang)" in pdf.text
    assert pdf.text.count("belum terealisasi karena") == 2


def test_the_front_matter_is_numbered_in_roman_and_the_body_from_1(pdf):
    assert pdf.page_text(0).startswith("PEMERINTAH KABUPATEN SUMENEP")
    assert "LAPORAN CAPAIAN KINERJA\nTRIWULAN I TAHUN 2024" in pdf.page_text(0)
    assert pdf.labels[1:4] == ["i", "ii", "1"]
    assert pdf.lines[1][0] == ["KATA", "PENGANTAR"] and pdf.lines[2][0] == ["DAFTAR", "ISI"]
    assert pdf.lines[3][:2] == [["BAB", "I"], ["PENDAHULUAN"]]


def test_the_daftar_isi_gives_each_heading_the_page_it_is_on(pdf):
    toc = [" ".join(w for w in line if w != ".") for line in pdf.lines[2][1:-1]]
    entries = [re.fullmatch(r"(.+) (\d+|[ivx]+)", line).groups() for line in toc]
    assert [title for title, _ in entries] == [
        "KATA PENGANTAR", "DAFTAR ISI",
        "BAB I PENDAHULUAN", "1.1 Latar Belakang", "1.2 Maksud dan Tujuan",
        "1.3 Sistematika Penulisan",
        "BAB II PERENCANAAN KINERJA", "2.1 Perencanaan Strategis",
        "2.2 Indikator Kinerja Utama", "2.3 Perjanjian Kinerja",
        "BAB III AKUNTABILITAS KINERJA", "3.1 Capaian Indikator Kinerja Utama",
        "3.2 Realisasi Anggaran", "3.3 Capaian Rencana Aksi",
        "3.4 Faktor Pendukung dan Penghambat Capaian Kinerja",
        "3.5 Rekomendasi Tindak Lanjut",
        "BAB IV PENUTUP", "LAMPIRAN",
    ]  # fmt: skip
    for title, label in entries:
        page = pdf.labels.index(label)
        heading = title.split(" ", 1)[1] if title[0].isdigit() else title.split()[-1]
        assert heading in pdf.page_text(page), (title, label)


def test_the_appendix_is_the_form_on_landscape_pages_with_its_header_on_each(pdf):
    first = next(i for i, page in enumerate(pdf.lines) if page[0] == ["LAMPIRAN"])
    assert first > 10
    assert all(size == pytest.approx(A4, abs=1) for size in pdf.sizes[:first])
    assert all(size == pytest.approx(A3_LANDSCAPE, abs=1) for size in pdf.sizes[first:])
    legend = next(i for i, p in enumerate(pdf.lines) if ["PD:", "Perangkat", "Daerah"] in
                  [line[:3] for line in p])  # fmt: skip
    for page in range(first, legend + 1):
        assert "13=9+10+11+12" in pdf.page_text(page) and "16=15/6x100%" in pdf.page_text(page)
        assert pdf.page_text(page).endswith(f"Halaman {pdf.labels[page]}")


@pytest.mark.parametrize(("code", "col13_k"), [
    ("5.03.01", "15"),  # Program Penunjang (the seed printed 1)
    ("5.03.02.2.01", "0,25"),  # Pengadaan, Pemberhentian … (printed 25)
    ("5.03.02.2.04.0007", "500"),  # Pembinaan Disiplin ASN (printed 0)
])  # fmt: skip
def test_an_appendix_row_prints_its_figures_in_column_order(pdf, code, col13_k):
    line = next(r for r in pdf.report.form.rows if r.code == code)
    expected = table_numbers(line)
    assert expected[14] == col13_k  # columns 6–12 are the first 14 figures, K then Rp
    first = next(i for i, page in enumerate(pdf.lines) if page[0] == ["LAMPIRAN"])
    rows = [row for page in pdf.lines[first:] for row in page]
    assert in_order(expected, line_with(rows, [code]))


def test_the_appendix_ends_with_the_forms_averages_and_predikat(pdf):
    first = next(i for i, page in enumerate(pdf.lines) if page[0] == ["LAMPIRAN"])
    rows = [row for page in pdf.lines[first:] for row in page]
    assert line_with(rows, ["Rata-rata", "capaian", "kinerja", "(%)"])[4:6] == ["19,55", "11,80"]
    assert line_with(rows, ["Predikat", "kinerja"])[2:6] == ["Sangat", "Rendah", "Sangat", "Rendah"]


def test_the_charts_are_figures_with_their_descriptions(pdf):
    for number, chart in enumerate(pdf.report.charts, start=1):
        assert f"Gambar 3.{number} {chart.title} {chart.description}" in pdf.text


def test_the_signed_report_prints_no_findings_no_rule_ids_and_no_hashes(pdf):
    """The findings belong on the Lembar Pemeriksaan; the hashes in the properties only."""
    assert len(pdf.report.findings) == 18  # known to the report's data, yet not printed
    for rule in RULE_TITLES:
        assert rule not in pdf.text
    for words in ("Pemeriksaan Konsistensi", "Temuan", "sha256", "(aturan", "program_mean",
                  "DESIGN", "Kesalahan", "……"):  # fmt: skip
        assert words not in pdf.text


def test_the_foreword_and_the_closing_are_signed_with_place_and_date(pdf):
    assert pdf.text.count("Sumenep, 16 April 2024 Kepala Badan Kepegawaian") == 2
    assert "belum memuat target kinerja per program" in pdf.text  # no rencana aksi targets


def test_the_metadata_hold_title_author_and_both_hashes(pdf):
    assert pdf.metadata["Title"] == "Laporan Capaian Kinerja Triwulan I Tahun 2024"
    assert pdf.metadata["Author"] == "Kinerja"
    assert pdf.metadata["Subject"] == PROVENANCE.describe()
    assert pdf.metadata["Keywords"] == (
        f"laporan capaian kinerja, data sha256:{PROVENANCE.data_hash}, "
        f"templat sha256:{PROVENANCE.template_hash}"
    )


def test_f4_paper_gives_f4_portrait_and_an_f4_landscape_appendix(f4):
    first = next(i for i, page in enumerate(f4.lines) if page[0] == ["LAMPIRAN"])
    assert all(size == pytest.approx(F4, abs=1) for size in f4.sizes[:first])
    assert all(size == pytest.approx(F4_LANDSCAPE, abs=1) for size in f4.sizes[first:])
    assert "19,55" in f4.text and "40,64" in f4.text


def test_an_acting_head_signs_as_plt_and_empty_parts_say_so(quarterly_report):
    signature = replace(quarterly_report.signature, acting="Plt", name="Nama Pejabat",
                        nip="19700101 199503 1 001", rank="Pembina Utama Muda")  # fmt: skip
    plan = ActionPlanLine("5.03.02.2.04.0007", "Pembinaan Disiplin ASN", "Laporan",
                          Decimal("400"), Decimal("500"), Decimal("125"), "Sangat Tinggi")  # fmt: skip
    report = replace(quarterly_report, signature=signature, action_plan=(plan,), findings=(),
                     recommendations=(), factors_by_program=(), charts=(),
                     supported_mission=None)  # fmt: skip
    pdf = render(report)
    assert pdf.text.count("Plt. Kepala Badan Kepegawaian") == 2
    assert "Nama Pejabat Pembina Utama Muda NIP. 19700101 199503 1 001" in pdf.text
    line_with(pdf.section("Tabel 3.3", "Tabel 3.4"), ["5.03.02.2.04.0007", "400", "500", "125,00"])
    assert "Belum ada faktor pendukung atau penghambat yang dicatat per program." in pdf.text
    assert "Tidak ada rekomendasi tindak lanjut" in pdf.text
    assert "Gambar 3." not in pdf.text
    assert "Tujuan, Sasaran dan Indikator RPJMD yang Diintervensi" in pdf.text  # misi "-"


def test_the_same_report_gives_the_same_bytes(pdf):
    assert pdf.content.startswith(b"%PDF-")
    renderer = renderer_for("laporan", "pdf")
    assert renderer.render(pdf.report, provenance=PROVENANCE) == pdf.content


def test_an_unknown_paper_is_refused_in_indonesian(quarterly_report):
    with pytest.raises(ValueError, match="ukuran kertas «letter» tidak dikenal"):
        LaporanPdf().render(quarterly_report, provenance=PROVENANCE, paper="letter")
