"""Writing a quarter's realisations through the API: the grid's save (all or nothing, the
bounds, the quarter's state) with a version per row (412 when stale, rows not sent never
touched), history naming the token's user with the reason. The seed: BKPSDM Sumenep, TW I
2024 approved, TW II 2024 a draft whose period is open today."""

from decimal import Decimal

import pytest
from django.utils import timezone

from kinerja.api.models import AccessToken
from kinerja.api.versions import REALISATION_FIELDS, row_version
from kinerja.monitoring.models import QuarterSubmission, Realisation, SubmissionStatus
from kinerja.planning.models import WorkItem
from tests.api.write_helpers import open_period, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("open_period")]
__all__ = ["open_period"]

BASE = "/api/agencies/bkpsdm-sumenep/years/2024/quarters"
Q2 = BASE + "/2/realisations"


@pytest.fixture
def operator_token(token_of):
    return token_of("operator")


@pytest.fixture
def items(agency):
    return list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))


def post(client, url, body, token):
    return send(client, "POST", url, body, token)


def put(client, url, body, token, version=None):
    return send(client, "PUT", url, body, token, version)


def version(item, quarter=2):
    return row_version(Realisation.objects.filter(work_item=item, quarter=quarter).first(),
                       REALISATION_FIELDS)  # fmt: skip


def test_a_batch_writes_every_row_with_history_naming_the_token_user(client, api_get, items,
                                                                     operator_token, demo_users):  # fmt: skip
    listed = api_get(Q2, operator_token).json()["items"]
    rows = [{"work_item_id": r["work_item_id"], "version": r["version"],
             "value_k": str(n + 1), "value_rp": f"{1000 * (n + 1)}.5"}
            for n, r in enumerate(listed[:5])]  # fmt: skip
    response = post(client, Q2, {"reason": "data dari SIPD", "rows": rows}, operator_token)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["changed"] == 10
    assert [r["value_k"] for r in body["rows"]] == ["1", "2", "3", "4", "5"]
    assert body["rows"][1]["value_rp"] == "2000.5"
    stored = Realisation.objects.get(work_item_id=rows[2]["work_item_id"], quarter=2)
    assert stored.value_k == 3 and stored.value_rp == Decimal("3000.5")
    assert body["rows"][2]["version"] == version(stored.work_item)
    history = stored.history.order_by("-history_date").first()
    assert history.history_user == demo_users["operator"]
    assert history.history_change_reason == "data dari SIPD"


def test_one_bad_value_writes_nothing_and_names_its_row(client, api_get, items, operator_token):
    listed = api_get(Q2, operator_token).json()["items"]
    before = Realisation.objects.filter(quarter=2).count()
    history = Realisation.history.count()
    rows = [{"work_item_id": r["work_item_id"], "version": r["version"], "value_k": "7"}
            for r in listed[:4]]  # fmt: skip
    rows[3]["value_rp"] = "12.345"  # Rp keeps two decimals: the one parser refuses it
    response = post(client, Q2, {"rows": rows}, operator_token)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["details"][0]["loc"] == ["body", "rows", 3, "value_rp"]
    assert "2 angka di belakang koma" in body["details"][0]["message"]
    assert Realisation.objects.filter(quarter=2).count() == before
    assert Realisation.history.count() == history


@pytest.mark.parametrize("bad", ["1,5", "1e3", "1.905.955", "abc", " "])
def test_figures_are_plain_notation_strings(client, api_get, items, operator_token, bad):
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": bad}
    response = post(client, Q2, {"rows": [row]}, operator_token)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "rows", 0, "value_k"]
    assert not Realisation.objects.filter(work_item=items[0], quarter=2).exists()


