"""A process of its own for tests/test_import_cli_queue.py, against the scratch database of
``tests/scratch_db.py`` (its environment says which).

    agencies FILE   four new, empty agencies (dinas-cli-a … d) beside the seed agency,
                    and the seed's 2024 plan exported to FILE
    state SLUG      prints what SLUG's 2024 plan holds (each item's fields in form order, its
                    history rows' users and reasons), the import jobs, and their kept files
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django

django.setup()

from django.core.files.storage import default_storage  # noqa: E402

from kinerja.planning.models import Agency, PlanImportJob, StrategicPlan, WorkItem  # noqa: E402

FIELDS = ("level", "code", "name", "indicator", "unit", "decimals", "polarity", "aggregation",
          "target_k", "budget_original", "renstra_target_k", "renstra_target_rp", "note",
          "position")  # fmt: skip


def agencies(file: str) -> None:
    from kinerja.planning.plan_io.export import export_workbook

    seed = Agency.objects.get(slug="bkpsdm-sumenep")
    for letter in "abcd":
        Agency.objects.create(government=seed.government, name=f"Dinas CLI {letter.upper()}",
                              abbreviation=f"DC{letter.upper()}", slug=f"dinas-cli-{letter}")  # fmt: skip
    Path(file).write_bytes(export_workbook(seed, 2024))


def state(slug: str) -> None:
    items = WorkItem.objects.filter(agency__slug=slug, year=2024).order_by("position")
    history = WorkItem.history.filter(agency_id=Agency.objects.get(slug=slug).pk)
    print(json.dumps({
        "items": [[str(getattr(i, name)) for name in FIELDS] + [i.parent.name if i.parent else ""]
                  for i in items.select_related("parent")],
        "history": sorted({(h.history_user_id, h.history_change_reason) for h in history}),
        "renstra": StrategicPlan.objects.filter(agency__slug=slug).count(),
        "jobs": [{"state": j.state, "user": j.requested_by_id, "error": j.error,
                  "confirmed": j.confirmed, "created": j.created}
                 for j in PlanImportJob.objects.filter(agency__slug=slug)],
        "kept": [j.file for j in PlanImportJob.objects.all() if default_storage.exists(j.file)],
    }))  # fmt: skip


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"agencies": agencies, "state": state}[command](*rest)
