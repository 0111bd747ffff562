"""Freezing an approved quarter and reading it back (DESIGN §4a).

``freeze_quarter`` is called by the approval itself (``monitoring.workflow``), inside the
transaction that makes the quarter *Disahkan*; ``quarter_input`` is what every page, report
and command reads: the latest snapshot of an approved quarter, the live tables otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kinerja.core.numbers import format_number, quarter_roman

from .capture import (
    ItemInput,
    QuarterInput,
    QuarterValue,
    capture,
    from_json,
    json_hash,
    to_json,
)

ITEM_FIELDS = (
    "position", "level", "code", "name", "indicator", "unit", "responsible_unit", "objective",
    "polarity", "aggregation", "target_k", "target_k_upper", "budget", "renstra_target_k",
    "renstra_target_rp", "renstra_target_unit", "renstra_realised_k", "renstra_realised_rp",
    "renstra_realised_unit", "decimals", "continues_key",
)  # fmt: skip
VALUE_FIELDS = ("value_k", "value_k_unit", "value_rp", "note", "plan_k", "cash_plan")


def _item_fields(row_model: Any) -> tuple[str, ...]:
    """ITEM_FIELDS the registry's SnapshotRow has: ``decimals`` came later (record.0004) and
    ``continues_key`` later still (record.0005); a data migration before them freezes without
    them (ItemInput.decimals / continues_key then None)."""
    names = {f.name for f in row_model._meta.get_fields()}
    return tuple(name for name in ITEM_FIELDS if name in names)


def freeze_quarter(
    *,
    agency_id: int,
    year: int,
    quarter: int,
    actor: Any,
    at: datetime,
    apps: Any = None,
    inp: QuarterInput | None = None,
) -> Any:
    """Snapshot the quarter's input as it stands now; the diff against the previous approval
    of the same quarter is kept beside it. Returns the QuarterSnapshot. ``inp``: the input
    as the caller captured it in this same transaction (the approval, which checked it),
    else it is captured here."""
    from django.apps import apps as django_apps

    if apps is None or apps is django_apps:
        return freeze_quarters([Freeze(agency_id, year, quarter, actor, at, inp)])[0]
    Snapshot = apps.get_model("record", "QuarterSnapshot")  # noqa: N806
    Row = apps.get_model("record", "SnapshotRow")  # noqa: N806
    Value = apps.get_model("record", "SnapshotValue")  # noqa: N806
    if inp is None:
        inp = capture(agency_id, year=year, quarter=quarter, apps=apps)
    previous = (
        Snapshot.objects.filter(agency_id=agency_id, year=year, quarter=quarter)
        .order_by("-sequence")
        .first()
    )
    snapshot = _snapshot(Snapshot, Freeze(agency_id, year, quarter, actor, at, inp), previous,
                         read_snapshot(previous, apps=apps) if previous else None)  # fmt: skip
    snapshot.save()
    for row in _rows(Row, snapshot, inp, _known_items(apps, [inp])):  # a data migration's
        row.save()  # models: one by one
        for value in row.item.quarters:
            Value.objects.create(row=row, quarter=value.quarter,
                                 **{name: getattr(value, name) for name in VALUE_FIELDS})  # fmt: skip
    return snapshot


@dataclass(frozen=True)
class Freeze:
    """A quarter to freeze: as ``freeze_quarter``'s arguments."""

    agency_id: int
    year: int
    quarter: int
    actor: Any
    at: datetime
    inp: QuarterInput | None = None


