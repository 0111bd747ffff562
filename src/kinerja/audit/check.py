"""Audit a filled form: recompute every column and the footer with the core and list what the
file gets wrong, each finding located by sheet, row and cell (`kinerja check`, *Periksa
formulir*).

Findings:
- ``total-not-sum-of-quarters`` (core) — a printed column 13 that is not the sum of its
  quarters; ``printed-value-differs`` — a printed column 14–16 that is not its recomputation
  (a figure agrees when the exact value rounded half-up or truncated to the printed decimals
  equals it: ``core.printed.agrees``);
- the core's form findings (``parent-not-sum-of-children``, ``spending-above-pagu`` …) and the
  same Rp sums for unsur / urusan, bidang and total rows;
- ``parent-range-differs`` — a parent's SUM/AVERAGE formula over other rows than its children;
  ``parent-k-differs`` — a parent's K formula whose value differs from the same function over
  its children (a warning: K of different indicators need not add up);
- ``quarter-percent-differs`` — a quarter's % column (layout B) that is not its K against the
  year's target (cumulative or the quarter's own);
- ``percent-summed`` — a percentage indicator added up in column 15 (100 + 100 = 200 %);
- ``error-value`` (#DIV/0! …), ``number-as-text``, ``formula-without-value``;
- ``footer-rule-unknown`` / ``footer-differs`` — the printed average against the footer rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from kinerja.core.achievement import percent_of
from kinerja.core.checks import RULE_TITLES, check_printed_totals
from kinerja.core.checks import RULES as CORE_RULES
from kinerja.core.evaluation import Evaluation, RowResult, evaluate_form, evaluate_row, footer
from kinerja.core.form import EMPTY, AverageRule, Form, FormRow, Level, Pair, Rules
from kinerja.core.numbers import format_number
from kinerja.core.printed import agrees

from .cells import Kind
from .layout import FORMULAS
from .reader import Cell, FormSheet, ReadError, SheetRow, read_form

__all__ = ["AUDIT_RULES", "Audit", "AuditFinding", "FooterAudit", "audit_form", "audit_workbook"]

AUDIT_RULES: dict[str, tuple[str, str]] = {  # rule → (severity, title)
    "total-not-sum-of-quarters": ("error", "Kolom 13 tidak sama dengan jumlah triwulan"),
    "printed-value-differs": ("error", "Angka tercetak berbeda dengan hasil hitung"),
    "parent-not-sum-of-children": ("error", "Induk tidak sama dengan jumlah rinciannya"),
    "parent-range-differs": ("warning", "Rumus induk tidak mencakup tepat rinciannya"),
    "parent-k-differs": ("warning", "K induk berbeda dengan rumusnya atas rinciannya"),
    "quarter-percent-differs": ("error", "Persen triwulan tidak sesuai dengan K-nya"),
    "percent-summed": ("warning", "Indikator persentase dijumlahkan"),
    "error-value": ("error", "Sel berisi nilai galat"),
    "number-as-text": ("info", "Angka tersimpan sebagai teks"),
    "formula-without-value": ("warning", "Rumus tanpa nilai tersimpan"),
    "footer-rule-unknown": ("warning", "Rata-rata tercetak tidak dihasilkan aturan mana pun"),
    "footer-differs": ("warning", "Rata-rata tercetak berbeda dengan hasil hitung"),
    **{
        rule: (severity.value, RULE_TITLES[rule])
        for rule, severity in CORE_RULES.items()
        if rule not in ("total-not-sum-of-quarters", "parent-not-sum-of-children")
    },
}
_ORDER = {rule: i for i, rule in enumerate(AUDIT_RULES)}
_RP_SUM_COLUMNS = ("c6", "c7", "c8", "q1", "q2", "q3", "q4", "c13", "c15")
_RULE_CELL = {  # where a core finding points
    "spending-above-pagu": ("c13", "rp"),
    "spending-without-pagu": ("c13", "rp"),
    "renstra-budget-exceeded": ("c15", "rp"),
    "target-zero": ("c8", "k"),
    "unit-mismatch": ("c8", "k"),
}
_K_RULES = (AverageRule.PROGRAM_MEAN, AverageRule.PROGRAM_RATIO, AverageRule.KEGIATAN_MEAN,
            AverageRule.SUB_KEGIATAN_MEAN, AverageRule.ALL_MEAN, AverageRule.PAGU_WEIGHTED)  # fmt: skip
_RP_RULES = (AverageRule.PROGRAM_RATIO, AverageRule.PROGRAM_MEAN, AverageRule.KEGIATAN_MEAN,
             AverageRule.SUB_KEGIATAN_MEAN, AverageRule.ALL_MEAN)  # fmt: skip
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)((?::\$?[A-Z]{1,3}\$?\d+)*)")


@dataclass(frozen=True, slots=True)
class AuditFinding:
    rule: str
    severity: str
    sheet: str
    row: int | None  # the sheet's own row number
    cell: str | None  # A1
    printed: Decimal | None
    computed: Decimal | None
    message: str


@dataclass(frozen=True, slots=True)
class FooterAudit:
    printed_k: Decimal | None
    printed_rp: Decimal | None
    computed_k: Decimal | None
    computed_rp: Decimal | None
    rule_k: str | None  # the rule that reproduces the printed figure, None when none does
    rule_rp: str | None
    basis_k: str | None  # "printed" | "computed": which column values it reproduces from
    basis_rp: str | None
    cell_k: str | None
    cell_rp: str | None


@dataclass(frozen=True, slots=True)
class Audit:
    sheet: str
    layout: str
    quarter: int
    year: int | None
    rows: int
    footer: FooterAudit
    findings: tuple[AuditFinding, ...]
    evaluation: Evaluation


def audit_workbook(
    source: str | bytes | IO[bytes], *, sheet: str | None = None, quarter: int | None = None
) -> Audit:
    """Read and audit; raises ``ReadError`` (Indonesian) when the file is not a readable form."""
    form = read_form(source, sheet=sheet)
    return audit_form(form, quarter=quarter)


def _pair(row: SheetRow, meaning: str, *, rp: bool = True) -> Pair:
    k_cell = row.cells.get((meaning, "k"))
    k = k_cell.read.value if k_cell is not None else None
    unit = k_cell.read.unit if k_cell is not None else None
    amount = row.value(meaning, "rp") if rp else None
    if k is None and amount is None:
        return EMPTY
    return Pair(k=k, rp=amount, k_unit=unit)


def _quarter_of(sheet: FormSheet, quarter: int | None) -> int:
    if quarter is not None:
        return quarter
    if sheet.quarter is not None:
        return sheet.quarter
    latest = 1
    for row in sheet.rows:
        for q in range(1, 5):
            if row.value(f"q{q}", "k") or row.value(f"q{q}", "rp"):
                latest = max(latest, q)
    return latest


_LEVEL = {"program": Level.PROGRAM, "kegiatan": Level.KEGIATAN, "sub_kegiatan": Level.SUB_KEGIATAN}


def _form_rows(sheet: FormSheet) -> tuple[list[FormRow], dict[str, SheetRow]]:
    out: list[FormRow] = []
    by_id: dict[str, SheetRow] = {}
    for row in sheet.rows:
        if row.level not in _LEVEL:
            continue
        item = row.primary or row
        parent = item.parent
        expected = _LEVEL[row.level].parent_level
        parent_id = (
            parent.id
            if parent is not None and expected and parent.level == expected.value
            else None
        )
        own = row.primary is None
        out.append(
            FormRow(
                id=row.id,
                level=_LEVEL[row.level],
                name=row.name,
                quarters=tuple(_pair(row, f"q{q}", rp=own) for q in range(1, 5)),  # type: ignore[arg-type]
                parent=parent_id,
                code=row.code,
                indicator=row.indicator,
                unit=row.unit,
                renstra_target=_pair(row, "c6", rp=own),
                renstra_realised_before=_pair(row, "c7", rp=own),
                year_target=_pair(row, "c8", rp=own),
                continues=None if own else item.id,
            )
        )
        by_id[row.id] = row
    return out, by_id


def audit_form(sheet: FormSheet, *, quarter: int | None = None) -> Audit:
    q = _quarter_of(sheet, quarter)
    if not 1 <= q <= 4:
        raise ReadError(f"triwulan harus 1–4, bukan {q}")
    form_rows, by_id = _form_rows(sheet)
    if not form_rows:
        raise ReadError(
            f"lembar «{sheet.sheet}»: tidak ada baris program, kegiatan atau sub kegiatan di "
            f"bawah baris penomoran (baris {sheet.layout.numbering_row})"
        )
    evaluation = evaluate_form(
        Form(year=sheet.year or 0, quarter=q, rows=tuple(form_rows), rules=Rules())
    )
    found: list[AuditFinding] = []
    name = sheet.sheet

    def add(rule: str, row: SheetRow | None, cell: str | None, message: str,
            printed: Decimal | None = None, computed: Decimal | None = None) -> None:  # fmt: skip
        found.append(AuditFinding(rule, AUDIT_RULES[rule][0], name, row.number if row else None,
                                  cell, printed, computed, message))  # fmt: skip

    _cell_findings(sheet, add)
    for f in evaluation.findings:
        row = by_id[f.row]
        where = _RULE_CELL.get(f.rule)
        coord = row.cells[where].coord if where and where in row.cells else row.name_coord
        add(f.rule, row, coord, f.message)
    results = {r.row.id: r for r in evaluation.rows}
    for row_id, row in by_id.items():
        result = results[row_id]
        later = q < 4 and any(p.k or p.rp for p in result.row.quarters[q:])
        # the form's own formula adds all four quarters: a printed figure that does so is the
        # form's arithmetic, and realisation-after-report-quarter already names the quarters
        literal = evaluate_row(result.row, 4) if later else None
        _printed_findings(sheet, row, result, literal, add)
    _upper_sums(sheet, add)
    _parent_formulas(sheet, add)
    foot = _footer(sheet, evaluation, add)
    found.sort(key=lambda f: (f.row or 10**9, _ORDER.get(f.rule, 99), f.cell or ""))
    return Audit(
        name, sheet.layout.family, q, sheet.year, len(form_rows), foot, tuple(found), evaluation
    )


def _cell_findings(sheet: FormSheet, add) -> None:  # type: ignore[no-untyped-def]
    seen: set[str] = set()
    for row in sheet.rows:
        for (meaning, part), cell in row.cells.items():
            if cell.coord in seen:
                continue
            seen.add(cell.coord)
            label = sheet.layout.label(meaning, part)
            if cell.read.kind is Kind.ERROR:
                add("error-value", row, cell.coord,
                    f"{label} berisi {cell.read.text}" + (f" (rumus {cell.formula})" if cell.formula else "")
                    + "; nilai itu dibaca sebagai kosong.")  # fmt: skip
            elif cell.read.kind is Kind.TEXT_NUMBER and cell.read.unit is None:
                style = "format Inggris" if cell.read.english else "teks"
                add("number-as-text", row, cell.coord,
                    f"{label} «{cell.read.text}» tersimpan sebagai {style}, bukan angka; rumus "
                    "SUM/AVERAGE di Excel melewatkannya.", cell.read.value)  # fmt: skip
    if sheet.formulas_without_values:
        add("formula-without-value", None, None,
            f"{sheet.formulas_without_values} sel berumus tanpa nilai tersimpan (berkas belum "
            "pernah dihitung ulang di Excel/LibreOffice); sel itu dibaca sebagai kosong.")  # fmt: skip


_COMPUTED = ("c13", "c14", "c15", "c16")


def _printed_findings(  # type: ignore[no-untyped-def]
    sheet: FormSheet, row: SheetRow, result: RowResult, literal: RowResult | None, add
) -> None:
    layout = sheet.layout
    chained = _chained(row)
    for meaning in _COMPUTED:
        for part in ("k", "rp"):
            cell = row.cells.get((meaning, part))
            if cell is None or cell.read.value is None:
                continue
            if part == "rp" and row.primary is not None:
                continue
            printed = cell.read.value
            computed = result.value(f"col{meaning[1:]}", part)  # noqa: E501
            if agrees(printed, computed, places=cell.read.places):
                continue
            column = f"col{meaning[1:]}"
            if literal is not None and agrees(
                printed, literal.value(column, part), places=cell.read.places
            ):
                continue
            if meaning != "c13" and agrees(
                printed, chained.get((meaning, part)), places=cell.read.places
            ):
                continue  # it follows a printed figure it is made of: that one is flagged, not this
            if meaning == "c13":
                core = check_printed_totals(
                    result.row, result,
                    printed_k=printed if part == "k" else None,
                    printed_rp=printed if part == "rp" else None,
                )  # fmt: skip
                if core is not None:
                    add(core.rule, row, cell.coord, core.message, printed, computed)
                    continue
            formula = FORMULAS[layout.family].get(meaning, "")
            text = (
                f"{layout.label(meaning, part)} tercetak {format_number(printed)}, hasil hitung "
                f"({formula}) {format_number(computed, 2 if meaning in ('c14', 'c16') else None)}"
            )
            if cell.formula:
                text += f"; rumus sel: {cell.formula}"
            add("printed-value-differs", row, cell.coord, text + ".", printed, computed)
    _percent_summed(sheet, row, result, add)
    _quarter_percent(sheet, row, result, add)


def _chained(row: SheetRow) -> dict[tuple[str, str], Decimal | None]:
    """Columns 14–16 recomputed from the printed figures they are made of (13 → 14 and 15,
    15 → 16), a blank column 7 read as 0 as the form's own formula does."""
    out: dict[tuple[str, str], Decimal | None] = {}
    for part in ("k", "rp"):
        c13, c15 = row.value("c13", part), row.value("c15", part)
        target, renstra = row.value("c8", part), row.value("c6", part)
        before = row.value("c7", part) or Decimal(0)
        if c13 is not None:
            out[("c14", part)] = percent_of(c13, target) if target else None
            out[("c15", part)] = before + c13
        if c15 is not None:
            out[("c16", part)] = percent_of(c15, renstra) if renstra else None
    return out


