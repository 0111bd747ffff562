"""A hand-made TW III form (tests/fixtures/tw3-2025.json) with literal expected values,
computed by hand outside this code: every aggregation, lower-is-better, range targets,
zero targets, None quarters, a value after the report quarter, every footer rule, a cap."""

import json
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from kinerja.core import AverageRule, Rules, evaluate_form, explain_row, footer, round_half_up
from kinerja.formfile import load_form

FIXTURES = Path(__file__).parents[1] / "fixtures"
EXPECTED = json.loads((FIXTURES / "tw3-2025.expected.json").read_text(encoding="utf-8"))
FIELDS = ["col13_k", "col13_rp", "col14_k", "col14_rp", "col15_k", "col15_rp", "col16_k",
          "col16_rp"]  # fmt: skip


@pytest.fixture(scope="module")
def form():
    return load_form(str(FIXTURES / "tw3-2025.json"))


@pytest.fixture(scope="module")
def evaluation(form):
    return evaluate_form(form)


def _r2(value):
    return None if value is None else str(round_half_up(value, 2))


@pytest.mark.parametrize("row_id", list(EXPECTED["rows"]))
def test_each_row_matches_the_hand_computed_columns(evaluation, row_id):
    result = next(r for r in evaluation.rows if r.row.id == row_id)
    assert {f: _r2(getattr(result, f)) for f in FIELDS} == EXPECTED["rows"][row_id]


def test_the_fixture_covers_every_aggregation_polarity_and_a_range(form):
    assert {r.aggregation.value for r in form.rows} == {"sum", "last", "average", "max"}
    assert {r.polarity.value for r in form.rows} == {"higher", "lower"}
    assert any(r.year_target.k_upper is not None for r in form.rows)
    assert len(form.rows) >= 12


@pytest.mark.parametrize("cap", [None, "100"])
@pytest.mark.parametrize("part", ["k", "rp"])
def test_every_footer_rule(evaluation, cap, part):
    key = "footers" if cap is None else "footers_cap_100"
    for rule, expected in EXPECTED[key][part].items():
        foot = footer(
            evaluation.rows,
            rule_k=AverageRule(rule) if part == "k" else AverageRule.PROGRAM_MEAN,
            rule_rp=AverageRule(rule) if part == "rp" else AverageRule.PROGRAM_RATIO,
            cap=None if cap is None else D(cap),
        )
        figure = foot.k if part == "k" else foot.rp
        assert (rule, _r2(figure.value)) == (rule, expected)


def test_the_form_rules_choose_the_footer(form):
    rules = Rules(average_k=AverageRule.PAGU_WEIGHTED, average_rp=AverageRule.ALL_MEAN,
                  cap=D(100))  # fmt: skip
    got = evaluate_form(replace(form, rules=rules)).footer
    assert _r2(got.k.value) == EXPECTED["footers_cap_100"]["k"]["pagu_weighted"]
    assert _r2(got.rp.value) == EXPECTED["footers_cap_100"]["rp"]["all_mean"]
    assert got.k.explain().endswith("(aturan pagu_weighted)")
    assert "dibatasi 100 %" in got.k.explain()


def test_the_fixture_findings(evaluation):
    assert [[f.rule, f.row] for f in evaluation.findings] == EXPECTED["findings"]


def test_explain_row_with_keys_gives_exactly_those_texts(evaluation):
    for result in evaluation.rows:
        every = explain_row(result)
        assert len(every) == 8
        some = explain_row(result, keys=("col14.rp", "col14.k"))
        assert some == {"col14.k": every["col14.k"], "col14.rp": every["col14.rp"]}
        assert every["col14.rp"].startswith("kolom 14 Rp: ")


def test_check_row_gives_the_forms_own_row_findings(evaluation):
    from kinerja.core.checks import check_row

    own_rules = {"realisation-after-report-quarter", "unit-mismatch", "spending-above-pagu",
                 "renstra-budget-exceeded", "target-zero", "spending-without-pagu"}  # fmt: skip
    expected = [f for f in evaluation.findings if f.rule in own_rules]
    got = [f for r in evaluation.rows for f in check_row(r.row, r, r.quarter)]
    assert sorted(got, key=repr) == sorted(expected, key=repr) and expected
