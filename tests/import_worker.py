"""A process of its own for tests/test_kill9_imports.py, against the scratch database of
``tests/scratch_db.py`` (its environment says which).

    enqueue     the seed agency's 2024 plan (exported) as a confirmed import into a new agency:
                the file kept in the storage, the job's preview digest taken, its write task
                on the queue; prints the job id
    hang        one worker process (as a `kinerja worker` child runs it) whose import prints
                HANG and sleeps inside its write transaction, after the Renstra and units are
                written: the test kills it there
    state       prints the job, its tasks, and what the new agency holds
"""

from __future__ import annotations

import hashlib
import json
import sys
import time

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402

from kinerja.planning.models import Agency, PlanImportJob, StrategicPlan, WorkItem  # noqa: E402

SLUG = "dinas-impor-kill9"


def enqueue() -> None:
    from kinerja.planning import import_task
    from kinerja.planning.plan_io.apply import plan_changes
    from kinerja.planning.plan_io.export import export_workbook
    from kinerja.planning.plan_io.read import read_plan

    seed = Agency.objects.get(slug="bkpsdm-sumenep")
    agency = Agency.objects.create(government=seed.government, name="Dinas Impor Kill 9",
                                   abbreviation="DIK", slug=SLUG)  # fmt: skip
    data = export_workbook(seed, 2024)
    digest = plan_changes(read_plan(data, file_name="rencana.xlsx"), agency, 2024).digest()
    job = PlanImportJob.objects.create(
        agency=agency, year=2024, file=default_storage.save("impor-rencana/k9.xlsx",
                                                            ContentFile(data)),
        file_name="rencana.xlsx", sha256=hashlib.sha256(data).hexdigest(), digest=digest,
        confirmed=True,
    )  # fmt: skip
    import_task._send(job)
    print(job.pk)


def hang() -> None:
    from kinerja.planning.plan_io import apply

    def hanging_items(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        print("HANG", flush=True)
        time.sleep(120)

    apply._Writer._items = hanging_items  # type: ignore[method-assign]
    from kinerja.reporting.worker import run_child

    run_child(100, burst=True)  # other tasks first (a roll-up refresh), then the import


def state() -> None:
    from django_tasks_db.models import DBTaskResult

    agency = Agency.objects.get(slug=SLUG)
    print(json.dumps({
        "jobs": [{"state": j.state, "attempts": j.attempts, "error": j.error, "task": j.task_id,
                  "file": j.file, "created": j.created} for j in PlanImportJob.objects.all()],
        "tasks": {str(r.pk): r.status for r in DBTaskResult.objects.all()},
        "items": WorkItem.objects.filter(agency=agency).count(),
        "item_history": WorkItem.history.filter(agency_id=agency.pk).count(),
        "seed_items": WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024).count(),
        "renstra": StrategicPlan.objects.filter(agency=agency).count(),
        "kept": [j.file for j in PlanImportJob.objects.all() if default_storage.exists(j.file)],
    }))  # fmt: skip


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"enqueue": enqueue, "hang": hang, "state": state}[command](*rest)
