"""Layout-C workbooks written the way agencies' planning systems export them
(docs/plan-import-layout-c.md), for the reader's tests and the bench."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl

AGENCY = "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA KABUPATEN SUMENEP"

# 20 numbered columns: A No · B–F Kode (5 cells) · G name · H indicator · I Renstra target ·
# J realisasi tahun lalu · K prakiraan tahun berjalan · L/M target Sebelum/Sesudah ·
# N/O/P pagu RKPD/APBD/RKPD Perubahan · Q lokasi · R sumber dana · S prakiraan maju target ·
# T prakiraan maju pagu · U perangkat daerah penanggung jawab
HEADER_TOP = 4  # rows 4-7: three title rows of the header, then the numbering row


def header(ws: Any, *, year: int = 2025) -> None:
    """Rows 4-7 of the realistic export: merged titles over three rows, numbered 1-20."""
    merges = [
        ("A4:A6", "No"),
        ("B4:F6", "Kode"),
        ("G4:G6", "Urusan/Bidang Urusan/Program/Kegiatan/Sub Kegiatan"),
        ("H4:H6", "Indikator Kinerja Program (Outcome)/Kegiatan (Output)"),
        ("I4:I6", "Target Akhir Periode Renstra"),
        ("J4:J6", f"Realisasi Capaian Renja Tahun Lalu ({year - 1})"),
        ("K4:K6", f"Prakiraan Capaian Tahun Berjalan ({year})"),
        ("L4:R4", f"Rencana Tahun {year}"),
        ("L5:M5", "Target Capaian Kinerja"),
        ("N5:P5", "Pagu Indikatif"),
        ("Q5:Q6", "Lokasi"),
        ("R5:R6", "Sumber Dana"),
        ("S4:T5", f"Prakiraan Maju Rencana Tahun {year + 1}"),
        ("U4:U6", "Perangkat Daerah Penanggung Jawab"),
    ]
    for ref, text in merges:
        ws.merge_cells(ref)
        ws[ref.split(":")[0]] = text
    for ref, text in {
        "L6": "Sebelum",
        "M6": "Sesudah",
        "N6": "RKPD",
        "O6": "APBD",
        "P6": "RKPD Perubahan",
        "S6": "Target",
        "T6": "Pagu",
    }.items():
        ws[ref] = text
    ws.merge_cells("B7:F7")
    numbers = {"A": 1, "B": 2, "G": 3, "H": 4, "I": 5, "J": 6, "K": 7, "L": 8, "M": 9}
    numbers.update({"N": 10, "O": 11, "P": 12, "Q": 13, "R": 14, "S": 15, "T": 16, "U": 17})
    for column, n in numbers.items():
        ws[f"{column}7"] = n
    # the last three numbers of the 20 sit on the columns the export adds after U
    ws["V4"], ws["W4"], ws["X4"] = "Prioritas Nasional", "Prioritas Daerah", "Kelompok Sasaran"
    ws.merge_cells("V4:V6")
    ws.merge_cells("W4:W6")
    ws.merge_cells("X4:X6")
    ws["V7"], ws["W7"], ws["X7"] = 18, 19, 20


def title(ws: Any, *, agency: str = AGENCY, year: int = 2025) -> None:
    ws["A1"] = "RENCANA KERJA PERANGKAT DAERAH"
    ws["A2"] = agency
    ws["A3"] = f"TAHUN {year}"
    for r in (1, 2, 3):
        ws.merge_cells(f"A{r}:X{r}")


def code_cells(code: str) -> list[str]:
    """The five code cells of a code: 5 · 03 · 01 · 2.02 · 0001 (missing parts blank)."""
    parts = code.split(".")
    cells = [parts[0] if parts else "", *(parts[1:3])]
    cells += [".".join(parts[3:5])] if len(parts) >= 5 else []
    cells += [parts[5]] if len(parts) >= 6 else []
    return (cells + ["", "", "", "", ""])[:5]


def put(ws: Any, r: int, code: str, name: str, **cells: Any) -> None:
    """One data row: code over B–F, name in G, then columns by letter (cells={"O": ...})."""
    for column, value in zip("BCDEF", code_cells(code), strict=True):
        if value:
            ws[f"{column}{r}"] = value
    ws[f"G{r}"] = name
    for column, value in cells.items():
        ws[f"{column}{r}"] = value


# The realistic plan: program 5.03.02 repeated under a second urusan; a kegiatan with two
# sub kegiatan, targets as text with their unit, amounts as Indonesian text in three pagu
# columns (RKPD, APBD, RKPD Perubahan) that do not all add up in the RKPD column.
REALISTIC_ROWS: list[tuple[str, str, dict[str, Any]]] = [
    ("", AGENCY, {"N": "18.130.291.362,00", "O": "18.130.291.362,00", "P": "18.130.291.362,00"}),
    ("", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", {"O": "18.130.291.362,00"}),
    ("5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", {"O": "18.130.291.362,00"}),
    ("5.03", "KEPEGAWAIAN", {"O": "18.130.291.362,00"}),
    (
        "5.03.02",
        "PROGRAM KEPEGAWAIAN DAERAH",
        {
            "H": "Indeks Profesionalitas ASN",
            "I": "75 Indeks",
            "J": "68,5 Indeks",
            "K": "70 Indeks",
            "L": "71 Indeks",
            "M": "72 Indeks",
            "N": "2.500.000.000,00",
            "O": "2.450.000.000,00",
            "P": "2.600.000.000,00",
            "U": "BKPSDM",
        },
    ),
    (
        "5.03.02.2.01",
        "Pengadaan, Pemberhentian dan Informasi Kepegawaian ASN",
        {
            "H": "Persentase data ASN yang mutakhir",
            "I": "100 %",
            "J": "90 %",
            "M": "95 %",
            "N": "1.500.000.000,00",
            "O": "1.450.000.000,00",
            "P": "1.500.000.000,00",
        },
    ),
    (
        "5.03.02.2.01.01",
        "Penyusunan Rencana Kebutuhan, Jenis dan Jumlah Jabatan untuk Pelaksanaan Pengadaan ASN",
        {
            "H": "Jumlah Dokumen Rencana Kebutuhan ASN",
            "I": "5 Dokumen",
            "L": "1 Dokumen",
            "M": "2 Dokumen",
            "N": "950.000.000,00",
            "O": "950.000.000,00",
            "P": "1.000.000.000,00",
            "Q": "Kabupaten Sumenep",
            "R": "DAU",
        },
    ),
    (
        "5.03.02.2.01.02",
        "Koordinasi, Pelaksanaan dan Pengawasan Penerimaan ASN",
        {
            "H": "Jumlah Laporan Penerimaan ASN",
            "I": "14 Dokumen",
            "M": "14 Dokumen",
            "N": "550.000.000,00",
            "O": "500.000.000,00",
            "P": "500.000.000,00",
        },
    ),
    (
        "5.03.02.2.02",
        "Mutasi dan Promosi ASN",
        {
            "H": "Persentase ASN yang dimutasi sesuai kompetensi",
            "M": "80 - 90 %",
            "N": "1.000.000.000,00",
            "O": "1.000.000.000,00",
            "P": "1.100.000.000,00",
        },
    ),
    (
        "5.03.02.2.02.0001",
        "Pengelolaan Mutasi ASN",
        {
            "H": "Jumlah ASN yang dimutasi",
            "M": 120,
            "N": 1_000_000_000,
            "O": 1_000_000_000,
            "P": 1_100_000_000,
        },
    ),
    ("Jumlah", "", {}),
    ("5", "UNSUR PENUNJANG URUSAN PEMERINTAHAN", {}),
    ("5.01", "PERENCANAAN", {}),
    # the same program, its kegiatan and one sub kegiatan repeated under the second bidang
    (
        "5.03.02",
        "PROGRAM KEPEGAWAIAN DAERAH",
        {"H": "Indeks Profesionalitas ASN", "M": "72 Indeks", "O": "2.450.000.000,00"},
    ),
    (
        "5.03.02.2.02",
        "Mutasi dan Promosi ASN",
        {"M": "80 - 90 %", "O": "1.000.000.000,00"},
    ),
    (
        "5.03.02.2.02.0001",
        "Pengelolaan Mutasi ASN",
        {"M": 120, "O": 1_000_000_000},
    ),
    (
        "X.XX.01",
        "PROGRAM PENUNJANG URUSAN PEMERINTAHAN DAERAH KABUPATEN/KOTA",
        {
            "H": "Nilai SAKIP Perangkat Daerah",
            "I": "A Predikat",
            "M": "80 Nilai",
            "N": "15.630.291.362,00",
            "O": "15.680.291.362,00",
            "P": "15.700.000.000,00",  # not Σ of its kegiatan in this column
        },
    ),
    (
        "X.XX.01.2.01",
        "Perencanaan, Penganggaran, dan Evaluasi Kinerja Perangkat Daerah",
        {
            "H": "Persentase dokumen perencanaan tepat waktu",
            "M": "100 %",
            "N": "15.630.291.362,00",
            "O": "15.680.291.362,00",
            "P": "15.680.291.362,00",
        },
    ),
    (
        "X.XX.01.2.01.01",
        "Penyusunan Dokumen Perencanaan Perangkat Daerah",
        {
            "H": "Jumlah Dokumen Perencanaan Perangkat Daerah",
            "M": "2 Dokumen\n1 Laporan",
            "N": "100.000.000,00",
            "O": "80.291.362,00",
            "P": "80.291.362,00",
        },
    ),
    (
        "X.XX.01.2.01.07",
        "Evaluasi Kinerja Perangkat Daerah",
        {
            "H": "Jumlah Laporan Evaluasi Kinerja Perangkat Daerah",
            "M": "4 Laporan",
            "N": "15.530.291.362,00",
            "O": "15.600.000.000,00",
            "P": "15.600.000.000,00",
        },
    ),
]


def realistic(path: Path | None = None, rows: list | None = None, **kwargs: Any) -> bytes:
    """The realistic layout-C export: three title rows, header rows 4-7 numbered 1-20, data
    from row 8, a signature at the foot. Returns the file's bytes (written to ``path`` too)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Renja 2025"
    title(ws, **{k: v for k, v in kwargs.items() if k in ("agency", "year")})
    header(ws, year=kwargs.get("year", 2025))
    r = 8
    for number, (code, name, cells) in enumerate(rows if rows is not None else REALISTIC_ROWS, 1):
        ws[f"A{r}"] = number
        if code == "Jumlah":
            ws[f"G{r}"] = "JUMLAH"
        else:
            put(ws, r, code, name, **cells)
        r += 1
    ws[f"T{r + 2}"] = "Sumenep, 2 Januari 2025"
    ws[f"T{r + 3}"] = "KEPALA BADAN"
    ws[f"T{r + 6}"] = "NIP. 19700101 199003 1 001"
    return save(wb, path)


