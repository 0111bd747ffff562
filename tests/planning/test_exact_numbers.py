"""Issue 12, "one bound per number, stored exactly, reading never raises": every K and Rp
column of planning and monitoring holds the whole bound of kinerja.core.numbers exactly, on
SQLite (scaled integers) and PostgreSQL (numeric), refuses one step beyond it in the database
itself, and reads back without raising — also through sums, lookups, history and forms."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.apps import apps
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Max, Min, Sum
from django.forms import modelform_factory
from django.urls import reverse

from kinerja.core.numbers import K_BOUND, RP_BOUND, InvalidNumber, format_number, parse_number
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import ExactDecimalField, WorkItem

pytestmark = pytest.mark.django_db

# the models whose K and Rp columns the issue names, and record's snapshots of approved quarters
NAMED = {"WorkItem", "ActionPlan", "IndicatorTarget", "AgreementTarget", "AgreementLine",
         "ScaleBand", "Realisation", "IndicatorRealisation",
         "SnapshotRow", "SnapshotValue"}  # fmt: skip

STEP = {K_BOUND.places: D("0.000001"), RP_BOUND.places: D("0.01")}
# values each column must hold exactly: both ends of its bound, its smallest step, and
# numbers with every digit significant (which SQLite's NUMERIC affinity would round)
K_VALUES = [K_BOUND.high, K_BOUND.low, D("0.000001"), D("-0.000001"), D("999999999999.999999"),
            D("65.63"), D("0.25"), D(0)]  # fmt: skip
RP_VALUES = [RP_BOUND.high, RP_BOUND.low, D("0.01"), D("12345678901234.56"),
             D("1905955200"), D("999999999999999")]  # fmt: skip


def _bounded_models():
    return [
        model
        for label in ("planning", "monitoring", "record")
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
        and any(isinstance(f, ExactDecimalField) for f in model._meta.concrete_fields)
    ]


def _columns():
    return [
        (model, field)
        for model in _bounded_models()
        for field in model._meta.concrete_fields
        if isinstance(field, ExactDecimalField)
    ]


def _a_row(model):
    row = model._base_manager.order_by("pk").first()
    assert row is not None, f"the seed has no {model.__name__}"  # a walk that skips proves nothing
    return row


def _values(field):
    return RP_VALUES if field.money else K_VALUES


def test_the_walk_covers_every_model_the_issue_names_with_one_bound_per_column():
    assert {m.__name__ for m in _bounded_models()} == NAMED
    for _model, field in _columns():
        assert field.bound is (RP_BOUND if field.money else K_BOUND)


def test_the_largest_and_smallest_value_of_every_column_round_trips_exactly():
    checked = 0
    for model, field in _columns():
        pk = _a_row(model).pk
        for value in _values(field):
            model._base_manager.filter(pk=pk).update(**{field.attname: value})
            read = getattr(model._base_manager.get(pk=pk), field.attname)
            listed = model._base_manager.filter(pk=pk).values_list(field.attname, flat=True)[0]
            assert read == value and listed == value, (model.__name__, field.name, value, read)
            assert f"{read:f}" == f"{value.normalize():f}"  # no padding, no digit lost
            checked += 1
    assert checked == sum(len(_values(f)) for _m, f in _columns()) > 100


def _refusal(field, value):
    """How the database refuses a value beyond the bound: the CHECK constraint
    (IntegrityError), except where PostgreSQL's numeric(17,2) cannot hold the value at all —
    Rp ≥ 10^15 — and refuses it as a numeric overflow (DataError) before any check."""
    if connection.vendor == "postgresql" and field.money and value > RP_BOUND.high:
        return DataError
    return IntegrityError


def test_one_step_beyond_the_bound_is_refused_by_the_parser_and_by_the_database():
    for model, field in _columns():
        bound = field.bound
        pk = _a_row(model).pk
        for beyond in (bound.high + STEP[bound.places], bound.low - STEP[bound.places]):
            text = format_number(beyond)
            with pytest.raises(InvalidNumber, match=r"paling besar|tidak boleh negatif"):
                parse_number(text, money=field.money)
            refusal = _refusal(field, beyond)
            with pytest.raises(refusal) as caught, transaction.atomic():
                model._base_manager.filter(pk=pk).update(**{field.attname: beyond})
            if refusal is IntegrityError and beyond > bound.high:  # this column's constraint
                (name,) = [c.name for c in model._meta.constraints
                           if c.name.split("_", 1)[1] == f"{field.name}_in_bound"]  # fmt: skip
                assert name in str(caught.value)


def test_a_row_created_around_the_app_with_an_out_of_bound_value_is_refused():
    item = WorkItem.objects.get(code="5.03.02.2.02.0001", year=2024)
    with pytest.raises(IntegrityError, match="realisation_value_k_in_bound"), transaction.atomic():
        Realisation.objects.create(work_item=item, quarter=4, value_k=K_BOUND.high + 1)
    with pytest.raises(IntegrityError, match="realisation_value_k_in_bound"), transaction.atomic():
        Realisation.objects.create(work_item=item, quarter=4, value_k=D("-1000000000000.000001"))
    rp = Realisation._meta.get_field("value_rp")
    with pytest.raises(_refusal(rp, D("1000000000000000"))), transaction.atomic():
        Realisation.objects.create(work_item=item, quarter=4, value_rp=D("1000000000000000"))
    assert not Realisation.objects.filter(work_item=item, quarter=4).exists()


def test_more_decimals_than_the_column_keeps_are_refused_not_rounded():
    item = WorkItem.objects.get(code="5.03.02.2.02.0001", year=2024)
    before = (item.target_k, item.budget_original)
    for field, value in (("target_k", D("0.0000001")), ("budget_original", D("1.005"))):
        with pytest.raises(ValueError, match="angka di belakang koma"), transaction.atomic():
            WorkItem.objects.filter(pk=item.pk).update(**{field: value})
        with pytest.raises(ValueError, match="angka di belakang koma"), transaction.atomic():
            WorkItem.objects.create(agency=item.agency, year=2030, position=1, level="program",
                                    name="uji", **{field: value})  # fmt: skip
    item.refresh_from_db()
    assert (item.target_k, item.budget_original) == before
    assert not WorkItem.objects.filter(year=2030).exists()


def test_sums_lookups_and_ranges_over_the_columns_are_exact():
    rows = list(Realisation.objects.order_by("pk")[:3])
    values = [(D("0.25"), D("12345678901234.56")), (D("65.63"), D("999999999999.99")),
              (D("-0.000001"), D("0.01"))]  # fmt: skip
    for row, (k, rp) in zip(rows, values, strict=True):
        Realisation.objects.filter(pk=row.pk).update(value_k=k, value_rp=rp)
    mine = Realisation.objects.filter(pk__in=[r.pk for r in rows])
    totals = mine.aggregate(k=Sum("value_k"), rp=Sum("value_rp"), low=Min("value_k"),
                            high=Max("value_rp"))  # fmt: skip
    assert totals == {"k": D("65.879999"), "rp": D("13345678901234.56"),
                      "low": D("-0.000001"), "high": D("12345678901234.56")}  # fmt: skip
    assert list(mine.filter(value_rp=D("12345678901234.56")).values_list("pk", flat=True)) == [
        rows[0].pk
    ]
    assert set(mine.filter(value_k__gt=D("0.25")).values_list("value_k", flat=True)) == {D("65.63")}
    assert set(mine.filter(value_k__in=[D("0.25"), D("-0.000001")]).values_list(
        "value_k", flat=True)) == {D("0.25"), D("-0.000001")}  # fmt: skip
    assert mine.filter(value_rp__range=(D("0.01"), D("999999999999.99"))).count() == 2
    assert mine.filter(value_k__lt=0).get().pk == rows[2].pk


def test_history_keeps_the_exact_value():
    item = WorkItem.objects.get(code="5.03.02.2.02.0001", year=2024)
    item.budget_revised, item.target_k = D("12345678901234.56"), K_BOUND.low
    item.save()
    latest = item.history.order_by("-history_id").first()
    assert (latest.budget_revised, latest.target_k) == (D("12345678901234.56"), K_BOUND.low)


def test_model_forms_read_and_show_indonesian_numbers_within_the_bound():
    item = WorkItem.objects.get(code="5.03.02.2.02.0001", year=2024)
    Form = modelform_factory(WorkItem, fields=["budget_original", "target_k"])
    shown = Form(instance=item)
    shown_text = format_number(item.budget_original)
    assert "." in shown_text and shown["budget_original"].value() == shown_text
    assert f'value="{shown_text}"' in str(shown["budget_original"])
    good = Form({"budget_original": "12.345.678.901.234,56", "target_k": "-0,5"}, instance=item)
    assert good.is_valid(), good.errors
    assert good.cleaned_data == {"budget_original": D("12345678901234.56"),
                                 "target_k": D("-0.5")}  # fmt: skip
    bad = Form({"budget_original": "1.000.000.000.000.000", "target_k": "١٢٣"}, instance=item)
    assert not bad.is_valid()
    assert bad.errors["budget_original"] == [
        "«1.000.000.000.000.000»: nilai rupiah paling besar 999.999.999.999.999,99."
    ]
    assert "bukan angka 0–9" in bad.errors["target_k"][0]


def test_pages_read_the_extremes_without_error(client, demo_users, agency):
    """The bug of issue 12: a stored value made every page that read it answer 500."""
    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001", year=2024)
    WorkItem.objects.filter(pk=item.pk).update(budget_original=RP_BOUND.high,
                                               target_k=K_BOUND.high)  # fmt: skip
    Realisation.objects.update_or_create(
        work_item=item, quarter=2, defaults={"value_k": K_BOUND.high, "value_rp": RP_BOUND.high}
    )
    client.force_login(demo_users["operator"])
    where = {"agency": agency.slug, "year": 2024, "quarter": 2}
    for name in ("monitoring:grid", "web:dashboard"):
        response = client.get(reverse(name, kwargs=where))
        assert response.status_code == 200, name
    grid = client.get(reverse("monitoring:grid", kwargs=where)).content.decode()
    assert "999.999.999.999.999,99" in grid and "1.000.000.000.000" in grid


def test_the_columns_are_what_the_design_notes_say():
    field = WorkItem._meta.get_field("budget_original")
    k = WorkItem._meta.get_field("target_k")
    if connection.vendor == "sqlite":
        assert (field.db_type(connection), k.db_type(connection)) == ("integer", "integer")
    else:
        assert (field.db_type(connection), k.db_type(connection)) == (
            "numeric(17,2)", "numeric(19,6)")  # fmt: skip


# ---- migrations 0004/0005 convert a database made before them ---------------------------

CONVERT = r"""
import json, sys
from decimal import Decimal as D

