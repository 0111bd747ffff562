"""Benchmark: the evaluation form as XLSX + PDF, for the seed agency and a 2.000-row form.

Times are medians over renders of slightly different data (Typst keeps the work of its
last compiles in the process and would otherwise answer a repeat from its cache). Peak
memory (max RSS, Typst's native memory included) is that of a fresh process rendering one
XLSX and one PDF: what one request or one `kinerja report` costs. In the same run, LibreOffice headless converts the same XLSX
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
    """Render XLSX and PDF; print the median times of ``repeat`` renders and, when repeat is
    0, the peak RSS of a process that rendered each format once (what one request costs)."""
    from dataclasses import replace

    from kinerja.reporting.generate import generate

    base = make_report(case)
    if repeat == 0:
        for file in generate(base, ["xlsx", "pdf"]):
            Path(out_dir, f"form.{file.filename.rsplit('.', 1)[1]}").write_bytes(file.content)
        print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return
    generate(replace(base, agency=f"{base.agency} (pemanasan)"), ["xlsx", "pdf"])  # imports, fonts
    times: dict[str, list[float]] = {"xlsx": [], "pdf": []}
    for i in range(repeat):
        # other data each time, so Typst's in-process cache of earlier compiles cannot help
        report = replace(base, agency=f"{base.agency} ({i})")
        for fmt in ("xlsx", "pdf"):
            start = time.perf_counter()
            generate(report, [fmt])
            times[fmt].append(time.perf_counter() - start)
    print(json.dumps({f: statistics.median(t) for f, t in times.items()}))


def run_child(case: str, repeat: int, out: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, __file__, "--child", case, str(repeat), out],
                          check=True, capture_output=True, text=True)  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


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
    print("kasus; XLSX dtk; PDF dtk; XLSX+PDF dtk; LibreOffice XLSX→PDF dtk; rasio; "
          "puncak MB (satu XLSX + satu PDF)")  # fmt: skip
    for case, repeat in (("seed", 5), ("2000", 2)):
        with tempfile.TemporaryDirectory() as out:
            peak = run_child(case, 0, out)["peak_mb"]
            got = run_child(case, repeat, out)
            both = got["xlsx"] + got["pdf"]
            lo = libreoffice_seconds(Path(out, "form.xlsx"), 3 if case == "seed" else 1)
            print(f"{case}; {got['xlsx']:.2f}; {got['pdf']:.2f}; {both:.2f}; {lo:.2f}; "
                  f"{both / lo:.2f}; {peak:.0f}".replace(".", ","))  # fmt: skip


if __name__ == "__main__":
    main()
