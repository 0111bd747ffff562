"""The upload flow both import pages follow — *Impor/ekspor rencana* (views_import.py) and
*Mulai dari formulir* (views_form_import.py): the upload is read and previewed (nothing
written); a file that would write waits in the default storage under a random name; the
confirmation carries a token signed for the user, agency and year with the file's sha256 and
the preview's digest; confirming or cancelling checks that token first. Shared by the pages,
so the checks are one piece of code, not two."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kinerja.accounts import rules
from kinerja.audit.reader import MAX_BYTES
from kinerja.limits import REASON_MAX, check_date, check_text

from .items import Revision
from .models import Agency

MAX_AGE = 2 * 60 * 60  # a preview older than two hours is done again


class Refused(Exception):
    """The upload or the confirmation cannot go on; ``str()`` is one Indonesian sentence and
    ``filename`` the upload's name where there is one."""

    def __init__(self, message: str, filename: str = "") -> None:
        super().__init__(message)
        self.filename = filename


def agency_of(slug: str, user: Any, *, write: bool = False) -> Agency:
    """The agency of the page, if the user may read it (``write``: edit its plan)."""
    found = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    allowed = rules.can_edit_plan if write else rules.is_reader_of
    if not allowed(user, found):
        raise PermissionDenied
    return found


def checked_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404(_("Tahun tidak dikenal."))
    return year


def uploaded(request: HttpRequest, *, default_name: str, missing: str) -> tuple[str, bytes]:
    """The upload's name (its last 120 characters) and bytes; Refused without a file or
    with one above the size limit."""
    upload = request.FILES.get("berkas")
    if upload is None:
        raise Refused(missing)
    name = (upload.name or default_name)[-120:]
    if upload.size is not None and upload.size > MAX_BYTES:
        upload.close()
        raise Refused(_("Berkas lebih dari %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024},
                      name)  # fmt: skip
    try:
        return name, upload.read()
    finally:
        upload.close()


def stash(folder: str, data: bytes) -> str:
    """Keep the previewed file in the default storage (shared by every app machine) under a
    random name in ``folder``; its stored name."""
    return default_storage.save(f"{folder}/{secrets.token_hex(16)}.xlsx", ContentFile(data))


def sign(request: HttpRequest, *, salt: str, agency: Agency, year: int, stored: str,
         data: bytes, name: str, digest: str, **more: Any) -> str:  # fmt: skip
    """The confirmation's token: for this user, agency and year, naming the stored file with
    its sha256, the upload's name and the preview's digest (and ``more``)."""
    payload = {"file": stored, "sha256": hashlib.sha256(data).hexdigest(), "name": name,
               "digest": digest, "user": request.user.pk, "agency": agency.pk, "year": year,
               **more}  # fmt: skip
    return signing.dumps(payload, salt=salt, compress=True)


def token_of(request: HttpRequest, *, salt: str, folder: str, agency: Agency,
             year: int) -> dict[str, Any]:  # fmt: skip
    """The confirmation's token, checked: Refused when expired or tampered with;
    PermissionDenied when it was signed for another user, agency or year, or names a file
    outside ``folder``."""
    try:
        token = signing.loads(request.POST["token"], salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:
        raise Refused(_("Pratinjau impor sudah kedaluwarsa atau tidak sah; unggah berkasnya "
                        "lagi.")) from None  # fmt: skip
    if (token.get("user"), token.get("agency"), token.get("year")) != (
        request.user.pk,
        agency.pk,
        year,
    ) or not str(token.get("file", "")).startswith(folder + "/"):
        raise PermissionDenied
    return token


def still_stashed(token: dict[str, Any]) -> None:
    """Refused when the stored file the token names is gone (a worker reads it later)."""
    if not default_storage.exists(token["file"]):
        raise Refused(_("Berkas pratinjau tidak ada lagi; unggah berkasnya lagi."))


def stashed(token: dict[str, Any]) -> bytes:
    """The stored file the token names, whole and unchanged since the preview; Refused when
    it is gone, PermissionDenied when its sha256 differs."""
    try:
        with default_storage.open(token["file"], "rb") as fh:
            data = fh.read()
    except (OSError, FileNotFoundError):
        raise Refused(_("Berkas pratinjau tidak ada lagi; unggah berkasnya lagi.")) from None
    if hashlib.sha256(data).hexdigest() != token["sha256"]:
        raise PermissionDenied
    return data


def issues_shown(changes: Any) -> dict[str, Any]:
    """A plan import's dry run as the pages show it: counts, each issue with its sheet and
    cell, and the refusal."""
    issues = [
        {"severity": i.severity, "label": _("kesalahan") if i.severity == "error" else
         _("peringatan"), "sheet": i.source.sheet if i.source else "",
         "cell": f"{i.source.column or ''}{i.source.row or ''}" if i.source else "",
         "message": i.message, "value": i.value or ""}
        for i in changes.issues
    ]  # fmt: skip
    refusal = changes.refusal() if changes.refused else None
    return {"changes": changes, "counts": changes.counts(), "issues": issues, "refusal": refusal}


def revision_posted(request: HttpRequest, year: int) -> tuple[Revision | None, str | None]:
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


def revision_fields(request: HttpRequest) -> dict[str, str]:
    """The revision fields as typed, to show them again with a refusal."""
    return {"revision_on": request.POST.get("tanggal_revisi", ""),
            "revision_reason": request.POST.get("alasan_revisi", ""),
            "revision_basis": request.POST.get("dasar_hukum", "")}  # fmt: skip
