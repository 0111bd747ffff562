"""Benchmark: the JSON API under concurrent integrations — the evaluation endpoint and a batch
write of 61 realisations, each client on its own agency — against the minimal view
(`/sehat/`) and a trivial API route (one agency, token checked) in the same run.

It loads the demo into a throwaway SQLite database (or uses DATABASE_URL if set), copies the
seed agency's 2024 plan into N new agencies of the same pemda through the plan import
(planning/plan_io: export_workbook → read_plan → plan_changes → apply_changes), gives each
its own operator and API token, starts gunicorn (2 workers, production settings DEBUG=0) on
127.0.0.1, and then, phase after phase, keeps N client threads busy for the given seconds:

1. ``GET /sehat/`` (the smallest Django view, no auth);
2. ``GET /api/agencies/{slug}`` with the client's token (auth, rate count, one row);
3. alternating ``GET …/quarters/2/evaluation`` and ``POST …/quarters/2/realisations`` with all
   61 rows of TW II 2024, each row with the version the previous answer gave (so every batch
   writes 61 new values, all or nothing).

Each client keeps its HTTP connection. A 412 (stale) is counted apart, not as an error; any
other status than 200 is an error. Only 127.0.0.1 is contacted; the run ends by itself.

Run:  .venv/bin/python bench/bench_api.py [--seconds 30] [--clients 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = "bkpsdm-sumenep"
YEAR, QUARTER = 2024, 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ---- the throwaway database: N agencies with the seed's plan, an operator and a token each --


def make_agencies(count: int) -> list[dict[str, str]]:
    """Runs in a child process with the bench's environment (its database)."""
    from kinerja.cli import setup_django

    setup_django()
    from django.contrib.auth import get_user_model

    from kinerja.accounts.models import Profile, Role
    from kinerja.api.tokens import create_token
    from kinerja.planning.models import Agency
    from kinerja.planning.plan_io.apply import apply_changes, plan_changes
    from kinerja.planning.plan_io.export import export_workbook
    from kinerja.planning.plan_io.read import read_plan

    seed = Agency.objects.get(slug=SEED)
    data = export_workbook(seed, YEAR)
    out = []
    for n in range(1, count + 1):
        agency, _ = Agency.objects.get_or_create(
            slug=f"bench-{n:02d}",
            defaults={"government": seed.government, "name": f"Dinas Uji {n:02d}",
                      "abbreviation": f"DU{n:02d}"},
        )  # fmt: skip
        if not agency.work_items.filter(year=YEAR).exists():
            plan = read_plan(data, file_name="renja-seed.xlsx", pagu_column=None)
            changes = plan_changes(plan, agency, YEAR)
            apply_changes(changes, None, "renja-seed.xlsx", None)
        user, _ = get_user_model().objects.get_or_create(username=f"operator-bench-{n:02d}")
        Profile.objects.get_or_create(user=user, defaults={
            "role": Role.OPERATOR, "government": seed.government, "agency": agency})  # fmt: skip
        rows = agency.work_items.filter(year=YEAR).count()
        out.append({"slug": agency.slug, "token": create_token(user, name="bench")[1],
                    "rows": rows})  # fmt: skip
    return out


# ---- the load -------------------------------------------------------------------------------


class Client:
    def __init__(self, port: int, token: str | None) -> None:
        self.port, self.token = port, token
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def call(self, method: str, path: str, body: object = None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=data, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            return 0, b""


def summary(latencies: list[float], seconds: float, errors: int, stale: int = 0) -> dict:
    ordered = sorted(latencies) or [0.0]
    return {"n": len(latencies), "rps": len(latencies) / seconds,
            "p50": statistics.median(ordered),
            "p95": ordered[max(0, int(len(ordered) * 0.95) - 1)], "max": ordered[-1],
            "errors": errors, "stale": stale}  # fmt: skip


def run_simple(port: int, agencies: list[dict], path_of, with_token: bool,
               seconds: float) -> dict:  # fmt: skip
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(a: dict) -> None:
        c, local, bad = Client(port, a["token"] if with_token else None), [], 0
        path = path_of(a)
        while time.monotonic() < stop:
            start = time.perf_counter()
            status, _ = c.call("GET", path)
            local.append(time.perf_counter() - start)
            bad += status != 200
        with lock:
            lat.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(a,)) for a in agencies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return summary(lat, seconds, errors[0])


