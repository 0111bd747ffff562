"""The cache of rendered tables (kinerja.web.fragments) on Django's cache framework, in the
database and in Redis: what it keeps is never shown once the data under it changed, whichever
way the data changed, in whichever process."""

import os
import re
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import redis
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import translation

from kinerja.monitoring.models import Realisation
from kinerja.monitoring.workflow import reopen_quarter
from kinerja.planning.models import RpjmdObjective, StrategicPlan, WorkItem
from kinerja.settings import _caches
from kinerja.web import fragments

pytestmark = pytest.mark.django_db
SRC = Path(fragments.__file__).resolve().parents[1]
# the Redis of this machine and CI's (docs/deploy.md); a database number no deployment uses,
# and a key prefix of each test's own, whose keys alone the test deletes
REDIS_URL = os.environ.get("KINERJA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_prefix(settings):
    prefix = f"kinerja-uji-{uuid.uuid4().hex[:12]}"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": prefix}}  # fmt: skip
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture(params=["basis-data", "redis"])
def backend(request, settings):
    """Each test that takes it runs on the default database cache and on Redis."""
    if request.param == "redis":
        request.getfixturevalue("redis_prefix")
    else:
        settings.CACHES = _caches("")
    settings.FRAGMENT_CACHE = True
    return request.param


def _stored(parts, token=None):
    """What the cache holds for ``parts`` under ``token`` (the current one by default)."""
    key = fragments.key(parts, token or fragments.current_token())
    return caches["default"].get(key)


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
                        r"_with_history\(|\.raw\(|cursor\(\)|insert_rows\(")  # fmt: skip
    found = []
    for path in SRC.rglob("*.py"):
        # fragments.bulk_create writes through bulkinsert.insert_rows (COPY on PostgreSQL)
        if "migrations" in path.parts or path.name in ("fragments.py", "bulkinsert.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if bypass.search(line) and "fragments.bulk_" not in line and UNSHOWN not in line:
                found.append(f"{path.relative_to(SRC)}:{n}: {line.strip()}")
    assert found == []


def test_a_fragment_is_served_until_the_data_changes(backend):
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
    assert fragments.cached(("uji", 1), render) == "<p>3</p>" and len(calls) == 3


def test_a_fragment_stored_under_an_old_token_is_never_served(backend):
    old = fragments.current_token()
    fragments.bump()
    caches["default"].set(fragments.key(("uji", 1), old), "<p>lama</p>")
    assert fragments.cached(("uji", 1), lambda: "<p>baru</p>") == "<p>baru</p>"


def test_a_token_the_cache_lost_is_drawn_anew(backend):
    """Evicted, or Redis restarted: every fragment before it is forgotten, never served."""
    before = fragments.current_token()
    assert fragments.cached(("uji", 1), lambda: "<p>lama</p>") == "<p>lama</p>"
    caches["default"].delete(fragments.TOKEN_KEY)
    assert fragments.current_token() != before
    assert fragments.cached(("uji", 1), lambda: "<p>baru</p>") == "<p>baru</p>"


def test_deletes_and_many_to_many_changes_change_the_token():
    before = fragments.current_token()
    Realisation.objects.filter(quarter=1).first().delete()
    after_delete = fragments.current_token()
    assert after_delete != before
    plan = StrategicPlan.objects.first()
    plan.serves.add(RpjmdObjective.objects.first())
    assert fragments.current_token() != after_delete


def test_off_computes_every_time(settings):
    settings.FRAGMENT_CACHE = False
    calls = []
    for _ in range(2):
        fragments.cached(("uji", 1), lambda: str(calls.append(1)))
    assert len(calls) == 2 and _stored(("uji", 1)) is None


def test_a_reader_between_the_write_and_its_commit_is_not_believed(
    backend, django_capture_on_commit_callbacks
):
    """Another process that read the token after the write's first new token but before
    the commit draws the figures as they were: the commit replaces the token again."""
    items = list(WorkItem.objects.filter(level="program")[:2])
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for item in items:
            item.name += " (diubah)"
            item.save()
        # what that process stores (Redis shows it the token before the commit)
        caches["default"].set(fragments.key(("uji", 1), fragments.current_token()), "<p>lama</p>")
    # once per transaction, however many rows it wrote (beside it, the one that asks for the
    # refresh of the roll-up's stored figures: kinerja.rollups.stale)
    assert len([c for c in callbacks if hasattr(c, "fragment_blocks")]) == 1
    assert len([c for c in callbacks if hasattr(c, "rollup_keys")]) == 1
    assert fragments.cached(("uji", 1), lambda: "<p>baru</p>") == "<p>baru</p>"


def test_a_transaction_that_wrote_neither_reads_nor_stores_fragments(backend):
    item = WorkItem.objects.filter(level="program").first()
    assert fragments.cached(("uji", 1), lambda: "<p>sebelum</p>") == "<p>sebelum</p>"
    with transaction.atomic():
        item.name = "Nama yang belum tentu jadi"
        item.save()

        def name():
            return f"<p>{WorkItem.objects.get(pk=item.pk).name}</p>"

        # its own uncommitted figures, for itself only
        assert fragments.cached(("uji", 1), name) == "<p>Nama yang belum tentu jadi</p>"
        assert _stored(("uji", 1)) is None


def test_a_rolled_back_write_leaves_the_figures_before_it(backend):
    """The write is undone: what is served is the data before it, never what was drawn
    inside the transaction that was rolled back."""
    item = WorkItem.objects.filter(level="program").first()
    before = item.name

    def name():
        return f"<p>{WorkItem.objects.get(pk=item.pk).name}</p>"

    assert fragments.cached(("uji", "nama"), name) == f"<p>{before}</p>"
    with pytest.raises(RuntimeError), transaction.atomic():
        item.name = "Tidak pernah jadi"
        item.save()
        assert fragments.cached(("uji", "nama"), name) == "<p>Tidak pernah jadi</p>"
        raise RuntimeError
    assert fragments.cached(("uji", "nama"), name) == f"<p>{before}</p>"


def test_a_savepoint_rolled_back_takes_its_commit_callback_along(
    django_capture_on_commit_callbacks,
):
    """The first write's callback went with its savepoint: the next write registers again,
    so the commit still replaces the token."""
    first, second = WorkItem.objects.filter(level="program")[:2]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            first.save()
            raise RuntimeError
        second.save()
        inside = fragments.current_token()
    assert len([c for c in callbacks if hasattr(c, "fragment_blocks")]) == 1
    # the roll-up's stale mark too: rolled back with the savepoint, made again by the second
    assert len([c for c in callbacks if hasattr(c, "rollup_keys")]) == 1
    assert fragments.current_token() != inside


def test_two_processes_see_the_same_fragments_and_the_same_change(backend, monkeypatch):
    """Two cache clients of their own, as two app processes behind the load balancer have:
    what one stores the other serves, and a write through one is seen by the other."""
    other = caches.create_connection("default")
    assert other is not caches["default"]
    assert fragments.cached(("uji", 1), lambda: "<p>pertama</p>") == "<p>pertama</p>"
    with monkeypatch.context() as m:
        m.setattr(fragments, "_cache", lambda: other)
        assert fragments.cached(("uji", 1), lambda: "<p>kedua</p>") == "<p>pertama</p>"
        item = WorkItem.objects.filter(level="program").first()
        item.save()  # the write, in the second process
    assert fragments.cached(("uji", 1), lambda: "<p>ketiga</p>") == "<p>ketiga</p>"


def test_another_process_on_redis_sees_the_change(redis_prefix, settings, tmp_path):
    """A real second Python process on the same Redis: nothing is kept in a process."""
    settings.FRAGMENT_CACHE = True
    script = (
        "import django, sys\n"
        "django.setup()\n"
        "from django.test import override_settings\n"
        "from django.utils import translation\n"
        "caches = {'default': {'BACKEND': 'django.core.cache.backends.redis.RedisCache',\n"
        f"          'LOCATION': {REDIS_URL!r}, 'KEY_PREFIX': {redis_prefix!r}}}}}\n"
        "with override_settings(CACHES=caches), translation.override('id'):\n"
        "    from kinerja.web import fragments\n"
        "    print(fragments.cached(('uji', 'proses'), lambda: '<p>proses kedua</p>'))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KINERJA_")}
    env |= {"DJANGO_SETTINGS_MODULE": "kinerja.settings", "KINERJA_VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'tidak-dipakai.sqlite3'}"}  # fmt: skip

    def second_process():
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env=env, cwd=tmp_path, check=False, timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    with translation.override("id"):
        assert fragments.cached(("uji", "proses"), lambda: "<p>proses pertama</p>") == (
            "<p>proses pertama</p>"
        )
        assert second_process() == "<p>proses pertama</p>"  # served from Redis
        item = WorkItem.objects.filter(level="program").first()
        item.save()
        assert second_process() == "<p>proses kedua</p>"  # the change, seen there