def _percent_summed(sheet: FormSheet, row: SheetRow, result: RowResult, add) -> None:  # type: ignore[no-untyped-def]
    units = {
        row.unit,
        *(c.read.unit for (m, p), c in row.cells.items() if p == "k" and m in ("c6", "c7", "c8")),
    }
    if "%" not in {(u or "").strip() for u in units}:
        return
    cell = row.cells.get(("c15", "k"))
    shown = cell.read.value if cell is not None and cell.read.value is not None else result.col15_k
    before = row.value("c7", "k")
    now = row.value("c13", "k") if cell is not None and cell.read.value is not None else None
    now = result.col13_k if now is None else now
    if shown is None or shown <= 100 or not before or not now:
        return
    add("percent-summed", row, cell.coord if cell else row.name_coord,
        f"Indikator bersatuan % dijumlahkan pada {sheet.layout.label('c15', 'k')}: "
        f"{format_number(before)} + {format_number(now)} = {format_number(shown)} %. "
        "Persentase tidak dijumlahkan; isi posisi terakhir (agregasi «nilai terakhir»).",
        shown, None)  # fmt: skip


def _quarter_percent(sheet: FormSheet, row: SheetRow, result: RowResult, add) -> None:  # type: ignore[no-untyped-def]
    target = row.value("c8", "k")
    running: Decimal | None = None
    for q in range(1, 5):
        k = row.value(f"q{q}", "k")
        if k is not None:
            running = k if running is None else running + k
        cell = row.cells.get((f"q{q}", "pct"))
        if cell is None or cell.read.value is None:
            continue
        printed = cell.read.value
        cumulative = percent_of(running, target)
        own = percent_of(k, target)
        if agrees(printed, cumulative, places=cell.read.places) or agrees(
            printed, own, places=cell.read.places
        ):
            continue
        add("quarter-percent-differs", row, cell.coord,
            f"{sheet.layout.label(f'q{q}', 'pct')} tercetak {format_number(printed)} %, tetapi K "
            f"triwulan itu {format_number(k)} terhadap target {format_number(target)} (kolom 8) "
            f"memberi {format_number(cumulative, 2)} % s.d. triwulan ini.",
            printed, cumulative)  # fmt: skip


