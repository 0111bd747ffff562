"""Read queries of quarterly data; the evaluation form as the database holds it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kinerja.core.achievement import Polarity
from kinerja.core.aggregate import Aggregation
from kinerja.core.form import EMPTY, Form, FormRow, Level, Pair, Rules
from kinerja.core.revisions import in_force, quarter_end
from kinerja.planning.models import Agency, WorkItem
from kinerja.planning.queries import label_of

from .models import QuarterSubmission, Realisation, SubmissionStatus


def _pair(k, rp, *, unit: str = "", upper=None) -> Pair:  # type: ignore[no-untyped-def]
    """A form pair from database values; every K and Rp column is an ExactDecimalField, so the
    values arrive without the column's trailing zeros already."""
    if k is None and rp is None and upper is None:
        return EMPTY
    return Pair(k=k, rp=rp, k_upper=upper, k_unit=unit or None)


_ITEM_COLUMNS = (
    "id", "agency_id", "parent_id", "code", "position", "level", "name", "indicator", "unit",
    "responsible_unit__name", "polarity", "aggregation", "target_k", "target_k_upper",
    "budget_original", "budget_revised", "budget_revised_on", "renstra_target_k", "renstra_target_rp",
    "renstra_target_unit", "renstra_realised_k", "renstra_realised_rp", "renstra_realised_unit",
    "indicator_of_id",
)  # fmt: skip
_LEVELS = {level.value: level for level in Level}
_POLARITIES = {p.value: p for p in Polarity}
_AGGREGATIONS = {a.value: a for a in Aggregation}


def evaluation_form(
    agency: Agency,
    *,
    year: int,
    quarter: int,
    rules: Rules | None = None,
    ids: dict[str, int] | None = None,
) -> Form:
    """The Permendagri 86/2017 form of an agency's year, in the form's order: two queries.
    ``ids``, when given, receives each row's Renja item id by the row's label."""
    return evaluation_forms([agency.pk], year=year, quarter=quarter, rules=rules, ids=ids).get(
        agency.pk, Form(year=year, quarter=quarter, rows=(), rules=rules or Rules())
    )


