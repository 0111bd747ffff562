"""The start page's worklist by role (monitoring/worklist.py, web/home.py) and where the start
page and the header's picker open (issue 17). The seed: BKPSDM, TW I 2024 approved, TW II
2024 a draft whose period runs 1–31 July 2024 (tests/conftest.py SEED_TODAY); "today" is set
by hand, so every date and count below is written out as the page must say it."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from kinerja.monitoring import workflow
from kinerja.monitoring.models import QuarterSubmission, Realisation, SubmissionEvent
from kinerja.planning.models import WorkItem

pytestmark = pytest.mark.django_db
TW2 = {"year": 2024, "quarter": 2}


@pytest.fixture
def today(monkeypatch):
    """Set the day the pages and the workflow see (10 July 2024 unless changed)."""
    day = {"value": date(2024, 7, 10)}
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: day["value"])
    return day


def _worklist(client, user) -> str:
    client.force_login(user)
    html = client.get("/").content.decode()
    found = re.search(r'<section class="worklist".*?</section>', html, re.S)
    return " ".join(found.group(0).split()) if found else ""


def _picker(client, user) -> tuple[str, str, str]:
    """The header picker's agency, year and quarter on the start page."""
    client.force_login(user)
    html = client.get("/").content.decode()
    form = re.search(r'<form method="get" action="/pilih/".*?</form>', html, re.S).group(0)
    agency = re.search(r'<option value="([a-z-]+)" selected>', form).group(1)
    year = re.search(r'name="year"[^>]* value="(\d+)"', form).group(1)
    quarter = re.search(r'<option value="(\d)" selected>', form).group(1)
    return agency, year, quarter


def _fill(agency, n: int) -> None:
    """A TW II realisation on the first n sub kegiatan, and an empty one (no K, no Rp) on the
    next, which does not count as filled."""
    items = list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))
    for item in items[:n]:
        Realisation.objects.update_or_create(work_item=item, quarter=2,
                                             defaults={"value_rp": Decimal("1000")})  # fmt: skip
    Realisation.objects.update_or_create(work_item=items[n], quarter=2,
                                         defaults={"value_k": None, "value_rp": None})  # fmt: skip


def test_operator_sees_its_open_quarter_with_the_deadline_and_rows_filled(client, demo_users,
                                                                          agency, today):  # fmt: skip
    _fill(agency, 11)
    work = _worklist(client, demo_users["operator"])
    assert '<a href="/isi/bkpsdm-sumenep/2024/tw2/">Isi realisasi: Triwulan II 2024</a>' in work
    assert "Draf" in work
    assert "ditutup 31 Juli 2024, 21 hari lagi" in work
    assert "11 / 61 baris terisi" in work
    assert "Triwulan I 2024" not in work  # approved: nothing to do
    assert 'class="work-entry"' in work  # 21 days: not yet marked as near


def test_operator_deadline_near_last_day_and_late(client, demo_users, today):
    today["value"] = date(2024, 7, 27)
    assert "ditutup 31 Juli 2024, 4 hari lagi" in _worklist(client, demo_users["operator"])
    assert 'class="work-entry soon"' in _worklist(client, demo_users["operator"])
    today["value"] = date(2024, 7, 31)
    assert "ditutup 31 Juli 2024, hari ini hari terakhir" in _worklist(client,
                                                                       demo_users["operator"])  # fmt: skip
    today["value"] = date(2024, 8, 5)
    work = _worklist(client, demo_users["operator"])
    assert "ditutup 31 Juli 2024, terlambat 5 hari" in work
    assert 'class="work-entry late"' in work


def test_a_returned_quarter_shows_its_reason_to_the_operator_and_the_verifikator(
    client, demo_users, agency, today
):
    workflow.submit_quarter(user=demo_users["operator"], agency=agency, today=today["value"], **TW2)
    workflow.return_quarter(user=demo_users["verifikator"], agency=agency,
                            reason="Bukti sub kegiatan 0001 belum diunggah", **TW2)  # fmt: skip
    work = _worklist(client, demo_users["operator"])
    assert "Perbaiki realisasi: Triwulan II 2024" in work
    assert "Dikembalikan" in work
    assert "Alasan dikembalikan:</strong> Bukti sub kegiatan 0001 belum diunggah" in work
    work = _worklist(client, demo_users["verifikator"])
    queue, returned = work.split("Dikembalikan, menunggu perbaikan operator")
    assert "Tidak ada triwulan yang menunggu verifikasi." in queue
    assert ('<a href="/pd/bkpsdm-sumenep/2024/tw2/">Lihat triwulan: Triwulan II 2024 — '
            f"{agency.name}</a>") in returned  # fmt: skip
    assert "Bukti sub kegiatan 0001 belum diunggah" in returned