def _upper_sums(sheet: FormSheet, add) -> None:  # type: ignore[no-untyped-def]
    """Rp of an unsur/urusan, bidang or total row against the sum of the rows it stands for."""
    for row in sheet.rows:
        if row.level not in ("urusan", "bidang", "total") or not row.children:
            continue
        parts = _programs(row.children) or row.children
        for meaning in _RP_SUM_COLUMNS:
            cell = row.cells.get((meaning, "rp"))
            if cell is None or cell.read.value is None:
                continue
            present = [v for k in parts if (v := k.value(meaning, "rp")) is not None]
            if not present:
                continue
            total = sum(present, Decimal(0))
            if total == cell.read.value:
                continue
            names = ", ".join(f"baris {k.number}" for k in parts)
            add("parent-not-sum-of-children", row, cell.coord,
                f"{sheet.layout.label(meaning, 'rp')} {format_number(cell.read.value)} ≠ Σ "
                f"{format_number(total)} dari {names}"
                + (f"; rumus sel: {cell.formula}" if cell.formula else "") + ".",
                cell.read.value, total)  # fmt: skip


def _programs(rows: list[SheetRow]) -> list[SheetRow]:
    """The program rows at or under ``rows``: what every unsur, bidang and total row is the sum
    of (an intermediate bidang that is itself wrong then does not hide or fake a slip)."""
    out: list[SheetRow] = []
    for row in rows:
        out.extend([row] if row.level == "program" else _programs(row.children))
    return out


