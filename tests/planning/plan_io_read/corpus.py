"""The bad-input corpus: ≥ 50 plan files, each with what the reader must say about it — a
refusal (PlanReadError, its message containing ``refuse``) or a warning naming the sheet and
row (and column where a cell is at fault). Built in memory; tests write each under tmp_path."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openpyxl
import xlsxwriter

from .files import FIRST, SIMPLE_HEADER, save, simple, simple_rows

PROGRAM, KEGIATAN, SUB1, SUB2 = FIRST, FIRST + 1, FIRST + 2, FIRST + 3  # rows 6-9


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[], bytes]
    refuse: str | None = None  # a part of the refusal's message
    warn: tuple[str, int | None, str | None, str] | None = None  # sheet, row, column, words
    codes: list[str] | None = None  # the codes read, in order (warnings only)
    kwargs: dict[str, Any] = field(default_factory=dict)


def _rows(change: Callable[[list[list[Any]]], None]) -> Callable[[], bytes]:
    def build() -> bytes:
        rows = simple_rows()
        change(rows)
        return save(simple(rows))

    return build


def _set(r: int, c: int, value: Any) -> Callable[[], bytes]:
    """The simple file with the cell at sheet row ``r``, column index ``c`` (0 = A) set."""

    def change(rows: list[list[Any]]) -> None:
        rows[r - FIRST][c] = value

    return _rows(change)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _many_entries() -> bytes:
    return _zip({f"xl/part{i}.xml": b"<a/>" for i in range(2_100)} | {"xl/workbook.xml": b"<w/>"})


def _bomb() -> bytes:
    """210 MB of zeros packed into a few hundred kB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1024 * 1024)
            for _ in range(210):
                fh.write(block)
    return buffer.getvalue()


def _replace(data: bytes, part: str, content: bytes) -> bytes:
    """``data`` (an xlsx) with one part's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, content if info.filename == part else source.read(info))
    return buffer.getvalue()


def _forged_size() -> bytes:
    """The sheet's XML claims to unpack to less than it does (its size and CRC in the
    central directory altered): reading stops at the claimed size and the CRC fails."""
    data = bytearray(save(simple()))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    # the central directory entry: signature PK\1\2, CRC at +16, sizes at +20/+24
    name = info.filename.encode()
    at = bytes(data).find(b"PK\x01\x02", 0)
    while at >= 0:
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if bytes(data[at + 46 : at + 46 + length]) == name:
            break
        at = bytes(data).find(b"PK\x01\x02", at + 4)
    data[at + 24 : at + 28] = (100).to_bytes(4, "little")  # uncompressed size: 100 bytes
    return bytes(data)


def _far(cell: str) -> Callable[[], bytes]:
    def build() -> bytes:
        wb = simple()
        wb.active[cell] = "x"
        return save(wb)

    return build


def _unaddressed(count: int) -> Callable[[], bytes]:
    """The sheet's first row with ``count`` more cells that carry no ``r`` attribute:
    python-calamine would place them one after another, as wide as they are many."""

    def build() -> bytes:
        data = save(simple())
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        cells = b'<c t="inlineStr"><is><t>x</t></is></c>' * count
        at = sheet.index(b"</row>")
        return _replace(data, "xl/worksheets/sheet1.xml", sheet[:at] + cells + sheet[at:])

    return build


def _far_cell_tag(tag: bytes) -> Callable[[], bytes]:
    """The sheet's first row with one more cell written as ``tag``: a far reference whose
    ``r`` is not the first attribute, which the scan's one quick search does not know."""

    def build() -> bytes:
        data = save(simple())
        sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
        at = sheet.index(b"</row>")
        return _replace(data, "xl/worksheets/sheet1.xml", sheet[:at] + tag + sheet[at:])

    return build


def _openpyxl(change: Callable[[Any], None]) -> Callable[[], bytes]:
    def build() -> bytes:
        wb = simple()
        change(wb.active)
        return save(wb)

    return build


def _header(texts: list[str]) -> Callable[[], bytes]:
    return lambda: save(simple(header_row=texts))


def _no_header() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Nama pegawai", "Golongan", "Gaji"])
    ws.append(["Budi", "III/a", 4_000_000])
    return save(wb)


