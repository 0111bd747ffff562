"""Template helpers of the planning editors: whether the user may edit an agency's plan
(``accounts.rules.can_edit_plan``) and the latest year with a Renja (where the button
"Siapkan rencana tahun …" stands)."""

from __future__ import annotations

from typing import Any

from django import template

from kinerja.accounts import rules

register = template.Library()


@register.filter
def can_edit_plan(user: Any, agency: Any) -> bool:
    return agency is not None and rules.can_edit_plan(user, agency)


@register.simple_tag
def latest_renja_year(agency: Any) -> int | None:
    from kinerja.planning.models import WorkItem

    year: int | None = (
        WorkItem.objects.filter(agency=agency).order_by("-year")
        .values_list("year", flat=True).first()
    )  # fmt: skip
    return year
