"""The reports page of a quarter: a link for each document × format, and the files made before.
No request renders (reporting/tasks.py): a download link answers at once with a kept file made
from the same data and template, else puts one job on the task queue and answers with the
job's page, which refreshes itself (a Refresh header, no script) until a worker has made and
kept the file (GeneratedReport, through Django's storage), then gives it. The page's forms put
several files on the queue the same way and show each batch's progress."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kinerja.accounts import rules
from kinerja.accounts.models import Role
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.monitoring.models import GeneratedReport
from kinerja.planning.models import Agency
from kinerja.reporting.generate import DRAWN_IN_BUILD, build_report
from kinerja.reporting.renderers import UnsupportedFormat, load_renderers, renderer_for

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
            and not rules.reads_from_above(profile)
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


def _kept(row: GeneratedReport, content_type: str) -> FileResponse:
    return _attachment(row.file.open("rb"), row.file.name.rsplit("/", 1)[-1], content_type)


# a year's plan of more rows than this is not built in the request to look for a kept twin
# (a 10.000-row form's data took ~4,8 s to build on a loaded 2-core machine, 61 rows 0,09 s)
BUILT_IN_REQUEST_ROWS = 2000


def _up_to_date(agency: Agency, year: int, quarter: int, document: str,
                renderer) -> GeneratedReport | None:  # type: ignore[no-untyped-def]  # fmt: skip
    """A kept file made from the data and template as they are now (the same hashes), found
    without rendering; None when there is none, and for a document whose data is drawn
    (DRAWN_IN_BUILD) or a year of more than BUILT_IN_REQUEST_ROWS rows — the worker looks
    for their twin itself."""
    from kinerja.planning.models import WorkItem
    from kinerja.reporting.data import data_hash
    from kinerja.reporting.tasks import identical_file

    if document in DRAWN_IN_BUILD:
        return None
    if WorkItem.objects.filter(agency=agency, year=year).count() > BUILT_IN_REQUEST_ROWS:
        return None  # its build alone takes seconds: the worker builds it, once
    report = build_report(document, agency, year=year, quarter=quarter,
                          today=timezone.localdate())  # fmt: skip
    return identical_file(agency, year=year, quarter=quarter, document=document,
                          fmt=renderer.identifier, data_hash=data_hash(report),
                          template_hash=renderer.template_hash_for(report))  # fmt: skip


@login_required
@require_GET
def download(request: HttpRequest, agency: str, year: int, quarter: int, document: str,
             fmt: str) -> HttpResponse:  # fmt: skip
    """With ``?berkas=<id>`` the stored file of that id. Without, the file as the data is now:
    a kept one made from the same data and template at once, else a job on the task queue —
    the answer is the job's page, which shows its progress and then gives the file. A web
    process never renders."""
    from kinerja.reporting.models import ReportJob
    from kinerja.reporting.tasks import enqueue_one

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
        return _kept(stored, renderer.content_type)
    if (same := _up_to_date(found, year, quarter, document, renderer)) is not None:
        return _kept(same, renderer.content_type)
    # a job of this file still waiting (a second click, a reload) is the one to watch: it
    # builds from the data as they are when it runs
    job = (ReportJob.objects.filter(agency=found, batch__agency=found, batch__year=year,
                                    batch__quarter=quarter, document=document, format=fmt,
                                    state=ReportJob.State.QUEUED)
           .order_by("-pk").first())  # fmt: skip
    if job is None:
        batch = enqueue_one(found, year=year, quarter=quarter, document=document, fmt=fmt,
                            user=request.user)  # fmt: skip
        job = batch.jobs.get()
    return redirect("web:report_job", agency=found.slug, year=year, quarter=quarter, job=job.pk)


QUIET_AFTER = 30  # seconds a job may wait before its page says no worker seems to take it


@login_required
@require_GET
def report_job(request: HttpRequest, agency: str, year: int, quarter: int,
               job: int) -> HttpResponse:  # fmt: skip
    """One file being made: its state, refreshing itself (a Refresh header, no script) until
    the job is done — then the file, by a link and a refresh to it — or failed, with why."""
    from kinerja.reporting.models import ReportJob

    found = _readable(request, agency, year, quarter)
    row = get_object_or_404(ReportJob.objects.select_related("batch", "report"), pk=job,
                            agency=found, batch__year=year, batch__quarter=quarter)  # fmt: skip
    State = ReportJob.State
    file_url = None
    if row.state == State.DONE and row.report is not None:
        file_url = reverse("web:download", kwargs={
            "agency": found.slug, "year": year, "quarter": quarter,
            "document": row.document, "fmt": row.format}) + f"?berkas={row.report.pk}"  # fmt: skip
    waited = (timezone.now() - row.batch.created_at).total_seconds()
    context = {
        "agency": found,
        "year": year,
        "quarter": quarter,
        "quarter_roman": ROMAN[quarter - 1],
        "job": row,
        "label": DOCUMENTS.get(row.document, row.document),
        "pending": row.state in (State.QUEUED, State.RUNNING),
        "file_url": file_url,
        "filename": row.report.file.name.rsplit("/", 1)[-1] if file_url else "",
        "no_worker": row.state == State.QUEUED and waited > QUIET_AFTER,
    }
    response = render(request, "web/report_job.html", context)
    if context["pending"]:
        response["Refresh"] = "2"  # the browser asks again: progress without a script
    elif file_url:
        response["Refresh"] = f"1; url={file_url}"  # the download starts by itself
    return response
