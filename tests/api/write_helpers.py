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


@pytest.fixture
def other_agency(agency):
    """Another agency of the seed's pemda with a Renja row, a realisation and its operator."""
    from django.contrib.auth import get_user_model

    from kinerja.accounts.models import Profile, Role
    from kinerja.planning.models import Agency

    other = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                  abbreviation="DC", slug="dinas-contoh", is_example=True)  # fmt: skip
    _renja_row(other, "Program Contoh")
    user = get_user_model().objects.create_user("operator-dc", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    return other


@pytest.fixture
def other_pemda_agency(db):
    """An agency of another pemda with a Renja row and a realisation."""
    from kinerja.planning.models import Agency, Government

    government = Government.objects.create(name="Kabupaten Lain", slug="kabupaten-lain",
                                           region="Jawa Timur")  # fmt: skip
    other = Agency.objects.create(government=government, name="Dinas Lain", abbreviation="DL",
                                  slug="dinas-lain")  # fmt: skip
    _renja_row(other, "Program Lain")
    return other


def _renja_row(agency, name):
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    item = WorkItem.objects.create(agency=agency, year=2024, position=1, level="program",
                                   code="1.01.01", name=name, target_k=10, budget_original=100)  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=1, value_k=1, value_rp=50)
