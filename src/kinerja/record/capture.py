"""The evaluation input of an agency's quarter — everything its form, report and dashboard read
— as one frozen value (``QuarterInput``), read from the live tables or from a snapshot.

The builders of pages and reports take a ``QuarterInput`` and nothing else that holds a figure,
so an approved quarter (read from its snapshot) and a draft one (read live) go through the
same code, and the same input gives the same report, byte for byte in its data hash.

``capture`` reads the live tables through a model registry (``django.apps.apps`` or a
migration's historical ``apps``), so the data migration that snapshots the quarters approved
before snapshots existed runs the same code as ``approve_quarter``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from kinerja.core.achievement import Polarity
from kinerja.core.checks import (
    Finding,
    Severity,
    check_agreement_line,
    check_iku_in_agreement,
    check_target_series,
)
from kinerja.core.numbers import strip_zeros, to_plain
from kinerja.core.revisions import in_force, quarter_end

# ---- the input --------------------------------------------------------------------------


@dataclass(frozen=True)
class QuarterValue:
    """One item's quarter: realisation (columns 9–12) and rencana aksi."""

    quarter: int
    value_k: Decimal | None = None
    value_k_unit: str = ""
    value_rp: Decimal | None = None
    note: str = ""
    plan_k: Decimal | None = None
    cash_plan: Decimal | None = None


@dataclass(frozen=True)
class ItemInput:
    """A Renja item as a row of the form; ``budget`` is the pagu in force for the quarter."""

    key: int
    parent_key: int | None
    position: int
    level: str
    code: str
    name: str
    indicator: str
    unit: str
    responsible_unit: str
    objective: str
    polarity: str
    aggregation: str
    target_k: Decimal | None
    target_k_upper: Decimal | None
    budget: Decimal | None
    renstra_target_k: Decimal | None
    renstra_target_rp: Decimal | None
    renstra_target_unit: str
    renstra_realised_k: Decimal | None
    renstra_realised_rp: Decimal | None
    renstra_realised_unit: str
    quarters: tuple[QuarterValue, ...]  # always four, TW I–IV
    # *jumlah desimal* of its K values (0,70); None: as entered. Inputs older than the field
    # read None and keep their hash.
    decimals: int | None = None
    # a further indicator of the item ``continues_key`` (WorkItem.indicator_of); None for an
    # item's own row, left out of the JSON so inputs older than the field keep their hash
    continues_key: int | None = None


@dataclass(frozen=True)
class TargetInput:
    """An indicator's target of a year; ``revised`` only where in force for the quarter."""

    year: int
    original: Decimal | None
    original_upper: Decimal | None
    revised: Decimal | None
    revised_upper: Decimal | None

    @property
    def current(self) -> Decimal | None:
        return self.revised if self.revised is not None else self.original

    @property
    def current_upper(self) -> Decimal | None:
        return self.revised_upper if self.revised is not None else self.original_upper


@dataclass(frozen=True)
class IndicatorInput:
    key: int
    position: int
    name: str
    unit: str
    polarity: str
    is_key: bool
    level: str  # "tujuan" | "sasaran"
    number: str  # goal number or objective code
    statement: str  # the goal or objective
    has_objective: bool
    scale_code: str
    derived_from_form: str
    data_source: str
    targets: tuple[TargetInput, ...]
    # *jumlah desimal* of its values (Indeks Penilaian Sistem Merit: 2, so 0,70); None: as
    # entered. Inputs older than the field read None and keep their hash.
    decimals: int | None = None
    # how its quarterly values combine (sum | last | average | max); None stands for "last",
    # the default, left out of the JSON so inputs older than the field keep their hash
    aggregation: str | None = None

    def target(self, year: int) -> TargetInput | None:
        return next((t for t in self.targets if t.year == year), None)


@dataclass(frozen=True)
class IndicatorValue:
    indicator_key: int
    quarter: int
    value: Decimal | None
    measured_on: date | None
    source: str
    note: str


@dataclass(frozen=True)
class NarrativeInput:
    kind: str
    indicator_key: int | None
    work_item_key: int | None
    position: int
    text: str
    responsible: str


