"""The evaluation form as Permendagri 86/2017 (and the seed's appendix) prints it: urusan and
bidang urusan rows above the programs, the four texts under the averages, K values with their
declared decimals, nothing overlapping on A4 or F4, and no findings, rule ids or hashes in its
visible text (they belong to the Lembar Pemeriksaan and the document properties)."""

import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest

from kinerja.reporting.build import (
    NO_URUSAN,
    UNNAMED_BIDANG,
    UNNAMED_URUSAN,
    build_form_report,
    form_headings,
)
from kinerja.reporting.data import FormHeading, FormLine, FormReport, KRp
from kinerja.reporting.renderers.xlsx_form import FIRST, form_rows, k_col

from .factories import form_report_from_file
from .test_pdf_form import render as render_pdf
from .test_pdf_form import row_line
from .test_xlsx_form import load
from .test_xlsx_form import render as render_xlsx

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
BOX = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
HEADINGS = [
    ("urusan", "5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", "5.03.01"),
    ("bidang_urusan", "5.03", "KEPEGAWAIAN", "5.03.01"),
    ("bidang_urusan", "5.04", "PENDIDIKAN DAN PELATIHAN", "5.04.02"),
]

# the seed's sasaran, printed in column 2 on the program rows (its longest word "Meningkatnya")
SASARAN = (
    "Meningkatnya Capaian Kinerja Perangkat Daerah",
    "Meningkatnya Kualitas Kinerja dan Kompetensi ASN di Lingkungan Pemerintah Kabupaten Sumenep",
    "Meningkatnya Kompetensi ASN",
)


@pytest.fixture(scope="module")
def seed() -> FormReport:
    return form_report_from_file()


@pytest.fixture(scope="module")
def pdfs(seed):
    return {paper: render_pdf(seed, paper) for paper in ("a4", "f4", "a3")}


