"""The quarter's workflow: Draft → Diajukan → (Dikembalikan → Diajukan) → Diverifikasi →
Disahkan, and back to Draft when the admin reopens it; notes on rows; the timeline; who is late.

STYLE: keyword-only domain functions that check permission (accounts/rules.py) and state,
refuse with an Indonesian reason, lock the row, record the event with its reason, save with
``update_fields`` and return the object. Views, the API and the CLI call these and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.rules import (
    can_approve,
    can_note,
    can_reopen,
    can_reply_note,
    can_settle_note,
    can_submit,
    can_verify,
)
from kinerja.core.numbers import quarter_roman
from kinerja.limits import NOTE_MAX, REASON_MAX, check_date, check_text
from kinerja.planning.models import Agency, Government, WorkItem

from .models import QuarterSubmission, ReportingPeriod, RowNote, SubmissionEvent, SubmissionStatus
from .reminders import notify_transition

S = SubmissionStatus


class WorkflowRefused(Exception):
    """A transition the rules do not allow; ``str()`` is the Indonesian reason."""


def _check_quarter(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise WorkflowRefused(_("Triwulan harus 1–4."))


def _check_period_open(agency: Agency, *, year: int, quarter: int, today: date) -> None:
    period = ReportingPeriod.objects.filter(
        government_id=agency.government_id, year=year, quarter=quarter
    ).first()
    if period is None:
        raise WorkflowRefused(
            _(
                "Periode pelaporan Triwulan %(q)s %(y)s belum ada; admin pemda harus membukanya dahulu."
            )
            % {"q": quarter_roman(quarter), "y": year}
        )
    if not period.opens_on <= today <= period.closes_on:
        raise WorkflowRefused(
            _("Periode pelaporan Triwulan %(q)s %(y)s dibuka %(open)s sampai %(close)s.")
            % {
                "q": quarter_roman(quarter),
                "y": year,
                "open": period.opens_on.strftime("%d-%m-%Y"),
                "close": period.closes_on.strftime("%d-%m-%Y"),
            }  # fmt: skip
        )


def _transition(
    *,
    user: Any,
    agency: Agency,
    year: int,
    quarter: int,
    allowed: tuple[SubmissionStatus, ...],
    to: SubmissionStatus,
    permitted: Callable[[Any, Agency], bool],
    refused_role: str,
    refused_state: str,
    reason: str = "",
    reason_required: str = "",
    before_save: Callable[[], dict[str, Any] | None] | None = None,
) -> QuarterSubmission:
    """The one way a quarter changes state: permission, reason, lock, state, event, save.

    ``refused_state`` is a message with ``%(status)s`` and ``%(allowed)s``; a non-empty
    ``reason_required`` is the refusal of a blank reason. ``before_save`` may refuse, and may
    return more fields of the event. A refusal inside the transaction rolls back the Draft row
    it may have created.
    """
    _check_quarter(quarter)
    if not permitted(user, agency):
        raise WorkflowRefused(refused_role)
    reason = reason.strip()
    if reason_required and not reason:
        raise WorkflowRefused(reason_required)
    check_text(reason, label=_("Alasan"), limit=REASON_MAX, error=WorkflowRefused)
    with transaction.atomic():
        submission, _created = QuarterSubmission.objects.select_for_update().get_or_create(
            agency=agency, year=year, quarter=quarter
        )
        current = S(submission.status)
        if current not in allowed:
            raise WorkflowRefused(
                refused_state
                % {
                    "q": quarter_roman(quarter),
                    "y": year,
                    "status": current.label,
                    "allowed": _(" atau ").join(str(s.label) for s in allowed),
                }
            )
        extra = (before_save() if before_save is not None else None) or {}
        submission.status = to
        submission.save(update_fields=["status", "updated_at"])
        event = SubmissionEvent.objects.create(submission=submission, from_status=current,
                                               to_status=to, actor=user, reason=reason,
                                               **extra)  # fmt: skip
        if user is not None:  # a person acted (not an import): mail who acts next, once committed
            transaction.on_commit(partial(notify_transition, event.pk), robust=True)
    return submission


def submit_quarter(
    *, user: Any, agency: Agency, year: int, quarter: int, today: date
) -> QuarterSubmission:
    """The operator submits (ajukan) its quarter for verification, within the period."""
    return _transition(
        user=user, agency=agency, year=year, quarter=quarter,
        allowed=S.editable(), to=S.SUBMITTED, permitted=can_submit,
        refused_role=_("Hanya operator %(agency)s yang dapat mengajukan triwulan ini.")
        % {"agency": agency},
        refused_state=_("Triwulan %(q)s %(y)s berstatus %(status)s; yang dapat diajukan hanya yang "
                        "berstatus %(allowed)s."),
        before_save=lambda: _check_period_open(agency, year=year, quarter=quarter, today=today),
    )  # fmt: skip


def return_quarter(
    *, user: Any, agency: Agency, year: int, quarter: int, reason: str
) -> QuarterSubmission:
    """The verifikator returns (kembalikan) a submitted quarter to the operator, with a reason."""
    return _transition(
        user=user, agency=agency, year=year, quarter=quarter,
        allowed=(S.SUBMITTED,), to=S.RETURNED, permitted=can_verify,
        refused_role=_verifier_only(agency),
        refused_state=_("Triwulan %(q)s %(y)s berstatus %(status)s; yang dapat dikembalikan hanya "
                        "yang berstatus %(allowed)s."),
        reason=reason, reason_required=_("Tuliskan alasan pengembalian."),
    )  # fmt: skip


def verify_quarter(*, user: Any, agency: Agency, year: int, quarter: int) -> QuarterSubmission:
    """The verifikator verifies a submitted quarter."""
    return _transition(
        user=user, agency=agency, year=year, quarter=quarter,
        allowed=(S.SUBMITTED,), to=S.VERIFIED, permitted=can_verify,
        refused_role=_verifier_only(agency),
        refused_state=_("Triwulan %(q)s %(y)s berstatus %(status)s; yang dapat diverifikasi hanya "
                        "yang berstatus %(allowed)s."),
    )  # fmt: skip


def approve_quarter(
    *, user: Any, agency: Agency, year: int, quarter: int, reason: str = ""
) -> QuarterSubmission:
    """The head of the agency approves (sahkan) its verified quarter; its evaluation input is
    frozen as a snapshot in the same transaction (``kinerja.record``, DESIGN §4a).

    While the quarter's pre-signing checklist (*Lembar Pemeriksaan*) has blocking items
    (findings of severity error, a missing signatory or kop) the approval is refused unless
    ``reason`` says why it is approved as it is; the reason and the number of blocking items
    are recorded on the approval's event."""
    override = _override_reason(reason)
    return _transition(
        user=user, agency=agency, year=year, quarter=quarter,
        allowed=(S.VERIFIED,), to=S.APPROVED, permitted=can_approve,
        refused_role=_("Hanya pimpinan %(agency)s yang dapat mengesahkan triwulan ini.")
        % {"agency": agency},
        refused_state=_("Triwulan %(q)s %(y)s berstatus %(status)s; yang dapat disahkan hanya yang "
                        "berstatus %(allowed)s."),
        before_save=lambda: _approve(agency, year=year, quarter=quarter, actor=user,
                                     override=override),
    )  # fmt: skip


