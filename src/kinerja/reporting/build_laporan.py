"""Database → the quarterly report (Laporan Capaian Kinerja Triwulan) and the PK document.

Every figure is computed by ``kinerja.core``; the explanatory paragraphs are drafted by
``kinerja.core.narrative``; charts are drawn once here and reused by every format.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F

from kinerja.core.achievement import Polarity, Target, achievement, explain_achievement, percent_of
from kinerja.core.evaluation import RULE_LABELS, evaluate_form, footer
from kinerja.core.form import AverageRule, Level
from kinerja.core.narrative import iku_paragraph
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.core.numbers import format_number
from kinerja.core.scales import PREDIKAT_CAPAIAN, SCALES
from kinerja.monitoring.models import IndicatorRealisation, Narrative, Realisation
from kinerja.monitoring.queries import evaluation_form
from kinerja.planning.models import (
    ActionPlan,
    Agency,
    AgreementLine,
    AgreementTarget,
    Indicator,
    IndicatorTarget,
    PerformanceAgreement,
    RpjmdObjective,
    Signatory,
    StrategicPlan,
    WorkItem,
)
from kinerja.planning.queries import database_findings, label_of

from . import charts, texts
from .build import build_form_report, finding_line
from .data import (
    ActionPlanLine,
    AgreementProgramLine,
    AgreementReport,
    AgreementTargetLine,
    BudgetLine,
    FactorLine,
    IkuAchievement,
    IkuSheet,
    QuarterlyReport,
    Signature,
    TargetSeries,
)


def word_template(agency: Agency, document: str) -> bytes | None:
    """The agency's own Word template for a document, else its pemda's, else None (the
    template Kinerja ships). Read through Django's storage API."""
    from kinerja.planning.models import ReportTemplate

    found = (
        ReportTemplate.objects.filter(government_id=agency.government_id, document=document)
        .filter(models.Q(agency=agency) | models.Q(agency=None))
        .order_by(F("agency_id").asc(nulls_last=True))
        .first()
    )
    if found is None:
        return None
    with found.file.open("rb") as fh:
        content: bytes = fh.read()
    return content


def _stored(agency: Agency, year: int, quarter: int, kind: str) -> tuple[str, ...]:
    return tuple(
        Narrative.objects.filter(
            agency=agency, year=year, quarter=quarter, kind=kind, indicator=None, work_item=None
        )  # fmt: skip
        .order_by("position")
        .values_list("text", flat=True)
    )


def strategic_plan(agency: Agency, year: int) -> StrategicPlan | None:
    return StrategicPlan.objects.filter(agency=agency, start_year__lte=year,
                                        end_year__gte=year).first()  # fmt: skip


def _scale_bands(code: str) -> tuple[tuple[str, str], ...]:
    scale = SCALES.get(code)
    if scale is None:
        return ()
    return tuple((band.label, scale.describe(band)) for band in scale.bands)


def _signature(agency: Agency, year: int, party: str, signed_on: date, fallback: str) -> Signature:
    s = Signatory.objects.filter(agreement__agency=agency, agreement__year=year,
                                 party=party).first()  # fmt: skip
    return Signature(
        place=agency.government.region,
        signed_on=signed_on,
        title=s.title if s else fallback,
        name=s.name if s else "",
        nip=s.nip if s else "",
        rank=s.rank if s else "",
        acting=s.acting if s else "",
    )


def _targets(plan: StrategicPlan | None) -> tuple[tuple[TargetSeries, ...], tuple[int, ...]]:
    if plan is None:
        return (), ()
    indicators = Indicator.objects.filter(plan=plan).select_related("goal", "objective__goal")
    rows, years = [], set()
    by_indicator: dict[int, list[IndicatorTarget]] = {}
    for t in IndicatorTarget.objects.filter(indicator__plan=plan).order_by("year"):
        by_indicator.setdefault(t.indicator_id, []).append(t)
        years.add(t.year)
    for ind in indicators.order_by("position"):
        own = by_indicator.get(ind.pk, [])
        if ind.objective:
            level, number, statement = "sasaran", ind.objective.code, ind.objective.text
        else:
            level, number, statement = "tujuan", str(ind.goal.number), ind.goal.text
        rows.append(TargetSeries(
            level=level, number=number, statement=statement, indicator=ind.name, unit=ind.unit,
            original=tuple((t.year, t.original) for t in own),
            revised=tuple((t.year, t.revised) for t in own),
        ))  # fmt: skip
    return tuple(rows), tuple(sorted(years))