@dataclass(frozen=True)
class SignatoryInput:
    party: str
    title: str
    name: str
    nip: str
    rank: str
    acting: str


@dataclass(frozen=True)
class KopInput:
    """The agency's letterhead (kop) of the year, printed on the cover, the PK and the form.
    ``logo`` is the storage name of the uploaded logo — content-addressed
    (``kop/<sha256>.<ext>``), so a snapshot that names it always reads the same image; ""
    when there is none. ``example``: demo data, not a real agency's."""

    address: str
    telephone: str
    email: str
    website: str
    logo: str
    example: bool = False


@dataclass(frozen=True)
class GoalInput:
    """A Tujuan of the Renstra with its explanation (*uraian*), printed in BAB II."""

    number: int
    text: str
    narrative: str


@dataclass(frozen=True)
class AgreementTargetInput:
    position: int
    objective_text: str
    indicator_key: int | None
    indicator_text: str
    target: Decimal | None
    unit: str


@dataclass(frozen=True)
class AgreementLineInput:
    position: int
    level: str
    name: str
    indicator_text: str
    target: Decimal | None
    target_unit: str
    budget: Decimal | None
    work_item_key: int | None
    # the Renstra indicator (sasaran / IKU) the line serves, as the PK prints it beside the
    # program; None: not linked (snapshots older than the field read None)
    serves_indicator_key: int | None = None


@dataclass(frozen=True)
class QuarterInput:
    agency_id: int
    year: int
    quarter: int
    items: tuple[ItemInput, ...]
    indicators: tuple[IndicatorInput, ...]
    indicator_values: tuple[IndicatorValue, ...]
    narratives: tuple[NarrativeInput, ...]
    signatories: tuple[SignatoryInput, ...]
    agreement_signed_on: date | None
    agreement_targets: tuple[AgreementTargetInput, ...]
    agreement_lines: tuple[AgreementLineInput, ...]
    # The date the quarter's documents are signed, as set on the quarter page; None: the
    # default (the approval date, the period's closing date). Snapshots older than the field
    # read None.
    report_date: date | None = None
    # The kop of the year (None: not set). Snapshots older than the field read None.
    kop: KopInput | None = None
    # The Renstra's Tujuan that have an explanation (Goal.narrative), in order; the place the
    # PK is signed at ("": the pemda's region); whether the agency prints the findings
    # appendix. Each is left out of the JSON while empty, so snapshots older than the fields
    # read (), "" and False and keep their hash.
    goals: tuple[GoalInput, ...] = ()
    agreement_place: str = ""
    findings_appendix: bool = False

    def item(self, key: int | None) -> ItemInput | None:
        return next((i for i in self.items if i.key == key), None) if key else None

    def indicator(self, key: int | None) -> IndicatorInput | None:
        return next((i for i in self.indicators if i.key == key), None) if key else None

    def signatory(self, party: str) -> SignatoryInput | None:
        return next((s for s in self.signatories if s.party == party), None)

    def texts(self, kind: str) -> tuple[str, ...]:
        """The agency's own texts of a kind (no indicator, no program), in order."""
        return tuple(
            n.text
            for n in sorted(self.narratives, key=lambda n: n.position)
            if n.kind == kind and n.indicator_key is None and n.work_item_key is None
        )


# ---- reading the live tables ------------------------------------------------------------


def _if_field(model: Any, name: str) -> tuple[str, ...]:
    """``(name,)`` where the registry's model has that field, else ``()``: a data migration
    that runs before the field's own migration (record.0002) captures without it."""
    return (name,) if any(f.name == name for f in model._meta.get_fields()) else ()


def capture(agency_id: int, *, year: int, quarter: int, apps: Any = None) -> QuarterInput:
    """The input of an agency's quarter as the live tables hold it now, with every revision
    applied that was made on or before the quarter's last day."""
    return capture_many([agency_id], year=year, quarter=quarter, apps=apps)[agency_id]


