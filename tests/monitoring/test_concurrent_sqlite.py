"""Writers at the same moment wait for each other instead of failing: eight operators save
their grid rows while the quarter is submitted, each through the real views, in threads of
one process against a database file (SQLite: timeout, IMMEDIATE transactions, WAL — see
settings.py) or a PostgreSQL database of its own. No request fails with "database is
locked"; every save that was answered as saved is in the database, with its values; a save
refused because the quarter had just been submitted wrote nothing."""

import json
from datetime import datetime
from decimal import Decimal

import pytest

from ..scratch_db import scratch_database, worker

SAVERS = 8


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("concurrent")) as env:
        yield env


def test_concurrent_saves_and_a_submission_all_succeed_or_are_refused_cleanly(database):
    done = worker(database, "concurrent", str(SAVERS))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "database is locked" not in done.stderr
    answers = json.loads(done.stdout.splitlines()[-1])
    assert [a.get("error") for a in answers] == [None] * len(answers)
    assert [a["status"] for a in answers if a["status"] >= 500] == [], answers

    submit = next(a for a in answers if a["kind"] == "submit")
    assert submit["status"] == 302
    saves = [a for a in answers if a["kind"] == "save"]
    saved = [a for a in saves if a["status"] == 302]
    refused = [a for a in saves if a["status"] == 400]
    assert len(saved) + len(refused) == SAVERS
    # a refused save was refused because the quarter had been submitted, not for a lock
    assert [a["page"] for a in refused] == ["submitted"] * len(refused)

    state = json.loads(worker(database, "state").stdout)
    stored = {row[0]: (Decimal(row[1]), Decimal(row[2])) for row in state["realisations"]}
    expected = {}
    for a in saved:
        for pk in a["rows"]:
            expected[pk] = (Decimal(a["data"][f"k-{pk}"]), Decimal(a["data"][f"rp-{pk}"]))
    assert {pk: stored.get(pk) for pk in expected} == expected
    for a in refused:
        assert [stored.get(pk) for pk in a["rows"]] == [None, None]
    # and every save that succeeded was written before the quarter was submitted: none
    # slipped in after the operator's quarter was locked
    submitted = datetime.fromisoformat(state["submitted_at"])
    late = [
        pk for pk in expected if datetime.fromisoformat(state["written_at"][str(pk)]) > submitted
    ]
    assert late == []
