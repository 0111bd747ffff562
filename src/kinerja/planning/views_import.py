"""*Impor rencana*: the upload page of ``kinerja plan import``, and the plan's two downloads
(the blank template, the year's plan in the template's layout).

Two steps, as the CLI's ``--dry-run`` then the write: the upload is read and compared with
the database (nothing written) and the page lists what would be created, changed and left,
with every warning; the user confirms, and the import is written in one transaction — by a
task worker (planning/import_task.py), not in the request: the confirmation enqueues a job and
answers with its page, which refreshes itself until the worker has written the import (then
what was created and changed) or refused it (then why; nothing written). Between the preview
and the write the file is kept in the default storage (shared by every app process and worker
in production, like the evidence files) under a random name; the confirm form carries that
name, the file's sha256 and the preview's digest, signed, so a changed file, another user's
upload or a database that moved since the preview is refused. The file is deleted once
written, refused or cancelled.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts import rules
from kinerja.audit.reader import MAX_BYTES
from kinerja.limits import REASON_MAX

from . import upload_flow
from .models import Agency
from .plan_io.apply import plan_changes
from .plan_io.export import export_workbook
from .plan_io.read import PlanReadError, read_plan
from .plan_io.template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "kinerja.plan-import"
FOLDER = "impor-rencana"


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def template_download(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The blank template, with its instructions and example rows."""
    found = upload_flow.agency_of(agency, request.user)
    data = write_template(None, agency_name=found.name, year=upload_flow.checked_year(year))
    return _download(data, f"templat-rencana-{found.slug}-{year}.xlsx")


@login_required
@require_GET
def plan_download(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The year's plan in the template's layout (``kinerja plan export``)."""
    found = upload_flow.agency_of(agency, request.user)
    return _download(
        export_workbook(found, upload_flow.checked_year(year)), f"rencana-{found.slug}-{year}.xlsx"
    )


def _page(request: HttpRequest, agency: Agency, year: int, status: int = 200,
          **context: Any) -> HttpResponse:  # fmt: skip
    context.update(agency=agency, year=year, max_mb=MAX_BYTES // 1024 // 1024,
                   reason_max=REASON_MAX)  # fmt: skip
    return render(request, "planning/plan_import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    found = upload_flow.agency_of(agency, request.user, write=request.method == "POST")
    upload_flow.checked_year(year)
    if request.method != "POST":
        return _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found))
    if "token" in request.POST:
        return _confirm(request, found, year)
    return _preview(request, found, year)


def _preview(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Read the upload and show what importing it would do; nothing is written."""
    pagu = (request.POST.get("kolom_pagu") or "").strip()[:200] or None
    try:
        name, data = upload_flow.uploaded(request, default_name="rencana.xlsx",
                                          missing=_("Pilih berkas rencana (.xlsx)."))  # fmt: skip
    except upload_flow.Refused as exc:
        return _page(request, agency, year, 400, can_edit=True, filename=exc.filename,
                     error=str(exc))  # fmt: skip
    try:
        plan = read_plan(data, file_name=name, pagu_column=pagu)
    except PlanReadError as exc:
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     error=_("Berkas ditolak: %(why)s") % {"why": exc})  # fmt: skip
    changes = plan_changes(plan, agency, year)
    token = ""
    if not changes.refused and changes.writes:
        token = upload_flow.sign(request, salt=SALT, agency=agency, year=year,
                                 stored=upload_flow.stash(FOLDER, data), data=data, name=name,
                                 digest=changes.digest(), pagu=pagu,
                                 revision=changes.needs_revision)  # fmt: skip
    status = 400 if changes.refused else 200
    return _page(request, agency, year, status, can_edit=True, filename=name, pagu=pagu or "",
                 token=token, **upload_flow.issues_shown(changes))  # fmt: skip


def _confirm(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Queue the previewed import for a worker, or say why not (nothing written)."""
    try:
        token = upload_flow.token_of(request, salt=SALT, folder=FOLDER, agency=agency, year=year)
        if "batal" in request.POST:
            default_storage.delete(token["file"])
            messages.info(request, _("Impor dibatalkan; tidak ada yang ditulis."))
            return redirect(reverse("planning:plan_import", args=[agency.slug, year]))
        upload_flow.still_stashed(token)
    except upload_flow.Refused as exc:
        return _page(request, agency, year, 400, can_edit=True, error=str(exc))
    revision, problem = upload_flow.revision_posted(request, year)
    if problem is None and revision is None and token.get("revision"):
        problem = ""  # the preview asked for a revision: its reason comes from the changes
    if problem is not None:  # shown with the preview again (read once more; nothing written)
        try:
            return _reshow(request, agency, year, token, problem)
        except upload_flow.Refused as exc:
            return _page(request, agency, year, 400, can_edit=True, error=str(exc))
    from .import_task import enqueue_import

    job = enqueue_import(agency=agency, year=year, user=request.user, token=token,
                         revision=revision)  # fmt: skip
    return redirect(reverse("planning:plan_import_job", args=[agency.slug, year, job.pk]))


def _reshow(request: HttpRequest, agency: Agency, year: int, token: dict,
            problem: str) -> HttpResponse:  # fmt: skip
    data = upload_flow.stashed(token)
    plan = read_plan(data, file_name=token["name"], pagu_column=token.get("pagu"))
    changes = plan_changes(plan, agency, year)
    return _page(request, agency, year, 400, can_edit=True, filename=token["name"],
                 pagu=token.get("pagu") or "", token=request.POST["token"],
                 error=problem or changes.refusal(None), **upload_flow.revision_fields(request),
                 **upload_flow.issues_shown(changes))  # fmt: skip


@login_required
@require_GET
def plan_import_job(request: HttpRequest, agency: str, year: int, job: int) -> HttpResponse:
    """A confirmed import being written by a worker: its stage, refreshing itself (a Refresh
    header, no script) until it is done — then what was created and changed — or refused,
    with why (nothing written)."""
    from .models import PlanImportJob

    found = upload_flow.agency_of(agency, request.user)
    row = get_object_or_404(
        PlanImportJob, pk=job, agency=found, year=upload_flow.checked_year(year)
    )
    pending = row.state in (PlanImportJob.State.QUEUED, PlanImportJob.State.RUNNING)
    waited = (timezone.now() - row.created_at).total_seconds()
    response = _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found),
                     job=row, pending=pending,
                     no_worker=row.state == PlanImportJob.State.QUEUED and waited > 30)  # fmt: skip
    if pending:
        response["Refresh"] = "2"  # the browser asks again: progress without a script
    return response
