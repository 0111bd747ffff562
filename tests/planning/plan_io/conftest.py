import pytest


@pytest.fixture
def new_agency(agency):
    """An agency of the seed's pemda with nothing planned yet."""
    from kinerja.planning.models import Agency

    return Agency.objects.create(
        government=agency.government,
        name="Dinas Percobaan Impor Kabupaten Sumenep",
        abbreviation="DPI",
        slug="dinas-percobaan-impor",
    )


@pytest.fixture
def seed_export(agency):
    """The seed agency's 2024 plan in the template layout (XLSX bytes)."""
    from kinerja.planning.plan_io.export import export_workbook

    return export_workbook(agency, 2024)
