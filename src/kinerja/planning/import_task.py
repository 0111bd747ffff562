"""Confirmed imports written by a task worker (`kinerja worker`, the task queue of
reporting/tasks.py) instead of in the confirming request: a plan file (*Impor rencana*) or a
filled evaluation form with its realisations (*Mulai dari formulir*). A 10.000-row plan takes
seconds to read, compare and write.

The upload page's preview kept the file in the default storage; the confirmation only checks
its signed token and enqueues a PlanImportJob of its kind. The worker claims the job under a
row lock (a job enqueued twice runs once), reads the file from the storage, checks its sha256,
and writes with ``apply_changes`` (``apply_form_import``) — one transaction, every row's
history «impor <file name>» (or the revision's), refused when the database moved since the
preview — so a refusal or a failure leaves nothing half-written. The job's «selesai» is written
in that same transaction, and only while the job is still this run's: a run whose lease was
taken from it rolls back instead (``LeaseLost``), so an import is written once. The kept file is
deleted once the job is over, whatever its end.

While it runs, the job's ``heartbeat_at`` is written every lease/3 seconds (reporting's
heartbeat thread). A job whose worker died — gone from this machine, or silent for
``TASK_LEASE_SECONDS`` — is found by ``recover_abandoned_imports`` (run by every
`kinerja worker`): its transaction rolled back, nothing was written, so it is queued again while
it has runs left (``TASK_ATTEMPTS``), else failed with the reason."""

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
State = PlanImportJob.State


class LeaseLost(Exception):
    """The job was taken from this run (its heartbeat went stale and it was queued again)."""


def enqueue_import(*, agency: Any, year: int, user: Any, token: dict, revision: Any,
                   kind: str = PlanImportJob.Kind.PLAN) -> PlanImportJob:  # fmt: skip
    """The job of a confirmed preview (its signed token's fields), enqueued once committed. A
    job of the same kept file still waiting or running is the one returned (a second click)."""
    waiting = PlanImportJob.objects.filter(
        agency=agency, year=year, file=token["file"], state__in=[State.QUEUED, State.RUNNING],
    ).first()  # fmt: skip
    if waiting is not None:
        return waiting
    with transaction.atomic():
        job = PlanImportJob.objects.create(
            kind=kind, agency=agency, year=year, quarter=token.get("quarter"),
            requested_by=user, file=token["file"],
            file_name=token["name"], sha256=token["sha256"], pagu_column=token.get("pagu") or "",
            digest=token["digest"],
            revision_on=revision.on if revision else None,
            revision_reason=revision.reason if revision else "",
            revision_basis=revision.legal_basis if revision else "",
        )  # fmt: skip
        transaction.on_commit(lambda: _send(job))
    return job


def _send(job: PlanImportJob) -> None:
    job.task_id = str(write_plan_import.enqueue(job.pk).id)
    job.save(update_fields=["task_id"])


def _claim(job_id: int) -> PlanImportJob | None:
    from kinerja.reporting.tasks import worker_name

    with transaction.atomic():
        job = (PlanImportJob.objects.select_for_update(of=("self",))
               .select_related("agency", "requested_by").filter(pk=job_id).first())  # fmt: skip
        if job is None or job.state != State.QUEUED:
            return None
        now = timezone.now()
        job.state, job.worker, job.attempts = State.RUNNING, worker_name(), job.attempts + 1
        job.started_at = job.heartbeat_at = now
        job.stage = PlanImportJob.Stage.READ
        job.save(update_fields=["state", "worker", "attempts", "started_at", "heartbeat_at",
                                "stage"])  # fmt: skip
    return job


def _ours(job: PlanImportJob) -> PlanImportJob | None:
    """The job's row locked, if it is still this run's (running, by this worker)."""
    return (PlanImportJob.objects.select_for_update(of=("self",))
            .filter(pk=job.pk, state=State.RUNNING, worker=job.worker).first())  # fmt: skip


def _stage(job: PlanImportJob, stage: str) -> None:
    ours = PlanImportJob.objects.filter(pk=job.pk, state=State.RUNNING, worker=job.worker)
    ours.update(stage=stage)  # not on a cached page (and only while the job is this run's)


def _record(job: PlanImportJob, state: str, **fields: Any) -> bool:
    """Write the job's end (inside the caller's transaction, if any); False when the job is
    no longer this run's (nothing recorded)."""
    with transaction.atomic():
        row = _ours(job)
        if row is None:
            return False
        for name, value in fields.items():
            setattr(row, name, value)
        row.state, row.finished_at = state, timezone.now()
        row.save(update_fields=["state", "finished_at", *fields])
    job.state = state
    return True


def _end(job: PlanImportJob, state: str, **fields: Any) -> str:
    """A run that wrote nothing ends: recorded, and the kept file deleted (refused or failed:
    the preview is over either way) — unless the job is no longer this run's."""
    if not _record(job, state, **fields):
        return "skipped"
    default_storage.delete(job.file)
    return state


