"""The rencana aksi of a quarter on the Renja page (planning/views.py ``action_plan``) after
the year's first approval (issue 15): a change is a revision with its date, reason and legal
basis, the same rule as the tree editor's (``items.check_revision`` asked by
``domain.set_action_plan``), and the approved quarter keeps what its snapshot froze."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
from kinerja.planning import renja_edit as edit
from kinerja.planning.domain import RevisionRefused, set_action_plan
from kinerja.planning.items import Revision, plan_locked
from kinerja.planning.models import ActionPlan, LevelChoice, WorkItem
from kinerja.record.snapshots import quarter_input

pytestmark = pytest.mark.django_db

D = Decimal


def _url(agency, item, quarter):
    return reverse("planning:action_plan", args=[agency.slug, item.year, item.pk, quarter])


def _kepegawaian(agency):
    return WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")


def _stored(item, quarter):
    plan = ActionPlan.objects.filter(work_item=item, quarter=quarter).first()
    return None if plan is None else (plan.target_k, plan.cash_plan)


def _history(item, quarter):
    return ActionPlan.objects.get(work_item=item, quarter=quarter).history.count()


def test_the_demo_year_is_locked(agency):
    # the premise of the tests below: 2024 of the demo has an approved quarter
    assert plan_locked(agency, 2024)
    assert not plan_locked(agency, 2030)


def test_after_approval_the_page_refuses_a_change_without_the_revision(client, demo_users,
                                                                       agency):  # fmt: skip
    client.force_login(demo_users["operator"])
    item = _kepegawaian(agency)
    before = _stored(item, 3)
    page = client.get(reverse("planning:renja", args=[agency.slug, 2024])).content.decode()
    assert 'name="revision_legal_basis"' in page and "Tanggal revisi" in page
    assert "perubahan ini adalah revisi" in page
    response = client.post(_url(agency, item, 3), {
        "target_k": "3", "cash_plan": "400.000.000", "reason": "geser kas"})  # fmt: skip
    assert response.status_code == 200
    assert "Rencana aksi belum disimpan" in response.content.decode()
    assert _stored(item, 3) == before
    # a script past the form: the domain refuses in Indonesian, nothing is written
    with pytest.raises(RevisionRefused, match="setiap perubahan Renja adalah revisi"):
        set_action_plan(user=demo_users["operator"], work_item=item, quarter=3,
                        target_k=D(3), cash_plan=D(400_000_000), reason="geser kas")  # fmt: skip
    with pytest.raises(RevisionRefused, match="Tuliskan dasar hukum revisi"):
        set_action_plan(user=demo_users["operator"], work_item=item, quarter=3,
                        target_k=D(3), cash_plan=None,
                        revision=Revision(date(2024, 9, 2), "geser kas", " "))  # fmt: skip
    assert _stored(item, 3) == before


def test_after_approval_the_page_writes_a_revision_with_its_history_reason(client, demo_users,
                                                                           agency):  # fmt: skip
    client.force_login(demo_users["operator"])
    item = _kepegawaian(agency)
    response = client.post(_url(agency, item, 3), {
        "target_k": "3", "cash_plan": "400.000.000", "revision_on": "2024-09-02",
        "revision_reason": "Rencana kas APBD-P", "revision_legal_basis": "Perda No. 9 Tahun 2024",
    })  # fmt: skip
    assert response.status_code == 302
    assert _stored(item, 3) == (D(3), D(400_000_000))
    plan = ActionPlan.objects.get(work_item=item, quarter=3)
    assert plan.history.first().history_change_reason == (
        "Revisi 02-09-2024: Rencana kas APBD-P (dasar hukum: Perda No. 9 Tahun 2024)")  # fmt: skip
    # the same values again change nothing: no revision asked, no history written
    count = _history(item, 3)
    set_action_plan(user=demo_users["operator"], work_item=item, quarter=3, target_k=D(3),
                    cash_plan=D(400_000_000))  # fmt: skip
    assert _history(item, 3) == count


def test_before_approval_the_page_is_free_as_before(client, demo_users, agency):
    operator = demo_users["operator"]
    client.force_login(operator)
    item = edit.create_item(user=operator, agency=agency, year=2030, parent=None,
                            level=LevelChoice.PROGRAM, code="5.03.02", name="Program uji")  # fmt: skip
    page = client.get(reverse("planning:renja", args=[agency.slug, 2030])).content.decode()
    assert 'name="revision_on"' not in page and 'name="reason"' in page
    response = client.post(_url(agency, item, 2), {
        "target_k": "2", "cash_plan": "1.000.000", "reason": "Jadwal pengadaan"})  # fmt: skip
    assert response.status_code == 302
    assert _stored(item, 2) == (D(2), D(1_000_000))
    reason = ActionPlan.objects.get(work_item=item, quarter=2).history.first()
    assert reason.history_change_reason == "Jadwal pengadaan"


def test_a_revision_of_an_approved_quarter_leaves_its_snapshot(demo_users, agency):
    approved = (QuarterSubmission.objects.filter(agency=agency, year=2024,
                                                 status=SubmissionStatus.APPROVED)
                .order_by("quarter").first().quarter)  # fmt: skip
    item = _kepegawaian(agency)

    def frozen():
        inp = quarter_input(agency, year=2024, quarter=approved)
        row = next(i for i in inp.items if i.key == item.pk)
        return row.quarters[approved - 1].plan_k, row.quarters[approved - 1].cash_plan

    printed = frozen()
    new = D(987_654_321)
    assert printed[1] != new
    set_action_plan(user=demo_users["operator"], work_item=item, quarter=approved,
                    target_k=printed[0], cash_plan=new,
                    revision=Revision(date(2024, 9, 2), "Koreksi kas", "Perda 9/2024"))  # fmt: skip
    assert _stored(item, approved)[1] == new  # the live plan is revised
    assert frozen() == printed  # the approved quarter reads what it printed


@pytest.mark.parametrize(
    ("today", "year", "offered"),
    [
        (date(2026, 12, 6), 2024, date(2025, 12, 31)),  # 2024 accepts dates up to 2025
        (date(2024, 9, 2), 2024, date(2024, 9, 2)),  # within the range: today
        (date(2020, 3, 1), 2024, date(2023, 1, 1)),  # a clock behind the year
    ],
)
def test_the_revision_date_offered_lies_in_the_years_accepted_range(today, year, offered):
    from unittest import mock

    from kinerja.planning.forms import revision_date_default

    with mock.patch("django.utils.timezone.localdate", return_value=today):
        assert revision_date_default(year) == offered


def test_the_tree_editor_offers_a_revision_date_the_year_accepts(client, demo_users, agency):
    from unittest import mock

    item = _kepegawaian(agency)
    client.force_login(demo_users["operator"])
    url = reverse("planning:renja_edit", args=[agency.slug, 2024, item.pk])
    with mock.patch("django.utils.timezone.localdate", return_value=date(2026, 12, 6)):
        page = client.get(url).content.decode()
    field = page[page.index('name="revision_on"') - 200 : page.index('name="revision_on"') + 200]
    assert 'value="2025-12-31"' in field
    assert 'min="2023-01-01"' in field and 'max="2025-12-31"' in field
