"""A quarter offline (monitoring/offline.py): download the quarter's workbook, upload it back
to a cell-by-cell preview, confirm to apply it through the grid's save. Stateless: the preview
carries its changes signed, so any app process may take the confirmation."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kinerja.accounts import rules
from kinerja.core.numbers import QUARTER_ROMAN
from kinerja.planning.concurrency import Conflict
from kinerja.planning.models import Agency

from .domain import EditRefused, check_agency_quarter_editable
from .entry import EntryInvalid
from .models import SubmissionStatus
from .offline import (
    MAX_BYTES,
    OfflineRefused,
    Preview,
    apply_changes,
    file_name,
    read_upload,
    sign_changes,
    write_workbook,
)
from .queries import submission_status
from .views import _agency, _check_quarter, describe_changes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _editor(request: HttpRequest, agency: str, year: int, quarter: int) -> Agency:
    """The agency, for a user who may write its quarter (the grid's predicate)."""
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_edit_agency_data(request.user, found):
        raise PermissionDenied
    return found


@login_required
@require_http_methods(["GET"])
def download(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _editor(request, agency, year, quarter)
    data = write_workbook(found, year=year, quarter=quarter, user=request.user)
    response = HttpResponse(data, content_type=XLSX)
    name = file_name(found, year=year, quarter=quarter)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest, agency: Agency, year: int, quarter: int, *, status: int = 200,
          **extra: Any) -> HttpResponse:  # fmt: skip
    state = submission_status(agency, year=year, quarter=quarter)
    context = {"agency": agency, "year": str(year), "year_number": year, "quarter": quarter,
               "quarter_roman": QUARTER_ROMAN[quarter - 1], "status": state,
               "file_name": file_name(agency, year=year, quarter=quarter),
               "max_mb": MAX_BYTES // 2**20,
               "needs_reason": state == SubmissionStatus.RETURNED, **extra}  # fmt: skip
    template = "monitoring/offline_preview.html" if "preview" in extra else (
        "monitoring/offline_upload.html")  # fmt: skip
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    """GET: the upload form. POST: the preview of what the uploaded workbook changes."""
    found = _editor(request, agency, year, quarter)
    if request.method == "GET":
        return _page(request, found, year, quarter)
    upload_file = request.FILES.get("berkas")
    if upload_file is None:
        return _page(request, found, year, quarter, status=400,
                     reasons=[_("Pilih berkas .xlsx yang akan diunggah.")])  # fmt: skip
    today = timezone.localdate()
    try:
        check_agency_quarter_editable(user=request.user, agency=found, year=year,
                                      quarter=quarter, reason="-", today=today,
                                      status=submission_status(found, year=year,
                                                               quarter=quarter))  # fmt: skip
        data = upload_file.read(MAX_BYTES + 1)
        preview = read_upload(data, name=upload_file.name or "", agency=found, year=year,
                              quarter=quarter)  # fmt: skip
    except EditRefused as exc:
        return _page(request, found, year, quarter, status=400, reasons=[str(exc)])
    except OfflineRefused as exc:
        return _page(request, found, year, quarter, status=400, reasons=exc.reasons)
    status = 400 if preview.refused else 409 if preview.conflicts else 200
    token = sign_changes(preview, user=request.user) if preview.applicable else ""
    return _page(request, found, year, quarter, status=status, preview=preview, token=token,
                 counts=_counts(preview))  # fmt: skip


def _counts(preview: Preview) -> dict[str, int]:
    return {"ok": sum(c.status == "ok" for c in preview.cells), "refused": len(preview.refused),
            "conflicts": len(preview.conflicts)}  # fmt: skip


@login_required
@require_POST
def apply(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    """Apply a previewed upload: all of its cells or none."""
    found = _editor(request, agency, year, quarter)
    try:
        name, changes = apply_changes(
            request.POST.get("perubahan", ""), user=request.user, agency=found, year=year,
            quarter=quarter, today=timezone.localdate(), reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except Conflict as exc:
        return _page(request, found, year, quarter, status=409, reasons=[
            _("Tidak ada yang disimpan: isian berikut diubah orang lain setelah pratinjau."),
            *(c.message for c in exc.cells)])  # fmt: skip
    except (OfflineRefused, EditRefused, EntryInvalid) as exc:
        reasons = exc.reasons if isinstance(exc, OfflineRefused) else [str(exc)]
        return _page(request, found, year, quarter, status=400,
                     reasons=[_("Tidak ada yang disimpan."), *reasons])  # fmt: skip
    if changes:
        messages.success(request, _("Impor Excel %(file)s: %(changes)s")
                         % {"file": name, "changes": describe_changes(changes)})  # fmt: skip
    else:
        messages.info(request, _("Tidak ada nilai yang berubah."))
    return redirect("monitoring:grid", agency=found.slug, year=year, quarter=quarter)
