from decimal import Decimal as D

import pytest

from kinerja.core.composite import (
    SAKIP_COMPONENTS,
    SISTEM_MERIT_ASPECTS,
    CompositeError,
    ip_asn,
    nilai_sakip,
    sistem_merit,
    sistem_merit_indeks,
    sistem_merit_indeks_category,
)
from kinerja.core.numbers import round_half_up


def test_ip_asn_is_the_weighted_sum_of_its_dimensions():
    got = ip_asn({"Kualifikasi": D(60), "Kompetensi": D(50), "Kinerja": D(70), "Disiplin": D(80)})
    # 0,25×60 + 0,40×50 + 0,30×70 + 0,05×80 = 15 + 20 + 21 + 4
    assert got.value == D(60)
    assert got.category == "Sangat Rendah"
    assert got.explain() == (
        "Indeks Profesionalitas ASN = Kualifikasi 15,00 + Kompetensi 20,00 + Kinerja 21,00 "
        "+ Disiplin 4,00 = 60,00; kategori Sangat Rendah "
        "(Indeks Profesionalitas ASN (PermenPANRB 38/2018))"
    )


def test_ip_asn_refuses_missing_dimensions_and_scores_out_of_range():
    with pytest.raises(CompositeError, match="kurang Disiplin"):
        ip_asn({"Kualifikasi": D(60), "Kompetensi": D(50), "Kinerja": D(70)})
    with pytest.raises(CompositeError, match="0–100"):
        ip_asn({"Kualifikasi": D(160), "Kompetensi": D(50), "Kinerja": D(70), "Disiplin": D(1)})


def test_sistem_merit_nilai_indeks_and_category():
    scores = {name: [D(3), D(4)] for name in SISTEM_MERIT_ASPECTS}  # mean 3,5 everywhere
    got = sistem_merit(scores)
    assert got.value == D(350)
    assert got.category == "IV (Sangat Baik)"
    assert round_half_up(sistem_merit_indeks(got.value), 4) == D("0.8667")  # (350 − 25) / 375
    all_ones = sistem_merit({name: [D(1)] for name in SISTEM_MERIT_ASPECTS})
    assert all_ones.value == D(100)
    assert sistem_merit_indeks(all_ones.value) == D("0.2")
    assert sistem_merit_indeks(D(400)) == D(1)
    assert sistem_merit_indeks_category(D("0.70")) == "III (Baik)"


def test_sistem_merit_weights_the_aspects():
    scores = {name: [D(1)] for name in SISTEM_MERIT_ASPECTS}
    scores["Pengembangan Karier"] = [D(4)]  # weight 25 %: +0,25 × 3 × 100
    assert sistem_merit(scores).value == D(175)
    scores["Pengembangan Karier"] = [D(4), D(1)]
    got = sistem_merit(scores, sub_weights={"Pengembangan Karier": [D(3), D(1)]})
    # (4×3 + 1×1) / 4 = 3,25 → 100 + 0,25 × 2,25 × 100
    assert got.value == D("156.25")


def test_sistem_merit_refuses_scores_outside_1_to_4():
    scores = {name: [D(1)] for name in SISTEM_MERIT_ASPECTS}
    scores["Pengadaan"] = [D(5)]
    with pytest.raises(CompositeError, match="1–4"):
        sistem_merit(scores)


def test_nilai_sakip_weights_components_and_parts():
    all_a = {c: {"Pemenuhan": ["A"], "Kualitas": ["A"], "Pemanfaatan": ["A"]}
             for c in SAKIP_COMPONENTS}  # fmt: skip
    assert nilai_sakip(all_a).value == D(100)
    mixed = {c: {"Pemenuhan": ["A", "A"], "Kualitas": ["B"], "Pemanfaatan": ["C", "E"]}
             for c in SAKIP_COMPONENTS}  # fmt: skip
    # per component: 0,2×1 + 0,3×0,75 + 0,5×0,25 = 0,55 → 55 of 100
    got = nilai_sakip(mixed)
    assert got.value == D(55)
    assert got.category == "CC"


def test_nilai_sakip_refuses_unknown_answers():
    bad = {c: {"Pemenuhan": ["A"], "Kualitas": ["A"], "Pemanfaatan": ["F"]}
           for c in SAKIP_COMPONENTS}  # fmt: skip
    with pytest.raises(CompositeError, match="tidak dikenal"):
        nilai_sakip(bad)
