"""The verifikator's notes on the grid's rows: the operator answers a note, the verifikator
marks it done (selesai) or open again. Both go back to the row in the grid."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts import rules

from . import workflow
from .models import RowNote
from .views import _agency, _check_quarter


def _back(note: RowNote, year: int, quarter: int) -> HttpResponse:
    url = reverse("monitoring:grid", kwargs={"agency": note.work_item.agency.slug,
                                             "year": year, "quarter": quarter})  # fmt: skip
    return redirect(f"{url}#notes-{note.work_item_id}")


def _note(agency, year: int, quarter: int, pk: int) -> RowNote:  # type: ignore[no-untyped-def]
    return get_object_or_404(RowNote.objects.select_related("work_item__agency__government"),
                             pk=pk, work_item__agency=agency, year=year, quarter=quarter)  # fmt: skip


@login_required
@require_POST
def reply(request: HttpRequest, agency: str, year: int, quarter: int, note: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_reply_note(request.user, found):
        raise PermissionDenied
    row_note = _note(found, year, quarter, note)
    text = request.POST.get(f"reply-{note}", request.POST.get("reply", ""))
    try:
        workflow.reply_row_note(user=request.user, note=row_note, text=text)
    except workflow.WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Jawaban atas catatan disimpan."))
    return _back(row_note, year, quarter)


@login_required
@require_POST
def done(request: HttpRequest, agency: str, year: int, quarter: int, note: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.can_settle_note(request.user, found):
        raise PermissionDenied
    row_note = _note(found, year, quarter, note)
    settle = request.POST.get("done", "1") != "0"
    try:
        workflow.mark_row_note_done(user=request.user, note=row_note, done=settle)
    except workflow.WorkflowRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Catatan ditandai selesai.") if settle
                         else _("Catatan dibuka lagi."))  # fmt: skip
    return _back(row_note, year, quarter)
