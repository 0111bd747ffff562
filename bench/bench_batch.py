"""Benchmark: a pemda's whole quarter of reports as a batch on the task queue.

N agencies (default 5: the seed agency BKPSDM and N−1 copies of it, each made by importing the
seed's TW I 2024 evaluation form as Kinerja writes it — `kinerja form import`, the same 61
items, pagu and realisations; a copy has no PK of its own, so its PK is the draft drawn from
its Renja) × laporan PDF/DOCX/XLSX, form
PDF/XLSX and PK PDF/DOCX = 7·N files, enqueued by the admin pemda's click on the reports page
of a running web process (`kinerja serve`), made by `kinerja worker --processes 2 --burst`.

Reported: the total time from the click to the last file; each worker process's tasks and
peak memory (max RSS, as it prints it when it exits; --max-tasks recycles them); the web
process's resident memory before and after the click and after the batch (it only enqueues,
so it must not grow by a render's worth: a form's PDF alone is ~300 MB).

Run:  .venv/bin/python bench/bench_batch.py [--agencies 5] [--max-tasks 20]
      [--database-url postgresql://postgres@127.0.0.1:5432/x]   (a scratch database, dropped)
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

KINERJA = str(Path(sys.executable).with_name("kinerja"))
SETUP = """
import django; django.setup()
from kinerja.planning.models import Agency
seed = Agency.objects.get(slug="bkpsdm-sumenep")
Agency.objects.filter(is_example=True).delete()  # the demo's small made-up agencies
for i in range(1, {copies} + 1):
    Agency.objects.get_or_create(slug=f"bkpsdm-salinan-{{i}}", defaults=dict(
        government=seed.government, name=f"{{seed.name}} (salinan {{i}})",
        abbreviation=f"BKPSDM{{i}}"))
"""


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env, *args, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run(args, env=env, cwd=env["KINERJA_VAR_DIR"], capture_output=True,
                          text=True, **kw)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}")
    return done


def prepare(env, agencies: int) -> None:
    tmp = Path(env["KINERJA_VAR_DIR"])
    run(env, KINERJA, "demo", "--load-only")
    run(env, KINERJA, "report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
        "--document", "form", "--format", "xlsx", "--output", str(tmp))  # fmt: skip
    (form,) = tmp.glob("evaluasi-renja-*.xlsx")
    run(env, sys.executable, "-c", SETUP.format(copies=agencies - 1))
    for i in range(1, agencies):
        run(env, KINERJA, "form", "import", str(form), "--agency", f"bkpsdm-salinan-{i}",
            "--year", "2024")  # fmt: skip


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.open = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar)).open

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> str:
        return self.open(self.base + path, timeout=120).read().decode()

    def post(self, path: str, data: dict) -> str:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(self.base + path, body,
                                         headers={"Referer": self.base + path})  # fmt: skip
        return self.open(request, timeout=120).read().decode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=5)
    parser.add_argument("--max-tasks", type=int, default=20)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY",)}
    env |= {
        "KINERJA_VAR_DIR": str(tmp),
        "MEDIA_ROOT": str(tmp / "media"),
        "DEBUG": "1",
        "DJANGO_SETTINGS_MODULE": "kinerja.settings",
    }
    drop = None
    if args.database_url:
        import psycopg

        parts = urlsplit(args.database_url)
        name = f"kinerja_benchb_{uuid.uuid4().hex[:8]}"
        server = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"], drop = urlunsplit(parts._replace(path=f"/{name}")), (server, name)
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'batch.sqlite3'}"
    web = None
    try:
        started = time.perf_counter()
        prepare(env, args.agencies)
        print(f"Data: {args.agencies} perangkat daerah ({time.perf_counter() - started:.0f} s)")
        port = free_port()
        web = subprocess.Popen([KINERJA, "serve", "--port", str(port)], env=env, cwd=tmp,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/sehat/", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        browser = Browser(base)
        browser.get("/masuk/")
        browser.post("/masuk/", {"username": "admin", "password": "demo"})
        reports = "/pd/bkpsdm-sumenep/2024/tw1/laporan/"
        for _ in range(3):  # warm: every import and template of the page loaded
            browser.get(reports)
        before = rss_mb(web.pid)
        start = time.perf_counter()
        browser.post(reports, {"buat": "pemda"})
        click = time.perf_counter() - start
        after_click = rss_mb(web.pid)
        worker = subprocess.run([KINERJA, "worker", "--processes", "2", "--max-tasks",
                                 str(args.max_tasks), "--burst"], env=env, cwd=tmp,
                                capture_output=True, text=True)  # fmt: skip
        total = time.perf_counter() - start
        html = browser.get(reports)
        after_batch = rss_mb(web.pid)
        peak_web = rss_mb(web.pid, "VmHWM")
        children = re.findall(r"Proses pekerja (\d+) selesai: (\d+) tugas, puncak memori (\d+) MB",
                              worker.stdout)  # fmt: skip
        progress = re.search(r"(\d+)/(\d+) · selesai (\d+) · gagal (\d+)", html)
        files = 7 * args.agencies
        print(
            f"Batch: {files} berkas ({args.agencies} × laporan PDF/DOCX/XLSX, formulir "
            f"PDF/XLSX, PK PDF/DOCX), 2 pekerja, --max-tasks {args.max_tasks}"
        )
        print(f"  halaman: {progress.group(0) if progress else '?'}")
        print(
            f"  total {total:.1f} s from the click to the last file "
            f"({total / files:.2f} s per file); the click itself {1000 * click:.0f} ms"
        )
        for pid, tasks, peak in children:
            print(f"  worker process {pid}: {tasks} tasks, peak RSS {peak} MB")
        print(
            f"  web process RSS: {before:.0f} MB before the click, {after_click:.0f} MB after "
            f"it, {after_batch:.0f} MB after the batch (its peak {peak_web:.0f} MB)"
        )
        if worker.returncode != 0 or not progress or progress.group(3) != str(files):
            raise SystemExit(f"batch incomplete:\n{worker.stdout}\n{worker.stderr}")
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=30)
        if drop:
            import psycopg

            with psycopg.connect(drop[0], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{drop[1]}" WITH (FORCE)')


if __name__ == "__main__":
    main()
