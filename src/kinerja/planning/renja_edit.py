"""Building a year's Renja/DPA on the planning screens: add, change, move and remove a
program, kegiatan or sub kegiatan (issue 15).

Every function is one transaction, checks ``accounts.rules.can_edit_plan`` (the agency's
operator, or the admin of its pemda acting for it), records the history with a reason and
refuses with an Indonesian ``PlanEditRefused``. Structure: a program stands at the root, a
kegiatan under a program, a sub kegiatan under a kegiatan; positions stay 1…N in form order
(``items.renumber``).

Codes: a code must have the Kepmendagri 90 shape of its level (``items.code_problem``) and,
when it is given or changed, start with its parent's code (``5.03.01.2.02`` under
``5.03.01``; an ``X`` part of the parent matches any digits). A *move* to another parent keeps
the code and only warns: the user then corrects the code, which must fit the new parent.

Once a quarter of the year is approved (``items.plan_locked``) every change is a revision
with its date, reason and legal basis (``items.Revision``): a changed pagu becomes the pagu
perubahan beside the murni (as ``domain.revise_budget`` does), other changes are saved with
``Revision.history_reason()``. Approved quarters read their snapshot, so they never change.

Rencana aksi and cash plan per triwulan (``plans``: quarter → {"target_k", "cash_plan"})
are written with the item, in the same transaction, by ``domain.set_action_plan`` (its
checks, its optimistic concurrency); once the year is locked a changed quarter is part of the
revision and its history carries the revision's reason.

``tree_warnings`` and ``draft_warnings`` are the planning rules the screens show as the
user types: code shape, a code outside its parent's, parent pagu ≠ Σ children, a unit that
differs from the linked IKU's, a missing target K, Σ cash plan TW I–IV ≠ pagu
(``core.cashplan``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from kinerja.accounts.rules import can_edit_plan
from kinerja.core.cashplan import cash_plan_gap
from kinerja.core.numbers import InvalidNumber, check_value, format_number, quarter_roman
from kinerja.limits import REASON_MAX, check_text, max_length

from . import domain
from .concurrency import Conflict, ConflictCell, fields_to_write
from .items import (
    Revision,
    check_revision,
    code_problem,
    normalise_code,
    plan_locked,
    renumber,
    tree_order,
)
from .models import (
    ActionPlan,
    Agency,
    AggregationChoice,
    Indicator,
    LevelChoice,
    Objective,
    OrgUnit,
    PolarityChoice,
    WorkItem,
)

__all__ = [
    "EDITABLE",
    "FOLLOWS_ITEM",
    "INDICATOR_EDITABLE",
    "PLAN_FIELDS",
    "PlanEditRefused",
    "cash_plan_warning",
    "child_level",
    "children_sums",
    "create_indicator",
    "create_item",
    "draft_warnings",
    "move_item",
    "move_step",
    "objectives_for",
    "plan_key",
    "plans_of",
    "removal_problem",
    "remove_item",
    "tree_warnings",
    "update_item",
]

INDICATOR_MAX = REASON_MAX  # an indicator's text: a sentence or two

# what the screens edit; "budget" is the pagu shown: the murni until the plan is locked, the
# pagu in force (its perubahan) after
EDITABLE = ("code", "name", "indicator", "unit", "decimals", "target_k", "target_k_upper",
            "budget", "objective", "polarity", "aggregation", "responsible_unit")  # fmt: skip
_FOREIGN = {"objective": "objective_id", "responsible_unit": "responsible_unit_id"}
# what a further indicator has of its own; the rest (code, name, pagu, sasaran, unit kerja) is
# its item's, copied onto it whenever the item changes
INDICATOR_EDITABLE = ("indicator", "unit", "decimals", "target_k", "target_k_upper",
                      "polarity", "aggregation")  # fmt: skip
FOLLOWS_ITEM = ("code", "name", "objective", "responsible_unit")

# a quarter's rencana aksi (target K in the item's unit) and cash plan (Rp): ActionPlan
PLAN_FIELDS = ("target_k", "cash_plan")
QUARTERS = (1, 2, 3, 4)
Plans = Mapping[int, Mapping[str, Decimal | None]]

_LEVEL_BELOW: dict[str | None, str] = {
    None: LevelChoice.PROGRAM,
    LevelChoice.PROGRAM: LevelChoice.KEGIATAN,
    LevelChoice.KEGIATAN: LevelChoice.SUB_KEGIATAN,
}


class PlanEditRefused(Exception):
    """A change of the Renja the rules do not allow; ``str()`` is the Indonesian reason."""


def child_level(parent: WorkItem | None) -> str | None:
    """The level of an item under ``parent`` (a program at the root); None under a sub
    kegiatan, which has no children."""
    return _LEVEL_BELOW.get(parent.level if parent is not None else None)


# ---- checks shared by the writes --------------------------------------------------------


def _permit(user: Any, agency: Agency) -> None:
    if not can_edit_plan(user, agency):
        raise PlanEditRefused(
            _("Hanya operator %(agency)s (atau admin pemdanya) yang dapat mengubah Renja.")
            % {"agency": agency}
        )


def _lock_year(agency: Agency) -> None:
    """Structural changes of an agency's plan one at a time: they renumber the whole year."""
    list(Agency.objects.select_for_update().filter(pk=agency.pk).values_list("pk"))


