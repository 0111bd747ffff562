"""Shared by the bad-input corpus: a fingerprint of every table a refused write must leave
alone, and a TW II 2024 period open around the real today (the views read the clock)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest

RECORDED = (
    ("monitoring", "Realisation"),
    ("monitoring", "IndicatorRealisation"),
    ("monitoring", "Narrative"),
    ("planning", "WorkItem"),
    ("planning", "ActionPlan"),
    ("planning", "IndicatorTarget"),
    ("planning", "Signatory"),
    ("planning", "PerformanceAgreement"),
    ("monitoring", "QuarterSubmission"),
    ("monitoring", "SubmissionEvent"),
    ("monitoring", "RowNote"),
    ("monitoring", "Evidence"),
)


def db_fingerprint() -> dict[str, tuple[int, str]]:
    """{model: (row count, SHA-256 of every row's values in pk order)} over the tables a
    figure or a signed document depends on; equal before and after = nothing written."""
    from django.apps import apps

    out = {}
    for app, name in RECORDED:
        model = apps.get_model(app, name)
        rows = list(model.objects.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        out[name] = (len(rows), digest)
    return out


@pytest.fixture
def fingerprint():
    return db_fingerprint


@pytest.fixture
def open_period(agency):
    """TW II 2024 is the editable draft, its reporting period open today."""
    from django.utils import timezone

    from kinerja.monitoring.models import ReportingPeriod

    today = timezone.localdate()
    ReportingPeriod.objects.filter(government=agency.government, year=2024, quarter=2).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1))  # fmt: skip
    return today
