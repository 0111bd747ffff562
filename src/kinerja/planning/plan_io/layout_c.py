"""The Renja list as agencies export it from their planning system (layout C of
docs/plan-import-layout-c.md): title rows, a header of several rows with numbered columns,
the code in one cell or split over several under one merged «Kode», agency / unsur / urusan /
bidang rows, targets as text with their unit, amounts as Indonesian-format text and several
pagu columns. Columns are found by their header texts, never by position.

The rules decided for what such a file may hold are in docs/plan-import-layout-c.md; each
is marked here with the same words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kinerja.core.numbers import (
    InvalidNumber,
    check_value,
    format_number,
    parse_number,
    parse_quantity,
    round_half_up,
    strip_zeros,
)

from ..items import code_problem, normalise_code
from .model import (
    DECIMALS_WRITTEN,
    PlanData,
    PlanItem,
    Source,
    gc_paused,
    new_source,
    shown_value,
)

__all__ = ["MAX_TEXT", "Header", "Sheet", "column_letter", "find_header", "read_layout_c"]

MAX_TEXT = 32_767  # Excel's own limit of one cell's text; longer is not a spreadsheet's cell
MAX_NAME = 500  # WorkItem.name
MAX_CODE = 40  # WorkItem.code
# a sub kegiatan's children: none, ever — one shared empty tuple instead of an empty list per
# row (10.000 fewer objects for the collector to walk in a 10.000-row plan)
_NO_CHILDREN: Any = ()
MAX_UNIT = 60  # WorkItem.target_unit
_HEADER_SCAN = 40  # rows searched for the header
_CODE_CHARS = re.compile(r"(?:\d+|X+)(?:\.(?:\d+|X+))*")
# a code already as normalise_code writes it (the common case, checked without it)
_NORMAL_CODE = re.compile(
    r"(?:\d{1,2}|X{1,2})\.(?:\d{2}|X{1,2})\.\d{2}(?:\.\d\.\d{2}(?:\.\d{4})?)?"
)
_LEVEL_BY_PARTS = {3: "program", 5: "kegiatan", 6: "sub_kegiatan"}
_LEVEL_NAMES = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}
_YEAR = re.compile(r"\btahun\s+(?:anggaran\s+)?(\d{4})\b", re.I)
_AGENCY_LABEL = re.compile(
    r"^\s*(?:perangkat\s+daerah|skpd|opd|unit\s+kerja|satuan\s+kerja)\s*:\s*(.+)$", re.I
)
_AGENCY_NAME = re.compile(
    r"^(?:badan|dinas|kantor|sekretariat|inspektorat|kecamatan|rumah\s+sakit|satuan\s+polisi|"
    r"bagian|kelurahan|rsud)\b",
    re.I,
)
_SKIP_NAME = re.compile(
    r"^(?:jumlah|total|sub\s*total|unsur\b|urusan\b|bidang\s+urusan\b|perangkat\s+daerah\b)"
    r"|\bunsur\s+(?:pendukung|penunjang)",
    re.I,
)
_FOOTER = re.compile(
    r"^(?:mengetahui|kepala\b|sekretaris\b|nip\b|pembina|penata|"
    r"[a-z .]+,\s*\d{1,2}\s+[a-z]+\s+\d{4}|[a-z .]+,\s+[a-z]+\s+\d{4})",
    re.I,
)
_RANGE = re.compile(
    r"^(?P<low>[-−]?[0-9.,]+)\s*(?:-|–|s\.?d\.?|sampai)\s*(?P<high>[0-9.,]+)\s*(?P<unit>\D.*)?$"
)


@dataclass(slots=True)
class Sheet:
    """A sheet's values as python-calamine reads them (row 0 is the spreadsheet's row 1,
    column 0 its column A; empty cells are ``""``), its merged ranges (0-based, inclusive)
    and whether it is hidden."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    hidden: bool = False


@dataclass(slots=True)
class PaguColumn:
    label: str  # the header texts from «Pagu …» down: "Pagu Indikatif APBD"
    column: int


@dataclass(slots=True)
class Header:
    """Where the header is and what each column means."""

    first_row: int  # 0-based
    last_row: int  # 0-based, the numbering row where there is one
    code: list[int] = field(default_factory=list)
    name: int | None = None
    indicator: int | None = None
    unit: int | None = None
    target: int | None = None  # the year's target (the «Sesudah» where revised)
    target_before: int | None = None  # the «Sebelum» of a revised target
    renstra_k: int | None = None
    renstra_rp: int | None = None
    realised_k: int | None = None
    realised_rp: int | None = None
    responsible: int | None = None
    pagu: list[PaguColumn] = field(default_factory=list)
    problem: str = ""  # why this header cannot be read (no code or no name column)