def capture_many(agency_ids: list[int], *, year: int, quarter: int,
                 apps: Any = None) -> dict[int, QuarterInput]:  # fmt: skip
    """``capture`` of several agencies' same quarter, by agency id: the same queries as one
    capture, each over all of them (``kinerja synth`` approves a pemda's quarter at once)."""
    if apps is None:
        from django.apps import apps
    model = apps.get_model
    ids = list(dict.fromkeys(agency_ids))
    as_of = quarter_end(year, quarter)
    WorkItem, ActionPlan = model("planning", "WorkItem"), model("planning", "ActionPlan")  # noqa: N806
    Realisation = model("monitoring", "Realisation")  # noqa: N806

    plans = {
        (item_id, q): (strip_zeros(k), strip_zeros(cash))
        for item_id, q, k, cash in ActionPlan.objects.filter(
            work_item__agency_id__in=ids, work_item__year=year
        ).values_list("work_item_id", "quarter", "target_k", "cash_plan")
    }
    realised = {
        (item_id, q): (strip_zeros(k), unit or "", strip_zeros(rp), note or "")
        for item_id, q, k, unit, rp, note in Realisation.objects.filter(
            work_item__agency_id__in=ids, work_item__year=year
        ).values_list("work_item_id", "quarter", "value_k", "value_k_unit", "value_rp", "note")
    }
    items: dict[int, list[ItemInput]] = {pk: [] for pk in ids}
    for row in (
        WorkItem.objects.filter(agency_id__in=ids, year=year)
        .order_by("agency_id", "position")
        .values(
            "agency_id", "id", "parent_id", "position", "level", "code", "name", "indicator",
            "unit", "responsible_unit__name", "objective__text", "polarity", "aggregation",
            "target_k", "target_k_upper", "budget_original", "budget_revised",
            "budget_revised_on", "renstra_target_k", "renstra_target_rp", "renstra_target_unit",
            "renstra_realised_k", "renstra_realised_rp", "renstra_realised_unit",
            *_if_field(WorkItem, "decimals"), *_if_field(WorkItem, "indicator_of"),
        )
    ):  # fmt: skip
        pk = row["id"]
        quarters = []
        for q in range(1, 5):
            k, unit, rp, note = realised.get((pk, q), (None, "", None, ""))
            plan_k, cash = plans.get((pk, q), (None, None))
            quarters.append(QuarterValue(q, k, unit, rp, note, plan_k, cash))
        items[row["agency_id"]].append(ItemInput(
            key=pk, parent_key=row["parent_id"], position=row["position"], level=row["level"],
            code=row["code"] or "", name=row["name"], indicator=row["indicator"] or "",
            unit=row["unit"] or "", responsible_unit=row["responsible_unit__name"] or "",
            objective=row["objective__text"] or "", polarity=row["polarity"],
            aggregation=row["aggregation"], target_k=strip_zeros(row["target_k"]),
            target_k_upper=strip_zeros(row["target_k_upper"]),
            budget=strip_zeros(in_force(row["budget_original"], row["budget_revised"],
                                        row["budget_revised_on"], as_of=as_of)),
            renstra_target_k=strip_zeros(row["renstra_target_k"]),
            renstra_target_rp=strip_zeros(row["renstra_target_rp"]),
            renstra_target_unit=row["renstra_target_unit"] or "",
            renstra_realised_k=strip_zeros(row["renstra_realised_k"]),
            renstra_realised_rp=strip_zeros(row["renstra_realised_rp"]),
            renstra_realised_unit=row["renstra_realised_unit"] or "",
            quarters=tuple(quarters), decimals=row.get("decimals"),
            continues_key=row.get("indicator_of"),
        ))  # fmt: skip

    # the Renstra that covers the year (its indicators, and its Tujuan's explanations)
    plan_of: dict[int, int] = {}
    for agency_id, plan_id in (
        model("planning", "StrategicPlan")
        .objects.filter(agency_id__in=ids, start_year__lte=year, end_year__gte=year)
        .order_by("agency_id", "start_year")
        .values_list("agency_id", "pk")
    ):
        plan_of.setdefault(agency_id, plan_id)
    indicators = _indicators(apps, list(plan_of.values()), year, quarter, as_of)
    goals = _goals(apps, list(plan_of.values()))
    Narrative = model("monitoring", "Narrative")  # noqa: N806
    narratives: dict[int, list[NarrativeInput]] = {pk: [] for pk in ids}
    for agency_id, kind, ind, item, position, text, responsible in (
        Narrative.objects.filter(agency_id__in=ids, year=year, quarter=quarter)
        .order_by("agency_id", "kind", "indicator_id", "work_item_id", "position", "pk")
        .values_list(
            "agency_id", "kind", "indicator_id", "work_item_id", "position", "text", "responsible"
        )  # fmt: skip
    ):
        narratives[agency_id].append(
            NarrativeInput(kind, ind, item, position, text, responsible or "")
        )
    agreements = {
        a.agency_id: a
        for a in model("planning", "PerformanceAgreement").objects.filter(
            agency_id__in=ids, year=year
        )
    }
    signatories, targets, lines = _agreements(apps, [a.pk for a in agreements.values()])
    report_dates = _report_dates(apps, ids, year, quarter)
    kops = _kops(apps, ids, year)
    appendix = _findings_appendix(apps, ids)
    out = {}
    for agency_id in ids:
        agreement = agreements.get(agency_id)
        key = agreement.pk if agreement is not None else None
        plan_id = plan_of.get(agency_id)
        inds, values = indicators.get(plan_id, ((), ())) if plan_id else ((), ())
        out[agency_id] = QuarterInput(
            agency_id=agency_id, year=year, quarter=quarter, items=tuple(items[agency_id]),
            indicators=inds, indicator_values=values, narratives=tuple(narratives[agency_id]),
            signatories=signatories.get(key, ()),
            agreement_signed_on=agreement.signed_on if agreement is not None else None,
            agreement_targets=targets.get(key, ()), agreement_lines=lines.get(key, ()),
            report_date=report_dates.get(agency_id), kop=kops.get(agency_id),
            goals=goals.get(plan_id, ()) if plan_id else (),
            agreement_place=(getattr(agreement, "place", "") or "").strip() if agreement else "",
            findings_appendix=appendix.get(agency_id, False),
        )  # fmt: skip
    return out


