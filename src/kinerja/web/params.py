"""Reading ids and numbers that arrive in a request (field names, query parameters): only
plain ASCII digits within a database id are ids; anything else is ``None``, so a view answers
400 or 404 instead of failing on ``int("²")`` or an id no column can hold."""

from __future__ import annotations

import re

_ID = re.compile(r"[0-9]{1,18}")  # below 2**63: a bigint on PostgreSQL and SQLite
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def parse_id(text: object) -> int | None:
    """A database id (1 … 999.999.999.999.999.999) from request text, or None."""
    if not isinstance(text, str) or not _ID.fullmatch(text):
        return None
    value = int(text)
    return value if value > 0 else None


def parse_int(text: object, *, low: int, high: int) -> int | None:
    """A whole number in [low, high] written in ASCII digits (an optional minus), or None."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not re.fullmatch(r"-?[0-9]{1,18}", text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def is_slug(text: object) -> bool:
    """What Django's ``<slug:…>`` path part accepts."""
    return isinstance(text, str) and _SLUG.fullmatch(text) is not None
