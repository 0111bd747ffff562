"""What the API's writes accept and answer (api/write.py; conventions: docs/api.md).

Figures are JSON strings in plain notation ("1905955200", "89.95", "-3"), as the read side
answers them; ``null`` empties a figure. In a row, a field that is *left out* is left as it
is; a field sent as ``null`` (or ``""`` for a text) is emptied. Each row names the ``version``
it was read with (the read side's ``version``/``ETag``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from kinerja.limits import NOTE_MAX, REASON_MAX

from .schemas import IndicatorRealisationOut, RealisationOut, SubmissionOut, WorkItemOut

Figure = str | None
VERSION = r"^[0-9a-f]{16}$"
ID = {"ge": 1, "le": 2**62}
BATCH_MAX = 5000


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class RevisionIn(Strict):
    """What a change of the plan carries once a quarter of its year is approved."""

    on: date = Field(description="tanggal revisi")
    reason: str = Field(max_length=REASON_MAX, description="alasan revisi")
    legal_basis: str = Field(max_length=500, description="dasar hukum revisi")


# ---- realisations of a quarter ----------------------------------------------------------


class RealisationValues(Strict):
    value_k: Figure = Field(None, max_length=40, description="realisasi K; null mengosongkan")
    value_rp: Figure = Field(None, max_length=40, description="realisasi Rp; null mengosongkan")
    note: str | None = Field(None, max_length=NOTE_MAX, description="catatan")


class RealisationRowIn(RealisationValues):
    work_item_id: int = Field(..., **ID)
    version: str = Field(..., pattern=VERSION, description="versi baris yang dibaca")


class RealisationBatchIn(Strict):
    reason: str = Field("", max_length=REASON_MAX,
                        description="alasan perubahan (wajib bila triwulan dikembalikan)")  # fmt: skip
    rows: list[RealisationRowIn] = Field(..., min_length=1, max_length=BATCH_MAX)


class RealisationPutIn(RealisationValues):
    reason: str = Field("", max_length=REASON_MAX)


class RealisationBatchOut(Schema):
    changed: int = Field(description="jumlah nilai (K, Rp, catatan) yang berubah")
    rows: list[RealisationOut] = Field(description="baris yang dikirim, sebagaimana tersimpan")


# ---- IKU realisations -------------------------------------------------------------------


class IndicatorRealisationValues(Strict):
    value: Figure = Field(None, max_length=40, description="realisasi IKU; null mengosongkan")
    measured_on: date | None = None
    source: str | None = Field(None, max_length=500)
    note: str | None = Field(None, max_length=NOTE_MAX)


class IndicatorRealisationRowIn(IndicatorRealisationValues):
    indicator_id: int = Field(..., **ID)
    version: str = Field(..., pattern=VERSION)


class IndicatorRealisationBatchIn(Strict):
    reason: str = Field("", max_length=REASON_MAX)
    rows: list[IndicatorRealisationRowIn] = Field(..., min_length=1, max_length=500)


class IndicatorRealisationPutIn(IndicatorRealisationValues):
    reason: str = Field("", max_length=REASON_MAX)


class IndicatorRealisationBatchOut(Schema):
    changed: int = Field(description="jumlah IKU yang berubah")
    rows: list[IndicatorRealisationOut]


# ---- narratives -------------------------------------------------------------------------

NarrativeKind = Literal["supporting", "inhibiting", "follow_up", "foreword", "background",
                        "closing", "recommendation"]  # fmt: skip


class NarrativeOut(Schema):
    kind: NarrativeKind
    kind_label: str
    indicator_id: int | None = Field(description="IKU yang dinarasikan (faktor, tindak lanjut)")
    work_item_id: int | None = Field(description="program yang dinarasikan")
    subject: str = Field(description="nama IKU/program, atau kosong untuk teks laporan")
    text: str = Field(description="baris-baris teks, dipisah baris baru")
    version: str


class NarrativeIn(Strict):
    kind: NarrativeKind
    indicator_id: int | None = Field(None, **ID)
    work_item_id: int | None = Field(None, **ID)
    text: str = Field(..., max_length=NOTE_MAX, description="baris-baris teks; kosong menghapus")
    version: str = Field(..., pattern=VERSION)


class NarrativesIn(Strict):
    reason: str = Field("", max_length=REASON_MAX)
    texts: list[NarrativeIn] = Field(..., min_length=1, max_length=500)


# ---- Renja items, targets, pagu -----------------------------------------------------------

Level = Literal["program", "kegiatan", "sub_kegiatan"]


class WorkItemFields(Strict):
    """The fields the Renja screen edits; on a change, a field left out is left as it is."""

    code: str | None = Field(None, max_length=40)
    name: str | None = Field(None, max_length=500)
    indicator: str | None = Field(None, max_length=REASON_MAX)
    unit: str | None = Field(None, max_length=300)
    decimals: int | None = Field(None, ge=0, le=6)
    target_k: Figure = Field(None, max_length=40)
    target_k_upper: Figure = Field(None, max_length=40)
    budget: Figure = Field(None, max_length=40,
                           description="pagu: murni, atau pagu perubahan setelah pengesahan")  # fmt: skip
    objective_id: int | None = Field(None, **ID)
    polarity: str | None = Field(None, max_length=20)
    aggregation: str | None = Field(None, max_length=20)
    responsible_unit_id: int | None = Field(None, **ID)


class WorkItemPatchIn(Strict):
    changes: WorkItemFields
    reason: str = Field("", max_length=REASON_MAX)
    revision: RevisionIn | None = Field(None, description="wajib setelah ada triwulan disahkan")


class WorkItemCreateIn(WorkItemFields):
    level: Level
    parent_id: int | None = Field(None, **ID)
    after_id: int | None = Field(None, **ID, description="diletakkan setelah saudara ini")
    reason: str = Field("", max_length=REASON_MAX)
    revision: RevisionIn | None = None


class WorkItemOutV(WorkItemOut):
    version: str = Field(description="versi baris (ETag)")


class BudgetRevisionIn(Strict):
    amount: str = Field(..., max_length=40, description="pagu perubahan (Rp)")
    on: date
    reason: str = Field(..., max_length=REASON_MAX)
    legal_basis: str = Field(..., max_length=500)


class TargetRevisionIn(Strict):
    value: str = Field(..., max_length=40, description="target perubahan")
    upper: Figure = Field(None, max_length=40, description="batas atas (target rentang)")
    on: date
    reason: str = Field(..., max_length=REASON_MAX)
    legal_basis: str = Field(..., max_length=500)


class TargetOutV(Schema):
    id: int
    indicator_id: int
    year: int
    original: Figure
    original_upper: Figure
    revised: Figure
    revised_upper: Figure
    current: Figure
    revised_on: date | None
    revision_reason: str
    legal_basis: str
    version: str


# ---- workflow -----------------------------------------------------------------------------

Action = Literal["submit", "return", "verify", "approve", "reopen"]


class ActionIn(Strict):
    reason: str = Field("", max_length=REASON_MAX,
                        description="wajib untuk return dan reopen; untuk approve: alasan "
                                    "mengesahkan walau Lembar Pemeriksaan memuat temuan")  # fmt: skip


ActionOut = SubmissionOut
