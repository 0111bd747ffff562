"""Read queries of planning data, and the database-only checks (DESIGN §3).

Each query says what it returns; the checks' rules live in ``kinerja.core.checks``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
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
    return label_of(item.code, item.position)


def label_of(code: str, position: int) -> str:
    """``work_item_label`` from the two columns, for queries that read plain values."""
    return f"{code}#{position}"


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
    return database_findings_by_agency([agency.pk], year=year)[agency.pk]


def database_findings_by_agency(
    agency_ids: Iterable[int], *, year: int
) -> dict[int, list[Finding]]:
    """``database_findings`` of several agencies, keyed by agency id: four queries of plain
    values for any number of agencies."""
    wanted = list(agency_ids)
    found: dict[int, list[Finding]] = {pk: [] for pk in wanted}
    lines = (
        AgreementLine.objects.filter(agreement__agency_id__in=wanted, agreement__year=year)
        .order_by("agreement__agency_id", "position")
        .values_list(
            "agreement__agency_id", "position", "name", "target", "target_unit", "budget",
            "work_item_id", "work_item__code", "work_item__position", "work_item__target_k",
            "work_item__unit", "work_item__budget_original", "work_item__budget_revised",
        )
    )  # fmt: skip
    for (agency_id, position, name, target, unit, budget, item_id, code, item_position,
         item_target, item_unit, budget_original, budget_revised) in lines:  # fmt: skip
        item_budget = budget_revised if budget_revised is not None else budget_original
        finding = check_agreement_line(
            row=label_of(code, item_position) if item_id else f"PK#{position}",
            name=name,
            pk_target=strip_zeros(target),
            pk_unit=unit,
            pk_budget=strip_zeros(budget),
            renja_target=strip_zeros(item_target) if item_id else None,
            renja_unit=item_unit if item_id else None,
            renja_budget=strip_zeros(item_budget) if item_id else None,
        )
        if finding:
            found[agency_id].append(finding)

    indicators: dict[int, list[tuple[int, str, bool, int | None, str, int | None]]] = defaultdict(
        list
    )
    for agency_id, *indicator in (
        Indicator.objects.filter(
            plan__agency_id__in=wanted, plan__start_year__lte=year, plan__end_year__gte=year
        )  # fmt: skip
        .order_by("plan__agency_id", "position")
        .values_list(
            "plan__agency_id", "pk", "name", "is_key", "objective_id", "polarity", "decimals"
        )  # fmt: skip
    ):
        indicators[agency_id].append(tuple(indicator))  # type: ignore[arg-type]
    agreed: dict[int, list[str]] = defaultdict(list)
    for agency_id, indicator, text in (
        AgreementTarget.objects.filter(agreement__agency_id__in=wanted, agreement__year=year)
        .order_by("agreement__agency_id", "position")
        .values_list("agreement__agency_id", "indicator__name", "indicator_text")
    ):
        agreed[agency_id].append(indicator or text)
    series: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    revised = IndicatorTarget.objects.filter(
        indicator__plan__agency_id__in=wanted,
        indicator__plan__start_year__lte=year,
        indicator__plan__end_year__gte=year,
        revised__isnull=False,
    ).order_by("year")
    for indicator_id, target_year, value in revised.values_list("indicator_id", "year", "revised"):
        series[indicator_id].append((target_year, strip_zeros(value)))

    for agency_id in wanted:
        own = indicators.get(agency_id, [])
        if agreed.get(agency_id):
            finding = check_iku_in_agreement(
                iku=[name for _pk, name, key, objective, *_rest in own if key and objective],
                agreement=agreed[agency_id],
            )
            if finding:
                found[agency_id].append(finding)
        for pk, name, _key, _objective, polarity, decimals in own:
            finding = check_target_series(
                row=name, name=name, polarity=Polarity(polarity), series=series.get(pk, []),
                decimals=decimals,
            )  # fmt: skip
            if finding:
                found[agency_id].append(finding)
    return found


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
