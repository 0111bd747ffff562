"""Filled evaluation forms built in code, as agencies keep them (openpyxl), for the audit tests.

- ``seed_form``: the seed's appendix (BKPSDM Sumenep, TW I 2024) in the 17-column layout, every
  value as printed — Program Penunjang's TW I K = 1, the col 13 slips 25 / 0, the footer
  20 % / 12 % — from the transcription in src/kinerja/data/seed_bkpsdm_2024_tw1.json.
- ``rkpd_form``: a 15-column RKPD-style form of another agency with unsur / bidang / total rows,
  a hidden row, formulas with cached values, a continuation row and the nine slips of a real
  filled form (listed in ``RKPD_SLIPS``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

SEED = json.loads(
    resources.files("kinerja").joinpath("data/seed_bkpsdm_2024_tw1.json").read_text(),
    parse_float=Decimal,
)
PAIRS = {  # seed key → first sheet column of its K/Rp pair (layout A)
    "col6_target_renstra_2021_2026": 6,
    "col7_realisasi_renstra_sd_2023": 8,
    "col8_target_renja_2024": 10,
    "col9_realisasi_tw1": 12,
    "col10_realisasi_tw2": 14,
    "col11_realisasi_tw3": 16,
    "col12_realisasi_tw4": 18,
    "col13_realisasi_2024_total": 20,
    "col14_capaian_renja_2024_pct": 22,
    "col15_realisasi_renstra_sd_2024": 24,
    "col16_capaian_renstra_pct": 26,
}
FIRST_ROW = 9  # the seed's first form row (its urusan row) sits on sheet row 9


def number(value: Decimal | int) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def id_text(value: Decimal | int) -> str:
    text = format(Decimal(value).normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


def _header_a(ws: Any, title_quarter: str = "Triwulan I Tahun 2024") -> None:
    ws["A1"] = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH"
    ws["A2"] = "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA KABUPATEN SUMENEP"
    ws["A3"] = title_quarter
    labels = {1: "No", 2: "Sasaran", 3: "Kode",
              4: "Urusan/ Bidang Urusan Pemerintahan Daerah dan Program/ Kegiatan",
              5: "Indikator Kinerja Program (outcome) / Kegiatan (output)",
              6: "Target Renstra Perangkat Daerah Tahun 2021-2026",
              8: "Realisasi Capaian Kinerja Renstra s.d. Renja tahun lalu",
              10: "Target Kinerja dan Anggaran Renja tahun berjalan (2024)",
              12: "Realisasi Kinerja pada Triwulan",
              20: "Realisasi Capaian Kinerja dan Anggaran Renja yang Dievaluasi",
              22: "Tingkat Capaian Kinerja dan Realisasi Anggaran Renja (%)",
              24: "Realisasi Kinerja dan Anggaran Renstra s.d. Tahun 2024",
              26: "Tingkat Capaian Kinerja dan Realisasi Anggaran Renstra s.d. 2024 (%)",
              28: "Unit Perangkat Daerah Penanggung Jawab"}  # fmt: skip
    for col, text in labels.items():
        ws.cell(5, col, text)
    for col in (1, 2, 3, 4, 5, 28):
        ws.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col)
    for col in (6, 8, 10, 20, 22, 24, 26):
        ws.merge_cells(start_row=5, start_column=col, end_row=6, end_column=col + 1)
    ws.merge_cells(start_row=5, start_column=12, end_row=5, end_column=19)
    for i, roman in enumerate(("I", "II", "III", "IV")):
        ws.cell(6, 12 + 2 * i, roman)
        ws.merge_cells(start_row=6, start_column=12 + 2 * i, end_row=6, end_column=13 + 2 * i)
    numbers = {13: "13=9+10+11+12", 14: "14=13/8x100%", 15: "15=7+13", 16: "16=15/6x100%"}
    for n in range(1, 18):
        col = n if n <= 5 else 6 + 2 * (n - 6) if n <= 16 else 28
        ws.cell(7, col, numbers.get(n, n))
        if 6 <= n <= 16:
            ws.merge_cells(start_row=7, start_column=col, end_row=7, end_column=col + 1)
            ws.cell(8, col, "K")
            ws.cell(8, col + 1, "Rp")


def _write_pair(ws: Any, row: int, col: int, cell: dict[str, Any] | None, *, pct: bool) -> None:
    if not cell:
        return
    if pct:
        for offset, key in ((0, "K_pct"), (1, "Rp_pct")):
            if cell.get(key) is not None:
                target = ws.cell(row, col + offset, number(cell[key]))
                target.number_format = '0" %"' if cell[key] == int(cell[key]) else '0.00" %"'
        return
    k = cell.get("K")
    if k is not None:
        unit = cell.get("K_unit")
        ws.cell(row, col, f"{id_text(k)} {unit}" if unit else number(k))
    elif cell.get("K_raw") == "-":
        ws.cell(row, col, "-")
    if cell.get("Rp") is not None:
        ws.cell(row, col + 1, number(cell["Rp"])).number_format = "#,##0"


def seed_form(path: Path) -> Path:
    """The seed's appendix as the agency printed it (layout A, 17 numbered columns)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Evaluasi Renja TW I"
    _header_a(ws)
    table = SEED["lampiran_evaluasi_renja"]
    row = FIRST_ROW
    for item in table["rows"]:
        ws.cell(row, 1, item.get("no"))
        ws.cell(row, 2, item.get("sasaran_cell"))
        ws.cell(row, 3, item["code"])
        ws.cell(row, 4, item["name"]).font = Font(bold=item["level"] != "sub_kegiatan")
        ws.cell(row, 5, item.get("indicator"))
        for key, col in PAIRS.items():
            _write_pair(ws, row, col, item.get(key), pct=key.endswith("_pct"))
        ws.cell(row, 28, item.get("col17_unit_pd"))
        row += 1
    summary = table["summary_rows"]
    ws.cell(row, 4, "Rata-rata capaian kinerja (%)")
    average = summary["rata_rata_capaian_kinerja"]
    ws.cell(row, 26, number(average["K_pct"])).number_format = '0" %"'
    ws.cell(row, 27, number(average["Rp_pct"])).number_format = '0" %"'
    ws.cell(row + 1, 4, "Predikat kinerja")
    ws.cell(row + 1, 26, summary["predikat_kinerja"]["K"])
    ws.cell(row + 1, 27, summary["predikat_kinerja"]["Rp"])
    ws.cell(row + 2, 4, "Faktor pendorong keberhasilan kinerja :")
    ws.cell(row + 3, 4, "Faktor penghambat pencapaian kinerja :")
    ws.cell(row + 5, 24, "Sumenep, 16 April 2024")
    ws.cell(row + 6, 24, "KEPALA BKPSDM KABUPATEN SUMENEP")
    ws.cell(row + 9, 24, "NIP. 19700101 199003 1 001")
    wb.save(path)
    return path


