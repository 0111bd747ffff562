"""A quarter offline: the entry grid as an Excel workbook to fill without a connection, read
back into a cell-by-cell preview and applied through the grid's own save (docs/offline-workbook.md).

The workbook (``write_workbook``) has one visible sheet with the Renja rows of the year in the
form's order — code, name, indicator, unit, target and pagu in locked cells, only this quarter's
K, Rp and note unlocked (numeric validation with an Indonesian message) — under sheet
protection without a password (it guards against slips; the signature guards the rest). Each
row's item id stands in a hidden column; a hidden sheet ``kunci`` carries a stamp signed with
``django.core.signing``: agency, year, quarter, the item ids in order, a short hash of every
locked cell and the values each row was drawn with (the grid's ``was-`` fields). So a changed
key, another agency's or quarter's workbook, a locked cell edited, a row added, removed or
moved are refused with their reason, and a cell someone changed in Kinerja since the download
is a conflict exactly as in the grid (``planning.concurrency``).

``read_upload`` reads an uploaded workbook into a ``Preview`` (nothing is written); the preview
carries the changed cells signed (``sign_changes``), so the confirm step needs no server-side
state: ``apply_changes`` hands them to ``entry.save_quarter_entries`` — all or nothing, history
reason «impor Excel <berkas>».
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.reader import MAX_BYTES, MAX_ENTRIES, MAX_UNPACKED
from kinerja.core.numbers import (
    QUARTER_ROMAN,
    InvalidNumber,
    check_value,
    format_number,
    parse_number,
)
from kinerja.limits import NOTE_MAX, REASON_MAX, check_text
from kinerja.planning.concurrency import last_change, show, show_when
from kinerja.planning.models import Agency, WorkItem

from .entry import Change, Typed, save_quarter_entries
from .evidence_files import display_name
from .models import Realisation
from .queries import evaluation_forms

__all__ = [
    "KEYS_SHEET",
    "CellChange",
    "OfflineRefused",
    "Preview",
    "apply_changes",
    "file_name",
    "read_upload",
    "sign_changes",
    "write_workbook",
]

VERSION = 1
SALT = "kinerja.monitoring.offline.workbook"
APPLY_SALT = "kinerja.monitoring.offline.apply"
APPLY_MAX_AGE = 2 * 60 * 60  # a preview may be confirmed for two hours
KEYS_SHEET = "kunci"
CHUNK = 30_000  # a cell holds at most 32.767 characters
FIRST_ROW = 6  # 1-based: title, agency, instructions, blank, header, then the rows
LOCKED = ("code", "name", "indicator", "unit", "target", "pagu")
EDITABLE = ("k", "rp", "note")
COLUMNS = LOCKED + EDITABLE  # A … I
KEY_COLUMN = len(COLUMNS) + 1  # J, hidden
LETTER = {name: chr(ord("A") + i) for i, name in enumerate(COLUMNS)}
MAX_NUMBER_TEXT = 60  # a typed number is never longer; a longer text is not read as one
SHOWN_MAX = 80  # characters of a refused value shown back


class OfflineRefused(Exception):
    """The whole workbook is refused; ``reasons`` are Indonesian sentences."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def column_labels(quarter: int) -> dict[str, str]:
    roman = QUARTER_ROMAN[quarter - 1]
    return {
        "code": _("Kode"),
        "name": _("Program / Kegiatan / Sub Kegiatan"),
        "indicator": _("Indikator"),
        "unit": _("Satuan"),
        "target": _("Target K tahun"),
        "pagu": _("Pagu (Rp)"),
        "k": _("Realisasi K TW %(q)s") % {"q": roman},
        "rp": _("Realisasi Rp TW %(q)s") % {"q": roman},
        "note": _("Catatan TW %(q)s") % {"q": roman},
    }


def file_name(agency: Agency, *, year: int, quarter: int) -> str:
    return f"realisasi-{agency.slug}-{year}-tw{quarter}.xlsx"


# ---- what the workbook holds ----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    item_id: int
    level: str
    allows_negative: bool
    locked: dict[str, Any]  # code, name, indicator, unit: text; target, pagu: Decimal or text
    drawn: tuple[str, str, str]  # K, Rp, note as the grid draws them
    more: bool = False  # a further indicator: K only, its Rp cell locked (the item's row has it)