from kinerja.cli import setup_django

setup_django()
from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.db.migrations.recorder import MigrationRecorder  # noqa: E402

OLD = [("planning", "0003_budget_legal_basis"), ("monitoring", "0004_status_label_draf")]
executor = MigrationExecutor(connection)
executor.migrate(OLD)
old = executor.loader.project_state(OLD).apps
gov = old.get_model("planning", "Government").objects.create(name="Pemda Uji", slug="uji",
                                                             region="Uji")
agency = old.get_model("planning", "Agency").objects.create(government=gov, name="Dinas Uji",
                                                            abbreviation="DU", slug="du")
WorkItem = old.get_model("planning", "WorkItem")
item = WorkItem.objects.create(agency=agency, year=2024, position=1, level="program",
                               name="Program Uji", **{k: D(v) for k, v in ITEM.items()})
history = old.get_model("planning", "HistoricalWorkItem")
history.objects.create(id=item.id, agency_id=agency.id, year=2024, position=1, level="program",
                       name="Program Uji", history_date="2024-01-01T00:00:00Z",
                       history_type="+", **{k: D(v) for k, v in ITEM.items()})
Realisation = old.get_model("monitoring", "Realisation")
for quarter, (k, rp) in enumerate(REALISED, start=1):
    Realisation.objects.create(work_item=item, quarter=quarter, value_k=D(k), value_rp=D(rp))

