"""Benchmark: p95 latency of the entry grid, the agency dashboard and the pemda overview for
the seed agency under 20 concurrent users on loopback, against the smallest Django view
(`/sehat/`) on the same server in the same run.

It loads the demo into a throwaway SQLite database (or uses DATABASE_URL if set), starts
gunicorn with 2 workers on 127.0.0.1 with production settings (DEBUG=0), logs 20 users in, then for each page sends requests from
20 threads for the given seconds (each thread keeps its connection and session) and reports
p50/p95/max, requests/s and errors. Only 127.0.0.1 is ever contacted.

Run:  .venv/bin/python bench/bench_web_load.py [--seconds 60] [--users 20] [--cold]
      (--cold: KINERJA_FRAGMENT_CACHE=0, every page computed on every request)
Goal: p95 of each page ≤ 10× the minimal view's p95, 0 errors.

National size (issue 18), `--synth GxM`: two PostgreSQL databases of its own on 127.0.0.1 —
the demo alone, and the demo plus `kinerja synth` of G pemda × M agencies — each served by its
own gunicorn (same settings). Each run measures, on the big one, /sehat/, the demo agency's
entry grid (operator), a generated pemda's overview and a generated province's overview (the
demo's national reader «nasional»), and on the demo-only one the same grid; --runs times
(default 3), the table gives the median of p50 and p95 and all errors.

      .venv/bin/python bench/bench_web_load.py --synth 10x40 --users 50 --seconds 60 --jobs 2
      (--prepare: only build the databases, kept; --reuse: measure the kept ones; --keep)
Goal: 0 errors; the grid's p95 on the big database ≤ 1,2× its p95 on the demo alone.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGES = {
    "minimal (/sehat/)": ("/sehat/", None),
    "isian triwulan (grid)": ("/isi/bkpsdm-sumenep/2024/tw2/", "operator"),
    "dasbor perangkat daerah": ("/pd/bkpsdm-sumenep/2024/tw1/dasbor/", "pimpinan"),
    "ikhtisar pemda": ("/pemda/2024/tw1/", "pimpinan"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Session:
    def __init__(self, port: int) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/masuk/"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, data

    def login(self, username: str) -> None:
        _, page = self.request("GET", "/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        body = f"csrfmiddlewaretoken={token.decode()}&username={username}&password=demo"
        status, _ = self.request("POST", "/masuk/", body)
        if status != 302:
            raise SystemExit(f"login {username} gagal ({status})")


def logged_in(port: int, user: str | None, users: int) -> list[Session]:
    sessions = [Session(port) for _ in range(users)]
    if user:
        for s in sessions:
            s.login(user)
    return sessions


def hammer(sessions: list[Session], path: str, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker(session: Session) -> None:
        local, bad = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                status, _ = session.request("GET", path)
            except (OSError, http.client.HTTPException):
                status = 0
                session.conn.close()
            local.append(time.perf_counter() - start)
            bad += status != 200
        with lock:
            latencies.extend(local)
            errors[0] += bad

    threads = [threading.Thread(target=worker, args=(s,)) for s in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return {"n": len(ordered), "rps": len(ordered) / seconds, "p50": statistics.median(ordered),
            "p95": p95, "max": ordered[-1], "errors": errors[0]}  # fmt: skip


@contextlib.contextmanager
def serve(env: dict[str, str], cold: bool) -> Iterator[int]:
    """gunicorn, 2 workers, on a free port of 127.0.0.1 with production settings; its port."""
    port = free_port()
    served = {
        **env,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + os.urandom(32).hex(),  # 70 characters: not refused as weak
        "KINERJA_SSL_REDIRECT": "0",  # plain HTTP on loopback (the client ignores Secure)
        "KINERJA_FRAGMENT_CACHE": "0" if cold else "1",
    }  # production settings, plain http on loopback
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kinerja.wsgi", "--workers", "2", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning"],
        env=served, cwd=env["KINERJA_VAR_DIR"],
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def row(name: str, got: dict[str, float], base: float) -> str:
    return (f"{name}; {got['n']:.0f}; {got['rps']:.1f}; {got['p50'] * 1000:.0f}; "
            f"{got['p95'] * 1000:.0f}; {got['max'] * 1000:.0f}; {got['errors']:.0f}; "
            f"{got['p95'] / base:.1f}×").replace(".", ",")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="without the fragment cache: "
                        "every page computed on every request")  # fmt: skip
    parser.add_argument("--only", default="", help="only pages whose name contains this "
                        "(the minimal view is always measured; with --synth: a,b — the "
                        "pages whose name holds a or b)")  # fmt: skip
    national_size = parser.add_argument_group("national size (--synth GxM, PostgreSQL)")
    national_size.add_argument("--synth", default="", metavar="GxM",
                               help="demo + kinerja synth of G pemda × M agencies")  # fmt: skip
    national_size.add_argument("--jobs", type=int, default=1, help="kinerja synth --jobs")
    national_size.add_argument("--seed", type=int, default=1)
    national_size.add_argument("--runs", type=int, default=3)
    national_size.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    national_size.add_argument("--database", default="kinerja_bench_load",
                               help="prefix of the two databases (_big, _demo)")  # fmt: skip
    national_size.add_argument("--prepare", action="store_true",
                               help="only build the two databases (kept)")  # fmt: skip
    national_size.add_argument("--reuse", action="store_true",
                               help="measure the databases --prepare kept")  # fmt: skip
    national_size.add_argument("--keep", action="store_true", help="do not drop them")
    args = parser.parse_args()
    if args.synth:
        national(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KINERJA_VAR_DIR": tmp, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        env.pop("DEBUG", None)
        subprocess.run([str(BIN / "kinerja"), "demo", "--load-only"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        with serve(env, args.cold) as port:
            print(f"{args.users} pengguna serentak, {args.seconds:.0f} dtk per halaman, "
                  "gunicorn 2 worker, 127.0.0.1, cache potongan halaman "
                  + ("mati (--cold)" if args.cold else "hidup"))  # fmt: skip
            print("halaman; permintaan; per dtk; p50 ms; p95 ms; maks ms; galat; rasio p95")
            base = None
            for name, (path, user) in PAGES.items():
                if base is not None and args.only not in name:
                    continue
                got = hammer(logged_in(port, user, args.users), path, args.seconds)
                base = base or got["p95"]
                print(row(name, got, base))


def national(args: argparse.Namespace) -> None:
    """The demo agency's grid and the pages above the pemda on demo + synth data, against the
    same grid on the demo alone; median of --runs runs."""
    import psycopg

    from kinerja.synth import PROVINCES

    governments, agencies = (int(n) for n in args.synth.lower().split("x"))
    parts = urlsplit(args.server)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("only a PostgreSQL server on 127.0.0.1")
    names = {"big": f"{args.database}_big", "demo": f"{args.database}_demo"}
    tmp = Path(tempfile.mkdtemp(prefix="bench-load-"))
    envs = {}
    for key, name in names.items():
        (tmp / key).mkdir()
        envs[key] = {**{k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")},
                     "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
                     "KINERJA_VAR_DIR": str(tmp / key), "MEDIA_ROOT": str(tmp / key / "media"),
                     "ALLOWED_HOSTS": "127.0.0.1,localhost"}  # fmt: skip

    def kinerja(key: str, *argv: str) -> str:
        done = subprocess.run([str(BIN / "kinerja"), *argv], env=envs[key], cwd=tmp / key,
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(f"kinerja {' '.join(argv)}:\n{done.stdout}\n{done.stderr}")
        return done.stdout.strip().splitlines()[-1]

    with psycopg.connect(args.server, autocommit=True) as conn:
        if not args.reuse:
            for name in names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
            for key in names:  # the demo first: synth adds its provinces beside Jawa Timur
                kinerja(key, "demo", "--load-only")
            start = time.perf_counter()
            print(kinerja("big", "synth", "--governments", str(governments), "--agencies",
                          str(agencies), "--seed", str(args.seed), "--years", "2024",
                          "--jobs", str(args.jobs), "--quiet"),
                  f"({time.perf_counter() - start:.0f} dtk)")  # fmt: skip
            # as the refresh tasks the writes queue would have left them: every agency's
            # figures stored (docs/rollup.md), not computed in line on the first request
            start = time.perf_counter()
            kinerja("big", "rollup", "--refresh", "--year", "2024")
            print(f"angka tersimpan dihitung ulang ({time.perf_counter() - start:.0f} dtk)")
            for name in names.values():
                with psycopg.connect(urlunsplit(parts._replace(path=f"/{name}")),
                                     autocommit=True) as db:  # fmt: skip
                    db.execute("VACUUM ANALYZE")
        for name in names.values():
            size = conn.execute("SELECT pg_database_size(%s)", (name,)).fetchone()[0]
            print(f"basis data {name}: {size / 2**20:.0f} MB")
    if args.prepare:
        shutil.rmtree(tmp, ignore_errors=True)
        print(f"disimpan: {', '.join(names.values())} (ukur dengan --reuse)")
        return
    province = PROVINCES[0][0]  # synth's first province, its first pemda
    grid = ("/isi/bkpsdm-sumenep/2024/tw2/", "operator")
    pages = {
        "big": {"minimal (/sehat/)": ("/sehat/", None), "isian triwulan (grid)": grid,
                f"ikhtisar pemda s{args.seed}-{province}-001 ({agencies} PD)":
                    (f"/pemda/s{args.seed}-{province}-001/2024/tw2/", "nasional"),
                f"ikhtisar provinsi {province}":
                    (f"/provinsi/{province}/2024/tw2/", "nasional")},
        "demo": {"isian triwulan (grid), demo saja": grid},
    }  # fmt: skip
    if args.only:  # here: comma-separated parts of the names, the baseline included or not
        wanted = args.only.split(",")
        pages = {key: {name: page for name, page in listed.items()
                       if any(part in name for part in wanted)}
                 for key, listed in pages.items()}  # fmt: skip
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    try:
        with serve(envs["big"], args.cold) as big, serve(envs["demo"], args.cold) as demo:
            ports = {"big": big, "demo": demo}
            sessions: dict[tuple[str, str | None], list[Session]] = {}
            for key, listed in pages.items():
                for path, user in listed.values():
                    who = sessions.setdefault((key, user), logged_in(ports[key], user, args.users))
                    status, _ = who[0].request("GET", path)
                    if status != 200:
                        raise SystemExit(f"{path} ({user}): {status}")
            print(f"{governments} pemda × {agencies} perangkat daerah + demo; {args.users} "
                  f"pengguna serentak, {args.seconds:.0f} dtk per halaman, {args.runs} putaran, "
                  "gunicorn 2 worker per basis data, 127.0.0.1, cache potongan halaman "
                  + ("mati (--cold)" if args.cold else "hidup"))  # fmt: skip
            print(
                "putaran; halaman; permintaan; per dtk; p50 ms; p95 ms; maks ms; galat; rasio p95"
            )
            for run in range(1, args.runs + 1):
                base = None
                for key, listed in pages.items():
                    for name, (path, user) in listed.items():
                        got = hammer(sessions[(key, user)], path, args.seconds)
                        base = base or got["p95"]
                        results.setdefault((key, name), []).append(got)
                        print(f"{run}; " + row(name, got, base), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (args.keep or args.reuse):
            with psycopg.connect(args.server, autocommit=True) as conn:
                for name in names.values():
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"Median dari {args.runs} putaran (load average {os.getloadavg()[0]:.2f}):")
    print("halaman; p50 ms; p95 ms (tiap putaran); p95 ms median; galat")
    p95 = {}
    for (key, name), got in results.items():
        p95[key, name] = statistics.median(g["p95"] for g in got)
        each = ", ".join(f"{g['p95'] * 1000:.0f}" for g in got)
        print(
            f"{name}; {statistics.median(g['p50'] for g in got) * 1000:.0f}; {each}; "
            f"{p95[key, name] * 1000:.0f}; {sum(g['errors'] for g in got):.0f}"
        )
    grids = ("big", "isian triwulan (grid)"), ("demo", "isian triwulan (grid), demo saja")
    if all(grid in p95 for grid in grids):
        ratio = p95[grids[0]] / p95[grids[1]]
        print(f"grid p95 besar / demo saja: {ratio:.2f}× (tujuan ≤ 1,20×)".replace(".", ","))


if __name__ == "__main__":
    main()
