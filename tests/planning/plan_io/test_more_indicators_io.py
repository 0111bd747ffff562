"""An item's further indicators (issue 15) through export, import and Renja lists: the
template writes each on a row under its item with Tingkat, Kode and Nama blank; importing it
into an empty agency gives the same plan, again changes nothing, and a changed one changes
only it; a layout-C list's continuation row is a further indicator of the item above it."""

from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.planning.models import ActionPlan, WorkItem
from kinerja.planning.plan_io.apply import apply_changes, plan_changes
from kinerja.planning.plan_io.export import export_plan, export_workbook, plan_signature
from kinerja.planning.plan_io.read import read_plan

from ..plan_io_read.files import header, put, save, title

pytestmark = pytest.mark.django_db


def _import(data, agency, year, *, name="rencana.xlsx"):
    return apply_changes(plan_changes(read_plan(data, file_name=name), agency, year), None, name)


@pytest.fixture
def with_more(agency):
    """The seed's 2024 program 5.03.02 with a second indicator and its TW I target."""
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02")
    more = WorkItem.objects.create(
        agency=agency, year=2024, parent=None, level="program", position=10_000,
        code=program.code, name=program.name, indicator="Indeks kepuasan layanan",
        unit="Indeks", target_k=D(80), indicator_of=program, objective=program.objective)  # fmt: skip
    ActionPlan.objects.create(work_item=more, quarter=1, target_k=D(20))
    from kinerja.planning.items import renumber

    renumber(agency, 2024)
    more.refresh_from_db()
    return program, more


def test_the_template_writes_it_under_its_item_with_level_code_and_name_blank(agency, with_more):
    program, more = with_more
    ws = openpyxl.load_workbook(__import__("io").BytesIO(export_workbook(agency, 2024)))["Renja"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(n for n, r in enumerate(rows) if r[:3] == ["Tingkat", "Kode", "Nama"])
    cols = {name: n for n, name in enumerate(rows[head])}
    at = next(n for n, r in enumerate(rows) if r[cols["Indikator"]] == "Indeks kepuasan layanan")
    above = rows[at - 1]
    assert (above[cols["Kode"]], above[cols["Nama"]]) == ("5.03.02", program.name)
    row = rows[at]
    assert [row[cols[c]] for c in ("Tingkat", "Kode", "Nama", "Pagu (Rp)")] == [None] * 4
    assert (row[cols["Satuan"]], row[cols["Target K"]], row[cols["Target K TW I"]]) == (
        "Indeks", 80, 20)  # fmt: skip


def test_export_import_gives_the_same_plan_and_again_changes_nothing(agency, new_agency,
                                                                     with_more):  # fmt: skip
    data = export_workbook(agency, 2024)
    changes = _import(data, new_agency, 2024)
    assert "indikator tambahan" in {c.what for c in changes.created}
    assert plan_signature(export_plan(new_agency, 2024)) == plan_signature(
        export_plan(agency, 2024))  # fmt: skip
    program = WorkItem.objects.get(agency=new_agency, year=2024, code="5.03.02",
                                   indicator_of__isnull=True)  # fmt: skip
    [more] = WorkItem.objects.filter(indicator_of=program)
    assert (more.indicator, more.target_k, more.budget_original, more.position) == (
        "Indeks kepuasan layanan", D(80), None, program.position + 1)  # fmt: skip
    assert more.action_plans.get(quarter=1).target_k == D(20)
    assert more.objective_id == program.objective_id
    again = plan_changes(read_plan(data, file_name="rencana.xlsx"), new_agency, 2024)
    assert not again.writes, again.counts()


def test_a_changed_indicator_target_changes_only_it(agency, new_agency, with_more):
    _import(export_workbook(agency, 2024), new_agency, 2024)
    WorkItem.objects.filter(agency=agency, year=2024, indicator_of__isnull=False).update(
        target_k=D(85))  # fmt: skip
    changes = plan_changes(read_plan(export_workbook(agency, 2024), file_name="r.xlsx"),
                           new_agency, 2024)  # fmt: skip
    assert [(c.what, [(f.new) for f in c.fields]) for c in changes.changed] == [
        ("indikator tambahan", ["85"])]  # fmt: skip
    assert changes.counts()["created"] == 0


def test_a_layout_c_continuation_row_is_a_further_indicator(agency, new_agency):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Renja 2025"
    title(ws, agency=new_agency.name.upper(), year=2025)
    header(ws, year=2025)
    put(ws, 8, "5.03.02", "PROGRAM KEPEGAWAIAN DAERAH", H="Indeks Profesionalitas ASN",
        M="72 Indeks", O="300.000.000,00")  # fmt: skip
    put(ws, 9, "", "", H="Persentase ASN terlatih", M="60 %")
    put(ws, 10, "5.03.02.2.01", "Pengadaan ASN", H="Jumlah dokumen", M="4 Dokumen",
        O="300.000.000,00")  # fmt: skip
    # the program repeated under another urusan, its second indicator with it: read once
    put(ws, 11, "5.03.02", "PROGRAM KEPEGAWAIAN DAERAH", H="Indeks Profesionalitas ASN",
        M="72 Indeks", O="300.000.000,00")  # fmt: skip
    put(ws, 12, "", "", H="Persentase ASN terlatih", M="60 %")
    changes = _import(save(wb), new_agency, 2025)
    assert [c.what for c in changes.created].count("indikator tambahan") == 1
    rows = list(WorkItem.objects.filter(agency=new_agency, year=2025).order_by("position"))
    assert [(r.code, r.indicator, r.indicator_of_id is not None) for r in rows] == [
        ("5.03.02", "Indeks Profesionalitas ASN", False),
        ("5.03.02", "Persentase ASN terlatih", True),
        ("5.03.02.2.01", "Jumlah dokumen", False),
    ]
    more = rows[1]
    assert (more.target_k, more.unit, more.budget_original) == (D(60), "%", None)
