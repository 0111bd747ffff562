"""A database of its own for tests that need real processes or real concurrency: other
processes must see what is committed, and a killed process must leave the database as a
crash would. The pytest-django test database cannot serve (each test runs in a transaction
that is rolled back; SQLite's is in memory).

Under SQLite a file under tmp_path; under PostgreSQL (DATABASE_URL) a new database on the
same server, dropped afterwards. ``kinerja demo --load-only`` fills it (the seed agency, the
demo users; TW II 2024 open from today)."""

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
        _fill(env, tmp)
        yield env
        return
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"kinerja_scratch_{uuid.uuid4().hex[:12]}"
    server = urlunsplit(parts._replace(path="/postgres"))
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        _fill(env, tmp)
        yield env
    finally:
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fill(env: dict[str, str], tmp: Path) -> None:
    """`kinerja demo --load-only` into the database of ``env``. Under SQLite it runs once per
    test session and day, into a template folder beside ``tmp`` (tmp_path and
    tmp_path_factory.mktemp() folders share pytest's base temporary folder), whose file and
    media each scratch database then gets a copy of, as if loaded for it alone."""
    if is_postgresql():
        _load(env, tmp)
        return
    day = datetime.now(ZoneInfo("Asia/Jakarta")).date()  # settings.TIME_ZONE: TW II opens today
    template = tmp.parent / f"scratch-template-{day.isoformat()}"
    if not template.is_dir():
        loading = tmp.parent / f"{template.name}-loading"
        shutil.rmtree(loading, ignore_errors=True)
        loading.mkdir()
        _load(env | {"KINERJA_VAR_DIR": str(loading), "MEDIA_ROOT": str(loading / "media"),
                     "DATABASE_URL": f"sqlite:///{loading / 'scratch.sqlite3'}"}, loading)  # fmt: skip
        loading.rename(template)  # whole or not at all
    shutil.copytree(template, tmp, dirs_exist_ok=True)


def _load(env: dict[str, str], tmp: Path) -> None:
    done = subprocess.run([*kinerja(), "demo", "--load-only"], cwd=tmp, env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, f"kinerja demo --load-only:\n{done.stdout}\n{done.stderr}"


def worker(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``tests/db_worker.py`` to the end."""
    return subprocess.run([sys.executable, str(WORKER), *args], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)  # fmt: skip
