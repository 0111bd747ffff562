"""Read queries of quarterly data; the evaluation form as the database holds it."""

from __future__ import annotations

from kinerja.core.achievement import Polarity
from kinerja.core.aggregate import Aggregation
from kinerja.core.form import EMPTY, Form, FormRow, Level, Pair, Rules
from kinerja.core.numbers import strip_zeros
from kinerja.planning.models import Agency
from kinerja.planning.queries import work_item_label, work_items_for_agency

from .models import QuarterSubmission, Realisation, SubmissionStatus


def _pair(k, rp, *, unit: str = "", upper=None) -> Pair:  # type: ignore[no-untyped-def]
    k, rp, upper = strip_zeros(k), strip_zeros(rp), strip_zeros(upper)
    if k is None and rp is None and upper is None:
        return EMPTY
    return Pair(k=k, rp=rp, k_upper=upper, k_unit=unit or None)


def evaluation_form(agency: Agency, *, year: int, quarter: int, rules: Rules | None = None) -> Form:
    """The Permendagri 86/2017 form of an agency's year, in the form's order: two queries."""
    items = work_items_for_agency(agency, year=year)
    by_item: dict[int, dict[int, Realisation]] = {}
    for r in Realisation.objects.filter(work_item__agency=agency, work_item__year=year):
        by_item.setdefault(r.work_item_id, {})[r.quarter] = r
    labels = {item.pk: work_item_label(item) for item in items}
    rows = []
    for item in items:
        realised = by_item.get(item.pk, {})
        quarters = tuple(
            _pair(r.value_k, r.value_rp, unit=r.value_k_unit) if r else EMPTY
            for r in (realised.get(q) for q in (1, 2, 3, 4))
        )
        rows.append(
            FormRow(
                id=labels[item.pk],
                level=Level(item.level),
                name=item.name,
                quarters=quarters,  # type: ignore[arg-type]
                parent=labels.get(item.parent_id) if item.parent_id else None,
                code=item.code or None,
                indicator=item.indicator or None,
                unit=item.unit or None,
                responsible_unit=item.responsible_unit.name if item.responsible_unit else None,
                polarity=Polarity(item.polarity),
                aggregation=Aggregation(item.aggregation),
                renstra_target=_pair(
                    item.renstra_target_k, item.renstra_target_rp, unit=item.renstra_target_unit
                ),  # fmt: skip
                renstra_realised_before=_pair(
                    item.renstra_realised_k,
                    item.renstra_realised_rp,
                    unit=item.renstra_realised_unit,
                ),  # fmt: skip
                year_target=_pair(
                    item.target_k, item.budget, unit=item.unit, upper=item.target_k_upper
                ),  # fmt: skip
            )
        )
    return Form(year=year, quarter=quarter, rows=tuple(rows), rules=rules or Rules())


def submission_status(agency: Agency, *, year: int, quarter: int) -> SubmissionStatus:
    """The state of an agency's quarter; Draft where nothing was recorded yet."""
    status = (
        QuarterSubmission.objects.filter(agency=agency, year=year, quarter=quarter)
        .values_list("status", flat=True)
        .first()
    )
    return SubmissionStatus(status) if status else SubmissionStatus.DRAFT


def latest_quarter_with_data(agency: Agency, *, year: int) -> int:
    quarter = (
        Realisation.objects.filter(work_item__agency=agency, work_item__year=year)
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    return quarter or 1
