"""Quarters to year (evaluation form column 13), by the indicator's aggregation (DESIGN §3).

Quarterly inputs are per quarter (increments). Only quarters 1..Q of the report quarter Q
count; None values are skipped; all None → None. Money always sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum

from .achievement import CTX
from .numbers import QUARTER_ROMAN as _ROMAN
from .numbers import format_number

__all__ = [
    "Aggregation",
    "aggregate",
    "explain_aggregate",
    "known_sum",
    "later_quarters_with_values",
    "running_totals",
]


class Aggregation(StrEnum):
    SUM = "sum"
    LAST = "last"
    AVERAGE = "average"
    MAX = "max"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Aggregation.SUM: "jumlah triwulan",
    Aggregation.LAST: "nilai triwulan terakhir yang ada",
    Aggregation.AVERAGE: "rata-rata triwulan yang ada",
    Aggregation.MAX: "nilai tertinggi triwulan",
}


def aggregate(
    values: Sequence[Decimal | None], *, quarter: int, aggregation: Aggregation = Aggregation.SUM
) -> Decimal | None:
    """Column 13 from the per-quarter values of quarters 1..``quarter``."""
    present = [v for v in values[:quarter] if v is not None]
    if not present:
        return None
    if aggregation is Aggregation.SUM:
        return sum(present, Decimal(0))
    if aggregation is Aggregation.LAST:
        return present[-1]
    if aggregation is Aggregation.MAX:
        return max(present)
    return CTX.divide(sum(present, Decimal(0)), Decimal(len(present)))


def known_sum(values: Sequence[Decimal | None]) -> Decimal | None:
    """The sum of the values present; None when none is (missing is not zero)."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def running_totals(values: Sequence[Decimal | None]) -> list[Decimal | None]:
    """Totals up to each quarter of per-quarter values (a cash plan s.d. TW): from the first
    quarter without a value on, the total is unknown (None), never a total that counts the
    missing quarter as 0."""
    totals: list[Decimal | None] = []
    running: Decimal | None = Decimal(0)
    for value in values:
        running = None if running is None or value is None else running + value
        totals.append(running)
    return totals


def later_quarters_with_values(values: Sequence[Decimal | None], *, quarter: int) -> list[int]:
    """Quarter numbers after the report quarter holding a non-zero value (zeros are fine)."""
    return [i + 1 for i, v in enumerate(values) if i >= quarter and v]


def explain_aggregate(
    values: Sequence[Decimal | None],
    *,
    quarter: int,
    aggregation: Aggregation = Aggregation.SUM,
    name: str = "realisasi s.d. TW",
) -> str:
    parts = [f"TW {_ROMAN[i]} {format_number(v)}" for i, v in enumerate(values[:quarter])]
    result = aggregate(values, quarter=quarter, aggregation=aggregation)
    text = f"{name} {_ROMAN[quarter - 1]} = {aggregation.label} ({'; '.join(parts)})"
    text += f" = {format_number(result)}"
    if result is None:
        text += " (belum ada triwulan yang dilaporkan)"
    ignored = later_quarters_with_values(values, quarter=quarter)
    if ignored:
        text += "; diabaikan: TW " + ", ".join(_ROMAN[q - 1] for q in ignored)
    return text
