"""One path for every report: ReportData → files. The web page, the API and `kinerja report`
call ``generate``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .data import data_hash
from .renderers import Provenance, renderer_for

DOCUMENT_NAMES = {
    "form": "evaluasi-renja",
    "laporan": "laporan-kinerja",
    "pk": "perjanjian-kinerja",
    "pemeriksaan": "lembar-pemeriksaan",
}

# documents whose build_report draws (the quarterly report's charts, with matplotlib): their
# data — the charts' bytes are part of the data hash — is built only where files are rendered,
# in a task worker, never in a web request (web/reports.py)
DRAWN_IN_BUILD = frozenset({"laporan"})


@dataclass(frozen=True)
class GeneratedFile:
    filename: str
    content: bytes
    content_type: str
    data_hash: str
    template_hash: str


def report_date(agency: Any, *, year: int, quarter: int, today: date) -> date:
    """The date a quarter's documents are signed: the date set for the quarter (frozen in the
    approved snapshot of an approved quarter), else the approval date once approved, else the
    reporting period's closing date, else ``today``."""
    from django.utils import timezone

    from kinerja.monitoring.models import QuarterSubmission, ReportingPeriod
    from kinerja.record.snapshots import latest_snapshot

    snapshot = latest_snapshot(agency.pk, year=year, quarter=quarter)
    if snapshot is not None:  # the payload's date (capture.from_json reads it the same way)
        frozen = snapshot.payload.get("report_date")
        return date.fromisoformat(frozen) if frozen else timezone.localdate(snapshot.approved_at)
    chosen = (
        QuarterSubmission.objects.filter(agency=agency, year=year, quarter=quarter)
        .values_list("report_date", flat=True)
        .first()
    )
    if chosen:
        return chosen
    period = ReportingPeriod.objects.filter(
        government_id=agency.government_id, year=year, quarter=quarter
    ).first()
    return period.closes_on if period is not None else today


def build_report(document: str, agency: Any, *, year: int, quarter: int,
                 signed_on: date | None = None, today: date | None = None) -> Any:  # fmt: skip
    """The ReportData of a document: ``form``, ``laporan``, ``pk`` or ``pemeriksaan`` (the
    pre-signing checklist, ``reporting.checklist``). An approved quarter is
    built from its snapshot and dated by it (``report_date``: its date is part of the record,
    so its files regenerate with the same data hash any day); any other quarter is dated
    ``signed_on`` when given (``kinerja report --tanggal``), else by ``report_date``. The PK
    carries the agreement's own signing date where the agreement has one."""
    from django.utils import timezone

    from kinerja.record.snapshots import latest_snapshot

    if signed_on is None or latest_snapshot(agency.pk, year=year, quarter=quarter) is not None:
        signed_on = report_date(agency, year=year, quarter=quarter,
                                today=today or timezone.localdate())  # fmt: skip
    if document == "pemeriksaan":  # the pre-signing checklist of the quarter
        from .checklist import build_checklist

        return build_checklist(agency, year, quarter, signed_on=signed_on)
    if document == "form":
        from .build import build_form_report

        return build_form_report(agency, year=year, quarter=quarter, signed_on=signed_on)
    from .build_laporan import build_agreement_report, build_quarterly_report

    builder = {"laporan": build_quarterly_report, "pk": build_agreement_report}[document]
    return builder(agency, year=year, quarter=quarter, signed_on=signed_on)


def filename_for(report: Any, extension: str) -> str:
    """``evaluasi-renja-bkpsdm-2024-tw1.pdf``; the PK, annual, by year only:
    ``perjanjian-kinerja-bkpsdm-2024.pdf``; a draft ends in ``-draf``:
    ``laporan-kinerja-bkpsdm-2024-tw2-draf.pdf``."""
    stem = DOCUMENT_NAMES.get(report.document, report.document)
    who = (report.agency_abbreviation or "pd").lower()
    period = f"{report.year}" if report.document == "pk" else f"{report.year}-tw{report.quarter}"
    draft = "-draf" if getattr(report, "draft", False) else ""  # a quarter not yet approved
    return f"{stem}-{who}-{period}{draft}.{extension}"


def generate(
    report: Any,
    formats: Sequence[str],
    *,
    progress: Callable[[int, int, str], None] | None = None,
    paper: str | None = None,
) -> list[GeneratedFile]:
    """Render ``report`` in each format; ``progress(done, total, what)`` after each file.
    ``paper`` (a3, f4, a4) overrides each format's own default (XLSX F4, PDF A3).
    An unsupported format raises ``UnsupportedFormat`` before anything is rendered."""
    options = {} if paper is None else {"paper": paper}
    renderers = [renderer_for(report.document, fmt) for fmt in formats]
    digest = data_hash(report)
    out = []
    for i, renderer in enumerate(renderers, start=1):
        name = filename_for(report, renderer.extension)
        if progress:
            progress(i - 1, len(renderers), name)
        provenance = Provenance(data_hash=digest, template_hash=renderer.template_hash_for(report))
        content = renderer.render(report, provenance=provenance, **options)
        out.append(GeneratedFile(name, content, renderer.content_type, digest,
                                 provenance.template_hash))  # fmt: skip
        if progress:
            progress(i, len(renderers), name)
    return out
