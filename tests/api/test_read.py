"""The read routes against the seed (BKPSDM Sumenep, TW I 2024 approved): what each answers,
as the app and the command line answer it."""

import json

import pytest
from django.core.files.base import ContentFile

from kinerja.api.models import RateCount
from kinerja.api.versions import REALISATION_FIELDS, version_of
from kinerja.cli import main
from kinerja.monitoring.models import GeneratedReport, Realisation
from kinerja.planning.models import Agency, Government, WorkItem

pytestmark = pytest.mark.django_db

BASE = "/api/agencies/bkpsdm-sumenep"
Q1 = BASE + "/years/2024/quarters/1"


@pytest.fixture
def admin_token(token_of):
    return token_of("admin")


def test_the_evaluation_equals_the_commands(capsys, api_get, admin_token):
    assert main(["evaluate", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
                 "--json"]) == 0  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    response = api_get(Q1 + "/evaluation", admin_token)
    assert response.status_code == 200
    assert response.json() == printed
    assert len(printed["rows"]) == 61 and printed["footer"]["k"]


def test_the_evaluation_of_a_year_without_renja_is_404(api_get, admin_token):
    response = api_get(BASE + "/years/2030/quarters/1/evaluation", admin_token)
    assert response.status_code == 404
    assert "belum punya program/kegiatan untuk tahun 2030" in response.json()["message"]


def test_agencies_and_governments_are_what_the_user_reads(api_get, token_of, agency):
    government = Government.objects.create(name="Kabupaten Lain", slug="lain", region="X")
    Agency.objects.create(government=government, name="Dinas Lain", abbreviation="DL",
                          slug="dinas-lain")  # fmt: skip
    ours = set(Agency.objects.filter(government=agency.government).values_list("slug", flat=True))
    admin = api_get("/api/agencies", token_of("admin")).json()
    assert {a["slug"] for a in admin["items"]} == ours and admin["count"] == len(ours)
    operator = api_get("/api/agencies", token_of("operator")).json()
    assert [a["slug"] for a in operator["items"]] == ["bkpsdm-sumenep"]
    filtered = api_get("/api/agencies?government=lain", token_of("admin")).json()
    assert filtered["count"] == 0
    governments = api_get("/api/governments", token_of("evaluator")).json()["items"]
    assert [g["slug"] for g in governments] == [agency.government.slug]


def test_pagination_of_the_renja(api_get, admin_token):
    page = api_get(BASE + "/years/2024/renja?limit=10&offset=55", admin_token).json()
    assert page["count"] == 61 and page["limit"] == 10 and page["offset"] == 55
    expected = list(WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024)
                    .order_by("position").values_list("pk", flat=True)[55:])  # fmt: skip
    assert [i["id"] for i in page["items"]] == expected
    too_many = api_get(BASE + "/years/2024/renja?limit=501", admin_token)
    assert too_many.status_code == 422
    assert too_many.json()["details"][0]["message"] == "paling besar 500"


def test_renja_filtered_by_level_with_exact_figures(api_get, admin_token):
    page = api_get(BASE + "/years/2024/renja?level=program", admin_token).json()
    programs = WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024, level="program")
    assert page["count"] == programs.count() > 0
    assert {i["level"] for i in page["items"]} == {"program"}
    first = programs.order_by("position").first()
    got = page["items"][0]
    assert got["budget"] == f"{first.budget:f}" and isinstance(got["budget"], str)
    assert api_get(BASE + "/years/2024/renja?level=bidang", admin_token).status_code == 422


def test_realisations_carry_versions_and_single_rows_an_etag(api_get, token_of):
    secret = token_of("operator")
    listed = api_get(Q1 + "/realisations?limit=500", secret).json()
    assert listed["count"] == 61
    row = listed["items"][0]
    stored = Realisation.objects.get(work_item_id=row["work_item_id"], quarter=1)
    assert row["value_rp"] == f"{stored.value_rp:f}" and row["stored"] is True
    single = api_get(f"{Q1}/realisations/{row['work_item_id']}", secret)
    assert single.json() == row
    assert single["ETag"] == f'"{row["version"]}"'
    # the version follows the stored values, and only them
    stored.value_rp += 1
    stored.save()
    changed = api_get(f"{Q1}/realisations/{row['work_item_id']}", secret).json()
    assert changed["version"] != row["version"]
    stored.value_rp -= 1
    stored.save()
    assert api_get(f"{Q1}/realisations/{row['work_item_id']}", secret).json() == row