def _iku(plan: StrategicPlan | None) -> tuple[IkuSheet, ...]:
    if plan is None:
        return ()
    out = []
    keys = Indicator.objects.filter(plan=plan, is_key=True).select_related(
        "goal", "objective", "scale"
    )
    for n, ind in enumerate(keys.order_by("position"), start=1):
        out.append(IkuSheet(
            number=n, level="sasaran" if ind.objective else "tujuan",
            statement=ind.objective.text if ind.objective else ind.goal.text,
            indicator=ind.name, unit=ind.unit, definition=ind.definition, formula=ind.formula,
            data_source=ind.data_source,
            weights=tuple((k, int(v)) for k, v in ind.weights or ()),
            scale_name=ind.scale.name if ind.scale else "",
            scale_bands=_scale_bands(ind.scale.code) if ind.scale else (),
        ))  # fmt: skip
    return tuple(out)


def iku_achievements(plan: StrategicPlan | None, year: int, quarter: int,
                  evaluation: Any) -> tuple[IkuAchievement, ...]:  # fmt: skip
    if plan is None:
        return ()
    realised = {
        r.indicator_id: r
        for r in IndicatorRealisation.objects.filter(
            indicator__plan=plan, year=year, quarter__lte=quarter
        ).order_by("quarter")  # fmt: skip
    }
    targets = {t.indicator_id: t for t in IndicatorTarget.objects.filter(indicator__plan=plan,
                                                                          year=year)}  # fmt: skip
    out = []
    keys = Indicator.objects.filter(plan=plan, is_key=True).select_related(
        "goal", "objective", "scale"
    )
    for n, ind in enumerate(keys.order_by("position"), start=1):
        t = targets.get(ind.pk)
        value = t.current if t else None
        upper = (
            (t.revised_upper if t and t.revised is not None else t.original_upper) if t else None
        )
        target = None if value is None else Target(value, upper)
        r = realised.get(ind.pk)
        actual = r.value if r else None
        polarity = Polarity(ind.polarity)
        capaian = achievement(target=target, actual=actual, polarity=polarity)
        rating = PREDIKAT_CAPAIAN.label(capaian)
        scale = SCALES.get(ind.scale.code) if ind.scale else None
        derived_rule, derived_value, derived_explain = "", None, ""
        if ind.derived_from_form:
            rule = AverageRule(ind.derived_from_form)
            figure = footer(evaluation.rows, rule_k=rule).k
            derived_rule, derived_value = RULE_LABELS[rule], figure.value
            derived_explain = figure.explain()
        note = r.note if r else ""
        out.append(IkuAchievement(
            number=n, statement=ind.objective.text if ind.objective else ind.goal.text,
            indicator=ind.name, unit=ind.unit, target=value, realisation=actual,
            achievement=capaian, rating=rating,
            value_category=scale.label(actual) if scale else None,
            value_scale=scale.name if scale else "",
            source=(r.source if r else "") or ind.data_source,
            explain=explain_achievement(target=target, actual=actual, polarity=polarity),
            paragraph=iku_paragraph(
                indicator=ind.name, year=year, target=value, realisation=actual,
                achievement=capaian, rating=rating,
                note=note if actual is not None else "",
                reason_missing=note if actual is None else "",
            ),
            derived_rule=derived_rule, derived_value=derived_value,
            derived_explain=derived_explain,
        ))  # fmt: skip
    return tuple(out)


def budget_lines(
    agency: Agency, year: int, quarter: int, evaluation: Any
) -> tuple[BudgetLine, ...]:
    programs = [r for r in evaluation.rows if r.row.level is Level.PROGRAM]
    items = {
        label_of(code, position): (pk, objective or "", responsible or "")
        for pk, code, position, objective, responsible in WorkItem.objects.filter(
            agency=agency, year=year, level="program"
        ).values_list("pk", "code", "position", "objective__text", "responsible_unit__name")
    }  # fmt: skip
    plans: dict[int, Decimal] = {}
    for item_id, cash_plan in ActionPlan.objects.filter(
        work_item_id__in=[pk for pk, _o, _r in items.values()], quarter__lte=quarter
    ).values_list("work_item_id", "cash_plan"):  # fmt: skip
        if cash_plan is not None:
            plans[item_id] = plans.get(item_id, Decimal(0)) + cash_plan
    basis = f"TW {ROMAN[0]}" if quarter == 1 else f"s.d. TW {ROMAN[quarter - 1]}"
    lines, totals = [], [Decimal(0), Decimal(0), Decimal(0)]
    for n, r in enumerate(programs, start=1):
        pk, objective, responsible = items.get(r.row.id, (None, "", ""))
        plan = plans.get(pk) if pk is not None else None
        pagu, real = r.row.year_target.rp, r.col13_rp
        for i, v in enumerate((pagu, plan, real)):
            totals[i] += v or 0
        lines.append(_budget_line(n, objective, r.row.name, pagu, plan, real, basis,
                                  responsible))  # fmt: skip
    lines.append(_budget_line(None, "", "Jumlah total", *totals, basis, ""))
    return tuple(lines)


