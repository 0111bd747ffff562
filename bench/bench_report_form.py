"""Benchmark: the evaluation form as XLSX + PDF, for the seed agency and a 2.000-row form.

Each case runs in its own process, so its peak memory (max RSS, which includes Typst's
native memory) is its own. In the same run, LibreOffice headless converts the same XLSX
to PDF; the ratio is (XLSX + PDF time) ÷ (LibreOffice conversion time).

Run:  .venv/bin/python bench/bench_report_form.py     (make bench runs it too)
Goal: seed XLSX + PDF together ≤ ½ of LibreOffice's conversion; ≤ 300 MB peak at seed size;
≤ 1,5 GB at 2.000 rows.
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-tw1-2024.json"


def make_report(case: str):  # type: ignore[no-untyped-def]
    from kinerja.core import evaluate_form
    from kinerja.formfile import load_form
    from kinerja.reporting.build import form_report

    if case == "seed":
        form = load_form(str(SEED))
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from bench_evaluation import generate

        form = generate(int(case))
        form = type(form)(year=2024, quarter=1, rows=form.rows)
    return form_report(evaluate_form(form), government="Pemerintah Kabupaten Sumenep",
                       agency="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia "
                       "Kabupaten Sumenep", agency_abbreviation="BKPSDM")  # fmt: skip


def child(case: str, repeat: int, out_dir: str) -> None:
    """Render XLSX and PDF ``repeat`` times; print timings (median) and peak RSS as JSON."""
    from kinerja.reporting.generate import generate

    report = make_report(case)
    generate(report, ["xlsx", "pdf"])  # warm-up: imports, fonts
    times: dict[str, list[float]] = {"xlsx": [], "pdf": []}
    for _ in range(repeat):
        for fmt in ("xlsx", "pdf"):
            start = time.perf_counter()
            (file,) = generate(report, [fmt])
            times[fmt].append(time.perf_counter() - start)
            Path(out_dir, f"form.{fmt}").write_bytes(file.content)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({f: statistics.median(t) for f, t in times.items()} | {"peak_mb": peak_mb}))


def libreoffice_seconds(xlsx: Path, repeat: int) -> float:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice tidak ada: jalankan `make debian-packages`.")
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as out:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", "pdf", "--outdir", out, str(xlsx)]  # fmt: skip
        subprocess.run(cmd, check=True, capture_output=True)  # warm-up: the profile
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    print("kasus; XLSX dtk; PDF dtk; XLSX+PDF dtk; LibreOffice XLSX→PDF dtk; rasio; puncak MB")
    for case, repeat in (("seed", 5), ("2000", 2)):
        with tempfile.TemporaryDirectory() as out:
            done = subprocess.run([sys.executable, __file__, "--child", case, str(repeat), out],
                                  check=True, capture_output=True, text=True)  # fmt: skip
            got = json.loads(done.stdout.strip().splitlines()[-1])
            both = got["xlsx"] + got["pdf"]
            lo = libreoffice_seconds(Path(out, "form.xlsx"), 3 if case == "seed" else 1)
            print(f"{case}; {got['xlsx']:.2f}; {got['pdf']:.2f}; {both:.2f}; {lo:.2f}; "
                  f"{both / lo:.2f}; {got['peak_mb']:.0f}".replace(".", ","))  # fmt: skip


if __name__ == "__main__":
    main()
