"""E-mail reminders, in Indonesian, through Django's mail backend (settings EMAIL_BACKEND):

- after a quarter changes state (``workflow._transition``, on the transaction's commit): the
  people who act next — submitted → the pemda's verifikators; returned → the agency's
  operators, with the reason; verified → the agency's pimpinan; approved → its operators;
- ``kinerja remind [--hari N]`` (``remind``): the operators whose reporting period closes
  within N days while their quarter is not yet submitted, with the rows filled.

A user who turned reminders off (``Profile.reminders``, /akun/pengingat/) or has no e-mail
address gets none; inactive users neither. Each mail goes to one person (no one sees the
others' addresses) and links to the page to act on (settings KINERJA_BASE_URL).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kinerja.accounts.models import Profile, Role
from kinerja.accounts.rules import ACTS_IN_PEMDA
from kinerja.core.numbers import format_number
from kinerja.planning.models import Agency, WorkItem
from kinerja.reporting.dates import indonesian_date

from .models import QuarterSubmission, ReportingPeriod, SubmissionEvent, SubmissionStatus
from .worklist import deadline, quarter_name, rows_filled

S = SubmissionStatus
# the state a quarter reached → who acts next: (role, whether of the agency or of its pemda)
NEXT: dict[str, tuple[Role, str]] = {
    S.SUBMITTED: (Role.VERIFIER, "government"),
    S.RETURNED: (Role.OPERATOR, "agency"),
    S.VERIFIED: (Role.HEAD, "agency"),
    S.APPROVED: (Role.OPERATOR, "agency"),
}


@dataclasses.dataclass
class Recipients:
    """The people a mail is for, split by whether it can go to them."""

    to: list[Any] = dataclasses.field(default_factory=list)  # users with an address, on
    turned_off: list[Any] = dataclasses.field(default_factory=list)
    no_address: list[Any] = dataclasses.field(default_factory=list)


def _split(profiles: Iterable[Profile]) -> Recipients:
    out = Recipients()
    for profile in profiles:
        user = profile.user
        if not profile.reminders:
            out.turned_off.append(user)
        elif not (user.email or "").strip():
            out.no_address.append(user)
        else:
            out.to.append(user)
    return out


def recipients(role: Role, agency: Agency, scope: str) -> Recipients:
    """The active users of ``role`` of the agency (``scope`` "agency") or of its pemda who act
    in it: not the readers above the pemda registered there (a province scope, the national
    reader: rules.reads_from_above)."""
    where = Q(agency=agency) if scope == "agency" else Q(government_id=agency.government_id)
    profiles = (
        Profile.objects.filter(where, ACTS_IN_PEMDA, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    return _split(profiles)


def link(path: str) -> str:
    return f"{settings.KINERJA_BASE_URL}{path}"


def _name(user: Any) -> str:
    if user is None:
        return _("sistem")
    return user.get_full_name() or user.get_username()


def _footer() -> str:
    return _("Surel ini dikirim otomatis oleh Kinerja. Pengingat dapat Anda matikan di %(url)s") % {
        "url": link(reverse("reminders"))
    }


def _transition_text(event: SubmissionEvent) -> tuple[str, str]:
    """The subject and the first paragraph of the mail about ``event``."""
    submission = event.submission
    agency = submission.agency
    what = {
        "quarter": quarter_name(submission.year, submission.quarter),
        "agency": agency.name,
        "who": _name(event.actor),
        "date": indonesian_date(timezone.localtime(event.at).date()),
    }
    to = event.to_status
    if to == S.SUBMITTED:
        subject = _("%(quarter)s %(agency)s diajukan, menunggu verifikasi")
        text = _("%(quarter)s %(agency)s diajukan oleh %(who)s pada %(date)s dan menunggu "
                 "verifikasi Anda.")  # fmt: skip
    elif to == S.RETURNED:
        subject = _("%(quarter)s %(agency)s dikembalikan untuk diperbaiki")
        text = _("%(quarter)s %(agency)s dikembalikan oleh %(who)s pada %(date)s. Perbaiki, "
                 "lalu ajukan kembali.")  # fmt: skip
    elif to == S.VERIFIED:
        subject = _("%(quarter)s %(agency)s diverifikasi, menunggu pengesahan")
        text = _("%(quarter)s %(agency)s diverifikasi oleh %(who)s pada %(date)s dan menunggu "
                 "pengesahan Anda.")  # fmt: skip
    else:
        subject = _("%(quarter)s %(agency)s disahkan")
        text = _("%(quarter)s %(agency)s disahkan oleh %(who)s pada %(date)s.")
    return "[Kinerja] " + subject % what, text % what


def transition_messages(event: SubmissionEvent) -> tuple[list[EmailMessage], Recipients]:
    """The mails about one transition, one per recipient, and who gets them."""
    if event.to_status not in NEXT:
        return [], Recipients()
    role, scope = NEXT[event.to_status]
    submission = event.submission
    who = recipients(role, submission.agency, scope)
    subject, first = _transition_text(event)
    url = link(reverse("web:quarter", kwargs={"agency": submission.agency.slug,
                                              "year": submission.year,
                                              "quarter": submission.quarter}))  # fmt: skip
    parts = [first]
    if event.reason:
        parts.append(_("Alasan: %(reason)s") % {"reason": event.reason})
    parts.append(_("Buka: %(url)s") % {"url": url})
    messages = []
    for user in who.to:
        greeting = _("Yth. %(name)s,") % {"name": _name(user)}
        body = "\n\n".join([greeting, *parts, "-- \n" + _footer()]) + "\n"
        messages.append(EmailMessage(subject, body, to=[user.email]))
    return messages, who


def notify_transition(event_id: int) -> int:
    """Mail who acts next after the transition ``event_id``; the number of mails sent. Run
    on the transaction's commit (``workflow._transition``), so a refused or rolled-back
    transition mails nobody."""
    event = (
        SubmissionEvent.objects.select_related("submission__agency", "actor")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        messages, _who = transition_messages(event)
    if not messages:
        return 0
    return int(get_connection().send_messages(messages) or 0)


# ---- kinerja remind ---------------------------------------------------------------------


@dataclasses.dataclass
class Due:
    """An agency's quarter whose period closes soon and which is not yet submitted."""

    agency: Agency
    period: ReportingPeriod
    status: SubmissionStatus
    filled: int
    rows: int
    days_left: int

    def line(self) -> str:
        return _("%(agency)s, %(quarter)s (%(status)s): %(deadline)s; %(done)s / %(total)s "
                 "baris terisi") % {
            "agency": self.agency.name,
            "quarter": quarter_name(self.period.year, self.period.quarter),
            "status": self.status.label,
            "deadline": deadline(self.period.closes_on, self.days_left),
            "done": format_number(Decimal(self.filled)),
            "total": format_number(Decimal(self.rows)),
        }  # fmt: skip

    def url(self) -> str:
        return link(reverse("monitoring:grid", kwargs={
            "agency": self.agency.slug, "year": self.period.year,
            "quarter": self.period.quarter}))  # fmt: skip