def _agreements(apps: Any, agreement_ids: list[int]) -> tuple[dict[int, tuple[Any, ...]], ...]:
    """The signatories, targets and lines of each Perjanjian Kinerja, by its id."""
    model = apps.get_model
    signatories: dict[int, list[SignatoryInput]] = {}
    targets: dict[int, list[AgreementTargetInput]] = {}
    lines: dict[int, list[AgreementLineInput]] = {}
    if not agreement_ids:
        return {}, {}, {}
    for agreement_id, *row in (
        model("planning", "Signatory")
        .objects.filter(agreement_id__in=agreement_ids)
        .order_by("agreement_id", "party")
        .values_list("agreement_id", "party", "title", "name", "nip", "rank", "acting")
    ):
        signatories.setdefault(agreement_id, []).append(SignatoryInput(*row))
    for agreement_id, position, objective, ind, text, target, unit in (
        model("planning", "AgreementTarget")
        .objects.filter(agreement_id__in=agreement_ids)
        .order_by("agreement_id", "position")
        .values_list(
            "agreement_id",
            "position",
            "objective_text",
            "indicator_id",
            "indicator_text",
            "target",
            "indicator__unit",
        )  # fmt: skip
    ):
        targets.setdefault(agreement_id, []).append(
            AgreementTargetInput(position, objective, ind, text, strip_zeros(target), unit or "")
        )
    for agreement_id, position, level, name, text, target, unit, budget, item, serves in (
        model("planning", "AgreementLine")
        .objects.filter(agreement_id__in=agreement_ids)
        .order_by("agreement_id", "position")
        .values_list(
            "agreement_id",
            "position",
            "level",
            "name",
            "indicator_text",
            "target",
            "target_unit",
            "budget",
            "work_item_id",
            "context_indicator_id",
        )  # fmt: skip
    ):
        lines.setdefault(agreement_id, []).append(AgreementLineInput(
            position, level, name, text, strip_zeros(target), unit or "", strip_zeros(budget),
            item, serves,
        ))  # fmt: skip
    return ({k: tuple(v) for k, v in signatories.items()},
            {k: tuple(v) for k, v in targets.items()}, {k: tuple(v) for k, v in lines.items()})  # fmt: skip


