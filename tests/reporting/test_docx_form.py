"""The form appended to a Word document (docx_form.append_form): a landscape section with the
header rows repeated, the urusan rows, every row's codes on one line, the averages and the four
texts, the signature; no findings, rule ids or hashes. Read back with python-docx and, as
LibreOffice prints it, with pdftotext."""

import io
import re
import shutil
import subprocess
from dataclasses import replace
from html import unescape

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from kinerja.reporting.renderers.docx_form import append_form

from .factories import form_report_from_file
from .test_form_permendagri import SASARAN

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>')


@pytest.fixture(scope="module")
def report():
    seed = form_report_from_file()
    objectives = iter(SASARAN)
    rows = tuple(replace(r, objective=next(objectives)) if r.level == "program" else r
                 for r in seed.rows)  # fmt: skip
    return replace(seed, rows=rows)


def appended(report, paper: str) -> docx.document.Document:
    document = docx.Document()
    document.add_paragraph("Isi laporan sebelum lampiran.")
    append_form(document, report, paper=paper)
    out = io.BytesIO()
    document.save(out)
    return docx.Document(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize(("paper", "size"), [("a4", (297, 210)), ("f4", (330, 215))])
def test_the_form_is_a_new_landscape_section_on_the_paper(report, paper, size):
    document = appended(report, paper)
    section = document.sections[-1]
    assert len(document.sections) == 2
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == size
    assert document.paragraphs[0].text == "Isi laporan sebelum lampiran."


def test_the_table_has_repeated_header_rows_urusan_rows_and_every_line(report):
    table = appended(report, "a4").tables[0]
    repeated = [r for r in table.rows if r._tr.trPr is not None
                and r._tr.trPr.find(qn("w:tblHeader")) is not None]  # fmt: skip
    assert len(repeated) == 4
    body = table.rows[4:]
    assert len(body) == len(report.printed_rows()) == len(report.rows) + 3
    codes = [row.cells[2].text for row in body]
    assert codes == [line.code for line in report.printed_rows()]
    heading = body[0]
    assert (heading.cells[0].text, heading.cells[2].text, heading.cells[3].text) == (
        "", "5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN")  # fmt: skip
    assert heading.cells[3].text == heading.cells[27].text  # one cell across the row
    numbers = [row.cells[0].text for row in body if row.cells[0].text]
    assert numbers == ["1", "2", "3"]


def test_the_summary_has_the_averages_the_rule_in_words_and_the_four_texts(report):
    document = appended(report, "a4")
    summary = document.tables[1]
    labels = [row.cells[0].text for row in summary.rows]
    assert labels == [
        "", "Rata-rata capaian kinerja (%)", "Predikat kinerja",
        "Faktor pendorong keberhasilan kinerja:", "Faktor penghambat pencapaian kinerja:",
        "Tindak lanjut yang diperlukan dalam triwulan berikutnya:",
        "Tindak lanjut yang diperlukan dalam rencana kerja berikutnya:",
    ]  # fmt: skip
    assert [summary.rows[1].cells[c].text for c in (1, 2)] == ["19,55", "11,80"]
    assert summary.rows[-1].cells[1].text == "-"
    text = "\n".join(p.text for p in document.paragraphs) + "\n".join(
        c.text for t in document.tables for r in t.rows for c in r.cells
    )
    assert "K: rata-rata kolom 14 baris program" in text
    assert "Sumenep, 16 April 2024" in text and "NIP. 19700101 199503 1 001" in text
    assert "sha256" not in text and "(aturan" not in text and "program_mean" not in text
    for finding in report.findings:
        assert finding.rule not in text and finding.message not in text


@pytest.mark.parametrize("paper", ["a4", "f4"])
def test_libreoffice_prints_every_code_on_one_line_and_sasaran_left_of_kode(report, paper,
                                                                             tmp_path):  # fmt: skip
    source = tmp_path / "lampiran.docx"
    appended(report, paper).save(source)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    out = subprocess.run(["pdftotext", "-bbox", str(tmp_path / "lampiran.pdf"), "-"],
                         capture_output=True, check=True).stdout.decode()  # fmt: skip
    words = [(float(a), float(b), unescape(t)) for a, b, t in WORD.findall(out)]
    printed = {t for _, _, t in words}
    codes = {line.code for line in report.printed_rows()}
    assert codes <= printed  # each code one word: none wrapped
    kode = min(x0 for x0, _, t in words if t in codes and "." in t)
    objective_words = {w for s in SASARAN for w in s.split()}
    inside = [(x1, t) for x0, x1, t in words if t in objective_words and x0 < kode]
    assert inside and [t for x1, t in inside if x1 >= kode] == []
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "lampiran.pdf"), "-"],
                          capture_output=True, check=True).stdout.decode()  # fmt: skip
    assert "UNSUR PENUNJANG URUSAN PEMERINTAHAN" in text and "KEPEGAWAIAN" in text
    assert "Tindak lanjut yang diperlukan dalam rencana kerja berikutnya:" in text


def test_an_unknown_paper_is_refused_in_indonesian(report):
    with pytest.raises(ValueError, match="ukuran kertas «letter» tidak dikenal"):
        append_form(docx.Document(), report, paper="letter")
