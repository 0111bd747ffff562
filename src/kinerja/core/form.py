"""The evaluation form's input: rows of the Permendagri 86/2017 form (seed layout).

Column 6 renstra target · 7 renstra realisation up to last year · 8 this year's target ·
9–12 realisation per quarter · 17 responsible unit. Columns 13–16 are computed
(``evaluation``), never entered; what a filled form *printed* in them (``Printed``) may come
along, to be compared with the computation (``printed.check_printed``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .achievement import Polarity, Target
from .aggregate import Aggregation

__all__ = [
    "EMPTY",
    "AverageRule",
    "Form",
    "FormError",
    "FormRow",
    "Level",
    "Pair",
    "Printed",
    "Rules",
    "check_structure",
    "indicator_label",
    "is_child",
]


class FormError(ValueError):
    """Input the form cannot express; names the row and field. ``str()`` is Indonesian."""

    def __init__(self, message: str, *, row: str | None = None, field: str | None = None):
        where = ", ".join(
            part
            for part in (f"baris «{row}»" if row else "", f"kolom «{field}»" if field else "")
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
        self.row = row
        self.field = field


class Level(StrEnum):
    PROGRAM = "program"
    KEGIATAN = "kegiatan"
    SUB_KEGIATAN = "sub_kegiatan"

    @property
    def label(self) -> str:
        return _LEVEL_LABELS[self]

    @property
    def parent_level(self) -> Level | None:
        return _PARENT_LEVEL[self]


_LEVEL_LABELS: dict[str, str] = {
    Level.PROGRAM: "Program",
    Level.KEGIATAN: "Kegiatan",
    Level.SUB_KEGIATAN: "Sub Kegiatan",
}
_PARENT_LEVEL: dict[str, Level | None] = {
    Level.PROGRAM: None,
    Level.KEGIATAN: Level.PROGRAM,
    Level.SUB_KEGIATAN: Level.KEGIATAN,
}


class AverageRule(StrEnum):
    """Footer rules: which rows and which formula make the form's average (DESIGN §3)."""

    PROGRAM_MEAN = "program_mean"
    PROGRAM_RATIO = "program_ratio"
    ALL_MEAN = "all_mean"
    KEGIATAN_MEAN = "kegiatan_mean"
    SUB_KEGIATAN_MEAN = "sub_kegiatan_mean"
    PAGU_WEIGHTED = "pagu_weighted"


@dataclass(frozen=True, slots=True)
class Pair:
    """A K/Rp cell pair. ``k_upper`` makes ``k`` the lower bound of a range target;
    ``k_unit`` is the unit written with the K value, where one was."""

    k: Decimal | None = None
    rp: Decimal | None = None
    k_upper: Decimal | None = None
    k_unit: str | None = None

    @property
    def target(self) -> Target | None:
        return None if self.k is None else Target(self.k, self.k_upper)


EMPTY = Pair()


@dataclass(frozen=True, slots=True)
class Printed:
    """Columns 13–16 of a row as a filled form printed them: compared with the computed
    columns, never used in their place. Each value keeps the decimals it was written with
    ("19,50" is printed to 2 decimals, "20" to none); columns 14 and 16 are percentages."""

    col13: Pair = EMPTY
    col14: Pair = EMPTY
    col15: Pair = EMPTY
    col16: Pair = EMPTY


@dataclass(frozen=True, slots=True)
class FormRow:
    id: str
    level: Level
    name: str
    quarters: tuple[Pair, Pair, Pair, Pair]
    parent: str | None = None
    code: str | None = None
    indicator: str | None = None
    unit: str | None = None
    responsible_unit: str | None = None
    polarity: Polarity = Polarity.HIGHER
    aggregation: Aggregation = Aggregation.SUM
    renstra_target: Pair = EMPTY  # column 6
    renstra_realised_before: Pair = EMPTY  # column 7
    year_target: Pair = EMPTY  # column 8
    printed: Printed | None = None  # columns 13–16 as a filled form printed them
    # a further indicator of the row ``continues`` (same level and parent, printed on a
    # continuation row: its own K columns, no code, name or Rp — the pagu is the item's)
    continues: str | None = None


