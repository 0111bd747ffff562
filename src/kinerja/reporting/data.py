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
    # the K values' *jumlah desimal* as the item declares it (None: as entered); entered K
    # values (columns 6–12) are printed with at least that many, computed ones (13, 15) with
    # exactly that many
    decimals: int | None = None
    # a further indicator of the row ``continues`` (its item): printed on a continuation row,
    # without number, code, name or Rp
    continues: str | None = None

    @property
    def numbered(self) -> bool:
        """Whether the row takes the form's next number: a program's own row."""
        return self.level == "program" and self.continues is None


@dataclass(frozen=True)
class FormHeading:
    """A header row of the form above its programs (Permendagri 86/2017): the urusan or the
    bidang urusan, from the programs' codes (``kinerja.core.urusan``). No figures, no number;
    not a row of the evaluation, so no rule counts it."""

    level: str  # urusan | bidang_urusan
    code: str  # "5", "5.03"
    name: str  # the Kepmendagri name, or a note where the code is not in Kinerja's table
    before: str  # the id of the program row it is printed above


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
    rule: str  # the rule id (kinerja.core.checks)
    severity: str
    row: str
    message: str
    label: str = ""  # the rule in words, for readers

    @property
    def title(self) -> str:
        """``Anggaran Renstra terlampaui (renstra-budget-exceeded)``."""
        return f"{self.label} ({self.rule})" if self.label else self.rule


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
class Kop:
    """The letterhead printed on the cover (and the PK): the government, the agency, its
    address and contacts and its logo (PNG or JPEG bytes; None: no logo, nothing drawn)."""

    government: str
    agency: str
    address: str = ""
    telephone: str = ""
    email: str = ""
    website: str = ""
    logo: bytes | None = None
    logo_ext: str = ""  # "png" | "jpg"

    @property
    def contact_line(self) -> str:
        """``Jalan … · Telepon … · pos-el … · situs …``: only what is set."""
        parts = [self.address]
        if self.telephone:
            parts.append(f"Telepon {self.telephone}")
        if self.email:
            parts.append(f"Pos-el {self.email}")
        if self.website:
            parts.append(self.website)
        return " · ".join(p for p in parts if p)


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
    # the checks' findings: for the Lembar Pemeriksaan, never printed on the form itself
    findings: tuple[FindingLine, ...]
    supporting: tuple[str, ...] = ()  # faktor pendorong keberhasilan kinerja
    inhibiting: tuple[str, ...] = ()  # faktor penghambat pencapaian kinerja
    follow_up: tuple[str, ...] = ()  # tindak lanjut yang diperlukan dalam triwulan berikutnya
    next_plan: tuple[str, ...] = ()  # tindak lanjut … dalam rencana kerja berikutnya
    headings: tuple[FormHeading, ...] = ()  # urusan / bidang urusan rows, in print order
    signature: Signature | None = None
    # the quarter is not approved (not *Disahkan*): every page and the file name say "DRAF";
    # a form read from a file (``kinerja evaluate``) is no quarter of the record: not a draft
    draft: bool = False
    document: str = field(default="form")

    @property
    def quarter_roman(self) -> str:
        return ("I", "II", "III", "IV")[self.quarter - 1]

    def printed_rows(self) -> tuple[FormLine | FormHeading, ...]:
        """The table's rows in print order: each heading above the program it names."""
        above: dict[str, list[FormHeading]] = {}
        for heading in self.headings:
            above.setdefault(heading.before, []).append(heading)
        out: list[FormLine | FormHeading] = []
        for line in self.rows:
            out += above.get(line.id, [])
            out.append(line)
        return tuple(out)

    @property
    def footer_texts(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The four texts under the averages, titled as the seed's form prints them
        (Permendagri 86/2017); an empty one prints "-"."""
        return (
            ("Faktor pendorong keberhasilan kinerja", self.supporting),
            ("Faktor penghambat pencapaian kinerja", self.inhibiting),
            ("Tindak lanjut yang diperlukan dalam triwulan berikutnya", self.follow_up),
            ("Tindak lanjut yang diperlukan dalam rencana kerja berikutnya", self.next_plan),
        )

    @property
    def title(self) -> str:
        return (
            f"Evaluasi terhadap Hasil Renja {self.agency} Triwulan {self.quarter_roman} "
            f"Tahun {self.year}"
        )


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):  # a chart: its digest stands for it
        return "sha256:" + hashlib.sha256(value).hexdigest()
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
    plain = _plain(asdict(report))
    plain.pop("word_template", None)  # a template, not data: it has its own hash
    canonical = json.dumps(plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---- the quarterly report (Laporan Capaian Kinerja Triwulan) ----------------------------


@dataclass(frozen=True)
class TargetSeries:
    """Tabel 2.2: an indicator of a tujuan or sasaran with its yearly targets."""

    level: str  # "tujuan" | "sasaran"
    number: str  # "1", "1.1"
    statement: str  # the tujuan or sasaran
    indicator: str
    unit: str
    original: tuple[tuple[int, Number], ...]  # (year, target) of the Renstra as adopted
    revised: tuple[tuple[int, Number], ...]  # (year, target) after revision (None: none)
    decimals: int | None = None  # the indicator's declared decimals (0,70); None: its own


@dataclass(frozen=True)
class IkuSheet:
    """Tabel 2.3: the IKU with definition, formula, data source and value scale."""

    number: int
    level: str
    statement: str
    indicator: str
    unit: str
    definition: str
    formula: str
    data_source: str
    weights: tuple[tuple[str, int], ...]  # dimension/aspect → weight %
    scale_name: str
    scale_bands: tuple[tuple[str, str], ...]  # (category, range written out)


@dataclass(frozen=True)
class AgreementTargetLine:
    """Tabel 2.3 of the PK: sasaran strategis, indikator, target."""

    number: int
    objective: str
    indicator: str
    target: Number
    unit: str = ""
    decimals: int | None = None  # the indicator's declared decimals


@dataclass(frozen=True)
class AgreementProgramLine:
    """Tabel 2.4: a program, kegiatan or sub kegiatan of the PK with target and pagu."""

    level: str
    name: str
    indicator: str
    target: Number
    unit: str
    budget: Number
    # the sasaran / IKU the program serves, as the PK prints it: "Indeks Penilaian Sistem
    # Merit (target 0,70)"; "" when not linked
    serves: str = ""


@dataclass(frozen=True)
class IkuAchievement:
    """Tabel 3.1: an IKU's target, realisation as entered, capaian and categories."""

    number: int
    statement: str
    indicator: str
    unit: str
    target: Number
    realisation: Number
    achievement: Number
    rating: str | None  # predikat of the capaian
    value_category: str | None  # the value's own category on the indicator's scale
    value_scale: str
    source: str
    explain: str
    paragraph: str  # the generated explanatory paragraph
    derived_rule: str = ""  # a rule of the form the indicator can be derived by (cross-check)
    derived_value: Number = None
    derived_explain: str = ""
    decimals: int | None = None  # the indicator's declared decimals
    # a value carried from an earlier quarter (aggregation "last"): "nilai per 31 Maret 2024"
    as_of: str = ""


@dataclass(frozen=True)
class BudgetLine:
    """Tabel 3.2: a program's pagu, cash plan and realisation to date, with both %."""

    number: int | None
    objective: str
    program: str
    budget: Number  # pagu (col 8 Rp)
    cash_plan: Number  # anggaran kas s.d. TW
    realised: Number  # realisasi s.d. TW (col 13 Rp)
    pct_of_plan: Number
    pct_of_budget: Number
    responsible: str
    explain_plan: str
    explain_budget: str


@dataclass(frozen=True)
class ActionPlanLine:
    """Capaian against the quarter's rencana aksi target."""

    code: str
    name: str
    unit: str
    target: Number
    realised: Number
    achievement: Number
    rating: str | None


@dataclass(frozen=True)
class FactorLine:
    """Tabel 3.3 (by indicator) and 3.4 (by program): factors and who is responsible."""

    subject: str
    supporting: tuple[str, ...]
    inhibiting: tuple[str, ...]
    responsible: str


@dataclass(frozen=True)
class Chart:
    """A chart drawn once per report: PNG for Word, SVG for PDF, text for readers."""

    title: str
    png: bytes
    svg: bytes
    description: str


@dataclass(frozen=True)
class AppendixFinding:
    """A line of the opt-in appendix *Lampiran: Temuan Pemeriksaan*: an item of the Lembar
    Pemeriksaan in words (reporting/checklist.py) — never its rule id."""

    severity: str  # Kesalahan | Peringatan | Info
    row: str  # the row, indicator or document it concerns; "" for the whole report
    finding: str  # what is wrong: the rule in words and the message
    action: str  # Tindakan


@dataclass(frozen=True)
class QuarterlyReport:
    """Laporan Capaian Kinerja Triwulan: ``document = "laporan"``."""

    government: str
    region: str
    agency: str
    agency_abbreviation: str
    year: int
    quarter: int
    plan_period: str  # "2021–2026"
    vision: str
    missions: tuple[str, ...]
    supported_mission: int | None
    rpjmd_goal: str
    rpjmd_objectives: tuple[tuple[str, str], ...]  # Tabel 2.1: (sasaran, indikator)
    foreword: tuple[str, ...]  # Kata Pengantar paragraphs
    background: tuple[str, ...]  # 1.1 Latar Belakang
    purposes: tuple[str, ...]  # 1.2 Maksud dan Tujuan
    closing: tuple[str, ...]  # BAB IV Penutup
    targets: tuple[TargetSeries, ...]  # Tabel 2.2
    target_years: tuple[int, ...]
    revision_note: str
    iku: tuple[IkuSheet, ...]  # Tabel 2.3
    agreement_targets: tuple[AgreementTargetLine, ...]  # PK Tabel 2.3
    agreement_lines: tuple[AgreementProgramLine, ...]  # Tabel 2.4
    predikat_scale: tuple[tuple[str, str], ...]  # (predikat, range)
    achievements: tuple[IkuAchievement, ...]  # Tabel 3.1
    budget: tuple[BudgetLine, ...]  # Tabel 3.2, the last line the total
    budget_basis: str  # "TW I" or "s.d. TW II" …
    action_plan: tuple[ActionPlanLine, ...]
    factors_by_indicator: tuple[FactorLine, ...]  # Tabel 3.3
    factors_by_program: tuple[FactorLine, ...]  # Tabel 3.4
    recommendations: tuple[str, ...]
    charts: tuple[Chart | None, ...]  # (achievement by program, budget by quarter); None: no data
    # the form's and the database's checks: data for the Lembar Pemeriksaan, never printed
    # in the report itself
    findings: tuple[FindingLine, ...]
    signature: Signature
    form: FormReport  # the appendix
    kop: Kop | None = None  # the letterhead on the cover
    goal_texts: tuple[tuple[str, str], ...] = ()  # (Tujuan 1 "…", its narrative) of the Renstra
    # the agency opted in to the appendix of the checklist's findings (Agency.findings_appendix)
    findings_appendix: bool = False
    appendix_findings: tuple[AppendixFinding, ...] = ()
    word_template: bytes | None = None  # the agency's own Word template, if it has one
    draft: bool = False  # the quarter is not approved: "DRAF" on every page and in the name
    document: str = field(default="laporan")

    @property
    def quarter_roman(self) -> str:
        return ("I", "II", "III", "IV")[self.quarter - 1]

    @property
    def title(self) -> str:
        return f"Laporan Capaian Kinerja Triwulan {self.quarter_roman} Tahun {self.year}"


@dataclass(frozen=True)
class AgreementReport:
    """The PK document: ``document = "pk"``."""

    government: str
    region: str
    agency: str
    agency_abbreviation: str
    year: int
    quarter: int  # the quarter it is printed in (file names)
    paragraphs: tuple[str, ...]  # the agreement text
    targets: tuple[AgreementTargetLine, ...]
    programs: tuple[AgreementProgramLine, ...]  # program rows with pagu
    total_budget: Number
    first_party: Signature  # the head of the agency
    second_party: Signature  # the regent
    word_template: bytes | None = None  # the agency's own Word template, if it has one
    # The PK is annual but printed from a quarter's record: a draft while that quarter is not
    # approved (its targets and pagu are frozen only by the approval). "DRAF" on every page
    # and in the file name.
    draft: bool = False
    document: str = field(default="pk")

    @property
    def title(self) -> str:
        return f"Perjanjian Kinerja Tahun {self.year}"
