"""One cell of a filled form, read as the agency typed it: a number (typed, a formula's cached
value, or text in Indonesian or English format, with a unit), an error value, text or blank.

Float noise is dropped (177.868.882,99999998 → 177.868.883: a spreadsheet cannot hold more
than 15 significant digits, so nothing real is lost at 6 decimals). The decimals a figure is
*shown* with come from the cell's number format where it fixes them ("0", "0.00", "0%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from kinerja.core.numbers import InvalidNumber, parse_quantity, round_half_up, strip_zeros
from kinerja.core.printed import decimals_of

__all__ = ["ERROR_VALUES", "Kind", "Read", "read_cell", "shown_decimals"]

ERROR_VALUES = frozenset(
    {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
)
_FLOAT_PLACES = 6  # K keeps 6 decimals (core.numbers.K_BOUND); more is float noise


class Kind(StrEnum):
    EMPTY = "empty"
    NUMBER = "number"  # a number cell, or a formula's cached number
    TEXT_NUMBER = "text_number"  # a number stored as text (a SUM skips it)
    ERROR = "error"  # #DIV/0! and the like
    TEXT = "text"  # anything else


@dataclass(frozen=True, slots=True)
class Read:
    kind: Kind
    value: Decimal | None = None  # as shown: rounded to ``places`` where the format fixes them
    places: int | None = None  # decimals shown
    unit: str | None = None  # "%", "Dokumen" … written with the value
    text: str | None = None  # the text as typed (text cells, errors)
    english: bool = False  # a text number in English format (1,905,955,200)


_FORMAT_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_ENGLISH = re.compile(
    r"^(?P<sign>-)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?\s*(?P<unit>\D.*)?$"
)


def shown_decimals(number_format: str | None) -> tuple[int | None, bool]:
    """(decimals the format shows or None for General, whether it is a percent format)."""
    if not number_format or number_format.lower() == "general":
        return None, False
    section = _FORMAT_QUOTED.sub("", number_format.split(";")[0])
    if not re.search(r"[0#?]", section):
        return None, False
    percent = "%" in section
    _, dot, frac = section.partition(".")
    places = len(re.match(r"[0#?]*", frac).group()) if dot else 0  # type: ignore[union-attr]
    return places, percent


def _from_float(value: float | int, *, percent: bool) -> Decimal:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if percent:
        number *= 100
    if isinstance(value, float):
        number = round_half_up(number, _FLOAT_PLACES)
    result = strip_zeros(number)
    assert result is not None
    return result


def read_cell(value: object, number_format: str | None = None, *, money: bool = False) -> Read:
    """What a cell holds. ``value`` is openpyxl's value (with ``data_only`` the cached value of
    a formula); ``number_format`` the cell's format."""
    if value is None:
        return Read(Kind.EMPTY)
    places, percent = shown_decimals(number_format)
    if isinstance(value, bool):
        return Read(Kind.TEXT, text=str(value))
    if isinstance(value, int | float):
        if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
            return Read(Kind.TEXT, text=str(value))
        number = _from_float(value, percent=percent)
        unit = "%" if percent else None
        if places is not None:
            number = strip_zeros(round_half_up(number, places)) or number
            return Read(Kind.NUMBER, number, places, unit)
        return Read(Kind.NUMBER, number, decimals_of(number), unit)
    if not isinstance(value, str):  # dates and times: not a figure of this form
        return Read(Kind.TEXT, text=str(value))
    text = " ".join(value.split())
    if not text:
        return Read(Kind.EMPTY)
    if text.upper() in ERROR_VALUES:
        return Read(Kind.ERROR, text=text.upper())
    return _read_text(text, money=money)


def _read_text(text: str, *, money: bool) -> Read:
    if text in ("-", "–", "—"):
        return Read(Kind.EMPTY, text=text)
    compact = text
    grouped = money and re.match(r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:\s|$)", compact)
    try:  # 500,000 in a rupiah column is English grouping, not 500 with three decimals
        quantity = None if grouped else parse_quantity(compact, money=money)
    except InvalidNumber:
        quantity = None
    if quantity is not None and quantity.value is not None:
        unit = quantity.unit
        if money and unit and unit.casefold().rstrip(".") in ("rp", "rupiah"):
            unit = None
        value = strip_zeros(quantity.value)
        assert value is not None
        return Read(Kind.TEXT_NUMBER, value, decimals_of(value), unit, text)
    english = _ENGLISH.match(compact)
    if english:
        digits = english["int"].replace(",", "") + (
            "." + english["frac"] if english["frac"] else ""
        )
        try:
            number = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - the pattern allows digits only
            return Read(Kind.TEXT, text=text)
        if english["sign"]:
            number = -number
        value = strip_zeros(number)
        assert value is not None
        unit = english["unit"].strip() if english["unit"] else None
        return Read(Kind.TEXT_NUMBER, value, decimals_of(value), unit, text, english=True)
    return Read(Kind.TEXT, text=text)
