"""The agency dashboard: the seed's figures, who may read it, and a query count that does not
grow with the number of Renja items."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import ActionPlan, Agency, WorkItem

pytestmark = pytest.mark.django_db


def _url(agency, year=2024, quarter=2):
    return reverse("web:dashboard", kwargs={"agency": agency.slug, "year": year,
                                            "quarter": quarter})  # fmt: skip


def test_the_dashboard_shows_the_seed_figures_to_the_pimpinan(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    response = client.get(_url(agency))
    assert response.status_code == 200
    page = response.content.decode()
    for figure in ("70,24 %", "18,75 %", "19,55 %", "40,64 %"):
        assert figure in page, figure
    # TW II has no cash plan: its "% of plan" is "-", never TW I's 7,82 %; TW I's own page has it
    assert "7,82 %" not in page
    assert "7,82 %" in client.get(_url(agency, quarter=1)).content.decode()
    assert "Mengapa angka ini?" in page
    assert reverse("web:quarter", kwargs={"agency": agency.slug, "year": 2024,
                                          "quarter": 2}) in page  # fmt: skip
    context = response.context
    assert f"Temuan terbuka: {len(context['findings'])}" in page
    assert [t["roman"] for t in context["trend"]] == ["I", "II"]


def _agency_with_items(government, slug, count):
    other = Agency.objects.create(government=government, name=f"Dinas {slug}",
                                  abbreviation=slug.upper(), slug=slug)  # fmt: skip
    program = WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                                      code="1.01.01", name="Program", unit="%",
                                      target_k=Decimal(100), budget_original=Decimal(1000))  # fmt: skip
    ActionPlan.objects.create(work_item=program, quarter=1, cash_plan=Decimal(100))
    kegiatan = program
    for n in range(2, count + 1):
        level = "kegiatan" if n % 10 == 2 else "sub_kegiatan"
        item = WorkItem.objects.create(
            agency=other, year=2024, position=n, parent=program if level == "kegiatan" else
            kegiatan, level=level, code=f"1.01.01.{n}", name=f"Kegiatan {n}", unit="%",
            target_k=Decimal(100), budget_original=Decimal(10),
        )  # fmt: skip
        if level == "kegiatan":
            kegiatan = item
        Realisation.objects.create(work_item=item, quarter=1, value_k=Decimal(n),
                                   value_rp=Decimal(1))  # fmt: skip
    return other


def _queries(client, agency):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url(agency)).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_renja(client, demo_users, agency):
    client.force_login(demo_users["admin"])
    small = _agency_with_items(agency.government, "kecil", 3)
    large = _agency_with_items(agency.government, "besar", 60)
    computed = [_queries(client, small), _queries(client, large)]  # first view: computed
    assert computed[0] == computed[1]
    kept = [_queries(client, small), _queries(client, large)]  # then: the kept fragment
    assert kept[0] == kept[1] < computed[0]


def test_another_agencys_operator_is_refused(client, agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Lain",
                                  abbreviation="DL", slug="dinas-lain")  # fmt: skip
    user = get_user_model().objects.create_user("operator-dl", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    client.force_login(user)
    assert client.get(_url(agency)).status_code == 403


def test_iku_cards_say_what_is_not_reported_and_show_the_forms_figure(client, demo_users,
                                                                      agency):  # fmt: skip
    client.force_login(demo_users["pimpinan"])
    response = client.get(_url(agency, quarter=1))
    page = response.content.decode()
    cards = page.split('<article class="dash-card">')[1:]
    assert len(cards) == 4
    assert "Belum dilaporkan s.d. Triwulan I" in cards[1]
    assert "Belum dilaporkan s.d. Triwulan I" in cards[2]
    assert "Belum dilaporkan" not in cards[0] and "70,24 %" in cards[0]
    # IKU 4 is entered by hand (18 of 96: 18,75 %) and computed by the form (19,55 %)
    assert "18,75 %" in cards[3]
    assert "Dari formulir evaluasi" in cards[3] and "19,55 %" in cards[3]
    assert "rata-rata kolom 14 baris program" in cards[3]


def test_the_dashboard_links_every_report_download_and_the_reports_page(client, demo_users,
                                                                        agency):  # fmt: skip
    client.force_login(demo_users["pimpinan"])
    page = client.get(_url(agency, quarter=1)).content.decode()
    where = {"agency": agency.slug, "year": 2024, "quarter": 1}
    for document, fmt in (("laporan", "docx"), ("laporan", "pdf"), ("laporan", "xlsx"),
                          ("form", "xlsx"), ("form", "pdf"), ("pk", "docx"), ("pk", "pdf")):  # fmt: skip
        link = reverse("web:download", kwargs={**where, "document": document, "fmt": fmt})
        assert f'href="{link}"' in page, link
    assert f'href="{reverse("web:reports", kwargs=where)}"' in page


def test_findings_name_their_row_by_code_and_name(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    page = client.get(_url(agency, quarter=1)).content.decode()
    findings = page[page.index('id="h-find"') :]
    # the program row 5.03.01 (position 1) whose kegiatan do not add up
    assert '<td title="5.03.01#1">5.03.01<div class="finding-row">Program Penunjang' in findings
    assert ">5.03.01#1<" not in findings
