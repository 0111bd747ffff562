from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kinerja.accounts.models import Profile, Role
from kinerja.accounts.rules import (
    can_approve,
    can_note,
    can_reopen,
    can_submit,
    can_verify,
    is_reader_of,
)
from kinerja.monitoring.domain import EditRefused, record_realisation
from kinerja.monitoring.models import (
    QuarterSubmission,
    ReportingPeriod,
    RowNote,
    SubmissionEvent,
    SubmissionStatus,
)
from kinerja.monitoring.workflow import (
    WorkflowRefused,
    add_row_note,
    approve_quarter,
    late_agencies,
    reopen_quarter,
    return_quarter,
    submit_quarter,
    timeline,
    verify_quarter,
)
from kinerja.planning.models import Agency, Government, WorkItem
from kinerja.seed import SEED_OVERRIDE

from ..conftest import SEED_TODAY

pytestmark = pytest.mark.django_db

S = SubmissionStatus
TW = {"year": 2024, "quarter": 2}
ALL = ("operator", "verifikator", "evaluator", "pimpinan", "admin")


# ---- helpers ------------------------------------------------------------------------------


def _user(username, role, government, agency=None):
    user = get_user_model().objects.create_user(username, password="x")
    Profile.objects.create(user=user, role=role, government=government, agency=agency)
    return user


@pytest.fixture
def other_agency(agency):
    """A second agency of the same pemda, with its own operator and head."""
    other = Agency.objects.create(government=agency.government, name="Dinas Kesehatan",
                                  abbreviation="Dinkes", slug="dinkes-sumenep")  # fmt: skip
    _user("operator_dinkes", Role.OPERATOR, agency.government, other)
    _user("pimpinan_dinkes", Role.HEAD, agency.government, other)
    return other


@pytest.fixture
def outsider():
    """A verifikator of another pemda."""
    government = Government.objects.create(name="Kabupaten Pamekasan", slug="pamekasan",
                                           region="Jawa Timur")  # fmt: skip
    return _user("verifikator_pamekasan", Role.VERIFIER, government)


@pytest.fixture
def item(agency):
    return WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")  # Pengelolaan Mutasi


def _status(agency, quarter=2):
    return S(QuarterSubmission.objects.get(agency=agency, year=2024, quarter=quarter).status)


def _set_status(agency, status, quarter=2):
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=quarter).update(
        status=status
    )


def _snapshot(agency, quarter=2):
    """The state and the events of a quarter, to show that a refusal changed nothing."""
    submission = QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=quarter)
    return (
        list(submission.values_list("status", flat=True)),
        list(
            SubmissionEvent.objects.filter(submission__in=submission).values_list(
                "pk", "from_status", "to_status", "actor__username", "reason"
            )
        ),
    )


def _events(agency, quarter=2):
    return [
        (e.from_status, e.to_status, e.actor.username if e.actor else None, e.reason)
        for e in timeline(agency, year=2024, quarter=quarter)
    ]


def _refused(call, agency, match, quarter=2):
    before = _snapshot(agency, quarter)
    with pytest.raises(WorkflowRefused, match=match):
        call()
    assert _snapshot(agency, quarter) == before


def _submit(user, agency, today=SEED_TODAY):
    return submit_quarter(user=user, agency=agency, today=today, **TW)


def _return(user, agency, reason="Realisasi Rp belum sesuai SP2D"):
    return return_quarter(user=user, agency=agency, reason=reason, **TW)


def _verify(user, agency):
    return verify_quarter(user=user, agency=agency, **TW)


def _approve(user, agency, reason=SEED_OVERRIDE):
    """The seed's quarters carry the printed form's two Rp-sum errors, which block Sahkan
    without a reason (tests/monitoring/test_approval_checklist.py)."""
    return approve_quarter(user=user, agency=agency, reason=reason, **TW)


def _reopen(user, agency, reason="Salah input pagu"):
    return reopen_quarter(user=user, agency=agency, reason=reason, **TW)


# ---- the happy path -------------------------------------------------------------------------


def test_a_quarter_goes_from_draft_to_approved_and_the_timeline_tells_it(demo_users, agency):
    u = demo_users
    assert _submit(u["operator"], agency).status == S.SUBMITTED
    assert _return(u["verifikator"], agency, reason="  Lengkapi bukti  ").status == S.RETURNED
    assert _submit(u["operator"], agency).status == S.SUBMITTED
    assert _verify(u["verifikator"], agency).status == S.VERIFIED
    approved = _approve(u["pimpinan"], agency)
    assert approved.status == S.APPROVED
    assert _status(agency) == S.APPROVED
    assert _events(agency) == [
        (S.DRAFT, S.SUBMITTED, "operator", ""),
        (S.SUBMITTED, S.RETURNED, "verifikator", "Lengkapi bukti"),
        (S.RETURNED, S.SUBMITTED, "operator", ""),
        (S.SUBMITTED, S.VERIFIED, "verifikator", ""),
        (S.VERIFIED, S.APPROVED, "pimpinan", ""),
    ]