def _rows_of(formula: str, column: str) -> tuple[str | None, set[int]]:
    """The function (SUM/AVERAGE) and the rows of ``column`` a formula adds up; a chained
    range A1:A9:A20 is Excel's bounding range A1:A20."""
    fn = re.match(r"=\s*([A-Z]+)\s*\(", formula.upper())
    rows: set[int] = set()
    for col, first, rest in _REF.findall(formula.upper().replace("$", "")):
        if col != column:
            continue
        numbers = [int(first)] + [int(x) for x in re.findall(r"\d+", rest)]
        if rest:
            rows.update(range(min(numbers), max(numbers) + 1))
        else:
            rows.add(int(first))
    return (fn[1] if fn else None), rows


def _parent_formulas(sheet: FormSheet, add) -> None:  # type: ignore[no-untyped-def]
    from openpyxl.utils import column_index_from_string

    item_rows = {r.number for r in sheet.rows}
    for row in sheet.rows:
        if row.primary is not None or not row.children:
            continue
        kids = {k.number for k in row.children}
        for (meaning, part), cell in row.cells.items():
            if not cell.formula or meaning == "c14" or meaning == "c16":
                continue
            column = re.match(r"[A-Z]+", cell.coord).group()  # type: ignore[union-attr]
            fn, refs = _rows_of(cell.formula, column)
            refs.discard(row.number)
            if not refs or fn not in ("SUM", "AVERAGE", "SUBTOTAL", None):
                continue
            label = sheet.layout.label(meaning, part)
            covered = {n for n in refs if n in item_rows or n > row.number}
            if covered != kids:
                extra = sorted(covered - kids)
                lacking = sorted(kids - covered)
                parts = []
                if extra:
                    parts.append(
                        "mencakup baris " + ", ".join(map(str, extra)) + " yang bukan rinciannya"
                    )
                if lacking:
                    parts.append("tidak mencakup baris " + ", ".join(map(str, lacking)))
                hidden = [n for n in extra if any(r.number == n and r.hidden for r in sheet.rows)]
                if hidden:
                    parts.append(
                        "baris tersembunyi " + ", ".join(map(str, hidden)) + " ikut terhitung"
                    )
                add("parent-range-differs", row, cell.coord,
                    f"{label}: rumus {cell.formula} " + "; ".join(parts) + ".")  # fmt: skip
            if part == "k" and fn in ("SUM", "AVERAGE") and cell.read.value is not None:
                values = [v for k in row.children if (v := k.value(meaning, "k")) is not None]
                if not values:
                    continue
                total = sum(values, Decimal(0))
                expected = total if fn == "SUM" else total / len(values)
                if not agrees(cell.read.value, expected, places=cell.read.places):
                    add("parent-k-differs", row, cell.coord,
                        f"{label} tercetak {format_number(cell.read.value)}; {fn} atas K "
                        f"rinciannya ({len(values)} baris) = {format_number(expected, 2)}.",
                        cell.read.value, expected)  # fmt: skip
    _ = column_index_from_string


