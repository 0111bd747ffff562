"""What issue 16 fixed beside the audit: columns 13/15 shown rounded in `kinerja evaluate`'s
table and CSV, and the renstra-budget-exceeded message where column 16 is undefined."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from kinerja.core.aggregate import Aggregation
from kinerja.core.evaluation import evaluate_form
from kinerja.core.form import EMPTY, Form, FormRow, Level, Pair
from kinerja.core.printed import agrees, truncate
from kinerja.formoutput import to_csv, to_json_data, to_table


def _row(**kw) -> FormRow:
    base = dict(id="p", level=Level.PROGRAM, name="Program", quarters=(EMPTY,) * 4)
    return FormRow(**(base | kw))


def test_columns_13_and_15_are_shown_with_two_decimals_at_most():
    row = _row(aggregation=Aggregation.AVERAGE, year_target=Pair(k=D(2)),
               quarters=(Pair(k=D(1)), Pair(k=D(1)), Pair(k=D(2)), EMPTY))  # fmt: skip
    evaluation = evaluate_form(Form(year=2024, quarter=3, rows=(row,)))
    assert to_json_data(evaluation)["rows"][0]["col13"]["k"].startswith("1.3333333")
    cells = to_csv(evaluation).splitlines()[1].split(";")
    assert (cells[5], cells[9]) == ("1,33", "1,33")  # 13 K, 15 K (average: 15 = 13)
    assert "1,33" in to_table(evaluation) and "1,3333" not in to_table(evaluation)


def test_whole_counts_and_quarters_keep_their_own_decimals():
    row = _row(renstra_realised_before=Pair(k=D(2), rp=D(100)),
               quarters=(Pair(k=D("0.25"), rp=D(1905955200)), EMPTY, EMPTY, EMPTY))  # fmt: skip
    cells = to_csv(evaluate_form(Form(year=2024, quarter=1, rows=(row,)))).splitlines()[1]
    assert cells.split(";")[5:7] + cells.split(";")[9:11] == [
        "0,25", "1.905.955.200", "2,25", "1.905.955.300"]  # fmt: skip


@pytest.mark.parametrize(
    ("renstra", "expected"),
    [
        (D(50), "kolom 16 Rp 200,00 % berarti anggaran Renstra terlampaui, bukan prestasi."),
        (D(0), "anggaran Renstra 0 sehingga kolom 16 Rp tidak dapat dihitung."),
    ],
)
def test_renstra_budget_exceeded_names_column_16_only_where_it_exists(renstra, expected):
    row = _row(renstra_target=Pair(rp=renstra), renstra_realised_before=Pair(rp=D(60)),
               quarters=(Pair(rp=D(40)), EMPTY, EMPTY, EMPTY))  # fmt: skip
    (finding,) = evaluate_form(Form(year=2024, quarter=1, rows=(row,))).findings
    assert finding.rule == "renstra-budget-exceeded"
    assert finding.message.endswith(expected)
    assert "capaian di atas 100" not in finding.message


@pytest.mark.parametrize(
    ("printed", "computed", "places", "expected"),
    [
        ("20", "19.55", None, True),  # rounded
        ("40", "40.64", None, True),  # truncated
        ("41", "40.64", None, True),  # rounded
        ("42", "40.64", None, False),
        ("92.86", "92.857142", None, True),
        ("92.85", "92.857142", None, True),  # truncated
        ("92.8", "92.857142", None, True),  # one decimal printed: cut to 92,8
        ("92.7", "92.857142", None, False),
        ("25", "0.25", None, False),
        ("0", None, None, True),  # a printed 0 where nothing can be computed
        ("3", None, None, False),
        ("14", "14.04", 0, True),
        ("15", "14.04", 0, False),
    ],
)
def test_a_printed_figure_agrees_when_rounded_or_truncated(printed, computed, places, expected):
    value = None if computed is None else D(computed)
    assert agrees(D(printed), value, places=places) is expected


def test_truncate_cuts_towards_zero():
    assert (truncate(D("40.6374"), 0), truncate(D("-1.29"), 1)) == (D(40), D("-1.2"))
