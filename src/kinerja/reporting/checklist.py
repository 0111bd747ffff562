"""The pre-signing checklist (*Lembar Pemeriksaan*) of a quarter: everything the agency must
look at before its head signs the report, the form and the PK — the consistency checks of the
form (``kinerja.core.checks``), those that need the PK and the Renstra
(``record.capture.input_findings``), rows whose code was lost, and what a signed document
still lacks (the signatories, the kop).

Each item says, in Indonesian words, which row, what is wrong, what to do (*Tindakan*) and
whether it blocks *Sahkan*: an item of severity error does, unless the pimpinan records a
reason (``monitoring.workflow.approve_quarter``). Rule ids stay in the data (and in a file's
document properties), never in visible text.

``checklist_from_input`` is pure (a QuarterInput in, a Checklist out); ``build_checklist``
reads the quarter (its approved snapshot or the live tables) and the approval's reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from kinerja.core.checks import RULE_TITLES, Finding, Severity
from kinerja.core.numbers import QUARTER_ROMAN
from kinerja.record.capture import ItemInput, QuarterInput

# rules of the checklist itself (not of kinerja.core.checks)
CODE_UNKNOWN = "code-unknown"
SIGNATORY_MISSING = "signatory-missing"
SECOND_PARTY_MISSING = "second-party-missing"
KOP_MISSING = "kop-missing"

TITLES: dict[str, str] = {
    **RULE_TITLES,
    CODE_UNKNOWN: "Kode tidak diketahui",
    SIGNATORY_MISSING: "Penanda tangan belum diisi",
    SECOND_PARTY_MISSING: "Pihak kedua Perjanjian Kinerja belum diisi",
    KOP_MISSING: "Kop perangkat daerah belum diisi",
}

# what to do about each rule: one sentence
ACTIONS: dict[str, str] = {
    "total-not-sum-of-quarters": "Samakan kolom 13 dengan jumlah realisasi triwulannya.",
    "parent-not-sum-of-children": (
        "Samakan Rp induk dengan jumlah rinciannya atau perbaiki rinciannya."
    ),
    "realisation-after-report-quarter": (
        "Hapus realisasi triwulan yang belum tiba atau pindahkan ke triwulan yang benar."
    ),
    "unit-mismatch": "Samakan satuan realisasi dan target dengan satuan indikatornya.",
    "spending-above-pagu": "Periksa realisasi anggaran dan pagunya, lalu perbaiki yang keliru.",
    "renstra-budget-exceeded": (
        "Periksa target anggaran Renstra (kolom 6) dan realisasi sebelumnya (kolom 7); "
        "perbarui Renstra bila targetnya telah berubah."
    ),
    "target-zero": "Isi target kinerja tahun ini (kolom 8) agar capaiannya dapat dihitung.",
    "spending-without-pagu": "Isi pagu (kolom 8) atau perbaiki realisasi anggarannya.",
    "pk-differs-from-renja": (
        "Samakan target, satuan dan pagu Perjanjian Kinerja dengan Renja, atau catat alasan "
        "perbedaannya."
    ),
    "iku-pk-lists-differ": "Samakan daftar IKU dengan indikator Perjanjian Kinerja.",
    "revised-target-backwards": (
        "Periksa target perubahan Renstra; bila memang turun, catat dasar perubahannya."
    ),
    CODE_UNKNOWN: (
        "Cari kode yang benar pada DPA atau nomenklatur sub kegiatan dan perbaiki kodenya di Renja."
    ),
    SIGNATORY_MISSING: (
        "Isi nama, NIP, pangkat/golongan dan jabatan penanda tangan pada halaman Kop dan "
        "penanda tangan."
    ),
    SECOND_PARTY_MISSING: ("Isi nama dan jabatan pihak kedua pada halaman Kop dan penanda tangan."),
    KOP_MISSING: "Isi alamat, telepon, pos-el dan logo pada halaman Kop dan penanda tangan.",
}
SEVERITY_LABELS = {"error": "Kesalahan", "warning": "Peringatan", "info": "Info"}
PARTIES = {"first": "pihak pertama", "second": "pihak kedua"}
_ZEROS = re.compile(r"^0+$")


@dataclass(frozen=True)
class ChecklistItem:
    rule: str  # the rule id: data and document properties only, never shown
    title: str  # the rule in Indonesian words
    row: str  # "5.03.01 Program Penunjang …", an indicator, or "" for the whole document
    message: str
    action: str  # Tindakan
    severity: str  # "error" | "warning" | "info"
    blocks: bool  # blocks Sahkan (severity error)
    place: str = ""  # "kop": fixed on the Kop dan penanda tangan page; "": on the row's page

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


@dataclass(frozen=True)
class Override:
    """The pimpinan's reason for approving with blocking items, as recorded."""

    reason: str
    by: str  # the approver's name; "" for an import (the seed's signed report)
    at: date
    blocking: int  # how many items blocked then


