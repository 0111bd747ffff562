"""`kinerja worker`: runs the task queue's tasks in child processes that are recycled.

The supervisor keeps ``processes`` children, each the database backend's worker loop
(django_tasks_db's ``Worker``) for at most ``max_tasks`` tasks, then exiting — so the memory a
big render took (the PDF engine keeps its last compiles) goes back to the system with its
process, as gunicorn's max-requests or Celery's max-tasks-per-child. A child that exits is
replaced; every few seconds the supervisor also looks for jobs whose worker died mid-run
(``tasks.recover_abandoned``) and enqueues them again, and for plan imports whose worker died
(``planning.import_task.recover_abandoned_imports``: nothing was written; queued again or
failed), and import previews nobody answered (``expire_previews``). ``burst``
stops once the queue is empty (the benchmark, the tests, a nightly cron)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from django.db import close_old_connections

from .tasks import QUEUE

CHECK_EVERY = 2.0  # seconds between looks for dead workers' jobs and exited children


def child_command(max_tasks: int, *, burst: bool) -> list[str]:
    command = [sys.executable, "-m", "kinerja.cli", "worker", "--child",
               "--max-tasks", str(max_tasks)]  # fmt: skip
    return [*command, "--burst"] if burst else command


def run_child(max_tasks: int, *, burst: bool) -> int:
    """One worker process: the database backend's loop, at most ``max_tasks`` tasks."""
    from django.utils.crypto import get_random_string
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(queue_names=[QUEUE, "default"], interval=0.5, batch=burst,
                    backend_name="default", startup_delay=False, max_tasks=max_tasks,
                    worker_id=f"{os.getpid()}-{get_random_string(12)}",
                    excluded_queue_names=[])  # fmt: skip
    worker.configure_signals()
    worker.run()
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # KiB on Linux
    print(f"Proses pekerja {os.getpid()} selesai: {worker._run_tasks} tugas, puncak memori "
          f"{peak} MB.", flush=True)  # fmt: skip
    return 0


def _pending() -> tuple[int, int]:
    """(tasks ready to run, report and import jobs running)."""
    from django_tasks_db.models import DBTaskResult

    from kinerja.planning.models import PlanImportJob

    from .models import ReportJob

    return (DBTaskResult.objects.ready().count(),
            ReportJob.objects.filter(state=ReportJob.State.RUNNING).count()
            + PlanImportJob.objects.filter(state=PlanImportJob.State.RUNNING).count())  # fmt: skip


def supervise(*, processes: int, max_tasks: int, burst: bool = False,
              say: Callable[[str], None] = print,
              spawn: Callable[[list[str]], subprocess.Popen] | None = None) -> int:  # fmt: skip
    from kinerja.planning.import_task import expire_previews, recover_abandoned_imports

    from .tasks import recover_abandoned

    # each child in a session of its own: Ctrl+C reaches the supervisor only, which passes
    # one SIGTERM on (the child finishes the task at hand, then exits)
    spawn = spawn or (lambda cmd: subprocess.Popen(cmd, start_new_session=True))  # noqa: S603
    children: list[subprocess.Popen] = []
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        if stopping:
            return  # one signal to each child: a second one makes it drop its task
        stopping = True
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)  # the child finishes its task, then exits

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    parent = os.getppid()  # `kinerja demo` started it: it stops when the demo is gone
    say(f"Pekerja laporan: {processes} proses, masing-masing diganti setelah {max_tasks} tugas.")
    try:
        while not stopping:
            if os.getppid() != parent:  # the parent died without stopping us: no orphan worker
                stop(signal.SIGTERM, None)
                break
            close_old_connections()
            for job_id, state in recover_abandoned():
                say(f"Pekerjaan {job_id}: pekerjanya berhenti di tengah jalan → {state}.")
            for job_id, state in recover_abandoned_imports():
                say(f"Impor {job_id}: pekerjanya berhenti di tengah jalan → {state}.")
            for job_id in expire_previews():
                say(f"Impor {job_id}: pratinjaunya tidak dijawab → kedaluwarsa.")
            children = [c for c in children if c.poll() is None]
            ready, running = _pending() if burst else (1, 0)
            if burst and not ready and not running and not children:
                say("Antrean kosong.")
                return 0
            while len(children) < processes and ready:
                children.append(spawn(child_command(max_tasks, burst=burst)))
            time.sleep(CHECK_EVERY)
    finally:
        for child in children:
            try:
                child.wait(timeout=120)
            except subprocess.TimeoutExpired:
                child.kill()
    return 0
