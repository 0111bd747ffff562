"""Marking stored figures stale, and asking for their refresh.

``written`` is called by ``web.fragments`` at every save, delete and bulk write of the
planning and monitoring models — the same points that move the fragment cache's token. For
the rows that are an input of the footer (a Renja item, its rencana aksi, a realisation, the
quarter's state; an approval writes the quarter's state in the transaction that freezes its
snapshot) it draws a new ``data_token`` for their agency's year, in the writing transaction,
so the stored figures of that year are stale from the moment the write is visible, and
enqueues one refresh task for the transaction's agency years once it commits (at once when
there is no transaction). An agency year already marked in the transaction's still-open
blocks is not marked again."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

INPUTS = ("planning.WorkItem", "planning.ActionPlan", "monitoring.Realisation",
          "monitoring.QuarterSubmission")  # fmt: skip


def _keys(model: type, rows: list[Any]) -> set[tuple[int, int]]:
    """(agency id, year) of each written row that is an input of the figures."""
    from kinerja.planning.models import WorkItem

    label = model._meta.label  # type: ignore[attr-defined]
    if label not in INPUTS:
        return set()
    if label in ("planning.WorkItem", "monitoring.QuarterSubmission"):
        return {(r.agency_id, r.year) for r in rows if r.agency_id is not None}
    items = {r.work_item_id for r in rows if r.work_item_id is not None}
    if not items:
        return set()
    # the item may be deleted in the same cascade: its rows are deleted (and this is called)
    # before it, and its own delete marks the same year
    return set(WorkItem.objects.filter(pk__in=items).values_list("agency_id", "year"))


def mark(keys: set[tuple[int, int]]) -> None:
    """A new data token for every quarter of each (agency, year): their stored figures are
    stale from this transaction's commit on (rows are created where none were)."""
    from .models import AgencyQuarterFigures

    if not keys:
        return
    token = uuid.uuid4().hex
    rows = [AgencyQuarterFigures(agency_id=a, year=y, quarter=q, data_token=token)
            for a, y in sorted(keys) for q in (1, 2, 3, 4)]  # fmt: skip
    # an upsert (INSERT … ON CONFLICT DO UPDATE): only the data token moves
    AgencyQuarterFigures.objects.bulk_create(  # not on a cached page: a stale mark, no figure
        rows, update_conflicts=True, unique_fields=["year", "quarter", "agency"],
        update_fields=["data_token"], batch_size=500,
    )  # fmt: skip


def _marked_in_open_blocks(using: str = DEFAULT_DB_ALIAS) -> set[tuple[int, int]]:
    """The agency years this transaction already marked in blocks still open (a block rolled
    back takes its callbacks, and its marks, with it)."""
    connection = connections[using]
    open_ids = set(connection.savepoint_ids)
    blocks = {id(block) for block in connection.atomic_blocks}
    done: set[tuple[int, int]] = set()
    for sids, func, _robust in connection.run_on_commit:
        keys = getattr(func, "rollup_keys", None)
        if (keys is not None and sids <= open_ids
                and {id(b) for b in func.rollup_blocks} <= blocks):  # fmt: skip
            done |= keys
    return done


def written(model: type, rows: list[Any]) -> None:
    """``web.fragments``' listener: mark the rows' agency years stale, refresh after commit."""
    keys = _keys(model, rows)
    if not keys:
        return
    from kinerja.web.fragments import _in_transaction

    connection = connections[DEFAULT_DB_ALIAS]
    if not _in_transaction():  # autocommit (a block of Django's TestCase counts as such)
        mark(keys)
        enqueue_refresh(keys)
        return
    keys -= _marked_in_open_blocks()
    if not keys:
        return
    mark(keys)

    def after_commit() -> None:
        enqueue_refresh(keys)

    after_commit.rollup_keys = keys  # type: ignore[attr-defined]
    after_commit.rollup_blocks = list(connection.atomic_blocks)  # type: ignore[attr-defined]
    transaction.on_commit(after_commit)


def enqueue_refresh(keys: set[tuple[int, int]]) -> None:
    """One refresh task for these agency years (the queue's worker runs it)."""
    from .tasks import refresh_figures

    if keys:
        refresh_figures.enqueue(sorted([a, y] for a, y in keys))
