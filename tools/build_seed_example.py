"""Build examples/seed-tw1-2024.json, the seed's evaluation form as `kinerja evaluate` input,
and examples/seed-tw1-2024-printed.json, the same form as the seed printed it.

Why: the seed report (BKPSDM Sumenep, Laporan Capaian Kinerja TW I 2024) is Kinerja's reference
case. This script turns the appendix of its transcription (src/kinerja/data/
seed_bkpsdm_2024_tw1.json, key `lampiran_evaluasi_renja.rows`) into an input file valid against
schemas/evaluate-input.schema.json: only the inputs (columns 6-12 and 17), never the printed
columns 13-16, which Kinerja computes itself.

Decisions (see docs/seed.md and DESIGN.md §3):
- the 3 urusan/bidang header rows are dropped; 61 rows remain, in the seed's order;
- ids are "<code>#<row>" because codes repeat in the seed;
- values are written as Indonesian-format strings built from the parsed numbers (the *_raw text
  is damaged): K as "0,25" / "1.895" plus " <K_unit>" when the cell has one, Rp as "39.702.120.882";
- Program Penunjang (5.03.01) TW I K is 15, not the printed 1;
- a TW I report has no TW II-IV: those cells are null unless non-zero (the Sertifikasi,
  Kelembagaan ... kegiatan's TW III/IV K 0,5 stays, so Kinerja can flag it); blanks stay null.

The printed example keeps every value as printed (Program Penunjang TW I K 1) and adds what the
seed printed in columns 13-16 of each row ("printed": {"col13": {"k", "rp"}, ...}, percentages
as "15 %", cells not printed left out) and its footer ("printed": {"footer": {"k": "20 %",
"rp": "12 %"}}), so `kinerja evaluate` lists the seed's printed slips.

Run from anywhere (stdlib only, Python 3.11):  python3 tools/build_seed_example.py
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "src" / "kinerja" / "data" / "seed_bkpsdm_2024_tw1.json"
OUT = ROOT / "examples" / "seed-tw1-2024.json"
OUT_PRINTED = ROOT / "examples" / "seed-tw1-2024-printed.json"

YEAR, QUARTER = 2024, 1
LEVELS = ("program", "kegiatan", "sub_kegiatan")
TARGET_COLS = {
    "renstra_target": "col6_target_renstra_2021_2026",
    "renstra_realised_before": "col7_realisasi_renstra_sd_2023",
    "year_target": "col8_target_renja_2024",
}
QUARTER_COLS = (
    "col9_realisasi_tw1",
    "col10_realisasi_tw2",
    "col11_realisasi_tw3",
    "col12_realisasi_tw4",
)
# (code, seed row number) -> corrected TW I K; see seed README "Where the seed is wrong".
TW1_K_CORRECTIONS = {("5.03.01", 3): Decimal(15)}
# the printed columns 13-16: (input key, seed key, percent)
PRINTED_COLS = (
    ("col13", "col13_realisasi_2024_total", False),
    ("col14", "col14_capaian_renja_2024_pct", True),
    ("col15", "col15_realisasi_renstra_sd_2024", False),
    ("col16", "col16_capaian_renstra_pct", True),
)


def id_number(value: int | Decimal) -> str:
    """Indonesian format: '.' groups thousands, ',' marks decimals (1895 -> '1.895')."""
    text = format(Decimal(value).normalize(), "f")
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def k_text(cell: dict[str, Any], k: int | Decimal | None) -> str | None:
    if k is None:
        return None
    unit = cell.get("K_unit")
    return id_number(k) + (f" {unit}" if unit else "")


def rp_text(rp: int | Decimal | None) -> str | None:
    if rp is None:
        return None
    if Decimal(rp) != Decimal(rp).to_integral_value():
        raise ValueError(f"Rp is not whole rupiah: {rp}")
    return id_number(rp)


def pair(cell: dict[str, Any] | None) -> dict[str, str | None] | None:
    """Column 6/7/8 pair, or None when nothing was reported in either half."""
    cell = cell or {}
    k, rp = k_text(cell, cell.get("K")), rp_text(cell.get("Rp"))
    return None if k is None and rp is None else {"k": k, "rp": rp}


def percent_text(value: int | Decimal | None) -> str | None:
    return None if value is None else id_number(value) + " %"


def printed(seed_row: dict[str, Any]) -> dict[str, dict[str, str | None]] | None:
    """Columns 13-16 as printed; a column with neither K nor Rp printed is left out."""
    out = {}
    for key, col, percent in PRINTED_COLS:
        cell = seed_row.get(col) or {}
        if percent:
            k, rp = percent_text(cell.get("K_pct")), percent_text(cell.get("Rp_pct"))
        else:
            k, rp = k_text(cell, cell.get("K")), rp_text(cell.get("Rp"))
        if k is not None or rp is not None:
            out[key] = {"k": k, "rp": rp}
    return out or None


def quarters(seed_row: dict[str, Any], *, as_printed: bool = False) -> list[dict[str, str | None]]:
    """Columns 9-12; after the report quarter only non-zero values are kept."""
    out = []
    for number, col in enumerate(QUARTER_COLS, start=1):
        cell = seed_row.get(col) or {}
        k, rp = cell.get("K"), cell.get("Rp")
        if number == 1 and not as_printed:
            k = TW1_K_CORRECTIONS.get((seed_row["code"], seed_row["row"]), k)
        if number > QUARTER:
            k = None if k is None or k == 0 else k
            rp = None if rp is None or rp == 0 else rp
        out.append({"k": k_text(cell, k), "rp": rp_text(rp)})
    return out


def build(*, as_printed: bool = False) -> dict[str, Any]:
    """The input file; ``as_printed``: the printed example (see the module's docstring)."""
    seed = json.loads(SEED.read_text(encoding="utf-8"), parse_float=Decimal)
    rows: list[dict[str, Any]] = []
    last_id: dict[str, str] = {}  # level -> id of the latest row of that level
    for s in seed["lampiran_evaluasi_renja"]["rows"]:
        level = s["level"]
        if level not in LEVELS:
            continue  # urusan / bidang_urusan headers
        row_id = f"{s['code']}#{s['row']}"
        depth = LEVELS.index(level)
        parent = last_id[LEVELS[depth - 1]] if depth else None
        last_id = {lv: i for lv, i in last_id.items() if LEVELS.index(lv) < depth}
        last_id[level] = row_id
        row: dict[str, Any] = {
            "id": row_id,
            "level": level,
            "parent": parent,
            "code": s["code"],
            "name": s["name"],
            "indicator": s.get("indicator"),
            "unit": s.get("unit"),
            "responsible_unit": s.get("col17_unit_pd"),
            "polarity": "higher",
            "aggregation": "sum",
        }
        for key, col in TARGET_COLS.items():
            row[key] = pair(s.get(col))
        row["quarters"] = quarters(s, as_printed=as_printed)
        if as_printed and (shown := printed(s)) is not None:
            row["printed"] = shown
        rows.append(row)
    document = {
        "year": YEAR,
        "quarter": QUARTER,
        "rules": {"average_k": "program_mean", "average_rp": "program_ratio", "cap": None},
        "rows": rows,
    }
    if as_printed:
        average = seed["lampiran_evaluasi_renja"]["summary_rows"]["rata_rata_capaian_kinerja"]
        document["printed"] = {
            "footer": {"k": percent_text(average["K_pct"]), "rp": percent_text(average["Rp_pct"])}
        }
    return document


def main() -> None:
    for out, as_printed in ((OUT, False), (OUT_PRINTED, True)):
        document = build(as_printed=as_printed)
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as handle:
            json.dump(document, handle, ensure_ascii=False, indent=2)
            handle.write("\n")
        print(f"wrote {out.relative_to(ROOT)} ({len(document['rows'])} rows)")


if __name__ == "__main__":
    main()
