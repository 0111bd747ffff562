"""The task queue's worker step inside a test: the database backend's own worker claims and
runs each ready task in this process (not its loop, which closes the test transaction's
connection)."""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def work_off(queue: str = "laporan") -> int:
    """Runs the ready tasks of ``queue`` until none is left; how many ran."""
    worker = Worker(queue_names=[queue], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test",
                    excluded_queue_names=[])  # fmt: skip
    ran = 0
    while (result := DBTaskResult.objects.ready().filter(queue_name=queue).first()) is not None:
        result.claim("test")
        worker.run_task(result)
        ran += 1
    return ran
