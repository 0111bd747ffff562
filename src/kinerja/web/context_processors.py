"""What every page's layout needs: the agencies the user may open, the role, the picker —
set to the year and quarter of the page being viewed, elsewhere to the quarter that needs the
user's work (or the latest with data)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts import rules
from kinerja.accounts.models import Role
from kinerja.monitoring.worklist import focus
from kinerja.planning.models import Agency

QUARTERS = ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))


def _viewed_quarter(request: HttpRequest, kwargs: dict[str, Any]) -> tuple[int, int, str | None]:
    """The year and quarter of the page being viewed (its URL's ``year`` and ``quarter``);
    where the page has none (or they are out of range), the quarter that needs the user's
    work, else the latest with data (``monitoring.worklist.focus``, with its agency), else
    today's."""
    year, quarter = kwargs.get("year"), kwargs.get("quarter")
    if isinstance(year, int) and isinstance(quarter, int):
        if 2000 <= year <= 2100 and 1 <= quarter <= 4:
            return year, quarter, None
    today = timezone.localdate()
    found = focus(request.user, today=today)
    if found is not None:
        agency, year, quarter = found
        return year, quarter, agency.slug if agency is not None else None
    return today.year, (today.month - 1) // 3 + 1, None


def navigation(request: HttpRequest) -> dict[str, Any]:
    profile = rules.profile_of(getattr(request, "user", None))
    if profile is None:
        return {"nav": {}}
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    year, quarter, focused = _viewed_quarter(request, kwargs)
    agencies = Agency.objects.filter(government_id=profile.government_id).order_by("name")
    if profile.role == Role.OPERATOR:
        agencies = agencies.filter(pk=profile.agency_id)
    late = overview = None
    if rules.can_see_overview(request.user):
        late = reverse("web:late", kwargs={"year": year, "quarter": quarter})
        overview = reverse("web:overview", kwargs={"year": year, "quarter": quarter})
    from .rollup_pages import overview_url_for  # (rollup_pages imports the views)

    above = overview_url_for(request.user, year=year, quarter=quarter)
    return {
        "nav": {
            "agencies": list(agencies.only("slug", "abbreviation")),
            # the picker selects the agency being viewed, else the one that needs work
            "agency": kwargs.get("agency") or focused,
            "year": str(year),  # for the input: no thousands dot
            "quarter": quarter,
            "quarters": QUARTERS,
            "role": profile.get_role_display(),
            "late_url": late,
            "overview_url": overview,
            # the province's or the national overview, where the user may see it
            "above_label": above[0] if above else None,
            "above_url": above[1] if above else None,
        }
    }
