"""The admin shows the quarterly data of a submitted, verified or approved quarter read-only,
with a note why, and records the reason of every change it does allow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.monitoring.models import (
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    SubmissionStatus,
)

from ..conftest import SEED_TODAY
from ..planning.test_admin import admin_form

pytestmark = pytest.mark.django_db

NOTE = "hanya dapat dibaca di sini"


def _url(obj, action: str) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj.pk])


@pytest.fixture
def admin_client(client, demo_users):
    client.force_login(demo_users["admin"])
    return client


def _approved_tw1(agency):
    """One record of each kind of the seed's TW I 2024 (approved in the seed)."""
    return [
        Realisation.objects.filter(work_item__agency=agency, work_item__year=2024,
                                   quarter=1).first(),
        IndicatorRealisation.objects.filter(indicator__plan__agency=agency, year=2024,
                                            quarter=1).first(),
        Narrative.objects.filter(agency=agency, year=2024, quarter=1).first(),
    ]  # fmt: skip


@pytest.mark.parametrize("status", ["submitted", "verified", "approved"])
def test_data_of_a_quarter_that_is_not_editable_is_read_only_with_a_note(
    admin_client, agency, status
):
    assert QuarterSubmission.objects.get(agency=agency, year=2024, quarter=1).status == "approved"
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=1).update(status=status)
    label = SubmissionStatus(status).label
    for obj in _approved_tw1(agency):
        history_count = obj.history.count()
        page = admin_client.get(_url(obj, "change"))
        html = page.content.decode()
        assert (page.status_code, NOTE in html, f"berstatus {label}" in html) == (200, True, True)
        assert 'name="change_reason"' not in html  # nothing to save, nothing to ask
        data = {"change_reason": "coba ubah"}
        assert admin_client.post(_url(obj, "change"), data).status_code == 403
        assert admin_client.post(_url(obj, "delete"), {"post": "yes", **data}).status_code == 403
        assert (type(obj).objects.filter(pk=obj.pk).exists(), obj.history.count()) == (
            True, history_count)  # fmt: skip


def test_a_reopened_quarter_is_editable_again_with_a_reason(admin_client, demo_users, agency):
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=1).update(
        status="returned")  # fmt: skip
    realisation = _approved_tw1(agency)[0]
    data = admin_form(admin_client, _url(realisation, "change"))
    assert NOTE not in admin_client.get(_url(realisation, "change")).content.decode()
    data.update(note="Dikoreksi admin", change_reason="Koreksi atas permintaan verifikator")
    assert admin_client.post(_url(realisation, "change"), data).status_code == 302
    record = realisation.history.order_by("-history_date", "-history_id").first()
    assert (record.history_user, record.history_change_reason, record.note) == (
        demo_users["admin"],
        "Koreksi atas permintaan verifikator",
        "Dikoreksi admin",
    )


def test_the_admin_cannot_add_a_narrative_into_an_approved_quarter(admin_client, agency):
    before = Narrative.objects.filter(agency=agency, year=2024, quarter=1).count()
    data = {"agency": agency.pk, "year": 2024, "quarter": 1, "kind": "closing", "position": 9,
            "text": "Tambahan", "responsible": "", "change_reason": "tambah"}  # fmt: skip
    page = admin_client.post(reverse("admin:monitoring_narrative_add"), data)
    assert (page.status_code, NOTE in page.content.decode()) == (200, True)
    assert Narrative.objects.filter(agency=agency, year=2024, quarter=1).count() == before


def test_an_iku_realisation_of_a_draft_quarter_changes_with_the_admins_reason(
    admin_client, demo_users, agency
):
    from kinerja.monitoring.domain import record_indicator_realisation
    from kinerja.planning.models import Indicator

    indicator = Indicator.objects.filter(plan__agency=agency, is_key=True).first()
    row = record_indicator_realisation(user=demo_users["operator"], indicator=indicator,
                                       year=2024, quarter=2, value=Decimal("18"),
                                       today=SEED_TODAY)  # fmt: skip
    data = admin_form(admin_client, _url(row, "change"))
    assert data["value"] == "18"
    data.update(value="18,34", change_reason="Dihitung ulang dari formulir")
    assert admin_client.post(_url(row, "change"), data).status_code == 302
    record = row.history.order_by("-history_date", "-history_id").first()
    changes = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert (record.history_user, record.history_change_reason, changes) == (
        demo_users["admin"], "Dihitung ulang dari formulir",
        {"value": (Decimal("18"), Decimal("18.34"))})  # fmt: skip


def test_the_renja_item_page_shows_its_realisations_read_only(admin_client, agency):
    realisation = _approved_tw1(agency)[0]
    data = admin_form(admin_client, _url(realisation.work_item, "change"))
    assert sorted(k for k in data if k.startswith("realisations-") and k.endswith("value_rp")) == []
