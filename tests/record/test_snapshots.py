"""Approved means frozen (DESIGN §4a): approving a quarter snapshots its evaluation input;
the quarter's page, dashboard, form, report and `kinerja evaluate --agency` read the snapshot,
so no later revision or direct change of the plan rows moves an approved figure; changing it
takes a reopen and a new approval, which shows what changed."""

from __future__ import annotations

import importlib
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from kinerja.cli import main
from kinerja.core.evaluation import evaluate_form
from kinerja.core.numbers import format_number, round_half_up
from kinerja.monitoring.models import (
    QuarterSubmission,
    Realisation,
    SubmissionEvent,
    SubmissionStatus,
)
from kinerja.monitoring.queries import evaluation_form, form_from_input
from kinerja.monitoring.workflow import (
    approve_quarter,
    reopen_quarter,
    submit_quarter,
    verify_quarter,
)
from kinerja.planning.domain import revise_budget, revise_target
from kinerja.planning.models import ActionPlan, IndicatorTarget, WorkItem
from kinerja.planning.queries import database_findings
from kinerja.record.capture import capture, input_findings, input_hash
from kinerja.record.models import QuarterSnapshot
from kinerja.record.snapshots import quarter_input, read_snapshot
from kinerja.reporting.data import data_hash
from kinerja.reporting.generate import build_report
from kinerja.seed import SEED_OVERRIDE

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)
PROGRAM = "5.03.01#1"  # Program Penunjang: col 14 Rp 14,04 % in TW I 2024


def tw1_figures(agency):
    evaluation = evaluate_form(evaluation_form(agency, year=2024, quarter=1))
    row = next(r for r in evaluation.rows if r.row.id == PROGRAM)
    return (
        round_half_up(row.col14_rp),
        round_half_up(evaluation.footer.k.value),
        round_half_up(evaluation.footer.rp.value),
    )


SEED_FIGURES = (Decimal("14.04"), Decimal("19.55"), Decimal("11.80"))


def change_the_plan_after_approval(agency, users):
    """A pagu revision and a target revision dated inside TW I (as if back-dated), then the
    plan rows, a cash plan and a realisation changed directly, around every domain rule."""
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.01", position=1)
    revise_budget(user=users["operator"], work_item=program, amount=Decimal("1000000000"),
                  on=date(2024, 1, 2), reason="APBD-P", legal_basis="Perda 1/2024")  # fmt: skip
    target = IndicatorTarget.objects.filter(indicator__plan__agency=agency, year=2024).first()
    revise_target(user=users["operator"], target=target, value=Decimal("99"),
                  on=date(2024, 1, 2), reason="uji", legal_basis="Perbup 2/2024")  # fmt: skip
    program.target_k = Decimal("1")
    program.save()
    plan = ActionPlan.objects.filter(work_item__agency=agency, work_item__year=2024).first()
    plan.cash_plan = Decimal("1")
    plan.save()
    realised = Realisation.objects.get(work_item=program, quarter=1)
    realised.value_rp = Decimal("5")
    realised.save()
    return program


def test_the_seed_quarter_was_approved_through_the_approval_and_has_its_snapshot(agency):
    snapshot = QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=1)
    assert snapshot.sequence == 1
    assert snapshot.approved_at.date() == date(2024, 4, 16)
    live = capture(agency.pk, year=2024, quarter=1)
    assert read_snapshot(snapshot) == live  # nothing changed since: the same input
    assert snapshot.data_hash == input_hash(live)
    assert snapshot.rows.count() == 61
    assert tw1_figures(agency) == SEED_FIGURES


def test_the_form_of_an_input_is_the_form_read_live(agency):
    """The snapshot path and the live path build the same form (draft TW II, and TW I once
    it is no longer approved)."""
    inp = capture(agency.pk, year=2024, quarter=2)
    assert form_from_input(inp) == evaluation_form(agency, year=2024, quarter=2)
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=1).update(
        status=SubmissionStatus.DRAFT
    )
    assert form_from_input(quarter_input(agency, year=2024, quarter=1)) == evaluation_form(
        agency, year=2024, quarter=1
    )


def test_the_database_checks_over_the_input_equal_the_database_query(agency):
    findings = input_findings(capture(agency.pk, year=2024, quarter=1))
    assert findings == database_findings(agency, year=2024)
    assert findings  # the seed has PK/Renja differences


