"""Read a filled evaluation form from an XLSX workbook: every row with its level, its cells
(value as shown, formula text, error values, numbers stored as text), hidden rows, several
indicators in one row or on continuation rows, the footer's printed average.

The workbook is opened twice by openpyxl: once for the formulas (and merges, hidden rows,
fonts, indentation), once for the values the spreadsheet cached when it was last saved.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import IO, Any

from .cells import Kind, Read, read_cell
from .layout import VALUE_COLUMNS, Layout, LayoutError, find_layout

__all__ = ["FormSheet", "ReadError", "SheetRow", "read_form"]

MAX_BYTES = 20 * 1024 * 1024  # a form of 10.000 rows is ~2 MB
MAX_UNPACKED = 200 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_ROWS = 50_000
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
LEVELS = ("urusan", "bidang", "program", "kegiatan", "sub_kegiatan")
_CODE = re.compile(r"^\s*((?:\d+|[Xx]+)(?:\s*\.\s*(?:\d+|[Xx]+))*)\s*[.:\-–]?\s+(\S.*)$", re.S)
_CODE_ONLY = re.compile(r"^\s*(?:\d+|[Xx]+)(?:\s*\.\s*(?:\d+|[Xx]+))*\s*$")
_END = re.compile(
    r"^(rata-?\s*rata|predikat|faktor|tindak\s+lanjut|mengetahui|kepala\b|nip\b|"
    r"[a-z .]+,\s*\d{1,2}\s+[a-z]+\s+\d{4}|[a-z .]+,\s+[a-z]+\s+\d{4})",
    re.I,
)


class ReadError(ValueError):
    """The file cannot be read as a form; ``str()`` is one Indonesian sentence."""


@dataclass(frozen=True, slots=True)
class Cell:
    coord: str  # "T12"
    read: Read
    formula: str | None  # "=SUM(T13:T20)" where the cell holds one


@dataclass(slots=True)
class SheetRow:
    number: int  # the sheet's own row number
    level: str  # urusan | bidang | program | kegiatan | sub_kegiatan | total
    name: str
    code: str | None
    indicator: str | None
    unit: str | None  # the Satuan column (layout B)
    hidden: bool
    cells: dict[tuple[str, str], Cell]  # ("c13", "k") → the cell
    primary: SheetRow | None = None  # the item row of a second indicator
    indicator_index: int = 0  # 0 = the row's own (first) indicator
    name_coord: str = ""
    children: list[SheetRow] = field(default_factory=list)
    parent: SheetRow | None = None

    @property
    def id(self) -> str:
        return f"R{self.number}" + (f".{self.indicator_index + 1}" if self.indicator_index else "")

    def value(self, meaning: str, part: str) -> Decimal | None:
        cell = self.cells.get((meaning, part))
        return None if cell is None else cell.read.value


@dataclass(slots=True)
class FormSheet:
    sheet: str
    layout: Layout
    quarter: int | None  # from the title ("Triwulan I"), None when it does not say
    year: int | None
    rows: list[SheetRow]  # every row in sheet order, second indicators right after their item
    footer: list[Cell]  # printed averages: a "Rata-rata capaian" row, then cells right of it
    footer_labelled: bool
    rating: str | None  # the printed predikat, where a row says it
    formulas_without_values: int  # formula cells whose value was never cached (never calculated)


def _open(source: str | bytes | IO[bytes]) -> tuple[Any, Any]:
    import openpyxl

    if isinstance(source, str):
        try:
            with open(source, "rb") as fh:
                data = fh.read(MAX_BYTES + 1)
        except OSError as exc:
            raise ReadError(f"berkas tidak dapat dibaca: {exc.strerror}") from exc
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ReadError(f"berkas lebih dari {MAX_BYTES // 1024 // 1024} MB")
    if not data:
        raise ReadError("berkas kosong")
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReadError(
            "berkas Excel lama (.xls) atau berkas terenkripsi kata sandi; buka di Excel atau "
            "LibreOffice, lepas kata sandinya dan simpan sebagai .xlsx"
        )
    if data[:2] != b"PK":
        raise ReadError("bukan berkas .xlsx (isinya bukan arsip Office Open XML)")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ReadError("berkas .xlsx rusak (arsip zip tidak utuh)") from exc
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise ReadError("isi berkas .xlsx terlalu besar setelah dibuka")
    names = {e.filename for e in entries}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise ReadError("berkas ini dokumen Word, bukan buku kerja Excel .xlsx")
        raise ReadError("arsip ini bukan buku kerja Excel .xlsx (tidak ada xl/workbook.xml)")
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise ReadError(
            "berkas .xlsx rusak atau tidak lengkap; buka dan simpan ulang di Excel atau "
            f"LibreOffice ({type(exc).__name__})"
        ) from exc
    return formulas, values


def read_form(source: str | bytes | IO[bytes], *, sheet: str | None = None) -> FormSheet:
    """Read the form on ``sheet`` (by default the first sheet that has a form's numbering row)."""
    formulas, values = _open(source)
    try:
        names = formulas.sheetnames
        if sheet is not None and sheet not in names:
            raise ReadError(f"lembar «{sheet}» tidak ada (lembar yang ada: {', '.join(names)})")
        errors = []
        for name in [sheet] if sheet is not None else names:
            ws = formulas[name]
            if ws.max_row > MAX_ROWS:
                raise ReadError(
                    f"lembar «{name}» punya {ws.max_row} baris; paling banyak {MAX_ROWS}"
                )
            try:
                grid = _values(values[name], ws.max_row, ws.max_column)
            except Exception as exc:  # a damaged cell openpyxl cannot convert
                raise ReadError(
                    f"lembar «{name}» rusak; buka dan simpan ulang di Excel atau LibreOffice "
                    f"({type(exc).__name__})"
                ) from exc
            try:
                layout = find_layout(grid[:60], _merged_widths(ws))
            except LayoutError as exc:
                errors.append(f"lembar «{name}»: {exc}")
                continue
            return _read_sheet(name, ws, grid, layout)
        raise ReadError(
            "; ".join(errors)
            if sheet is not None
            else errors[0] + (f" (dan {len(errors) - 1} lembar lain)" if len(errors) > 1 else "")
        )
    finally:
        values.close()


def _values(ws: Any, max_row: int, max_column: int) -> list[list[Any]]:
    grid: list[list[Any]] = []
    for row in ws.iter_rows(max_row=max_row, max_col=max_column, values_only=True):
        grid.append(list(row) + [None] * (max_column - len(row)))
    while len(grid) < max_row:
        grid.append([None] * max_column)
    return grid


def _merged_widths(ws: Any) -> dict[tuple[int, int], int]:
    return {(m.min_row, m.min_col): m.max_col - m.min_col + 1 for m in ws.merged_cells.ranges}


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _title(grid: list[list[Any]], upto: int) -> tuple[int | None, int | None]:
    words = " ".join(_text(v) for row in grid[:upto] for v in row if isinstance(v, str))
    quarter = re.search(r"\b(?:triwulan|tw)\.?\s*(iv|iii|ii|i|[1-4])\b", words, re.I)
    year = re.search(r"\btahun\s+(20\d\d)\b", words, re.I)
    return (ROMAN[quarter[1].lower()] if quarter else None, int(year[1]) if year else None)


def _level(code: str | None, name: str) -> str | None:
    lowered = name.casefold()
    if lowered.startswith(("total", "jumlah")):
        return "total"
    if code:
        parts = len(code.split("."))
        return {1: "urusan", 2: "bidang", 3: "program", 4: "kegiatan", 5: "kegiatan"}.get(
            parts, "sub_kegiatan"
        )
    if lowered.startswith(("unsur", "urusan")):
        return "urusan"
    if lowered.startswith("bidang"):
        return "bidang"
    if lowered.startswith("program"):
        return "program"
    return None


def _read_sheet(name: str, ws: Any, grid: list[list[Any]], layout: Layout) -> FormSheet:
    from openpyxl.utils import get_column_letter

    quarter, year = _title(grid, layout.numbering_row)
    letters = {c: get_column_letter(c) for c in range(1, ws.max_column + 2)}
    col = layout.columns
    money_parts = {key: key[1] == "rp" for key in layout.values}
    rows: list[SheetRow] = []
    footer: list[Cell] = []
    labelled = False
    rating = None
    unknown: list[tuple[SheetRow, int, bool]] = []  # code-less rows: (row, indent, bold)
    formula_cells = ws._cells  # (row, col) → cell; openpyxl's own map, read without copying
    empty_formulas = 0
    ended = False

    def cell(r: int, c: int, *, money: bool = False) -> Cell:
        nonlocal empty_formulas
        source = formula_cells.get((r, c))
        raw = grid[r - 1][c - 1] if c <= len(grid[r - 1]) else None
        formula = None
        if source is not None and source.data_type == "f":
            formula = str(source.value)
            if raw is None:
                empty_formulas += 1
        fmt = source.number_format if source is not None else None
        return Cell(f"{letters[c]}{r}", read_cell(raw, fmt, money=money), formula)

    for r in range(layout.first_data_row, len(grid) + 1):
        values = grid[r - 1]
        texts = [_text(values[c - 1]) for c in range(1, min(layout.last_column, len(values)) + 1)]
        first_text = next((t for t in texts if t and not _CODE_ONLY.match(t)), "")
        if ended or _END.match(first_text):
            ended = True
            if re.match(r"rata-?\s*rata", first_text, re.I):
                labelled = True
                footer = [
                    cell(r, c) for c in range(1, len(values) + 1)
                    if read_cell(values[c - 1]).kind in (Kind.NUMBER, Kind.TEXT_NUMBER)
                ]  # fmt: skip
            elif first_text.casefold().startswith("predikat"):
                rating = next(
                    (t for t in texts[1:] if t and not t.casefold().startswith("predikat")), None
                )
            continue
        if not any(texts):
            continue
        raw_name = _text(values[col["name"] - 1]) if "name" in col else ""
        code = _text(values[col["code"] - 1]) if "code" in col else ""
        if not code and raw_name:
            found = _CODE.match(raw_name)
            if found:
                code, raw_name = found[1], found[2]
        code = re.sub(r"\s+", "", code) or None
        if code and not _CODE_ONLY.match(code):
            code = None
        raw_indicator = values[col["indicator"] - 1] if "indicator" in col else None
        lines = [x.strip() for x in str(raw_indicator or "").splitlines() if x.strip()]
        indicator = _text(raw_indicator)
        unit = _text(values[col["unit"] - 1]) if "unit" in col else ""
        no = _text(values[col["no"] - 1]) if "no" in col else ""
        cells = {key: cell(r, c, money=money_parts[key]) for key, c in layout.values.items()}
        split = _split(lines, cells, values, layout) if len(lines) > 1 else None
        if split:
            indicator = lines[0]
            cells = split[0]
        has_values = any(c.read.kind is not Kind.EMPTY for c in cells.values())
        dims = ws.row_dimensions.get(r) if hasattr(ws.row_dimensions, "get") else None
        hidden = bool(dims is not None and dims.hidden)
        label = raw_name or (no if no.casefold().startswith(("total", "jumlah")) else "")
        level = _level(code, label)
        if not label and not code:
            if rows and (indicator or has_values):  # a second indicator on its own row
                item = rows[-1].primary or rows[-1]
                index = len([x for x in rows if (x.primary or x) is item])
                rows.append(_second(item, r, indicator, unit or None, hidden, cells, index))
            continue
        row = SheetRow(r, level or "?", label or code or "", code, indicator or None,
                       unit or None, hidden, cells,
                       name_coord=f"{letters[col.get('name', 1)]}{r}")  # fmt: skip
        rows.append(row)
        if level is None:
            source = formula_cells.get((r, col.get("name", 1)))
            font, align = (source.font, source.alignment) if source is not None else (None, None)
            unknown.append((row, int(align.indent or 0) if align else 0, bool(font and font.b)))
        for i, extra in enumerate(split[1:] if split else [], start=1):
            rows.append(_second(row, r, lines[i], unit or None, hidden, extra, i))
    for r in range(layout.first_data_row, len(grid) + 1):  # unlabelled cells right of the table
        for c in range(layout.last_column + 1, len(grid[r - 1]) + 1):
            if read_cell(grid[r - 1][c - 1]).kind in (Kind.NUMBER, Kind.TEXT_NUMBER):
                footer.append(cell(r, c))
    _classify(unknown)
    _link(rows)
    return FormSheet(name, layout, quarter, year, rows, footer, labelled, rating, empty_formulas)


def _second(item: SheetRow, r: int, indicator: str, unit: str | None, hidden: bool,
            cells: dict[tuple[str, str], Cell], index: int) -> SheetRow:  # fmt: skip
    return SheetRow(r, item.level, item.name, item.code, indicator or None, unit, hidden, cells,
                    primary=item, indicator_index=index, name_coord=item.name_coord)  # fmt: skip


def _split(
    lines: list[str], cells: dict[tuple[str, str], Cell], values: list[Any], layout: Layout
) -> list[dict[tuple[str, str], Cell]] | None:
    """Several indicators typed in one row, one per line of the indicator cell and of the K
    cells ("Persentase …⏎Jumlah …", "100⏎12"): one set of cells per indicator; the Rp stays
    with the first (it belongs to the item). None when the K cells do not split alike."""
    count = len(lines)
    out: list[dict[tuple[str, str], Cell]] = [dict(cells)] + [{} for _ in lines[1:]]
    split_any = False
    for key, c in layout.values.items():
        if key[1] == "rp":
            continue
        raw = values[c - 1]
        if not isinstance(raw, str) or "\n" not in raw:
            continue
        parts = [x.strip() for x in raw.splitlines() if x.strip()]
        if len(parts) != count:
            return None
        split_any = True
        for i, part in enumerate(parts):
            base = cells[key]
            read = read_cell(part)
            if read.kind is Kind.TEXT_NUMBER:  # one line of several: text by necessity
                read = replace(read, kind=Kind.NUMBER)
            out[i][key] = Cell(base.coord, read, base.formula)
    return out if split_any else None


def _classify(unknown: list[tuple[SheetRow, int, bool]]) -> None:
    """Rows without code or keyword: a deeper indentation, or else no bold, is a sub kegiatan."""
    if not unknown:
        return
    indents = sorted({i for _, i, _ in unknown})
    bolds = {b for _, _, b in unknown}
    for row, indent, bold in unknown:
        if len(indents) > 1:
            row.level = "kegiatan" if indent == indents[0] else "sub_kegiatan"
        elif len(bolds) > 1:
            row.level = "kegiatan" if bold else "sub_kegiatan"
        else:
            row.level = "kegiatan"


def _link(rows: list[SheetRow]) -> None:
    """Each row's parent: the nearest row above of a higher level; a total row takes every
    top-level row above it."""
    stack: list[SheetRow] = []
    rank = {level: i for i, level in enumerate(LEVELS)}
    for row in rows:
        if row.primary is not None:
            continue
        if row.level == "total":
            tops = [r for r in rows if r.primary is None and r.parent is None
                    and r.level != "total" and r.number < row.number]  # fmt: skip
            top_rank = min((rank[r.level] for r in tops), default=None)
            row.children = [r for r in tops if rank[r.level] == top_rank]
            continue
        while stack and rank[stack[-1].level] >= rank[row.level]:
            stack.pop()
        if stack:
            row.parent = stack[-1]
            stack[-1].children.append(row)
        stack.append(row)


_ = VALUE_COLUMNS  # the layout's value meanings, re-exported for the audit
