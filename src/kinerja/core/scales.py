"""Scales: ordered bands that put a value into a category (DESIGN §3).

A scale is data. Its bands are contiguous: the lowest is open below, the top one open
above (capaian above 100 stays in the top band), and each scale says whether a band holds
its upper bound — ``(lo, hi]``, ``closed="upper"`` — or its lower bound — ``[lo, hi)``,
``closed="lower"``. Classification uses the unrounded value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from .numbers import format_number

__all__ = [
    "IP_ASN",
    "NILAI_SAKIP",
    "PREDIKAT_CAPAIAN",
    "SCALES",
    "SISTEM_MERIT_INDEKS",
    "SISTEM_MERIT_NILAI",
    "Band",
    "Scale",
    "ScaleError",
]

Closed = Literal["upper", "lower"]


class ScaleError(ValueError):
    """A scale whose bands leave a gap, overlap, or are out of order."""


@dataclass(frozen=True, slots=True)
class Band:
    label: str
    lo: Decimal | None  # None: open below
    hi: Decimal | None  # None: open above


@dataclass(frozen=True, slots=True)
class Scale:
    id: str
    name: str
    bands: tuple[Band, ...]
    closed: Closed = "upper"
    version: str = "1"

    def __post_init__(self) -> None:
        check_bands(self.bands)

    def classify(self, value: Decimal | None) -> Band | None:
        """The one band the value falls in; None for None."""
        if value is None:
            return None
        for band in self.bands[:-1]:
            assert band.hi is not None
            if value < band.hi or (self.closed == "upper" and value == band.hi):
                return band
        return self.bands[-1]

    def label(self, value: Decimal | None) -> str | None:
        band = self.classify(value)
        return None if band is None else band.label

    def describe(self, band: Band) -> str:
        """``50 < x ≤ 65`` — the band written out for an explanation."""
        lower_op, upper_op = ("<", "≤") if self.closed == "upper" else ("≤", "<")
        parts = []
        if band.lo is not None:
            parts.append(f"{format_number(band.lo)} {lower_op}")
        parts.append("x")
        if band.hi is not None:
            parts.append(f"{upper_op} {format_number(band.hi)}")
        return " ".join(parts)


def check_bands(bands: Sequence[Band]) -> None:
    """Refuse gaps, overlaps and disorder; the first band open below, the last open above."""
    if not bands:
        raise ScaleError("skala tanpa rentang")
    if bands[0].lo is not None or bands[-1].hi is not None:
        raise ScaleError("rentang terendah harus terbuka ke bawah dan tertinggi terbuka ke atas")
    for left, right in zip(bands, bands[1:], strict=False):
        if left.hi is None or right.lo is None:
            raise ScaleError(f"rentang «{left.label}» atau «{right.label}» tidak berbatas")
        if left.hi != right.lo:
            kind = "celah" if left.hi < right.lo else "tumpang tindih"
            raise ScaleError(f"{kind} antara «{left.label}» dan «{right.label}»")
        if right.hi is not None and right.hi <= right.lo:
            raise ScaleError(f"rentang «{right.label}» kosong atau terbalik")


def make_scale(
    id: str, name: str, cuts: Sequence[tuple[str, str | None]], closed: Closed = "upper"
) -> Scale:
    """Build a scale from (label, upper bound) pairs, the last with None."""
    bands = []
    lo: Decimal | None = None
    for label, hi in cuts:
        hi_d = None if hi is None else Decimal(hi)
        bands.append(Band(label, lo, hi_d))
        lo = hi_d
    return Scale(id=id, name=name, bands=tuple(bands), closed=closed)


PREDIKAT_CAPAIAN = make_scale(
    "predikat_capaian",
    "Predikat capaian (Permendagri 86/2017)",
    [
        ("Sangat Rendah", "50"),
        ("Rendah", "65"),
        ("Sedang", "75"),
        ("Tinggi", "90"),
        ("Sangat Tinggi", None),
    ],
)
IP_ASN = make_scale(
    "ip_asn",
    "Indeks Profesionalitas ASN (PermenPANRB 38/2018)",
    [
        ("Sangat Rendah", "60"),
        ("Rendah", "70"),
        ("Sedang", "80"),
        ("Tinggi", "90"),
        ("Sangat Tinggi", None),
    ],
)
NILAI_SAKIP = make_scale(
    "nilai_sakip",
    "Nilai SAKIP (PermenPANRB 88/2021)",
    [
        ("D", "30"),
        ("C", "50"),
        ("CC", "60"),
        ("B", "70"),
        ("BB", "80"),
        ("A", "90"),
        ("AA", None),
    ],
)
SISTEM_MERIT_NILAI = make_scale(
    "sistem_merit_nilai",
    "Sistem Merit, nilai 100–400 (PermenPAN 40/2018)",
    [
        ("I (Buruk)", "175"),
        ("II (Kurang)", "250"),
        ("III (Baik)", "325"),
        ("IV (Sangat Baik)", None),
    ],
    closed="lower",
)
SISTEM_MERIT_INDEKS = make_scale(
    "sistem_merit_indeks",
    "Sistem Merit, indeks KASN 0,2–1,0",
    [
        ("I (Buruk)", "0.40"),
        ("II (Kurang)", "0.60"),
        ("III (Baik)", "0.80"),
        ("IV (Sangat Baik)", None),
    ],
)

SCALES: dict[str, Scale] = {
    s.id: s
    for s in (PREDIKAT_CAPAIAN, IP_ASN, NILAI_SAKIP, SISTEM_MERIT_NILAI, SISTEM_MERIT_INDEKS)
}