def _check_revision(agency: Agency, year: int, revision: Revision | None) -> Revision | None:
    """The revision a change needs (``items.check_revision``), refused as PlanEditRefused."""
    return check_revision(agency, year, revision, error=PlanEditRefused)


def _reason(revision: Revision | None, reason: str, default: str) -> str:
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=PlanEditRefused)
    if revision is not None:
        return revision.history_reason()
    return reason.strip() or default


def _fits(code: str, parent_code: str) -> bool:
    """``code`` continues ``parent_code`` part by part (an X part matches any digits)."""
    parts, parents = code.split("."), parent_code.split(".")
    if len(parts) <= len(parents):
        return False
    return all(p == q or set(q) == {"X"} for p, q in zip(parts, parents, strict=False))


def _prefix_problem(code: str, parent: WorkItem | None) -> str | None:
    if not code or parent is None or not parent.code or _fits(code, parent.code):
        return None
    return _("Kode «%(code)s» tidak diawali kode induknya «%(parent)s».") % {
        "code": code, "parent": parent.code}  # fmt: skip


def objectives_for(agency: Agency, year: int) -> list[Objective]:
    """The sasaran of the agency's Renstra that covers ``year`` (what an item may serve)."""
    return list(
        Objective.objects.filter(goal__plan__agency=agency, goal__plan__start_year__lte=year,
                                 goal__plan__end_year__gte=year)
        .select_related("goal").order_by("goal__number", "code")
    )  # fmt: skip


def _number(value: Any, *, money: bool, negative: bool = True) -> Decimal | None:
    if value is None:
        return None
    try:
        return check_value(value, money=money, negative=negative)
    except InvalidNumber as exc:
        raise PlanEditRefused(str(exc)) from exc


def _clean(agency: Agency, year: int, level: str, parent: WorkItem | None,
           values: Mapping[str, Any], *, allows_negative: bool = False) -> dict[str, Any]:  # fmt: skip
    """``values`` (a subset of EDITABLE) checked and tidied; PlanEditRefused otherwise."""
    out: dict[str, Any] = {}
    for field, value in values.items():
        if field == "code":
            code = normalise_code(str(value or ""))
            problem = code_problem(code, level) or _prefix_problem(code, parent)
            if problem:
                raise PlanEditRefused(problem)
            out[field] = code
        elif field == "name":
            name = " ".join(str(value or "").split())
            if not name:
                raise PlanEditRefused(_("Tuliskan nama %(level)s.")
                                      % {"level": LevelChoice(level).label.lower()})  # fmt: skip
            out[field] = check_text(name, label=_("Nama"), limit=max_length(WorkItem, "name"),
                                    error=PlanEditRefused)  # fmt: skip
        elif field == "indicator":
            out[field] = check_text(str(value or "").strip(), label=_("Indikator"),
                                    limit=INDICATOR_MAX, error=PlanEditRefused)  # fmt: skip
        elif field == "unit":
            out[field] = check_text(" ".join(str(value or "").split()), label=_("Satuan"),
                                    limit=max_length(WorkItem, "unit"), error=PlanEditRefused)  # fmt: skip
        elif field == "decimals":
            if value is not None and not (isinstance(value, int) and 0 <= value <= 6):
                raise PlanEditRefused(_("Jumlah desimal harus 0 sampai 6, atau kosong."))
            out[field] = value
        elif field in ("target_k", "target_k_upper"):
            out[field] = _number(value, money=False, negative=allows_negative)
        elif field == "budget":
            out[field] = _number(value, money=True)
        elif field == "objective":
            if value is not None and not any(
                o.pk == value.pk for o in objectives_for(agency, year)
            ):
                raise PlanEditRefused(_("Sasaran itu bukan sasaran Renstra %(agency)s yang "
                                        "mencakup tahun %(year)s.")
                                      % {"agency": agency, "year": year})  # fmt: skip
            out[field] = value
        elif field == "responsible_unit":
            if value is not None and value.agency_id != agency.pk:
                raise PlanEditRefused(_("Unit kerja itu bukan unit kerja %(agency)s.")
                                      % {"agency": agency})  # fmt: skip
            out[field] = value
        elif field == "polarity":
            if value not in PolarityChoice.values:
                raise PlanEditRefused(_("Polaritas tidak dikenal."))
            out[field] = value
        elif field == "aggregation":
            if value not in AggregationChoice.values:
                raise PlanEditRefused(_("Agregasi triwulan tidak dikenal."))
            out[field] = value
        else:
            raise PlanEditRefused(_("Isian «%(field)s» tidak dapat diubah di sini.")
                                  % {"field": field})  # fmt: skip
    low = out.get("target_k")
    high = out.get("target_k_upper")
    if low is not None and high is not None and high < low:
        raise PlanEditRefused(_("Batas atas target tidak boleh lebih kecil dari targetnya."))
    if high is not None and "target_k" in out and low is None:
        raise PlanEditRefused(_("Batas atas target hanya diisi bersama targetnya."))
    return out