def _page(client, name, **kwargs):
    html = client.get(reverse(name, kwargs=kwargs)).content.decode()
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", html)  # a new CSRF token per response


def test_pages_show_a_changed_figure_on_the_next_request(client, demo_users, agency, backend):
    """Dashboard, overview and grid of TW I 2024, viewed, then the program 5.03.02's TW I
    realisation changes (15 of 70: 21,43 %) to 35 (50,00 %): every page shows the new figure.
    TW I is reopened first: an approved quarter reads its snapshot (tests/record). On the
    database cache and on Redis."""
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
    settings.CACHES = _caches("")
    assert fragments.cached(("uji", "migrate"), lambda: "<p>lama</p>") == "<p>lama</p>"
    call_command("migrate", verbosity=0)
    assert fragments.cached(("uji", "migrate"), lambda: "<p>baru</p>") == "<p>baru</p>"


def test_migrate_creates_the_database_caches_table(settings):
    """A fresh database gets the cache's table from migrate itself (kinerja demo, an
    upgrade, kinerja synth): no separate createcachetable to remember."""
    from django.core.management import call_command
    from django.db import connection

    settings.CACHES = _caches("")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE kinerja_cache")
    assert "kinerja_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "kinerja_cache" in connection.introspection.table_names()
    assert fragments.cached(("uji", "tabel"), lambda: "<p>ada</p>") == "<p>ada</p>"


