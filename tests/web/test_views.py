import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_anonymous_visitor_is_sent_to_the_indonesian_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/"
    page = client.get(response["Location"]).content.decode()
    assert '<html lang="id">' in page
    assert re.search(r"<title>\s*Masuk — Kinerja\s*</title>", page)
    assert 'name="username"' in page and 'name="password"' in page
    assert "Kata sandi" in page


def test_a_wrong_password_is_told_in_indonesian(client, demo_users):
    page = client.post("/masuk/", {"username": "pimpinan", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah." in page.content.decode()


def test_the_start_page_lists_the_agency_its_programs_and_their_capaian(client, demo_users):
    assert client.login(username="pimpinan", password="demo")
    page = client.get("/").content.decode()
    assert "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sumenep" in page
    assert "Triwulan I 2024 — status: Disahkan" in page
    rows = re.findall(r"<tr>\s*<td>(5\.0\d\.0\d)</td><td>(.*?)</td>.*?<td class=\"num\">"
                      r"<details class=\"why\"><summary>([^<]*)</summary>.*?</td><td>([^<]*)</td>",
                      page, re.S)  # fmt: skip
    assert [(code, capaian, rating) for code, _, capaian, rating in rows] == [
        ("5.03.01", "15,00 %", "Sangat Rendah"),
        ("5.03.02", "21,43 %", "Sangat Rendah"),
        ("5.04.02", "22,22 %", "Sangat Rendah"),
    ]
    assert "19,55 %" in page and "11,80 %" in page
    assert "kolom 14 K: capaian = 15 / 70 × 100 = 21,43 %" in page  # why this number


def test_an_operator_sees_only_their_own_agency(client, demo_users, agency):
    from kinerja.planning.models import Agency

    Agency.objects.create(government=agency.government, name="Dinas Contoh", abbreviation="DC",
                          slug="dinas-contoh", is_example=True)  # fmt: skip
    assert client.login(username="operator", password="demo")
    assert "Badan Kepegawaian" in client.get("/").content.decode()


def test_the_admin_shows_every_model_in_indonesian(client, demo_users):
    assert client.login(username="admin", password="demo")
    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "Administrasi Kinerja" in index.content.decode()
    # every table, as the platform superuser (an admin pemda has no Django groups: 403)
    client.force_login(get_user_model().objects.create_superuser("platform", password="x"))
    for model in admin.site._registry:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(url).status_code == 200, url
    item_url = reverse("admin:planning_workitem_changelist")
    assert "Program/kegiatan/sub kegiatan (Renja)" in client.get(item_url).content.decode()


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client, demo_users):
    client.login(username="admin", password="demo")
    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Keluar" in page.content.decode() or "Ubah" in page.content.decode()
    assert "Log out" not in page.content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(reverse("admin:index"))
    assert "Log out" in page.content.decode()


def test_the_picker_shows_the_year_without_a_thousands_dot(client, demo_users):
    client.force_login(demo_users["verifikator"])  # opens on TW I 2024, the latest with data
    page = client.get("/").content.decode()
    assert 'name="year" type="number" min="2000" max="2100" value="2024"' in page


def test_the_history_page_shows_who_old_new_and_why(client, demo_users, agency):
    from decimal import Decimal

    from kinerja.monitoring.domain import record_realisation
    from kinerja.monitoring.models import QuarterSubmission
    from kinerja.planning.models import WorkItem

    from ..conftest import SEED_TODAY

    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    record_realisation(user=demo_users["operator"], work_item=item, quarter=2,
                       value_k=Decimal(1), value_rp=Decimal(2_500_000), today=SEED_TODAY)  # fmt: skip
    QuarterSubmission.objects.filter(agency=agency, quarter=2).update(status="returned")
    saved = record_realisation(user=demo_users["operator"], work_item=item, quarter=2,
                               value_k=Decimal(2), value_rp=Decimal(2_500_000),
                               reason="Salah ketik", today=SEED_TODAY)  # fmt: skip
    client.force_login(demo_users["verifikator"])
    page = client.get(f"/pd/bkpsdm-sumenep/riwayat/realisasi/{saved.pk}/").content.decode()
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>\s*"
                      r"<td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>\s*"
                      r"<td>([^<]*)</td></tr>", page)  # fmt: skip
    assert rows == [
        ("operator", "realisasi K", "1", "2", "Salah ketik"),
        ("operator", "realisasi K", "-", "1", "Entri realisasi"),  # the first entry
        ("operator", "realisasi Rp", "-", "2.500.000", "Entri realisasi"),
    ]


def test_the_start_page_needs_as_many_queries_for_five_agencies_as_for_one(client, demo_users,
                                                                          agency):  # fmt: skip
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kinerja.examples import create_example_agencies

    client.force_login(demo_users["pimpinan"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/").content.decode()
        return len(queries), page

    one, _page = count()
    create_example_agencies(agency.government, count=4)
    five, page = count()
    assert one == five
    assert page.count("(contoh)") >= 4 and "19,55 %" in page