@pytest.mark.parametrize(
    ("value", "said"), [("10000000000000", "nilai K"), ("0.1234567", "6 angka di belakang koma")]
)
def test_a_value_over_the_bound_is_422_in_indonesian(client, items, operator_token, value, said):
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": value}
    body = post(client, Q2, {"rows": [row]}, operator_token).json()
    assert body["code"] == "invalid_input"
    assert said in body["details"][0]["message"]
    assert not Realisation.objects.filter(work_item=items[0], quarter=2).exists()


def test_a_stale_row_is_412_with_its_current_values_and_nothing_is_written(client, items,
                                                                           operator_token,
                                                                           demo_users):  # fmt: skip
    a, b = items[3], items[4]
    drawn_a, drawn_b = version(a), version(b)
    # someone else writes b after our client read it
    put(client, f"{Q2}/{b.pk}", {"value_k": "9", "note": "dari layar"}, operator_token, drawn_b)
    rows = [{"work_item_id": a.pk, "version": drawn_a, "value_k": "1"},
            {"work_item_id": b.pk, "version": drawn_b, "value_k": "2"}]  # fmt: skip
    response = post(client, Q2, {"rows": rows}, operator_token)
    assert response.status_code == 412
    body = response.json()
    assert body["code"] == "stale"
    [late] = body["details"]["rows"]
    assert late["work_item_id"] == b.pk
    assert late["value_k"] == "9" and late["note"] == "dari layar"
    assert late["version"] == version(b) != drawn_b
    assert not Realisation.objects.filter(work_item=a, quarter=2).exists()  # all or nothing
    # sent again with the current version: written
    rows[1]["version"] = late["version"]
    assert post(client, Q2, {"rows": rows}, operator_token).status_code == 200
    assert Realisation.objects.get(work_item=b, quarter=2).value_k == 2
    assert Realisation.objects.get(work_item=b, quarter=2).note == "dari layar"  # not sent: kept


def test_a_retry_of_what_is_stored_is_no_conflict(client, items, operator_token):
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": "4"}
    assert post(client, Q2, {"rows": [row]}, operator_token).status_code == 200
    again = post(client, Q2, {"rows": [row]}, operator_token)  # the old version, same value
    assert again.status_code == 200 and again.json()["changed"] == 0


def test_rows_not_sent_and_fields_not_sent_are_never_touched(client, items, operator_token):
    other = Realisation.objects.create(work_item=items[10], quarter=2, value_k=5, note="x")
    mine = Realisation.objects.create(work_item=items[11], quarter=2, value_k=1, value_rp=10,
                                      note="tetap")  # fmt: skip
    row = {"work_item_id": items[11].pk, "version": version(items[11]), "value_k": "2"}
    assert post(client, Q2, {"rows": [row]}, operator_token).status_code == 200
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.value_k, mine.value_rp, mine.note) == (2, 10, "tetap")
    assert (other.value_k, other.note) == (5, "x") and other.history.count() == 1  # its creation
    # null empties a figure
    row = {"work_item_id": items[11].pk, "version": version(items[11]), "value_rp": None}
    assert post(client, Q2, {"rows": [row]}, operator_token).status_code == 200
    mine.refresh_from_db()
    assert mine.value_rp is None and mine.value_k == 2


def test_single_row_put_needs_if_match_and_answers_its_etag(client, api_get, items,
                                                            operator_token):  # fmt: skip
    url = f"{Q2}/{items[0].pk}"
    missing = put(client, url, {"value_k": "3"}, operator_token)
    assert missing.status_code == 428 and missing.json()["code"] == "precondition_required"
    etag = api_get(url, operator_token)["ETag"].strip('"')
    response = put(client, url, {"value_k": "3"}, operator_token, etag)
    assert response.status_code == 200
    assert response["ETag"] == f'"{version(items[0])}"' != f'"{etag}"'
    assert response.json()["value_k"] == "3"
    response = put(client, url, {"value_k": "5"}, operator_token, etag)  # the old ETag
    assert response.status_code == 412
    assert response.json()["details"]["rows"][0]["value_k"] == "3"
    assert Realisation.objects.get(work_item=items[0], quarter=2).value_k == 3


