"""The upload flow both import pages follow — *Impor/ekspor rencana* (views_import.py) and
*Mulai dari formulir* (views_form_import.py): the upload is read within the size limit, kept in
the default storage under a random name, and its preview enqueued (import_task.py); the job's
page shows the preview once a worker has made it, and the user's confirmation there (with the
revision's fields where the year is approved) queues the write. Shared by the pages, so the
checks are one piece of code, not two."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

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


def start(request: HttpRequest, *, kind: str, agency: Agency, year: int, folder: str,
          default_name: str, missing: str, **more: Any) -> Any:  # fmt: skip
    """Keep the upload and enqueue its preview (import_task): the job, whose page the user is
    sent to. Refused without a file or above the size limit (nothing kept)."""
    from .import_task import enqueue_preview

    name, data = uploaded(request, default_name=default_name, missing=missing)
    return enqueue_preview(kind=kind, agency=agency, year=year, user=request.user,
                           file=stash(folder, data), name=name,
                           sha256=hashlib.sha256(data).hexdigest(), **more)  # fmt: skip


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
