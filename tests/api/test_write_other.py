"""The API's other writes, each through the screen's domain function: IKU realisations
(record_indicator_realisation), narratives (save_narratives), Renja items (renja_edit),
pagu and target revisions (planning.domain), the quarter's workflow (monitoring.workflow).
Each: the version rule (412 with the current values), history naming the token's user with
the reason, refusals as JSON."""

from datetime import date
from decimal import Decimal

import pytest

from kinerja.api.versions import INDICATOR_REALISATION_FIELDS, row_version
from kinerja.api.write import target_version, work_item_version
from kinerja.monitoring.models import (
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    SubmissionEvent,
    SubmissionStatus,
)
from kinerja.planning.models import Indicator, IndicatorTarget, WorkItem
from tests.api.write_helpers import open_period, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("open_period")]
__all__ = ["open_period"]

AGENCY = "/api/agencies/bkpsdm-sumenep"
Q = AGENCY + "/years/2024/quarters"


@pytest.fixture
def iku(agency):
    return list(Indicator.objects.filter(plan__agency=agency, is_key=True, plan__start_year__lte=2024,
                                         plan__end_year__gte=2024).order_by("position"))  # fmt: skip


def iku_version(indicator, quarter=2):
    row = IndicatorRealisation.objects.filter(indicator=indicator, year=2024,
                                              quarter=quarter).first()  # fmt: skip
    return row_version(row, INDICATOR_REALISATION_FIELDS)


# ---- IKU realisations ---------------------------------------------------------------------


def test_iku_batch_all_or_nothing_and_history(client, iku, token_of, demo_users):
    token = token_of("operator")
    a, b = iku[0], iku[1]
    rows = [{"indicator_id": a.pk, "version": iku_version(a), "value": "75.5",
             "measured_on": "2024-06-30", "source": "BKN"},
            {"indicator_id": b.pk, "version": iku_version(b), "value": "1e9"}]  # fmt: skip
    response = send(client, "POST", Q + "/2/iku-realisations", {"rows": rows}, token)
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"] == ["body", "rows", 1, "value"]
    assert not IndicatorRealisation.objects.filter(quarter=2, year=2024).exists()
    rows[1]["value"] = "80"
    response = send(client, "POST", Q + "/2/iku-realisations",
                    {"reason": "dari e-kinerja", "rows": rows}, token)  # fmt: skip
    assert response.status_code == 200, response.content
    assert response.json()["changed"] == 2
    stored = IndicatorRealisation.objects.get(indicator=a, year=2024, quarter=2)
    assert stored.value == Decimal("75.5") and stored.measured_on == date(2024, 6, 30)
    latest = stored.history.latest("history_date")
    assert latest.history_user == demo_users["operator"]
    assert latest.history_change_reason == "dari e-kinerja"


def test_iku_put_stale_if_match_is_412_with_current_values(client, iku, token_of):
    token = token_of("operator")
    url = f"{Q}/2/iku-realisations/{iku[0].pk}"
    first = iku_version(iku[0])
    ok = send(client, "PUT", url, {"value": "10"}, token, first)
    assert ok.status_code == 200 and ok["ETag"] == f'"{iku_version(iku[0])}"'
    late = send(client, "PUT", url, {"value": "11"}, token, first)
    assert late.status_code == 412
    assert late.json()["details"]["rows"][0]["value"] == "10"
    assert IndicatorRealisation.objects.get(indicator=iku[0], year=2024, quarter=2).value == 10
    assert send(client, "PUT", url, {"value": "11"}, token).status_code == 428


def test_iku_of_an_approved_quarter_is_refused(client, iku, token_of):
    row = {"indicator_id": iku[0].pk, "version": iku_version(iku[0], 1), "value": "1"}
    response = send(client, "POST", Q + "/1/iku-realisations", {"rows": [row]},
                    token_of("operator"))  # fmt: skip
    assert response.status_code == 409 and response.json()["code"] == "refused"


# ---- narratives ---------------------------------------------------------------------------


