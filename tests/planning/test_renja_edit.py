"""Building a year's Renja on the planning screens (issue 15): the domain functions of
planning/renja_edit.py, then the screens through the Django client."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.history import changes_of
from kinerja.monitoring.models import Realisation
from kinerja.planning import renja_edit as edit
from kinerja.planning.concurrency import Conflict
from kinerja.planning.items import Revision
from kinerja.planning.models import Agency, LevelChoice, WorkItem

pytestmark = pytest.mark.django_db

P, K, S = LevelChoice.PROGRAM, LevelChoice.KEGIATAN, LevelChoice.SUB_KEGIATAN
REVISION = Revision(date(2024, 9, 2), "APBD Perubahan 2024", "Perda No. 9 Tahun 2024")


@pytest.fixture
def fresh(agency):
    """A new agency of the seed's pemda with its own operator and no plan at all."""
    new = Agency.objects.create(government=agency.government, name="Dinas Kearsipan",
                                abbreviation="DISARPUS", slug="disarpus")  # fmt: skip
    user = get_user_model().objects.create_user("op-arsip", password="x")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=new)  # fmt: skip
    return new, user


def _tree(agency, year):
    return [(i.position, i.level, i.code, i.parent.code if i.parent else None)
            for i in WorkItem.objects.filter(agency=agency, year=year).order_by("position")]  # fmt: skip


def _build(agency, user, year=2025):
    make = edit.create_item
    program = make(user=user, agency=agency, year=year, parent=None, level=P, code="2.20.02",
                   name="Program Pengelolaan Arsip", target_k=Decimal(100), unit="%",
                   budget_original=Decimal("300000000"))  # fmt: skip
    a = make(user=user, agency=agency, year=year, parent=program, level=K, code="2.20.02.2.01",
             name="Pengelolaan Arsip Dinamis", target_k=Decimal(4), unit="Dokumen",
             budget_original=Decimal("100000000"), after=None)  # fmt: skip
    b = make(user=user, agency=agency, year=year, parent=program, level=K, code="2.20.02.2.02",
             name="Pengelolaan Arsip Statis", target_k=Decimal(2), unit="Dokumen",
             budget_original=Decimal("200000000"), after=a)  # fmt: skip
    s1 = make(user=user, agency=agency, year=year, parent=a, level=S, code="2.20.02.2.01.01",
              name="Pengelolaan Arsip Aktif", target_k=Decimal(4), unit="Dokumen",
              budget_original=Decimal("100000000"))  # fmt: skip
    s2 = make(user=user, agency=agency, year=year, parent=b, level=S,
              code="2.20.02.2.02.0001", name="Penyelamatan Arsip", target_k=Decimal("1.5"),
              unit="Dokumen", budget_original=Decimal("150000000"))  # fmt: skip
    s3 = make(user=user, agency=agency, year=year, parent=b, level=S,
              code="2.20.02.2.02.0002", name="Autentikasi Arsip", target_k=Decimal(1),
              unit="Dokumen", budget_original=Decimal("50000000"), after=s2)  # fmt: skip
    return program, a, b, s1, s2, s3


def test_an_operator_builds_a_year_in_form_order_with_history(fresh):
    agency, user = fresh
    program, a, *_ = _build(agency, user)
    assert _tree(agency, 2025) == [
        (1, P, "2.20.02", None),
        (2, K, "2.20.02.2.01", "2.20.02"),
        (3, S, "2.20.02.2.01.0001", "2.20.02.2.01"),  # the 2-digit suffix stored as 4
        (4, K, "2.20.02.2.02", "2.20.02"),
        (5, S, "2.20.02.2.02.0001", "2.20.02.2.02"),
        (6, S, "2.20.02.2.02.0002", "2.20.02.2.02"),
    ]
    # a kegiatan put first under the program goes before the others, in form order
    first = edit.create_item(user=user, agency=agency, year=2025, parent=program, level=K,
                             code="2.20.02.2.03", name="Kegiatan Baru", after=None)  # fmt: skip
    assert first.position == 2
    assert [r[2] for r in _tree(agency, 2025)][:3] == ["2.20.02", "2.20.02.2.03", "2.20.02.2.01"]
    assert a.history.first().history_user == user
    assert changes_of(program)[0].reason == "Ditambahkan lewat layar Renja."
    assert program.budget_original == Decimal("300000000") and program.budget_revised is None
    # nothing warns: pagu = Σ children all the way down, targets given
    items = list(WorkItem.objects.filter(agency=agency, year=2025))
    warnings = edit.tree_warnings(items)
    assert warnings[program.pk] == []
    assert warnings[first.pk] == ["Target K belum diisi."]


