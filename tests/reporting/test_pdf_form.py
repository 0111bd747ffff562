"""The evaluation form as PDF (Typst): content, page layout, unbroken numbers, provenance.

No database: the reports come from the form files (tests/reporting/factories.py). Each PDF
is compiled once per module and read back with poppler (words) and pdfplumber (metadata).
"""

import io
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from html import unescape

import pdfplumber
import pytest

from kinerja.core.numbers import format_number, round_half_up, strip_zeros
from kinerja.reporting.data import FormLine, FormReport, Signature, data_hash
from kinerja.reporting.renderers import Provenance, renderer_for
from kinerja.reporting.renderers.pdf_form import FormPdf

from .factories import TW3_FILE, form_report_from_file

PAGE_SIZES = {"a3": (1190.55, 841.89), "f4": (935.43, 609.45), "a4": (841.89, 595.28)}
NUMBER = re.compile(r"^-?\d[\d.,–]*$")
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>'
)


@dataclass(frozen=True)
class Pdf:
    report: FormReport
    provenance: Provenance
    metadata: dict
    sizes: list[tuple[float, float]]
    texts: list[str]
    words: list[list[dict]]  # per page: text, x0, top, bottom


def render(report: FormReport, paper: str = "a3") -> Pdf:
    renderer = FormPdf()
    provenance = Provenance(data_hash(report), renderer.template_hash())
    content = renderer.render(report, provenance=provenance, paper=paper)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        metadata = dict(pdf.metadata)
    sizes, words = read_words(content)
    return Pdf(report, provenance, metadata, sizes, list(map(lines, words)), words)


def read_words(content: bytes) -> tuple[list[tuple[float, float]], list[list[dict]]]:
    """Page sizes and words with their boxes, per page, from poppler's ``pdftotext -bbox``
    (about 20× faster than pdfminer on these dense pages)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    sizes, pages = [], []
    for width, height, body in PAGE.findall(out):
        sizes.append((float(width), float(height)))
        pages.append([
            {"x0": float(x0), "top": float(top), "bottom": float(bottom), "text": unescape(text)}
            for x0, top, bottom, text in WORD.findall(body)
        ])  # fmt: skip
    return sizes, pages


def lines(words: list[dict]) -> str:
    """A page's text, one line per baseline, words left to right."""
    rows: dict[int, list[dict]] = {}
    for w in words:
        rows.setdefault(round(w["bottom"]), []).append(w)
    return "\n".join(
        " ".join(w["text"] for w in sorted(row, key=lambda w: w["x0"]))
        for _, row in sorted(rows.items())
    )


@pytest.fixture(scope="module")
def seed() -> dict[str, Pdf]:
    report = form_report_from_file()
    return {paper: render(report, paper) for paper in PAGE_SIZES}


@pytest.fixture(scope="module")
def tw3() -> Pdf:
    return render(form_report_from_file(TW3_FILE))


def k(value):
    """A computed K figure (columns 13, 15): its own decimals, at most two."""
    return format_number(None if value is None else strip_zeros(round_half_up(value, 2)))


def figures(line: FormLine) -> list[str]:
    """Columns 13–16, K then Rp, as the form must print them."""
    return [
        k(line.col13.k), format_number(line.col13.rp),
        format_number(line.col14.k, 2), format_number(line.col14.rp, 2),
        k(line.col15.k), format_number(line.col15.rp),
        format_number(line.col16.k, 2), format_number(line.col16.rp, 2),
    ]  # fmt: skip


def table_numbers(line: FormLine) -> list[str]:
    """Every figure of the row, columns 6–16 (K without its unit, which may wrap)."""
    entered = []
    for pair in (line.renstra_target, line.renstra_realised_before, line.year_target,
                 *line.quarters):  # fmt: skip
        kk = format_number(pair.k)
        if pair.k is not None and pair.k_upper is not None:
            kk += f"–{format_number(pair.k_upper)}"
        entered += [kk, format_number(pair.rp)]
    return entered + figures(line)


def row_line(pdf: Pdf, code: str) -> list[str]:
    """The words on the first line of the table row with ``code``, left to right."""
    for words in pdf.words:
        found = [w for w in words if w["text"] == code]
        if found:
            top = found[0]["top"]
            line = [w for w in words if abs(w["top"] - top) < 1.5]
            return [w["text"] for w in sorted(line, key=lambda w: w["x0"])]
    raise AssertionError(f"row {code} not found")


def in_order(expected: list[str], words: list[str]) -> bool:
    rest = iter(words)
    return all(any(w == e for w in rest) for e in expected)


def table_words(pdf: Pdf) -> list[str]:
    """The words of the big table: every page up to the legend line under the table."""
    out = []
    for words in pdf.words:
        legend = [w["top"] for w in words if w["text"] == "PD:"]
        out += [w["text"] for w in words if not legend or w["top"] < legend[0]]
        if legend:
            return out
    raise AssertionError("legend under the table not found")


def test_every_row_prints_its_columns_13_to_16_and_the_footer(seed):
    pdf = seed["a3"]
    words = Counter(w["text"] for page in pdf.words for w in page)
    for line in pdf.report.rows:
        for figure in figures(line):
            assert words[figure] > 0, (line.code, figure)
    text = "\n".join(pdf.texts)
    assert "19,55" in words and "11,80" in words
    assert text.count("Sangat Rendah") == 2
    # the rule in words, its id only in the data
    assert "K: rata-rata kolom 14 baris program" in text
    assert "program_mean" not in text and "(aturan" not in text


