"""Benchmark: what the task queue itself costs, apart from the work — the measurement behind
the choice in docs/deploy.md ("Task workers").

N no-op tasks are enqueued one by one (the cost a web request pays to enqueue), then one worker
process drains them (the queue's own cost per task: fetch, claim, mark done). Two queues:

- Django's Tasks API with the database backend (django-tasks-db), on SQLite (a file) or on
  PostgreSQL (``--database-url postgresql://…``; a scratch database is created and dropped);
- RQ on Redis at 127.0.0.1:6379 (``--rq``; run with a Python that has ``rq`` installed — it is
  not a Kinerja dependency: ``python3 -m venv /tmp/rq && /tmp/rq/bin/pip install rq`` then
  ``/tmp/rq/bin/python bench/bench_queue.py --rq``). RQ's default worker forks a process per
  job; ``SimpleWorker`` runs them in the worker itself.

Run:  .venv/bin/python bench/bench_queue.py [--tasks 500] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def _kinerja() -> list[str]:
    return [str(Path(sys.executable).with_name("kinerja"))]


def bench_database(tasks: int, url: str | None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="bench-queue-"))
    drop = None
    if url:
        import psycopg

        parts = urlsplit(url)
        name = f"kinerja_benchq_{uuid.uuid4().hex[:8]}"
        server = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url, drop = urlunsplit(parts._replace(path=f"/{name}")), (server, name)
    else:
        url = f"sqlite:///{tmp / 'queue.sqlite3'}"
    env = os.environ | {"DATABASE_URL": url, "KINERJA_VAR_DIR": str(tmp),
                        "PYTHONPATH": str(ROOT / "bench"), "DJANGO_SETTINGS_MODULE":
                        "kinerja.settings"}  # fmt: skip
    try:
        subprocess.run([*_kinerja(), "manage", "migrate", "-v0"], env=env, check=True)
        script = (
            "import time, django; django.setup()\n"
            "from queue_noop import noop\n"
            f"n = {tasks}; t = time.perf_counter()\n"
            "for i in range(n): noop.enqueue(i)\n"
            "print(time.perf_counter() - t)\n"
        )
        done = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                              capture_output=True, text=True)  # fmt: skip
        enqueue = float(done.stdout.strip().splitlines()[-1])
        start = time.perf_counter()
        subprocess.run([*_kinerja(), "manage", "db_worker", "--batch", "--no-reload",
                        "--interval", "0", "--no-startup-delay", "-v0"], env=env,
                       check=True)  # fmt: skip
        drain = time.perf_counter() - start
        check = subprocess.run([sys.executable, "-c", "import django; django.setup()\n"
                                "from django_tasks_db.models import DBTaskResult as R\n"
                                "print(R.objects.filter(status='SUCCESSFUL').count())"],
                               env=env, check=True, capture_output=True, text=True)  # fmt: skip
        assert int(check.stdout.strip()) == tasks, check.stdout
    finally:
        if drop:
            import psycopg

            with psycopg.connect(drop[0], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{drop[1]}" WITH (FORCE)')
    return {"enqueue_ms": 1000 * enqueue / tasks, "drain_s": drain,
            "per_task_ms": 1000 * drain / tasks}  # fmt: skip


def bench_rq(tasks: int) -> dict:
    from redis import Redis
    from rq import Queue, SimpleWorker, Worker

    redis = Redis(host="127.0.0.1", port=6379)
    out = {}
    for kind, worker_class in (("fork", Worker), ("simple", SimpleWorker)):
        queue = Queue(f"bench-{uuid.uuid4().hex[:8]}", connection=redis)
        start = time.perf_counter()
        for i in range(tasks):
            queue.enqueue("operator.abs", -i)
        enqueue = time.perf_counter() - start
        start = time.perf_counter()
        worker_class([queue], connection=redis).work(burst=True, logging_level="WARNING")
        drain = time.perf_counter() - start
        assert queue.finished_job_registry.count == tasks
        queue.delete(delete_jobs=True)
        out[kind] = {"enqueue_ms": 1000 * enqueue / tasks, "drain_s": drain,
                     "per_task_ms": 1000 * drain / tasks}  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--database-url")
    parser.add_argument("--rq", action="store_true")
    args = parser.parse_args()
    if args.rq:
        results = {f"RQ on Redis ({k} worker)": v for k, v in bench_rq(args.tasks).items()}
    else:
        where = "PostgreSQL" if args.database_url else "SQLite"
        results = {f"django-tasks-db on {where}": bench_database(args.tasks, args.database_url)}
    print(f"{args.tasks} no-op tasks, one worker process")
    for name, r in results.items():
        print(
            f"  {name:<36} enqueue {r['enqueue_ms']:6.2f} ms/task · drain {r['drain_s']:6.2f} s"
            f" ({r['per_task_ms']:5.2f} ms/task)"
        )


if __name__ == "__main__":
    main()
