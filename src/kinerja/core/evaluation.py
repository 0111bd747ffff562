"""The evaluation form: columns 13–16 of every row and the footer (DESIGN §3).

| column | K | Rp |
| 13 | aggregate(9..12) by the row's aggregation | sum |
| 14 | achievement(13 against 8) by polarity | 13 / 8 × 100 |
| 15 | sum: 7 + 13 · last: 13, else 7 · average/max: 13 | 7 + 13 |
| 16 | achievement(15 against 6) — None where 6 is missing or 0 | 15 / 6 × 100 |

Figures are plain Decimals for speed; ``explain_row`` and ``Footer.explain_*`` build the
Indonesian explanation of each figure only when a caller asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from .achievement import (
    CTX,
    Polarity,
    Target,
    achievement,
    capped,
    explain_achievement,
    percent_of,
)
from .aggregate import Aggregation, aggregate, explain_aggregate
from .checks import Finding, check_form
from .form import AverageRule, Form, FormRow, Level, Pair, check_structure
from .numbers import format_number, format_percent
from .scales import PREDIKAT_CAPAIAN, Scale

__all__ = [
    "COLUMNS",
    "Evaluation",
    "Footer",
    "RowResult",
    "evaluate_form",
    "evaluate_row",
    "explain_row",
    "footer",
]

RULE_VERSION = "DESIGN §3 v1"
COLUMNS = ("col13", "col14", "col15", "col16")


class RowResult(NamedTuple):
    """Columns 13–16 of one row (a named tuple: rows are made by the hundred thousand)."""

    row: FormRow
    quarter: int
    col13_k: Decimal | None
    col13_rp: Decimal | None
    col14_k: Decimal | None
    col14_rp: Decimal | None
    col15_k: Decimal | None
    col15_rp: Decimal | None
    col16_k: Decimal | None
    col16_rp: Decimal | None

    def value(self, column: str, part: str) -> Decimal | None:
        """``value("col14", "k")``."""
        result: Decimal | None = getattr(self, f"{column}_{part}")
        return result


_new_result = tuple.__new__  # the NamedTuple's own __new__ adds a Python call per row
_SUM = Aggregation.SUM
_LAST = Aggregation.LAST
_HIGHER = Polarity.HIGHER
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_divide = CTX.divide


def _achieve(pair: Pair, actual: Decimal, polarity: Polarity) -> Decimal | None:
    """achievement(actual against pair's target); the common case inlined for speed."""
    target = pair.k
    assert target is not None
    if pair.k_upper is None and polarity is _HIGHER:
        return _divide(actual * _HUNDRED, target) if target else None
    return achievement(target=Target(target, pair.k_upper), actual=actual, polarity=polarity)


def evaluate_row(row: FormRow, quarter: int) -> RowResult:
    """Columns 13–16 of one row for a report in quarter ``quarter`` (1–4)."""
    aggregation = row.aggregation
    c13k: Decimal | None = None
    c13rp: Decimal | None = None
    counted = row.quarters[:quarter]
    for pair in counted:
        rp = pair.rp
        if rp is not None:
            c13rp = rp if c13rp is None else c13rp + rp
    if aggregation is _SUM:
        for pair in counted:
            k = pair.k
            if k is not None:
                c13k = k if c13k is None else c13k + k
    else:
        c13k = aggregate([q.k for q in counted], quarter=quarter, aggregation=aggregation)

    target = row.year_target
    polarity = row.polarity
    target_k = target.k
    if c13k is None or target_k is None:
        c14k = None
    elif polarity is _HIGHER and target.k_upper is None:  # the common case, inlined
        c14k = _divide(c13k * _HUNDRED, target_k) if target_k else None
    else:
        c14k = _achieve(target, c13k, polarity)
    pagu = target.rp
    c14rp = None if c13rp is None or not pagu else _divide(c13rp * _HUNDRED, pagu)

    before = row.renstra_realised_before
    if aggregation is _SUM:
        c15k = None if before.k is None or c13k is None else before.k + c13k
    elif aggregation is _LAST:
        c15k = c13k if c13k is not None else before.k
    else:
        c15k = c13k
    c15rp = None if before.rp is None or c13rp is None else before.rp + c13rp

    renstra = row.renstra_target
    renstra_k = renstra.k
    if c15k is None or not renstra_k:
        c16k = None
    elif polarity is _HIGHER and renstra.k_upper is None:
        c16k = _divide(c15k * _HUNDRED, renstra_k)
    else:
        c16k = _achieve(renstra, c15k, polarity)
    renstra_rp = renstra.rp
    c16rp = None if c15rp is None or not renstra_rp else _divide(c15rp * _HUNDRED, renstra_rp)
    return _new_result(
        RowResult, (row, quarter, c13k, c13rp, c14k, c14rp, c15k, c15rp, c16k, c16rp)
    )


_PART = {"k": "K", "rp": "Rp"}


def explain_row(result: RowResult, keys: Iterable[str] | None = None) -> dict[str, str]:
    """The explanation of every figure of a row, keyed ``col13.k`` … ``col16.rp``; with
    ``keys``, only those (a page that shows two figures per row builds two texts, not eight)."""
    row, q = result.row, result.quarter
    target, before, renstra = row.year_target, row.renstra_realised_before, row.renstra_target

    def col16_k() -> str:
        if not renstra.k:
            return "- : target Renstra (kolom 6) tidak ada atau 0"
        return (
            explain_achievement(target=renstra.target, actual=result.col15_k, polarity=row.polarity)
            + " (kolom 15 terhadap target Renstra kolom 6)"
        )  # fmt: skip

    makers: dict[str, Callable[[], str]] = {
        "col13.k": lambda: explain_aggregate(
            [p.k for p in row.quarters],
            quarter=q,
            aggregation=row.aggregation,
            name="realisasi s.d. TW",
        ),  # fmt: skip
        "col13.rp": lambda: explain_aggregate(
            [p.rp for p in row.quarters],
            quarter=q,
            aggregation=Aggregation.SUM,
            name="realisasi s.d. TW",
        ),  # fmt: skip
        "col14.k": lambda: (
            explain_achievement(target=target.target, actual=result.col13_k, polarity=row.polarity)
            + " (kolom 13 terhadap target kolom 8)"
        ),  # fmt: skip
        "col14.rp": lambda: _explain_ratio(result.col13_rp, target.rp, "13", "8"),
        "col15.k": lambda: _explain_col15_k(result),
        "col15.rp": lambda: _explain_sum(before.rp, result.col13_rp, result.col15_rp),
        "col16.k": col16_k,
        "col16.rp": lambda: _explain_ratio(result.col15_rp, renstra.rp, "15", "6"),
    }
    wanted = sorted(makers) if keys is None else sorted(keys)
    return {
        key: f"kolom {key[3:5]} {_PART[key[6:]]}: {makers[key]()} [aturan {RULE_VERSION}]"
        for key in wanted
    }


def _explain_ratio(part: Decimal | None, whole: Decimal | None, p: str, w: str) -> str:
    value = percent_of(part, whole)
    if part is None:
        return f"- : kolom {p} Rp kosong"
    if whole is None:
        return f"- : kolom {w} Rp (pagu) kosong"
    if not whole:
        return f"- : kolom {w} Rp (pagu) 0 tidak dapat menjadi pembagi"
    return (
        f"kolom {p} / kolom {w} × 100 = {format_number(part)} / {format_number(whole)} × 100 "
        f"= {format_percent(value)}"
    )


def _explain_sum(before: Decimal | None, now: Decimal | None, result: Decimal | None) -> str:
    if result is None:
        missing = "kolom 7" if before is None else "kolom 13"
        return f"kolom 7 + kolom 13 = - : {missing} kosong"
    return (
        f"kolom 7 + kolom 13 = {format_number(before)} + {format_number(now)} "
        f"= {format_number(result)}"
    )


def _explain_col15_k(result: RowResult) -> str:
    row = result.row
    before = row.renstra_realised_before.k
    if row.aggregation is Aggregation.SUM:
        return _explain_sum(before, result.col13_k, result.col15_k) + " (agregasi: jumlah)"
    if row.aggregation is Aggregation.LAST:
        source = "kolom 13" if result.col13_k is not None else "kolom 7 (kolom 13 kosong)"
        return (
            f"{source} = {format_number(result.col15_k)} "
            "(agregasi: nilai terakhir; capaian Renstra adalah posisi terakhir)"
        )
    return f"kolom 13 = {format_number(result.col15_k)} (agregasi: {row.aggregation.label})"


# ---- the footer -------------------------------------------------------------------------

_LEVEL_OF_RULE = {
    AverageRule.PROGRAM_MEAN: Level.PROGRAM,
    AverageRule.PROGRAM_RATIO: Level.PROGRAM,
    AverageRule.KEGIATAN_MEAN: Level.KEGIATAN,
    AverageRule.SUB_KEGIATAN_MEAN: Level.SUB_KEGIATAN,
    AverageRule.PAGU_WEIGHTED: Level.SUB_KEGIATAN,
    AverageRule.ALL_MEAN: None,
}

RULE_LABELS = {
    AverageRule.PROGRAM_MEAN: "rata-rata kolom 14 baris program",
    AverageRule.PROGRAM_RATIO: "Σ kolom 13 Rp ÷ Σ kolom 8 Rp baris program × 100",
    AverageRule.ALL_MEAN: "rata-rata kolom 14 semua baris",
    AverageRule.KEGIATAN_MEAN: "rata-rata kolom 14 baris kegiatan",
    AverageRule.SUB_KEGIATAN_MEAN: "rata-rata kolom 14 baris sub kegiatan",
    AverageRule.PAGU_WEIGHTED: "rata-rata kolom 14 K sub kegiatan berbobot pagu (kolom 8 Rp)",
}


@dataclass(frozen=True, slots=True)
class FooterFigure:
    rule: AverageRule
    part: str  # "k" or "rp"
    value: Decimal | None
    rating: str | None
    terms: tuple[tuple[str, Decimal, Decimal], ...]  # (row id, value, weight or denominator)
    cap: Decimal | None

    def explain(self) -> str:
        label = RULE_LABELS[self.rule]
        shown = format_percent(self.value)
        cap = (
            f"; capaian dibatasi {format_number(self.cap)} % sebelum dirata-rata"
            if self.cap
            else ""
        )
        if not self.terms:
            return f"{label} = - : tidak ada baris yang bernilai (aturan {self.rule.value})"
        if self.rule is AverageRule.PROGRAM_RATIO:
            num = sum((t[1] for t in self.terms), Decimal(0))
            den = sum((t[2] for t in self.terms), Decimal(0))
            body = f"{format_number(num)} ÷ {format_number(den)} × 100 = {shown}"
        elif self.rule is AverageRule.PAGU_WEIGHTED:
            body = f"Σ (capaian × pagu) ÷ Σ pagu atas {len(self.terms)} baris = {shown}"
        else:
            values = " + ".join(format_number(t[1], 2) for t in self.terms)
            body = f"({values}) / {len(self.terms)} = {shown}"
        rating = f"; predikat {self.rating}" if self.rating else ""
        return f"{label}: {body}{cap}{rating} (aturan {self.rule.value})"


@dataclass(frozen=True, slots=True)
class Footer:
    k: FooterFigure
    rp: FooterFigure


def footer(
    results: Sequence[RowResult],
    *,
    rule_k: AverageRule = AverageRule.PROGRAM_MEAN,
    rule_rp: AverageRule = AverageRule.PROGRAM_RATIO,
    cap: Decimal | None = None,
    scale: Scale = PREDIKAT_CAPAIAN,
) -> Footer:
    """*Rata-rata capaian kinerja* and its predikat for K and Rp by the named rules."""
    return Footer(
        k=_footer_figure(results, rule_k, "k", cap, scale),
        rp=_footer_figure(results, rule_rp, "rp", cap, scale),
    )


def _cap(value: Decimal, cap: Decimal | None) -> Decimal:
    return cap if cap is not None and value > cap else value


def _footer_figure(
    results: Sequence[RowResult],
    rule: AverageRule,
    part: str,
    cap: Decimal | None,
    scale: Scale,
) -> FooterFigure:
    """Means are weighted means with weight 1; ``pagu_weighted`` weighs by column 8 Rp;
    ``program_ratio`` is Σ column 13 ÷ Σ column 8 (the cap then applies to the ratio)."""
    level = _LEVEL_OF_RULE[rule]
    terms: list[tuple[str, Decimal, Decimal]] = []
    one = Decimal(1)
    for r in results:
        if level is not None and r.row.level is not level:
            continue
        target = r.row.year_target
        if rule is AverageRule.PROGRAM_RATIO:
            num, den = (r.col13_rp, target.rp) if part == "rp" else (r.col13_k, target.k)
            if num is not None and den is not None:
                terms.append((r.row.id, num, den))
            continue
        value = r.col14_rp if part == "rp" else r.col14_k
        weight = target.rp if rule is AverageRule.PAGU_WEIGHTED else one
        if value is not None and weight is not None:
            terms.append((r.row.id, _cap(value, cap), weight))
    result: Decimal | None = None
    if rule is AverageRule.PROGRAM_RATIO:
        if terms:
            total = percent_of(sum((t[1] for t in terms), _ZERO), sum((t[2] for t in terms), _ZERO))
            result = capped(total, cap)
    else:
        weights = sum((t[2] for t in terms), _ZERO)
        if weights:
            result = CTX.divide(sum((t[1] * t[2] for t in terms), _ZERO), weights)
    return FooterFigure(rule, part, result, scale.label(result), tuple(terms), cap)


# ---- the whole form ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evaluation:
    form: Form
    rows: tuple[RowResult, ...]
    footer: Footer
    findings: tuple[Finding, ...]


def evaluate_form(form: Form) -> Evaluation:
    """Every row's columns 13–16, the footer by the form's rules, and the form-data findings;
    where the form carries what was printed in columns 13–16 or the footer, the printed
    figures that disagree with the computation too (``printed.check_printed``), each after
    its row's other findings, the footer's last."""
    children = check_structure(form.rows, quarter=form.quarter)
    q = form.quarter
    results = tuple([evaluate_row(row, q) for row in form.rows])
    rules = form.rules
    foot = footer(results, rule_k=rules.average_k, rule_rp=rules.average_rp, cap=rules.cap)
    findings = check_form(form, results, children=children)
    from .printed import check_printed, has_printed  # printed builds on this module

    if has_printed(form):
        position = {row.id: i for i, row in enumerate(form.rows)}
        findings = sorted(
            [*findings, *check_printed(form, results, foot)],
            key=lambda f: position.get(f.row, len(position)),
        )  # stable: a row's form findings stay first, in their order
    return Evaluation(form, results, foot, tuple(findings))