def _sorted_siblings(agency: Agency, year: int, parent_id: int | None,
                     exclude: int | None = None) -> list[WorkItem]:  # fmt: skip
    rows = WorkItem.objects.filter(agency=agency, year=year, parent_id=parent_id,
                                   indicator_of__isnull=True)  # fmt: skip
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return list(rows.order_by("position"))


def _make_room(agency: Agency, year: int, parent_id: int | None, after: WorkItem | None,
               exclude: int | None = None) -> int:  # fmt: skip
    """A free position just after ``after`` among the children of ``parent_id`` (first if
    None), for an item saved there and then renumbered: the siblings that follow move above
    every position in use (no history: only their place in the form changes, as renumber's)."""
    siblings = _sorted_siblings(agency, year, parent_id, exclude)
    if after is not None and all(s.pk != after.pk for s in siblings):
        raise PlanEditRefused(_("Baris acuan tidak berada di bawah induk yang dipilih."))
    index = 0 if after is None else next(n for n, s in enumerate(siblings, 1) if s.pk == after.pk)
    top = WorkItem.objects.filter(agency=agency, year=year).aggregate(m=Max("position"))["m"] or 0
    for n, sibling in enumerate(siblings[index:], start=2):
        sibling.position = top + n
        sibling.skip_history_when_saving = True  # type: ignore[attr-defined]
        sibling.save(update_fields=["position"])
    return top + 1


def _check_parent(agency: Agency, year: int, parent: WorkItem | None, level: str) -> None:
    if parent is not None and (parent.agency_id != agency.pk or parent.year != year):
        raise PlanEditRefused(_("Induk itu bukan bagian Renja %(agency)s tahun %(year)s.")
                              % {"agency": agency, "year": year})  # fmt: skip
    if child_level(parent) != level:
        if parent is None:
            message = _(
                "%(level)s harus berada di bawah induknya; hanya program yang berdiri sendiri."
            ) % {"level": LevelChoice(level).label}
        else:
            message = _(
                "%(level)s tidak dapat berada di bawah %(parent)s: program berisi "
                "kegiatan, kegiatan berisi sub kegiatan."
            ) % {"level": LevelChoice(level).label, "parent": parent.get_level_display().lower()}
        raise PlanEditRefused(message)  # fmt: skip


# ---- rencana aksi and cash plan per triwulan ----------------------------------------------


def plan_key(quarter: int, field: str) -> str:
    """The name of a quarter's value on the screens and in a Conflict: ``q2_cash_plan``."""
    return f"q{quarter}_{field}"


def plans_of(item: WorkItem) -> dict[int, dict[str, Decimal | None]]:
    """The item's rencana aksi and cash plan of each quarter (None where nothing is planned)."""
    stored = {p.quarter: p for p in ActionPlan.objects.filter(work_item=item)}
    return {q: {f: getattr(stored[q], f) if q in stored else None for f in PLAN_FIELDS}
            for q in QUARTERS}  # fmt: skip


def _plans_to_write(item: WorkItem, plans: Plans | None,
                    expected: Plans | None) -> dict[int, dict[str, Decimal | None]]:  # fmt: skip
    """The quarters of ``plans`` the user changed: against the values the page was drawn with
    (``expected``), or against the stored ones without a page. A field left out of a quarter
    keeps its stored value; a quarter left out is not touched."""
    if not plans:
        return {}
    unknown = set(plans) - set(QUARTERS)
    if unknown:
        raise PlanEditRefused(_("Triwulan harus 1 sampai 4."))
    stored = plans_of(item)
    out = {}
    for q, values in plans.items():
        new = {f: values.get(f, stored[q][f]) for f in PLAN_FIELDS}
        drawn = (expected or {}).get(q)
        base = stored[q] if drawn is None else {f: drawn.get(f, new[f]) for f in PLAN_FIELDS}
        if new != base:
            out[q] = new
    return out


def _write_plans(user: Any, item: WorkItem, todo: Mapping[int, Mapping[str, Decimal | None]],
                 expected: Plans | None, why: str, revision: Revision | None = None,
                 conflicts_only: bool = False) -> list[ConflictCell]:  # fmt: skip
    """Write the changed quarters with ``domain.set_action_plan`` (its checks, its
    concurrency, and its rule that a change after the year's first approval is a revision:
    ``revision``'s history text, cut to REASON_MAX, then stands for ``why``); the conflicting
    cells, keyed ``plan_key``, are returned for the caller to refuse the whole save.
    ``conflicts_only``: the save is refused already, only the quarters' conflicts are wanted
    (a quarter refused for another reason is passed over)."""
    cells: list[ConflictCell] = []
    for q, new in sorted(todo.items()):
        drawn = (expected or {}).get(q)
        try:
            domain.set_action_plan(user=user, work_item=item, quarter=q, revision=revision,
                                   reason="" if revision is not None else why,
                                   target_k=new["target_k"], cash_plan=new["cash_plan"],
                                   expected=None if drawn is None else dict(drawn))  # fmt: skip
        except Conflict as exc:
            cells += [replace(c, key=plan_key(q, c.field)) for c in exc.cells]
        except (domain.RevisionRefused, InvalidNumber) as exc:
            if conflicts_only:
                continue
            raise PlanEditRefused(
                _("Rencana aksi Triwulan %(q)s: %(why)s") % {"q": quarter_roman(q), "why": exc}
            ) from exc
    return cells


