"""A Renja list (layout C) says only what its columns hold: importing the seed agency's own
items as such a list changes nothing — not the sasaran links, polarities, aggregations,
decimals, notes or rencana aksi it has no column for — and a changed pagu in it changes
exactly that pagu (as a revision: TW I 2024 is approved)."""

from datetime import date
from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.core.numbers import format_number
from kinerja.planning.plan_io.apply import ImportRefused, apply_changes, plan_changes
from kinerja.planning.plan_io.read import read_plan

from ..plan_io_read.files import header, put, save, title

pytestmark = pytest.mark.django_db


def _quantity(value, unit):
    if value is None:
        return ""
    return f"{format_number(value)} {unit}".strip()


def _layout_c(agency, year, *, pagu=None):
    """The agency's stored items of ``year`` as its planning system exports them: code over
    five cells, indicator, Renstra target and last year's realisation, target «Sesudah» and
    the APBD pagu as Indonesian text, the responsible unit. ``pagu``: code → another pagu."""
    from kinerja.planning.models import WorkItem

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = f"Renja {year}"
    title(ws, agency=agency.name.upper(), year=year)
    header(ws, year=year)
    rows = WorkItem.objects.filter(agency=agency, year=year).order_by("position")
    for r, item in enumerate(rows.select_related("responsible_unit"), start=8):
        budget = (pagu or {}).get(item.code, item.budget)
        put(ws, r, item.code, item.name, H=item.indicator,
            I=_quantity(item.renstra_target_k, item.renstra_target_unit),
            J=_quantity(item.renstra_realised_k, item.renstra_realised_unit),
            M=_quantity(item.target_k, item.unit),
            O=f"{format_number(budget)},00" if budget is not None else "",
            U=item.responsible_unit.name if item.responsible_unit else "")  # fmt: skip
    return save(wb)


def _state(agency, year):
    """Every stored value of the year's items and their rencana aksi."""
    from kinerja.planning.models import ActionPlan, WorkItem

    items = {row["id"]: row for row in WorkItem.objects.filter(agency=agency, year=year).values()}
    plans = {
        (row["work_item_id"], row["quarter"]): row
        for row in ActionPlan.objects.filter(work_item__agency=agency, work_item__year=year)
        .values()
    }  # fmt: skip
    return items, plans


def test_a_layout_c_list_of_the_stored_plan_changes_nothing_it_has_no_column_for(agency):
    from kinerja.planning.items import Revision
    from kinerja.planning.models import ActionPlan, WorkItem

    stored = WorkItem.objects.filter(agency=agency, year=2024)
    # what a Renja list never holds, set away from the reader's defaults so clearing shows
    program = stored.get(code="5.03.02")
    sub = stored.filter(level="sub_kegiatan").order_by("position").last()
    stored.filter(pk=program.pk).update(polarity="lower", aggregation="last", decimals=2,
                                        note="catatan tetap")  # fmt: skip
    stored.filter(pk=sub.pk).update(aggregation="average", allows_negative=True)
    assert stored.exclude(objective=None).count() == 2
    assert ActionPlan.objects.filter(work_item__in=stored).count() == 3
    before_items, before_plans = _state(agency, 2024)

    plan = read_plan(_layout_c(agency, 2024), file_name="renja-2024.xlsx")
    assert plan.kind == "layout_c"
    assert "objective_code" not in plan.item_fields
    assert {"indicator", "unit", "target_k", "budget", "responsible_unit"} <= plan.item_fields
    assert not {"polarity", "aggregation", "decimals", "note", "q_target_k", "q_cash_plan",
                "budget_revised", "allows_negative"} & plan.item_fields  # fmt: skip
    changes = plan_changes(plan, agency, 2024)
    assert changes.locked  # TW I 2024 is approved
    counts = changes.counts()
    assert (counts["created"], counts["changed"], counts["left"]) == (0, 0, 0), (
        changes.created, changes.changed, changes.left,
    )  # fmt: skip
    written = apply_changes(changes, None, "renja-2024.xlsx")
    assert not written.writes
    assert _state(agency, 2024) == (before_items, before_plans)

    # one pagu changed in the list → exactly that pagu, as a revision
    new_pagu = sub.budget + D("1000000")
    data = _layout_c(agency, 2024, pagu={sub.code: new_pagu})
    changes = plan_changes(read_plan(data, file_name="renja-2024.xlsx"), agency, 2024)
    assert [c.label for c in changes.changed] == [f"{sub.code} {sub.name}"]
    [field] = changes.changed[0].fields
    assert (field.old, field.new, field.revision) == (
        format_number(sub.budget), format_number(new_pagu), True,
    )  # fmt: skip
    assert (changes.counts()["created"], changes.counts()["left"]) == (0, 0)
    with pytest.raises(ImportRefused):
        apply_changes(changes, None, "renja-2024.xlsx")
    revision = Revision(date(2024, 9, 30), "APBD Perubahan", "Perda 5/2024")
    apply_changes(changes, None, "renja-2024.xlsx", revision)

    after_items, after_plans = _state(agency, 2024)
    assert after_plans == before_plans
    expected = {pk: dict(row) for pk, row in before_items.items()}
    expected[sub.pk].update(budget_revised=new_pagu, budget_revised_on=date(2024, 9, 30),
                            budget_revision_reason="APBD Perubahan",
                            budget_legal_basis="Perda 5/2024")  # fmt: skip
    changed = {pk for pk in after_items if after_items[pk] != before_items[pk]}
    assert changed == {sub.pk}
    assert after_items[sub.pk]["budget_original"] == before_items[sub.pk]["budget_original"]
    assert after_items[sub.pk]["budget_revised"] == new_pagu
    assert {k: v for k, v in after_items[sub.pk].items() if k != "updated_at"} == {
        k: v for k, v in expected[sub.pk].items() if k != "updated_at"
    }
    # the revision is recorded with its reason, and the list read again changes nothing
    assert WorkItem.objects.get(pk=sub.pk).history.first().history_change_reason == (
        revision.history_reason()
    )
    again = plan_changes(read_plan(data, file_name="renja-2024.xlsx"), agency, 2024)
    assert (again.counts()["created"], again.counts()["changed"]) == (0, 0)


def test_a_code_with_two_names_is_warned_once_by_the_dry_run(agency):
    """The reader warns a layout-C code used by two names; the dry run does not warn it again
    (PlanData.merged: the reader's cleaning is not done twice)."""
    from ..plan_io_read.corpus import CASES

    case = next(c for c in CASES if c.name == "same_code_other_name")
    changes = plan_changes(read_plan(case.build(), file_name="x.xlsx"), agency, 2025)
    about = [i for i in changes.issues if "5.03.02.2.01.0001" in i.message]
    assert len(about) == 1 and "nama lain" in about[0].message
    assert [c.label.split()[0] for c in changes.created] == [
        "5.03.02",
        "5.03.02.2.01",
        "5.03.02.2.01.0001",
        "5.03.02.2.01.0002",
        "5.03.02.2.01.0001",
    ]  # fmt: skip  (two items: one code, two names)