def seed_row(code: str, name_start: str = "") -> int:
    """The sheet row of a seed row, by its code (and the start of its name where codes repeat)."""
    for i, item in enumerate(SEED["lampiran_evaluasi_renja"]["rows"]):
        if item["code"] == code and item["name"].startswith(name_start):
            return FIRST_ROW + i
    raise KeyError(code)


def column(n: int) -> str:
    return get_column_letter(n)


_ = Alignment


# ---- layout B: the RKPD-style form of another agency (15 numbered columns) ----------------

B_COLS = {
    "c6": 9,
    "c7": 11,
    "c8": 13,
    "q1": 15,
    "q2": 18,
    "q3": 21,
    "q4": 24,
    "c13": 27,
    "c14": 29,
    "c15": 31,
}  # fmt: skip  (0-based column of each K; Rp next, quarters K % Rp)
RKPD_SLIPS = {  # cell → the rule that must flag it (one per slip of the real file)
    ("AB13", "total-not-sum-of-quarters"),  # 1 col 13 K typed 0 while the quarters add to 35
    ("AE15", "printed-value-differs"),  # 2 col 14 Rp formula on col 8 instead of col 7
    ("Z19", "quarter-percent-differs"),  # 3 TW IV K typed 0 while its % says 100
    ("AB10", "parent-range-differs"),  # 4 AVERAGE(AB12:AB13:AB15) swallows the hidden row 14
    ("O8", "parent-not-sum-of-children"),  # 5 the unsur counts bidang 2.20 twice
    ("K9", "parent-not-sum-of-children"),  # 6 bidang 2.16 adds bidang 2.20
    ("O20", "parent-not-sum-of-children"),  # 7 the total adds bidang 2.20 to the unsur
    ("AD10", "percent-summed"),  # 8 a percentage program summed into col 14
    ("AD12", "percent-summed"),  # 9 a percentage kegiatan summed into col 14
}


