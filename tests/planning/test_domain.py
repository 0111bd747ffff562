from datetime import date
from decimal import Decimal

import pytest

from kinerja.monitoring.history import changes_of
from kinerja.planning.domain import RevisionRefused, revise_budget, revise_target
from kinerja.planning.models import IndicatorTarget, WorkItem

pytestmark = pytest.mark.django_db


def test_revising_a_pagu_keeps_the_original_and_records_who_and_why(demo_users, agency):
    item = WorkItem.objects.get(agency=agency, code="5.03.02", level="program")
    revise_budget(user=demo_users["operator"], work_item=item, amount=Decimal("2000000000"),
                  on=date(2024, 9, 1), reason="APBD Perubahan 2024",
                  legal_basis="Perda APBD Perubahan 2024")  # fmt: skip
    item.refresh_from_db()
    assert item.budget_legal_basis == "Perda APBD Perubahan 2024"
    assert (item.budget_original, item.budget_revised, item.budget) == (
        Decimal("1905955200"), Decimal("2000000000"), Decimal("2000000000"))  # fmt: skip
    change = next(c for c in changes_of(item) if c.field == "budget_revised")
    assert (change.old, change.new, change.user, change.reason) == (
        None, Decimal("2000000000"), "operator", "APBD Perubahan 2024")  # fmt: skip


def test_revising_a_target_keeps_the_original(demo_users, agency):
    target = IndicatorTarget.objects.get(indicator__name="Nilai SAKIP Perangkat Daerah", year=2025)
    revise_target(user=demo_users["operator"], target=target, value=Decimal("90.5"),
                  on=date(2024, 9, 1), reason="Capaian 2024 melampaui target",
                  legal_basis="Keputusan Kepala BKPSDM")  # fmt: skip
    target.refresh_from_db()
    assert (target.original, target.revised, target.current) == (
        Decimal("89.98"), Decimal("90.5"), Decimal("90.5"))  # fmt: skip
    assert changes_of(target)[0].reason == "Capaian 2024 melampaui target"


@pytest.mark.parametrize(("username", "reason", "words"), [
    ("operator", "  ", "alasan"), ("verifikator", "alasan", "Hanya operator")])  # fmt: skip
def test_a_revision_needs_a_reason_and_the_agencys_operator(demo_users, agency, username, reason,
                                                            words):  # fmt: skip
    item = WorkItem.objects.get(agency=agency, code="5.03.02", level="program")
    with pytest.raises(RevisionRefused, match=words):
        revise_budget(user=demo_users[username], work_item=item, amount=Decimal(1),
                      on=date(2024, 9, 1), reason=reason, legal_basis="Perda")  # fmt: skip
    item.refresh_from_db()
    assert item.budget_revised is None
