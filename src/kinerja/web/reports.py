"""The reports page of a quarter: a link for each document × format, and the files made before.
A download makes the file on the spot with the same functions as `kinerja report`, keeps it
(GeneratedReport, through Django's storage) and sends it as an attachment. The page's forms put
files on the task queue instead (reporting/tasks.py): the request only enqueues, a worker
renders, and the page shows each batch's progress, refreshing itself (a Refresh header, no
script) while one is unfinished."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts import rules
from kinerja.accounts.models import Role
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.monitoring.models import GeneratedReport
from kinerja.planning.models import Agency
from kinerja.reporting.generate import build_report, generate
from kinerja.reporting.renderers import UnsupportedFormat, load_renderers, renderer_for
from kinerja.reporting.template_check import TemplateRefused, stored_template_message

from .params import parse_id

DOCUMENTS = {
    "form": gettext_lazy("Formulir evaluasi Renja"),
    "laporan": gettext_lazy("Laporan kinerja triwulan"),
    "pk": gettext_lazy("Perjanjian kinerja"),
    "pemeriksaan": gettext_lazy("Lembar Pemeriksaan sebelum penandatanganan"),
}
FORMAT_ORDER = ("docx", "pdf", "xlsx")


def _readable(request: HttpRequest, slug: str, year: int, quarter: int) -> Agency:
    agency = get_object_or_404(Agency.objects.select_related("government"), slug=slug)
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise PermissionDenied(_("Tahun atau triwulan tidak dikenal."))
    if not rules.is_reader_of(request.user, agency):
        raise PermissionDenied
    return agency


def report_offers() -> list[dict]:
    """Each document with the formats the renderer registry offers for it."""
    pairs = load_renderers()
    out = []
    for document, label in DOCUMENTS.items():
        formats = sorted((f for d, f in pairs if d == document), key=FORMAT_ORDER.index)
        if formats:
            out.append({"document": document, "label": label,
                        "formats": [(f, pairs[(document, f)].label) for f in formats]})  # fmt: skip
    return out


def _may_batch_pemda(user, agency: Agency) -> bool:  # type: ignore[no-untyped-def]
    """The admin pemda may put the whole pemda's quarter on the queue."""
    profile = rules.profile_of(user)
    return (profile is not None and profile.role == Role.ADMIN
            and profile.government_id == agency.government_id)  # fmt: skip


def _enqueue(request: HttpRequest, agency: Agency, year: int, quarter: int) -> HttpResponse:
    from kinerja.reporting.tasks import enqueue_one, enqueue_quarter

    what = request.POST.get("buat", "")
    if what == "pemda":
        if not _may_batch_pemda(request.user, agency):
            raise PermissionDenied
        batch = enqueue_quarter(agency.government, year=year, quarter=quarter, user=request.user)
    elif what == "semua":
        batch = enqueue_quarter(agency.government, year=year, quarter=quarter,
                                user=request.user, agency=agency)  # fmt: skip
    else:
        document, _dot, fmt = what.partition(".")
        try:
            renderer_for(document, fmt)
        except UnsupportedFormat as exc:
            raise Http404(_("Laporan tidak tersedia: %(why)s") % {"why": exc}) from exc
        batch = enqueue_one(agency, year=year, quarter=quarter, document=document, fmt=fmt,
                            user=request.user)  # fmt: skip
    messages.success(request, _("%(n)s berkas masuk antrean; halaman ini diperbarui sendiri "
                                "sampai selesai.") % {"n": batch.jobs.count()})  # fmt: skip
    return redirect("web:reports", agency=agency.slug, year=year, quarter=quarter)


def _batches(agency: Agency, year: int, quarter: int, pemda: bool) -> list:
    from django.db.models import Q

    from kinerja.reporting.models import ReportBatch

    where = Q(agency=agency)
    if pemda:
        where |= Q(agency=None, government_id=agency.government_id)
    batches = list(ReportBatch.objects.filter(where, year=year, quarter=quarter)
                   .select_related("requested_by")[:10])  # fmt: skip
    for batch in batches:
        batch.counts = batch.progress()
        batch.finished = batch.counts["done"] + batch.counts["failed"]
        batch.failures = list(batch.jobs.filter(state="gagal").select_related("agency"))
        batch.files = [j.report for j in batch.jobs.filter(agency=agency, state="selesai")
                       .select_related("report") if j.report is not None]  # fmt: skip
        for row in batch.files:
            row.label = DOCUMENTS.get(row.document, row.document)
            row.filename = row.file.name.rsplit("/", 1)[-1]
    return batches


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _readable(request, agency, year, quarter)
    if request.method == "POST":
        return _enqueue(request, found, year, quarter)
    pemda = _may_batch_pemda(request.user, found)
    batches = _batches(found, year, quarter, pemda)
    made = list(GeneratedReport.objects.filter(agency=found, year=year, quarter=quarter)
                .select_related("created_by"))  # fmt: skip
    for row in made:
        row.label = DOCUMENTS.get(row.document, row.document)
        row.filename = row.file.name.rsplit("/", 1)[-1]
    context = {
        "agency": found,
        "year": year,
        "quarter": quarter,
        "quarter_roman": ROMAN[quarter - 1],
        "offers": report_offers(),
        "made": made,
        "batches": batches,
        "may_batch_pemda": pemda,
    }
    response = render(request, "web/reports.html", context)
    if any(b.finished < b.counts["total"] for b in batches):
        response["Refresh"] = "3"  # the browser reloads the page: progress without a script
    return response


def _attachment(content, filename: str, content_type: str) -> FileResponse:
    return FileResponse(content, as_attachment=True, filename=filename, content_type=content_type)


@login_required
@require_GET
def download(request: HttpRequest, agency: str, year: int, quarter: int, document: str,
             fmt: str) -> HttpResponse:  # fmt: skip
    """Without ``?berkas=`` a new file; with ``?berkas=<id>`` the stored one of that id."""
    found = _readable(request, agency, year, quarter)
    try:
        renderer = renderer_for(document, fmt)
    except UnsupportedFormat as exc:
        raise Http404(_("Laporan tidak tersedia: %(why)s") % {"why": exc}) from exc
    if "berkas" in request.GET:
        stored_id = parse_id(request.GET["berkas"])
        if stored_id is None:
            raise Http404(_("Berkas laporan tidak ada."))
        stored = get_object_or_404(GeneratedReport, pk=stored_id, agency=found, year=year,
                                   quarter=quarter, document=document, format=fmt)  # fmt: skip
        name = stored.file.name.rsplit("/", 1)[-1]
        return _attachment(stored.file.open("rb"), name, renderer.content_type)
    report = build_report(document, found, year=year, quarter=quarter,
                          today=timezone.localdate())  # fmt: skip
    try:
        (file,) = generate(report, [fmt])
    except TemplateRefused as exc:  # a Word template stored before uploads were checked
        messages.error(request, stored_template_message(exc))
        return redirect("web:reports", agency=found.slug, year=year, quarter=quarter)
    row = GeneratedReport(agency=found, year=year, quarter=quarter, document=document, format=fmt,
                          data_hash=file.data_hash, template_hash=file.template_hash,
                          created_by=request.user)  # fmt: skip
    row.file.save(file.filename, ContentFile(file.content), save=True)
    return _attachment(ContentFile(file.content), file.filename, file.content_type)
