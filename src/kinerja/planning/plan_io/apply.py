"""What a plan file would change in the database, and writing it in one transaction.

``plan_changes(plan, agency, year)`` compares the file's plan with the stored one and lists
what would be created, changed (field: old → new) and left (stored but not in the file;
import never deletes), with the file's warnings and those only the database can tell (a
title naming another agency or year, a year outside the Renstra period, a unit that differs
from the linked IKU's, a code used by another name under the same parent).

``apply_changes(changes, user=…, file_name=…, revision=…)`` writes it: one transaction,
every row's history with the reason «impor <file>» (or the revision's, after the year's
first quarter is approved), in bulk.

Matching: a Renja item is the same item when its parent, level, code and name are the same
(codes are not keys: agencies' exports repeat a program under each urusan, and one code may
name several items); a Renstra goal by its number, a sasaran by its code, an indicator by
its name under its goal or sasaran, a target by its year (docs/plan-import.md).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kinerja.core.numbers import format_number, strip_zeros

from ..items import Revision, plan_locked, renumber
from ..models import (
    ActionPlan,
    Agency,
    AggregationChoice,
    DerivationRule,
    Goal,
    Indicator,
    IndicatorTarget,
    LevelChoice,
    Objective,
    OrgUnit,
    PolarityChoice,
    RpjmdObjective,
    Scale,
    StrategicPlan,
    WorkItem,
)
from .model import (
    DECIMALS_WRITTEN,
    Issue,
    PlanData,
    PlanItem,
    QuarterPlan,
    Renstra,
    RenstraGoal,
    RenstraIndicator,
    RenstraObjective,
    Source,
    TargetYear,
    gc_paused,
    shown_value,
)

__all__ = [
    "Change",
    "Changes",
    "FieldChange",
    "ImportRefused",
    "apply_changes",
    "plan_changes",
]

BATCH = 500


class ImportRefused(Exception):
    """The import may not be written; ``str()`` is the Indonesian reason."""


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # the field's Indonesian label
    old: str  # as shown (Indonesian numbers, "-" for empty)
    new: str
    revision: bool = False  # written as a revision (pagu perubahan, target perubahan)


@dataclass(slots=True)
class Change:
    """One thing created, changed or left: what it is ("program", "sasaran", "indikator",
    "unit kerja", …), its label (code and name), and for a change its fields."""

    what: str
    label: str
    fields: Sequence[FieldChange] = ()  # a created or left item's: none
    source: Source | None = None


@dataclass(slots=True)
class Changes:
    """What importing ``plan`` into ``agency``'s ``year`` would do."""

    agency: Agency
    year: int
    plan: PlanData
    created: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    left: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # the file's, then the database's
    locked: bool = False  # a quarter of the year is approved: changes are revisions
    locked_years: tuple[int, ...] = ()  # Renstra target years changed while approved
    _ops: Any = None  # what apply_changes writes (recomputed inside its transaction)

    @property
    def refused(self) -> bool:
        """The file cannot be imported at all (unreadable, no code/name columns)."""
        return self.plan.refused

    @property
    def writes(self) -> bool:
        return bool(self.created or self.changed)

    @property
    def needs_revision(self) -> bool:
        """Something would change in a year whose first quarter is approved."""
        return self.writes and (self.locked or bool(self.locked_years))

    def refusal(self, revision: Revision | None = None) -> str | None:
        """Why this import may not be written (Indonesian), or None."""
        if self.refused:
            return _("Berkas ditolak: %(why)s") % {
                "why": "; ".join(i.message for i in self.issues if i.severity == "error")
            }
        if self.needs_revision and revision is None:
            years = sorted({*((self.year,) if self.locked else ()), *self.locked_years})
            return _(
                "Triwulan tahun %(years)s sudah disahkan: perubahan rencana hanya dapat "
                "dicatat sebagai revisi. Sebutkan tanggal, alasan dan dasar hukum revisi."
            ) % {"years": ", ".join(map(str, years))}
        return None

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "changed": len(self.changed),
            "left": len(self.left),
            "warnings": sum(1 for i in self.issues if i.severity == "warning"),
            "errors": sum(1 for i in self.issues if i.severity == "error"),
        }

    def as_json(self) -> dict[str, Any]:
        """A stable, JSON-ready summary (``kinerja plan import --json``)."""

        def change(c: Change) -> dict[str, Any]:
            out: dict[str, Any] = {"what": c.what, "label": c.label}
            if c.fields:
                out["fields"] = [
                    {"field": f.field, "old": f.old, "new": f.new, "revision": f.revision}
                    for f in c.fields
                ]
            if c.source is not None:
                out["source"] = _source_json(c.source)
            return out

        return {
            "agency": self.agency.slug,
            "year": self.year,
            "kind": self.plan.kind,
            "pagu_column": self.plan.pagu_column,
            "pagu_columns": list(self.plan.pagu_columns),
            "locked": self.locked,
            "needs_revision": self.needs_revision,
            "refused": self.refused,
            "counts": self.counts(),
            "created": [change(c) for c in self.created],
            "changed": [change(c) for c in self.changed],
            "left": [change(c) for c in self.left],
            "issues": [
                {
                    "severity": i.severity,
                    "message": i.message,
                    **(_source_json(i.source) if i.source else {}),
                    "value": i.value,
                }
                for i in self.issues
            ],
        }

    def digest(self) -> str:
        """A hash of what would be written: the upload page keeps it from the preview and
        passes it to apply_changes, which refuses when the database moved since."""
        body = {k: v for k, v in self.as_json().items() if k in ("created", "changed")}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _source_json(source: Source) -> dict[str, Any]:
    return {"sheet": source.sheet, "row": source.row, "column": source.column}


# ---- shown values -----------------------------------------------------------------------


