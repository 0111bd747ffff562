"""A process of its own for tests/test_kill9_tasks.py, against the scratch database of
``tests/scratch_db.py`` (its environment says which).

    enqueue DOC FMT     puts DOC.FMT of the seed agency's TW I 2024 on the task queue; prints
                        the batch id
    hang                one worker process (the database backend's loop, as a `kinerja worker`
                        child runs it) whose file writes print HANG and sleep after their second
                        chunk: the test kills it there, with the file half written
    state               prints the jobs, the queue's results and the generated reports
"""

from __future__ import annotations

import json
import sys
import time

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402

from kinerja.monitoring.models import GeneratedReport  # noqa: E402
from kinerja.planning.models import Agency  # noqa: E402
from kinerja.reporting.models import ReportJob  # noqa: E402


def enqueue(document: str, fmt: str) -> None:
    from kinerja.reporting.tasks import enqueue_one

    batch = enqueue_one(Agency.objects.get(slug="bkpsdm-sumenep"), year=2024, quarter=1,
                        document=document, fmt=fmt)  # fmt: skip
    print(batch.pk)


def hang() -> None:
    chunks = ContentFile.chunks

    def slow_chunks(self, chunk_size=None):  # Django's class, slowed: a long write
        for n, chunk in enumerate(chunks(self, 1024)):
            yield chunk
            if n == 1:
                print("HANG", flush=True)
                time.sleep(120)

    ContentFile.chunks = slow_chunks  # type: ignore[method-assign]
    from kinerja.reporting.worker import run_child

    run_child(1, burst=True)


def state() -> None:
    from django_tasks_db.models import DBTaskResult

    print(json.dumps({
        "jobs": [{"state": j.state, "attempts": j.attempts, "error": j.error,
                  "report": j.report_id, "task": j.task_id} for j in ReportJob.objects.all()],
        "tasks": {str(r.pk): r.status for r in DBTaskResult.objects.all()},
        "reports": [r.file.name for r in GeneratedReport.objects.all()],
    }))  # fmt: skip


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    {"enqueue": enqueue, "hang": hang, "state": state}[command](*rest)
