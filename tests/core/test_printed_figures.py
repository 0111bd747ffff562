"""Printed columns 13–16 and the printed footer in the `kinerja evaluate` input
(``core.printed.check_printed``): each disagreement is a finding naming its row and column;
a figure agrees when the computed value, rounded half-up or truncated to the decimals it was
printed with, equals it. The expected values are worked out by hand in the comments."""

import json
from decimal import Decimal as D

import pytest

from kinerja.core import FormError, evaluate_form
from kinerja.formfile import parse_form

NONE = [None, None, None, None]


def _form(rows, *, quarter=2, printed_footer=None, rules=None):
    doc = {"year": 2024, "quarter": quarter, "rows": rows}
    if printed_footer is not None:
        doc["printed"] = {"footer": printed_footer}
    if rules is not None:
        doc["rules"] = rules
    return json.dumps(doc)


def _program(printed=None):
    """Col 13 K = 3 + 3,5 = 6,5; Rp 250. Col 14 K = 6,5 / 7 = 92,857142…; Rp 25.
    Col 15 K = 1 + 6,5 = 7,5; Rp 300. Col 16 K = 7,5 / 14 = 53,571428…; Rp 10."""
    row = {
        "id": "p", "level": "program", "name": "Program", "unit": "Dokumen",
        "renstra_target": {"k": 14, "rp": 3000},
        "renstra_realised_before": {"k": 1, "rp": 50},
        "year_target": {"k": 7, "rp": 1000},
        "quarters": [{"k": "3", "rp": 100}, {"k": "3,5", "rp": 150}, None, None],
    }  # fmt: skip
    if printed is not None:
        row["printed"] = printed
    return row


def _kegiatan(printed=None):
    """No col 6, no col 7. Col 13 K = 4, col 14 K = 100, col 15 K = - (col 7 blank)."""
    row = {"id": "k", "level": "kegiatan", "parent": "p", "name": "Kegiatan",
           "year_target": {"k": 4}, "quarters": [{"k": 2}, {"k": 2}, None, None]}  # fmt: skip
    if printed is not None:
        row["printed"] = printed
    return row


def _sub():
    """Col 13 K = 5 of 10: col 14 K = 50."""
    return {"id": "s", "level": "sub_kegiatan", "parent": "k", "name": "Sub",
            "year_target": {"k": 10}, "quarters": [{"k": 5}, None, None, None]}  # fmt: skip


def _printed(evaluation):
    return [(f.rule, f.row, f.column, f.printed, f.computed)
            for f in evaluation.findings if f.column is not None]  # fmt: skip


def _evaluate(text):
    return evaluate_form(parse_form(text))


@pytest.mark.parametrize(
    ("shown", "agrees"),
    [
        ("92,86", True),  # rounded half-up
        ("92,85", True),  # truncated
        ("92,9", True),  # one decimal, rounded
        ("92,8", True),  # one decimal, truncated
        ("93 %", True),  # whole percent, rounded; the unit may be written
        (92, True),  # a JSON number: truncated
        ("92,87", False),
        ("92,80", False),  # two decimals written: 92,86 or 92,85, not 92,80
        ("91", False),
    ],
)
def test_a_printed_percentage_agrees_by_the_decimals_it_is_printed_with(shown, agrees):
    evaluation = _evaluate(_form([_program({"col14": {"k": shown}})]))
    found = _printed(evaluation)
    if agrees:
        assert found == []
    else:
        assert [(r, row, c) for r, row, c, _, _ in found] == [
            ("printed-value-differs", "p", "col14.k")
        ]
        assert found[0][4] == D(650) / D(7)  # the unrounded computed value


def test_each_printed_column_that_differs_is_a_finding_with_row_column_and_values():
    evaluation = _evaluate(_form([_program({
        "col13": {"k": "6,5", "rp": "260"},  # Rp: 100 + 150 = 250
        "col14": {"k": "92,86", "rp": "25 %"},
        "col15": {"k": "7,5", "rp": "300"},
        "col16": {"k": "54", "rp": "11"},  # K 53,57 → 54 agrees; Rp 10 ≠ 11
    })]))  # fmt: skip
    assert _printed(evaluation) == [
        ("total-not-sum-of-quarters", "p", "col13.rp", D(260), D(250)),
        ("printed-value-differs", "p", "col16.rp", D(11), D(10)),
    ]
    col13, col16 = [f for f in evaluation.findings if f.column]
    assert col13.severity.value == col16.severity.value == "error"
    assert col13.message == (
        "Kolom 13 tidak sama dengan agregat triwulannya: Rp tercetak 260, seharusnya 250."
    )
    assert col16.message == (
        "Kolom 16 Rp tercetak 11 %, hasil hitung (capaian kolom 15 terhadap target Renstra "
        "kolom 6) 10,00 %."
    )


