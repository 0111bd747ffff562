"""Golden tests: the seed's whole appendix (TW I 2024, BKPSDM Sumenep) through the core.

The expected values in ``golden/seed_tw1_2024_expected.csv`` were taken from the seed's own
recomputation (``docs/seed.md``) with the differences DESIGN §3 makes on
purpose (Program Penunjang TW I K = 15; quarters after TW I not counted; sub-kegiatan col 15
= 7 + 13; blanks are None, not 0). They are literals, not produced by this code.
"""

import csv
from decimal import Decimal as D
from pathlib import Path

import pytest

from kinerja.core import evaluate_form, round_half_up
from kinerja.formfile import load_form

GOLDEN = Path(__file__).parent / "golden" / "seed_tw1_2024_expected.csv"
FIELDS = ["col13_k", "col13_rp", "col14_k", "col14_rp", "col15_k", "col15_rp", "col16_k",
          "col16_rp"]  # fmt: skip


@pytest.fixture(scope="module")
def seed_evaluation():
    return evaluate_form(load_form(str(Path(__file__).parents[2] / "examples/seed-tw1-2024.json")))


def _golden_rows():
    with GOLDEN.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_the_seed_example_holds_the_whole_appendix(seed_evaluation):
    levels = [r.row.level.value for r in seed_evaluation.rows]
    assert (levels.count("program"), levels.count("kegiatan"), levels.count("sub_kegiatan")) == (
        3,
        13,
        45,
    )
    assert [r.row.id for r in seed_evaluation.rows] == [g["id"] for g in _golden_rows()]


@pytest.mark.parametrize("golden", _golden_rows(), ids=lambda g: g["id"])
def test_every_seed_row_matches_the_golden_columns_13_to_16(seed_evaluation, golden):
    result = next(r for r in seed_evaluation.rows if r.row.id == golden["id"])
    got = {
        f: (None if getattr(result, f) is None else round_half_up(getattr(result, f), 2))
        for f in FIELDS
    }
    expected = {f: (None if golden[f] == "" else D(golden[f])) for f in FIELDS}
    assert got == expected


@pytest.mark.parametrize(
    ("row_id", "field", "expected"),
    [
        ("5.03.01#3", "col13_k", "15"),  # Program Penunjang, TW I K = 15
        ("5.03.01#3", "col15_k", "115"),
        ("5.03.02.2.01#31", "col13_k", "0.25"),  # printed 25
        ("5.03.02.2.04.0007#53", "col13_k", "500"),  # printed 0
        ("5.04.02.2.02#62", "col13_k", "0"),  # TW III/IV not counted in TW I
        ("5.03.01.2.02.0005#9", "col13_rp", None),  # blank is not zero
        ("5.03.01.2.05.0002#11", "col13_k", None),
        ("5.03.01.2.05.0009#12", "col14_rp", None),
    ],
)
def test_the_seed_corrections(seed_evaluation, row_id, field, expected):
    result = next(r for r in seed_evaluation.rows if r.row.id == row_id)
    assert getattr(result, field) == (None if expected is None else D(expected))


def test_seed_footer_is_19_55_and_11_80_both_sangat_rendah(seed_evaluation):
    foot = seed_evaluation.footer
    assert round_half_up(foot.k.value, 2) == D("19.55")
    assert round_half_up(foot.rp.value, 2) == D("11.80")
    assert (foot.k.rating, foot.rp.rating) == ("Sangat Rendah", "Sangat Rendah")
    assert (foot.k.rule.value, foot.rp.rule.value) == ("program_mean", "program_ratio")
    assert foot.rp.explain() == (
        "Σ kolom 13 Rp ÷ Σ kolom 8 Rp baris program × 100: 1.443.040.145 ÷ 12.233.732.131 × 100 "
        "= 11,80 %; predikat Sangat Rendah (aturan program_ratio)"
    )


def test_seed_findings_are_exactly_those_of_the_seed_readme(seed_evaluation):
    got = [(f.rule, f.row) for f in seed_evaluation.findings]
    assert got == [
        ("parent-not-sum-of-children", "5.03.01#3"),
        ("parent-not-sum-of-children", "5.03.01.2.02#7"),
        ("unit-mismatch", "5.03.01.2.02.0000#8"),
        ("renstra-budget-exceeded", "5.03.01.2.07#21"),
        ("renstra-budget-exceeded", "5.03.01.2.09#27"),
        ("renstra-budget-exceeded", "5.03.02.2.03#42"),
        ("realisation-after-report-quarter", "5.04.02.2.02#62"),
    ]


def test_seed_finding_messages_name_the_figures(seed_evaluation):
    by_row = {f.row: f for f in seed_evaluation.findings if f.rule != "renstra-budget-exceeded"}
    assert by_row["5.03.01#3"].message == (
        "Rp program tidak sama dengan jumlah kegiatan di bawahnya: "
        "kolom 6 Rp 39.702.120.882 ≠ Σ 39.671.819.377; kolom 7 Rp 8.148.703.782 ≠ Σ 9.689.430.263."
    )
    assert by_row["5.03.01.2.02#7"].message == (
        "Rp kegiatan tidak sama dengan jumlah sub kegiatan di bawahnya: "
        "kolom 7 Rp 7.145.134.537 ≠ Σ 9.341.143.879."
    )
    assert by_row["5.04.02.2.02#62"].message == (
        "Ada realisasi pada triwulan sesudah TW I (TW III K 0,5; TW IV K 0,5); "
        "nilai itu tidak dihitung dalam laporan ini."
    )
    assert by_row["5.03.01.2.02.0000#8"].severity.value == "warning"


def test_every_figure_of_a_seed_row_explains_itself(seed_evaluation):
    from kinerja.core import explain_row

    result = next(r for r in seed_evaluation.rows if r.row.id == "5.03.02#30")
    text = explain_row(result)
    assert sorted(text) == ["col13.k", "col13.rp", "col14.k", "col14.rp", "col15.k", "col15.rp",
                            "col16.k", "col16.rp"]  # fmt: skip
    assert text["col14.k"] == (
        "kolom 14 K: capaian = 15 / 70 × 100 = 21,43 % (polaritas: makin tinggi makin baik) "
        "(kolom 13 terhadap target kolom 8) [aturan DESIGN §3 v1]"
    )
    assert text["col16.k"] == (
        "kolom 16 K: capaian = 80,63 / 65 × 100 = 124,05 % (polaritas: makin tinggi makin baik) "
        "(kolom 15 terhadap target Renstra kolom 6) [aturan DESIGN §3 v1]"
    )