def test_the_timeline_fetches_actors_in_one_query(demo_users, agency, django_assert_num_queries):
    _submit(demo_users["operator"], agency)
    _verify(demo_users["verifikator"], agency)
    with django_assert_num_queries(1):
        assert [e.actor.username for e in timeline(agency, **TW)] == ["operator", "verifikator"]


def test_a_missing_submission_is_created_as_draft_and_submitted(other_agency):
    operator = get_user_model().objects.get(username="operator_dinkes")
    assert not QuarterSubmission.objects.filter(agency=other_agency).exists()
    submission = _submit(operator, other_agency)
    assert (submission.agency, submission.year, submission.quarter, submission.status) == (
        other_agency, 2024, 2, S.SUBMITTED
    )  # fmt: skip
    assert _events(other_agency) == [(S.DRAFT, S.SUBMITTED, "operator_dinkes", "")]


# ---- wrong role -----------------------------------------------------------------------------


def _others(allowed):
    return [u for u in ALL if u != allowed]


@pytest.mark.parametrize("username", _others("operator"))
def test_only_the_operator_submits(demo_users, agency, username):
    _refused(lambda: _submit(demo_users[username], agency), agency, "Hanya operator BKPSDM")


@pytest.mark.parametrize("username", _others("verifikator"))
def test_only_the_verifikator_returns(demo_users, agency, username):
    _set_status(agency, S.SUBMITTED)
    _refused(lambda: _return(demo_users[username], agency), agency, "Hanya verifikator")


@pytest.mark.parametrize("username", _others("verifikator"))
def test_only_the_verifikator_verifies(demo_users, agency, username):
    _set_status(agency, S.SUBMITTED)
    _refused(lambda: _verify(demo_users[username], agency), agency, "Hanya verifikator")


@pytest.mark.parametrize("username", _others("pimpinan"))
def test_only_the_head_of_the_agency_approves(demo_users, agency, username):
    _set_status(agency, S.VERIFIED)
    _refused(lambda: _approve(demo_users[username], agency), agency, "Hanya pimpinan BKPSDM")


@pytest.mark.parametrize("username", _others("admin"))
def test_only_the_admin_reopens(demo_users, agency, username):
    _set_status(agency, S.APPROVED)
    _refused(lambda: _reopen(demo_users[username], agency), agency, "Hanya admin")


def test_an_anonymous_user_is_refused_everything(agency):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    _refused(lambda: _submit(anon, agency), agency, "Hanya operator")
    _set_status(agency, S.SUBMITTED)
    _refused(lambda: _verify(anon, agency), agency, "Hanya verifikator")


def test_a_regent_level_head_approves_no_agency(demo_users, agency):
    regent = _user("bupati", Role.HEAD, agency.government)
    _set_status(agency, S.VERIFIED)
    _refused(lambda: _approve(regent, agency), agency, "Hanya pimpinan BKPSDM")


def test_the_operator_and_head_of_another_agency_are_refused(demo_users, agency, other_agency):
    users = get_user_model().objects.in_bulk(["operator_dinkes", "pimpinan_dinkes"],
                                             field_name="username")  # fmt: skip
    _refused(lambda: _submit(users["operator_dinkes"], agency), agency, "Hanya operator BKPSDM")
    _set_status(agency, S.VERIFIED)
    _refused(lambda: _approve(users["pimpinan_dinkes"], agency), agency, "Hanya pimpinan BKPSDM")
    # and the demo operator and head cannot act for the other agency either
    _refused(lambda: _submit(demo_users["operator"], other_agency), other_agency,
             "Hanya operator Dinkes")  # fmt: skip
    assert not QuarterSubmission.objects.filter(agency=other_agency).exists()


def test_a_verifikator_of_another_government_is_refused(demo_users, agency, outsider):
    _set_status(agency, S.SUBMITTED)
    _refused(lambda: _verify(outsider, agency), agency, "Hanya verifikator")
    _refused(lambda: _return(outsider, agency), agency, "Hanya verifikator")


# ---- wrong state ----------------------------------------------------------------------------


def test_verifying_a_draft_is_refused(demo_users, agency):
    _refused(lambda: _verify(demo_users["verifikator"], agency), agency,
             "Triwulan II 2024 berstatus Draf; yang dapat diverifikasi hanya yang berstatus Diajukan")  # fmt: skip


