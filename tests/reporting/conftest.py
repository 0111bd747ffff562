"""The seed agency's reports, built once per test session from the seeded test database."""

from datetime import date

import pytest

SIGNED_ON = date(2024, 4, 16)


def _build(builder, django_db_blocker):
    from kinerja.planning.models import Agency

    with django_db_blocker.unblock():
        agency = Agency.objects.select_related("government").get(slug="bkpsdm-sumenep")
        return builder(agency, year=2024, quarter=1, signed_on=SIGNED_ON)


@pytest.fixture(scope="session")
def quarterly_report(django_db_setup, django_db_blocker):
    from kinerja.reporting.build_laporan import build_quarterly_report

    return _build(build_quarterly_report, django_db_blocker)


@pytest.fixture(scope="session")
def agreement_report(django_db_setup, django_db_blocker):
    from kinerja.reporting.build_laporan import build_agreement_report

    return _build(build_agreement_report, django_db_blocker)
