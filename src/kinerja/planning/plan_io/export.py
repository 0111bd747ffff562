"""An agency's plan of a year as :class:`PlanData`, read from the database: the Renja items
in form order with their rencana aksi, and the Renstra that covers the year with its IKU
fields. ``template.write_template`` turns it into the template's XLSX; the import reads that
file back into the same PlanData (docs/plan-import.md)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from typing import Any

from kinerja.core.numbers import strip_zeros

from ..models import (
    ActionPlan,
    Agency,
    Indicator,
    IndicatorTarget,
    StrategicPlan,
    WorkItem,
)
from .model import (
    ITEM_FIELDS,
    PlanData,
    PlanItem,
    QuarterPlan,
    Renstra,
    RenstraGoal,
    RenstraIndicator,
    RenstraObjective,
    TargetYear,
)

__all__ = ["export_plan", "export_workbook", "renstra_for"]


def renstra_for(agency: Agency | int, year: int) -> StrategicPlan | None:
    """The Renstra whose period covers ``year`` (the earliest, where two overlap)."""
    agency_id = agency if isinstance(agency, int) else agency.pk
    return (
        StrategicPlan.objects.filter(agency_id=agency_id, start_year__lte=year, end_year__gte=year)
        .order_by("start_year")
        .first()
    )


def export_plan(agency: Agency, year: int) -> PlanData:
    """The agency's plan of ``year`` as PlanData (kind "template")."""
    plan = PlanData(kind="template", title_agency=agency.name, title_year=year,
                    item_fields=ITEM_FIELDS)  # fmt: skip
    plan.items = _items(agency, year)
    strategic = renstra_for(agency, year)
    if strategic is not None:
        plan.renstra = _renstra(strategic)
    return plan


def export_workbook(agency: Agency, year: int) -> bytes:
    """The template's XLSX of the agency's year. Ids and the data's hash are document
    properties only, never in cells."""
    from .template import write_template

    plan = export_plan(agency, year)
    digest = hashlib.sha256(repr(plan_signature(plan)).encode()).hexdigest()
    return write_template(
        plan,
        agency_name=agency.name,
        year=year,
        properties={
            "kinerja_agency": agency.slug,
            "kinerja_year": str(year),
            "kinerja_plan_sha256": digest,
        },
    )


def _d(value: Any) -> Decimal | None:
    return strip_zeros(value)


def _items(agency: Agency, year: int) -> list[PlanItem]:
    rows = list(
        WorkItem.objects.filter(agency=agency, year=year)
        .select_related("objective", "responsible_unit")
        .order_by("position")
    )
    quarters: dict[int, dict[int, QuarterPlan]] = defaultdict(dict)
    for plan in ActionPlan.objects.filter(work_item__agency=agency, work_item__year=year):
        if plan.target_k is None and plan.cash_plan is None:
            continue
        quarters[plan.work_item_id][plan.quarter] = QuarterPlan(
            _d(plan.target_k), _d(plan.cash_plan)
        )
    by_id: dict[int, PlanItem] = {}
    roots: list[PlanItem] = []
    for row in rows:
        item = PlanItem(
            level=row.level,  # type: ignore[arg-type]
            code=row.code,
            name=row.name,
            indicator=row.indicator,
            unit=row.unit,
            decimals=row.decimals,
            target_k=_d(row.target_k),
            target_k_upper=_d(row.target_k_upper),
            budget=_d(row.budget_original),
            polarity=row.polarity,
            aggregation=row.aggregation,
            objective_code=row.objective.code if row.objective else "",
            responsible_unit=row.responsible_unit.name if row.responsible_unit else "",
            renstra_target_k=_d(row.renstra_target_k),
            renstra_target_unit=row.renstra_target_unit,
            renstra_target_rp=_d(row.renstra_target_rp),
            renstra_realised_k=_d(row.renstra_realised_k),
            renstra_realised_unit=row.renstra_realised_unit,
            renstra_realised_rp=_d(row.renstra_realised_rp),
            quarters=dict(sorted(quarters.get(row.pk, {}).items())),
            allows_negative=row.allows_negative,
            note=row.note,
            budget_revised=_d(row.budget_revised),
            budget_revised_on=row.budget_revised_on,
            budget_revision_reason=row.budget_revision_reason,
            budget_legal_basis=row.budget_legal_basis,
        )
        by_id[row.pk] = item
        if row.indicator_of_id is not None:  # a further indicator: under its item
            host = by_id.get(row.indicator_of_id)
            if host is not None:
                host.add_more(item)
            continue
        parent = by_id.get(row.parent_id) if row.parent_id else None
        if parent is not None:
            parent.children.append(item)
        else:
            roots.append(item)
    return roots


