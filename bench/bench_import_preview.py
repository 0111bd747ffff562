"""Benchmark: the preview (dry run) of a plan import at the upload page's limits — what decides
whether the preview may run in a web request (docs/deploy.md, *Task workers*).

A child process migrates a throwaway SQLite database and loads the seed agency, then times
read.read_plan + apply.plan_changes against the agency's empty 2025 (what the preview does),
median of 3, for layout-C files (bench_plan_import.plan_file) of ROWS rows — the row limit
(audit.reader.MAX_ROWS, 50.000 per sheet, less the header rows) binds before the 20 MB limit:
  - plain: the file as agencies export it;
  - wide: each row with 20 more cells of random numbers (little compression; near 16 MB);
  - long names: each row's name 300 characters longer (near 11 MB);
and, on the seed agency's 61 rows, the form import's preview (its TW I 2024 form) against the
plan import's (its plan export).

Run:  .venv/bin/python bench/bench_import_preview.py [--rows 49990]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASES = {"plain": (0, 0), "wide": (20, 0), "long names": (0, 300)}


def padded_file(rows: int, extra: int, namepad: int) -> bytes:
    """bench_plan_import.plan_file with each item row padded: ``extra`` number cells after
    column P, ``namepad`` more characters in its name."""
    import xlsxwriter.worksheet as worksheet
    from bench_plan_import import plan_file

    original, rnd = worksheet.Worksheet.write_row, random.Random(1)

    def write_row(self, row, col, data, *args):  # type: ignore[no-untyped-def]
        if row >= 7 and col == 0:
            data = list(data)
            if namepad:
                data[6] = f"{data[6]} " + "".join(rnd.choice("abcdefghij klmnop")
                                                  for _ in range(namepad))  # fmt: skip
            data += [""] * (16 - len(data)) + [rnd.random() * 1e9 for _ in range(extra)]
        return original(self, row, col, data, *args)

    worksheet.Worksheet.write_row = write_row
    try:
        return plan_file(rows)
    finally:
        worksheet.Worksheet.write_row = original


def child(out_dir: str, rows: int) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{out_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.core.management import call_command

    from kinerja.audit.reader import MAX_BYTES
    from kinerja.planning.models import Agency
    from kinerja.planning.plan_io.apply import plan_changes
    from kinerja.planning.plan_io.read import read_plan
    from kinerja.seed import load_seed

    call_command("migrate", verbosity=0)
    load_seed(today=date(2024, 7, 1))
    agency = Agency.objects.get(slug="bkpsdm-sumenep")
    for case, (extra, namepad) in CASES.items():
        data = padded_file(rows, extra, namepad)
        assert len(data) <= MAX_BYTES, len(data)
        times, counts = [], None
        for _ in range(3):
            start = time.perf_counter()
            counts = plan_changes(read_plan(data, file_name="plan.xlsx"), agency, 2025).counts()
            times.append(time.perf_counter() - start)
        assert counts is not None and counts["created"] > rows and not counts["errors"], counts
        print(json.dumps({"case": case, "rows": rows, "file_mb": round(len(data) / 2**20, 1),
                          "preview_s": round(statistics.median(times), 2)}), flush=True)  # fmt: skip
    seed_sized(agency)


def seed_sized(agency) -> None:  # type: ignore[no-untyped-def]
    """The seed agency's 61 rows as its TW I 2024 form and as its plan export: the form
    import's preview against the plan import's on the same rows."""
    from kinerja.audit.form_import import form_changes, read_form_import
    from kinerja.planning.plan_io.apply import plan_changes
    from kinerja.planning.plan_io.export import export_workbook
    from kinerja.planning.plan_io.read import read_plan
    from kinerja.reporting.generate import build_report, generate

    report = build_report("form", agency, year=2024, quarter=1, today=date(2024, 7, 1))
    ((form,), plan) = generate(report, ["xlsx"]), export_workbook(agency, 2024)

    def median_ms(preview) -> int:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(5):
            start = time.perf_counter()
            preview()
            times.append(time.perf_counter() - start)
        return round(statistics.median(times) * 1000)

    print(json.dumps({
        "case": "seed, 61 rows",
        "form_preview_ms": median_ms(lambda: form_changes(read_form_import(
            form.content, file_name="f.xlsx", quarter=1), agency, 2025)),
        "plan_preview_ms": median_ms(lambda: plan_changes(read_plan(
            plan, file_name="p.xlsx"), agency, 2025)),
    }), flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=49_990)
    parser.add_argument("--child", metavar="DIR")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([sys.executable, __file__, "--child", out, "--rows", str(args.rows)],
                       check=True)  # fmt: skip


if __name__ == "__main__":
    main()
