"""Cache of rendered fragments for pages read far more often than their data changes (the
entry grid's rows, the agency dashboard, the pemda overview's tables), kept in Django's cache
framework: the database (``DatabaseCache``) by default, Redis with ``KINERJA_CACHE_URL`` in
production. Nothing is kept in the process, so every app process sees the same fragments.

Correctness first: one token in the cache names the data as it is. Any save or delete of a
planning or monitoring model (signals connected in ``WebConfig.ready``) and every bulk write
(the four wrappers below: the code base never writes those apps with ``QuerySet.update()``,
and ``tests/web/test_fragments.py`` keeps it so) replaces it twice: at once, and again when
the transaction commits. A fragment is stored under the token read *before* its data and
looked up under the current one only, so:

- a figure that changed is recomputed on the next request, in every process;
- another process that read the token between the first change and the commit, and so drew
  the data as it was before the commit, stored its fragment under a token the commit
  replaced: nobody looks for it again;
- a transaction that rolls back leaves a token under which the data before it was drawn:
  still true;
- inside a transaction that wrote, fragments are neither read nor stored: what it sees is not
  committed (and may never be), so no other process may be served it.

The token is a random one, never a counter: setting it needs no atomic increment (the
database cache has none), and a token once replaced never comes back. If the cache loses it
(evicted, Redis restarted), a new one is drawn and every fragment before it is forgotten.
``KINERJA_FRAGMENT_CACHE=0`` turns the cache off (figures are then computed on every request,
as the benchmark's cold run does).

The same points tell the listeners in ``WRITE_LISTENERS`` which rows were written (the model
and its instances): the roll-up's stored figures (``kinerja.rollups``) are marked stale from
here, so every write that moves the token also reaches them, in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import BaseCache, caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

WATCHED_APPS = ("planning", "monitoring")
# the reports list is never cached; an import job's page is never cached (its heartbeat
# and stages would otherwise replace the token every few seconds while it runs)
NOT_SHOWN = {("monitoring", "generatedreport"), ("planning", "planimportjob")}
TOKEN_KEY = "fragments:token"
# how long a fragment is kept at most; it is never served once the data changed, this only
# lets the cache forget the fragments of old tokens (Redis expires them, the database cache
# culls them)
FRAGMENT_SECONDS = 24 * 3600


# called with (model, rows) at every save, delete and bulk write of the watched apps, in the
# writing transaction (kinerja.rollups.stale.written registers itself)
WRITE_LISTENERS: list[Callable[[type, list[Any]], None]] = []


def written(model: type, objs: Any) -> None:
    """Tell the listeners that ``objs`` of ``model`` were written."""
    if WRITE_LISTENERS:
        rows = list(objs)
        for listener in WRITE_LISTENERS:
            listener(model, rows)


def _cache() -> BaseCache:
    return caches["default"]


def current_token() -> str:
    """The token of the data as it is now (a new one if the cache has none)."""
    cache = _cache()
    token = cache.get(TOKEN_KEY)
    if token is None:
        cache.add(TOKEN_KEY, uuid.uuid4().hex, timeout=None)
        token = cache.get(TOKEN_KEY)  # ours, or the one another process added first
    return str(token)


def _new_token() -> None:
    _cache().set(TOKEN_KEY, uuid.uuid4().hex, timeout=None)


def _in_transaction(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether a transaction that will commit is open. A block of Django's ``TestCase``
    never commits: a write in it is taken as in autocommit (as Django's ``durable`` does)."""
    return any(not block._from_testcase for block in connections[using].atomic_blocks)


