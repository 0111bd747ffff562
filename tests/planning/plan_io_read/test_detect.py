"""read_plan tells Kinerja's template from a layout-C list by the template's header texts,
not by the sheet's name, and warns about formulas in either."""

from __future__ import annotations

import io

import openpyxl

from kinerja.planning.plan_io.read import read_plan
from kinerja.planning.plan_io.template import write_template

from .files import realistic, save, simple


def test_template_written_from_a_layout_c_plan_reads_back_as_template():
    plan = read_plan(realistic(), file_name="renja.xlsx")
    data = write_template(plan, agency_name="BKPSDM", year=2025)
    again = read_plan(data, file_name="templat.xlsx")
    assert again.kind == "template"
    assert [(i.level, i.code, i.name, i.budget, i.target_k) for i in again.walk()] == [
        (i.level, i.code, i.name, i.budget, i.target_k) for i in plan.walk()
    ]


def test_layout_c_sheet_named_renja_is_not_the_template():
    plan = read_plan(save(simple(sheet="Renja")), file_name="renja.xlsx")
    assert plan.kind == "layout_c" and len(list(plan.walk())) == 4


def test_formula_in_the_template_is_a_warning_naming_the_cell():
    data = write_template(read_plan(realistic(), file_name="r.xlsx"), agency_name="X", year=2025)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb["Renja"]
    target = None
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == 2_450_000_000:
                target = cell
    assert target is not None
    target.value = "=2450000000"
    plan = read_plan(save(wb), file_name="templat.xlsx")
    assert plan.kind == "template"
    warning = next(i for i in plan.issues if "rumus" in i.message)
    assert (warning.source.sheet, warning.source.row, warning.source.column) == (
        "Renja",
        target.row,
        target.column_letter,
    )