def quarter_rows(agency: Agency, *, year: int, quarter: int) -> list[Row]:
    """The grid's rows in the form's order with the values the grid draws them with."""
    pk_of: dict[str, int] = {}
    form = evaluation_forms([agency.pk], year=year, quarter=quarter, ids=pk_of).get(agency.pk)
    if form is None:
        return []
    ids = list(pk_of.values())
    notes = dict(
        Realisation.objects.filter(work_item_id__in=ids, quarter=quarter).values_list(
            "work_item_id", "note"
        )
    )
    negative = dict(WorkItem.objects.filter(pk__in=ids).values_list("pk", "allows_negative"))
    rows = []
    for fr in form.rows:
        pk = pk_of[fr.id]
        pair, target = fr.quarters[quarter - 1], fr.year_target
        target_k: Any = target.k
        if target.k_upper is not None:
            target_k = f"{format_number(target.k)}–{format_number(target.k_upper)}"
        locked = {"code": fr.code or "", "name": fr.name, "indicator": fr.indicator or "",
                  "unit": fr.unit or "", "target": target_k, "pagu": target.rp}  # fmt: skip
        drawn = (format_number(pair.k, missing=""), format_number(pair.rp, missing=""),
                 notes.get(pk, ""))  # fmt: skip
        rows.append(Row(pk, fr.level.value, negative.get(pk, False), locked, drawn,
                        more=fr.continues is not None))  # fmt: skip
    return rows