@dataclass(frozen=True)
class Checklist:
    agency: str
    agency_abbreviation: str
    government: str
    year: int
    quarter: int
    status: str  # the quarter's state in words: Draf, Diajukan, …, Disahkan
    draft: bool  # not approved: "DRAF" on every page and in the file name
    signed_on: date  # the report date the checklist is prepared for
    items: tuple[ChecklistItem, ...]
    override: Override | None = None
    document: str = "pemeriksaan"

    @property
    def quarter_roman(self) -> str:
        return QUARTER_ROMAN[self.quarter - 1]

    @property
    def blocking(self) -> tuple[ChecklistItem, ...]:
        return tuple(i for i in self.items if i.blocks)

    @property
    def title(self) -> str:
        return "Lembar Pemeriksaan Sebelum Penandatanganan"


# ---- from the input ------------------------------------------------------------------------


def _row_label(item: ItemInput) -> str:
    return f"{item.code} {item.name}".strip()


def code_unknown(item: ItemInput) -> bool:
    """A code that names no real item: empty, or a sub kegiatan number of zeros only
    ("5.03.01.2.02.0000": the number was lost when the report was printed or extracted)."""
    if not item.code.strip():
        return True
    return item.level == "sub_kegiatan" and bool(_ZEROS.match(item.code.rsplit(".", 1)[-1]))


def readiness_items(inp: QuarterInput) -> list[ChecklistItem]:
    """What a signed document lacks: the first party's name, the PK's second party, the kop."""
    out = []

    def add(rule: str, message: str) -> None:
        out.append(ChecklistItem(rule, TITLES[rule], "", message, ACTIONS[rule], "error", True,
                                 place="kop"))  # fmt: skip

    first = inp.signatory("first")
    if first is None or not first.name.strip():
        who = f" ({first.title})" if first is not None and first.title else ""
        add(SIGNATORY_MISSING,
            f"Nama penanda tangan pihak pertama{who} belum diisi; laporan, formulir dan "
            "Perjanjian Kinerja hanya dapat dibuat sebagai draf sampai nama itu diisi.")  # fmt: skip
    second = inp.signatory("second")
    if second is None or not second.name.strip():
        who = f" ({second.title})" if second is not None and second.title else ""
        add(SECOND_PARTY_MISSING,
            f"Pihak kedua Perjanjian Kinerja{who} belum diisi namanya; Perjanjian Kinerja "
            "hanya dapat dibuat sebagai draf sampai pihak kedua diisi.")  # fmt: skip
    if inp.kop is None or not inp.kop.address.strip():
        add(KOP_MISSING,
            f"Kop perangkat daerah tahun {inp.year} belum diisi (alamat); sampul laporan dan "
            "Perjanjian Kinerja hanya dapat dibuat sebagai draf sampai kop diisi.")  # fmt: skip
    return out


def checklist_items(inp: QuarterInput, form_findings: list[Finding],
                    input_findings: list[Finding]) -> tuple[ChecklistItem, ...]:  # fmt: skip
    """Every item, blocking first, then in the order of the rows (the document's own items
    before the rows, the PK's and the Renstra indicators' after them)."""
    by_label = {f"{i.code}#{i.position}": i for i in inp.items}
    indicators = {i.name: i.position for i in inp.indicators}
    keyed: list[tuple[tuple[int, int, int], ChecklistItem]] = []

    def add(group: int, position: int, item: ChecklistItem) -> None:
        keyed.append(((0 if item.blocks else 1, group, position), item))

    for item in readiness_items(inp):
        add(0, 0, item)
    rows = [(f, by_label.get(f.row)) for f in [*form_findings, *input_findings]]
    rows += [
        (Finding(CODE_UNKNOWN, Severity.WARNING, f"{i.code}#{i.position}", _code_message(i)), i)
        for i in inp.items
        if code_unknown(i)
    ]
    for finding, row in rows:
        severity = finding.severity.value
        if row is not None:
            group, position, label = 1, row.position, _row_label(row)
        elif finding.row in indicators:  # revised-target-backwards: an indicator by name
            group, position, label = 2, indicators[finding.row], f"Indikator {finding.row}"
        else:  # iku-pk-lists-differ: the PK as a whole
            group, position, label = 2, 0, "Perjanjian Kinerja"
        add(group, position, ChecklistItem(
            finding.rule, TITLES.get(finding.rule, finding.rule), label, finding.message,
            ACTIONS.get(finding.rule, ""), severity, severity == "error",
        ))  # fmt: skip
    keyed.sort(key=lambda pair: pair[0])  # stable: a row's findings keep the checks' order
    return tuple(item for _key, item in keyed)


