"""approve_imported_quarters (kinerja synth approves a pemda's quarter at once): each quarter
of the batch goes through the same steps, under the same rule, and freezes what was entered,
as approve_imported_quarter one at a time; a refusal refuses the whole batch."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kinerja.monitoring.models import QuarterSubmission, SubmissionEvent, SubmissionStatus
from kinerja.monitoring.workflow import (
    WorkflowRefused,
    approve_imported_quarter,
    approve_imported_quarters,
)
from kinerja.planning.models import Agency
from kinerja.record.capture import capture, input_hash
from kinerja.record.models import QuarterSnapshot
from kinerja.record.snapshots import read_snapshot
from kinerja.seed import SEED_OVERRIDE

pytestmark = pytest.mark.django_db

S = SubmissionStatus
AT = datetime(2024, 7, 18, 10, tzinfo=ZoneInfo("Asia/Jakarta"))


@pytest.fixture
def other_agency(agency):
    return Agency.objects.create(government=agency.government, name="Dinas Kesehatan",
                                 abbreviation="Dinkes", slug="dinkes-sumenep")  # fmt: skip


def _events(agency, quarter):
    return list(
        SubmissionEvent.objects.filter(
            submission__agency=agency, submission__year=2024, submission__quarter=quarter
        )
        .order_by("at", "pk")
        .values_list(
            "from_status", "to_status", "actor", "reason", "override_reason", "blocking_items"
        )  # fmt: skip
    )


def test_a_batch_approves_each_quarter_as_one_at_a_time_would(agency, other_agency):
    # one at a time: the seed agency's TW III
    before = capture(agency.pk, year=2024, quarter=3)
    approve_imported_quarter(agency=agency, year=2024, quarter=3, reason="impor", at=AT,
                             override=SEED_OVERRIDE)  # fmt: skip
    alone = QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=3)
    assert alone.data_hash == input_hash(before)
    # the batch: its TW II with another agency's
    inputs = {a.pk: capture(a.pk, year=2024, quarter=2) for a in (agency, other_agency)}
    done = approve_imported_quarters(quarters=[(agency, AT), (other_agency, None)], year=2024,
                                     quarter=2, reason="impor", override=SEED_OVERRIDE)  # fmt: skip
    assert [(s.agency, s.status) for s in done] == [(agency, S.APPROVED),
                                                    (other_agency, S.APPROVED)]  # fmt: skip
    for a in (agency, other_agency):
        snapshot = QuarterSnapshot.objects.get(agency=a, year=2024, quarter=2)
        assert (snapshot.sequence, snapshot.changes) == (1, [])
        assert snapshot.data_hash == input_hash(inputs[a.pk])
        assert read_snapshot(snapshot) == inputs[a.pk]  # every item and value, as entered
    assert QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=2).approved_at == AT
    # the same steps, reasons and checklist count as the quarter approved alone
    assert _events(agency, 2) == _events(agency, 3)
    blocking = _events(agency, 2)[-1][-1]
    assert blocking > 0  # the seed's form has blocking findings: approved with the reason
    assert [e[:2] for e in _events(other_agency, 2)] == [
        (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.VERIFIED), (S.VERIFIED, S.APPROVED)]  # fmt: skip


def test_a_refusal_refuses_the_whole_batch(agency, other_agency):
    approve_imported_quarter(
        agency=other_agency, year=2024, quarter=2, reason="impor", override=SEED_OVERRIDE
    )
    nothing = (list(QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=2)),
               QuarterSnapshot.objects.count(), SubmissionEvent.objects.count())  # fmt: skip
    # the second quarter is approved already: the first is not approved either
    with pytest.raises(WorkflowRefused, match="berstatus Disahkan"):
        approve_imported_quarters(quarters=[(agency, AT), (other_agency, AT)], year=2024,
                                  quarter=2, reason="impor", override=SEED_OVERRIDE)  # fmt: skip
    # blocking findings without a reason: refused, nothing written
    with pytest.raises(WorkflowRefused, match="Lembar Pemeriksaan"):
        approve_imported_quarters(quarters=[(agency, AT)], year=2024, quarter=2, reason="impor")
    assert (list(QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=2)),
            QuarterSnapshot.objects.count(), SubmissionEvent.objects.count()) == nothing  # fmt: skip
