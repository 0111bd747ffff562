"""What the API answers: pydantic schemas, the source of the OpenAPI document.

Every K or Rp figure is a JSON string in plain notation ("1905955200", "89.95"), never a JSON
number: figures are exact decimals (kinerja.core) and a float would round them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from ninja import Field, Schema

Figure = str | None  # a decimal in plain notation, or null
T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="Jumlah seluruh baris yang cocok")
    limit: int
    offset: int
    items: list[T]


class GovernmentOut(Schema):
    slug: str
    name: str
    region: str


class AgencyOut(Schema):
    slug: str
    name: str
    abbreviation: str
    government: str = Field(description="slug pemerintah daerah")
    is_example: bool


class TargetOut(Schema):
    id: int
    year: int
    original: Figure
    original_upper: Figure
    revised: Figure
    revised_upper: Figure
    current: Figure = Field(description="target yang berlaku: perubahan bila ada")
    revised_on: date | None
    revision_reason: str
    legal_basis: str


class IndicatorOut(Schema):
    id: int
    position: int
    name: str
    unit: str
    decimals: int | None
    definition: str
    formula: str
    data_source: str
    polarity: str
    aggregation: str
    is_key: bool
    derived_from_form: str
    goal_id: int | None
    objective_id: int | None
    targets: list[TargetOut]


class ObjectiveOut(Schema):
    id: int
    code: str
    text: str
    indicators: list[IndicatorOut]


class GoalOut(Schema):
    id: int
    number: int
    text: str
    narrative: str
    indicators: list[IndicatorOut]
    objectives: list[ObjectiveOut]


class RenstraOut(Schema):
    id: int
    start_year: int
    end_year: int
    revision_note: str
    goals: list[GoalOut]


class AgreementTargetOut(Schema):
    position: int
    objective_text: str
    indicator_id: int | None
    indicator_text: str
    target: Figure


class AgreementLineOut(Schema):
    position: int
    level: str
    name: str
    indicator_text: str
    target: Figure
    target_unit: str
    budget: Figure
    work_item_id: int | None


class SignatoryOut(Schema):
    party: str
    title: str
    name: str
    nip: str
    rank: str
    acting: str


class AgreementOut(Schema):
    year: int
    signed_on: date | None
    place: str
    targets: list[AgreementTargetOut]
    lines: list[AgreementLineOut]
    signatories: list[SignatoryOut]


class ActionPlanOut(Schema):
    quarter: int
    target_k: Figure
    cash_plan: Figure


class WorkItemOut(Schema):
    id: int
    parent_id: int | None
    indicator_of_id: int | None = Field(
        default=None,
        description="indikator tambahan dari item ini (baris lanjutan: K saja, tanpa pagu/Rp)",
    )
    position: int
    level: str
    code: str
    name: str
    indicator: str
    unit: str
    decimals: int | None
    polarity: str
    aggregation: str
    allows_negative: bool
    target_k: Figure
    target_k_upper: Figure
    budget_original: Figure
    budget_revised: Figure
    budget: Figure = Field(description="pagu yang berlaku: perubahan bila ada")
    budget_revised_on: date | None
    renstra_target_k: Figure
    renstra_target_unit: str
    renstra_target_rp: Figure
    renstra_realised_k: Figure
    renstra_realised_unit: str
    renstra_realised_rp: Figure
    action_plans: list[ActionPlanOut]


class RealisationOut(Schema):
    work_item_id: int
    code: str
    level: str
    name: str
    quarter: int
    stored: bool = Field(description="false: belum pernah diisi (nilai kosong)")
    value_k: Figure
    value_k_unit: str
    value_rp: Figure
    note: str
    version: str = Field(description="versi baris (docs/api.md); ETag pada baris tunggal")


class IndicatorRealisationOut(Schema):
    indicator_id: int
    name: str
    unit: str
    year: int
    quarter: int
    stored: bool
    value: Figure
    measured_on: date | None
    source: str
    note: str
    version: str


class EventOut(Schema):
    from_status: str
    to_status: str
    actor: str | None
    reason: str
    override_reason: str
    blocking_items: int
    at: datetime


class SubmissionOut(Schema):
    status: str
    status_label: str
    editable: bool
    report_date: date | None
    timeline: list[EventOut]


class FindingOut(Schema):
    rule: str
    title: str
    row: str
    message: str
    action: str
    severity: str
    blocks: bool


class OverrideOut(Schema):
    reason: str
    by: str
    at: date
    blocking: int


class FindingsOut(Schema):
    status: str
    draft: bool
    signed_on: date
    blocking: int
    items: list[FindingOut]
    override: OverrideOut | None


class ReportOfferOut(Schema):
    document: str
    label: str
    format: str
    url: str = Field(
        description="berkas dari data saat ini di aplikasi (sesi peramban): yang "
        "sudah dibuat dari data yang sama langsung, selain itu halaman pekerjaan "
        "antrean yang menunjukkan kemajuan lalu memberi berkasnya"
    )


class ReportFileOut(Schema):
    id: int
    document: str
    format: str
    filename: str
    created_at: datetime
    created_by: str | None
    data_hash: str
    template_hash: str
    url: str = Field(description="unduhan berkas ini di aplikasi (sesi peramban)")
    api_url: str = Field(description="unduhan berkas ini lewat API (token)")


class ReportsOut(Schema):
    offers: list[ReportOfferOut]
    files: list[ReportFileOut]


Evaluation = dict[str, Any]


class RollupRowOut(Schema):
    """One row of ``kinerja rollup --json`` (docs/rollup.md, «What each row says»)."""

    kind: str = Field(description="agency, pemda, province atau country")
    slug: str = Field(description="slug perangkat daerah/pemda, kode provinsi, «id» negara")
    name: str
    parent: str | None = Field(description="slug/kode induknya (null untuk negara)")
    k: Figure = Field(description="capaian K (%): footer formulir, atau rata-rata di atasnya")
    rp: Figure = Field(description="capaian Rp (%): Σ realisasi ÷ Σ pagu × 100")
    predikat_k: str | None
    predikat_rp: str | None
    status: str | None = Field(description="status triwulan (baris perangkat daerah saja)")
    realisasi_rp: Figure
    pagu: Figure
    realisasi_rp_semua_program: Figure
    rencana_kas: Figure
    serapan_kas: Figure
    agencies: int = Field(description="jumlah perangkat daerah di bawahnya")
    statuses: dict[str, int] = Field(description="jumlah perangkat daerah per status")
    distribution: dict[str, int] = Field(description="jumlah perangkat daerah per predikat K")
    rank: int | None = Field(description="peringkat di antara saudaranya dalam cakupan ini")
    ranked_among: int


class RollupOut(Schema):
    year: int
    quarter: int
    rows: list[RollupRowOut] = Field(description="urutan pohon: negara, provinsi, pemda, "
                                                 "perangkat daerahnya")  # fmt: skip
