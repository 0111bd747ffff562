"""Read queries of planning data, and the database-only checks (DESIGN §3).

Each query says what it returns; the checks' rules live in ``kinerja.core.checks``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch

from kinerja.core.achievement import Polarity
from kinerja.core.checks import (
    Finding,
    check_agreement_line,
    check_iku_in_agreement,
    check_target_series,
)
from kinerja.core.numbers import strip_zeros

from .models import (
    Agency,
    AgreementLine,
    AgreementTarget,
    Goal,
    Indicator,
    IndicatorTarget,
    PerformanceAgreement,
    StrategicPlan,
    WorkItem,
)


def work_item_label(item: WorkItem) -> str:
    """How a Renja item is named in findings and outputs: ``<code>#<position>``."""
    return f"{item.code}#{item.position}"


def work_items_for_agency(agency: Agency, *, year: int) -> list[WorkItem]:
    return list(
        WorkItem.objects.filter(agency=agency, year=year)
        .select_related("responsible_unit")
        .order_by("position")
    )


_PREFIX = re.compile(r"^(program|kegiatan|sub kegiatan)\s+", re.IGNORECASE)


def match_by_name(names: list[tuple[str, str]], items: list[WorkItem]) -> list[WorkItem | None]:
    """(level, name) pairs → Renja items of that level with the closest name, each used once
    (codes repeat and names carry typos: 'Kepergawaiuan', 'Penyelenggaran'); None where no
    name is at least 85 % alike."""
    from difflib import SequenceMatcher

    free = list(items)
    matched: list[WorkItem | None] = []
    for level, name in names:
        key = name_key(name)
        best, score = None, 0.0
        for item in free:
            if item.level != level:
                continue
            ratio = SequenceMatcher(None, key, name_key(item.name)).ratio()
            if ratio > score:
                best, score = item, ratio
        if best is not None and score >= 0.85:
            free.remove(best)
            matched.append(best)
        else:
            matched.append(None)
    return matched


def name_key(name: str) -> str:
    """A name as compared across tables: without 'Kegiatan'/'Sub Kegiatan' prefixes,
    case, punctuation and spacing."""
    name = _PREFIX.sub("", " ".join(name.split()))
    return re.sub(r"[^0-9a-z]+", "", name.casefold())


def database_findings(agency: Agency, *, year: int) -> list[Finding]:
    """Findings that need more than the evaluation form: PK vs Renja, IKU vs PK, and
    revised target series that step back."""
    found: list[Finding] = []
    lines = (
        AgreementLine.objects.filter(agreement__agency=agency, agreement__year=year)
        .select_related("work_item")
        .order_by("position")
    )
    for line in lines:
        item = line.work_item
        finding = check_agreement_line(
            row=work_item_label(item) if item else f"PK#{line.position}",
            name=line.name,
            pk_target=strip_zeros(line.target),
            pk_unit=line.target_unit,
            pk_budget=strip_zeros(line.budget),
            renja_target=strip_zeros(item.target_k) if item else None,
            renja_unit=item.unit if item else None,
            renja_budget=strip_zeros(item.budget) if item else None,
        )
        if finding:
            found.append(finding)

    indicators = list(
        Indicator.objects.filter(
            plan__agency=agency, plan__start_year__lte=year, plan__end_year__gte=year
        ).order_by("position")  # fmt: skip
    )
    agreed = list(
        AgreementTarget.objects.filter(agreement__agency=agency, agreement__year=year)
        .select_related("indicator")
        .order_by("position")
    )
    if agreed:
        finding = check_iku_in_agreement(
            iku=[i.name for i in indicators if i.is_key and i.objective_id is not None],
            agreement=[(t.indicator.name if t.indicator else t.indicator_text) for t in agreed],
        )
        if finding:
            found.append(finding)

    series: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    revised = IndicatorTarget.objects.filter(indicator__in=indicators, revised__isnull=False)
    for target in revised.order_by("year"):
        series[target.indicator_id].append((target.year, strip_zeros(target.revised)))
    for indicator in indicators:
        finding = check_target_series(
            row=indicator.name,
            name=indicator.name,
            polarity=Polarity(indicator.polarity),
            series=series.get(indicator.pk, []),
        )
        if finding:
            found.append(finding)
    return found


# ---- the planning pages (planning/views.py): a fixed number of queries per page ---------


def strategic_plans_for_agency(agency: Agency) -> list[StrategicPlan]:
    """The agency's Renstra, newest first, with goals, objectives, indicators and targets
    prefetched (five queries whatever the number of rows)."""
    indicators = Indicator.objects.select_related("scale").prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year"))
    )
    return list(
        StrategicPlan.objects.filter(agency=agency)
        .order_by("-start_year")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.prefetch_related("objectives")),
            Prefetch("indicators", queryset=indicators.order_by("position")),
        )
    )


def renja_items_for_agency(agency: Agency, *, year: int) -> list[WorkItem]:
    """The Renja items of a year in form order, each with its rencana aksi prefetched."""
    return list(
        WorkItem.objects.filter(agency=agency, year=year)
        .select_related("responsible_unit")
        .prefetch_related("action_plans")
        .order_by("position")
    )


def key_indicators_for_agency(agency: Agency, *, year: int) -> list[Indicator]:
    """The IKU of the Renstra that covers the year, with scale bands and that year's target."""
    return list(
        Indicator.objects.filter(
            plan__agency=agency, plan__start_year__lte=year, plan__end_year__gte=year,
            is_key=True,
        )
        .select_related("scale", "goal", "objective")
        .prefetch_related(
            "scale__bands",
            Prefetch("targets", queryset=IndicatorTarget.objects.filter(year=year),
                     to_attr="year_targets"),
        )
        .order_by("position")
    )  # fmt: skip


def agreement_for_agency(agency: Agency, *, year: int) -> PerformanceAgreement | None:
    """The PK of a year with its targets, lines (and their Renja items) and signatories."""
    return (
        PerformanceAgreement.objects.filter(agency=agency, year=year)
        .prefetch_related(
            Prefetch("targets", queryset=AgreementTarget.objects.select_related("indicator")),
            Prefetch("lines", queryset=AgreementLine.objects.select_related("work_item")),
            "signatories",
        )
        .first()
    )
