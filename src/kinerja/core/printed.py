"""A printed figure against its recomputation: the audit of a filled form (`kinerja check`)
and the printed columns 13–16 and footer an evaluation form may carry (`kinerja evaluate`).

A form shows a figure to some number of decimals ("15 %", "92,86", "1.905.955.200"). It
*agrees* with the exact recomputed value when that value, rounded half-up or truncated to the
printed decimals, equals what is printed: the seed prints 19,55 as "20 %" (rounded) and its
Tabel 3.2 prints 40,64 as "40 %" (truncated); both are how people make forms, not slips.
A printed 0 where nothing can be computed (no realisation, a target of 0) agrees too: forms
print 0 in empty cells and the audit is about arithmetic, not about blanks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import ROUND_DOWN, Decimal

from .aggregate import Aggregation
from .checks import RULE_TITLES, RULES, Finding, Severity, check_printed_totals
from .evaluation import (
    COLUMNS,
    RULE_LABELS,
    Footer,
    FooterFigure,
    RowResult,
    evaluate_row,
    footer,
)
from .form import EMPTY, AverageRule, Form, Pair, Printed
from .numbers import format_number, format_percent, round_half_up, strip_zeros

__all__ = [
    "PRINTED_RULES",
    "PRINTED_TITLES",
    "agrees",
    "check_printed",
    "decimals_of",
    "has_printed",
    "truncate",
    "written_places",
]

_ZERO = Decimal(0)


def decimals_of(value: Decimal) -> int:
    """How many decimals ``value`` is written with, trailing zeros aside (15 → 0, 0,25 → 2)."""
    if value == value.to_integral_value():
        return 0
    exponent = value.normalize().as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


def truncate(value: Decimal, places: int) -> Decimal:
    """``value`` cut (towards zero) to ``places`` decimals: 40,6374 → 40."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)


def agrees(printed: Decimal, computed: Decimal | None, *, places: int | None = None) -> bool:
    """Whether ``printed`` (shown with ``places`` decimals, by default its own) is
    ``computed`` rounded half-up or truncated to those decimals."""
    if computed is None:
        return not printed
    if places is None:
        places = decimals_of(printed)
    return printed in (round_half_up(computed, places), truncate(computed, places))


# ---- the printed columns 13–16 and footer of an evaluation form (`kinerja evaluate`) --------

PRINTED_RULES: dict[str, Severity] = {
    "total-not-sum-of-quarters": RULES["total-not-sum-of-quarters"],  # a printed column 13
    "printed-value-differs": Severity.ERROR,  # a printed column 14, 15 or 16
    "footer-differs": Severity.WARNING,  # the printed rata-rata capaian kinerja
}
PRINTED_TITLES: dict[str, str] = {
    "total-not-sum-of-quarters": RULE_TITLES["total-not-sum-of-quarters"],
    "printed-value-differs": "Angka tercetak berbeda dengan hasil hitung",
    "footer-differs": "Rata-rata tercetak berbeda dengan hasil hitung",
}
FOOTER_ROW = "rata-rata"  # the row a footer finding names
_PARTS = ("k", "rp")
_FORMULA = {
    "col14": "capaian kolom 13 terhadap target kolom 8",
    "col15": "kolom 7 + kolom 13",
    "col16": "capaian kolom 15 terhadap target Renstra kolom 6",
}
_RULES_TRIED = {  # the footer rules a printed average is tried against, as the schema lists them
    "k": tuple(AverageRule),
    "rp": (AverageRule.PROGRAM_RATIO, AverageRule.PROGRAM_MEAN, AverageRule.ALL_MEAN),
}


