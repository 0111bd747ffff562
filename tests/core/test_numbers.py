from decimal import Decimal as D

import pytest

from kinerja.core.numbers import (
    K_BOUND,
    RP_BOUND,
    InvalidNumber,
    Quantity,
    check_value,
    format_declared,
    format_number,
    format_percent,
    parse_number,
    parse_quantity,
    round_half_up,
    to_plain,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.905.955.200", D("1905955200")),
        ("89,95", D("89.95")),
        ("0,70", D("0.70")),
        ("1905955200", D("1905955200")),
        ("65,63", D("65.63")),
        ("1.895", D("1895")),
        ("1.097.270.221,5", D("1097270221.5")),
        ("  42 ", D("42")),
        ("-3,5", D("-3.5")),
        ("0", D("0")),
        ("-", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_parse_number_reads_indonesian_format(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1,905,955,200", "format angka Inggris"),
        ("1,905,955.20", "format angka Inggris"),
        ("1.2.3,4", "bukan angka dalam format Indonesia"),
        ("1.5", "ambigu"),
        ("12.34", "ambigu"),
        ("1.2345", "ambigu"),
        ("NaN", "bukan angka"),
        ("Infinity", "bukan angka"),
        ("1e999", "bukan angka"),
        ("12,", "bukan angka"),
        (",5", "bukan angka"),
        ("1 000", "bukan angka"),
        ("abc", "bukan angka"),
        ("1.000.000.000.000.000.000", "nilai K paling besar 1.000.000.000.000"),
    ],
)
def test_parse_number_refuses_malformed_input_in_indonesian(text, words):
    with pytest.raises(InvalidNumber) as info:
        parse_number(text)
    assert words in str(info.value)


# ---- one bound per kind (issue 12) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "money", "expected"),
    [
        ("999.999.999.999.999,99", True, D("999999999999999.99")),
        ("12.345.678.901.234,56", True, D("12345678901234.56")),
        ("0", True, D(0)),
        ("0,01", True, D("0.01")),
        ("1.000.000.000.000", False, D(10**12)),
        ("-1.000.000.000.000", False, D(-(10**12))),
        ("0,000001", False, D("0.000001")),
        ("-0,000001", False, D("-0.000001")),
        ("999.999.999.999,999999", False, D("999999999999.999999")),
    ],
)
def test_the_extremes_of_each_bound_are_read_exactly(text, money, expected):
    value = parse_number(text, money=money)
    assert value == expected
    assert value.as_tuple() == expected.as_tuple()  # no digit lost or added


@pytest.mark.parametrize(
    ("text", "money", "message"),
    [
        ("1.000.000.000.000.000", True,
         "«1.000.000.000.000.000»: nilai rupiah paling besar 999.999.999.999.999,99."),
        ("999.999.999.999.999,991", True,
         "«999.999.999.999.999,991»: nilai rupiah paling besar 999.999.999.999.999,99."),
        ("1,005", True, "«1,005»: nilai rupiah paling banyak 2 angka di belakang koma."),
        ("1.000.000.000.000,000001", False, "«1.000.000.000.000,000001»: nilai K paling besar "
         "1.000.000.000.000 dan paling kecil -1.000.000.000.000."),
        ("-1.000.000.000.001", False, "«-1.000.000.000.001»: nilai K paling besar "
         "1.000.000.000.000 dan paling kecil -1.000.000.000.000."),
        ("999.999.999.999.999", False, "«999.999.999.999.999»: nilai K paling besar "
         "1.000.000.000.000 dan paling kecil -1.000.000.000.000."),
        ("0,0000001", False, "«0,0000001»: nilai K paling banyak 6 angka di belakang koma."),
    ],
)  # fmt: skip
def test_one_past_a_bound_is_refused_naming_the_limit_in_indonesian(text, money, message):
    with pytest.raises(InvalidNumber) as info:
        parse_number(text, money=money)
    assert str(info.value) == message


def test_the_bounds_are_the_ones_the_issue_names():
    assert (K_BOUND.low, K_BOUND.high, K_BOUND.places) == (D(-(10**12)), D(10**12), 6)
    assert (RP_BOUND.low, RP_BOUND.high, RP_BOUND.places) == (
        D(0), D("999999999999999.99"), 2)  # fmt: skip


def test_check_value_applies_the_same_bounds_to_numbers_from_files_and_code():
    assert check_value(D("999999999999999.99"), money=True) == D("999999999999999.99")
    with pytest.raises(InvalidNumber, match="paling besar 999.999.999.999.999,99"):
        check_value(D("1000000000000000"), money=True)
    with pytest.raises(InvalidNumber, match="paling banyak 6 angka"):
        check_value(D("0.1000000000000000055511151231257827"))  # a float's Decimal
    assert check_value(D("1.5000000")) == D("1.5")  # trailing zeros are not digits lost


@pytest.mark.parametrize(
    "text",
    ["١٢٣", "۱۲۳", "१२३", "１２３", "12٣", "5²", "1.٠٠٠", "٣ Dokumen"],
)
def test_only_the_digits_0_to_9_are_read(text):
    with pytest.raises(InvalidNumber, match="bukan angka 0–9"):
        parse_quantity(text) if " " in text else parse_number(text)