def _empty_workbook() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Kosong"
    return save(wb)


def _formula_cached() -> bytes:
    """A parent's pagu as =SUM of its children, with the value Excel cached (xlsxwriter)."""
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("Renja")
    ws.write("A1", "RENCANA KERJA")
    ws.write("A3", "TAHUN 2025")
    for c, text in enumerate(SIMPLE_HEADER):
        ws.write(3, c, text)
        ws.write(4, c, c + 1)
    for r, row in enumerate(simple_rows(), start=FIRST - 1):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    ws.write_formula(KEGIATAN - 1, 6, "=G8+G9", None, 300_000_000)
    wb.close()
    return buffer.getvalue()


def _many_formulas() -> bytes:
    wb = simple()
    ws = wb.active
    for r in range(20, 100):
        ws[f"J{r}"] = f"=1+{r}"
    return save(wb)


def _hidden_only() -> bytes:
    wb = openpyxl.Workbook()
    front = wb.active
    front.title = "Petunjuk"
    front["A1"] = "Lihat lembar berikutnya"
    simple(wb=wb, sheet="Data SIPD")
    wb["Data SIPD"].sheet_state = "hidden"
    return save(wb)


def _hidden_second() -> bytes:
    wb = simple(sheet="Renja")
    simple(wb=wb, sheet="Lama")
    wb["Lama"].sheet_state = "hidden"
    return save(wb)


def _two_visible() -> bytes:
    wb = simple(sheet="Renja")
    simple(wb=wb, sheet="Renja (2)")
    return save(wb)


def _plan_on_second_sheet() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Grafik"
    wb.active["A1"] = "Rekap pagu"
    simple(wb=wb, sheet="Renja")
    return save(wb)


def _merged_everywhere() -> bytes:
    """Names merged across two rows, a pagu merged over two rows, titles merged: only the
    top-left cell of a merged range holds its value, so the second row carries nothing."""
    rows = simple_rows()
    rows.insert(
        2, [None, None, None, "Indikator kedua kegiatan", None, "3 Laporan", "5.000.000,00"]
    )  # fmt: skip  (a pagu on a further indicator: warned)
    wb = simple(rows)
    ws = wb.active
    ws.merge_cells("C7:C8")
    ws.merge_cells("B7:B8")
    ws.merge_cells("A1:G1")
    ws.merge_cells("A2:G2")
    ws.merge_cells("G9:G10")
    return save(wb)


def _ten_mb_cell() -> bytes:
    """10 MB of text in the indicator cell D9: Excel, openpyxl and xlsxwriter all stop at
    32.767 characters, so the sheet's XML is written here by hand."""
    wb = simple()
    wb.active["D9"] = "A" * 32_767
    data = save(wb)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert sheet.count(b"A" * 32_767) == 1
    return _replace(data, "xl/worksheets/sheet1.xml",
                    sheet.replace(b"A" * 32_767, b"A" * (10 * 1024 * 1024)))  # fmt: skip


def _long_name() -> bytes:
    return _set(SUB1, 2, "Penyusunan " + "sangat " * 100)()


def _repeat(change: Callable[[list[Any]], None]) -> Callable[[], bytes]:
    """The sub kegiatan of row 8 repeated on row 10 under the same kegiatan, then changed."""

    def build() -> bytes:
        rows = simple_rows()
        again = list(rows[2])
        change(again)
        rows.append(again)
        return save(simple(rows))

    return build


def _title(agency: str, year: int) -> Callable[[], bytes]:
    return lambda: save(simple(agency=agency, year=year))


def _delete_row(r: int) -> Callable[[], bytes]:
    def change(rows: list[list[Any]]) -> None:
        del rows[r - FIRST]

    return _rows(change)


def _append(*extra: list[Any]) -> Callable[[], bytes]:
    def change(rows: list[list[Any]]) -> None:
        rows.extend(list(row) for row in extra)

    return _rows(change)


ALL4 = ["5.03.02", "5.03.02.2.01", "5.03.02.2.01.0001", "5.03.02.2.01.0002"]
NO_SUB1 = ["5.03.02", "5.03.02.2.01", "5.03.02.2.01.0002"]
S = "Renja"