def test_a_figure_that_follows_a_wrong_printed_column_13_is_not_flagged_again():
    # col 13 K printed 8 (the quarters add to 6,5; "7" would be 6,5 rounded): col 14 K 114 =
    # 8 / 7 (114,29), col 15 K 9 = 1 + 8 and col 16 K 64 = 9 / 14 (64,29) follow from it:
    # only col 13 is the slip. Col 14 Rp 30 follows from nothing printed (col 13 Rp is
    # 250 → 25): it is flagged.
    evaluation = _evaluate(_form([_program({
        "col13": {"k": "8"}, "col14": {"k": "114", "rp": "30"}, "col15": {"k": "9"},
        "col16": {"k": "64"},
    })]))  # fmt: skip
    assert [(rule, column) for rule, _, column, _, _ in _printed(evaluation)] == [
        ("total-not-sum-of-quarters", "col13.k"),
        ("printed-value-differs", "col14.rp"),
    ]


def test_a_column_15_printed_with_a_blank_column_7_read_as_0_agrees():
    # the form's formula 15 = 7 + 13 reads the blank col 7 as 0: 4; Kinerja's col 15 is "-"
    ok = _evaluate(_form([_program(), _kegiatan({"col15": {"k": "4"}})]))
    assert _printed(ok) == []
    wrong = _evaluate(_form([_program(), _kegiatan({"col15": {"k": "5"}})]))
    assert _printed(wrong) == [("printed-value-differs", "k", "col15.k", D(5), None)]
    assert wrong.findings[-1].message == (
        "Kolom 15 K tercetak 5, hasil hitung (kolom 7 + kolom 13) -."
    )


def test_a_printed_zero_where_nothing_can_be_computed_agrees():
    evaluation = _evaluate(_form([_program(), _kegiatan({"col16": {"k": "0", "rp": 0}})]))
    assert _printed(evaluation) == []


def test_printed_findings_follow_their_row_and_the_footer_comes_last():
    rows = [_program({"col14": {"k": "80"}}), _kegiatan({"col13": {"k": "5"}}), _sub()]
    rows[0]["year_target"]["rp"] = 0  # a form finding on row p: spending-without-pagu
    evaluation = _evaluate(_form(rows, printed_footer={"k": "80"}))
    assert [(f.rule, f.row) for f in evaluation.findings] == [
        ("spending-without-pagu", "p"),
        ("printed-value-differs", "p"),
        ("total-not-sum-of-quarters", "k"),
        ("footer-differs", "rata-rata"),
    ]


def test_a_printed_footer_made_from_the_printed_columns_says_so():
    # program_mean over the computed col 14 K: 92,86; over the printed col 14 K 80: 80
    rows = [_program({"col14": {"k": "80"}}), _kegiatan(), _sub()]
    evaluation = _evaluate(_form(rows, printed_footer={"k": "80 %", "rp": "25 %"}))
    footer = [f for f in evaluation.findings if f.row == "rata-rata"]
    assert [(f.rule, f.severity.value, f.column, f.printed) for f in footer] == [
        ("footer-differs", "warning", "footer.k", D(80))
    ]
    assert footer[0].computed == D(650) / D(7)
    assert footer[0].message == (
        "Rata-rata capaian kinerja K tercetak 80 %, hasil hitung 92,86 % (rata-rata kolom 14 "
        "baris program, aturan program_mean); aturan yang sama atas angka kolom yang tercetak "
        "memberi 80,00 %: rata-rata itu mengikuti angka tercetak yang berbeda dengan hasil "
        "hitung."
    )