def test_a_unit_may_still_contain_other_digits():
    assert parse_quantity("5 m²") == Quantity(D(5), "m²")


def test_a_negative_k_is_refused_where_it_is_not_allowed():
    assert parse_number("-940") == D(-940)
    with pytest.raises(InvalidNumber, match="tidak boleh negatif"):
        parse_number("-940", negative=False)
    assert parse_number("940", negative=False) == D(940)
    assert parse_quantity("-2 Dokumen").value == D(-2)
    with pytest.raises(InvalidNumber, match="tidak boleh negatif"):
        parse_quantity("-2 Dokumen", negative=False)


def test_parse_number_refuses_negative_money_but_not_negative_quantities():
    assert parse_number("-5") == D(-5)
    with pytest.raises(InvalidNumber, match="tidak boleh negatif"):
        parse_number("-5", money=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 Dokumen", Quantity(D(2), "Dokumen")),
        ("15 %", Quantity(D(15), "%")),
        ("15%", Quantity(D(15), "%")),
        ("73 Orang/bulan", Quantity(D(73), "Orang/bulan")),
        ("0,25 Laporan", Quantity(D("0.25"), "Laporan")),
        ("1.700 Dokumen", Quantity(D(1700), "Dokumen")),
        ("12", Quantity(D(12), None)),
        ("-", Quantity(None, None)),
        ("", Quantity(None, None)),
    ],
)
def test_parse_quantity_splits_value_and_unit(text, expected):
    assert parse_quantity(text) == expected


def test_parse_quantity_refuses_a_malformed_number_before_the_unit():
    with pytest.raises(InvalidNumber, match="format angka Inggris"):
        parse_quantity("1,905,955,200 Rupiah")
    with pytest.raises(InvalidNumber):
        parse_quantity("Dokumen")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("70.235", 2, "70.24"),
        ("70.245", 2, "70.25"),
        ("-70.235", 2, "-70.24"),
        ("19.55026455", 2, "19.55"),
        ("0.005", 2, "0.01"),
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
    ],
)
def test_round_half_up_rounds_half_away_from_zero(value, places, expected):
    assert round_half_up(D(value), places) == D(expected)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("1905955200", None, "1.905.955.200"),
        ("70.238095", 2, "70,24"),
        ("89.95", None, "89,95"),
        ("0.25", None, "0,25"),
        ("0.250", None, "0,25"),
        ("15", None, "15"),
        ("1E+2", None, "100"),
        ("1443040145", 0, "1.443.040.145"),
        ("1234.5", 2, "1.234,50"),
        ("-0.001", 2, "0,00"),
        ("-1234.5", 2, "-1.234,50"),
    ],
)
def test_format_number_writes_indonesian_format(value, places, expected):
    assert format_number(D(value), places) == expected


def test_format_number_and_percent_show_missing_as_a_dash():
    assert format_number(None) == "-"
    assert format_percent(None) == "-"
    assert format_percent(D("70.238095")) == "70,24 %"


def test_to_plain_never_uses_exponent_notation():
    assert to_plain(D("1E+2")) == "100"
    assert to_plain(D("1E-7")) == "0.0000001"
    assert to_plain(None) is None


@pytest.mark.parametrize(
    ("value", "money", "shown"),
    [
        ("1e-999999999", False, "«1E-999999999»: nilai K paling banyak 6 angka di belakang koma."),
        ("-1e-999999999", False, "«-1E-999999999»: nilai K paling banyak 6 angka"),
        ("1e-999999999", True, "«1E-999999999»: nilai rupiah paling banyak 2 angka"),
        ("12.5E-9", False, "«0,0000000125»: nilai K paling banyak 6 angka"),
    ],
)
def test_a_tiny_value_is_refused_for_its_decimals_and_named_as_written(value, money, shown):
    """normalize() underflows 1e-999999999 to 0, which has no decimals: the count must come
    from the value's own digits; and the message must not print a billion zeros."""
    with pytest.raises(InvalidNumber) as caught:
        check_value(D(value), money=money)
    assert str(caught.value).startswith(shown)
    assert len(str(caught.value)) < 120


@pytest.mark.parametrize("value", ["0E-50", "1.500000", "1E+5", "-0.000001"])
def test_trailing_zeros_and_zero_in_any_exponent_are_not_decimals(value):
    assert check_value(D(value)) == D(value)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("0.7", 2, "0,70"),  # the seed's Indeks Penilaian Sistem Merit, declared 2
        ("0.45", 2, "0,45"),
        ("89.9", 2, "89,90"),
        ("15", 0, "15"),
        ("1905955200", 0, "1.905.955.200"),
        ("0.705", 2, "0,705"),  # a declaration pads; it never hides an entered digit
        ("0.000", 0, "0"),
        ("0.25", None, "0,25"),  # none declared: as entered
        ("15.000000", None, "15"),
    ],
)
def test_format_declared_pads_to_the_declared_decimals(value, decimals, expected):
    assert format_declared(D(value), decimals) == expected


def test_format_declared_prints_a_missing_value_as_a_dash():
    assert format_declared(None, 2) == "-"