def _b_header(ws: Any, wb: Any, *, title: str = "Triwulan IV") -> None:
    merge = wb.add_format({"text_wrap": True})
    ws.write(0, 0, "EVALUASI TERHADAP HASIL RKPD KABUPATEN CONTOH TAHUN 2024")
    ws.write(1, 0, "Perangkat Daerah : Dinas Komunikasi dan Informatika")
    ws.write(2, 0, title)
    for col, text in enumerate(("Visi", "Misi", "Sasaran RPJMD/NSPK", "Tujuan Perangkat Daerah")):
        ws.merge_range(4, col, 6, col, text, merge)
    heads = {4: "No", 5: "Sasaran Perangkat Daerah",
             6: "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan",
             7: "Indikator Kinerja Program (Outcome)/Kegiatan (Output)", 8: "Satuan"}  # fmt: skip
    for col, text in heads.items():
        ws.write(4, col, text)
        ws.write(5, col, col - 3)
    spans = {"c6": (6, 2, "Target Renstra PD pada tahun 2026"),
             "c7": (7, 2, "Realisasi capaian kinerja Renstra PD s.d. Renja PD tahun lalu"),
             "c8": (8, 2, "Target kinerja dan anggaran Renja PD tahun berjalan 2024"),
             "q1": (9, 3, "Realisasi kinerja pada triwulan I"),
             "q2": (10, 3, "II"), "q3": (11, 3, "III"), "q4": (12, 3, "IV"),
             "c13": (13, 2, "Realisasi capaian kinerja dan anggaran Renja PD yang dievaluasi"),
             "c14": (14, 2, "Realisasi kinerja dan anggaran Renstra PD s.d. tahun 2024"),
             "c15": (15, 2, "Tingkat capaian kinerja dan realisasi anggaran Renstra PD (%)")}  # fmt: skip
    numbers = {13: "13 = 9 + 10 + 11 + 12", 14: "14 = 7 + 13", 15: "15 = 14 / 6 x 100"}
    for key, (n, width, text) in spans.items():
        col = B_COLS[key]
        ws.merge_range(4, col, 4, col + width - 1, text, merge)
        ws.merge_range(5, col, 5, col + width - 1, numbers.get(n, n), merge)
        parts = ("K", "%", "Rp") if width == 3 else ("K", "Rp")
        for i, part in enumerate(parts):
            ws.write(6, col + i, part)


