"""History for every value a figure or a signed document depends on (DESIGN §4a): who, when,
old, new and why — through the domain functions and through the admin."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin

from kinerja.planning.admin import HistoryAdmin

from .conftest import SEED_TODAY

# Models of planning and monitoring that keep no history of their own, each for a reason.
WITHOUT_HISTORY = {
    "monitoring.QuarterSubmission": "its state moves only through the workflow, and each "
    "transition is a SubmissionEvent (who, when, from, to, why); the admin cannot change it",
    "monitoring.SubmissionEvent": "it is itself the record of a transition; never changed "
    "or deleted",
    "monitoring.GeneratedReport": "it is itself the record of a generated file (who, when, "
    "data and template hashes)",
    "planning.PlanImportJob": "it is the progress of one confirmed import (who, when, file, "
    "stage, outcome); what the import writes keeps its history with the reason «impor <file>»",
}


def _models():
    for label in ("planning", "monitoring"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue  # the history tables themselves
            yield model


def test_every_planning_and_monitoring_model_keeps_its_history_or_says_why_not():
    missing = sorted(m._meta.label for m in _models()
                     if not hasattr(m, "history") and m._meta.label not in WITHOUT_HISTORY)  # fmt: skip
    assert missing == []
    # the list of exceptions names real models that indeed keep none
    labels = {m._meta.label: m for m in _models()}
    assert sorted(label for label in WITHOUT_HISTORY if label not in labels) == []
    assert sorted(label for label in WITHOUT_HISTORY if hasattr(labels[label], "history")) == []


def test_the_values_the_issue_names_keep_their_history():
    named = ["Signatory", "PerformanceAgreement", "AgreementTarget", "AgreementLine",
             "Indicator", "Goal", "Objective", "StrategicPlan", "Scale", "ScaleBand", "OrgUnit",
             "Agency", "Government", "WorkItem", "ActionPlan", "IndicatorTarget"]  # fmt: skip
    quarterly = ["Realisation", "IndicatorRealisation", "Narrative"]
    without = [n for n in named if not hasattr(apps.get_model("planning", n), "history")]
    without += [n for n in quarterly if not hasattr(apps.get_model("monitoring", n), "history")]
    assert without == []


def test_every_admin_of_a_model_with_history_asks_for_a_reason():
    plain = sorted(m._meta.label for m, a in admin.site._registry.items()
                   if m._meta.app_label in ("planning", "monitoring")
                   and hasattr(m, "history") and not isinstance(a, HistoryAdmin))  # fmt: skip
    assert plain == []


def _last(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def _changed(record):
    previous = record.prev_record
    return {c.field: (c.old, c.new) for c in record.diff_against(previous).changes}


@pytest.mark.django_db
def test_a_signatory_change_records_who_old_new_and_why(demo_users, agency):
    from kinerja.planning.domain import set_signatory
    from kinerja.planning.models import Signatory

    signer = Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party="first")
    old_name = signer.name
    set_signatory(user=demo_users["operator"], signatory=signer, name="Drs. Plt Baru",
                  nip=signer.nip, rank=signer.rank, acting="Plt",
                  reason="Kepala badan pensiun; SK Plt Bupati")  # fmt: skip
    record = _last(signer)
    assert (record.history_user, record.history_change_reason) == (
        demo_users["operator"],
        "Kepala badan pensiun; SK Plt Bupati",
    )
    assert _changed(record) == {"name": (old_name, "Drs. Plt Baru"), "acting": ("", "Plt")}


@pytest.mark.django_db
def test_a_signatory_change_without_a_reason_still_says_what_it_was(demo_users, agency):
    from kinerja.planning.domain import set_signatory
    from kinerja.planning.models import Signatory

    signer = Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party="first")
    set_signatory(user=demo_users["operator"], signatory=signer, name=signer.name, nip="197001011995031001",
                  rank=signer.rank, acting=signer.acting)  # fmt: skip
    record = _last(signer)
    assert (record.history_user, record.history_change_reason) == (
        demo_users["operator"],
        "Penanda tangan diperbarui.",
    )


@pytest.mark.django_db
def test_an_action_plan_change_records_who_old_new_and_why(demo_users, agency):
    from kinerja.planning.domain import set_action_plan
    from kinerja.planning.models import ActionPlan

    plan = ActionPlan.objects.filter(work_item__agency=agency, cash_plan__isnull=False).first()
    old = plan.cash_plan
    from datetime import date

    from kinerja.planning.items import Revision

    # the demo's year has an approved quarter: the change is a revision
    set_action_plan(user=demo_users["operator"], work_item=plan.work_item, quarter=plan.quarter,
                    target_k=plan.target_k, cash_plan=old + 1000,
                    revision=Revision(date(2024, 9, 2), "Geser anggaran kas", "Perda 9/2024"))  # fmt: skip
    record = _last(plan)
    assert (record.history_user, record.history_change_reason) == (
        demo_users["operator"],
        "Revisi 02-09-2024: Geser anggaran kas (dasar hukum: Perda 9/2024)",
    )
    assert _changed(record) == {"cash_plan": (old, old + 1000)}


@pytest.mark.django_db
def test_an_iku_realisation_change_records_who_old_new_and_why(demo_users, agency):
    from kinerja.monitoring.domain import record_indicator_realisation
    from kinerja.monitoring.models import QuarterSubmission
    from kinerja.planning.models import Indicator

    indicator = Indicator.objects.filter(plan__agency=agency, is_key=True).first()
    operator = demo_users["operator"]
    record_indicator_realisation(user=operator, indicator=indicator, year=2024, quarter=2,
                                 value=Decimal("18.5"), today=SEED_TODAY)  # fmt: skip
    QuarterSubmission.objects.update_or_create(agency=agency, year=2024, quarter=2,
                                               defaults={"status": "returned"})  # fmt: skip
    row = record_indicator_realisation(user=operator, indicator=indicator, year=2024, quarter=2,
                                       value=Decimal("19.55"), reason="Angka BKN terbaru",
                                       today=SEED_TODAY)  # fmt: skip
    record = _last(row)
    assert (record.history_user, record.history_change_reason) == (operator, "Angka BKN terbaru")
    assert _changed(record) == {"value": (Decimal("18.5"), Decimal("19.55"))}


@pytest.mark.django_db
def test_a_removed_narrative_line_keeps_who_and_why(demo_users, agency):
    from kinerja.monitoring.domain import save_narratives
    from kinerja.monitoring.models import Narrative

    operator = demo_users["operator"]
    kept = save_narratives(user=operator, agency=agency, year=2024, quarter=2, kind="closing",
                           texts=["Satu.", "Dua."], today=SEED_TODAY)  # fmt: skip
    gone_pk = kept[1].pk
    save_narratives(user=operator, agency=agency, year=2024, quarter=2, kind="closing",
                    texts=["Satu."], reason="Kalimat kedua dobel", today=SEED_TODAY)  # fmt: skip
    deleted = Narrative.history.get(id=gone_pk, history_type="-")
    assert (deleted.history_user, deleted.history_change_reason, deleted.text) == (
        operator,
        "Kalimat kedua dobel",
        "Dua.",
    )
