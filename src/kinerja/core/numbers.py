"""Indonesian numbers: parse what people type, format what people read.

Indonesian writes thousands with a dot and decimals with a comma: ``1.905.955.200`` and
``89,95``. Input in any other shape is refused with a message in Indonesian rather than
guessed at: ``1,905,955,200`` (English grouping) would otherwise become 1,905 and silently
lose nine digits.

Rounding happens here and only here (``round_half_up``), at display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "QUARTER_ROMAN",
    "InvalidNumber",
    "Quantity",
    "format_number",
    "format_percent",
    "parse_number",
    "parse_quantity",
    "round_half_up",
    "strip_zeros",
    "to_plain",
]

# The largest magnitude any figure of a regional budget can reach, with a wide margin
# (Indonesia's whole national budget is ~3,6 × 10^15 rupiah).
MAX_ABS = Decimal("1e18")

_MISSING = {"", "-", "–", "—"}
# A number: optional sign, either grouped thousands (1.905.955.200) or plain digits, then an
# optional decimal part after a comma. A lone dot followed by anything but exactly three
# digits is not Indonesian and is refused.
_NUMBER = re.compile(
    r"""^(?P<sign>[-−])?\s*
        (?P<int>\d{1,3}(?:\.\d{3})+|\d+)
        (?:,(?P<frac>\d+))?$""",
    re.VERBOSE,
)
# A number followed by a unit: "2 Dokumen", "15 %", "73 Orang/bulan", "15%".
_QUANTITY = re.compile(r"^(?P<number>[-−]?\s*[\d.,]+)\s*(?P<unit>\D.*)?$")


# how quarters are written: TW I … TW IV
QUARTER_ROMAN = ("I", "II", "III", "IV")


class InvalidNumber(ValueError):
    """Input that is not a number in Indonesian format; ``str()`` is the Indonesian message."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A value with the unit it was written with (``2 Dokumen``); either may be None."""

    value: Decimal | None
    unit: str | None = None


def parse_number(text: str | None, *, money: bool = False) -> Decimal | None:
    """Parse ``1.905.955.200``, ``89,95``, ``-`` (None) into an exact Decimal.

    ``money=True`` refuses negative values. Raises ``InvalidNumber`` with an Indonesian
    message for anything malformed or ambiguous.
    """
    if text is None:
        return None
    raw = text.strip()
    if raw in _MISSING:
        return None
    match = _NUMBER.match(raw)
    if match is None:
        raise InvalidNumber(_explain_malformed(raw))
    digits = match["int"].replace(".", "")
    value = Decimal(digits + ("." + match["frac"] if match["frac"] else ""))
    if match["sign"]:
        value = -value
    return check_value(value, money=money, text=raw)


def parse_quantity(text: str | None, *, money: bool = False) -> Quantity:
    """Parse a value with an optional unit: ``2 Dokumen``, ``15 %``, ``73 Orang/bulan``."""
    if text is None:
        return Quantity(None)
    raw = text.strip()
    if raw in _MISSING:
        return Quantity(None)
    match = _QUANTITY.match(raw)
    if match is None:
        raise InvalidNumber(_explain_malformed(raw))
    unit = match["unit"].strip() if match["unit"] else None
    return Quantity(parse_number(match["number"], money=money), unit or None)


def check_value(value: Decimal, *, money: bool = False, text: str | None = None) -> Decimal:
    """Refuse NaN, infinities, absurd magnitudes and (for money) negative values."""
    shown = text if text is not None else str(value)
    if not value.is_finite():
        raise InvalidNumber(f"«{shown}» bukan angka.")
    if abs(value) >= MAX_ABS:
        raise InvalidNumber(f"«{shown}» terlalu besar untuk sebuah nilai kinerja atau anggaran.")
    if money and value < 0:
        raise InvalidNumber(f"«{shown}»: nilai rupiah tidak boleh negatif.")
    return value


def _explain_malformed(raw: str) -> str:
    if re.fullmatch(r"\d{1,3}(,\d{3}){2,}(\.\d+)?", raw) or re.fullmatch(
        r"\d{1,3}(,\d{3})+\.\d+", raw
    ):
        return (
            f"«{raw}» memakai format angka Inggris. Tulis dengan titik sebagai pemisah ribuan "
            "dan koma sebagai desimal, misalnya 1.905.955.200 atau 89,95."
        )
    if re.fullmatch(r"\d+\.\d{1,2}", raw) or re.fullmatch(r"\d+\.\d{4,}", raw):
        return (
            f"«{raw}» ambigu: titik adalah pemisah ribuan. Untuk desimal pakai koma, "
            "misalnya 89,95."
        )
    return f"«{raw}» bukan angka dalam format Indonesia (contoh: 1.905.955.200 atau 89,95)."


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round for display, half away from zero: 70,235 → 70,24; the one rounding helper."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_number(value: Decimal | None, places: int | None = None, *, missing: str = "-") -> str:
    """``1.905.955.200``; ``70,24`` with ``places=2``. ``places=None`` keeps the value's own
    decimals with trailing zeros dropped (0,25 stays 0,25; 15 stays 15). None → ``-``."""
    if value is None:
        return missing
    if places is None:
        value = value.normalize() if value != value.to_integral_value() else value.quantize(1)
        text = f"{value:,f}"
    else:
        text = f"{round_half_up(value, places):,.{places}f}"
    text = text.translate(_TO_INDONESIAN)
    return "0" + text[2:] if text.startswith("-0") and _is_zero(text) else text


def format_percent(value: Decimal | None, places: int = 2, *, missing: str = "-") -> str:
    """``70,24 %``; None → ``-``."""
    return missing if value is None else f"{format_number(value, places)} %"


def to_plain(value: Decimal | None) -> str | None:
    """Unrounded decimal in plain notation (never exponent form), for JSON output."""
    if value is None:
        return None
    text = f"{value:f}"
    return text


def strip_zeros(value: Decimal | None) -> Decimal | None:
    """The same number without trailing zeros a database column adds (15.000000 → 15,
    0.250000 → 0.25), never in exponent form; so a figure computed from the database
    reads exactly like one computed from a file."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _is_zero(text: str) -> bool:
    return all(ch in "-0.," for ch in text)


_TO_INDONESIAN = str.maketrans({",": ".", ".": ","})


def decimal_or_none(value: object) -> Decimal | None:
    """A JSON-decoded number (int or Decimal) as Decimal; anything else raises."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidNumber(f"«{value}» bukan angka.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:  # pragma: no cover - defensive
        raise InvalidNumber(f"«{value}» bukan angka.") from exc
