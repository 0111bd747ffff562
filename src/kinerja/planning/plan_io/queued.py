"""``kinerja plan import --antrean`` and ``kinerja form import --antrean``: the import runs on the
task queue as the upload pages' does (planning/import_task.py), not in the command's process.

The file is kept in the default storage as the page keeps it and a PlanImportJob without a user
(the system, as the in-process import writes) is enqueued; a worker (`kinerja worker`) reads and
compares it and keeps the dry run on the job. Without ``--dry-run`` the command then confirms
it as the page's button does — the worker writes it in one transaction, refused when the
database moved since the preview — else it cancels the job (the kept file deleted). While it
waits, each change of the job's state or stage is one Indonesian line on stderr, so ``--json``
on stdout stays one document; then the same summary or JSON, and the same exit codes, as the
in-process import (plan_io/commands.run_import): 0 written or previewed, 2 refused — and 3 when
no worker took the job within ``--tunggu-detik`` seconds (it leaves the queue, nothing
written)."""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace as Shown
from typing import Any

POLL = 0.5  # seconds between looks at the job's row
NO_WORKER = 3
INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl+C


class NoWorker(Exception):
    """No worker took the job in time; ``str()`` is the Indonesian message."""


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _line(job: Any) -> str:
    step = "tulis" if job.confirmed else "pratinjau"
    line = f"Impor {job.pk} ({step}): {job.get_state_display()}"
    if job.state == job.State.QUEUED:
        line += " — menunggu pekerja antrean (kinerja worker)"
    elif job.state == job.State.RUNNING and job.stage:
        line += f" — {job.get_stage_display()}"
    if job.attempts > 1 and job.state in (job.State.QUEUED, job.State.RUNNING):
        line += f" (percobaan ke-{job.attempts})"
    return line


def wait(job: Any, *, until: tuple[str, ...], seconds: int,
         say: Callable[[str], None] = _say) -> Any:  # fmt: skip
    """The job's row (without its preview) once its state is one of ``until``, saying each
    change of state or stage. NoWorker when it stays queued ``seconds`` (from each time it
    is queued: the preview, the write, a run queued again) — then it was withdrawn."""
    from kinerja.planning import import_task
    from kinerja.planning.models import PlanImportJob

    last, queued_at = None, time.monotonic()
    while True:
        row = PlanImportJob.objects.defer("preview").get(pk=job.pk)
        now = (row.state, row.stage, row.confirmed, row.attempts)
        if now != last:
            say(_line(row))
            queued_at, last = time.monotonic(), now
        if row.state in until:
            return row
        if row.state == row.State.QUEUED and time.monotonic() - queued_at > seconds:
            message = (f"tidak ada pekerja antrean yang mengambil impor {row.pk} dalam "
                       f"{seconds} detik; jalankan «kinerja worker» (atau naikkan "
                       "--tunggu-detik). Impor ditarik dari antrean; tidak ada yang ditulis.")  # fmt: skip
            if import_task.withdraw(row, reason=message):
                raise NoWorker(message)
        time.sleep(POLL)


def _issue(i: dict[str, Any]) -> Shown:
    source = Shown(sheet=i["sheet"], row=i.get("row"), column=i.get("column")) if "sheet" in i \
        else None  # fmt: skip
    return Shown(severity=i["severity"], message=i["message"], value=i.get("value"),
                 source=source)  # fmt: skip


def _change(c: dict[str, Any]) -> Shown:
    return Shown(what=c["what"], label=c["label"],
                 fields=[Shown(revision=False, **f) for f in c.get("fields", ())])  # fmt: skip


def changes_from_json(data: dict[str, Any], agency: Any) -> Any:
    """The dry run the worker kept (``Changes.as_json()``, ``FormChanges.as_json()``) with the
    attributes the summaries read (commands.import_summary, form_import.import_summary)."""
    plan = Shown(
        agency=agency, year=data["year"], counts=lambda: data["counts"], locked=data["locked"],
        plan=Shown(pagu_column=data["pagu_column"], pagu_columns=data["pagu_columns"]),
        created=[_change(c) for c in data["created"]],
        changed=[_change(c) for c in data["changed"]],
        left=[_change(c) for c in data["left"]], issues=[_issue(i) for i in data["issues"]],
    )  # fmt: skip
    if "realisations" not in data:
        return plan
    return Shown(
        plan=plan, counts=lambda: data["counts"], quarter=data["quarter"],
        read=Shown(sheet=Shown(sheet=data["sheet"])),
        blocked={b["quarter"]: b["status"] for b in data["blocked_quarters"]},
        realisations=[Shown(created=r["created"], quarter=r["quarter"], what=r["what"],
                            label=r["label"], fields=[Shown(**f) for f in r["fields"]])
                      for r in data["realisations"]],
    )  # fmt: skip


