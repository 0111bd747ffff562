"""No value out of bounds can be stored through any page: the largest value of each kind
(core.numbers: |K| ≤ 1.000.000.000.000 with 6 decimals, Rp ≤ 999.999.999.999.999,99) goes in
through the page's POST and comes back exactly — in the database and on the page — and one
step beyond it is refused with nothing written. (The model walk over every bounded column is
tests/planning/test_exact_numbers.py; this is the same bound seen from the forms.)"""

from __future__ import annotations

import html
from decimal import Decimal

import pytest

from kinerja.monitoring.models import IndicatorRealisation, Realisation
from kinerja.planning.models import ActionPlan, Indicator, WorkItem

from .conftest import db_fingerprint

pytestmark = pytest.mark.django_db

K_MAX, K_OVER = "1.000.000.000.000", "1.000.000.000.000,000001"
K_MIN, K_UNDER = "-1.000.000.000.000", "-1.000.000.000.000,000001"
RP_MAX, RP_OVER = "999.999.999.999.999,99", "1.000.000.000.000.000"


@pytest.fixture
def paths(agency, open_period):
    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    ind = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    a = agency.slug

    def realisation(field):
        return lambda: getattr(Realisation.objects.filter(work_item=item, quarter=2).first(),
                               field, None)  # fmt: skip

    def plan(field):
        return lambda: getattr(ActionPlan.objects.filter(work_item=item, quarter=3).first(),
                               field, None)  # fmt: skip

    def iku():
        row = IndicatorRealisation.objects.filter(indicator=ind, year=2024, quarter=2).first()
        return row and row.value

    def pagu():
        item.refresh_from_db()
        return item.budget_revised

    grid, page = f"/isi/{a}/2024/tw2/simpan/", f"/isi/{a}/2024/tw2/"
    return {
        "grid-k": (grid, lambda v: {f"k-{item.pk}": v, f"was-k-{item.pk}": ""},
                   realisation("value_k"), page),
        "grid-rp": (grid, lambda v: {f"rp-{item.pk}": v, f"was-rp-{item.pk}": ""},
                    realisation("value_rp"), page),
        "iku": (f"/isi/{a}/2024/tw2/iku/simpan/",
                lambda v: {f"value-{ind.pk}": v, f"was-value-{ind.pk}": ""},
                iku, f"/isi/{a}/2024/tw2/iku/"),
        # 2024 has an approved quarter: a change of its rencana aksi is a revision
        "plan-k": (f"/rencana/{a}/2024/renja/{item.pk}/tw3/",
                   lambda v: {"target_k": v, **REVISION}, plan("target_k"),
                   f"/rencana/{a}/2024/renja/"),
        "plan-rp": (f"/rencana/{a}/2024/renja/{item.pk}/tw3/",
                    lambda v: {"cash_plan": v, **REVISION}, plan("cash_plan"),
                    f"/rencana/{a}/2024/renja/"),
        "pagu": (f"/rencana/{a}/2024/renja/{item.pk}/pagu/",
                 lambda v: {"amount": v, "on": "2024-09-01", "reason": "APBD Perubahan",
                            "legal_basis": "Perda"}, pagu, f"/rencana/{a}/2024/renja/"),
    }  # fmt: skip


REVISION = {"revision_on": "2024-09-02", "revision_reason": "APBD Perubahan",
            "revision_legal_basis": "Perda APBD-P 2024"}  # fmt: skip


@pytest.mark.parametrize(("path", "largest", "beyond"), [
    ("grid-k", K_MAX, K_OVER), ("grid-rp", RP_MAX, RP_OVER), ("iku", K_MAX, K_OVER),
    ("plan-k", K_MAX, K_OVER), ("plan-rp", RP_MAX, RP_OVER), ("pagu", RP_MAX, RP_OVER)])  # fmt: skip
def test_the_largest_value_round_trips_and_one_step_beyond_is_refused(
    client, demo_users, paths, path, largest, beyond
):
    url, fields, stored, page = paths[path]
    client.force_login(demo_users["operator"])
    before = db_fingerprint()
    response = client.post(url, fields(beyond), follow=True)
    assert response.status_code in (200, 400)
    assert "paling besar" in html.unescape(response.content.decode())
    assert db_fingerprint() == before

    response = client.post(url, fields(largest), follow=True)
    assert response.status_code == 200
    assert stored() == Decimal(largest.replace(".", "").replace(",", "."))
    assert largest in client.get(page).content.decode()


def test_a_negative_k_where_allowed_reaches_its_bound_and_not_beyond(client, demo_users, agency,
                                                                     open_period):  # fmt: skip
    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    WorkItem.objects.filter(pk=item.pk).update(allows_negative=True)
    client.force_login(demo_users["operator"])
    url = f"/isi/{agency.slug}/2024/tw2/simpan/"
    before = db_fingerprint()
    response = client.post(url, {f"k-{item.pk}": K_UNDER, f"was-k-{item.pk}": ""})
    assert response.status_code == 400
    assert "paling kecil -1.000.000.000.000" in html.unescape(response.content.decode())
    assert db_fingerprint() == before
    assert client.post(url, {f"k-{item.pk}": K_MIN, f"was-k-{item.pk}": ""}).status_code == 302
    assert Realisation.objects.get(work_item=item, quarter=2).value_k == Decimal(-(10**12))
