"""The agency dashboard (dasbor): IKU cards, capaian per program and kegiatan, budget
absorption against the cumulative cash plan, the year-to-date trend and open findings.

Every figure comes from ``kinerja.core`` through the report builder's own pieces
(``reporting.build_laporan.iku_achievements`` and ``budget_lines``). The capaian bars are
HTML drawn here; the budget and trend charts are drawn in the browser by the vendored Chartist
(``static/kinerja/charts.js``, data from ``dashboard_charts.chart_data``), with the
Indonesian-formatted values written on them and patterns, so they read without colour; the
tables under them hold the same figures."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from kinerja.accounts import rules
from kinerja.core import (
    PREDIKAT_CAPAIAN,
    Level,
    evaluate_form,
    explain_row,
    format_number,
    format_percent,
)
from kinerja.core.evaluation import RULE_LABELS
from kinerja.core.form import indicator_label
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.monitoring.queries import form_from_input
from kinerja.planning.models import Agency
from kinerja.record.capture import input_findings
from kinerja.record.snapshots import quarter_input
from kinerja.reporting.build import finding_line
from kinerja.reporting.build_laporan import budget_lines, iku_achievements

from .dashboard_charts import chart_data
from .fragments import cached
from .reports import report_offers
from .views import _agency, _check_quarter

RATING_CLASS = {
    "Sangat Rendah": "r1",
    "Rendah": "r2",
    "Sedang": "r3",
    "Tinggi": "r4",
    "Sangat Tinggi": "r5",
}
SEVERITY = {"error": _lazy("galat"), "warning": _lazy("peringatan"), "info": _lazy("info")}
BAR_MAX = Decimal(120)  # bars are drawn on a 0–120 % axis; longer ones are clipped and marked


def _bar(value: Decimal | None) -> dict[str, Any]:
    """Width (in % of the track) of a capaian bar; the value itself is always written."""
    if value is None:
        return {"width": 0, "clipped": False}
    shown = max(Decimal(0), min(value, BAR_MAX))
    return {"width": f"{shown / BAR_MAX * 100:.1f}", "clipped": value > BAR_MAX}


def _rating(label: str | None) -> dict[str, str]:
    return {"label": label or "-", "css": RATING_CLASS.get(label or "", "r0")}


def _rows(evaluation: Any, level: Level) -> list[dict[str, Any]]:
    out = []
    for r in evaluation.rows:
        if r.row.level is not level:
            continue
        why = explain_row(r, keys=("col14.k",))
        out.append({
            "code": r.row.code, "name": indicator_label(r.row), "unit": r.row.unit or "",
            "target": format_number(r.row.year_target.k), "realised": format_number(r.col13_k),
            "capaian": format_percent(r.col14_k), "why": why["col14.k"],
            "rating": _rating(PREDIKAT_CAPAIAN.label(r.col14_k)), "bar": _bar(r.col14_k),
        })  # fmt: skip
    return out


def _iku(achievements: Any) -> list[dict[str, Any]]:
    return [
        {
            "number": a.number,
            "indicator": a.indicator,
            "statement": a.statement,
            "unit": a.unit,
            "target": format_number(a.target),
            "realisation": format_number(a.realisation),
            "capaian": format_percent(a.achievement),
            "why": a.explain,
            "rating": _rating(a.rating),
            "category": a.value_category or "-",
            "scale": a.value_scale,
            "source": a.source,
            "reported": a.realisation is not None,
            "derived": format_percent(a.derived_value) if a.derived_rule else "",
            "derived_rule": a.derived_rule,
            "derived_why": a.derived_explain,
        }  # fmt: skip
        for a in achievements
    ]


def _budget_quarter(q: int, total: Any) -> dict[str, Any]:
    plan, real = total.cash_plan, total.realised
    return {
        "quarter": q, "roman": ROMAN[q - 1], "budget": format_number(total.budget),
        "plan": format_number(plan), "realised": format_number(real),
        "pct_plan": format_percent(total.pct_of_plan), "why_plan": total.explain_plan,
        "pct_budget": format_percent(total.pct_of_budget), "why_budget": total.explain_budget,
        "plan_raw": plan or Decimal(0), "real_raw": real or Decimal(0),
    }  # fmt: skip


def dashboard_page(agency: Agency, *, year: int, quarter: int) -> dict[str, Any]:
    """The dashboard's context. A fixed number of queries per quarter 1..Q, whatever the
    number of Renja items."""
    # an approved quarter's snapshot, the live tables otherwise; holds every quarter's values
    inp = quarter_input(agency, year=year, quarter=quarter)
    form = form_from_input(inp)
    evaluations = {
        q: evaluate_form(dataclasses.replace(form, quarter=q)) for q in range(1, quarter + 1)
    }
    evaluation = evaluations[quarter]
    budgets = {q: budget_lines(inp, q, evaluations[q]) for q in evaluations}
    budget_now = budgets[quarter]
    quarters = [_budget_quarter(q, lines[-1]) for q, lines in budgets.items()]
    trend = []
    for q, ev in evaluations.items():
        k = ev.footer.k
        trend.append({
            "roman": ROMAN[q - 1], "value": format_percent(k.value), "value_raw": k.value,
            "why": k.explain(),
            "rating": _rating(k.rating), "current": q == quarter,
        })  # fmt: skip
    findings = list(evaluation.findings) + input_findings(inp)
    # a finding names its row by label (code#position): shown as the code and the row's name
    rows_by_id = {r.row.id: (r.row.code or "", r.row.name) for r in evaluation.rows}
    foot = evaluation.footer
    return {
        "agency": agency, "year": str(year), "year_number": year, "quarter": quarter,
        "quarter_roman": ROMAN[quarter - 1],
        "basis": (_("Triwulan %(q)s") % {"q": ROMAN[0]} if quarter == 1
                  else _("s.d. Triwulan %(q)s") % {"q": ROMAN[quarter - 1]}),
        "iku": _iku(iku_achievements(inp, evaluation)),
        "levels": [
            {"title": _("Program"), "rows": _rows(evaluation, Level.PROGRAM)},
            {"title": _("Kegiatan"), "rows": _rows(evaluation, Level.KEGIATAN)},
        ],
        "footer_k": format_percent(foot.k.value), "footer_k_why": foot.k.explain(),
        "footer_k_rating": _rating(foot.k.rating), "footer_k_rule": RULE_LABELS[foot.k.rule],
        "budget_lines": [
            {"program": b.program, "budget": format_number(b.budget),
             "plan": format_number(b.cash_plan), "realised": format_number(b.realised),
             "pct_plan": format_percent(b.pct_of_plan), "why_plan": b.explain_plan,
             "pct_budget": format_percent(b.pct_of_budget), "why_budget": b.explain_budget,
             "total": b.number is None}
            for b in budget_now
        ],  # fmt: skip
        "budget_quarters": quarters, "trend": trend,
        "findings": [
            {**vars(line), "severity_label": SEVERITY.get(line.severity, line.severity),
             "where": rows_by_id.get(line.row, (line.row, ""))}
            for line in map(finding_line, findings)
        ],
    }  # fmt: skip


@login_required
@require_GET
def dashboard(request: HttpRequest, agency: str, year: int, quarter: int) -> HttpResponse:
    found = _agency(agency)
    _check_quarter(year, quarter)
    if not rules.is_reader_of(request.user, found):
        raise PermissionDenied(_("Anda tidak berhak membaca dasbor perangkat daerah ini."))
    page = {"agency": found, "year": str(year), "year_number": year, "quarter": quarter,
            "quarter_roman": ROMAN[quarter - 1], "offers": report_offers()}  # fmt: skip

    def body() -> str:
        context = dashboard_page(found, year=year, quarter=quarter)
        context["charts"] = chart_data(context)
        page.update(context)  # the figures, for whoever reads the response's context
        return render_to_string("web/_dashboard_body.html", context)

    page["body"] = cached(("dasbor", found.pk, year, quarter), body)
    return render(request, "web/dashboard.html", page)