def freeze_quarters(quarters: list[Freeze]) -> list[Any]:
    """``freeze_quarter`` of several quarters in this transaction (the approvals of a batch,
    ``monitoring.workflow.approve_imported_quarters``), their snapshots in order: the
    previous approvals read together, and the snapshots, their rows and the rows' values
    each written in one insert (``COPY`` on PostgreSQL) — not five statements per item."""
    from kinerja.web import fragments

    from .models import QuarterSnapshot, SnapshotRow, SnapshotValue

    inputs = [q.inp or capture(q.agency_id, year=q.year, quarter=q.quarter) for q in quarters]
    previous: dict[tuple[int, int, int], Any] = {}
    for year, quarter in sorted({(q.year, q.quarter) for q in quarters}):
        for snapshot in QuarterSnapshot.objects.filter(  # the latest wins
            agency_id__in={q.agency_id for q in quarters if (q.year, q.quarter) == (year, quarter)},
            year=year, quarter=quarter,
        ).order_by("sequence"):  # fmt: skip
            previous[(snapshot.agency_id, year, quarter)] = snapshot
    before = read_snapshots(list(previous.values())) if previous else {}
    snapshots = []
    for q, inp in zip(quarters, inputs, strict=True):
        last = previous.get((q.agency_id, q.year, q.quarter))
        snapshots.append(_snapshot(QuarterSnapshot, Freeze(q.agency_id, q.year, q.quarter,
                                                           q.actor, q.at, inp),
                                   last, before[last.pk] if last else None))  # fmt: skip
    fragments.bulk_create(QuarterSnapshot, snapshots)
    known = _known_items(None, inputs)
    rows = [row for snapshot, inp in zip(snapshots, inputs, strict=True)
            for row in _rows(SnapshotRow, snapshot, inp, known)]  # fmt: skip
    fragments.bulk_create(SnapshotRow, rows)
    fragments.bulk_create(SnapshotValue, [
        SnapshotValue(row=row, quarter=value.quarter,
                      **{name: getattr(value, name) for name in VALUE_FIELDS})
        for row in rows for value in row.item.quarters
    ])  # fmt: skip
    return snapshots


def _snapshot(model: Any, q: Freeze, previous: Any, before: QuarterInput | None) -> Any:
    """The (unsaved) snapshot of ``q.inp``, the next of ``previous`` (whose input is
    ``before``), with the changes since it."""
    assert q.inp is not None
    changes = diff_inputs(before, q.inp) if before is not None else []
    payload = to_json(q.inp)
    data_hash = json_hash(payload)  # input_hash(inp), from the JSON made once
    payload.pop("items")
    return model(
        agency_id=q.agency_id, year=q.year, quarter=q.quarter,
        sequence=(previous.sequence + 1) if previous else 1, approved_at=q.at,
        approved_by=q.actor if getattr(q.actor, "pk", None) else None, data_hash=data_hash,
        payload=payload, changes=changes,
    )  # fmt: skip


def _known_items(apps: Any, inputs: list[QuarterInput]) -> set[int]:
    """The inputs' Renja items that still exist (a row keeps its item's id only while it does)."""
    if apps is None:
        from django.apps import apps
    return set(
        apps.get_model("planning", "WorkItem")
        .objects.filter(pk__in=[i.key for inp in inputs for i in inp.items])
        .values_list("pk", flat=True)
    )


def _rows(model: Any, snapshot: Any, inp: QuarterInput, known: set[int]) -> list[Any]:
    """The snapshot's (unsaved) rows, a row per item of ``inp``; ``row.item`` is its item."""
    item_fields = _item_fields(model)
    rows = []
    for item in inp.items:
        row = model(snapshot=snapshot, work_item_id=item.key if item.key in known else None,
                    item_key=item.key, parent_key=item.parent_key,
                    **{name: getattr(item, name) for name in item_fields})  # fmt: skip
        row.item = item
        rows.append(row)
    return rows


def read_snapshot(snapshot: Any, *, apps: Any = None) -> QuarterInput:
    """The input a snapshot froze: items from its rows, the rest from its payload."""
    return read_snapshots([snapshot], apps=apps)[snapshot.pk]


