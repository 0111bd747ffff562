"""Reports made on the task queue (Django's Tasks API, the django-tasks backport; settings.TASKS).

A request — the reports page, `kinerja batch` — only writes a ReportBatch with its ReportJobs
and enqueues one task per job; a worker (`kinerja worker`, reporting/worker.py) renders. Each
job is claimed under a row lock, so a job enqueued twice runs once. The file is written through
the default storage, which writes a temporary file and links it under its name only when whole
(kinerja/storage.py); the GeneratedReport row and the job's «selesai» are written in one
transaction after it. A worker killed mid-run leaves its job «berjalan» with its host and
process id: ``recover_abandoned`` (run by every `kinerja worker`) finds it — at once when the
process is gone from this machine, after ``TASK_LEASE_SECONDS`` without a heartbeat from any
other — and enqueues it again, or fails it after ``TASK_ATTEMPTS`` runs."""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tasks import task

from .models import ReportBatch, ReportJob

QUEUE = "laporan"
# a pemda's quarter: every document × format a quarter is reported in
QUARTER_SET: tuple[tuple[str, str], ...] = (
    ("laporan", "pdf"), ("laporan", "docx"), ("laporan", "xlsx"),
    ("form", "pdf"), ("form", "xlsx"),
    ("pk", "pdf"), ("pk", "docx"),
)  # fmt: skip


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _enqueue(jobs: Iterable[ReportJob]) -> None:
    with transaction.atomic():  # one commit for a batch's tasks, not one per task
        for job in jobs:
            job.task_id = str(render_job.enqueue(job.pk).id)
            job.save(update_fields=["task_id"])


def enqueue_batch(*, government: Any, year: int, quarter: int, pairs: Iterable[tuple[str, str]],
                  agencies: Iterable[Any], user: Any = None,
                  agency: Any = None) -> ReportBatch:  # fmt: skip
    """A batch with one job per agency × (document, format), each enqueued once the batch is
    committed (a worker never sees a job whose batch is not there yet)."""
    pairs = list(pairs)
    with transaction.atomic():
        batch = ReportBatch.objects.create(government=government, agency=agency, year=year,
                                           quarter=quarter, requested_by=user)  # fmt: skip
        jobs = [ReportJob.objects.create(batch=batch, agency=a, document=d, format=f)
                for a in agencies for d, f in pairs]  # fmt: skip
        transaction.on_commit(lambda: _enqueue(jobs))
    return batch


def enqueue_one(agency: Any, *, year: int, quarter: int, document: str, fmt: str,
                user: Any = None) -> ReportBatch:  # fmt: skip
    return enqueue_batch(government=agency.government, agency=agency, year=year,
                         quarter=quarter, pairs=[(document, fmt)], agencies=[agency],
                         user=user)  # fmt: skip


def enqueue_quarter(government: Any, *, year: int, quarter: int, user: Any = None,
                    agency: Any = None) -> ReportBatch:  # fmt: skip
    """Every agency of the pemda (or the one ``agency``) × QUARTER_SET."""
    from kinerja.planning.models import Agency

    agencies = [agency] if agency is not None else list(
        Agency.objects.filter(government=government).order_by("name", "pk"))  # fmt: skip
    return enqueue_batch(government=government, agency=agency, year=year, quarter=quarter,
                         pairs=QUARTER_SET, agencies=agencies, user=user)  # fmt: skip


class _Heartbeat:
    """Writes the job's heartbeat_at every lease/3 seconds from a thread of its own while the
    render runs (a 2.000-row form takes seconds; the lease is minutes). ``model``: a job model
    with ``state`` and ``heartbeat_at`` (ReportJob, the plan import's PlanImportJob). A beat
    the database refuses (SQLite while the import's own write transaction holds the file) is
    skipped, not the end of the beating."""

    def __init__(self, job_id: int, model: Any = ReportJob) -> None:
        self.job_id, self.model, self.stop = job_id, model, threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        every = max(settings.TASK_LEASE_SECONDS / 3, 1)
        try:
            while not self.stop.wait(every):
                try:
                    job = self.model.objects.filter(
                        pk=self.job_id, state=self.model.State.RUNNING
                    ).first()
                    if job is not None:  # writes heartbeat_at alone, never the job's state
                        job.heartbeat_at = timezone.now()
                        job.save(update_fields=["heartbeat_at"])
                except DatabaseError:
                    connection.close()  # the next beat opens a fresh connection
        finally:
            connection.close()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=30)


def _claim(job_id: int) -> ReportJob | None:
    with transaction.atomic():
        job = (ReportJob.objects.select_for_update().select_related("agency__government")
               .filter(pk=job_id).first())  # fmt: skip
        if job is None or job.state != ReportJob.State.QUEUED:
            return None  # done, failed, or being run by another worker
        now = timezone.now()
        job.state, job.attempts, job.worker = (
            ReportJob.State.RUNNING,
            job.attempts + 1,
            worker_name(),
        )
        job.started_at = job.heartbeat_at = now
        job.save(update_fields=["state", "attempts", "worker", "started_at", "heartbeat_at"])
    return job


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:1000]


