"""The database cache of rendered tables (kinerja.web.fragments): what it keeps is never
shown once the data under it changed, whichever way the data changed."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse

from kinerja.monitoring.models import Realisation
from kinerja.monitoring.workflow import reopen_quarter
from kinerja.planning.models import RpjmdObjective, StrategicPlan, WorkItem
from kinerja.web import fragments
from kinerja.web.models import DataVersion, Fragment

pytestmark = pytest.mark.django_db
SRC = Path(fragments.__file__).resolve().parents[1]


def test_every_planning_and_monitoring_model_changes_the_token():
    from django.apps import apps

    models = set(fragments.watched_models())
    for label in fragments.WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            name = model._meta.model_name
            if name.startswith("historical") or (label, name) in fragments.NOT_SHOWN:
                continue
            assert model in models, model
            assert post_save.has_listeners(model) and post_delete.has_listeners(model), model
    assert m2m_changed.has_listeners(StrategicPlan.serves.through)


# a write of a model no cached page shows (a user's profile, an API token) says so on its line
UNSHOWN = "# not on a cached page"


def test_the_code_never_writes_around_the_signals():
    """QuerySet.update(), bulk_create/bulk_update and raw SQL send no signal: a change made
    so would leave old figures in the cache. Only the cache itself may use them."""
    bypass = re.compile(r"\)\s*\.update\(|\.objects\.update\(|bulk_create\(|bulk_update\(|"
                        r"_with_history\(|\.raw\(|cursor\(\)")  # fmt: skip
    found = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "fragments.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if bypass.search(line) and "fragments.bulk_" not in line and UNSHOWN not in line:
                found.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert found == []


def test_a_fragment_is_served_until_the_data_changes(settings):
    settings.FRAGMENT_CACHE = True
    calls = []

    def render():
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    assert fragments.cached(("uji", 1), render) == "<p>1</p>"
    assert fragments.cached(("uji", 1), render) == "<p>1</p>"  # kept
    assert fragments.cached(("uji", 2), render) == "<p>2</p>"  # another key
    item = WorkItem.objects.filter(level="program").first()
    item.name += " (diubah)"
    item.save()
    assert fragments.cached(("uji", 1), render) == "<p>3</p>"  # the data changed
    assert Fragment.objects.count() == 1  # the old token's fragments went with it


def test_a_fragment_stored_under_an_old_token_is_never_served(settings):
    settings.FRAGMENT_CACHE = True
    old = fragments.current_token()
    fragments.bump()
    Fragment.objects.create(key="uji:1:id", token=old, html="<p>lama</p>")
    assert fragments.cached(("uji", 1), lambda: "<p>baru</p>") == "<p>baru</p>"


def test_deletes_and_many_to_many_changes_change_the_token():
    before = DataVersion.objects.get().token
    Realisation.objects.filter(quarter=1).first().delete()
    after_delete = DataVersion.objects.get().token
    assert after_delete != before
    plan = StrategicPlan.objects.first()
    plan.serves.add(RpjmdObjective.objects.first())
    assert DataVersion.objects.get().token != after_delete


def test_off_computes_every_time(settings):
    settings.FRAGMENT_CACHE = False
    calls = []
    for _ in range(2):
        fragments.cached(("uji", 1), lambda: str(calls.append(1)))
    assert len(calls) == 2 and Fragment.objects.count() == 0


def _page(client, name, **kwargs):
    html = client.get(reverse(name, kwargs=kwargs)).content.decode()
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", html)  # a new CSRF token per response


def test_pages_show_a_changed_figure_on_the_next_request(client, demo_users, agency, settings):
    """Dashboard, overview and grid of TW I 2024, viewed, then the program 5.03.02's TW I
    realisation changes (15 of 70: 21,43 %) to 35 (50,00 %): every page shows the new figure.
    TW I is reopened first: an approved quarter reads its snapshot (tests/record)."""
    settings.FRAGMENT_CACHE = True
    reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=1, reason="uji")
    client.force_login(demo_users["pimpinan"])
    where = {"agency": agency.slug, "year": 2024, "quarter": 1}
    pages = (("web:dashboard", where), ("monitoring:grid", where),
             ("web:overview", {"year": 2024, "quarter": 1}))  # fmt: skip
    before = [_page(client, name, **kw) for name, kw in pages]
    assert "21,43 %" in before[0] and "21,43 %" in before[1] and "19,55 %" in before[2]
    assert [_page(client, name, **kw) for name, kw in pages] == before  # kept, unchanged
    program = WorkItem.objects.get(agency=agency, year=2024, level="program", code="5.03.02")
    realisation = Realisation.objects.get(work_item=program, quarter=1)
    realisation.value_k = Decimal(35)
    realisation.save()
    after = [_page(client, name, **kw) for name, kw in pages]
    assert "50,00 %" in after[0] and "21,43 %" not in after[0]
    assert "50,00 %" in after[1]
    # the average of the three programs: (15,00 + 50,00 + 22,22) / 3
    assert "29,07 %" in after[2] and "19,55 %" not in after[2]


def test_a_bulk_write_through_the_cache_helpers_changes_the_token():
    """renumber() and the plan import write in bulk; through fragments.bulk_* the token moves
    as a save would have moved it."""
    from kinerja.planning.items import renumber

    item = WorkItem.objects.filter(level="program").first()
    before = fragments.current_token()
    item.name += " (massal)"
    fragments.bulk_update(WorkItem, [item], ["name"])
    after = fragments.current_token()
    assert after != before
    # renumber of a year already in form order writes nothing and keeps the token
    renumber(item.agency, item.year)
    assert fragments.current_token() == after
    # swapping two programs' positions and renumbering writes, and moves the token
    first, second = WorkItem.objects.filter(agency=item.agency, year=item.year,
                                            level="program").order_by("position")[:2]  # fmt: skip
    first.position, second.position = 10_000, 10_001
    first.save()
    second.save()
    saved = fragments.current_token()
    renumber(item.agency, item.year)
    assert fragments.current_token() != saved


def test_a_migrate_drops_the_fragments_of_the_templates_before_it(settings):
    """An upgrade runs migrate: a table cached by the old templates is drawn again."""
    from django.core.management import call_command

    settings.FRAGMENT_CACHE = True
    assert fragments.cached(("uji", "migrate"), lambda: "<p>lama</p>") == "<p>lama</p>"
    call_command("migrate", verbosity=0)
    assert fragments.cached(("uji", "migrate"), lambda: "<p>baru</p>") == "<p>baru</p>"
