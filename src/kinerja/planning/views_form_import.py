"""*Mulai dari formulir*: the upload page of ``kinerja form import`` — a filled evaluation form
becomes the year's plan and TW I..Q's realisations (``kinerja.audit.form_import``).

The same two steps as the plan import's page (views_import): the upload is read and compared
with the database (nothing written) and the page lists what would be created and changed —
items, their fields, each quarter's realisation — with every warning by sheet and cell; the
user confirms and everything is written in one transaction. Between the two the file waits in
the default storage under a random name; the confirm form carries that name, the file's
sha256, the quarter and the preview's digest, signed for this user, agency and year, so a
changed file, another user's upload or a database that moved since is refused. The file is
deleted once written or cancelled.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
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

from .models import Agency
from .plan_io.apply import ImportRefused
from .views_import import _agency, _revision, _shown, _year

SALT = "kinerja.form-import"
MAX_AGE = 2 * 60 * 60  # a preview older than two hours is done again
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
    found = _agency(agency, request.user, write=request.method == "POST")
    _year(year)
    if request.method != "POST":
        return _page(request, found, year, can_edit=rules.can_edit_plan(request.user, found))
    if "token" in request.POST:
        return _confirm(request, found, year)
    return _preview(request, found, year)


def _shown_form(changes: FormChanges) -> dict[str, Any]:
    shown = _shown(changes.plan)
    shown.update(form=changes, counts=changes.counts(), refusal=changes.refusal()
                 if changes.plan.refused or changes.blocked else None,
                 quarter_roman=ROMAN[changes.quarter - 1])  # fmt: skip
    return shown


def _preview(request: HttpRequest, agency: Agency, year: int) -> HttpResponse:
    """Read the upload and show what importing it would do; nothing is written."""
    upload = request.FILES.get("berkas")
    quarter = _quarter(request.POST.get("triwulan"))
    if upload is None:
        return _page(request, agency, year, 400, can_edit=True,
                     error=_("Pilih berkas formulir evaluasi (.xlsx)."))  # fmt: skip
    name = (upload.name or "formulir.xlsx")[-120:]
    if upload.size is not None and upload.size > MAX_BYTES:
        upload.close()
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     error=_("Berkas lebih dari %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024})  # fmt: skip
    try:
        data = upload.read()
    finally:
        upload.close()
    try:
        read = read_form_import(data, file_name=name, quarter=quarter)
    except FormImportError as exc:
        return _page(request, agency, year, 400, can_edit=True, filename=name,
                     error=_("Berkas ditolak: %(why)s") % {"why": exc})  # fmt: skip
    changes = form_changes(read, agency, year)
    stored = ""
    if not changes.plan.refused and not changes.blocked and changes.writes:
        stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.xlsx", ContentFile(data))
    token = signing.dumps(
        {"file": stored, "sha256": hashlib.sha256(data).hexdigest(), "name": name,
         "quarter": read.quarter, "digest": changes.digest(), "user": request.user.pk,
         "agency": agency.pk, "year": year},
        salt=SALT, compress=True,
    )  # fmt: skip
    status = 400 if changes.plan.refused or changes.blocked else 200
    return _page(request, agency, year, status, can_edit=True, filename=name,
                 token=token if stored else "", **_shown_form(changes))  # fmt: skip


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
        return redirect(reverse("planning:form_import", args=[agency.slug, year]))
    try:
        with default_storage.open(stored, "rb") as fh:
            data = fh.read()
    except OSError:
        return _page(request, agency, year, 400, can_edit=True,
                     error=_("Berkas pratinjau tidak ada lagi; unggah berkasnya lagi."))  # fmt: skip
    if hashlib.sha256(data).hexdigest() != token["sha256"]:
        raise PermissionDenied
    name = token["name"]
    revision, problem = _revision(request, year)
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
                     revision_on=request.POST.get("tanggal_revisi", ""),
                     revision_reason=request.POST.get("alasan_revisi", ""),
                     revision_basis=request.POST.get("dasar_hukum", ""),
                     **_shown_form(changes))  # fmt: skip
    default_storage.delete(stored)
    counts = written.counts()
    messages.success(
        request,
        _("Formulir diimpor dari %(file)s: %(c)s butir rencana dibuat, %(u)s diubah; "
          "%(rc)s realisasi dibuat, %(ru)s diubah.")
        % {"file": name, "c": counts["created"], "u": counts["changed"],
           "rc": counts["realisations_created"], "ru": counts["realisations_changed"]},
    )  # fmt: skip
    return redirect(reverse("planning:renja", args=[agency.slug, year]))
