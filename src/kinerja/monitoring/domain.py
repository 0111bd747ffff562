"""Writes of quarterly data (STYLE: keyword-only domain functions that check state and
permission, record history with a reason, and return the object)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kinerja.accounts.rules import can_edit_agency_data
from kinerja.core.numbers import InvalidNumber, check_value, quarter_roman
from kinerja.limits import NOTE_MAX, REASON_MAX, SHORT_MAX, check_date, check_text, max_length
from kinerja.planning.concurrency import Conflict, ConflictCell, fields_to_write, last_change
from kinerja.planning.models import Indicator, WorkItem

from .evidence_files import (  # noqa: F401 (EVIDENCE_*: re-exported for views and tests)
    EVIDENCE_MAX_BYTES,
    EVIDENCE_MAX_FILES_PER_POST,
    EVIDENCE_MAX_FILES_PER_REALISATION,
    EVIDENCE_TYPES,
    EvidenceRefused,
    check_evidence_basics,
    check_evidence_content,
    display_name,
)
from .evidence_files import limit as evidence_limit
from .models import (
    Evidence,
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    ReportingPeriod,
    SubmissionStatus,
)
from .queries import submission_status


class EditRefused(Exception):
    """A write the rules do not allow; ``str()`` is the Indonesian reason."""


def check_quarter_editable(
    *, user: Any, work_item: WorkItem, quarter: int, reason: str, today: date
) -> None:
    """Refuse an edit the submission state, the reporting period or the role forbids."""
    check_agency_quarter_editable(user=user, agency=work_item.agency, year=work_item.year,
                                  quarter=quarter, reason=reason, today=today)  # fmt: skip


def check_agency_quarter_editable(
    *,
    user: Any,
    agency: Any,
    year: int,
    quarter: int,
    reason: str,
    today: date,
    status: SubmissionStatus | None = None,
) -> None:
    """The same rules for anything an agency records for a quarter (IKU, narratives).
    ``status``: the quarter's state where the caller has just read it."""
    if not can_edit_agency_data(user, agency):
        raise EditRefused(_("Hanya operator %(agency)s yang dapat mengubah data ini.")
                          % {"agency": agency})  # fmt: skip
    check_text(reason, label=_("Alasan perubahan"), limit=REASON_MAX, error=EditRefused)
    if status is None:
        status = _locked_status(agency, year=year, quarter=quarter)
    if status not in SubmissionStatus.editable():
        raise EditRefused(
            _("Triwulan %(q)s %(y)s berstatus %(status)s; datanya tidak dapat diubah.")
            % {"q": quarter_roman(quarter), "y": year, "status": status.label}
        )
    if status == SubmissionStatus.RETURNED and not reason.strip():
        raise EditRefused(
            _("Triwulan ini dikembalikan verifikator: tuliskan alasan setiap perubahan.")
        )
    period = ReportingPeriod.objects.filter(
        government_id=agency.government_id, year=year, quarter=quarter
    ).first()
    if period is not None and not period.opens_on <= today <= period.closes_on:
        raise EditRefused(
            _("Periode pelaporan Triwulan %(q)s %(y)s dibuka %(open)s sampai %(close)s.")
            % {
                "q": quarter_roman(quarter),
                "y": year,
                "open": period.opens_on.strftime("%d-%m-%Y"),
                "close": period.closes_on.strftime("%d-%m-%Y"),
            }  # fmt: skip
        )


def _check_numbers(k: Decimal | None, rp: Decimal | None, *, negative: bool) -> None:
    """The core's bounds; a negative K only where the item or indicator allows it."""
    try:
        if k is not None:
            check_value(k, negative=negative)
        if rp is not None:
            check_value(rp, money=True)
    except InvalidNumber as exc:
        raise EditRefused(str(exc)) from exc


def _locked_status(agency: Any, *, year: int, quarter: int) -> SubmissionStatus:
    """The quarter's state; inside a transaction (every write) its submission row is locked
    first (its Draf row created where there is none), so a write and a transition of the same
    quarter happen one after the other: no value lands after the quarter was submitted."""
    if not transaction.get_connection().in_atomic_block:
        return submission_status(agency, year=year, quarter=quarter)
    submission, _created = QuarterSubmission.objects.get_or_create(
        agency=agency, year=year, quarter=quarter
    )
    locked = QuarterSubmission.objects.select_for_update().values_list("status", flat=True)
    return SubmissionStatus(locked.get(pk=submission.pk))


@transaction.atomic
def record_realisation(
    *,
    user: Any,
    work_item: WorkItem,
    quarter: int,
    value_k: Decimal | None,
    value_rp: Decimal | None,
    note: str = "",
    reason: str = "",
    today: date,
    expected: Mapping[str, Any] | None = None,
    value_k_unit: str | None = None,
) -> Realisation:
    """Enter or change what an item realised in a quarter (columns 9–12).
    ``value_k_unit``: the unit the K is written in (empty: the target's); None leaves it.

    ``expected``: the values ("value_k", "value_rp", "note") the caller's page was drawn
    with; then only the fields that differ from them are written, and Conflict is raised
    where someone else changed one since (``planning.concurrency``)."""
    check_quarter_number(quarter)
    check_quarter_editable(user=user, work_item=work_item, quarter=quarter, reason=reason,
                           today=today)  # fmt: skip
    new = realisation_values(work_item, value_k=value_k, value_rp=value_rp, note=note,
                             value_k_unit=value_k_unit)  # fmt: skip
    return _write_row(
        Realisation, {"work_item": work_item, "quarter": quarter},
        new=new, expected=expected,
        user=user, reason=realisation_reason(reason),
    )  # fmt: skip


