"""Names a user typed never become live formulas or Word fields in an export: CSV text cells
that a spreadsheet would read as a formula start with an apostrophe (OWASP), XLSX writes them
as strings, DOCX as escaped text. Numbers stay numbers."""

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from kinerja.cli import main
from kinerja.reporting.data import data_hash
from kinerja.reporting.renderers import Provenance, renderer_for

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-tw1-2024.json"
PAYLOADS = [
    '=HYPERLINK("http://x","klik")',
    "=1+1",
    "+1",
    "-1+2",
    "@SUM(A1)",
    "\tx",
    "\rx",
]
FIELD = '<w:fldSimple w:instr="HYPERLINK http://x"/>'


@pytest.fixture
def form_file(tmp_path) -> Path:
    """The seed form with the first rows named by the payloads and a negative K in row 1."""
    form = json.loads(SEED.read_text(encoding="utf-8"))
    for row, name in zip(form["rows"], PAYLOADS, strict=False):
        row["name"] = name
    form["rows"][0]["unit"] = "=1+1"
    form["rows"][1]["quarters"][0]["k"] = "-5"
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    return path


def test_csv_text_cells_that_look_like_formulas_start_with_an_apostrophe(capsys, form_file):
    assert main(["evaluate", str(form_file), "--csv"]) == 0
    text = capsys.readouterr().out.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    name, unit, k13 = header.index("nama"), header.index("satuan"), header.index("13 K")
    assert [r[name] for r in body[: len(PAYLOADS)]] == ["'" + p for p in PAYLOADS]
    assert body[0][unit] == "'=1+1"
    assert body[1][k13] == "-5"  # a number is not text: no apostrophe
    assert body[len(PAYLOADS)][name][0] not in "'=+-@"  # an ordinary name is left alone
    assert all(not cell.startswith(("=", "+", "@")) for r in body for cell in r)


def _xlsx_cells(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))  # formulas as formulas
    return [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]


def _assert_strings(cells, texts) -> None:
    for text in texts:
        # a carriage return stays text as well (openpyxl reads it back as XML's _x000D_)
        text = text.replace("\r", "_x000D_")
        found = [c for c in cells if c.value == text]
        assert found, text
        assert {c.data_type for c in found} == {"s"}, text


def test_xlsx_form_writes_formula_like_names_as_strings(form_file):
    from kinerja.core import evaluate_form
    from kinerja.formfile import load_form
    from kinerja.reporting.renderers.xlsx_form import FormXlsx

    from .reporting.factories import form_report_from_file

    data = form_report_from_file(form_file)
    content = FormXlsx().render(data, provenance=Provenance(data_hash(data), "t"))
    cells = _xlsx_cells(content)
    _assert_strings(cells, PAYLOADS)
    # the sheet's own formulas (columns 13-16, the footer) are still formulas, and the
    # negative K is still a number
    assert any(c.data_type == "f" for c in cells)
    assert evaluate_form(load_form(str(form_file))).rows[1].col13_k == -5
    assert [c.value for c in cells if c.data_type == "n" and c.value == -5] == [-5]


@pytest.fixture
def renamed(agency):
    """The seed agency's first programs and sub kegiatan named by the payloads, one by a
    Word field, and the agency itself by both (rolled back after the test)."""
    from kinerja.planning.models import WorkItem

    agency.name = FIELD + PAYLOADS[0]
    agency.save(update_fields=["name"])

    items = list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))
    for item, name in zip(items, [*PAYLOADS, FIELD], strict=False):
        item.name = name
        item.save(update_fields=["name"])
    return agency


def _report(document: str, agency):
    from kinerja.reporting.generate import build_report

    return build_report(document, agency, year=2024, quarter=2, signed_on=date(2024, 7, 16))


def _render(document: str, fmt: str, report) -> bytes:
    renderer = renderer_for(document, fmt)
    return renderer.render(report, provenance=Provenance(data_hash(report), "t"))


@pytest.mark.django_db
@pytest.mark.parametrize("document", ["laporan", "form"])
def test_xlsx_reports_write_formula_like_names_as_strings(renamed, document):
    cells = _xlsx_cells(_render(document, "xlsx", _report(document, renamed)))
    _assert_strings(cells, PAYLOADS)
    assert not [c for c in cells if c.data_type == "f" and "HYPERLINK" in str(c.value)]


def _document_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return z.read("word/document.xml").decode()


@pytest.mark.django_db
@pytest.mark.parametrize("document", ["laporan", "pk"])
def test_docx_writes_names_as_escaped_text_never_as_fields(renamed, document):
    xml = _document_xml(_render(document, "docx", _report(document, renamed)))
    # the template's own fields (the table of contents, page numbers) and nothing else
    instructions = re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>", xml)
    instructions += re.findall(r'<w:fldSimple [^>]*w:instr="([^"]*)"', xml)
    assert not [i for i in instructions if "HYPERLINK" in i or "http://x" in i]
    assert "<w:hyperlink" not in xml
    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    escaped = '&lt;w:fldSimple w:instr="HYPERLINK http://x"/&gt;=HYPERLINK("http://x","klik")'
    assert escaped.casefold() in text.replace("&quot;", '"').casefold()  # the PK shouts it
