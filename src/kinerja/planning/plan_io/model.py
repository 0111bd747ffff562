"""The plan as read from a file, before it meets the database: plain dataclasses over
``Decimal``, with where each value came from, so every warning names its sheet, row and
column. Readers (``template.read_template``, ``layout_c.read_layout_c``) build it;
``apply.plan_changes`` compares it with the database and ``apply.apply_changes`` writes it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import Literal, NamedTuple

from kinerja.reporting.dates import indonesian_date

__all__ = [
    "DECIMALS_WRITTEN",
    "ITEM_FIELDS",
    "LEVELS",
    "Issue",
    "PlanData",
    "PlanItem",
    "QuarterPlan",
    "Renstra",
    "RenstraGoal",
    "RenstraIndicator",
    "RenstraObjective",
    "Source",
    "TargetYear",
    "gc_paused",
    "new_source",
    "shown_value",
]

Level = Literal["program", "kegiatan", "sub_kegiatan"]
LEVELS: tuple[Level, ...] = ("program", "kegiatan", "sub_kegiatan")


class Source(NamedTuple):
    """Where something was read: the sheet, its row number (1-based, as the spreadsheet shows
    it) and the column letter, when known. A tuple (immutable, hashable): one is built per
    item read, and a frozen dataclass took twice as long to build (bench_plan_import)."""

    sheet: str
    row: int | None = None
    column: str | None = None

    def at(self, column: str | None) -> Source:
        return Source(self.sheet, self.row, column)


# ``new_source((sheet, row, column))``: the same Source, built by tuple's own constructor
# without the namedtuple's Python-level ``__new__`` — for readers building one per item
new_source = partial(tuple.__new__, Source)


@dataclass(frozen=True, slots=True)
class Issue:
    """A warning (the row or cell is skipped or read with a guess; exit 0) or an error (the
    file is refused; exit 2). ``message`` is one Indonesian sentence saying why."""

    severity: Literal["warning", "error"]
    message: str
    source: Source | None = None
    value: str | None = None  # the offending cell's text, shortened to 80 characters


@dataclass(slots=True)
class QuarterPlan:
    """Rencana aksi of one quarter: its target K and its cash plan (anggaran kas)."""

    target_k: Decimal | None = None
    cash_plan: Decimal | None = None


@dataclass(slots=True)
class PlanItem:
    """A program, kegiatan or sub kegiatan of the Renja/DPA. ``code`` is normalised
    (``5.03.01.2.02.0001``: no spaces, dot-separated, a sub kegiatan's suffix as 4 digits);
    the hierarchy is ``children``, built from the codes by the reader. Not a key: two items
    with the same code and different names are two items."""

    level: Level
    code: str
    name: str
    indicator: str = ""
    unit: str = ""
    decimals: int | None = None
    target_k: Decimal | None = None
    target_k_upper: Decimal | None = None
    budget: Decimal | None = None  # the year's pagu (murni): column 8 Rp
    polarity: str = "higher"  # PolarityChoice value
    aggregation: str = "sum"  # AggregationChoice value
    objective_code: str = ""  # the Renstra sasaran it serves ("1.1"); "" none
    responsible_unit: str = ""
    renstra_target_k: Decimal | None = None
    renstra_target_unit: str = ""
    renstra_target_rp: Decimal | None = None
    renstra_realised_k: Decimal | None = None  # column 7: realised up to last year
    renstra_realised_unit: str = ""
    renstra_realised_rp: Decimal | None = None
    quarters: dict[int, QuarterPlan] = field(default_factory=dict)  # 1..4
    children: list[PlanItem] = field(default_factory=list)
    source: Source | None = None
    allows_negative: bool = False
    note: str = ""
    # pagu perubahan as the file states it (template export of a revised year); import into a
    # locked year turns any change of the pagu in force into a revision instead
    budget_revised: Decimal | None = None
    budget_revised_on: date | None = None
    budget_revision_reason: str = ""
    budget_legal_basis: str = ""
    # its further indicators, in order: each a PlanItem of its level, code and name with its
    # own indicator, unit, target K and rencana aksi target — no pagu, cash plan or Rp
    # (WorkItem.indicator_of). A tuple, added to with ``add_more``: most items have none, and
    # an empty list per item was 10.000 more objects for the collector (bench_plan_import)
    more: tuple[PlanItem, ...] = ()

    def add_more(self, indicator: PlanItem) -> None:
        """Append a further indicator."""
        self.more = (*self.more, indicator)

    def walk(self) -> Iterator[PlanItem]:
        """This item, its further indicators and all below it, in form order."""
        yield self
        yield from self.more
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class TargetYear:
    """An indicator's target for a year: the original and, where revised, the revision."""

    original: Decimal | None = None
    original_upper: Decimal | None = None
    revised: Decimal | None = None
    revised_upper: Decimal | None = None
    revised_on: date | None = None
    revision_reason: str = ""
    legal_basis: str = ""


@dataclass(slots=True)
class RenstraIndicator:
    """An indicator of a tujuan or a sasaran, with its IKU sheet fields."""

    name: str
    unit: str = ""
    decimals: int | None = None
    polarity: str = "higher"
    aggregation: str = "last"
    scale: str = ""  # Scale.code; "" none
    is_key: bool = False
    definition: str = ""
    formula: str = ""
    data_source: str = ""
    weights: list[tuple[str, Decimal]] = field(default_factory=list)
    allows_negative: bool = False
    derived_from_form: str = ""  # DerivationRule value; "" none
    targets: dict[int, TargetYear] = field(default_factory=dict)  # year → target
    source: Source | None = None


@dataclass(slots=True)
class RenstraObjective:
    code: str  # "1.1"
    text: str
    indicators: list[RenstraIndicator] = field(default_factory=list)
    source: Source | None = None


@dataclass(slots=True)
class RenstraGoal:
    number: int
    text: str
    indicators: list[RenstraIndicator] = field(default_factory=list)
    objectives: list[RenstraObjective] = field(default_factory=list)
    source: Source | None = None


@dataclass(slots=True)
class Renstra:
    start_year: int
    end_year: int
    goals: list[RenstraGoal] = field(default_factory=list)
    revision_note: str = ""
    serves: list[str] = field(default_factory=list)  # texts of the RPJMD sasaran it serves
    # False: the file has no IKU sheet, so the indicators' IKU fields (is_key, definition,
    # formula, data source, weights, derivation) are left as stored
    has_iku: bool = True


# every PlanItem field import can compare and write (PlanData.item_fields of a file that has
# them all, as the template written by export does)
ITEM_FIELDS: frozenset[str] = frozenset({
    "indicator", "unit", "decimals", "target_k", "target_k_upper", "budget", "polarity",
    "aggregation", "allows_negative", "objective_code", "responsible_unit", "renstra_target_k",
    "renstra_target_unit", "renstra_target_rp", "renstra_realised_k", "renstra_realised_unit",
    "renstra_realised_rp", "note", "budget_revised", "budget_revised_on",
    "budget_revision_reason", "budget_legal_basis", "q_target_k", "q_cash_plan",
})  # fmt: skip
# not a field: a file whose targets say their decimals where they are written with them
# («0,70 Indeks» → 2) and say nothing about them otherwise («72 Indeks»): the item's decimals
# are taken where PlanItem.decimals > 0 and left as stored elsewhere (layout C)
DECIMALS_WRITTEN = "decimals_written"


@dataclass(slots=True)
class PlanData:
    """Everything a file said about an agency's plan for a year, and what was wrong with it.

    ``title_agency``/``title_year``: what the file's title rows name, to warn when they are
    not the agency/year imported into. ``pagu_columns``: the header texts of every pagu
    column found (layout C may have several); ``pagu_column``: the one read as the pagu.
    """

    kind: Literal["template", "layout_c"]
    items: list[PlanItem] = field(default_factory=list)  # programs, each with its tree
    renstra: Renstra | None = None
    issues: list[Issue] = field(default_factory=list)
    title_agency: str = ""
    title_year: int | None = None
    pagu_columns: list[str] = field(default_factory=list)
    pagu_column: str = ""
    # the PlanItem fields the file has columns for. Import compares and writes only these, so
    # a file without e.g. a sasaran column leaves the stored links alone. The quarters count
    # as "q_target_k" (target K per TW) and "q_cash_plan" (rencana kas). None (a reader that
    # did not say): none of them — matched items are left as stored, created ones get only
    # their level, code and name. Every reader sets it; ITEM_FIELDS is all of them.
    item_fields: frozenset[str] | None = None
    # True: the reader has already made each (level, code, name) under one parent one item,
    # warned a code used by two names and kept every text within its column (layout C), so
    # import only keys the items instead of cleaning them again (and warning twice)
    merged: bool = False

    def walk(self) -> Iterator[PlanItem]:
        for item in self.items:
            yield from item.walk()

    def warn(self, message: str, source: Source | None = None, value: object = None) -> None:
        self.issues.append(Issue("warning", message, source, _short(value)))

    def error(self, message: str, source: Source | None = None, value: object = None) -> None:
        self.issues.append(Issue("error", message, source, _short(value)))

    @property
    def refused(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)


def shown_value(value: object) -> str:
    """A cell's value as a message shows it: a date the Indonesian way («31 Januari 2025»,
    with its time «31 Januari 2025 10.30» where it has one), never ISO; else its text."""
    if isinstance(value, datetime):
        day = indonesian_date(value.date())
        return f"{day} {value:%H.%M}" if value.time() != datetime.min.time() else day
    if isinstance(value, date):
        return indonesian_date(value)
    return str(value)


def _short(value: object) -> str | None:
    if value is None:
        return None
    text = " ".join(shown_value(value).split())
    return text if len(text) <= 80 else text[:79] + "…"


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a plan's tens of thousands of small objects
    are built (they hold no cycles; reference counting still frees them): its passes over
    every live object were up to a third of the time of reading a 10.000-row plan."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