def _write_plan(job: PlanImportJob, data: bytes, revision: Any) -> dict[str, int]:
    from .plan_io.apply import apply_changes, plan_changes
    from .plan_io.read import read_plan

    plan = read_plan(data, file_name=job.file_name, pagu_column=job.pagu_column or None)
    _stage(job, PlanImportJob.Stage.COMPARE)
    changes = plan_changes(plan, job.agency, job.year)
    _stage(job, PlanImportJob.Stage.WRITE)
    with transaction.atomic():
        counts = apply_changes(changes, job.requested_by, job.file_name, revision,
                               expected_digest=job.digest).counts()  # fmt: skip
        fields = {"created": counts["created"], "changed": counts["changed"]}
        if not _record(job, State.DONE, **fields):
            raise LeaseLost  # rolls the import back: the run that holds the job writes it
    return fields


def _write_form(job: PlanImportJob, data: bytes, revision: Any) -> dict[str, int]:
    from kinerja.audit.form_import import apply_form_import, form_changes, read_form_import

    read = read_form_import(data, file_name=job.file_name, quarter=job.quarter)
    _stage(job, PlanImportJob.Stage.COMPARE)
    changes = form_changes(read, job.agency, job.year)
    _stage(job, PlanImportJob.Stage.WRITE)
    with transaction.atomic():
        counts = apply_form_import(changes, job.requested_by, job.file_name, revision,
                                   expected_digest=job.digest).counts()  # fmt: skip
        fields = {"created": counts["created"], "changed": counts["changed"],
                  "realisations_created": counts["realisations_created"],
                  "realisations_changed": counts["realisations_changed"]}  # fmt: skip
        if not _record(job, State.DONE, **fields):
            raise LeaseLost
    return fields


def run_import(job_id: int) -> str:
    """Write one confirmed import; the job's state afterwards ("skipped": not this run's)."""
    from kinerja.audit.form_import import FormImportError
    from kinerja.reporting.tasks import _Heartbeat

    from .items import Revision
    from .plan_io.apply import ImportRefused
    from .plan_io.read import PlanReadError

    job = _claim(job_id)
    if job is None:
        return "skipped"
    write = _write_form if job.kind == PlanImportJob.Kind.FORM else _write_plan
    revision = (Revision(job.revision_on, job.revision_reason, job.revision_basis)
                if job.revision_on else None)  # fmt: skip
    try:
        with _Heartbeat(job.pk, PlanImportJob):
            try:
                with default_storage.open(job.file, "rb") as fh:
                    data = fh.read()
            except OSError:
                return _end(job, State.FAILED, error=_("Berkas pratinjau tidak ada lagi; "
                                                       "unggah berkasnya lagi."))  # fmt: skip
            if hashlib.sha256(data).hexdigest() != job.sha256:
                return _end(job, State.FAILED, error=_("Berkas pratinjau berubah sejak "
                                                       "pratinjau; unggah berkasnya lagi."))  # fmt: skip
            write(job, data, revision)
    except LeaseLost:
        return "skipped"  # rolled back; the job is another run's now
    except (ImportRefused, PlanReadError, FormImportError) as exc:  # the Indonesian reason
        return _end(job, State.FAILED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded on the job and shown to the user
        what = " ".join(f"{type(exc).__name__}: {exc}".split())[:500]
        return _end(job, State.FAILED, error=_("Impor gagal karena kesalahan tak terduga; tidak "
                                               "ada yang ditulis. (%(what)s)") % {"what": what})  # fmt: skip
    default_storage.delete(job.file)  # written: the preview is over
    return State.DONE


@task(queue_name=QUEUE)
def write_plan_import(job_id: int) -> str:
    return run_import(job_id)


def recover_abandoned_imports() -> list[tuple[int, str]]:
    """Imports whose worker died mid-run (gone from this machine, or without a heartbeat for
    the lease): their transaction rolled back, nothing was written — queued again (and
    enqueued) while they have runs left, failed otherwise. Returns (job id, new state)."""
    from kinerja.reporting.tasks import _fail_task_result, _process_gone

    now = timezone.now()
    stale_before = now - timedelta(seconds=settings.TASK_LEASE_SECONDS)
    out = []
    running = PlanImportJob.objects.filter(state=State.RUNNING)
    for job_id, worker, beat, started in running.values_list("pk", "worker", "heartbeat_at",
                                                             "started_at"):  # fmt: skip
        last = beat or started
        if not (_process_gone(worker) or last is None or last < stale_before):
            continue
        with transaction.atomic():
            job = PlanImportJob.objects.select_for_update(of=("self",)).filter(
                pk=job_id, state=State.RUNNING, worker=worker).first()  # fmt: skip
            if job is None:
                continue
            _fail_task_result(job.task_id)
            said = _("Pekerja antrean %(worker)s berhenti di tengah impor (percobaan ke-%(n)s); "
                     "tidak ada yang ditulis.") % {"worker": worker, "n": job.attempts}  # fmt: skip
            if job.attempts < settings.TASK_ATTEMPTS:
                job.state, job.stage, job.error = State.QUEUED, "", f"{said} {_('Dicoba lagi.')}"
                job.save(update_fields=["state", "stage", "error"])
                transaction.on_commit(lambda j=job: _send(j))
            else:
                job.state, job.finished_at = State.FAILED, now
                job.error = f"{said} {_('Unggah berkasnya lagi.')}"
                job.save(update_fields=["state", "error", "finished_at"])
                transaction.on_commit(lambda name=job.file: default_storage.delete(name))
        out.append((job_id, job.state))
    return out