CASES: list[Case] = [
    # --- refused: not a workbook we can open ---
    Case("not_xlsx_csv", lambda: b"kode;nama\n5.03.02;Program\n", refuse="bukan .xlsx"),
    Case("empty_file", lambda: b"", refuse="kosong"),
    Case("png_image", lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, refuse="bukan .xlsx"),
    Case("pdf_file", lambda: b"%PDF-1.7\n%\xe2\xe3\n", refuse="bukan .xlsx"),
    Case("old_xls_or_encrypted", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512,
         refuse=".xls"),
    Case("corrupt_zip", lambda: b"PK\x03\x04" + b"\x13\x37" * 200, refuse="rusak"),
    Case("truncated_xlsx", lambda: (lambda d: d[: len(d) // 2])(save(simple())), refuse="rusak"),
    Case("too_large_upload", lambda: b"PK" + b"\0" * (21 * 1024 * 1024), refuse="lebih dari 20 MB"),
    Case("zip_bomb_size", _bomb, refuse="terlalu besar"),
    Case("zip_bomb_entries", _many_entries, refuse="terlalu besar"),
    Case("forged_unpacked_size", _forged_size, refuse="rusak"),
    Case("word_document", lambda: _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<T/>"}),
         refuse="dokumen Word"),
    Case("zip_without_workbook", lambda: _zip({"data.csv": b"a,b"}), refuse="xl/workbook.xml"),
    Case("workbook_xml_broken", lambda: _replace(save(simple()), "xl/workbook.xml", b"<workbook"),
         refuse="rusak"),
    Case("sheet_xml_broken",
         lambda: _replace(save(simple()), "xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row"),
         refuse="rusak"),
    Case("value_beyond_row_limit", _far("A60001"), refuse="baris 60001"),
    Case("value_beyond_column_limit", _far("ZZ1"), refuse="kolom ZZ"),
    # the first column and row past the limits (CV and 50.000 are allowed)
    Case("value_in_column_cw", _far("CW1"), refuse="kolom CW"),
    Case("value_in_row_50001", _far("A50001"), refuse="baris 50001"),
    Case("far_cell_reference_not_first", _far_cell_tag(
        b'<c t="inlineStr" r="CW2"><is><t>x</t></is></c>'), refuse="kolom CW"),
    Case("cells_without_reference", _unaddressed(151), refuse="sel tanpa alamat"),
    # --- refused: no plan in it ---
    Case("no_recognisable_header", _no_header, refuse="Tidak ada lembar berisi daftar rencana"),
    Case("empty_workbook", _empty_workbook, refuse="Tidak ada lembar"),
    Case("missing_code_column",
         _header(["No", "Nomor", "Program/Kegiatan/Sub Kegiatan", "Indikator", "Renstra", "Target",
                  "Pagu"]),
         refuse="kolom «Kode»"),
    Case("missing_name_column",
         _header(["No", "Kode", "Keterangan", "Indikator", "Renstra", "Target", "Pagu"]),
         refuse="kolom nama"),
    Case("unknown_pagu_column", lambda: save(simple()), refuse="«Pagu Indikatif (Rp)»",
         kwargs={"pagu_column": "APBD Perubahan"}),
    # --- warnings: amounts ---
    Case("english_amount", _set(SUB1, 6, "1,905,955,200"), warn=(S, SUB1, "G", "format angka Inggris"),
         codes=ALL4),
    Case("english_amount_decimals", _set(SUB1, 6, "100,000,000.00"),
         warn=(S, SUB1, "G", "format angka Inggris"), codes=ALL4),
    Case("negative_pagu_text", _set(SUB1, 6, "-100.000.000,00"), warn=(S, SUB1, "G", "negatif"),
         codes=ALL4),
    Case("negative_pagu_number", _set(SUB2, 6, -5_000_000), warn=(S, SUB2, "G", "negatif"), codes=ALL4),
    Case("text_in_pagu", _set(SUB1, 6, "belum ada"), warn=(S, SUB1, "G", "bukan angka"), codes=ALL4),
    Case("date_in_pagu", _set(SUB1, 6, datetime.date(2025, 1, 2)), warn=(S, SUB1, "G", "bukan jumlah"),
         codes=ALL4),
    Case("datetime_in_target", _set(SUB1, 5, datetime.datetime(2025, 3, 1, 8, 0)),  # noqa: DTZ001 - a cell has no zone
         warn=(S, SUB1, "F", "bukan angka"), codes=ALL4),
    Case("nan_text_in_pagu", _set(SUB1, 6, "NaN"), warn=(S, SUB1, "G", "bukan angka"), codes=ALL4),
    Case("inf_text_in_target", _set(SUB1, 5, "inf"), warn=(S, SUB1, "F", "Target"), codes=ALL4),
    Case("twenty_five_digit_text", _set(SUB1, 6, "1234567890123456789012345"),
         warn=(S, SUB1, "G", "paling besar"), codes=ALL4),
    Case("twenty_five_digit_number", _set(SUB1, 6, 1.234e24), warn=(S, SUB1, "G", "paling besar"),
         codes=ALL4),
    Case("pagu_three_decimals", _set(SUB1, 6, "1.000,125"), warn=(S, SUB1, "G", "angka di belakang koma"),
         codes=ALL4),
    Case("boolean_in_pagu", _set(SUB1, 6, True), warn=(S, SUB1, "G", "bukan jumlah"), codes=ALL4),
    Case("parent_pagu_not_sum", _set(KEGIATAN, 6, "350.000.000,00"),
         warn=(S, KEGIATAN, "C", "tidak sama dengan jumlah"), codes=ALL4),
    # --- warnings: targets and units ---
    Case("target_not_a_number", _set(SUB1, 5, "Tersedianya dokumen"), warn=(S, SUB1, "F", "Target"),
         codes=ALL4),
    Case("target_two_lines", _set(SUB1, 5, "2 Dokumen\n1 Laporan"), warn=(S, SUB1, "F", "yang pertama"),
         codes=ALL4),
    Case("target_english_number", _set(SUB1, 5, "1,234,567 Orang"), warn=(S, SUB1, "F", "Inggris"),
         codes=ALL4),
    Case("unit_differs_from_renstra", _set(SUB1, 5, "2 Laporan"), warn=(S, SUB1, "E", "berbeda"),
         codes=ALL4),
    Case("renstra_target_not_a_number", _set(SUB1, 4, "Predikat A"),
         warn=(S, SUB1, "E", "Target Renstra"), codes=ALL4),
    Case("ten_mb_in_one_cell", _ten_mb_cell, warn=(S, SUB2, "D", "batas satu sel"), codes=ALL4),
    Case("name_too_long", _long_name, warn=(S, SUB1, "C", "dipotong"), codes=ALL4),
    # --- warnings: codes and hierarchy ---
    Case("parent_missing_sub", _append([5, "5.03.02.2.09.01", "Sub tanpa kegiatan", "", "", "1 Dokumen",
                                        None]),
         warn=(S, SUB2 + 1, "B", "induk 5.03.02.2.09"), codes=ALL4),
    Case("parent_missing_kegiatan", _append([5, "5.03.07.2.01", "Kegiatan tanpa program", "", "", "",
                                             None]),
         warn=(S, SUB2 + 1, "B", "induk 5.03.07"), codes=ALL4),
    Case("kegiatan_row_deleted", _delete_row(KEGIATAN), warn=(S, KEGIATAN, "B", "induk 5.03.02.2.01"),
         codes=["5.03.02"]),
    Case("same_code_other_name",
         _append([5, "5.03.02.2.01.01", "Penyusunan Formasi ASN", "", "", "1 Dokumen", None]),
         warn=(S, SUB2 + 1, "C", "nama lain"), codes=ALL4 + ["5.03.02.2.01.0001"]),
    Case("same_code_same_parent_conflicting_pagu",
         _repeat(lambda row: row.__setitem__(6, "150.000.000,00")),
         warn=(S, SUB2 + 1, "C", "pagu berbeda"), codes=ALL4),
    Case("same_code_same_parent_conflicting_target",
         _repeat(lambda row: row.__setitem__(5, "3 Dokumen")),
         warn=(S, SUB2 + 1, "C", "target berbeda"), codes=ALL4),
    Case("code_four_parts", _append([5, "5.03.02.2", "Kode terpotong", "", "", "", None]),
         warn=(S, SUB2 + 1, "B", "tidak lengkap"), codes=ALL4),
    Case("code_with_letters", _append([5, "5.03.AB.2.01", "Kode aneh", "", "", "", None]),
         warn=(S, SUB2 + 1, "B", "bukan kode"), codes=ALL4),
    Case("code_over_forty_characters",
         _append([5, "5.03.02.2.01.0000000000000000000000000000000001", "Rincian", "", "", "",
                  None]),
         warn=(S, SUB2 + 1, "B", "lebih dari 40 karakter"), codes=ALL4),
    Case("code_too_long", _append([5, "5.03.02.2.01.0001.9.9", "Rincian", "", "", "", None]),
         warn=(S, SUB2 + 1, "B", "terlalu panjang"), codes=ALL4),
    Case("code_wrong_shape_kept", _set(PROGRAM, 1, "5.03.2"), warn=(S, PROGRAM, "B", "tidak berbentuk"),
         codes=["5.03.2"]),
    Case("item_without_name", _set(SUB2, 2, None), warn=(S, SUB2, "C", "tanpa nama"),
         codes=ALL4[:3]),
    Case("row_without_code", _set(SUB2, 1, None), warn=(S, SUB2, "C", "tidak berkode"),
         codes=ALL4[:3]),
    # a continuation row is a further indicator of the item above it (issue 15): its own
    # target, never a pagu — one written there is warned and left out
    Case("second_indicator_row_with_pagu",
         _append([None, None, None, "Indikator kedua", None, "3 Laporan", "5.000.000,00"]),
         warn=(S, SUB2 + 1, "G", "berisi pagu"), codes=[*ALL4, ALL4[3]]),
    Case("second_indicator_without_item",
         _rows(lambda rows: rows.insert(0, [None, None, None, "Indikator yatim", None, "3 Laporan",
                                            None])),
         warn=(S, PROGRAM, "D", "tanpa item di atasnya"), codes=ALL4),
    Case("merged_cells_everywhere", _merged_everywhere, warn=(S, 8, "G", "berisi pagu"),
         codes=[ALL4[0], ALL4[1], ALL4[1], *ALL4[2:]]),
    # --- warnings: the workbook ---
    Case("formula_without_cached_value", _openpyxl(lambda ws: ws.__setitem__("G7", "=G8+G9")),
         warn=(S, KEGIATAN, "G", "rumus tanpa nilai"), codes=ALL4),
    Case("formula_with_cached_value", _formula_cached, warn=(S, KEGIATAN, "G", "nilai terakhir"),
         codes=ALL4),
    Case("many_formulas", _many_formulas, warn=(S, None, None, "sel rumus lain"), codes=ALL4),
    Case("plan_only_on_hidden_sheet", _hidden_only, warn=("Data SIPD", None, None, "tersembunyi"),
         codes=ALL4),
    Case("hidden_second_plan_sheet", _hidden_second, warn=("Lama", None, None, "tidak dibaca"),
         codes=ALL4),
    Case("two_visible_plan_sheets", _two_visible, warn=("Renja (2)", None, None, "tidak dibaca"),
         codes=ALL4),
    Case("no_pagu_column",
         _header(["No", "Kode", "Program/Kegiatan/Sub Kegiatan", "Indikator", "Renstra", "Target",
                  "Keterangan"]),
         warn=(S, 4, None, "tidak punya kolom pagu"), codes=ALL4),
]  # fmt: skip

# Files the reader takes without a word: the plan on the second sheet, a title naming
# another agency or year (the reader only reports what the title says; the import compares
# it with the agency and year imported into), the realistic export.
QUIET: list[tuple[str, Callable[[], bytes]]] = [
    ("plan_on_second_sheet", _plan_on_second_sheet),
    ("title_other_agency_and_year", _title("DINAS PENDIDIKAN KABUPATEN SUMENEP", 2019)),
]