def _printed_results(evaluation: Evaluation, by_row: dict[str, SheetRow]) -> list[RowResult]:
    """The rows as the form printed them: column 13 where printed (column 14 then follows from
    it, unrounded), else the printed column 14, else the recomputed figures."""
    out = []
    for result in evaluation.rows:
        row = by_row[result.row.id]
        c13k, c13rp = row.value("c13", "k"), row.value("c13", "rp")
        values = result._asdict()
        if c13k is not None or c13rp is not None:
            printed = FormRow(result.row.id, result.row.level, result.row.name,
                              (Pair(k=c13k, rp=c13rp), EMPTY, EMPTY, EMPTY),
                              year_target=result.row.year_target)  # fmt: skip
            again = evaluate_row(printed, 1)
            if c13k is not None:
                values.update(col13_k=c13k, col14_k=again.col14_k)
            if c13rp is not None:
                values.update(col13_rp=c13rp, col14_rp=again.col14_rp)
        for part in ("k", "rp"):
            shown = row.value("c14", part)
            if (
                values[f"col13_{part}"] is not None
                and row.value("c13", part) is None
                and shown is not None
            ):
                values[f"col14_{part}"] = shown
        out.append(RowResult(**values))
    return out


def _footer(sheet: FormSheet, evaluation: Evaluation, add) -> FooterAudit:  # type: ignore[no-untyped-def]
    by_row = {r.id: r for r in sheet.rows}
    bases = {"printed": _printed_results(evaluation, by_row), "computed": list(evaluation.rows)}
    cells = list(sheet.footer)
    chosen: dict[str, tuple[Cell | None, AverageRule | None, str | None]] = {}
    defaults = {"k": AverageRule.PROGRAM_MEAN, "rp": AverageRule.PROGRAM_RATIO}
    for part, rules in (("k", _K_RULES), ("rp", _RP_RULES)):
        pick: tuple[Cell | None, AverageRule | None, str | None] = (None, None, None)
        candidates = (
            cells if not sheet.footer_labelled else cells[:1] if part == "k" else cells[1:2]
        )
        for cell in candidates:
            if any(cell is c for c, _, _ in chosen.values()):
                continue
            match = _reproduce(cell, rules, part, bases)
            if match:
                pick = (cell, *match)
                break
        if pick[0] is None and candidates and sheet.footer_labelled:
            pick = (candidates[0], None, None)
        chosen[part] = pick
    if not sheet.footer_labelled:  # unlabelled cells that no rule reproduces stay unread
        left = [c for c in cells if not any(c is x for x, _, _ in chosen.values())]
        for part in ("k", "rp"):
            if chosen[part][0] is None and len(cells) == 2 and left:
                chosen[part] = (left.pop(0), None, None)
    figures = {}
    for part in ("k", "rp"):
        cell, rule, basis = chosen[part]
        use = rule or defaults[part]
        value = _rule_value(evaluation.rows, use, part)
        figures[part] = value
        if cell is None:
            continue
        printed = cell.read.value
        assert printed is not None
        what = "K" if part == "k" else "Rp"
        if rule is None:
            add("footer-rule-unknown", None, cell.coord,
                f"Rata-rata capaian {what} tercetak {format_number(printed)} tidak dihasilkan aturan "
                f"mana pun, baik dari angka tercetak maupun hasil hitung; aturan bawaan "
                f"{use.value} memberi {format_number(value, 2)}.", printed, value)  # fmt: skip
        elif basis == "printed" and not agrees(printed, value, places=cell.read.places):
            add("footer-differs", None, cell.coord,
                f"Rata-rata capaian {what} tercetak {format_number(printed)} dihasilkan aturan "
                f"{rule.value} dari angka kolom tercetak; dari angka yang dihitung ulang aturan itu "
                f"memberi {format_number(value, 2)}.", printed, value)  # fmt: skip
    return FooterAudit(
        printed_k=chosen["k"][0].read.value if chosen["k"][0] else None,
        printed_rp=chosen["rp"][0].read.value if chosen["rp"][0] else None,
        computed_k=figures["k"], computed_rp=figures["rp"],
        rule_k=chosen["k"][1].value if chosen["k"][1] else None,
        rule_rp=chosen["rp"][1].value if chosen["rp"][1] else None,
        basis_k=chosen["k"][2], basis_rp=chosen["rp"][2],
        cell_k=chosen["k"][0].coord if chosen["k"][0] else None,
        cell_rp=chosen["rp"][0].coord if chosen["rp"][0] else None,
    )  # fmt: skip


def _rule_value(results: Iterable[RowResult], rule: AverageRule, part: str) -> Decimal | None:
    rows = list(results)
    figure = footer(rows, rule_k=rule, rule_rp=rule)
    return figure.k.value if part == "k" else figure.rp.value


def _reproduce(
    cell: Cell, rules: Iterable[AverageRule], part: str, bases: dict[str, list[RowResult]]
) -> tuple[AverageRule, str] | None:
    printed = cell.read.value
    if printed is None:
        return None
    for rule in rules:
        for basis in ("computed", "printed"):
            if agrees(printed, _rule_value(bases[basis], rule, part), places=cell.read.places):
                return rule, basis
    return None
