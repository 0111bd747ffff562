"""A confirmed plan import, written by a task worker (`kinerja worker`, the task queue of
reporting/tasks.py) instead of in the confirming request: a 10.000-row plan takes seconds to
read, compare and write.

The upload page's preview kept the file in the default storage; the confirmation only checks
its signed token and enqueues a PlanImportJob. The worker claims the job under a row lock (a
job enqueued twice runs once), reads the file from the storage, checks its sha256, and writes
with ``apply_changes`` — one transaction, every row's history «impor <file name>» (or the
revision's), refused when the database moved since the preview — so a refusal or a failure
leaves nothing half-written. The kept file is deleted once the job is over, whatever its end.
A job whose worker died is failed by ``recover_abandoned_imports`` (run by every
`kinerja worker`): its transaction rolled back, nothing was written."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .models import PlanImportJob

QUEUE = "default"  # `kinerja worker` runs it beside the reports' queue


def enqueue_import(
    *, agency: Any, year: int, user: Any, token: dict, revision: Any
) -> PlanImportJob:
    """The job of a confirmed preview (its signed token's fields), enqueued once committed. A
    job of the same kept file still waiting or running is the one returned (a second click)."""
    waiting = PlanImportJob.objects.filter(
        agency=agency, year=year, file=token["file"],
        state__in=[PlanImportJob.State.QUEUED, PlanImportJob.State.RUNNING],
    ).first()  # fmt: skip
    if waiting is not None:
        return waiting
    with transaction.atomic():
        job = PlanImportJob.objects.create(
            agency=agency, year=year, requested_by=user, file=token["file"],
            file_name=token["name"], sha256=token["sha256"], pagu_column=token.get("pagu") or "",
            digest=token["digest"],
            revision_on=revision.on if revision else None,
            revision_reason=revision.reason if revision else "",
            revision_basis=revision.legal_basis if revision else "",
        )  # fmt: skip

        def send() -> None:
            job.task_id = str(write_plan_import.enqueue(job.pk).id)
            job.save(update_fields=["task_id"])

        transaction.on_commit(send)
    return job


def _claim(job_id: int) -> PlanImportJob | None:
    from kinerja.reporting.tasks import worker_name

    with transaction.atomic():
        job = (PlanImportJob.objects.select_for_update(of=("self",)).select_related("agency", "requested_by")
               .filter(pk=job_id).first())  # fmt: skip
        if job is None or job.state != PlanImportJob.State.QUEUED:
            return None
        job.state, job.worker, job.started_at = (PlanImportJob.State.RUNNING, worker_name(),
                                                 timezone.now())  # fmt: skip
        job.stage = PlanImportJob.Stage.READ
        job.save(update_fields=["state", "worker", "started_at", "stage"])
    return job


def _stage(job: PlanImportJob, stage: str) -> None:
    job.stage = stage
    job.save(update_fields=["stage"])


def _end(job: PlanImportJob, state: str, **fields: Any) -> str:
    for name, value in fields.items():
        setattr(job, name, value)
    job.state, job.finished_at = state, timezone.now()
    job.save(update_fields=["state", "finished_at", *fields])
    default_storage.delete(job.file)  # written or refused: the preview is over either way
    return state


def run_import(job_id: int) -> str:
    """Write one confirmed import; the job's state afterwards ("skipped": not this run's)."""
    from .items import Revision
    from .plan_io.apply import ImportRefused, apply_changes, plan_changes
    from .plan_io.read import PlanReadError, read_plan

    job = _claim(job_id)
    if job is None:
        return "skipped"
    State = PlanImportJob.State
    try:
        try:
            with default_storage.open(job.file, "rb") as fh:
                data = fh.read()
        except OSError:
            return _end(job, State.FAILED, error=_("Berkas pratinjau tidak ada lagi; unggah "
                                                   "berkasnya lagi."))  # fmt: skip
        if hashlib.sha256(data).hexdigest() != job.sha256:
            return _end(job, State.FAILED, error=_("Berkas pratinjau berubah sejak pratinjau; "
                                                   "unggah berkasnya lagi."))  # fmt: skip
        plan = read_plan(data, file_name=job.file_name, pagu_column=job.pagu_column or None)
        _stage(job, PlanImportJob.Stage.COMPARE)
        changes = plan_changes(plan, job.agency, job.year)
        _stage(job, PlanImportJob.Stage.WRITE)
        revision = (Revision(job.revision_on, job.revision_reason, job.revision_basis)
                    if job.revision_on else None)  # fmt: skip
        written = apply_changes(changes, job.requested_by, job.file_name, revision,
                                expected_digest=job.digest)  # fmt: skip
    except (ImportRefused, PlanReadError) as exc:  # the Indonesian reason; nothing written
        return _end(job, State.FAILED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded on the job and shown to the user
        what = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        return _end(job, State.FAILED, error=_("Impor gagal karena kesalahan tak terduga; tidak "
                                               "ada yang ditulis. (%(what)s)") % {"what": what})  # fmt: skip
    counts = written.counts()
    return _end(job, State.DONE, created=counts["created"], changed=counts["changed"])


@task(queue_name=QUEUE)
def write_plan_import(job_id: int) -> str:
    return run_import(job_id)


def recover_abandoned_imports() -> list[int]:
    """Imports whose worker died mid-run (gone from this machine, or silent beyond the lease
    since they started): failed — their transaction rolled back, so nothing was written."""
    from kinerja.reporting.tasks import _process_gone

    stale_before = timezone.now() - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    out = []
    for job in PlanImportJob.objects.filter(state=PlanImportJob.State.RUNNING):
        if not (_process_gone(job.worker) or job.started_at is None
                or job.started_at < stale_before):  # fmt: skip
            continue
        with transaction.atomic():
            still = PlanImportJob.objects.select_for_update().filter(
                pk=job.pk, state=PlanImportJob.State.RUNNING, worker=job.worker).first()  # fmt: skip
            if still is None:
                continue
            _end(still, PlanImportJob.State.FAILED,
                 error=_("Pekerja antrean berhenti di tengah impor; tidak ada yang ditulis. "
                         "Unggah berkasnya lagi."))  # fmt: skip
        out.append(job.pk)
    return out
