"""Permission predicates (STYLE: named predicates used by views, API, templates, tests)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kinerja.planning.models import Agency, Government, Province

from .models import PROVINCE_ROLES, Profile, Role


def profile_of(user: Any) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        profile: Profile = user.profile
    except Profile.DoesNotExist:
        return None
    return profile


def reads_from_above(profile: Profile | None) -> bool:
    """A reader above the pemda: the national reader, or a verifikator, evaluator or admin
    with a province scope. Read only: they act in no pemda, their own included (no step of
    the workflow, no plan or realisation, no mail about who acts next) — though a profile
    names a pemda, every step stays with that pemda's own roles (issue 18)."""
    return profile is not None and (profile.role == Role.NATIONAL
                                    or profile.province_id is not None)  # fmt: skip


# ``reads_from_above`` as a query on Profile: the profiles that may act in their pemda (the
# recipients of the workflow's mails, reminders.py)
ACTS_IN_PEMDA = Q(province__isnull=True) & ~Q(role=Role.NATIONAL)


def has_role(user: Any, *roles: Role) -> bool:
    profile = profile_of(user)
    return profile is not None and profile.role in roles


def can_edit_agency_data(user: Any, agency: Agency) -> bool:
    """Operators enter the plans and realisations of their own agency only."""
    profile = profile_of(user)
    return (profile is not None and not reads_from_above(profile)
            and profile.role == Role.OPERATOR and profile.agency_id == agency.pk)  # fmt: skip


def can_edit_plan(user: Any, agency: Agency) -> bool:
    """The plan (Renstra, IKU, Renja, PK) is the agency's own data: its operator edits it, and
    the admin of its pemda may act for it (setting up a new agency, importing its plan)."""
    profile = profile_of(user)
    if profile is None or reads_from_above(profile):
        return False
    if profile.role == Role.ADMIN:
        return profile.government_id == agency.government_id
    return profile.role == Role.OPERATOR and profile.agency_id == agency.pk


def can_view_agency(user: Any, agency: Agency) -> bool:
    """Every role of the pemda reads every agency; operators their own."""
    profile = profile_of(user)
    if profile is None:
        return bool(getattr(user, "is_superuser", False))
    if profile.role == Role.OPERATOR:
        return profile.agency_id == agency.pk
    return profile.government_id == agency.government_id


# ---- the quarter's workflow (monitoring/workflow.py) -----------------------------------------


def _in_government(profile: Profile | None, agency: Agency, *roles: Role) -> bool:
    """One of ``roles`` of the agency's pemda, acting in it (not a reader from above)."""
    return (
        profile is not None
        and not reads_from_above(profile)
        and profile.role in roles
        and profile.government_id == agency.government_id
    )


def can_submit(user: Any, agency: Agency) -> bool:
    """Only the agency's own operator submits its quarter."""
    return can_edit_agency_data(user, agency)


def can_verify(user: Any, agency: Agency) -> bool:
    """A verifikator of the agency's pemda verifies or returns its quarter."""
    return _in_government(profile_of(user), agency, Role.VERIFIER)


def can_approve(user: Any, agency: Agency) -> bool:
    """Only the head of that agency approves (sahkan) its verified quarter; a regent-level
    head (no agency) approves none."""
    profile = profile_of(user)
    return (profile is not None and not reads_from_above(profile)
            and profile.role == Role.HEAD and profile.agency_id == agency.pk)  # fmt: skip


def can_reopen(user: Any, agency: Agency) -> bool:
    """The admin of the agency's pemda reopens a quarter (with a reason)."""
    return _in_government(profile_of(user), agency, Role.ADMIN)


def can_note(user: Any, agency: Agency) -> bool:
    """A verifikator of the agency's pemda leaves notes on the rows of its quarters."""
    return _in_government(profile_of(user), agency, Role.VERIFIER)


def can_reply_note(user: Any, agency: Agency) -> bool:
    """The agency's own operator answers the verifikator's notes on its rows."""
    return can_edit_agency_data(user, agency)


def can_settle_note(user: Any, agency: Agency) -> bool:
    """A verifikator of the agency's pemda marks a note on its rows as settled (selesai)."""
    return can_note(user, agency)


def is_reader_of(user: Any, agency: Agency) -> bool:
    """Every role of the agency's pemda reads it, except operators of other agencies; from
    above, the users of its province and the national reader (the overviews' drill-down)."""
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.government_id != agency.government_id:
        return _reads_from_above(profile, agency.government)
    return profile.role != Role.OPERATOR or profile.agency_id == agency.pk


def agencies_read_by(user: Any) -> Q | None:
    """``is_reader_of`` as a query on Agency, for lists (the API's /agencies): one filter in
    the database, never a check per agency. None where the user reads none."""
    profile = profile_of(user)
    if profile is None:
        return None
    if profile.role == Role.OPERATOR:
        return Q(pk=profile.agency_id, government_id=profile.government_id)
    if profile.role == Role.NATIONAL:
        return Q()
    own = Q(government_id=profile.government_id)
    if profile.province_id is not None and profile.role in PROVINCE_ROLES:
        return own | Q(government__province_id=profile.province_id)
    return own


def governments_read_by(user: Any) -> Q | None:
    """The pemda whose agencies the user reads (``agencies_read_by``), as a query on
    Government: the own one, and from above its province's or the country's."""
    profile = profile_of(user)
    if profile is None:
        return None
    if profile.role == Role.NATIONAL:
        return Q()
    own = Q(pk=profile.government_id)
    if profile.province_id is not None and profile.role in PROVINCE_ROLES:
        return own | Q(province_id=profile.province_id)
    return own


def can_see_overview(user: Any) -> bool:
    """The pemda overview and the list of late agencies: every role of the pemda except
    operators, who see their own agency only."""
    profile = profile_of(user)
    return profile is not None and profile.role != Role.OPERATOR


# ---- above the pemda: the province and the country (issue 18; web/rollup_pages.py) --------


def province_scope_of(user: Any) -> int | None:
    """The id of the province whose pemda the user reads (a verifikator, evaluator or admin
    of a province), else None."""
    profile = profile_of(user)
    if profile is None or profile.role not in PROVINCE_ROLES:
        return None
    return profile.province_id


def _reads_from_above(profile: Profile, government: Government) -> bool:
    if profile.role == Role.NATIONAL:
        return True
    return (profile.province_id is not None and profile.role in PROVINCE_ROLES
            and government.province_id == profile.province_id)  # fmt: skip


def can_see_national(user: Any) -> bool:
    """The national overview (every province): the national reader only."""
    return has_role(user, Role.NATIONAL)


def can_see_province(user: Any, province: Province) -> bool:
    """A province's overview (its pemda): the national reader, and the verifikator,
    evaluator and admin of that province."""
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.role == Role.NATIONAL:
        return True
    return province_scope_of(user) == province.pk


def can_see_pemda_overview(user: Any, government: Government) -> bool:
    """A pemda's overview: every role of that pemda except operators (``can_see_overview``),
    and from above the users of its province and the national reader."""
    profile = profile_of(user)
    if profile is None:
        return False
    if profile.government_id == government.pk:
        return can_see_overview(user)
    return _reads_from_above(profile, government)


def province_code_of(user: Any) -> str | None:
    """The code of the province whose overview is the user's own (see ``province_scope_of``)."""
    if province_scope_of(user) is None:
        return None
    profile = profile_of(user)
    return profile.province.code if profile is not None and profile.province else None
