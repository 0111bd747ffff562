"""Writes of the Renstra editor, the IKU sheet and the PK built from the Renja and the IKU.

Who: ``accounts.rules.can_edit_plan`` (the agency's operator, or the admin of its pemda).
When: a year's plan is edited freely until a quarter of that year is approved
(``items.plan_locked``); after that a change touching the year is a *revision* carrying its
date, reason and legal basis (``items.Revision``): a yearly target goes to the revised value
beside the original (``domain.revise_target``), and any other change of a Renstra that covers
an approved year is recorded with the revision's reason in the history. Every write names
the values its page was drawn with (``expected``) and is refused with a ``Conflict`` where
someone else changed them since (``concurrency.fields_to_write``).

Removing a tujuan, sasaran or indicator something else refers to (an IKU realisation, a
Renja item's sasaran, a PK target or line) is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kinerja.accounts.rules import can_edit_plan
from kinerja.core.numbers import InvalidNumber, check_value, format_number
from kinerja.limits import REASON_MAX, check_text, max_length

from . import domain
from .concurrency import Conflict, fields_to_write
from .items import Revision, plan_locked
from .models import (
    Agency,
    AggregationChoice,
    AgreementLine,
    AgreementTarget,
    Goal,
    Indicator,
    IndicatorTarget,
    Objective,
    PerformanceAgreement,
    PolarityChoice,
    Scale,
    Signatory,
    StrategicPlan,
    WorkItem,
)

__all__ = [
    "AgreementBuild",
    "PlanRefused",
    "TargetInput",
    "build_agreement",
    "create_plan",
    "locked_years",
    "parse_weights",
    "remove_goal",
    "remove_indicator",
    "remove_objective",
    "save_goal",
    "save_iku_sheet",
    "save_indicator",
    "save_objective",
]

PERIOD_MAX_YEARS = 10  # a Renstra runs five years; a longer one is a typing error


class PlanRefused(Exception):
    """A change the rules do not allow; ``str()`` is the Indonesian reason."""


# ---- shared ----------------------------------------------------------------------------------


def _check_editor(user: Any, agency: Agency) -> None:
    if user is not None and not can_edit_plan(user, agency):
        raise PlanRefused(_("Hanya operator %(agency)s atau admin pemdanya yang dapat mengubah "
                            "rencananya.") % {"agency": agency})  # fmt: skip


def _reason_text(reason: str) -> str:
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=PlanRefused)
    return reason.strip()


def locked_years(plan: StrategicPlan) -> list[int]:
    """The years of the Renstra's period with an approved quarter."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    return sorted(set(QuarterSubmission.objects.filter(
        agency_id=plan.agency_id, year__gte=plan.start_year, year__lte=plan.end_year,
        status=SubmissionStatus.APPROVED).values_list("year", flat=True)))  # fmt: skip


def _history_reason(plan: StrategicPlan, revision: Revision | None, reason: str,
                    default: str) -> str:  # fmt: skip
    """The reason recorded for a change of the Renstra: once a year of its period has an
    approved quarter, only a revision (date, reason, legal basis) may change it."""
    years = locked_years(plan)
    if years:
        if revision is None:
            raise PlanRefused(_(
                "Tahun %(years)s sudah memiliki triwulan yang disahkan: perubahan Renstra ini "
                "adalah revisi; isi tanggal, alasan dan dasar hukum perubahan."
            ) % {"years": ", ".join(str(y) for y in years)})  # fmt: skip
        return _check_revision(revision, plan).history_reason()
    return _reason_text(reason) or default


def _check_revision(revision: Revision, plan: StrategicPlan) -> Revision:
    from kinerja.limits import check_date

    if not revision.reason.strip():
        raise PlanRefused(_("Tuliskan alasan perubahan."))
    check_text(revision.reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=PlanRefused)
    if not revision.legal_basis.strip():
        raise PlanRefused(_("Tuliskan dasar hukum perubahan."))
    check_text(revision.legal_basis, label=_("Dasar hukum"), error=PlanRefused,
               limit=max_length(IndicatorTarget, "legal_basis"))  # fmt: skip
    check_date(revision.on, label=_("Tanggal perubahan"), first_year=plan.start_year,
               last_year=plan.end_year, error=PlanRefused)  # fmt: skip
    return revision