def identical_file(agency: Any, *, year: int, quarter: int, document: str, fmt: str,
                   data_hash: str, template_hash: str) -> Any:  # fmt: skip
    """The newest kept file of this document made from the same data and template (the same
    hashes) whose file is still in the storage, or None: rendering again would make it again."""
    from kinerja.monitoring.models import GeneratedReport

    same = GeneratedReport.objects.filter(agency=agency, year=year, quarter=quarter,
                                          document=document, format=fmt, data_hash=data_hash,
                                          template_hash=template_hash)  # fmt: skip
    for row in same.order_by("-created_at", "-pk"):
        if row.file and row.file.storage.exists(row.file.name):
            return row
    return None


def run_job(job_id: int) -> str:
    """Render one job's file and keep it; the job's state afterwards. A file made before from
    the same data and template is the job's file as it is: nothing is rendered again."""
    from kinerja.monitoring.models import GeneratedReport

    from .data import data_hash
    from .generate import build_report, generate
    from .renderers import renderer_for
    from .template_check import TemplateRefused, stored_template_message

    job = _claim(job_id)
    if job is None:
        return "skipped"
    batch = job.batch
    try:
        with _Heartbeat(job.pk):
            report = build_report(job.document, job.agency, year=batch.year,
                                  quarter=batch.quarter, today=timezone.localdate())  # fmt: skip
            same = identical_file(job.agency, year=batch.year, quarter=batch.quarter,
                                  document=job.document, fmt=job.format,
                                  data_hash=data_hash(report),
                                  template_hash=renderer_for(job.document, job.format)
                                  .template_hash_for(report))  # fmt: skip
            if same is not None:
                job.state, job.report, job.finished_at = ReportJob.State.DONE, same, timezone.now()
                job.save(update_fields=["state", "report", "finished_at"])
                return ReportJob.State.DONE
            (file,) = generate(report, [job.format])
            row = GeneratedReport(agency=job.agency, year=batch.year, quarter=batch.quarter,
                                  document=job.document, format=job.format,
                                  data_hash=file.data_hash, template_hash=file.template_hash,
                                  created_by_id=batch.requested_by_id)  # fmt: skip
            # whole under its name or not there at all (AtomicFileSystemStorage)
            row.file.save(file.filename, ContentFile(file.content), save=False)
            with transaction.atomic():
                row.save()
                job.state, job.report, job.finished_at = ReportJob.State.DONE, row, timezone.now()
                job.save(update_fields=["state", "report", "finished_at"])
        return ReportJob.State.DONE
    except Exception as exc:  # noqa: BLE001 - recorded on the job and shown to the user
        error = (stored_template_message(exc) if isinstance(exc, TemplateRefused)
                 else _one_line(exc))  # fmt: skip
        job.state, job.error, job.finished_at = ReportJob.State.FAILED, error, timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        return ReportJob.State.FAILED


@task(queue_name=QUEUE)
def render_job(job_id: int) -> str:
    return run_job(job_id)


def _process_gone(worker: str) -> bool:
    """True when ``worker`` (host:pid) ran on this machine and that process is gone."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:  # a killed child not yet reaped by its parent is a zombie: gone as well
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return False


def recover_abandoned() -> list[tuple[int, str]]:
    """Jobs whose worker died mid-run: queued again (and enqueued) while they have runs left,
    failed otherwise. Returns (job id, new state)."""
    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    out = []
    running = ReportJob.objects.filter(state=ReportJob.State.RUNNING)
    for job_id, worker, heartbeat in running.values_list("pk", "worker", "heartbeat_at"):
        if not (_process_gone(worker) or heartbeat is None or heartbeat < stale_before):
            continue
        with transaction.atomic():
            job = ReportJob.objects.select_for_update().filter(
                pk=job_id, state=ReportJob.State.RUNNING, worker=worker).first()  # fmt: skip
            if job is None:
                continue
            _fail_task_result(job.task_id)
            said = f"pekerja {worker} berhenti di tengah pembuatan (percobaan ke-{job.attempts})"
            if job.attempts < settings.TASK_ATTEMPTS:
                job.state, job.error = ReportJob.State.QUEUED, said + "; dicoba lagi"
                job.save(update_fields=["state", "error"])
                transaction.on_commit(lambda j=job: _enqueue([j]))
            else:
                job.state, job.error, job.finished_at = ReportJob.State.FAILED, said, now
                job.save(update_fields=["state", "error", "finished_at"])
        out.append((job_id, job.state))
    return out


class WorkerDied(Exception):
    """Recorded on the task result of a run whose worker process died."""


def _fail_task_result(task_id: str) -> None:
    """The queue's own record of the dead run says so too (it would stay RUNNING forever)."""
    if not task_id:
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    result = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.RUNNING).first()
    if result is not None:
        result.set_failed(WorkerDied("pekerja berhenti di tengah jalan"))
