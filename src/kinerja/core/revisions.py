"""Which value is in force for a quarter when a plan figure was revised (DESIGN §4a).

A revision — a pagu perubahan, a revised target — carries the date it was made and applies
from then on: a quarter that ended before that date keeps the original. A revision with no
date applies to every quarter (the plan was adopted revised, as the seed's 2024 targets).
An approved quarter never reads this at all: it reads its snapshot.
"""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal

__all__ = ["in_force", "quarter_end"]


def quarter_end(year: int, quarter: int) -> date:
    """The last day of a quarter: TW I 2024 → 31 March 2024."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"Triwulan harus 1–4, bukan {quarter}.")
    month = 3 * quarter
    return date(year, month, calendar.monthrange(year, month)[1])


def in_force(
    original: Decimal | None,
    revised: Decimal | None,
    revised_on: date | None,
    *,
    as_of: date,
) -> Decimal | None:
    """The revised value where there is one made on or before ``as_of``, else the original."""
    if revised is not None and (revised_on is None or revised_on <= as_of):
        return revised
    return original