def test_narratives_version_and_history(client, api_get, token_of, demo_users):
    token = token_of("operator")
    listed = api_get(Q + "/2/narratives", token).json()
    foreword = next(n for n in listed if n["kind"] == "foreword")
    factor = next(n for n in listed if n["kind"] == "supporting")
    body = {"reason": "dari rapat", "texts": [
        {"kind": "foreword", "text": "Baris satu\nBaris dua", "version": foreword["version"]},
        {"kind": "supporting", "indicator_id": factor["indicator_id"],
         "work_item_id": factor["work_item_id"], "text": "Dukungan", "version": factor["version"]},
    ]}  # fmt: skip
    response = send(client, "PUT", Q + "/2/narratives", body, token)
    assert response.status_code == 200, response.content
    lines = Narrative.objects.filter(quarter=2, year=2024, kind="foreword").order_by("position")
    assert [n.text for n in lines] == ["Baris satu", "Baris dua"]
    assert lines[0].history.latest("history_date").history_user == demo_users["operator"]
    assert lines[0].history.latest("history_date").history_change_reason == "dari rapat"
    # the old version again with other text: stale, nothing written
    body["texts"][0]["text"] = "Lain"
    late = send(client, "PUT", Q + "/2/narratives", body, token)
    assert late.status_code == 412
    assert late.json()["details"]["rows"][0]["text"] == "Baris satu\nBaris dua"
    assert [n.text for n in lines.all()] == ["Baris satu", "Baris dua"]


def test_a_narrative_the_page_does_not_have_is_422(client, token_of):
    body = {"texts": [{"kind": "supporting", "text": "x", "version": "0" * 16}]}
    response = send(client, "PUT", Q + "/2/narratives", body, token_of("operator"))
    assert response.status_code == 422


# ---- Renja items, pagu, targets -------------------------------------------------------------


def test_renja_item_patch_with_if_match_and_history(client, agency, token_of, demo_users):
    token = token_of("admin")  # the pemda's admin acts for the agency on the planning screens
    item = WorkItem.objects.filter(agency=agency, year=2025).order_by("position").first()
    year = item.year if item else 2024
    item = item or WorkItem.objects.filter(agency=agency, year=2024).order_by("position").first()
    url = f"{AGENCY}/years/{year}/renja/{item.pk}"
    got = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert got.status_code == 200 and got["ETag"] == f'"{work_item_version(item)}"'
    drawn = got["ETag"].strip('"')
    body = {"changes": {"indicator": "Persentase dokumen tepat waktu"}, "reason": "sinkron SIPD"}
    if year == 2024:  # TW I 2024 is approved: a change of the year's plan is a revision
        body["revision"] = {"on": "2024-07-01", "reason": "APBD-P", "legal_basis": "Perbup 1/2024"}
    response = send(client, "PATCH", url, body, token, drawn)
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.indicator == "Persentase dokumen tepat waktu"
    assert response["ETag"] == f'"{work_item_version(item)}"' != f'"{drawn}"'
    latest = item.history.latest("history_date")
    assert latest.history_user == demo_users["admin"]
    assert ("sinkron SIPD" if year != 2024 else "APBD-P") in latest.history_change_reason
    late = send(client, "PATCH", url, {**body, "changes": {"indicator": "lain"}}, token, drawn)
    assert late.status_code == 412
    assert late.json()["details"]["rows"][0]["indicator"] == "Persentase dokumen tepat waktu"


def test_renja_change_of_a_locked_year_without_revision_is_422(client, agency, token_of):
    item = WorkItem.objects.filter(agency=agency, year=2024).order_by("position").first()
    url = f"{AGENCY}/years/2024/renja/{item.pk}"
    response = send(client, "PATCH", url, {"changes": {"name": "Baru"}}, token_of("operator"),
                    work_item_version(item))  # fmt: skip
    assert response.status_code == 422
    assert "revisi" in response.json()["message"]
    item.refresh_from_db()
    assert item.name != "Baru"


def test_renja_create_under_a_program(client, agency, token_of):
    program = WorkItem.objects.filter(agency=agency, year=2024, level="program").first()
    before = WorkItem.objects.filter(agency=agency, year=2024).count()
    body = {"level": "kegiatan", "parent_id": program.pk, "code": program.code + ".2.99",
            "name": "Kegiatan Baru", "budget": "1000000",
            "revision": {"on": "2024-07-01", "reason": "tambahan", "legal_basis": "Perbup 2/2024"}}  # fmt: skip
    response = send(client, "POST", f"{AGENCY}/years/2024/renja", body, token_of("operator"))
    assert response.status_code == 201, response.content
    assert WorkItem.objects.filter(agency=agency, year=2024).count() == before + 1
    made = WorkItem.objects.get(pk=response.json()["id"])
    assert made.name == "Kegiatan Baru" and made.budget == 1000000
    assert response["ETag"] == f'"{work_item_version(made)}"'


def test_budget_revision_with_reason_and_legal_basis(client, agency, token_of, demo_users):
    item = WorkItem.objects.filter(agency=agency, year=2024, level="program").first()
    url = f"{AGENCY}/years/2024/renja/{item.pk}/budget-revision"
    body = {"amount": "123456789.5", "on": "2024-09-01", "reason": "APBD Perubahan",
            "legal_basis": "Perda 5/2024"}  # fmt: skip
    response = send(client, "PUT", url, body, token_of("operator"), work_item_version(item))
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.budget_revised == Decimal("123456789.5")
    assert item.history.latest("history_date").history_change_reason == "APBD Perubahan"
    assert item.history.latest("history_date").history_user == demo_users["operator"]
    no_reason = send(client, "PUT", url, {**body, "reason": " "}, token_of("operator"),
                     work_item_version(item))  # fmt: skip
    assert no_reason.status_code == 422