executor = MigrationExecutor(connection)
try:
    executor.migrate(executor.loader.graph.leaf_nodes())
except RuntimeError as exc:
    applied = {name for app, name in MigrationRecorder(connection).applied_migrations()
               if app == "monitoring"}
    print(json.dumps({"refused": str(exc), "monitoring": sorted(applied)[-1],
                      "kept": [str(v) for v in Realisation.objects.order_by("quarter")
                               .values_list("value_k", flat=True)]}))
    sys.exit(0)
new_item = apps.get_model("planning", "WorkItem").objects.get()
new_history = apps.get_model("planning", "HistoricalWorkItem").objects.get()
rows = apps.get_model("monitoring", "Realisation").objects.order_by("quarter")
print(json.dumps({
    "item": {k: str(getattr(new_item, k)) for k in ITEM},
    "history": {k: str(getattr(new_history, k)) for k in ITEM},
    "realised": [[str(r.value_k), str(r.value_rp)] for r in rows],
}))
"""

ITEM = {"target_k": "65.63", "target_k_upper": "1000000000000", "budget_original": "1905955200",
        "budget_revised": "1097270221.5", "renstra_target_k": "0.000001",
        "renstra_target_rp": "0.01", "renstra_realised_k": "-940",
        "renstra_realised_rp": "117491449.7"}  # fmt: skip
REALISED = [["0.25", "1905955200"], ["15", "476488800.25"], ["-3.5", "0"],
            ["1000000000000", "123456789.12"]]  # fmt: skip


def _convert(tmp_path, realised):
    """Run CONVERT in its own process on its own database (a SQLite file under tmp_path, or
    a PostgreSQL database beside the test database), which it migrates to the state before
    0004/0005, fills through those migrations' models, then migrates to the end."""
    import json
    import os
    import subprocess
    import sys

    settings = connection.settings_dict
    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'before.sqlite3'}"
        drop = None
    else:
        name = f"{settings['NAME']}_conv"
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgresql://{auth}@{settings['HOST']}:{settings['PORT']}/{name}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        drop = name
    script = tmp_path / "convert.py"
    script.write_text(f"ITEM = {ITEM!r}\nREALISED = {realised!r}\n{CONVERT}")
    try:
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                              text=True, timeout=600, cwd=tmp_path)  # fmt: skip
    finally:
        if drop:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{drop}"')
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_migrations_convert_an_existing_database_exactly(tmp_path):
    read = _convert(tmp_path, REALISED)
    assert read["item"] == ITEM
    assert read["history"] == ITEM
    assert read["realised"] == REALISED


