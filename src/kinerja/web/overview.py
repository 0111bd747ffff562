"""The pemda overview: every agency of the user's pemda for one quarter — state, average
capaian by the footer rule, predikat, budget absorption — sortable and ranked.

Queries: a fixed number, whatever the number of agencies (DESIGN §5): one for the agencies
with their quarter's state, two for the evaluation forms of all of them, four for the
findings only the database can show. Each form is evaluated by ``kinerja.core`` exactly as
the agency's own pages and reports evaluate it: the same footer, the same findings.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kinerja.accounts import rules
from kinerja.core import (
    PREDIKAT_CAPAIAN,
    Evaluation,
    Level,
    evaluate_form,
    format_percent,
    percent_of,
)
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
from kinerja.monitoring.queries import evaluation_forms
from kinerja.planning.models import Agency, Government
from kinerja.planning.queries import database_findings_by_agency
from kinerja.record.capture import input_findings

from .fragments import cached
from .views import _check_quarter

STATUS_ORDER = {s.value: i for i, s in enumerate((
    SubmissionStatus.DRAFT, SubmissionStatus.RETURNED, SubmissionStatus.SUBMITTED,
    SubmissionStatus.VERIFIED, SubmissionStatus.APPROVED))}  # fmt: skip
# ?urut=<key>: the column and the value it sorts by (None always last)
COLUMNS = {
    "peringkat": gettext_lazy("Peringkat"),
    "nama": gettext_lazy("Perangkat daerah"),
    "status": gettext_lazy("Status"),
    "capaian": gettext_lazy("Rata-rata capaian K"),
    "predikat": gettext_lazy("Predikat"),
    "serapan": gettext_lazy("Serapan anggaran"),
}
DEFAULT_SORT = "peringkat"


def _figures(evaluation: Evaluation) -> dict[str, Any]:
    """Average capaian by the form's footer rule, its predikat, and absorption
    (Σ col 13 Rp ÷ Σ pagu of the program rows) — all from the core."""
    programs = [r for r in evaluation.rows if r.row.level is Level.PROGRAM]
    spent = [r.col13_rp for r in programs if r.col13_rp is not None]
    pagu = [r.row.year_target.rp for r in programs if r.row.year_target.rp is not None]
    absorption = (percent_of(sum(spent, Decimal(0)), sum(pagu, Decimal(0)))
                  if spent and pagu else None)  # fmt: skip
    k = evaluation.footer.k
    return {"capaian": k.value, "predikat": k.rating, "why": k.explain(),
            "absorption": absorption}  # fmt: skip


def pemda_overview(government: Government, *, year: int, quarter: int, sort: str = DEFAULT_SORT,
                   descending: bool = False) -> dict[str, Any]:  # fmt: skip
    """The rows of the overview, ranked by average capaian, sorted as asked, and the
    predikat distribution."""
    status = QuarterSubmission.objects.filter(agency=OuterRef("pk"), year=year, quarter=quarter)
    agencies = (
        Agency.objects.filter(government=government)
        .annotate(quarter_status=Subquery(status.values("status")[:1]))
        .order_by("name")
    )
    agencies = list(agencies)
    ids = [a.pk for a in agencies]
    frozen: dict[int, Any] = {}
    forms = evaluation_forms(ids, year=year, quarter=quarter, frozen_inputs=frozen)
    stored = database_findings_by_agency([pk for pk in ids if pk not in frozen], year=year)
    stored.update({pk: input_findings(inp) for pk, inp in frozen.items()})  # as approved
    rows = []
    for agency in agencies:
        form = forms.get(agency.pk)
        evaluation = evaluate_form(form) if form is not None else None
        has_programs = evaluation is not None and any(
            r.row.level is Level.PROGRAM for r in evaluation.rows
        )
        figures = _figures(evaluation) if evaluation is not None and has_programs else {
            "capaian": None, "predikat": None, "why": "", "absorption": None}  # fmt: skip
        findings = (len(evaluation.findings) if evaluation else 0) + len(stored[agency.pk])
        state = SubmissionStatus(agency.quarter_status or SubmissionStatus.DRAFT)
        where = {"agency": agency.slug, "year": year, "quarter": quarter}
        rows.append({"agency": agency, "status": state, "status_label": state.label,
                     "has_data": evaluation is not None, **figures, "findings": findings,
                     "url": reverse("web:quarter", kwargs=where),
                     "findings_url": reverse("web:dashboard", kwargs=where) + "#h-find"})  # fmt: skip
    # ranking: by average capaian, highest first; equal capaian share a rank; no capaian, no rank
    ranked = sorted((r for r in rows if r["capaian"] is not None), key=lambda r: -r["capaian"])
    for i, r in enumerate(ranked):
        same = i and ranked[i - 1]["capaian"] == r["capaian"]
        r["rank"] = ranked[i - 1]["rank"] if same else i + 1
    for r in rows:
        r.setdefault("rank", None)
        r["capaian_shown"] = format_percent(r["capaian"])
        r["predikat_shown"] = r["predikat"] or "-"
        r["absorption_shown"] = format_percent(r["absorption"])
    keys = {
        "peringkat": lambda r: r["rank"],
        "nama": lambda r: r["agency"].name.casefold(),
        "status": lambda r: STATUS_ORDER[r["status"].value],
        "capaian": lambda r: r["capaian"],
        "predikat": lambda r: r["capaian"],  # bands follow capaian
        "serapan": lambda r: r["absorption"],
    }
    key = keys.get(sort, keys[DEFAULT_SORT])
    present = sorted((r for r in rows if key(r) is not None), key=key, reverse=descending)
    rows = present + [r for r in rows if key(r) is None]  # no data: always last
    bands = [b.label for b in PREDIKAT_CAPAIAN.bands]
    counts = dict.fromkeys(bands, 0)
    without = 0
    for r in rows:
        if r["predikat"] in counts:
            counts[r["predikat"]] += 1
        else:
            without += 1
    distribution = [{"label": b, "count": counts[b]} for b in bands]
    distribution.append({"label": _("Tanpa capaian (-)"), "count": without})
    return {"rows": rows, "distribution": distribution}


@login_required
@require_GET
def overview(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """The overview of the user's own pemda."""
    _check_quarter(year, quarter)
    profile = rules.profile_of(request.user)
    if profile is None or not rules.can_see_overview(request.user):
        raise PermissionDenied
    return _overview_page(request, profile.government, year=year, quarter=quarter, own=True)


