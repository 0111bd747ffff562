"""The one way a date is written on a signed page: ``Sumenep, 16 April 2024`` — the place
(the region of the agency's pemda) and the day with its Indonesian month name, separated by
ordinary spaces (never a no-break space, so the text searches and copies as typed)."""

from __future__ import annotations

from datetime import date

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def indonesian_date(day: date) -> str:
    """``16 April 2024``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def place_and_date(place: str, day: date) -> str:
    """``Sumenep, 16 April 2024``; only the date when the place is unknown."""
    place = " ".join(place.split())
    return f"{place}, {indonesian_date(day)}" if place else indonesian_date(day)
