"""Helpers of the write tests (tests/api/test_write_*.py): TW II 2024's reporting period open
today (the seed's lies wherever the test database was made), and JSON writes with a token."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def open_period(agency):
    from kinerja.monitoring.models import ReportingPeriod

    today = timezone.localdate()
    ReportingPeriod.objects.update_or_create(
        government=agency.government, year=2024, quarter=2,
        defaults={"opens_on": today - timedelta(days=1), "closes_on": today + timedelta(days=1)})  # fmt: skip


def send(client, method, url, body, token, version=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if version is not None:
        headers["HTTP_IF_MATCH"] = f'"{version}"'
    call = getattr(client, method.lower())
    return call(url, json.dumps(body), content_type="application/json", **headers)