@login_required
@require_GET
def overview_of(request: HttpRequest, pemda: str, year: int, quarter: int) -> HttpResponse:
    """A pemda's overview reached from above (the province and national overviews), or by
    its own roles."""
    _check_quarter(year, quarter)
    government = get_object_or_404(Government.objects.select_related("province"), slug=pemda)
    if not rules.can_see_pemda_overview(request.user, government):
        raise PermissionDenied
    return _overview_page(request, government, year=year, quarter=quarter, own=False)


def _crumbs(user: Any, government: Government, year: int, quarter: int) -> list[dict[str, Any]]:
    """The way back up to the province's and the national overview, where the user sees them."""
    where = {"year": year, "quarter": quarter}
    crumbs = []
    if rules.can_see_national(user):
        crumbs.append({"label": _("Nasional"), "url": reverse("web:national", kwargs=where)})
    province = government.province
    if province is not None and rules.can_see_province(user, province):
        crumbs.append({"label": province.name, "url": reverse(
            "web:province", kwargs={"province": province.code, **where})})  # fmt: skip
    if crumbs:
        crumbs.append({"label": government.name, "url": None})
    return crumbs


def _overview_page(request: HttpRequest, government: Government, *, year: int, quarter: int,
                   own: bool) -> HttpResponse:  # fmt: skip
    sort = request.GET.get("urut", DEFAULT_SORT)
    if sort not in COLUMNS:
        sort = DEFAULT_SORT
    descending = request.GET.get("arah") == "desc"
    columns = []
    for key, label in COLUMNS.items():
        active = key == sort
        next_dir = "asc" if active and descending else ("desc" if active else _first_dir(key))
        columns.append({"key": key, "label": label, "active": active,
                        "href": f"?urut={key}&arah={next_dir}",
                        "aria": ("descending" if descending else "ascending") if active else None,
                        "arrow": ("▼" if descending else "▲") if active else ""})  # fmt: skip

    def url(y: int, q: int) -> str:
        if own:
            return reverse("web:overview", kwargs={"year": y, "quarter": q})
        return reverse("web:overview_of", kwargs={"pemda": government.slug, "year": y,
                                                  "quarter": q})  # fmt: skip

    def title(y: int) -> str:  # the page's <title> in that year
        return _("Ikhtisar pemda Triwulan %(q)s %(y)s") % {"q": ROMAN[quarter - 1], "y": y}

    switch = {  # as rollup_pages._switch
        "prev": (str(year - 1), url(year - 1, quarter), title(year - 1)) if year > 2000 else None,
        "next": (str(year + 1), url(year + 1, quarter), title(year + 1)) if year < 2100 else None,
        "quarters": [(q, ROMAN[q - 1], url(year, q)) for q in range(1, 5)],
    }
    # the late list is the own pemda's only (web.views.late)
    profile = rules.profile_of(request.user)
    late = (reverse("web:late", kwargs={"year": year, "quarter": quarter})
            if profile is not None and profile.government_id == government.pk else None)  # fmt: skip
    page = {
        "columns": columns, "government": government, "year": str(year),
        "quarter": quarter, "quarter_roman": ROMAN[quarter - 1], "sort": sort,
        "sort_label": COLUMNS[sort], "descending": descending, "late_url": late,
        "switch": switch, "crumbs": _crumbs(request.user, government, year, quarter),
    }  # fmt: skip

    def tables() -> str:
        data = pemda_overview(government, year=year, quarter=quarter, sort=sort,
                              descending=descending)  # fmt: skip
        page.update(data)  # the rows, for whoever reads the response's context
        return render_to_string("web/_overview_tables.html", {**page, **data})

    page["tables"] = cached(("ikhtisar", government.pk, year, quarter, sort, descending),
                            tables)  # fmt: skip
    return render(request, "web/overview.html", page)


def _first_dir(key: str) -> str:
    """A first click on a figure shows the best first."""
    return "desc" if key in ("capaian", "predikat", "serapan") else "asc"