# ---- the writes ---------------------------------------------------------------------------


@transaction.atomic
def create_item(
    *,
    user: Any,
    agency: Agency,
    year: int,
    parent: WorkItem | None,
    level: str,
    code: str = "",
    name: str,
    indicator: str = "",
    unit: str = "",
    decimals: int | None = None,
    target_k: Decimal | None = None,
    target_k_upper: Decimal | None = None,
    budget_original: Decimal | None = None,
    objective: Objective | None = None,
    polarity: str = PolarityChoice.HIGHER,
    aggregation: str = AggregationChoice.SUM,
    responsible_unit: OrgUnit | None = None,
    after: WorkItem | None = None,
    plans: Plans | None = None,
    revision: Revision | None = None,
    reason: str = "",
) -> WorkItem:
    """Add a program (``parent=None``), kegiatan or sub kegiatan after the sibling ``after``
    (first under its parent if None), with its rencana aksi and cash plan per quarter
    (``plans``; a quarter with neither is not stored). Once the year is locked it needs
    ``revision``, and its pagu is a pagu perubahan (the item had none in the murni)."""
    _permit(user, agency)
    if not 2000 <= year <= 2100:
        raise PlanEditRefused(_("Tahun %(year)s di luar 2000–2100.") % {"year": year})
    _lock_year(agency)
    if parent is not None:
        parent = WorkItem.objects.get(pk=parent.pk)
    _check_parent(agency, year, parent, level)
    locked = plan_locked(agency, year)
    revision = _check_revision(agency, year, revision)
    values = _clean(agency, year, level, parent, {
        "code": code, "name": name, "indicator": indicator, "unit": unit, "decimals": decimals,
        "target_k": target_k, "target_k_upper": target_k_upper, "budget": budget_original,
        "objective": objective, "polarity": polarity, "aggregation": aggregation,
        "responsible_unit": responsible_unit})  # fmt: skip
    budget = values.pop("budget")
    item = WorkItem(agency=agency, year=year, parent=parent, level=level, **values)
    if not locked or revision is None:
        item.budget_original = budget
    elif budget is not None:
        item.budget_revised, item.budget_revised_on = budget, revision.on
        item.budget_revision_reason, item.budget_legal_basis = revision.reason, revision.legal_basis
    item.position = _make_room(agency, year, parent.pk if parent else None, after)
    why = _reason(revision, reason, _("Ditambahkan lewat layar Renja."))
    item._change_reason = why  # type: ignore[attr-defined]
    item._history_user = user  # type: ignore[attr-defined]
    item.save()
    _write_plans(user, item, _plans_to_write(item, plans, None), None, why, revision)
    renumber(agency, year)
    item.refresh_from_db()
    return item


def _follow_item(item: WorkItem, written: Iterable[str], why: str, user: Any) -> None:
    """Copy onto the item's further indicators what they take from it (its place, code,
    name, sasaran and unit kerja), each with the item's reason in its history."""
    fields = [f if f not in _FOREIGN else _FOREIGN[f] for f in written
              if f in FOLLOWS_ITEM or f == "parent"]  # fmt: skip
    if not fields or item.indicator_of_id is not None:
        return
    for row in WorkItem.objects.filter(indicator_of=item).order_by("position"):
        changed = [f for f in fields if getattr(row, f) != getattr(item, f)]
        if not changed:
            continue
        for f in changed:
            setattr(row, f, getattr(item, f))
        row._change_reason = why  # type: ignore[attr-defined]
        row._history_user = user  # type: ignore[attr-defined]
        row.save(update_fields=[f.removesuffix("_id") for f in changed])


