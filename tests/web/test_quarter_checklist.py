"""The Lembar Pemeriksaan panel on the quarter page: before Ajukan, Verifikasi and Sahkan; the
Sahkan form asks for a reason while items block, and the timeline shows it."""

import re

import pytest
from django.urls import reverse

from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
from kinerja.monitoring.workflow import submit_quarter, verify_quarter
from kinerja.reporting.checklist import build_checklist
from kinerja.seed import SEED_OVERRIDE
from tests.conftest import SEED_TODAY

pytestmark = pytest.mark.django_db
TW2 = {"year": 2024, "quarter": 2}
RULE_ID = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b")


def _url(agency, name="web:quarter", quarter=2):
    return reverse(name, kwargs={"agency": agency.slug, "year": 2024, "quarter": quarter})


def _page(client, user, agency, quarter=2):
    client.force_login(user)
    response = client.get(_url(agency, quarter=quarter))
    assert response.status_code == 200
    return response.content.decode()


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_operator_sees_the_panel_before_ajukan(client, demo_users, agency):
    page = _page(client, demo_users["operator"], agency)
    panel = page.index('id="lembar-pemeriksaan"')
    assert panel < page.index("Ajukan ke verifikator")
    checklist = build_checklist(agency, 2024, 2)
    section = page[panel : page.index("</section>", panel)]
    rows = re.findall(r"<tr class=\"(blocks)?\"", section)
    assert len(rows) == len(checklist.items) == 22  # TW II: the same rows as TW I
    text = _text(section)
    assert "22 temuan: 2 menghambat pengesahan, 20 tidak menghambat." in text
    assert text.count("Kode tidak diketahui") == 4
    assert "Samakan Rp induk dengan jumlah rinciannya atau perbaiki rinciannya." in text
    assert RULE_ID.findall(text) == []
    for fmt in ("pdf", "xlsx"):
        assert reverse("web:download", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2,
                                               "document": "pemeriksaan", "fmt": fmt}) in section  # fmt: skip
    assert 'name="reason"' not in page[page.index('class="actions"') :].split("</section>")[0]


def test_the_pimpinan_must_give_a_reason_to_approve_with_blocking_items(client, demo_users,
                                                                          agency):  # fmt: skip
    submit_quarter(user=demo_users["operator"], agency=agency, today=SEED_TODAY, **TW2)
    verify_quarter(user=demo_users["verifikator"], agency=agency, **TW2)
    page = _page(client, demo_users["pimpinan"], agency)
    assert page.index('id="lembar-pemeriksaan"') < page.index("Sahkan</a>")
    assert 'name="reason"' not in page.split('class="actions"')[1].split("</section>")[0]
    # Sahkan opens its confirmation, which asks the reason (tests/web/test_confirm.py)
    page = client.get(_url(agency, "web:approve_confirm")).content.decode()
    assert page.index('id="lembar-pemeriksaan"') < page.index("Ya, sahkan</button>")
    assert "Alasan mengesahkan dengan 2 temuan yang menghambat pengesahan" in page
    assert re.search(r'<textarea id="approve-reason" name="reason" rows="3" maxlength="1000" '
                     r"required>", page)  # fmt: skip

    refused = client.post(_url(agency, "web:approve"), {"reason": ""}, follow=True)
    assert "memuat 2 temuan yang menghambat pengesahan" in refused.content.decode()
    status = QuarterSubmission.objects.get(agency=agency, **TW2).status
    assert status == SubmissionStatus.VERIFIED

    done = client.post(_url(agency, "web:approve"), {"reason": "Dicatat sesuai aslinya."},
                       follow=True)  # fmt: skip
    assert "Triwulan disahkan." in done.content.decode()
    timeline = _text(done.content.decode().split('class="timeline"')[1].split("</section>")[0])
    assert ("Disahkan dengan 2 temuan yang menghambat pengesahan; alasan: Dicatat sesuai "
            "aslinya.") in timeline  # fmt: skip
    panel = _text(done.content.decode().split('id="lembar-pemeriksaan"')[1].split("</section>")[0])
    assert "Alasan pengesahan dengan temuan yang menghambat: Dicatat sesuai aslinya." in panel


def test_the_seeds_tw1_page_shows_the_reason_of_its_approval(client, demo_users, agency):
    page = _text(_page(client, demo_users["evaluator"], agency, quarter=1))
    assert f"Alasan pengesahan dengan temuan yang menghambat: {SEED_OVERRIDE}" in page
    assert f"Disahkan dengan 2 temuan yang menghambat pengesahan; alasan: {SEED_OVERRIDE}" in page
