"""The evaluation form's input: rows of the Permendagri 86/2017 form (seed layout).

Column 6 renstra target · 7 renstra realisation up to last year · 8 this year's target ·
9–12 realisation per quarter · 17 responsible unit. Columns 13–16 are computed
(``evaluation``), never entered.
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
    "Rules",
    "check_structure",
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
        return {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}[
            self.value
        ]

    @property
    def parent_level(self) -> Level | None:
        if self is Level.KEGIATAN:
            return Level.PROGRAM
        if self is Level.SUB_KEGIATAN:
            return Level.KEGIATAN
        return None


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


def check_structure(rows: Sequence[FormRow], *, quarter: int) -> None:
    """Refuse what the form cannot express: duplicate ids, a parent that does not exist or
    is not one level up, a range whose upper bound is below its lower bound."""
    if not 1 <= quarter <= 4:
        raise FormError(f"triwulan harus 1–4, bukan {quarter}")
    levels: dict[str, Level] = {}
    for row in rows:
        if row.id in levels:
            raise FormError("id ganda; setiap baris harus punya id sendiri", row=row.id, field="id")
        levels[row.id] = row.level
        for name, pair in _pairs(row):
            if pair.k_upper is not None and (pair.k is None or pair.k_upper < pair.k):
                raise FormError(
                    "batas atas rentang tanpa batas bawah, atau lebih kecil darinya",
                    row=row.id,
                    field=f"{name}.k_upper",
                )
        expected = row.level.parent_level
        if row.parent is None:
            continue
        if expected is None:
            raise FormError("baris program tidak boleh punya induk", row=row.id, field="parent")
        if row.parent not in levels:
            raise FormError(
                f"induk «{row.parent}» tidak ada (induk harus ditulis sebelum anaknya)",
                row=row.id,
                field="parent",
            )
        if levels[row.parent] is not expected:
            raise FormError(
                f"induk «{row.parent}» adalah {levels[row.parent].label}, "
                f"seharusnya {expected.label}",
                row=row.id,
                field="parent",
            )


def _pairs(row: FormRow) -> list[tuple[str, Pair]]:
    return [
        ("renstra_target", row.renstra_target),
        ("renstra_realised_before", row.renstra_realised_before),
        ("year_target", row.year_target),
        *((f"quarters[{i}]", q) for i, q in enumerate(row.quarters)),
    ]