def _pending(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this transaction already replaces the token when it commits: one of our
    callbacks waits, registered in atomic blocks all still open (a block rolled back takes
    its callbacks with it, so then a later write registers again)."""
    connection = connections[using]
    open_ids = set(connection.savepoint_ids)
    blocks = {id(block) for block in connection.atomic_blocks}
    return any(
        getattr(func, "fragment_blocks", None) is not None
        and sids <= open_ids
        and {id(block) for block in func.fragment_blocks} <= blocks
        for sids, func, _robust in connection.run_on_commit
    )


# inside ``token_at_end()``: the writes seen so far (their token change waits for the block's end)
_deferred: ContextVar[list[bool] | None] = ContextVar("fragments_deferred", default=None)


def bump(**_kwargs: Any) -> None:
    """A new token for the data, now and again when the transaction commits (once per
    transaction, however many rows it writes). Inside ``token_at_end()`` the first of the
    two waits for the end of that block."""
    if not _in_transaction():
        _new_token()
        return
    deferred = _deferred.get()
    if deferred is not None:
        deferred.append(True)
    if _pending():
        return

    def after_commit() -> None:
        _new_token()

    after_commit.fragment_blocks = list(connections[DEFAULT_DB_ALIAS].atomic_blocks)  # type: ignore[attr-defined]
    if deferred is None:
        _new_token()
    transaction.on_commit(after_commit)


@contextmanager
def token_at_end() -> Iterator[None]:
    """For a long write inside a transaction: its writes change the token once, when the
    block ends (still inside the transaction), instead of at its first write.

    On the database cache the token is a row written in the writer's transaction, so that row
    stays locked from that write to the commit, and every other writer waits for it (two
    ``kinerja synth`` processes took turns on it; an import would make every user's save
    wait). Written at the end, it is locked only for the commit. Nothing else changes: from
    the first write the transaction neither reads nor stores fragments, and the commit
    replaces the token again. A block that ends by an exception changes nothing (its
    transaction rolls back)."""
    marks: list[bool] = []
    reset = _deferred.set(marks)
    try:
        yield
    finally:
        _deferred.reset(reset)
    if marks:
        _new_token()


def key(parts: tuple[Any, ...], token: str) -> str:
    """The cache key of the fragment ``parts`` (in the language of the request) under
    ``token``."""
    return ":".join(str(p) for p in ("fragments", token, *parts, get_language()))


def cached(parts: tuple[Any, ...], render: Callable[[], str]) -> SafeString:
    """The fragment named by ``parts`` (plus the language) for the data as it is now."""
    if not settings.FRAGMENT_CACHE or (_in_transaction() and _pending()):
        return mark_safe(render())  # noqa: S308 - render() returns escaped HTML
    cache = _cache()
    name = key(parts, current_token())  # read before the data: never newer than the data
    found = cache.get(name)
    if found is not None:
        return mark_safe(found)  # noqa: S308 - stored from render()
    html = render()
    cache.set(name, html, timeout=FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308


# Bulk writes send no signal. The code base makes them only through these four, which bump
# the token in the same transaction, as the saves they stand for would have done.


def bulk_create(model: type, objs: list[Any], *, bump_token: bool = True,
                **kwargs: Any) -> list[Any]:  # fmt: skip
    """Rows written in bulk with no history of their own (the synthetic data of
    ``kinerja synth``: generated, not entered by anyone). ``bump_token=False`` only for a
    caller that bumps itself before its transaction ends (synth: once per pemda)."""
    from kinerja.bulkinsert import insert_rows  # COPY on PostgreSQL

    rows: list[Any] = insert_rows(model, objs, **kwargs)
    written(model, rows)
    if bump_token:
        bump()
    return rows


def bulk_update(model: type, objs: list[Any], fields: list[str], **kwargs: Any) -> int:
    done: int = model.objects.bulk_update(objs, fields, **kwargs)  # type: ignore[attr-defined]
    written(model, objs)
    bump()
    return done


def bulk_create_with_history(objs: list[Any], model: type, **kwargs: Any) -> list[Any]:
    from simple_history import utils

    rows: list[Any] = utils.bulk_create_with_history(objs, model, **kwargs)
    written(model, rows)
    bump()
    return rows


def bulk_update_with_history(objs: list[Any], model: type, fields: list[str],
                             **kwargs: Any) -> int | None:  # fmt: skip
    from simple_history import utils

    done: int | None = utils.bulk_update_with_history(objs, model, fields, **kwargs)
    written(model, objs)
    bump()
    return done


def watched_models() -> list[type]:
    return [
        model
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models()
        if (label, model._meta.model_name) not in NOT_SHOWN
        and not model._meta.model_name.startswith("historical")
    ]


def _saved_or_deleted(sender: type, instance: Any = None, **_kwargs: Any) -> None:
    bump()
    if instance is not None:
        written(sender, [instance])


def connect() -> None:
    for model in watched_models():
        post_save.connect(_saved_or_deleted, sender=model,
                          dispatch_uid=f"fragments-save-{model._meta.label}")  # fmt: skip
        post_delete.connect(_saved_or_deleted, sender=model,
                            dispatch_uid=f"fragments-delete-{model._meta.label}")  # fmt: skip
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(bump, sender=field.remote_field.through,
                                dispatch_uid=f"fragments-m2m-{model._meta.label}-{field.name}")  # fmt: skip