def test_moves_renumber_in_form_order_and_keep_the_level_rules(fresh):
    agency, user = fresh
    program, a, b, s1, s2, s3 = _build(agency, user)
    warnings = edit.move_item(user=user, item=s3, new_parent=a, after=None)
    assert warnings == ["Kode «2.20.02.2.02.0002» tidak diawali kode induknya «2.20.02.2.01»."]
    assert _tree(agency, 2025) == [
        (1, P, "2.20.02", None), (2, K, "2.20.02.2.01", "2.20.02"),
        (3, S, "2.20.02.2.02.0002", "2.20.02.2.01"), (4, S, "2.20.02.2.01.0001", "2.20.02.2.01"),
        (5, K, "2.20.02.2.02", "2.20.02"), (6, S, "2.20.02.2.02.0001", "2.20.02.2.02"),
    ]  # fmt: skip
    assert changes_of(s3)[0].reason == "Dipindahkan lewat layar Renja."
    # the parent's pagu now differs from its children's: shown as a warning on both kegiatan
    shown = edit.tree_warnings(list(WorkItem.objects.filter(agency=agency, year=2025)))
    assert shown[a.pk] == ["Pagu 100.000.000 berbeda dengan jumlah pagu rinciannya 150.000.000 "
                           "(selisih 50.000.000)."]  # fmt: skip
    assert any("tidak diawali" in w for w in shown[s3.pk])
    # kegiatan B one up: before A, its sub kegiatan with it
    edit.move_step(user=user, item=b, step=-1)
    assert [r[2] for r in _tree(agency, 2025)] == [
        "2.20.02", "2.20.02.2.02", "2.20.02.2.02.0001", "2.20.02.2.01", "2.20.02.2.02.0002",
        "2.20.02.2.01.0001"]  # fmt: skip
    edit.move_step(user=user, item=b, step=-1)  # already first: nothing changes
    assert _tree(agency, 2025)[1][2] == "2.20.02.2.02"
    with pytest.raises(edit.PlanEditRefused, match="tidak dapat berada di bawah program"):
        edit.move_item(user=user, item=s1, new_parent=program, after=None)
    with pytest.raises(edit.PlanEditRefused, match="hanya program yang berdiri sendiri"):
        edit.move_item(user=user, item=a, new_parent=None, after=None)


def test_codes_are_refused_out_of_shape_or_outside_their_parent(fresh):
    agency, user = fresh
    program, a, *_ = _build(agency, user)
    with pytest.raises(edit.PlanEditRefused, match="tidak berbentuk kode Kegiatan"):
        edit.create_item(user=user, agency=agency, year=2025, parent=program, level=K,
                         code="2.20.02.01", name="Salah bentuk")  # fmt: skip
    with pytest.raises(edit.PlanEditRefused, match="tidak diawali kode induknya «2.20.02»"):
        edit.create_item(user=user, agency=agency, year=2025, parent=program, level=K,
                         code="2.20.03.2.01", name="Induk lain")  # fmt: skip
    with pytest.raises(edit.PlanEditRefused, match="tidak dapat berada di bawah"):
        edit.create_item(user=user, agency=agency, year=2025, parent=program, level=S,
                         code="", name="Sub langsung di program")  # fmt: skip
    with pytest.raises(edit.PlanEditRefused, match="tidak berbentuk kode Program"):
        edit.update_item(user=user, item=program, changes={"code": "2.20"})
    # an X bidang in the parent's code matches any digits
    general = edit.create_item(user=user, agency=agency, year=2025, parent=None, level=P,
                               code="x.xx.01", name="Program Penunjang")  # fmt: skip
    assert general.code == "X.XX.01"
    edit.create_item(user=user, agency=agency, year=2025, parent=general, level=K,
                     code="2.20.01.2.01", name="Perencanaan")  # fmt: skip
    with pytest.raises(edit.PlanEditRefused, match="nilai rupiah tidak boleh negatif"):
        edit.update_item(user=user, item=a, changes={"budget": Decimal(-1)})
    with pytest.raises(edit.PlanEditRefused, match="Batas atas target"):
        edit.update_item(user=user, item=a, changes={"target_k_upper": Decimal(1)})


