"""The rencana aksi and cash plan per triwulan in the Renja tree editor (issue 15): written
with the row by planning/renja_edit.py through domain.set_action_plan, Σ of the cash plan
against the pagu (core.cashplan), and the screens."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.core.cashplan import cash_plan_gap
from kinerja.planning import renja_edit as edit
from kinerja.planning.concurrency import Conflict
from kinerja.planning.items import Revision
from kinerja.planning.models import ActionPlan, Agency, LevelChoice, WorkItem

from .test_renja_edit import _post_item, _row, _url

pytestmark = pytest.mark.django_db

D = Decimal
P, K = LevelChoice.PROGRAM, LevelChoice.KEGIATAN


@pytest.fixture
def fresh(agency):
    new = Agency.objects.create(government=agency.government, name="Dinas Kearsipan",
                                abbreviation="DISARPUS", slug="disarpus")  # fmt: skip
    user = get_user_model().objects.create_user("op-arsip", password="x")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=new)  # fmt: skip
    return new, user


def _other(agency):
    other = get_user_model().objects.create_user("ani", password="x", first_name="Ani")
    Profile.objects.create(user=other, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    return other


def _plans(item):
    return {p.quarter: (p.target_k, p.cash_plan)
            for p in ActionPlan.objects.filter(work_item=item).order_by("quarter")}  # fmt: skip


def _plan(target, cash):
    return {"target_k": None if target is None else D(target),
            "cash_plan": None if cash is None else D(cash)}  # fmt: skip


def _program(agency, user, **kwargs):
    return edit.create_item(user=user, agency=agency, year=2025, parent=None, level=P,
                            code="2.20.02", name="Program Arsip", unit="Dokumen",
                            target_k=D(4), budget_original=D(100_000_000), **kwargs)  # fmt: skip


# ---- core -----------------------------------------------------------------------------------


def test_the_cash_plan_gap_counts_what_is_there_and_names_what_is_missing():
    assert cash_plan_gap(D(100), [D(25), D(25), D(25), D(25)]) is None
    assert cash_plan_gap(D(100), [None, None, None, None]) is None  # no cash plan yet
    assert cash_plan_gap(D(100), [D(100), None, None, None]) is None  # all in TW I is a plan
    gap = cash_plan_gap(D(100), [D(30), None, D(30), None])
    assert (gap.total, gap.budget, gap.missing, gap.difference) == (D(60), D(100), (2, 4), D(40))
    over = cash_plan_gap(None, [D(0), D(0), D(0), D("0.5")])
    assert (over.budget, over.difference) == (D(0), D("-0.5"))
    with pytest.raises(ValueError):
        cash_plan_gap(D(1), [D(1)])


# ---- the domain -----------------------------------------------------------------------------


def test_a_new_row_is_saved_with_its_quarters_and_sigma_is_judged_against_the_pagu(fresh):
    agency, user = fresh
    program = _program(agency, user, plans={
        1: _plan(1, 20_000_000), 2: _plan(1, 30_000_000), 3: _plan(1, 30_000_000),
        4: _plan(None, None)})  # fmt: skip
    assert _plans(program) == {1: (D(1), D(20_000_000)), 2: (D(1), D(30_000_000)),
                               3: (D(1), D(30_000_000))}  # TW IV with nothing: not stored  # fmt: skip
    assert ActionPlan.objects.get(work_item=program, quarter=1).history.first(
        ).history_change_reason == "Ditambahkan lewat layar Renja."  # fmt: skip
    shown = edit.tree_warnings(list(WorkItem.objects.filter(agency=agency, year=2025)))
    assert shown[program.pk] == [
        "Jumlah rencana anggaran kas Triwulan I–IV 80.000.000 berbeda dengan pagu 100.000.000 "
        "(selisih 20.000.000). Belum diisi: Triwulan IV."]  # fmt: skip
    # TW IV filled in: Σ = pagu, the warning is gone; the other quarters are not rewritten
    before = ActionPlan.history.count()
    edit.update_item(user=user, item=program, changes={}, plans={4: _plan(1, 20_000_000)},
                     reason="Rencana kas TW IV")  # fmt: skip
    assert _plans(program)[4] == (D(1), D(20_000_000))
    assert ActionPlan.history.count() == before + 1
    assert ActionPlan.objects.get(work_item=program, quarter=4).history.first(
        ).history_change_reason == "Rencana kas TW IV"  # fmt: skip
    shown = edit.tree_warnings(list(WorkItem.objects.filter(agency=agency, year=2025)))
    assert shown[program.pk] == []
    # saving the same values again writes nothing
    edit.update_item(user=user, item=program, changes={"name": "Program Arsip"},
                     plans={q: _plan(1, v) for q, v in
                            zip((1, 2, 3, 4), (20_000_000, 30_000_000, 30_000_000, 20_000_000),
                                strict=True)},
                     expected_plans={1: _plan(1, 20_000_000)})  # fmt: skip
    assert ActionPlan.history.count() == before + 1
    # as typed: the pagu changed, the cash plan not
    assert edit.draft_warnings(agency=agency, year=2025, level=P, parent=None, item=program,
                               values={"code": "2.20.02", "budget": D(90_000_000),
                                       "target_k": D(4),
                                       "cash_plan": [D(20_000_000), D(30_000_000),
                                                     D(30_000_000), D(20_000_000)]}) == [
        "Jumlah rencana anggaran kas Triwulan I–IV 100.000.000 berbeda dengan pagu 90.000.000 "
        "(selisih 10.000.000)."]  # fmt: skip


def test_bad_input_is_refused_in_indonesian_and_nothing_is_half_saved(fresh):
    agency, user = fresh
    program = _program(agency, user, plans={1: _plan(1, 50_000_000)})
    with pytest.raises(edit.PlanEditRefused) as refused:
        edit.update_item(user=user, item=program, changes={"name": "Nama Baru"},
                         plans={1: _plan(2, 60_000_000), 2: _plan(1, -5)})  # fmt: skip
    assert str(refused.value) == "Rencana aksi Triwulan II: «-5»: nilai rupiah tidak boleh negatif."
    program.refresh_from_db()
    assert program.name == "Program Arsip"  # the row's change is undone with the quarters
    assert _plans(program) == {1: (D(1), D(50_000_000))}
    with pytest.raises(edit.PlanEditRefused, match="tidak boleh negatif"):  # K of this row too
        edit.update_item(user=user, item=program, changes={}, plans={3: _plan(-1, None)})
    with pytest.raises(edit.PlanEditRefused, match="paling banyak 2 angka di belakang koma"):
        edit.create_item(user=user, agency=agency, year=2025, parent=program, level=K,
                         code="2.20.02.2.01", name="Kegiatan",
                         plans={1: _plan(None, "10.001")})  # fmt: skip
    assert not WorkItem.objects.filter(level=K, agency=agency).exists()  # no row without its plan
    with pytest.raises(edit.PlanEditRefused, match="Triwulan harus 1 sampai 4"):
        edit.update_item(user=user, item=program, changes={}, plans={5: _plan(1, 1)})


def test_a_quarter_someone_else_changed_is_refused_with_the_whole_save(fresh):
    agency, user = fresh
    program = _program(agency, user, plans={1: _plan(1, 40_000_000), 2: _plan(1, 60_000_000)})
    drawn = {1: _plan(1, 40_000_000), 2: _plan(1, 60_000_000), 3: _plan(None, None)}
    ani = _other(agency)
    edit.update_item(user=ani, item=WorkItem.objects.get(pk=program.pk), changes={},
                     plans={2: _plan(1, 55_000_000)}, expected_plans=drawn)  # fmt: skip
    # mine changes TW I and TW III only: Ani's TW II stays
    edit.update_item(user=user, item=program, changes={},
                     plans={1: _plan(1, 35_000_000), 2: _plan(1, 60_000_000),
                            3: _plan(1, 10_000_000)}, expected_plans=drawn)  # fmt: skip
    assert _plans(program) == {1: (D(1), D(35_000_000)), 2: (D(1), D(55_000_000)),
                               3: (D(1), D(10_000_000))}  # fmt: skip
    # mine changes TW II's cash too, and the name: refused, keyed by the screen's field
    drawn = {q: _plan(*v) for q, v in _plans(program).items()}
    drawn[2] = _plan(1, 60_000_000)
    with pytest.raises(Conflict) as conflict:
        edit.update_item(user=user, item=program, changes={"name": "Program Saya"},
                         expected={"name": "Program Arsip"},
                         plans={1: _plan(1, 30_000_000), 2: _plan(1, 70_000_000)},
                         expected_plans=drawn)  # fmt: skip
    [cell] = conflict.value.cells
    assert (cell.key, cell.theirs, cell.yours, cell.who) == (
        "q2_cash_plan", D(55_000_000), D(70_000_000), "Ani")  # fmt: skip
    program.refresh_from_db()
    assert program.name == "Program Arsip"
    assert _plans(program)[1] == (D(1), D(35_000_000))  # TW I of the refused save not kept


def test_after_an_approved_quarter_a_changed_quarter_is_a_revision(demo_users, agency):
    operator = demo_users["operator"]
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    before = _plans(item)
    with pytest.raises(edit.PlanEditRefused, match="setiap perubahan Renja adalah revisi"):
        edit.update_item(user=operator, item=item, changes={},
                         plans={3: _plan(None, 400_000_000)})  # fmt: skip
    assert _plans(item) == before
    revision = Revision(date(2024, 9, 2), "Rencana kas APBD-P", "Perda No. 9 Tahun 2024")
    edit.update_item(user=operator, item=item, changes={}, revision=revision,
                     plans={3: _plan(None, 400_000_000)},
                     expected_plans={3: _plan(None, None)})  # fmt: skip
    plan = ActionPlan.objects.get(work_item=item, quarter=3)
    assert plan.cash_plan == D(400_000_000)
    assert plan.history.first().history_change_reason == (
        "Revisi 02-09-2024: Rencana kas APBD-P (dasar hukum: Perda No. 9 Tahun 2024)")  # fmt: skip
    item.refresh_from_db()
    assert item.budget_revised is None  # the pagu is untouched by a cash plan's revision
    # a long reason with its legal basis is more than a quarter's history reason may hold: cut
    long = Revision(date(2024, 9, 3), "Alasan " + "x" * 990, "Perda No. 9 Tahun 2024")
    edit.update_item(user=operator, item=item, changes={}, revision=long,
                     plans={4: _plan(None, 1_000_000)})  # fmt: skip
    reason = ActionPlan.objects.get(work_item=item, quarter=4).history.first().history_change_reason
    assert reason.startswith("Revisi 03-09-2024: Alasan xxx") and reason.endswith("x…")
    assert len(reason) == 1000


# ---- the screens ----------------------------------------------------------------------------


def test_the_form_edits_the_quarters_and_the_tree_shows_them(client, fresh):
    agency, user = fresh
    program = _program(agency, user, plans={1: _plan(1, 40_000_000)})
    client.force_login(user)
    url = _url("renja_edit", agency, 2025, program.pk)
    page = client.get(url).content.decode()
    for label in ("Target TW I", "Rencana kas TW IV (Rp)"):
        assert f">{label}</label>" in page
    assert 'name="was-q1_cash_plan" value="40.000.000"' in page
    assert '<output id="cash-sum"' in page and ">40.000.000</output>" in page
    base = {"code": "2.20.02", "name": "Program Arsip", "unit": "Dokumen", "target_k": "4",
            "budget": "100.000.000", "was-budget": "100.000.000",
            "was-q1_target_k": "1", "was-q1_cash_plan": "40.000.000"}  # fmt: skip
    quarters = {"q1_target_k": "1", "q1_cash_plan": "40.000.000", "q2_target_k": "1,5",
                "q2_cash_plan": "30,000,000", "q3_target_k": "", "q3_cash_plan": "",
                "q4_target_k": "1,5", "q4_cash_plan": "30.000.000"}  # fmt: skip
    response = _post_item(client, url, **base, **quarters)
    assert response.status_code == 200
    assert "memakai format angka Inggris" in response.content.decode()
    assert _plans(program) == {1: (D(1), D(40_000_000))}
    quarters["q2_cash_plan"] = "30.000.000"
    response = _post_item(client, url, **base, **quarters)
    assert response.status_code == 302
    assert _plans(program) == {1: (D(1), D(40_000_000)), 2: (D("1.5"), D(30_000_000)),
                               4: (D("1.5"), D(30_000_000))}  # fmt: skip
    row = _row(client.get(response["Location"]).content.decode(), program.pk)
    assert "TW II 1,5 · 30.000.000" in row and "TW III - · -" in row  # missing is "-"
    assert "Σ kas 100.000.000" in row and "rencana anggaran kas" not in row
    # a post without the quarters (a script) leaves them as they are
    assert _post_item(client, url, **base).status_code == 302
    assert len(_plans(program)) == 3
    checked = client.get(_url("renja_check", agency, 2025),
                         {"item": program.pk, "code": "2.20.02", "unit": "Dokumen",
                          "target_k": "4", "budget": "100.000.000",
                          "q1_cash_plan": "40.000.000", "q2_cash_plan": "30.000.000",
                          "q3_cash_plan": "1,5"}).json()  # fmt: skip
    assert checked["cash_sum"] == "70.000.001,5"
    assert checked["warnings"] == [
        "Jumlah rencana anggaran kas Triwulan I–IV 70.000.001,5 berbeda dengan pagu 100.000.000 "
        "(selisih 29.999.998,5). Belum diisi: Triwulan IV."]  # fmt: skip
    checked = client.get(_url("renja_check", agency, 2025),
                         {"item": program.pk, "budget": "100.000.000",
                          "q1_cash_plan": "40,000,000"}).json()  # fmt: skip
    assert "memakai format angka Inggris" in checked["errors"]["q1_cash_plan"]
    assert checked["cash_sum"] == "?"


def test_the_form_keeps_the_typing_when_someone_else_changed_a_quarter(client, fresh):
    agency, user = fresh
    program = _program(agency, user, plans={1: _plan(1, 40_000_000)})
    client.force_login(user)
    url = _url("renja_edit", agency, 2025, program.pk)
    edit.update_item(user=_other(agency), item=WorkItem.objects.get(pk=program.pk), changes={},
                     plans={1: _plan(1, 45_000_000)})  # fmt: skip
    posted = {"code": "2.20.02", "name": "Program Arsip", "unit": "Dokumen", "target_k": "4",
              "budget": "100.000.000", "was-budget": "100.000.000", "q1_target_k": "1",
              "q1_cash_plan": "50.000.000", "was-q1_target_k": "1",
              "was-q1_cash_plan": "40.000.000"}  # fmt: skip
    response = _post_item(client, url, **posted)
    assert response.status_code == 409
    page = response.content.decode()
    assert "menjadi 45.000.000; isian Anda 50.000.000" in page
    assert 'name="was-q1_cash_plan" value="45.000.000"' in page
    assert 'value="50.000.000"' in page
    assert _plans(program)[1] == (D(1), D(45_000_000))
    posted["was-q1_cash_plan"] = "45.000.000"
    assert _post_item(client, url, **posted).status_code == 302
    assert _plans(program)[1] == (D(1), D(50_000_000))


def test_after_approval_the_add_form_needs_the_revision_for_its_quarters(client, demo_users,
                                                                         agency):  # fmt: skip
    client.force_login(demo_users["operator"])
    kegiatan = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02.2.04")
    url = reverse("planning:renja_add", args=[agency.slug, 2024]) + f"?induk={kegiatan.pk}"
    fields = {"code": "5.03.02.2.04.0099", "name": "Sub Kegiatan APBD-P", "unit": "Dokumen",
              "target_k": "2", "budget": "5.000.000", "q4_target_k": "2",
              "q4_cash_plan": "5.000.000"}  # fmt: skip
    response = _post_item(client, url, **fields)
    assert response.status_code == 200
    assert "Tanggal revisi" in response.content.decode()
    assert not WorkItem.objects.filter(code="5.03.02.2.04.0099").exists()
    response = _post_item(client, url, **fields, revision_on="2024-09-02",
                          revision_reason="APBD-P", revision_legal_basis="Perda 9/2024")  # fmt: skip
    assert response.status_code == 302
    new = WorkItem.objects.get(code="5.03.02.2.04.0099")
    assert _plans(new) == {4: (D(2), D(5_000_000))}
    assert ActionPlan.objects.get(work_item=new).history.first().history_change_reason == (
        "Revisi 02-09-2024: APBD-P (dasar hukum: Perda 9/2024)")  # fmt: skip