def _canon(value: Any) -> str:
    """A cell's value as compared between the download and the upload: numbers by value
    (whatever the spreadsheet stored), texts with their spaces normalised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        value = float(value)  # as written into the workbook
    if isinstance(value, int | float):
        try:
            number = Decimal(repr(value))
        except InvalidOperation:
            return repr(value)
        return format_number(number) if number.is_finite() else repr(value)
    return " ".join(str(value).split())


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:10]


# ---- writing --------------------------------------------------------------------------------


def write_workbook(
    agency: Agency, *, year: int, quarter: int, user: Any = None, now: datetime | None = None
) -> bytes:
    """The quarter's workbook (xlsxwriter), pre-filled with what the grid shows."""
    import xlsxwriter

    rows = quarter_rows(agency, year=year, quarter=quarter)
    roman = QUARTER_ROMAN[quarter - 1]
    now = now or timezone.now()
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.set_properties({"title": _("Realisasi TW %(q)s %(y)s") % {"q": roman, "y": year},
                       "author": "Kinerja", "company": str(agency.government)})  # fmt: skip
    sheet_title = (_("Realisasi TW %(q)s %(y)s") % {"q": roman, "y": year})[:31]
    ws = wb.add_worksheet(sheet_title)
    idn = "[$-421]"  # Indonesian: LibreOffice shows 1.905.955.200 and 89,95 whatever its locale
    base = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
    fmt = {
        "title": wb.add_format({**base, "bold": True, "font_size": 13, "text_wrap": False}),
        "sub": wb.add_format({**base, "text_wrap": False}),
        "help": wb.add_format({**base, "italic": True, "font_color": "#444444"}),
        "head": wb.add_format(
            {
                **base,
                "bold": True,
                "bg_color": "#D9E1F2",
                "border": 1,
                "align": "center",
                "valign": "vcenter",
            }
        ),  # fmt: skip
    }
    for level, bold, indent in (("program", True, 0), ("kegiatan", True, 1),
                                ("sub_kegiatan", False, 2)):  # fmt: skip
        style = {**base, "border": 1, "bold": bold, "bg_color": "#F2F2F2"}
        fmt[f"text-{level}"] = wb.add_format({**style, "indent": indent, "align": "left"})
        fmt[f"plain-{level}"] = wb.add_format(style)
        fmt[f"num-{level}"] = wb.add_format({**style, "num_format": idn + "#,##0.######",
                                             "align": "right"})  # fmt: skip
        fmt[f"int-{level}"] = wb.add_format({**style, "num_format": idn + "#,##0",
                                             "align": "right"})  # fmt: skip
    edit = {**base, "border": 1, "bg_color": "#FFF2CC", "locked": False}
    fmt["edit-num"] = wb.add_format({**edit, "num_format": idn + "#,##0", "align": "right"})
    fmt["edit-note"] = wb.add_format(edit)
    fmt["key"] = wb.add_format({"locked": True, "font_color": "#808080"})
    fraction_k = wb.add_format({"num_format": idn + "#,##0.######"})
    fraction_rp = wb.add_format({"num_format": idn + "#,##0.00"})

    labels = column_labels(quarter)
    by = user.get_full_name() or user.get_username() if user is not None else "Kinerja"
    head_texts = {
        "A1": _("Realisasi Triwulan %(q)s Tahun %(y)s") % {"q": roman, "y": year},
        "A2": _("%(agency)s — diunduh %(when)s oleh %(who)s")
        % {"agency": agency.name, "when": show_when(now), "who": by},
        "A3": _(
            "Isi hanya sel berwarna kuning: K, Rp dan catatan Triwulan %(q)s; sel lain terkunci. "
            "Ketik angka biasa (Excel menampilkannya 1.905.955.200 atau 89,95), kosongkan bila "
            "belum ada; jangan memakai rumus, jangan menambah, menghapus atau memindah baris. "
            "Unggah kembali di Kinerja: Isian realisasi triwulan › Isi luring (Excel). Kinerja "
            "menampilkan setiap perubahan untuk diperiksa sebelum disimpan."
        )
        % {"q": roman},
    }
    ws.merge_range("A1:I1", head_texts["A1"], fmt["title"])
    ws.merge_range("A2:I2", head_texts["A2"], fmt["sub"])
    ws.merge_range("A3:I3", head_texts["A3"], fmt["help"])
    ws.set_row(2, 42)
    merges = ["A1:I1", "A2:I2", "A3:I3"]
    header_row = FIRST_ROW - 1  # 1-based
    for i, name in enumerate(COLUMNS):
        ws.write(header_row - 1, i, labels[name], fmt["head"])
        head_texts[f"{LETTER[name]}{header_row}"] = labels[name]
    ws.set_row(header_row - 1, 30)
    for letter, width in zip("ABCDEFGHI", (13, 42, 36, 12, 12, 16, 13, 16, 30), strict=True):
        ws.set_column(f"{letter}:{letter}", width)
    ws.set_column(KEY_COLUMN - 1, KEY_COLUMN - 1, 8, fmt["key"], {"hidden": True})
    ws.write(header_row - 1, KEY_COLUMN - 1, "kunci", fmt["key"])
    head_texts[f"J{header_row}"] = "kunci"

    stamped = []
    last = FIRST_ROW + len(rows) - 1
    for n, row in enumerate(rows):
        r = FIRST_ROW - 1 + n  # 0-based for xlsxwriter
        level = row.level if f"text-{row.level}" in fmt else "sub_kegiatan"
        for i, name in enumerate(LOCKED):
            value = row.locked[name]
            if isinstance(value, Decimal):
                ws.write_number(r, i, float(value),
                                fmt[("int-" if value == int(value) else "num-") + level])  # fmt: skip
            elif value is None:
                ws.write_blank(r, i, None, fmt[f"plain-{level}"])
            else:
                style = "text-" if name == "name" else "plain-"
                ws.write_string(r, i, value, fmt[style + level])
        k, rp, note = row.drawn
        for i, (name, text) in enumerate(zip(EDITABLE, (k, rp), strict=False), start=len(LOCKED)):
            value = parse_number(text, money=name == "rp")
            if name == "rp" and row.more:
                ws.write_blank(r, i, None, fmt[f"plain-{level}"])
            elif value is None:
                ws.write_blank(r, i, None, fmt["edit-num"])
            else:
                ws.write_number(r, i, float(value), fmt["edit-num"])
        ws.write_string(r, len(COLUMNS) - 1, note, fmt["edit-note"])
        ws.write_number(r, KEY_COLUMN - 1, row.item_id, fmt["key"])
        ws.set_row(r, _height(row.locked["name"], 42, row.locked["indicator"], 36, note, 30))
        _validate(ws, r, row, quarter)
        hashes = "".join(_digest(row.item_id, name, _canon(row.locked[name])) for name in LOCKED)
        stamped.append([row.item_id, hashes, *row.drawn])
    if rows:  # a fraction shows its decimals; a whole number none (no trailing comma)
        for letter, style in (("G", fraction_k), ("H", fraction_rp), ("E", fraction_k),
                              ("F", fraction_rp)):  # fmt: skip
            cells = f"{letter}{FIRST_ROW}:{letter}{last}"
            ws.conditional_format(cells, {"type": "formula", "format": style,
                                          "criteria": f"=MOD({letter}{FIRST_ROW},1)<>0"})  # fmt: skip
    ws.freeze_panes(FIRST_ROW - 1, 2)
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})  # fmt: skip
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row - 1)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.activate()

    stamp = {
        "v": VERSION, "a": agency.slug, "g": agency.name, "y": year, "q": quarter,
        "s": sheet_title, "m": merges,
        "h": {coord: _digest(coord, _canon(text)) for coord, text in head_texts.items()},
        "r": stamped,
    }  # fmt: skip
    token = signing.dumps(stamp, salt=SALT, compress=True)
    keys = wb.add_worksheet(KEYS_SHEET)
    keys.write_string(0, 0, _("Lembar kunci Kinerja: jangan diubah. Tanda tangan di bawah "
                              "memeriksa baris, sel terkunci dan nilai saat diunduh."))  # fmt: skip
    for i in range(0, len(token), CHUNK):
        keys.write_string(1 + i // CHUNK, 0, token[i : i + CHUNK])
    keys.protect("")
    keys.very_hidden()
    wb.close()
    return out.getvalue()


def _height(*texts_and_widths: Any) -> float:
    """A row tall enough for its wrapped texts (xlsxwriter does not measure; a column of
    width w holds about 1,15 w characters of Arial 10)."""
    lines = 1
    for text, width in zip(texts_and_widths[::2], texts_and_widths[1::2], strict=True):
        per_line = int(width * 1.15)
        lines = max(lines, sum(-(-max(len(part), 1) // per_line) for part in str(text).split("\n")))
    return 13.0 * min(lines, 30) + 2


def _validate(ws: Any, r: int, row: Row, quarter: int) -> None:
    roman = QUARTER_ROMAN[quarter - 1]
    low = -(10**12) if row.allows_negative else 0
    k_rule = (_("Angka, boleh negatif.") if row.allows_negative
              else _("Angka 0 atau lebih."))  # fmt: skip
    ws.data_validation(r, len(LOCKED), r, len(LOCKED), {
        "validate": "decimal", "criteria": "between", "minimum": low, "maximum": 10**12,
        "input_title": (_("Realisasi K TW %(q)s") % {"q": roman})[:32],
        "input_message": (_("%(rule)s Desimal paling banyak 6 angka. Kosongkan bila belum ada.")
                          % {"rule": k_rule})[:255],
        "error_title": _("Bukan angka K yang sah")[:32],
        "error_message": (_("Isi dengan angka (%(rule)s), tanpa rumus dan tanpa teks.")
                          % {"rule": k_rule})[:255],
    })  # fmt: skip
    ws.data_validation(r, len(LOCKED) + 1, r, len(LOCKED) + 1, {
        "validate": "decimal", "criteria": "between", "minimum": 0,
        "maximum": 999_999_999_999_999,
        "input_title": (_("Realisasi Rp TW %(q)s") % {"q": roman})[:32],
        "input_message": _("Rupiah, 0 atau lebih, paling banyak 2 angka sen. Kosongkan bila "
                           "belum ada.")[:255],  # fmt: skip
        "error_title": _("Bukan nilai rupiah yang sah")[:32],
        "error_message": _("Isi dengan angka rupiah 0 atau lebih, tanpa rumus, tanpa teks dan "
                           "tanpa tanda Rp.")[:255],  # fmt: skip
    })  # fmt: skip
    ws.data_validation(r, len(LOCKED) + 2, r, len(LOCKED) + 2, {
        "validate": "length", "criteria": "<=", "value": NOTE_MAX,
        "input_title": (_("Catatan TW %(q)s") % {"q": roman})[:32],
        "input_message": (_("Teks bebas, paling banyak %(n)s karakter.")
                          % {"n": format_number(Decimal(NOTE_MAX))})[:255],  # fmt: skip
        "error_title": _("Catatan terlalu panjang")[:32],
        "error_message": (_("Catatan paling banyak %(n)s karakter.")
                          % {"n": format_number(Decimal(NOTE_MAX))})[:255],  # fmt: skip
    })  # fmt: skip


# ---- reading --------------------------------------------------------------------------------


@dataclass
class CellChange:
    """One editable cell of the upload that differs from what it was drawn with."""

    sheet_row: int
    coord: str
    item_id: int
    code: str
    name: str
    field: str  # k | rp | note
    column: str  # the column's label
    old: str
    new: str
    refused: str = ""  # why the cell cannot be taken
    current: str | None = None  # a conflict: the value saved in Kinerja since the download
    who: str = ""
    when: str = ""

    @property
    def status(self) -> str:
        return "refused" if self.refused else "conflict" if self.current is not None else "ok"


@dataclass
class Preview:
    agency: Agency
    year: int
    quarter: int
    file_name: str
    rows: int
    cells: list[CellChange] = field(default_factory=list)
    entries: dict[int, Typed] = field(default_factory=dict)  # changed cells, as typed
    drawn: dict[int, Typed] = field(default_factory=dict)  # their rows as downloaded

    @property
    def refused(self) -> list[CellChange]:
        return [c for c in self.cells if c.status == "refused"]

    @property
    def conflicts(self) -> list[CellChange]:
        return [c for c in self.cells if c.status == "conflict"]

    @property
    def applicable(self) -> bool:
        return bool(self.cells) and not self.refused and not self.conflicts


def _load(data: bytes) -> Any:
    """The workbook, within the audit reader's bounds (size, entries, unpacked size)."""
    import openpyxl

    if not data:
        raise OfflineRefused([_("Berkas kosong.")])
    if len(data) > MAX_BYTES:
        raise OfflineRefused([_("Berkas lebih dari %(n)s MB.") % {"n": MAX_BYTES // 2**20}])
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise OfflineRefused([_("Berkas ini Excel lama (.xls) atau dilindungi kata sandi; "
                                "unggah buku kerja .xlsx yang diunduh dari Kinerja.")])  # fmt: skip
    if data[:2] != b"PK":
        raise OfflineRefused([_("Berkas ini bukan buku kerja Excel .xlsx.")])
    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise OfflineRefused([_("Berkas .xlsx rusak (arsip zip tidak utuh).")]) from exc
    if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
        raise OfflineRefused([_("Isi berkas .xlsx terlalu besar setelah dibuka.")])
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        raise OfflineRefused([_("Arsip ini bukan buku kerja Excel .xlsx.")])
    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise OfflineRefused([_("Berkas .xlsx rusak atau tidak lengkap; unduh buku kerja "
                                "baru dari Kinerja.")]) from exc  # fmt: skip


def _stamp(wb: Any, agency: Agency, *, year: int, quarter: int) -> dict[str, Any]:
    fresh = _("Unduh buku kerja baru dari Kinerja dan isi lagi.")
    if KEYS_SHEET not in wb.sheetnames:
        raise OfflineRefused([_("Lembar kunci tidak ada: buku kerja ini bukan unduhan Kinerja "
                                "atau lembarnya dihapus."), fresh])  # fmt: skip
    keys = wb[KEYS_SHEET]
    chunks = [keys.cell(row=r, column=1).value for r in range(2, min(keys.max_row, 200) + 1)]
    token = "".join(c for c in chunks if isinstance(c, str))
    try:
        stamp = signing.loads(token, salt=SALT)
        if not isinstance(stamp, dict) or stamp.get("v") != VERSION:
            raise signing.BadSignature("version")
    except signing.BadSignature as exc:
        raise OfflineRefused([_("Tanda tangan buku kerja tidak cocok: lembar kunci diubah atau "
                                "buku kerja ini bukan unduhan Kinerja."), fresh]) from exc  # fmt: skip
    if stamp["a"] != agency.slug:
        raise OfflineRefused([_("Buku kerja ini milik %(other)s, bukan %(agency)s.")
                              % {"other": stamp["g"], "agency": agency.name}])  # fmt: skip
    if (stamp["y"], stamp["q"]) != (year, quarter):
        raise OfflineRefused([_("Buku kerja ini untuk Triwulan %(q)s %(y)s, bukan Triwulan "
                                "%(here_q)s %(here_y)s; unggah di halaman triwulan itu.")
                              % {"q": QUARTER_ROMAN[stamp["q"] - 1], "y": stamp["y"],
                                 "here_q": QUARTER_ROMAN[quarter - 1], "here_y": year}])  # fmt: skip
    return stamp


def _structure(ws: Any, stamp: dict[str, Any], items: dict[int, WorkItem]) -> list[str]:
    """Every structural change: header, merges, rows, keys, locked cells, extra cells."""
    reasons: list[str] = []
    labels = column_labels(stamp["q"])
    for coord, digest in stamp["h"].items():
        if _digest(coord, _canon(ws[coord].value)) != digest:
            reasons.append(_("Sel %(cell)s di judul atau kepala tabel diubah.") % {"cell": coord})
    merges = sorted(str(m) for m in ws.merged_cells.ranges)
    if merges != sorted(stamp["m"]):
        extra = [m for m in merges if m not in stamp["m"]]
        reasons.append(_("Sel digabung (merge) diubah%(where)s; jangan menggabung sel.")
                       % {"where": f" ({', '.join(extra[:5])})" if extra else ""})  # fmt: skip
    expected = [r[0] for r in stamp["r"]]
    last = max(ws.max_row, FIRST_ROW + len(expected) - 1)
    got: list[tuple[int, Any]] = []
    for number in range(FIRST_ROW, last + 1):
        key = ws.cell(row=number, column=KEY_COLUMN).value
        filled = any(ws.cell(row=number, column=c).value not in (None, "")
                     for c in range(1, KEY_COLUMN + 1))  # fmt: skip
        if filled or number < FIRST_ROW + len(expected):
            got.append((number, key))
    keys = [k for _n, k in got]

    def named(pk: int) -> str:
        item = items.get(pk)
        if item is None:
            return str(pk)
        name = item.name if len(item.name) <= 60 else item.name[:59] + "…"
        return f"{item.code or ''} {name}".strip()

    if keys != expected:
        known, first_at = set(expected), {}
        for number, key in got:
            if key is None or key == "":
                if any(ws.cell(row=number, column=c).value not in (None, "")
                       for c in range(1, KEY_COLUMN)):  # fmt: skip
                    reasons.append(_("Baris %(n)s tidak punya kunci (kolom J yang tersembunyi): "
                                     "baris ditambahkan atau kuncinya dihapus; baris baru dibuat "
                                     "di Renja, bukan di buku kerja.") % {"n": number})  # fmt: skip
            elif key not in known:
                reasons.append(_("Kunci baris %(n)s (kolom J yang tersembunyi) diubah.")
                               % {"n": number})  # fmt: skip
            elif key in first_at:
                reasons.append(_("Baris %(n)s memakai kunci baris %(m)s (kolom J yang "
                                 "tersembunyi): baris disalin atau kuncinya diubah.")
                               % {"n": number, "m": first_at[key]})  # fmt: skip
            else:
                first_at[key] = number
        for pk in expected:
            if pk not in first_at:
                reasons.append(_("Baris «%(row)s» tidak ada lagi: dihapus atau kuncinya diubah.")
                               % {"row": named(pk)})  # fmt: skip
        if not reasons:
            moved = next(n for (n, k), want in zip(got, expected, strict=False) if k != want)
            reasons.append(_("Urutan baris diubah (mulai baris %(n)s); jangan mengurutkan atau "
                             "memindah baris.") % {"n": moved})  # fmt: skip
        return reasons
    for number, (pk, hashes, *_drawn) in enumerate(stamp["r"], start=FIRST_ROW):
        for i, name in enumerate(LOCKED):
            coord = f"{LETTER[name]}{number}"
            if _digest(pk, name, _canon(ws[coord].value)) != hashes[i * 10 : i * 10 + 10]:
                reasons.append(_("Sel %(cell)s (%(column)s, «%(row)s») terkunci dan diubah; "
                                 "sel ini hanya dapat diubah di Renja.")
                               % {"cell": coord, "column": labels[name], "row": named(pk)})  # fmt: skip
    for row in ws.iter_rows(min_col=KEY_COLUMN + 1):
        for cell in row:
            if cell.value not in (None, ""):
                reasons.append(_("Sel %(cell)s di luar tabel berisi data; hapus isinya.")
                               % {"cell": cell.coordinate})  # fmt: skip
                break
        if len(reasons) > 50:
            break
    return reasons


def _shown(value: Any) -> str:
    text = _canon(value) if not isinstance(value, str) else value.strip()
    return text if len(text) <= SHOWN_MAX else text[: SHOWN_MAX - 1] + "…"


def _read_number(value: Any, *, money: bool, negative: bool) -> tuple[str, str]:
    """(the value as the grid's text, the refusal or "")."""
    formula = _("Sel berisi rumus; ketik angkanya saja.")
    if value is None:
        return "", ""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("="):
            return text, formula
        if len(text) > MAX_NUMBER_TEXT:
            return text, _("Teks sepanjang %(n)s karakter bukan angka.") % {
                "n": format_number(Decimal(len(text)))}  # fmt: skip
        try:
            return text, _ok(parse_number(text, money=money, negative=negative))
        except InvalidNumber as exc:
            return text, str(exc)
    if isinstance(value, bool) or not isinstance(value, int | float):
        if isinstance(value, datetime | date):
            return _canon(value), _("Sel berisi tanggal, bukan angka.")
        if type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
            return "=…", formula
        return _canon(value), _("«%(v)s» bukan angka.") % {"v": _shown(value)}
    try:
        number = Decimal(repr(value))
        if not number.is_finite():
            raise InvalidNumber(_("«%(v)s» bukan angka.") % {"v": repr(value)})
        check_value(number, money=money, negative=negative)
    except (InvalidNumber, InvalidOperation) as exc:
        return _canon(value), str(exc)
    return format_number(number), ""


def _ok(_value: Decimal | None) -> str:
    return ""


def _read_note(value: Any, *, label: str) -> tuple[str, str]:
    if value is None:
        return "", ""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("="):
            return text, _("Sel berisi rumus; tulis catatannya sebagai teks.")
    elif type(value).__name__ in ("ArrayFormula", "DataTableFormula"):
        return "=…", _("Sel berisi rumus; tulis catatannya sebagai teks.")
    else:
        text = _canon(value)
    try:
        check_text(text, label=label, limit=NOTE_MAX)
    except ValueError as exc:
        return text, str(exc)
    return text, ""


def read_upload(data: bytes, *, name: str, agency: Agency, year: int, quarter: int) -> Preview:
    """What applying the upload would change, cell by cell; writes nothing. Raises
    OfflineRefused when the workbook itself cannot be taken (not ours, another agency or
    quarter, its structure or a locked cell changed)."""
    wb = _load(data)
    stamp = _stamp(wb, agency, year=year, quarter=quarter)
    if stamp["s"] not in wb.sheetnames:
        raise OfflineRefused([_("Lembar «%(sheet)s» tidak ada; jangan mengganti nama atau "
                                "menghapus lembar.") % {"sheet": stamp["s"]}])  # fmt: skip
    ws = wb[stamp["s"]]
    ids = [r[0] for r in stamp["r"]]
    items = WorkItem.objects.in_bulk(ids)
    reasons = _structure(ws, stamp, items)
    gone = [pk for pk in ids if pk not in items or items[pk].agency_id != agency.pk]
    if gone:
        reasons.append(_("%(n)s baris buku kerja tidak ada lagi di Renja %(y)s; unduh buku kerja "
                         "baru.") % {"n": len(gone), "y": year})  # fmt: skip
    if reasons:
        raise OfflineRefused(reasons[:50])
    labels = column_labels(quarter)
    current = {
        r.work_item_id: r for r in Realisation.objects.filter(work_item_id__in=ids, quarter=quarter)
    }
    preview = Preview(agency=agency, year=year, quarter=quarter, file_name=display_name(name),
                      rows=len(ids))  # fmt: skip
    for number, (pk, _hashes, *drawn) in enumerate(stamp["r"], start=FIRST_ROW):
        item = items[pk]
        typed: dict[str, str] = {}
        for field_name, was in zip(EDITABLE, drawn, strict=True):
            coord = f"{LETTER[field_name]}{number}"
            value = ws[coord].value
            if field_name == "note":
                text, refused = _read_note(value, label=labels["note"])
                changed = text != was.strip()
            else:
                text, refused = _read_number(value, money=field_name == "rp",
                                             negative=item.allows_negative)  # fmt: skip
                if field_name == "rp" and item.indicator_of_id is not None and value not in (
                    None, ""):  # fmt: skip
                    text, refused = (
                        _canon(value),
                        _("indikator tambahan: Rp diisi pada baris itemnya"),
                    )
                changed = refused or _number(text, field_name) != _number(was, field_name)
            if not changed:
                continue
            cell = CellChange(number, coord, pk, item.code, item.name, field_name,
                              labels[field_name], was or "-", _shown(text) or "-", refused)  # fmt: skip
            if not refused:
                typed[field_name] = text
                _conflict(cell, current.get(pk), was, text)
            preview.cells.append(cell)
        if typed:
            preview.entries[pk] = tuple(typed.get(f) for f in EDITABLE)  # type: ignore[assignment]
            preview.drawn[pk] = tuple(drawn)  # type: ignore[assignment]
    return preview


def _number(text: str, field_name: str) -> Decimal | None:
    return parse_number(text, money=field_name == "rp")


def _conflict(cell: CellChange, saved: Realisation | None, was: str, new: str) -> None:
    """As ``concurrency.fields_to_write``: a conflict where the saved value is neither the one
    downloaded nor the one typed."""
    model_field = {"k": "value_k", "rp": "value_rp", "note": "note"}[cell.field]
    now = getattr(saved, model_field) if saved is not None else (None if cell.field != "note"
                                                                  else "")  # fmt: skip
    if cell.field == "note":
        if now in (was.strip(), new):
            return
        cell.current = show(now)
    else:
        drawn, typed = _number(was, cell.field), _number(new, cell.field)
        if now in (drawn, typed):
            return
        cell.current = format_number(now)
    if saved is not None:
        who, when = last_change(saved.history.all(), model_field)
        cell.who, cell.when = who, show_when(when)


# ---- confirming -----------------------------------------------------------------------------


def sign_changes(preview: Preview, *, user: Any) -> str:
    """The preview's changes as a signed token the confirm form posts back."""
    return signing.dumps({
        "a": preview.agency.slug, "y": preview.year, "q": preview.quarter,
        "u": user.pk, "f": preview.file_name,
        "e": [[pk, *typed] for pk, typed in preview.entries.items()],
        "w": [[pk, *drawn] for pk, drawn in preview.drawn.items()],
    }, salt=APPLY_SALT, compress=True)  # fmt: skip


def apply_changes(
    token: str,
    *,
    user: Any,
    agency: Agency,
    year: int,
    quarter: int,
    today: date,
    reason: str = "",
) -> tuple[str, list[Change]]:
    """Apply a confirmed preview through the grid's save: every cell or none, a cell someone
    changed since the download a Conflict. Returns the file name and the changes."""
    try:
        data = signing.loads(token, salt=APPLY_SALT, max_age=APPLY_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise OfflineRefused(
            [_("Pratinjau ini sudah lebih dari 2 jam; unggah berkasnya lagi.")]
        ) from exc
    except signing.BadSignature as exc:
        raise OfflineRefused([_("Data pratinjau diubah; unggah berkasnya lagi.")]) from exc
    if (data["a"], data["y"], data["q"], data["u"]) != (agency.slug, year, quarter, user.pk):
        raise OfflineRefused([_("Pratinjau ini bukan untuk triwulan atau pengguna ini.")])
    why = _("impor Excel %(file)s") % {"file": data["f"]}
    if reason.strip():
        why = f"{why}: {reason.strip()}"
    try:
        check_text(why, label=_("Alasan perubahan"), limit=REASON_MAX)
    except ValueError as exc:
        raise OfflineRefused([str(exc)]) from exc
    entries = {row[0]: tuple(row[1:]) for row in data["e"]}
    drawn = {row[0]: tuple(row[1:]) for row in data["w"]}
    changes = save_quarter_entries(user=user, agency=agency, year=year, quarter=quarter,
                                   entries=entries, expected=drawn, reason=why,
                                   today=today)  # fmt: skip
    return data["f"], changes
