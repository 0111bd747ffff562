"""The admin asks for a reason on every add, change and delete, and the history keeps it with
the admin's name and the old and new values — for inline rows and cascaded rows too."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from kinerja.planning.models import PerformanceAgreement, Signatory

pytestmark = pytest.mark.django_db


class _Form(HTMLParser):
    """The fields a browser would send from the admin's change form, as drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.data[name] = "on"
            else:
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.removeprefix("\n") if not self.data[
                self._textarea] else data  # fmt: skip


def admin_form(client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _Form()
    parser.feed(page.content.decode())
    return {k: v for k, v in parser.data.items() if k != "csrfmiddlewaretoken"}


def _change_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])


def _delete_url(obj) -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_delete", args=[obj.pk])


@pytest.fixture
def admin_client(client, demo_users):
    client.force_login(demo_users["admin"])
    return client


def _signatory(agency) -> Signatory:
    return Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party="first")


def test_an_admin_change_records_the_admin_the_old_and_new_value_and_the_reason(
    admin_client, demo_users, agency
):
    signer = _signatory(agency)
    old = signer.name
    data = admin_form(admin_client, _change_url(signer))
    assert data["change_reason"] == ""  # asked every time, never prefilled
    data.update(name="H. Pejabat Baru, S.H.", change_reason="Pelantikan kepala badan baru")
    response = admin_client.post(_change_url(signer), data)
    assert response.status_code == 302
    record = signer.history.order_by("-history_date", "-history_id").first()
    changes = {c.field: (c.old, c.new) for c in record.diff_against(record.prev_record).changes}
    assert (record.history_user, record.history_change_reason, changes) == (
        demo_users["admin"], "Pelantikan kepala badan baru",
        {"name": (old, "H. Pejabat Baru, S.H.")})  # fmt: skip


def test_an_admin_change_without_a_reason_is_refused_and_saves_nothing(admin_client, agency):
    signer = _signatory(agency)
    before = (signer.name, signer.history.count())
    data = admin_form(admin_client, _change_url(signer))
    data.update(name="Tanpa Alasan")
    response = admin_client.post(_change_url(signer), data)
    assert response.status_code == 200
    assert "Alasan perubahan" in response.content.decode()
    assert list(response.context["adminform"].form.errors["change_reason"]) == [
        "Bidang ini tidak boleh kosong."
    ]
    signer.refresh_from_db()
    assert (signer.name, signer.history.count()) == before


def test_an_admin_add_records_the_reason(admin_client, demo_users, agency):
    from kinerja.planning.models import OrgUnit

    url = reverse("admin:planning_orgunit_add")
    data = {"agency": agency.pk, "name": "Bidang Baru", "abbreviation": "BB",
            "change_reason": "Perbup SOTK 2024"}  # fmt: skip
    assert admin_client.post(url, data).status_code == 302
    unit = OrgUnit.objects.get(agency=agency, name="Bidang Baru")
    record = unit.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        demo_users["admin"],
        "Perbup SOTK 2024",
    )


def test_the_rows_of_an_inline_get_the_reason_of_their_page(admin_client, demo_users, agency):
    agreement = PerformanceAgreement.objects.get(agency=agency, year=2024)
    url = _change_url(agreement)
    data = admin_form(admin_client, url)
    prefix = next(k.removesuffix("-TOTAL_FORMS") for k in data
                  if k.endswith("-TOTAL_FORMS") and "signator" in k)  # fmt: skip
    row = next(k.removesuffix("-id") for k in data
               if k.startswith(prefix + "-") and k.endswith("-id") and data[k])  # fmt: skip
    signer = Signatory.objects.get(pk=data[row + "-id"])
    data.update({row + "-nip": "196901011990031001", "change_reason": "NIP salah ketik"})
    assert admin_client.post(url, data).status_code == 302
    record = signer.history.order_by("-history_date", "-history_id").first()
    assert (record.history_user, record.history_change_reason, record.nip) == (
        demo_users["admin"],
        "NIP salah ketik",
        "196901011990031001",
    )


def test_a_delete_asks_for_a_reason_and_gives_it_to_what_it_takes_along(
    admin_client, demo_users, agency
):
    agreement = PerformanceAgreement.objects.get(agency=agency, year=2024)
    signer_pks = sorted(agreement.signatories.values_list("pk", flat=True))
    url = _delete_url(agreement)
    page = admin_client.get(url).content.decode()
    assert 'name="change_reason"' in page
    refused = admin_client.post(url, {"post": "yes"})
    assert (refused.status_code, refused["Location"]) == (302, url)
    assert PerformanceAgreement.objects.filter(pk=agreement.pk).exists()
    assert admin_client.post(url, {"post": "yes", "change_reason": "PK ganda"}).status_code == 302
    assert not PerformanceAgreement.objects.filter(pk=agreement.pk).exists()
    gone = PerformanceAgreement.history.get(id=agreement.pk, history_type="-")
    assert (gone.history_user, gone.history_change_reason) == (demo_users["admin"], "PK ganda")
    cascaded = Signatory.history.filter(id__in=signer_pks, history_type="-").order_by("id")
    assert [(h.id, h.history_user, h.history_change_reason) for h in cascaded] == [
        (pk, demo_users["admin"], "PK ganda") for pk in signer_pks
    ]


def test_the_admin_offers_no_bulk_delete_without_a_reason(admin_client):
    page = admin_client.get(reverse("admin:planning_signatory_changelist")).content.decode()
    assert "delete_selected" not in page


def test_other_roles_cannot_open_the_admin(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    response = client.get(_change_url(_signatory(agency)))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.fixture
def platform_client(client):
    """The platform superuser (``kinerja manage createsuperuser``): every table, every row."""
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("platform", password="x"))
    return client


def test_every_add_form_of_the_planning_and_monitoring_admins_asks_for_the_reason(
    platform_client,
):
    from django.contrib import admin

    from kinerja.planning.admin import HistoryAdmin

    missing = []
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        if meta.app_label not in ("planning", "monitoring"):
            continue
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_add")
        page = platform_client.get(url)
        if page.status_code == 403:  # submissions and their timeline: the workflow's alone
            assert not isinstance(model_admin, HistoryAdmin), meta.label
            continue
        if 'name="change_reason"' not in page.content.decode():
            missing.append(meta.label)
    assert missing == []


def test_a_reason_beyond_the_bound_is_refused_on_change_and_delete(admin_client, agency):
    from kinerja.limits import REASON_MAX

    signer = _signatory(agency)
    before = (signer.name, signer.history.count())
    data = admin_form(admin_client, _change_url(signer))
    data.update(name="Terlalu Panjang", change_reason="x" * (REASON_MAX + 1))
    assert admin_client.post(_change_url(signer), data).status_code == 200
    url = _delete_url(signer)
    refused = admin_client.post(url, {"post": "yes", "change_reason": "x" * (REASON_MAX + 1)})
    assert (refused.status_code, refused["Location"]) == (302, url)
    message = [str(m) for m in admin_client.get(url).context["messages"]]
    assert message == ["Tuliskan alasan penghapusan (paling banyak 1.000 karakter)."]
    signer.refresh_from_db()
    assert (signer.name, signer.history.count()) == before
