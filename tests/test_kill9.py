"""`kill -9` in the middle of a write leaves nothing half-written: a grid save killed after
its first row is written inside its transaction leaves none of its rows (nor their history);
a download's report job, run as a worker runs it, killed while its file is being written
leaves no partial file under the final name, and one killed before its GeneratedReport row
is saved leaves no row. Each writer is a process of its own against a database of its own
(tests/scratch_db.py)."""

import json
import os
import zipfile

import pytest

from .scratch_db import WORKER, kill_at_hang, scratch_database, worker

WAIT = 120  # seconds for the worker to reach the point where it is killed


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("kill9")) as env:
        yield env


def _state(env) -> dict:
    done = worker(env, "state")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def _kill_at_hang(env, *args: str) -> list[str]:
    """Start the worker, SIGKILL it when it prints HANG; its output lines before that."""
    return kill_at_hang(WORKER, env, *args, wait=WAIT)


def test_a_grid_save_killed_midway_leaves_none_of_its_rows(database):
    before = _state(database)
    lines = _kill_at_hang(database, "save-and-hang")
    batch = json.loads(lines[0])
    assert len(batch) == 3
    after = _state(database)
    assert after["realisations"] == before["realisations"]
    assert [row for row in after["realisations"] if row[0] in batch] == []
    assert after["history"] == before["history"]
    # and the database is usable at once: the same save, not killed, goes through
    done = worker(database, "save-and-hang", "--no-hang")
    assert done.returncode == 0, done.stderr[-3000:]
    saved = _state(database)["realisations"]
    assert sorted(row[0] for row in saved if row[0] in batch) == sorted(batch)


@pytest.mark.parametrize("where", ["write", "row"])
def test_a_report_killed_midway_leaves_no_partial_file_and_no_row_without_its_file(database, where):
    before = _state(database)["reports"]
    _kill_at_hang(database, "report-and-hang", where)
    after = _state(database)["reports"]
    assert after == before  # no GeneratedReport row: the kill came before it was saved
    media = database["MEDIA_ROOT"]
    finals = []
    for folder, _dirs, files in os.walk(media):
        if os.path.basename(folder) == "kop":  # the seed's example logo, not a report
            continue
        finals += [os.path.join(folder, f) for f in files if not f.startswith(".")]
    for path in finals:  # every file under a real name is a whole workbook
        with zipfile.ZipFile(path) as z:
            assert z.testzip() is None, path
    if where == "write":
        assert len(finals) == len(before)  # the file being written has no real name yet
    else:
        assert len(finals) == len(before) + 1  # written whole; its row never came

    done = worker(database, "report-and-hang", "none")
    assert done.returncode == 0, done.stderr[-3000:]
    reports = _state(database)["reports"]
    assert len(reports) == len(before) + 1
    assert [r["whole"] for r in reports] == [True] * len(reports)
