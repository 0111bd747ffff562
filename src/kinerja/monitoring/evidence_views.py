"""Evidence files of a Renja item's realisation in a quarter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts import rules
from kinerja.planning.models import Agency, WorkItem

from .domain import EVIDENCE_TYPES, EditRefused, add_evidence
from .models import Evidence


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request: HttpRequest, agency: str, year: int, quarter: int,
             item: int) -> HttpResponse:  # fmt: skip
    found = get_object_or_404(Agency.objects.select_related("government"), slug=agency)
    if not 1 <= quarter <= 4 or not rules.is_reader_of(request.user, found):
        raise PermissionDenied
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
        "quarter": quarter, "files": files, "can_edit": can_edit,
        "accept": ",".join(EVIDENCE_TYPES)})  # fmt: skip
