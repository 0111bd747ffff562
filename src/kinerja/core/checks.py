"""Consistency checks on the evaluation form's data (DESIGN §3).

Each finding has a rule id, a severity, the row id and an Indonesian message. These are the
checks that need the form alone; the database-only checks (``pk-differs-from-renja`` …) live
with the queries that can see the PK and the Renstra.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from .achievement import Polarity
from .form import Form, FormRow, Level, Pair, is_child
from .numbers import QUARTER_ROMAN as _ROMAN
from .numbers import format_declared, format_number

if TYPE_CHECKING:  # evaluation imports this module
    from .evaluation import RowResult

__all__ = [
    "RULES",
    "RULE_TITLES",
    "Finding",
    "Severity",
    "check_form",
    "check_printed_totals",
    "check_row",
]


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    row: str
    message: str
    # a finding about one printed figure (``printed.check_printed``) names it: "col14.k",
    # "footer.rp", with the printed and the computed value; None on every other finding
    column: str | None = None
    printed: Decimal | None = None
    computed: Decimal | None = None


# rule id → severity; the order is the order findings of one row are listed in.
RULES: dict[str, Severity] = {
    "total-not-sum-of-quarters": Severity.ERROR,
    "parent-not-sum-of-children": Severity.ERROR,
    "realisation-after-report-quarter": Severity.WARNING,
    "unit-mismatch": Severity.WARNING,
    "spending-above-pagu": Severity.ERROR,
    "renstra-budget-exceeded": Severity.WARNING,
    "target-zero": Severity.WARNING,
    "spending-without-pagu": Severity.ERROR,
}

# what a reader sees for each rule id
RULE_TITLES: dict[str, str] = {
    "total-not-sum-of-quarters": "Kolom 13 tidak sama dengan jumlah triwulan",
    "parent-not-sum-of-children": "Induk tidak sama dengan jumlah rinciannya",
    "realisation-after-report-quarter": "Realisasi pada triwulan setelah triwulan laporan",
    "unit-mismatch": "Satuan berbeda",
    "spending-above-pagu": "Realisasi anggaran melebihi pagu",
    "renstra-budget-exceeded": "Anggaran Renstra terlampaui",
    "target-zero": "Target nol",
    "spending-without-pagu": "Realisasi anggaran tanpa pagu",
    "pk-differs-from-renja": "Perjanjian Kinerja berbeda dengan Renja",
    "iku-pk-lists-differ": "Daftar IKU dan Perjanjian Kinerja berbeda",
    "revised-target-backwards": "Target perubahan mundur",
}

_RP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("6", "renstra_target"),
    ("7", "renstra_realised_before"),
    ("8", "year_target"),
)


def _finding(rule: str, row: FormRow, message: str) -> Finding:
    return Finding(rule, RULES[rule], row.id, message)


def check_form(
    form: Form,
    results: Sequence[RowResult],
    *,
    children: Mapping[str, Sequence[FormRow]] | None = None,
) -> list[Finding]:
    """All form-data findings, in row order, then in the order of ``RULES``.

    ``children`` (parent id → child rows) may be passed when the caller has it already."""
    found: list[Finding] = []
    if children is None:
        children = _children(form.rows)
    quarter = form.quarter
    for result in results:
        row = result.row
        kids = children.get(row.id)
        if kids:
            finding = _parent_not_sum(row, kids)
            if finding:
                found.append(finding)
        _row_checks(row, result, quarter, found)
    return found


def _children(rows: Sequence[FormRow]) -> dict[str, list[FormRow]]:
    children: dict[str, list[FormRow]] = {}
    for row in rows:
        if is_child(row):
            children.setdefault(row.parent, []).append(row)  # type: ignore[arg-type]
    return children


_COLUMN_NAMES = ("6", "7", "8", "9", "10", "11", "12")


def _column_values(row: FormRow) -> tuple[Decimal | None, ...]:
    """Rp of columns 6, 7, 8 and 9–12, in that order."""
    q = row.quarters
    return (
        row.renstra_target.rp,
        row.renstra_realised_before.rp,
        row.year_target.rp,
        q[0].rp,
        q[1].rp,
        q[2].rp,
        q[3].rp,
    )


def _parent_not_sum(row: FormRow, kids: Sequence[FormRow]) -> Finding | None:
    """Rp of a parent ≠ Σ its children, per column, where the parent and at least one child
    have a value (summing the children that have one)."""
    totals: list[Decimal | None] = []
    values = [
        (
            k.renstra_target.rp,
            k.renstra_realised_before.rp,
            k.year_target.rp,
            k.quarters[0].rp,
            k.quarters[1].rp,
            k.quarters[2].rp,
            k.quarters[3].rp,
        )
        for k in kids
    ]
    for column in zip(*values, strict=True):
        present = [v for v in column if v is not None]
        totals.append(sum(present) if present else None)
    wrong = [
        f"kolom {_COLUMN_NAMES[i]} Rp {format_number(value)} ≠ Σ {format_number(totals[i])}"
        for i, value in enumerate(_column_values(row))
        if value is not None and totals[i] is not None and totals[i] != value
    ]
    if not wrong:
        return None
    kind = "kegiatan" if row.level is Level.PROGRAM else "sub kegiatan"
    return _finding(
        "parent-not-sum-of-children",
        row,
        f"Rp {row.level.label.lower()} tidak sama dengan jumlah {kind} di bawahnya: "
        + "; ".join(wrong)
        + ".",
    )


def check_row(row: FormRow, result: RowResult, quarter: int) -> list[Finding]:
    """The findings a row has on its own (not those comparing it with its children): what the
    entry grid shows beside a row while the operator types."""
    found: list[Finding] = []
    _row_checks(row, result, quarter, found)
    return found


def _row_checks(row: FormRow, result: RowResult, quarter: int, found: list[Finding]) -> None:
    if quarter < 4:
        later = [q + 1 for q in range(quarter, 4) if row.quarters[q].k or row.quarters[q].rp]
        if later:
            cells = "; ".join(_quarter_cell(q, row.quarters[q - 1]) for q in later)
            found.append(
                _finding(
                    "realisation-after-report-quarter",
                    row,
                    f"Ada realisasi pada triwulan sesudah TW {_ROMAN[quarter - 1]} ({cells}); "
                    "nilai itu tidak dihitung dalam laporan ini.",
                )
            )
    if row.unit is not None or row.year_target.k_unit is not None:
        mismatch = _unit_mismatch(row)
        if mismatch:
            found.append(_finding("unit-mismatch", row, mismatch))
    pagu = row.year_target.rp
    spent = result.col13_rp
    if spent is not None and pagu and spent > pagu:
        found.append(
            _finding(
                "spending-above-pagu",
                row,
                f"Realisasi anggaran {format_number(spent)} (kolom 13) melebihi pagu "
                f"{format_number(pagu)} (kolom 8).",
            )
        )
    renstra = row.renstra_target.rp
    if result.col15_rp is not None and renstra is not None and result.col15_rp > renstra:
        found.append(
            _finding(
                "renstra-budget-exceeded",
                row,
                f"Realisasi anggaran Renstra s.d. tahun ini {format_number(result.col15_rp)} "
                f"(kolom 15) melebihi target anggaran Renstra {format_number(renstra)} "
                f"(kolom 6){_renstra_share(result.col16_rp)}",
            )
        )
    target = row.year_target
    if (
        target.k is not None
        and not target.k
        and target.k_upper is None
        and row.polarity is Polarity.HIGHER
    ):
        found.append(
            _finding(
                "target-zero",
                row,
                "Target kinerja tahun ini (kolom 8) bernilai 0, sehingga capaian tidak dapat "
                "dihitung.",
            )
        )
    if pagu is not None and not pagu and spent:
        found.append(
            _finding(
                "spending-without-pagu",
                row,
                f"Ada realisasi anggaran {format_number(spent)} padahal pagu (kolom 8) 0.",
            )
        )


def _renstra_share(share: Decimal | None) -> str:
    """The tail of ``renstra-budget-exceeded``: column 16 Rp where it is defined (the seed's
    "237 %" is spending beyond the Renstra budget, not over-achievement), else nothing — a
    Renstra budget of 0 gives no percentage to speak of."""
    if share is None:
        return "; anggaran Renstra 0 sehingga kolom 16 Rp tidak dapat dihitung."
    return (
        f"; kolom 16 Rp {format_number(share, 2)} % berarti anggaran Renstra terlampaui, "
        "bukan prestasi."
    )


def _quarter_cell(q: int, pair: Pair) -> str:
    parts = []
    if pair.k:
        parts.append(f"K {format_number(pair.k)}")
    if pair.rp:
        parts.append(f"Rp {format_number(pair.rp)}")
    return f"TW {_ROMAN[q - 1]} " + ", ".join(parts)


def _norm(unit: str | None) -> str | None:
    return None if unit is None else " ".join(unit.split()).casefold()


def _unit_mismatch(row: FormRow) -> str | None:
    target_unit = row.year_target.k_unit or row.unit
    if target_unit is None:
        return None
    q = row.quarters
    units = (
        row.renstra_target.k_unit,
        row.renstra_realised_before.k_unit,
        row.year_target.k_unit,
        q[0].k_unit,
        q[1].k_unit,
        q[2].k_unit,
        q[3].k_unit,
    )
    for unit in units:
        if unit is not None and unit != target_unit:
            break
    else:
        return None
    expected = _norm(target_unit)
    named = [
        ("kolom 6", row.renstra_target),
        ("kolom 7", row.renstra_realised_before),
        ("kolom 8", row.year_target),
        *((f"TW {_ROMAN[i]}", q) for i, q in enumerate(row.quarters)),
    ]
    wrong = [
        f"{name} «{pair.k_unit}»"
        for name, pair in named
        if pair.k_unit is not None and _norm(pair.k_unit) != expected
    ]
    if not wrong:
        return None
    return f"Satuan berbeda dengan satuan target «{target_unit}»: " + ", ".join(wrong) + "."


def check_printed_totals(
    row: FormRow, result: RowResult, *, printed_k: Decimal | None, printed_rp: Decimal | None
) -> Finding | None:
    """``total-not-sum-of-quarters``: a printed/imported column 13 that is not the aggregate
    of its quarters (used when an existing report is imported and audited)."""
    wrong = []
    if printed_k is not None and printed_k != result.col13_k:
        wrong.append(
            f"K tercetak {format_number(printed_k)}, seharusnya {format_number(result.col13_k)}"
        )
    if printed_rp is not None and printed_rp != result.col13_rp:
        wrong.append(
            f"Rp tercetak {format_number(printed_rp)}, seharusnya {format_number(result.col13_rp)}"
        )
    if not wrong:
        return None
    return _finding(
        "total-not-sum-of-quarters",
        row,
        "Kolom 13 tidak sama dengan agregat triwulannya: " + "; ".join(wrong) + ".",
    )


# ---- checks that need more than the form (the queries feed them plain values) -----------

DATABASE_RULES: dict[str, Severity] = {
    "pk-differs-from-renja": Severity.WARNING,
    "iku-pk-lists-differ": Severity.WARNING,
    "revised-target-backwards": Severity.WARNING,
}


def check_agreement_line(
    *,
    row: str,
    name: str,
    pk_target: Decimal | None,
    pk_unit: str | None,
    pk_budget: Decimal | None,
    renja_target: Decimal | None,
    renja_unit: str | None,
    renja_budget: Decimal | None,
) -> Finding | None:
    """``pk-differs-from-renja``: a PK line (Tabel 2.4) whose target, unit or pagu differs
    from the Renja item it stands for (the evaluation form's column 8). Units are compared
    where both are written."""
    wrong = []
    if pk_target != renja_target:
        wrong.append(f"target PK {format_number(pk_target)} ≠ Renja {format_number(renja_target)}")
    if pk_unit and renja_unit and _norm(pk_unit) != _norm(renja_unit):
        wrong.append(f"satuan PK «{pk_unit or '-'}» ≠ Renja «{renja_unit or '-'}»")
    if pk_budget != renja_budget:
        wrong.append(f"pagu PK {format_number(pk_budget)} ≠ Renja {format_number(renja_budget)}")
    if not wrong:
        return None
    return Finding(
        "pk-differs-from-renja",
        DATABASE_RULES["pk-differs-from-renja"],
        row,
        f"Perjanjian Kinerja dan Renja berbeda untuk «{name}»: " + "; ".join(wrong) + ".",
    )


def check_iku_in_agreement(*, iku: Sequence[str], agreement: Sequence[str]) -> Finding | None:
    """``iku-pk-lists-differ``: the objective-level IKU and the PK's indicators differ."""
    iku_set, pk_set = set(iku), set(agreement)
    if iku_set == pk_set:
        return None
    parts = []
    if iku_set - pk_set:
        parts.append("IKU tanpa target PK: " + ", ".join(sorted(iku_set - pk_set)))
    if pk_set - iku_set:
        parts.append("target PK yang bukan IKU: " + ", ".join(sorted(pk_set - iku_set)))
    return Finding(
        "iku-pk-lists-differ",
        DATABASE_RULES["iku-pk-lists-differ"],
        "PK",
        "Daftar IKU dan Perjanjian Kinerja berbeda: " + "; ".join(parts) + ".",
    )


def check_target_series(
    *,
    row: str,
    name: str,
    polarity: Polarity,
    series: Sequence[tuple[int, Decimal]],
    decimals: int | None = None,
    what: str = "Target perubahan",
) -> Finding | None:
    """``revised-target-backwards``: a revised target series (year, value) that steps
    back from one year to the next — falls for higher-is-better, rises for lower-is-better.
    The values print with the indicator's declared ``decimals`` (0,70 → 0,60). ``what``
    names the series in the message (the planning screens check the targets as typed)."""
    steps = []
    ordered = sorted(series)
    for (y1, v1), (y2, v2) in zip(ordered, ordered[1:], strict=False):
        if v2 < v1 if polarity is Polarity.HIGHER else v2 > v1:
            steps.append(f"{y1} {format_declared(v1, decimals)} → {y2} "
                         f"{format_declared(v2, decimals)}")  # fmt: skip
    if not steps:
        return None
    return Finding(
        "revised-target-backwards",
        DATABASE_RULES["revised-target-backwards"],
        row,
        f"{what} «{name}» mundur: " + "; ".join(steps) + ".",
    )
