"""The version of an editable row (docs/api.md, "Versions"): the first 16 hex digits of the
SHA-256 of the row's stored values, in a fixed order and plain notation. It changes exactly
when a value a writer could have seen changes — the app's own rule for a stale save
(planning/concurrency.py compares the values a page was drawn with). A row not stored yet has
the version of its empty values, so a writer creates it by naming that version."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from kinerja.core.numbers import strip_zeros, to_plain

REALISATION_FIELDS = ("value_k", "value_k_unit", "value_rp", "note")
INDICATOR_REALISATION_FIELDS = ("value", "measured_on", "source", "note")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return to_plain(strip_zeros(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None:
        return ""  # a blank and an empty text are one value on every screen
    return str(value)


def version_of(values: Mapping[str, Any], fields: Sequence[str]) -> str:
    text = json.dumps([_plain(values.get(f)) for f in fields], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def row_version(row: Any, fields: Sequence[str]) -> str:
    """The version of a model instance (or None: a row not stored yet)."""
    return version_of({f: getattr(row, f) for f in fields} if row is not None else {}, fields)


def etag(version: str) -> str:
    return f'"{version}"'
