"""Writes of planning data: revising a target or a pagu, the rencana aksi of a quarter,
the PK's signatories and signing date, a Tujuan's explanation and the opt-in findings
appendix. The original stays; a revision carries its date, reason and legal
basis, and the history records who changed what."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.rules import can_edit_plan
from kinerja.core.numbers import check_value
from kinerja.limits import NOTE_MAX, REASON_MAX, check_date, check_text, max_length

from .concurrency import Conflict, fields_to_write
from .items import Revision, check_revision, plan_locked
from .models import (
    ActionPlan,
    Agency,
    Goal,
    IndicatorTarget,
    PerformanceAgreement,
    Signatory,
    WorkItem,
    normalise_nip,
    validate_nip,
)


class RevisionRefused(Exception):
    """A revision the rules do not allow; ``str()`` is the Indonesian reason."""


def _lock(obj: Any, expected: Mapping[str, Any] | None) -> None:
    """Before checking ``expected``: lock the row and read it as committed now, so a save of
    the same record at the same moment waits for this one and then sees it."""
    if expected is not None and obj.pk is not None:
        list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
        obj.refresh_from_db()


def _unchanged_or_mine(
    obj: Any,
    new: dict[str, Any],
    expected: Mapping[str, Any] | None,
    names: dict[str, str],
    current: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The values to store: each field the user changed against ``expected`` (keyed by the
    argument names in ``names``), the stored value for every other; Conflict keyed by argument
    name where someone else changed a field since (``concurrency.fields_to_write``)."""
    field_of = {arg: field for field, arg in names.items()}
    drawn = None if expected is None else {field_of[a]: v for a, v in expected.items()}
    try:
        fields = fields_to_write(obj, new=new, expected=drawn, current=current)
    except Conflict as exc:
        raise exc.keyed(lambda c: names[c.field]) from None
    now = current if current is not None else {f: getattr(obj, f) for f in new}
    return {f: new[f] if f in fields or expected is None else now[f] for f in new}