@transaction.atomic
def create_indicator(
    *,
    user: Any,
    item: WorkItem,
    indicator: str,
    unit: str = "",
    decimals: int | None = None,
    target_k: Decimal | None = None,
    target_k_upper: Decimal | None = None,
    polarity: str = PolarityChoice.HIGHER,
    aggregation: str = AggregationChoice.SUM,
    plans: Plans | None = None,
    revision: Revision | None = None,
    reason: str = "",
) -> WorkItem:
    """Give ``item`` a further indicator, after its last one: a row of the form at the item's
    level under its parent, with the item's code, name, sasaran and unit kerja, its own
    indicator, unit, K target and rencana aksi per quarter (``plans``: target K only — the
    cash plan is the item's). Once the year is locked it needs ``revision``."""
    agency = item.agency
    _permit(user, agency)
    _lock_year(agency)
    item.refresh_from_db()
    if item.indicator_of_id is not None:
        item = WorkItem.objects.get(pk=item.indicator_of_id)
    revision = _check_revision(agency, item.year, revision)
    values = _clean(agency, item.year, item.level, None, {
        "indicator": indicator, "unit": unit, "decimals": decimals, "target_k": target_k,
        "target_k_upper": target_k_upper, "polarity": polarity, "aggregation": aggregation},
        allows_negative=item.allows_negative)  # fmt: skip
    if not values["indicator"]:
        raise PlanEditRefused(_("Tuliskan indikatornya."))
    if any((plans or {}).get(q, {}).get("cash_plan") is not None for q in QUARTERS):
        raise PlanEditRefused(_("Rencana kas diisi pada baris itemnya, bukan pada indikator "
                                "tambahan."))  # fmt: skip
    top = WorkItem.objects.filter(agency=agency, year=item.year).aggregate(m=Max("position"))["m"]
    row = WorkItem(agency=agency, year=item.year, parent_id=item.parent_id, level=item.level,
                   indicator_of=item, position=(top or 0) + 1,
                   **{f: getattr(item, f) for f in ("code", "name", "objective_id",
                                                    "responsible_unit_id", "allows_negative")},
                   **values)  # fmt: skip
    why = _reason(revision, reason, _("Indikator ditambahkan lewat layar Renja."))
    row._change_reason = why  # type: ignore[attr-defined]
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
    _write_plans(user, row, _plans_to_write(row, plans, None), None, why, revision)
    renumber(agency, item.year)
    row.refresh_from_db()
    return row


def _comparable(item: WorkItem, field: str, locked: bool) -> Any:
    if field == "budget":
        return item.budget if locked else item.budget_original
    if field in _FOREIGN:
        return getattr(item, _FOREIGN[field])
    return getattr(item, field)


def _as_comparable(field: str, value: Any) -> Any:
    if field in _FOREIGN:
        return value.pk if value is not None else None
    return value


def _label(field: str, value: Any) -> Any:
    """A foreign key's id as the user knows it (a conflict message names the sasaran)."""
    model = {"objective": Objective, "responsible_unit": OrgUnit}.get(field)
    if model is None or value is None:
        return value
    found = model.objects.filter(pk=value).first()
    return str(found) if found is not None else value


@transaction.atomic
def update_item(
    *,
    user: Any,
    item: WorkItem,
    changes: Mapping[str, Any],
    expected: Mapping[str, Any] | None = None,
    revision: Revision | None = None,
    reason: str = "",
    plans: Plans | None = None,
    expected_plans: Plans | None = None,
) -> WorkItem:
    """Change fields of an item (keys of EDITABLE; ``objective``/``responsible_unit`` as
    objects or None) and its rencana aksi and cash plan per quarter (``plans``, quarter →
    {"target_k", "cash_plan"}; a quarter left out is not touched). ``expected`` and
    ``expected_plans``: the values the page was drawn with; only what the user changed
    against them is written, and Conflict (keyed by the same names, a quarter's value by
    ``plan_key``) where someone else changed one since — then nothing is saved. Once the
    year is locked it needs ``revision``: a pagu change is its pagu perubahan with the
    revision's date, reason and legal basis, a quarter's change carries its reason."""
    _permit(user, item.agency)
    more = item.indicator_of_id is not None
    unknown = set(changes) - set(INDICATOR_EDITABLE if more else EDITABLE)
    if more and unknown & set(EDITABLE):
        raise PlanEditRefused(_("Kode, nama, pagu, sasaran dan unit kerja indikator tambahan "
                                "adalah milik itemnya: ubah pada baris itemnya."))  # fmt: skip
    if unknown:
        raise PlanEditRefused(_("Isian «%(field)s» tidak dapat diubah di sini.")
                              % {"field": ", ".join(sorted(unknown))})  # fmt: skip
    list(WorkItem.objects.select_for_update().filter(pk=item.pk).values_list("pk"))
    item.refresh_from_db()
    locked = plan_locked(item.agency_id, item.year)
    field_of = {f: f for f in EDITABLE}
    field_of["budget"] = "budget_revised" if locked else "budget_original"
    field_of.update(_FOREIGN)
    new = {field_of[f]: _as_comparable(f, v) for f, v in changes.items()}
    current = {field_of[f]: _comparable(item, f, locked) for f in changes}
    drawn = None
    if expected is not None:
        drawn = {field_of[f]: _as_comparable(f, v) for f, v in expected.items() if f in changes}
    key_of = {v: k for k, v in field_of.items()}
    cells: list[ConflictCell] = []
    try:
        fields = fields_to_write(item, new=new, expected=drawn, current=current)
    except Conflict as exc:
        fields = []
        cells = [replace(c, key=key_of[c.field], theirs=_label(key_of[c.field], c.theirs),
                         yours=_label(key_of[c.field], c.yours)) for c in exc.cells]  # fmt: skip
    quarters = _plans_to_write(item, plans, expected_plans)
    if cells:  # refused before anything else is judged; the quarters tell their own conflicts
        cells += _write_plans(user, item, quarters, expected_plans, reason.strip() or "-",
                              revision, conflicts_only=True)  # fmt: skip
        raise Conflict(cells)
    if not fields and not quarters:
        return item
    revision = _check_revision(item.agency, item.year, revision)
    wanted = {key_of[f]: changes[key_of[f]] for f in fields}
    values = _clean(item.agency, item.year, item.level, item.parent, wanted,
                    allows_negative=item.allows_negative)  # fmt: skip
    if "target_k_upper" in values and "target_k" not in values:
        upper = values["target_k_upper"]
        if upper is not None and (item.target_k is None or upper < item.target_k):
            raise PlanEditRefused(_("Batas atas target tidak boleh lebih kecil dari targetnya."))
    if "target_k" in values and "target_k_upper" not in values:
        low = values["target_k"]
        if item.target_k_upper is not None and (low is None or item.target_k_upper < low):
            raise PlanEditRefused(_("Batas atas target tidak boleh lebih kecil dari targetnya."))
    written = []
    for field, value in values.items():
        if field == "budget":
            if not locked or revision is None:
                item.budget_original = value
                written.append("budget_original")
            else:
                item.budget_revised, item.budget_revised_on = value, revision.on
                item.budget_revision_reason = revision.reason
                item.budget_legal_basis = revision.legal_basis
                written += ["budget_revised", "budget_revised_on", "budget_revision_reason",
                            "budget_legal_basis"]  # fmt: skip
        else:
            setattr(item, field, value)
            written.append(_FOREIGN.get(field, field).removesuffix("_id"))
    why = _reason(revision, reason, _("Diubah lewat layar Renja."))
    if written:
        item._change_reason = why  # type: ignore[attr-defined]
        item._history_user = user  # type: ignore[attr-defined]
        item.save(update_fields=written)
        _follow_item(item, written, why, user)
    cells = _write_plans(user, item, quarters, expected_plans,
                         why if revision is not None or reason.strip()
                         else _("Rencana aksi diubah lewat layar Renja."), revision)  # fmt: skip
    if cells:
        raise Conflict(cells)  # the transaction is undone: nothing of the save stays
    return item