@pytest.mark.parametrize(
    ("printed", "words"),
    [
        ("93", None),  # program_mean 92,86 → 93: agrees
        # all_mean = (92,857 + 100 + 50) / 3 = 80,95 → 81
        ("81", "sesuai dengan aturan all_mean (rata-rata kolom 14 semua baris)"),
        ("100", "sesuai dengan aturan kegiatan_mean (rata-rata kolom 14 baris kegiatan)"),
        ("70", "tidak ada aturan rata-rata yang menghasilkannya"),
    ],
)
def test_a_printed_footer_is_checked_against_the_forms_rule_and_named_rules(printed, words):
    evaluation = _evaluate(_form([_program(), _kegiatan(), _sub()],
                                 printed_footer={"k": printed}))  # fmt: skip
    footer = [f for f in evaluation.findings if f.column == "footer.k"]
    if words is None:
        assert footer == []
    else:
        assert len(footer) == 1 and words in footer[0].message


def test_the_footer_follows_the_rules_the_form_names():
    # with average_k all_mean, a printed 81 agrees and a printed 93 names program_mean
    rules = {"average_k": "all_mean"}
    rows = [_program(), _kegiatan(), _sub()]
    assert _printed(_evaluate(_form(rows, printed_footer={"k": "81"}, rules=rules))) == []
    found = _evaluate(_form(rows, printed_footer={"k": "93"}, rules=rules)).findings
    assert "sesuai dengan aturan program_mean" in found[-1].message


def test_a_report_quarter_figure_that_adds_every_quarter_is_the_forms_own_sum():
    # TW I report, TW III K 2 present: the form prints 13 = TW I + … + TW IV = 6 and
    # realisation-after-report-quarter already names the quarter
    row = _program({"col13": {"k": "6"}, "col14": {"k": "86"}})
    row["quarters"] = [{"k": 4}, None, {"k": 2}, None]
    evaluation = _evaluate(_form([row], quarter=1))
    assert [f.rule for f in evaluation.findings] == ["realisation-after-report-quarter"]
    row["printed"]["col13"]["k"] = "7"
    assert [f.column for f in _evaluate(_form([row], quarter=1)).findings if f.column] == [
        "col13.k"
    ]


def test_the_printed_figures_do_not_change_a_computed_figure():
    plain = _evaluate(_form([_program(), _kegiatan(), _sub()]))
    printed = _evaluate(_form(
        [_program({"col13": {"k": "7", "rp": "1"}, "col14": {"k": "1"}, "col15": {"k": "1"},
                   "col16": {"k": "1", "rp": "1"}}), _kegiatan(), _sub()],
        printed_footer={"k": "1", "rp": "1"},
    ))  # fmt: skip
    assert [r[2:] for r in printed.rows] == [r[2:] for r in plain.rows]
    assert printed.footer == plain.footer
    assert [f for f in printed.findings if f.column is None] == list(plain.findings)


@pytest.mark.parametrize(
    ("printed", "words"),
    [
        ({"col14": {"k": "15 Orang"}}, "baris «p», kolom «printed.col14.k»: persentase tidak"),
        ({"col13": {"rp": "5 Orang"}}, "baris «p», kolom «printed.col13.rp»: nilai rupiah"),
        ({"col13": {"rp": "-5"}}, "baris «p», kolom «printed.col13.rp»"),
        ({"col13": {"k": "1,905,955"}}, "baris «p», kolom «printed.col13.k»: «1,905,955»"),
        ({"col13": {"k": 1, "k_upper": 2}}, "kolom «printed.col13»: isian tidak dikenal: k_upper"),
        ({"col17": {"k": 1}}, "baris «p», kolom «printed»: isian tidak dikenal: col17"),
        ({"col14": {"k": True}}, "kolom «printed.col14.k»: harus berupa angka atau teks"),
    ],
)
def test_what_a_printed_figure_cannot_be_is_refused_naming_row_and_field(printed, words):
    with pytest.raises(FormError) as caught:
        parse_form(_form([_program(printed)]))
    assert words in str(caught.value)


def test_a_printed_footer_is_refused_naming_its_field():
    with pytest.raises(FormError, match="kolom «printed.footer.rp»: persentase tidak"):
        parse_form(_form([_program()], printed_footer={"rp": "12 Rp"}))
    with pytest.raises(FormError, match="kolom «printed»: isian tidak dikenal: rows"):
        parse_form(json.dumps({"year": 2024, "quarter": 1, "rows": [_program()],
                               "printed": {"rows": []}}))  # fmt: skip
