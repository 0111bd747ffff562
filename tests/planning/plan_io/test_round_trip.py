"""The seed agency's plan goes out as Kinerja's template and comes back the same: into an
empty agency, into another year, and onto itself (nothing changes); with TW I's realisations
copied, the evaluation of TW I 2024 is identical row by row and in its footer."""

from datetime import date
from decimal import Decimal as D

import pytest

from kinerja.planning.plan_io.apply import ImportRefused, apply_changes, plan_changes
from kinerja.planning.plan_io.export import export_plan, export_workbook, plan_signature
from kinerja.planning.plan_io.read import read_plan

pytestmark = pytest.mark.django_db


def _import(data, agency, year, *, name="rencana.xlsx", revision=None):
    plan = read_plan(data, file_name=name)
    changes = plan_changes(plan, agency, year)
    return apply_changes(changes, None, name, revision)


def test_export_then_import_into_an_empty_agency_gives_the_same_plan(
    agency, new_agency, seed_export
):
    from kinerja.planning.models import IndicatorTarget, StrategicPlan, WorkItem

    changes = _import(seed_export, new_agency, 2024, name="bkpsdm-2024.xlsx")
    assert changes.counts()["created"] > 61  # 61 items, the Renstra, its units …
    assert changes.counts()["changed"] == 0

    # the whole plan, normalised: items with codes, indicators, units, targets, pagu, cash
    # plans and sasaran links; Renstra with its targets (original and revised) and IKU
    assert plan_signature(export_plan(new_agency, 2024)) == plan_signature(
        export_plan(agency, 2024)
    )

    # and a few values read straight from the tables
    ours = WorkItem.objects.filter(agency=new_agency, year=2024)
    assert ours.count() == 61
    program = ours.get(code="5.03.02")
    assert program.budget_original == D("1905955200")
    assert program.objective.code == "1.1"
    assert program.objective.goal.plan.agency == new_agency
    assert program.action_plans.get(quarter=1).cash_plan == D("758058000")
    assert ours.filter(code="5.03.02.2.03.0000").count() == 3  # one code, three names
    assert list(ours.order_by("position").values_list("position", flat=True)) == list(range(1, 62))
    plan = StrategicPlan.objects.get(agency=new_agency)
    assert (plan.start_year, plan.end_year) == (2021, 2026)
    merit = IndicatorTarget.objects.get(
        indicator__plan=plan, indicator__name="Indeks Penilaian Sistem Merit", year=2024
    )
    assert (merit.original, merit.revised, merit.indicator.decimals) == (D("0.55"), D("0.7"), 2)
    ip_asn = plan.indicators.get(name="Indeks Profesionalitas ASN")
    assert ip_asn.is_key and ip_asn.scale.code == "ip_asn"
    assert ip_asn.weights == [["Kualifikasi", 25], ["Kompetensi", 40], ["Kinerja", 30],
                              ["Disiplin", 5]]  # fmt: skip
    assert plan.serves.count() == StrategicPlan.objects.get(agency=agency).serves.count() > 0

    # history: every created row says it came from this file, written by the system
    record = program.history.get()
    assert record.history_change_reason == "impor bkpsdm-2024.xlsx"
    assert record.history_user is None


def test_reimport_changes_nothing(agency, new_agency, seed_export):
    from kinerja.planning.models import WorkItem

    _import(seed_export, new_agency, 2024)
    history = WorkItem.history.filter(agency=new_agency).count()
    again = plan_changes(read_plan(seed_export, file_name="x.xlsx"), new_agency, 2024)
    assert again.counts()["created"] == 0
    assert again.counts()["changed"] == 0
    assert again.counts()["left"] == 0
    assert again.refusal() is None
    apply_changes(again, None, "x.xlsx")
    assert WorkItem.history.filter(agency=new_agency).count() == history

    # the seed agency's own export onto itself, although TW I 2024 is approved: nothing
    # to change, so nothing asks for a revision
    own = plan_changes(read_plan(seed_export, file_name="x.xlsx"), agency, 2024)
    assert own.locked
    assert (own.counts()["created"], own.counts()["changed"]) == (0, 0)
    assert own.refusal() is None


