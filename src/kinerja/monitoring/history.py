"""The history of a record: who changed what, when, from what to what, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Change:
    at: datetime
    user: str
    field: str
    old: Any
    new: Any
    reason: str


def changes_of(obj: Any) -> list[Change]:
    """Every field change of a record with django-simple-history, newest first."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-pk"))
    out: list[Change] = []
    for newer, older in zip(records, records[1:] + [None], strict=True):
        who = str(newer.history_user) if newer.history_user else "sistem"
        if older is None:  # the first entry: every value it set, from nothing
            meta = newer.instance._meta
            keys = {f for c in meta.constraints for f in getattr(c, "fields", ())}
            for field in meta.concrete_fields:
                value = getattr(newer, field.attname, None)
                if field.primary_key or field.is_relation or field.name in keys:
                    continue
                if value in (None, ""):
                    continue
                out.append(Change(newer.history_date, who, field.name, None, value,
                                  newer.history_change_reason or ""))  # fmt: skip
            continue
        for change in newer.diff_against(older).changes:
            out.append(Change(newer.history_date, who, change.field, change.old, change.new,
                              newer.history_change_reason or ""))  # fmt: skip
    return out
