"""Permission predicates (STYLE: named predicates used by views, API, templates, tests)."""

from __future__ import annotations

from typing import Any

from kinerja.planning.models import Agency

from .models import Profile, Role


def profile_of(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        profile: Profile = user.profile
    except Profile.DoesNotExist:
        return None
    return profile


def has_role(user: Any, *roles: Role) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in roles


def can_edit_agency_data(user: Any, agency: Agency) -> bool:
    """Operators enter the plans and realisations of their own agency only."""
    profile = profile_of(user)
    return profile is not None and profile.role == Role.OPERATOR and profile.agency_id == agency.pk


def can_view_agency(user: Any, agency: Agency) -> bool:
    """Every role of the pemda reads every agency; operators their own."""
    profile = profile_of(user)
    if profile is None:
        return bool(getattr(user, "is_superuser", False))
    if profile.role == Role.OPERATOR:
        return profile.agency_id == agency.pk
    return profile.government_id == agency.government_id