def _copy_realisations(source, target, year):
    """The seed's recorded realisations of the year onto the imported items (TW I's, and
    the TW III/IV values one row of the seed's print carries, which TW I's explanation
    names as left out)."""
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    ours = {w.position: w for w in WorkItem.objects.filter(agency=target, year=year)}
    for r in Realisation.objects.filter(work_item__agency=source,
                                        work_item__year=year).select_related("work_item"):  # fmt: skip
        Realisation.objects.create(
            work_item=ours[r.work_item.position], quarter=r.quarter, value_k=r.value_k,
            value_k_unit=r.value_k_unit, value_rp=r.value_rp, note=r.note,
        )  # fmt: skip


def test_evaluation_of_tw1_is_identical_after_the_round_trip(agency, new_agency, seed_export):
    from kinerja.core import evaluate_form
    from kinerja.formoutput import to_json_data
    from kinerja.monitoring.queries import evaluation_form

    _import(seed_export, new_agency, 2024)
    _copy_realisations(agency, new_agency, 2024)
    # the seed's TW I is approved: its form comes from the snapshot; the new agency's live
    seed = to_json_data(evaluate_form(evaluation_form(agency, year=2024, quarter=1)))
    ours = to_json_data(evaluate_form(evaluation_form(new_agency, year=2024, quarter=1)))
    assert len(ours["rows"]) == 61
    assert ours["rows"] == seed["rows"]
    assert ours["footer"] == seed["footer"]
    assert ours == seed


def test_year_a_exported_imported_as_year_b_exports_the_same_rows(new_agency, seed_export):
    import openpyxl

    changes = _import(seed_export, new_agency, 2025)
    assert any("tahun 2024, bukan 2025" in i.message for i in changes.issues)
    again = export_workbook(new_agency, 2025)

    def rows(data):
        sheet = openpyxl.load_workbook(__import__("io").BytesIO(data))["Renja"]
        return [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]

    assert len(rows(again)) == 62  # the header and 61 items
    assert rows(again) == rows(seed_export)
    a = plan_signature(read_plan(seed_export, file_name="a.xlsx"))
    b = plan_signature(read_plan(again, file_name="b.xlsx"))
    assert a == b