def test_removal_is_refused_with_realisations_and_removes_the_subtree_otherwise(fresh):
    agency, user = fresh
    program, a, b, s1, s2, s3 = _build(agency, user)
    Realisation.objects.create(work_item=s2, quarter=1, value_k=Decimal(1))
    with pytest.raises(edit.PlanEditRefused) as refused:
        edit.remove_item(user=user, item=b, reason="Salah input")
    assert str(refused.value) == (
        "Tidak dapat dihapus: 2.20.02.2.02.0001 Penyelamatan Arsip sudah memiliki realisasi "
        "Triwulan I 2025. Hapus realisasinya dulu, atau biarkan item ini.")  # fmt: skip
    assert WorkItem.objects.filter(pk=b.pk).exists()
    assert edit.removal_problem(a) is None
    with pytest.raises(edit.PlanEditRefused, match="alasan penghapusan"):
        edit.remove_item(user=user, item=a, reason=" ")
    assert edit.remove_item(user=user, item=a, reason="Digabung ke kegiatan lain") == 2
    assert [r[2] for r in _tree(agency, 2025)] == [
        "2.20.02", "2.20.02.2.02", "2.20.02.2.02.0001", "2.20.02.2.02.0002"]  # fmt: skip
    assert [r[0] for r in _tree(agency, 2025)] == [1, 2, 3, 4]
    gone = WorkItem.history.filter(id=s1.pk, history_type="-").get()
    assert gone.history_change_reason == "Digabung ke kegiatan lain"


def test_an_item_in_an_approved_quarter_is_never_removed(demo_users, agency):
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02.2.04.0002")
    Realisation.objects.filter(work_item=item).delete()  # only the approved record is left
    problem = edit.removal_problem(item)
    assert problem == ("Tidak dapat dihapus: 5.03.02.2.04.0002 Pelaksanaan Penilaian dan "
                       "Evaluasi Kinerja Aparatur tercatat dalam Triwulan I 2024 yang telah "
                       "disahkan.")  # fmt: skip