def written_places(value: Decimal) -> int:
    """The decimals ``value`` was written with, trailing zeros included ("19,50" → 2)."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: the reader refuses NaN and infinities
    return max(0, -exponent)


def has_printed(form: Form) -> bool:
    return form.printed_footer is not None or any(row.printed for row in form.rows)


def check_printed(form: Form, results: Sequence[RowResult], foot: Footer) -> list[Finding]:
    """Every printed figure of columns 13–16 and of the footer that disagrees with its
    computation, in row order, the footer last. A figure agrees when the computed value,
    rounded half-up or truncated to the printed decimals, equals it (``agrees``). Besides:
    - a row with realisation after the report quarter (``realisation-after-report-quarter``
      names it) may print the form's own sum of all four quarters;
    - a column 14–16 that follows from the printed figure it is made of (14 and 15 from
      column 13, 16 from column 15; a blank column 7 read as 0, as the form's formula does)
      is not flagged again: the figure it follows is;
    - a printed column 13 that differs is ``total-not-sum-of-quarters``
      (``checks.check_printed_totals``), columns 14–16 ``printed-value-differs`` and the
      footer ``footer-differs``; each names its column (``col14.k``, ``footer.rp``)."""
    found: list[Finding] = []
    quarter = form.quarter
    for result in results:
        if result.row.printed is not None:
            found.extend(_row_findings(result, result.row.printed, quarter))
    if form.printed_footer is not None:
        found.extend(_footer_findings(form, results, foot, form.printed_footer))
    return found


def _row_findings(result: RowResult, printed: Printed, quarter: int) -> list[Finding]:
    row = result.row
    later = quarter < 4 and any(p.k or p.rp for p in row.quarters[quarter:])
    # the form's own formula adds all four quarters: a printed figure that does so is the
    # form's arithmetic, and realisation-after-report-quarter already names the quarters
    literal = evaluate_row(row, 4) if later else None
    chained = _as_printed(result, printed)
    found: list[Finding] = []
    for column in COLUMNS:
        pair: Pair = getattr(printed, column)
        for part in _PARTS:
            value: Decimal | None = getattr(pair, part)
            if value is None:
                continue
            places = written_places(value)
            computed = result.value(column, part)
            if agrees(value, computed, places=places):
                continue
            if literal is not None and agrees(value, literal.value(column, part), places=places):
                continue
            if column != "col13" and agrees(value, chained.value(column, part), places=places):
                continue
            where = f"{column}.{part}"
            if column == "col13":
                core = check_printed_totals(
                    row,
                    result,
                    printed_k=value if part == "k" else None,
                    printed_rp=value if part == "rp" else None,
                )
                assert core is not None  # it does not agree, so it is not equal either
                found.append(replace(core, column=where, printed=value, computed=computed))
                continue
            label = f"Kolom {column[3:]} {'K' if part == 'k' else 'Rp'}"
            percent = column in ("col14", "col16")
            shown = format_number(value, places) + (" %" if percent else "")
            message = (
                f"{label} tercetak {shown}, hasil hitung ({_FORMULA[column]}) "
                f"{_shown(computed, percent=percent)}."
            )
            found.append(
                Finding(
                    "printed-value-differs",
                    PRINTED_RULES["printed-value-differs"],
                    row.id,
                    message,
                    where,
                    value,
                    computed,
                )
            )
    return found


def _shown(value: Decimal | None, *, percent: bool) -> str:
    """A computed figure of columns 13–16 as the plain output shows it (DESIGN §3: 2
    decimals, half-up; columns 13 and 15 without trailing zeros). A printed figure is shown
    with the decimals it was printed with."""
    if percent:
        return format_percent(value)
    return format_number(strip_zeros(None if value is None else round_half_up(value, 2)))


def _as_printed(result: RowResult, printed: Printed) -> RowResult:
    """Columns 14–16 as the form's own formulas make them from what it printed: 14 and 15
    from the printed column 13 (else the computed one), a blank column 7 read as 0; 16 from
    the printed column 15 (else that column 15). The core's own row formulas make them, on a
    row whose only quarter is that column 13 (or 15)."""
    row = result.row
    before = row.renstra_realised_before
    col13 = Pair(
        k=_first(printed.col13.k, result.col13_k),
        rp=_first(printed.col13.rp, result.col13_rp),
    )
    from_13 = evaluate_row(
        replace(
            row,
            quarters=(col13, EMPTY, EMPTY, EMPTY),
            renstra_realised_before=Pair(k=_first(before.k, _ZERO), rp=_first(before.rp, _ZERO)),
        ),
        1,
    )
    col15 = Pair(
        k=_first(printed.col15.k, from_13.col15_k),
        rp=_first(printed.col15.rp, from_13.col15_rp),
    )
    # aggregation max over one quarter and nothing before: column 15 is that quarter
    from_15 = evaluate_row(
        replace(
            row,
            quarters=(col15, EMPTY, EMPTY, EMPTY),
            renstra_realised_before=Pair(rp=_ZERO),
            aggregation=Aggregation.MAX,
        ),
        1,
    )
    return from_13._replace(col16_k=from_15.col16_k, col16_rp=from_15.col16_rp)


def _first(value: Decimal | None, otherwise: Decimal | None) -> Decimal | None:
    return otherwise if value is None else value


def _printed_rows(results: Sequence[RowResult]) -> list[RowResult]:
    """The rows as the form printed them, for the footer: column 13 where printed (column 14
    then follows from it, unrounded), else the printed column 14, else the computed ones."""
    out = []
    for result in results:
        printed = result.row.printed
        if printed is None:
            out.append(result)
            continue
        chained = _as_printed(result, printed)
        values = {}
        for part in _PARTS:
            if getattr(printed.col13, part) is not None:
                values[f"col13_{part}"] = getattr(chained, f"col13_{part}")
                values[f"col14_{part}"] = getattr(chained, f"col14_{part}")
            elif (
                getattr(printed.col14, part) is not None and result.value("col13", part) is not None
            ):
                values[f"col14_{part}"] = getattr(printed.col14, part)
        out.append(result._replace(**values))
    return out


def _footer_findings(
    form: Form, results: Sequence[RowResult], foot: Footer, printed: Pair
) -> list[Finding]:
    found = []
    rows_as_printed: list[RowResult] | None = None
    cap = form.rules.cap
    for part in _PARTS:
        value: Decimal | None = getattr(printed, part)
        if value is None:
            continue
        places = written_places(value)
        figure: FooterFigure = getattr(foot, part)
        if agrees(value, figure.value, places=places):
            continue
        what = "K" if part == "k" else "Rp"
        message = (
            f"Rata-rata capaian kinerja {what} tercetak {format_percent(value, places)}, hasil "
            f"hitung {format_percent(figure.value)} ({RULE_LABELS[figure.rule]}, aturan "
            f"{figure.rule.value})"
        )
        if rows_as_printed is None:
            rows_as_printed = _printed_rows(results)
        same = _rule_value(rows_as_printed, figure.rule, part, cap)
        other = next(
            (
                rule
                for rule in _RULES_TRIED[part]
                if rule is not figure.rule
                and agrees(value, _rule_value(results, rule, part, cap), places=places)
            ),
            None,
        )
        if agrees(value, same, places=places):
            message += (
                f"; aturan yang sama atas angka kolom yang tercetak memberi "
                f"{format_percent(same)}: rata-rata itu mengikuti angka tercetak yang berbeda "
                "dengan hasil hitung."
            )
        elif other is not None:
            message += (
                f"; angka tercetak itu sesuai dengan aturan {other.value} "
                f"({RULE_LABELS[other]}): pilih aturan itu pada «rules» bila memang itu "
                "aturannya."
            )
        else:
            message += "; tidak ada aturan rata-rata yang menghasilkannya."
        found.append(
            Finding(
                "footer-differs",
                PRINTED_RULES["footer-differs"],
                FOOTER_ROW,
                message,
                f"footer.{part}",
                value,
                figure.value,
            )
        )
    return found


def _rule_value(
    results: Sequence[RowResult], rule: AverageRule, part: str, cap: Decimal | None
) -> Decimal | None:
    figures = footer(results, rule_k=rule, rule_rp=rule, cap=cap)
    value: Decimal | None = figures.k.value if part == "k" else figures.rp.value
    return value
