"""The start page's worklist, by role (``monitoring.worklist``), written for the reader:
dates as «16 April 2024», counts as «11 / 61», days left in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kinerja.accounts.models import Role
from kinerja.accounts.rules import profile_of, reads_from_above
from kinerja.core.numbers import format_number
from kinerja.monitoring import worklist
from kinerja.monitoring.worklist import deadline, quarter_name
from kinerja.reporting.dates import indonesian_date


def _n(value: int) -> str:
    return format_number(Decimal(value))


def _shown(entry: worklist.Entry, action: str) -> dict[str, Any]:
    return {
        "agency": entry.agency,
        "name": quarter_name(entry.year, entry.quarter),
        "status": entry.status.label,
        "status_code": entry.status.value,
        "url": entry.url,
        "action": action,
        "deadline": deadline(entry.closes_on, entry.days_left),
        "late": entry.editable and entry.days_left is not None and entry.days_left < 0,
        "closed": entry.editable and not entry.period_open,
        "soon": entry.days_left is not None and 0 <= entry.days_left <= 7 and entry.editable,
        "filled": _("%(done)s / %(total)s baris terisi")
        % {"done": _n(entry.filled), "total": _n(entry.rows)},
        "reason": entry.reason,
        "since": indonesian_date(entry.since.date()) if entry.since else "",
    }


def _operator(profile: Any, today: date) -> tuple[dict[str, Any], list[worklist.Entry]]:
    entries = worklist.operator_worklist(profile.agency, today=today)
    todo = [e for e in entries if e.editable]
    waiting = [e for e in entries if not e.editable]
    return {
        "todo": [_shown(e, _("Perbaiki realisasi") if e.reason else _("Isi realisasi"))
                 for e in todo],
        "waiting": [_shown(e, _("Lihat triwulan")) for e in waiting],
    }, todo  # fmt: skip


def _verifier(profile: Any) -> tuple[dict[str, Any], list[worklist.Entry]]:
    queue = worklist.verifier_queue(profile.government)
    returned = worklist.returned_quarters(government=profile.government)
    return {
        "queue": [_shown(e, _("Periksa")) for e in queue],
        "returned": [_shown(e, _("Lihat triwulan")) for e in returned],
    }, queue


def _head(profile: Any) -> tuple[dict[str, Any], list[worklist.Entry]]:
    queue = worklist.head_queue(profile.agency)
    return {"approve": [_shown(e, _("Periksa dan sahkan")) for e in queue]}, queue


def _admin(profile: Any, today: date) -> dict[str, Any]:
    late = [
        {"name": quarter_name(p.year, p.quarter), "closes": indonesian_date(p.closes_on),
         "agencies": p.agencies, "count": _n(len(p.agencies)), "url": p.url}
        for p in worklist.late_periods(profile.government, today=today)
    ]  # fmt: skip
    periods = [
        {"name": quarter_name(p.year, p.quarter),
         "deadline": deadline(p.closes_on, (p.closes_on - today).days)}
        for p in worklist.open_periods(profile.government, today=today)
    ]  # fmt: skip
    return {"late": late, "open_periods": periods}


def start_page(user: Any, *, today: date) -> dict[str, Any]:
    """``work``: the worklist of the user's role (None for a role without one: evaluator);
    ``needs``: per agency id, the (year, quarter) the user has to act on first; ``queue``:
    the quarters to act on, in order (``worklist.focus`` takes it rather than build it again,
    ``worklist.BUILT_QUEUE``; None where the role has no worklist). A reader above the pemda
    (province scope, national reader) has none: its pemda's queues are not its work."""
    profile = profile_of(user)
    if profile is None or reads_from_above(profile):
        return {"work": None, "needs": {}, "queue": None}
    entries: list[worklist.Entry] = []
    if profile.role == Role.OPERATOR and profile.agency is not None:
        work, entries = _operator(profile, today)
    elif profile.role == Role.VERIFIER:
        work, entries = _verifier(profile)
    elif profile.role == Role.HEAD:
        work, entries = _head(profile)
        work["no_agency"] = profile.agency is None
    elif profile.role == Role.ADMIN:
        work = _admin(profile, today)
    else:
        return {"work": None, "needs": {}, "queue": None}
    work["role"] = profile.role
    needs: dict[int, tuple[int, int]] = {}
    for e in entries:
        needs.setdefault(e.agency.pk, (e.year, e.quarter))
    return {"work": work, "needs": needs, "queue": entries}