def _check(user: Any, agency: Any, reason: str) -> None:
    if not can_edit_plan(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat merevisi rencananya.")
                              % {"agency": agency})  # fmt: skip
    if not reason.strip():
        raise RevisionRefused(_("Tuliskan alasan perubahan."))
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)


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
    expected: Mapping[str, Any] | None = None,
) -> IndicatorTarget:
    """Set the revised target of an indicator's year beside the original. ``expected``: the
    target ("value", "upper") the page was drawn with; Conflict where it was revised since."""
    _check(user, target.indicator.plan.agency, reason)
    if not legal_basis.strip():
        raise RevisionRefused(_("Tuliskan dasar hukum perubahan target."))
    check_text(legal_basis, label=_("Dasar hukum"), error=RevisionRefused,
               limit=max_length(IndicatorTarget, "legal_basis"))  # fmt: skip
    plan = target.indicator.plan
    check_date(on, label=_("Tanggal perubahan target"), first_year=plan.start_year,
               last_year=plan.end_year, error=RevisionRefused)  # fmt: skip
    negative = target.indicator.allows_negative
    check_value(value, negative=negative)
    if upper is not None:
        check_value(upper, negative=negative)
    _lock(target, expected)
    value, upper = _unchanged_or_mine(
        target, {"revised": value, "revised_upper": upper}, expected,
        {"revised": "value", "revised_upper": "upper"},
        current={"revised": target.current, "revised_upper": target.revised_upper},
    ).values()  # fmt: skip
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
    *,
    user: Any,
    work_item: WorkItem,
    amount: Decimal,
    on: date,
    reason: str,
    legal_basis: str,
    expected: Mapping[str, Any] | None = None,
) -> WorkItem:
    """Set the pagu perubahan of a Renja item beside its pagu murni, with the regulation that
    changed it (the APBD Perubahan, a Perkada on its breakdown). ``expected``: the pagu
    ("amount") the page was drawn with; Conflict where it was changed since."""
    _check(user, work_item.agency, reason)
    if work_item.indicator_of_id is not None:
        raise RevisionRefused(_("Indikator tambahan tidak memiliki pagu; pagu ada pada baris "
                                "itemnya."))  # fmt: skip
    if not legal_basis.strip():
        raise RevisionRefused(_("Tuliskan dasar hukum perubahan pagu."))
    check_text(legal_basis.strip(), label=_("Dasar hukum"), error=RevisionRefused,
               limit=max_length(WorkItem, "budget_legal_basis"))  # fmt: skip
    check_date(on, label=_("Tanggal perubahan pagu"), first_year=work_item.year,
               error=RevisionRefused)  # fmt: skip
    check_value(amount, money=True)
    _lock(work_item, expected)
    [amount] = _unchanged_or_mine(work_item, {"budget_revised": amount}, expected,
                                  {"budget_revised": "amount"},
                                  current={"budget_revised": work_item.budget}).values()  # fmt: skip
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
    expected: Mapping[str, Any] | None = None,
    revision: Revision | None = None,
) -> ActionPlan:
    """Set the rencana aksi (target K and cash plan) of a Renja item for a quarter.
    ``expected``: the values ("target_k", "cash_plan") the page was drawn with; only what
    differs from them is written, Conflict where someone else changed it since.

    Once a quarter of the year is approved (``items.plan_locked``) a change is a revision:
    it needs ``revision`` (``items.check_revision``, the rule the tree editor follows too)
    and the history records ``Revision.history_reason()`` (cut to REASON_MAX) instead of
    ``reason``; a save that changes nothing then writes nothing. An approved quarter keeps
    what it printed: its snapshot holds the plan of TW I–IV (record.capture)."""
    if not can_edit_plan(user, work_item.agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah rencana aksinya.")
                              % {"agency": work_item.agency})  # fmt: skip
    if not 1 <= quarter <= 4:
        raise RevisionRefused(_("Triwulan harus 1 sampai 4."))
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)
    if target_k is not None:
        check_value(target_k, negative=work_item.allows_negative)
    if cash_plan is not None:
        check_value(cash_plan, money=True)
        if work_item.indicator_of_id is not None:
            raise RevisionRefused(_("Rencana kas diisi pada baris itemnya, bukan pada indikator "
                                    "tambahan."))  # fmt: skip
    plan = ActionPlan.objects.select_for_update().filter(work_item=work_item,
                                                         quarter=quarter).first()  # fmt: skip
    if plan is None:
        plan = ActionPlan(work_item=work_item, quarter=quarter)
    before = (plan.target_k, plan.cash_plan)
    plan.target_k, plan.cash_plan = _unchanged_or_mine(
        plan, {"target_k": target_k, "cash_plan": cash_plan}, expected,
        {"target_k": "target_k", "cash_plan": "cash_plan"}).values()  # fmt: skip
    unchanged = (plan.target_k, plan.cash_plan) == before
    if revision is None and unchanged and plan_locked(work_item.agency_id, work_item.year):
        return plan  # nothing to revise
    revision = check_revision(work_item.agency_id, work_item.year, revision,
                              error=RevisionRefused)  # fmt: skip
    why = revision.history_reason() if revision is not None else reason.strip()
    if len(why) > REASON_MAX:  # a revision's reason with its legal basis
        why = why[: REASON_MAX - 1] + "…"
    plan._change_reason = why or _("Rencana aksi diperbarui.")  # type: ignore[attr-defined]
    plan._history_user = user  # type: ignore[attr-defined]
    if plan.pk is None:
        plan.save()
    else:
        plan.save(update_fields=["target_k", "cash_plan"])
    return plan


@transaction.atomic
def set_signatory(
    *,
    user: Any,
    signatory: Signatory,
    name: str,
    nip: str,
    rank: str,
    acting: str,
    reason: str = "",
    expected: Mapping[str, Any] | None = None,
) -> Signatory:
    """Name the official who signs the PK for a party (definitif, Plt or Plh). The NIP is 18
    digits, typed with or without spaces and stored without, or empty (a regent has none).
    ``expected``: the values ("name", "nip", "rank", "acting") the page was drawn with;
    Conflict where someone else changed one since."""
    agency = signatory.agreement.agency
    if not can_edit_plan(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah penanda tangan.")
                              % {"agency": agency})  # fmt: skip
    if acting not in Signatory.Acting.values:
        raise RevisionRefused(_("Status penanda tangan tidak dikenal."))
    names = {"name": "name", "nip": "nip", "rank": "rank", "acting": "acting"}
    tidy = {"name": name.strip(), "nip": normalise_nip(nip), "rank": rank.strip(),
            "acting": acting}  # fmt: skip
    for field, label in (("name", _("Nama")), ("nip", _("NIP")), ("rank", _("Pangkat/golongan"))):
        check_text(tidy[field], label=label, limit=max_length(Signatory, field),
                   error=RevisionRefused)  # fmt: skip
    if tidy["nip"] and not validate_nip.regex.search(tidy["nip"]):
        raise RevisionRefused(str(validate_nip.message))
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)
    drawn = None if expected is None else {
        k: normalise_nip(v) if k == "nip" else str(v).strip() for k, v in expected.items()}  # fmt: skip
    _lock(signatory, expected)
    values = _unchanged_or_mine(signatory, tidy, drawn, names)
    signatory.name, signatory.nip = values["name"], values["nip"]
    signatory.rank, signatory.acting = values["rank"], values["acting"]
    signatory._change_reason = reason.strip() or _("Penanda tangan diperbarui.")  # type: ignore[attr-defined]
    signatory._history_user = user  # type: ignore[attr-defined]
    signatory.save(update_fields=["name", "nip", "rank", "acting"])
    return signatory