def _override_reason(reason: str) -> str:
    reason = reason.strip()
    check_text(reason, label=_("Alasan pengesahan"), limit=REASON_MAX, error=WorkflowRefused)
    return reason


def _approve(agency: Agency, *, year: int, quarter: int, actor: Any, override: str,
             at: Any = None, inp: Any = None, frozen: list[Any] | None = None) -> dict[str, Any]:  # fmt: skip
    """The approval's own step, inside its transaction: refuse while the checklist has
    blocking items and no reason is given, else freeze the quarter; the event's fields.
    ``inp``: the quarter's input captured in this transaction; ``frozen``: where a batch
    collects what to freeze at its end (``approve_imported_quarters``)."""
    from kinerja.record.capture import capture
    from kinerja.reporting.checklist import blocking_items

    if inp is None:
        inp = capture(agency.pk, year=year, quarter=quarter)
    blocking = len(blocking_items(inp))
    if blocking and not override:
        raise WorkflowRefused(
            _("Triwulan %(q)s %(y)s belum dapat disahkan: Lembar Pemeriksaan memuat %(n)s temuan yang "
              "menghambat pengesahan. Perbaiki dahulu, atau tuliskan alasan mengesahkannya "
              "seperti adanya.") % {"q": quarter_roman(quarter), "y": year, "n": blocking}
        )  # fmt: skip
    if frozen is None:
        _freeze(agency, year=year, quarter=quarter, actor=actor, at=at, inp=inp)
    else:
        from kinerja.record.snapshots import Freeze

        frozen.append(Freeze(agency.pk, year, quarter, actor, at or timezone.now(), inp))
    if not blocking:
        return {}
    return {"override_reason": override, "blocking_items": blocking}


