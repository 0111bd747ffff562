"""A printed figure against its recomputation (the audit of a filled form, `kinerja check`).

A form shows a figure to some number of decimals ("15 %", "92,86", "1.905.955.200"). It
*agrees* with the exact recomputed value when that value, rounded half-up or truncated to the
printed decimals, equals what is printed: the seed prints 19,55 as "20 %" (rounded) and its
Tabel 3.2 prints 40,64 as "40 %" (truncated); both are how people make forms, not slips.
A printed 0 where nothing can be computed (no realisation, a target of 0) agrees too: forms
print 0 in empty cells and the audit is about arithmetic, not about blanks.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

from .numbers import round_half_up

__all__ = ["agrees", "decimals_of", "truncate"]


def decimals_of(value: Decimal) -> int:
    """How many decimals ``value`` is written with, trailing zeros aside (15 → 0, 0,25 → 2)."""
    if value == value.to_integral_value():
        return 0
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def truncate(value: Decimal, places: int) -> Decimal:
    """``value`` cut (towards zero) to ``places`` decimals: 40,6374 → 40."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def agrees(printed: Decimal, computed: Decimal | None, *, places: int | None = None) -> bool:
    """Whether ``printed`` (shown with ``places`` decimals, by default its own) is
    ``computed`` rounded half-up or truncated to those decimals."""
    if computed is None:
        return not printed
    if places is None:
        places = decimals_of(printed)
    return printed in (round_half_up(computed, places), truncate(computed, places))
