"""The cash plan (rencana anggaran kas) of a Renja item against its pagu: the four quarters'
amounts should add up to the pagu in force. Pure computation; the planning screens word the
warning (planning/renja_edit.py).

Missing is not zero: a quarter without an amount is listed as missing, and the sum is of the
amounts present (``aggregate.known_sum``). No amount at all is no cash plan yet, not a gap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .aggregate import known_sum

__all__ = ["CashPlanGap", "cash_plan_gap"]


@dataclass(frozen=True, slots=True)
class CashPlanGap:
    """Σ of the quarters' cash plan that differs from the pagu."""

    total: Decimal  # Σ of the amounts present
    budget: Decimal  # the pagu in force (none counts as 0)
    missing: tuple[int, ...]  # quarters 1–4 without an amount

    @property
    def difference(self) -> Decimal:
        """Pagu − Σ: positive when the cash plan is short of the pagu."""
        return self.budget - self.total


def cash_plan_gap(budget: Decimal | None, quarters: Sequence[Decimal | None]) -> CashPlanGap | None:
    """The gap between the four quarters' cash plan (TW I…IV, in order) and the pagu; None
    when they are equal or no quarter has an amount."""
    if len(quarters) != 4:
        raise ValueError("a cash plan has four quarters")
    total = known_sum(quarters)
    if total is None:
        return None
    pagu = budget if budget is not None else Decimal(0)
    if total == pagu:
        return None
    missing = tuple(q for q, value in enumerate(quarters, start=1) if value is None)
    return CashPlanGap(total=total, budget=pagu, missing=missing)
