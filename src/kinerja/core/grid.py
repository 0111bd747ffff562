"""What the quarterly entry grid shows of the checks: the Σ of a parent row's children beside
its own value («pakai jumlah» takes it), and each row's findings the user can act on there.

Rp of the Σ follows the rule of ``parent-not-sum-of-children`` (``checks._parent_not_sum``):
the children that have a value are summed, None where none has one — so a parent that takes
the sum has no such finding for the quarter. K is summed by the same rule only where the
figures count the same thing (``k_summable``); elsewhere a parent's K is its own indicator.

The grid is about one quarter: its findings leave out what nobody can change in it — values
of quarters after it (``realisation-after-report-quarter``: the grid does not show them), a
unit written in another column than this quarter's, and a parent's sum in other columns than
this quarter's Rp (the quarter page's *Lembar Pemeriksaan* lists every finding).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .aggregate import Aggregation
from .checks import RULES, Finding, _norm, check_row
from .evaluation import RowResult
from .form import Form, FormRow, Pair, is_child
from .numbers import QUARTER_ROMAN
from .numbers import format_number as _fmt

__all__ = ["children_of", "children_sum", "grid_findings", "k_summable", "sum_present"]

_PERCENT_UNITS = {"%", "persen", "persentase"}
_NOT_IN_GRID = {"realisation-after-report-quarter"}


def sum_present(values: Sequence[Decimal | None]) -> Decimal | None:
    """Σ of the values that are there; None where none is."""
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def children_of(rows: Sequence[FormRow]) -> dict[str, list[FormRow]]:
    """Parent id → its child rows, in the form's order."""
    children: dict[str, list[FormRow]] = {}
    for row in rows:
        if is_child(row):
            children.setdefault(row.parent, []).append(row)  # type: ignore[arg-type]
    return children


def k_summable(row: FormRow, kids: Sequence[FormRow]) -> bool:
    """Whether a parent's K may be taken as Σ of its children's K: they all count the same
    thing — one target unit (col 8's, else the row's; ignoring case and spacing) for the
    parent and every child, not a percentage — and each sums its quarters (aggregation
    «jumlah triwulan»)."""
    if not kids:
        return False
    units = {_norm(r.year_target.k_unit or r.unit) for r in (row, *kids)}
    if len(units) != 1 or None in units or units & _PERCENT_UNITS:
        return False
    return all(r.aggregation is Aggregation.SUM for r in (row, *kids))


def children_sum(row: FormRow, kids: Sequence[FormRow], quarter: int) -> Pair:
    """Σ of a parent's children in one quarter (1–4): Rp of the children that have one (None
    where none has); K likewise where ``k_summable``, else None."""
    pairs = [k.quarters[quarter - 1] for k in kids]
    k = sum_present([p.k for p in pairs]) if k_summable(row, kids) else None
    return Pair(k=k, rp=sum_present([p.rp for p in pairs]))


def _quarter_not_sum(row: FormRow, kids: Sequence[FormRow], quarter: int) -> Finding | None:
    """``parent-not-sum-of-children`` for this quarter's Rp only."""
    own, total = row.quarters[quarter - 1].rp, children_sum(row, kids, quarter).rp
    if own is None or total is None or own == total:
        return None
    kind = "kegiatan" if row.parent is None else "sub kegiatan"
    return Finding(
        "parent-not-sum-of-children",
        RULES["parent-not-sum-of-children"],
        row.id,
        f"Rp Triwulan {QUARTER_ROMAN[quarter - 1]} {_fmt(own)} tidak sama dengan jumlah {kind} di "
        f"bawahnya {_fmt(total)}.",
    )


def _unit_in_quarter(row: FormRow, quarter: int) -> bool:
    """Whether this quarter's K is written with another unit than the target's."""
    written = row.quarters[quarter - 1].k_unit
    target = row.year_target.k_unit or row.unit
    return written is not None and target is not None and _norm(written) != _norm(target)


def grid_findings(
    form: Form, results: Sequence[RowResult], *, quarter: int | None = None
) -> dict[str, list[Finding]]:
    """Row id → the findings the grid shows beside the row (in the order of ``RULES``), for
    ``quarter`` (default: the form's). Rows without any are left out."""
    q = quarter or form.quarter
    children = children_of(form.rows)
    out: dict[str, list[Finding]] = {}
    for result in results:
        row, found = result.row, []
        kids = children.get(row.id)
        if kids:
            parent = _quarter_not_sum(row, kids, q)
            if parent:
                found.append(parent)
        for f in check_row(row, result, q):
            if f.rule in _NOT_IN_GRID or (
                f.rule == "unit-mismatch" and not _unit_in_quarter(row, q)
            ):
                continue
            found.append(f)
        if found:
            out[row.id] = found
    return out