def _findings_appendix(apps: Any, agency_ids: list[int]) -> dict[int, bool]:
    """Whether each agency opted in to the findings appendix (False before the field)."""
    Agency = apps.get_model("planning", "Agency")  # noqa: N806
    if not _if_field(Agency, "findings_appendix"):
        return {}
    return {pk: bool(on) for pk, on in Agency.objects.filter(pk__in=agency_ids).values_list(
        "pk", "findings_appendix")}  # fmt: skip


def _goals(apps: Any, plan_ids: list[int]) -> dict[int, tuple[GoalInput, ...]]:
    """The Tujuan of each Renstra that have an explanation, by plan id; none where the
    registry's Goal has no ``narrative`` yet (a migration before ``planning.0009``)."""
    Goal = apps.get_model("planning", "Goal")  # noqa: N806
    if not plan_ids or not _if_field(Goal, "narrative"):
        return {}
    goals: dict[int, list[GoalInput]] = {}
    for plan_id, number, text, narrative in (
        Goal.objects.filter(plan_id__in=plan_ids)
        .exclude(narrative="")
        .order_by("plan_id", "number")
        .values_list("plan_id", "number", "text", "narrative")
    ):
        goals.setdefault(plan_id, []).append(GoalInput(number, text, narrative.strip()))
    return {k: tuple(v) for k, v in goals.items()}


def _kops(apps: Any, agency_ids: list[int], year: int) -> dict[int, KopInput]:
    """Each agency's kop surat of the year (planning.Letterhead), where it has one; none where
    the registry has no such model yet (a data migration that runs before
    ``planning.0007_letterhead``)."""
    try:
        Letterhead = apps.get_model("planning", "Letterhead")  # noqa: N806
    except LookupError:
        return {}
    return {
        agency_id: KopInput(*row)
        for agency_id, *row in Letterhead.objects.filter(
            agency_id__in=agency_ids, year=year
        ).values_list(
            "agency_id", "address", "telephone", "email", "website", "logo", "is_example"
        )  # fmt: skip
    }


def _report_dates(apps: Any, agency_ids: list[int], year: int, quarter: int) -> dict[int, date]:
    """Each quarter's own report date (None where unset); none where the registry's
    QuarterSubmission has no such field yet (a data migration that runs before
    ``monitoring.0008_report_date``)."""
    Submission = apps.get_model("monitoring", "QuarterSubmission")  # noqa: N806
    if not any(f.name == "report_date" for f in Submission._meta.get_fields()):
        return {}
    return dict(
        Submission.objects.filter(agency_id__in=agency_ids, year=year, quarter=quarter).values_list(
            "agency_id", "report_date"
        )
    )


