"""Saving a quarter's grid at once: every value typed is parsed first, then all changed cells
are recorded in one transaction — all or nothing (STYLE: a keyword-only domain function).
Only the cells the user changed against the values the page was drawn with are written; if
anyone else changed one of them since, nothing is saved (``Conflict``, DESIGN §4a). The rules
are those of ``domain.record_realisation``, asked once per save rather than once per row, and
the rows are written in bulk with their history (``fragments.bulk_*_with_history``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kinerja.core.numbers import InvalidNumber, parse_number
from kinerja.planning.concurrency import Conflict, ConflictCell, fields_to_write
from kinerja.planning.models import Agency, WorkItem

from .domain import (
    EditRefused,
    _write_row,
    check_agency_quarter_editable,
    check_quarter_number,
    realisation_reason,
    realisation_values,
)
from .models import Realisation

# What the form posts for one row: K, Rp and the note, as typed; None where not posted.
Typed = tuple[str | None, str | None, str | None]
Parsed = dict[str, Any]  # {"k"|"rp"|"note": value} of the fields posted
FIELDS = ("k", "rp", "note")
MODEL_FIELD = {"k": "value_k", "rp": "value_rp", "note": "note", "unit": "value_k_unit"}
SHORT = {v: k for k, v in MODEL_FIELD.items()}
EMPTY: dict[str, Any] = {"k": None, "rp": None, "note": ""}


@dataclass(frozen=True)
class Change:
    """One value a save changed: ``field`` is "k", "rp", "note" or "unit"."""

    item: WorkItem
    field: str
    old: Any
    new: Any


class EntryInvalid(Exception):
    """Typed values that are not numbers; ``errors`` maps (item id, "k"|"rp") to the
    Indonesian message for that cell."""

    def __init__(self, errors: dict[tuple[int, str], str]):
        super().__init__(_("Ada %(n)s isian yang tidak dapat dibaca.") % {"n": len(errors)})
        self.errors = errors


def parse_cell(text: str | None, *, money: bool, negative: bool = True) -> Decimal | None:
    """One typed K or Rp cell, read by the one parser (its bound and decimals, digits 0–9);
    ``negative=False`` refuses a negative K. Raises InvalidNumber with the Indonesian
    message."""
    return parse_number(text, money=money, negative=negative)


def parse_entries(entries: Mapping[int, Typed]) -> dict[int, Parsed]:
    """Every row's posted values as numbers (a field not posted is left out); EntryInvalid
    lists every malformed cell."""
    parsed: dict[int, Parsed] = {}
    errors: dict[tuple[int, str], str] = {}
    for item_id, texts in entries.items():
        row: Parsed = {}
        for field, text in zip(FIELDS, texts, strict=True):
            if text is None:
                continue
            if field == "note":
                row[field] = text.strip()
                continue
            try:
                row[field] = parse_cell(text, money=field == "rp")
            except InvalidNumber as exc:
                errors[(item_id, field)] = str(exc)
        parsed[item_id] = row
    if errors:
        raise EntryInvalid(errors)
    return parsed


def save_quarter_entries(
    *,
    user: Any,
    agency: Agency,
    year: int,
    quarter: int,
    entries: Mapping[int, Typed],
    reason: str = "",
    today: date,
    expected: Mapping[int, Typed] | None = None,
    units: Mapping[int, tuple[str, str | None]] | None = None,
) -> list[Change]:
    """Record what changed in a quarter's grid; nothing is saved unless everything is.

    ``expected``: the values each row was drawn with, in the form's text (the grid's hidden
    ``was-`` fields). A cell equal to its drawn value is untouched and never written; a cell
    someone else changed since it was drawn is refused (DESIGN §4a, no lost update) unless
    they wrote exactly the value typed here. A cell without a drawn value (a script that
    posts only what it means to change) is written as given.

    ``units``: {item id: (unit as typed, unit the page was drawn with or None)} for the rows
    whose K unit the grid lets the user change (where this quarter's unit is written);
    blank means the target's unit. Rows not in it keep their unit.

    Raises EntryInvalid (a value is malformed), EditRefused (state, period, role) or Conflict
    (someone else changed a cell; every conflicting cell, keyed ``(item id, field)``).
    """
    parsed = parse_entries(entries)
    try:
        drawn = parse_entries(expected or {})
    except EntryInvalid as exc:
        raise EntryInvalid({cell: _("Nilai awal halaman tidak terbaca; muat ulang halaman.")
                            for cell in exc.errors}) from exc  # fmt: skip
    units = {pk: (" ".join(typed.split()), None if was is None else " ".join(was.split()))
             for pk, (typed, was) in (units or {}).items()}  # fmt: skip
    for pk in units:
        parsed.setdefault(pk, {})
    items = {i.pk: i for i in WorkItem.objects.filter(agency=agency, year=year, pk__in=parsed)}
    unknown = [pk for pk in parsed if pk not in items]
    if unknown:  # no cell of the page to mark: say it in the page's message
        raise EditRefused(_("%(n)s baris yang dikirim bukan bagian formulir ini; muat ulang "
                            "halaman.") % {"n": len(unknown)})  # fmt: skip
    from kinerja.web import fragments  # (web imports monitoring)

    changes: list[Change] = []
    conflicts: list[ConflictCell] = []
    with transaction.atomic():
        existing = {
            r.work_item_id: r
            for r in Realisation.objects.filter(work_item__in=list(items.values()), quarter=quarter)
        }
        pending: list[tuple[int, dict[str, Any], dict[str, Any], dict[str, Any], str | None]] = []
        for pk, typed in parsed.items():
            old = existing.get(pk)
            before = {f: getattr(old, MODEL_FIELD[f]) if old else EMPTY[f] for f in FIELDS}
            was = {f: drawn.get(pk, {}).get(f, before[f]) for f in FIELDS}
            new = {f: typed.get(f, was[f]) for f in FIELDS}
            expect = {MODEL_FIELD[f]: was[f] for f in FIELDS}
            unit = None
            if pk in units:
                unit, unit_was = units[pk]
                before["unit"] = old.value_k_unit if old else ""
                expect["value_k_unit"] = before["unit"] if unit_was is None else unit_was
                new["unit"], was["unit"] = unit, expect["value_k_unit"]
            if new != was:
                pending.append((pk, before, new, expect, unit))
        if not pending:  # nothing changed: no rule to ask, nothing to write
            return changes
        # The quarter is checked once for the whole save (state, period, role; it locks the
        # quarter's submission row, so no transition lands between the check and the
        # writes), the rows to write are read and locked in one query, and the writes and
        # their history go in bulk: a fixed number of queries however many rows change.
        check_quarter_number(quarter)
        check_agency_quarter_editable(user=user, agency=agency, year=year, quarter=quarter,
                                      reason=reason, today=today)  # fmt: skip
        locked = {r.work_item_id: r for r in Realisation.objects.select_for_update().filter(
            work_item__in=[items[p[0]] for p in pending], quarter=quarter)}  # fmt: skip
        history_reason = realisation_reason(reason)
        created: list[tuple[Realisation, dict[str, Any], dict[str, Any]]] = []
        updated: list[Realisation] = []
        written: set[str] = set()
        for pk, before, new, expect, unit in pending:
            item = items[pk]
            values = realisation_values(item, value_k=new["k"], value_rp=new["rp"],
                                        note=new["note"], value_k_unit=unit)  # fmt: skip
            row = locked.get(pk) or Realisation(work_item=item, quarter=quarter)
            try:
                fields = fields_to_write(row, new=values, expected=expect)
            except Conflict as exc:
                conflicts.extend(exc.keyed(lambda c, pk=pk: (pk, SHORT[c.field])).cells)
                continue
            for field in fields:
                setattr(row, field, values[field])
            if fields:
                row._change_reason, row._history_user = history_reason, user
                if row.pk is None:
                    created.append((row, values, expect))
                else:
                    updated.append(row)
                    written.update(fields)
            changes.extend(
                Change(item, f, before[f], getattr(row, MODEL_FIELD[f]))
                for f in (*FIELDS, "unit") if f in before
                if before[f] != getattr(row, MODEL_FIELD[f])
            )  # fmt: skip
        if conflicts:
            raise Conflict(conflicts)  # nothing has been written
        if updated:
            fragments.bulk_update_with_history(updated, Realisation, sorted(written),
                                               default_user=user,
                                               default_change_reason=history_reason)  # fmt: skip
        if created:
            _create(created, user=user, reason=history_reason)
    return changes


def _create(rows: list[tuple[Realisation, dict[str, Any], dict[str, Any]]], *, user: Any,
            reason: str) -> None:  # fmt: skip
    """The first entries of cells, with their history, in bulk. Where the database refuses a
    duplicate (someone's first entry of the same cell at the same moment, by a writer that
    did not lock the quarter), each row is written on its own and decided against theirs like
    any other change (``domain._write_row``): a Conflict, never a database error."""
    from kinerja.web import fragments

    try:
        with transaction.atomic():  # a savepoint: the save goes on after a refusal
            fragments.bulk_create_with_history([r for r, _v, _e in rows], Realisation,
                                               default_user=user,
                                               default_change_reason=reason)  # fmt: skip
    except IntegrityError:
        conflicts: list[ConflictCell] = []
        for row, values, expect in rows:
            try:
                _write_row(Realisation, {"work_item": row.work_item, "quarter": row.quarter},
                           new=values, expected=expect, user=user, reason=reason)  # fmt: skip
            except Conflict as exc:
                pk = row.work_item_id
                conflicts.extend(exc.keyed(lambda c, pk=pk: (pk, SHORT[c.field])).cells)
        if conflicts:
            raise Conflict(conflicts) from None
