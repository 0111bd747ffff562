"""Database → the quarterly report (Laporan Capaian Kinerja Triwulan) and the PK document.

Every figure is computed by ``kinerja.core``; the explanatory paragraphs are drafted by
``kinerja.core.narrative``; charts are drawn once here and reused by every format.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F

from kinerja.core.achievement import Polarity, Target, achievement, explain_achievement, percent_of
from kinerja.core.evaluation import RULE_LABELS, evaluate_form, footer
from kinerja.core.form import AverageRule, Level, indicator_label
from kinerja.core.narrative import iku_paragraph
from kinerja.core.numbers import QUARTER_ROMAN as ROMAN
from kinerja.core.numbers import format_number
from kinerja.core.revisions import quarter_end
from kinerja.core.scales import PREDIKAT_CAPAIAN, SCALES
from kinerja.monitoring.queries import form_from_input
from kinerja.planning.models import Agency, Indicator, RpjmdObjective, StrategicPlan
from kinerja.planning.queries import label_of
from kinerja.record.capture import IndicatorInput, QuarterInput, input_findings
from kinerja.record.snapshots import latest_snapshot, quarter_input

from . import charts, texts
from .build import build_form_report, finding_line
from .data import (
    ActionPlanLine,
    AgreementProgramLine,
    AgreementReport,
    AgreementTargetLine,
    AppendixFinding,
    BudgetLine,
    FactorLine,
    IkuAchievement,
    IkuSheet,
    QuarterlyReport,
    Signature,
    TargetSeries,
)
from .dates import indonesian_date
from .kop import kop_for


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


def strategic_plan(agency: Agency, year: int) -> StrategicPlan | None:
    return StrategicPlan.objects.filter(agency=agency, start_year__lte=year,
                                        end_year__gte=year).first()  # fmt: skip


def _scale_bands(code: str) -> tuple[tuple[str, str], ...]:
    scale = SCALES.get(code)
    if scale is None:
        return ()
    return tuple((band.label, scale.describe(band)) for band in scale.bands)


def _signature(agency: Agency, inp: QuarterInput, party: str, signed_on: date,
               fallback: str) -> Signature:  # fmt: skip
    s = inp.signatory(party)
    return Signature(
        place=agency.government.region,
        signed_on=signed_on,
        title=s.title if s else fallback,
        name=s.name if s else "",
        nip=s.nip if s else "",
        rank=s.rank if s else "",
        acting=s.acting if s else "",
    )


def _targets(inp: QuarterInput) -> tuple[tuple[TargetSeries, ...], tuple[int, ...]]:
    rows, years = [], set()
    for ind in inp.indicators:
        years.update(t.year for t in ind.targets)
        rows.append(TargetSeries(
            level=ind.level, number=ind.number, statement=ind.statement, indicator=ind.name,
            unit=ind.unit, original=tuple((t.year, t.original) for t in ind.targets),
            revised=tuple((t.year, t.revised) for t in ind.targets),
            decimals=_decimals(ind),
        ))  # fmt: skip
    return tuple(rows), tuple(sorted(years))


def _decimals(indicator: IndicatorInput | None) -> int | None:
    """The decimals an indicator declares (0,70: 2); None: as entered (or no indicator)."""
    return indicator.decimals if indicator is not None else None


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


def iku_achievements(inp: QuarterInput, evaluation: Any) -> tuple[IkuAchievement, ...]:
    """Tabel 3.1: each IKU's target in force, its realisation of the report's quarter,
    capaian and categories; the form-derived value beside it. A value of an earlier quarter
    stands in only for an indicator measured as a level (aggregation ``last``), labelled with
    its date; any other indicator without a value this quarter is "belum terealisasi"."""
    year, quarter = inp.year, inp.quarter
    values = sorted((v for v in inp.indicator_values if v.quarter <= quarter
                     and v.value is not None), key=lambda v: v.quarter)  # fmt: skip
    latest = {v.indicator_key: v for v in values}
    this_quarter = {v.indicator_key: v for v in inp.indicator_values if v.quarter == quarter}
    out = []
    for n, ind in enumerate((i for i in inp.indicators if i.is_key), start=1):
        r, as_of = this_quarter.get(ind.key), ""
        if (r is None or r.value is None) and (ind.aggregation or "last") == "last":
            earlier = latest.get(ind.key)
            if earlier is not None and earlier.quarter < quarter:
                r = earlier
                day = earlier.measured_on or quarter_end(year, earlier.quarter)
                as_of = f"nilai per {indonesian_date(day)} (triwulan {ROMAN[earlier.quarter - 1]})"
        t = ind.target(year)
        value = t.current if t else None
        upper = t.current_upper if t else None
        target = None if value is None else Target(value, upper)
        actual = r.value if r else None
        polarity = Polarity(ind.polarity)
        capaian = achievement(target=target, actual=actual, polarity=polarity)
        rating = PREDIKAT_CAPAIAN.label(capaian)
        scale = SCALES.get(ind.scale_code) if ind.scale_code else None
        derived_rule, derived_value, derived_explain = "", None, ""
        if ind.derived_from_form:
            rule = AverageRule(ind.derived_from_form)
            figure = footer(evaluation.rows, rule_k=rule).k
            derived_rule, derived_value = RULE_LABELS[rule], figure.value
            derived_explain = figure.explain()
        note = r.note if r else ""
        out.append(IkuAchievement(
            number=n, statement=ind.statement,
            indicator=ind.name, unit=ind.unit, target=value, realisation=actual,
            achievement=capaian, rating=rating,
            value_category=scale.label(actual) if scale else None,
            value_scale=scale.name if scale else "",
            source=(r.source if r else "") or ind.data_source,
            explain=explain_achievement(target=target, actual=actual, polarity=polarity),
            paragraph=iku_paragraph(
                indicator=ind.name, year=year, target=value, realisation=actual,
                achievement=capaian, rating=rating,
                note=(f"Nilai ini adalah {as_of}. " if as_of else "")
                + (note if actual is not None else ""),
                reason_missing=note if actual is None else "",
                decimals=_decimals(ind),
            ),
            derived_rule=derived_rule, derived_value=derived_value,
            derived_explain=derived_explain, decimals=_decimals(ind), as_of=as_of,
        ))  # fmt: skip
    return tuple(out)


def budget_lines(inp: QuarterInput, quarter: int, evaluation: Any) -> tuple[BudgetLine, ...]:
    """Tabel 3.2 up to ``quarter`` (≤ the input's): pagu, cash plan and realisation of each
    program, % of the cash plan and of the pagu."""
    programs = [r for r in evaluation.rows
                if r.row.level is Level.PROGRAM and r.row.continues is None]  # fmt: skip
    items = {
        label_of(i.code, i.position): (i.key, i.objective, i.responsible_unit)
        for i in inp.items if i.level == "program" and i.continues_key is None
    }  # fmt: skip
    # the cash plan up to the quarter: only when every quarter up to it has one — a missing
    # quarter's plan is unknown, not zero, and an earlier quarter's never stands in for it
    plans: dict[int, Decimal | None] = {}
    for item in inp.items:
        if item.level == "program" and item.continues_key is None:
            wanted = [v.cash_plan for v in item.quarters if v.quarter <= quarter]
            complete = len(wanted) == quarter and all(v is not None for v in wanted)
            plans[item.key] = (
                sum((v for v in wanted if v is not None), Decimal(0)) if complete else None
            )
    basis = f"TW {ROMAN[0]}" if quarter == 1 else f"s.d. TW {ROMAN[quarter - 1]}"
    lines: list[BudgetLine] = []
    columns: tuple[list[Decimal | None], ...] = ([], [], [])
    for n, r in enumerate(programs, start=1):
        pk, objective, responsible = items.get(r.row.id, (None, "", ""))
        plan = plans.get(pk) if pk is not None else None
        pagu, real = r.row.year_target.rp, r.col13_rp
        for column, v in zip(columns, (pagu, plan, real), strict=True):
            column.append(v)
        lines.append(_budget_line(n, objective, r.row.name, pagu, plan, real, basis,
                                  responsible))  # fmt: skip
    pagu, plan, real = (_total(c) for c in columns)
    lines.append(_budget_line(None, "", "Jumlah total", pagu, plan, real, basis, ""))
    return tuple(lines)


def _total(values: list[Decimal | None]) -> Decimal | None:
    """A column's total: None (printed "-") when every value is missing — missing is not
    zero; the cash plan's total only when every program's plan is known."""
    if not values or all(v is None for v in values):
        return None
    return sum((v for v in values if v is not None), Decimal(0))


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


def _action_plan(inp: QuarterInput) -> tuple[ActionPlanLine, ...]:
    out = []
    for item in inp.items:
        value = item.quarters[inp.quarter - 1]
        if value.plan_k is None:
            continue
        got = value.value_k
        capaian = achievement(target=Target(value.plan_k), actual=got,
                              polarity=Polarity(item.polarity))  # fmt: skip
        out.append(ActionPlanLine(item.code, item.name, item.unit, value.plan_k, got, capaian,
                                  PREDIKAT_CAPAIAN.label(capaian)))  # fmt: skip
    return tuple(out)


def _factors(inp: QuarterInput) -> tuple[tuple[FactorLine, ...], ...]:
    def order(n: Any) -> tuple[Any, ...]:
        ind, item = inp.indicator(n.indicator_key), inp.item(n.work_item_key)
        return (ind is None, ind.position if ind else 0, item is None,
                item.position if item else 0, n.kind, n.position)  # fmt: skip

    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for n in sorted((n for n in inp.narratives if n.kind in ("supporting", "inhibiting")),
                    key=order):  # fmt: skip
        ind, item = inp.indicator(n.indicator_key), inp.item(n.work_item_key)
        kind = "indicator" if ind else "program" if item else ""
        if not kind:
            continue
        subject = ind.name if ind else item.name  # type: ignore[union-attr]
        g = groups.setdefault((kind, subject), {"supporting": [], "inhibiting": [],
                                                "responsible": n.responsible})  # fmt: skip
        g[n.kind].append(n.text)
    made = {"indicator": [], "program": []}  # type: dict[str, list[FactorLine]]
    for (kind, subject), g in groups.items():
        made[kind].append(FactorLine(subject, tuple(g["supporting"]), tuple(g["inhibiting"]),
                                     g["responsible"]))  # fmt: skip
    return tuple(made["indicator"]), tuple(made["program"])


def _budget_chart(inp: QuarterInput) -> Any:
    """Cash plan and realisation up to each quarter — only the quarters with a realisation
    (a quarter without data draws no bar); None when no quarter has one. A quarter with no
    cash plan on any program makes the plan s.d. that quarter unknown ("-", no bar), never 0."""
    from kinerja.core.aggregate import known_sum, running_totals

    programs = [item for item in inp.items
                if item.level == "program" and item.continues_key is None]  # fmt: skip
    by_quarter = {q: [v for item in programs for v in item.quarters if v.quarter == q]
                  for q in range(1, 5)}  # fmt: skip
    plans = [known_sum([v.cash_plan for v in by_quarter[q]]) for q in range(1, 5)]
    reals = [known_sum([v.value_rp for v in by_quarter[q]]) for q in range(1, 5)]
    plan_upto = running_totals(plans[: inp.quarter])
    rows = [
        (f"TW {ROMAN[q - 1]}", plan_upto[q - 1], known_sum(reals[:q]))
        for q in range(1, inp.quarter + 1)
        if reals[q - 1] is not None
    ]
    return charts.budget_by_quarter(rows, year=inp.year) if rows else None


def _agreement_targets(inp: QuarterInput) -> tuple[AgreementTargetLine, ...]:
    return tuple(AgreementTargetLine(t.position, t.objective_text, t.indicator_text, t.target,
                                     t.unit, _decimals(inp.indicator(t.indicator_key)))
                 for t in inp.agreement_targets)  # fmt: skip


def _serves(inp: QuarterInput, key: int | None) -> str:
    """``Indeks Penilaian Sistem Merit (target 0,70)``: the indicator a PK line serves, with
    the target the PK agrees for it (else the Renstra's of the year)."""
    ind = inp.indicator(key)
    if ind is None:
        return ""
    agreed = next((t.target for t in inp.agreement_targets if t.indicator_key == key), None)
    if agreed is None and (t := ind.target(inp.year)) is not None:
        agreed = t.current
    shown = "" if agreed is None else f" (target {format_number(agreed, _decimals(ind))})"
    return f"{ind.name}{shown}"


def _agreement_lines(inp: QuarterInput, *levels: str) -> tuple[AgreementProgramLine, ...]:
    return tuple(
        AgreementProgramLine(ln.level, ln.name, ln.indicator_text, ln.target, ln.target_unit,
                             ln.budget, _serves(inp, ln.serves_indicator_key))
        for ln in inp.agreement_lines if not levels or ln.level in levels
    )  # fmt: skip


def _goal_texts(inp: QuarterInput) -> tuple[tuple[str, str], ...]:
    """The Renstra's Tujuan with their explanations, as the seed prints them in BAB II:
    ``Tujuan 1 “Terwujudnya …”`` and the paragraph under it."""
    return tuple((f"Tujuan {g.number} “{g.text.strip().rstrip('.')}”", g.narrative)
                 for g in inp.goals if g.narrative)  # fmt: skip


def appendix_findings(inp: QuarterInput, evaluation: Any) -> tuple[AppendixFinding, ...]:
    """The Lembar Pemeriksaan's items in words for the opt-in appendix: severity, row, the
    rule's title with the message, and what to do. No rule ids."""
    from .checklist import checklist_items

    def finding(title: str, message: str) -> str:  # "Satuan berbeda: Satuan berbeda …" once
        return message if message.lower().startswith(title.lower()) else f"{title}: {message}"

    items = checklist_items(inp, list(evaluation.findings), input_findings(inp))
    return tuple(AppendixFinding(i.severity_label, i.row, finding(i.title, i.message), i.action)
                 for i in items)  # fmt: skip


def build_quarterly_report(agency: Agency, *, year: int, quarter: int,
                           signed_on: date) -> QuarterlyReport:  # fmt: skip
    """The whole Laporan Capaian Kinerja Triwulan of an agency's quarter, from its input (an
    approved quarter's snapshot, the live tables otherwise)."""
    government = agency.government
    plan = strategic_plan(agency, year)
    inp = quarter_input(agency, year=year, quarter=quarter)
    evaluation = evaluate_form(form_from_input(inp))
    form = build_form_report(agency, year=year, quarter=quarter, signed_on=signed_on, inp=inp)
    missions = tuple(government.missions.order_by("number").values_list("text", flat=True))
    served = (
        RpjmdObjective.objects.filter(strategicplan=plan).select_related("goal__mission")
        .order_by("position") if plan else RpjmdObjective.objects.none()
    )  # fmt: skip
    first = served[0] if served else None
    targets, years = _targets(inp)
    by_indicator, by_program = _factors(inp)
    programs = [(indicator_label(r.row), r.col14_k) for r in evaluation.rows
                if r.row.level is Level.PROGRAM]  # fmt: skip
    q = ROMAN[quarter - 1]
    head = f"Kepala {agency.name}"
    recommendations = tuple(n.text for n in sorted(inp.narratives, key=lambda n: n.position)
                            if n.kind == "recommendation")  # fmt: skip
    return QuarterlyReport(
        government=government.name, region=government.region, agency=agency.name,
        agency_abbreviation=agency.abbreviation, year=year, quarter=quarter,
        plan_period=f"{plan.start_year}–{plan.end_year}" if plan else "",
        vision=government.vision, missions=missions,
        supported_mission=first.goal.mission.number if first else None,
        rpjmd_goal=first.goal.text if first else "",
        rpjmd_objectives=tuple((o.text, o.indicator) for o in served),
        foreword=inp.texts("foreword") or texts.foreword(agency.name, quarter, year),
        background=inp.texts("background") or texts.background(agency.name),
        purposes=texts.purposes(agency.name, quarter, year),
        closing=inp.texts("closing") or texts.closing(agency.name, quarter, year),
        targets=targets, target_years=years,
        revision_note=plan.revision_note if plan else "",
        iku=_iku(plan),
        agreement_targets=_agreement_targets(inp),
        agreement_lines=_agreement_lines(inp),
        predikat_scale=_scale_bands("predikat_capaian"),
        achievements=iku_achievements(inp, evaluation),
        budget=budget_lines(inp, quarter, evaluation),
        budget_basis=f"TW {q}" if quarter == 1 else f"s.d. TW {q}",
        action_plan=_action_plan(inp),
        factors_by_indicator=by_indicator, factors_by_program=by_program,
        recommendations=recommendations,
        charts=(
            charts.achievement_by_program(programs, period=f"Triwulan {q} {year}")
            if any(k is not None for _, k in programs) else None,
            _budget_chart(inp),
        ),
        findings=form.findings + tuple(finding_line(f) for f in input_findings(inp)),
        signature=_signature(agency, inp, "first", signed_on, head),
        form=form,
        word_template=word_template(agency, "laporan"),
        draft=form.draft,
        kop=kop_for(agency, inp),
        goal_texts=_goal_texts(inp),
        findings_appendix=inp.findings_appendix,
        appendix_findings=appendix_findings(inp, evaluation) if inp.findings_appendix else (),
    )  # fmt: skip


def build_agreement_report(agency: Agency, *, year: int, quarter: int,
                           signed_on: date) -> AgreementReport:  # fmt: skip
    """The PK document: the agreement text, sasaran/indikator/target, programs with pagu.
    Signed at the agreement's own place and date; an agreement without a signing date is a
    draft (dated ``signed_on`` meanwhile), as is one printed from a quarter not approved."""
    government = agency.government
    inp = quarter_input(agency, year=year, quarter=quarter)
    head = _signature(agency, inp, "first", inp.agreement_signed_on or signed_on,
                      f"Kepala {agency.name}")  # fmt: skip
    if inp.agreement_place:
        head = replace(head, place=inp.agreement_place)
    regent = replace(_signature(agency, inp, "second", head.signed_on,
                                f"Bupati {government.region}"), place=head.place)  # fmt: skip
    programs = _agreement_lines(inp, "program")
    total = sum((p.budget for p in programs if p.budget is not None), Decimal(0))
    return AgreementReport(
        government=government.name, region=government.region, agency=agency.name,
        agency_abbreviation=agency.abbreviation, year=year, quarter=quarter,
        paragraphs=texts.agreement(agency.name, head.title, regent.title, year),
        targets=_agreement_targets(inp),
        programs=programs, total_budget=total if programs else None,
        first_party=head, second_party=regent,
        word_template=word_template(agency, "pk"),
        draft=(inp.agreement_signed_on is None
               or latest_snapshot(agency.pk, year=year, quarter=quarter) is None),
    )  # fmt: skip
