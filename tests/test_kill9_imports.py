"""An import killed with `kill -9` inside its write transaction leaves nothing written; the next
`kinerja worker --burst` sees the dead worker's job and runs it again — written once, whole — or,
with no run left, reports it failed and deletes the kept file. A real worker process against a
database of its own (tests/scratch_db.py), killed where tests/import_worker.py prints HANG."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .scratch_db import kill_at_hang, kinerja, scratch_database

HELPER = Path(__file__).resolve().with_name("import_worker.py")
WAIT = 180


@pytest.fixture
def database(tmp_path):
    with scratch_database(tmp_path) as env:
        yield env


def _run(env, *args) -> str:
    done = subprocess.run([sys.executable, str(HELPER), *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _kill_mid_write(env) -> None:
    kill_at_hang(HELPER, env, "hang", wait=WAIT)


@pytest.mark.parametrize("attempts", [2, 1])
def test_an_import_killed_mid_write_is_written_once_or_failed_never_half(database, attempts):
    env = database | {"KINERJA_TASK_ATTEMPTS": str(attempts)}
    _run(env, "enqueue")
    _kill_mid_write(env)

    killed = json.loads(_run(env, "state"))
    (job,) = killed["jobs"]
    assert (job["state"], job["attempts"]) == ("berjalan", 1)
    assert killed["tasks"][job["task"]] == "RUNNING"
    assert (killed["renstra"], killed["items"]) == (0, 0)  # its transaction died with it
    assert killed["kept"] == [job["file"]]

    done = subprocess.run([*kinerja(), "worker", "--burst", "--processes", "1"], env=env,
                          cwd=env["KINERJA_VAR_DIR"], capture_output=True, text=True,
                          timeout=WAIT, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    after = json.loads(_run(env, "state"))
    (job_after,) = after["jobs"]
    assert after["tasks"][job["task"]] == "FAILED"  # the queue's record of the killed run
    assert after["kept"] == []
    if attempts == 2:
        assert "→ antre" in done.stdout
        assert (job_after["state"], job_after["attempts"]) == ("selesai", 2)
        assert "Dicoba lagi" in job_after["error"]
        assert after["tasks"][job_after["task"]] == "SUCCESSFUL"
        assert after["items"] == after["seed_items"] > 0
        assert after["item_history"] == after["items"]  # each item written once
        assert after["renstra"] == 1
    else:
        assert "→ gagal" in done.stdout
        assert (job_after["state"], job_after["attempts"]) == ("gagal", 1)
        assert "berhenti di tengah impor" in job_after["error"]
        assert (after["renstra"], after["items"]) == (0, 0)
