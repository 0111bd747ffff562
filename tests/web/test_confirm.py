"""The confirmation before Ajukan, Verifikasi and Sahkan (issue 17): each button on the quarter
page opens a page (GET, no JavaScript needed) with the quarter's completeness and its Lembar
Pemeriksaan and the form that takes the step; nothing is one click. monitoring.completeness
counts what is missing."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.monitoring.completeness import completeness
from kinerja.monitoring.models import (
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    SubmissionStatus,
)
from kinerja.monitoring.workflow import submit_quarter, verify_quarter
from kinerja.planning.models import Indicator, WorkItem
from tests.conftest import SEED_TODAY

pytestmark = pytest.mark.django_db
TW2 = {"year": 2024, "quarter": 2}


def _url(agency, name):
    return reverse(name, kwargs={"agency": agency.slug, **TW2})


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _fill(agency, rows):
    """K entered for the first ``rows`` Renja rows of TW II 2024 (the seed has none)."""
    items = WorkItem.objects.filter(agency=agency, year=2024).order_by("position")[:rows]
    Realisation.objects.bulk_create(Realisation(work_item=i, quarter=2, value_k=1) for i in items)


def test_completeness_counts_rows_iku_and_narratives(agency):
    _fill(agency, 11)
    empty_rp = WorkItem.objects.filter(agency=agency, year=2024).order_by("position")[11]
    Realisation.objects.create(work_item=empty_rp, quarter=2, note="belum ada angka")  # no K/Rp
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    IndicatorRealisation.objects.create(indicator=ip_asn, year=2024, quarter=2,
                                        value=Decimal("61.5"))  # fmt: skip
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    Narrative.objects.create(agency=agency, year=2024, quarter=2, kind="supporting",
                             work_item=program, text="Dukungan pimpinan")  # fmt: skip
    Narrative.objects.create(agency=agency, year=2024, quarter=2, kind="closing", text="Penutup")
    done = completeness(agency, **TW2)
    assert (done.rows, done.rows_empty) == (61, 50)
    assert f"{empty_rp.code} {empty_rp.name}" in done.empty_rows
    assert done.indicators == 4 and "Indeks Profesionalitas ASN" not in done.iku_missing
    assert len(done.iku_missing) == 3
    assert program.name not in done.narratives_missing
    assert len(done.narratives_missing) == done.subjects - 1
    assert done.texts_missing == ("kata pengantar", "latar belakang", "rekomendasi")
    assert not done.complete


def test_ajukan_opens_a_confirmation_with_the_completeness_and_the_checklist(
    client, demo_users, agency
):
    _fill(agency, 11)
    client.force_login(demo_users["operator"])
    quarter = client.get(_url(agency, "web:quarter")).content.decode()
    actions = quarter.split('class="actions"')[1].split("</section>")[0]
    assert _url(agency, "web:submit_confirm") in actions
    assert _url(agency, "web:submit") + '"' not in actions  # no one-click form any more

    response = client.get(_url(agency, "web:submit_confirm"))
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(page)
    assert "50 dari 61 baris belum diisi" in text
    assert "Realisasi IKU belum diisi: 4 dari 4 indikator" in text
    assert (
        "teks laporan belum ditulis: kata pengantar, latar belakang, penutup, rekomendasi" in text
    )
    assert "22 temuan: 2 menghambat pengesahan, 20 tidak menghambat." in text
    assert f'action="{_url(agency, "web:submit")}"' in page
    assert "Ya, ajukan ke verifikator</button>" in page
    assert 'name="reason"' not in page  # only Sahkan with blocking items asks a reason
    assert "<title>Ajukan ke verifikator — BKPSDM Triwulan II 2024 — Kinerja</title>" in page
    # seeing the confirmation changes nothing
    assert not QuarterSubmission.objects.filter(agency=agency, **TW2).exclude(
        status=SubmissionStatus.DRAFT).exists()  # fmt: skip


def test_the_confirmation_of_a_step_the_state_does_not_allow_has_no_button(
    client, demo_users, agency
):
    client.force_login(demo_users["verifikator"])
    page = client.get(_url(agency, "web:verify_confirm")).content.decode()  # a draft quarter
    assert "Triwulan ini berstatus Draf; langkah «Verifikasi» tidak dapat diambil sekarang." in (
        page.replace("&laquo;", "«").replace("&raquo;", "»"))  # fmt: skip
    assert "Ya, verifikasi</button>" not in page


@pytest.mark.parametrize(("name", "role"), [("web:submit_confirm", "verifikator"),
                                            ("web:verify_confirm", "operator"),
                                            ("web:approve_confirm", "verifikator")])  # fmt: skip
def test_only_who_takes_the_step_sees_its_confirmation(client, demo_users, agency, name, role):
    client.force_login(demo_users[role])
    assert client.get(_url(agency, name)).status_code == 403


def test_sahkan_is_refused_without_a_reason_and_accepted_with_one(client, demo_users, agency):
    submit_quarter(user=demo_users["operator"], agency=agency, today=SEED_TODAY, **TW2)
    verify_quarter(user=demo_users["verifikator"], agency=agency, **TW2)
    client.force_login(demo_users["pimpinan"])
    page = client.get(_url(agency, "web:approve_confirm")).content.decode()
    assert "Alasan mengesahkan dengan 2 temuan yang menghambat pengesahan" in page
    assert f'action="{_url(agency, "web:approve")}"' in page

    refused = client.post(_url(agency, "web:approve"), {"reason": "  "}, follow=True)
    assert "memuat 2 temuan yang menghambat pengesahan" in refused.content.decode()
    assert QuarterSubmission.objects.get(agency=agency, **TW2).status == SubmissionStatus.VERIFIED

    done = client.post(_url(agency, "web:approve"), {"reason": "Sesuai laporan tercetak."},
                       follow=True)  # fmt: skip
    assert "Triwulan disahkan." in done.content.decode()
    assert QuarterSubmission.objects.get(agency=agency, **TW2).status == SubmissionStatus.APPROVED
