"""*Mulai dari formulir*: the upload page of ``kinerja form import`` — a filled evaluation form
becomes the year's plan and TW I..Q's realisations (``kinerja.audit.form_import``).

The same two steps as the plan import's page, through the same flow (upload_flow.py) and the
same job page (views_import.plan_import_job): the upload is kept and its preview enqueued; a
task worker reads the form and compares it with the database (nothing written), and the job's
page lists what would be created and changed — items, their fields, each quarter's realisation
— with every warning by sheet and cell; the user confirms there and a worker writes everything
in one transaction (planning/import_task.py). A changed file, another user's confirmation or a
database that moved since the preview is refused. The file is deleted once written, refused or
cancelled.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts import rules
from kinerja.audit.form_import import ROMAN
from kinerja.audit.reader import MAX_BYTES

from . import upload_flow
from .models import Agency, PlanImportJob

FOLDER = "impor-formulir"


def _page(request: HttpRequest, agency: Agency, year: int, status: int = 200,
          **context: Any) -> HttpResponse:  # fmt: skip
    context.update(agency=agency, year=year, max_mb=MAX_BYTES // 1024 // 1024,
                   quarters=[(q, ROMAN[q - 1]) for q in range(1, 5)])  # fmt: skip
    return render(request, "planning/form_import.html", context, status=status)


def _quarter(text: str | None) -> int | None:
    return int(text) if text in ("1", "2", "3", "4") else None


@login_required
@require_http_methods(["GET", "POST"])
def form_import(request: HttpRequest, agency: str, year: int) -> HttpResponse:
    found = upload_flow.agency_of(agency, request.user, write=request.method == "POST")
    upload_flow.checked_year(year)
    if request.method != "POST":
        return _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found))
    try:
        job = upload_flow.start(request, kind=PlanImportJob.Kind.FORM, agency=found, year=year,
                                folder=FOLDER, default_name="formulir.xlsx",
                                missing=_("Pilih berkas formulir evaluasi (.xlsx)."),
                                quarter=_quarter(request.POST.get("triwulan")))  # fmt: skip
    except upload_flow.Refused as exc:
        return _page(request, found, year, 400, can_edit=True, filename=exc.filename,
                     error=str(exc))  # fmt: skip
    return redirect(reverse("planning:plan_import_job", args=[found.slug, year, job.pk]))
