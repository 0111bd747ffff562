"""Sahkan and the Lembar Pemeriksaan (monitoring/workflow.py): blocking items refuse the
approval unless the pimpinan gives a reason, which is recorded with their count."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import QuarterSubmission, SubmissionEvent, SubmissionStatus
from kinerja.monitoring.workflow import (
    WorkflowRefused,
    approve_quarter,
    submit_quarter,
    timeline,
    verify_quarter,
)
from kinerja.planning.models import (
    Agency,
    Letterhead,
    PerformanceAgreement,
    Signatory,
    WorkItem,
)
from kinerja.record.models import QuarterSnapshot
from kinerja.seed import SEED_OVERRIDE
from tests.conftest import SEED_TODAY

S = SubmissionStatus
TW2 = {"year": 2024, "quarter": 2}
REASON = "Selisih Rp berasal dari dokumen anggaran; disahkan seperti adanya."


def _verified(agency, users, **tw):
    tw = tw or TW2
    submit_quarter(user=users["operator"], agency=agency, today=SEED_TODAY, **tw)
    verify_quarter(user=users["verifikator"], agency=agency, **tw)


def _state(agency, quarter=2):
    return (
        QuarterSubmission.objects.get(agency=agency, year=2024, quarter=quarter).status,
        QuarterSnapshot.objects.filter(agency=agency, year=2024, quarter=quarter).count(),
    )


def test_sahkan_is_refused_while_the_checklist_has_blocking_items(demo_users, agency):
    _verified(agency, demo_users)
    with pytest.raises(WorkflowRefused) as refused:
        approve_quarter(user=demo_users["pimpinan"], agency=agency, **TW2)
    assert str(refused.value) == (
        "Triwulan II 2024 belum dapat disahkan: Lembar Pemeriksaan memuat 2 temuan yang menghambat "
        "pengesahan. Perbaiki dahulu, atau tuliskan alasan mengesahkannya seperti adanya."
    )
    assert _state(agency) == (S.VERIFIED, 0)
    with pytest.raises(WorkflowRefused, match="memuat 2 temuan"):  # blank is no reason
        approve_quarter(user=demo_users["pimpinan"], agency=agency, reason="  \n ", **TW2)
    assert _state(agency) == (S.VERIFIED, 0)


def test_sahkan_with_a_reason_approves_and_records_the_reason_and_the_count(demo_users, agency):
    _verified(agency, demo_users)
    approve_quarter(user=demo_users["pimpinan"], agency=agency, reason=f"  {REASON} ", **TW2)
    assert _state(agency) == (S.APPROVED, 1)
    last = timeline(agency, **TW2)[-1]
    assert (last.to_status, last.actor.username, last.reason, last.override_reason,
            last.blocking_items) == (S.APPROVED, "pimpinan", "", REASON, 2)  # fmt: skip


def test_an_overlong_reason_is_refused_with_the_limit(demo_users, agency):
    _verified(agency, demo_users)
    with pytest.raises(WorkflowRefused, match="Alasan pengesahan terlalu panjang: 1.001 karakter"):
        approve_quarter(user=demo_users["pimpinan"], agency=agency, reason="x" * 1001, **TW2)
    assert _state(agency) == (S.VERIFIED, 0)


def test_the_seeds_approval_went_through_the_same_rule_with_its_reason(agency):
    approval = SubmissionEvent.objects.get(submission__agency=agency, submission__year=2024,
                                           submission__quarter=1, to_status=S.APPROVED)  # fmt: skip
    assert (approval.override_reason, approval.blocking_items) == (SEED_OVERRIDE, 2)


# ---- an agency of its own: nothing blocks, then its kop goes missing -------------------------


@pytest.fixture
def tidy(agency):
    """An agency whose TW II has no finding: one program, its signatories and its kop."""
    other = Agency.objects.create(government=agency.government, name="Dinas Rapi",
                                  abbreviation="Rapi", slug="dinas-rapi")  # fmt: skip
    WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                            code="9.01.01", name="Program Rapi", indicator="Jumlah layanan",
                            unit="layanan", target_k=Decimal(10),
                            budget_original=Decimal(1000))  # fmt: skip
    pk = PerformanceAgreement.objects.create(agency=other, year=2024, place="Sumenep")
    Signatory.objects.create(agreement=pk, party="first", title="Kepala Dinas Rapi",
                             name="Nama Kepala (contoh)")  # fmt: skip
    Signatory.objects.create(agreement=pk, party="second", title="Bupati Sumenep",
                             name="Nama Bupati (contoh)")  # fmt: skip
    Letterhead.objects.create(agency=other, year=2024, address="Jl. Contoh 1 (contoh)")
    users = {}
    for name, role in (("operator", Role.OPERATOR), ("verifikator", Role.VERIFIER),
                       ("pimpinan", Role.HEAD)):  # fmt: skip
        user = get_user_model().objects.create_user(f"{name}_rapi", password="x")
        Profile.objects.create(user=user, role=role, government=agency.government,
                               agency=None if role == Role.VERIFIER else other)  # fmt: skip
        users[name] = user
    return other, users


def test_a_quarter_without_blocking_items_is_approved_without_a_reason(tidy):
    other, users = tidy
    _verified(other, users)
    approve_quarter(user=users["pimpinan"], agency=other, **TW2)
    last = timeline(other, **TW2)[-1]
    assert (last.to_status, last.override_reason, last.blocking_items) == (S.APPROVED, "", 0)


def test_a_missing_kop_blocks_sahkan(tidy):
    other, users = tidy
    Letterhead.objects.filter(agency=other).update(address="")
    _verified(other, users)
    with pytest.raises(WorkflowRefused, match="memuat 1 temuan yang menghambat"):
        approve_quarter(user=users["pimpinan"], agency=other, **TW2)
    assert _state(other) == (S.VERIFIED, 0)