def evaluation_forms(
    agency_ids: Iterable[int],
    *,
    year: int,
    quarter: int,
    rules: Rules | None = None,
    ids: dict[str, int] | None = None,
    frozen_inputs: dict[int, Any] | None = None,
) -> dict[int, Form]:
    """The forms of several agencies at once, keyed by agency id: two queries for any number
    of agencies; an approved quarter is read from its snapshot (``kinerja.record``; four more
    queries for any number of them, their inputs into ``frozen_inputs`` when given). Rows
    are read as plain values (no model instances) — pages that evaluate the form on every request spend their time here. A pagu revised after the
    quarter's last day does not apply to it (``core.revisions``)."""
    from kinerja.record.snapshots import approved_inputs

    wanted = list(agency_ids)
    inputs = approved_inputs(wanted, year=year, quarter=quarter)
    if frozen_inputs is not None:  # the caller also reads the approved quarters' other data
        frozen_inputs.update(inputs)
    frozen = {
        agency_id: form_from_input(inp, rules=rules, ids=ids) for agency_id, inp in inputs.items()
    }
    as_of = quarter_end(year, quarter)
    items = list(
        WorkItem.objects.filter(agency_id__in=wanted, year=year)
        .order_by("agency_id", "position")
        .values_list(*_ITEM_COLUMNS)
    )
    realised: dict[int, list[Pair]] = {}
    values = Realisation.objects.filter(work_item__agency_id__in=wanted, work_item__year=year)
    for item_id, q, k, rp, unit in values.values_list(
        "work_item_id", "quarter", "value_k", "value_rp", "value_k_unit"
    ):
        if 1 <= q <= 4:
            realised.setdefault(item_id, [EMPTY] * 4)[q - 1] = _pair(k, rp, unit=unit)
    labels = {row[0]: label_of(row[3], row[4]) for row in items}
    if ids is not None:
        ids.update((label, pk) for pk, label in labels.items())
    rows: dict[int, list[FormRow]] = {}
    no_quarters = (EMPTY,) * 4
    for (pk, agency_id, parent_id, code, _position, level, name, indicator, unit, responsible,
         polarity, aggregation, target_k, target_upper, budget_original, budget_revised,
         budget_revised_on, renstra_k, renstra_rp, renstra_unit, before_k, before_rp, before_unit,
         indicator_of) in items:  # fmt: skip
        if agency_id in frozen:  # read from its snapshot
            continue
        quarters = realised.get(pk)
        rows.setdefault(agency_id, []).append(
            FormRow(
                id=labels[pk],
                level=_LEVELS[level],
                name=name,
                quarters=tuple(quarters) if quarters else no_quarters,  # type: ignore[arg-type]
                parent=labels.get(parent_id) if parent_id else None,
                code=code or None,
                indicator=indicator or None,
                unit=unit or None,
                responsible_unit=responsible or None,
                polarity=_POLARITIES[polarity],
                aggregation=_AGGREGATIONS[aggregation],
                renstra_target=_pair(renstra_k, renstra_rp, unit=renstra_unit),
                renstra_realised_before=_pair(before_k, before_rp, unit=before_unit),
                year_target=_pair(
                    target_k,
                    in_force(budget_original, budget_revised, budget_revised_on, as_of=as_of),
                    unit=unit,
                    upper=target_upper,
                ),  # fmt: skip
                continues=labels.get(indicator_of) if indicator_of else None,
            )
        )
    live = {
        agency_id: Form(year=year, quarter=quarter, rows=tuple(r), rules=rules or Rules())
        for agency_id, r in rows.items()
    }
    return live | frozen


def form_from_input(inp, *, rules: Rules | None = None, ids: dict[str, int] | None = None) -> Form:  # type: ignore[no-untyped-def]
    """The form of a ``kinerja.record`` QuarterInput (an approved quarter's snapshot): the same
    rows ``evaluation_forms`` reads from the live tables."""
    labels = {i.key: label_of(i.code, i.position) for i in inp.items}
    if ids is not None:
        ids.update((label, key) for key, label in labels.items())
    rows = tuple(
        FormRow(
            id=labels[i.key],
            level=_LEVELS[i.level],
            name=i.name,
            quarters=tuple(_pair(q.value_k, q.value_rp, unit=q.value_k_unit) for q in i.quarters),  # type: ignore[arg-type]
            parent=labels.get(i.parent_key) if i.parent_key else None,
            code=i.code or None,
            indicator=i.indicator or None,
            unit=i.unit or None,
            responsible_unit=i.responsible_unit or None,
            polarity=_POLARITIES[i.polarity],
            aggregation=_AGGREGATIONS[i.aggregation],
            renstra_target=_pair(
                i.renstra_target_k, i.renstra_target_rp, unit=i.renstra_target_unit
            ),  # fmt: skip
            renstra_realised_before=_pair(
                i.renstra_realised_k, i.renstra_realised_rp, unit=i.renstra_realised_unit
            ),  # fmt: skip
            year_target=_pair(i.target_k, i.budget, unit=i.unit, upper=i.target_k_upper),
            continues=labels.get(i.continues_key) if i.continues_key else None,
        )
        for i in inp.items
    )
    return Form(year=inp.year, quarter=inp.quarter, rows=rows, rules=rules or Rules())


def submission_status(agency: Agency, *, year: int, quarter: int) -> SubmissionStatus:
    """The state of an agency's quarter; Draft where nothing was recorded yet."""
    status = (
        QuarterSubmission.objects.filter(agency=agency, year=year, quarter=quarter)
        .values_list("status", flat=True)
        .first()
    )
    return SubmissionStatus(status) if status else SubmissionStatus.DRAFT