@transaction.atomic
def move_item(
    *,
    user: Any,
    item: WorkItem,
    new_parent: WorkItem | None,
    after: WorkItem | None,
    revision: Revision | None = None,
    reason: str = "",
) -> list[str]:
    """Put ``item`` (with its children) after the sibling ``after`` under ``new_parent``
    (first if None); the year's positions are then renumbered in form order. Returns the
    warnings of the move: a code that does not start with the new parent's code stays as it
    is until the user corrects it."""
    agency = item.agency
    _permit(user, agency)
    _lock_year(agency)
    item.refresh_from_db()
    if item.indicator_of_id is not None:
        raise PlanEditRefused(_("Indikator tambahan berpindah bersama itemnya: pindahkan "
                                "itemnya."))  # fmt: skip
    if new_parent is not None:
        new_parent = WorkItem.objects.get(pk=new_parent.pk)
    _check_parent(agency, item.year, new_parent, item.level)
    new_parent_id = new_parent.pk if new_parent else None
    siblings = _sorted_siblings(agency, item.year, new_parent_id, exclude=item.pk)
    now_after = None
    if item.parent_id == new_parent_id:
        before = [s for s in siblings if s.position < item.position]
        now_after = before[-1] if before else None
    if item.parent_id == new_parent_id and (now_after.pk if now_after else None) == (
        after.pk if after else None
    ):
        return []  # already there
    revision = _check_revision(agency, item.year, revision)
    item.position = _make_room(agency, item.year, new_parent_id, after, exclude=item.pk)
    item.parent = new_parent
    item._change_reason = _reason(revision, reason, _("Dipindahkan lewat layar Renja."))  # type: ignore[attr-defined]
    item._history_user = user  # type: ignore[attr-defined]
    item.save(update_fields=["position", "parent"])
    _follow_item(item, ["parent"], item._change_reason, user)  # type: ignore[attr-defined]
    renumber(agency, item.year)
    item.refresh_from_db()
    problem = _prefix_problem(item.code, new_parent)
    return [problem] if problem else []


def move_step(*, user: Any, item: WorkItem, step: int,
              revision: Revision | None = None) -> list[str]:  # fmt: skip
    """Move ``item`` one place up (``step=-1``) or down (``+1``) among its siblings; at the
    edge, nothing changes."""
    siblings = _sorted_siblings(item.agency, item.year, item.parent_id)
    index = next(n for n, s in enumerate(siblings) if s.pk == item.pk)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(siblings):
        return []
    others = [s for s in siblings if s.pk != item.pk]
    after = others[target - 1] if target > 0 else None
    return move_item(user=user, item=item, new_parent=item.parent, after=after,
                     revision=revision)  # fmt: skip


