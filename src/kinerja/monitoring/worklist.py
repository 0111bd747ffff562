"""What each role has to do next (the start page's worklist) and the quarter that needs work
(where the start page and the header's picker open).

operator     its agency's quarters still to finish: open or overdue periods and returned
             quarters (with the reason), and those waiting at the verifikator or pimpinan
verifikator  the pemda's submitted quarters, oldest first; returned ones awaiting the operator
pimpinan     its agency's verified quarters awaiting approval, oldest first
admin        the agencies late for the latest closed periods (``workflow.late_agencies``)
             and the periods open now

Read-only queries, a fixed number of them whatever the number of agencies and quarters.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.accounts.models import Role
from kinerja.accounts.rules import profile_of, reads_from_above
from kinerja.core.numbers import QUARTER_ROMAN, format_number
from kinerja.planning.models import Agency, Government, WorkItem
from kinerja.reporting.dates import indonesian_date

from .models import QuarterSubmission, Realisation, ReportingPeriod, SubmissionEvent
from .models import SubmissionStatus as S

Key = tuple[int, int, int]  # agency id, year, quarter


@dataclasses.dataclass
class Entry:
    """One quarter of one agency on a worklist."""

    agency: Agency
    year: int
    quarter: int
    status: S
    url: str = ""
    closes_on: date | None = None
    days_left: int | None = None  # negative: the period closed that many days ago
    filled: int = 0  # Renja rows with a realisation value in the quarter
    rows: int = 0  # the year's Renja rows
    reason: str = ""  # the latest return's reason (Dikembalikan)
    since: datetime | None = None  # when the quarter reached its status

    @property
    def editable(self) -> bool:
        return self.status in S.editable()

    @property
    def period_open(self) -> bool:
        """Its reporting period is open today: the operator can enter and submit."""
        return self.days_left is not None and self.days_left >= 0


@dataclasses.dataclass
class LatePeriod:
    """A closed period of the pemda and its agencies still late for it."""

    year: int
    quarter: int
    closes_on: date
    agencies: list[Agency]
    url: str


def quarter_name(year: int, quarter: int) -> str:
    """«Triwulan II 2024»."""
    return _("Triwulan %(q)s %(y)s") % {"q": QUARTER_ROMAN[quarter - 1], "y": year}


def deadline(closes_on: date | None, days_left: int | None) -> str:
    """«ditutup 5 Januari 2027, 30 hari lagi», «… hari ini hari terakhir», «… terlambat 3
    hari»; empty without a period."""
    if closes_on is None or days_left is None:
        return ""
    n = format_number(Decimal(abs(days_left)))
    if days_left > 0:
        left = ngettext("%(n)s hari lagi", "%(n)s hari lagi", days_left) % {"n": n}
    elif days_left == 0:
        left = _("hari ini hari terakhir")
    else:
        left = ngettext("terlambat %(n)s hari", "terlambat %(n)s hari", -days_left) % {"n": n}
    return _("ditutup %(date)s, %(left)s") % {"date": indonesian_date(closes_on), "left": left}


def rows_filled(keys: Iterable[Key]) -> dict[Key, tuple[int, int]]:
    """(rows with a realisation value in the quarter, rows of the year's Renja) per key: two
    queries."""
    keys = set(keys)
    if not keys:
        return {}
    agency_ids = {k[0] for k in keys}
    years = {k[1] for k in keys}
    totals = {
        (a, y): n
        for a, y, n in WorkItem.objects.filter(agency_id__in=agency_ids, year__in=years)
        .values("agency_id", "year")
        .annotate(n=Count("id"))
        .values_list("agency_id", "year", "n")
        .order_by()
    }
    filled = {
        (a, y, q): n
        for a, y, q, n in Realisation.objects.filter(
            work_item__agency_id__in=agency_ids, work_item__year__in=years,
            quarter__in={k[2] for k in keys},
        )
        .filter(Q(value_k__isnull=False) | Q(value_rp__isnull=False))
        .values("work_item__agency_id", "work_item__year", "quarter")
        .annotate(n=Count("work_item", distinct=True))
        .values_list("work_item__agency_id", "work_item__year", "quarter", "n")
        .order_by()
    }  # fmt: skip
    return {k: (filled.get(k, 0), totals.get(k[:2], 0)) for k in keys}


def _latest_events(submissions: list[QuarterSubmission], to: S) -> dict[int, SubmissionEvent]:
    """Each submission's latest event into state ``to``: one query."""
    out: dict[int, SubmissionEvent] = {}
    for event in SubmissionEvent.objects.filter(submission__in=submissions, to_status=to).order_by(
        "at", "pk"
    ):
        out[event.submission_id] = event
    return out


def _quarter_url(agency: Agency, year: int, quarter: int) -> str:
    return reverse("web:quarter", kwargs={"agency": agency.slug, "year": year, "quarter": quarter})


def _grid_url(agency: Agency, year: int, quarter: int) -> str:
    return reverse("monitoring:grid",
                   kwargs={"agency": agency.slug, "year": year, "quarter": quarter})  # fmt: skip


def _waiting(submissions: list[QuarterSubmission], to: S) -> list[Entry]:
    """Entries of the submissions in state ``to``, oldest in that state first, with the
    reason of the event that brought them there, and their rows filled."""
    events = _latest_events(submissions, to)
    filled = rows_filled((s.agency_id, s.year, s.quarter) for s in submissions)
    entries = []
    for s in submissions:
        event = events.get(s.pk)
        done, total = filled[(s.agency_id, s.year, s.quarter)]
        entries.append(Entry(
            agency=s.agency, year=s.year, quarter=s.quarter, status=S(s.status),
            url=_quarter_url(s.agency, s.year, s.quarter), filled=done, rows=total,
            reason=event.reason if event else "", since=event.at if event else s.updated_at,
        ))  # fmt: skip
    entries.sort(key=lambda e: (e.since, e.agency.name, e.year, e.quarter))
    return entries


def _submissions(status: S, **where: Any) -> list[QuarterSubmission]:
    return list(QuarterSubmission.objects.filter(status=status, **where).select_related("agency"))


def verifier_queue(government: Government) -> list[Entry]:
    """The pemda's submitted quarters (Diajukan), the oldest submission first."""
    return _waiting(_submissions(S.SUBMITTED, agency__government=government), S.SUBMITTED)


def returned_quarters(government: Government | None = None, agency: Agency | None = None
                      ) -> list[Entry]:  # fmt: skip
    """Quarters returned to the operator (Dikembalikan), with the return's reason."""
    where = {"agency": agency} if agency is not None else {"agency__government": government}
    return _waiting(_submissions(S.RETURNED, **where), S.RETURNED)


def head_queue(agency: Agency | None) -> list[Entry]:
    """The agency's verified quarters (Diverifikasi) awaiting its head's approval."""
    if agency is None:
        return []
    return _waiting(_submissions(S.VERIFIED, agency=agency), S.VERIFIED)


def operator_worklist(agency: Agency, *, today: date) -> list[Entry]:
    """The agency's quarters not yet approved whose period has opened (open, or closed and
    overdue) in a year it has a Renja, and every returned quarter: first those the operator
    can work on now (Draf or Dikembalikan in an open period, the earliest closing first),
    then the overdue ones (entry and Ajukan wait for the admin to extend the period), then
    those waiting at others."""
    years = set(WorkItem.objects.filter(agency=agency).values_list("year", flat=True).distinct())
    periods = {
        (p.year, p.quarter): p
        for p in ReportingPeriod.objects.filter(government_id=agency.government_id,
                                                opens_on__lte=today, year__in=years)
    }  # fmt: skip
    submissions = {(s.year, s.quarter): s for s in QuarterSubmission.objects.filter(agency=agency)}
    wanted = {yq for yq in periods if getattr(submissions.get(yq), "status", S.DRAFT) != S.APPROVED}
    wanted |= {yq for yq, s in submissions.items() if s.status == S.RETURNED}
    returns = _latest_events([s for s in submissions.values() if s.status == S.RETURNED],
                             S.RETURNED)  # fmt: skip
    filled = rows_filled((agency.pk, y, q) for y, q in wanted)
    entries = []
    for year, quarter in wanted:
        period, submission = periods.get((year, quarter)), submissions.get((year, quarter))
        status = S(submission.status) if submission else S.DRAFT
        event = returns.get(submission.pk) if submission else None
        done, total = filled[(agency.pk, year, quarter)]
        entry = Entry(agency=agency, year=year, quarter=quarter, status=status,
                      filled=done, rows=total, reason=event.reason if event else "",
                      since=event.at if event else None)  # fmt: skip
        if period is not None:
            entry.closes_on = period.closes_on
            entry.days_left = (period.closes_on - today).days
        entry.url = (_grid_url if entry.editable else _quarter_url)(agency, year, quarter)
        entries.append(entry)
    far = date.max
    entries.sort(key=lambda e: (not e.editable, not e.period_open, e.closes_on or far, e.year,
                                e.quarter))  # fmt: skip
    return entries


def late_periods(government: Government, *, today: date, last: int = 4) -> list[LatePeriod]:
    """The ``last`` periods that closed before today, latest first, each with its late
    agencies (``workflow.late_agencies``, the "Terlambat melapor" page's query)."""
    from .workflow import late_agencies

    closed = ReportingPeriod.objects.filter(government=government, closes_on__lt=today)
    out = []
    for p in closed.order_by("-closes_on", "-year", "-quarter")[:last]:
        late = late_agencies(government, year=p.year, quarter=p.quarter, today=today)
        if late:
            url = reverse("web:late", kwargs={"year": p.year, "quarter": p.quarter})
            out.append(LatePeriod(p.year, p.quarter, p.closes_on, late, url))
    return out


def open_periods(government: Government, *, today: date) -> list[ReportingPeriod]:
    """The pemda's periods open today, the earliest closing first."""
    return list(
        ReportingPeriod.objects.filter(government=government, opens_on__lte=today,
                                       closes_on__gte=today).order_by("closes_on")
    )  # fmt: skip


def latest_with_data(agency_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Each agency's latest (year, quarter) with realisations that someone worked on (it has
    a submission row, as every entry creates) — a value printed ahead of its quarter (the
    seed's TW III/IV in a TW I report) does not make that quarter the latest; else the latest
    with any realisation. Agencies without realisations are left out. Two queries."""
    ids = list(agency_ids)
    states = set(QuarterSubmission.objects.filter(agency_id__in=ids)
                 .values_list("agency_id", "year", "quarter"))  # fmt: skip
    worked: dict[int, set[tuple[int, int]]] = {}
    anything: dict[int, set[tuple[int, int]]] = {}
    for a, y, q in (
        Realisation.objects.filter(work_item__agency_id__in=ids, quarter__in=(1, 2, 3, 4))
        .values_list("work_item__agency_id", "work_item__year", "quarter")
        .distinct()
        .order_by()
    ):
        anything.setdefault(a, set()).add((y, q))
        if (a, y, q) in states:
            worked.setdefault(a, set()).add((y, q))
    return {a: max(worked.get(a) or quarters) for a, quarters in anything.items()}


# the attribute of the request's user where the start page leaves (today, its queue)
BUILT_QUEUE = "_kinerja_worklist_queue"


def _queue(profile: Any, today: date) -> list[Entry]:
    """The quarters this profile has to act on, in the order to take them; none for a reader
    above the pemda (rules.reads_from_above), whose pemda's queue is not its work."""
    if reads_from_above(profile):
        return []
    if profile.role == Role.OPERATOR and profile.agency is not None:
        return [e for e in operator_worklist(profile.agency, today=today) if e.editable]
    if profile.role == Role.VERIFIER:
        return verifier_queue(profile.government)
    if profile.role == Role.HEAD:
        return head_queue(profile.agency)
    return []


def needs_work(user: Any, *, today: date) -> dict[int, tuple[int, int]]:
    """Per agency, the quarter this user has to act on first: the operator's quarter to
    finish, the verifikator's oldest submitted, the pimpinan's oldest verified. Empty for
    the other roles and where nothing waits."""
    profile = profile_of(user)
    out: dict[int, tuple[int, int]] = {}
    for e in _queue(profile, today) if profile is not None else []:
        out.setdefault(e.agency.pk, (e.year, e.quarter))
    return out


def focus(user: Any, *, today: date) -> tuple[Agency | None, int, int] | None:
    """Where the start page and the picker open: the first quarter that needs this user's
    work, else the latest quarter with data of the agencies the user reads (the own agency
    of an operator or pimpinan); None where there is none. The start page built this
    user's queue for its worklist already and left it on the request's user object
    (``BUILT_QUEUE``): taken from there rather than built twice in one request."""
    profile = profile_of(user)
    if profile is None:
        return None
    built = getattr(user, BUILT_QUEUE, None)
    queue = built[1] if built is not None and built[0] == today else _queue(profile, today)
    if queue:
        return queue[0].agency, queue[0].year, queue[0].quarter
    agencies = Agency.objects.filter(government_id=profile.government_id)
    if profile.role in (Role.OPERATOR, Role.HEAD) and profile.agency_id is not None:
        agencies = agencies.filter(pk=profile.agency_id)
    latest = latest_with_data(agencies.values_list("pk", flat=True))
    if not latest:
        return None
    agency_id, (year, quarter) = max(latest.items(), key=lambda kv: (kv[1], -kv[0]))
    return Agency.objects.filter(pk=agency_id).first(), year, quarter
