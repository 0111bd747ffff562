"""An item with several indicators (issue 15): the second indicator is a continuation row of
the form — same level and parent, its own K target and realisations, no Rp. Figures by hand:
program P has two indicators, IP ASN (target 80, TW I 60 → 75 %) and Dokumen (target 4, TW I
2 → 50 %); the other program Q reaches 100 %. Footer K (program_mean) = (75 + 50 + 100) / 3 =
75; footer Rp (program_ratio) counts the item rows only: (50 + 30) / (100 + 100) = 40 %."""

import json
from dataclasses import replace
from decimal import Decimal as D

import pytest

from kinerja.core import evaluate_form
from kinerja.core.form import EMPTY, Form, FormError, FormRow, Level, Pair, check_structure
from kinerja.core.grid import children_of, children_sum
from kinerja.formfile import load_form


def _row(id, level, *, parent=None, continues=None, k=None, rp=None, tw1=None, unit="Indeks"):
    quarters = (Pair(k=tw1[0], rp=tw1[1]) if tw1 else EMPTY, EMPTY, EMPTY, EMPTY)
    return FormRow(id=id, level=level, name=id, quarters=quarters, parent=parent, unit=unit,
                   year_target=Pair(k=k, rp=rp), continues=continues)  # fmt: skip


ROWS = (
    _row("P", Level.PROGRAM, k=D(80), rp=D(100), tw1=(D(60), D(50))),
    _row("P2", Level.PROGRAM, continues="P", k=D(4), tw1=(D(2), None), unit="Dokumen"),
    _row(
        "K", Level.KEGIATAN, parent="P", k=D(10), rp=D(100), tw1=(D(5), D(50)), unit="Dokumen"
    ),  # fmt: skip
    _row("K2", Level.KEGIATAN, parent="P", continues="K", k=D(1), tw1=(D(1), None)),
    _row("Q", Level.PROGRAM, k=D(10), rp=D(100), tw1=(D(10), D(30))),
)


def test_a_further_indicator_is_a_row_of_the_footer_k_but_not_of_rp():
    evaluation = evaluate_form(Form(year=2025, quarter=1, rows=ROWS))
    col14 = {r.row.id: r.col14_k for r in evaluation.rows}
    assert (col14["P"], col14["P2"]) == (D(75), D(50))
    assert evaluation.footer.k.value == D(75)
    assert [t[0] for t in evaluation.footer.k.terms] == ["P", "P2", "Q"]
    assert evaluation.footer.rp.value == D(40)
    assert [t[0] for t in evaluation.footer.rp.terms] == ["P", "Q"]


def test_a_further_indicator_is_not_a_child_of_the_items_parent():
    children = check_structure(ROWS, quarter=1)
    assert [r.id for r in children["P"]] == ["K"]
    assert [r.id for r in children_of(ROWS)["P"]] == ["K"]
    # the grid's Σ of P's children: K's TW I (5 Dokumen), not K2's as well
    same_unit = tuple(r if r.id != "P" else replace(r, unit="Dokumen") for r in ROWS)
    kids = children_of(same_unit)["P"]
    assert children_sum(same_unit[0], kids, 1) == Pair(k=D(5), rp=D(50))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (_row("X", Level.PROGRAM, continues="nope", k=D(1)), "yang dilanjutkan tidak ada"),
        (_row("X", Level.KEGIATAN, parent="P", continues="P", k=D(1)), "setingkat dan seinduk"),
        (_row("X", Level.PROGRAM, continues="P2", k=D(1)), "rujuk baris utamanya «P»"),
        (_row("X", Level.PROGRAM, continues="P", k=D(1), rp=D(5)), "tidak berisi Rp"),
        (_row("X", Level.PROGRAM, continues="P", tw1=(D(1), D(5))), "tidak berisi Rp"),
    ],
)
def test_what_a_further_indicator_may_not_be(row, message):
    with pytest.raises(FormError, match=message) as caught:
        check_structure((*ROWS[:2], row), quarter=1)
    assert caught.value.row == "X" and caught.value.field == "continues"


def test_the_json_input_says_continues(tmp_path):
    rows = [
        {"id": "p", "level": "program", "name": "Program", "year_target": {"k": 80, "rp": 100},
         "quarters": [{"k": 60, "rp": 50}, None, None, None]},
        {"id": "p-2", "level": "program", "name": "Program", "continues": "p",
         "year_target": {"k": 4}, "quarters": [{"k": 2}, None, None, None]},
    ]  # fmt: skip
    path = tmp_path / "form.json"
    path.write_text(json.dumps({"year": 2025, "quarter": 1, "rows": rows}), encoding="utf-8")
    form = load_form(str(path))
    assert form.rows[1].continues == "p"
    assert evaluate_form(form).footer.k.value == D("62.5")
    rows[1]["year_target"]["rp"] = 5
    path.write_text(json.dumps({"year": 2025, "quarter": 1, "rows": rows}), encoding="utf-8")
    with pytest.raises(FormError, match="tidak berisi Rp"):
        load_form(str(path))
