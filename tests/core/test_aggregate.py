from decimal import Decimal as D

import pytest

from kinerja.core.aggregate import (
    Aggregation,
    aggregate,
    explain_aggregate,
    later_quarters_with_values,
)


def _d(values):
    return [None if v is None else D(v) for v in values]


@pytest.mark.parametrize(
    ("values", "quarter", "aggregation", "expected"),
    [
        (["1", "2", "3", "4"], 4, Aggregation.SUM, "10"),
        (["1", "2", "3", "4"], 2, Aggregation.SUM, "3"),
        (["1", None, "3", None], 4, Aggregation.SUM, "4"),
        ([None, None, None, None], 4, Aggregation.SUM, None),
        (["0", None, None, None], 1, Aggregation.SUM, "0"),
        (["60", "70", None, "90"], 3, Aggregation.LAST, "70"),
        (["60", "70", "65", "90"], 3, Aggregation.LAST, "65"),
        (["60", "70", "65", "90"], 3, Aggregation.MAX, "70"),
        (["60", None, "90", "100"], 3, Aggregation.AVERAGE, "75"),
        (["1", "2", "2", None], 3, Aggregation.AVERAGE, "1.666666666666666666666666667"),
        ([None, None, "5", "7"], 2, Aggregation.LAST, None),
    ],
)
def test_aggregate_counts_only_quarters_up_to_the_report_quarter(
    values, quarter, aggregation, expected
):
    got = aggregate(_d(values), quarter=quarter, aggregation=aggregation)
    assert got == (None if expected is None else D(expected))


def test_later_quarters_with_values_ignores_zeros_and_missing():
    assert later_quarters_with_values(_d(["1", "0", "0.5", None]), quarter=1) == [3]
    assert later_quarters_with_values(_d(["1", "0", "0", None]), quarter=1) == []
    assert later_quarters_with_values(_d(["1", "2", "3", "4"]), quarter=4) == []


def test_explain_aggregate_lists_quarters_and_what_was_ignored():
    text = explain_aggregate(_d(["0", None, "0.5", "0.5"]), quarter=1)
    assert text == ("realisasi s.d. TW I = jumlah triwulan (TW I 0) = 0; diabaikan: TW III, IV")
    text = explain_aggregate(_d([None, None, None, None]), quarter=2)
    assert text == (
        "realisasi s.d. TW II = jumlah triwulan (TW I -; TW II -) = - "
        "(belum ada triwulan yang dilaporkan)"
    )


def test_known_sum_is_none_only_when_every_value_is_missing():
    from kinerja.core.aggregate import known_sum

    assert known_sum([None, None]) is None
    assert known_sum([]) is None
    assert known_sum([None, D("0")]) == D("0")  # a zero is a value
    assert known_sum([D("1.5"), None, D("2")]) == D("3.5")


def test_running_totals_stop_at_the_first_missing_quarter():
    from kinerja.core.aggregate import running_totals

    d = D
    assert running_totals([d(1), d(2), d(3)]) == [d(1), d(3), d(6)]
    # TW II without a cash plan: the plan s.d. TW II and after is unknown, not 1
    assert running_totals([d(1), None, d(3)]) == [d(1), None, None]
    assert running_totals([None, d(2)]) == [None, None]
    assert running_totals([]) == []
