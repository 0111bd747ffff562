"""Open a plan file safely and read it with the reader of its layout: Kinerja's own template
(``template.read_template``) or the Renja list as agencies export it from their planning
system (``layout_c.read_layout_c``). docs/plan-import-layout-c.md.

Safety comes before any parsing: the size of the upload, that it is an XLSX (a zip holding
``xl/workbook.xml``), the number of zip entries and their unpacked size (a zip bomb), and, by
streaming every worksheet's XML once, how far its cells reach (python-calamine builds a dense
grid up to the last cell holding a value, so one value at XFD1048576 would ask for
gigabytes) and which cells hold a formula (a warning each: the cached value is read). Only
then does python-calamine read the cell values — the fastest reader measured
(bench/bench_plan_import.py).

Refused (:class:`PlanReadError`, exit 2): an unreadable file, and a file in which no sheet
has a code column and a name column. Everything else is a warning in ``PlanData.issues``.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from kinerja.audit.reader import MAX_BYTES, MAX_ENTRIES, MAX_ROWS, MAX_UNPACKED

from .layout_c import Header, Sheet, column_letter, find_header, read_layout_c
from .model import PlanData, Source, gc_paused

__all__ = ["MAX_COLUMNS", "PlanReadError", "read_plan"]

MAX_COLUMNS = 100  # a Renja list has 20-40 columns; 50.000 × 100 cells stay under ~200 MB
_MAX_PART_XML = 5 * 1024 * 1024  # workbook.xml and its relationships are a few kB
_MAX_FORMULA_WARNINGS = 50
_CHUNK = 1024 * 1024
_OVERLAP = 4096
_GUARD = 16  # a formula tag cut at a chunk's end is counted with the next chunk
_XLS = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a formula element (<f>…</f>, <f t="shared" si="0"/>), with or without a namespace prefix;
# two patterns with a literal start each: one pattern with an optional prefix is ~8× slower
_FORMULA = re.compile(rb"<f[\s>/]")
_FORMULA_NS = re.compile(rb"<\w+:f[\s>/]")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
# a reference in a column of two or more letters (AA…) or in a row past 50.000: rare, so a
# normal sheet's scan finds nothing (one pattern starting with the literal r=")
# a cell element (``<c …>``, ``<x:c …>``) that carries no ``r="…"``: calamine places it by
# counting, so the reach check cannot see where it lands (one long row of them, or many
# rows, would make it build a huge grid). Excel, LibreOffice, openpyxl and xlsxwriter always
# write ``r``; a file without it is refused with a way out.
_CELL_NO_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c(?=[\s/>])(?![^>]*\sr=)[^>]*>")
_FAR = re.compile(rb'r="(?=[A-Z]{2}|[A-Z]{1,3}(?:[5-9]\d{4}|\d{6,})")([A-Z]{1,3})(\d+)"')
# the usual cell tag: ``<c r="…"`` first, its column within A…CV (MAX_COLUMNS) and its row
# below 50.000 (MAX_ROWS). A buffer in which every ``<c`` tag is one (one search at C speed,
# ~4× faster than the two checks) cannot hold what _check_reach or _check_addressed refuse;
# any other ``<c`` tag (another attribute first, a far reference) sends the buffer to both
# checks. A tag cut by the chunk's end is searched whole with the next chunk (the overlap)
_ODD_CELL = re.compile(rb'<c(?! r="(?:[A-Z]|[AB][A-Z]|C[A-V])(?:[1-9]\d{0,3}|[1-4]\d{4})")[\s/>]')
# a namespace prefix on a cell or a formula (``<x:c``, ``<x:f``): both checks; on a formula
# also the prefixed formula pattern
_NS_HINT = re.compile(rb":[cf][\s>/]")
_NS_FORMULA_HINT = re.compile(rb":f[\s>/]")


class PlanReadError(ValueError):
    """The file cannot be read as a plan; ``str()`` is one Indonesian sentence."""


@dataclass(slots=True)
class _Part:
    name: str  # the sheet's name
    path: str  # its XML part in the archive ("xl/worksheets/sheet1.xml")
    hidden: bool
    formulas: list[tuple[str, int]] = field(default_factory=list)  # (column, row), first 50
    formula_count: int = 0


def read_plan(data: bytes, *, file_name: str, pagu_column: str | None = None) -> PlanData:
    """Read an uploaded plan file. ``file_name`` only names the file in messages;
    ``pagu_column`` picks the pagu column of a layout-C file by its header text (default:
    the APBD/murni column). Raises :class:`PlanReadError` when the file is refused."""
    # the cyclic collector paused while the sheet's rows (a list per row) and the plan are
    # built: they hold no cycles, and its passes over them while they live cost as much as
    # reading them (model.gc_paused)
    with gc_paused():
        return _read_plan(data, file_name=file_name, pagu_column=pagu_column)


def _read_plan(data: bytes, *, file_name: str, pagu_column: str | None) -> PlanData:
    archive = _open_archive(data)
    parts = [part for part in _sheet_parts(archive) if part.path.startswith("xl/worksheets/")]
    if not parts:
        raise PlanReadError(_("Buku kerja ini tidak berisi satu lembar kerja pun."))
    for part in parts:
        _scan(archive, part)
    workbook = _calamine(data)
    try:
        sheets = [_load(workbook, part) for part in parts]
    finally:
        workbook.close()
    from . import template

    values = {sheet.name: sheet.rows for sheet in sheets}
    if template.is_template(values):
        plan = template.read_template(values, file_name=file_name)
        refusal = next((i for i in plan.issues if i.severity == "error"), None)
        if refusal is not None:
            raise PlanReadError(refusal.message)
        part = next(p for p in parts if p.name.casefold() == template.RENJA_SHEET.casefold())
        sheet = next(s for s in sheets if s.name == part.name)
        _warn_formulas(plan, part, sheet)
        return plan
    return _read_layout_c(parts, sheets, pagu_column=pagu_column)


# --- the archive ------------------------------------------------------------------------


def _open_archive(data: bytes) -> zipfile.ZipFile:
    if len(data) > MAX_BYTES:
        raise PlanReadError(
            _("Berkas lebih dari %(mb)s MB; rencana setahun biasanya kurang dari 2 MB.")
            % {"mb": MAX_BYTES // 1024 // 1024}
        )
    if not data:
        raise PlanReadError(_("Berkas kosong."))
    if data[:8] == _XLS:
        raise PlanReadError(
            _(
                "Berkas ini Excel lama (.xls) atau terenkripsi kata sandi; buka di Excel atau "
                "LibreOffice, lepas kata sandinya dan simpan sebagai .xlsx."
            )
        )
    if data[:2] != b"PK":
        raise PlanReadError(_("Berkas ini bukan .xlsx (isinya bukan arsip Office Open XML)."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as exc:
        raise PlanReadError(_("Berkas .xlsx rusak: arsip zip-nya tidak utuh.")) from exc
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise PlanReadError(
            _("Isi berkas .xlsx terlalu besar setelah dibuka (paling banyak %(mb)s MB).")
            % {"mb": MAX_UNPACKED // 1024 // 1024}
        )
    names = {e.filename for e in entries}
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise PlanReadError(_("Berkas ini dokumen Word, bukan buku kerja Excel .xlsx."))
        raise PlanReadError(
            _("Arsip ini bukan buku kerja Excel .xlsx (tidak ada xl/workbook.xml).")
        )
    return archive


def _small_xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _MAX_PART_XML:
        raise PlanReadError(_("Berkas .xlsx rusak: %(part)s terlalu besar.") % {"part": name})
    try:
        with archive.open(info) as fh:
            raw = fh.read(_MAX_PART_XML + 1)
        return ElementTree.fromstring(raw)
    except (zipfile.BadZipFile, ElementTree.ParseError, ValueError, EOFError, OSError) as exc:
        raise PlanReadError(
            _("Berkas .xlsx rusak: %(part)s tidak terbaca.") % {"part": name}
        ) from exc


def _sheet_parts(archive: zipfile.ZipFile) -> list[_Part]:
    """The worksheets in workbook order with their XML part and whether they are hidden."""
    book = _small_xml(archive, "xl/workbook.xml")
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    targets: dict[str, str] = {}
    if rels is not None:
        for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id", "")] = target
    parts = []
    assert book is not None  # checked in _open_archive
    for sheet in book.iter(f"{_NS_MAIN}sheet"):
        path = targets.get(sheet.get(f"{_NS_REL}id", ""), "")
        state = sheet.get("state", "visible")
        parts.append(_Part(sheet.get("name", ""), path, state != "visible"))
    if not parts:
        raise PlanReadError(_("Buku kerja ini tidak berisi satu lembar pun."))
    return parts


def _scan(archive: zipfile.ZipFile, part: _Part) -> None:
    """Stream the sheet's XML once: refuse cells beyond the row and column limits, note the
    cells that hold a formula. Reading stops at the declared size; a part that unpacks to
    more (a forged header) fails its CRC and is refused as a damaged archive."""
    try:
        info = archive.getinfo(part.path)
    except KeyError:
        return  # a chart sheet or a dangling relationship: calamine reports it if read
    buf = b""
    done = 0  # matches before this offset of buf were counted
    unpacked = 0
    try:
        with archive.open(info) as fh:
            while True:
                chunk = fh.read(_CHUNK)
                unpacked += len(chunk)
                if unpacked > MAX_UNPACKED:
                    raise PlanReadError(
                        _("Lembar «%(sheet)s» terlalu besar setelah dibuka.") % {"sheet": part.name}
                    )
                buf += chunk
                limit = len(buf) if not chunk else len(buf) - _GUARD
                prefixed = _NS_HINT.search(buf) is not None
                if prefixed or _ODD_CELL.search(buf, 0, buf.rfind(b">") + 1) is not None:
                    _check_reach(part, buf)
                    _check_addressed(part, buf)
                pattern = (
                    _FORMULA_NS
                    if prefixed and _NS_FORMULA_HINT.search(buf, done) is not None
                    else _FORMULA
                )
                for match in pattern.finditer(buf, done):
                    if match.start() >= limit:
                        break
                    part.formula_count += 1
                    if len(part.formulas) < _MAX_FORMULA_WARNINGS:
                        cell = _cell_before(buf, match.start())
                        if cell is not None:
                            part.formulas.append(cell)
                if not chunk:
                    break
                cut = max(0, len(buf) - _OVERLAP)
                buf = buf[cut:]
                done = max(0, limit - cut)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise PlanReadError(
            _("Berkas .xlsx rusak: lembar «%(sheet)s» tidak utuh.") % {"sheet": part.name}
        ) from exc


def _check_addressed(part: _Part, buf: bytes) -> None:
    """Refuse a cell without its reference. Counting with bytes.count first keeps the common
    case (every ``<c`` followed by `` r="``) at C speed; only a buffer where the counts
    differ (attributes in another order, a namespace prefix, a cell without ``r``) is
    searched with the pattern."""
    end = buf.rfind(b">") + 1  # a tag cut by the chunk's end is read whole with the next one
    opened = buf.count(b"<c ", 0, end) + buf.count(b"<c>", 0, end) + buf.count(b"<c/", 0, end)
    if (
        opened == buf.count(b'<c r="', 0, end)
        and buf.find(b":c ", 0, end) < 0
        and buf.find(b":c>", 0, end) < 0
    ):
        return
    if _CELL_NO_REF.search(buf, 0, end):
        raise PlanReadError(
            _(
                "Lembar «%(sheet)s» berisi sel tanpa alamat (atribut r); buka lalu simpan ulang "
                "berkas dengan Excel atau LibreOffice."
            )
            % {"sheet": part.name}
        )


def _check_reach(part: _Part, buf: bytes) -> None:
    """Refuse a cell holding a value beyond the row or column limit. A match is a cell's
    reference (``<c r="…"``, not the ``<row r="…"`` of a row), and a cell holding nothing
    (``<c r="XFD1" s="1"/>``, formatting only) does not count: calamine leaves it out too.
    The reference may follow other attributes (``<c s="1" r="XFD1">``)."""
    for match in _FAR.finditer(buf):
        if not buf[match.start() - 1 : match.start()].isspace():
            continue  # the end of another attribute's name (``…r="``), not ``r``
        before = buf.rfind(b"<", 0, match.start())
        tag = buf[before + 1 : match.start()].split(maxsplit=1)
        if not tag or not (tag[0] == b"c" or tag[0].endswith(b":c")):
            continue
        end = buf.find(b">", match.end())
        if end < 0 or buf[end - 1 : end] == b"/":
            continue
        if _column_number(match[1].decode()) > MAX_COLUMNS:
            raise PlanReadError(
                _(
                    "Lembar «%(sheet)s» berisi nilai di kolom %(column)s; paling jauh kolom "
                    "%(limit)s."
                )
                % {
                    "sheet": part.name,
                    "column": match[1].decode(),
                    "limit": column_letter(MAX_COLUMNS - 1),
                }
            )
        if int(match[2]) > MAX_ROWS:
            raise PlanReadError(
                _(
                    "Lembar «%(sheet)s» berisi nilai di baris %(row)s; paling banyak %(limit)s "
                    "baris."
                )
                % {"sheet": part.name, "row": int(match[2]), "limit": MAX_ROWS}
            )


def _cell_before(buf: bytes, pos: int) -> tuple[str, int] | None:
    """The reference of the cell whose formula starts at ``pos``."""
    start = max(buf.rfind(b"<c ", 0, pos), buf.rfind(b":c ", 0, pos))
    if start < 0:
        return None
    match = _REF.search(buf, start, pos)
    return (match[1].decode(), int(match[2])) if match else None


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


# --- the cells --------------------------------------------------------------------------


def _calamine(data: bytes) -> Any:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own kinds for zip and XML damage
        raise PlanReadError(
            _(
                "Berkas .xlsx rusak atau tidak lengkap; buka dan simpan ulang di Excel atau "
                "LibreOffice (%(what)s)."
            )
            % {"what": type(exc).__name__}
        ) from exc


def _load(workbook: Any, part: _Part) -> Sheet:
    try:
        sheet = workbook.get_sheet_by_name(part.name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except Exception as exc:  # a damaged sheet
        raise PlanReadError(
            _(
                "Lembar «%(sheet)s» rusak; buka dan simpan ulang di Excel atau LibreOffice "
                "(%(what)s)."
            )
            % {"sheet": part.name, "what": type(exc).__name__}
        ) from exc
    return Sheet(part.name, rows, merged, hidden=part.hidden)


def _read_layout_c(parts: list[_Part], sheets: list[Sheet], *, pagu_column: str | None) -> PlanData:
    found: list[tuple[_Part, Sheet, Header]] = []
    problems: list[str] = []
    for part, sheet in sorted(zip(parts, sheets, strict=True), key=lambda ps: ps[0].hidden):
        header = find_header(sheet)  # visible sheets first
        if header is None:
            continue
        if header.problem:
            problems.append(header.problem)
            continue
        found.append((part, sheet, header))
    if not found:
        if problems:
            raise PlanReadError(problems[0])
        raise PlanReadError(
            _(
                "Tidak ada lembar berisi daftar rencana: tidak ditemukan judul kolom «Kode» dan "
                "kolom nama «Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan» di lembar "
                "mana pun (lembar yang ada: %(sheets)s)."
            )
            % {"sheets": ", ".join(f"«{p.name}»" for p in parts)}
        )
    part, sheet, header = found[0]
    plan = read_layout_c(sheet, header=header, pagu_column=pagu_column, error=PlanReadError)
    if part.hidden:
        plan.warn(
            _(
                "Lembar «%(sheet)s» tersembunyi; rencananya tetap dibaca karena hanya lembar ini "
                "yang berisi daftar rencana."
            )  # fmt: skip
            % {"sheet": part.name},
            Source(part.name),
        )
    for other, _sheet, _header in found[1:]:
        plan.warn(
            _(
                "Lembar «%(other)s» juga berisi daftar rencana tetapi tidak dibaca; yang dibaca "
                "hanya lembar «%(sheet)s»."
            )  # fmt: skip
            % {"other": other.name, "sheet": part.name},
            Source(other.name),
        )
    _warn_formulas(plan, part, sheet)
    return plan


def _warn_formulas(plan: PlanData, part: _Part, sheet: Sheet) -> None:
    for column, row in part.formulas:
        c = _column_number(column) - 1
        cached = (
            sheet.rows[row - 1][c]
            if row - 1 < len(sheet.rows) and c < len(sheet.rows[row - 1])
            else ""
        )
        if cached == "":
            message = _(
                "Sel %(cell)s berisi rumus tanpa nilai tersimpan; sel dianggap kosong. Tulis "
                "nilainya sebagai angka atau teks."
            )
        else:
            message = _(
                "Sel %(cell)s berisi rumus; yang dibaca nilai terakhir yang tersimpan. Tulis "
                "nilainya sebagai angka atau teks."
            )
        plan.warn(message % {"cell": f"{column}{row}"}, Source(part.name, row, column), cached)
    more = part.formula_count - len(part.formulas)
    if more > 0:
        plan.warn(
            _(
                "Ada %(count)s sel rumus lain di lembar «%(sheet)s»; nilai tersimpannya yang "
                "dibaca."
            )  # fmt: skip
            % {"count": more, "sheet": part.name},
            Source(part.name),
        )
