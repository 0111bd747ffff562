"""An item with several indicators (issue 15): a further indicator is a WorkItem that
continues its item (planning/renja_edit.create_indicator). It follows its item in the form,
moves and is removed with it, takes its code and name, never holds Rp, is evaluated as a row
of its own and is frozen with an approved quarter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from kinerja.core import evaluate_form
from kinerja.monitoring import domain as monitoring
from kinerja.monitoring.models import Realisation
from kinerja.monitoring.queries import evaluation_form, form_from_input
from kinerja.planning import domain
from kinerja.planning import renja_edit as edit
from kinerja.planning.models import WorkItem
from kinerja.record.capture import capture, input_hash
from kinerja.record.snapshots import freeze_quarter, read_snapshot

from .test_renja_edit import P, _build, fresh  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _order(agency, year=2025):
    return [(i.code, i.indicator or i.name, i.indicator_of_id is not None)
            for i in WorkItem.objects.filter(agency=agency, year=year).order_by("position")]  # fmt: skip


@pytest.fixture
def year(fresh):  # noqa: F811  (the fixture imported above)
    agency, user = fresh
    program, a, b, s1, s2, s3 = _build(agency, user)
    WorkItem.objects.filter(pk=program.pk).update(indicator="Persentase arsip tertata")
    more = edit.create_indicator(user=user, item=program, indicator="Indeks kearsipan",
                                 unit="Indeks", target_k=Decimal("70"),
                                 plans={1: {"target_k": Decimal(60)}})  # fmt: skip
    return agency, user, program, a, b, more


def test_a_further_indicator_follows_its_item_before_the_items_children(year):
    agency, user, program, a, _b, more = year
    assert _order(agency)[:3] == [
        ("2.20.02", "Persentase arsip tertata", False),
        ("2.20.02", "Indeks kearsipan", True),
        ("2.20.02.2.01", "Pengelolaan Arsip Dinamis", False),
    ]
    assert (more.level, more.parent_id, more.name) == (P, None, program.name)
    assert more.budget_original is None
    third = edit.create_indicator(user=user, item=more, indicator="Jumlah arsip dialihmediakan",
                                  unit="Berkas", target_k=Decimal(500))  # fmt: skip
    assert third.indicator_of_id == program.pk  # added to the item, not to the indicator
    assert [row[1] for row in _order(agency)[:3]] == [
        "Persentase arsip tertata", "Indeks kearsipan", "Jumlah arsip dialihmediakan"]  # fmt: skip


def test_the_form_reads_it_as_a_continuation_row_that_counts_in_the_footer_k(year):
    agency, user, program, _a, _b, more = year
    for item, k, rp in ((program, Decimal(50), Decimal(75_000_000)), (more, Decimal(35), None)):
        monitoring.record_realisation(user=user, work_item=item, quarter=1, value_k=k,
                                      value_rp=rp, today=date(2025, 4, 2))  # fmt: skip
    form = evaluation_form(agency, year=2025, quarter=1)
    rows = {r.indicator or r.name: r for r in form.rows}
    continuation = rows["Indeks kearsipan"]
    assert continuation.continues == rows["Persentase arsip tertata"].id
    evaluation = evaluate_form(form)
    col14 = {r.row.id: r.col14_k for r in evaluation.rows}
    assert col14[continuation.id] == Decimal(50)  # 35 of 70
    assert evaluation.footer.k.value == Decimal(50)  # (50 % + 50 %) / 2 program rows
    assert [t[0] for t in evaluation.footer.rp.terms] == [rows["Persentase arsip tertata"].id]


def test_its_code_name_and_place_follow_the_item(year):
    agency, user, program, a, b, more = year
    edit.update_item(user=user, item=a, changes={"name": "Arsip Dinamis"})
    indicator_of_a = edit.create_indicator(user=user, item=a, indicator="Jumlah arsip",
                                           unit="Berkas")  # fmt: skip
    edit.update_item(user=user, item=a, changes={"name": "Pengelolaan Arsip Dinamis Daerah"})
    indicator_of_a.refresh_from_db()
    assert indicator_of_a.name == "Pengelolaan Arsip Dinamis Daerah"
    edit.move_item(user=user, item=a, new_parent=program, after=b)
    order = _order(agency)
    keg = [n for n, row in enumerate(order) if row[0] == "2.20.02.2.01"]
    assert [order[n][1] for n in keg] == ["Pengelolaan Arsip Dinamis Daerah", "Jumlah arsip"]
    assert keg[0] > next(n for n, row in enumerate(order) if row[0] == "2.20.02.2.02.0002")
    with pytest.raises(edit.PlanEditRefused, match="berpindah bersama itemnya"):
        edit.move_item(user=user, item=indicator_of_a, new_parent=program, after=None)
    with pytest.raises(edit.PlanEditRefused, match="milik itemnya"):
        edit.update_item(user=user, item=more, changes={"name": "Lain"})
    edit.update_item(user=user, item=more, changes={"target_k": Decimal(75)})
    more.refresh_from_db()
    assert more.target_k == Decimal(75)


def test_it_holds_no_rp_anywhere(year):
    _agency, user, _program, _a, _b, more = year
    with pytest.raises(monitoring.EditRefused, match="indikator tambahan"):
        monitoring.record_realisation(user=user, work_item=more, quarter=1, value_k=Decimal(1),
                                      value_rp=Decimal(5), today=date(2025, 4, 2))  # fmt: skip
    with pytest.raises(domain.RevisionRefused, match="Rencana kas"):
        domain.set_action_plan(user=user, work_item=more, quarter=2, target_k=None,
                               cash_plan=Decimal(1))  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkItem.objects.filter(pk=more.pk).update(budget_original=Decimal(1))
    assert not Realisation.objects.filter(work_item=more).exists()


def test_removal_the_item_takes_its_indicators_and_a_realised_one_is_refused(year):
    agency, user, program, a, _b, _more = year
    of_a = edit.create_indicator(user=user, item=a, indicator="Jumlah arsip", unit="Berkas")
    monitoring.record_realisation(user=user, work_item=of_a, quarter=1, value_k=Decimal(3),
                                  value_rp=None, today=date(2025, 4, 2))  # fmt: skip
    with pytest.raises(edit.PlanEditRefused, match="sudah memiliki realisasi"):
        edit.remove_item(user=user, item=a, reason="salah")
    Realisation.objects.filter(work_item=of_a).delete()
    assert edit.remove_item(user=user, item=of_a, reason="tidak dipakai") == 1
    assert WorkItem.objects.filter(pk=a.pk).exists()
    second = edit.create_indicator(user=user, item=a, indicator="Jumlah arsip", unit="Berkas")
    assert edit.remove_item(user=user, item=a, reason="salah") == 3  # a, its indicator, s1
    assert not WorkItem.objects.filter(pk=second.pk).exists()
    positions = list(WorkItem.objects.filter(agency=agency, year=2025)
                     .order_by("position").values_list("position", flat=True))  # fmt: skip
    assert positions == list(range(1, len(positions) + 1))


def test_an_approved_quarter_freezes_it_and_reads_the_same_form(year):
    agency, user, _program, _a, _b, more = year
    monitoring.record_realisation(user=user, work_item=more, quarter=1, value_k=Decimal(35),
                                  value_rp=None, today=date(2025, 4, 2))  # fmt: skip
    snapshot = freeze_quarter(agency_id=agency.pk, year=2025, quarter=1, actor=None,
                              at=datetime(2025, 4, 16, tzinfo=UTC))  # fmt: skip
    frozen = read_snapshot(snapshot)
    assert next(i for i in frozen.items if i.key == more.pk).continues_key == more.indicator_of_id
    assert frozen == capture(agency.pk, year=2025, quarter=1)
    assert snapshot.data_hash == input_hash(frozen)
    live = evaluation_form(agency, year=2025, quarter=1)
    assert form_from_input(frozen).rows == live.rows


def test_the_printed_form_shows_it_on_a_continuation_row_without_number_code_name_or_rp(year):
    import io

    import openpyxl

    from kinerja.reporting.build import build_form_report
    from kinerja.reporting.generate import generate

    agency, user, program, _a, _b, more = year
    monitoring.record_realisation(user=user, work_item=more, quarter=1, value_k=Decimal(35),
                                  value_rp=None, today=date(2025, 4, 2))  # fmt: skip
    report = build_form_report(agency, year=2025, quarter=1, signed_on=date(2025, 4, 10))
    first, second = report.rows[:2]
    assert (first.code, first.numbered) == ("2.20.02", True)
    assert (second.code, second.name, second.indicator) == ("", "", "Indeks kearsipan")
    assert not second.numbered and second.continues == first.id
    assert [h.before for h in report.headings if h.before == second.id] == []  # no urusan row
    [xlsx] = generate(report, ["xlsx"])
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value or "" for c in r[:5]] for r in ws.iter_rows()
            if r[4].value == "Indeks kearsipan"]  # fmt: skip
    assert rows == [["", "", "", "", "Indeks kearsipan"]]
    numbers = [r[0].value for r in ws.iter_rows() if isinstance(r[0].value, int)]
    assert numbers == [1]  # one program, numbered once


def test_the_tree_editor_adds_edits_and_removes_a_further_indicator(client, year):
    from .test_renja_edit import _row, _url

    agency, user, program, a, _b, _more = year
    client.force_login(user)
    url = _url("renja_add_indicator", agency, 2025, a.pk)
    page = client.get(url).content.decode()
    assert "Tambah indikator Kegiatan 2.20.02.2.01" in page
    assert 'name="code"' not in page and 'name="budget"' not in page
    assert 'name="q1_target_k"' in page and 'name="q1_cash_plan"' not in page
    response = client.post(url, {"indicator": "", "unit": "Berkas", "polarity": "higher",
                                 "aggregation": "sum"})  # fmt: skip
    assert response.status_code == 200 and WorkItem.objects.filter(indicator_of=a).count() == 0
    response = client.post(url, {"indicator": "Jumlah arsip dialihmediakan", "unit": "Berkas",
                                 "target_k": "1.200", "polarity": "higher",
                                 "aggregation": "sum", "q1_target_k": "300",
                                 "q1_cash_plan": "5.000.000"})  # fmt: skip
    row = WorkItem.objects.get(indicator_of=a)
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{row.pk}")
    assert (row.target_k, row.code, row.budget_original) == (Decimal(1200), a.code, None)
    assert [(p.quarter, p.target_k, p.cash_plan) for p in row.action_plans.all()] == [
        (1, Decimal(300), None)
    ]  # fmt: skip  (a cash plan posted anyway is not taken)
    tree = client.get(_url("renja_tree", agency, 2025)).content.decode()
    assert "Indikator tambahan Jumlah arsip dialihmediakan dari Pengelolaan Arsip Dinamis" in (
        _row(tree, row.pk))  # fmt: skip
    assert _url("renja_move", agency, 2025, row.pk) not in _row(tree, row.pk).replace(" ", "")
    assert _url("renja_add_indicator", agency, 2025, a.pk) in tree
    edit_url = _url("renja_edit", agency, 2025, row.pk)
    page = client.get(edit_url).content.decode()
    assert "Ubah indikator tambahan Kegiatan 2.20.02.2.01" in page
    response = client.post(edit_url, {"indicator": "Jumlah arsip dialihmediakan",
                                      "unit": "Berkas", "target_k": "1.500",
                                      "polarity": "higher", "aggregation": "sum",
                                      "was-target_k": "1.200"})  # fmt: skip
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.target_k == Decimal(1500)
    checked = client.get(_url("renja_check", agency, 2025),
                         {"item": row.pk, "unit": "Berkas", "target_k": ""}).json()  # fmt: skip
    assert checked["warnings"] == ["Target K belum diisi."]
    response = client.post(_url("renja_remove", agency, 2025, row.pk), {"reason": "ganda"})
    assert response.status_code == 302
    assert not WorkItem.objects.filter(pk=row.pk).exists() and WorkItem.objects.filter(
        pk=a.pk).exists()  # fmt: skip


def test_the_grid_takes_its_k_and_offers_no_rp_cell(client, demo_users, agency):
    """The seed agency's TW II 2024: a further indicator of program 5.03.01 (a revision, TW I
    being approved) is a row of the grid with a K cell and no Rp cell."""
    import re
    from unittest import mock

    from django.urls import reverse

    from kinerja.monitoring.entry import save_quarter_entries
    from kinerja.planning.items import Revision

    from ..conftest import SEED_TODAY

    operator = demo_users["operator"]
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.01", position=1)
    more = edit.create_indicator(
        user=operator, item=program, indicator="Indeks kepuasan layanan kepegawaian",
        unit="Indeks", target_k=Decimal(80),
        revision=Revision(date(2024, 4, 20), "Indikator baru", "Perbup No. 3 Tahun 2024"))  # fmt: skip
    client.force_login(operator)
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    with mock.patch("django.utils.timezone.localdate", return_value=SEED_TODAY):
        html = client.get(url).content.decode()
    row = re.search(rf'<tr class="[^"]*more-indicator[^"]*" id="row-{more.pk}">.*?</tr>', html,
                    re.S)  # fmt: skip
    assert row, "the further indicator is a row of the grid"
    assert f'name="k-{more.pk}"' in row[0] and f'name="rp-{more.pk}"' not in row[0]
    assert "Indeks kepuasan layanan kepegawaian" in row[0]
    assert html.index(f'id="row-{program.pk}"') < html.index(f'id="row-{more.pk}"')
    save_quarter_entries(user=operator, agency=agency, year=2024, quarter=2,
                         entries={more.pk: ("60", "", "")}, today=SEED_TODAY)  # fmt: skip
    assert Realisation.objects.get(work_item=more, quarter=2).value_k == Decimal(60)
    with pytest.raises(monitoring.EditRefused, match="indikator tambahan"):
        save_quarter_entries(user=operator, agency=agency, year=2024, quarter=2,
                             entries={more.pk: ("60", "1.000", "")}, today=SEED_TODAY)  # fmt: skip


def test_next_year_carries_it_under_its_item_once(year):
    from kinerja.planning.rollover import rollover

    agency, _user, program, _a, _b, more = year
    first = rollover(agency, 2026, dry_run=False)
    carried = WorkItem.objects.get(agency=agency, year=2026, indicator_of__isnull=False)
    host = WorkItem.objects.get(agency=agency, year=2026, code=program.code,
                                indicator_of__isnull=True)  # fmt: skip
    assert (carried.indicator_of_id, carried.indicator, carried.unit) == (
        host.pk, "Indeks kearsipan", "Indeks")  # fmt: skip
    assert carried.position == host.position + 1
    row = next(r for r in first.rows if r.pk == carried.pk)
    assert row.needs == ["target K"]  # no pagu asked of a further indicator
    again = rollover(agency, 2026, dry_run=False)
    assert not again.created
    assert WorkItem.objects.filter(agency=agency, year=2026).count() == WorkItem.objects.filter(
        agency=agency, year=2025).count()  # fmt: skip


def test_a_locked_year_warns_of_a_revision_without_a_pagu_the_indicator_has_not(client, year):
    """Once a quarter is approved, the + Indikator and its edit forms say the change is a
    revision; the pagu sentence of an item's form would speak of a field they do not have."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    from .test_renja_edit import _url

    agency, user, program, _a, _b, more = year
    client.force_login(user)
    pages = {"add": _url("renja_add_indicator", agency, 2025, program.pk),
             "edit": _url("renja_edit", agency, 2025, more.pk),
             "item": _url("renja_edit", agency, 2025, program.pk)}  # fmt: skip
    before = {key: client.get(url).content.decode() for key, url in pages.items()}
    assert not any("adalah revisi" in page for page in before.values())
    QuarterSubmission.objects.create(agency=agency, year=2025, quarter=1,
                                     status=SubmissionStatus.APPROVED)  # fmt: skip
    after = {key: client.get(url).content.decode() for key, url in pages.items()}
    assert all("perubahan ini adalah revisi" in page for page in after.values())
    assert "pagu yang diubah" not in after["add"] and "pagu yang diubah" not in after["edit"]
    assert "pagu yang diubah dicatat sebagai pagu perubahan" in after["item"]
