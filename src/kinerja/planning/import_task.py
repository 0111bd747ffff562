"""Imports run by a task worker (`kinerja worker`, the task queue of reporting/tasks.py), not
in a web request: a plan file (*Impor rencana*) or a filled evaluation form with its
realisations (*Mulai dari formulir*). Reading and comparing a file at the upload limit takes
seconds (docs/deploy.md), writing a 10.000-row plan more.

Each import is a PlanImportJob run twice. The upload only keeps the file in the default storage
and enqueues the job's preview (``enqueue_preview``): the worker reads the file, compares it
with the database, keeps what the page shows (``preview``) with its digest, and leaves the job
«siap». The user confirms on the job's page (``confirm_import``: the revision's fields, the
same user) and the job is queued again, now to write: the worker reads the file again, checks
its sha256, and writes with ``apply_changes`` (``apply_form_import``) — one transaction, every
row's history «impor <file name>» (or the revision's), refused when the database moved since
the preview — so a refusal or a failure leaves nothing half-written. The job's «selesai» is
written in that same transaction, and only while the job is still this run's: a run whose lease
was taken from it rolls back instead (``LeaseLost``), so an import is written once. The kept
file is deleted once the job is over, whatever its end.

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


MAX_AGE = 2 * 60 * 60  # a preview older than two hours is done again


class Refused(Exception):
    """The job cannot be confirmed or cancelled now; ``str()`` is one Indonesian sentence."""


def enqueue_preview(*, kind: str, agency: Any, year: int, user: Any, file: str, name: str,
                    sha256: str, pagu: str = "", quarter: int | None = None) -> PlanImportJob:  # fmt: skip
    """The job of an upload kept in the storage as ``file``: its preview is enqueued once
    committed (nothing is written until the user confirms it)."""
    with transaction.atomic():
        job = PlanImportJob.objects.create(kind=kind, agency=agency, year=year, quarter=quarter,
                                           requested_by=user, file=file, file_name=name,
                                           sha256=sha256, pagu_column=pagu)  # fmt: skip
        transaction.on_commit(lambda: _send(job))
    return job


def _ready(job: PlanImportJob, user: Any) -> PlanImportJob:
    """The job's row locked, if its preview awaits this user's answer; Refused otherwise."""
    row = PlanImportJob.objects.select_for_update(of=("self",)).defer("preview").get(pk=job.pk)
    if row.requested_by_id != _pk(user):
        raise Refused(_("Hanya pengunggah berkas ini yang dapat menyetujui atau membatalkan "
                        "impornya."))  # fmt: skip
    if row.state != State.READY:
        raise Refused(_("Impor ini tidak lagi menunggu persetujuan (%(state)s).")
                      % {"state": row.get_state_display()})  # fmt: skip
    if row.finished_at is None or timezone.now() - row.finished_at > timedelta(seconds=MAX_AGE):
        raise Refused(_("Pratinjau impor sudah kedaluwarsa; unggah berkasnya lagi."))
    if not default_storage.exists(row.file):
        raise Refused(_("Berkas pratinjau tidak ada lagi; unggah berkasnya lagi."))
    return row


def _pk(user: Any) -> Any:
    """The user's id; None for the command line (``kinerja plan import --antrean``: the system,
    as its in-process import writes) — a job with a user is never a system's, nor the reverse."""
    return None if user is None else user.pk


def confirm_import(job: PlanImportJob, *, user: Any, revision: Any) -> PlanImportJob:
    """The user confirms the job's preview: queued again to be written, with ``revision``
    (None: none asked). Refused (nothing queued) when the preview is not this user's, no
    longer waiting, older than MAX_AGE, or its file is gone."""
    with transaction.atomic():
        row = _ready(job, user)
        row.state, row.confirmed, row.stage, row.worker, row.error = State.QUEUED, True, "", "", ""
        row.attempts, row.started_at, row.heartbeat_at, row.finished_at = 0, None, None, None
        row.revision_on = revision.on if revision else None
        row.revision_reason = revision.reason if revision else ""
        row.revision_basis = revision.legal_basis if revision else ""
        row.save()
        transaction.on_commit(lambda: _send(row))
    return row


def cancel_import(job: PlanImportJob, *, user: Any) -> PlanImportJob:
    """The user cancels the job's preview: nothing written, the kept file deleted."""
    with transaction.atomic():
        try:
            row = _ready(job, user)
        except Refused:
            row = PlanImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
            if row.requested_by_id != _pk(user) or row.state != State.READY:
                raise
        row.state, row.finished_at = State.CANCELLED, timezone.now()
        row.save(update_fields=["state", "finished_at"])
        transaction.on_commit(lambda: default_storage.delete(row.file))
    return row


def withdraw(job: PlanImportJob, *, reason: str) -> bool:
    """A job no worker has taken yet leaves the queue: cancelled with ``reason``, its kept file
    deleted (its task, when a worker reaches it, finds the job no longer queued and skips it).
    False when a worker took it meanwhile (nothing changed)."""
    with transaction.atomic():
        row = (PlanImportJob.objects.select_for_update(of=("self",)).defer("preview")
               .filter(pk=job.pk, state=State.QUEUED).first())  # fmt: skip
        if row is None:
            return False
        row.state, row.error, row.finished_at = State.CANCELLED, reason, timezone.now()
        row.save(update_fields=["state", "error", "finished_at"])
        transaction.on_commit(lambda: default_storage.delete(row.file))
    return True


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