def _freeze(agency: Agency, *, year: int, quarter: int, actor: Any, at: Any = None,
            inp: Any = None) -> None:  # fmt: skip
    """Freeze the quarter; ``inp`` is its input as the approval just captured it, in the same
    transaction (read once, not twice)."""
    from kinerja.record.snapshots import freeze_quarter

    freeze_quarter(agency_id=agency.pk, year=year, quarter=quarter, actor=actor,
                   at=at or timezone.now(), inp=inp)  # fmt: skip


def approve_imported_quarter(
    *,
    agency: Agency,
    year: int,
    quarter: int,
    reason: str,
    at: Any = None,
    override: str = "",
) -> QuarterSubmission:
    """Record a quarter that was approved outside Kinerja (the seed's signed report, an
    import): Draf → Diajukan → Diverifikasi → Disahkan with ``reason`` on each step and no
    actor, frozen by the same step as ``approve_quarter``, dated ``at`` (the day it was signed;
    now by default), under the same rule: blocking items of its checklist need ``override``,
    the reason it was approved as it is. Not for people: no permission."""
    return approve_imported_quarters(quarters=[(agency, at)], year=year, quarter=quarter,
                                     reason=reason, override=override)[0]  # fmt: skip


def approve_imported_quarters(
    *,
    quarters: list[tuple[Agency, Any]],
    year: int,
    quarter: int,
    reason: str,
    override: str = "",
) -> list[QuarterSubmission]:
    """``approve_imported_quarter`` of the same quarter of several agencies — ``(agency,
    at)`` each — in one transaction, each under the same rule and with the same events; a
    refusal refuses them all. Every quarter is submitted first (locked, and closed to entry),
    then their inputs are captured together, and frozen together once all are approved
    (``kinerja synth`` approves a pemda's quarter at once)."""
    from kinerja.record.capture import capture_many
    from kinerja.record.snapshots import freeze_quarters

    override = _override_reason(override)
    if not quarters:
        return []
    allowed_all = lambda *_args: True  # noqa: E731
    refused = _("Triwulan %(q)s %(y)s berstatus %(status)s.")
    step = partial(_transition, user=None, year=year, quarter=quarter, permitted=allowed_all,
                   refused_role="", reason=reason, refused_state=refused)  # fmt: skip
    done = []
    with transaction.atomic():
        for agency, _at in quarters:
            step(agency=agency, allowed=S.editable(), to=S.SUBMITTED)
        inputs = capture_many([agency.pk for agency, _at in quarters], year=year, quarter=quarter)
        frozen: list[Any] = []
        for agency, at in quarters:
            step(agency=agency, allowed=(S.SUBMITTED,), to=S.VERIFIED)
            done.append(step(
                agency=agency, allowed=(S.VERIFIED,), to=S.APPROVED,
                before_save=partial(_approve, agency, year=year, quarter=quarter, actor=None,
                                    override=override, at=at, inp=inputs[agency.pk],
                                    frozen=frozen),
            ))  # fmt: skip
        freeze_quarters(frozen)
    return done


def reopen_quarter(
    *, user: Any, agency: Agency, year: int, quarter: int, reason: str
) -> QuarterSubmission:
    """The admin of the pemda brings a quarter back to Draft, with a reason."""
    return _transition(
        user=user, agency=agency, year=year, quarter=quarter,
        allowed=(S.SUBMITTED, S.RETURNED, S.VERIFIED, S.APPROVED), to=S.DRAFT,
        permitted=can_reopen,
        refused_role=_("Hanya admin %(government)s yang dapat membuka kembali triwulan ini.")
        % {"government": agency.government},
        refused_state=_("Triwulan %(q)s %(y)s berstatus %(status)s; yang dapat dibuka kembali hanya "
                        "yang berstatus %(allowed)s."),
        reason=reason, reason_required=_("Tuliskan alasan membuka kembali triwulan ini."),
    )  # fmt: skip