def _print(args: argparse.Namespace, shown: dict[str, Any], agency: Any, *, name: str,
           written: bool, refusal: str | None, summary: Callable[..., str]) -> None:  # fmt: skip
    if args.json:
        out = dict(shown)
        out.update(file=name, dry_run=bool(args.dry_run), written=written, refusal=refusal)
        print(json.dumps(out, ensure_ascii=False, sort_keys=True))
    else:
        sys.stdout.write(summary(changes_from_json(shown, agency), file_name=name,
                                 written=written, refusal=refusal))  # fmt: skip


def _preview_of(job: Any) -> dict[str, Any]:
    from kinerja.planning.models import PlanImportJob

    return PlanImportJob.objects.values_list("preview", flat=True).get(pk=job.pk) or {}


def _interrupted(job: Any) -> int:
    """Ctrl+C while waiting: a queued job is withdrawn and a preview awaiting its answer
    cancelled (nothing written, the kept file deleted); a running one goes on in its worker."""
    from kinerja.planning import import_task
    from kinerja.planning.models import PlanImportJob

    reason = "dihentikan dengan Ctrl+C; tidak ada yang ditulis."
    if not import_task.withdraw(job, reason=reason):
        try:
            import_task.cancel_import(job, user=None)
        except import_task.Refused:
            row = PlanImportJob.objects.defer("preview").get(pk=job.pk)
            print(f"kinerja: impor {row.pk} tetap {row.get_state_display()} di pekerja "
                  "antrean; hasilnya di halaman impornya.", file=sys.stderr)  # fmt: skip
            return INTERRUPTED
    print(f"kinerja: impor {job.pk} {reason}", file=sys.stderr)
    return INTERRUPTED


def run_queued(args: argparse.Namespace, *, kind: str, folder: str, agency: Any, path: Path,
               data: bytes, revision: Any, summary: Callable[..., str]) -> int:  # fmt: skip
    """The import of ``data`` (the file at ``path``) as a job on the task queue: enqueue its
    preview, wait, then confirm it (or, with --dry-run or a refusal, cancel it) and wait again;
    print as the in-process import does. The exit code."""
    from kinerja.planning import import_task
    from kinerja.planning.models import PlanImportJob
    from kinerja.planning.upload_flow import stash

    from .commands import _fail

    State = PlanImportJob.State
    seconds = args.tunggu_detik
    name = path.name[-120:]
    job = import_task.enqueue_preview(
        kind=kind, agency=agency, year=args.year, user=None, file=stash(folder, data), name=name,
        sha256=hashlib.sha256(data).hexdigest(), pagu=getattr(args, "kolom_pagu", None) or "",
        quarter=getattr(args, "quarter", None),
    )  # fmt: skip
    ended = (State.DONE, State.FAILED, State.CANCELLED)
    try:
        job = wait(job, until=(State.READY, *ended), seconds=seconds)
        preview = _preview_of(job)
        shown = preview.get("cli")
        if job.state != State.READY:  # refused, failed, or nothing to write: the job is over
            # as in-process: a plan file refused as unreadable prints no summary, only why
            if shown is not None and not (kind == PlanImportJob.Kind.PLAN and shown["refused"]):
                _print(args, shown, agency, name=name, written=False, refusal=job.error or None,
                       summary=summary)  # fmt: skip
            return _fail(job.error) if job.state != State.DONE else 0
        refusal = preview.get("revision_asked") if revision is None else None
        if refusal or args.dry_run:
            import_task.cancel_import(job, user=None)
            _print(args, shown, agency, name=name, written=False, refusal=refusal,
                   summary=summary)  # fmt: skip
            return _fail(refusal) if refusal else 0
        import_task.confirm_import(job, user=None, revision=revision)
        job = wait(job, until=ended, seconds=seconds)
    except NoWorker as exc:
        print(f"kinerja: {exc}", file=sys.stderr)
        return NO_WORKER
    except KeyboardInterrupt:  # Ctrl+C: a job not yet running leaves the queue, as a timeout
        return _interrupted(job)
    except import_task.Refused as exc:  # the preview expired or its file went meanwhile
        return _fail(str(exc))
    written = job.state == State.DONE
    _print(args, shown, agency, name=name, written=written,
           refusal=None if written else job.error, summary=summary)  # fmt: skip
    return 0 if written else _fail(job.error)
