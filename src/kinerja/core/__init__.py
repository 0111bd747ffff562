"""Kinerja's calculation core: pure Python over Decimal, no Django, no clock, no I/O.

Every figure a screen, report, API or command shows is computed here (DESIGN §3).
"""

from .achievement import Polarity, Target, achievement, capped, explain_achievement, percent_of
from .aggregate import Aggregation, aggregate
from .checks import Finding, Severity, check_form
from .evaluation import Evaluation, RowResult, evaluate_form, evaluate_row, explain_row, footer
from .form import AverageRule, Form, FormError, FormRow, Level, Pair, Rules
from .numbers import (
    InvalidNumber,
    Quantity,
    format_number,
    format_percent,
    parse_number,
    parse_quantity,
    round_half_up,
)
from .scales import PREDIKAT_CAPAIAN, SCALES, Scale

__all__ = [
    "PREDIKAT_CAPAIAN",
    "SCALES",
    "Aggregation",
    "AverageRule",
    "Evaluation",
    "Finding",
    "Form",
    "FormError",
    "FormRow",
    "InvalidNumber",
    "Level",
    "Pair",
    "Polarity",
    "Quantity",
    "RowResult",
    "Rules",
    "Scale",
    "Severity",
    "Target",
    "achievement",
    "aggregate",
    "capped",
    "check_form",
    "evaluate_form",
    "evaluate_row",
    "explain_achievement",
    "explain_row",
    "footer",
    "format_number",
    "format_percent",
    "parse_number",
    "parse_quantity",
    "percent_of",
    "round_half_up",
]
