from decimal import Decimal as D

import pytest

from kinerja.core.scales import (
    IP_ASN,
    NILAI_SAKIP,
    PREDIKAT_CAPAIAN,
    SISTEM_MERIT_INDEKS,
    SISTEM_MERIT_NILAI,
    Band,
    Scale,
    ScaleError,
)


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("0", "Sangat Rendah"),
        ("18.75", "Sangat Rendah"),
        ("19.55", "Sangat Rendah"),
        ("50", "Sangat Rendah"),
        ("50.0001", "Rendah"),
        ("50.5", "Rendah"),  # the published table's gap 50–51
        ("65", "Rendah"),
        ("70.24", "Sedang"),
        ("75", "Sedang"),
        ("90", "Tinggi"),
        ("90.5", "Sangat Tinggi"),
        ("100", "Sangat Tinggi"),
        ("237.15", "Sangat Tinggi"),  # above 100 stays in the top band
        ("-5", "Sangat Rendah"),
    ],
)
def test_predikat_capaian_bands(value, label):
    assert PREDIKAT_CAPAIAN.label(D(value)) == label


def test_classification_uses_the_unrounded_value():
    # 50,004 shows as "50,00" but is above 50: Rendah, not Sangat Rendah
    assert PREDIKAT_CAPAIAN.label(D("50.004")) == "Rendah"


@pytest.mark.parametrize(
    ("scale", "value", "label"),
    [
        (IP_ASN, "59", "Sangat Rendah"),
        (IP_ASN, "60", "Sangat Rendah"),
        (IP_ASN, "84", "Tinggi"),
        (IP_ASN, "91", "Sangat Tinggi"),
        (NILAI_SAKIP, "89.95", "A"),
        (NILAI_SAKIP, "30", "D"),
        (NILAI_SAKIP, "30.01", "C"),
        (NILAI_SAKIP, "90.01", "AA"),
        (SISTEM_MERIT_NILAI, "174.99", "I (Buruk)"),
        (SISTEM_MERIT_NILAI, "175", "II (Kurang)"),  # [lo, hi): 175 opens band II
        (SISTEM_MERIT_NILAI, "325", "IV (Sangat Baik)"),
        (SISTEM_MERIT_INDEKS, "0.40", "I (Buruk)"),
        (SISTEM_MERIT_INDEKS, "0.70", "III (Baik)"),
        (SISTEM_MERIT_INDEKS, "0.81", "IV (Sangat Baik)"),
    ],
)
def test_built_in_scales(scale, value, label):
    assert scale.label(D(value)) == label


def test_none_has_no_band():
    assert PREDIKAT_CAPAIAN.classify(None) is None


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ((Band("a", None, D(50)), Band("b", D(51), None)), "celah"),
        ((Band("a", None, D(50)), Band("b", D(40), None)), "tumpang tindih"),
        ((Band("a", D(0), D(50)), Band("b", D(50), None)), "terbuka ke bawah"),
        ((Band("a", None, D(50)), Band("b", D(50), D(100))), "terbuka ke atas"),
        ((Band("a", None, D(50)), Band("b", D(50), D(50)), Band("c", D(50), None)), "kosong"),
        ((), "tanpa rentang"),
    ],
)
def test_a_scale_with_gaps_overlaps_or_closed_ends_is_refused(bands, message):
    with pytest.raises(ScaleError, match=message):
        Scale(id="x", name="x", bands=bands)


def test_describe_band():
    band = PREDIKAT_CAPAIAN.classify(D(60))
    assert PREDIKAT_CAPAIAN.describe(band) == "50 < x ≤ 65"
    band = SISTEM_MERIT_NILAI.classify(D(200))
    assert SISTEM_MERIT_NILAI.describe(band) == "175 ≤ x < 250"