@dataclass(frozen=True, slots=True)
class Rules:
    average_k: AverageRule = AverageRule.PROGRAM_MEAN
    average_rp: AverageRule = AverageRule.PROGRAM_RATIO
    cap: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Form:
    year: int
    quarter: int
    rows: tuple[FormRow, ...]
    rules: Rules = field(default_factory=Rules)
    printed_footer: Pair | None = None  # the printed *rata-rata capaian kinerja* K and Rp (%)


def check_structure(rows: Sequence[FormRow], *, quarter: int) -> dict[str, list[FormRow]]:
    """Refuse what the form cannot express: duplicate ids, a parent that does not exist or
    is not one level up, a further indicator (``continues``) whose item is not an earlier row
    of its level and parent or that carries Rp. (A range whose upper bound is below its lower
    bound is refused where the pair is read, and by ``Target``.) Returns parent id → child
    rows; an item's further indicators are not its parent's children (they sum nothing)."""
    if not 1 <= quarter <= 4:
        raise FormError(f"triwulan harus 1–4, bukan {quarter}")
    seen: dict[str, FormRow] = {}
    children: dict[str, list[FormRow]] = {}
    for row in rows:
        row_id = row.id
        if row_id in seen:
            raise FormError("id ganda; setiap baris harus punya id sendiri", row=row_id, field="id")
        seen[row_id] = row
        parent = row.parent
        if row.continues is not None:
            _check_continuation(row, seen.get(row.continues))
        if parent is None:
            continue
        expected = _PARENT_LEVEL[row.level]
        if expected is None:
            raise FormError("baris program tidak boleh punya induk", row=row_id, field="parent")
        if parent not in seen:
            raise FormError(
                f"induk «{parent}» tidak ada (induk harus ditulis sebelum anaknya)",
                row=row_id,
                field="parent",
            )
        if seen[parent].level is not expected:
            raise FormError(
                f"induk «{parent}» adalah {seen[parent].level.label}, seharusnya {expected.label}",
                row=row_id,
                field="parent",
            )
        if row.continues is not None:
            continue
        siblings = children.get(parent)
        if siblings is None:
            children[parent] = [row]
        else:
            siblings.append(row)
    return children


def indicator_label(row: FormRow) -> str:
    """How a list of rows names ``row``: its name; a further indicator adds its indicator, so
    an item's two indicators are told apart («Program X (Indeks Kearsipan)»)."""
    if row.continues is None or not row.indicator:
        return row.name
    return f"{row.name} ({row.indicator})"


def is_child(row: FormRow) -> bool:
    """Whether ``row`` counts among its parent's children: not a further indicator."""
    return row.parent is not None and row.continues is None


def _check_continuation(row: FormRow, item: FormRow | None) -> None:
    """A further indicator follows its item, at the item's level under the item's parent,
    and has no Rp: the item's pagu and realisation stand on the item's own row."""
    if item is None:
        raise FormError(
            f"baris «{row.continues}» yang dilanjutkan tidak ada (indikator tambahan ditulis "
            "sesudah barisnya)",
            row=row.id,
            field="continues",
        )
    if item.continues is not None:
        raise FormError(
            f"baris «{item.id}» sendiri indikator tambahan; rujuk baris utamanya "
            f"«{item.continues}»",
            row=row.id,
            field="continues",
        )
    if item.level is not row.level or item.parent != row.parent:
        raise FormError(
            f"indikator tambahan harus setingkat dan seinduk dengan «{item.id}»",
            row=row.id,
            field="continues",
        )
    pairs = (row.renstra_target, row.renstra_realised_before, row.year_target, *row.quarters)
    if any(pair.rp is not None for pair in pairs):
        raise FormError(
            "indikator tambahan tidak berisi Rp; anggaran dan realisasinya ada di baris "
            f"«{item.id}»",
            row=row.id,
            field="continues",
        )
