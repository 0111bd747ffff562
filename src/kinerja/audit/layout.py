"""Where a filled form keeps its columns: found by the header's numbering row ("1 2 3 … 17",
"13=9+10+11+12", "14 = 7 + 13" …) and the K / % / Rp labels under it, never by position.

Two families (docs/form-audit.md):
- ``renja`` (layout A, the seed's): 17 numbered columns, 13 = 9+…+12, 14 = 13/8, 15 = 7+13,
  16 = 15/6, 17 unit; the code in column 3, the name in 4, the indicator in 5.
- ``rkpd`` (layout B): 15 numbered columns, name with its code in 3, indicator in 4, satuan in
  5; quarters 9–12 with K, % and Rp; 13 = 9+…+12, 14 = 7+13, 15 = 14/6 (no 13/8 column).

Each value column is mapped to the core's meaning (``c6`` … ``c16``, ``q1`` … ``q4``) so the
rest of the audit never asks which family it reads; messages name the form's own numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Layout", "LayoutError", "find_layout"]

HEADER_SCAN = 60  # the numbering row sits in the first rows of a sheet

# form column number → meaning, per family
_RENJA = {1: "no", 2: "sasaran", 3: "code", 4: "name", 5: "indicator", 6: "c6", 7: "c7",
          8: "c8", 9: "q1", 10: "q2", 11: "q3", 12: "q4", 13: "c13", 14: "c14", 15: "c15",
          16: "c16", 17: "unit_pd"}  # fmt: skip
_RKPD = {1: "no", 2: "sasaran", 3: "name", 4: "indicator", 5: "unit", 6: "c6", 7: "c7",
         8: "c8", 9: "q1", 10: "q2", 11: "q3", 12: "q4", 13: "c13", 14: "c15", 15: "c16"}  # fmt: skip
VALUE_COLUMNS = ("c6", "c7", "c8", "q1", "q2", "q3", "q4", "c13", "c14", "c15", "c16")
# what each computed column is made of, as the form writes it
FORMULAS = {
    "renja": {"c13": "9+10+11+12", "c14": "13/8×100", "c15": "7+13", "c16": "15/6×100"},
    "rkpd": {"c13": "9+10+11+12", "c15": "7+13", "c16": "14/6×100"},
}

_NUMBER = re.compile(r"^\s*\(?(\d{1,2})\)?\s*(?:=.*)?$", re.S)


class LayoutError(ValueError):
    """The sheet is not an evaluation form this reader knows; ``str()`` is Indonesian."""


@dataclass(frozen=True, slots=True)
class Layout:
    family: str  # "renja" | "rkpd"
    numbering_row: int  # the sheet's row number of "1 2 3 …"
    first_data_row: int
    last_column: int  # the table's last sheet column (1-based)
    columns: dict[str, int]  # text meanings ("no", "name" …) → sheet column
    values: dict[tuple[str, str], int]  # ("c8", "k") → sheet column; parts k, pct, rp
    numbers: dict[str, int] = field(default_factory=dict)  # meaning → the form's own number

    def label(self, meaning: str, part: str | None = None) -> str:
        """``kolom 14 K`` in the form's own numbering; quarters ``TW II K``."""
        if meaning.startswith("q"):
            text = f"TW {('I', 'II', 'III', 'IV')[int(meaning[1]) - 1]} (kolom {self.numbers[meaning]})"
        else:
            text = f"kolom {self.numbers[meaning]}"
        return text + ({"k": " K", "rp": " Rp", "pct": " %"}[part] if part else "")