@dataclasses.dataclass
class RemindReport:
    sent: list[tuple[Any, list[Due]]] = dataclasses.field(default_factory=list)
    turned_off: list[Any] = dataclasses.field(default_factory=list)
    no_address: list[Any] = dataclasses.field(default_factory=list)
    already: list[Any] = dataclasses.field(default_factory=list)  # reminded earlier today
    failed: list[tuple[Any, str]] = dataclasses.field(default_factory=list)
    due: list[Due] = dataclasses.field(default_factory=list)


def due_quarters(*, today: date, days: int) -> list[Due]:
    """Every agency's quarter whose period is open today and closes within ``days`` days,
    in a year the agency has a Renja, still Draf or Dikembalikan (or never started)."""
    periods = list(ReportingPeriod.objects.filter(
        opens_on__lte=today, closes_on__gte=today, closes_on__lte=today + timedelta(days=days)
    ).select_related("government").order_by("closes_on", "government_id"))  # fmt: skip
    out: list[Due] = []
    for period in periods:
        agencies = list(Agency.objects.filter(
            government=period.government,
            pk__in=WorkItem.objects.filter(year=period.year).values("agency_id"),
        ).order_by("name"))  # fmt: skip
        states = dict(QuarterSubmission.objects.filter(
            agency__in=agencies, year=period.year, quarter=period.quarter
        ).values_list("agency_id", "status"))  # fmt: skip
        open_ones = [a for a in agencies if states.get(a.pk, S.DRAFT) in S.editable()]
        filled = rows_filled((a.pk, period.year, period.quarter) for a in open_ones)
        for agency in open_ones:
            done, total = filled[(agency.pk, period.year, period.quarter)]
            out.append(Due(agency, period, S(states.get(agency.pk, S.DRAFT)), done, total,
                           (period.closes_on - today).days))  # fmt: skip
    return out


def remind(*, days: int, today: date | None = None) -> RemindReport:
    """Mail each operator of an agency with a quarter due (``due_quarters``) one reminder
    listing them — at most once a day (``Profile.reminded_on``), so a cron job run twice on
    one day mails nobody twice."""
    today = today or timezone.localdate()
    report = RemindReport()
    with translation.override(settings.LANGUAGE_CODE):
        report.due = due_quarters(today=today, days=days)
        per_user: dict[int, tuple[Profile, list[Due]]] = {}
        by_agency: dict[int, list[Due]] = {}
        for due in report.due:
            by_agency.setdefault(due.agency.pk, []).append(due)
        profiles = Profile.objects.filter(ACTS_IN_PEMDA, role=Role.OPERATOR,
                                          agency_id__in=by_agency, user__is_active=True
                                          ).select_related("user").order_by("user__username")  # fmt: skip
        for profile in profiles:
            per_user[profile.pk] = (profile, by_agency[profile.agency_id])
        split = _split(p for p, _dues in per_user.values())
        report.turned_off, report.no_address = split.turned_off, split.no_address
        connection = get_connection()
        for profile, dues in per_user.values():
            user = profile.user
            if user not in split.to:
                continue
            if profile.reminded_on == today:
                report.already.append(user)
                continue
            try:
                connection.send_messages([_reminder(user, dues)])
            except (OSError, ConnectionError) as exc:  # smtplib's errors are OSErrors
                report.failed.append((user, " ".join(str(exc).split()) or type(exc).__name__))
                continue
            Profile.objects.filter(pk=profile.pk).update(reminded_on=today)  # not on a cached page
            report.sent.append((user, dues))
    return report


def _reminder(user: Any, dues: list[Due]) -> EmailMessage:
    first = dues[0]
    subject = _("[Kinerja] Tenggat %(quarter)s: %(deadline)s") % {
        "quarter": quarter_name(first.period.year, first.period.quarter),
        "deadline": deadline(first.period.closes_on, first.days_left),
    }
    lines = [_("Yth. %(name)s,") % {"name": _name(user)},
             _("Triwulan berikut belum diajukan dan periode pelaporannya segera ditutup:")]  # fmt: skip
    for due in dues:
        lines.append(f"- {due.line()}\n  {due.url()}")
    lines.append(_("Lengkapi realisasinya, lalu ajukan sebelum periode ditutup."))
    body = "\n\n".join([*lines, "-- \n" + _footer()]) + "\n"
    return EmailMessage(subject, body, to=[user.email])