def _tidy_expected(expected: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return None if expected is None else {
        k: v.strip() if isinstance(v, str) else v for k, v in expected.items()}  # fmt: skip


@transaction.atomic
def set_goal_narrative(
    *,
    user: Any,
    goal: Goal,
    narrative: str,
    reason: str = "",
    expected: Mapping[str, Any] | None = None,
) -> Goal:
    """Set the explanation (*uraian*) of a Renstra Tujuan that BAB II of the quarterly report
    prints under "Tujuan 1 “…”"; "" prints none. ``expected``: the text ("narrative") the page
    was drawn with; Conflict where someone else changed it since."""
    agency = goal.plan.agency
    if not can_edit_plan(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah uraian tujuan "
                                "Renstranya.") % {"agency": agency})  # fmt: skip
    text = "\n".join(line.rstrip() for line in narrative.strip().splitlines())
    check_text(text, label=_("Uraian tujuan"), limit=NOTE_MAX, error=RevisionRefused)
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)
    _lock(goal, expected)
    [text] = _unchanged_or_mine(goal, {"narrative": text}, _tidy_expected(expected),
                                {"narrative": "narrative"}).values()  # fmt: skip
    if text == goal.narrative:
        return goal
    goal.narrative = text
    goal._change_reason = reason.strip() or _("Uraian tujuan diperbarui.")  # type: ignore[attr-defined]
    goal._history_user = user  # type: ignore[attr-defined]
    goal.save(update_fields=["narrative"])
    return goal


@transaction.atomic
def set_agreement_signing(
    *,
    user: Any,
    agreement: PerformanceAgreement,
    signed_on: date | None,
    place: str,
    reason: str = "",
    expected: Mapping[str, Any] | None = None,
) -> PerformanceAgreement:
    """Set the date and place the PK is signed ("Sumenep, 31 Januari 2024"); without a date
    the PK prints as a draft. The date lies within the PK's year ± 1 (kinerja.limits).
    ``expected``: the values ("signed_on", "place") the page was drawn with; Conflict where
    someone else changed one since."""
    agency = agreement.agency
    if not can_edit_plan(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah tanggal "
                                "penandatanganan Perjanjian Kinerjanya.") % {"agency": agency})  # fmt: skip
    check_date(signed_on, label=_("Tanggal penandatanganan"), first_year=agreement.year,
               error=RevisionRefused)  # fmt: skip
    tidy = {"signed_on": signed_on, "place": place.strip()}
    check_text(tidy["place"], label=_("Tempat"), limit=max_length(PerformanceAgreement, "place"),
               error=RevisionRefused)  # fmt: skip
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)
    _lock(agreement, expected)
    values = _unchanged_or_mine(agreement, tidy, _tidy_expected(expected),
                                {"signed_on": "signed_on", "place": "place"})  # fmt: skip
    changed = [f for f, v in values.items() if getattr(agreement, f) != v]
    if not changed:
        return agreement
    for field in changed:
        setattr(agreement, field, values[field])
    agreement._change_reason = (reason.strip()  # type: ignore[attr-defined]
                                or _("Tanggal penandatanganan PK diperbarui."))  # fmt: skip
    agreement._history_user = user  # type: ignore[attr-defined]
    agreement.save(update_fields=changed)
    return agreement


@transaction.atomic
def set_findings_appendix(
    *,
    user: Any,
    agency: Agency,
    enabled: bool,
    reason: str = "",
    expected: Mapping[str, Any] | None = None,
) -> Agency:
    """Opt the agency in (or out) of the appendix *Lampiran: Temuan Pemeriksaan* at the end
    of its quarterly reports. ``expected``: the choice ("findings_appendix") the page was
    drawn with; Conflict where someone else changed it since."""
    if not can_edit_plan(user, agency):
        raise RevisionRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah isi laporannya.")
                              % {"agency": agency})  # fmt: skip
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=RevisionRefused)
    _lock(agency, expected)
    [enabled] = _unchanged_or_mine(agency, {"findings_appendix": bool(enabled)}, expected,
                                   {"findings_appendix": "findings_appendix"}).values()  # fmt: skip
    if enabled == agency.findings_appendix:
        return agency
    agency.findings_appendix = enabled
    agency._change_reason = reason.strip() or (  # type: ignore[attr-defined]
        _("Lampiran temuan pemeriksaan diaktifkan.") if enabled
        else _("Lampiran temuan pemeriksaan dinonaktifkan."))  # fmt: skip
    agency._history_user = user  # type: ignore[attr-defined]
    agency.save(update_fields=["findings_appendix"])
    return agency
