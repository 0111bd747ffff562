"""Capaian: the achievement of a realisation against a target, in percent (DESIGN §3).

- higher is better: C = R / T × 100
- lower is better:  C = (2 − R / T) × 100, floored at 0
- range [L, U]:     L ≤ R ≤ U → 100; below L → the polarity's formula with T = L;
                    above U → with T = U
- T = 0:            lower is better → 100 when R = 0, else 0; higher is better → None
- R = None → None.  Rows are never capped; a cap applies to averages only (``capped``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum

from .numbers import format_number, format_percent

__all__ = [
    "HUNDRED",
    "ZERO",
    "Polarity",
    "Target",
    "achievement",
    "capped",
    "explain_achievement",
    "percent_of",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TWO_HUNDRED = Decimal(200)
# One explicit context for every division, so a caller's decimal context cannot change a figure.
CTX = Context(prec=28)


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"

    @property
    def label(self) -> str:
        return "makin tinggi makin baik" if self is Polarity.HIGHER else "makin rendah makin baik"


@dataclass(frozen=True, slots=True)
class Target:
    """A target value, or the range [value, upper] when ``upper`` is set."""

    value: Decimal
    upper: Decimal | None = None

    def __post_init__(self) -> None:
        if self.upper is not None and self.upper < self.value:
            raise ValueError("batas atas target lebih kecil dari batas bawahnya")


def percent_of(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100; None when either is None or whole is 0."""
    if part is None or whole is None or not whole:
        return None
    return CTX.divide(part * HUNDRED, whole)


def _single(target: Decimal, actual: Decimal, polarity: Polarity) -> Decimal | None:
    if polarity is Polarity.HIGHER:
        if not target:
            return None
        return CTX.divide(actual * HUNDRED, target)
    if not target:
        return HUNDRED if not actual else ZERO
    value = TWO_HUNDRED - CTX.divide(actual * HUNDRED, target)
    return value if value > 0 else ZERO


def achievement(
    *, target: Target | None, actual: Decimal | None, polarity: Polarity = Polarity.HIGHER
) -> Decimal | None:
    """Capaian in percent, unrounded; None where the rule says it cannot be computed."""
    if actual is None or target is None:
        return None
    if target.upper is None:
        return _single(target.value, actual, polarity)
    if target.value <= actual <= target.upper:
        return HUNDRED
    bound = target.value if actual < target.value else target.upper
    return _single(bound, actual, polarity)


def capped(value: Decimal | None, cap: Decimal | None) -> Decimal | None:
    """The value that counts in an average under a cap (e.g. 100 or 120)."""
    if value is None or cap is None or value <= cap:
        return value
    return cap


def explain_achievement(
    *,
    target: Target | None,
    actual: Decimal | None,
    polarity: Polarity = Polarity.HIGHER,
    name: str = "capaian",
) -> str:
    """One line in Indonesian that says how the figure came about, e.g.
    ``capaian = 59 / 84 × 100 = 70,24 % (polaritas: makin tinggi makin baik)``."""
    pol = f"(polaritas: {polarity.label})"
    if actual is None:
        return f"{name} = - : realisasi belum dilaporkan {pol}"
    if target is None:
        return f"{name} = - : target tidak ada {pol}"
    r = format_number(actual)
    value = achievement(target=target, actual=actual, polarity=polarity)
    shown = format_percent(value)
    if target.upper is not None:
        lo, hi = format_number(target.value), format_number(target.upper)
        if target.value <= actual <= target.upper:
            return (
                f"{name} = 100 % karena realisasi {r} berada dalam rentang target {lo}–{hi} {pol}"
            )
        bound = target.value if actual < target.value else target.upper
        side = "di bawah batas bawah" if actual < target.value else "di atas batas atas"
        inner = explain_achievement(
            target=Target(bound), actual=actual, polarity=polarity, name=name
        )
        return f"realisasi {r} {side} rentang {lo}–{hi}, maka T = {format_number(bound)}: {inner}"
    t = format_number(target.value)
    if not target.value:
        if polarity is Polarity.HIGHER:
            return f"{name} = - : target 0 tidak dapat menjadi pembagi {pol}"
        return f"{name} = {shown}: target 0 dan realisasi {r} (100 % hanya bila realisasi 0) {pol}"
    if polarity is Polarity.HIGHER:
        return f"{name} = {r} / {t} × 100 = {shown} {pol}"
    floor = " (batas bawah 0)" if value == ZERO else ""
    return f"{name} = (2 − {r} / {t}) × 100 = {shown}{floor} {pol}"