def _budget_line(number: int | None, objective: str, program: str, pagu: Decimal | None,
                 plan: Decimal | None, real: Decimal | None, basis: str,
                 responsible: str) -> BudgetLine:  # fmt: skip
    of_plan, of_pagu = percent_of(real, plan), percent_of(real, pagu)
    return BudgetLine(
        number=number, objective=objective, program=program, budget=pagu, cash_plan=plan,
        realised=real, pct_of_plan=of_plan, pct_of_budget=of_pagu, responsible=responsible,
        explain_plan=f"realisasi {basis} ÷ rencana anggaran kas {basis} × 100 = "
        f"{format_number(real)} ÷ {format_number(plan)} × 100",
        explain_budget=f"realisasi {basis} ÷ pagu × 100 = {format_number(real)} ÷ "
        f"{format_number(pagu)} × 100",
    )  # fmt: skip


def _action_plan(agency: Agency, year: int, quarter: int) -> tuple[ActionPlanLine, ...]:
    plans = (
        ActionPlan.objects.filter(
            work_item__agency=agency, work_item__year=year, quarter=quarter, target_k__isnull=False
        )  # fmt: skip
        .select_related("work_item")
        .order_by("work_item__position")
    )
    real = {
        r.work_item_id: r.value_k
        for r in Realisation.objects.filter(
            work_item__agency=agency, work_item__year=year, quarter=quarter
        )  # fmt: skip
    }
    out = []
    for p in plans:
        item = p.work_item
        got = real.get(item.pk)
        value = achievement(target=Target(p.target_k), actual=got, polarity=Polarity(item.polarity))
        out.append(ActionPlanLine(item.code, item.name, item.unit, p.target_k, got, value,
                                  PREDIKAT_CAPAIAN.label(value)))  # fmt: skip
    return tuple(out)


def _factors(agency: Agency, year: int, quarter: int) -> tuple[tuple[FactorLine, ...], ...]:
    rows = (
        Narrative.objects.filter(
            agency=agency, year=year, quarter=quarter, kind__in=("supporting", "inhibiting")
        )  # fmt: skip
        .select_related("indicator", "work_item")
        .order_by(
            F("indicator__position").asc(nulls_last=True),
            F("work_item__position").asc(nulls_last=True),
            "kind",
            "position",
        )  # fmt: skip
    )
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for n in rows:
        kind = "indicator" if n.indicator_id else "program" if n.work_item_id else ""
        if not kind:
            continue
        subject = n.indicator.name if n.indicator else n.work_item.name
        g = groups.setdefault((kind, subject), {"supporting": [], "inhibiting": [],
                                                "responsible": n.responsible})  # fmt: skip
        g[n.kind].append(n.text)
    made = {"indicator": [], "program": []}  # type: dict[str, list[FactorLine]]
    for (kind, subject), g in groups.items():
        made[kind].append(FactorLine(subject, tuple(g["supporting"]), tuple(g["inhibiting"]),
                                     g["responsible"]))  # fmt: skip
    return tuple(made["indicator"]), tuple(made["program"])


def _budget_chart(agency: Agency, year: int, quarter: int) -> Any:
    plans = ActionPlan.objects.filter(work_item__agency=agency, work_item__year=year,
                                      work_item__level="program")  # fmt: skip
    spent = Realisation.objects.filter(work_item__agency=agency, work_item__year=year,
                                       work_item__level="program")  # fmt: skip
    per_plan = {q: Decimal(0) for q in range(1, 5)}
    per_real = {q: Decimal(0) for q in range(1, 5)}
    for p in plans:
        per_plan[p.quarter] += p.cash_plan or 0
    for r in spent:
        per_real[r.quarter] += r.value_rp or 0
    rows, plan_sum, real_sum = [], Decimal(0), Decimal(0)
    for q in range(1, quarter + 1):
        plan_sum += per_plan[q]
        real_sum += per_real[q]
        rows.append((f"TW {ROMAN[q - 1]}", plan_sum, real_sum))
    return charts.budget_by_quarter(rows, year=year)