def test_another_agencys_row_in_a_batch_is_refused(client, items, operator_token):
    foreign = WorkItem.objects.exclude(agency__slug="bkpsdm-sumenep").first()
    if foreign is None:  # the seed has one agency: make a row elsewhere in the pemda
        from kinerja.planning.models import Agency

        other = Agency.objects.create(government=items[0].agency.government, name="Dinas X",
                                      abbreviation="DX", slug="dinas-x")  # fmt: skip
        foreign = WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                                          code="1.01.01", name="Program X")  # fmt: skip
    rows = [{"work_item_id": items[0].pk, "version": version(items[0]), "value_k": "1"},
            {"work_item_id": foreign.pk, "version": version(foreign), "value_k": "1"}]  # fmt: skip
    response = post(client, Q2, {"rows": rows}, operator_token)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "rows", 1, "work_item_id"]
    assert (
        not Realisation.objects.filter(quarter=2).filter(work_item__in=[items[0], foreign]).exists()
    )


def test_an_approved_quarter_is_refused_409(client, items, operator_token):
    before = Realisation.objects.get(work_item=items[0], quarter=1)
    row = {"work_item_id": items[0].pk, "version": version(items[0], 1), "value_k": "999"}
    response = post(client, BASE + "/1/realisations", {"rows": [row]}, operator_token)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "refused" and "Disahkan" in body["message"]
    after = Realisation.objects.get(work_item=items[0], quarter=1)
    assert after.value_k == before.value_k


def test_a_returned_quarter_needs_a_reason(client, items, operator_token):
    QuarterSubmission.objects.filter(agency=items[0].agency, year=2024, quarter=2).update(
        status=SubmissionStatus.RETURNED)  # fmt: skip
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": "1"}
    response = post(client, Q2, {"rows": [row]}, operator_token)
    assert response.status_code == 409 and "alasan" in response.json()["message"]
    assert post(client, Q2, {"reason": "koreksi", "rows": [row]}, operator_token).status_code == 200


@pytest.mark.parametrize("role", ["verifikator", "evaluator", "pimpinan", "admin"])
def test_roles_that_do_not_enter_data_are_refused(client, items, token_of, role):
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": "1"}
    response = post(client, Q2, {"rows": [row]}, token_of(role))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Realisation.objects.filter(work_item=items[0], quarter=2).exists()


def test_revoked_and_expired_tokens_write_nothing(client, items, operator_token, token_of):
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": "1"}
    AccessToken.objects.update(revoked=timezone.now())
    assert post(client, Q2, {"rows": [row]}, operator_token).status_code == 401
    expiring = token_of("operator", expires_days=1)
    AccessToken.objects.filter(revoked=None).update(expires=timezone.now())
    response = post(client, Q2, {"rows": [row]}, expiring)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert not Realisation.objects.filter(work_item=items[0], quarter=2).exists()


def test_the_session_writes_only_with_csrf(client, items, demo_users):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(demo_users["operator"])
    row = {"work_item_id": items[0].pk, "version": version(items[0]), "value_k": "1"}
    response = post(browser, Q2, {"rows": [row]}, None)
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"
    assert not Realisation.objects.filter(work_item=items[0], quarter=2).exists()


def test_a_batch_of_the_whole_grid(client, api_get, items, operator_token):
    """61 rows at once, as the bench sends them: every row written, one history row each."""
    listed = api_get(Q2, operator_token).json()["items"]
    assert len(listed) == 61
    rows = [{"work_item_id": r["work_item_id"], "version": r["version"], "value_k": str(n)}
            for n, r in enumerate(listed, start=1)]  # fmt: skip
    response = post(client, Q2, {"reason": "impor", "rows": rows}, operator_token)
    assert response.status_code == 200
    assert Realisation.objects.filter(work_item__in=items, quarter=2).count() == 61
    assert Realisation.history.filter(work_item__in=items, quarter=2).count() == 61
