"""Start from an existing form (issue 16): a filled evaluation form (layout A or B, the form
``kinerja check`` reads) becomes the year's plan and the quarters' realisations.

``read_form_import(data, file_name=…, quarter=Q)`` reads the form through ``reader.read_form``
and converts it: every program, kegiatan and sub kegiatan row → a ``PlanItem`` (column 5 the
indicator, column 6 → Renstra target K/Rp, 7 → Renstra realised up to last year, 8 → target K
and pagu, units from the K cells or the Satuan column), and the quarter columns 9.. of TW
I..Q → the realisations as printed (per quarter, not cumulative). Urusan, bidang and total
rows are headings; columns 13–16 are computed, so they are not read — ``kinerja check``'s
findings on them are shown as warnings. The one part of ``kinerja.audit`` that needs the
database is below: ``form_changes`` (the dry run: the plan import's ``Changes`` plus every
realisation created or changed) and ``apply_form_import`` (one transaction: the plan through
``plan_io.apply.apply_changes``, then the realisations, history «impor <file>»).

Why the import differs from the grid (``monitoring.entry``): the file brings quarters already
reported on paper, so a quarter's reporting period is not asked; its state is. A quarter that
is submitted, verified or approved refuses the whole import where the file would change one
of its realisations (importing the same figures again is no change). Empty cells leave what
is stored (an import never deletes). docs/form-import.md.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.core.numbers import InvalidNumber, check_value, format_number, parse_number

from .cells import Kind
from .reader import FormSheet, ReadError, SheetRow, read_form

__all__ = [
    "FormChanges",
    "FormImportError",
    "FormRead",
    "RealisationChange",
    "apply_form_import",
    "form_changes",
    "read_form_import",
]

ROMAN = ("I", "II", "III", "IV")
PLAN_LEVELS = ("program", "kegiatan", "sub_kegiatan")
PARENT_LEVEL = {"program": None, "kegiatan": "program", "sub_kegiatan": "kegiatan"}
LEVEL_WHAT = {"program": "program", "kegiatan": "kegiatan", "sub_kegiatan": "sub kegiatan"}
# the PlanItem fields a form has columns for: the plan import compares and writes only these
# (polarity, aggregation, decimals, sasaran, rencana aksi and notes are left as stored)
FORM_FIELDS = frozenset({
    "indicator", "unit", "target_k", "target_k_upper", "budget", "renstra_target_k",
    "renstra_target_unit", "renstra_target_rp", "renstra_realised_k", "renstra_realised_unit",
    "renstra_realised_rp",
})  # fmt: skip
_RANGE = re.compile(r"^\s*[–-]\s*(?P<upper>[\d.,]+)\s*(?P<unit>.*)$")


class FormImportError(ValueError):
    """The file cannot be imported at all; ``str()`` is one Indonesian sentence."""


@dataclass(slots=True)
class Realised:
    """One quarter of one item as the form prints it (an empty cell is None)."""

    k: Decimal | None
    rp: Decimal | None
    unit: str  # the K cell's unit where it differs from the item's; "" otherwise
    source: Any  # plan_io.model.Source of the K cell


@dataclass(slots=True)
class FormRead:
    """What a form says: the plan, per item (``id(PlanItem)``) its quarters 1..Q, and the
    Renstra units as read (``form_changes`` matches them to the stored ones)."""

    sheet: FormSheet
    plan: Any  # plan_io.model.PlanData
    quarter: int
    file_name: str
    realised: dict[int, dict[int, Realised]] = field(default_factory=dict)
    units: dict[int, tuple[str, str]] = field(default_factory=dict)  # Renstra units as read


# ---- reading -----------------------------------------------------------------------------


def _formats(data: bytes, sheet: FormSheet, columns: set[int]) -> dict[tuple[int, int], str]:
    """The number formats of the value cells Kinerja's own form writes its units and range
    bounds into (``#,##0" Dokumen"``, ``#,##0" – 90 %"``): (row, column) → format."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        ws = wb[sheet.sheet]
        found: dict[tuple[int, int], str] = {}
        first = sheet.layout.first_data_row
        for row in ws.iter_rows(min_row=first, max_col=max(columns)):
            for c in row:
                column = getattr(c, "column", None)
                if column in columns and c.number_format and '"' in c.number_format:
                    found[(c.row, column)] = c.number_format
        return found
    finally:
        wb.close()


def _format_text(number_format: str | None) -> tuple[Decimal | None, str]:
    """(upper bound, unit) a K cell's number format carries as literal text."""
    if not number_format:
        return None, ""
    section = number_format.split(";")[0]
    text = "".join(re.findall(r'"([^"]*)"', section)).strip()
    if not text:
        return None, ""
    found = _RANGE.match(text)
    if found:
        try:
            upper = parse_number(found["upper"])
        except InvalidNumber:
            upper = None
        if upper is not None:
            return upper, found["unit"].strip()
    return None, text


def _col(coord: str) -> str:
    return re.sub(r"\d+", "", coord)


def _norm(text: str | None) -> str:
    return " ".join(str(text or "").split()).casefold()


def read_form_import(
    data: bytes, *, file_name: str, quarter: int | None = None, sheet: str | None = None
) -> FormRead:
    """Read a filled form into the year's plan and its quarters' realisations. ``quarter``:
    the last quarter imported (by default the one the title names). Raises FormImportError
    with the Indonesian reason when the file cannot be read or has no program row."""
    from kinerja.planning.items import normalise_code
    from kinerja.planning.plan_io.model import PlanData, PlanItem, Source

    try:
        form = read_form(data, sheet=sheet)
    except ReadError as exc:
        raise FormImportError(str(exc)) from exc
    q = quarter if quarter is not None else form.quarter
    if q is None:
        raise FormImportError(_("judul formulir tidak menyebut triwulannya; sebutkan "
                                "triwulan yang diimpor (--quarter 1–4)."))  # fmt: skip
    if not 1 <= q <= 4:
        raise FormImportError(_("triwulan harus 1–4, bukan %(q)s.") % {"q": q})
    layout = form.layout
    name = form.sheet
    plan = PlanData(kind="template", item_fields=FORM_FIELDS, title_year=form.year)
    read = FormRead(form, plan, q, file_name)
    if form.quarter is not None and quarter is not None and form.quarter != quarter:
        plan.warn(_("Judul formulir menyebut Triwulan %(title)s; diimpor realisasi Triwulan "
                    "I–%(q)s sesuai pilihan.") % {"title": ROMAN[form.quarter - 1], "q": ROMAN[q - 1]},
                  Source(name))  # fmt: skip
    k_columns = {layout.values[(m, "k")] for m in ("c6", "c7", "c8", *(f"q{i}" for i in
                 range(1, 5))) if (m, "k") in layout.values}  # fmt: skip
    formats = _formats(data, form, k_columns) if k_columns else {}
    texts = _texts(data, form) if "unit_pd" in layout.columns else {}
    converted: dict[int, PlanItem] = {}  # id(SheetRow) → its item
    skipped: set[int] = set()
    for row in form.rows:
        if row.level not in PLAN_LEVELS:
            continue
        source = Source(name, row.number, _col(row.name_coord) or None)
        if row.primary is not None:  # a further indicator of the item above (issue 15)
            host = converted.get(id(row.primary))
            if host is not None and (row.indicator or "").strip():
                more = _item(plan, name, row, source, formats, texts, host.code)
                more.name, more.responsible_unit = host.name, host.responsible_unit
                more.budget = more.renstra_target_rp = more.renstra_realised_rp = None
                host.add_more(more)
                realised = _quarters(plan, name, row, more, q, formats)
                read.realised[id(more)] = {quarter: replace(got, rp=None)
                                           for quarter, got in realised.items()
                                           if got.k is not None}  # fmt: skip
                read.units[id(more)] = (more.renstra_target_unit, more.renstra_realised_unit)
            continue
        parent = row.parent
        while parent is not None and parent.level not in PLAN_LEVELS:
            parent = parent.parent
        expected = PARENT_LEVEL[row.level]
        if parent is not None and id(parent) in skipped:
            skipped.add(id(row))
            plan.warn(_("Induk baris ini dilewati; baris ini juga dilewati."), source, row.name)
            continue
        if expected is not None and (parent is None or parent.level != expected):
            skipped.add(id(row))
            plan.warn(_("%(what)s «%(name)s» tidak berada di bawah %(parent)s; baris dilewati.")
                      % {"what": LEVEL_WHAT[row.level].capitalize(), "name": row.name,
                         "parent": LEVEL_WHAT[expected]}, source, row.name)  # fmt: skip
            continue
        code = normalise_code(row.code or "")
        if len(row.name) > 500 or len(code) > 40:  # what a Renja item holds
            skipped.add(id(row))
            plan.warn(_("Nama (paling banyak 500 karakter) atau kode (40) terlalu panjang; "
                        "baris dan isinya dilewati."), source, row.name)  # fmt: skip
            continue
        item = _item(plan, name, row, source, formats, texts, code)
        if row.hidden:
            plan.warn(_("Baris tersembunyi di formulir; tetap diimpor."), source, row.name)
        converted[id(row)] = item
        if parent is None:
            plan.items.append(item)
        else:
            converted[id(parent)].children.append(item)
        read.realised[id(item)] = _quarters(plan, name, row, item, q, formats)
        read.units[id(item)] = (item.renstra_target_unit, item.renstra_realised_unit)
    if not plan.items:
        raise FormImportError(_("lembar «%(sheet)s»: tidak ada baris program, kegiatan atau sub "
                                "kegiatan yang dapat diimpor.") % {"sheet": name})  # fmt: skip
    plan.item_fields = _fields_present(plan)
    _audit_warnings(plan, form, q)
    return read


def _fields_present(plan: Any) -> frozenset[str]:
    """The fields the form fills: a form that prints no unit, no range and no responsible
    unit anywhere says nothing about them (the stored ones are left), while one that prints
    them somewhere says them for every row."""
    items = list(plan.walk())
    fields = set(FORM_FIELDS)
    optional = {
        "unit": ("unit",),
        "renstra_target_unit": ("renstra_target_unit", "unit"),
        "renstra_realised_unit": ("renstra_realised_unit", "unit"),
        "target_k_upper": ("target_k_upper",),
        "responsible_unit": ("responsible_unit",),
    }
    for name, shown_by in optional.items():
        if any(getattr(item, f) not in (None, "") for item in items for f in shown_by):
            fields.add(name)
        else:
            fields.discard(name)
    return frozenset(fields)


def _texts(data: bytes, form: FormSheet) -> dict[int, str]:
    """Layout A's column 17 (the responsible unit) per sheet row."""
    import openpyxl

    column = form.layout.columns["unit_pd"]
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        ws = wb[form.sheet]
        out: dict[int, str] = {}
        for r, row in enumerate(ws.iter_rows(min_row=form.layout.first_data_row,
                                             min_col=column, max_col=column,
                                             values_only=True),
                                start=form.layout.first_data_row):  # fmt: skip
            if row and isinstance(row[0], str) and row[0].strip():
                out[r] = " ".join(row[0].split())
        return out
    finally:
        wb.close()


def _number(plan: Any, sheet: str, row: SheetRow, meaning: str, part: str
            ) -> tuple[Decimal | None, str | None, Any]:  # fmt: skip
    """A value cell: (value, unit written with it, the cell) — a cell that is not a number,
    or one the database cannot hold, is warned and read as empty."""
    from kinerja.planning.plan_io.model import Source

    cell = row.cells.get((meaning, part))
    if cell is None:
        return None, None, None
    read = cell.read
    source = Source(sheet, row.number, _col(cell.coord))
    if read.kind is Kind.EMPTY:
        return None, None, cell
    if read.kind is Kind.ERROR or read.kind is Kind.TEXT or read.value is None:
        plan.warn(_("Sel ini bukan angka; dibaca kosong."), source, read.text)
        return None, None, cell
    try:
        check_value(read.value, money=part == "rp", negative=False)
    except InvalidNumber as exc:
        plan.warn(_("%(why)s; sel dibaca kosong.") % {"why": str(exc).rstrip(".")}, source,
                  read.text or format_number(read.value))  # fmt: skip
        return None, None, cell
    return read.value, (read.unit if part == "k" else None), cell


def _item(plan: Any, sheet: str, row: SheetRow, source: Any,
          formats: dict[tuple[int, int], str], texts: dict[int, str], code: str) -> Any:  # fmt: skip
    from kinerja.planning.plan_io.model import PlanItem

    def k_with_unit(meaning: str) -> tuple[Decimal | None, str, Decimal | None]:
        value, unit, cell = _number(plan, sheet, row, meaning, "k")
        upper, format_unit = (None, "")
        if cell is not None:
            upper, format_unit = _format_text(formats.get((row.number, _column_number(cell.coord))))
        return value, (unit or format_unit or "").strip(), upper

    target, target_unit, upper = k_with_unit("c8")
    renstra_k, renstra_unit, _upper6 = k_with_unit("c6")
    before_k, before_unit, _upper7 = k_with_unit("c7")
    unit = (row.unit or target_unit or renstra_unit or before_unit or "").strip()

    def own(text: str) -> str:  # a Renstra unit equal to the row's is the row's
        return "" if _norm(text) == _norm(unit) else text

    return PlanItem(
        level=row.level,  # type: ignore[arg-type]
        code=code,
        name=" ".join(row.name.split()),
        indicator=" ".join((row.indicator or "").split()),
        unit=unit,
        target_k=target,
        target_k_upper=upper,
        budget=_number(plan, sheet, row, "c8", "rp")[0],
        renstra_target_k=renstra_k,
        renstra_target_unit=own(renstra_unit),
        renstra_target_rp=_number(plan, sheet, row, "c6", "rp")[0],
        renstra_realised_k=before_k,
        renstra_realised_unit=own(before_unit),
        renstra_realised_rp=_number(plan, sheet, row, "c7", "rp")[0],
        responsible_unit=texts.get(row.number, ""),
        source=source,
    )


def _column_number(coord: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(_col(coord))


def _quarters(plan: Any, sheet: str, row: SheetRow, item: Any, q: int,
              formats: dict[tuple[int, int], str]) -> dict[int, Realised]:  # fmt: skip
    """TW I..Q as printed; a value in a later quarter's column is warned and not imported."""
    from kinerja.planning.plan_io.model import Source

    out: dict[int, Realised] = {}
    for quarter in range(1, 5):
        meaning = f"q{quarter}"
        if quarter > q:
            later = [c for p in ("k", "rp") if (c := row.cells.get((meaning, p))) is not None
                     and c.read.kind is not Kind.EMPTY and c.read.value]  # fmt: skip
            if later:
                plan.warn(_("Realisasi Triwulan %(later)s di formulir Triwulan %(q)s tidak diimpor.")
                          % {"later": ROMAN[quarter - 1], "q": ROMAN[q - 1]},
                          Source(sheet, row.number, _col(later[0].coord)),
                          later[0].read.text or format_number(later[0].read.value))  # fmt: skip
            continue
        k, unit, cell = _number(plan, sheet, row, meaning, "k")
        rp = _number(plan, sheet, row, meaning, "rp")[0]
        if k is None and rp is None:
            continue
        if cell is not None and not unit:
            unit = _format_text(formats.get((row.number, _column_number(cell.coord))))[1]
        unit = "" if not unit or _norm(unit) == _norm(item.unit) else unit
        column = _col(cell.coord) if cell is not None else None
        out[quarter] = Realised(k, rp, unit, Source(sheet, row.number, column))
    return out


def _audit_warnings(plan: Any, form: FormSheet, quarter: int) -> None:
    """``kinerja check``'s findings on the file, as warnings: they do not stop the import
    (columns 13–16 are computed again from what is imported)."""
    from kinerja.planning.plan_io.model import Source

    from .check import AUDIT_RULES, audit_form

    try:
        audit = audit_form(form, quarter=quarter)
    except ReadError:
        return
    for f in audit.findings:
        title = AUDIT_RULES.get(f.rule, ("", f.rule))[1]
        plan.warn(_("Pemeriksaan formulir — %(title)s: %(message)s")
                  % {"title": title, "message": f.message},
                  Source(f.sheet, f.row, _col(f.cell) if f.cell else None))  # fmt: skip


# ---- the dry run -------------------------------------------------------------------------


@dataclass(slots=True)
class RealisationChange:
    """A quarter's realisation of one item the import creates or changes."""

    what: str  # program | kegiatan | sub kegiatan
    label: str  # code and name
    quarter: int
    created: bool
    fields: list[Any]  # plan_io.apply.FieldChange (realisasi K / Rp / satuan: old → new)
    source: Any = None
    values: dict[str, Any] = field(default_factory=dict)  # model field → new value
    work_item_id: int | None = None  # None: the item is created by this import
    item: Any = None  # the PlanItem

    @property
    def quarter_roman(self) -> str:
        return ROMAN[self.quarter - 1]


@dataclass(slots=True)
class FormChanges:
    """What importing a form would do: the plan part (``plan``, the plan import's Changes)
    and the realisations of TW I..Q; ``blocked``: quarter → its state where the import would
    change a realisation of a quarter that is not Draf or Dikembalikan."""

    read: FormRead
    plan: Any  # plan_io.apply.Changes
    realisations: list[RealisationChange] = field(default_factory=list)
    unchanged: int = 0  # realisations already as in the file
    blocked: dict[int, str] = field(default_factory=dict)

    @property
    def agency(self) -> Any:
        return self.plan.agency

    @property
    def year(self) -> int:
        return int(self.plan.year)

    @property
    def quarter(self) -> int:
        return self.read.quarter

    @property
    def writes(self) -> bool:
        return bool(self.plan.writes or self.realisations)

    @property
    def needs_revision(self) -> bool:
        return bool(self.plan.needs_revision)

    @property
    def issues(self) -> list[Any]:
        return list(self.plan.issues)

    def refusal(self, revision: Any = None) -> str | None:
        """Why this import may not be written (Indonesian), or None."""
        why = self.plan.refusal(revision)
        if why:
            return str(why)
        if self.blocked:
            return _("Realisasi %(quarters)s tidak dapat diimpor: %(states)s. Tidak ada yang "
                     "ditulis; buka kembali triwulannya lebih dulu, atau impor formulir "
                     "triwulan sebelumnya.") % {
                "quarters": ", ".join(_("Triwulan %(q)s %(y)s") % {"q": ROMAN[q - 1], "y": self.year}
                                  for q in self.blocked),
                "states": "; ".join(_("Triwulan %(q)s berstatus %(s)s") % {"q": ROMAN[q - 1], "s": s}
                                    for q, s in self.blocked.items()),
            }  # fmt: skip
        return None

    def counts(self) -> dict[str, int]:
        counts = dict(self.plan.counts())
        counts["realisations_created"] = sum(1 for r in self.realisations if r.created)
        counts["realisations_changed"] = sum(1 for r in self.realisations if not r.created)
        counts["realisations_unchanged"] = self.unchanged
        return counts

    def _realisations_json(self) -> list[dict[str, Any]]:
        return [
            {
                "what": r.what,
                "label": r.label,
                "quarter": r.quarter,
                "created": r.created,
                "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in r.fields],
                **(
                    {
                        "source": {
                            "sheet": r.source.sheet,
                            "row": r.source.row,
                            "column": r.source.column,
                        }
                    }
                    if r.source
                    else {}
                ),  # fmt: skip
            }
            for r in self.realisations
        ]

    def as_json(self) -> dict[str, Any]:
        out = self.plan.as_json()
        out.update(
            quarter=self.quarter,
            layout=self.read.sheet.layout.family,
            sheet=self.read.sheet.sheet,
            counts=self.counts(),
            realisations=self._realisations_json(),
            blocked_quarters=[{"quarter": q, "status": s} for q, s in self.blocked.items()],
        )
        return out

    def digest(self) -> str:
        """What would be written (plan and realisations), for the upload page's confirm."""
        body = {"plan": self.plan.digest(), "realisations": self._realisations_json()}
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


_Stored = dict[int | tuple[str, int] | None, list[Any]]


def _stored_items(agency: Any, year: int) -> _Stored:
    """Parent id → the stored items under it; and, keyed ``("more", item id)``, an item's
    further indicators."""
    from kinerja.planning.models import WorkItem

    children: _Stored = defaultdict(list)
    for row in WorkItem.objects.filter(agency=agency, year=year).order_by("position"):
        if row.indicator_of_id is None:
            children[row.parent_id].append(row)
        else:
            children[("more", row.indicator_of_id)].append(row)
    return children


def _match_more(item: Any, row: Any, children: _Stored,
                out: dict[int, tuple[Any, int]]) -> None:  # fmt: skip
    """An item's further indicators against its row's stored ones, by indicator text."""
    pool: dict[str, list[Any]] = defaultdict(list)
    for stored in children.get(("more", row.pk), []) if row is not None else []:
        pool[_norm(stored.indicator)].append(stored)
    for more in item.more:
        found = pool.get(_norm(more.indicator))
        out[id(more)] = (found.pop(0) if found else None, id(more))


def _match(items: list[Any], parent: Any, children: _Stored,
           out: dict[int, tuple[Any, int]]) -> None:  # fmt: skip
    """Each file item's stored row (None: created) and the item it is one with, as the plan
    import matches: parent, level, code and name; the same item twice under one parent is
    one item (the first)."""
    pool: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for row in children.get(parent.pk if parent is not None else None, []):
        pool[(row.level, row.code, _norm(row.name))].append(row)
    seen: dict[tuple[str, str, str], tuple[Any, int]] = {}
    for item in items:
        key = (item.level, item.code, _norm(item.name))
        if key not in seen:
            seen[key] = (pool[key].pop(0) if pool.get(key) else None, id(item))
        out[id(item)] = seen[key]
        row = seen[key][0]
        _match_more(item, row, children, out)
        if row is None:
            _mark_new(item.children, out)
        else:
            _match(item.children, row, children, out)


def _mark_new(items: list[Any], out: dict[int, tuple[Any, int]]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for item in items:
        first = seen.setdefault((item.level, item.code, _norm(item.name)), id(item))
        out[id(item)] = (None, first)
        for more in item.more:
            out[id(more)] = (None, id(more))
        _mark_new(item.children, out)


def _same_unit(file_unit: str, stored: str, item_unit: str) -> bool:
    """Two Renstra or realisation units are the same where equal, or where one is empty and
    the other the item's own unit (an empty one means the item's)."""
    a, b, own = _norm(file_unit), _norm(stored), _norm(item_unit)
    return a == b or (not a and b == own) or (not b and a == own)


def form_changes(read: FormRead, agency: Any, year: int) -> FormChanges:
    """What importing ``read`` into ``agency``'s ``year`` would create and change, the
    plan's and the realisations'; with every warning. Reads only."""
    from kinerja.monitoring.models import Realisation, SubmissionStatus
    from kinerja.monitoring.queries import submission_status
    from kinerja.planning.plan_io.apply import FieldChange, plan_changes

    plan = read.plan
    children = _stored_items(agency, year)
    matched: dict[int, tuple[Any, int]] = {}
    _match(plan.items, None, children, matched)
    rows = {key: row for key, (row, _first) in matched.items()}
    for item in plan.walk():  # Renstra units: the stored spelling where it means the same
        target_unit, realised_unit = read.units.get(id(item), ("", ""))
        item.renstra_target_unit, item.renstra_realised_unit = target_unit, realised_unit
        row = rows.get(id(item))
        if row is None:
            continue
        own = item.unit if "unit" in (plan.item_fields or ()) else row.unit
        if _same_unit(target_unit, row.renstra_target_unit, own):
            item.renstra_target_unit = row.renstra_target_unit
        if _same_unit(realised_unit, row.renstra_realised_unit, own):
            item.renstra_realised_unit = row.renstra_realised_unit
    changes = plan_changes(plan, agency, year)
    result = FormChanges(read, changes)
    if changes.refused:
        return result
    stored = {
        (r.work_item_id, r.quarter): r
        for r in Realisation.objects.filter(
            work_item_id__in=[r.pk for r in rows.values() if r is not None],
            quarter__lte=read.quarter,
        )
    }
    done: dict[tuple[int, int], Realised] = {}  # (id of the row or item, quarter) → first
    more_ids = {id(m) for i in plan.walk() for m in i.more}
    for item in plan.walk():
        row = rows.get(id(item))
        for q, got in sorted(read.realised.get(id(item), {}).items()):
            key = (id(row) if row is not None else matched[id(item)][1], q)
            if key in done:  # the same item twice in the file: its first figures count
                first = done[key]
                if (first.k, first.rp) != (got.k, got.rp):
                    plan_warn(changes, _("%(what)s «%(name)s» muncul lagi dengan realisasi "
                                         "Triwulan %(q)s berbeda; realisasi baris pertamanya dipakai.")
                              % {"what": LEVEL_WHAT[item.level].capitalize(),
                                 "name": item.name, "q": ROMAN[q - 1]}, got.source)  # fmt: skip
                continue
            done[key] = got
            old = stored.get((row.pk, q)) if row is not None else None
            values: dict[str, Any] = {}
            shown: list[Any] = []
            old_k = _strip(old.value_k) if old else None
            old_rp = _strip(old.value_rp) if old else None
            if got.k is not None and got.k != old_k:
                values["value_k"] = got.k
                shown.append(FieldChange(_("realisasi K"), format_number(old_k),
                                         format_number(got.k)))  # fmt: skip
            if got.rp is not None and got.rp != old_rp:
                values["value_rp"] = got.rp
                shown.append(FieldChange(_("realisasi Rp"), format_number(old_rp),
                                         format_number(got.rp)))  # fmt: skip
            if got.k is not None:
                old_unit = old.value_k_unit if old else ""
                unit_of = row.unit if row is not None and not item.unit else item.unit
                if not _same_unit(got.unit, old_unit, unit_of):
                    values["value_k_unit"] = got.unit
                    shown.append(FieldChange(_("satuan realisasi"), old_unit or "-",
                                             got.unit or "-"))  # fmt: skip
            if not values:
                if old is not None:
                    result.unchanged += 1
                continue
            result.realisations.append(RealisationChange(
                what=LEVEL_WHAT[item.level],
                label=f"{item.code} {item.name}".strip()
                + (f": {item.indicator}" if id(item) in more_ids else ""),
                quarter=q, created=old is None, fields=shown, source=got.source,
                values=values, work_item_id=row.pk if row is not None else None, item=item,
            ))  # fmt: skip
    for q in sorted({r.quarter for r in result.realisations}):
        status = submission_status(agency, year=year, quarter=q)
        if status not in SubmissionStatus.editable():
            result.blocked[q] = str(status.label)
    return result


def plan_warn(changes: Any, message: str, source: Any = None) -> None:
    from kinerja.planning.plan_io.model import Issue

    changes.issues.append(Issue("warning", message, source))


def _strip(value: Decimal | None) -> Decimal | None:
    from kinerja.core.numbers import strip_zeros

    return strip_zeros(value)


# ---- writing -----------------------------------------------------------------------------


def apply_form_import(
    changes: FormChanges,
    user: Any = None,
    file_name: str = "",
    revision: Any = None,
    *,
    expected_digest: str | None = None,
) -> FormChanges:
    """Write the import in ONE transaction: the dry run taken again inside it (the agency's
    row and the quarters' submission rows locked), the plan through the plan import's
    ``apply_changes``, then the realisations, every history row «impor <file_name>» (the
    plan's a revision's reason after the year's first approval). Raises ImportRefused
    (nothing written) with the Indonesian reason; returns the changes as written."""
    from kinerja.monitoring.models import QuarterSubmission, Realisation, SubmissionStatus
    from kinerja.planning.models import Agency
    from kinerja.planning.plan_io.apply import ImportRefused, apply_changes
    from kinerja.web import fragments

    reason = _("impor %(file)s") % {"file": file_name}
    with transaction.atomic(), fragments.token_at_end():  # as the plan import's
        agency = Agency.objects.select_for_update().get(pk=changes.agency.pk)
        fresh = form_changes(changes.read, agency, changes.year)
        for q in sorted({r.quarter for r in fresh.realisations}):
            submission, _created = QuarterSubmission.objects.get_or_create(
                agency=agency, year=fresh.year, quarter=q
            )
            status = SubmissionStatus(QuarterSubmission.objects.select_for_update()
                                      .values_list("status", flat=True).get(pk=submission.pk))  # fmt: skip
            if status not in SubmissionStatus.editable():
                fresh.blocked[q] = str(status.label)
        why = fresh.refusal(revision)
        if why:
            raise ImportRefused(why)
        if expected_digest is not None and fresh.digest() != expected_digest:
            raise ImportRefused(_("Data berubah sejak pratinjau; ulangi pratinjau impor."))
        if not fresh.writes:
            return fresh
        if fresh.plan.writes:
            apply_changes(fresh.plan, user, file_name, revision)
        # the items exist now: match again and write the realisations in bulk
        after = form_changes(changes.read, agency, fresh.year)
        existing = {(r.work_item_id, r.quarter): r for r in Realisation.objects.filter(
            work_item_id__in=[r.work_item_id for r in after.realisations],
            quarter__lte=fresh.quarter)}  # fmt: skip
        new: list[Realisation] = []
        updated: list[Realisation] = []
        fields: set[str] = set()
        for change in after.realisations:
            if change.work_item_id is None:  # an item the plan import left out (warned)
                continue
            row = existing.get((change.work_item_id, change.quarter))
            if row is None:
                new.append(Realisation(work_item_id=change.work_item_id, quarter=change.quarter,
                                       **change.values))  # fmt: skip
                continue
            for name, value in change.values.items():
                setattr(row, name, value)
                fields.add(name)
            updated.append(row)
        if new:
            fragments.bulk_create_with_history(new, Realisation, batch_size=500,
                                               default_user=user, default_change_reason=reason)  # fmt: skip
        if updated:
            fragments.bulk_update_with_history(updated, Realisation, sorted(fields),
                                               batch_size=500, default_user=user,
                                               default_change_reason=reason)  # fmt: skip
        return fresh


# ---- the command line --------------------------------------------------------------------


def import_summary(changes: FormChanges, *, file_name: str, written: bool,
                   refusal: str | None) -> str:  # fmt: skip
    """The dry run (or what was written) in Indonesian: the plan import's summary, then each
    realisation created or changed by quarter."""
    from kinerja.planning.plan_io.commands import import_summary as plan_summary

    counts = changes.counts()
    text = plan_summary(changes.plan, file_name=file_name, written=written, refusal=refusal)
    lines = [
        f"Realisasi Triwulan I–{ROMAN[changes.quarter - 1]} (lembar «{changes.read.sheet.sheet}»): "
        f"dibuat: {counts['realisations_created']}, diubah: {counts['realisations_changed']}, "
        f"sudah sama: {counts['realisations_unchanged']}"
    ]
    for q, status in changes.blocked.items():
        lines.append(
            f"  Triwulan {ROMAN[q - 1]} berstatus {status}: realisasinya tidak dapat diubah"
        )
    for r in changes.realisations:
        mark = "+" if r.created else "~"
        lines.append(f"  {mark} TW {ROMAN[r.quarter - 1]} {r.what} {r.label}: "
                     + "; ".join(f"{f.field} {f.old} → {f.new}" for f in r.fields))  # fmt: skip
    return text + "\n".join(lines) + "\n"


def cmd_import(args: Any) -> int:
    """``kinerja form import FILE --agency SLUG --year YYYY [--quarter Q] [--dry-run]
    [--json]``: 0 done or previewed (warnings included), 2 refused (unreadable file, an
    approved quarter's realisations, a change to an approved year without a revision) — the
    plan import's flow (plan_io.commands.run_import) over the form's reader and changes."""
    from kinerja.planning.plan_io.commands import run_import

    def read(data: bytes, path: Any) -> FormRead:
        return read_form_import(data, file_name=path.name, quarter=args.quarter, sheet=args.sheet)

    return run_import(args, read=read, diff=form_changes, apply=apply_form_import,
                      summary=import_summary)  # fmt: skip