def read_snapshots(snapshots: list[Any], *, apps: Any = None) -> dict[int, QuarterInput]:
    """``read_snapshot`` of several snapshots, by snapshot id: two queries for any number."""
    if apps is None:
        from django.apps import apps
    Row = apps.get_model("record", "SnapshotRow")  # noqa: N806
    Value = apps.get_model("record", "SnapshotValue")  # noqa: N806
    ids = [s.pk for s in snapshots]
    values: dict[int, list[QuarterValue]] = {}
    for row_id, quarter, *rest in (
        Value.objects.filter(row__snapshot_id__in=ids)
        .order_by("row_id", "quarter")
        .values_list("row_id", "quarter", *VALUE_FIELDS)
    ):
        values.setdefault(row_id, []).append(
            QuarterValue(quarter, **dict(zip(VALUE_FIELDS, rest, strict=True)))
        )
    items: dict[int, list[ItemInput]] = {pk: [] for pk in ids}
    item_fields = _item_fields(Row)
    for snapshot_id, pk, key, parent, *rest in (
        Row.objects.filter(snapshot_id__in=ids)
        .order_by("snapshot_id", "position")
        .values_list("snapshot_id", "pk", "item_key", "parent_key", *item_fields)
    ):
        items[snapshot_id].append(ItemInput(
            key=key, parent_key=parent, quarters=tuple(values.get(pk, ())),
            **dict(zip(item_fields, rest, strict=True)),
        ))  # fmt: skip
    return {s.pk: from_json(s.payload, items=tuple(items[s.pk])) for s in snapshots}


def latest_snapshot(agency_id: int, *, year: int, quarter: int) -> Any:
    """The snapshot an approved quarter reads: its latest approval; None where the quarter is
    not approved now."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    from .models import QuarterSnapshot

    approved = QuarterSubmission.objects.filter(
        agency_id=agency_id, year=year, quarter=quarter, status=SubmissionStatus.APPROVED
    ).exists()
    if not approved:
        return None
    return (
        QuarterSnapshot.objects.filter(agency_id=agency_id, year=year, quarter=quarter)
        .order_by("-sequence")
        .first()
    )


def quarter_input(agency: Any, *, year: int, quarter: int) -> QuarterInput:
    """What the pages, reports and commands of a quarter read: an approved quarter's latest
    snapshot, the live tables for any other state."""
    snapshot = latest_snapshot(agency.pk, year=year, quarter=quarter)
    if snapshot is not None:
        return read_snapshot(snapshot)
    return capture(agency.pk, year=year, quarter=quarter)


def approved_inputs(agency_ids: list[int], *, year: int, quarter: int) -> dict[int, QuarterInput]:
    """The frozen inputs of those agencies whose quarter is approved now, by agency id."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    from .models import QuarterSnapshot

    approved = set(
        QuarterSubmission.objects.filter(
            agency_id__in=agency_ids, year=year, quarter=quarter,
            status=SubmissionStatus.APPROVED,
        ).values_list("agency_id", flat=True)
    )  # fmt: skip
    if not approved:
        return {}
    latest: dict[int, Any] = {}
    for snapshot in QuarterSnapshot.objects.filter(
        agency_id__in=approved, year=year, quarter=quarter
    ).order_by("agency_id", "sequence"):
        latest[snapshot.agency_id] = snapshot
    read = read_snapshots(list(latest.values()))
    return {agency_id: read[s.pk] for agency_id, s in latest.items()}


# ---- what changed between two approvals ---------------------------------------------------


def _shown(value: Any) -> str:
    from decimal import Decimal

    if value is None or value == "":
        return "-"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)


ITEM_LABELS = {
    "name": "nama", "indicator": "indikator", "unit": "satuan", "target_k": "target K",
    "target_k_upper": "batas atas target K", "budget": "pagu",
    "renstra_target_k": "target Renstra (K)", "renstra_target_rp": "target Renstra (Rp)",
    "renstra_realised_k": "realisasi Renstra s.d. tahun lalu (K)",
    "renstra_realised_rp": "realisasi Renstra s.d. tahun lalu (Rp)", "polarity": "polaritas",
    "aggregation": "agregasi", "code": "kode", "level": "tingkat",
    "responsible_unit": "unit penanggung jawab", "objective": "sasaran",
}  # fmt: skip
VALUE_LABELS = {"value_k": "realisasi K", "value_k_unit": "satuan realisasi",
                "value_rp": "realisasi Rp", "note": "catatan", "plan_k": "target K triwulan",
                "cash_plan": "rencana anggaran kas"}  # fmt: skip