def build_quarterly_report(agency: Agency, *, year: int, quarter: int,
                           signed_on: date) -> QuarterlyReport:  # fmt: skip
    """The whole Laporan Capaian Kinerja Triwulan of an agency's quarter."""
    government = agency.government
    plan = strategic_plan(agency, year)
    evaluation = evaluate_form(evaluation_form(agency, year=year, quarter=quarter))
    form = build_form_report(agency, year=year, quarter=quarter, signed_on=signed_on)
    missions = tuple(government.missions.order_by("number").values_list("text", flat=True))
    served = (
        RpjmdObjective.objects.filter(strategicplan=plan).select_related("goal__mission")
        .order_by("position") if plan else RpjmdObjective.objects.none()
    )  # fmt: skip
    first = served[0] if served else None
    targets, years = _targets(plan)
    agreement = PerformanceAgreement.objects.filter(agency=agency, year=year).first()
    by_indicator, by_program = _factors(agency, year, quarter)
    programs = [(r.row.name, r.col14_k) for r in evaluation.rows if r.row.level is Level.PROGRAM]
    q = ROMAN[quarter - 1]
    head = f"Kepala {agency.name}"
    return QuarterlyReport(
        government=government.name, region=government.region, agency=agency.name,
        agency_abbreviation=agency.abbreviation, year=year, quarter=quarter,
        plan_period=f"{plan.start_year}–{plan.end_year}" if plan else "",
        vision=government.vision, missions=missions,
        supported_mission=first.goal.mission.number if first else None,
        rpjmd_goal=first.goal.text if first else "",
        rpjmd_objectives=tuple((o.text, o.indicator) for o in served),
        foreword=_stored(agency, year, quarter, "foreword") or texts.foreword(agency.name,
                                                                              quarter, year),
        background=_stored(agency, year, quarter, "background") or texts.background(agency.name),
        purposes=texts.purposes(agency.name, quarter, year),
        closing=_stored(agency, year, quarter, "closing") or texts.closing(agency.name, quarter,
                                                                           year),
        targets=targets, target_years=years,
        revision_note=plan.revision_note if plan else "",
        iku=_iku(plan),
        agreement_targets=tuple(
            AgreementTargetLine(t.position, t.objective_text, t.indicator_text, t.target,
                                t.indicator.unit if t.indicator else "")
            for t in AgreementTarget.objects.filter(agreement=agreement)
            .select_related("indicator").order_by("position")
        ),
        agreement_lines=tuple(
            AgreementProgramLine(ln.level, ln.name, ln.indicator_text, ln.target, ln.target_unit,
                                 ln.budget)
            for ln in AgreementLine.objects.filter(agreement=agreement).order_by("position")
        ),
        predikat_scale=_scale_bands("predikat_capaian"),
        achievements=iku_achievements(plan, year, quarter, evaluation),
        budget=budget_lines(agency, year, quarter, evaluation),
        budget_basis=f"TW {q}" if quarter == 1 else f"s.d. TW {q}",
        action_plan=_action_plan(agency, year, quarter),
        factors_by_indicator=by_indicator, factors_by_program=by_program,
        recommendations=tuple(
            Narrative.objects.filter(agency=agency, year=year, quarter=quarter,
                                     kind="recommendation").order_by("position")
            .values_list("text", flat=True)
        ),
        charts=(
            charts.achievement_by_program(programs, period=f"Triwulan {q} {year}"),
            _budget_chart(agency, year, quarter),
        ),
        findings=form.findings + tuple(finding_line(f) for f in database_findings(agency, year=year)),
        signature=_signature(agency, year, "first", signed_on, head),
        form=form,
        word_template=word_template(agency, "laporan"),
    )  # fmt: skip


def build_agreement_report(agency: Agency, *, year: int, quarter: int,
                           signed_on: date) -> AgreementReport:  # fmt: skip
    """The PK document: the agreement text, sasaran/indikator/target, programs with pagu."""
    government = agency.government
    agreement = PerformanceAgreement.objects.filter(agency=agency, year=year).first()
    head = _signature(agency, year, "first", agreement.signed_on if agreement and
                      agreement.signed_on else signed_on, f"Kepala {agency.name}")  # fmt: skip
    regent = _signature(agency, year, "second", head.signed_on, f"Bupati {government.region}")
    programs = tuple(
        AgreementProgramLine(ln.level, ln.name, ln.indicator_text, ln.target, ln.target_unit,
                             ln.budget)
        for ln in AgreementLine.objects.filter(agreement=agreement, level="program")
        .order_by("position")
    )  # fmt: skip
    total = sum((p.budget for p in programs if p.budget is not None), Decimal(0))
    return AgreementReport(
        government=government.name, region=government.region, agency=agency.name,
        agency_abbreviation=agency.abbreviation, year=year, quarter=quarter,
        paragraphs=texts.agreement(agency.name, head.title, regent.title, year),
        targets=tuple(
            AgreementTargetLine(t.position, t.objective_text, t.indicator_text, t.target,
                                t.indicator.unit if t.indicator else "")
            for t in AgreementTarget.objects.filter(agreement=agreement)
            .select_related("indicator").order_by("position")
        ),
        programs=programs, total_budget=total if programs else None,
        first_party=head, second_party=regent,
        word_template=word_template(agency, "pk"),
    )  # fmt: skip
