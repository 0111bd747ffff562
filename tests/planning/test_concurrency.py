"""No lost update on the planning screens (DESIGN §4a): a pagu, a target, a rencana aksi or a
signatory changed by someone else since the page was drawn is refused with who, when, theirs
and yours; what the user did not change is never written."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.planning.concurrency import Conflict
from kinerja.planning.domain import revise_budget, revise_target, set_action_plan, set_signatory
from kinerja.planning.items import Revision
from kinerja.planning.models import ActionPlan, IndicatorTarget, Signatory, WorkItem

from ..monitoring.test_concurrency import A_SAVED_AT, A_SAVED_SHOWN, _forms

pytestmark = pytest.mark.django_db


@pytest.fixture
def ani(agency):
    user = get_user_model().objects.create_user("ani", password="demo", first_name="Ani",
                                                last_name="Rahayu")  # fmt: skip
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    return user


def _kepegawaian(agency):
    return WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")


def test_a_pagu_revised_since_the_page_was_drawn_is_refused_then_overwritten_knowingly(
    client, demo_users, ani, agency
):
    item = _kepegawaian(agency)
    action = reverse("planning:revise_budget", args=[agency.slug, 2024, item.pk])
    client.force_login(demo_users["operator"])
    form = _forms(client.get(reverse("planning:renja", args=[agency.slug, 2024]))
                  .content.decode())[action]  # fmt: skip
    assert (form["amount"], form["was-amount"]) == ("1.905.955.200", "1.905.955.200")

    revise_budget(user=ani, work_item=item, amount=Decimal(2_000_000_000), on=date(2024, 9, 1),
                  reason="APBD Perubahan", legal_basis="Perda 5/2024")  # fmt: skip
    item.history.update(history_date=A_SAVED_AT)

    form.update(
        amount="2.100.000.000", reason="Pergeseran", legal_basis="Perkada 9/2024", on="2024-09-01"
    )  # the form's default, today, lies outside 2024 ± 1 after 2025
    response = client.post(action, form)
    assert response.status_code == 409
    html = response.content.decode()
    assert (f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi 2.000.000.000; isian Anda "
            "2.100.000.000.") in html  # fmt: skip
    again = _forms(html)[action]
    assert (again["amount"], again["was-amount"]) == ("2.100.000.000", "2.000.000.000")
    item.refresh_from_db()
    assert (item.budget_revised, item.budget_legal_basis) == (Decimal(2_000_000_000),
                                                              "Perda 5/2024")  # fmt: skip

    assert client.post(action, again).status_code == 302
    item.refresh_from_db()
    assert (item.budget_revised, item.budget_legal_basis) == (Decimal(2_100_000_000),
                                                              "Perkada 9/2024")  # fmt: skip


def test_a_target_revised_since_is_refused_and_the_same_value_is_not(demo_users, ani):
    target = IndicatorTarget.objects.get(indicator__name="Nilai SAKIP Perangkat Daerah", year=2025)
    drawn = {"value": target.current, "upper": None}
    kwargs = {"target": target, "on": date(2024, 9, 1), "reason": "Capaian 2024",
              "legal_basis": "Keputusan Kepala", "expected": drawn}  # fmt: skip
    revise_target(user=ani, value=Decimal("90.5"), **kwargs)
    with pytest.raises(Conflict) as caught:
        revise_target(user=demo_users["operator"], value=Decimal(91), **kwargs)
    assert [(c.key, c.who, c.theirs, c.yours) for c in caught.value.cells] == [
        ("value", "Ani Rahayu", Decimal("90.5"), Decimal(91))]  # fmt: skip
    revise_target(user=demo_users["operator"], value=Decimal("90.5"), **kwargs)  # same: fine
    target.refresh_from_db()
    assert (target.original, target.revised) == (Decimal("89.98"), Decimal("90.5"))


def test_a_rencana_aksi_writes_only_the_cell_the_user_changed(demo_users, ani, agency):
    item = _kepegawaian(agency)
    drawn = {"target_k": None, "cash_plan": None}
    revision = Revision(date(2024, 9, 2), "Rencana kas APBD-P", "Perda No. 9 Tahun 2024")
    set_action_plan(user=ani, work_item=item, quarter=3, target_k=Decimal(3), cash_plan=None,
                    expected=drawn, revision=revision)  # fmt: skip
    # the operator's stale page still shows TW III empty; she fills in the cash plan only
    set_action_plan(user=demo_users["operator"], work_item=item, quarter=3, target_k=None,
                    cash_plan=Decimal(500_000_000), expected=drawn,
                    revision=revision)  # fmt: skip
    plan = ActionPlan.objects.get(work_item=item, quarter=3)
    assert (plan.target_k, plan.cash_plan) == (Decimal(3), Decimal(500_000_000))
    with pytest.raises(Conflict) as caught:
        set_action_plan(user=demo_users["operator"], work_item=item, quarter=3,
                        target_k=Decimal(4), cash_plan=None, expected=drawn,
                        revision=revision)  # fmt: skip
    assert [(c.key, c.who, c.theirs, c.yours) for c in caught.value.cells] == [
        ("target_k", "Ani Rahayu", Decimal(3), Decimal(4))]  # fmt: skip
    plan.refresh_from_db()
    assert (plan.target_k, plan.cash_plan) == (Decimal(3), Decimal(500_000_000))


def test_a_signatory_changed_since_is_refused(demo_users, ani, agency):
    signer = Signatory.objects.filter(agreement__agency=agency, agreement__year=2024).first()
    drawn = {"name": signer.name, "nip": signer.nip, "rank": signer.rank, "acting": signer.acting}
    kwargs = {"signatory": signer, "nip": signer.nip, "rank": signer.rank,
              "acting": signer.acting, "expected": drawn}  # fmt: skip
    set_signatory(user=ani, name="Budi Santoso", **kwargs)
    set_signatory(user=demo_users["operator"], name=" Budi Santoso ", **kwargs)  # the same
    with pytest.raises(Conflict) as caught:
        set_signatory(user=demo_users["operator"], name="Citra Dewi", **kwargs)
    assert [(c.key, c.theirs, c.yours) for c in caught.value.cells] == [
        ("name", "Budi Santoso", "Citra Dewi")]  # fmt: skip
    signer.refresh_from_db()
    assert signer.name == "Budi Santoso"
