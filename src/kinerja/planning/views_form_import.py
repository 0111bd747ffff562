"""*Mulai dari formulir*: the upload page of ``kinerja form import`` — a filled evaluation form
becomes the year's plan and TW I..Q's realisations (``kinerja.audit.form_import``).

The same two steps as the plan import's page (views_import), through the same flow
(upload_flow.py): the upload is read and compared
with the database (nothing written) and the page lists what would be created and changed —
items, their fields, each quarter's realisation — with every warning by sheet and cell; the
user confirms and everything is written in one transaction. Between the two the file waits in
the default storage under a random name; the confirm form carries that name, the file's
sha256, the quarter and the preview's digest, signed for this user, agency and year, so a
changed file, another user's upload or a database that moved since is refused. The file is
deleted once written or cancelled.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kinerja.accounts import rules
from kinerja.audit.form_import import (
    ROMAN,
    FormChanges,
    FormImportError,
    apply_form_import,
    form_changes,
    read_form_import,
)
from kinerja.audit.reader import MAX_BYTES
from kinerja.limits import REASON_MAX

from . import upload_flow
from .models import Agency
from .plan_io.apply import ImportRefused

SALT = "kinerja.form-import"
FOLDER = "impor-formulir"


def _page(request: HttpRequest, agency: Agency, year: int, status: int = 200,
          **context: Any) -> HttpResponse:  # fmt: skip
    context.update(agency=agency, year=year, max_mb=MAX_BYTES // 1024 // 1024,
                   reason_max=REASON_MAX, quarters=[(q, ROMAN[q - 1]) for q in range(1, 5)])  # fmt: skip
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
    if "token" in request.POST:
        return _confirm(request, found, year)
    return _preview(request, found, year)


def _shown_form(changes: FormChanges) -> dict[str, Any]:
    shown = upload_flow.issues_shown(changes.plan)
    shown.update(form=changes, counts=changes.counts(), refusal=changes.refusal()
                 if changes.plan.refused or changes.blocked else None,
                 quarter_roman=ROMAN[changes.quarter - 1])  # fmt: skip
    return shown


def _preview(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Read the upload and show what importing it would do; nothing is written."""
    quarter = _quarter(request.POST.get("triwulan"))
    try:
        name, data = upload_flow.uploaded(
            request, default_name="formulir.xlsx",
            missing=_("Pilih berkas formulir evaluasi (.xlsx)."))  # fmt: skip
    except upload_flow.Refused as exc:
        return _page(request, agency, year, 400, can_edit=True, filename=exc.filename,
                     error=str(exc))  # fmt: skip
    try:
        read = read_form_import(data, file_name=name, quarter=quarter)
    except FormImportError as exc:
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     error=_("Berkas ditolak: %(why)s") % {"why": exc})  # fmt: skip
    changes = form_changes(read, agency, year)
    token = ""
    if not changes.plan.refused and not changes.blocked and changes.writes:
        token = upload_flow.sign(request, salt=SALT, agency=agency, year=year,
                                 stored=upload_flow.stash(FOLDER, data), data=data, name=name,
                                 digest=changes.digest(), quarter=read.quarter)  # fmt: skip
    status = 400 if changes.plan.refused or changes.blocked else 200
    return _page(request, agency, year, status, can_edit=True, filename=name, token=token,
                 **_shown_form(changes))  # fmt: skip


def _confirm(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Write the previewed import, or say why not (nothing written)."""
    try:
        token = upload_flow.token_of(request, salt=SALT, folder=FOLDER, agency=agency, year=year)
        if "batal" in request.POST:
            default_storage.delete(token["file"])
            messages.info(request, _("Impor dibatalkan; tidak ada yang ditulis."))
            return redirect(reverse("planning:form_import", args=[agency.slug, year]))
        data = upload_flow.stashed(token)
    except upload_flow.Refused as exc:
        return _page(request, agency, year, 400, can_edit=True, error=str(exc))
    name = token["name"]
    revision, problem = upload_flow.revision_posted(request, year)
    read = read_form_import(data, file_name=name, quarter=token["quarter"])
    changes = form_changes(read, agency, year)
    if problem is None:
        try:
            written = apply_form_import(changes, request.user, name, revision,
                                        expected_digest=token["digest"])  # fmt: skip
        except ImportRefused as exc:
            problem = str(exc)
    if problem is not None:
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     token=request.POST["token"], error=problem,
                     **upload_flow.revision_fields(request), **_shown_form(changes))  # fmt: skip
    default_storage.delete(token["file"])
    counts = written.counts()
    messages.success(
        request,
        _("Formulir diimpor dari %(file)s: %(c)s butir rencana dibuat, %(u)s diubah; "
          "%(rc)s realisasi dibuat, %(ru)s diubah.")
        % {"file": name, "c": counts["created"], "u": counts["changed"],
           "rc": counts["realisations_created"], "ru": counts["realisations_changed"]},
    )  # fmt: skip
    return redirect(reverse("planning:renja", args=[agency.slug, year]))
