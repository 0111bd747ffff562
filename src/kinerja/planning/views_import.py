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

import hashlib
import secrets
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts import rules
from kinerja.audit.reader import MAX_BYTES
from kinerja.limits import REASON_MAX, check_date, check_text

from .items import Revision
from .models import Agency
from .plan_io.apply import Changes, plan_changes
from .plan_io.export import export_workbook
from .plan_io.read import PlanReadError, read_plan
from .plan_io.template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SALT = "kinerja.plan-import"
MAX_AGE = 2 * 60 * 60  # a preview older than two hours is done again
FOLDER = "impor-rencana"


def _agency(slug: str, user: Any, *, write: bool = False) -> Agency:
    found = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    allowed = rules.can_edit_plan if write else rules.is_reader_of
    if not allowed(user, found):
        raise PermissionDenied
    return found


def _year(year: int) -> int:
    from django.http import Http404

    if not 2000 <= year <= 2100:
        raise Http404(_("Tahun tidak dikenal."))
    return year


def _download(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def template_download(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The blank template, with its instructions and example rows."""
    found = _agency(agency, request.user)
    data = write_template(None, agency_name=found.name, year=_year(year))
    return _download(data, f"templat-rencana-{found.slug}-{year}.xlsx")


@login_required
@require_GET
def plan_download(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    """The year's plan in the template's layout (``kinerja plan export``)."""
    found = _agency(agency, request.user)
    return _download(export_workbook(found, _year(year)), f"rencana-{found.slug}-{year}.xlsx")


def _page(request: HttpRequest, agency: Agency, year: int, status: int = 200,
          **context: Any) -> HttpResponse:  # fmt: skip
    context.update(agency=agency, year=year, max_mb=MAX_BYTES // 1024 // 1024,
                   reason_max=REASON_MAX)  # fmt: skip
    return render(request, "planning/plan_import.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    found = _agency(agency, request.user, write=request.method == "POST")
    _year(year)
    if request.method != "POST":
        return _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found))
    if "token" in request.POST:
        return _confirm(request, found, year)
    return _preview(request, found, year)


def _preview(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Read the upload and show what importing it would do; nothing is written."""
    upload = request.FILES.get("berkas")
    pagu = (request.POST.get("kolom_pagu") or "").strip()[:200] or None
    if upload is None:
        return _page(request, agency, year, 400, can_edit=True,
                     error=_("Pilih berkas rencana (.xlsx)."))  # fmt: skip
    name = (upload.name or "rencana.xlsx")[-120:]
    if upload.size is not None and upload.size > MAX_BYTES:
        upload.close()
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     error=_("Berkas lebih dari %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024})  # fmt: skip
    try:
        data = upload.read()
    finally:
        upload.close()
    try:
        plan = read_plan(data, file_name=name, pagu_column=pagu)
    except PlanReadError as exc:
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     error=_("Berkas ditolak: %(why)s") % {"why": exc})  # fmt: skip
    changes = plan_changes(plan, agency, year)
    stored = ""
    if not changes.refused and changes.writes:
        stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.xlsx", ContentFile(data))
    token = signing.dumps(
        {"file": stored, "sha256": hashlib.sha256(data).hexdigest(), "name": name,
         "pagu": pagu, "digest": changes.digest(), "user": request.user.pk,
         "agency": agency.pk, "year": year, "revision": changes.needs_revision},
        salt=SALT, compress=True,
    )  # fmt: skip
    status = 400 if changes.refused else 200
    return _page(request, agency, year, status, can_edit=True, filename=name, pagu=pagu or "",
                 token=token if stored else "", **_shown(changes))  # fmt: skip


def _shown(changes: Changes) -> dict[str, Any]:
    issues = [
        {"severity": i.severity, "label": _("kesalahan") if i.severity == "error" else
         _("peringatan"), "sheet": i.source.sheet if i.source else "",
         "cell": f"{i.source.column or ''}{i.source.row or ''}" if i.source else "",
         "message": i.message, "value": i.value or ""}
        for i in changes.issues
    ]  # fmt: skip
    refusal = changes.refusal() if changes.refused else None
    return {"changes": changes, "counts": changes.counts(), "issues": issues, "refusal": refusal}


def _confirm(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Write the previewed import, or say why not (nothing written)."""
    try:
        token = signing.loads(request.POST["token"], salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return _page(request, agency, year, 400, can_edit=True,
                     error=_("Pratinjau impor sudah kedaluwarsa atau tidak sah; unggah berkasnya "
                             "lagi."))  # fmt: skip
    if (token.get("user"), token.get("agency"), token.get("year")) != (
        request.user.pk,
        agency.pk,
        year,
    ) or not str(token.get("file", "")).startswith(FOLDER + "/"):
        raise PermissionDenied
    stored = token["file"]
    if "batal" in request.POST:
        default_storage.delete(stored)
        messages.info(request, _("Impor dibatalkan; tidak ada yang ditulis."))
        return redirect(reverse("planning:plan_import", args=[agency.slug, year]))
    if not default_storage.exists(stored):
        return _page(request, agency, year, 400, can_edit=True,
                     error=_("Berkas pratinjau tidak ada lagi; unggah berkasnya lagi."))  # fmt: skip
    revision, problem = _revision(request, year)
    if problem is None and revision is None and token.get("revision"):
        problem = ""  # the preview asked for a revision: its reason comes from the changes
    if problem is not None:  # shown with the preview again (read once more; nothing written)
        return _reshow(request, agency, year, token, problem)
    from .import_task import enqueue_import

    job = enqueue_import(agency=agency, year=year, user=request.user, token=token,
                         revision=revision)  # fmt: skip
    return redirect(reverse("planning:plan_import_job", args=[agency.slug, year, job.pk]))


def _reshow(request: HttpRequest, agency: Agency, year: int, token: dict,
            problem: str) -> HttpResponse:  # fmt: skip
    with default_storage.open(token["file"], "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != token["sha256"]:
        raise PermissionDenied
    plan = read_plan(data, file_name=token["name"], pagu_column=token.get("pagu"))
    changes = plan_changes(plan, agency, year)
    return _page(request, agency, year, 400, can_edit=True, filename=token["name"],
                 pagu=token.get("pagu") or "", token=request.POST["token"],
                 error=problem or changes.refusal(None),
                 revision_on=request.POST.get("tanggal_revisi", ""),
                 revision_reason=request.POST.get("alasan_revisi", ""),
                 revision_basis=request.POST.get("dasar_hukum", ""),
                 **_shown(changes))  # fmt: skip


@login_required
@require_GET
def plan_import_job(request: HttpRequest, agency: str, year: int, job: int) -> HttpResponse:
    """A confirmed import being written by a worker: its stage, refreshing itself (a Refresh
    header, no script) until it is done — then what was created and changed — or refused,
    with why (nothing written)."""
    from .models import PlanImportJob

    found = _agency(agency, request.user)
    row = get_object_or_404(PlanImportJob, pk=job, agency=found, year=_year(year))
    pending = row.state in (PlanImportJob.State.QUEUED, PlanImportJob.State.RUNNING)
    waited = (timezone.now() - row.created_at).total_seconds()
    response = _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found),
                     job=row, pending=pending,
                     no_worker=row.state == PlanImportJob.State.QUEUED and waited > 30)  # fmt: skip
    if pending:
        response["Refresh"] = "2"  # the browser asks again: progress without a script
    return response


def _revision(request: HttpRequest, year: int) -> tuple[Revision | None, str | None]:
    """The revision the confirm form gives (None when its fields are empty), or why not."""
    on = (request.POST.get("tanggal_revisi") or "").strip()
    reason = (request.POST.get("alasan_revisi") or "").strip()
    basis = (request.POST.get("dasar_hukum") or "").strip()
    if not (on or reason or basis):
        return None, None
    if not (on and reason and basis):
        return None, _("Revisi memerlukan tanggal, alasan dan dasar hukum sekaligus.")
    try:
        day = date.fromisoformat(on)
        check_date(day, label=_("Tanggal revisi"), first_year=year)
        check_text(reason, label=_("Alasan revisi"), limit=REASON_MAX)
        check_text(basis, label=_("Dasar hukum"), limit=300)
    except ValueError as exc:
        message = str(exc) if "Invalid isoformat" not in str(exc) else ""
        return None, message or _("Tanggal revisi «%(d)s» bukan tanggal.") % {"d": on[:20]}
    return Revision(day, reason, basis), None
