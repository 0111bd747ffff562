"""Evidence (bukti dukung): downloaded through texts:evidence_file by every reader of the agency
and nobody else, as an attachment named from the record, through the storage API; linked from
the grid, the quarter page and the evidence page for every reader; checked the same way when
added in the admin."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.domain import EditRefused, add_evidence
from kinerja.monitoring.evidence_files import display_name
from kinerja.monitoring.models import Evidence, Realisation
from kinerja.planning.models import Agency, Government, WorkItem
from tests.monitoring import evidence_samples as S

pytestmark = pytest.mark.django_db
CODE = "5.03.02.2.02.0001"
READERS = ("operator", "verifikator", "evaluator", "pimpinan", "admin")


@pytest.fixture
def open_period(agency):
    from datetime import timedelta

    from django.utils import timezone

    from kinerja.monitoring.models import ReportingPeriod

    today = timezone.localdate()
    ReportingPeriod.objects.filter(government=agency.government, year=2024, quarter=2).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1))  # fmt: skip
    return today


@pytest.fixture
def item(agency):
    return WorkItem.objects.get(agency=agency, code=CODE)


@pytest.fixture
def pdf_bytes():
    return S.pdf()


@pytest.fixture
def evidence(demo_users, item, open_period, pdf_bytes):
    Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal(1))
    [saved] = add_evidence(user=demo_users["operator"], work_item=item, quarter=2,
                           files=[SimpleUploadedFile("SK Mutasi <i>Juni.pdf", pdf_bytes)],
                           today=open_period)  # fmt: skip
    return saved


def _download_url(agency, item, evidence, quarter=2, year=2024):
    return reverse("texts:evidence_file", kwargs={"agency": agency.slug, "year": year,
                                                  "quarter": quarter, "item": item.pk,
                                                  "evidence": evidence.pk})  # fmt: skip


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def other_pemda(agency):
    """A second pemda with an agency, an item with a realisation and evidence, and one user of
    each role."""
    government = Government.objects.create(name="Kabupaten Contoh", slug="contoh",
                                           region="Contoh")  # fmt: skip
    other = Agency.objects.create(government=government, name="Dinas Lain", abbreviation="DL",
                                  slug="dinas-lain")  # fmt: skip
    users = {}
    for role in (Role.OPERATOR, Role.VERIFIER, Role.EVALUATOR, Role.HEAD, Role.ADMIN):
        user = get_user_model().objects.create_user(f"{role}-contoh", password="x")
        Profile.objects.create(user=user, role=role, government=government,
                               agency=other if role in (Role.OPERATOR, Role.HEAD) else None)  # fmt: skip
        users[str(role)] = user
    return users


def test_every_reader_of_the_agency_downloads_the_file_as_an_attachment(client, demo_users,
                                                                         agency, item, evidence,
                                                                         pdf_bytes):  # fmt: skip
    url = _download_url(agency, item, evidence)
    for role in READERS:
        client.force_login(demo_users[role])
        response = client.get(url)
        assert response.status_code == 200, role
        assert _body(response) == pdf_bytes
        assert response["Content-Disposition"] == (
            f'attachment; filename="bukti-{CODE}-tw2-{evidence.pk}.pdf"'
        )
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_the_download_name_never_carries_the_uploaded_name(client, demo_users, agency, item,
                                                           evidence):  # fmt: skip
    client.force_login(demo_users["verifikator"])
    response = client.get(_download_url(agency, item, evidence))
    assert "Juni" not in response["Content-Disposition"]
    assert evidence.original_name == "SK Mutasi <i>Juni.pdf"  # shown as text, escaped
    page = client.get(reverse("texts:evidence", kwargs={"agency": agency.slug, "year": 2024,
                                                        "quarter": 2, "item": item.pk}))  # fmt: skip
    assert "SK Mutasi &lt;i&gt;Juni.pdf</a>" in page.content.decode()


def test_anyone_else_is_refused(client, demo_users, agency, item, evidence, other_pemda):
    """403 for a user who does not read the agency named in the URL (as on every page of that
    agency: its slug is no secret); the login page for the anonymous."""
    url = _download_url(agency, item, evidence)
    client.logout()
    response = client.get(url)
    assert (response.status_code, "/masuk/" in response["Location"]) == (302, True)
    other_operator = get_user_model().objects.create_user("operator-lain", password="x")
    other_agency = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                         abbreviation="DC", slug="dinas-contoh")  # fmt: skip
    Profile.objects.create(user=other_operator, role=Role.OPERATOR, government=agency.government,
                           agency=other_agency)  # fmt: skip
    for user in (other_operator, *other_pemda.values()):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 403, user.username
        assert not hasattr(response, "streaming_content")


def test_a_file_not_of_that_agency_item_or_quarter_is_not_found(client, demo_users, agency,
                                                                item, evidence):  # fmt: skip
    """404, never the file, when the id is asked under another item, quarter, year or agency —
    even by a reader of both agencies: an id says nothing about where a file belongs."""
    client.force_login(demo_users["verifikator"])
    other_item = WorkItem.objects.filter(agency=agency, year=2024).exclude(pk=item.pk).first()
    other_agency = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                         abbreviation="DC", slug="dinas-contoh")  # fmt: skip
    for url in (_download_url(agency, other_item, evidence),
                _download_url(agency, item, evidence, quarter=1),
                _download_url(agency, item, evidence, year=2025),
                _download_url(other_agency, item, evidence),
                reverse("texts:evidence_file", kwargs={"agency": agency.slug, "year": 2024,
                                                       "quarter": 2, "item": item.pk,
                                                       "evidence": evidence.pk + 1000})):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
    assert client.get(_download_url(agency, item, evidence, quarter=5)).status_code == 403
    assert client.post(_download_url(agency, item, evidence)).status_code == 405


def test_a_stored_file_that_is_gone_is_not_found(client, demo_users, agency, item, evidence):
    evidence.file.storage.delete(evidence.file.name)
    client.force_login(demo_users["pimpinan"])
    assert client.get(_download_url(agency, item, evidence)).status_code == 404


def test_the_file_is_read_through_the_storage_api_so_object_storage_works(
    client, demo_users, agency, item, open_period, settings
):
    """With an in-memory storage (no folder, no path, like S3) the upload and the download
    work unchanged, and nothing lands under MEDIA_ROOT."""
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal(1))
    data = S.image("PNG")
    [saved] = add_evidence(user=demo_users["operator"], work_item=item, quarter=2,
                           files=[SimpleUploadedFile("foto.png", data)], today=open_period)  # fmt: skip
    assert type(saved.file.storage._wrapped).__name__ == "InMemoryStorage"  # default_storage
    client.force_login(demo_users["evaluator"])
    response = client.get(_download_url(agency, item, saved))
    assert (response.status_code, response["Content-Type"], _body(response)) == (
        200,
        "image/png",
        data,
    )
    assert list(Path(settings.MEDIA_ROOT).rglob("*.png")) == []


def test_media_is_not_served_as_a_folder(client, demo_users, evidence, settings):
    client.force_login(demo_users["admin"])
    assert (Path(settings.MEDIA_ROOT) / evidence.file.name).is_file()
    for prefix in ("/media/", "/" + settings.MEDIA_URL.lstrip("/"), "/static/../media/"):
        response = client.get(prefix + evidence.file.name)
        assert response.status_code == 404, prefix
        assert not hasattr(response, "streaming_content")


def test_the_grid_links_each_saved_rows_evidence_for_every_reader(client, demo_users, agency,
                                                                  item, evidence):  # fmt: skip
    page_url = reverse("texts:evidence", kwargs={"agency": agency.slug, "year": 2024,
                                                 "quarter": 2, "item": item.pk})  # fmt: skip
    grid = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    for role in READERS:
        client.force_login(demo_users[role])
        html = client.get(grid).content.decode()
        assert f'href="{page_url}">bukti (1)</a>' in html, role


def test_the_quarter_page_links_each_file_for_every_reader(client, demo_users, agency, item,
                                                           evidence):  # fmt: skip
    quarter = reverse("web:quarter", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    link = (f'<a href="{_download_url(agency, item, evidence)}" download>'
            "SK Mutasi &lt;i&gt;Juni.pdf</a>")  # fmt: skip
    for role in READERS:
        client.force_login(demo_users[role])
        assert link in client.get(quarter).content.decode(), role


def test_the_evidence_page_lists_downloads_and_offers_upload_to_the_operator_only(
    client, demo_users, agency, item, evidence
):
    url = reverse("texts:evidence", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2,
                                            "item": item.pk})  # fmt: skip
    for role in READERS:
        client.force_login(demo_users[role])
        html = client.get(url).content.decode()
        assert f'href="{_download_url(agency, item, evidence)}"' in html
        assert ('type="file"' in html) == (role == "operator"), role
        assert "/media/" not in html


def test_a_name_with_a_control_character_is_refused_by_the_domain(demo_users, item,
                                                                  open_period):  # fmt: skip
    """Django's multipart parser drops control characters from names sent by a browser; a name
    that reaches the domain with one (a script, the admin) is refused."""
    Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal(1))
    with pytest.raises(EditRefused) as refused:
        add_evidence(user=demo_users["operator"], work_item=item, quarter=2,
                     files=[SimpleUploadedFile("sk\x00.pdf", S.raw_pdf())], today=open_period)  # fmt: skip
    assert str(refused.value) == "«sk.pdf»: nama berkas berisi karakter kendali; ganti namanya."
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("uploaded", "shown"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\ani\\sk.pdf", "sk.pdf"),
    ("b\u202efdp.exe.pdf", "bfdp.exe.pdf"),
    ("  SK Juni.pdf ", "SK Juni.pdf"),
    ("é" * 300 + ".pdf", "é" * 196 + ".pdf"),
])  # fmt: skip
def test_the_shown_name_is_the_last_part_without_hidden_characters(uploaded, shown):
    assert display_name(uploaded) == shown


def test_a_file_added_in_the_admin_is_checked_the_same_way(demo_users, item):
    """The model field's validator runs in the admin's form (full_clean): HTML as a .jpg is
    refused there too; a valid file is stored under a generated name, its name kept as text."""
    realisation = Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal(1))
    bad = Evidence(realisation=realisation, file=SimpleUploadedFile("foto.jpg", b"<html>x"))
    with pytest.raises(ValidationError) as refused:
        bad.full_clean()
    assert refused.value.message_dict["file"] == ["«foto.jpg»: isinya bukan berkas JPG."]
    good = Evidence(realisation=realisation, file=SimpleUploadedFile("Foto Rapat.JPG",
                                                                     S.image("JPEG")))  # fmt: skip
    good.full_clean()
    good.save()
    assert good.original_name == "Foto Rapat.JPG"
    assert good.file.name.endswith(".jpg") and "Rapat" not in good.file.name
    good.full_clean()  # a stored file is not read again


def test_the_download_name_is_derived_from_the_record(evidence):
    assert evidence.download_name("5.03.02", 2) == f"bukti-5.03.02-tw2-{evidence.pk}.pdf"
    assert evidence.download_name('../"x"\r\n', 3) == f"bukti-x-tw3-{evidence.pk}.pdf"
    assert evidence.download_name("", 1) == f"bukti-item-tw1-{evidence.pk}.pdf"


def test_the_admin_links_the_download_view_not_the_media_folder(client, demo_users, agency,
                                                                item, evidence):  # fmt: skip
    client.force_login(demo_users["admin"])
    change = reverse("admin:monitoring_evidence_change", args=[evidence.pk])
    html = client.get(change).content.decode()
    assert f'href="{_download_url(agency, item, evidence)}"' in html
    listing = client.get(reverse("admin:monitoring_evidence_changelist")).content.decode()
    assert f'href="{_download_url(agency, item, evidence)}"' in listing
