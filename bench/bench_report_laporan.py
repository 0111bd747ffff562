"""Benchmark: the whole seed quarterly report (Laporan Capaian Kinerja TW I 2024) as DOCX,
PDF and XLSX, against LibreOffice headless converting the same DOCX to PDF.

A child process migrates a throwaway SQLite database, loads the seed agency, then (timed)
builds the report from the database once — charts included — and renders the three formats;
its peak memory is its max RSS (Typst's native memory included). In the same run LibreOffice
converts the DOCX it wrote to PDF. Ratio = (build + DOCX + PDF + XLSX) ÷ LibreOffice.

Run:  .venv/bin/python bench/bench_report_laporan.py      (make bench runs it too)
Goal: ratio ≤ 1 and ≤ 300 MB.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def child(out_dir: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{out_dir}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    import django

    django.setup()
    from datetime import date

    from django.core.management import call_command

    from kinerja.planning.models import Agency
    from kinerja.reporting.build_laporan import build_quarterly_report
    from kinerja.reporting.generate import generate
    from kinerja.seed import load_seed

    call_command("migrate", verbosity=0)
    load_seed(today=date(2024, 7, 1))
    agency = Agency.objects.select_related("government").get(slug="bkpsdm-sumenep")
    timings: dict[str, float] = {}
    start = time.perf_counter()
    report = build_quarterly_report(agency, year=2024, quarter=1, signed_on=date(2024, 4, 16))
    timings["build"] = time.perf_counter() - start
    for fmt in ("docx", "pdf", "xlsx"):
        start = time.perf_counter()
        (file,) = generate(report, [fmt])
        timings[fmt] = time.perf_counter() - start
        Path(out_dir, f"laporan.{fmt}").write_bytes(file.content)
    timings["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(timings))


def libreoffice_seconds(docx: Path, repeat: int = 3) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice tidak ada: jalankan `make debian-packages`.")
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", "pdf", "--outdir", out, str(docx)]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True)  # warm-up: the profile
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    runs = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(3):
            done = subprocess.run([sys.executable, __file__, "--child", out], check=True,
                                  capture_output=True, text=True)  # fmt: skip
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
        lo = libreoffice_seconds(Path(out, "laporan.docx"))
    got = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    total = got["build"] + got["docx"] + got["pdf"] + got["xlsx"]
    print("bangun dtk; DOCX dtk; PDF dtk; XLSX dtk; jumlah dtk; LibreOffice DOCX→PDF dtk; "
          "rasio; puncak MB")  # fmt: skip
    print(f"{got['build']:.2f}; {got['docx']:.2f}; {got['pdf']:.2f}; {got['xlsx']:.2f}; "
          f"{total:.2f}; {lo:.2f}; {total / lo:.2f}; {got['peak_mb']:.0f}".replace(".", ","))  # fmt: skip


if __name__ == "__main__":
    main()