_DEPTH = {LevelChoice.PROGRAM: 0, LevelChoice.KEGIATAN: 1, LevelChoice.SUB_KEGIATAN: 2}


def _subtree(item: WorkItem) -> list[WorkItem]:
    """The item, its further indicators and its descendants (theirs too), in form order."""
    rows = tree_order(list(WorkItem.objects.filter(agency_id=item.agency_id, year=item.year)
                           .order_by("position")))  # fmt: skip
    start = next(n for n, r in enumerate(rows) if r.pk == item.pk)
    if item.indicator_of_id is not None:  # a further indicator: itself alone
        return [rows[start]]
    depth = _DEPTH[rows[start].level]
    end = next((n for n, r in enumerate(rows[start + 1:], start + 1)
                if r.indicator_of_id is None and _DEPTH[r.level] <= depth), len(rows))  # fmt: skip
    return rows[start:end]


def removal_problem(item: WorkItem) -> str | None:
    """Why ``item`` may not be removed (Indonesian), or None: it or an item under it has a
    recorded realisation (a value or evidence), a quarter's narrative, or is in the record
    of an approved quarter."""
    from kinerja.monitoring.models import Evidence, Narrative, Realisation
    from kinerja.record.models import SnapshotRow

    ids = [row.pk for row in _subtree(item)]
    realised = (
        Realisation.objects.filter(work_item_id__in=ids)
        .filter(Q(value_k__isnull=False) | Q(value_rp__isnull=False))
        .select_related("work_item").order_by("work_item__position", "quarter").first()
    )  # fmt: skip
    if realised is None:
        evidence = Evidence.objects.filter(realisation__work_item_id__in=ids).select_related(
            "realisation__work_item").first()  # fmt: skip
        realised = evidence.realisation if evidence else None
    if realised is not None:
        return _("Tidak dapat dihapus: %(item)s sudah memiliki realisasi Triwulan %(q)s %(year)s. "
                 "Hapus realisasinya dulu, atau biarkan item ini.") % {
            "item": realised.work_item, "q": quarter_roman(realised.quarter), "year": item.year}  # fmt: skip
    narrative = Narrative.objects.filter(work_item_id__in=ids).exclude(text="").first()
    if narrative is not None:
        return _("Tidak dapat dihapus: %(item)s memiliki narasi Triwulan %(q)s (%(kind)s).") % {
            "item": narrative.work_item, "q": quarter_roman(narrative.quarter),
            "kind": narrative.get_kind_display()}  # fmt: skip
    snapshot = SnapshotRow.objects.filter(work_item_id__in=ids).select_related(
        "snapshot").order_by("snapshot__quarter").first()  # fmt: skip
    if snapshot is not None:
        return _("Tidak dapat dihapus: %(item)s tercatat dalam Triwulan %(q)s %(year)s yang telah "
                 "disahkan.") % {"item": f"{snapshot.code} {snapshot.name}".strip(),
                                 "q": quarter_roman(snapshot.snapshot.quarter), "year": item.year}  # fmt: skip
    return None


@transaction.atomic
def remove_item(*, user: Any, item: WorkItem, reason: str,
                revision: Revision | None = None) -> int:  # fmt: skip
    """Remove ``item`` with everything under it (and their rencana aksi); refused with the
    reason of ``removal_problem``. Returns how many items were removed."""
    agency = item.agency
    _permit(user, agency)
    _lock_year(agency)
    revision = _check_revision(agency, item.year, revision)
    if revision is None and not reason.strip():
        raise PlanEditRefused(_("Tuliskan alasan penghapusan."))
    why = _reason(revision, reason, "")
    problem = removal_problem(item)
    if problem:
        raise PlanEditRefused(problem)
    rows = _subtree(item)
    for row in reversed(rows):  # children first, each with the reason in its history
        row._change_reason = why  # type: ignore[attr-defined]
        row._history_user = user  # type: ignore[attr-defined]
        row.delete()
    renumber(agency, item.year)
    return len(rows)


# ---- planning rules as the user types -----------------------------------------------------


def _unit_key(unit: str | None) -> str:
    return " ".join((unit or "").split()).casefold()


def _key_units(objective_ids: Iterable[int]) -> dict[int, list[str]]:
    units: dict[int, list[str]] = defaultdict(list)
    for objective_id, unit in (Indicator.objects.filter(objective_id__in=set(objective_ids),
                                                        is_key=True)
                               .order_by("position").values_list("objective_id", "unit")):  # fmt: skip
        if unit and unit not in units[objective_id]:
            units[objective_id].append(unit)
    return units


def _unit_warning(unit: str, units: list[str]) -> str | None:
    if not units or not unit or _unit_key(unit) in {_unit_key(u) for u in units}:
        return None
    return _("Satuan «%(unit)s» berbeda dengan satuan IKU sasarannya (%(iku)s).") % {
        "unit": unit, "iku": ", ".join(f"«{u}»" for u in units)}  # fmt: skip


