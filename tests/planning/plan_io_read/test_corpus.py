"""The bad-input corpus through read_plan: each file is refused with a clear Indonesian
sentence or read with a warning naming its sheet and row; never another exception."""

from __future__ import annotations

import pytest

from kinerja.planning.plan_io.read import PlanReadError, read_plan

from .corpus import CASES, QUIET


def test_the_corpus_has_at_least_fifty_files():
    assert len(CASES) >= 50
    assert len({case.name for case in CASES}) == len(CASES)


def _read(tmp_path, name, build, **kwargs):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(build())
    return read_plan(path.read_bytes(), file_name=path.name, **kwargs)


@pytest.mark.parametrize("case", [c for c in CASES if c.refuse], ids=lambda c: c.name)
def test_refused_with_a_clear_sentence(tmp_path, case):
    with pytest.raises(PlanReadError) as refused:
        _read(tmp_path, case.name, case.build, **case.kwargs)
    message = str(refused.value)
    assert case.refuse in message
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message


@pytest.mark.parametrize("case", [c for c in CASES if c.warn], ids=lambda c: c.name)
def test_read_with_a_warning_naming_the_row(tmp_path, case):
    plan = _read(tmp_path, case.name, case.build, **case.kwargs)
    sheet, row, column, words = case.warn
    matching = [
        issue
        for issue in plan.issues
        if issue.source is not None
        and (issue.source.sheet, issue.source.row, issue.source.column) == (sheet, row, column)
        and words in issue.message
    ]
    assert matching, [(i.source, i.message) for i in plan.issues]
    assert all(issue.severity == "warning" for issue in plan.issues)
    assert not plan.refused
    if row is not None:
        assert f"{row}" in matching[0].message
    assert [item.code for item in plan.walk()] == case.codes


def test_english_amount_skips_only_that_cell(tmp_path):
    case = next(c for c in CASES if c.name == "english_amount")
    plan = _read(tmp_path, case.name, case.build)
    budgets = {item.code: item.budget for item in plan.walk()}
    assert budgets["5.03.02.2.01.0001"] is None  # refused, not guessed
    assert budgets["5.03.02.2.01.0002"] == 200_000_000
    issue = next(i for i in plan.issues if "Inggris" in i.message)
    assert issue.value == "1,905,955,200"
    assert "G8" in issue.message


def test_repeated_item_with_conflicting_pagu_keeps_the_first(tmp_path):
    case = next(c for c in CASES if c.name == "same_code_same_parent_conflicting_pagu")
    plan = _read(tmp_path, case.name, case.build)
    sub = plan.items[0].children[0].children[0]
    assert sub.budget == 100_000_000
    issue = next(i for i in plan.issues if "pagu berbeda" in i.message)
    assert "baris 8" in issue.message and "150.000.000" in issue.message


def test_merged_cells_are_read_once(tmp_path):
    case = next(c for c in CASES if c.name == "merged_cells_everywhere")
    plan = _read(tmp_path, case.name, case.build)
    kegiatan = plan.items[0].children[0]
    assert kegiatan.indicator == "Persentase data ASN mutakhir"
    assert kegiatan.target_k == 95  # not the continuation row's 3 Laporan
    # which is the kegiatan's further indicator, with its own target and no pagu
    [more] = kegiatan.more
    assert (more.indicator, more.target_k, more.unit, more.budget) == (
        "Indikator kedua kegiatan", 3, "Laporan", None)  # fmt: skip
    # G9:G10 merged: the pagu belongs to row 9 only; row 10 is not given it a second time
    assert [child.budget for child in kegiatan.children] == [100_000_000, None]


def test_ten_mb_cell_is_dropped_and_the_item_kept(tmp_path):
    case = next(c for c in CASES if c.name == "ten_mb_in_one_cell")
    plan = _read(tmp_path, case.name, case.build)
    sub = plan.items[0].children[0].children[1]
    assert sub.indicator == "" and sub.budget == 200_000_000
    issue = next(i for i in plan.issues if "batas satu sel" in i.message)
    assert len(issue.value) <= 80


@pytest.mark.parametrize(("name", "build"), QUIET, ids=[name for name, _b in QUIET])
def test_quiet_files(tmp_path, name, build):
    plan = _read(tmp_path, name, build)
    assert plan.issues == []
    assert [item.code for item in plan.walk()] == [
        "5.03.02",
        "5.03.02.2.01",
        "5.03.02.2.01.0001",
        "5.03.02.2.01.0002",
    ]
    if name == "title_other_agency_and_year":
        assert plan.title_agency == "DINAS PENDIDIKAN KABUPATEN SUMENEP"
        assert plan.title_year == 2019