def _with_cell(data, sheet, row_of, header, value):
    """The workbook with one cell changed: the row whose cells satisfy ``row_of``, the column
    headed ``header``."""
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet]
    head = next(r for r in ws.iter_rows() if any(c.value == header for c in r))
    col = next(c.column for c in head if c.value == header)
    row = next(r for r in ws.iter_rows(min_row=head[0].row + 1) if row_of(r))
    ws.cell(row=row[0].row, column=col, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_after_approval_a_changed_pagu_is_a_revision_and_without_one_refused(agency, seed_export):
    from kinerja.core import evaluate_form
    from kinerja.formoutput import to_json_data
    from kinerja.monitoring.queries import evaluation_form
    from kinerja.planning.items import Revision
    from kinerja.planning.models import WorkItem

    before = to_json_data(evaluate_form(evaluation_form(agency, year=2024, quarter=1)))
    data = _with_cell(seed_export, "Renja", lambda r: r[1].value == "5.03.02", "Pagu (Rp)",
                      2000000000)  # fmt: skip
    plan = read_plan(data, file_name="perubahan.xlsx")
    changes = plan_changes(plan, agency, 2024)
    assert changes.locked and changes.needs_revision
    [change] = changes.changed
    assert change.label.startswith("5.03.02 Program Kepegawaian Daerah")
    [field] = change.fields
    assert (field.old, field.new, field.revision) == ("1.905.955.200", "2.000.000.000", True)
    assert "sudah disahkan" in changes.refusal()

    with pytest.raises(ImportRefused, match="revisi"):
        apply_changes(changes, None, "perubahan.xlsx")
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02")
    assert program.budget_revised is None  # nothing written

    revision = Revision(date(2024, 9, 30), "APBD Perubahan", "Perda 5/2024")
    apply_changes(changes, None, "perubahan.xlsx", revision)
    program.refresh_from_db()
    assert program.budget_original == D("1905955200")  # the murni stays
    assert program.budget_revised == D("2000000000")
    assert program.budget_revised_on == date(2024, 9, 30)
    assert (program.budget_revision_reason, program.budget_legal_basis) == (
        "APBD Perubahan",
        "Perda 5/2024",
    )
    assert program.history.first().history_change_reason == revision.history_reason()
    # the approved quarter does not move
    after = to_json_data(evaluate_form(evaluation_form(agency, year=2024, quarter=1)))
    assert after == before
    # and importing the same file again changes nothing
    again = plan_changes(read_plan(data, file_name="perubahan.xlsx"), agency, 2024)
    assert (again.counts()["created"], again.counts()["changed"]) == (0, 0)


def test_after_approval_a_changed_renstra_target_is_a_revision(agency, seed_export):
    from kinerja.planning.items import Revision
    from kinerja.planning.models import IndicatorTarget

    data = _with_cell(seed_export, "Renstra",
                      lambda r: r[2].value == "Indeks Penilaian Sistem Merit",
                      "Target perubahan 2024", 0.75)  # fmt: skip
    changes = plan_changes(read_plan(data, file_name="r.xlsx"), agency, 2024)
    fields = [f for c in changes.changed for f in c.fields]
    assert [(f.old, f.new, f.revision) for f in fields] == [("0,7", "0,75", True)]
    assert changes.refusal() is not None
    revision = Revision(date(2024, 8, 1), "Reviu Renstra", "Perbup 12/2024")
    apply_changes(changes, None, "r.xlsx", revision)
    target = IndicatorTarget.objects.get(
        indicator__plan__agency=agency, indicator__name="Indeks Penilaian Sistem Merit", year=2024
    )
    assert (target.original, target.revised, target.revised_on) == (
        D("0.55"),
        D("0.75"),
        date(2024, 8, 1),
    )
    assert target.legal_basis == "Perbup 12/2024"


def test_an_unlocked_year_changes_fields_and_lists_them(new_agency, seed_export):
    from kinerja.planning.models import WorkItem

    _import(seed_export, new_agency, 2024)
    data = _with_cell(seed_export, "Renja", lambda r: r[1].value == "5.03.01.2.01.0001",
                      "Target K", 3)  # fmt: skip
    data = _with_cell(data, "Renja", lambda r: r[1].value == "5.03.01.2.01.0001",
                      "Nama", "Penyusunan Dokumen Perencanaan (baru)")  # fmt: skip
    changes = plan_changes(read_plan(data, file_name="b.xlsx"), new_agency, 2024)
    # a changed name is another item: created, and the old one left (never deleted)
    assert [c.label for c in changes.created] == [
        "5.03.01.2.01.0001 Penyusunan Dokumen Perencanaan (baru)"
    ]
    assert [c.label for c in changes.left][0].startswith("5.03.01.2.01.0001 Penyusunan Dokumen")
    assert any("sudah dipakai" in i.message for i in changes.issues)
    assert not changes.needs_revision
    apply_changes(changes, None, "b.xlsx")
    rows = WorkItem.objects.filter(agency=new_agency, year=2024, code="5.03.01.2.01.0001")
    assert rows.count() == 2
    new = rows.get(name__endswith="(baru)")
    assert new.target_k == 3
    assert new.parent.code == "5.03.01.2.01"
    # positions stay the form's order: the new sub kegiatan right after its sibling
    assert new.position == rows.exclude(pk=new.pk).get().position + 1
