"""One path for every report: ReportData → files. The web page, the API and `kinerja report`
call ``generate``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .data import data_hash
from .renderers import Provenance, renderer_for

DOCUMENT_NAMES = {
    "form": "evaluasi-renja",
    "laporan": "laporan-kinerja",
    "pk": "perjanjian-kinerja",
}


@dataclass(frozen=True)
class GeneratedFile:
    filename: str
    content: bytes
    content_type: str
    data_hash: str
    template_hash: str


def build_report(document: str, agency: Any, *, year: int, quarter: int, signed_on: Any) -> Any:
    """The ReportData of a document: ``form``, ``laporan`` or ``pk``. An approved quarter is
    built from its snapshot and dated the day it was approved, so its files regenerate with
    the same data hash any day; ``signed_on`` dates any other quarter."""
    from django.utils import timezone

    from kinerja.record.snapshots import latest_snapshot

    snapshot = latest_snapshot(agency.pk, year=year, quarter=quarter)
    if snapshot is not None:
        signed_on = timezone.localdate(snapshot.approved_at)
    if document == "form":
        from .build import build_form_report

        return build_form_report(agency, year=year, quarter=quarter, signed_on=signed_on)
    from .build_laporan import build_agreement_report, build_quarterly_report

    builder = {"laporan": build_quarterly_report, "pk": build_agreement_report}[document]
    return builder(agency, year=year, quarter=quarter, signed_on=signed_on)


def filename_for(report: Any, extension: str) -> str:
    stem = DOCUMENT_NAMES.get(report.document, report.document)
    who = (report.agency_abbreviation or "pd").lower()
    draft = "-draf" if getattr(report, "draft", False) else ""  # a quarter not yet approved
    return f"{stem}-{who}-{report.year}-tw{report.quarter}{draft}.{extension}"


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