def check_quarter_number(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise EditRefused(_("Triwulan harus 1–4."))


def realisation_reason(reason: str) -> str:
    """The reason a realisation's history records (the screen's, or the default)."""
    return reason or _("Entri realisasi")


def realisation_values(work_item: WorkItem, *, value_k: Decimal | None,
                       value_rp: Decimal | None, note: str,
                       value_k_unit: str | None) -> dict[str, Any]:  # fmt: skip
    """The checked values of one realisation, as its fields: the core's bounds, the note's
    length, the unit (None: left as it is, not in the result). Raises EditRefused."""
    _check_numbers(value_k, value_rp, negative=work_item.allows_negative)
    if value_rp is not None and work_item.indicator_of_id is not None:
        raise EditRefused(_("%(row)s adalah indikator tambahan: realisasi Rp diisi pada baris "
                            "itemnya, bukan di sini.")
                          % {"row": work_item.indicator or work_item.name[:40]})  # fmt: skip
    check_text(note, label=_("Catatan %(row)s") % {"row": work_item.code or work_item.name[:40]},
               limit=NOTE_MAX, error=EditRefused)  # fmt: skip
    new = {"value_k": value_k, "value_rp": value_rp, "note": note}
    if value_k_unit is not None:
        new["value_k_unit"] = " ".join(value_k_unit.split())
        check_text(new["value_k_unit"], label=_("Satuan"), error=EditRefused,
                   limit=max_length(Realisation, "value_k_unit"))  # fmt: skip
    return new


def _write_row(
    model: Any,
    lookup: dict[str, Any],
    *,
    new: dict[str, Any],
    expected: Mapping[str, Any] | None,
    user: Any,
    reason: str,
) -> Any:
    """Write ``new`` into the row of ``model`` at ``lookup`` (created where there is none),
    only the fields that differ from ``expected`` when given (Conflict where someone else
    changed one since). Two first entries of the same cell at the same moment: the second
    finds the first's row once the database refuses its duplicate, and is decided against it
    like any other change — a Conflict, never a database error."""
    for attempt in (1, 2):
        row = model.objects.select_for_update().filter(**lookup).first() or model(**lookup)
        values = dict(new)
        if expected is not None:
            fields = fields_to_write(row, new=values, expected=expected)
            if not fields:
                return row
            values = {f: values[f] for f in fields}
        for field, value in values.items():
            setattr(row, field, value)
        row._change_reason, row._history_user = reason, user
        if row.pk is not None:
            row.save(update_fields=list(values))
            return row
        try:
            with transaction.atomic():  # a savepoint: the outer transaction survives a refusal
                row.save()
        except IntegrityError:
            if attempt == 2 or not model.objects.filter(**lookup).exists():
                raise
            continue
        return row
    raise AssertionError("unreachable")  # pragma: no cover


@transaction.atomic
def record_indicator_realisation(
    *,
    user: Any,
    indicator: Indicator,
    year: int,
    quarter: int,
    value: Decimal | None,
    measured_on: date | None = None,
    source: str = "",
    note: str = "",
    reason: str = "",
    today: date,
    expected: Mapping[str, Any] | None = None,
) -> IndicatorRealisation:
    """Enter an IKU's realisation as measured (Tabel 3.1): stored as entered.

    ``expected``: the values ("value", "measured_on", "source", "note") the page was drawn
    with; only what differs from them is written, Conflict where someone else changed it."""
    agency = indicator.plan.agency
    check_agency_quarter_editable(user=user, agency=agency, year=year, quarter=quarter,
                                  reason=reason, today=today)  # fmt: skip
    _check_numbers(value, None, negative=indicator.allows_negative)
    check_text(source, label=_("Sumber data"), error=EditRefused,
               limit=max_length(IndicatorRealisation, "source"))  # fmt: skip
    check_text(note, label=_("Keterangan"), limit=NOTE_MAX, error=EditRefused)
    check_date(measured_on, label=_("Tanggal pengukuran"), first_year=year, error=EditRefused)
    return _write_row(  # type: ignore[no-any-return]
        IndicatorRealisation, {"indicator": indicator, "year": year, "quarter": quarter},
        new={"value": value, "measured_on": measured_on, "source": source, "note": note},
        expected=expected, user=user, reason=reason or _("Entri realisasi IKU"),
    )  # fmt: skip


@transaction.atomic
def save_narratives(
    *,
    user: Any,
    agency: Any,
    year: int,
    quarter: int,
    kind: str,
    texts: list[str],
    indicator: Indicator | None = None,
    work_item: WorkItem | None = None,
    responsible: str = "",
    reason: str = "",
    today: date,
    expected: list[str] | None = None,
) -> list[Narrative]:
    """Replace the texts of one kind for one subject (an indicator, a program, or the
    agency's own texts) with ``texts`` in order; unchanged lines are left alone.

    ``expected``: the lines the page was drawn with; texts equal to them are untouched, and
    Conflict is raised where someone else changed the lines since."""
    check_agency_quarter_editable(user=user, agency=agency, year=year, quarter=quarter,
                                  reason=reason, today=today)  # fmt: skip
    lines = [t.strip() for t in texts if t.strip()]
    label = capfirst(str(Narrative.Kind(kind).label)) if kind in Narrative.Kind.values else ""
    check_text("\n".join(lines), label=label or _("Narasi"), limit=NOTE_MAX, error=EditRefused)
    check_text(responsible, label=_("Penanggung jawab"), limit=SHORT_MAX, error=EditRefused)
    existing = list(
        Narrative.objects.select_for_update().filter(
            agency=agency, year=year, quarter=quarter, kind=kind, indicator=indicator,
            work_item=work_item,
        ).order_by("position")
    )  # fmt: skip
    if expected is not None:
        drawn, current = [t.strip() for t in expected if t.strip()], [n.text for n in existing]
        if lines in (drawn, current):
            return existing
        if current != drawn:
            who, when = last_change(Narrative.history.filter(
                agency=agency, year=year, quarter=quarter, kind=kind, indicator=indicator,
                work_item=work_item))  # fmt: skip
            raise Conflict([ConflictCell(field=kind, drawn="\n".join(drawn),
                                         theirs="\n".join(current), yours="\n".join(lines),
                                         who=who, when=when)])  # fmt: skip
    why = reason or _("Entri narasi")
    kept = []
    for position, text in enumerate(lines, start=1):
        row = existing[position - 1] if position <= len(existing) else Narrative(
            agency=agency, year=year, quarter=quarter, kind=kind, indicator=indicator,
            work_item=work_item, position=position)  # fmt: skip
        if row.pk is None or row.text != text:
            row.text, row.responsible = text, responsible or row.responsible
            row._change_reason, row._history_user = why, user  # type: ignore[attr-defined]
            row.save()
        kept.append(row)
    for row in existing[len(lines) :]:
        row._change_reason, row._history_user = why, user  # type: ignore[attr-defined]
        row.delete()
    return kept


def check_evidence_file(name: str, content: Any, size: int) -> str:
    """The file's extension if it may be evidence; EditRefused (Indonesian) otherwise. Checked
    by its structure (monitoring/evidence_files.py): the PDF, image or OOXML file opens, its
    type is the extension's, an OOXML file unpacks within its bound, no HTML or script."""
    try:
        return check_evidence_content(name, content, size)
    except EvidenceRefused as exc:
        raise EditRefused(str(exc)) from exc


@transaction.atomic
def add_evidence(
    *, user: Any, work_item: WorkItem, quarter: int, files: list[Any], today: date
) -> list[Evidence]:
    """Attach evidence files to an item's realisation of a quarter (several at once; all or
    none): at most EVIDENCE_MAX_FILES_PER_POST at once and EVIDENCE_MAX_FILES_PER_REALISATION
    in all, each checked by its structure, stored through Django's storage API under a
    generated name; the uploaded name is kept only as text to display."""
    check_quarter_editable(user=user, work_item=work_item, quarter=quarter, reason="x",
                           today=today)  # fmt: skip
    if len(files) > evidence_limit("EVIDENCE_MAX_FILES_PER_POST"):
        raise EditRefused(_("Paling banyak %(n)s berkas sekali unggah; Anda memilih %(got)s.")
                          % {"n": evidence_limit("EVIDENCE_MAX_FILES_PER_POST"),
                             "got": len(files)})  # fmt: skip
    for f in files:  # name, size and first bytes of each, before anything is opened
        try:
            check_evidence_basics(f.name, f, f.size)
        except EvidenceRefused as exc:
            raise EditRefused(str(exc)) from exc
    realisation = (Realisation.objects.select_for_update()
                   .filter(work_item=work_item, quarter=quarter).first())  # fmt: skip
    if realisation is None:
        raise EditRefused(_("Isi realisasi triwulan ini dulu, lalu unggah buktinya."))
    already = realisation.evidence.count()
    if already + len(files) > evidence_limit("EVIDENCE_MAX_FILES_PER_REALISATION"):
        raise EditRefused(_("Paling banyak %(n)s berkas bukti untuk satu realisasi; sudah ada "
                            "%(have)s.") % {"n": evidence_limit("EVIDENCE_MAX_FILES_PER_REALISATION"),
                                            "have": already})  # fmt: skip
    for f in files:
        check_evidence_file(f.name, f, f.size)
    return [Evidence.objects.create(realisation=realisation, file=f, uploaded_by=user,
                                    original_name=display_name(f.name)) for f in files]  # fmt: skip