def test_a_save_writes_only_what_changed_and_refuses_what_someone_else_changed(fresh):
    agency, user = fresh
    program, a, *_ = _build(agency, user)
    drawn = {"name": a.name, "unit": a.unit, "budget": a.budget_original}
    other = get_user_model().objects.create_user("ani", password="x", first_name="Ani")
    Profile.objects.create(user=other, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    edit.update_item(user=other, item=WorkItem.objects.get(pk=a.pk),
                     changes={"name": "Nama dari Ani"}, expected={"name": a.name})  # fmt: skip
    # mine changes the unit only: Ani's name is not written back
    edit.update_item(user=user, item=a, changes={"name": drawn["name"], "unit": "Berkas",
                                                 "budget": drawn["budget"]},
                     expected=drawn)  # fmt: skip
    a.refresh_from_db()
    assert (a.name, a.unit) == ("Nama dari Ani", "Berkas")
    # mine changes the name too: refused, keyed by the screen's field, nothing saved
    with pytest.raises(Conflict) as conflict:
        edit.update_item(user=user, item=a, expected=drawn,
                         changes={"name": "Nama saya", "unit": "Berkas",
                                  "budget": Decimal("1")})  # fmt: skip
    [cell] = conflict.value.cells
    assert (cell.key, cell.theirs, cell.yours, cell.who) == (
        "name", "Nama dari Ani", "Nama saya", "Ani")  # fmt: skip
    a.refresh_from_db()
    assert (a.name, a.budget_original) == ("Nama dari Ani", Decimal("100000000"))


def test_after_an_approved_quarter_every_change_is_a_revision(demo_users, agency):
    operator = demo_users["operator"]
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    with pytest.raises(edit.PlanEditRefused, match="setiap perubahan Renja adalah revisi"):
        edit.update_item(user=operator, item=item, changes={"budget": Decimal("2000000000")})
    with pytest.raises(edit.PlanEditRefused, match="dasar hukum"):
        edit.update_item(user=operator, item=item, changes={"budget": Decimal("2000000000")},
                         revision=Revision(date(2024, 9, 2), "APBD-P", " "))  # fmt: skip
    with pytest.raises(edit.PlanEditRefused, match="di luar rentang"):
        edit.update_item(user=operator, item=item, changes={"budget": Decimal("2000000000")},
                         revision=Revision(date(2020, 1, 1), "APBD-P", "Perda"))  # fmt: skip
    edit.update_item(user=operator, item=item, revision=REVISION,
                     changes={"budget": Decimal("2000000000"), "unit": "Persen"},
                     expected={"budget": Decimal("1905955200"), "unit": "%"})  # fmt: skip
    item.refresh_from_db()
    assert (item.budget_original, item.budget_revised, item.budget_revised_on) == (
        Decimal("1905955200"), Decimal("2000000000"), date(2024, 9, 2))  # fmt: skip
    assert (item.budget_revision_reason, item.budget_legal_basis, item.unit) == (
        "APBD Perubahan 2024", "Perda No. 9 Tahun 2024", "Persen")  # fmt: skip
    change = next(c for c in changes_of(item) if c.field == "budget_revised")
    assert change.reason == ("Revisi 02-09-2024: APBD Perubahan 2024 (dasar hukum: Perda No. 9 "
                             "Tahun 2024)")  # fmt: skip
    # a new sub kegiatan of the APBD Perubahan: no pagu murni, its pagu is the perubahan
    kegiatan = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02.2.04")
    with pytest.raises(edit.PlanEditRefused, match="revisi"):
        edit.create_item(user=operator, agency=agency, year=2024, parent=kegiatan, level=S,
                         code="5.03.02.2.04.0009", name="Baru")  # fmt: skip
    new = edit.create_item(user=operator, agency=agency, year=2024, parent=kegiatan, level=S,
                           code="5.03.02.2.04.0009", name="Sub Kegiatan APBD-P",
                           budget_original=Decimal("5000000"), revision=REVISION)  # fmt: skip
    assert (new.budget_original, new.budget_revised, new.budget_legal_basis) == (
        None, Decimal("5000000"), "Perda No. 9 Tahun 2024")  # fmt: skip
    assert new.position == 47  # first under its kegiatan (46); the others follow it


def test_only_the_agencys_operator_or_its_pemdas_admin_edit_the_plan(demo_users, agency, fresh):
    other_agency, other_operator = fresh
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    for user in (demo_users["verifikator"], demo_users["pimpinan"], other_operator):
        with pytest.raises(edit.PlanEditRefused, match="Hanya operator"):
            edit.create_item(user=user, agency=agency, year=2026, parent=None, level=P,
                             code="5.03.02", name="Program")  # fmt: skip
        with pytest.raises(edit.PlanEditRefused, match="Hanya operator"):
            edit.remove_item(user=user, item=program, reason="x")
    created = edit.create_item(user=demo_users["admin"], agency=other_agency, year=2026,
                               parent=None, level=P, code="2.20.02", name="Program Arsip")  # fmt: skip
    assert created.history.first().history_user == demo_users["admin"]


def test_draft_warnings_as_typed(fresh):
    agency, user = fresh
    program, a, b, s1, s2, s3 = _build(agency, user)
    found = edit.draft_warnings(agency=agency, year=2025, level=S, parent=b, item=s3,
                                values={"code": "2.20.02.2.01.0003", "unit": "Dokumen",
                                        "target_k": None, "budget": Decimal("60000000")})  # fmt: skip
    assert found == [
        "Kode «2.20.02.2.01.0003» tidak diawali kode induknya «2.20.02.2.02».",
        "Pagu induknya 2.20.02.2.02 200.000.000, jumlah rinciannya dengan isian ini 210.000.000.",
        "Target K belum diisi.",
    ]


# ---- the screens ------------------------------------------------------------------------


def _row(page, pk):
    """The text of a row of the tree, tags removed and spaces collapsed."""
    match = re.search(rf'<tr id="item-{pk}".*?</tr>', page, re.S)
    assert match, pk
    return " ".join(re.sub(r"<[^>]+>", " ", match[0]).split())


def _url(name, agency, year, *args):
    return reverse(f"planning:{name}", args=[agency.slug, year, *args])


def _post_item(client, url, **fields):
    data = {"code": "", "name": "", "indicator": "", "unit": "", "decimals": "",
            "target_k": "", "target_k_upper": "", "budget": "", "objective": "",
            "polarity": "higher", "aggregation": "sum", "responsible_unit": ""}  # fmt: skip
    data.update(fields)
    return client.post(url, data)


def test_an_empty_year_offers_tambah_program_and_the_screens_build_it(client, fresh):
    agency, user = fresh
    client.force_login(user)
    page = client.get(_url("renja", agency, 2025)).content.decode()
    assert "Belum ada Renja untuk tahun 2025." in page
    assert _url("renja_add", agency, 2025) in page  # not a dead end any more
    editor = client.get(_url("renja_tree", agency, 2025)).content.decode()
    assert "Tambah program" in editor
    form = client.get(_url("renja_add", agency, 2025)).content.decode()
    assert '<label for="id_code">Kode' in form and "Tambah program" in form
    response = _post_item(client, _url("renja_add", agency, 2025), code="2.20.02",
                          name="Program Arsip", target_k="100", unit="%",
                          budget="1.950.000.000")  # fmt: skip
    program = WorkItem.objects.get(agency=agency, year=2025)
    assert response.status_code == 302
    assert response["Location"] == _url("renja_tree", agency, 2025) + f"#item-{program.pk}"
    assert program.budget_original == Decimal("1950000000")  # never 1.950000000
    response = _post_item(client, _url("renja_add", agency, 2025) + f"?induk={program.pk}",
                          parent=str(program.pk), code="2.20.02.2.01", name="Kegiatan Satu",
                          target_k="4,5", unit="Dokumen", budget="1.000.000.000")  # fmt: skip
    assert response.status_code == 302
    kegiatan = WorkItem.objects.get(agency=agency, year=2025, level=K)
    assert (kegiatan.parent, kegiatan.target_k) == (program, Decimal("4.5"))
    tree = client.get(_url("renja_tree", agency, 2025)).content.decode()
    row = _row(tree, program.pk)
    assert "1.950.000.000" in row and "Σ rincian 1.000.000.000" in row
    assert "berbeda dengan jumlah pagu rinciannya 1.000.000.000 (selisih 950.000.000)" in row


def test_the_edit_form_refuses_english_numbers_and_shows_warnings_without_js(client, fresh):
    agency, user = fresh
    program, a, *_ = _build(agency, user)
    client.force_login(user)
    url = _url("renja_edit", agency, 2025, a.pk)
    page = client.get(url).content.decode()
    assert 'name="was-name" value="Pengelolaan Arsip Dinamis"' in page
    response = _post_item(client, url, code=a.code, name=a.name, unit="Dokumen",
                          target_k="4", budget="1,905,955,200",
                          **{"was-budget": "100.000.000"})  # fmt: skip
    assert response.status_code == 200
    assert "memakai format angka Inggris" in response.content.decode()
    response = _post_item(client, url, code=a.code, name=a.name, unit="Dokumen", target_k="",
                          budget="120.000.000",
                          **{"was-budget": "100.000.000", "was-target_k": "4"})  # fmt: skip
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.budget_original, a.target_k) == (Decimal("120000000"), None)
    tree = client.get(response["Location"]).content.decode()
    row = _row(tree, a.pk)
    assert "Target K belum diisi." in row
    assert "berbeda dengan jumlah pagu rinciannya 100.000.000" in row
    checked = client.get(_url("renja_check", agency, 2025),
                         {"item": a.pk, "code": "2.20.02.2.1", "unit": "Dokumen",
                          "target_k": "", "budget": "1,905,955,200"}).json()  # fmt: skip
    assert checked["warnings"] == [
        "Kode «2.20.02.2.1» tidak berbentuk kode Kegiatan Kepmendagri 90 (contoh: 5.03.01.2.02).",
        "Target K belum diisi.",
    ]  # the pagu, unreadable as typed, is not compared with the children's
    assert "memakai format angka Inggris" in checked["errors"]["budget"]


