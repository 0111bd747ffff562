"""Saving a quarter's grid at once: every value typed is parsed first, then all changed rows
are recorded in one transaction — all or nothing (STYLE: a keyword-only domain function)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.numbers import InvalidNumber, parse_number
from kinerja.planning.models import K_DIGITS, RP_DIGITS, Agency, WorkItem

from .domain import record_realisation
from .models import Realisation

# What the form posts for one row: K, Rp and the note, as typed.
Typed = tuple[str, str, str]
Parsed = tuple[Decimal | None, Decimal | None, str]


@dataclass(frozen=True)
class Change:
    """One value a save changed: ``field`` is "k", "rp" or "note"."""

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


def parse_cell(text: str | None, *, money: bool) -> Decimal | None:
    """One typed K or Rp cell; raises InvalidNumber with the Indonesian message."""
    value = parse_number(text, money=money)
    places = (RP_DIGITS if money else K_DIGITS)["decimal_places"]
    if value is not None and -value.as_tuple().exponent > places:  # type: ignore[operator]
        raise InvalidNumber(
            _("«%(text)s»: paling banyak %(n)s angka di belakang koma.")
            % {"text": (text or "").strip(), "n": places}
        )
    return value


def parse_entries(entries: Mapping[int, Typed]) -> dict[int, Parsed]:
    """Every row's typed values as numbers; EntryInvalid lists every malformed cell."""
    parsed: dict[int, Parsed] = {}
    errors: dict[tuple[int, str], str] = {}
    for item_id, (k_text, rp_text, note) in entries.items():
        values: list[Decimal | None] = []
        for field, text, money in (("k", k_text, False), ("rp", rp_text, True)):
            try:
                values.append(parse_cell(text, money=money))
            except InvalidNumber as exc:
                errors[(item_id, field)] = str(exc)
                values.append(None)
        parsed[item_id] = (values[0], values[1], (note or "").strip())
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
) -> list[Change]:
    """Record what changed in a quarter's grid; nothing is saved unless everything is.

    Raises EntryInvalid (a value is malformed) or EditRefused (state, period, role).
    """
    parsed = parse_entries(entries)
    items = {i.pk: i for i in WorkItem.objects.filter(agency=agency, year=year, pk__in=parsed)}
    unknown = {(pk, "k"): _("Baris ini bukan bagian formulir ini.")
               for pk in parsed if pk not in items}  # fmt: skip
    if unknown:
        raise EntryInvalid(unknown)
    changes: list[Change] = []
    with transaction.atomic():
        existing = {
            r.work_item_id: r
            for r in Realisation.objects.filter(work_item__in=list(items.values()), quarter=quarter)
        }
        for pk, (k, rp, note) in parsed.items():
            item, old = items[pk], existing.get(pk)
            before = (old.value_k, old.value_rp, old.note) if old else (None, None, "")
            if (k, rp, note) == before:
                continue
            record_realisation(user=user, work_item=item, quarter=quarter, value_k=k,
                               value_rp=rp, note=note, reason=reason, today=today)  # fmt: skip
            changes.extend(
                Change(item, field, was, now)
                for field, was, now in zip(("k", "rp", "note"), before, (k, rp, note), strict=True)
                if was != now
            )
    return changes
