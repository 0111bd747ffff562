"""The national and the province overviews (issue 18): every province of the country, or
every pemda of a province, for one quarter — average capaian K, predikat, budget absorption,
ranking, the quarters' states and the predikat distribution — with the drill-down country →
province → pemda (web/overview.py) → agency.

The figures are ``kinerja.rollup.quarter_rollup``'s: grouped in the database, each agency's
footer and the means above it by ``kinerja.core`` — never an agency evaluated here. Queries:
a fixed number whatever the number of provinces, pemda and agencies (10 for the national
page, 11 for a province's, computed; tests/web/test_rollup_pages.py); the tables are kept as
a fragment until the data changes (web/fragments.py), like the pemda overview's.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kinerja.accounts import rules
from kinerja.core import PREDIKAT_CAPAIAN, format_percent
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.core.numbers import format_number
from kinerja.monitoring.models import SubmissionStatus
from kinerja.planning.models import Province
from kinerja.rollup import NO_PREDIKAT, Figures, quarter_rollup

from .fragments import cached
from .views import _check_quarter

# the states in the order of the workflow's end: approved first
STATES = (SubmissionStatus.APPROVED, SubmissionStatus.VERIFIED, SubmissionStatus.SUBMITTED,
          SubmissionStatus.RETURNED, SubmissionStatus.DRAFT)  # fmt: skip
# ?urut=<key>: the sortable columns (None always last)
COLUMNS = {
    "peringkat": gettext_lazy("Peringkat"),
    "nama": gettext_lazy("Nama"),
    "capaian": gettext_lazy("Rata-rata capaian K"),
    "predikat": gettext_lazy("Predikat"),
    "serapan": gettext_lazy("Serapan anggaran"),
    "jumlah": gettext_lazy("Perangkat daerah"),
    "disahkan": gettext_lazy("Disahkan"),
}
DEFAULT_SORT = "peringkat"
NUMERIC = ("peringkat", "capaian", "serapan", "jumlah", "disahkan")
KEYS = {
    "peringkat": lambda r: r.rank,
    "nama": lambda r: r.name.casefold(),
    "capaian": lambda r: r.k,
    "predikat": lambda r: r.k,  # bands follow capaian
    "serapan": lambda r: r.rp,
    "jumlah": lambda r: r.agencies,
    "disahkan": lambda r: r.statuses.get(SubmissionStatus.APPROVED.value, 0),
}


def _n(value: int) -> str:
    return format_number(Decimal(value), 0)


def _sorted(children: list[Figures], sort: str, descending: bool) -> list[Figures]:
    key = KEYS[sort]
    present = sorted((c for c in children if key(c) is not None), key=key, reverse=descending)
    return present + [c for c in children if key(c) is None]  # no figure: always last


def _row(node: Figures, url: str | None) -> dict[str, Any]:
    """One row of a table (a province or a pemda) as shown."""
    return {
        "node": node, "name": node.name, "url": url,
        "rank": node.rank, "rank_shown": f"{node.rank}." if node.rank else "-",
        "k_shown": format_percent(node.k), "predikat_shown": node.predikat_k or "-",
        "rp_shown": format_percent(node.rp), "agencies_shown": _n(node.agencies),
        "pemda_shown": _n(len(node.children)),
        "states": [_n(node.statuses.get(s.value, 0)) for s in STATES],
    }  # fmt: skip


def _summary(node: Figures) -> dict[str, Any]:
    """The scope's own figures (the country's, the province's) and its predikat distribution
    over its agencies."""
    bands = [b.label for b in PREDIKAT_CAPAIAN.bands]
    distribution = [{"label": b, "count": _n(node.distribution.get(b, 0))} for b in bands]
    distribution.append({"label": _("Tanpa capaian (-)"),
                         "count": _n(node.distribution.get(NO_PREDIKAT, 0))})  # fmt: skip
    return {
        "k_shown": format_percent(node.k), "predikat_shown": node.predikat_k or "-",
        "rp_shown": format_percent(node.rp), "agencies_shown": _n(node.agencies),
        "cash_shown": format_percent(node.cash_absorption),
        "states": [{"label": s.label, "count": _n(node.statuses.get(s.value, 0))}
                   for s in STATES],
        "distribution": distribution,
    }  # fmt: skip


def _columns(sort: str, descending: bool) -> list[dict[str, Any]]:
    out = []
    for key, label in COLUMNS.items():
        active = key == sort
        first = "desc" if key in ("capaian", "predikat", "serapan", "jumlah", "disahkan") else "asc"
        next_dir = "asc" if active and descending else ("desc" if active else first)
        out.append({"key": key, "label": label, "active": active, "num": key in NUMERIC,
                    "href": f"?urut={key}&arah={next_dir}",
                    "aria": ("descending" if descending else "ascending") if active else None,
                    "arrow": ("▼" if descending else "▲") if active else ""})  # fmt: skip
    return out


def _sorting(request: HttpRequest) -> tuple[str, bool]:
    sort = request.GET.get("urut", DEFAULT_SORT)
    return (sort if sort in COLUMNS else DEFAULT_SORT), request.GET.get("arah") == "desc"


def _switch(name: str, year: int, quarter: int, title: Callable[[int], str],
            **kwargs: Any) -> dict[str, Any]:  # fmt: skip
    """The links to the other quarters and years of the same page (web/_period_switch.html):
    the previous and next year as (label, url, title) — ``title(year)`` names the page
    there, as its <title> does — and the quarters as (number, roman, url)."""

    def url(y: int, q: int) -> str:
        return reverse(name, kwargs={**kwargs, "year": y, "quarter": q})

    return {
        "prev": (str(year - 1), url(year - 1, quarter), title(year - 1)) if year > 2000 else None,
        "next": (str(year + 1), url(year + 1, quarter), title(year + 1)) if year < 2100 else None,
        "quarters": [(q, ROMAN[q - 1], url(year, q)) for q in range(1, 5)],
    }


def _page(year: int, quarter: int, sort: str, descending: bool) -> dict[str, Any]:
    return {
        "year": str(year), "quarter": quarter, "quarter_roman": ROMAN[quarter - 1],
        "columns": _columns(sort, descending), "sort_label": COLUMNS[sort],
        "descending": descending, "state_labels": [s.label for s in STATES],
    }  # fmt: skip


@login_required
@require_GET
def national(request: HttpRequest, year: int, quarter: int) -> HttpResponse:
    """Every province of the country."""
    _check_quarter(year, quarter)
    if not rules.can_see_national(request.user):
        raise PermissionDenied
    sort, descending = _sorting(request)
    page = {**_page(year, quarter, sort, descending),
            "switch": _switch("web:national", year, quarter, lambda y: _(
                "Ikhtisar nasional Triwulan %(q)s %(y)s") % {"q": ROMAN[quarter - 1], "y": y}),
            "crumbs": [{"label": _("Nasional"), "url": None}]}  # fmt: skip

    def tables() -> str:
        rows = quarter_rollup(year=year, quarter=quarter)
        country = rows[0]
        shown = [_row(p, reverse("web:province", kwargs={"province": p.slug, "year": year,
                                                         "quarter": quarter})
                      if p.slug else None)
                 for p in _sorted(country.children, sort, descending)]  # fmt: skip
        data = {**page, "rows": shown, "summary": _summary(country), "child_kind": "province",
                "scope_name": _("Indonesia"), "pemda_count": _n(sum(len(p.children)
                                                                   for p in country.children))}  # fmt: skip
        return render_to_string("web/_rollup_tables.html", data)

    page["tables"] = cached(("nasional", year, quarter, sort, descending), tables)
    return render(request, "web/rollup_national.html", page)


@login_required
@require_GET
def province(request: HttpRequest, province: str, year: int, quarter: int) -> HttpResponse:
    """Every pemda of a province."""
    _check_quarter(year, quarter)
    found = Province.objects.filter(code=province).first()
    if found is None:
        raise Http404(_("Provinsi ini tidak ada."))
    if not rules.can_see_province(request.user, found):
        raise PermissionDenied
    sort, descending = _sorting(request)
    crumbs = []
    if rules.can_see_national(request.user):
        crumbs.append({"label": _("Nasional"),
                       "url": reverse("web:national", kwargs={"year": year, "quarter": quarter})})  # fmt: skip
    crumbs.append({"label": found.name, "url": None})
    page = {**_page(year, quarter, sort, descending), "province": found, "crumbs": crumbs,
            "switch": _switch("web:province", year, quarter, lambda y: _(
                "Ikhtisar %(p)s Triwulan %(q)s %(y)s") % {"p": found.name, "q": ROMAN[quarter - 1],
                                                     "y": y}, province=found.code)}  # fmt: skip

    def tables() -> str:
        rows = quarter_rollup(year=year, quarter=quarter, province=found.code)
        node = rows[0] if rows else Figures("province", found.code, found.name, "id")
        shown = [_row(g, reverse("web:overview_of", kwargs={"pemda": g.slug, "year": year,
                                                            "quarter": quarter}))
                 for g in _sorted(node.children, sort, descending)]  # fmt: skip
        data = {**page, "rows": shown, "summary": _summary(node), "child_kind": "pemda",
                "scope_name": found.name, "pemda_count": _n(len(node.children))}  # fmt: skip
        return render_to_string("web/_rollup_tables.html", data)

    page["tables"] = cached(("provinsi", found.code, year, quarter, sort, descending), tables)
    return render(request, "web/rollup_province.html", page)


def overview_url_for(user: Any, *, year: int, quarter: int) -> tuple[str, str] | None:
    """The highest overview the user may see, as (label, url): the national one, the
    province's, else None (the pemda overview is in the menu on its own)."""
    if rules.can_see_national(user):
        return _("Ikhtisar nasional"), reverse("web:national", kwargs={"year": year,
                                                                      "quarter": quarter})  # fmt: skip
    code = rules.province_code_of(user)
    if code:
        return _("Ikhtisar provinsi"), reverse("web:province", kwargs={
            "province": code, "year": year, "quarter": quarter})  # fmt: skip
    return None