def test_moving_and_removing_through_the_screens(client, fresh):
    agency, user = fresh
    program, a, b, s1, s2, s3 = _build(agency, user)
    client.force_login(user)
    response = client.post(_url("renja_move", agency, 2025, b.pk), {"step": "up"})
    assert response["Location"].endswith(f"#up-{b.pk}")  # focus stays on the button pressed
    assert [r[2] for r in _tree(agency, 2025)][1] == "2.20.02.2.02"
    response = client.post(_url("renja_move", agency, 2025, s3.pk),
                           {"parent": str(a.pk), "after": ""})  # fmt: skip
    s3.refresh_from_db()
    assert s3.parent == a
    Realisation.objects.create(work_item=s2, quarter=1, value_rp=Decimal(5))
    page = client.get(_url("renja_remove", agency, 2025, b.pk)).content.decode()
    assert "sudah memiliki realisasi Triwulan I 2025" in page
    response = client.post(_url("renja_remove", agency, 2025, b.pk), {"reason": "salah"})
    assert response.status_code == 200 and WorkItem.objects.filter(pk=b.pk).exists()
    response = client.post(_url("renja_remove", agency, 2025, s1.pk), {"reason": "Ganda"})
    assert response.status_code == 302
    assert not WorkItem.objects.filter(pk=s1.pk).exists()