@lru_cache(maxsize=256)
def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _clean(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


# --- the header -------------------------------------------------------------------------


def _is_code_title(text: str) -> bool:
    return text == "kode" or text.startswith("kode ")


def _is_name_title(text: str) -> bool:
    if "indikator" in text:
        return False
    return (
        ("program" in text and ("kegiatan" in text or "urusan" in text))
        or text.startswith(("uraian", "nomenklatur"))
        or text in ("nama program/kegiatan", "program/kegiatan/sub kegiatan")
    )


def _numbering(row: list[Any]) -> bool:
    """A row numbering the columns 1, 2, 3 … (as numbers or text), at least five of them."""
    numbers = []
    for value in row:
        if isinstance(value, bool):
            continue
        if isinstance(value, int | float) and float(value).is_integer():
            numbers.append(int(value))
        elif isinstance(value, str) and value.strip().isdigit():
            numbers.append(int(value.strip()))
    return len(numbers) >= 5 and numbers[0] == 1 and numbers == sorted(numbers)


def find_header(sheet: Sheet) -> Header | None:
    """The header of a layout-C list on ``sheet``, or None when nothing on it looks like one.
    A header with a name column but no code column (or the reverse) comes back with
    ``problem`` saying so."""
    rows = sheet.rows
    top = None
    for r, row in enumerate(rows[:_HEADER_SCAN]):
        texts = [_clean(v).casefold() for v in row]
        if any(_is_code_title(t) for t in texts) or any(_is_name_title(t) for t in texts):
            top = r
            break
    if top is None:
        return None
    # the header reaches down to the numbering row, else as far as the merged cells of its
    # first row reach
    bottom = top
    for r in range(top, min(top + 7, len(rows))):
        if _numbering(rows[r]):
            bottom = r
            break
    else:
        for (r0, _c0), (r1, _c1) in sheet.merged:
            if r0 == top:
                bottom = max(bottom, min(r1, top + 5))
    numbered = _numbering(rows[bottom])
    width = max((len(rows[r]) for r in range(top, bottom + 1)), default=0)
    filled = [
        [_clean(v) for v in rows[r]] + [""] * (width - len(rows[r])) for r in range(top, bottom + 1)
    ]
    for (r0, c0), (r1, c1) in sheet.merged:
        if r1 < top or r0 > bottom:
            continue
        text = _clean(rows[r0][c0]) if r0 < len(rows) and c0 < len(rows[r0]) else ""
        for r in range(max(r0, top), min(r1, bottom) + 1):
            for c in range(c0, min(c1 + 1, width)):
                if not filled[r - top][c]:
                    filled[r - top][c] = text
    title_rows = filled[:-1] if numbered and len(filled) > 1 else filled
    header = Header(first_row=top, last_row=bottom)
    for c in range(width):
        path: list[str] = []
        for row in title_rows:
            if row[c] and (not path or path[-1] != row[c]):
                path.append(row[c])
        if path:
            _assign(header, c, path)
    if not header.code or header.name is None:
        missing = (
            _("kolom «Kode»")
            if not header.code
            else _("kolom nama «Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan»")
        )
        header.problem = _(
            "Lembar «%(sheet)s» tidak punya %(missing)s pada judul tabelnya (baris %(row)s); "
            "tanpa kolom itu rencananya tidak dapat dibaca."
        ) % {"sheet": sheet.name, "missing": missing, "row": top + 1}
    return header


def _assign(header: Header, c: int, path: list[str]) -> None:
    low = [p.casefold() for p in path]
    joined = " ".join(low)
    last = low[-1]
    if "prakiraan maju" in joined or "tahun n+1" in joined or "tahun berikut" in joined:
        return
    if any(_is_code_title(p) for p in low):
        header.code.append(c)
    elif any(_is_name_title(p) for p in low):
        if header.name is None:
            header.name = c
    elif "indikator" in joined and "target" not in joined:
        if header.indicator is None:
            header.indicator = c
    elif last.startswith("satuan"):
        header.unit = header.unit if header.unit is not None else c
    elif "renstra" in joined and ("target" in joined or "akhir periode" in joined):
        if last.rstrip(".") in ("rp", "rupiah", "pagu"):
            header.renstra_rp = c
        elif header.renstra_k is None:
            header.renstra_k = c
    elif "realisasi" in joined:
        if last.rstrip(".") in ("rp", "rupiah", "pagu"):
            header.realised_rp = c
        elif header.realised_k is None:
            header.realised_k = c
    elif "prakiraan capaian" in joined or "tahun berjalan" in joined:
        return
    elif any(w in joined for w in ("pagu", "anggaran", "kebutuhan dana", "alokasi")) or (
        last.rstrip(".") in ("rp", "rupiah")
    ):
        if "sumber" in joined:
            return
        start = next(
            (
                i
                for i, p in enumerate(low)
                if any(w in p for w in ("pagu", "anggaran", "dana", "alokasi"))
            ),
            0,
        )
        label = " ".join(path[start:])
        header.pagu.append(PaguColumn(label, c))
    elif "target" in joined or "capaian kinerja" in joined:
        if "sebelum" in last:
            header.target_before = c
        elif header.target is None or "sesudah" in last:
            header.target = c
    elif "penanggung jawab" in joined or "perangkat daerah" in joined:
        header.responsible = c


def _pick_pagu(
    header: Header, wanted: str | None, error: Callable[[str], Exception]
) -> PaguColumn | None:
    """«Several pagu columns»: the one named by ``wanted`` (its whole header text, or its own
    last header text, case and spaces aside; else the only one containing it), by default
    the APBD (murni) column, else the only or the first one."""
    labels = _unique_labels(header.pagu)
    if wanted is not None:
        key = " ".join(wanted.split()).casefold()
        exact = [p for p in labels if p.label.casefold() == key]
        if not exact:
            exact = [p for p in labels if p.label.casefold().split()[-1:] == [key]]
        if not exact:
            exact = [p for p in labels if key in p.label.casefold()]
        if len(exact) == 1:
            return exact[0]
        choices = ", ".join(f"«{p.label}»" for p in labels) or _("(tidak ada kolom pagu)")
        raise error(
            _(
                "Kolom pagu «%(name)s» tidak ada (atau tidak jelas yang mana); pilihannya: %(choices)s."
            )
            % {"name": wanted, "choices": choices}
        )
    if not labels:
        return None
    murni = [
        p
        for p in labels
        if re.search(r"\bapbd\b|\bmurni\b|\bdpa\b", p.label, re.I)
        and not re.search(r"perubahan|\bp\b|rkpd", p.label, re.I)
    ]
    return (murni or labels)[0]


def _unique_labels(columns: list[PaguColumn]) -> list[PaguColumn]:
    counts: dict[str, int] = {}
    for p in columns:
        counts[p.label.casefold()] = counts.get(p.label.casefold(), 0) + 1
    return [
        PaguColumn(
            p.label
            if counts[p.label.casefold()] == 1
            else f"{p.label} ({column_letter(p.column)})",
            p.column,
        )
        for p in columns
    ]


# --- the rows ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, sheet: Sheet, header: Header, plan: PlanData) -> None:
        self.sheet = sheet
        self.header = header
        self.plan = plan
        self.name_letter = column_letter(header.name) if header.name is not None else None
        code = header.code
        # the five code cells of the export, fetched at once where the row reaches them
        self.code_cells = itemgetter(*code) if len(code) == 5 else None
        self.code_reach = max(code) + 1 if code else 0
        # a target or amount text read without a warning → what it reads as: a plan repeats
        # them («100 %», «1 Dokumen», «10.000.000,00»), so each is parsed and checked once
        self.quantities: dict[str, tuple[Decimal | None, Decimal | None, str, int | None]] = {
            "": _NOTHING
        }
        self.amounts: dict[str, Decimal | None] = {"": None}
        # an indicator or unit kerja cell's text → the same with its spaces collapsed: the
        # few indicators and units of a plan repeat on most rows
        self.texts: dict[str, str] = {"": ""}

    def repeated_text(self, row: list[Any], r: int, c: int | None) -> str:
        """:meth:`text` of a cell whose texts repeat down the list, each cleaned once."""
        value = row[c] if c is not None and c < len(row) else ""
        if type(value) is not str:
            return self.text(row, r, c)
        cleaned = self.texts.get(value)
        if cleaned is None:
            cleaned = self.text(row, r, c)  # an overlong cell is warned, never kept here
            if len(value) <= MAX_TEXT:
                self.texts[value] = cleaned
        return cleaned

    def source(self, r: int, c: int | None = None) -> Source:
        return Source(self.sheet.name, r + 1, column_letter(c) if c is not None else None)

    def name_source(self, r: int) -> Source:
        return Source(self.sheet.name, r + 1, self.name_letter)

    def cell(self, row: list[Any], r: int, c: int | None) -> Any:
        if c is None or c >= len(row):
            return ""
        value = row[c]
        if type(value) is str and len(value) > MAX_TEXT:
            self.plan.warn(
                _(
                    "Sel %(cell)s berisi %(length)s karakter, lebih dari batas satu sel Excel "
                    "(%(limit)s); sel ini dilewati."
                )
                % {
                    "cell": f"{column_letter(c)}{r + 1}",
                    "length": format_number(Decimal(len(value))),
                    "limit": format_number(Decimal(MAX_TEXT)),
                },
                self.source(r, c),
                value[:80],
            )
            row[c] = ""
            return ""
        return value

    def text(self, row: list[Any], r: int, c: int | None) -> str:
        if c is None or c >= len(row):
            return ""
        value = row[c]
        if type(value) is str:
            if not value:
                return ""
            if len(value) > MAX_TEXT:
                self.cell(row, r, c)  # warned and emptied
                return ""
            return " ".join(value.split())
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else shown_value(value)  # a date: «31 Januari 2025»

    # --- codes ---

    def code(self, row: list[Any], r: int) -> tuple[str, bool]:
        """The row's code, normalised, and whether it is in normal form (then it is a
        program, kegiatan or sub kegiatan code of the Kepmendagri 90 shape: no need to check
        its characters and shape again)."""
        columns = self.header.code
        if len(columns) == 1:
            value = self.cell(row, r, columns[0])
            if type(value) is str and _NORMAL_CODE.fullmatch(value):
                return value, True
            return (normalise_code(_code_part(value, None)) if value != "" else ""), False
        five = len(columns) == 5
        if five and self.code_cells is not None and len(row) >= self.code_reach:
            # the common case: five text cells already in normal form (5 · 03 · 01 · 2.01 ·
            # 0001), none a single digit where the export drops a leading zero
            cells = self.code_cells(row)
            a, b, c, d, e = cells
            if (
                type(a) is str and type(b) is str and type(c) is str and type(d) is str
                and type(e) is str and len(b) != 1 and len(c) != 1
            ):  # fmt: skip
                # the non-empty cells joined (a program's first three, a kegiatan's four, a
                # sub kegiatan's five): an f-string where no cell in between is empty
                if a and b and c and (d or not e):
                    joined = (
                        f"{a}.{b}.{c}.{d}.{e}" if e else f"{a}.{b}.{c}.{d}" if d else f"{a}.{b}.{c}"
                    )
                else:
                    joined = ".".join([p for p in cells if p])
                if _NORMAL_CODE.fullmatch(joined):
                    return joined, True
        parts = []
        for position, c in enumerate(columns):
            value = row[c] if c < len(row) else ""
            if value == "":
                continue
            if type(value) is str:
                if len(value) > MAX_TEXT:
                    value = self.cell(row, r, c)
                text = value.strip()
                if " " in text or "\n" in text:
                    text = " ".join(text.split())
                if five and len(text) == 1 and (position == 1 or position == 2) and text.isdigit():
                    text = "0" + text
            else:
                text = _code_part(value, position if five else None)
            if text:
                parts.append(text)
        if not parts:
            return "", False
        joined = ".".join(parts)
        if _NORMAL_CODE.fullmatch(joined):
            return joined, True
        return normalise_code(joined), False

    # --- numbers ---

    def _warn_cell(
        self, message: str, r: int, c: int | None, what: str, raw: Any, **more: Any
    ) -> None:
        cell = f"{column_letter(c)}{r + 1}" if c is not None else ""
        self.plan.warn(message % {"what": _(what), "cell": cell, **more}, self.source(r, c), raw)

    def _number_cell(self, row: list[Any], r: int, c: int | None) -> Any:
        """A target's or an amount's cell as the readers below take it: ``""`` where it is
        blank, beyond the row or too long (warned and emptied), else its value."""
        if c is None or c >= len(row):
            return ""
        value = row[c]
        if value is None:
            return ""
        if type(value) is str and len(value) > MAX_TEXT:
            self.cell(row, r, c)  # warned and emptied
            return ""
        return value

    def _spreadsheet_number(
        self, value: Any, r: int, c: int | None, what: str, not_a_number: str
    ) -> Decimal | None:
        """A cell the spreadsheet holds as a number, exactly (float noise rounded); anything
        else (a date, a boolean, NaN) is the warning ``not_a_number`` and None."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._warn_cell(not_a_number, r, c, what, value, value=shown_value(value))
            return None
        number = _from_float(value)
        if number is None:
            self._warn_cell(
                _("%(what)s di sel %(cell)s bukan angka; sel ini dilewati."), r, c, what, value
            )
        return number

    def quantity(
        self, row: list[Any], r: int, c: int | None, what: str
    ) -> tuple[Decimal | None, Decimal | None, str, int | None]:
        """(K, upper bound of a range, unit, decimals written) of a target cell. ``what``
        names the cell in warnings (an untranslated label, translated when said)."""
        value = self._number_cell(row, r, c)
        if type(value) is str:
            known = self.quantities.get(value)  # "" → nothing
            if known is not None:
                return known
            result, lines, why = _target_text(value)
            if lines > 1:
                self._warn_cell(
                    _(
                        "%(what)s di sel %(cell)s berisi %(count)s nilai pada baris berbeda; "
                        "yang dibaca hanya yang pertama («%(first)s»)."
                    ),
                    r, c, what, value, count=lines, first=_first_line(value),
                )  # fmt: skip
            if why:
                self._bad(what, r, c, why, value)
            elif lines <= 1:
                self.quantities[value] = result
            return result
        number = self._spreadsheet_number(
            value, r, c, what,
            _("%(what)s di sel %(cell)s bukan angka (%(value)s); sel ini dilewati."),
        )  # fmt: skip
        if number is None:
            return _NOTHING
        try:
            check_value(number)
        except InvalidNumber as exc:
            self._bad(what, r, c, str(exc), value)
            return _NOTHING
        return number, None, "", _places(number)

    def amount(self, row: list[Any], r: int, c: int | None, what: str) -> Decimal | None:
        """A pagu or another rupiah amount: never negative, at most 2 decimals."""
        value = self._number_cell(row, r, c)
        if type(value) is str:
            known = self.amounts.get(value, self)  # "" → None
            if known is not self:
                return known  # type: ignore[return-value]
            number, why = _amount_text(value)
            if why is _NEGATIVE:
                self._negative(what, r, c, value)
            elif why:
                self._bad(what, r, c, why, value)
            else:
                self.amounts[value] = number
            return number
        number = self._spreadsheet_number(
            value, r, c, what,
            _("%(what)s di sel %(cell)s bukan jumlah rupiah (%(value)s); sel ini dilewati."),
        )  # fmt: skip
        if number is None:
            return None
        if number < 0:
            self._negative(what, r, c, value)
            return None
        try:
            return check_value(strip_zeros(round_half_up(number, 2)), money=True)  # type: ignore[arg-type]
        except InvalidNumber as exc:
            self._bad(what, r, c, str(exc), value)
            return None

    def _negative(self, what: str, r: int, c: int | None, value: Any) -> None:
        self._warn_cell(
            _(
                "%(what)s di sel %(cell)s negatif (%(value)s); pagu tidak boleh negatif, sel "
                "ini dilewati."
            ),
            r, c, what, value, value=value,
        )  # fmt: skip

    def _bad(self, what: str, r: int, c: int | None, why: str, value: Any) -> None:
        self._warn_cell(
            _("%(what)s di sel %(cell)s tidak terbaca: %(why)s Sel ini dilewati."),
            r, c, what, value, why=why.rstrip(".") + ".",
        )  # fmt: skip


_NOTHING: tuple[None, None, str, None] = (None, None, "", None)
# what a warning calls a cell, translated when said
_TARGET = gettext_noop("Target")
_RENSTRA = gettext_noop("Target Renstra")
_RENSTRA_RP = gettext_noop("Target Renstra (Rp)")
_REALISED = gettext_noop("Realisasi tahun lalu")
_REALISED_RP = gettext_noop("Realisasi tahun lalu (Rp)")
_PAGU = gettext_noop("Pagu")
_NEGATIVE = "negative"


def _first_line(text: str) -> str:
    return next((" ".join(line.split()) for line in text.splitlines() if line.strip()), "")


@lru_cache(maxsize=4096)
def _target_text(
    text: str,
) -> tuple[tuple[Decimal | None, Decimal | None, str, int | None], int, str]:
    """A target written as text: ((K, upper, unit, decimals), how many lines, why it cannot
    be read or ""). Targets repeat across a plan («100 %», «1 Dokumen»): cached."""
    lines = sum(1 for line in text.splitlines() if line.strip())
    first = _first_line(text)
    if not first:
        return _NOTHING, lines, ""
    span = _RANGE.match(first)
    try:
        if span:
            low = parse_number(span["low"].strip())
            high = parse_number(span["high"].strip())
            unit = (span["unit"] or "").strip()
            return (low, high, unit, _written_places(span["low"])), lines, ""
        quantity = parse_quantity(first)
    except InvalidNumber as exc:
        return _NOTHING, lines, str(exc)
    if quantity.value is None:
        return _NOTHING, lines, ""
    number_text = first[: len(first) - len(quantity.unit or "")].strip()
    result = (quantity.value, None, quantity.unit or "", _written_places(number_text))
    return result, lines, ""


_RP = re.compile(r"^rp\.?\s*", re.I)
_MINUS = re.compile(r"[-−]\s*[0-9.,]+")


@lru_cache(maxsize=4096)
def _amount_text(text: str) -> tuple[Decimal | None, str]:
    """An amount written as text («18.130.291.362,00», «Rp 1.000.000», «-»): (the amount,
    why it cannot be read or "" or _NEGATIVE)."""
    bare = _RP.sub("", " ".join(text.split()))
    if bare in ("-", "–", "—", ""):
        return None, ""
    if _MINUS.fullmatch(bare):
        return None, _NEGATIVE
    try:
        return strip_zeros(parse_number(bare, money=True)), ""
    except InvalidNumber as exc:
        return None, str(exc)


def _from_float(value: int | float) -> Decimal | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:  # pragma: no cover - repr of a finite float is a number
        return None
    if isinstance(value, float) and abs(value) < 1e15:
        number = round_half_up(number, 6)  # a spreadsheet holds 15 digits: the rest is noise
    return strip_zeros(number)


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _written_places(text: str) -> int:
    _int, comma, frac = text.strip().partition(",")
    return len(frac.strip()) if comma else 0


def _code_part(value: Any, position: int | None) -> str:
    """One code cell as text. Numbers lose their leading zeros in a spreadsheet; with the
    five code cells of the export (urusan · bidang · program · kegiatan · sub kegiatan) the
    position says how many digits each part has."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            text = str(int(value))
        else:
            text = f"{value:.2f}" if position == 3 else repr(value)
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = " ".join(value.split())
    else:
        return str(value)
    if position in (1, 2) and text.isdigit():
        text = text.zfill(2)
    return text


def _same_name(a: str, b: str) -> bool:
    return a == b or " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _title(sheet: Sheet, header: Header, plan: PlanData) -> None:
    """«Title rows»: the year from «TAHUN YYYY», the agency from «Perangkat Daerah: …» or
    else the first title row that is neither the list's title nor the year."""
    lines = []
    for row in sheet.rows[: header.first_row]:
        text = " ".join(_clean(v) for v in row if _clean(v))
        if text:
            lines.append(text)
    for line in lines:
        year = _YEAR.search(line)
        if year and plan.title_year is None:
            plan.title_year = int(year[1])
    for line in lines:
        labelled = _AGENCY_LABEL.match(line)
        if labelled:
            plan.title_agency = labelled[1].strip()
            return
    for line in lines:
        lowered = line.casefold()
        if lowered.startswith(("rencana kerja", "renja", "rumusan rencana", "daftar")):
            continue
        if _YEAR.fullmatch(line.strip()) or re.fullmatch(r"tahun\s+(?:anggaran\s+)?\d{4}", lowered):
            continue
        plan.title_agency = _YEAR.sub("", line).strip(" -–:")
        return


def read_layout_c(
    sheet: Sheet,
    *,
    header: Header | None = None,
    pagu_column: str | None = None,
    error: Callable[[str], Exception] = ValueError,
) -> PlanData:
    """Read a layout-C list from ``sheet``. ``header`` as :func:`find_header` found it (found
    here when not given); ``pagu_column`` picks the pagu column by its header text;
    ``error`` is the exception raised for a refusal (read.PlanReadError)."""
    if header is None:
        header = find_header(sheet)
    if header is None or header.problem:
        raise error(
            header.problem
            if header is not None
            else _("Lembar «%(sheet)s» tidak berisi judul tabel daftar rencana.")
            % {"sheet": sheet.name}
        )
    plan = PlanData(kind="layout_c", merged=True)  # _rows merges repeats, _item limits texts
    picked = _pick_pagu(header, pagu_column, error)
    plan.pagu_columns = [p.label for p in _unique_labels(header.pagu)]
    plan.pagu_column = picked.label if picked else ""
    if picked is None:
        plan.warn(
            _(
                "Lembar «%(sheet)s» tidak punya kolom pagu pada judul tabelnya (baris %(row)s); "
                "rencana dibaca tanpa pagu."
            )
            % {"sheet": sheet.name, "row": header.first_row + 1},
            Source(sheet.name, header.first_row + 1),
        )
    _title(sheet, header, plan)
    with gc_paused():
        _rows(sheet, header, picked, plan)
    _check_sums(plan)
    plan.item_fields = _item_fields(header, picked, plan)
    return plan


def _item_fields(header: Header, pagu: PaguColumn | None, plan: PlanData) -> frozenset[str]:
    """The item fields this list has columns for: import compares and writes only these,
    so what a Renja list never holds (the sasaran link, polarity, aggregation, a note,
    rencana aksi and cash plans, a pagu perubahan) stays as stored; decimals only where a
    target is written with them. A unit is said by
    a unit column or by the targets' texts («2 Dokumen»); where no cell of the list names a
    unit (targets as bare numbers), the stored units stay."""
    fields: set[str] = set()
    if header.indicator is not None:
        fields.add("indicator")
    if header.target is not None or header.target_before is not None:
        # a target written with decimals («0,70 Indeks») gives the item's decimals (its K
        # prints as 0,70, not 0,7); one without («72 Indeks») leaves the stored decimals
        fields.update(("target_k", "target_k_upper", DECIMALS_WRITTEN))
    if pagu is not None:
        fields.add("budget")
    if header.responsible is not None:
        fields.add("responsible_unit")
    if header.renstra_k is not None:
        fields.add("renstra_target_k")
    if header.renstra_rp is not None:
        fields.add("renstra_target_rp")
    if header.realised_k is not None:
        fields.add("renstra_realised_k")
    if header.realised_rp is not None:
        fields.add("renstra_realised_rp")
    units = {
        "unit": header.unit is not None,
        "renstra_target_unit": False,
        "renstra_realised_unit": False,
    }
    if header.renstra_k is None:
        del units["renstra_target_unit"]
    if header.realised_k is None:
        del units["renstra_realised_unit"]
    wanted = [name for name, said in units.items() if not said]
    if wanted:
        for item in plan.walk():
            for name in wanted:
                if getattr(item, name):
                    units[name] = True
            wanted = [name for name in wanted if not units[name]]
            if not wanted:
                break
    fields.update(name for name, said in units.items() if said)
    return frozenset(fields)


def _rows(sheet: Sheet, header: Header, pagu: PaguColumn | None, plan: PlanData) -> None:
    reader = _Reader(sheet, header, plan)
    latest: dict[str, PlanItem] = {}  # code → the nearest item above with that code
    same_code: dict[tuple[int, str], list[PlanItem]] = {}  # (id(parent), code) → siblings
    pagu_c = pagu.column if pagu else None
    name_c = header.name
    code_cells, code_reach = reader.code_cells, reader.code_reach
    last: PlanItem | None = None  # the item read last: a continuation row's indicator is its
    for r in range(header.last_row + 1, len(sheet.rows)):
        row = sheet.rows[r]
        # reader.code's common case here, without the call: five text cells in normal form
        cells = code_cells(row) if code_cells is not None and len(row) >= code_reach else None
        joined = ""
        if cells is not None:
            a, b, c, d, e = cells
            if (
                type(a) is str and type(b) is str and type(c) is str and type(d) is str
                and type(e) is str and len(b) != 1 and len(c) != 1 and a and b and c
                and (d or not e)
            ):  # fmt: skip
                joined = (
                    f"{a}.{b}.{c}.{d}.{e}" if e else f"{a}.{b}.{c}.{d}" if d else f"{a}.{b}.{c}"
                )
        if joined and _NORMAL_CODE.fullmatch(joined):
            code, normal = joined, True
        else:
            code, normal = reader.code(row, r)
        value = row[name_c] if name_c is not None and name_c < len(row) else ""
        if type(value) is str and len(value) <= MAX_TEXT:  # reader.text's common case
            name = " ".join(value.split())
        else:
            name = reader.text(row, r, name_c)
        if not code:
            _row_without_code(reader, row, r, name, last, pagu_c)
            continue
        last = None  # until this row is read as an item: a skipped item takes no indicators
        if not normal and not _CODE_CHARS.fullmatch(code):
            plan.warn(
                _(
                    "Baris %(row)s: kode «%(code)s» bukan kode program/kegiatan; baris ini "
                    "dilewati."
                )  # fmt: skip
                % {"row": r + 1, "code": code},
                reader.source(r, header.code[0]),
                code,
            )
            continue
        n_parts = code.count(".") + 1
        level = _LEVEL_BY_PARTS.get(n_parts)
        if level is None:
            if n_parts > 6 and not _AGENCY_NAME.match(name) and not _SKIP_NAME.search(name):
                plan.warn(
                    _(
                        "Baris %(row)s: kode «%(code)s» terlalu panjang untuk program, kegiatan "
                        "atau sub kegiatan; baris ini dilewati."
                    )  # fmt: skip
                    % {"row": r + 1, "code": code},
                    reader.source(r, header.code[0]),
                    code,
                )
            elif n_parts == 4:
                plan.warn(
                    _(
                        "Baris %(row)s: kode «%(code)s» tidak lengkap (program punya 3 bagian, "
                        "kegiatan 5, sub kegiatan 6); baris ini dilewati."
                    )  # fmt: skip
                    % {"row": r + 1, "code": code},
                    reader.source(r, header.code[0]),
                    code,
                )
            continue  # «agency total / unsur / urusan / bidang rows»: not items
        if not name:
            plan.warn(
                _("Baris %(row)s: %(level)s %(code)s tanpa nama; baris ini dilewati.")
                % {"row": r + 1, "level": _LEVEL_NAMES[level], "code": code},
                reader.source(r, header.name),
            )
            continue
        problem = None if normal else code_problem(code, level)
        if problem:
            plan.warn(
                _("Baris %(row)s: %(problem)s Item tetap dibaca.")
                % {"row": r + 1, "problem": problem},
                reader.source(r, header.code[0]),
                code,
            )
        if len(code) > MAX_CODE:
            plan.warn(
                _("Baris %(row)s: kode «%(code)s» lebih dari %(limit)s karakter; baris ini "
                  "dilewati.") % {"row": r + 1, "code": code, "limit": MAX_CODE},
                reader.source(r, header.code[0]),
                code,
            )  # fmt: skip
            continue
        if len(name) > MAX_NAME:
            plan.warn(
                _("Baris %(row)s: nama lebih dari %(limit)s karakter; dipotong.")
                % {"row": r + 1, "limit": MAX_NAME},
                reader.source(r, header.name),
                name,
            )
            name = name[:MAX_NAME]
        item = _item(reader, row, r, level, code, name, pagu_c)
        # «hierarchy from the codes»: the parent is the nearest item above with the parent's
        # code; without one the item is skipped («a code whose parent is missing»)
        if level == "program":
            siblings, parent_id = plan.items, 0
        else:
            # its first parts: a sub kegiatan's code without its last part, a kegiatan's
            # without its last two
            cut = code.rfind(".")
            if level == "kegiatan":
                cut = code.rfind(".", 0, cut)
            parent_code = code[:cut]
            parent = latest.get(parent_code)
            if parent is None:
                plan.warn(
                    _(
                        "Baris %(row)s: induk %(parent)s dari %(level)s %(code)s tidak ada di atasnya; "
                        "baris ini dilewati."
                    )  # fmt: skip
                    % {
                        "row": r + 1,
                        "parent": parent_code,
                        "level": _LEVEL_NAMES[level],
                        "code": code,
                    },
                    reader.source(r, header.code[0]),
                    code,
                )
                continue
            siblings, parent_id = parent.children, id(parent)
        key = (parent_id, code)
        same = same_code.get(key)
        twin = next((s for s in same if _same_name(s.name, name)), None) if same else None
        if twin is not None:
            # «the same program repeated under another urusan → one item»
            _merge(reader, twin, item, twin.source.row, r)  # type: ignore[union-attr]
            latest[code] = last = twin
            continue
        if same:
            other = same[-1]
            plan.warn(
                _(
                    "Baris %(row)s: kode %(code)s sudah dipakai di baris %(other)s dengan nama lain "
                    "(«%(name)s»); keduanya dibaca sebagai %(level)s tersendiri."
                )  # fmt: skip
                % {
                    "row": r + 1,
                    "code": code,
                    "other": other.source.row,  # type: ignore[union-attr]
                    "name": other.name,
                    "level": _LEVEL_NAMES[level],
                },
                reader.source(r, header.name),
                name,
            )
        siblings.append(item)
        if same is None:
            same_code[key] = [item]
        else:
            same.append(item)
        latest[code] = last = item


def _row_without_code(reader: _Reader, row: list[Any], r: int, name: str,
                      last: PlanItem | None, pagu_c: int | None) -> None:  # fmt: skip
    """Rows without a code: blank, agency / unsur / total rows and the signature are skipped
    silently; a row with an indicator and no name is a further indicator of the item above
    it (``last``; its own target, no pagu); any other row that carries an indicator, a
    target or an amount is skipped with a warning (an item that lost its code)."""
    header = reader.header
    if name and (_SKIP_NAME.search(name) or _AGENCY_NAME.match(name) or _FOOTER.match(name)):
        return
    indicator = reader.text(row, r, header.indicator)
    carried = [
        c
        for c in [header.target, header.target_before, *(p.column for p in header.pagu)]
        if c is not None and c < len(row) and row[c] not in ("", None)
    ]
    if not name and not indicator and not carried:
        return
    if not name and indicator and last is not None:
        _more_indicator(reader, row, r, last, indicator, pagu_c)
        return
    if not name and indicator:
        message = _(
            "Baris %(row)s: indikator tambahan («%(indicator)s») tanpa item di atasnya; baris "
            "ini dilewati."
        ) % {"row": r + 1, "indicator": indicator}
        column = header.indicator
    elif name:
        message = _("Baris %(row)s: «%(name)s» tidak berkode; baris ini dilewati.") % {
            "row": r + 1,
            "name": name,
        }
        column = header.name
    else:
        message = _("Baris %(row)s: baris berisi nilai tetapi tanpa kode dan nama; dilewati.") % {
            "row": r + 1
        }
        column = carried[0]
    reader.plan.warn(message, reader.source(r, column), name or indicator or None)


def _more_indicator(reader: _Reader, row: list[Any], r: int, last: PlanItem, indicator: str,
                    pagu_c: int | None) -> None:  # fmt: skip
    """A continuation row: a further indicator of ``last`` with its own target (the item's
    code, name, sasaran and unit kerja). The same indicator again — an item repeated under
    another urusan brings its rows along — is read once; an amount on the row is the item's
    pagu, not the indicator's: warned and left out."""
    known = {" ".join(i.indicator.split()).casefold() for i in (last, *last.more)}
    if " ".join(indicator.split()).casefold() in known:
        return
    more = _item(reader, row, r, last.level, last.code, last.name, None)
    more.renstra_target_rp = more.renstra_realised_rp = None
    more.objective_code, more.responsible_unit = last.objective_code, last.responsible_unit
    if pagu_c is not None and pagu_c < len(row) and row[pagu_c] not in ("", None):
        reader.plan.warn(
            _(
                "Baris %(row)s: indikator tambahan «%(indicator)s» berisi pagu; pagu milik "
                "itemnya (baris %(item)s), nilai ini dilewati."
            )  # fmt: skip
            % {
                "row": r + 1,
                "indicator": indicator,
                "item": last.source.row if last.source else "-",
            },
            reader.source(r, pagu_c),
            row[pagu_c],
        )
    last.add_more(more)


def _item(
    reader: _Reader, row: list[Any], r: int, level: str, code: str, name: str, pagu_c: int | None
) -> PlanItem:
    header = reader.header
    width = len(row)
    # a target or amount text already read without a warning is taken from the reader's
    # table as is (most cells of a plan: the same few units and amounts); any other cell
    # goes through quantity / amount, which warn
    quantities, amounts = reader.quantities, reader.amounts
    # the indicator and the unit kerja repeat down the list, each text cleaned once
    # (reader.repeated_text's common case here, without the call)
    texts = reader.texts
    c = header.indicator
    value = row[c] if c is not None and c < width else ""
    indicator = texts.get(value) if type(value) is str else None
    if indicator is None:
        indicator = reader.repeated_text(row, r, c)
    # «Target tahun rencana» with «Sebelum»/«Sesudah»: the «Sesudah» (the plan in force);
    # where it is blank the item was not revised and «Sebelum» is read
    target_c = header.target
    if target_c is not None and header.target_before is not None:
        value = row[target_c] if target_c < width else ""
        if type(value) is str and len(value) > MAX_TEXT:
            value = reader.cell(row, r, target_c)  # warned and emptied
        if value == "" or value is None:
            target_c = header.target_before
    elif target_c is None:
        target_c = header.target_before
    value = row[target_c] if target_c is not None and target_c < width else ""
    known = quantities.get(value) if type(value) is str else None
    k, upper, unit, decimals = known or reader.quantity(row, r, target_c, _TARGET)
    unit_column = reader.text(row, r, header.unit) if header.unit is not None else ""
    if unit_column and unit and not _same_name(unit_column, unit):
        reader.plan.warn(
            _(
                "Baris %(row)s: satuan target «%(unit)s» berbeda dengan kolom satuan «%(column)s»; "
                "dipakai «%(unit)s»."
            )  # fmt: skip
            % {"row": r + 1, "unit": unit, "column": unit_column},
            reader.source(r, header.unit),
            unit_column,
        )
    unit = (unit or unit_column)[:MAX_UNIT]
    rk, runit = None, ""  # their units as long as the target's at most (PlanData.merged)
    c = header.renstra_k
    if c is not None:
        value = row[c] if c < width else ""
        known = quantities.get(value) if type(value) is str else None
        rk, _ru, runit, _rd = known or reader.quantity(row, r, c, _RENSTRA)
        runit = runit[:MAX_UNIT]
    renstra_rp = (
        reader.amount(row, r, header.renstra_rp, _RENSTRA_RP)
        if header.renstra_rp is not None
        else None
    )
    ak, aunit = None, ""
    c = header.realised_k
    if c is not None:
        value = row[c] if c < width else ""
        known = quantities.get(value) if type(value) is str else None
        ak, _au, aunit, _ad = known or reader.quantity(row, r, c, _REALISED)
        aunit = aunit[:MAX_UNIT]
    realised_rp = (
        reader.amount(row, r, header.realised_rp, _REALISED_RP)
        if header.realised_rp is not None
        else None
    )
    if unit and (runit and runit != unit or aunit and aunit != unit):  # most rows: the same
        for other_unit, column in ((runit, header.renstra_k), (aunit, header.realised_k)):
            if other_unit and not _same_name(other_unit, unit):
                reader.plan.warn(
                    _(
                        "Baris %(row)s: satuan «%(other)s» di sel %(cell)s berbeda dengan "
                        "satuan target tahun ini «%(unit)s»."
                    )  # fmt: skip
                    % {
                        "row": r + 1,
                        "other": other_unit,
                        "cell": f"{column_letter(column)}{r + 1}" if column is not None else "",
                        "unit": unit,
                    },
                    reader.source(r, column),
                    other_unit,
                )
    budget = None
    if pagu_c is not None:
        value = row[pagu_c] if pagu_c < width else ""
        budget = amounts.get(value, amounts) if type(value) is str else amounts
        if budget is amounts:
            budget = reader.amount(row, r, pagu_c, _PAGU)
    c = header.responsible
    value = row[c] if c is not None and c < width else ""
    responsible = texts.get(value) if type(value) is str else None
    if responsible is None:
        responsible = reader.repeated_text(row, r, c)
    responsible = responsible[:200]
    # positional (in _ITEM_ORDER, checked at import): keywords took 2,5× as long to build
    return PlanItem(
        level,  # type: ignore[arg-type]
        code,
        name,
        indicator,
        unit,
        decimals,
        k,
        upper,
        budget,  # type: ignore[arg-type]
        "higher",
        "sum",
        "",
        responsible,
        rk,
        runit,
        renstra_rp,
        ak,
        aunit,
        realised_rp,
        {},
        [] if level != "sub_kegiatan" else _NO_CHILDREN,  # most rows: a sub kegiatan
        new_source((reader.sheet.name, r + 1, reader.name_letter)),
    )


# PlanItem's fields in the order _item passes them, and the defaults it passes for three
_ITEM_ORDER = (
    "level", "code", "name", "indicator", "unit", "decimals", "target_k", "target_k_upper",
    "budget", "polarity", "aggregation", "objective_code", "responsible_unit",
    "renstra_target_k", "renstra_target_unit", "renstra_target_rp", "renstra_realised_k",
    "renstra_realised_unit", "renstra_realised_rp", "quarters", "children", "source",
)  # fmt: skip
_ITEM_DEFAULTS = {"polarity": "higher", "aggregation": "sum", "objective_code": ""}
if tuple(f.name for f in fields(PlanItem))[: len(_ITEM_ORDER)] != _ITEM_ORDER or any(
    PlanItem.__dataclass_fields__[name].default != value for name, value in _ITEM_DEFAULTS.items()
):
    raise ImportError("PlanItem's fields changed: update layout_c._item")


def _merge(reader: _Reader, kept: PlanItem, repeat: PlanItem, kept_row: int, r: int) -> None:
    """A repeated item (same code, name and level under the same parent) is one item: what
    the first row left empty is taken from the repeat; a value that differs is a warning and
    the first row's value stays."""
    for attribute, label in (
        ("budget", _("pagu")),
        ("target_k", _("target")),
        ("unit", _("satuan")),
        ("indicator", _("indikator")),
    ):
        old, new = getattr(kept, attribute), getattr(repeat, attribute)
        if new in (None, ""):
            continue
        if old in (None, ""):
            setattr(kept, attribute, new)
            if attribute == "target_k":  # the target as the repeat writes it
                kept.target_k_upper, kept.decimals = repeat.target_k_upper, repeat.decimals
        elif old != new:
            shown_old = format_number(old) if isinstance(old, Decimal) else old
            shown_new = format_number(new) if isinstance(new, Decimal) else new
            reader.plan.warn(
                _(
                    "Baris %(row)s mengulang %(level)s %(code)s dari baris %(other)s dengan "
                    "%(what)s berbeda (%(new)s, bukan %(old)s); dipakai nilai baris %(other)s."
                )  # fmt: skip
                % {
                    "row": r + 1,
                    "level": _LEVEL_NAMES[kept.level],
                    "code": kept.code,
                    "other": kept_row,
                    "what": label,
                    "new": shown_new,
                    "old": shown_old,
                },
                repeat.source,
                shown_new,
            )


def _check_sums(plan: PlanData) -> None:
    """«Parents whose pagu ≠ Σ children»: a warning, never an error (exports do not always
    add up); compared where the parent and every child have a pagu. The parents in form
    order, without walking every leaf."""
    stack = [item for item in reversed(plan.items) if item.children]
    while stack:
        item = stack.pop()
        stack.extend(child for child in reversed(item.children) if child.children)
        if item.budget is None:
            continue
        budgets = [child.budget for child in item.children]
        if any(b is None for b in budgets):
            continue
        total = sum(budgets, Decimal(0))  # type: ignore[arg-type]
        if total != item.budget:
            plan.warn(
                _(
                    "Baris %(row)s: pagu %(level)s %(code)s (%(budget)s) tidak sama dengan jumlah "
                    "pagu di bawahnya (%(total)s)."
                )  # fmt: skip
                % {
                    "row": item.source.row if item.source else "?",
                    "level": _LEVEL_NAMES[item.level],
                    "code": item.code,
                    "budget": format_number(item.budget),
                    "total": format_number(total),
                },
                item.source,
                format_number(item.budget),
            )