def test_a_row_not_stored_has_the_version_of_its_empty_values(api_get, token_of):
    item = WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024).first()
    response = api_get(f"{BASE}/years/2024/quarters/4/realisations/{item.pk}", token_of("admin"))
    body = response.json()
    assert body["stored"] is False and body["value_k"] is None
    assert body["version"] == version_of({}, REALISATION_FIELDS)


def test_a_row_of_another_year_or_agency_is_404(api_get, admin_token):
    item = WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024).first()
    assert api_get(f"{BASE}/years/2025/quarters/1/realisations/{item.pk}",
                   admin_token).status_code == 404  # fmt: skip
    assert api_get(f"{BASE}/years/2024/quarters/1/realisations/999999",
                   admin_token).json()["code"] == "not_found"  # fmt: skip
    assert api_get(f"{BASE}/years/2024/quarters/5/realisations/{item.pk}",
                   admin_token).status_code == 422  # fmt: skip


def test_iku_realisations_and_renstra_targets(api_get, admin_token):
    iku = api_get(Q1 + "/iku-realisations", admin_token).json()
    assert iku and all(r["stored"] for r in iku)
    first = api_get(f"{Q1}/iku-realisations/{iku[0]['indicator_id']}", admin_token)
    assert first.json() == iku[0] and first["ETag"] == f'"{iku[0]["version"]}"'
    renstra = api_get(BASE + "/renstra", admin_token).json()
    indicators = [i for p in renstra for g in p["goals"]
                  for i in g["indicators"] + [x for o in g["objectives"] for x in o["indicators"]]]  # fmt: skip
    revised = [t for i in indicators for t in i["targets"] if t["revised"] is not None]
    assert revised and all(t["current"] == t["revised"] for t in revised)
    keyed = api_get(BASE + "/iku?year=2024", admin_token).json()
    assert {i["id"] for i in keyed} == {r["indicator_id"] for r in iku}
    assert all(t["year"] == 2024 for i in keyed for t in i["targets"])


def test_pk_submission_and_findings(api_get, admin_token):
    pk = api_get(BASE + "/years/2024/pk", admin_token).json()
    assert pk["year"] == 2024 and pk["targets"] and pk["lines"]
    submission = api_get(Q1 + "/submission", admin_token).json()
    assert submission["status"] == "approved" and submission["status_label"] == "Disahkan"
    assert submission["editable"] is False
    assert submission["timeline"][-1]["to_status"] == "approved"
    draft = api_get(BASE + "/years/2024/quarters/2/submission", admin_token).json()
    assert draft["status"] == "draft" and draft["editable"] is True
    findings = api_get(Q1 + "/findings", admin_token).json()
    assert findings["blocking"] == sum(1 for i in findings["items"] if i["blocks"])
    assert findings["draft"] is False


