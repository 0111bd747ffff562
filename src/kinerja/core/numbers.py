"""Indonesian numbers: parse what people type, format what people read.

Indonesian writes thousands with a dot and decimals with a comma: ``1.905.955.200`` and
``89,95``. Input in any other shape is refused with a message in Indonesian rather than
guessed at: ``1,905,955,200`` (English grouping) would otherwise become 1,905 and silently
lose nine digits.

Every number has one bound, defined here once (``K_BOUND``, ``RP_BOUND``) and checked by the
one parser every entry point uses; the database columns hold exactly these ranges
(docs/design-notes.md, "Exact numbers").

Rounding happens here and only here (``round_half_up``), at display.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "QUARTER_ROMAN",
    "quarter_roman",
    "K_BOUND",
    "RP_BOUND",
    "Bound",
    "InvalidNumber",
    "Quantity",
    "check_value",
    "format_declared",
    "format_number",
    "format_percent",
    "parse_number",
    "parse_quantity",
    "round_half_up",
    "strip_zeros",
    "to_plain",
]


@dataclass(frozen=True, slots=True)
class Bound:
    """What one kind of number may hold: ``low ≤ value ≤ high`` with at most ``places``
    decimals. The database column of that kind holds exactly this range."""

    what: str  # how a message names the number, in Indonesian
    low: Decimal
    high: Decimal
    places: int


# K (kinerja, a quantity): |K| ≤ 10^12 with up to 6 decimals — far above any count an agency
# reports (people, documents, km), and K × 10^6 still fits a 64-bit integer. Rp: 0 to
# 999.999.999.999.999,99 with sen — about ten times the largest province's whole APBD
# (~8 × 10^13); Rp × 100 fits a 64-bit integer too (docs/design-notes.md, "Exact numbers").
K_BOUND = Bound("nilai K", Decimal(-(10**12)), Decimal(10**12), 6)
RP_BOUND = Bound("nilai rupiah", Decimal(0), Decimal("999999999999999.99"), 2)

_MISSING = {"", "-", "–", "—"}
# A number: optional sign, either grouped thousands (1.905.955.200) or plain digits, then an
# optional decimal part after a comma. A lone dot followed by anything but exactly three
# digits is not Indonesian and is refused.
_NUMBER = re.compile(
    r"""^(?P<sign>[-−])?\s*
        (?P<int>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)
        (?:,(?P<frac>[0-9]+))?$""",
    re.VERBOSE,
)
# A number followed by a unit: "2 Dokumen", "15 %", "73 Orang/bulan", "15%". The unit may not
# start with a digit of any script (\D), so "12٣" is refused rather than read as 12 "٣".
_QUANTITY = re.compile(r"^(?P<number>[-−]?\s*[0-9.,]+)\s*(?P<unit>\D.*)?$")


# how quarters are written: TW I … TW IV
QUARTER_ROMAN = ("I", "II", "III", "IV")


def quarter_roman(quarter: object) -> str:
    """A quarter 1–4 as I–IV ("Triwulan II" in text, "TW II" in tight headers); anything
    else as it was written (a message about a wrong quarter names what was given)."""
    try:
        number = int(str(quarter))
    except ValueError:
        return str(quarter)
    return QUARTER_ROMAN[number - 1] if 1 <= number <= 4 else str(quarter)


class InvalidNumber(ValueError):
    """Input that is not a number in Indonesian format; ``str()`` is the Indonesian message."""


@dataclass(frozen=True, slots=True)
class Quantity:
    """A value with the unit it was written with (``2 Dokumen``); either may be None."""

    value: Decimal | None
    unit: str | None = None


def parse_number(text: str | None, *, money: bool = False, negative: bool = True) -> Decimal | None:
    """Parse ``1.905.955.200``, ``89,95``, ``-`` (None) into an exact Decimal.

    ``money=True`` reads a rupiah value (``RP_BOUND``), otherwise a K value (``K_BOUND``);
    ``negative=False`` also refuses a negative K. Raises ``InvalidNumber`` with an
    Indonesian message for anything malformed, ambiguous, out of bounds or with more
    decimals than the kind holds. Only the digits 0–9 are read.
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
    return check_value(value, money=money, negative=negative, text=raw)


def parse_quantity(text: str | None, *, money: bool = False, negative: bool = True) -> Quantity:
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
    number = parse_number(match["number"], money=money, negative=negative)
    return Quantity(number, unit or None)


def check_value(
    value: Decimal,
    *,
    money: bool = False,
    negative: bool = True,
    text: str | None = None,
) -> Decimal:
    """Refuse what the kind's column cannot hold exactly: NaN, infinities, values outside
    ``RP_BOUND`` (``money=True``) or ``K_BOUND``, more decimals than it keeps, and a negative
    K where ``negative=False``. Returns the value unchanged."""
    bound = RP_BOUND if money else K_BOUND
    shown = text if text is not None else _shown(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidNumber(f"«{shown}» bukan angka.")
    if value < 0 and money:
        raise InvalidNumber(f"«{shown}»: nilai rupiah tidak boleh negatif.")
    if value < 0 and not negative:
        raise InvalidNumber(
            f"«{shown}»: nilai K indikator ini tidak boleh negatif "
            "(tandai indikatornya «boleh negatif» bila memang bisa negatif)."
        )
    if not bound.low <= value <= bound.high:
        limit = format_number(bound.high, bound.places if money else None)
        if money:
            raise InvalidNumber(f"«{shown}»: {bound.what} paling besar {limit}.")
        raise InvalidNumber(
            f"«{shown}»: {bound.what} paling besar {limit} dan paling kecil -{limit}."
        )
    if value and _decimals(value) > bound.places:
        raise InvalidNumber(
            f"«{shown}»: {bound.what} paling banyak {bound.places} angka di belakang koma."
        )
    return value


def _shown(value: Decimal) -> str:
    """A value in a message: plain where it is short, else as written in exponent form
    (1e-999999999 in plain notation would be a billion digits)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return str(value)
    _sign, digits, exponent = value.as_tuple()
    if isinstance(exponent, int) and len(digits) + abs(exponent) <= 40:
        return (to_plain(value) or "").replace(".", ",")
    return str(value).replace(".", ",")


def _decimals(value: Decimal) -> int:
    """How many digits a non-zero value has after the decimal point, trailing zeros aside —
    from its own digits, not ``normalize()``, under which 1e-999999999 underflows to 0."""
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite: checked before
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def _explain_malformed(raw: str) -> str:
    foreign = [ch for ch in raw if ch.isnumeric() and ch not in "0123456789"]
    if foreign:
        return (
            f"«{raw}» memuat angka «{foreign[0]}» yang bukan angka 0–9. Tulis angkanya dengan "
            "angka biasa 0–9, misalnya 1.905.955.200 atau 89,95."
        )
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


def format_declared(value: Decimal | None, decimals: int | None, *, missing: str = "-") -> str:
    """An entered value with the decimals its indicator declares (*jumlah desimal*): 0,7 with
    ``decimals=2`` is ``0,70``. Never fewer decimals than the value has (0,705 stays 0,705: a
    declaration pads, it does not hide what was entered); ``decimals=None`` prints the value as
    entered (``format_number``). None → ``-``."""
    if value is None or decimals is None:
        return format_number(value, missing=missing)
    own = 0 if value.is_zero() else _decimals(value)
    return format_number(value, max(decimals, own), missing=missing)


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