def _issues_json(issues: list[Any]) -> list[dict[str, Any]]:
    return [{"severity": i.severity, "sheet": i.source.sheet if i.source else "",
             "cell": f"{i.source.column or ''}{i.source.row or ''}" if i.source else "",
             "message": str(i.message), "value": "" if i.value is None else str(i.value)}
            for i in issues]  # fmt: skip


def _fields_json(fields: list[Any]) -> list[dict[str, Any]]:
    return [{"field": str(f.field), "old": f.old, "new": f.new,
             "revision": bool(getattr(f, "revision", False))} for f in fields]  # fmt: skip


def _plan_json(changes: Any) -> dict[str, Any]:
    """A plan import's dry run as its page shows it (JSON, kept on the job)."""

    def listed(items: list[Any]) -> list[dict[str, Any]]:
        return [{"what": c.what, "label": c.label, "fields": _fields_json(c.fields)}
                for c in items]  # fmt: skip

    return {"counts": changes.counts(), "created": listed(changes.created),
            "changed": listed(changes.changed), "left": listed(changes.left),
            "issues": _issues_json(changes.issues), "needs_revision": changes.needs_revision,
            "pagu_column": changes.plan.pagu_column or "",
            "pagu_columns": list(changes.plan.pagu_columns),
            "refusal": changes.refusal() if changes.refused else None,
            "revision_asked": changes.refusal() if changes.needs_revision
            and not changes.refused else None}  # fmt: skip


def _cli_json(job: PlanImportJob, shown: dict[str, Any], changes: Any) -> dict[str, Any]:
    """A job of the command line (no user: ``kinerja plan|form import --antrean``) also keeps
    the dry run as its ``--json`` prints it (``changes.as_json()``, under "cli"), from which
    the command prints the same summary or JSON as its in-process import."""
    if job.requested_by_id is None:
        shown["cli"] = changes.as_json()
    return shown


def _preview_plan(job: PlanImportJob, data: bytes) -> tuple[dict[str, Any], str, bool]:
    """(what the page shows, the digest, whether confirming it would write)."""
    from .plan_io.apply import plan_changes
    from .plan_io.read import read_plan

    plan = read_plan(data, file_name=job.file_name, pagu_column=job.pagu_column or None)
    _stage(job, PlanImportJob.Stage.COMPARE)
    changes = plan_changes(plan, job.agency, job.year)
    return (_cli_json(job, _plan_json(changes), changes), changes.digest(),
            changes.writes and not changes.refused)  # fmt: skip


def _preview_form(job: PlanImportJob, data: bytes) -> tuple[dict[str, Any], str, bool]:
    from kinerja.audit.form_import import ROMAN, form_changes, read_form_import

    read = read_form_import(data, file_name=job.file_name, quarter=job.quarter)
    _stage(job, PlanImportJob.Stage.COMPARE)
    changes = form_changes(read, job.agency, job.year)
    refused = bool(changes.plan.refused or changes.blocked)
    shown = _plan_json(changes.plan)
    shown.update(counts=changes.counts(), quarter=changes.quarter,
                 quarter_roman=ROMAN[changes.quarter - 1],
                 refusal=changes.refusal() if refused else None,
                 realisations=[{"quarter_roman": r.quarter_roman, "what": r.what,
                                "label": r.label, "fields": _fields_json(r.fields)}
                               for r in changes.realisations])  # fmt: skip
    return _cli_json(job, shown, changes), changes.digest(), changes.writes and not refused


def _preview(job: PlanImportJob, data: bytes) -> str:
    """The preview run: read and compare, keep what the page shows; «siap» when confirming
    it would write, «selesai» when there is nothing to write, «gagal» when refused."""
    preview = _preview_form if job.kind == PlanImportJob.Kind.FORM else _preview_plan
    shown, digest, writes = preview(job, data)
    if shown["refusal"]:
        return _end(job, State.FAILED, error=shown["refusal"], preview=shown)
    if not writes:
        return _end(job, State.DONE, preview=shown, created=0, changed=0)
    return State.READY if _record(job, State.READY, preview=shown, digest=digest) else "skipped"


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
    """Preview one import, or write it once confirmed; the job's state afterwards ("skipped":
    not this run's)."""
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
            if not job.confirmed:
                return _preview(job, data)
            write(job, data, revision)
    except LeaseLost:
        return "skipped"  # rolled back; the job is another run's now
    except (PlanReadError, FormImportError) as exc:  # the Indonesian reason; nothing written
        return _end(job, State.FAILED, error=_("Berkas ditolak: %(why)s") % {"why": exc})
    except ImportRefused as exc:
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


def expire_previews() -> list[int]:
    """Previews left unanswered for MAX_AGE (run by every `kinerja worker`): failed as
    expired, their kept files deleted — an upload never confirmed nor cancelled does not stay
    in the storage. Returns their ids."""
    before = timezone.now() - timedelta(seconds=MAX_AGE)
    out = []
    for job_id in PlanImportJob.objects.filter(state=State.READY, finished_at__lt=before
                                               ).values_list("pk", flat=True):  # fmt: skip
        with transaction.atomic():
            job = (PlanImportJob.objects.select_for_update(of=("self",)).defer("preview")
                   .filter(pk=job_id, state=State.READY).first())  # fmt: skip
            if job is None:
                continue
            job.state = State.FAILED
            job.error = _("Pratinjau impor sudah kedaluwarsa; unggah berkasnya lagi.")
            job.save(update_fields=["state", "error"])
            transaction.on_commit(lambda name=job.file: default_storage.delete(name))
        out.append(job_id)
    return out
