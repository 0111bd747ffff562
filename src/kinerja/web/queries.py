"""What the start page shows: each agency the user may see, its programs and their capaian
for the latest quarter with data — every figure from ``kinerja.core``."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.urls import reverse

from kinerja.accounts.rules import can_view_agency
from kinerja.core import (
    PREDIKAT_CAPAIAN,
    Level,
    evaluate_form,
    explain_row,
    format_number,
    format_percent,
)
from kinerja.core.form import Form, indicator_label
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.limits import REASON_MAX
from kinerja.monitoring.models import QuarterSubmission, Realisation, SubmissionStatus
from kinerja.monitoring.queries import evaluation_form, evaluation_forms, submission_status
from kinerja.planning.models import Agency
from kinerja.planning.queries import work_item_label
from kinerja.record.models import QuarterSnapshot
from kinerja.reporting.checklist import build_checklist


def agency_summaries(
    user: Any, needs: dict[int, tuple[int, int]] | None = None
) -> list[dict[str, Any]]:
    """Each agency the user may see, at the quarter it has to act on (``needs``: the start
    page's worklist) or else its latest quarter with data (``worklist.latest_with_data``,
    over every year: a next year's Renja without realisations does not move it), else the
    first quarter of its latest year: a fixed number of queries, whatever the number of
    agencies."""
    from kinerja.monitoring.worklist import latest_with_data

    agencies = [
        a
        for a in Agency.objects.annotate(last_year=Max("work_items__year")).order_by("name")
        if a.last_year is not None and can_view_agency(user, a)
    ]
    states = {
        (agency_id, year, quarter): state
        for agency_id, year, quarter, state in QuarterSubmission.objects.filter(
            agency__in=agencies
        ).values_list("agency_id", "year", "quarter", "status")
    }  # fmt: skip
    latest = latest_with_data(a.pk for a in agencies)
    needs = needs or {}
    where = {a.pk: needs.get(a.pk) or latest.get(a.pk) or (a.last_year, 1) for a in agencies}
    forms = {}  # per (year, quarter): an approved quarter is read from its snapshot
    for year, quarter in set(where.values()):
        forms.update(evaluation_forms([pk for pk, yq in where.items() if yq == (year, quarter)],
                                      year=year, quarter=quarter))  # fmt: skip
    out = []
    for agency in agencies:
        year, quarter = where[agency.pk]
        form = forms.get(agency.pk) or Form(year=year, quarter=quarter, rows=())
        evaluation = evaluate_form(dataclasses.replace(form, quarter=quarter))
        programs = [
            {
                "code": r.row.code,
                "name": indicator_label(r.row),
                "target": format_number(r.row.year_target.k),
                "realised": format_number(r.col13_k),
                "capaian": format_percent(r.col14_k),
                "why": explain_row(r, keys=("col14.k",))["col14.k"],
                "rating": evaluation_scale_label(r.col14_k),
                "budget": format_number(r.row.year_target.rp),
                "spent": format_number(r.col13_rp),
                "capaian_rp": format_percent(r.col14_rp),
            }
            for r in evaluation.rows
            if r.row.level is Level.PROGRAM
        ]
        foot = evaluation.footer
        state = SubmissionStatus(states.get((agency.pk, year, quarter), SubmissionStatus.DRAFT))
        out.append(
            {
                "agency": agency,
                "url": reverse(
                    "web:quarter", kwargs={"agency": agency.slug, "year": year, "quarter": quarter}
                ),  # fmt: skip
                "year": str(year),  # a year, not a number: no thousands dot
                "quarter_roman": ROMAN[quarter - 1],
                "status": state.label,
                "programs": programs,
                "footer_k": format_percent(foot.k.value),
                "footer_k_rating": foot.k.rating or "-",
                "footer_k_why": foot.k.explain(),
                "footer_rp": format_percent(foot.rp.value),
                "footer_rp_why": foot.rp.explain(),
            }
        )
    return out


def evaluation_scale_label(value: Any) -> str:
    return PREDIKAT_CAPAIAN.label(value) or "-"


def _report_date(agency: Agency, *, year: int, quarter: int) -> dict[str, Any]:
    """The date the quarter's documents carry (``reporting.generate.report_date``), written
    as they print it, and the date the operator set (None: the default)."""
    from django.utils import timezone

    from kinerja.monitoring.models import QuarterSubmission
    from kinerja.reporting.dates import indonesian_date
    from kinerja.reporting.generate import report_date

    day = report_date(agency, year=year, quarter=quarter, today=timezone.localdate())
    own = (
        QuarterSubmission.objects.filter(agency=agency, year=year, quarter=quarter)
        .values_list("report_date", flat=True)
        .first()
    )
    return {"report_date": indonesian_date(day), "report_date_set": own}


def _count(n: int) -> str:
    return format_number(Decimal(n))


def quarter_page(user: Any, agency: Agency, *, year: int, quarter: int) -> dict[str, Any]:
    """The quarter's page: state, the actions this user may take, the timeline, the rows
    with their figures from the core and the verifier's notes."""
    from kinerja.accounts import rules
    from kinerja.monitoring import workflow
    from kinerja.monitoring.models import Evidence, RowNote

    status = submission_status(agency, year=year, quarter=quarter)
    evaluation = evaluate_form(evaluation_form(agency, year=year, quarter=quarter))
    items = {
        work_item_label(i): i for i in agency.work_items.filter(year=year).only(
            "pk", "code", "position")
    }  # fmt: skip
    realised = dict(
        Realisation.objects.filter(work_item__agency=agency, work_item__year=year,
                                   quarter=quarter).values_list("work_item_id", "pk")
    )  # fmt: skip
    evidence: dict[int, list[Any]] = {}  # every reader may open them (texts:evidence_file)
    for e in Evidence.objects.filter(realisation__work_item__agency=agency,
                                     realisation__work_item__year=year,
                                     realisation__quarter=quarter
                                     ).select_related("realisation").order_by("uploaded_at", "pk"):  # fmt: skip
        evidence.setdefault(e.realisation.work_item_id, []).append(e)
    notes: dict[int, list[Any]] = {}
    for n in RowNote.objects.filter(work_item__agency=agency, year=year, quarter=quarter
                                    ).select_related("author", "replied_by", "done_by"):  # fmt: skip
        notes.setdefault(n.work_item_id, []).append(n)
    rows = []
    for r in evaluation.rows:
        item = items.get(r.row.id)
        rows.append({
            "pk": item.pk if item else None, "code": r.row.code, "name": r.row.name,
            "level": r.row.level.value, "target": format_number(r.row.year_target.k),
            "unit": r.row.unit or "", "realised_k": format_number(r.row.quarters[quarter - 1].k),
            "realised_rp": format_number(r.row.quarters[quarter - 1].rp),
            "capaian": format_percent(r.col14_k), "why": explain_row(r)["col14.k"],
            "realisation_pk": realised.get(item.pk) if item else None,
            "notes": notes.get(item.pk, []) if item else [],
            "evidence": evidence.get(item.pk, []) if item else [],
        })  # fmt: skip
    may = {
        "submit": rules.can_submit(user, agency) and status in ("draft", "returned"),
        "return": rules.can_verify(user, agency) and status == "submitted",
        "verify": rules.can_verify(user, agency) and status == "submitted",
        "approve": rules.can_approve(user, agency) and status == "verified",
        "reopen": rules.can_reopen(user, agency) and status != "draft",
        "note": rules.can_note(user, agency),
        "report_date": rules.can_submit(user, agency) and status in ("draft", "returned"),
    }
    checklist = build_checklist(agency, year, quarter)  # the Lembar Pemeriksaan panel
    blocking = len(checklist.blocking)
    return {
        **_report_date(agency, year=year, quarter=quarter),
        "checklist": checklist, "reason_max": REASON_MAX,
        "checklist_count": {"total": _count(len(checklist.items)), "blocking": _count(blocking),
                            "other": _count(len(checklist.items) - blocking)},
        "agency": agency, "year": str(year), "year_number": year, "quarter": quarter,
        "quarter_roman": ROMAN[quarter - 1], "status": status, "may": may,
        "timeline": workflow.timeline(agency, year=year, quarter=quarter), "rows": rows,
        "snapshots": list(
            QuarterSnapshot.objects.filter(agency=agency, year=year, quarter=quarter)
            .select_related("approved_by").order_by("-sequence")
        ),
    }  # fmt: skip
