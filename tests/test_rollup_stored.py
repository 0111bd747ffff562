"""The roll-up's stored per-agency figures (kinerja.rollups, issue 18): a refresh stores the
core's figures and the roll-up reads them instead of the realisations; every write of an
input — the grid, a rencana aksi, a Renja item, the workflow, a plan import, synth — makes
them stale in its own transaction and enqueues their refresh once it commits; the roll-up
never reads a stale one (it computes that agency in line); the task brings it back equal to
`kinerja evaluate --agency`."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from kinerja.cli import main
from kinerja.core.numbers import to_plain
from kinerja.monitoring.models import QuarterSubmission, Realisation
from kinerja.planning.models import ActionPlan, Agency, WorkItem
from kinerja.rollup import agency_figures, quarter_rollup
from kinerja.rollups.models import AgencyQuarterFigures
from kinerja.rollups.stale import INPUTS
from kinerja.rollups.tasks import refresh, refresh_all
from kinerja.synth import generate
from kinerja.web import fragments
from tests.conftest import SEED_TODAY
from tests.queue_helpers import work_off

pytestmark = pytest.mark.django_db
YEAR = 2024
TASK = "kinerja.rollups.tasks.refresh_figures"


def _evaluate(capsys, slug: str, quarter: int) -> dict:
    assert main(["evaluate", "--agency", slug, "--year", str(YEAR), "--quarter", str(quarter),
                 "--json"]) == 0  # fmt: skip
    return json.loads(capsys.readouterr().out)["footer"]


def _fresh(agency) -> dict[int, bool]:
    return {r.quarter: r.fresh for r in AgencyQuarterFigures.objects.filter(agency=agency,
                                                                            year=YEAR)}  # fmt: skip


def _agency_row(agency, quarter):
    return next(r for r in quarter_rollup(year=YEAR, quarter=quarter) if r.slug == agency.slug)


def _equal_to_core(capsys, agency):
    for quarter in (1, 2, 3, 4):
        got = _agency_row(agency, quarter)
        want = _evaluate(capsys, agency.slug, quarter)
        assert (to_plain(got.k), to_plain(got.rp), got.predikat_k) == (
            want["k"], want["rp"], want["predikat_k"]), (agency.slug, quarter)  # fmt: skip


def test_the_refresh_stores_the_core_figures_and_the_rollup_reads_them(capsys, agency):
    generate(seed=41, governments=2, agencies=2)
    assert refresh_all() == 4 * Agency.objects.count()  # every agency has a 2024 Renja
    rows = AgencyQuarterFigures.objects.filter(year=YEAR)
    assert rows.count() == 4 * Agency.objects.count() and all(r.fresh for r in rows)
    for quarter in (1, 2, 3, 4):
        inline = agency_figures(YEAR, quarter, list(Agency.objects.values_list("pk", flat=True)))
        with CaptureQueriesContext(connection) as ctx:
            rolled = [r for r in quarter_rollup(year=YEAR, quarter=quarter) if r.kind == "agency"]
        sql = " ".join(q["sql"] for q in ctx.captured_queries)
        # the stored figures answered: no realisation, snapshot or Renja row was read
        assert "monitoring_realisation" not in sql and "record_snapshotvalue" not in sql
        assert len(ctx.captured_queries) == 2  # the agencies, their stored figures
        by_pk = dict(zip(Agency.objects.order_by("government__province__code",
                                                 "government__slug", "slug")
                         .values_list("pk", flat=True), rolled, strict=True))  # fmt: skip
        for pk, got in by_pk.items():
            want = inline[pk]
            assert (got.k, got.rp, got.realised, got.pagu, got.rp_terms, got.realised_all,
                    got.cash_plan, got.status) == (want.k, want.rp, want.realised, want.pagu,
                                                   want.rp_terms, want.realised_all,
                                                   want.cash_plan, want.status)  # fmt: skip
    for one in Agency.objects.all():
        _equal_to_core(capsys, one)


def test_a_stale_figure_is_never_read(capsys, agency):
    """A stored figure is read only while its data is unchanged: planted wrong, it shows
    (so the roll-up reads the store), until a write of the agency's year makes the roll-up
    compute that agency in line again; the queued refresh stores the right one."""
    refresh([(agency.pk, YEAR)])
    AgencyQuarterFigures.objects.filter(agency=agency, year=YEAR, quarter=2).update(k="1.5")
    assert _agency_row(agency, 2).k == Decimal("1.5")
    program = WorkItem.objects.filter(agency=agency, year=YEAR, level="program").first()
    Realisation.objects.update_or_create(work_item=program, quarter=2,
                                         defaults={"value_k": Decimal(3)})  # fmt: skip
    assert _fresh(agency) == {1: False, 2: False, 3: False, 4: False}
    assert _agency_row(agency, 2).k != Decimal("1.5")
    _equal_to_core(capsys, agency)
    # outside a transaction the write enqueued the refresh at once; it runs on the queue
    queued = DBTaskResult.objects.filter(task_path=TASK)
    assert [[agency.pk, YEAR]] in [r.args_kwargs["args"][0] for r in queued]
    work_off("default")
    assert _fresh(agency) == {1: True, 2: True, 3: True, 4: True}
    _equal_to_core(capsys, agency)


def test_a_write_committed_after_the_refresh_read_its_tokens_leaves_it_stale(agency,
                                                                           monkeypatch):  # fmt: skip
    """The refresh stores under the data token it read before the data: a write in between
    moves the token, so figures of the data before it are not taken as current."""
    import kinerja.rollup

    real = kinerja.rollup.agency_figures
    program = WorkItem.objects.filter(agency=agency, year=YEAR, level="program").first()
    calls = []

    def write_first(*args):  # the refresh has read the tokens; another process writes now
        if not calls:
            Realisation.objects.update_or_create(work_item=program, quarter=3,
                                                 defaults={"value_k": Decimal(7)})  # fmt: skip
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(kinerja.rollup, "agency_figures", write_first)
    refresh([(agency.pk, YEAR)])
    assert len(calls) == 4
    assert _fresh(agency) == {1: False, 2: False, 3: False, 4: False}
    monkeypatch.undo()
    refresh([(agency.pk, YEAR)])
    assert _fresh(agency) == {1: True, 2: True, 3: True, 4: True}


# ---- every write path of an input makes the figures stale and enqueues their refresh ----


def _grid(users, agency):
    from kinerja.monitoring.entry import save_quarter_entries

    item = WorkItem.objects.filter(agency=agency, year=YEAR, level="program").first()
    save_quarter_entries(user=users["operator"], agency=agency, year=YEAR, quarter=2,
                         entries={item.pk: ("12", "1.000.000", "")}, today=SEED_TODAY)  # fmt: skip


def _action_plan(users, agency):
    from datetime import date

    from kinerja.planning.domain import set_action_plan
    from kinerja.planning.items import Revision

    item = WorkItem.objects.filter(agency=agency, year=YEAR, level="program").first()
    set_action_plan(user=users["operator"], work_item=item, quarter=3, target_k=Decimal(5),
                    cash_plan=Decimal(1000), reason="ubah",
                    revision=Revision(date(2024, 7, 2), "perubahan", "SK 1/2024"))  # fmt: skip


def _renja_item(users, agency):
    from datetime import date

    from kinerja.planning.domain import revise_budget

    item = WorkItem.objects.filter(agency=agency, year=YEAR, level="program").first()
    revise_budget(user=users["operator"], work_item=item, amount=item.budget_original / 2,
                  on=date(2024, 5, 1), reason="APBD Perubahan", legal_basis="Perda 5/2024")  # fmt: skip


def _submit(users, agency):
    from kinerja.monitoring.workflow import submit_quarter

    submit_quarter(user=users["operator"], agency=agency, year=YEAR, quarter=2, today=SEED_TODAY)


def _reopen(users, agency):
    from kinerja.monitoring.workflow import reopen_quarter

    reopen_quarter(user=users["admin"], agency=agency, year=YEAR, quarter=1, reason="perbaikan")


def _approve(users, agency):
    from kinerja.monitoring.workflow import approve_imported_quarter

    approve_imported_quarter(agency=agency, year=YEAR, quarter=2, reason="disahkan di luar",
                             override="uji")  # fmt: skip


@pytest.mark.parametrize("write", [_grid, _action_plan, _renja_item, _submit, _reopen, _approve])
def test_every_write_path_makes_the_figures_stale_and_the_task_brings_them_back(
    write, capsys, demo_users, agency, django_capture_on_commit_callbacks
):  # fmt: skip
    refresh([(agency.pk, YEAR)])
    assert _fresh(agency) == {1: True, 2: True, 3: True, 4: True}
    before = DBTaskResult.objects.filter(task_path=TASK).count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        write(demo_users, agency)
        # stale inside the writing transaction, before any task ran
        assert _fresh(agency) == {1: False, 2: False, 3: False, 4: False}
    assert DBTaskResult.objects.filter(task_path=TASK).count() == before  # not before commit
    for callback in callbacks:
        callback()  # the commit
    queued = DBTaskResult.objects.filter(task_path=TASK)
    assert [[agency.pk, YEAR]] in [r.args_kwargs["args"][0] for r in queued]
    work_off("default")
    assert _fresh(agency) == {1: True, 2: True, 3: True, 4: True}
    _equal_to_core(capsys, agency)


def test_a_plan_import_makes_the_figures_stale(agency, django_capture_on_commit_callbacks):
    from kinerja.planning.plan_io.apply import apply_changes, plan_changes
    from kinerja.planning.plan_io.export import export_workbook
    from kinerja.planning.plan_io.read import read_plan

    new = Agency.objects.create(government=agency.government, name="Dinas Uji Rekap",
                                abbreviation="DUR", slug="dinas-uji-rekap")  # fmt: skip
    data = export_workbook(agency, YEAR)
    apply_changes(plan_changes(read_plan(data, file_name="a.xlsx"), new, YEAR), None, "a.xlsx")
    refresh([(new.pk, YEAR)])
    assert _fresh(new) == {1: True, 2: True, 3: True, 4: True}
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Renja"]
    head = next(r for r in ws.iter_rows() if any(c.value == "Pagu (Rp)" for c in r))
    col = next(c.column for c in head if c.value == "Pagu (Rp)")
    row = next(r for r in ws.iter_rows(min_row=head[0].row + 1) if r[1].value == "5.03.02")
    ws.cell(row=row[0].row, column=col, value=2000000000)
    out = io.BytesIO()
    book.save(out)
    with django_capture_on_commit_callbacks(execute=True):
        apply_changes(plan_changes(read_plan(out.getvalue(), file_name="b.xlsx"), new, YEAR),
                      None, "b.xlsx")  # fmt: skip
    assert _fresh(new) == {1: False, 2: False, 3: False, 4: False}
    work_off("default")
    assert _fresh(new) == {1: True, 2: True, 3: True, 4: True}


def test_synth_marks_what_it_writes_and_asks_for_its_refresh(agency,
                                                             django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        generate(seed=42, governments=1, agencies=2)
    made = Agency.objects.filter(government__slug__startswith="s42-")
    rows = AgencyQuarterFigures.objects.filter(agency__in=made, year=YEAR)
    assert rows.count() == 8 and not any(r.fresh for r in rows)
    work_off("default")
    assert all(r.fresh for r in rows.all())


def test_each_input_model_is_watched_saved_deleted_and_in_bulk(agency):
    """Each model the figures read, written by a save, a delete and the bulk wrappers (the
    only bulk writes the code base makes, tests/web/test_fragments.py), makes them stale."""
    item = WorkItem.objects.filter(agency=agency, year=YEAR, level="program").first()
    writes = {
        "planning.WorkItem": [lambda: item.save(),
                              lambda: fragments.bulk_update(WorkItem, [item], ["position"])],
        "planning.ActionPlan": [
            lambda: ActionPlan.objects.filter(work_item=item).first().save(),
            lambda: fragments.bulk_update(ActionPlan, list(ActionPlan.objects.filter(
                work_item=item)), ["cash_plan"]),
            lambda: ActionPlan.objects.filter(work_item=item).last().delete(),
        ],
        "monitoring.Realisation": [
            lambda: Realisation.objects.filter(work_item=item).first().save(),
            lambda: fragments.bulk_create(Realisation, [Realisation(work_item=item,
                                                                    quarter=4)]),
            lambda: Realisation.objects.filter(work_item=item, quarter=4).delete(),
        ],
        "monitoring.QuarterSubmission": [
            lambda: QuarterSubmission.objects.filter(agency=agency, year=YEAR).first().save()],
    }  # fmt: skip
    assert sorted(writes) == sorted(INPUTS)
    for label, ways in writes.items():
        for n, way in enumerate(ways):
            refresh([(agency.pk, YEAR)])
            way()
            assert _fresh(agency) == {1: False, 2: False, 3: False, 4: False}, (label, n)


def test_the_figures_read_no_table_that_is_not_watched():
    """The inputs the roll-up computes an agency from are the models whose writes make its
    stored figures stale (plus the agency itself and the snapshots an approval freezes,
    which the quarter's state covers): a new input without its invalidation fails here."""
    from django.apps import apps

    generate(seed=43, governments=1, agencies=2)
    ids = list(Agency.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as ctx:
        for quarter in (1, 2, 3, 4):
            agency_figures(YEAR, quarter, ids)
    sql = " ".join(q["sql"] for q in ctx.captured_queries).lower()
    allowed = {apps.get_model(label)._meta.db_table for label in INPUTS}
    allowed |= {"planning_agency", "record_quartersnapshot", "record_snapshotrow",
                "record_snapshotvalue"}  # fmt: skip
    read = {model._meta.db_table for model in apps.get_models()
            if f'"{model._meta.db_table}"' in sql or f"`{model._meta.db_table}`" in sql}  # fmt: skip
    assert "monitoring_realisation" in read and "record_snapshotvalue" in read
    assert read - allowed == set()


def test_kinerja_rollup_refresh_command(capsys, agency):
    generate(seed=44, governments=1, agencies=2)
    assert main(["rollup", "--refresh"]) == 0
    out, err = capsys.readouterr()
    assert "3/3 perangkat daerah × tahun" in err and "12 angka triwulan tersimpan" in out
    assert all(r.fresh for r in AgencyQuarterFigures.objects.all())
    assert main(["rollup", "--refresh", "--quarter", "2"]) == 2
    assert main(["rollup", "--year", "2024"]) == 2


def test_an_item_with_a_further_indicator_rolls_up_as_kinerja_evaluate_reads_it(capsys, agency):
    """A further indicator (a WorkItem continuing its program, no pagu; issue 15) counts in the
    roll-up's k as in the footer, in line and stored, live and approved."""
    from datetime import date

    from django.contrib.auth import get_user_model

    from kinerja.accounts.models import Profile, Role
    from kinerja.monitoring import domain as monitoring
    from kinerja.monitoring.workflow import approve_imported_quarter
    from kinerja.planning import renja_edit as edit
    from tests.planning.test_renja_edit import _build

    new = Agency.objects.create(government=agency.government, name="Dinas Kearsipan",
                                abbreviation="DISARPUS", slug="disarpus")  # fmt: skip
    user = get_user_model().objects.create_user("op-arsip", password="x")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=new)  # fmt: skip
    program = _build(new, user, year=YEAR)[0]
    more = edit.create_indicator(user=user, item=program, indicator="Indeks kearsipan",
                                 unit="Indeks", target_k=Decimal("70"))  # fmt: skip
    for item, k, rp in ((program, Decimal(50), Decimal(75_000_000)), (more, Decimal(35), None)):
        monitoring.record_realisation(user=user, work_item=item, quarter=1, value_k=k,
                                      value_rp=rp, today=date(2024, 4, 2))  # fmt: skip

    def same(expected_k):
        got = _agency_row(new, 1)
        want = _evaluate(capsys, new.slug, 1)
        assert (to_plain(got.k), to_plain(got.rp)) == (want["k"], want["rp"])
        assert got.k == Decimal(expected_k)

    same(50)  # in line: (50 % + 50 %) / 2 program rows
    refresh([(new.pk, YEAR)])
    assert _fresh(new)[1]
    same(50)  # stored
    approve_imported_quarter(agency=new, year=YEAR, quarter=1, reason="uji", override="uji")
    assert not _fresh(new)[1]
    same(50)  # from the snapshot, in line
    refresh([(new.pk, YEAR)])
    same(50)
