"""What the start page shows: each agency the user may see, its programs and their capaian
for the latest quarter with data — every figure from ``kinerja.core``."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from kinerja.accounts.rules import can_view_agency
from kinerja.core import (
    PREDIKAT_CAPAIAN,
    Level,
    evaluate_form,
    explain_row,
    format_number,
    format_percent,
)
from kinerja.monitoring.queries import (
    evaluation_form,
    latest_quarter_with_data,
    submission_status,
)
from kinerja.planning.models import Agency

ROMAN = ("I", "II", "III", "IV")


def agency_summaries(user: Any) -> list[dict[str, Any]]:
    agencies = Agency.objects.annotate(last_year=Max("work_items__year")).order_by("name")
    out = []
    for agency in agencies:
        if agency.last_year is None or not can_view_agency(user, agency):
            continue
        year = agency.last_year
        quarter = latest_quarter_with_data(agency, year=year)
        evaluation = evaluate_form(evaluation_form(agency, year=year, quarter=quarter))
        programs = [
            {
                "code": r.row.code,
                "name": r.row.name,
                "target": format_number(r.row.year_target.k),
                "realised": format_number(r.col13_k),
                "capaian": format_percent(r.col14_k),
                "why": explain_row(r)["col14.k"],
                "rating": evaluation_scale_label(r.col14_k),
                "budget": format_number(r.row.year_target.rp),
                "spent": format_number(r.col13_rp),
                "capaian_rp": format_percent(r.col14_rp),
            }
            for r in evaluation.rows
            if r.row.level is Level.PROGRAM
        ]
        foot = evaluation.footer
        out.append(
            {
                "agency": agency,
                "year": str(year),  # a year, not a number: no thousands dot
                "quarter_roman": ROMAN[quarter - 1],
                "status": submission_status(agency, year=year, quarter=quarter).label,
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