def boxes(content: bytes) -> list[list[dict]]:
    """Per page, each word with its full box (pdftotext -bbox)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    return [
        [
            {
                "x0": float(a),
                "top": float(b),
                "x1": float(c),
                "bottom": float(d),
                "text": unescape(t),
            }
            for a, b, c, d, t in BOX.findall(body)
        ]
        for body in PAGE.findall(out)
    ]


def pdf_bytes(report: FormReport, paper: str) -> bytes:
    from kinerja.reporting.data import data_hash
    from kinerja.reporting.renderers import Provenance
    from kinerja.reporting.renderers.pdf_form import FormPdf

    renderer = FormPdf()
    provenance = Provenance(data_hash(report), renderer.template_hash())
    return renderer.render(report, provenance=provenance, paper=paper)


# ---- urusan and bidang urusan ----------------------------------------------------------------


def test_the_headings_are_the_seeds_urusan_and_bidang_urusan_above_their_programs(seed):
    codes = {line.id: line.code for line in seed.rows}
    assert [(h.level, h.code, h.name, codes[h.before]) for h in seed.headings] == HEADINGS
    printed = [r.code for r in seed.printed_rows() if isinstance(r, FormHeading)
               or r.level == "program"]  # fmt: skip
    assert printed == ["5", "5.03", "5.03.01", "5.03.02", "5.04", "5.04.02"]
    # the evaluation's rows are unchanged: the footer counts the three programs only
    assert seed.footer_k.row_ids == tuple(r.id for r in seed.rows if r.level == "program")


def _line(level: str, code: str, row_id: str) -> FormLine:
    empty = KRp()
    return FormLine(row_id, level, code, "Nama", "", "", "", "higher", "sum", empty, empty,
                    empty, (empty,) * 4, empty, empty, empty, empty, {})  # fmt: skip


def test_a_code_kinerja_cannot_name_prints_the_code_with_a_note_and_a_bad_code_says_so():
    rows = (
        _line("program", "9.01.01", "a"),
        _line("kegiatan", "9.01.01.2.01", "b"),
        _line("program", "9.01.02", "c"),  # same bidang: no new heading
        _line("program", "5.04.02", "d"),
        _line("program", "", "e"),  # no code: a heading says the urusan cannot be read
        _line("program", "5.04.03", "f"),
    )
    assert [(h.level, h.code, h.name, h.before) for h in form_headings(rows)] == [
        ("urusan", "9", UNNAMED_URUSAN, "a"),
        ("bidang_urusan", "9.01", UNNAMED_BIDANG, "a"),
        ("urusan", "5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", "d"),
        ("bidang_urusan", "5.04", "PENDIDIKAN DAN PELATIHAN", "d"),
        ("urusan", "", NO_URUSAN, "e"),
        ("urusan", "5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", "f"),
        ("bidang_urusan", "5.04", "PENDIDIKAN DAN PELATIHAN", "f"),
    ]


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_the_pdf_prints_each_heading_on_its_own_line_before_its_programs(pdfs, paper):
    text = "\n".join(pdfs[paper].texts)
    lines = text.splitlines()
    for _level, code, name, _program in HEADINGS:
        # the code and the name, nothing else: no number, no figures
        assert f"{code} {name}" in lines
    order = [text.index(s) for s in ("5 UNSUR PENUNJANG", "5.03 KEPEGAWAIAN", "5.03.01 ",
                                     "5.03.02 ", "5.04 PENDIDIKAN DAN PELATIHAN", "5.04.02 ")]  # fmt: skip
    assert order == sorted(order)


def test_the_xlsx_prints_the_headings_in_their_rows(seed):
    ws = load(render_xlsx(seed))["Formulir"]
    rows = form_rows(seed)
    by_code = {line.code: line.id for line in seed.rows}
    for _level, code, name, program in HEADINGS:
        found = [r for r in range(FIRST + 1, rows[by_code[program]] + 1)
                 if ws.cell(r, 3).value == code]  # fmt: skip
        assert len(found) == 1, code
        row = found[0]
        assert (ws.cell(row, 1).value, ws.cell(row, 4).value) == (None, name)
        assert ws.cell(row, 3).font.b and ws.cell(row, 4).font.b
        # no figures on a heading row
        assert [ws.cell(row, k_col(c) + 1).value for c in range(6, 17)] == [None] * 11
    # programs are numbered 1, 2, 3; the headings are not
    numbers = [ws.cell(rows[line.id] + 1, 1).value for line in seed.rows
               if line.level == "program"]  # fmt: skip
    assert numbers == [1, 2, 3]


# ---- the four texts --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_seeds_form_has_each_factor_once_and_follow_ups_split_by_kind():
    from kinerja.planning.models import Agency

    agency = Agency.objects.select_related("government").get(slug="bkpsdm-sumenep")
    report = build_form_report(agency, year=2024, quarter=1, signed_on=date(2024, 4, 16))
    # Tabel 3.4 states the same factor for two programs: the form's footer prints it once
    repeated = ("Adanya komitmen dari pimpinan dan kerjasama dari pegawai untuk mencapai target "
                "yang telah ditetapkan dan ketersediaan dana")  # fmt: skip
    assert report.supporting.count(repeated) == 1
    assert len(report.supporting) == len(set(report.supporting)) == 9
    assert report.inhibiting == ("Kebijakan Pengembangan kompetensi yang masih terbatas.",)
    # the seed enters no per-indicator follow-up; its Rekomendasi go to the next rencana kerja
    assert report.follow_up == ()
    assert [t[:30] for t in report.next_plan] == [
        "Percepatan Proses Pengadaan Ba", "Implementasi hasil kegiatan pe",
        "Koordinasi dan Komunikasi Inte",
    ]  # fmt: skip
    assert [h.code for h in report.headings] == ["5", "5.03", "5.04"]


# ---- declared decimals -----------------------------------------------------------------------


def with_decimals(seed: FormReport) -> FormReport:
    """The first program declared with two decimals: target 0,7, TW I 0,5 (its col 13)."""
    program = seed.rows[0]
    quarters = (KRp(k=D("0.5"), rp=program.quarters[0].rp), *program.quarters[1:])
    line = replace(program, year_target=replace(program.year_target, k=D("0.7")),
                   quarters=quarters, col13=replace(program.col13, k=D("0.5")),
                   decimals=2)  # fmt: skip
    return replace(seed, rows=(line, *seed.rows[1:]))


def test_the_pdf_prints_k_values_with_their_declared_decimals(seed):
    report = with_decimals(seed)
    words = row_line(render_pdf(report, "a4"), report.rows[0].code)
    assert "0,70" in words  # column 8, as the seed prints the Sistem Merit target
    assert words.count("0,50") == 2  # column 9 (entered) and column 13 (computed)
    assert "100,00" in words  # column 6's 100 with the row's two decimals
    # a row without a declaration prints as entered
    assert "0,25" in row_line(render_pdf(report, "a4"), "5.03.01.2.06")


def test_the_xlsx_formats_k_values_with_their_declared_decimals(seed):
    report = with_decimals(seed)
    ws = load(render_xlsx(report))["Formulir"]
    row = form_rows(report)[report.rows[0].id] + 1
    year_target, tw1, col13 = (ws.cell(row, k_col(c) + 1) for c in (8, 9, 13))
    assert (year_target.value, year_target.number_format) == (0.7, '#,##0.00" %"')
    assert (tw1.value, tw1.number_format) == (0.5, "#,##0.00")
    assert col13.number_format == "#,##0.00"


# ---- nothing overlapping, codes on one line ----------------------------------------------------


@pytest.mark.parametrize("paper", ["a4", "f4", "a3"])
def test_sasaran_words_end_left_of_the_kode_column_and_codes_stay_on_one_line(seed, paper):
    objectives = iter(SASARAN)
    seed = replace(seed, rows=tuple(
        replace(r, objective=next(objectives)) if r.level == "program" else r for r in seed.rows
    ))  # fmt: skip
    pages = boxes(pdf_bytes(seed, paper))
    codes = {r.code for r in seed.printed_rows()}
    objective_words = {w for r in seed.rows for w in r.objective.split()}
    assert objective_words
    checked = 0
    for words in pages:
        kode = [w["x0"] for w in words if w["text"] in codes and "." in w["text"]]
        if not kode:
            continue
        left = min(kode)  # the code column's text starts here (plus the cell's inset)
        # the table's body: from the first code down to the legend under the table
        top = min(w["top"] for w in words if w["text"] in codes and "." in w["text"]) - 1
        legend = [w["top"] for w in words if w["text"] == "PD:"]
        bottom = legend[0] if legend else float("inf")
        for w in words:
            if not top <= w["top"] < bottom:
                continue
            if w["text"] in objective_words and w["x0"] < left:
                checked += 1
                assert w["x1"] < left - 0.5, (paper, w["text"], w["x1"], left)
    assert checked >= len(objective_words) // 2
    # every code is one word: none wrapped onto a second line
    printed = {w["text"] for words in pages for w in words}
    assert codes - {""} <= printed


# ---- no findings, rule ids or hashes in the visible text ----------------------------------------


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_the_pdfs_visible_text_has_no_hash_rule_id_or_finding(pdfs, seed, paper):
    pdf = pdfs[paper]
    text = "\n".join(pdf.texts)
    assert "sha256" not in text and pdf.provenance.data_hash[:12] not in text
    assert "(aturan" not in text and "program_mean" not in text and "program_ratio" not in text
    assert "Temuan" not in text
    for finding in seed.findings:
        assert finding.rule not in text
    # the hashes stay in the document's properties
    assert f"data sha256:{pdf.provenance.data_hash}" in pdf.metadata["Keywords"]


def test_libreoffice_opens_the_xlsx_and_prints_the_headings_and_texts(seed, tmp_path):
    source = tmp_path / "formulir.xlsx"
    source.write_bytes(render_xlsx(seed, paper="a4"))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "formulir.pdf"), "-"],
        capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    for expected in ("UNSUR PENUNJANG URUSAN PEMERINTAHAN", "KEPEGAWAIAN",
                     "PENDIDIKAN DAN PELATIHAN",
                     "Tindak lanjut yang diperlukan dalam rencana kerja berikutnya:"):  # fmt: skip
        assert expected in text
    assert "sha256" not in text and "Temuan" not in text
