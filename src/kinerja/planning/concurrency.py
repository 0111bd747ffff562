"""No lost update (DESIGN §4a): a save names the values its page was drawn with
(``expected``). Only the fields whose new value differs from the drawn one are written; each
of them must still hold its drawn value — or already hold the new one (two people typing the
same value is not a conflict). Otherwise the save is refused with a ``Conflict`` that names,
per cell, who changed it and when (from the record's history), their value and yours.

It lives in ``planning`` because both apps' domain functions use it and ``monitoring``
imports ``planning``, never the reverse.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja.core.numbers import format_number


def show(value: Any) -> str:
    """A value as a person reads it: Indonesian numbers and dates, "-" for nothing."""
    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, datetime):
        return show_when(value)
    if isinstance(value, date):
        return dateformat.format(value, "j F Y")
    text = " ".join(str(value).split())
    return f"«{text[:117]}…»" if len(text) > 120 else f"«{text}»"


def show_when(when: datetime | None) -> str:
    """``5 Desember 2026 14.05`` in the server's time zone (WIB)."""
    if when is None:
        return _("waktu tidak diketahui")
    return dateformat.format(timezone.localtime(when), "j F Y H.i")


def user_name(user: Any) -> str:
    if user is None:
        return _("sistem")
    return user.get_full_name() or user.get_username()


@dataclass(frozen=True)
class ConflictCell:
    """One cell someone else changed since the page was drawn. ``key`` is the caller's name
    for the cell (the grid: ``(item id, "k")``); ``field`` the model's."""

    field: str
    drawn: Any
    theirs: Any
    yours: Any
    who: str
    when: datetime | None
    key: Any = None

    @property
    def message(self) -> str:
        return _("Diubah %(who)s pada %(when)s menjadi %(theirs)s; isian Anda %(yours)s.") % {
            "who": self.who,
            "when": show_when(self.when),
            "theirs": show(self.theirs),
            "yours": show(self.yours),
        }


class Conflict(Exception):
    """A save refused because someone else changed what it would overwrite; nothing of it
    was saved. ``cells`` lists each conflicting cell."""

    def __init__(self, cells: Iterable[ConflictCell]):
        self.cells = list(cells)
        n = len(self.cells)
        super().__init__(
            ngettext(
                "%(n)s isian telah diubah orang lain sejak halaman ini dibuka; tidak ada yang "
                "disimpan. %(cells)s",
                "%(n)s isian telah diubah orang lain sejak halaman ini dibuka; tidak ada yang "
                "disimpan. %(cells)s",
                n,
            )
            % {"n": n, "cells": " ".join(c.message for c in self.cells)}
        )

    def keyed(self, key: Any) -> Conflict:
        """The same conflict with every cell's ``key`` set by ``key(cell)``."""
        return Conflict(replace(c, key=key(c)) for c in self.cells)


def last_change(history: Any, field: str | None = None) -> tuple[str, datetime | None]:
    """Who last changed ``field`` (or anything, with ``field=None``) in a simple_history
    queryset, and when."""
    records = list(history.select_related("history_user").order_by("-history_date", "-pk")[:50])
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if field is None or older is None or getattr(newer, field) != getattr(older, field):
            return user_name(newer.history_user), newer.history_date
    return _("tidak diketahui"), None


def fields_to_write(
    obj: Any,
    *,
    new: Mapping[str, Any],
    expected: Mapping[str, Any] | None,
    current: Mapping[str, Any] | None = None,
) -> list[str]:
    """The fields of ``obj`` a save with ``new`` values must write; raises Conflict.

    ``expected=None``: no page was drawn (a script, an import) — every field that differs.
    Otherwise a field missing from ``expected`` or equal to it is untouched and never written.
    ``current``: the values as the page shows them where that is not the field itself (a
    revised target shows the original until it is revised).
    """
    out, conflicts = [], []
    for field, value in new.items():
        current_value = current[field] if current is not None else getattr(obj, field)
        if expected is None:
            if current_value != value:
                out.append(field)
            continue
        drawn = expected.get(field, value)
        if value == drawn or current_value == value:
            continue
        if current_value == drawn:
            out.append(field)
            continue
        who, when = _("tidak diketahui"), None
        if obj.pk and hasattr(obj, "history"):
            who, when = last_change(obj.history.all(), field)
        conflicts.append(ConflictCell(field=field, drawn=drawn, theirs=current_value,
                                      yours=value, who=who, when=when))  # fmt: skip
    if conflicts:
        raise Conflict(conflicts)
    return out
