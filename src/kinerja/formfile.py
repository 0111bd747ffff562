"""Read an evaluation form from JSON (the input of `kinerja evaluate FILE.json`).

The file is checked against ``schemas/evaluate-input.schema.json``; JSON numbers are read as
exact Decimals, strings in Indonesian format (``1.905.955.200``, ``89,95``, ``73 Orang/bulan``).
Whatever the form cannot express is refused with a ``FormError`` naming the row and field.
"""

from __future__ import annotations

import codecs
import json
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from kinerja.core.achievement import Polarity
from kinerja.core.aggregate import Aggregation
from kinerja.core.form import (
    EMPTY,
    AverageRule,
    Form,
    FormError,
    FormRow,
    Level,
    Pair,
    Printed,
    Rules,
    check_structure,
)
from kinerja.core.numbers import InvalidNumber, check_value, parse_quantity

__all__ = ["load_form", "parse_form"]

_PAIR_FIELDS = ("renstra_target", "renstra_realised_before", "year_target")


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    text = resources.files("kinerja").joinpath("schemas/evaluate-input.schema.json").read_text()
    return Draft202012Validator(json.loads(text))


def _refuse_constant(name: str) -> None:
    raise FormError(f"«{name}» bukan angka")


_MAX_INT_DIGITS = 30  # far beyond any year, quarter or amount; Python refuses > 4.300
_TEXT_ENCODINGS = {  # byte order marks of the encodings Notepad and Excel write besides UTF-8
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


def _refuse_long_integer(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise FormError(f"bilangan bulat {len(text)} angka terlalu panjang")
    return int(text)


def load_form(path: str) -> Form:
    """Read and check a form file; raises ``FormError`` (Indonesian) on any problem."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        raise FormError(f"berkas «{path}» tidak dapat dibaca: {exc.strerror}") from exc
    for bom, name in _TEXT_ENCODINGS.items():  # UTF-32 LE starts with UTF-16 LE's mark
        if raw.startswith(bom):
            raise FormError(f"berkas «{path}» tersimpan sebagai {name}; simpan ulang sebagai UTF-8")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormError(
            f"berkas «{path}» bukan teks UTF-8 (bita ke-{exc.start + 1} tidak sah); "
            "simpan ulang sebagai UTF-8"
        ) from exc
    return parse_form(text)


def parse_form(text: str) -> Form:
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_refuse_long_integer,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as exc:
        raise FormError(f"JSON tidak sah pada baris {exc.lineno}, kolom {exc.colno}") from exc
    except RecursionError as exc:
        raise FormError("JSON bersarang terlalu dalam") from exc
    try:
        errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))
    except RecursionError as exc:
        raise FormError("JSON bersarang terlalu dalam") from exc
    if errors:
        raise _schema_error(data, errors[0])
    rules = data.get("rules") or {}
    cap = rules.get("cap")
    form = Form(
        year=data["year"],
        quarter=data["quarter"],
        rows=tuple(_row(raw) for raw in data["rows"]),
        rules=Rules(
            average_k=AverageRule(rules.get("average_k", AverageRule.PROGRAM_MEAN)),
            average_rp=AverageRule(rules.get("average_rp", AverageRule.PROGRAM_RATIO)),
            cap=None if cap is None else _number(cap, row=None, field="rules.cap"),
        ),
        printed_footer=_percents(
            (data.get("printed") or {}).get("footer"), row=None, field="printed.footer"
        ),
    )
    check_structure(form.rows, quarter=form.quarter)
    return form


def _row(raw: dict[str, Any]) -> FormRow:
    row_id = raw["id"]
    quarters = tuple(
        _pair(q, row=row_id, field=f"quarters[{i}]") for i, q in enumerate(raw["quarters"])
    )
    assert len(quarters) == 4  # the schema says so
    return FormRow(
        id=row_id,
        level=Level(raw["level"]),
        name=raw["name"],
        quarters=quarters,  # type: ignore[arg-type]
        parent=raw.get("parent"),
        code=raw.get("code"),
        indicator=raw.get("indicator"),
        unit=raw.get("unit"),
        responsible_unit=raw.get("responsible_unit"),
        polarity=Polarity(raw.get("polarity", "higher")),
        aggregation=Aggregation(raw.get("aggregation", "sum")),
        **{name: _pair(raw.get(name), row=row_id, field=name) for name in _PAIR_FIELDS},
        printed=_printed(raw.get("printed"), row=row_id),
        continues=raw.get("continues"),
    )


def _printed(raw: dict[str, Any] | None, *, row: str) -> Printed | None:
    """Columns 13–16 as the form printed them: 13 and 15 are amounts (a K with any unit,
    Rp in rupiah), 14 and 16 percentages ("15", "15 %", "19,55")."""
    if raw is None:
        return None
    return Printed(
        col13=_pair(raw.get("col13"), row=row, field="printed.col13"),
        col14=_percents(raw.get("col14"), row=row, field="printed.col14") or EMPTY,
        col15=_pair(raw.get("col15"), row=row, field="printed.col15"),
        col16=_percents(raw.get("col16"), row=row, field="printed.col16") or EMPTY,
    )


def _percents(raw: dict[str, Any] | None, *, row: str | None, field: str) -> Pair | None:
    """A printed K/Rp pair of percentages; a unit, where written, must be %."""
    if raw is None:
        return None
    values = []
    for part in ("k", "rp"):
        value, unit = _quantity(raw.get(part), row=row, field=f"{field}.{part}")
        if unit is not None and unit != "%":
            raise FormError(
                f"persentase tidak boleh bersatuan «{unit}» (tulis «15» atau «15 %»)",
                row=row,
                field=f"{field}.{part}",
            )
        values.append(value)
    return Pair(k=values[0], rp=values[1])


def _pair(raw: dict[str, Any] | None, *, row: str, field: str) -> Pair:
    if raw is None:
        return EMPTY
    k, k_unit = _quantity(raw.get("k"), row=row, field=f"{field}.k")
    upper, _ = _quantity(raw.get("k_upper"), row=row, field=f"{field}.k_upper")
    rp, rp_unit = _quantity(raw.get("rp"), row=row, field=f"{field}.rp", money=True)
    if rp_unit is not None and rp_unit.casefold() not in ("rp", "rupiah"):
        raise FormError(
            f"nilai rupiah tidak boleh bersatuan «{rp_unit}»", row=row, field=f"{field}.rp"
        )
    if upper is not None and (k is None or upper < k):
        raise FormError(
            "batas atas rentang tanpa batas bawah, atau lebih kecil darinya",
            row=row,
            field=f"{field}.k_upper",
        )
    if k is None and rp is None and upper is None:
        return EMPTY
    return Pair(k=k, rp=rp, k_upper=upper, k_unit=k_unit)


def _quantity(
    value: Any, *, row: str | None, field: str, money: bool = False
) -> tuple[Decimal | None, str | None]:
    if isinstance(value, str):
        try:
            q = parse_quantity(value, money=money)
        except InvalidNumber as exc:
            raise FormError(str(exc), row=row, field=field) from exc
        return q.value, q.unit
    return _number(value, row=row, field=field, money=money), None


def _number(value: Any, *, row: str | None, field: str, money: bool = False) -> Decimal | None:
    if value is None:
        return None
    number = Decimal(value)
    # a JSON number such as 1e999999999 is named as written, not as its billion digits
    text = str(number) if number.is_finite() and abs(number.adjusted()) > 30 else None
    if text is not None and number.adjusted() < 0:  # 1e-999999999: no column keeps it
        raise FormError(f"«{text}»: terlalu banyak angka di belakang koma", row=row, field=field)
    try:
        return check_value(number, money=money, text=text)
    except InvalidNumber as exc:
        raise FormError(str(exc), row=row, field=field) from exc


def _schema_error(data: Any, error: Any) -> FormError:
    path = list(error.absolute_path)
    row = None
    if len(path) >= 2 and path[0] == "rows" and isinstance(path[1], int):
        raw = data["rows"][path[1]]
        row = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None
        row = row or f"#{path[1] + 1}"
        path = path[2:]
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")
    return FormError(_schema_message(error), row=row, field=field or None)


_TYPES = {
    "string": "teks",
    "number": "angka",
    "integer": "bilangan bulat",
    "object": "objek",
    "array": "daftar",
    "null": "kosong (null)",
}


def _schema_message(error: Any) -> str:
    kind, arg = error.validator, error.validator_value
    if kind == "type":
        wanted = arg if isinstance(arg, list) else [arg]
        return "harus berupa " + " atau ".join(_TYPES.get(t, t) for t in wanted)
    if kind == "required":
        missing = [name for name in arg if name not in error.instance]
        return "wajib diisi: " + ", ".join(missing)
    if kind == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return "isian tidak dikenal: " + ", ".join(extra)
    if kind == "enum":
        return "harus salah satu dari: " + ", ".join(str(a) for a in arg)
    if kind == "minimum":
        return f"tidak boleh kurang dari {arg} (nilai rupiah tidak boleh negatif)"
    if kind == "maximum":
        return f"tidak boleh lebih dari {arg}"
    if kind in ("minItems", "maxItems"):
        return f"jumlah isian harus {'sedikitnya' if kind == 'minItems' else 'paling banyak'} {arg}"
    if kind == "minLength":
        return "tidak boleh kosong"
    return f"tidak sesuai skema ({kind})"
