"""Evidence files of a Renja item's realisation in a quarter: the list, the upload, and the
download.

A file is served only by ``evidence_file``, to readers of its agency (accounts.rules.is_reader_of:
the agency's own operator, and the verifikator, evaluator, pimpinan and admin of its pemda),
through the storage API (so object storage works too), as an attachment under a name derived
from the record, with ``nosniff``, ``no-store`` and a sandboxing CSP. MEDIA_ROOT is never
served as a folder. Someone who is not a reader of the agency named in the URL gets 403, like
every other page of that agency; a file that is not that agency's item's file of that quarter
gets 404, so an id says nothing about another agency's files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts import rules
from kinerja.planning.models import Agency, WorkItem

from .domain import EVIDENCE_TYPES, EditRefused, add_evidence, evidence_limit
from .evidence_files import human_size
from .models import Evidence


def _readable_agency(request: HttpRequest, slug: str, quarter: int) -> Agency:
    found = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    if not 1 <= quarter <= 4 or not rules.is_reader_of(request.user, found):
        raise PermissionDenied
    return found


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, agency: str, year: int, quarter: int,
             item: int) -> HttpResponse:  # fmt: skip
    found = _readable_agency(request, agency, quarter)
    can_edit = rules.can_edit_agency_data(request.user, found)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    work_item = get_object_or_404(WorkItem, pk=item, agency=found, year=year)
    if request.method == "POST":
        files = request.FILES.getlist("files")
        try:
            if not files:
                raise EditRefused(_("Pilih sedikitnya satu berkas."))
            add_evidence(user=request.user, work_item=work_item, quarter=quarter, files=files,
                         today=timezone.localdate())  # fmt: skip
        except EditRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)s berkas bukti diunggah.") % {"n": len(files)})
        return redirect("texts:evidence", agency=found.slug, year=year, quarter=quarter,
                        item=work_item.pk)  # fmt: skip
    files = Evidence.objects.filter(realisation__work_item=work_item,
                                    realisation__quarter=quarter).select_related("uploaded_by")  # fmt: skip
    return render(request, "monitoring/evidence.html", {
        "agency": found, "item": work_item, "year": str(year), "year_number": year,
        "quarter": quarter, "files": files.order_by("uploaded_at", "pk"), "can_edit": can_edit,
        "accept": ",".join(EVIDENCE_TYPES),
        "max_size": human_size(evidence_limit("EVIDENCE_MAX_BYTES")),
        "max_post": evidence_limit("EVIDENCE_MAX_FILES_PER_POST"),
        "max_total": evidence_limit("EVIDENCE_MAX_FILES_PER_REALISATION")})  # fmt: skip


@login_required
@require_http_methods(["GET", "HEAD"])
def evidence_file(request: HttpRequest, agency: str, year: int, quarter: int, item: int,
                  evidence: int) -> FileResponse:  # fmt: skip
    found = _readable_agency(request, agency, quarter)
    if max(item, evidence) >= 2**63:  # no bigint holds it (SQLite would overflow)
        raise Http404
    record = get_object_or_404(
        Evidence.objects.select_related("realisation__work_item"), pk=evidence,
        realisation__work_item_id=item, realisation__work_item__agency=found,
        realisation__work_item__year=year, realisation__quarter=quarter)  # fmt: skip
    try:
        handle = record.file.storage.open(record.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from exc
    ext = record.extension
    response = FileResponse(
        handle, as_attachment=True,
        filename=record.download_name(record.realisation.work_item.code or "", quarter),
        content_type=EVIDENCE_TYPES.get(ext, "application/octet-stream"))  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