def _renstra(strategic: StrategicPlan) -> Renstra:
    renstra = Renstra(
        strategic.start_year,
        strategic.end_year,
        revision_note=strategic.revision_note,
        serves=[o.text for o in strategic.serves.order_by("goal__mission__number", "position")],
    )
    targets: dict[int, dict[int, TargetYear]] = defaultdict(dict)
    for t in IndicatorTarget.objects.filter(indicator__plan=strategic).order_by("year"):
        targets[t.indicator_id][t.year] = TargetYear(
            original=_d(t.original),
            original_upper=_d(t.original_upper),
            revised=_d(t.revised),
            revised_upper=_d(t.revised_upper),
            revised_on=t.revised_on,
            revision_reason=t.revision_reason,
            legal_basis=t.legal_basis,
        )
    by_goal: dict[int, list[RenstraIndicator]] = defaultdict(list)
    by_objective: dict[int, list[RenstraIndicator]] = defaultdict(list)
    for ind in (
        Indicator.objects.filter(plan=strategic).select_related("scale").order_by("position")
    ):
        item = RenstraIndicator(
            name=ind.name,
            unit=ind.unit,
            decimals=ind.decimals,
            polarity=ind.polarity,
            aggregation=ind.aggregation,
            scale=ind.scale.code if ind.scale else "",
            is_key=ind.is_key,
            definition=ind.definition,
            formula=ind.formula,
            data_source=ind.data_source,
            weights=[(str(name), Decimal(str(value))) for name, value in ind.weights or []],
            allows_negative=ind.allows_negative,
            derived_from_form=ind.derived_from_form,
            targets=targets.get(ind.pk, {}),
        )
        if ind.objective_id:
            by_objective[ind.objective_id].append(item)
        else:
            by_goal[ind.goal_id].append(item)  # type: ignore[index]
    for goal in strategic.goals.order_by("number"):
        g = RenstraGoal(goal.number, goal.text, by_goal.get(goal.pk, []))
        for obj in goal.objectives.order_by("code"):
            g.objectives.append(RenstraObjective(obj.code, obj.text, by_objective.get(obj.pk, [])))
        renstra.goals.append(g)
    return renstra


def plan_signature(plan: PlanData) -> dict[str, Any]:
    """The plan as plain, comparable values (no sources, no ids): what a round trip must keep.
    Children stay in their order; quarters without a value are left out."""

    def item(i: PlanItem) -> dict[str, Any]:
        return {
            "level": i.level,
            "code": i.code,
            "name": i.name,
            "indicator": i.indicator,
            "unit": i.unit,
            "decimals": i.decimals,
            "target_k": i.target_k,
            "target_k_upper": i.target_k_upper,
            "budget": i.budget,
            "polarity": i.polarity,
            "aggregation": i.aggregation,
            "objective_code": i.objective_code,
            "responsible_unit": i.responsible_unit,
            "renstra_target": (i.renstra_target_k, i.renstra_target_unit, i.renstra_target_rp),
            "renstra_realised": (
                i.renstra_realised_k,
                i.renstra_realised_unit,
                i.renstra_realised_rp,
            ),
            "quarters": {
                q: (p.target_k, p.cash_plan)
                for q, p in sorted(i.quarters.items())
                if p.target_k is not None or p.cash_plan is not None
            },
            "allows_negative": i.allows_negative,
            "note": i.note,
            "budget_revised": (
                i.budget_revised,
                i.budget_revised_on,
                i.budget_revision_reason,
                i.budget_legal_basis,
            ),
            "more": [item(m) for m in i.more],
            "children": [item(c) for c in i.children],
        }

    def indicator(i: RenstraIndicator) -> dict[str, Any]:
        return {
            "name": i.name,
            "unit": i.unit,
            "decimals": i.decimals,
            "polarity": i.polarity,
            "aggregation": i.aggregation,
            "scale": i.scale,
            "is_key": i.is_key,
            "definition": i.definition,
            "formula": i.formula,
            "data_source": i.data_source,
            "weights": [(n, Decimal(v)) for n, v in i.weights],
            "allows_negative": i.allows_negative,
            "derived_from_form": i.derived_from_form,
            "targets": {
                y: (
                    t.original,
                    t.original_upper,
                    t.revised,
                    t.revised_upper,
                    t.revised_on,
                    t.revision_reason,
                    t.legal_basis,
                )
                for y, t in sorted(i.targets.items())
            },
        }

    renstra = None
    if plan.renstra is not None:
        r = plan.renstra
        renstra = {
            "period": (r.start_year, r.end_year),
            "revision_note": r.revision_note,
            "serves": list(r.serves),
            "goals": [
                {
                    "number": g.number,
                    "text": g.text,
                    "indicators": [indicator(i) for i in g.indicators],
                    "objectives": [
                        {
                            "code": o.code,
                            "text": o.text,
                            "indicators": [indicator(i) for i in o.indicators],
                        }
                        for o in g.objectives
                    ],
                }
                for g in r.goals
            ],
        }
    return {"items": [item(i) for i in plan.items], "renstra": renstra}