def save(wb: Any, path: Path | None = None) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


# A small list with one header row and a numbering row (row 4 and 5), data from row 6:
# A No · B Kode · C name · D indikator · E Renstra target · F target · G pagu.
SIMPLE_HEADER = [
    "No",
    "Kode",
    "Program/Kegiatan/Sub Kegiatan",
    "Indikator",
    "Target Akhir Periode Renstra",
    "Target Tahun 2025",
    "Pagu Indikatif (Rp)",
]
FIRST = 6  # the first data row


def simple_rows() -> list[list[Any]]:
    """Program (row 6) → kegiatan (row 7) → two sub kegiatan (rows 8, 9), pagu adding up."""
    return [
        [1, "5.03.02", "PROGRAM KEPEGAWAIAN DAERAH", "Indeks Profesionalitas ASN", "75 Indeks",
         "72 Indeks", "300.000.000,00"],
        [2, "5.03.02.2.01", "Pengadaan ASN", "Persentase data ASN mutakhir", "100 %", "95 %",
         "300.000.000,00"],
        [3, "5.03.02.2.01.01", "Penyusunan Rencana Kebutuhan ASN", "Jumlah dokumen", "5 Dokumen",
         "2 Dokumen", "100.000.000,00"],
        [4, "5.03.02.2.01.02", "Penerimaan ASN", "Jumlah laporan", "14 Dokumen", "14 Dokumen",
         "200.000.000,00"],
    ]  # fmt: skip


def simple(
    rows: list[list[Any]] | None = None,
    *,
    header_row: list[str] | None = None,
    sheet: str = "Renja",
    agency: str = AGENCY,
    year: int = 2025,
    wb: Any = None,
) -> Any:
    """The small list as an openpyxl workbook (call :func:`save` for its bytes)."""
    if wb is None:
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = sheet
    else:
        ws = wb.create_sheet(sheet)
    ws["A1"] = "RENCANA KERJA PERANGKAT DAERAH"
    ws["A2"] = agency
    ws["A3"] = f"TAHUN {year}"
    headers = header_row if header_row is not None else SIMPLE_HEADER
    for c, text in enumerate(headers, start=1):
        ws.cell(row=4, column=c, value=text)
        ws.cell(row=5, column=c, value=c)
    for r, row in enumerate(rows if rows is not None else simple_rows(), start=FIRST):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    return wb
