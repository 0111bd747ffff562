"""Backup → restore → the same evaluation, as docs/deploy.md says to do it. A database of its
own (tests/scratch_db.py, filled by `kinerja demo --load-only`) is backed up — on PostgreSQL
with `pg_dump --format=custom`, on SQLite with SQLite's online backup API —, the original is
then dropped, the backup restored into a fresh database (`pg_restore`; a new file), and
`kinerja evaluate --agency` of the seed agency gives the same JSON as before the backup: the
approved TW I 2024 (read from its snapshot) and the draft TW II 2024 (the live rows)."""

import json
import os
import sqlite3
import subprocess
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from .scratch_db import is_postgresql, kinerja, scratch_database

QUARTERS = ((2024, 1), (2024, 2))


@pytest.fixture
def database(tmp_path):
    with scratch_database(tmp_path) as env:
        yield env


def _kinerja(env, *args) -> str:
    done = subprocess.run([*kinerja(), *args], env=env, cwd=env["KINERJA_VAR_DIR"],
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _evaluations(env) -> dict:
    out = {}
    for year, quarter in QUARTERS:
        text = _kinerja(env, "evaluate", "--agency", "bkpsdm-sumenep", "--year", str(year),
                        "--quarter", str(quarter), "--json")  # fmt: skip
        out[f"{year}-{quarter}"] = json.loads(text)
    return out


def _backup_and_restore_postgresql(env, tmp_path) -> dict:
    import psycopg

    url = env["DATABASE_URL"]
    dump = tmp_path / "kinerja.dump"
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), url],
                   check=True, timeout=300)  # fmt: skip
    parts = urlsplit(url)
    server = urlunsplit(parts._replace(path="/postgres"))
    restored = f"kinerja_restored_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{parts.path[1:]}" WITH (FORCE)')  # the original is gone
        conn.execute(f'CREATE DATABASE "{restored}"')
    target = urlunsplit(parts._replace(path=f"/{restored}"))
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", target,
                    str(dump)], check=True, timeout=300)  # fmt: skip
    return env | {"DATABASE_URL": target, "_DROP": restored}


def _backup_and_restore_sqlite(env, tmp_path) -> dict:
    original = env["DATABASE_URL"].removeprefix("sqlite:///")
    backup = tmp_path / "kinerja-backup.sqlite3"
    source, copy = sqlite3.connect(original), sqlite3.connect(backup)
    with copy:
        source.backup(copy)  # consistent even while others write (WAL included)
    source.close()
    copy.close()
    for suffix in ("", "-wal", "-shm"):  # the original is gone
        if os.path.exists(original + suffix):
            os.remove(original + suffix)
    restored = tmp_path / "restored.sqlite3"
    os.replace(backup, restored)
    return env | {"DATABASE_URL": f"sqlite:///{restored}"}


def test_backup_restore_gives_the_same_evaluation(database, tmp_path):
    before = _evaluations(database)
    assert len(before["2024-1"]["rows"]) == 61  # the seed's whole TW I form
    restore = _backup_and_restore_postgresql if is_postgresql() else _backup_and_restore_sqlite
    env = restore(database, tmp_path)
    try:
        assert env["DATABASE_URL"] != database["DATABASE_URL"]
        # the restored schema is the code's: no migration is missing
        _kinerja(env, "manage", "migrate", "--check")
        after = _evaluations(env)
        assert after == before
    finally:
        if "_DROP" in env:
            import psycopg

            server = urlunsplit(urlsplit(env["DATABASE_URL"])._replace(path="/postgres"))
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{env["_DROP"]}" WITH (FORCE)')
