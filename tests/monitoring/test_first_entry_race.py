"""Two operators enter the first value of the same empty cell at the same moment, each from a
page drawn empty. The database refuses the second row (PostgreSQL) or makes the second writer
wait (SQLite); either way the second is answered with a conflict naming the first's value —
never a database error — and the first's value is what is stored."""

import json

import pytest

from ..scratch_db import scratch_database, worker


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    with scratch_database(tmp_path_factory.mktemp("race")) as env:
        yield env


def test_the_second_first_entry_is_a_conflict_not_a_database_error(database):
    done = worker(database, "first-entry-race")
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer == {"b": "conflict", "cells": [["value_k", "20", "25"]], "stored": "20"}
