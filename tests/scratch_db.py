"""A database of its own for tests that need real processes or real concurrency: other
processes must see what is committed, and a killed process must leave the database as a
crash would. The pytest-django test database cannot serve (each test runs in a transaction
that is rolled back; SQLite's is in memory).

Under SQLite a file under tmp_path; under PostgreSQL (DATABASE_URL) a new database on the
same server, dropped afterwards. ``kinerja demo --load-only`` fills it (the seed agency, the
demo users; TW II 2024 open from today) — once per test session and day into a template
(demo_template: a SQLite file, also what the browser tests' servers and the token command
start from; under PostgreSQL a template database), which each new database is a copy of."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

WORKER = Path(__file__).resolve().with_name("db_worker.py")


def kinerja() -> list[str]:
    script = Path(sys.executable).with_name("kinerja")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinerja.cli"]


def is_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@contextmanager
def scratch_database(tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a process that uses a new, filled database (and ``tmp`` for its
    files); the database is gone afterwards."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(KINERJA_VAR_DIR=str(tmp), MEDIA_ROOT=str(tmp / "media"),
               ALLOWED_HOSTS="testserver,127.0.0.1", DJANGO_SETTINGS_MODULE="kinerja.settings",
               PYTHONPATH=os.pathsep.join([str(WORKER.parent.parent), env.get("PYTHONPATH", "")]))  # fmt: skip
    if not is_postgresql():
        env["DATABASE_URL"] = f"sqlite:///{tmp / 'scratch.sqlite3'}"
        copy_demo(tmp, "scratch.sqlite3")
        yield env
        return
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"kinerja_scratch_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(parts._replace(path="/postgres"))
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    template = _pg_template(env, tmp.parent)
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        shutil.copytree(tmp.parent / template, tmp, dirs_exist_ok=True)  # its media
        yield env
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _today() -> str:
    """The demo's day (settings.TIME_ZONE): TW II 2024 opens on the day it is loaded."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date().isoformat()


def _load_env(folder: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(KINERJA_VAR_DIR=str(folder), MEDIA_ROOT=str(folder / "media"),
               DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="kinerja.settings")  # fmt: skip
    return env


def _loaded_once(template: Path, load) -> Path:
    """``template`` filled by ``load(folder)`` unless it already is: loaded into a folder
    beside it, then renamed — whole or not at all."""
    if not template.is_dir():
        loading = template.with_name(f"{template.name}-loading")
        shutil.rmtree(loading, ignore_errors=True)
        loading.mkdir()
        load(loading)
        loading.rename(template)
    return template


TEMPLATE_DB = "demo.sqlite3"


def demo_template(base: Path) -> Path:
    """A folder under ``base`` (pytest's base temporary folder) with the demo as
    `kinerja demo --load-only` leaves it: the SQLite file ``demo.sqlite3`` and its media.
    Loaded once per test session and day (pytest empties ``base`` at each session's start)."""
    folder = base / f"demo-template-{_today()}"
    return _loaded_once(folder, lambda f: _load(_load_env(f, f"sqlite:///{f / TEMPLATE_DB}"), f))


def copy_demo(tmp: Path, db_name: str) -> None:
    """A copy of demo_template in ``tmp``, its database file named ``db_name``: as if
    `kinerja demo --load-only` had loaded it there. ``tmp`` is a tmp_path or a
    tmp_path_factory.mktemp() folder: those share pytest's base temporary folder."""
    template = demo_template(tmp.parent)
    shutil.copytree(template, tmp, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(f"{TEMPLATE_DB}*"))  # fmt: skip
    for file in template.glob(f"{TEMPLATE_DB}*"):  # the database and a -wal, -shm if any
        shutil.copy2(file, tmp / (db_name + file.name.removeprefix(TEMPLATE_DB)))


_PG_TEMPLATES: dict[str, str] = {}  # the session's PostgreSQL template database by day


def _pg_template(env: dict[str, str], base: Path) -> str:
    """The name of a PostgreSQL database that `kinerja demo --load-only` filled once this
    session and day, on the server of DATABASE_URL (no other connection may use a template
    while it is copied: only this helper and CREATE DATABASE … TEMPLATE do); a folder of the
    same name under ``base`` keeps its media. Dropped when the test session's process ends."""
    import atexit

    import psycopg

    day = _today()
    if day in _PG_TEMPLATES:
        return _PG_TEMPLATES[day]
    parts = urlsplit(env["DATABASE_URL"])
    server = urlunsplit(parts._replace(path="/postgres"))
    name = f"kinerja_scratch_tpl_{uuid.uuid4().hex[:12]}"

    def drop() -> None:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    atexit.register(drop)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    _loaded_once(base / name, lambda f: _load(_load_env(f, url), f))
    _PG_TEMPLATES[day] = name
    return name


def _load(env: dict[str, str], tmp: Path) -> None:
    done = subprocess.run([*kinerja(), "demo", "--load-only"], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, f"kinerja demo --load-only:\n{done.stdout}\n{done.stderr}"


def worker(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``tests/db_worker.py`` to the end."""
    return subprocess.run([sys.executable, str(WORKER), *args], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)  # fmt: skip


def kill_at_hang(script: Path, env: dict[str, str], *args: str, wait: float) -> list[str]:
    """Run ``script`` (a worker of the kill -9 tests) in a process of its own, SIGKILL it when
    it prints HANG (within ``wait`` seconds); its output lines before that."""
    import signal
    import time

    process = subprocess.Popen([sys.executable, str(script), *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    lines: list[str] = []
    deadline = time.monotonic() + wait
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.strip())
            if line.strip() == "HANG":
                os.kill(process.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        stderr = process.stderr.read() if process.stderr else ""
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()
    assert lines and lines[-1] == "HANG", f"{lines}\n{stderr[-3000:]}"
    assert process.returncode == -signal.SIGKILL
    return lines[:-1]