def test_verifikator_queue_is_oldest_submitted_first_and_the_picker_opens_on_it(
    client, demo_users, agency, today
):
    from kinerja.examples import create_example_agencies

    create_example_agencies(agency.government)  # DPUPR (contoh): TW I 2024 submitted
    workflow.submit_quarter(user=demo_users["operator"], agency=agency, today=today["value"], **TW2)
    ours = SubmissionEvent.objects.get(submission__agency=agency, submission__quarter=2,
                                       to_status="submitted")  # fmt: skip
    # the example's state was set without events: its submission's last change counts
    theirs = QuarterSubmission.objects.filter(agency__slug="contoh-dinas-pupr", status="submitted")
    assert not SubmissionEvent.objects.filter(submission__in=theirs).exists()
    theirs.update(updated_at=ours.at - timedelta(days=2))
    work = _worklist(client, demo_users["verifikator"])
    links = re.findall(r'<a href="(/pd/[^"]+)">Periksa: ([^<]+)</a>', work)
    assert links == [
        ("/pd/contoh-dinas-pupr/2024/tw1/", "Triwulan I 2024 — Dinas Contoh Pekerjaan Umum "
                                            "(contoh)"),
        ("/pd/bkpsdm-sumenep/2024/tw2/", f"Triwulan II 2024 — {agency.name}"),
    ]  # fmt: skip
    assert _picker(client, demo_users["verifikator"]) == ("contoh-dinas-pupr", "2024", "1")
    theirs.update(updated_at=ours.at + timedelta(days=2))
    work = _worklist(client, demo_users["verifikator"])
    assert [u for u, _ in re.findall(r'<a href="(/pd/[^"]+)">Periksa: ([^<]+)</a>', work)] == [
        "/pd/bkpsdm-sumenep/2024/tw2/", "/pd/contoh-dinas-pupr/2024/tw1/"]  # fmt: skip
    assert _picker(client, demo_users["verifikator"]) == ("bkpsdm-sumenep", "2024", "2")


def test_pimpinan_sees_what_awaits_approval_and_the_picker_opens_on_it(client, demo_users,
                                                                       agency, today):  # fmt: skip
    assert "Tidak ada triwulan yang menunggu pengesahan." in _worklist(client,
                                                                        demo_users["pimpinan"])  # fmt: skip
    assert _picker(client, demo_users["pimpinan"]) == ("bkpsdm-sumenep", "2024", "1")
    workflow.submit_quarter(user=demo_users["operator"], agency=agency, today=today["value"], **TW2)
    workflow.verify_quarter(user=demo_users["verifikator"], agency=agency, **TW2)
    SubmissionEvent.objects.filter(to_status="verified", submission__quarter=2).update(
        at=datetime(2024, 7, 12, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    )
    work = _worklist(client, demo_users["pimpinan"])
    assert ('<a href="/pd/bkpsdm-sumenep/2024/tw2/">Periksa dan sahkan: Triwulan II 2024</a>'
            in work)  # fmt: skip
    assert "diverifikasi 12 Juli 2024" in work  # the day in Sumenep, not in UTC
    assert _picker(client, demo_users["pimpinan"]) == ("bkpsdm-sumenep", "2024", "2")
    # the operator sees it waiting, no longer to do
    work = _worklist(client, demo_users["operator"])
    waiting = work.split("Menunggu verifikator atau pimpinan")[1]
    assert "Lihat triwulan: Triwulan II 2024" in waiting and "Diverifikasi" in waiting


def test_admin_sees_late_agencies_of_a_closed_period(client, demo_users, agency, today):
    work = _worklist(client, demo_users["admin"])
    assert "Tidak ada perangkat daerah yang terlambat" in work
    assert "Triwulan II 2024 — ditutup 31 Juli 2024, 21 hari lagi" in work  # open periods
    today["value"] = date(2024, 8, 5)
    work = _worklist(client, demo_users["admin"])
    assert ('<a href="/terlambat/2024/tw2/">Triwulan II 2024</a> — ditutup 31 Juli 2024: 1 '
            "perangkat daerah terlambat") in work  # fmt: skip
    assert agency.name in work


def test_the_evaluator_has_no_worklist(client, demo_users):
    assert _worklist(client, demo_users["evaluator"]) == ""


def test_operator_picker_opens_on_the_open_period_not_todays_quarter(client, demo_users, today):
    today["value"] = date(2026, 12, 6)  # TW IV 2026: nothing exists there
    # TW II 2024 closed long ago and is still a draft: the quarter to finish
    assert _picker(client, demo_users["operator"]) == ("bkpsdm-sumenep", "2024", "2")


def test_a_next_years_renja_without_data_does_not_move_the_start_page(client, demo_users,
                                                                      agency):  # fmt: skip
    """A 2025 program exists but nothing was realised in 2025: the start page still shows the
    latest quarter with data (TW I 2024), not an empty TW I 2025."""
    WorkItem.objects.create(agency=agency, year=2025, position=1, level="program",
                            code="5.03.01", name="Program 2025")  # fmt: skip
    client.force_login(demo_users["evaluator"])
    html = client.get("/").content.decode()
    assert "Triwulan I 2024 — status: Disahkan" in html
    assert "2025" not in re.search(r'<section class="agency">.*?</p>', html, re.S).group(0)


def test_an_open_quarter_comes_before_an_overdue_one(client, demo_users, agency, today):
    """TW I 2024 back to Draf (its period closed 15 April 2024) and TW II open: the operator
    can act on TW II only, so it comes first and the picker opens on it; TW I follows, late,
    saying that the admin must open its period first."""
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=1).update(status="draft")
    work = _worklist(client, demo_users["operator"])
    assert re.findall(r"Isi realisasi: (Triwulan [IV]+ 2024)", work) == [
        "Triwulan II 2024", "Triwulan I 2024"]  # fmt: skip
    overdue = work.split("Isi realisasi: Triwulan I 2024")[1]
    assert "ditutup 15 April 2024, terlambat 86 hari" in overdue
    assert "sampai admin pemda membuka atau memperpanjang periodenya" in overdue
    assert "memperpanjang" not in work.split("Isi realisasi: Triwulan I 2024")[0]
    assert _picker(client, demo_users["operator"]) == ("bkpsdm-sumenep", "2024", "2")