def test_an_approved_quarter_does_not_move_when_the_plan_changes(agency, demo_users, capsys):
    report_before = build_report("laporan", agency, year=2024, quarter=1, signed_on=TODAY)
    form_before = build_report("form", agency, year=2024, quarter=1, signed_on=TODAY)
    change_the_plan_after_approval(agency, demo_users)

    assert tw1_figures(agency) == SEED_FIGURES
    report_after = build_report("laporan", agency, year=2024, quarter=1, signed_on=TODAY)
    assert data_hash(report_after) == data_hash(report_before)
    form_after = build_report("form", agency, year=2024, quarter=1, signed_on=TODAY)
    assert data_hash(form_after) == data_hash(form_before)
    assert report_after.signature.signed_on == date(2024, 4, 16)  # the day it was approved

    assert main(["evaluate", "--agency", agency.slug, "--year", "2024", "--quarter", "1",
                 "--json"]) == 0  # fmt: skip
    out = json.loads(capsys.readouterr().out)
    assert round_half_up(Decimal(out["footer"]["rp"])) == Decimal("11.80")
    row = next(r for r in out["rows"] if r["id"] == PROGRAM)
    assert round_half_up(Decimal(row["col14"]["rp"])) == Decimal("14.04")

    # while a draft quarter reads the live tables: TW II sees the back-dated pagu
    tw2 = evaluation_form(agency, year=2024, quarter=2)
    assert next(r for r in tw2.rows if r.id == PROGRAM).year_target.rp == Decimal("1000000000")


def test_the_pages_of_an_approved_quarter_show_the_frozen_figures(client, agency, demo_users):
    change_the_plan_after_approval(agency, demo_users)
    client.force_login(demo_users["pimpinan"])
    page = client.get(f"/pd/{agency.slug}/2024/tw1/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rekam pengesahan" in html
    # the program's capaian K as approved (15 of 100); its target changed to 1 since
    row = next(r for r in page.context["rows"] if r["code"] == "5.03.01")
    assert (row["target"], row["capaian"]) == ("100", "15,00 %")
    assert "1.500,00 %" not in html
    dashboard = client.get(f"/pd/{agency.slug}/2024/tw1/dasbor/").content.decode()
    assert "11,80 %" in dashboard and "19,55 %" in dashboard
    assert "1.000.000.000" not in dashboard  # the revised pagu is not the approved one


def test_reopen_and_approve_again_shows_what_changed(client, agency, demo_users):
    program = change_the_plan_after_approval(agency, demo_users)
    reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=1,
                   reason="pagu perubahan berlaku surut")  # fmt: skip
    assert tw1_figures(agency)[0] != SEED_FIGURES[0]  # reopened: reads the live tables
    submit_quarter(user=demo_users["operator"], agency=agency, year=2024, quarter=1,
                   today=date(2024, 4, 10))  # fmt: skip
    verify_quarter(user=demo_users["verifikator"], agency=agency, year=2024, quarter=1)
    approve_quarter(user=demo_users["pimpinan"], agency=agency, year=2024, quarter=1,
                    reason=SEED_OVERRIDE)  # the printed form's two Rp sums still block  # fmt: skip

    second = QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=1, sequence=2)
    assert second.approved_by == demo_users["pimpinan"]
    first_row = QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=1,
                                            sequence=1).rows.get(position=1)  # fmt: skip
    name = f"{program.code} {program.name}"
    assert {"what": name, "field": "pagu", "old": format_number(first_row.budget),
            "new": "1.000.000.000"} in second.changes  # fmt: skip
    assert {"what": name, "field": "realisasi Rp TW I",
            "old": format_number(first_row.values.get(quarter=1).value_rp),
            "new": "5"} in second.changes  # fmt: skip
    assert {"what": name, "field": "target K", "old": format_number(first_row.target_k),
            "new": "1"} in second.changes  # fmt: skip
    rp = tw1_figures(agency)[0]
    assert rp == round_half_up(Decimal(5) / Decimal(1000000000) * 100)
    client.force_login(demo_users["pimpinan"])
    page = client.get(f"/pd/{agency.slug}/2024/tw1/").content.decode()
    assert "Perubahan terhadap pengesahan sebelumnya" in page
    assert "1.000.000.000" in page


def test_the_data_migration_snapshots_a_quarter_approved_before_snapshots(agency):
    QuarterSnapshot.objects.all().delete()
    assert QuarterSubmission.objects.get(agency=agency, year=2024, quarter=1).status == "approved"
    migration = importlib.import_module("kinerja.record.migrations.0002_snapshot_approved_quarters")
    from django.apps import apps

    migration.snapshot_approved(apps, None)
    snapshot = QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=1)
    assert snapshot.data_hash == input_hash(capture(agency.pk, year=2024, quarter=1))
    approval = SubmissionEvent.objects.filter(submission__agency=agency, to_status="approved")
    assert snapshot.approved_at == approval.get().at  # dated by the approval event


def test_no_migration_is_missing():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_the_grid_of_an_approved_quarter_shows_the_rencana_aksi_as_approved(
    client, agency, demo_users
):
    """TW I was approved with no rencana aksi target K (the seed has cash plans only); one set
    afterwards is not the approved quarter's."""
    plan = ActionPlan.objects.filter(work_item__agency=agency, work_item__year=2024,
                                     quarter=1).first()  # fmt: skip
    assert plan.target_k is None
    plan.target_k = Decimal("777")
    plan.save()
    client.force_login(demo_users["verifikator"])
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 1})
    response = client.get(url)
    assert response.status_code == 200
    assert "777" not in response.content.decode()
    reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=1, reason="uji")
    assert "777" in client.get(url).content.decode()  # reopened: the live rencana aksi