def _indicators(
    apps: Any, plan_ids: list[int], year: int, quarter: int, as_of: date
) -> dict[int, tuple[tuple[IndicatorInput, ...], tuple[IndicatorValue, ...]]]:
    """By Renstra id: its indicators, with their targets as in force at ``as_of``, and the IKU
    realisations of quarters up to ``quarter``."""
    model = apps.get_model
    if not plan_ids:
        return {}
    targets: dict[int, list[TargetInput]] = {}
    for ind, target_year, original, o_upper, revised, r_upper, revised_on in (
        model("planning", "IndicatorTarget")
        .objects.filter(indicator__plan_id__in=plan_ids)
        .order_by("indicator_id", "year")
        .values_list(
            "indicator_id",
            "year",
            "original",
            "original_upper",
            "revised",
            "revised_upper",
            "revised_on",
        )  # fmt: skip
    ):
        applies = revised is not None and (revised_on is None or revised_on <= as_of)
        targets.setdefault(ind, []).append(TargetInput(
            target_year, strip_zeros(original), strip_zeros(o_upper),
            strip_zeros(revised) if applies else None, strip_zeros(r_upper) if applies else None,
        ))  # fmt: skip
    indicators: dict[int, list[IndicatorInput]] = {pk: [] for pk in plan_ids}
    plan_of: dict[int, int] = {}
    for row in (
        model("planning", "Indicator")
        .objects.filter(plan_id__in=plan_ids)
        .order_by("plan_id", "position")
        .values(
            "plan_id",
            "id",
            "position",
            "name",
            "unit",
            "polarity",
            "is_key",
            "objective_id",
            "objective__code",
            "objective__text",
            "goal__number",
            "goal__text",
            "scale__code",
            "derived_from_form",
            "data_source",
            "aggregation",
            *_if_field(model("planning", "Indicator"), "decimals"),
        )  # fmt: skip
    ):
        on_objective = row["objective_id"] is not None
        plan_of[row["id"]] = row["plan_id"]
        indicators[row["plan_id"]].append(IndicatorInput(
            key=row["id"], position=row["position"], name=row["name"], unit=row["unit"] or "",
            polarity=row["polarity"], is_key=row["is_key"],
            level="sasaran" if on_objective else "tujuan",
            number=row["objective__code"] if on_objective else str(row["goal__number"]),
            statement=(row["objective__text"] if on_objective else row["goal__text"]) or "",
            has_objective=on_objective, scale_code=row["scale__code"] or "",
            derived_from_form=row["derived_from_form"] or "",
            data_source=row["data_source"] or "", targets=tuple(targets.get(row["id"], ())),
            decimals=row.get("decimals"),
            aggregation=None if row["aggregation"] == "last" else row["aggregation"],
        ))  # fmt: skip
    values: dict[int, list[IndicatorValue]] = {pk: [] for pk in plan_ids}
    for ind, q, value, measured_on, source, note in (
        model("monitoring", "IndicatorRealisation")
        .objects.filter(indicator__plan_id__in=plan_ids, year=year, quarter__lte=quarter)
        .order_by("indicator_id", "quarter")
        .values_list("indicator_id", "quarter", "value", "measured_on", "source", "note")
    ):
        values[plan_of[ind]].append(
            IndicatorValue(ind, q, strip_zeros(value), measured_on, source or "", note or "")
        )
    return {pk: (tuple(indicators[pk]), tuple(values[pk])) for pk in plan_ids}


# ---- checks that need more than the form (DESIGN §3), over the input -------------------


def input_findings(inp: QuarterInput) -> list[Finding]:
    """``pk-differs-from-renja``, ``iku-pk-lists-differ`` and ``revised-target-backwards``
    of the input: the same rules as ``planning.queries.database_findings``."""
    found: list[Finding] = []
    for line in inp.agreement_lines:
        item = inp.item(line.work_item_key)
        finding = check_agreement_line(
            row=f"{item.code}#{item.position}" if item else f"PK#{line.position}",
            name=line.name,
            pk_target=line.target,
            pk_unit=line.target_unit,
            pk_budget=line.budget,
            renja_target=item.target_k if item else None,
            renja_unit=item.unit if item else None,
            renja_budget=item.budget if item else None,
        )
        if finding:
            found.append(finding)
    if inp.agreement_targets:
        agreed = [
            (ind.name if (ind := inp.indicator(t.indicator_key)) else t.indicator_text)
            for t in inp.agreement_targets
        ]
        finding = check_iku_in_agreement(
            iku=[i.name for i in inp.indicators if i.is_key and i.has_objective], agreement=agreed
        )
        if finding:
            found.append(finding)
    for ind in inp.indicators:
        series = [(t.year, t.revised) for t in ind.targets if t.revised is not None]
        finding = check_target_series(row=ind.name, name=ind.name,
                                      polarity=Polarity(ind.polarity), series=series,
                                      decimals=ind.decimals)  # fmt: skip
        if finding:
            found.append(finding)
    return found


# ---- canonical form and hash ------------------------------------------------------------


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_AS_IS = frozenset((str, int, bool, float))