def _lock(obj: Any, expected: Mapping[str, Any] | None) -> None:
    if expected is not None and obj.pk is not None:
        list(type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk"))
        obj.refresh_from_db()


def _write(obj: Any, new: dict[str, Any], expected: Mapping[str, Any] | None) -> list[str]:
    """Set on ``obj`` the fields the user changed (all of them for a new object); Conflict
    keyed by field name where someone else changed one since the page was drawn."""
    if obj.pk is None:
        for name, value in new.items():
            setattr(obj, name, value)
        return list(new)
    _lock(obj, expected)
    try:
        changed = fields_to_write(obj, new=new, expected=expected)
    except Conflict as exc:
        raise exc.keyed(lambda c: c.field) from None
    for name in changed:
        setattr(obj, name, new[name])
    return changed


def _save(obj: Any, changed: list[str], *, user: Any, reason: str) -> None:
    if obj.pk is not None and not changed:
        return
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj._history_user = user  # type: ignore[attr-defined]
    if obj.pk is None:
        obj.save()
    else:
        obj.save(update_fields=changed)


def _text(value: str, label: str, model: type, name: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise PlanRefused(_("%(label)s wajib diisi.") % {"label": label})
    limit = max_length(model, name) if model._meta.get_field(name).max_length else 5000
    check_text(value, label=label, limit=limit, error=PlanRefused)
    return value


# ---- Renstra period -------------------------------------------------------------------------


@transaction.atomic
def create_plan(*, user: Any, agency: Agency, start_year: int, end_year: int,
                reason: str = "") -> StrategicPlan:  # fmt: skip
    """A new Renstra period of the agency; refused where it overlaps another of its periods."""
    _check_editor(user, agency)
    if not (2000 <= start_year <= 2100 and 2000 <= end_year <= 2100):
        raise PlanRefused(_("Tahun awal dan akhir harus antara 2000 dan 2100."))
    if end_year < start_year:
        raise PlanRefused(_("Tahun akhir tidak boleh sebelum tahun awal."))
    if end_year - start_year + 1 > PERIOD_MAX_YEARS:
        raise PlanRefused(_("Periode Renstra paling lama %(n)s tahun (biasanya 5 tahun).")
                          % {"n": PERIOD_MAX_YEARS})  # fmt: skip
    list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
    other = StrategicPlan.objects.filter(agency=agency, start_year__lte=end_year,
                                         end_year__gte=start_year).first()  # fmt: skip
    if other is not None:
        raise PlanRefused(_("Periode %(s)s–%(e)s bertumpang tindih dengan Renstra %(os)s–%(oe)s "
                            "perangkat daerah ini.") % {
            "s": start_year, "e": end_year, "os": other.start_year, "oe": other.end_year})  # fmt: skip
    plan = StrategicPlan(agency=agency, start_year=start_year, end_year=end_year)
    _save(plan, [], user=user, reason=_reason_text(reason) or _("Renstra dibuat."))
    return plan


# ---- tujuan and sasaran ---------------------------------------------------------------------


@transaction.atomic
def save_goal(*, user: Any, plan: StrategicPlan, goal: Goal | None = None, number: int,
              text: str, expected: Mapping[str, Any] | None = None,
              revision: Revision | None = None, reason: str = "") -> Goal:  # fmt: skip
    """Add (``goal=None``) or change a tujuan: its number (unique in the Renstra) and text."""
    _check_editor(user, plan.agency)
    if not 1 <= number <= 99:
        raise PlanRefused(_("Nomor tujuan harus 1 sampai 99."))
    text = _text(text, _("Teks tujuan"), Goal, "text")
    if Goal.objects.filter(plan=plan, number=number).exclude(pk=goal and goal.pk).exists():
        raise PlanRefused(_("Tujuan nomor %(n)s sudah ada di Renstra ini.") % {"n": number})
    target = goal or Goal(plan=plan)
    changed = _write(target, {"number": number, "text": text}, expected)
    if target.pk is None or changed:
        why = _history_reason(plan, revision, reason,
                              _("Tujuan ditambahkan.") if goal is None else _("Tujuan diubah."))  # fmt: skip
        _save(target, changed, user=user, reason=why)
    return target


@transaction.atomic
def save_objective(*, user: Any, goal: Goal, objective: Objective | None = None, code: str,
                   text: str, expected: Mapping[str, Any] | None = None,
                   revision: Revision | None = None, reason: str = "") -> Objective:  # fmt: skip
    """Add or change a sasaran of a tujuan: its code (unique under the tujuan) and text."""
    plan = goal.plan
    _check_editor(user, plan.agency)
    code = _text(code, _("Kode sasaran"), Objective, "code")
    text = _text(text, _("Teks sasaran"), Objective, "text")
    clash = Objective.objects.filter(goal__plan=plan, code=code)
    if clash.exclude(pk=objective and objective.pk).exists():
        raise PlanRefused(_("Sasaran berkode %(c)s sudah ada di Renstra ini.") % {"c": code})
    target = objective or Objective(goal=goal)
    changed = _write(target, {"code": code, "text": text}, expected)
    if target.pk is None or changed:
        why = _history_reason(plan, revision, reason,
                              _("Sasaran ditambahkan.") if objective is None
                              else _("Sasaran diubah."))  # fmt: skip
        _save(target, changed, user=user, reason=why)
    return target


def _uses_of_indicators(indicators: Any) -> list[str]:
    """What refers to these indicators, in words (empty: free to remove)."""
    from kinerja.monitoring.models import IndicatorRealisation

    ids = list(indicators.values_list("pk", flat=True))
    uses = []
    realised = IndicatorRealisation.objects.filter(indicator_id__in=ids)
    if realised.exists():
        years = sorted(set(realised.values_list("year", flat=True)))
        uses.append(_("realisasi IKU tahun %(y)s") % {"y": ", ".join(map(str, years))})
    agreed = PerformanceAgreement.objects.filter(
        Q(targets__indicator_id__in=ids) | Q(lines__context_indicator_id__in=ids)
    ).distinct()
    years = sorted(set(agreed.values_list("year", flat=True)))
    if years:
        uses.append(_("Perjanjian Kinerja %(y)s") % {"y": ", ".join(map(str, years))})
    return uses


def _refuse_if_used(what: str, uses: list[str]) -> None:
    if uses:
        raise PlanRefused(_("%(what)s tidak dapat dihapus karena dipakai oleh: %(uses)s. Hapus "
                            "atau pindahkan rujukan itu lebih dahulu.")
                          % {"what": what, "uses": "; ".join(uses)})  # fmt: skip


def _objective_uses(objectives: Any) -> list[str]:
    items = WorkItem.objects.filter(objective__in=objectives)
    if not items.exists():
        return []
    years = sorted(set(items.values_list("year", flat=True)))
    return [_("%(n)s item Renja tahun %(y)s") % {"n": items.count(),
                                                 "y": ", ".join(map(str, years))}]  # fmt: skip


def _delete(obj: Any, *, user: Any, reason: str) -> None:
    obj._change_reason = reason  # type: ignore[attr-defined]
    obj._history_user = user  # type: ignore[attr-defined]
    obj.delete()


@transaction.atomic
def remove_goal(*, user: Any, goal: Goal, revision: Revision | None = None,
                reason: str = "") -> None:  # fmt: skip
    plan = goal.plan
    _check_editor(user, plan.agency)
    indicators = Indicator.objects.filter(Q(goal=goal) | Q(objective__goal=goal))
    _refuse_if_used(_("Tujuan %(n)s") % {"n": goal.number},
                    _uses_of_indicators(indicators) + _objective_uses(goal.objectives.all()))  # fmt: skip
    why = _history_reason(plan, revision, reason, _("Tujuan dihapus."))
    for indicator in indicators:
        _delete(indicator, user=user, reason=why)
    for objective in goal.objectives.all():
        _delete(objective, user=user, reason=why)
    _delete(goal, user=user, reason=why)


@transaction.atomic
def remove_objective(*, user: Any, objective: Objective, revision: Revision | None = None,
                     reason: str = "") -> None:  # fmt: skip
    plan = objective.goal.plan
    _check_editor(user, plan.agency)
    indicators = Indicator.objects.filter(objective=objective)
    _refuse_if_used(_("Sasaran %(c)s") % {"c": objective.code},
                    _uses_of_indicators(indicators)
                    + _objective_uses(Objective.objects.filter(pk=objective.pk)))  # fmt: skip
    why = _history_reason(plan, revision, reason, _("Sasaran dihapus."))
    for indicator in indicators:
        _delete(indicator, user=user, reason=why)
    _delete(objective, user=user, reason=why)


@transaction.atomic
def remove_indicator(*, user: Any, indicator: Indicator, revision: Revision | None = None,
                     reason: str = "") -> None:  # fmt: skip
    plan = indicator.plan
    _check_editor(user, plan.agency)
    _refuse_if_used(_("Indikator «%(n)s»") % {"n": indicator.name},
                    _uses_of_indicators(Indicator.objects.filter(pk=indicator.pk)))  # fmt: skip
    why = _history_reason(plan, revision, reason, _("Indikator dihapus."))
    for target in indicator.targets.all():
        _delete(target, user=user, reason=why)
    _delete(indicator, user=user, reason=why)


# ---- indicators and their yearly targets ----------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    """A year's target as typed: the value and, for a range, its upper bound."""

    value: Decimal | None
    upper: Decimal | None = None


INDICATOR_FIELDS = ("name", "unit", "decimals", "polarity", "aggregation", "scale_id",
                    "allows_negative")  # fmt: skip


@transaction.atomic
def save_indicator(
    *,
    user: Any,
    plan: StrategicPlan,
    indicator: Indicator | None = None,
    goal: Goal | None = None,
    objective: Objective | None = None,
    name: str,
    unit: str = "",
    decimals: int | None = None,
    polarity: str = PolarityChoice.HIGHER,
    aggregation: str = AggregationChoice.LAST,
    scale: Scale | None = None,
    allows_negative: bool = False,
    targets: Mapping[int, TargetInput] | None = None,
    expected: Mapping[str, Any] | None = None,
    revision: Revision | None = None,
    reason: str = "",
) -> Indicator:
    """Add (``indicator=None``, under ``goal`` or ``objective``) or change an indicator and
    its yearly targets. A year with an approved quarter takes its target as a revision
    beside the original (``domain.revise_target``, needing ``revision``); other years set
    the original. ``expected``: the indicator's fields and each year's drawn target
    (``t<year>``, ``u<year>``) as the page showed them; Conflict keyed the same way."""
    _check_editor(user, plan.agency)
    if indicator is None and (goal is None) == (objective is None):
        raise PlanRefused(_("Indikator harus berada di bawah satu tujuan atau satu sasaran."))
    name = _text(name, _("Nama indikator"), Indicator, "name")
    unit = _text(unit, _("Satuan"), Indicator, "unit", required=False)
    if decimals is not None and not 0 <= decimals <= 6:
        raise PlanRefused(_("Jumlah desimal 0 sampai 6."))
    if polarity not in PolarityChoice.values:
        raise PlanRefused(_("Polaritas tidak dikenal."))
    if aggregation not in AggregationChoice.values:
        raise PlanRefused(_("Agregasi triwulan tidak dikenal."))
    targets = dict(targets or {})
    years = range(plan.start_year, plan.end_year + 1)
    outside = [y for y in targets if y not in years]
    if outside:
        raise PlanRefused(_("Tahun %(y)s di luar periode Renstra %(s)s–%(e)s.") % {
            "y": outside[0], "s": plan.start_year, "e": plan.end_year})  # fmt: skip
    for year, t in targets.items():
        try:
            for v in (t.value, t.upper):
                if v is not None:
                    check_value(v, negative=allows_negative)
        except InvalidNumber as exc:
            raise PlanRefused(_("Target %(y)s: %(e)s") % {"y": year, "e": exc}) from None
        if t.value is None and t.upper is not None:
            raise PlanRefused(_("Target %(y)s: isi batas bawah bila ada batas atas.") % {"y": year})
        if t.upper is not None and t.value is not None and t.upper < t.value:
            raise PlanRefused(_("Target %(y)s: batas atas tidak boleh lebih kecil dari batas "
                                "bawahnya.") % {"y": year})  # fmt: skip
    expected = dict(expected) if expected is not None else None
    drawn_fields = None if expected is None else {
        k: v for k, v in expected.items() if k in INDICATOR_FIELDS}  # fmt: skip

    creating = indicator is None
    if creating:
        last = Indicator.objects.filter(plan=plan).order_by("-position").first()
        indicator = Indicator(plan=plan, goal=goal if objective is None else None,
                              objective=objective, position=(last.position if last else 0) + 1)  # fmt: skip
    new = {"name": name, "unit": unit, "decimals": decimals, "polarity": polarity,
           "aggregation": aggregation, "scale_id": scale.pk if scale else None,
           "allows_negative": allows_negative}  # fmt: skip
    conflicts: list[Any] = []
    try:
        changed = _write(indicator, new, drawn_fields)
    except Conflict as exc:
        conflicts += exc.cells
        changed = []
    locked = {y for y in years if plan_locked(plan.agency_id, y)}
    existing = {t.year: t for t in indicator.targets.all()} if indicator.pk else {}
    plans: list[tuple[int, IndicatorTarget | None, TargetInput, bool]] = []
    for year, t in sorted(targets.items()):
        target = existing.get(year)
        drawn = None
        if expected is not None and f"t{year}" in expected:
            drawn = {"value": expected.get(f"t{year}"), "upper": expected.get(f"u{year}")}
        if year in locked and target is not None and target.original is not None:
            now = (target.current, target.revised_upper if target.revised is not None
                   else target.original_upper)  # fmt: skip
            if (t.value, t.upper) == now:
                continue
            if drawn is not None and (drawn["value"], drawn["upper"]) != now and \
                    (t.value, t.upper) != (drawn["value"], drawn["upper"]):  # fmt: skip
                from .concurrency import ConflictCell, last_change

                who, when = last_change(target.history.all())
                conflicts.append(ConflictCell(field=f"t{year}", drawn=drawn["value"],
                                              theirs=now[0], yours=t.value, who=who, when=when,
                                              key=f"t{year}"))  # fmt: skip
                continue
            if drawn is not None and (t.value, t.upper) == (drawn["value"], drawn["upper"]):
                continue  # untouched by this user
            plans.append((year, target, t, True))
        else:
            if target is None and t.value is None:
                continue
            if target is not None:
                _lock(target, drawn)
                try:
                    fields = fields_to_write(
                        target, new={"original": t.value, "original_upper": t.upper},
                        expected=None if drawn is None else
                        {"original": drawn["value"], "original_upper": drawn["upper"]})  # fmt: skip
                except Conflict as exc:
                    conflicts += exc.keyed(lambda c, y=year: f"t{y}" if c.field == "original"
                                           else f"u{y}").cells  # fmt: skip
                    continue
                if not fields:
                    continue
            if year in locked and revision is None:
                raise PlanRefused(_("Tahun %(y)s sudah memiliki triwulan yang disahkan: target "
                                    "baru tahun itu adalah revisi; isi tanggal, alasan dan dasar "
                                    "hukum perubahan.") % {"y": year})  # fmt: skip
            plans.append((year, target, t, False))
    if conflicts:
        raise Conflict(conflicts)

    if creating or changed:
        why = _history_reason(plan, revision, reason,
                              _("Indikator ditambahkan.") if creating else _("Indikator diubah."))  # fmt: skip
        _save(indicator, changed, user=user, reason=why)
    for year, target, t, revise in plans:
        if revise:
            if revision is None:
                raise PlanRefused(_("Tahun %(y)s sudah memiliki triwulan yang disahkan: perubahan "
                                    "target tahun itu adalah revisi; isi tanggal, alasan dan dasar "
                                    "hukum perubahan.") % {"y": year})  # fmt: skip
            if t.value is None:
                raise PlanRefused(_("Target %(y)s yang sudah berlaku tidak dapat dikosongkan.")
                                  % {"y": year})  # fmt: skip
            try:
                domain.revise_target(user=user, target=target, value=t.value, upper=t.upper,
                                     on=revision.on, reason=revision.reason,
                                     legal_basis=revision.legal_basis)  # fmt: skip
            except domain.RevisionRefused as exc:
                raise PlanRefused(str(exc)) from None
            continue
        why = (revision.history_reason() if year in locked and revision else
               _reason_text(reason) or _("Target %(y)s ditetapkan.") % {"y": year})  # fmt: skip
        if target is None:
            target = IndicatorTarget(indicator=indicator, year=year)
        target.original, target.original_upper = t.value, t.upper
        target._change_reason = why  # type: ignore[attr-defined]
        target._history_user = user  # type: ignore[attr-defined]
        target.save()
    return indicator


# ---- IKU sheet ------------------------------------------------------------------------------


def parse_weights(text: str) -> list[list[Any]]:
    """``Kualifikasi: 25`` per line (or ``Kualifikasi = 25``, ``Kualifikasi 25 %``) → the
    stored [[dimension, weight %], …]; an empty text is no weights. Weights are whole
    percentages summing to exactly 100."""
    import re

    from kinerja.core.numbers import parse_number

    out: list[list[Any]] = []
    for n, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = re.fullmatch(r"(.+?)\s*[:=]?\s*([0-9][0-9.,]*)\s*%?", line)
        if not match or not match[1].strip(" :="):
            raise PlanRefused(_("Baris bobot %(n)s («%(t)s») tidak terbaca; tulis seperti "
                                "«Kualifikasi: 25».") % {"n": n, "t": line[:60]})  # fmt: skip
        try:
            weight = parse_number(match[2])
        except InvalidNumber as exc:
            raise PlanRefused(_("Baris bobot %(n)s: %(e)s") % {"n": n, "e": exc}) from None
        if weight != weight.to_integral_value() or weight <= 0:
            raise PlanRefused(_("Bobot «%(d)s» harus bilangan bulat persen lebih dari 0.")
                              % {"d": match[1].strip(" :=")})  # fmt: skip
        out.append([match[1].strip(" :="), int(weight)])
    check_weights(out)
    return out


def check_weights(weights: list[list[Any]]) -> None:
    if not weights:
        return
    names = [w[0].casefold() for w in weights]
    if len(set(names)) != len(names):
        raise PlanRefused(_("Setiap dimensi/aspek hanya boleh ditulis sekali."))
    total = sum(Decimal(w[1]) for w in weights)
    if total != 100:
        raise PlanRefused(_("Jumlah bobot dimensi/aspek harus 100 %%, bukan %(t)s %%.")
                          % {"t": format_number(total)})  # fmt: skip


IKU_FIELDS = ("is_key", "definition", "formula", "data_source", "unit", "scale_id", "weights")


@transaction.atomic
def save_iku_sheet(
    *,
    user: Any,
    indicator: Indicator,
    is_key: bool,
    definition: str,
    formula: str,
    data_source: str,
    unit: str,
    scale: Scale | None,
    weights: list[list[Any]],
    expected: Mapping[str, Any] | None = None,
    revision: Revision | None = None,
    reason: str = "",
) -> Indicator:
    """The IKU sheet of an indicator: its IKU flag, definition, formula, source, unit, scale
    and the weights of a composite index ([dimension, weight %] summing to 100)."""
    plan = indicator.plan
    _check_editor(user, plan.agency)
    check_weights(weights)
    new = {
        "is_key": bool(is_key),
        "definition": _text(definition, _("Definisi operasional"), Indicator, "definition",
                            required=False),
        "formula": _text(formula, _("Formulasi"), Indicator, "formula", required=False),
        "data_source": _text(data_source, _("Sumber data"), Indicator, "data_source",
                             required=False),
        "unit": _text(unit, _("Satuan"), Indicator, "unit", required=False),
        "scale_id": scale.pk if scale else None,
        "weights": [[str(n), int(w)] for n, w in weights],
    }  # fmt: skip
    drawn = None if expected is None else {k: v for k, v in expected.items() if k in IKU_FIELDS}
    changed = _write(indicator, new, drawn)
    if changed:
        why = _history_reason(plan, revision, reason, _("Lembar IKU diubah."))
        _save(indicator, changed, user=user, reason=why)
    return indicator


# ---- PK from the Renja and the IKU ----------------------------------------------------------

_PREFIX = {"kegiatan": "Kegiatan ", "sub_kegiatan": "Sub Kegiatan "}


@dataclass
class AgreementBuild:
    """What ``build_agreement`` did (or, on an existing PK, found)."""

    agreement: PerformanceAgreement
    created: bool = False
    added_targets: list[str] = field(default_factory=list)
    added_lines: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.created or bool(self.added_targets or self.added_lines)


def _iku_for_agreement(agency: Agency, year: int) -> list[tuple[Indicator, IndicatorTarget]]:
    """The sasaran-level IKU of the Renstra covering ``year`` with a target for it (goal-level
    IKU such as IP ASN are the tujuan's, not signed in the head's PK: docs/design-notes.md)."""
    indicators = (Indicator.objects.filter(plan__agency=agency, plan__start_year__lte=year,
                                           plan__end_year__gte=year, is_key=True,
                                           objective__isnull=False)
                  .select_related("objective").order_by("position"))  # fmt: skip
    out = []
    for indicator in indicators:
        target = indicator.targets.filter(year=year).first()
        if target is not None and target.current is not None:
            out.append((indicator, target))
    return out


def _context_of(item: WorkItem, program: WorkItem | None,
                previous: dict[tuple[str, str, str], Indicator | None]) -> Indicator | None:  # fmt: skip
    """The tujuan/sasaran indicator a PK line stands beside: last year's line's for the same
    item; otherwise, as the seed's PK prints it, a program's tujuan indicator and a kegiatan's
    or sub kegiatan's sasaran indicator (of the program's sasaran)."""
    key = (item.level, item.code, item.name)
    if key in previous and previous[key] is not None:
        return previous[key]
    objective = item.objective if item.level == "program" else (program and program.objective)
    if objective is None:
        return None
    if item.level == "program":
        return Indicator.objects.filter(goal=objective.goal_id).order_by("position").first()
    return Indicator.objects.filter(objective=objective).order_by("position").first()


@transaction.atomic
def build_agreement(*, user: Any, agency: Agency, year: int) -> AgreementBuild:
    """The year's PK from its Renja and IKU. Without a PK: create it with a target per
    sasaran-level IKU (the year's target in force), a line per Renja item in form order
    (target, unit, pagu in force, the item) and the two signatories as last year's PK names
    them (or with empty names). With one: add the IKU targets and Renja items it lacks and
    list where its lines differ from the Renja, never changing or removing what it holds.
    Running it again adds nothing."""
    _check_editor(user, agency)
    list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))
    reason = _("Disusun dari Renja dan IKU %(y)s.") % {"y": year}
    agreement = PerformanceAgreement.objects.filter(agency=agency, year=year).first()
    previous = PerformanceAgreement.objects.filter(agency=agency, year=year - 1).first()
    result = AgreementBuild(agreement=agreement)  # type: ignore[arg-type]
    items = list(WorkItem.objects.filter(agency=agency, year=year)
                 .select_related("objective").order_by("position"))  # fmt: skip
    if agreement is None:
        if not items:
            raise PlanRefused(_("Renja %(y)s belum berisi program, kegiatan atau sub kegiatan; "
                                "susun Renja lebih dahulu.") % {"y": year})  # fmt: skip
        agreement = PerformanceAgreement(agency=agency, year=year,
                                         place=previous.place if previous else "")  # fmt: skip
        _save(agreement, [], user=user, reason=reason)
        result.agreement, result.created = agreement, True
        for party in (Signatory.Party.FIRST, Signatory.Party.SECOND):
            before = previous and previous.signatories.filter(party=party).first()
            signer = Signatory(agreement=agreement, party=party)
            if before is not None:
                for name in ("title", "name", "nip", "rank", "acting"):
                    setattr(signer, name, getattr(before, name))
            else:
                signer.title = (_("Kepala %(a)s") % {"a": agency.name}
                                if party == Signatory.Party.FIRST else _("Kepala Daerah"))  # fmt: skip
            _save(signer, [], user=user, reason=reason)

    held = {t.indicator_id for t in agreement.targets.all() if t.indicator_id}
    position = max([t.position for t in agreement.targets.all()] or [0])
    for indicator, target in _iku_for_agreement(agency, year):
        if indicator.pk in held:
            continue
        position += 1
        _save(AgreementTarget(agreement=agreement, position=position,
                              objective_text=indicator.objective.text, indicator=indicator,
                              indicator_text=indicator.name, target=target.current),
              [], user=user, reason=reason)  # fmt: skip
        result.added_targets.append(f"{indicator.name}: {format_number(target.current)}")

    contexts: dict[tuple[str, str, str], Indicator | None] = {}
    if previous is not None:
        for line in previous.lines.select_related("work_item", "context_indicator"):
            if line.work_item is not None:
                w = line.work_item
                contexts[(w.level, w.code, w.name)] = line.context_indicator
    lines = list(agreement.lines.select_related("work_item"))
    linked = {line.work_item_id: line for line in lines if line.work_item_id}
    position = max([line.position for line in lines] or [0])
    program: WorkItem | None = None
    for item in items:
        if item.level == "program":
            program = item
        line = linked.get(item.pk)
        label = f"{item.code} {item.name}".strip()
        if line is not None:
            if (line.target, line.target_unit, line.budget) != (item.target_k, item.unit,
                                                                item.budget):  # fmt: skip
                result.differences.append(_(
                    "%(item)s: PK target %(pt)s %(pu)s, pagu %(pb)s; Renja target %(rt)s %(ru)s, "
                    "pagu %(rb)s") % {
                    "item": label, "pt": format_number(line.target), "pu": line.target_unit,
                    "pb": format_number(line.budget), "rt": format_number(item.target_k),
                    "ru": item.unit, "rb": format_number(item.budget)})  # fmt: skip
            continue
        position += 1
        _save(AgreementLine(agreement=agreement, position=position, level=item.level,
                            name=_PREFIX.get(item.level, "") + item.name,
                            indicator_text=item.indicator, target=item.target_k,
                            target_unit=item.unit, budget=item.budget,
                            context_indicator=_context_of(item, program, contexts),
                            work_item=item),
              [], user=user, reason=reason)  # fmt: skip
        result.added_lines.append(label)
    result.unlinked = [line.name for line in lines if line.work_item_id is None]
    return result
