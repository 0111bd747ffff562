"""What every page's layout needs: the agencies the user may open, the role, the picker."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts import rules
from kinerja.accounts.models import Role
from kinerja.planning.models import Agency

QUARTERS = ((1, "I"), (2, "II"), (3, "III"), (4, "IV"))


def navigation(request: HttpRequest) -> dict[str, Any]:
    profile = rules.profile_of(getattr(request, "user", None))
    if profile is None:
        return {"nav": {}}
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    agencies = Agency.objects.filter(government_id=profile.government_id).order_by("name")
    if profile.role == Role.OPERATOR:
        agencies = agencies.filter(pk=profile.agency_id)
    late = overview = None
    if profile.role != Role.OPERATOR:
        late = reverse("web:late", kwargs={"year": today.year, "quarter": quarter})
        overview = reverse("web:overview", kwargs={"year": today.year, "quarter": quarter})
    return {
        "nav": {
            "agencies": list(agencies.only("slug", "abbreviation")),
            "year": str(today.year),  # for the input: no thousands dot
            "quarter": quarter,
            "quarters": QUARTERS,
            "role": profile.get_role_display(),
            "late_url": late,
            "overview_url": overview,
        }
    }