def run_mixed(port: int, agencies: list[dict], seconds: float) -> tuple[dict, dict, list[str]]:
    """Each client alternates the evaluation GET and a 61-row batch POST on its own agency."""
    got = {"get": [], "post": []}
    errors = {"get": 0, "post": 0}
    stale = [0]
    samples: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(len(agencies))
    stop_at: list[float] = []

    def worker(a: dict) -> None:
        c = Client(port, a["token"])
        base = f"/api/agencies/{a['slug']}/years/{YEAR}/quarters/{QUARTER}"
        status, body = c.call("GET", f"{base}/realisations?limit=500")
        if status != 200:
            raise SystemExit(f"{a['slug']}: daftar realisasi {status} {body[:200]!r}")
        versions = {r["work_item_id"]: r["version"] for r in json.loads(body)["items"]}
        ready.wait()
        if not stop_at:
            stop_at.append(time.monotonic() + seconds)
        local = {"get": [], "post": []}
        bad = {"get": 0, "post": 0}
        late, n, turn = 0, 0, 0
        while time.monotonic() < stop_at[0]:
            n += 1
            if turn == 0:
                start = time.perf_counter()
                status, body = c.call("GET", f"{base}/evaluation")
                local["get"].append(time.perf_counter() - start)
                bad["get"] += status != 200
            else:
                rows = [{"work_item_id": pk, "version": v, "value_k": str(n + i % 7),
                         "value_rp": f"{1000 * n + i}.5"}
                        for i, (pk, v) in enumerate(sorted(versions.items()))]  # fmt: skip
                start = time.perf_counter()
                status, body = c.call("POST", f"{base}/realisations",
                                      {"reason": "bench", "rows": rows})  # fmt: skip
                local["post"].append(time.perf_counter() - start)
                if status == 200:
                    versions = {r["work_item_id"]: r["version"] for r in json.loads(body)["rows"]}
                elif status == 412:
                    late += 1
                    for r in json.loads(body)["details"]["rows"]:
                        versions[r["work_item_id"]] = r["version"]
                else:
                    bad["post"] += 1
                    if len(samples) < 5:
                        samples.append(f"POST {status}: {body[:200]!r}")
            turn = 1 - turn
        with lock:
            for k in got:
                got[k].extend(local[k])
                errors[k] += bad[k]
            stale[0] += late

    threads = [threading.Thread(target=worker, args=(a,)) for a in agencies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return (summary(got["get"], seconds, errors["get"]),
            summary(got["post"], seconds, errors["post"], stale[0]), samples)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=20, help="clients = agencies")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(make_agencies(args.setup)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KINERJA_VAR_DIR": tmp, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        env.pop("DEBUG", None)
        t0 = time.monotonic()
        subprocess.run([str(BIN / "kinerja"), "demo", "--load-only"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        print(f"demo dimuat ({time.monotonic() - t0:.0f} dtk)", flush=True)
        t0 = time.monotonic()
        made = subprocess.run([sys.executable, __file__, "--setup", str(args.clients)], env=env,
                              check=True, capture_output=True, text=True)  # fmt: skip
        agencies = json.loads(made.stdout.strip().splitlines()[-1])
        assert all(a["rows"] == 61 for a in agencies), agencies
        print(f"{len(agencies)} perangkat daerah × 61 baris Renja {YEAR} lewat impor rencana "
              f"({time.monotonic() - t0:.0f} dtk)", flush=True)  # fmt: skip
        port = free_port()
        served = {
            **env, "DEBUG": "0", "SECRET_KEY": "bench-" + os.urandom(32).hex(),
            "KINERJA_SSL_REDIRECT": "0",
            # the per-token limit (600/min) would refuse a client faster than 10 requests/s:
            # lifted so the bench measures the work; the counting itself still runs
            "KINERJA_API_RATE_LIMIT": "1000000",
        }  # fmt: skip
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "kinerja.wsgi", "--workers", str(args.workers), "--bind",
             f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120"],
            env=served, cwd=tmp,
        )  # fmt: skip
        try:
            for _ in range(300):  # until a worker answers (not merely the socket)
                if Client(port, None).call("GET", "/sehat/")[0] == 200:
                    break
                time.sleep(0.2)
            # warm every worker (imports, first queries, connections): not measured
            run_simple(port, agencies, lambda a: "/sehat/", False, 2)
            run_simple(port, agencies, lambda a: f"/api/agencies/{a['slug']}", True, 2)
            db = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
            print(f"{len(agencies)} klien serentak (satu perangkat daerah masing-masing), "
                  f"{args.seconds:.0f} dtk per fase, gunicorn {args.workers} worker, {db}, "
                  "127.0.0.1")  # fmt: skip
            results = [
                ("minimal (/sehat/)",
                 run_simple(port, agencies, lambda a: "/sehat/", False, args.seconds)),
                ("API minimal (GET /api/agencies/{slug})",
                 run_simple(port, agencies, lambda a: f"/api/agencies/{a['slug']}", True,
                            args.seconds)),
            ]  # fmt: skip
            evaluation, batch, samples = run_mixed(port, agencies, args.seconds)
            results += [("evaluasi (GET …/evaluation), campur", evaluation),
                        ("61 realisasi (POST …/realisations), campur", batch)]  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=20)
        base = results[0][1]["p95"] or 1e-9
        print("rute; permintaan; per dtk; p50 ms; p95 ms; maks ms; galat; 412; rasio p95")
        for name, r in results:
            print(f"{name}; {r['n']}; {r['rps']:.1f}; {r['p50'] * 1000:.0f}; "
                  f"{r['p95'] * 1000:.0f}; {r['max'] * 1000:.0f}; {r['errors']}; "
                  f"{r['stale']}; {r['p95'] / base:.1f}×".replace(".", ","))  # fmt: skip
        for line in samples:
            print("contoh galat:", line)


if __name__ == "__main__":
    main()
