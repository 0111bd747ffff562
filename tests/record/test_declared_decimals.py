"""Declared decimals (*jumlah desimal*) of indicators and Renja items: captured with the
quarter, frozen in its snapshot, left out of the canonical JSON where undeclared so every
input frozen before the field keeps its hash, and carried to the form's rows."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest

from kinerja.planning.models import Indicator, WorkItem
from kinerja.record.capture import capture, from_json, input_hash, to_json
from kinerja.record.snapshots import freeze_quarter, read_snapshot
from kinerja.reporting.build import build_form_report

pytestmark = pytest.mark.django_db


def test_the_seed_declares_two_decimals_for_the_sistem_merit_index_and_the_sakip_score(agency):
    inp = capture(agency.pk, year=2024, quarter=1)
    declared = {i.name: i.decimals for i in inp.indicators if i.decimals is not None}
    assert declared == {"Indeks Penilaian Sistem Merit": 2, "Nilai SAKIP Perangkat Daerah": 2}
    assert {i.decimals for i in inp.items} == {None}


def test_undeclared_decimals_leave_the_json_and_the_hash_as_before(agency):
    inp = capture(agency.pk, year=2024, quarter=1)
    data = to_json(inp)
    assert [i for i in data["items"] if "decimals" in i] == []
    merit = next(i for i in data["indicators"] if i["name"] == "Indeks Penilaian Sistem Merit")
    assert merit["decimals"] == 2
    # an input frozen before the field: its JSON had no such key, and hashes the same now
    for record in data["indicators"]:
        record.pop("decimals", None)
    older = from_json(json.loads(json.dumps(data)))
    assert {i.decimals for i in older.indicators} == {None}
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    assert input_hash(older) == hashlib.sha256(canonical.encode()).hexdigest()
    assert input_hash(older) != input_hash(inp)  # and a declaration is part of the input


def test_a_snapshot_freezes_an_items_declared_decimals(agency):
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.01", position=1)
    program.decimals = 2
    program.save(update_fields=["decimals"])
    snapshot = freeze_quarter(agency_id=agency.pk, year=2024, quarter=2, actor=None,
                              at=datetime(2024, 7, 16, tzinfo=UTC))  # fmt: skip
    frozen = read_snapshot(snapshot)
    assert next(i for i in frozen.items if i.key == program.pk).decimals == 2
    assert snapshot.data_hash == input_hash(frozen)
    assert frozen == capture(agency.pk, year=2024, quarter=2)


def test_the_forms_rows_carry_their_items_declared_decimals(agency):
    WorkItem.objects.filter(agency=agency, year=2024, code="5.03.02").update(decimals=1)
    Indicator.objects.filter(name="Indeks Penilaian Sistem Merit").update(decimals=3)
    report = build_form_report(agency, year=2024, quarter=2, signed_on=date(2024, 7, 16))
    declared = {line.code: line.decimals for line in report.rows if line.decimals is not None}
    assert declared == {"5.03.02": 1}
