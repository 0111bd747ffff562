"""The refresh of stored figures, on the task queue (``kinerja worker`` runs it) or in line
(``kinerja rollup --refresh``).

A refresh of an agency year reads its quarters' ``data_token`` first, then the data, computes
each quarter's figures with the roll-up's own in-line path (``kinerja.rollup.agency_figures``:
the core's ``evaluate_row`` and ``footer`` over the same inputs `kinerja evaluate --agency`
reads) and stores them under the tokens it read. A write committed after that read has drawn
another token, so figures computed from the data before it are never taken as current; the
write's own refresh task computes them again."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

QUEUE = "default"  # `kinerja worker` runs it beside the reports' queue
# after the reports and imports waiting (priority 0): a user waits for those, while the
# roll-up is right without the refresh (it computes a stale agency in line)
PRIORITY = -10


@task(queue_name=QUEUE, priority=PRIORITY)
def refresh_figures(keys: list[list[int]]) -> int:
    """Refresh the stored figures of these [agency id, year] pairs; how many rows stored."""
    return refresh(keys)


def refresh(keys: Iterable[Any], *, progress: Callable[[int, int], None] | None = None,
            chunk: int = 500) -> int:  # fmt: skip
    """Store the figures of every quarter of each (agency id, year), ``chunk`` agencies of a
    year at a time; ``progress(done, total)`` after each chunk. Returns the rows stored."""
    import uuid

    from kinerja.planning.models import Agency
    from kinerja.rollup import agency_figures

    from .models import AgencyQuarterFigures, to_text

    by_year: dict[int, list[int]] = {}
    for agency_id, year in keys:
        by_year.setdefault(int(year), []).append(int(agency_id))
    total = sum(len(set(ids)) for ids in by_year.values())
    done = stored = 0
    for year, ids in sorted(by_year.items()):
        ids = sorted(set(Agency.objects.filter(pk__in=set(ids)).values_list("pk", flat=True)))
        for start in range(0, len(ids), chunk):
            part = ids[start : start + chunk]
            # rows where there were none, with a token of their own (an existing row keeps
            # its token: a write marked it, and a writer still open makes this wait for it)
            fresh = uuid.uuid4().hex
            AgencyQuarterFigures.objects.bulk_create(  # not on a cached page: stored figures
                [AgencyQuarterFigures(agency_id=a, year=year, quarter=q, data_token=fresh)
                 for a in part for q in (1, 2, 3, 4)], ignore_conflicts=True, batch_size=500,
            )  # fmt: skip
            # the tokens first, then the data (each statement sees what was committed before it)
            rows = {(r.agency_id, r.quarter): r for r in AgencyQuarterFigures.objects.filter(
                year=year, agency_id__in=part)}  # fmt: skip
            tokens = {key: r.data_token for key, r in rows.items()}
            now = timezone.now()
            for quarter in (1, 2, 3, 4):
                figures = agency_figures(year, quarter, part)
                for agency_id in part:
                    row, f = rows[(agency_id, quarter)], figures[agency_id]
                    row.k, row.rp = to_text(f.k), to_text(f.rp)
                    row.realised, row.pagu = str(f.realised), str(f.pagu)
                    row.rp_terms = f.rp_terms
                    row.realised_all, row.cash_plan = to_text(f.realised_all), to_text(f.cash_plan)
                    row.status = f.status or ""
                    row.figures_token = tokens[(agency_id, quarter)]
                    row.computed_at = now
            with transaction.atomic():
                # the data token is not written: a write since the read keeps its own
                stored += AgencyQuarterFigures.objects.bulk_update(  # not on a cached page
                    list(rows.values()), ["k", "rp", "realised", "pagu", "rp_terms",
                                          "realised_all", "cash_plan", "status",
                                          "figures_token", "computed_at"], batch_size=500,
                )  # fmt: skip
            done += len(part)
            if progress is not None:
                progress(done, total)
    return stored


def refresh_all(*, years: Iterable[int] | None = None,
                progress: Callable[[int, int], None] | None = None) -> int:  # fmt: skip
    """Every agency × year that has a Renja or a quarter's state (``kinerja rollup --refresh``)."""
    from kinerja.monitoring.models import QuarterSubmission
    from kinerja.planning.models import WorkItem

    items = WorkItem.objects.values_list("agency_id", "year").distinct()
    states = QuarterSubmission.objects.values_list("agency_id", "year").distinct()
    if years is not None:
        items, states = items.filter(year__in=list(years)), states.filter(year__in=list(years))
    keys = set(items.order_by()) | set(states.order_by())
    return refresh(sorted(keys), progress=progress)
