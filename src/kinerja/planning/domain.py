"""Writes of planning data: revising a target or a pagu, the rencana aksi of a quarter and
the PK's signatories. The original stays; a revision carries its date, reason and legal
basis, and the history records who changed what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.rules import can_edit_agency_data
from kinerja.core.numbers import check_value

from .models import ActionPlan, IndicatorTarget, Signatory, WorkItem


class RevisionRefused(Exception):
    """A revision the rules do not allow; ``str()`` is the Indonesian reason."""


def _check(user: Any, agency: Any, reason: str) -> None:
    if not can_edit_agency_data(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s yang dapat merevisi rencananya.")
                              % {"agency": agency})  # fmt: skip
    if not reason.strip():
        raise RevisionRefused(_("Tuliskan alasan perubahan."))


@transaction.atomic
def revise_target(
    *,
    user: Any,
    target: IndicatorTarget,
    value: Decimal,
    upper: Decimal | None = None,
    on: date,
    reason: str,
    legal_basis: str,
) -> IndicatorTarget:
    """Set the revised target of an indicator's year beside the original."""
    _check(user, target.indicator.plan.agency, reason)
    if not legal_basis.strip():
        raise RevisionRefused(_("Tuliskan dasar hukum perubahan target."))
    negative = target.indicator.allows_negative
    check_value(value, negative=negative)
    if upper is not None:
        check_value(upper, negative=negative)
    if upper is not None and upper < value:
        raise RevisionRefused(_("Batas atas target tidak boleh lebih kecil dari batas bawahnya."))
    target.revised, target.revised_upper, target.revised_on = value, upper, on
    target.revision_reason, target.legal_basis = reason, legal_basis
    target._change_reason = reason  # type: ignore[attr-defined]
    target._history_user = user  # type: ignore[attr-defined]
    target.save(update_fields=["revised", "revised_upper", "revised_on", "revision_reason",
                               "legal_basis"])  # fmt: skip
    return target


@transaction.atomic
def revise_budget(
    *, user: Any, work_item: WorkItem, amount: Decimal, on: date, reason: str, legal_basis: str
) -> WorkItem:
    """Set the pagu perubahan of a Renja item beside its pagu murni, with the regulation that
    changed it (the APBD Perubahan, a Perkada on its breakdown)."""
    _check(user, work_item.agency, reason)
    if not legal_basis.strip():
        raise RevisionRefused(_("Tuliskan dasar hukum perubahan pagu."))
    check_value(amount, money=True)
    work_item.budget_revised, work_item.budget_revised_on = amount, on
    work_item.budget_revision_reason = reason
    work_item.budget_legal_basis = legal_basis.strip()
    work_item._change_reason = reason  # type: ignore[attr-defined]
    work_item._history_user = user  # type: ignore[attr-defined]
    work_item.save(update_fields=["budget_revised", "budget_revised_on",
                                  "budget_revision_reason", "budget_legal_basis"])  # fmt: skip
    return work_item


@transaction.atomic
def set_action_plan(
    *,
    user: Any,
    work_item: WorkItem,
    quarter: int,
    target_k: Decimal | None,
    cash_plan: Decimal | None,
    reason: str = "",
) -> ActionPlan:
    """Set the rencana aksi (target K and cash plan) of a Renja item for a quarter."""
    if not can_edit_agency_data(user, work_item.agency):
        raise RevisionRefused(_("Hanya operator %(agency)s yang dapat mengubah rencana aksinya.")
                              % {"agency": work_item.agency})  # fmt: skip
    if not 1 <= quarter <= 4:
        raise RevisionRefused(_("Triwulan harus 1 sampai 4."))
    if target_k is not None:
        check_value(target_k, negative=work_item.allows_negative)
    if cash_plan is not None:
        check_value(cash_plan, money=True)
    plan = ActionPlan.objects.filter(work_item=work_item, quarter=quarter).first()
    if plan is None:
        plan = ActionPlan(work_item=work_item, quarter=quarter)
    plan.target_k, plan.cash_plan = target_k, cash_plan
    plan._change_reason = reason.strip() or _("Rencana aksi diperbarui.")  # type: ignore[attr-defined]
    plan._history_user = user  # type: ignore[attr-defined]
    if plan.pk is None:
        plan.save()
    else:
        plan.save(update_fields=["target_k", "cash_plan"])
    return plan


@transaction.atomic
def set_signatory(
    *, user: Any, signatory: Signatory, name: str, nip: str, rank: str, acting: str
) -> Signatory:
    """Name the official who signs the PK for a party (definitif, Plt or Plh)."""
    agency = signatory.agreement.agency
    if not can_edit_agency_data(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s yang dapat mengubah penanda tangan.")
                              % {"agency": agency})  # fmt: skip
    if acting not in Signatory.Acting.values:
        raise RevisionRefused(_("Status penanda tangan tidak dikenal."))
    signatory.name, signatory.nip = name.strip(), "".join(nip.split())
    signatory.rank, signatory.acting = rank.strip(), acting
    signatory.save(update_fields=["name", "nip", "rank", "acting"])
    return signatory