def test_approving_a_submitted_quarter_is_refused(demo_users, agency):
    _submit(demo_users["operator"], agency)
    _refused(lambda: _approve(demo_users["pimpinan"], agency), agency,
             "berstatus Diajukan; yang dapat disahkan hanya yang berstatus Diverifikasi")  # fmt: skip


def test_submitting_a_submitted_quarter_is_refused(demo_users, agency):
    _submit(demo_users["operator"], agency)
    _refused(lambda: _submit(demo_users["operator"], agency), agency,
             "berstatus Diajukan; yang dapat diajukan hanya yang berstatus Draf atau Dikembalikan")  # fmt: skip


def test_returning_an_approved_quarter_is_refused(demo_users, agency):
    _refused(lambda: return_quarter(user=demo_users["verifikator"], agency=agency, year=2024,
                                    quarter=1, reason="koreksi"),
             agency, "Triwulan I 2024 berstatus Disahkan; yang dapat dikembalikan", quarter=1)  # fmt: skip


def test_reopening_a_draft_is_refused(demo_users, agency):
    _refused(lambda: _reopen(demo_users["admin"], agency), agency,
             "berstatus Draf; yang dapat dibuka kembali hanya yang berstatus Diajukan atau "
             "Dikembalikan atau Diverifikasi atau Disahkan")  # fmt: skip


def test_a_quarter_outside_1_to_4_is_refused(demo_users, agency):
    with pytest.raises(WorkflowRefused, match="Triwulan harus 1–4"):
        submit_quarter(user=demo_users["operator"], agency=agency, year=2024, quarter=5,
                       today=SEED_TODAY)  # fmt: skip


# ---- the reporting period -------------------------------------------------------------------


def test_submitting_after_the_period_closed_is_refused(demo_users, agency):
    period = ReportingPeriod.objects.get(government=agency.government, **TW)
    late = period.closes_on + timedelta(days=1)
    _refused(lambda: _submit(demo_users["operator"], agency, today=late), agency,
             "Periode pelaporan Triwulan II 2024 dibuka 01-07-2024 sampai 31-07-2024")  # fmt: skip
    assert _submit(demo_users["operator"], agency, today=period.closes_on).status == S.SUBMITTED


def test_submitting_before_the_period_opens_is_refused(demo_users, agency):
    early = SEED_TODAY - timedelta(days=1)
    _refused(lambda: _submit(demo_users["operator"], agency, today=early), agency,
             "Periode pelaporan Triwulan II 2024 dibuka")  # fmt: skip


def test_submitting_without_a_period_is_refused(demo_users, agency):
    ReportingPeriod.objects.filter(government=agency.government, **TW).delete()
    _refused(lambda: _submit(demo_users["operator"], agency), agency,
             "Periode pelaporan Triwulan II 2024 belum ada; admin pemda harus membukanya")  # fmt: skip


# ---- reasons --------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_without_a_reason_is_refused(demo_users, agency, reason):
    _submit(demo_users["operator"], agency)
    _refused(lambda: _return(demo_users["verifikator"], agency, reason=reason), agency,
             "Tuliskan alasan pengembalian")  # fmt: skip


@pytest.mark.parametrize("reason", ["", "   "])
def test_reopening_without_a_reason_is_refused(demo_users, agency, reason):
    _submit(demo_users["operator"], agency)
    _refused(lambda: _reopen(demo_users["admin"], agency, reason=reason), agency,
             "Tuliskan alasan membuka kembali")  # fmt: skip


def test_the_admin_reopens_an_approved_quarter_to_draft_with_its_reason(demo_users, agency):
    reopened = reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=1,
                              reason="Salah input pagu")  # fmt: skip
    assert (reopened.status, _status(agency, quarter=1)) == (S.DRAFT, S.DRAFT)
    assert _events(agency, quarter=1)[-1] == (S.APPROVED, S.DRAFT, "admin", "Salah input pagu")


# ---- the lock on the operator's data --------------------------------------------------------


def _enter(user, item, reason=""):
    return record_realisation(user=user, work_item=item, quarter=2, value_k=Decimal(1),
                              value_rp=Decimal(2_500_000), reason=reason, today=SEED_TODAY)  # fmt: skip


def test_a_submitted_quarter_is_locked_and_a_returned_one_needs_a_reason(demo_users, agency, item):
    _submit(demo_users["operator"], agency)
    with pytest.raises(EditRefused, match="berstatus Diajukan"):
        _enter(demo_users["operator"], item, reason="koreksi")
    assert not item.realisations.filter(quarter=2).exists()

    _return(demo_users["verifikator"], agency)
    with pytest.raises(EditRefused, match="tuliskan alasan"):
        _enter(demo_users["operator"], item)
    saved = _enter(demo_users["operator"], item, reason="Sesuai catatan verifikator")
    assert (saved.value_k, saved.history.first().history_change_reason) == (
        Decimal(1), "Sesuai catatan verifikator"
    )  # fmt: skip


