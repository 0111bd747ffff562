"""A report task killed with `kill -9` in the middle of writing its file leaves no partial file
under the file's name; the next `kinerja worker` sees the dead worker's job and runs it again
(one run left) or reports it failed (none left). A real worker process against a database of
its own (tests/scratch_db.py), killed where tests/task_worker.py prints HANG."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .scratch_db import kill_at_hang, kinerja, scratch_database

HELPER = Path(__file__).resolve().with_name("task_worker.py")
WAIT = 180


@pytest.fixture
def database(tmp_path):
    with scratch_database(tmp_path) as env:
        yield env


def _run(env, *args, timeout=300) -> str:
    done = subprocess.run([sys.executable, str(HELPER), *args], env=env, capture_output=True,
                          text=True, timeout=timeout, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _files(media: str) -> list[str]:
    """Every file under a real name (not a hidden .part), the seed's logo aside."""
    out = []
    for folder, _dirs, files in os.walk(media):
        if os.path.basename(folder) != "kop":
            out += [os.path.join(folder, f) for f in files if not f.startswith(".")]
    return out


def _kill_mid_write(env) -> None:
    kill_at_hang(HELPER, env, "hang", wait=WAIT)


@pytest.mark.parametrize("attempts", [2, 1])
def test_a_report_task_killed_mid_write_is_retried_or_failed_never_half_written(database, attempts):
    env = database | {"KINERJA_TASK_ATTEMPTS": str(attempts)}
    media = env["MEDIA_ROOT"]
    _run(env, "enqueue", "form", "xlsx")
    _kill_mid_write(env)

    killed = json.loads(_run(env, "state"))
    (job,) = killed["jobs"]
    assert (job["state"], job["attempts"], job["report"]) == ("berjalan", 1, None)
    assert killed["tasks"][job["task"]] == "RUNNING"
    assert killed["reports"] == []
    assert _files(media) == []  # the half-written file has no real name
    parts = [f for _d, _s, fs in os.walk(media) for f in fs if f.endswith(".part")]
    assert len(parts) == 1  # it is there, hidden, as the .part file the storage wrote

    done = subprocess.run([*kinerja(), "worker", "--burst", "--processes", "1"], env=env,
                          cwd=env["KINERJA_VAR_DIR"], capture_output=True, text=True,
                          timeout=WAIT, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    after = json.loads(_run(env, "state"))
    (job_after,) = after["jobs"]
    assert after["tasks"][job["task"]] == "FAILED"  # the queue's record of the killed run
    if attempts == 2:
        assert "→ antre" in done.stdout
        assert (job_after["state"], job_after["attempts"]) == ("selesai", 2)
        assert "dicoba lagi" in job_after["error"]
        assert after["tasks"][job_after["task"]] == "SUCCESSFUL"
        (name,) = after["reports"]
        (path,) = _files(media)
        assert path.endswith(name)
        with zipfile.ZipFile(path) as z:  # the retried file is whole
            assert z.testzip() is None
    else:
        assert "→ gagal" in done.stdout
        assert (job_after["state"], job_after["attempts"]) == ("gagal", 1)
        assert "berhenti di tengah" in job_after["error"]
        assert after["reports"] == [] and _files(media) == []
