"""ReportData: everything a renderer needs, frozen, with every number from ``kinerja.core``.

Renderers never query the database; a hand-built ReportData tests any renderer.
Numbers are exact Decimals (None = "-"); each computed figure carries its explanation.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

Number = Decimal | None


@dataclass(frozen=True)
class KRp:
    k: Number = None
    rp: Number = None
    k_upper: Number = None  # a range target's upper bound
    k_unit: str | None = None


@dataclass(frozen=True)
class FormLine:
    """One row of the evaluation form: inputs (columns 6–12) and figures (13–16)."""

    id: str
    level: str  # program | kegiatan | sub_kegiatan
    code: str
    name: str
    indicator: str
    unit: str
    responsible_unit: str
    polarity: str  # higher | lower
    aggregation: str  # sum | last | average | max
    renstra_target: KRp  # column 6
    renstra_realised_before: KRp  # column 7
    year_target: KRp  # column 8
    quarters: tuple[KRp, KRp, KRp, KRp]  # columns 9–12
    col13: KRp
    col14: KRp
    col15: KRp
    col16: KRp
    explain: dict[str, str]  # "col14.k" → how the figure came about
    objective: str = ""  # column 2: the sasaran, printed on the rows that serve it


@dataclass(frozen=True)
class FooterLine:
    """The form's *Rata-rata capaian kinerja* for K or Rp, by a named rule."""

    rule: str
    label: str  # the rule in words
    value: Number
    rating: str | None
    explain: str
    row_ids: tuple[str, ...]  # the rows the rule counted
    cap: Number = None


@dataclass(frozen=True)
class FindingLine:
    rule: str
    severity: str
    row: str
    message: str


@dataclass(frozen=True)
class Signature:
    place: str
    signed_on: date
    title: str
    name: str = ""
    nip: str = ""
    rank: str = ""
    acting: str = ""  # "", "Plt" or "Plh"


@dataclass(frozen=True)
class FormReport:
    """The Permendagri 86/2017 evaluation form of one agency and quarter (the seed's
    appendix): ``document = "form"``."""

    government: str
    agency: str
    agency_abbreviation: str
    year: int
    quarter: int
    rows: tuple[FormLine, ...]
    footer_k: FooterLine
    footer_rp: FooterLine
    findings: tuple[FindingLine, ...]
    supporting: tuple[str, ...] = ()  # faktor pendorong keberhasilan kinerja
    inhibiting: tuple[str, ...] = ()  # faktor penghambat pencapaian kinerja
    follow_up: tuple[str, ...] = ()  # tindak lanjut triwulan berikutnya
    signature: Signature | None = None
    document: str = field(default="form")

    @property
    def quarter_roman(self) -> str:
        return ("I", "II", "III", "IV")[self.quarter - 1]

    @property
    def title(self) -> str:
        return (
            f"Evaluasi terhadap Hasil Renja {self.agency} Triwulan {self.quarter_roman} "
            f"Tahun {self.year}"
        )


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def data_hash(report: Any) -> str:
    """SHA-256 of the report's data in a canonical form: the same data, the same hash."""
    canonical = json.dumps(_plain(asdict(report)), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