def test_the_migrations_name_a_value_beyond_the_bound_and_change_nothing(tmp_path):
    read = _convert(tmp_path, [*REALISED[:3], ["10000000000000", "1"]])
    assert "di luar batas" in read["refused"]
    assert "monitoring.Realisation" in read["refused"] and "value_k" in read["refused"]
    assert read["monitoring"] == "0004_status_label_draf"  # 0005 undone as a whole
    assert read["kept"] == [k for k, _rp in REALISED[:3]] + ["10000000000000"]


# ---- a negative K only where the indicator or item allows it ------------------------------


def test_planning_refuses_a_negative_target_unless_the_indicator_or_item_allows_it(demo_users):
    from datetime import date

    from kinerja.planning.domain import revise_target, set_action_plan
    from kinerja.planning.items import Revision
    from kinerja.planning.models import ActionPlan, IndicatorTarget

    operator = demo_users["operator"]
    target = IndicatorTarget.objects.get(indicator__name="Nilai SAKIP Perangkat Daerah", year=2025)
    revision = {"user": operator, "target": target, "value": D("-2"), "on": date(2024, 9, 1),
                "reason": "uji", "legal_basis": "Keputusan Kepala BKPSDM"}  # fmt: skip
    with pytest.raises(InvalidNumber, match="«-2»: nilai K indikator ini tidak boleh negatif"):
        revise_target(**revision)
    item = WorkItem.objects.get(code="5.03.02.2.02.0001", year=2024)
    plan = {"user": operator, "work_item": item, "quarter": 3, "target_k": D("-1"),
            "cash_plan": None,  # 2024 has an approved quarter: the change is a revision
            "revision": Revision(date(2024, 9, 1), "uji", "Keputusan Kepala BKPSDM")}  # fmt: skip
    with pytest.raises(InvalidNumber, match="tidak boleh negatif"):
        set_action_plan(**plan)
    assert not ActionPlan.objects.filter(work_item=item, quarter=3, target_k__lt=0).exists()
    target.indicator.allows_negative = True
    target.indicator.save()
    item.allows_negative = True
    item.save()
    assert revise_target(**revision).revised == D(-2)
    assert set_action_plan(**plan).target_k == D(-1)
