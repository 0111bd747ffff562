from decimal import Decimal

import pytest

from kinerja.monitoring.domain import EditRefused, record_realisation
from kinerja.monitoring.history import changes_of
from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
from kinerja.planning.models import WorkItem

from ..conftest import SEED_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(agency):
    return WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")  # Pengelolaan Mutasi


def _enter(user, item, quarter=2, k="1", rp="2.500.000", reason="", today=SEED_TODAY):
    return record_realisation(user=user, work_item=item, quarter=quarter, value_k=Decimal(k),
                              value_rp=Decimal(rp.replace(".", "")), reason=reason,
                              today=today)  # fmt: skip


def _set_status(agency, quarter, status):
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=quarter).update(
        status=status
    )


def test_an_operator_enters_a_draft_quarter_and_history_shows_it(demo_users, item):
    first = _enter(demo_users["operator"], item)
    second = _enter(demo_users["operator"], item, k="2", rp="3.000.000")
    assert second.pk == first.pk
    assert (second.value_k, second.value_rp) == (Decimal(2), Decimal(3_000_000))
    changes = [(c.field, c.old, c.new, c.user) for c in changes_of(second)]
    assert changes == [
        ("value_k", Decimal(1), Decimal(2), "operator"),
        ("value_rp", Decimal(2_500_000), Decimal(3_000_000), "operator"),
        ("value_k", None, Decimal(1), "operator"),  # the first entry, from nothing
        ("value_rp", None, Decimal(2_500_000), "operator"),
    ]


@pytest.mark.parametrize(
    "status", [SubmissionStatus.SUBMITTED, SubmissionStatus.VERIFIED, SubmissionStatus.APPROVED]
)
def test_an_operator_edit_in_a_locked_quarter_is_refused(demo_users, agency, item, status):
    _set_status(agency, 2, status)
    with pytest.raises(EditRefused, match=f"berstatus {status.label}"):
        _enter(demo_users["operator"], item, reason="koreksi")
    assert not item.realisations.filter(quarter=2).exists()


def test_the_approved_seed_quarter_is_locked(demo_users, item):
    with pytest.raises(EditRefused, match="berstatus Disahkan"):
        _enter(demo_users["operator"], item, quarter=1, reason="koreksi")
    assert item.realisations.get(quarter=1).value_k == 1


def test_a_returned_quarter_needs_a_reason_for_every_edit(demo_users, agency, item):
    _set_status(agency, 2, SubmissionStatus.RETURNED)
    with pytest.raises(EditRefused, match="tuliskan alasan"):
        _enter(demo_users["operator"], item)
    saved = _enter(demo_users["operator"], item, reason="Koreksi sesuai catatan verifikator")
    assert saved.history.first().history_change_reason == "Koreksi sesuai catatan verifikator"


def test_only_the_agencys_operator_may_enter(demo_users, item):
    for username in ("verifikator", "evaluator", "pimpinan", "admin"):
        with pytest.raises(EditRefused, match="Hanya operator"):
            _enter(demo_users[username], item)


def test_outside_the_reporting_period_the_operator_cannot_enter(demo_users, item):
    with pytest.raises(EditRefused, match="Periode pelaporan Triwulan II 2024 dibuka"):
        _enter(demo_users["operator"], item, today=SEED_TODAY.replace(month=9))


def test_negative_money_is_refused(demo_users, item):
    with pytest.raises(EditRefused, match="tidak boleh negatif"):
        record_realisation(user=demo_users["operator"], work_item=item, quarter=2,
                           value_k=None, value_rp=Decimal(-1), today=SEED_TODAY)  # fmt: skip