def _code_message(item: ItemInput) -> str:
    if not item.code.strip():
        return "Baris ini tidak berkode."
    return (
        f"Nomor sub kegiatan pada kode {item.code} hilang pada laporan sumber (tercetak "
        "«00»); kode yang benar tidak diketahui."
    )


def checklist_from_input(
    inp: QuarterInput,
    *,
    agency: str,
    agency_abbreviation: str,
    government: str,
    status: str,
    draft: bool,
    signed_on: date,
    override: Override | None = None,
) -> Checklist:
    """The checklist of a quarter's input: no database."""
    from kinerja.core.evaluation import evaluate_form
    from kinerja.monitoring.queries import form_from_input
    from kinerja.record.capture import input_findings

    form = evaluate_form(form_from_input(inp)).findings if inp.items else []
    items = checklist_items(inp, list(form), input_findings(inp))
    return Checklist(agency=agency, agency_abbreviation=agency_abbreviation,
                     government=government, year=inp.year, quarter=inp.quarter, status=status,
                     draft=draft, signed_on=signed_on, items=items, override=override)  # fmt: skip


# ---- from the database ---------------------------------------------------------------------


def build_checklist(agency: Any, year: int, quarter: int, *, signed_on: date | None = None,
                    inp: QuarterInput | None = None) -> Checklist:  # fmt: skip
    """The checklist of an agency's quarter, read by ``record.snapshots.quarter_input`` (the
    approved snapshot, else the live tables) unless ``inp`` is given; dated ``signed_on``
    (default: the quarter's report date). An approved quarter carries the reason its
    approval recorded for its blocking items, if any."""
    from django.utils import timezone

    from kinerja.monitoring.models import SubmissionEvent, SubmissionStatus
    from kinerja.monitoring.queries import submission_status
    from kinerja.record.snapshots import latest_snapshot, quarter_input

    from .generate import report_date

    if inp is None:
        inp = quarter_input(agency, year=year, quarter=quarter)
    if signed_on is None:
        signed_on = report_date(agency, year=year, quarter=quarter, today=timezone.localdate())
    status = submission_status(agency, year=year, quarter=quarter)
    approved = status == SubmissionStatus.APPROVED
    override = None
    if approved:
        event = (
            SubmissionEvent.objects.filter(submission__agency=agency, submission__year=year,
                                           submission__quarter=quarter,
                                           to_status=SubmissionStatus.APPROVED)
            .select_related("actor").order_by("-at", "-pk").first()
        )  # fmt: skip
        if event is not None and event.override_reason:
            actor = event.actor
            by = (actor.get_full_name() or actor.get_username()) if actor is not None else ""
            snapshot = latest_snapshot(agency.pk, year=year, quarter=quarter)
            at = snapshot.approved_at if snapshot is not None else event.at  # an import's date
            override = Override(event.override_reason, by, timezone.localdate(at),
                                event.blocking_items)  # fmt: skip
    return checklist_from_input(
        inp, agency=agency.name, agency_abbreviation=agency.abbreviation or "",
        government=str(agency.government.name), status=str(status.label), draft=not approved,
        signed_on=signed_on, override=override,
    )  # fmt: skip


def blocking_items(inp: QuarterInput) -> tuple[ChecklistItem, ...]:
    """The items of a quarter's input that block *Sahkan* (what ``approve_quarter`` checks)."""
    from kinerja.core.evaluation import evaluate_form
    from kinerja.monitoring.queries import form_from_input
    from kinerja.record.capture import input_findings

    form = evaluate_form(form_from_input(inp)).findings if inp.items else []
    return tuple(i for i in checklist_items(inp, list(form), input_findings(inp)) if i.blocks)
