"""The pemda overview (web:overview): figures from the core, examples, sorting, access, and
a query count that does not grow with the number of agencies."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.examples import create_example_agencies
from kinerja.monitoring.models import QuarterSubmission, Realisation
from kinerja.monitoring.workflow import reopen_quarter
from kinerja.planning.models import Agency, WorkItem
from kinerja.web.overview import pemda_overview

pytestmark = pytest.mark.django_db
URL = "/pemda/2024/tw1/"


def _login(client, demo_users, role="pimpinan"):
    client.force_login(demo_users[role])


def test_the_url_is_named():
    assert reverse("web:overview", kwargs={"year": 2024, "quarter": 1}) == URL


def test_seed_agency_figures(agency):
    rows = pemda_overview(agency.government, year=2024, quarter=1)["rows"]
    row = next(r for r in rows if r["agency"] == agency)
    assert row["capaian_shown"] == "19,55 %"
    assert row["predikat_shown"] == "Sangat Rendah"
    assert row["absorption_shown"] == "11,80 %"
    assert row["status"] == "approved"
    assert row["rank"] == 1


def test_page_shows_seed_figures_and_distribution(client, demo_users, agency):
    _login(client, demo_users)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "19,55 %" in html and "11,80 %" in html and "Sangat Rendah" in html
    assert "Disahkan" in html
    assert reverse("web:quarter", kwargs={"agency": agency.slug, "year": 2024,
                                          "quarter": 1}) in html  # fmt: skip
    dist = {d["label"]: d["count"] for d in response.context["distribution"]}
    assert dist["Sangat Rendah"] >= 1


def test_example_agencies_present_and_idempotent(client, demo_users, agency):
    create_example_agencies(agency.government, count=4)
    create_example_agencies(agency.government, count=4)
    examples = Agency.objects.filter(government=agency.government, is_example=True)
    assert examples.count() == 4
    assert examples.filter(name="Dinas Contoh Pendidikan (contoh)").exists()
    states = set(QuarterSubmission.objects.filter(agency__in=examples, year=2024, quarter=1)
                 .values_list("status", flat=True))  # fmt: skip
    assert states == {"approved", "verified", "submitted", "draft"}
    _login(client, demo_users, "verifikator")
    response = client.get(URL)
    html = response.content.decode()
    for name in ("Dinas Contoh Pendidikan (contoh)", "Dinas Contoh Kesehatan (contoh)",
                 "Diverifikasi", "Diajukan", "Draf"):  # fmt: skip
        assert name in html
    rows = response.context["rows"]
    assert [r["rank"] for r in rows if r["rank"]] == sorted(r["rank"] for r in rows if r["rank"])


def test_sorting_changes_the_order(client, demo_users, agency):
    create_example_agencies(agency.government, count=4)
    _login(client, demo_users)

    def names(query):
        return [r["agency"].name for r in client.get(URL + query).context["rows"]]

    asc, desc = names("?urut=nama&arah=asc"), names("?urut=nama&arah=desc")
    assert asc == sorted(asc, key=str.casefold) and desc == list(reversed(asc))
    by_capaian = client.get(URL + "?urut=capaian&arah=desc").context["rows"]
    values = [r["capaian"] for r in by_capaian if r["capaian"] is not None]
    assert values == sorted(values, reverse=True)
    low_first = [r["capaian"] for r in client.get(URL + "?urut=capaian&arah=asc").context["rows"]
                 if r["capaian"] is not None]  # fmt: skip
    assert low_first == sorted(values)
    assert names("?urut=serapan&arah=asc") != names("?urut=serapan&arah=desc")


def test_agency_without_data_is_shown_with_a_dash(client, demo_users, agency):
    Agency.objects.create(government=agency.government, name="Dinas Kosong", abbreviation="DK",
                          slug="dinas-kosong")  # fmt: skip
    _login(client, demo_users)
    row = next(r for r in client.get(URL).context["rows"] if r["agency"].slug == "dinas-kosong")
    assert (row["capaian_shown"], row["predikat_shown"], row["absorption_shown"],
            row["rank"]) == ("-", "-", "-", None)  # fmt: skip


def test_operator_is_refused(client, demo_users):
    _login(client, demo_users, "operator")
    assert client.get(URL).status_code == 403


def _make_agencies(government, n):
    for i in range(n):
        a = Agency.objects.create(government=government, name=f"Dinas Uji {i:02d}",
                                  abbreviation=f"U{i}", slug=f"uji-{i}", is_example=True)  # fmt: skip
        for p in range(2):
            item = WorkItem.objects.create(agency=a, year=2024, position=p + 1, level="program",
                                           code=f"1.{p}", name=f"Program {p}",
                                           target_k=Decimal(10 + i), budget_original=Decimal(1000))  # fmt: skip
            Realisation.objects.create(work_item=item, quarter=1, value_k=Decimal(p + i % 7),
                                       value_rp=Decimal(100 * (i % 5)))  # fmt: skip
        QuarterSubmission.objects.create(agency=a, year=2024, quarter=1, status="submitted")


def _queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
        assert response.status_code == 200
    return len(ctx.captured_queries), response.context


def test_query_count_does_not_grow_with_agencies(client, demo_users, agency):
    _login(client, demo_users)
    _make_agencies(agency.government, 3)
    few, _context = _queries(client)
    Agency.objects.filter(slug__startswith="uji-").delete()
    _make_agencies(agency.government, 40)
    many, context = _queries(client)  # the data changed: computed again
    assert few == many
    assert len(context["rows"]) >= 41
    kept, _context = _queries(client)  # nothing changed: the kept fragment
    assert kept < many


def _findings_on_both_pages(client, agency):
    rows = client.get(URL).context["rows"]
    counted = next(r for r in rows if r["agency"] == agency)["findings"]
    dashboard = reverse("web:dashboard", kwargs={"agency": agency.slug, "year": 2024,
                                                 "quarter": 1})  # fmt: skip
    return counted, len(client.get(dashboard).context["findings"])


def test_finding_counts_are_the_dashboards_and_follow_the_data(client, demo_users, agency):
    # TW I reopened: an approved quarter reads its snapshot and follows no later change
    reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=1, reason="uji")
    _login(client, demo_users)
    counted, listed = _findings_on_both_pages(client, agency)
    assert counted == listed > 0
    html = client.get(URL).content.decode()
    link = reverse("web:dashboard", kwargs={"agency": agency.slug, "year": 2024, "quarter": 1})
    assert f'href="{link}#h-find"' in html
    # a TW IV value while TW I is reported is a finding of the form: both pages count it
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").exclude(
        realisations__quarter=4).first()  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=4, value_k=Decimal(5))
    assert _findings_on_both_pages(client, agency) == (counted + 1, counted + 1)