def test_a_long_write_changes_the_token_at_its_end_and_again_at_its_commit(
    backend, django_capture_on_commit_callbacks
):
    """``token_at_end`` (the imports, ``kinerja synth``): no token is written while the block
    writes — on the database cache that write would lock the token's row for every other
    writer until the commit — yet from its first write the transaction serves no fragment,
    the block's end changes the token, and its commit changes it again."""
    items = list(WorkItem.objects.filter(level="program")[:2])
    assert fragments.cached(("uji", 1), lambda: "<p>lama</p>") == "<p>lama</p>"
    before = fragments.current_token()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with fragments.token_at_end():
            for item in items:
                item.name += " (diubah)"
                item.save()
                assert fragments.current_token() == before  # not written: no lock taken
            assert fragments.cached(("uji", 1), lambda: "<p>baru</p>") == "<p>baru</p>"
        at_end = fragments.current_token()
        assert at_end != before  # the block's end, still inside the transaction
    assert len([c for c in callbacks if hasattr(c, "fragment_blocks")]) == 1
    assert fragments.current_token() not in (before, at_end)
    assert fragments.cached(("uji", 1), lambda: "<p>baru</p>") == "<p>baru</p>"


def test_a_long_write_that_fails_changes_no_token(backend):
    item = WorkItem.objects.filter(level="program").first()
    before = fragments.current_token()
    with pytest.raises(RuntimeError), transaction.atomic(), fragments.token_at_end():
        item.name = "Tidak pernah jadi"
        item.save()
        raise RuntimeError
    assert fragments.current_token() == before
    # a block that wrote nothing changes nothing either
    with transaction.atomic(), fragments.token_at_end():
        WorkItem.objects.filter(pk=item.pk).exists()
    assert fragments.current_token() == before