def test_target_revision_stale_and_written(client, agency, token_of, demo_users):
    target = IndicatorTarget.objects.filter(indicator__plan__agency=agency, year=2025).first()
    url = f"{AGENCY}/targets/{target.pk}/revision"
    drawn = target_version(target)
    body = {"value": "88", "on": "2025-03-01", "reason": "Renstra perubahan",
            "legal_basis": "Perbup 3/2025"}  # fmt: skip
    response = send(client, "PUT", url, body, token_of("operator"), drawn)
    assert response.status_code == 200, response.content
    target.refresh_from_db()
    assert target.revised == 88 and target.revision_reason == "Renstra perubahan"
    assert target.history.latest("history_date").history_user == demo_users["operator"]
    late = send(client, "PUT", url, {**body, "value": "90"}, token_of("operator"), drawn)
    assert late.status_code == 412 and late.json()["details"]["rows"][0]["revised"] == "88"


# ---- workflow -------------------------------------------------------------------------------


def _status(agency, quarter=2):
    return QuarterSubmission.objects.get(agency=agency, year=2024, quarter=quarter).status


def test_the_workflow_through_the_api(client, agency, token_of, demo_users):
    act = Q + "/2/actions/"
    response = send(client, "POST", act + "submit", {}, token_of("operator"))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted" and _status(agency) == "submitted"
    assert send(client, "POST", act + "return", {}, token_of("verifikator")).status_code == 409
    response = send(client, "POST", act + "return", {"reason": "lengkapi bukti"},
                    token_of("verifikator"))  # fmt: skip
    assert response.status_code == 200 and _status(agency) == "returned"
    event = SubmissionEvent.objects.filter(submission__agency=agency).latest("at")
    assert (event.actor, event.reason) == (demo_users["verifikator"], "lengkapi bukti")
    assert send(client, "POST", act + "submit", {}, token_of("operator")).status_code == 200
    assert send(client, "POST", act + "verify", {}, token_of("verifikator")).status_code == 200
    # the seed's TW II has blocking findings: approval needs the reason, recorded
    refused = send(client, "POST", act + "approve", {}, token_of("pimpinan"))
    if refused.status_code == 409:
        assert "Lembar Pemeriksaan" in refused.json()["message"]
        assert _status(agency) == "verified"
    response = send(client, "POST", act + "approve", {"reason": "disahkan apa adanya"},
                    token_of("pimpinan"))  # fmt: skip
    assert response.status_code == 200 and _status(agency) == SubmissionStatus.APPROVED
    assert send(client, "POST", act + "reopen", {}, token_of("admin")).status_code == 409
    response = send(client, "POST", act + "reopen", {"reason": "salah input"}, token_of("admin"))
    assert response.status_code == 200 and _status(agency) == "draft"


def test_an_action_the_role_may_not_do_is_403(client, agency, token_of):
    for role, action in (("operator", "verify"), ("verifikator", "submit"),
                         ("evaluator", "return"), ("pimpinan", "reopen"), ("admin", "approve")):  # fmt: skip
        response = send(client, "POST", f"{Q}/2/actions/{action}", {"reason": "x"},
                        token_of(role))  # fmt: skip
        assert response.status_code == 403, (role, action)
    assert _status(agency) == "draft"
    assert send(client, "POST", f"{Q}/2/actions/publish", {}, token_of("admin")).status_code == 422


@pytest.mark.parametrize("reader", ["provinsi", "nasional"])
def test_a_reader_above_the_pemda_may_not_move_its_quarters(client, agency, token_of, reader):
    """«provinsi» (a verifikator of the demo pemda with its province's scope) and «nasional»
    read the quarter through the API but verify, return or reopen none: 403, state kept."""
    act = Q + "/2/actions/"
    assert send(client, "POST", act + "submit", {}, token_of("operator")).status_code == 200
    read = client.get(Q + "/2/submission", HTTP_AUTHORIZATION=f"Bearer {token_of(reader)}")
    assert read.status_code == 200 and read.json()["status"] == "submitted"
    for action in ("verify", "return", "reopen"):
        response = send(client, "POST", act + action, {"reason": "x"}, token_of(reader))
        assert response.status_code == 403, action
    assert _status(agency) == "submitted"
