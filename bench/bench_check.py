"""Benchmark: `kinerja check` (``audit_workbook``) of a generated 2.000-row filled form against
a bare openpyxl read of the same file in the same run.

The form is layout A (17 numbered columns): 100 programs × 4 kegiatan × 4 sub kegiatan (2.000
rows), every input typed, columns 13–16 as formulas with their cached values (as a spreadsheet
saves them), parents' Rp as SUM formulas. The bare read is ``openpyxl.load_workbook`` with
formulas (``data_only=False``) touching every cell value — what any reader that needs the
formulas does at least once. The audit reads the workbook twice (formulas, then cached values
in read-only mode), recomputes every row and the footer with the core and runs every check.

Run:  .venv/bin/python bench/bench_check.py [--programs 100] [--repeat 3]
Goal: ≤ 3× the bare read.
"""

from __future__ import annotations

import argparse
import io
import statistics
import time


def build(programs: int) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Formulir")
    ws.write(0, 0, "EVALUASI HASIL RENJA PERANGKAT DAERAH TRIWULAN IV TAHUN 2024")
    numbers = {13: "13=9+10+11+12", 14: "14=13/8x100%", 15: "15=7+13", 16: "16=15/6x100%"}
    for n in range(1, 18):
        col = n - 1 if n <= 5 else 5 + 2 * (n - 6) if n <= 16 else 27
        ws.write(3, col, numbers.get(n, n))
        if 6 <= n <= 16:
            ws.write(4, col, "K")
            ws.write(4, col + 1, "Rp")
    row = 5

    def item(code: str, name: str, level: int, k: int, rp: int) -> None:
        nonlocal row
        r = row + 1
        ws.write(row, 2, code)
        ws.write(row, 3, name)
        ws.write(row, 4, "Jumlah dokumen")
        values = [(k * 5, rp * 4), (k * 2, rp), (k, rp)]
        for i, (vk, vrp) in enumerate(values):
            ws.write(row, 5 + 2 * i, vk)
            ws.write(row, 6 + 2 * i, vrp)
        quarters = [(k // 4 or 1, rp // 4)] * 4
        for i, (vk, vrp) in enumerate(quarters):
            ws.write(row, 11 + 2 * i, vk)
            ws.write(row, 12 + 2 * i, vrp)
        c13k, c13rp = sum(q[0] for q in quarters), sum(q[1] for q in quarters)
        ws.write_formula(row, 19, f"=L{r}+N{r}+P{r}+R{r}", None, c13k)
        ws.write_formula(row, 20, f"=M{r}+O{r}+Q{r}+S{r}", None, c13rp)
        ws.write_formula(row, 21, f"=T{r}/J{r}*100", None, c13k / k * 100)
        ws.write_formula(row, 22, f"=U{r}/K{r}*100", None, c13rp / rp * 100)
        ws.write_formula(row, 23, f"=H{r}+T{r}", None, k * 2 + c13k)
        ws.write_formula(row, 24, f"=I{r}+U{r}", None, rp + c13rp)
        ws.write_formula(row, 25, f"=X{r}/F{r}*100", None, (k * 2 + c13k) / (k * 5) * 100)
        ws.write_formula(row, 26, f"=Y{r}/G{r}*100", None, (rp + c13rp) / (rp * 4) * 100)
        row += 1

    for p in range(programs):
        item(f"5.03.{p + 1:02d}", f"PROGRAM {p + 1}", 0, 80, 16_000_000)
        for g in range(4):
            item(f"5.03.{p + 1:02d}.2.{g + 1:02d}", f"Kegiatan {p + 1}.{g + 1}", 1, 40, 4_000_000)
            for s in range(4):
                code = f"5.03.{p + 1:02d}.2.{g + 1:02d}.{s + 1:04d}"
                item(code, f"Sub kegiatan {p + 1}.{g + 1}.{s + 1}", 2, 8, 1_000_000)
    wb.close()
    return buf.getvalue()


def bare(data: bytes) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    count = 0
    for line in wb.active.iter_rows(values_only=True):
        count += sum(1 for v in line if v is not None)
    return count


def main() -> None:
    from kinerja.audit import audit_workbook

    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = build(args.programs)
    audit = audit_workbook(data)
    assert audit.rows == args.programs * 21, audit.rows
    assert not [f for f in audit.findings if f.rule == "printed-value-differs"], audit.findings[:3]
    times: dict[str, list[float]] = {"bare": [], "check": []}
    for _ in range(args.repeat):
        start = time.perf_counter()
        bare(data)
        times["bare"].append(time.perf_counter() - start)
        start = time.perf_counter()
        audit_workbook(data)
        times["check"].append(time.perf_counter() - start)
    b, c = statistics.median(times["bare"]), statistics.median(times["check"])
    print(f"form: {audit.rows} rows, {len(data) / 1024:.0f} KiB, {len(audit.findings)} findings")
    print(f"bare openpyxl read (formulas): {b:.3f} s")
    print(f"kinerja check:                 {c:.3f} s  ({c / b:.2f}× the bare read; goal ≤ 3×)")


if __name__ == "__main__":
    main()