def _sum_warning(budget: Decimal | None, total: Decimal) -> str | None:
    if (budget or Decimal(0)) == total:
        return None
    return _("Pagu %(pagu)s berbeda dengan jumlah pagu rinciannya %(sum)s (selisih %(diff)s).") % {
        "pagu": format_number(budget), "sum": format_number(total),
        "diff": format_number(abs((budget or Decimal(0)) - total))}  # fmt: skip


def cash_plan_warning(budget: Decimal | None,
                      quarters: Iterable[Decimal | None]) -> str | None:  # fmt: skip
    """The warning of a cash plan TW I–IV (in order) whose Σ is not the pagu; None when it
    is, or when no quarter has an amount yet (``core.cashplan.cash_plan_gap``)."""
    gap = cash_plan_gap(budget, list(quarters))
    if gap is None:
        return None
    text = _("Jumlah rencana anggaran kas Triwulan I–IV %(sum)s berbeda dengan pagu %(pagu)s "
             "(selisih %(diff)s).") % {"sum": format_number(gap.total),
                                       "pagu": format_number(gap.budget),
                                       "diff": format_number(abs(gap.difference))}  # fmt: skip
    if gap.missing:
        text += " " + _("Belum diisi: Triwulan %(quarters)s.") % {
            "quarters": ", ".join(quarter_roman(q) for q in gap.missing)}  # fmt: skip
    return text


def _cash_plans(items: Iterable[WorkItem]) -> dict[int, list[Decimal | None]]:
    """TW I–IV's cash plan of each item that has a rencana aksi (by id)."""
    out: dict[int, list[Decimal | None]] = {}
    for item_id, quarter, amount in ActionPlan.objects.filter(
        work_item_id__in=[i.pk for i in items]
    ).values_list("work_item_id", "quarter", "cash_plan"):
        out.setdefault(item_id, [None] * 4)[quarter - 1] = amount
    return out


def children_sums(items: Iterable[WorkItem]) -> dict[int, Decimal]:
    """Σ of the pagu in force of each item's children, for the items that have children."""
    sums: dict[int, Decimal] = {}
    for item in items:
        if item.parent_id is not None:
            sums[item.parent_id] = sums.get(item.parent_id, Decimal(0)) + (item.budget or 0)
    return sums


def tree_warnings(items: list[WorkItem]) -> dict[int, list[str]]:
    """The planning rules' warnings of each item of a year's Renja (by id)."""
    by_id = {item.pk: item for item in items}
    sums = children_sums(items)
    units = _key_units(i.objective_id for i in items if i.objective_id)
    cash = _cash_plans(items)
    out: dict[int, list[str]] = {}
    for item in items:
        found = [
            code_problem(item.code, item.level),
            _prefix_problem(item.code, by_id.get(item.parent_id)),
            _sum_warning(item.budget, sums[item.pk]) if item.pk in sums else None,
            _unit_warning(item.unit, units.get(item.objective_id, [])),
            None if item.target_k is not None else _("Target K belum diisi."),
            cash_plan_warning(item.budget, cash[item.pk]) if item.pk in cash else None,
        ]
        out[item.pk] = [w for w in found if w]
    return out


def draft_warnings(*, agency: Agency, year: int, level: str, parent: WorkItem | None,
                   item: WorkItem | None, values: Mapping[str, Any]) -> list[str]:  # fmt: skip
    """The warnings of an item as typed (not saved): ``values`` holds the parsed code, unit,
    target_k, budget (the pagu in force), objective (or None) and cash_plan (TW I–IV's
    amounts); a number left out (it could not be read) is not judged."""
    code = normalise_code(str(values.get("code") or ""))
    found = [code_problem(code, level), _prefix_problem(code, parent)]
    if "budget" not in values:  # not readable as typed: its error says why
        parent = None
        item = None
    budget = values.get("budget")
    siblings = [] if parent is None else list(WorkItem.objects.filter(parent=parent))
    if item is not None:
        kids = list(WorkItem.objects.filter(parent=item))
        if kids:
            found.append(_sum_warning(budget, sum((k.budget or Decimal(0) for k in kids),
                                                  Decimal(0))))  # fmt: skip
    if parent is not None:
        others = sum((s.budget or Decimal(0) for s in siblings
                      if item is None or s.pk != item.pk), Decimal(0))  # fmt: skip
        total = others + (budget or Decimal(0))
        if (parent.budget or Decimal(0)) != total:
            found.append(_("Pagu induknya %(parent)s %(pagu)s, jumlah rinciannya dengan isian "
                           "ini %(sum)s.") % {"parent": parent.code or parent.name,
                                               "pagu": format_number(parent.budget),
                                               "sum": format_number(total)})  # fmt: skip
    objective = values.get("objective")
    if objective is not None:
        found.append(_unit_warning(str(values.get("unit") or ""),
                                   _key_units([objective.pk]).get(objective.pk, [])))  # fmt: skip
    if "target_k" in values and values["target_k"] is None:
        found.append(_("Target K belum diisi."))
    if "cash_plan" in values and "budget" in values:
        found.append(cash_plan_warning(values["budget"], values["cash_plan"]))
    return [w for w in found if w]