PARTY_LABELS = {"first": "pihak pertama", "second": "pihak kedua"}
KOP_LABELS = {"address": "alamat", "telephone": "telepon", "email": "pos-el",
              "website": "situs web"}  # fmt: skip


def diff_inputs(old: QuarterInput, new: QuarterInput) -> list[dict[str, str]]:
    """Every value that differs between two inputs of the same quarter, as
    ``{"what": …, "field": …, "old": …, "new": …}`` with Indonesian labels and numbers."""
    out: list[dict[str, str]] = []

    def add(what: str, field: str, a: Any, b: Any) -> None:
        if a != b:
            out.append({"what": what, "field": field, "old": _shown(a), "new": _shown(b)})

    old_items = {i.key: i for i in old.items}
    new_items = {i.key: i for i in new.items}
    for key, item in new_items.items():
        what = f"{item.code} {item.name}".strip()
        before = old_items.get(key)
        if before is None:
            add(what, "baris", "", "ditambahkan")
            continue
        for name in ITEM_LABELS:
            add(what, ITEM_LABELS[name], getattr(before, name), getattr(item, name))
        for a, b in zip(before.quarters, item.quarters, strict=False):
            for name, label in VALUE_LABELS.items():
                add(
                    what,
                    f"{label} TW {quarter_roman(b.quarter)}",
                    getattr(a, name),
                    getattr(b, name),
                )
    for key, item in old_items.items():
        if key not in new_items:
            add(f"{item.code} {item.name}".strip(), "baris", "ada", "dihapus")
    old_ind = {i.key: i for i in old.indicators}
    for ind in new.indicators:
        before = old_ind.get(ind.key)
        old_targets = {t.year: t for t in before.targets} if before else {}
        for t in ind.targets:
            was = old_targets.get(t.year)
            add(ind.name, f"target {t.year}", was.current if was else None, t.current)
    old_values = {(v.indicator_key, v.quarter): v for v in old.indicator_values}
    names = {i.key: i.name for i in new.indicators}
    for v in new.indicator_values:
        was = old_values.pop((v.indicator_key, v.quarter), None)
        add(names.get(v.indicator_key, "IKU"), f"realisasi TW {quarter_roman(v.quarter)}",
            was.value if was else None, v.value)  # fmt: skip
    for (key, q), was in old_values.items():
        add(names.get(key, "IKU"), f"realisasi TW {q}", was.value, None)
    if sorted(old.narratives, key=repr) != sorted(new.narratives, key=repr):
        add("Narasi", "teks", f"{len(old.narratives)} teks", f"{len(new.narratives)} teks (diubah)")
    for party in sorted({s.party for s in old.signatories} | {s.party for s in new.signatories}):
        a, b = old.signatory(party), new.signatory(party)
        add("Penanda tangan", PARTY_LABELS.get(party, party), a and f"{a.name} {a.nip}".strip(),
            b and f"{b.name} {b.nip}".strip())  # fmt: skip
    if old.agreement_lines != new.agreement_lines or old.agreement_targets != new.agreement_targets:
        add("Perjanjian Kinerja", "isi", "sebelumnya", "diubah")
    a, b = old.kop, new.kop
    for name, label in KOP_LABELS.items():
        add("Kop surat", label, getattr(a, name, ""), getattr(b, name, ""))
    if getattr(a, "logo", "") != getattr(b, "logo", ""):
        add("Kop surat", "logo", "logo lama" if a and a.logo else "tidak ada",
            "logo baru" if b and b.logo else "tidak ada")  # fmt: skip
    return out
