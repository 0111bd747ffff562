"""Hand-made variants of a layout-A form, each with its expected findings: numbers stored as
text (Indonesian and English), error values, float noise, several indicators in one row and on
a continuation row, rows without codes (levels by indentation), a hidden row, formulas never
calculated."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

from kinerja.audit import audit_workbook
from kinerja.audit.cells import Kind, read_cell

from .forms import _header_a

# sheet column (1-based) of each pair's K in layout A; Rp is the next one
K = {"c6": 6, "c7": 8, "c8": 10, "q1": 12, "q2": 14, "q3": 16, "q4": 18, "c13": 20, "c14": 22,
     "c15": 24, "c16": 26}  # fmt: skip


def build(path: Path, rows: list[dict[str, Any]], *, title: str = "Triwulan I Tahun 2024") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Formulir"
    _header_a(ws, title)
    for i, row in enumerate(rows, start=9):
        for key, value in row.items():
            if key in ("code", "name", "indicator"):
                ws.cell(i, {"code": 3, "name": 4, "indicator": 5}[key], value)
            elif key == "indent":
                ws.cell(i, 4).alignment = Alignment(indent=value)
            elif key == "hidden":
                ws.row_dimensions[i].hidden = value
            else:
                meaning, part = key.split(".")
                ws.cell(i, K[meaning] + (part == "rp"), value)
    wb.save(path)
    return path


def program(**extra: Any) -> dict[str, Any]:
    return {"code": "1.01.02", "name": "PROGRAM X", "indicator": "Jumlah dokumen",
            "c8.k": 10, "c8.rp": 1_000_000, "q1.k": 5, "q1.rp": 500_000, **extra}  # fmt: skip


def rules(audit) -> list[tuple[str, str | None]]:
    return [(f.rule, f.cell) for f in audit.findings]


def test_numbers_stored_as_text_are_read_in_either_format(tmp_path):
    path = build(tmp_path / "f.xlsx", [program(**{"c8.rp": "1.000.000", "q1.rp": "500,000",
                                                  "c13.k": "5", "c13.rp": 500000.00000000006})])  # fmt: skip
    audit = audit_workbook(str(path))
    assert rules(audit) == [("number-as-text", "K9"), ("number-as-text", "M9"),
                            ("number-as-text", "T9")]  # fmt: skip
    assert "format Inggris" in audit.findings[1].message
    assert audit.evaluation.rows[0].col14_rp == D(50)  # both amounts read as numbers


def test_error_values_are_findings_and_read_as_blank(tmp_path):
    row = program(**{"c8.k": 0, "c14.k": "#DIV/0!", "c14.rp": 50})
    audit = audit_workbook(str(build(tmp_path / "f.xlsx", [row])))
    assert rules(audit) == [("error-value", "V9"), ("target-zero", "J9")]
    assert audit.findings[0].message.startswith("kolom 14 K berisi #DIV/0!")


def test_a_continuation_row_is_a_second_indicator_of_the_item_above(tmp_path):
    second = {"indicator": "Indeks kepuasan", "c8.k": 4, "q1.k": 2, "c14.k": 60}
    audit = audit_workbook(str(build(tmp_path / "f.xlsx", [program(), second])))
    assert audit.rows == 2
    assert [r.col14_k for r in audit.evaluation.rows] == [D(50), D(50)]
    assert rules(audit) == [("printed-value-differs", "V10")]  # 60 printed, 2/4 = 50


def test_several_indicators_in_one_row_split_by_lines(tmp_path):
    row = program(**{"indicator": "Jumlah dokumen\nJumlah laporan", "c8.k": "10\n4",
                     "q1.k": "5\n1", "c14.k": "50\n25"})  # fmt: skip
    audit = audit_workbook(str(build(tmp_path / "f.xlsx", [row])))
    assert [(r.row.indicator, r.col14_k) for r in audit.evaluation.rows] == [
        ("Jumlah dokumen", D(50)), ("Jumlah laporan", D(25))]  # fmt: skip
    assert audit.evaluation.rows[1].col13_rp is None  # the Rp is the item's, on its first line
    assert audit.findings == ()


def test_rows_without_codes_take_their_level_from_indentation(tmp_path):
    rows = [
        {"name": "Program Pelayanan Umum", "c8.rp": 300, "q1.rp": 30},
        {"name": "Kegiatan A", "indent": 1, "c8.rp": 300, "q1.rp": 30},
        {"name": "Sub kegiatan A1", "indent": 2, "c8.rp": 100, "q1.rp": 10},
        {"name": "Sub kegiatan A2", "indent": 2, "c8.rp": 100, "q1.rp": 10, "hidden": True},
    ]
    audit = audit_workbook(str(build(tmp_path / "f.xlsx", rows)))
    assert [r.row.level.value for r in audit.evaluation.rows] == [
        "program", "kegiatan", "sub_kegiatan", "sub_kegiatan"]  # fmt: skip
    assert rules(audit) == [("parent-not-sum-of-children", "D10")]  # 300 ≠ 100 + 100 (hidden)
    assert "kolom 8 Rp 300 ≠ Σ 200" in audit.findings[0].message


def test_a_formula_never_calculated_is_said_once(tmp_path):
    audit = audit_workbook(str(build(tmp_path / "f.xlsx", [program(**{"c13.k": "=L9+N9+P9+R9"})])))
    assert rules(audit) == [("formula-without-value", None)]
    assert audit.findings[0].message.startswith("1 sel berumus tanpa nilai tersimpan")


def test_the_quarter_comes_from_the_title(tmp_path):
    path = build(tmp_path / "f.xlsx", [program(**{"q3.k": 2})], title="TRIWULAN III TAHUN 2024")
    assert audit_workbook(str(path)).quarter == 3


def test_percent_format_and_shown_decimals():
    assert read_cell(0.9169, "0.00%") == read_cell(0.9169, "0.00%")
    got = read_cell(0.91689, "0.00%")
    assert (got.kind, got.value, got.places, got.unit) == (Kind.NUMBER, D("91.69"), 2, "%")
    noise = read_cell(177868882.99999998, "#,##0")
    assert (noise.value, noise.places) == (D(177868883), 0)
    assert read_cell("0.46 %").value == D("0.46") and read_cell("0.46 %").english
    assert read_cell("55 Dokumen").unit == "Dokumen"
    assert read_cell("#REF!").kind is Kind.ERROR
    assert read_cell(" - ").kind is Kind.EMPTY