def _show(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, date):
        return shown_value(value)
    if isinstance(value, list):
        return "; ".join(f"{n} = {format_number(Decimal(str(v)))}" for n, v in value) or "-"
    text = " ".join(str(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _d(value: Any) -> Decimal | None:
    return strip_zeros(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return (a or "") == (b or "")
    return a == b


# ---- the file's plan, cleaned ------------------------------------------------------------

_ITEM_LIMITS = {  # PlanItem field → WorkItem column limit
    "unit": 60,
    "renstra_target_unit": 60,
    "renstra_realised_unit": 60,
    "budget_legal_basis": 300,
    "responsible_unit": 200,
    "objective_code": 20,
}
_ITEM_LIMITS_LIST = tuple(_ITEM_LIMITS.items())
_ITEM_COMPARED = (
    "indicator", "unit", "decimals", "target_k", "target_k_upper", "budget", "polarity",
    "aggregation", "allows_negative", "objective_code", "responsible_unit", "renstra_target_k",
    "renstra_target_unit", "renstra_target_rp", "renstra_realised_k", "renstra_realised_unit",
    "renstra_realised_rp", "note", "budget_revised", "budget_revised_on",
    "budget_revision_reason", "budget_legal_basis",
)  # fmt: skip


# an item as imported: the file's PlanItem (never changed), its children (not yet cleaned:
# each level is cleaned when it is matched) and its matching key (level, code, normalised name)
_Entry = tuple[PlanItem, list[PlanItem], tuple[str, str, str]]
_RANK = {"program": 0, "kegiatan": 1, "sub_kegiatan": 2}
_LEVEL_RANKS = {level: _RANK.get(level, 3) for level in LevelChoice.values}  # not a level: None


def _clean_items(warn: Any, items: list[PlanItem], parent: PlanItem | None) -> list[_Entry]:
    """The siblings as they are imported: an item with no usable name or code dropped, an
    overlong text cell emptied, the same (level, code, name) merged into one item (its
    children joined; differing fields warned, the first kept), and a code used by two names
    warned. One level: the children of each are cleaned when they are matched (no second
    tree is built). The file's PlanData is left as it was read."""
    kept: list[_Entry] = []
    seen: dict[tuple[str, str, str], int] = {}  # key → its entry's index in kept
    names_of_code: dict[tuple[str, str], PlanItem] = {}
    parent_rank = _rank(parent.level) if parent is not None else -1
    for item in items:
        rank = _LEVEL_RANKS.get(item.level)
        if len(item.name) > 500 or len(item.code) > 40 or rank is None:
            warn(_("Nama (paling banyak 500 karakter) atau kode (40) terlalu panjang; "
                   "baris dan isinya dilewati."), item.source, item.name)  # fmt: skip
            continue
        if rank <= parent_rank:
            warn(_("Tingkat tidak di bawah induknya; baris dilewati."), item.source, item.name)
            continue
        if (len(item.unit) > 60 or len(item.responsible_unit) > 200
                or len(item.renstra_target_unit) > 60 or len(item.renstra_realised_unit) > 60
                or len(item.objective_code) > 20 or len(item.budget_legal_basis) > 300):  # fmt: skip
            item = _limit(warn, item)
        name = item.name
        key = (item.level, item.code, " ".join(name.split()).casefold() if type(name) is str
               else _norm(name))  # fmt: skip
        index = seen.get(key)
        if index is not None:
            head, head_children, _key = kept[index]
            differing = [
                name
                for name in _ITEM_COMPARED
                if not _same(getattr(head, name), getattr(item, name))
                and getattr(item, name) not in (None, "")
            ]
            if _quarters(head) != _quarters(item) and item.quarters:
                differing.append("rencana aksi")
            if differing:
                warn(
                    _("%(level)s «%(code)s %(name)s» muncul lagi di bawah induk yang sama "
                      "dengan isian berbeda (%(fields)s); isian baris pertamanya dipakai.")
                    % {"level": LevelChoice(item.level).label, "code": item.code,
                       "name": item.name, "fields": ", ".join(differing)},
                    item.source, item.name,
                )  # fmt: skip
            # the children joined in a new list: the file's lists stay as read
            kept[index] = (head, [*head_children, *item.children], key)
            continue
        seen[key] = len(kept)
        if item.code:
            level_code = key[:2]
            other = names_of_code.get(level_code)
            if other is None:
                names_of_code[level_code] = item
            elif _norm(other.name) != key[2]:
                warn(
                    _("Kode «%(code)s» dipakai untuk dua nama di bawah induk yang sama («%(a)s» "
                      "dan «%(b)s»); keduanya diimpor sebagai item terpisah.")
                    % {"code": item.code, "a": other.name, "b": item.name},
                    item.source, item.code,
                )  # fmt: skip
        kept.append((item, item.children, key))
    return kept


def _keyed(_warn: Any, items: list[PlanItem], _parent: PlanItem | None) -> list[_Entry]:
    """``_clean_items`` of a reader that did the cleaning itself (``PlanData.merged``): the
    items with their matching keys, nothing dropped, merged or warned again."""
    return [(item, item.children, (item.level, item.code, " ".join(item.name.split()).casefold()))
            for item in items]  # fmt: skip


def _limit(warn: Any, item: PlanItem) -> PlanItem:
    """The item with each text longer than its column emptied (a warning each)."""
    for name, limit in _ITEM_LIMITS_LIST:
        if len(getattr(item, name)) > limit:
            warn(_("Isian lebih dari %(n)s karakter; sel dilewati.") % {"n": limit},
                 item.source, getattr(item, name))  # fmt: skip
            item = replace(item, **{name: ""})
    return item


def _rank(level: str) -> int:
    return _RANK.get(level, 3)


def _quarters(item: PlanItem) -> dict[int, tuple[Any, Any]]:
    return {
        q: (p.target_k, p.cash_plan)
        for q, p in item.quarters.items()
        if p.target_k is not None or p.cash_plan is not None
    }


# ---- the diff ---------------------------------------------------------------------------

# PlanItem field → (WorkItem field, label)
_ITEM_FIELDS: dict[str, str] = {
    "indicator": "indicator",
    "unit": "unit",
    "decimals": "decimals",
    "target_k": "target_k",
    "target_k_upper": "target_k_upper",
    "polarity": "polarity",
    "aggregation": "aggregation",
    "allows_negative": "allows_negative",
    "renstra_target_k": "renstra_target_k",
    "renstra_target_unit": "renstra_target_unit",
    "renstra_target_rp": "renstra_target_rp",
    "renstra_realised_k": "renstra_realised_k",
    "renstra_realised_unit": "renstra_realised_unit",
    "renstra_realised_rp": "renstra_realised_rp",
    "note": "note",
}
_NO_QUARTER = QuarterPlan()
_REVISION_FIELDS = ("budget_revised", "budget_revised_on", "budget_revision_reason",
                    "budget_legal_basis")  # fmt: skip
_LEVEL_WHAT = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}


def _more_what() -> str:
    return _("indikator tambahan")


# what a further indicator takes from its item, never from its own row of the file
_HOST_FIELDS = frozenset({
    "budget_original", "budget_revised", "budget_revised_on", "budget_revision_reason",
    "budget_legal_basis", "renstra_target_rp", "renstra_realised_rp",
})  # fmt: skip


def _more_label(item: PlanItem | WorkItem) -> str:
    """«5.03.01 Program …: Indeks kepuasan» — a further indicator named with its item."""
    return f"{item.code} {item.name}: {item.indicator}".strip()


def _label(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _choice_label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


@dataclass(slots=True)
class _ItemOp:
    item: PlanItem
    db: WorkItem | None  # None: created
    parent: _ItemOp | None
    parent_id: int | None  # the stored parent, where the parent is not created
    # WorkItem field → new value of a changed item (a created one: _Ops.created_values)
    values: dict[str, Any] = field(default_factory=dict)
    objective_code: str | None = None  # to resolve after the Renstra is written
    unit_name: str | None = None  # responsible unit to resolve
    quarters: dict[int, dict[str, Any]] = field(default_factory=dict)  # quarter → fields
    revision: bool = False  # budget_revised set as a revision (date, reason, basis at write)
    host: _ItemOp | None = None  # a further indicator's item (WorkItem.indicator_of)


@dataclass(slots=True)
class _Ops:
    items: list[_ItemOp] = field(default_factory=list)
    units: list[str] = field(default_factory=list)  # org units to create
    renstra: Any = None  # _RenstraOps
    created_values: Any = None  # _ItemOp (created) → its WorkItem fields


class _Differ:
    def __init__(self, plan: PlanData, agency: Agency, year: int) -> None:
        self.plan, self.agency, self.year = plan, agency, year
        self.fields = plan.item_fields
        self.changes = Changes(agency=agency, year=year, plan=plan)
        self.ops = _Ops()
        self.ops.created_values = self._created_values
        self.changes._ops = self.ops
        self.locked = plan_locked(agency, year)
        self.changes.locked = self.locked
        self.issues: list[Issue] = []
        # the file's fields, looked up once (not per item)
        self.item_columns = tuple((n, c) for n, c in _ITEM_FIELDS.items() if self.has(n))
        self.revision_fields = tuple(n for n in _REVISION_FIELDS if self.has(n))
        self.has_budget = self.has("budget")
        self.decimals_written = self.has(DECIMALS_WRITTEN) and not self.has("decimals")
        self.has_objective = self.has("objective_code")
        self.has_unit = self.has("responsible_unit")
        self.quarter_fields = tuple(
            (name, k) for name, k in (("q_target_k", "target_k"), ("q_cash_plan", "cash_plan"))
            if self.has(name)
        )  # fmt: skip

    def has(self, name: str) -> bool:
        # None (a reader that did not say which fields it has): none — the safe choice, a
        # file never clears what it has no column for
        return self.fields is not None and name in self.fields

    def warn(
        self,
        message: str,
        source: Source | None = None,
        value: Any = None,
        *,
        issues: list[Issue] | None = None,
    ) -> None:
        text = None if value is None else _show(value) if not isinstance(value, str) else value
        if text is not None and len(text) > 80:
            text = text[:79] + "…"
        (self.issues if issues is None else issues).append(Issue("warning", message, source, text))

    # -- run ----------------------------------------------------------------------------

    def run(self) -> Changes:
        plan = self.plan
        self.changes.issues = list(plan.issues)
        if plan.refused:
            return self.changes
        # the cyclic collector paused while the tens of thousands of small acyclic objects
        # of the diff are built (model.gc_paused)
        with gc_paused():
            return self._run()

    def _run(self) -> Changes:
        plan = self.plan
        # the file's own warnings (cleaning the items) come first, as they are about the
        # file; each level is cleaned where it is matched, its warnings kept apart till then
        self.clean_issues: list[Issue] = []
        self.clean_warn = partial(self.warn, issues=self.clean_issues)
        self.clean = _keyed if plan.merged else _clean_items
        nodes = self.clean(self.clean_warn, plan.items, None)
        self._title()
        objective_codes, key_units = self._renstra()
        self._items(nodes, objective_codes, key_units)
        self.changes.issues.extend(self.clean_issues)
        self.changes.issues.extend(self.issues)
        return self.changes

    def _title(self) -> None:
        agency, plan = self.agency, self.plan
        if plan.title_agency:
            named = _norm(plan.title_agency)
            ours = [_norm(agency.name), _norm(agency.abbreviation), _norm(agency.slug)]
            if not any(o and (o in named or named in o) for o in ours):
                self.warn(_("Judul berkas menyebut perangkat daerah lain («%(title)s»), bukan "
                            "%(agency)s.") % {"title": plan.title_agency, "agency": agency.name},
                          None, plan.title_agency)  # fmt: skip
        if plan.title_year is not None and plan.title_year != self.year:
            self.warn(_("Judul berkas menyebut tahun %(title)s, bukan %(year)s yang diimpor.")
                      % {"title": plan.title_year, "year": self.year}, None,
                      str(plan.title_year))  # fmt: skip

    # -- Renstra ------------------------------------------------------------------------

    def _renstra(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        """Diff the file's Renstra; return the sasaran codes the items may link to (code →
        text) and, per code, the units of its IKU."""
        renstra = self.plan.renstra
        if renstra is None:
            stored = _stored_renstra_for(self.agency, self.year)
            if stored is None and StrategicPlan.objects.filter(agency=self.agency).exists():
                self.warn(_("Tidak ada Renstra yang periodenya mencakup tahun %(year)s.")
                          % {"year": self.year})  # fmt: skip
            return _objective_units(stored)
        if not renstra.start_year <= self.year <= renstra.end_year:
            self.warn(_("Tahun %(year)s di luar periode Renstra %(start)s–%(end)s di berkas.")
                      % {"year": self.year, "start": renstra.start_year,
                         "end": renstra.end_year})  # fmt: skip
        differ = _RenstraDiffer(self, renstra)
        differ.run()
        self.ops.renstra = differ.ops
        if renstra.start_year <= self.year <= renstra.end_year:
            return _objective_units_of(renstra)
        return _objective_units(_stored_renstra_for(self.agency, self.year))

    # -- items --------------------------------------------------------------------------

    def _items(
        self, nodes: list[_Entry], objective_codes: dict[str, str], key_units: dict[str, list[str]]
    ) -> None:
        stored = list(
            WorkItem.objects.filter(agency=self.agency, year=self.year)
            .select_related("objective", "responsible_unit")
            .order_by("position")
        )
        children: dict[int | None, list[WorkItem]] = defaultdict(list)
        self.more_of: dict[int, list[WorkItem]] = defaultdict(list)  # item id → its further
        for row in stored:
            if row.indicator_of_id is None:
                children[row.parent_id].append(row)
            else:
                self.more_of[row.indicator_of_id].append(row)
        plans: dict[int, dict[int, ActionPlan]] = defaultdict(dict)
        if stored:  # a year without items has no rencana aksi to look up
            for ap in ActionPlan.objects.filter(work_item__agency=self.agency,
                                                work_item__year=self.year):  # fmt: skip
                plans[ap.work_item_id][ap.quarter] = ap
        self.units = {_norm(u.name): u.name for u in OrgUnit.objects.filter(agency=self.agency)}
        self.objective_codes, self.key_units = objective_codes, key_units
        self.action_plans = plans
        matched: set[int] = set()
        self._match(nodes, None, None, children, matched)
        for row in stored:
            if row.pk not in matched:
                if row.indicator_of_id is None:
                    self.changes.left.append(Change(_LEVEL_WHAT[row.level],
                                                    f"{row.code} {row.name}".strip()))  # fmt: skip
                else:
                    self.changes.left.append(Change(_more_what(), _more_label(row)))

    def _match(self, nodes: list[_Entry], parent_op: _ItemOp | None, parent: WorkItem | None,
               children: dict[int | None, list[WorkItem]], matched: set[int]) -> None:  # fmt: skip
        pool = (
            []
            if parent_op is not None and parent_op.db is None
            else children[parent.pk if parent is not None else None]
        )
        free: dict[tuple[str, str, str], list[WorkItem]] = defaultdict(list)
        by_code: dict[tuple[str, str], WorkItem] = {}
        for row in pool:
            free[(row.level, row.code, _norm(row.name))].append(row)
            if row.code:
                by_code.setdefault((row.level, row.code), row)
        in_file = {key for _item, _children, key in nodes} if pool else set()
        ops_append, created_append = self.ops.items.append, self.changes.created.append
        parent_id = parent.pk if parent is not None else None
        # a created item with no sasaran, rencana aksi or unit kerja to look at: nothing for
        # _item_values to check or take (most items of a new year)
        plain, has_unit = not self.has_objective and not self.quarter_fields, self.has_unit
        for item, file_children, key in nodes:
            candidates = free.get(key) if pool else None
            row = candidates.pop(0) if candidates else None
            if row is None and by_code and item.code:
                other = by_code.get((item.level, item.code))
                if (
                    other is not None
                    and (other.level, other.code, _norm(other.name)) not in in_file
                ):
                    self.warn(
                        _("Kode «%(code)s» sudah dipakai «%(stored)s» di bawah induk yang sama; "
                          "«%(name)s» dibuat sebagai item baru dan «%(stored)s» tetap ada.")
                        % {"code": item.code, "stored": other.name, "name": item.name},
                        item.source, item.name,
                    )  # fmt: skip
            op = _ItemOp(item, row, parent_op, parent_id)  # positional: built once an item
            if row is not None or not plain or item.responsible_unit:
                self._item_values(op)
            elif has_unit:  # what _item_values gives a created item without a unit kerja
                op.unit_name = ""
            ops_append(op)
            label = f"{item.code} {item.name}".strip()
            what = _LEVEL_WHAT[item.level]
            if row is None:
                created_append(Change(what, label, (), item.source))
            else:
                matched.add(row.pk)
                shown = self._item_shown(op)
                if shown:
                    self.changes.changed.append(Change(what, label, shown, item.source))
            if item.more or (row is not None and row.pk in self.more_of):
                self._match_more(op, matched)
            if file_children:
                self._match(self.clean(self.clean_warn, file_children, item), op, row,
                            children, matched)  # fmt: skip

    def _match_more(self, host: _ItemOp, matched: set[int]) -> None:
        """The item's further indicators against the stored ones of its row: the same
        indicator text is the same row; the others are created (those stored and not in the
        file are left, as items are)."""
        row = host.db
        free: dict[str, list[WorkItem]] = defaultdict(list)
        for stored in self.more_of.get(row.pk, []) if row is not None else []:
            free[_norm(stored.indicator)].append(stored)
        for more in host.item.more:
            candidates = free.get(_norm(more.indicator))
            found = candidates.pop(0) if candidates else None
            op = _ItemOp(more, found, host.parent, host.parent_id, host=host)
            self._item_values(op)
            op.values = {k: v for k, v in op.values.items() if k not in _HOST_FIELDS}
            for q in op.quarters.values():
                q.pop("cash_plan", None)
            op.quarters = {q: v for q, v in op.quarters.items() if v}
            self.ops.items.append(op)
            label = _more_label(more)
            if found is None:
                self.changes.created.append(Change(_more_what(), label, (), more.source))
                continue
            matched.add(found.pk)
            shown = self._item_shown(op)
            if shown:
                self.changes.changed.append(Change(_more_what(), label, shown, more.source))

    def _file_values(self, item: PlanItem) -> dict[str, Any]:
        """The WorkItem fields the file gives ``item`` (only those it has columns for)."""
        values: dict[str, Any] = {column: getattr(item, name) for name, column in self.item_columns}
        if self.decimals_written and item.decimals:
            values["decimals"] = item.decimals
        if self.has_budget:
            values["budget_original"] = item.budget
        for name in self.revision_fields:
            values[name] = getattr(item, name)
        return values

    def _created_values(self, op: _ItemOp) -> dict[str, Any]:
        """A created item's fields, taken when it is written (not in every dry run); a
        further indicator's without what is its item's (no pagu or Rp)."""
        item = op.item
        values = {**self._file_values(item), "agency_id": self.agency.pk, "year": self.year,
                  "level": item.level, "code": item.code, "name": item.name}  # fmt: skip
        if op.host is not None:
            for name in _HOST_FIELDS:
                values.pop(name, None)
        return values

    def _item_values(self, op: _ItemOp) -> None:
        item, row = op.item, op.db
        if self.has_objective:
            code = item.objective_code
            if code and code not in self.objective_codes:
                self.warn(_("Kode sasaran «%(code)s» tidak ada di Renstra tahun %(year)s; "
                            "tautannya dikosongkan.") % {"code": code, "year": self.year},
                          item.source, code)  # fmt: skip
                code = ""
            op.objective_code = code
            units = self.key_units.get(code, [])
            if code and item.unit and units and _norm(item.unit) not in {_norm(u) for u in units}:
                self.warn(_("Satuan «%(unit)s» berbeda dengan satuan IKU sasaran %(code)s "
                            "(%(units)s).") % {"unit": item.unit, "code": code,
                                               "units": ", ".join(units)},
                          item.source, item.unit)  # fmt: skip
        if self.has_unit:
            name = item.responsible_unit
            if name:
                normed = _norm(name)
                if normed not in self.units:
                    self.units[normed] = name
                    self.ops.units.append(name)
                    self.changes.created.append(Change(_("unit kerja"), name, source=item.source))
                op.unit_name = self.units.get(normed, "")
            else:
                op.unit_name = ""
        if row is not None:  # a created item's values: _created_values, when written
            values = self._file_values(item)
            if self.locked:
                self._as_revision(op, values)
            op.values = {k: v for k, v in values.items() if not _same(_current(row, k), v)}
        if not self.quarter_fields:
            return
        stored = self.action_plans.get(row.pk, {}) if row is not None else {}
        if not stored and not item.quarters:
            return
        for q in range(1, 5):
            new = item.quarters.get(q, _NO_QUARTER)
            old = stored.get(q)
            wanted: dict[str, Any] = {k: getattr(new, k) for _name, k in self.quarter_fields}
            if old is None:
                wanted = {k: v for k, v in wanted.items() if v is not None}
            else:
                wanted = {k: v for k, v in wanted.items() if not _same(_d(getattr(old, k)), v)}
            if wanted:
                op.quarters[q] = wanted

    def _as_revision(self, op: _ItemOp, values: dict[str, Any]) -> None:
        """After approval the pagu murni stays: a different pagu in force becomes the pagu
        perubahan with the revision's date, reason and legal basis (set at write)."""
        row = op.db
        assert row is not None
        for name in ("budget_original", *_REVISION_FIELDS):
            values.pop(name, None)
        if not self.has("budget"):
            return
        item = op.item
        new = item.budget_revised if (self.has("budget_revised") and item.budget_revised
                                      is not None) else item.budget  # fmt: skip
        if not _same(_d(row.budget), new):
            values["budget_revised"] = new
            op.revision = True

    def _item_shown(self, op: _ItemOp) -> list[FieldChange]:
        row = op.db
        assert row is not None
        shown: list[FieldChange] = []
        for name, new in op.values.items():
            old = _current(row, name)
            if name == "budget_revised" and op.revision:
                shown.append(FieldChange(_("pagu perubahan"), _show(_d(row.budget)), _show(new),
                                         True))  # fmt: skip
                continue
            shown.append(FieldChange(_label(WorkItem, name), _display(name, old),
                                     _display(name, new)))  # fmt: skip
        if op.objective_code is not None:
            old_code = row.objective.code if row.objective else ""
            if old_code != op.objective_code:
                shown.append(FieldChange(_label(WorkItem, "objective"), _show(old_code),
                                         _show(op.objective_code)))  # fmt: skip
        if op.unit_name is not None:
            old_unit = row.responsible_unit.name if row.responsible_unit else ""
            if _norm(old_unit) != _norm(op.unit_name):
                shown.append(FieldChange(_label(WorkItem, "responsible_unit"), _show(old_unit),
                                         _show(op.unit_name)))  # fmt: skip
        stored = self.action_plans.get(row.pk, {})
        for q, wanted in op.quarters.items():
            for name, new in wanted.items():
                old = _d(getattr(stored[q], name)) if q in stored else None
                what = _("target K") if name == "target_k" else _("rencana kas")
                shown.append(FieldChange(f"{what} TW {('I', 'II', 'III', 'IV')[q - 1]}",
                                         _show(old), _show(new)))  # fmt: skip
        return shown


def _current(row: WorkItem, name: str) -> Any:
    value = getattr(row, name)
    return _d(value) if isinstance(value, Decimal) else value


def _display(name: str, value: Any) -> str:
    if name == "polarity" and value:
        return _choice_label(PolarityChoice, value)
    if name == "aggregation" and value:
        return _choice_label(AggregationChoice, value)
    return _show(value)


def _stored_renstra_for(agency: Agency, year: int) -> StrategicPlan | None:
    return (
        StrategicPlan.objects.filter(agency=agency, start_year__lte=year, end_year__gte=year)
        .order_by("start_year")
        .first()
    )


def _objective_units(plan: StrategicPlan | None) -> tuple[dict[str, str], dict[str, list[str]]]:
    if plan is None:
        return {}, {}
    codes = {o.code: o.text for o in Objective.objects.filter(goal__plan=plan)}
    units: dict[str, list[str]] = defaultdict(list)
    for code, unit in Indicator.objects.filter(plan=plan, is_key=True,
                                               objective__isnull=False).values_list(
                                                   "objective__code", "unit"):  # fmt: skip
        if unit:
            units[code].append(unit)
    return codes, dict(units)


def _objective_units_of(renstra: Renstra) -> tuple[dict[str, str], dict[str, list[str]]]:
    codes: dict[str, str] = {}
    units: dict[str, list[str]] = defaultdict(list)
    for goal in renstra.goals:
        for obj in goal.objectives:
            codes[obj.code] = obj.text
            units[obj.code].extend(i.unit for i in obj.indicators if i.is_key and i.unit)
    return codes, dict(units)


# ---- Renstra diff -----------------------------------------------------------------------

_INDICATOR_FIELDS = ("unit", "decimals", "polarity", "aggregation", "allows_negative")
_IKU_FIELDS = ("is_key", "definition", "formula", "data_source", "weights", "derived_from_form")
_TARGET_FIELDS = ("original", "original_upper", "revised", "revised_upper", "revised_on",
                  "revision_reason", "legal_basis")  # fmt: skip


@dataclass(slots=True)
class _RenstraOps:
    plan: StrategicPlan | None
    plan_values: dict[str, Any] = field(default_factory=dict)
    serves: list[int] | None = None  # RPJMD objective ids to set
    goals: list[tuple[RenstraGoal, Goal | None, dict[str, Any]]] = field(default_factory=list)
    objectives: list[tuple[RenstraObjective, RenstraGoal, Objective | None, dict[str, Any]]] = (
        field(default_factory=list)
    )
    indicators: list[tuple[RenstraIndicator, Any, Indicator | None, dict[str, Any]]] = field(
        default_factory=list
    )
    # (indicator in file, stored indicator or None, year, stored target or None, values, revision)
    targets: list[tuple[RenstraIndicator, IndicatorTarget | None, int, dict[str, Any], bool]] = (
        field(default_factory=list)
    )
    scales: dict[str, Scale | None] = field(default_factory=dict)


class _RenstraDiffer:
    def __init__(self, outer: _Differ, renstra: Renstra) -> None:
        self.outer, self.renstra = outer, renstra
        agency = outer.agency
        self.stored = StrategicPlan.objects.filter(agency=agency,
                                                   start_year=renstra.start_year).first()  # fmt: skip
        self.ops = _RenstraOps(self.stored)
        self.locked_years = {
            y for y in range(renstra.start_year, renstra.end_year + 1) if plan_locked(agency, y)
        }
        self.year_locked = outer.locked

    def created(self, what: str, label: str, source: Source | None = None) -> None:
        self.outer.changes.created.append(Change(what, label, source=source))

    def changed(self, what: str, label: str, fields: list[FieldChange],
                source: Source | None = None) -> None:  # fmt: skip
        if fields:
            self.outer.changes.changed.append(Change(what, label, fields, source))

    def run(self) -> None:
        r, stored = self.renstra, self.stored
        label = f"Renstra {r.start_year}–{r.end_year}"
        values = {"end_year": r.end_year, "revision_note": r.revision_note}
        serves = self._serves()
        if stored is None:
            self.ops.plan_values = {"start_year": r.start_year, **values}
            self.ops.serves = serves
            self.created("Renstra", label)
        else:
            diff = {k: v for k, v in values.items() if not _same(getattr(stored, k), v)}
            self.ops.plan_values = diff
            fields = [FieldChange(_label(StrategicPlan, k), _show(getattr(stored, k)), _show(v))
                      for k, v in diff.items()]  # fmt: skip
            old = sorted(stored.serves.values_list("pk", flat=True))
            if serves is not None and sorted(serves) != old:
                self.ops.serves = serves
                fields.append(FieldChange(_label(StrategicPlan, "serves"), str(len(old)),
                                          str(len(serves))))  # fmt: skip
            self.changed("Renstra", label, fields)
        goals = {g.number: g for g in stored.goals.all()} if stored else {}
        objectives = (
            {(o.goal_id, o.code): o for o in Objective.objects.filter(goal__plan=stored)}
            if stored
            else {}
        )
        indicators: dict[tuple[str, int, str], list[Indicator]] = defaultdict(list)
        targets: dict[int, dict[int, IndicatorTarget]] = defaultdict(dict)
        if stored is not None:
            for ind in Indicator.objects.filter(plan=stored).select_related("scale"):
                owner = ("o", ind.objective_id) if ind.objective_id else ("g", ind.goal_id)
                indicators[(owner[0], owner[1], _norm(ind.name))].append(ind)  # type: ignore[index]
            for t in IndicatorTarget.objects.filter(indicator__plan=stored):
                targets[t.indicator_id][t.year] = t
        self.stored_targets = targets
        seen_goals: set[int] = set()
        seen_objectives: set[int] = set()
        seen_indicators: set[int] = set()
        for goal in r.goals:
            g = goals.get(goal.number)
            if g is None:
                self.created(_("tujuan"), f"{goal.number}. {goal.text}", goal.source)
                self.ops.goals.append((goal, None, {"number": goal.number, "text": goal.text}))
            else:
                seen_goals.add(g.pk)
                diff = {"text": goal.text} if goal.text != g.text else {}
                self.ops.goals.append((goal, g, diff))
                self.changed(_("tujuan"), f"{goal.number}. {goal.text}",
                             [FieldChange(_("tujuan"), _show(g.text), _show(goal.text))]
                             if diff else [], goal.source)  # fmt: skip
            for ind in goal.indicators:
                self._indicator(ind, goal, indicators.get(("g", g.pk if g else 0,
                                                           _norm(ind.name))), seen_indicators)  # fmt: skip
            for obj in goal.objectives:
                o = objectives.get((g.pk, obj.code)) if g is not None else None
                if o is None:
                    self.created(_("sasaran"), f"{obj.code} {obj.text}", obj.source)
                    self.ops.objectives.append((obj, goal, None, {"code": obj.code,
                                                                  "text": obj.text}))  # fmt: skip
                else:
                    seen_objectives.add(o.pk)
                    diff = {"text": obj.text} if obj.text != o.text else {}
                    self.ops.objectives.append((obj, goal, o, diff))
                    self.changed(_("sasaran"), f"{obj.code} {obj.text}",
                                 [FieldChange(_("sasaran"), _show(o.text), _show(obj.text))]
                                 if diff else [], obj.source)  # fmt: skip
                for ind in obj.indicators:
                    self._indicator(ind, obj, indicators.get(("o", o.pk if o else 0,
                                                              _norm(ind.name))), seen_indicators)  # fmt: skip
        for g in goals.values():
            if g.pk not in seen_goals:
                self.outer.changes.left.append(Change(_("tujuan"), f"{g.number}. {g.text}"))
        for o in objectives.values():
            if o.pk not in seen_objectives:
                self.outer.changes.left.append(Change(_("sasaran"), f"{o.code} {o.text}"))
        for rows in indicators.values():
            for ind in rows:
                if ind.pk not in seen_indicators:
                    self.outer.changes.left.append(Change(_("indikator"), ind.name))

    def _serves(self) -> list[int] | None:
        if not self.renstra.serves:
            return [] if self.stored is None else None
        known = {
            _norm(o.text): o.pk
            for o in RpjmdObjective.objects.filter(
                goal__mission__government_id=self.outer.agency.government_id
            )
        }
        ids = []
        for text in self.renstra.serves:
            pk = known.get(_norm(text))
            if pk is None:
                self.outer.warn(_("Sasaran RPJMD «%(text)s» tidak ada di RPJMD pemda; "
                                  "dilewati.") % {"text": text}, Source("Renstra"), text)  # fmt: skip
            else:
                ids.append(pk)
        return ids

    def _scale(self, code: str, source: Source | None) -> Scale | None:
        if not code:
            return None
        if code not in self.ops.scales:
            scale = Scale.objects.filter(code=code).order_by("-version").first()
            if scale is None:
                self.outer.warn(_("Kode skala «%(code)s» tidak dikenal; indikator tanpa skala.")
                                % {"code": code}, source, code)  # fmt: skip
            self.ops.scales[code] = scale
        return self.ops.scales[code]

    def _indicator(self, ind: RenstraIndicator, owner: Any, candidates: list[Indicator] | None,
                   seen: set[int]) -> None:  # fmt: skip
        row = next((c for c in candidates or [] if c.pk not in seen), None)
        scale = self._scale(ind.scale, ind.source)
        wanted: dict[str, Any] = {k: getattr(ind, k) for k in _INDICATOR_FIELDS}
        wanted["scale"] = scale
        if self.renstra.has_iku:
            wanted.update({k: getattr(ind, k) for k in _IKU_FIELDS})
            wanted["weights"] = _weights_json(ind.weights)
        if len(ind.name) > 300:
            self.outer.warn(_("Nama indikator lebih dari 300 karakter; indikator dilewati."),
                            ind.source, ind.name)  # fmt: skip
            return
        if row is None:
            values = {"name": ind.name, **wanted}
            self.ops.indicators.append((ind, owner, None, values))
            self.created(_("indikator"), ind.name, ind.source)
        else:
            seen.add(row.pk)
            diff = {k: v for k, v in wanted.items() if not _same(_indicator_value(row, k), v)}
            self.ops.indicators.append((ind, owner, row, diff))
            self.changed(_("indikator"), ind.name, [
                FieldChange(_label(Indicator, k), _show_indicator(k, _indicator_value(row, k)),
                            _show_indicator(k, v))
                for k, v in diff.items()
            ], ind.source)  # fmt: skip
        stored = self.stored_targets.get(row.pk, {}) if row is not None else {}
        fields: list[FieldChange] = []
        for year, target in sorted(ind.targets.items()):
            t = stored.get(year)
            locked = t is not None and year in self.locked_years
            values, shown, revision = self._target(target, t, year, locked)
            if values:
                self.ops.targets.append((ind, t, year, values, revision))
                if locked:
                    self.outer.changes.locked_years = tuple(
                        sorted({*self.outer.changes.locked_years, year})
                    )
                elif self.year_locked:
                    pass
            fields.extend(shown)
        if fields and row is not None:
            self.changed(_("target indikator"), ind.name, fields, ind.source)

    def _target(self, target: TargetYear, t: IndicatorTarget | None, year: int,
                locked: bool) -> tuple[dict[str, Any], list[FieldChange], bool]:  # fmt: skip
        if t is None:
            return {k: getattr(target, k) for k in _TARGET_FIELDS}, [], False
        if locked:
            new = target.revised if target.revised is not None else target.original
            new_upper = (
                target.revised_upper if target.revised is not None else target.original_upper
            )
            old = _d(t.current)
            old_upper = _d(t.revised_upper if t.revised is not None else t.original_upper)
            if _same(old, new) and _same(old_upper, new_upper):
                return {}, [], False
            return ({"revised": new, "revised_upper": new_upper},
                    [FieldChange(_("target perubahan %(year)s") % {"year": year}, _show(old),
                                 _show(new), True)], True)  # fmt: skip
        values = {}
        shown = []
        for k in _TARGET_FIELDS:
            old = getattr(t, k)
            old = _d(old) if isinstance(old, Decimal) else old
            new = getattr(target, k)
            if not _same(old, new):
                values[k] = new
                shown.append(FieldChange(f"{_label(IndicatorTarget, k)} {year}", _show(old),
                                         _show(new)))  # fmt: skip
        return values, shown, False


def _weights_json(weights: Iterable[tuple[str, Decimal]]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for name, value in weights:
        number = Decimal(value)
        out.append([name, int(number) if number == number.to_integral_value() else float(number)])
    return out


def _indicator_value(row: Indicator, name: str) -> Any:
    if name == "scale":
        return row.scale
    if name == "weights":
        return [[n, Decimal(str(v))] for n, v in row.weights or []]
    value = getattr(row, name)
    return _d(value) if isinstance(value, Decimal) else value


def _show_indicator(name: str, value: Any) -> str:
    if name == "scale":
        return value.code if value is not None else "-"
    if name == "derived_from_form" and value:
        return _choice_label(DerivationRule, value)
    if name in ("polarity", "aggregation"):
        return _display(name, value)
    return _show(value)


# ---- public -----------------------------------------------------------------------------


def plan_changes(plan: PlanData, agency: Agency, year: int) -> Changes:
    """What importing ``plan`` into ``agency``'s ``year`` would create, change and leave,
    with every warning (the file's and the database's). Reads only."""
    return _Differ(plan, agency, year).run()


def apply_changes(
    changes: Changes,
    user: Any = None,
    file_name: str = "",
    revision: Revision | None = None,
    *,
    expected_digest: str | None = None,
) -> Changes:
    """Write ``changes`` in one transaction: the diff is taken again inside it (the agency's
    row locked, so two imports of one agency run one after the other) and written in bulk,
    every row's history with the reason «impor <file_name>», or the revision's after the
    year's first approval. ``user``: the history's user (None: the system, as the CLI runs).
    ``expected_digest``: the preview's ``Changes.digest()``; refused when the database moved
    since. Raises ImportRefused (nothing written) with the Indonesian reason; returns the
    changes as written. The cache token's change waits for the end of the writes
    (``fragments.token_at_end``): other users' saves do not queue behind the import."""
    from kinerja.web import fragments

    with transaction.atomic(), fragments.token_at_end():
        agency = Agency.objects.select_for_update().get(pk=changes.agency.pk)
        fresh = plan_changes(changes.plan, agency, changes.year)
        why = fresh.refusal(revision)
        if why:
            raise ImportRefused(why)
        if expected_digest is not None and fresh.digest() != expected_digest:
            raise ImportRefused(_("Data rencana berubah sejak pratinjau; ulangi pratinjau "
                                  "impor."))  # fmt: skip
        if not fresh.writes:
            return fresh
        if fresh.needs_revision:
            assert revision is not None
            reason = revision.history_reason()
        else:
            reason = _("impor %(file)s") % {"file": file_name}
        _Writer(fresh, user, reason, revision if fresh.needs_revision else None).write()
        return fresh


# ---- writing ----------------------------------------------------------------------------


class _Writer:
    def __init__(self, changes: Changes, user: Any, reason: str,
                 revision: Revision | None) -> None:  # fmt: skip
        self.changes, self.user, self.reason, self.revision = changes, user, reason, revision
        self.ops: _Ops = changes._ops
        self.agency, self.year = changes.agency, changes.year

    def mark(self, obj: Any) -> Any:
        obj._change_reason = self.reason
        obj._history_user = self.user
        return obj

    def write(self) -> None:
        objective_ids = self._renstra()
        units = self._units()
        self._items(objective_ids, units)

    # -- Renstra (tens of rows: saved one by one) ----------------------------------------

    def _renstra(self) -> dict[str, int]:
        ops: _RenstraOps | None = self.ops.renstra
        if ops is None:
            stored = _stored_renstra_for(self.agency, self.year)
            return _objective_ids(stored)
        plan = ops.plan
        if plan is None:
            plan = StrategicPlan(agency=self.agency, **ops.plan_values)
            self.mark(plan).save()
        elif ops.plan_values:
            for k, v in ops.plan_values.items():
                setattr(plan, k, v)
            self.mark(plan).save(update_fields=list(ops.plan_values))
        if ops.serves is not None:
            self.mark(plan)
            plan.serves.set(ops.serves)
        goals: dict[int, Goal] = {}
        for goal, row, values in ops.goals:
            if row is None:
                row = Goal(plan=plan, **values)
                self.mark(row).save()
            elif values:
                for k, v in values.items():
                    setattr(row, k, v)
                self.mark(row).save(update_fields=list(values))
            goals[goal.number] = row
        objectives: dict[int, Objective] = {}  # id(RenstraObjective) → row
        for obj, goal, row, values in ops.objectives:
            if row is None:
                row = Objective(goal=goals[goal.number], **values)
                self.mark(row).save()
            elif values:
                for k, v in values.items():
                    setattr(row, k, v)
                self.mark(row).save(update_fields=list(values))
            objectives[id(obj)] = row
        position = Indicator.objects.filter(plan=plan).aggregate(m=Max("position"))["m"] or 0
        indicators: dict[int, Indicator] = {}
        for ind, owner, row, values in ops.indicators:
            if row is None:
                position += 1
                if isinstance(owner, RenstraGoal):
                    row = Indicator(plan=plan, goal=goals[owner.number], position=position,
                                    **values)  # fmt: skip
                else:
                    o = objectives[id(owner)]
                    row = Indicator(plan=plan, goal=o.goal, objective=o, position=position,
                                    **values)  # fmt: skip
                self.mark(row).save()
            elif values:
                for k, v in values.items():
                    setattr(row, k, v)
                self.mark(row).save(update_fields=list(values))
            indicators[id(ind)] = row
        for ind, t, year, values, revision in ops.targets:
            if t is None:
                t = IndicatorTarget(indicator=indicators[id(ind)], year=year, **values)
                self.mark(t).save()
                continue
            if revision:
                assert self.revision is not None
                values = {**values, "revised_on": self.revision.on,
                          "revision_reason": self.revision.reason,
                          "legal_basis": self.revision.legal_basis}  # fmt: skip
            for k, v in values.items():
                setattr(t, k, v)
            self.mark(t).save(update_fields=list(values))
        return _objective_ids(_stored_renstra_for(self.agency, self.year))

    def _units(self) -> dict[str, int]:
        for name in self.ops.units:
            self.mark(OrgUnit(agency=self.agency, name=name)).save()
        return {_norm(u.name): u.pk for u in OrgUnit.objects.filter(agency=self.agency)}

    # -- items (thousands of rows: in bulk, level by level) -------------------------------

    def _items(self, objective_ids: dict[str, int], units: dict[str, int]) -> None:
        from kinerja.web import fragments

        stored = WorkItem.objects.filter(agency=self.agency, year=self.year)
        base = stored.aggregate(m=Max("position"))["m"] or 0
        # a new item's position: after every stored one, in the file's (form) order, so a
        # year imported into an empty agency is numbered 1…N already and renumber moves none
        order = {id(op): n for n, op in enumerate(self.ops.items, start=1)}
        created: dict[int, WorkItem] = {}  # id(op) → row
        updates: list[WorkItem] = []
        update_fields: set[str] = set()
        # level by level, then the further indicators (their items then have ids)
        for rank in ("program", "kegiatan", "sub_kegiatan", "indicator"):
            new_rows: list[tuple[_ItemOp, WorkItem]] = []
            for op in self.ops.items:
                if (op.host is not None) != (rank == "indicator") or (
                    op.host is None and op.item.level != rank
                ):  # fmt: skip
                    continue
                values = dict(op.values) if op.db is not None else self.ops.created_values(op)
                if op.objective_code is not None:
                    values["objective_id"] = objective_ids.get(op.objective_code)
                if op.unit_name is not None:
                    values["responsible_unit_id"] = units.get(_norm(op.unit_name))
                if op.db is None:
                    position = base + order[id(op)]
                    parent_id = op.parent_id
                    if op.parent is not None:
                        parent = created.get(id(op.parent)) or op.parent.db
                        parent_id = parent.pk if parent is not None else None
                    if op.host is not None:
                        host = created.get(id(op.host)) or op.host.db
                        assert host is not None
                        values["indicator_of_id"] = host.pk
                    row = WorkItem(parent_id=parent_id, position=position, **values)
                    new_rows.append((op, row))
                    continue
                row = op.db
                if op.objective_code is not None and values.get("objective_id") == row.objective_id:
                    values.pop("objective_id")
                if op.unit_name is not None and (values.get("responsible_unit_id")
                                                 == row.responsible_unit_id):  # fmt: skip
                    values.pop("responsible_unit_id")
                if op.revision:
                    assert self.revision is not None
                    values.update(budget_revised_on=self.revision.on,
                                  budget_revision_reason=self.revision.reason,
                                  budget_legal_basis=self.revision.legal_basis)  # fmt: skip
                if values:
                    for k, v in values.items():
                        setattr(row, k, v)
                    update_fields.update(values)
                    updates.append(row)
            if new_rows:
                rows = fragments.bulk_create_with_history(
                    [r for _op, r in new_rows], WorkItem, batch_size=BATCH,
                    default_user=self.user, default_change_reason=self.reason,
                )  # fmt: skip
                for (op, _row), saved in zip(new_rows, rows, strict=True):
                    created[id(op)] = saved
        if updates:
            fragments.bulk_update_with_history(updates, WorkItem, sorted(update_fields), batch_size=BATCH,
                                     default_user=self.user,
                                     default_change_reason=self.reason)  # fmt: skip
        self._action_plans(created)
        if created and base:  # new items among stored ones: into the file's order
            self._order(created)
        renumber(self.agency, self.year)

    def _order(self, created: dict[int, WorkItem]) -> None:
        """Put the items in the file's order before ``renumber`` numbers them 1…N: each item
        of the file gets a sort key in the file's order, each stored item the file does not
        name (left) a key just after the sibling it followed. Keys start above every current
        position, so no two rows ever share one."""
        from kinerja.web import fragments

        rows = list(
            WorkItem.objects.filter(agency=self.agency, year=self.year)
            .order_by("position")
            .only("pk", "parent_id", "position")
        )
        base = max((r.position for r in rows), default=0) + 1
        step = len(rows) + 1  # room for every left item after one sibling
        key: dict[int, int] = {}
        for n, op in enumerate(self.ops.items, start=1):
            row = op.db or created[id(op)]
            key[row.pk] = base + n * step
        anchor: dict[int | None, int] = {}  # parent → key of the last keyed sibling seen
        used: dict[int, int] = defaultdict(int)
        for row in rows:
            if row.pk in key:
                anchor[row.parent_id] = key[row.pk]
                continue
            at = anchor.get(row.parent_id, base)
            used[at] += 1
            key[row.pk] = at + used[at]
        moves = [r for r in rows if r.position != key[r.pk]]
        for r in moves:
            r.position = key[r.pk]
        fragments.bulk_update(WorkItem, moves, ["position"], batch_size=BATCH)

    def _action_plans(self, created: dict[int, WorkItem]) -> None:
        from kinerja.web import fragments

        stored: dict[tuple[int, int], ActionPlan] = {}
        ids = [op.db.pk for op in self.ops.items if op.db is not None and op.quarters]
        for ap in ActionPlan.objects.filter(work_item_id__in=ids):
            stored[(ap.work_item_id, ap.quarter)] = ap
        new: list[ActionPlan] = []
        changed: list[ActionPlan] = []
        for op in self.ops.items:
            row = op.db or created[id(op)]
            for q, values in op.quarters.items():
                ap = stored.get((row.pk, q))
                if ap is None:
                    new.append(ActionPlan(work_item_id=row.pk, quarter=q, **values))
                else:
                    for k, v in values.items():
                        setattr(ap, k, v)
                    changed.append(ap)
        if new:
            fragments.bulk_create_with_history(new, ActionPlan, batch_size=BATCH, default_user=self.user,
                                     default_change_reason=self.reason)  # fmt: skip
        if changed:
            fragments.bulk_update_with_history(changed, ActionPlan, ["target_k", "cash_plan"],
                                     batch_size=BATCH, default_user=self.user,
                                     default_change_reason=self.reason)  # fmt: skip


def _objective_ids(plan: StrategicPlan | None) -> dict[str, int]:
    if plan is None:
        return {}
    return {o.code: o.pk for o in Objective.objects.filter(goal__plan=plan).order_by("-pk")}