def set_report_date(
    *, user: Any, agency: Agency, year: int, quarter: int, on: date | None
) -> QuarterSubmission:
    """The operator sets (or, with None, clears) the date its quarter's report, form and PK
    are signed, while the quarter is editable: once approved the date is part of the record,
    and changing it means reopening. Within the quarter's year ± 1."""
    _check_quarter(quarter)
    if not can_submit(user, agency):
        raise WorkflowRefused(_("Hanya operator %(agency)s yang dapat mengubah tanggal laporan "
                                "triwulan ini.") % {"agency": agency})  # fmt: skip
    check_date(on, label=_("Tanggal laporan"), first_year=year, error=WorkflowRefused)
    with transaction.atomic():
        submission, _created = QuarterSubmission.objects.select_for_update().get_or_create(
            agency=agency, year=year, quarter=quarter
        )
        current = S(submission.status)
        if current not in S.editable():
            raise WorkflowRefused(
                _("Triwulan %(q)s %(y)s berstatus %(status)s; tanggal laporannya hanya dapat diubah "
                  "selama berstatus %(allowed)s.")
                % {"q": quarter_roman(quarter), "y": year, "status": current.label,
                   "allowed": _(" atau ").join(str(s.label) for s in S.editable())}
            )  # fmt: skip
        submission.report_date = on
        submission.save(update_fields=["report_date", "updated_at"])
    return submission


def _verifier_only(agency: Agency) -> str:
    return _("Hanya verifikator %(government)s yang dapat memverifikasi atau mengembalikan "
             "triwulan ini.") % {"government": agency.government}  # fmt: skip


def add_row_note(*, user: Any, work_item: WorkItem, quarter: int, text: str) -> RowNote:
    """The verifikator leaves a note on one row of a quarter, in any state (not a transition:
    no event is recorded)."""
    _check_quarter(quarter)
    if not can_note(user, work_item.agency):
        raise WorkflowRefused(_("Hanya verifikator %(government)s yang dapat memberi catatan.")
                              % {"government": work_item.agency.government})  # fmt: skip
    text = text.strip()
    if not text:
        raise WorkflowRefused(_("Catatan tidak boleh kosong."))
    check_text(text, label=_("Catatan"), limit=NOTE_MAX, error=WorkflowRefused)
    return RowNote.objects.create(work_item=work_item, year=work_item.year, quarter=quarter,
                                  author=user, text=text)  # fmt: skip


def reply_row_note(*, user: Any, note: RowNote, text: str) -> RowNote:
    """The agency's operator answers a verifikator's note (in any state, like the note); a
    new answer replaces the shown one, the earlier stays in the note's history."""
    agency = note.work_item.agency
    if not can_reply_note(user, agency):
        raise WorkflowRefused(_("Hanya operator %(agency)s yang dapat menjawab catatan ini.")
                              % {"agency": agency})  # fmt: skip
    text = text.strip()
    if not text:
        raise WorkflowRefused(_("Jawaban tidak boleh kosong."))
    check_text(text, label=_("Jawaban"), limit=NOTE_MAX, error=WorkflowRefused)
    with transaction.atomic():
        note = RowNote.objects.select_for_update().get(pk=note.pk)
        note.reply, note.replied_by, note.replied_at = text, user, timezone.now()
        note._change_reason = _("jawaban operator")
        note.save(update_fields=["reply", "replied_by", "replied_at"])
    return note


def mark_row_note_done(*, user: Any, note: RowNote, done: bool = True) -> RowNote:
    """The verifikator marks a note settled (selesai), or open again (``done=False``)."""
    agency = note.work_item.agency
    if not can_settle_note(user, agency):
        raise WorkflowRefused(_("Hanya verifikator %(government)s yang dapat menandai catatan "
                                "selesai.") % {"government": agency.government})  # fmt: skip
    with transaction.atomic():
        note = RowNote.objects.select_for_update().get(pk=note.pk)
        if (note.done_at is not None) == done:
            return note
        note.done_by, note.done_at = (user, timezone.now()) if done else (None, None)
        note._change_reason = _("ditandai selesai") if done else _("dibuka kembali")
        note.save(update_fields=["done_by", "done_at"])
    return note


def timeline(agency: Agency, *, year: int, quarter: int) -> list[SubmissionEvent]:
    """The transitions of an agency's quarter, oldest first, with their actors: one query."""
    return list(
        SubmissionEvent.objects.filter(
            submission__agency=agency, submission__year=year, submission__quarter=quarter
        )
        .select_related("actor")
        .order_by("at", "pk")
    )


def late_agencies(government: Government, *, year: int, quarter: int, today: date) -> list[Agency]:
    """Agencies whose quarter is still Draft or Dikembalikan (or never started) after the
    period closed; none while it is open or where no period exists. Two queries."""
    period = ReportingPeriod.objects.filter(government=government, year=year,
                                            quarter=quarter).first()  # fmt: skip
    if period is None or today <= period.closes_on:
        return []
    moved_on = QuarterSubmission.objects.filter(
        agency__government=government, year=year, quarter=quarter
    ).exclude(status__in=S.editable())
    return list(
        Agency.objects.filter(government=government).exclude(pk__in=moved_on.values("agency_id"))
    )
