"""The reports page: links per document × format, download = generate + keep + attachment."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import GeneratedReport
from kinerja.planning.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _kw(agency, **extra):
    return {"agency": agency.slug, "year": 2024, "quarter": 1, **extra}


def test_the_page_lists_a_link_for_each_pair(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    response = client.get(reverse("web:reports", kwargs=_kw(agency)))
    assert response.status_code == 200
    html = response.content.decode()
    for document, formats in {"form": ("xlsx", "pdf"), "laporan": ("docx", "pdf", "xlsx"),
                              "pk": ("docx", "pdf")}.items():  # fmt: skip
        for fmt in formats:
            url = reverse("web:download", kwargs=_kw(agency, document=document, fmt=fmt))
            assert f'href="{url}"' in html
    assert "Laporan kinerja triwulan" in html
    assert "Belum ada berkas yang dibuat" in html


def test_download_generates_keeps_and_lists_the_file(client, demo_users, agency, media):
    from openpyxl import load_workbook

    client.force_login(demo_users["evaluator"])
    url = reverse("web:download", kwargs=_kw(agency, document="form", fmt="xlsx"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "evaluasi-renja-" in disposition and "-2024-tw1.xlsx" in disposition
    content = b"".join(response.streaming_content)
    workbook = load_workbook(BytesIO(content))
    stored = GeneratedReport.objects.get()
    assert stored.created_by == demo_users["evaluator"]
    assert (stored.agency, stored.year, stored.quarter) == (agency, 2024, 1)
    assert (stored.document, stored.format) == ("form", "xlsx")
    assert workbook.custom_doc_props["kinerja_data_sha256"].value == stored.data_hash
    assert (media / stored.file.name).read_bytes() == content
    assert stored.file.name.startswith("laporan/")

    page = client.get(reverse("web:reports", kwargs=_kw(agency))).content.decode()
    assert stored.data_hash[:12] in page
    assert f"{url}?berkas={stored.pk}" in page
    again = client.get(f"{url}?berkas={stored.pk}")
    assert again.status_code == 200
    assert b"".join(again.streaming_content) == content
    assert GeneratedReport.objects.count() == 1  # the stored file is not made again


def test_an_unsupported_pair_is_404(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    response = client.get(reverse("web:download", kwargs=_kw(agency, document="pk", fmt="xlsx")))
    assert response.status_code == 404
    assert not GeneratedReport.objects.exists()


def test_another_agencys_operator_is_refused(client, agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Lain",
                                  abbreviation="DL", slug="dinas-lain", is_example=True)  # fmt: skip
    user = get_user_model().objects.create_user("operator-dl", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    client.force_login(user)
    assert client.get(reverse("web:reports", kwargs=_kw(agency))).status_code == 403
    url = reverse("web:download", kwargs=_kw(agency, document="form", fmt="xlsx"))
    assert client.get(url).status_code == 403
    assert not GeneratedReport.objects.exists()