def test_reports_list_and_download_a_stored_file(api_get, admin_token, agency):
    row = GeneratedReport(agency=agency, year=2024, quarter=1, document="form", format="xlsx",
                          data_hash="a" * 64, template_hash="b" * 64)  # fmt: skip
    row.file.save("formulir-tw1.xlsx", ContentFile(b"isi berkas"), save=True)
    reports = api_get(Q1 + "/reports", admin_token).json()
    assert {(o["document"], o["format"]) for o in reports["offers"]} >= {("form", "xlsx")}
    (made,) = reports["files"]
    assert made["url"].endswith(f"/laporan/form.xlsx?berkas={row.pk}")
    path = made["api_url"].removeprefix("http://testserver")
    response = api_get(path, admin_token)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"isi berkas"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_reports_offer_opens_a_job_as_in_the_app(api_get, admin_token, client, demo_users,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    """The offer's url is the app's download link: in a browser session it puts a job on the
    task queue and sends to the job's page; nothing is rendered in the request."""
    from kinerja.reporting.models import ReportJob

    offers = api_get(Q1 + "/reports", admin_token).json()["offers"]
    (offer,) = [o for o in offers if (o["document"], o["format"]) == ("form", "xlsx")]
    client.force_login(demo_users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(offer["url"].removeprefix("http://testserver"))
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/laporan/antrean/{job.pk}/")  # fmt: skip
    assert (job.document, job.format, job.task_id != "") == ("form", "xlsx", True)
    assert not GeneratedReport.objects.exists()


def test_rate_limit_per_token_in_the_database(api_get, token_of, settings, monkeypatch):
    from types import SimpleNamespace

    from django.utils import timezone

    from kinerja.api import throttle

    # every request in one window, however slow the machine: a minute turning between two
    # requests would open a new window and let the fourth one through (seen under load)
    at = timezone.now().replace(second=30, microsecond=0)
    monkeypatch.setattr(throttle, "timezone", SimpleNamespace(now=lambda: at))
    settings.KINERJA_API_RATE_LIMIT = 3
    busy, calm = token_of("operator"), token_of("verifikator")
    assert [api_get("/api/agencies", busy).status_code for _ in range(3)] == [200] * 3
    refused = api_get("/api/agencies", busy)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) == 30  # the seconds left of the window
    assert "paling banyak 3 per menit" in refused.json()["message"]
    assert api_get("/api/agencies", calm).status_code == 200  # per token
    # counted in the database (every process sees it), not in this process
    assert sorted(RateCount.objects.values_list("count", flat=True)) == [1, 4]
    RateCount.objects.all().delete()  # as another process would see a new window
    assert api_get("/api/agencies", busy).status_code == 200


def _pemda(slug, province, agencies=1):
    government = Government.objects.create(name=f"Kab {slug}", slug=slug, region="X",
                                           province=province)  # fmt: skip
    for n in range(agencies):
        Agency.objects.create(government=government, name=f"Dinas {slug} {n}",
                              abbreviation=f"D{n}", slug=f"{slug}-{n}")  # fmt: skip
    return government


def test_the_readers_above_the_pemda_list_what_they_open(api_get, token_of, agency):
    """«provinsi» (scope: Jawa Timur, the demo pemda's province) lists its province's agencies
    and pemda, «nasional» the country's — each one it opens by slug — in the same number of
    queries whatever their number; the pemda's own roles still list their pemda only."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.planning.models import Province

    jatim = Province.objects.get(code="35")
    aceh = Province.objects.create(code="11", name="Aceh")
    _pemda("dekat", jatim)
    _pemda("jauh", aceh)
    ours = set(Agency.objects.filter(government=agency.government).values_list("slug", flat=True))
    listed = {}
    for who in ("provinsi", "nasional", "admin"):
        token = token_of(who)
        slugs = {a["slug"] for a in api_get("/api/agencies?limit=500", token).json()["items"]}
        pemda = {g["slug"] for g in api_get("/api/governments", token).json()["items"]}
        listed[who] = (slugs - ours, pemda - {agency.government.slug})
        for slug in slugs:  # each one listed opens
            assert api_get(f"/api/agencies/{slug}", token).status_code == 200, (who, slug)
        for slug in pemda:
            assert api_get(f"/api/governments/{slug}", token).status_code == 200, (who, slug)
    assert listed == {"provinsi": ({"dekat-0"}, {"dekat"}),
                      "nasional": ({"dekat-0", "jauh-0"}, {"dekat", "jauh"}),
                      "admin": (set(), set())}  # fmt: skip
    assert api_get("/api/agencies/jauh-0", token_of("provinsi")).status_code == 403
    assert api_get("/api/governments/jauh", token_of("provinsi")).status_code == 403
    filtered = api_get("/api/agencies?government=dekat", token_of("provinsi")).json()
    assert [a["slug"] for a in filtered["items"]] == ["dekat-0"]

    def queries(who):
        token = token_of(who)
        with CaptureQueriesContext(connection) as seen:
            assert api_get("/api/agencies?limit=500", token).status_code == 200
        return len(seen)

    before = {who: queries(who) for who in ("provinsi", "nasional")}
    for n in range(5):
        _pemda(f"lagi{n}", jatim, agencies=4)
    after = {who: queries(who) for who in ("provinsi", "nasional")}
    assert after == before
    assert api_get("/api/agencies?limit=500", token_of("provinsi")).json()["count"] == (
        len(ours) + 1 + 20
    )


def test_a_further_indicator_names_its_item(api_get, admin_token):
    program = WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024,
                                      level="program").order_by("position").first()  # fmt: skip
    more = WorkItem.objects.create(
        agency=program.agency, year=2024, parent=None, level="program", position=10_000,
        code=program.code, name=program.name, indicator="Indeks kepuasan", unit="Indeks",
        indicator_of=program)  # fmt: skip
    page = api_get(BASE + "/years/2024/renja?level=program&limit=500", admin_token).json()
    by_id = {i["id"]: i for i in page["items"]}
    assert by_id[more.pk]["indicator_of_id"] == program.pk and by_id[more.pk]["budget"] is None
    assert by_id[program.pk]["indicator_of_id"] is None