def _plain(value: Any) -> Any:
    """JSON-ready data of a value: a record (dataclass) as a dict of its fields, tuples as
    lists, Decimals as exact strings, dates ISO — ``asdict`` in the same pass, without its
    deep copies (half the time of the approval's ``to_json``)."""
    if value is None or type(value) in _AS_IS:
        return value
    if isinstance(value, Decimal):
        return to_plain(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    cls = type(value)
    names = _FIELD_NAMES.get(cls)
    if names is None and is_dataclass(value):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def to_json(inp: QuarterInput) -> dict[str, Any]:
    """The input as JSON-ready data: numbers as exact decimal strings, dates ISO. A quarter
    without its own report date leaves the key out, so the inputs frozen before the field
    existed keep their hash."""
    data: dict[str, Any] = _plain(inp)
    if data["report_date"] is None:
        del data["report_date"]
    if data["kop"] is None:
        del data["kop"]
    for key, empty in (("goals", []), ("agreement_place", ""), ("findings_appendix", False)):
        if data[key] == empty:
            del data[key]
    for line in data["agreement_lines"]:  # fields added later: absent when unset
        if line["serves_indicator_key"] is None:
            del line["serves_indicator_key"]
    for record in (*data["items"], *data["indicators"]):  # declared decimals: the same
        if record["decimals"] is None:
            del record["decimals"]
    for record in data["items"]:  # and an item's own row (not a further indicator)
        if record["continues_key"] is None:
            del record["continues_key"]
    for record in data["indicators"]:
        if record["aggregation"] is None:
            del record["aggregation"]
    return data


def input_hash(inp: QuarterInput) -> str:
    """SHA-256 of the input in canonical form: the same input, the same hash."""
    return json_hash(to_json(inp))


def json_hash(data: dict[str, Any]) -> str:
    """``input_hash`` of the input whose ``to_json`` is ``data`` (for a caller that has it)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _dec(value: Any) -> Decimal | None:
    return None if value is None else strip_zeros(Decimal(value))


def _date(value: Any) -> date | None:
    return None if not value else date.fromisoformat(value)


def _record(cls: type, data: dict[str, Any], **nested: Any) -> Any:
    """A frozen record from its JSON form; decimals and dates by the field's annotation."""
    kwargs = {}
    for f in fields(cls):
        value = nested[f.name] if f.name in nested else data.get(f.name)
        if f.name not in nested:
            if "Decimal" in str(f.type):
                value = _dec(value)
            elif str(f.type).startswith("date"):
                value = _date(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def from_json(data: dict[str, Any], *, items: tuple[ItemInput, ...] | None = None) -> QuarterInput:
    """The inverse of ``to_json``; ``items`` replaces the JSON's items (a snapshot keeps them
    as rows)."""
    if items is None:
        items = tuple(
            _record(ItemInput, i, quarters=tuple(_record(QuarterValue, q) for q in i["quarters"]))
            for i in data["items"]
        )
    indicators = tuple(
        _record(IndicatorInput, i, targets=tuple(_record(TargetInput, t) for t in i["targets"]))
        for i in data["indicators"]
    )
    return QuarterInput(
        agency_id=data["agency_id"], year=data["year"], quarter=data["quarter"], items=items,
        indicators=indicators,
        indicator_values=tuple(_record(IndicatorValue, v) for v in data["indicator_values"]),
        narratives=tuple(_record(NarrativeInput, n) for n in data["narratives"]),
        signatories=tuple(_record(SignatoryInput, s) for s in data["signatories"]),
        agreement_signed_on=_date(data["agreement_signed_on"]),
        report_date=_date(data.get("report_date")),
        kop=_record(KopInput, data["kop"]) if data.get("kop") else None,
        goals=tuple(_record(GoalInput, g) for g in data.get("goals", ())),
        agreement_place=data.get("agreement_place", ""),
        findings_appendix=bool(data.get("findings_appendix", False)),
        agreement_targets=tuple(_record(AgreementTargetInput, t)
                                for t in data["agreement_targets"]),
        agreement_lines=tuple(_record(AgreementLineInput, ln) for ln in data["agreement_lines"]),
    )  # fmt: skip


__all__ = [
    "AgreementLineInput",
    "AgreementTargetInput",
    "GoalInput",
    "IndicatorInput",
    "IndicatorValue",
    "ItemInput",
    "KopInput",
    "NarrativeInput",
    "QuarterInput",
    "QuarterValue",
    "Severity",
    "SignatoryInput",
    "TargetInput",
    "capture",
    "capture_many",
    "from_json",
    "input_findings",
    "input_hash",
    "to_json",
]