def test_readers_see_the_tree_without_forms_and_cannot_post(client, demo_users, agency, fresh):
    client.force_login(demo_users["verifikator"])
    page = client.get(_url("renja_tree", agency, 2024)).content.decode()
    assert "Program Kepegawaian Daerah" in page and "1.905.955.200" in page
    assert "Tambah program" not in page and "<form" not in page.split("<main>")[1]
    assert client.get(_url("renja_add", agency, 2024)).status_code == 403
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    assert client.post(_url("renja_remove", agency, 2024, item.pk),
                       {"reason": "x"}).status_code == 403  # fmt: skip
    other_agency, other_operator = fresh
    client.force_login(other_operator)
    assert client.get(_url("renja_tree", agency, 2024)).status_code == 403


def test_after_approval_the_form_asks_for_the_revision(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    url = _url("renja_edit", agency, 2024, item.pk)
    page = client.get(url).content.decode()
    assert "Dasar hukum revisi" in page and "pagu perubahan" in page
    fields = {"code": item.code, "name": item.name, "indicator": item.indicator, "unit": "%",
              "target_k": "1", "budget": "2.000.000.000", "objective": str(item.objective_id),
              "was-budget": "1.905.955.200"}  # fmt: skip
    response = _post_item(client, url, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r'has-error"><label for="id_revision_legal_basis">', page)
    item.refresh_from_db()
    assert item.budget_revised is None
    response = _post_item(client, url, **fields, revision_on="2024-09-02",
                          revision_reason="APBD-P", revision_legal_basis="Perda 9/2024")  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.budget_original, item.budget_revised) == (
        Decimal("1905955200"), Decimal("2000000000"))  # fmt: skip


def test_the_edit_screen_refuses_a_field_someone_else_changed_and_keeps_the_typing(client, fresh):
    agency, user = fresh
    program, a, *_ = _build(agency, user)
    client.force_login(user)
    url = _url("renja_edit", agency, 2025, a.pk)
    drawn = {"code": a.code, "name": a.name, "unit": "Dokumen", "target_k": "4",
             "budget": "100.000.000", "polarity": "higher", "aggregation": "sum"}  # fmt: skip
    other = get_user_model().objects.create_user("ani", password="x", first_name="Ani")
    Profile.objects.create(user=other, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    edit.update_item(user=other, item=WorkItem.objects.get(pk=a.pk),
                     changes={"budget": Decimal("110000000")})  # fmt: skip
    posted = {**drawn, "budget": "120.000.000", "name": "Arsip Dinamis Daerah",
              **{f"was-{k}": v for k, v in drawn.items()}}  # fmt: skip
    response = _post_item(client, url, **posted)
    assert response.status_code == 409
    page = response.content.decode()
    assert "menjadi 110.000.000; isian Anda 120.000.000" in page
    assert 'name="was-budget" value="110.000.000"' in page  # saving again overwrites knowingly
    assert 'value="120.000.000"' in page  # the typing is kept
    a.refresh_from_db()
    assert (a.name, a.budget_original) == ("Pengelolaan Arsip Dinamis", Decimal("110000000"))
    posted["was-budget"] = "110.000.000"
    assert _post_item(client, url, **posted).status_code == 302
    a.refresh_from_db()
    assert (a.name, a.budget_original) == ("Arsip Dinamis Daerah", Decimal("120000000"))