@pytest.mark.parametrize("code", ["5.03.01", "5.03.01.2.02", "5.03.01.2.06", "5.04.02.2.02"])
def test_a_row_prints_its_figures_on_its_line_in_column_order(seed, code):
    pdf = seed["a3"]
    line = next(r for r in pdf.report.rows if r.code == code)
    assert in_order(table_numbers(line), row_line(pdf, code))


def test_the_tw3_fixture_prints_its_figures_in_column_order(tw3):
    words = {w["text"] for page in tw3.words for w in page}
    for line in tw3.report.rows:
        assert set(figures(line)) <= words, line.code
        assert in_order(table_numbers(line), row_line(tw3, line.code)), line.code
    assert {"102,50", "73,36"} <= words
    assert "Sangat Tinggi" in "\n".join(tw3.texts)


@pytest.mark.parametrize("paper", list(PAGE_SIZES))
def test_every_page_of_the_table_repeats_its_header_and_says_halaman_x_dari_y(seed, paper):
    pdf = seed[paper]
    pages = len(pdf.texts)
    table_pages = next(i for i, t in enumerate(pdf.texts, start=1) if "PD: Perangkat Daerah" in t)
    assert table_pages >= 2
    for number, text in enumerate(pdf.texts, start=1):
        if number <= table_pages:
            assert "13=9+10+11+12" in text and "16=15/6x100%" in text
        assert f"Halaman {number} dari {pages}" in text


@pytest.mark.parametrize("paper", list(PAGE_SIZES))
def test_pages_are_landscape_in_the_chosen_paper(seed, paper):
    width, height = PAGE_SIZES[paper]
    for w, h in seed[paper].sizes:
        assert w == pytest.approx(width, abs=1) and h == pytest.approx(height, abs=1)


@pytest.mark.parametrize("paper", list(PAGE_SIZES))
def test_no_number_of_the_table_wraps(seed, paper):
    pdf = seed[paper]
    expected = Counter(n for line in pdf.report.rows for n in table_numbers(line))
    printed = table_words(pdf)
    counts = Counter(printed)
    assert {n: c for n, c in expected.items() if counts[n] < c} == {}
    # and nothing in the table looks like a piece of a number
    header = {str(n) for n in range(1, 18)} | {"13=9+10+11+12", "14=13/8x100%", "15=7+13"}
    header.add(str(pdf.report.year))  # "Renja PD s.d. TW I 2024"
    codes = {line.code for line in pdf.report.printed_rows()}  # urusan "5", bidang "5.03"
    pieces = {w for w in printed if NUMBER.match(w)} - set(expected) - header - codes
    assert pieces == set()


def test_the_metadata_hold_title_author_and_both_hashes(seed):
    pdf = seed["a3"]
    meta = pdf.metadata
    assert meta["Title"] == pdf.report.title
    assert meta["Author"] == "Kinerja"
    assert meta["Subject"] == pdf.provenance.describe()
    assert f"data sha256:{pdf.provenance.data_hash}" in meta["Keywords"]
    assert f"templat sha256:{pdf.provenance.template_hash}" in meta["Keywords"]


def test_the_last_page_has_the_four_texts_and_the_signature_and_no_findings(seed):
    pdf = seed["a3"]
    last = pdf.texts[-1]
    for expected in (
        "Faktor pendorong keberhasilan kinerja: Komitmen pimpinan dan kerja sama pegawai.",
        "Faktor penghambat pencapaian kinerja: Kebijakan pengembangan kompetensi yang masih",
        "Tindak lanjut yang diperlukan dalam triwulan berikutnya: Percepatan proses pengadaan",
        "Tindak lanjut yang diperlukan dalam rencana kerja berikutnya: -",
        "Sumenep, 16 April 2024", "Nama Kepala Badan", "NIP. 19700101 199503 1 001",
    ):  # fmt: skip
        assert expected in last
    text = "\n".join(pdf.texts)
    assert pdf.report.findings  # the seed's 7 findings belong to the Lembar Pemeriksaan
    for finding in pdf.report.findings:
        assert finding.rule not in text and finding.label not in text
    assert "Temuan" not in text and "Plt." not in text


def test_an_acting_head_signs_as_plt():
    report = form_report_from_file()
    signature = Signature("Sumenep", date(2024, 7, 1), "Kepala Badan", "A", "1", acting="Plt")
    pdf = render(replace(report, signature=signature))
    text = "\n".join(pdf.texts)
    assert "Plt. Kepala Badan" in text
    assert "Sumenep, 1 Juli 2024" in text


def test_the_same_report_gives_the_same_bytes():
    report = form_report_from_file(TW3_FILE)
    renderer = renderer_for("form", "pdf")
    provenance = Provenance(data_hash(report), renderer.template_hash())
    first = renderer.render(report, provenance=provenance)
    assert first.startswith(b"%PDF-")
    assert renderer.render(report, provenance=provenance) == first


def test_an_unknown_paper_is_refused_in_indonesian():
    report = form_report_from_file(TW3_FILE)
    with pytest.raises(ValueError, match="ukuran kertas «letter» tidak dikenal"):
        FormPdf().render(report, provenance=Provenance("d", "t"), paper="letter")