def test_a_reopened_quarter_is_editable_again(demo_users, agency, item):
    _submit(demo_users["operator"], agency)
    _reopen(demo_users["admin"], agency)
    assert _enter(demo_users["operator"], item).value_k == Decimal(1)


# ---- row notes ------------------------------------------------------------------------------


def test_the_verifikator_notes_a_row_in_any_state(demo_users, agency, item):
    verifier = demo_users["verifikator"]
    first = add_row_note(user=verifier, work_item=item, quarter=2, text=" Cek bukti SK ")
    _submit(demo_users["operator"], agency)
    second = add_row_note(user=verifier, work_item=item, quarter=1, text="TW I sudah sesuai")
    assert [(n.work_item, n.year, n.quarter, n.author, n.text) for n in RowNote.objects.all()] == [
        (item, 2024, 2, verifier, "Cek bukti SK"),
        (item, 2024, 1, verifier, "TW I sudah sesuai"),
    ]
    assert [first.pk, second.pk] == list(item.notes.values_list("pk", flat=True))


@pytest.mark.parametrize("username", _others("verifikator"))
def test_only_the_verifikator_notes_a_row(demo_users, item, username):
    with pytest.raises(WorkflowRefused, match="Hanya verifikator"):
        add_row_note(user=demo_users[username], work_item=item, quarter=2, text="catatan")
    assert RowNote.objects.count() == 0


def test_a_verifikator_of_another_government_notes_no_row(outsider, item):
    with pytest.raises(WorkflowRefused, match="Hanya verifikator"):
        add_row_note(user=outsider, work_item=item, quarter=2, text="catatan")
    assert RowNote.objects.count() == 0


def test_an_empty_note_is_refused(demo_users, item):
    with pytest.raises(WorkflowRefused, match="Catatan tidak boleh kosong"):
        add_row_note(user=demo_users["verifikator"], work_item=item, quarter=2, text="  ")
    assert RowNote.objects.count() == 0


# ---- late agencies --------------------------------------------------------------------------


def test_late_agencies_are_those_still_draft_after_the_period_closed(
    demo_users, agency, other_agency, django_assert_max_num_queries
):
    closes_on = ReportingPeriod.objects.get(government=agency.government, **TW).closes_on
    government = agency.government
    _submit(demo_users["operator"], agency)
    # while the period is open, nobody is late
    assert late_agencies(government, today=SEED_TODAY, **TW) == []
    assert late_agencies(government, today=closes_on, **TW) == []
    with django_assert_max_num_queries(2):
        late = late_agencies(government, today=closes_on + timedelta(days=1), **TW)
    assert late == [other_agency]  # never started counts as Draf; BKPSDM submitted


def test_a_returned_quarter_is_late_and_a_verified_one_is_not(demo_users, agency, other_agency):
    closes_on = ReportingPeriod.objects.get(government=agency.government, **TW).closes_on
    QuarterSubmission.objects.create(agency=other_agency, status=S.VERIFIED, **TW)
    _set_status(agency, S.RETURNED)
    late = late_agencies(agency.government, today=closes_on + timedelta(days=1), **TW)
    assert late == [agency]


def test_no_period_means_nobody_is_late(agency):
    assert late_agencies(agency.government, year=2024, quarter=3, today=SEED_TODAY.replace(
        year=2025)) == []  # fmt: skip


# ---- the predicates -------------------------------------------------------------------------


def test_who_may_do_what_on_the_seed_agency(demo_users, agency, other_agency, outsider):
    others = get_user_model().objects.in_bulk(["operator_dinkes", "pimpinan_dinkes"],
                                              field_name="username")  # fmt: skip
    users = {**demo_users, **others, "verifikator_pamekasan": outsider}
    predicates = (can_submit, can_verify, can_approve, can_reopen, can_note, is_reader_of)
    table = {name: [p(u, agency) for p in predicates] for name, u in users.items()}
    assert table == {
        #                          submit verify approve reopen note   read
        "operator":              [True,  False, False,  False, False, True],
        "verifikator":           [False, True,  False,  False, True,  True],
        "evaluator":             [False, False, False,  False, False, True],
        "pimpinan":              [False, False, True,   False, False, True],
        "admin":                 [False, False, False,  True,  False, True],
        # above the pemda, though registered at it: they read, and no step is theirs
        "provinsi":              [False, False, False,  False, False, True],
        "nasional":              [False, False, False,  False, False, True],
        "operator_dinkes":       [False, False, False,  False, False, False],
        "pimpinan_dinkes":       [False, False, False,  False, False, True],
        "verifikator_pamekasan": [False, False, False,  False, False, False],
    }  # fmt: skip
