"""Targets with decimals in a Renja list (layout C): «0,70 Indeks» is K 0,70 with its unit
and the item keeps the two decimals it is written with (the form prints 0,70, not 0,7); an
Indonesian thousand-separated figure stays an integer; an English-format one is a warning
naming its row and cell, never a guess."""

from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.core.numbers import format_declared
from kinerja.planning.plan_io.apply import apply_changes, plan_changes
from kinerja.planning.plan_io.read import read_plan

from ..plan_io_read.files import header, put, title

pytestmark = pytest.mark.django_db


def _renja(tmp_path, agency, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Renja 2026"
    title(ws, agency=agency.name.upper(), year=2026)
    header(ws, year=2026)
    for r, (code, name, cells) in enumerate(rows, start=8):
        put(ws, r, code, name, **cells)
    path = tmp_path / "renja-2026.xlsx"
    wb.save(path)
    return path


ROWS = [
    ("5.03.01", "PROGRAM INDEKS", {"H": "Indeks Profesionalitas ASN", "I": "0,75 Indeks",
                                   "J": "0,65 Indeks", "M": "0,70 Indeks",
                                   "O": "1.905.955.200,00"}),
    ("5.03.01.2.01", "Kegiatan persen", {"H": "Persentase ASN", "I": "90,5 %", "M": "89,95 %",
                                         "O": "1.905.955.200"}),
    ("5.03.01.2.01.0001", "Sub kegiatan jumlah", {"H": "Jumlah ASN", "M": "1.905.955.200 Orang",
                                                  "O": "1.905.955.200"}),
    ("5.03.01.2.01.0002", "Sub kegiatan format Inggris", {"H": "Jumlah", "M": "1,905,955,200 Orang",
                                                          "O": "1,905,955,200"}),
]  # fmt: skip


def test_targets_with_decimals_are_read_and_imported_with_their_decimals(tmp_path, new_agency):
    from kinerja.planning.models import WorkItem

    path = _renja(tmp_path, new_agency, ROWS)
    plan = read_plan(path.read_bytes(), file_name=path.name)
    read = {i.code: (i.target_k, i.unit, i.decimals, i.budget) for i in plan.walk()}
    assert read == {
        "5.03.01": (D("0.70"), "Indeks", 2, D(1_905_955_200)),
        "5.03.01.2.01": (D("89.95"), "%", 2, D(1_905_955_200)),
        "5.03.01.2.01.0001": (D(1_905_955_200), "Orang", 0, D(1_905_955_200)),
        "5.03.01.2.01.0002": (None, "", None, None),
    }
    program = plan.items[0]
    assert (program.renstra_target_k, program.renstra_realised_k) == (D("0.75"), D("0.65"))
    # «1,905,955,200» (English format) is never guessed: a warning for each cell, row 11
    assert [(i.source.row, i.source.column) for i in plan.issues] == [(11, "M"), (11, "O")]
    assert all("1,905,955,200" in i.message and "format angka Inggris" in i.message
               for i in plan.issues)  # fmt: skip
    assert "sel M11" in plan.issues[0].message and "sel O11" in plan.issues[1].message

    changes = plan_changes(plan, new_agency, 2026)
    assert changes.counts()["created"] == 4
    apply_changes(changes, None, path.name)
    stored = {
        w.code: (w.target_k, w.unit, w.decimals)
        for w in WorkItem.objects.filter(agency=new_agency, year=2026)
    }
    assert stored == {
        "5.03.01": (D("0.70"), "Indeks", 2),
        "5.03.01.2.01": (D("89.95"), "%", 2),
        # written without decimals: none declared («as entered»)
        "5.03.01.2.01.0001": (D(1_905_955_200), "Orang", None),
        "5.03.01.2.01.0002": (None, "", None),
    }
    shown = WorkItem.objects.get(agency=new_agency, year=2026, code="5.03.01")
    assert format_declared(shown.target_k, shown.decimals) == "0,70"

    # the same list again changes nothing
    again = plan_changes(read_plan(path.read_bytes(), file_name=path.name), new_agency, 2026)
    assert (again.counts()["created"], again.counts()["changed"]) == (0, 0)


def test_a_target_without_decimals_leaves_the_stored_decimals(tmp_path, new_agency):
    from kinerja.planning.models import WorkItem

    first = _renja(tmp_path, new_agency, ROWS[:2])
    apply_changes(
        plan_changes(read_plan(first.read_bytes(), file_name=first.name), new_agency, 2026),
        None, first.name,
    )  # fmt: skip
    # the program now written «1 Indeks», the kegiatan «89,9 %»: the first says nothing of
    # decimals (2 stay), the second says one
    rows = [
        (ROWS[0][0], ROWS[0][1], {**ROWS[0][2], "M": "1 Indeks"}),
        (ROWS[1][0], ROWS[1][1], {**ROWS[1][2], "M": "89,9 %"}),
    ]
    second = _renja(tmp_path, new_agency, rows)
    changes = plan_changes(read_plan(second.read_bytes(), file_name=second.name), new_agency, 2026)
    fields = {c.label.split()[0]: sorted(f.field for f in c.fields) for c in changes.changed}
    assert set(fields) == {"5.03.01", "5.03.01.2.01"}
    assert len(fields["5.03.01"]) == 1  # the target only
    assert len(fields["5.03.01.2.01"]) == 2  # the target and its decimals
    apply_changes(changes, None, second.name)
    stored = {
        w.code: (w.target_k, w.decimals)
        for w in WorkItem.objects.filter(agency=new_agency, year=2026)
    }
    assert stored == {"5.03.01": (D(1), 2), "5.03.01.2.01": (D("89.9"), 1)}


def test_a_date_in_a_cell_is_shown_the_indonesian_way_in_warnings(tmp_path, new_agency):
    from datetime import date, datetime

    from kinerja.planning.plan_io.apply import _show

    # a spreadsheet's date and time are naive
    midnight, morning = datetime(2025, 1, 31), datetime(2025, 2, 3, 10, 30)  # noqa: DTZ001
    rows = [
        ("5.03.01", "PROGRAM TANGGAL", {"M": midnight, "O": date(2025, 1, 31)}),
        ("5.03.01.2.01", "Kegiatan jam", {"O": morning}),
    ]
    path = _renja(tmp_path, new_agency, rows)
    plan = read_plan(path.read_bytes(), file_name=path.name)
    shown = [(i.source.row, i.source.column, i.message, i.value) for i in plan.issues]
    assert [(row, column) for row, column, _m, _v in shown] == [(8, "M"), (8, "O"), (9, "O")]
    for _row, _column, message, value in shown[:2]:
        assert "(31 Januari 2025)" in message and value == "31 Januari 2025"
    assert "(3 Februari 2025 10.30)" in shown[2][2]
    assert not any("2025-0" in (m + (v or "")) for _r, _c, m, v in shown)
    # the dry run's changed fields show a date the same way (a pagu perubahan's date)
    assert _show(date(2024, 9, 30)) == "30 September 2024"