@pytest.mark.parametrize("role", ["operator", "verifikator", "pimpinan"])
def test_the_start_page_builds_the_worklist_once(client, demo_users, agency, today, role):
    """The worklist and the header picker's quarter (``worklist.focus``) come from one build
    of the user's queue: each statement that building the queue issues runs once for the
    start page, not once for the worklist and again for the picker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.accounts.rules import profile_of
    from kinerja.monitoring.worklist import _queue

    workflow.submit_quarter(user=demo_users["operator"], agency=agency, today=today["value"], **TW2)
    if role == "pimpinan":
        workflow.verify_quarter(user=demo_users["verifikator"], agency=agency, **TW2)
    if role == "operator":  # something to do: TW II back to the operator
        workflow.return_quarter(user=demo_users["verifikator"], agency=agency, reason="Cek",
                                **TW2)  # fmt: skip
    user = demo_users[role]
    with CaptureQueriesContext(connection) as alone:
        assert _queue(profile_of(user), today["value"])  # the queue is not empty
    building = {q["sql"] for q in alone.captured_queries}
    client.force_login(user)
    client.get("/")  # the session and anything cached once
    with CaptureQueriesContext(connection) as page:
        html = client.get("/").content.decode()
    assert "Triwulan II 2024" in html
    runs = [q["sql"] for q in page.captured_queries if q["sql"] in building]
    assert sorted(runs) == sorted(building)  # each once: built once, not twice


@pytest.mark.parametrize("reader", ["provinsi", "nasional"])
def test_a_reader_above_the_pemda_acts_on_none_of_its_quarters(client, demo_users, agency, today,
                                                               reader):  # fmt: skip
    """«provinsi» (a verifikator of the demo pemda with the scope of its province) and
    «nasional» read a submitted quarter, but neither verifies nor returns it — a 403, the
    quarter stays submitted — and the verification queue is not on their start page."""
    workflow.submit_quarter(user=demo_users["operator"], agency=agency, today=today["value"], **TW2)
    client.force_login(demo_users[reader])
    page = client.get("/pd/bkpsdm-sumenep/2024/tw2/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/pd/bkpsdm-sumenep/2024/tw2/kembalikan/" not in html  # no button to act with
    assert "/pd/bkpsdm-sumenep/2024/tw2/verifikasi/" not in html
    for step, data in (("verifikasi", {}), ("kembalikan", {"reason": "lengkapi bukti"})):
        response = client.post(f"/pd/bkpsdm-sumenep/2024/tw2/{step}/", data)
        assert response.status_code == 403, step
    assert QuarterSubmission.objects.get(agency=agency, **TW2).status == "submitted"
    assert _worklist(client, demo_users[reader]) == ""
    # the demo pemda's own verifikator still has it to do
    assert "Periksa: Triwulan II 2024" in _worklist(client, demo_users["verifikator"])
