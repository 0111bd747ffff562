"""*Impor rencana*: the upload page of ``kinerja plan import``, the plan's two downloads (the
blank template, the year's plan in the template's layout), and the page of an import job — of
this page or of *Mulai dari formulir* (views_form_import).

Two steps, as the CLI's ``--dry-run`` then the write, both run by a task worker
(planning/import_task.py), never in the request: the upload is kept in the default storage
(shared by every app process and worker in production, like the evidence files) under a random
name and its preview is enqueued; the job's page refreshes itself until the worker has read the
file and compared it with the database (nothing written), then lists what would be created,
changed and left, with every warning. The user confirms there — the job is queued again and
written in one transaction, the page refreshing itself until it is written (then what was
created and changed) or refused (then why; nothing written). Only the uploader may confirm or
cancel; a database that moved since the preview is refused. The file is deleted once written,
refused or cancelled.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from .models import Agency, PlanImportJob
from .plan_io.export import export_workbook
from .plan_io.template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
    context.update(agency=agency, year=year, max_mb=MAX_BYTES // 1024 // 1024)
    return render(request, "planning/plan_import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    found = upload_flow.agency_of(agency, request.user, write=request.method == "POST")
    upload_flow.checked_year(year)
    if request.method != "POST":
        return _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found))
    pagu = (request.POST.get("kolom_pagu") or "").strip()[:200]
    try:
        job = upload_flow.start(request, kind=PlanImportJob.Kind.PLAN, agency=found, year=year,
                                folder=FOLDER, default_name="rencana.xlsx",
                                missing=_("Pilih berkas rencana (.xlsx)."), pagu=pagu)  # fmt: skip
    except upload_flow.Refused as exc:
        return _page(request, found, year, 400, can_edit=True, filename=exc.filename,
                     error=str(exc))  # fmt: skip
    return redirect(reverse("planning:plan_import_job", args=[found.slug, year, job.pk]))


def _job_page(request: HttpRequest, agency: Agency, year: int, job: PlanImportJob,
              status: int = 200, **context: Any) -> HttpResponse:  # fmt: skip
    pending = job.state in (PlanImportJob.State.QUEUED, PlanImportJob.State.RUNNING)
    waited = (timezone.now() - job.created_at).total_seconds()
    # the preview while it awaits the answer, or as the end of an unconfirmed job (refused,
    # nothing to write); not while a write runs — the page refreshes every 2 s, and a
    # 50.000-row preview is megabytes — nor after it (the counts say what was written)
    shown = (job.preview or {}) if not job.confirmed else {}
    context.update(
        agency=agency, year=year, job=job, pending=pending, shown=shown,
        can_answer=(job.state == PlanImportJob.State.READY
                    and job.requested_by_id == request.user.pk
                    and rules.can_edit_plan(request.user, agency)),
        no_worker=job.state == PlanImportJob.State.QUEUED and waited > 30,
        reason_max=REASON_MAX,
        again=reverse("planning:form_import" if job.kind == PlanImportJob.Kind.FORM
                      else "planning:plan_import", args=[agency.slug, year]),
    )  # fmt: skip
    response = render(request, "planning/import_job.html", context, status=status)
    if pending:
        response["Refresh"] = "2"  # the browser asks again: progress without a script
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_job(request: HttpRequest, agency: str, year: int, job: int) -> HttpResponse:
    """An import job: its stage while a worker previews or writes it (the page refreshes
    itself: a Refresh header, no script); its preview with the confirmation once ready; what
    was written, or why not (nothing written)."""
    from . import import_task

    found = upload_flow.agency_of(agency, request.user, write=request.method == "POST")
    row = get_object_or_404(PlanImportJob.objects.defer("preview"), pk=job, agency=found,
                            year=upload_flow.checked_year(year))  # fmt: skip
    if request.method != "POST":
        return _job_page(request, found, year, row)
    if row.requested_by_id != request.user.pk:
        raise PermissionDenied  # another user's upload
    try:
        if "batal" in request.POST:
            import_task.cancel_import(row, user=request.user)
            messages.info(request, _("Impor dibatalkan; tidak ada yang ditulis."))
            return redirect(reverse("planning:form_import" if row.kind == PlanImportJob.Kind.FORM
                                    else "planning:plan_import", args=[found.slug, year]))  # fmt: skip
        revision, problem = upload_flow.revision_posted(request, year)
        if problem is None and revision is None and (row.preview or {}).get("revision_asked"):
            problem = row.preview["revision_asked"]  # the year is approved: a revision or nothing
        if problem is not None:
            return _job_page(request, found, year, row, 400, error=problem,
                             **upload_flow.revision_fields(request))  # fmt: skip
        import_task.confirm_import(row, user=request.user, revision=revision)
    except import_task.Refused as exc:
        row.refresh_from_db()
        return _job_page(request, found, year, row, 400, error=str(exc))
    return redirect(reverse("planning:plan_import_job", args=[found.slug, year, row.pk]))
