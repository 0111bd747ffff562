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
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

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


def hammer(port: int, path: str, user: str | None, users: int, seconds: float) -> dict[str, float]:
    sessions = [Session(port) for _ in range(users)]
    if user:
        for s in sessions:
            s.login(user)
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--cold", action="store_true", help="without the fragment cache: "
                        "every page computed on every request")  # fmt: skip
    parser.add_argument("--only", default="", help="only pages whose name contains this "
                        "(the minimal view is always measured)")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KINERJA_VAR_DIR": tmp, "ALLOWED_HOSTS": "127.0.0.1,localhost"}
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        env.pop("DEBUG", None)
        subprocess.run([str(BIN / "kinerja"), "demo", "--load-only"], env=env, check=True,
                       capture_output=True)  # fmt: skip
        port = free_port()
        served = {
            **env,
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + os.urandom(32).hex(),  # 70 characters: not refused as weak
            "KINERJA_SSL_REDIRECT": "0",  # plain HTTP on loopback (the client ignores Secure)
            "KINERJA_FRAGMENT_CACHE": "0" if args.cold else "1",
        }  # production settings, plain http on loopback
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "kinerja.wsgi", "--workers", "2", "--bind",
             f"127.0.0.1:{port}", "--log-level", "warning"],
            env=served, cwd=tmp,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            print(f"{args.users} pengguna serentak, {args.seconds:.0f} dtk per halaman, "
                  "gunicorn 2 worker, 127.0.0.1, cache potongan halaman "
                  + ("mati (--cold)" if args.cold else "hidup"))  # fmt: skip
            print("halaman; permintaan; per dtk; p50 ms; p95 ms; maks ms; galat; rasio p95")
            base = None
            for name, (path, user) in PAGES.items():
                if base is not None and args.only not in name:
                    continue
                got = hammer(port, path, user, args.users, args.seconds)
                base = base or got["p95"]
                print(f"{name}; {got['n']:.0f}; {got['rps']:.1f}; {got['p50'] * 1000:.0f}; "
                      f"{got['p95'] * 1000:.0f}; {got['max'] * 1000:.0f}; {got['errors']:.0f}; "
                      f"{got['p95'] / base:.1f}×".replace(".", ","))  # fmt: skip
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
