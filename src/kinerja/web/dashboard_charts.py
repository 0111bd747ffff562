"""The dashboard's chart data, for ``static/kinerja/charts.js`` (drawn with the vendored
Chartist, docs/dependencies.md).

Only a reshaping of the dashboard's context, no query. Every text written on a chart is a
string the context already holds, formatted by ``kinerja.core`` (``Rp 1.443.040.145``,
``40,64 %``); the numbers next to them are floats that only set the length of a bar or the
height of a point, never shown."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.numbers import QUARTER_ROMAN as ROMAN

MILIAR = 10**9
JUTA = 10**6


def _length(value: Decimal | None) -> float | None:
    """Drawing only: the length of a bar or the height of a point."""
    return None if value is None else float(value)


def _rupiah_axis(top: Decimal) -> dict[str, Any]:
    """The unit of the budget chart's value axis, chosen from the largest figure drawn."""
    if top >= MILIAR:
        return {"title": _("miliar rupiah"), "divisor": MILIAR}
    if top >= JUTA:
        return {"title": _("juta rupiah"), "divisor": JUTA}
    return {"title": _("rupiah"), "divisor": 1}


def _realised_label(quarter: dict[str, Any]) -> str:
    pct = quarter["pct_plan"]
    return f"Rp {quarter['realised']}" + ("" if pct == "-" else f" ({pct})")


def budget_chart(quarters: list[dict[str, Any]]) -> dict[str, Any]:
    """Cumulative realisation against the cumulative cash plan, one pair of bars a quarter."""
    top = max((max(q["plan_raw"], q["real_raw"]) for q in quarters), default=Decimal(0))
    return {
        "labels": [_("s.d. TW %(r)s") % {"r": q["roman"]} for q in quarters],
        "axis": _rupiah_axis(top),
        "note": _("Persen dalam kurung: realisasi terhadap rencana anggaran kas kumulatif."),
        "series": [
            {
                "name": _("Rencana anggaran kas kumulatif"),
                "className": "kin-plan",
                "data": [
                    {"value": _length(q["plan_raw"]), "meta": f"Rp {q['plan']}"} for q in quarters
                ],
            },
            {
                "name": _("Realisasi kumulatif"),
                "className": "kin-real",
                "data": [
                    {"value": _length(q["real_raw"]), "meta": _realised_label(q)} for q in quarters
                ],
            },
        ],
    }


def trend_chart(trend: list[dict[str, Any]]) -> dict[str, Any]:
    """Average capaian K per quarter on an axis of the whole year (TW I–IV); the quarters
    after the selected one are empty."""
    points: list[dict[str, Any]] = [{"value": None, "meta": ""} for _roman in ROMAN]
    for t in trend:
        points[ROMAN.index(t["roman"])] = {"value": _length(t["value_raw"]), "meta": t["value"]}
    return {
        "labels": [_("TW %(r)s") % {"r": roman} for roman in ROMAN],
        "reference": {"value": 100, "name": _("Capaian 100 %")},
        "series": [{"name": _("Rata-rata capaian K"), "className": "kin-k", "data": points}],
    }


def chart_data(context: dict[str, Any]) -> dict[str, Any]:
    """The data of both dashboard charts, for Django's ``json_script``."""
    return {
        "budget": budget_chart(context["budget_quarters"]),
        "trend": trend_chart(context["trend"]),
    }
