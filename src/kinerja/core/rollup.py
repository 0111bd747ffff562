"""Roll-ups above the agency (issue 18): a pemda's, a province's and the country's figures
from its agencies' footers (DESIGN §3).

- ``k``: the mean of the agencies' footer K (``rata-rata capaian kinerja``), each agency
  counted once whatever its number of programs; agencies without a footer K do not count
  (missing is not zero); None where none has one.
- ``rp``: Σ realisation ÷ Σ pagu × 100 over the agencies' program rows that count in their
  own footer Rp (``program_ratio``: rows with both a realisation and a pagu) — the footer
  rule applied to all those rows at once, not a mean of the agencies' percentages.
- a rank: 1 for the highest K; equal K share a rank, the next rank skips ("1, 2, 2, 4");
  a missing K has no rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .achievement import CTX, ZERO, percent_of

__all__ = ["mean_of", "ranks", "ratio_of"]


def mean_of(values: Iterable[Decimal | None]) -> Decimal | None:
    """The mean of the values present, computed as the footer computes its means (a sum in
    the default 28-digit context, one division in ``CTX``)."""
    present = [v for v in values if v is not None]
    if not present:
        return None
    return CTX.divide(sum(present, ZERO), Decimal(len(present)))


def ratio_of(parts: Iterable[Decimal], wholes: Iterable[Decimal]) -> Decimal | None:
    """Σ parts ÷ Σ wholes × 100; None where there is no term or Σ wholes is 0."""
    parts, wholes = list(parts), list(wholes)
    if not parts and not wholes:
        return None
    return percent_of(sum(parts, ZERO), sum(wholes, ZERO))


def ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """The competition rank of each value, highest first; None for a missing value."""
    present = sorted((v for v in values if v is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(present, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]