def _number_of(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 30:
        return value
    if isinstance(value, float) and value.is_integer() and 1 <= value <= 30:
        return int(value)
    if isinstance(value, str):
        found = _NUMBER.match(value)
        if found:
            return int(found[1])
    return None


def _part_of(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip().casefold().rstrip(".")
    if text in ("k", "kinerja", "fisik", "target", "realisasi k", "capaian"):
        return "k"
    if text in ("rp", "anggaran", "keuangan", "rupiah", "realisasi rp"):
        return "rp"
    if text in ("%", "persen", "(%)", "k (%)", "capaian (%)"):
        return "pct"
    return None


def find_layout(rows: list[list[Any]], merged_width: dict[tuple[int, int], int]) -> Layout:
    """``rows``: the values of the first sheet rows (row 1 first, column 1 first);
    ``merged_width``: (row, column) of a merged range's top-left → its width in columns."""
    best: tuple[int, list[tuple[int, int]], int] | None = None
    for r, values in enumerate(rows[:HEADER_SCAN], start=1):
        found = [(c, n) for c, v in enumerate(values, start=1) if (n := _number_of(v))]
        sequence: list[tuple[int, int]] = []
        for c, n in found:  # the longest run 1, 2, 3 … from left to right
            if n == len(sequence) + 1:
                sequence.append((c, n))
        if len(sequence) >= 12 and (best is None or len(sequence) > len(best[1])):
            best = (r, sequence, len(sequence))
    if best is None:
        raise LayoutError(
            "baris penomoran kolom (1 2 3 … 17, atau 1 … 15) tidak ditemukan di 60 baris "
            "pertama; ini bukan formulir evaluasi Renja/RKPD yang dikenal"
        )
    row, sequence, count = best
    texts = {n: str(rows[row - 1][c - 1]) for c, n in sequence}
    if count >= 16 or "13/8" in texts.get(14, "").replace(" ", ""):
        family, meanings = "renja", _RENJA
    elif count == 15 or "7+13" in texts.get(14, "").replace(" ", ""):
        family, meanings = "rkpd", _RKPD
    else:
        raise LayoutError(
            f"baris penomoran kolom (baris {row}) hanya sampai {count}; formulir yang dikenal "
            "bernomor 1–17 (Renja) atau 1–15 (RKPD)"
        )
    sequence = [(c, n) for c, n in sequence if n in meanings]
    starts = {n: c for c, n in sequence}
    ends: dict[int, int] = {}
    for i, (c, n) in enumerate(sequence):
        nxt = sequence[i + 1][0] if i + 1 < len(sequence) else None
        ends[n] = nxt - 1 if nxt is not None else c + merged_width.get((row, c), 1) - 1
    labels = _part_labels(rows, row, starts, ends)
    columns: dict[str, int] = {}
    values: dict[tuple[str, str], int] = {}
    numbers: dict[str, int] = {}
    for n, meaning in meanings.items():
        if n not in starts:
            continue
        numbers[meaning] = n
        if meaning not in VALUE_COLUMNS:
            columns[meaning] = starts[n]
            continue
        span = list(range(starts[n], ends[n] + 1))
        named = {labels[c]: c for c in span if c in labels}
        if "k" in named or "rp" in named:
            for part, c in named.items():
                values[(meaning, part)] = c
        else:
            parts = {1: ("k",), 2: ("k", "rp"), 3: ("k", "pct", "rp")}.get(len(span), ("k", "rp"))
            for part, c in zip(parts, span, strict=False):
                values[(meaning, part)] = c
    missing = [m for m in ("name", "c8", "q1") if m not in columns and (m, "k") not in values]
    if missing:
        raise LayoutError(f"kolom {', '.join(missing)} tidak ditemukan pada baris penomoran {row}")
    label_rows = [r for r in range(row - 3, row + 4) if 0 < r <= len(rows)]
    last_label = max(
        (r for r in label_rows if r > row and any(_part_of(v) for v in rows[r - 1])), default=row
    )
    return Layout(
        family=family,
        numbering_row=row,
        first_data_row=last_label + 1,
        last_column=max(ends.values()),
        columns=columns,
        values=values,
        numbers=numbers,
    )


def _part_labels(
    rows: list[list[Any]], row: int, starts: dict[int, int], ends: dict[int, int]
) -> dict[int, str]:
    """Sheet column → "k" / "pct" / "rp" from the labels just above or below the numbers."""
    found: dict[int, str] = {}
    for r in (row + 1, row - 1, row + 2, row - 2):
        if not 0 < r <= len(rows):
            continue
        for c, value in enumerate(rows[r - 1], start=1):
            part = _part_of(value)
            if part and c not in found and any(starts[n] <= c <= ends[n] for n in starts):
                found[c] = part
    return found
