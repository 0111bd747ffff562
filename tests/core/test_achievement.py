from decimal import Decimal as D

import pytest

from kinerja.core.achievement import (
    Polarity,
    Target,
    achievement,
    capped,
    explain_achievement,
    percent_of,
)
from kinerja.core.numbers import round_half_up


def _rounded(value):
    return None if value is None else round_half_up(value, 2)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("84", "59", "70.24"),
        ("100", "90.5", "90.50"),
        ("96", "18", "18.75"),
        ("100", "115", "115.00"),
        ("0.70", "0.70", "100.00"),
        ("5", "0", "0.00"),
        ("0", "5", None),
        ("0", "0", None),
        ("84", None, None),
    ],
)
def test_achievement_higher_is_better(target, actual, expected):
    got = achievement(
        target=Target(D(target)), actual=None if actual is None else D(actual),
        polarity=Polarity.HIGHER,
    )  # fmt: skip
    assert _rounded(got) == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("10", "8", "120.00"),  # (2 − 0,8) × 100
        ("10", "10", "100.00"),
        ("10", "15", "50.00"),
        ("10", "20", "0.00"),
        ("10", "25", "0.00"),  # floored at 0
        ("0", "0", "100.00"),
        ("0", "3", "0.00"),
        ("10", None, None),
    ],
)
def test_achievement_lower_is_better(target, actual, expected):
    got = achievement(
        target=Target(D(target)), actual=None if actual is None else D(actual),
        polarity=Polarity.LOWER,
    )  # fmt: skip
    assert _rounded(got) == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("lo", "hi", "actual", "polarity", "expected"),
    [
        ("80", "90", "85", Polarity.HIGHER, "100.00"),
        ("80", "90", "80", Polarity.HIGHER, "100.00"),
        ("80", "90", "90", Polarity.HIGHER, "100.00"),
        ("80", "90", "60", Polarity.HIGHER, "75.00"),  # 60 / 80
        ("80", "90", "99", Polarity.HIGHER, "110.00"),  # 99 / 90
        ("10", "20", "15", Polarity.LOWER, "100.00"),
        ("10", "20", "5", Polarity.LOWER, "150.00"),  # (2 − 5/10)
        ("10", "20", "30", Polarity.LOWER, "50.00"),  # (2 − 30/20)
    ],
)
def test_achievement_of_a_range_target(lo, hi, actual, polarity, expected):
    got = achievement(target=Target(D(lo), D(hi)), actual=D(actual), polarity=polarity)
    assert _rounded(got) == D(expected)


def test_a_range_whose_upper_bound_is_below_its_lower_bound_is_refused():
    with pytest.raises(ValueError, match="batas atas"):
        Target(D(10), D(5))


def test_achievement_is_not_rounded():
    assert achievement(target=Target(D(84)), actual=D(59)) == D(5900) / D(84)


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [("1443040145", "12233732131", "11.80"), ("5", "0", None), (None, "5", None),
     ("5", None, None)],
)  # fmt: skip
def test_percent_of(part, whole, expected):
    got = percent_of(None if part is None else D(part), None if whole is None else D(whole))
    assert _rounded(got) == (None if expected is None else D(expected))


def test_capped_limits_only_values_above_the_cap():
    assert capped(D(115), D(100)) == D(100)
    assert capped(D(95), D(100)) == D(95)
    assert capped(D(115), None) == D(115)
    assert capped(None, D(100)) is None


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"target": Target(D(84)), "actual": D(59)},
            "capaian = 59 / 84 × 100 = 70,24 % (polaritas: makin tinggi makin baik)",
        ),
        (
            {"target": Target(D(10)), "actual": D(8), "polarity": Polarity.LOWER},
            "capaian = (2 − 8 / 10) × 100 = 120,00 % (polaritas: makin rendah makin baik)",
        ),
        (
            {"target": Target(D(10)), "actual": D(30), "polarity": Polarity.LOWER},
            "capaian = (2 − 30 / 10) × 100 = 0,00 % (batas bawah 0) "
            "(polaritas: makin rendah makin baik)",
        ),
        (
            {"target": Target(D(84)), "actual": None},
            "capaian = - : realisasi belum dilaporkan (polaritas: makin tinggi makin baik)",
        ),
        (
            {"target": Target(D(0)), "actual": D(5)},
            "capaian = - : target 0 tidak dapat menjadi pembagi "
            "(polaritas: makin tinggi makin baik)",
        ),
        (
            {"target": Target(D(80), D(90)), "actual": D(85)},
            "capaian = 100 % karena realisasi 85 berada dalam rentang target 80–90 "
            "(polaritas: makin tinggi makin baik)",
        ),
        (
            {"target": Target(D(80), D(90)), "actual": D(60)},
            "realisasi 60 di bawah batas bawah rentang 80–90, maka T = 80: "
            "capaian = 60 / 80 × 100 = 75,00 % (polaritas: makin tinggi makin baik)",
        ),
    ],
)
def test_explain_achievement_says_formula_inputs_and_polarity(kwargs, expected):
    assert explain_achievement(**kwargs) == expected
