"""Input limits: how long a typed text and how far a typed date may go (docs/design-notes.md,
"Input limits"). The domain functions call these, so the web, the admin, an import and the CLI
meet the same limit with the same Indonesian message; nothing over-long is truncated or left
to the database to refuse.

- Notes and narratives: 5.000 characters (a narrative is one text of its field, all lines).
- Reasons (a change, a return, a reopening): 1.000 characters.
- Texts stored in a CharField (a source, a legal basis, a signatory's name): the field's own
  ``max_length``, read from the model; a name or a unit kept in a TextField: 300.
- No text may contain the NUL character (PostgreSQL cannot store it).
- Dates: within the plan's years, one year either side — the Renja year (a pagu revision, a
  PK signing, an IKU measurement) or the Renstra period (a target revision).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

NOTE_MAX = 5000
REASON_MAX = 1000
SHORT_MAX = 300  # a name or a unit kept in a TextField, like the CharFields' max_length 300
DATE_MARGIN_YEARS = 1


def max_length(model: type[Any], field: str) -> int:
    """The ``max_length`` of a model's CharField."""
    return int(model._meta.get_field(field).max_length)


def check_text(text: str, *, label: str, limit: int, error: type[Exception] = ValueError) -> str:
    """``text`` if it fits ``limit`` characters and holds no NUL; ``error`` with the
    Indonesian message naming the field and the limit otherwise."""
    if "\x00" in text:
        raise error(_("%(label)s berisi karakter NUL yang tidak dapat disimpan.")
                    % {"label": label})  # fmt: skip
    if len(text) > limit:
        raise error(
            _("%(label)s terlalu panjang: %(n)s karakter, paling banyak %(limit)s.")
            % {"label": label, "n": _thousands(len(text)), "limit": _thousands(limit)}
        )
    return text


def date_range(first_year: int, last_year: int) -> tuple[date, date]:
    """The dates a value of the years ``first_year``–``last_year`` may carry: one year
    either side."""
    return (date(max(first_year - DATE_MARGIN_YEARS, 1), 1, 1),
            date(min(last_year + DATE_MARGIN_YEARS, 9999), 12, 31))  # fmt: skip


def check_date(
    value: date | None,
    *,
    label: str,
    first_year: int,
    last_year: int | None = None,
    error: type[Exception] = ValueError,
) -> date | None:
    """``value`` (or None) if it lies within ``date_range(first_year, last_year)``; ``error``
    naming the allowed range otherwise."""
    if value is None:
        return None
    low, high = date_range(first_year, first_year if last_year is None else last_year)
    if not low <= value <= high:
        raise error(
            _("%(label)s %(date)s di luar rentang yang diterima: %(low)s sampai %(high)s.")
            % {"label": label, "date": _dmy(value), "low": _dmy(low), "high": _dmy(high)}
        )
    return value


def refuse_in_clean(*checks: Callable[[], object]) -> None:
    """For a model's ``clean()`` (the admin's path): run the checks, and raise one
    ValidationError with every refusal — not keyed by field, because the admin's form may not
    show the field a check reads."""
    from django.core.exceptions import ValidationError

    refused = []
    for check in checks:
        try:
            check()
        except ValueError as exc:
            refused.append(str(exc))
    if refused:
        raise ValidationError(refused)


def _dmy(value: date) -> str:
    return f"{value.day:02d}-{value.month:02d}-{value.year:04d}"


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")