def rkpd_form(path: Path, *, variant: str = "slips") -> Path:
    """The 15-column form with the nine slips (``RKPD_SLIPS``); ``variant="clean"`` is the same
    form with every slip corrected."""
    import xlsxwriter

    clean = variant == "clean"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Evaluasi RKPD")
    _b_header(ws, wb)
    money = wb.add_format({"num_format": "#,##0"})
    pct = wb.add_format({"num_format": "0.00%"})

    def put(row: int, col: int, value: Any, formula: str | None = None) -> None:
        fmt = money if isinstance(value, int | float) and abs(value) >= 1000 else None
        if formula and value is not None:
            ws.write_formula(row - 1, col, formula, fmt, value)
        elif value is not None:
            ws.write(row - 1, col, value, fmt)

    def item(row: int, name: str, indicator: str | None, unit: str | None,
             k: dict[str, Any], rp: dict[str, Any], pcts: tuple[Any, ...] = (),
             formulas: dict[tuple[str, str], str] | None = None) -> None:  # fmt: skip
        if name:
            put(row, 6, name)
        put(row, 7, indicator)
        put(row, 8, unit)
        for key, col in B_COLS.items():
            width = 1 if key.startswith("q") else 0
            for part, offset, values in (("k", 0, k), ("rp", 1 + width, rp)):
                formula = (formulas or {}).get((key, part))
                put(row, col + offset, values.get(key), formula)
        for i, value in enumerate(pcts):
            put(row, B_COLS[f"q{i + 1}"] + 1, value)

    q_rp_10 = {"q1": 45_000_000, "q2": 57_868_883, "q3": 57_000_000, "q4": 68_000_000}
    rp_10 = {"c6": 2_000_000_000, "c7": 550_000_000, "c8": 253_956_966, **q_rp_10,
             "c13": 227_868_883, "c14": 777_868_883, "c15": 38.8934441}  # fmt: skip
    rp_16 = {"c6": 300_000_000, "c7": 100_000_000, "c8": 60_000_000, "q1": 10_000_000,
             "q2": 15_000_000, "q3": 15_000_000, "q4": 20_000_000, "c13": 60_000_000,
             "c14": 160_000_000, "c15": 53.3333333}  # fmt: skip
    unsur = {key: (rp_10[key] + rp_16[key] if key != "c15" else None) for key in rp_10}
    unsur8 = dict(unsur, c8=unsur["c8"] + (0 if clean else rp_16["c8"]))
    put(8, 6, "2 URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR")
    item(8, "", None, None, {}, unsur8,
         formulas={("c8", "rp"): "=O9+O16" if clean else "=O9+O16+O16"})  # fmt: skip
    bidang9 = dict(rp_10, c6=rp_10["c6"] + (0 if clean else rp_16["c6"]), c15=None)
    put(9, 6, "2.16 URUSAN PEMERINTAHAN BIDANG KOMUNIKASI DAN INFORMATIKA")
    item(9, "", None, None, {}, bidang9, formulas={("c6", "rp"): "=K10" if clean else "=K10+K16"})
    ws.write(9, 4, 1)
    average = 100 if clean else 50
    item(10, "2.16.02 PROGRAM INFORMASI DAN KOMUNIKASI PUBLIK",
         "Persentase perangkat daerah yang menyebarluaskan informasi publik", "%",
         {"c6": 100, "c7": None if clean else 100, "c8": 100, "q1": 25, "q2": 25, "q3": 25,
          "q4": 25, "c13": average, "c14": None if clean else 100 + average,
          "c15": None if clean else 100 + average},
         rp_10, (25, 50, 75, 100),
         {("c13", "k"): "=AB12" if clean else "=AVERAGE(AB12:AB13:AB15)",
          ("c14", "k"): "=L10+AB10", ("c15", "k"): "=AD10/J10*100",
          ("c13", "rp"): "=R10+U10+X10+AA10", ("c14", "rp"): "=M10+AC10",
          ("c15", "rp"): "=AE10/K10*100"})  # fmt: skip
    item(11, "", "Indeks kepuasan layanan informasi publik", "Indeks",
         {"c6": 3.5, "c7": 3.2, "c8": 3.4, "q4": 3.4, "c13": 3.4, "c14": 6.6,
          "c15": 188.571428571}, {})  # fmt: skip
    item(12, "2.16.02.2.01 Pengelolaan Informasi dan Komunikasi Publik Pemerintah Daerah",
         "Persentase informasi publik yang terdiseminasi", "%",
         {"c6": 100, "c7": None if clean else 100, "c8": 100, "q1": 25, "q2": 25, "q3": 25,
          "q4": 25, "c13": 100, "c14": None if clean else 200, "c15": None if clean else 200},
         rp_10, (25, 50, 75, 100),
         {("c8", "rp"): "=SUM(O13:O15)", ("c13", "k"): "=P12+S12+V12+Y12",
          ("c14", "k"): "=L12+AB12", ("c15", "k"): "=AD12/J12*100"})  # fmt: skip
    item(13, "2.16.02.2.01.0001 Perumusan Kebijakan Teknis Komunikasi Publik",
         "Jumlah dokumen kebijakan", "Dokumen",
         {"c6": 20, "c7": 10, "c8": 40, "q1": 5, "q2": 10, "q3": 10, "q4": 10,
          "c13": 35 if clean else 0, "c14": 45 if clean else 10, "c15": 225 if clean else 50},
         {"c6": 500_000_000, "c7": 300_000_000, "c8": 200_000_000, "q1": 40_000_000,
          "q2": 50_000_000, "q3": 50_000_000, "q4": 60_000_000, "c13": 200_000_000,
          "c14": 500_000_000, "c15": 100}, (12.5, 37.5, 62.5, 87.5),
         {("c14", "k"): "=L13+AB13", ("c15", "k"): "=AD13/J13*100"})  # fmt: skip
    item(14, "2.16.02.2.01.0002 Monitoring Opini dan Aspirasi Publik", "Jumlah laporan", "Laporan",
         {"c6": 8, "c7": 4, "c13": 0, "c14": 4, "c15": 50},
         {"c6": 100_000_000, "c7": 100_000_000, "c13": 0, "c14": 100_000_000, "c15": 100})  # fmt: skip
    ws.set_row(13, None, None, {"hidden": True})  # not run this year
    item(15, "2.16.02.2.01.0003 Pengelolaan Konten dan Perencanaan Media Komunikasi Publik",
         "Jumlah konten", "Konten",
         {"c6": 400, "c7": 150, "c8": 100, "q1": 20, "q2": 30, "q3": 25, "q4": 25, "c13": 100,
          "c14": 250, "c15": 62.5},
         {"c6": 1_400_000_000, "c7": 150_000_000, "c8": 53_956_966, "q1": 5_000_000,
          "q2": 7_868_883, "q3": 7_000_000, "q4": 8_000_000, "c13": 27868882.999999996,
          "c14": 177_868_883 if clean else 81825848.99999999, "c15": 12.7049202},
         (20, 50, 75, 100),
         {("c13", "rp"): "=R15+U15+X15+AA15",
          ("c14", "rp"): "=M15+AC15" if clean else "=O15+AC15"})  # fmt: skip
    put(16, 6, "2.20 URUSAN PEMERINTAHAN BIDANG STATISTIK")
    item(16, "", None, None, {}, dict(rp_16, c15=None))
    ws.write(16, 4, 2)
    item(17, "2.20.02 PROGRAM PENYELENGGARAAN STATISTIK SEKTORAL",
         "Jumlah data statistik sektoral yang tersedia", "Dokumen",
         {"c6": 10, "c7": 4, "c8": 2, "q1": 0, "q2": 0, "q3": 1, "q4": 1, "c13": 2, "c14": 6,
          "c15": 60}, rp_16, (0, 0, 50, 100))  # fmt: skip
    item(18, "2.20.02.2.01 Penyelenggaraan Statistik Sektoral di Lingkup Daerah",
         "Jumlah laporan statistik sektoral", "Laporan",
         {"c6": 20, "c7": 8, "c8": 4, "q1": 1, "q2": 1, "q3": 1, "q4": 0, "c13": 3, "c14": 11,
          "c15": 55}, rp_16, (25, 50, 75, 75))  # fmt: skip
    item(19, "2.20.02.2.01.0001 Koordinasi dan Sinkronisasi Pengumpulan Data Statistik",
         "Jumlah dokumen hasil koordinasi", "Dokumen",
         {"c6": 20, "c7": 8, "c8": 4, "q1": 1, "q2": 1, "q3": 1, "q4": 1 if clean else 0,
          "c13": 4 if clean else 3, "c14": 12 if clean else 11, "c15": 60 if clean else 55},
         rp_16, (25, 50, 75, 100),
         {("c13", "k"): "=P19+S19+V19+Y19"})  # fmt: skip
    total = dict(unsur, c8=unsur["c8"] + (0 if clean else rp_16["c8"]))
    put(20, 6, "TOTAL")
    item(20, "", None, None, {}, total, formulas={("c8", "rp"): "=O8" if clean else "=O8+O16"})
    # helper cells right of the table, unlabelled: the kegiatan average and the budget ratio
    ws.write_formula(11, 34, "=AVERAGE(AB12/N12*100,AB18/N18*100)", None, 87.5)
    ws.write_formula(12, 34, "=(AC10+AC17)/(O10+O17)", pct, 287_868_883 / 313_956_966)
    ws.write(21, 24, "Kabupaten Contoh, Desember 2024")
    ws.write(22, 24, "Kepala Dinas Komunikasi dan Informatika")
    ws.write(25, 24, "NIP. 19750505 200003 1 002")
    wb.close()
    return path
