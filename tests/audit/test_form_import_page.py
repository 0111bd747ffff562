"""The upload page of the form import (*Mulai dari formulir*): the preview writes nothing, the
confirmation writes the plan and the realisations in one go under the user's name; cancel,
a moved database, another user's token, a bad file, an approved quarter and the roles."""

# ruff: noqa: F811

from decimal import Decimal as D

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import QuarterSubmission, Realisation
from kinerja.planning.models import WorkItem

# the fixtures new_agency and seed_xlsx are the CLI tests' (imported, then named as arguments)
from .test_form_import import FORM, _cell_of, _edit, new_agency, seed_xlsx  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def new_operator(client, new_agency):
    user = get_user_model().objects.create_user("operator-dpf", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=new_agency.government,
                           agency=new_agency)  # fmt: skip
    client.force_login(user)
    return user


def _url(agency, year=2024):
    return reverse("planning:form_import", args=[agency.slug, year])


def _upload(client, agency, data, name=FORM, **extra):
    return client.post(_url(agency), {"berkas": SimpleUploadedFile(name, data), **extra})


def _kept(media):
    folder = media / "impor-formulir"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_preview_writes_nothing_then_confirm_writes_plan_and_realisations(
    client,
    new_operator,
    new_agency,
    agency,
    seed_xlsx,
    media,
):
    page = client.get(_url(new_agency))
    assert page.status_code == 200
    assert 'name="triwulan"' in page.content.decode()

    preview = _upload(client, new_agency, seed_xlsx.read_bytes(), triwulan="1")
    assert preview.status_code == 200
    assert not WorkItem.objects.filter(agency=new_agency).exists()
    assert not Realisation.objects.filter(work_item__agency=new_agency).exists()
    assert not QuarterSubmission.objects.filter(agency=new_agency).exists()
    counts = preview.context["counts"]
    assert (counts["realisations_created"], counts["realisations_changed"]) == (59, 0)
    text = preview.content.decode()
    assert "5.03.02 Program Kepegawaian Daerah" in text
    assert "realisasi Rp" in text
    assert "<td>TW I</td><td>kegiatan 5.03.01.2.01 " in text
    assert len(_kept(media)) == 1
    token = preview.context["token"]

    done = client.post(_url(new_agency), {"token": token, "terapkan": "1"})
    assert done.status_code == 302
    assert done["Location"] == reverse("planning:renja", args=[new_agency.slug, 2024])
    items = WorkItem.objects.filter(agency=new_agency, year=2024)
    assert items.count() == 61
    assert items.get(code="5.03.02").budget_original == D("1905955200")
    kegiatan = items.get(code="5.03.01.2.01")
    tw1 = Realisation.objects.get(work_item=kegiatan, quarter=1)
    assert tw1.value_k == 4
    record = tw1.history.get()
    assert (record.history_change_reason, record.history_user) == (f"impor {FORM}", new_operator)
    assert Realisation.objects.filter(work_item__agency=new_agency).count() == 59
    assert _kept(media) == []

    again = client.post(_url(new_agency), {"token": token, "terapkan": "1"})
    assert again.status_code == 400
    assert Realisation.objects.filter(work_item__agency=new_agency).count() == 59


def test_cancel_deletes_the_kept_file(client, new_operator, new_agency, seed_xlsx, media):
    token = _upload(client, new_agency, seed_xlsx.read_bytes(), triwulan="1").context["token"]
    response = client.post(_url(new_agency), {"token": token, "batal": "1"})
    assert response.status_code == 302
    assert _kept(media) == []
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_a_database_that_moved_or_a_foreign_token_is_refused(
    client,
    new_operator,
    new_agency,
    seed_xlsx,
):
    token = _upload(client, new_agency, seed_xlsx.read_bytes(), triwulan="1").context["token"]
    other = get_user_model().objects.create_user("operator-dpf-2", password="demo")
    Profile.objects.create(user=other, role=Role.OPERATOR, government=new_agency.government,
                           agency=new_agency)  # fmt: skip
    client.force_login(other)
    assert client.post(_url(new_agency), {"token": token, "terapkan": "1"}).status_code == 403
    client.force_login(new_operator)
    WorkItem.objects.create(agency=new_agency, year=2024, position=1, level="program",
                            code="5.03.02", name="Program Kepegawaian Daerah")  # fmt: skip
    response = client.post(_url(new_agency), {"token": token, "terapkan": "1"})
    assert response.status_code == 400
    assert "berubah sejak pratinjau" in response.context["error"]
    assert WorkItem.objects.filter(agency=new_agency).count() == 1
    assert not Realisation.objects.filter(work_item__agency=new_agency).exists()


def test_a_bad_file_is_refused_with_its_reason_and_nothing_kept(
    client,
    new_operator,
    new_agency,
    media,
):
    response = _upload(client, new_agency, b"bukan xlsx")
    assert response.status_code == 400
    assert response.context["error"].startswith("Berkas ditolak: bukan berkas .xlsx")
    assert _kept(media) == []
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_an_approved_quarter_is_refused_in_the_preview(
    client,
    demo_users,
    agency,
    seed_xlsx,
    tmp_path,
    media,
):
    client.force_login(demo_users["operator"])
    changed = _edit(seed_xlsx, tmp_path / "ubah.xlsx", _cell_of(seed_xlsx, "5.03.01.2.01", "L"), 5)
    preview = _upload(client, agency, changed.read_bytes(), triwulan="1")
    assert preview.status_code == 400
    assert "Triwulan I 2024" in preview.context["refusal"]
    assert "Disahkan" in preview.context["refusal"]
    assert preview.context["token"] == ""
    assert 'name="terapkan"' not in preview.content.decode()
    assert _kept(media) == []


def test_readers_read_only_the_plan_editors_upload(
    client,
    demo_users,
    agency,
    seed_xlsx,
):
    client.force_login(demo_users["verifikator"])
    assert client.get(_url(agency)).status_code == 200
    assert 'type="file"' not in client.get(_url(agency)).content.decode()
    assert _upload(client, agency, seed_xlsx.read_bytes(), triwulan="1").status_code == 403
    client.force_login(demo_users["admin"])  # the admin pemda acts for the agency
    assert _upload(client, agency, seed_xlsx.read_bytes(), triwulan="1").status_code == 200


def test_the_quarter_comes_from_the_title_when_not_chosen(
    client,
    new_operator,
    new_agency,
    seed_xlsx,
):
    book = openpyxl.load_workbook(seed_xlsx)
    assert "Triwulan I" in " ".join(
        str(c.value) for row in book.worksheets[0].iter_rows(max_row=4) for c in row if c.value
    )
    preview = _upload(client, new_agency, seed_xlsx.read_bytes())
    assert preview.status_code == 200
    assert preview.context["form"].quarter == 1
