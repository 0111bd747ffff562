"""The kop surat of an agency's year: its fields' rules, its logo's checks and
content-addressed storage, the operator's screen *Kop dan penanda tangan* (who may save, a
conflict keeps the typing) and the demo's example kop and signatories."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from kinerja.planning.domain import RevisionRefused
from kinerja.planning.letterhead import (
    LOGO_MAX_BYTES,
    LogoRefused,
    check_logo,
    example_logo,
    logo_name,
    read_logo,
    set_letterhead,
    store_logo,
)
from kinerja.planning.models import Letterhead, PerformanceAgreement, Signatory
from kinerja.record.snapshots import quarter_input
from kinerja.seed import EXAMPLE_HEAD, EXAMPLE_KOP, EXAMPLE_PK_SIGNED_ON, EXAMPLE_REGENT

pytestmark = pytest.mark.django_db
WEBSITE = "Situs web tidak sah; tulis seperti https://instansi.go.id atau instansi.go.id."


def image(fmt: str, size: tuple[int, int] = (32, 24), color=(15, 76, 129)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def _kop(agency) -> Letterhead:
    return Letterhead.objects.get(agency=agency, year=2024)


def _url(agency, name="planning:kop"):
    return reverse(name, args=[agency.slug, 2024])


# ---- the fields -------------------------------------------------------------------------


@pytest.mark.parametrize(("field", "value", "message"), [
    ("email", "bkpsdm@", "Alamat pos-el tidak sah; tulis seperti nama@instansi.go.id."),
    ("email", "bkpsdm sumenepkab.go.id", "Alamat pos-el tidak sah; tulis seperti "
                                          "nama@instansi.go.id."),
    ("website", "ftp://sumenepkab.go.id", WEBSITE),
    ("website", "javascript:alert(1)", WEBSITE),
    ("website", "bukan situs", WEBSITE),
    ("telephone", "telepon kantor", "Nomor telepon harus memuat angka, misalnya (0328) 123456."),
    ("address", "Jl. Trunojoyo\nNo. 1", "Isian kop tidak boleh berisi karakter kendali (tab, "
                                         "baris baru, NUL)."),
])  # fmt: skip
def test_a_kop_field_out_of_its_rule_is_refused_in_indonesian(agency, field, value, message):
    kop = Letterhead(agency=agency, year=2025, **{field: value})
    with pytest.raises(ValidationError) as refused:
        kop.full_clean()
    assert refused.value.message_dict[field] == [message]


@pytest.mark.parametrize(("field", "value"), [
    ("email", "bkpsdm@sumenepkab.go.id"), ("website", "https://bkpsdm.sumenepkab.go.id"),
    ("website", "http://sumenepkab.go.id/bkpsdm"), ("website", "bkpsdm.sumenepkab.go.id"),
    ("telephone", "(0328) 662255"), ("telephone", "+62 328 662255"), ("email", ""),
])  # fmt: skip
def test_a_kop_field_in_its_rule_is_accepted(agency, field, value):
    Letterhead(agency=agency, year=2025, **{field: value}).full_clean()


def test_a_kop_field_longer_than_its_column_names_the_length(demo_users, agency):
    with pytest.raises(RevisionRefused) as refused:
        set_letterhead(user=demo_users["operator"], agency=agency, year=2024,
                       address="J" * 301, telephone="", email="", website="")  # fmt: skip
    assert str(refused.value) == "Alamat terlalu panjang: 301 karakter, paling banyak 300."


# ---- the logo ---------------------------------------------------------------------------


def test_a_real_png_and_a_real_jpeg_are_accepted_with_their_extension():
    assert (check_logo(image("PNG")), check_logo(image("JPEG"))) == ("png", "jpg")


@pytest.mark.parametrize(("data", "message"), [
    (b"\x89PNG\r\n\x1a\n" + b"bukan gambar" * 20,
     "Logo tidak dapat dibuka sebagai gambar PNG (rusak atau terpotong)."),
    (image("PNG")[:-30], "Logo tidak dapat dibuka sebagai gambar PNG (rusak atau terpotong)."),
    (image("GIF"), "Logo harus berupa gambar PNG atau JPG; berkas ini bukan gambar PNG atau JPG."),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>",
     "Logo harus berupa gambar PNG atau JPG; berkas ini bukan gambar PNG atau JPG."),
    (b"", "Berkas logo kosong."),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * LOGO_MAX_BYTES, "Berkas logo lebih dari 2 MB."),
    (image("PNG", (4001, 16)), "Ukuran logo 4001 × 16 piksel; paling kecil 16 dan paling besar "
                               "4000 piksel tiap sisi."),
    (image("PNG", (8, 8)), "Ukuran logo 8 × 8 piksel; paling kecil 16 dan paling besar 4000 "
                           "piksel tiap sisi."),
])  # fmt: skip
def test_a_logo_that_is_not_a_bounded_png_or_jpeg_is_refused(data, message):
    with pytest.raises(LogoRefused) as refused:
        check_logo(data)
    assert str(refused.value) == message


def test_a_logo_is_stored_once_under_the_hash_of_its_bytes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    data = image("PNG")
    name = store_logo(data)
    assert name == logo_name(data, "png") and name.startswith("kop/") and len(name) == 72
    assert store_logo(data) == name  # the same bytes again: the same name, nothing new
    assert sorted(p.name for p in (tmp_path / "kop").iterdir()) == [name[4:]]
    assert read_logo(name) == data


def test_a_missing_logo_file_reads_as_none_and_the_example_from_the_package(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    assert read_logo(logo_name(image("PNG"), "png")) is None
    assert read_logo("") is None
    assert read_logo("../settings.py") is None
    assert read_logo(logo_name(example_logo(), "png")) == example_logo()


def test_the_shipped_example_logo_is_a_small_png_that_passes_the_checks():
    data = example_logo()
    assert (check_logo(data), len(data) < 20 * 1024) == ("png", True)


# ---- the screen -------------------------------------------------------------------------


def _post(client, agency, kop, **changes):
    data = {f: getattr(kop, f) for f in ("address", "telephone", "email", "website")}
    drawn = {f"was-{f}": v for f, v in data.items()} | {"was-logo": kop.logo}
    return client.post(_url(agency), {**data, **drawn, "reason": "", **changes})


def test_the_operator_saves_the_kop_and_a_new_logo(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    kop = _kop(agency)
    logo = image("JPEG", (64, 64), (200, 30, 30))
    response = _post(client, agency, kop, address="Jl. Trunojoyo No. 1, Sumenep",
                     email="bkpsdm@sumenepkab.go.id", reason="alamat kantor",
                     logo=SimpleUploadedFile("logo.jpg", logo))  # fmt: skip
    assert response.status_code == 302
    kop.refresh_from_db()
    assert (kop.address, kop.email, kop.telephone, kop.logo) == (
        "Jl. Trunojoyo No. 1, Sumenep", "bkpsdm@sumenepkab.go.id", EXAMPLE_KOP["telephone"],
        logo_name(logo, "jpg"))  # fmt: skip
    assert default_storage.exists(kop.logo)
    last = kop.history.order_by("-history_date", "-history_id").first()
    assert (last.history_user, last.history_change_reason) == (demo_users["operator"],
                                                                "alamat kantor")  # fmt: skip
    page = client.get(_url(agency)).content.decode()
    assert "Jl. Trunojoyo No. 1, Sumenep" in page
    served = client.get(_url(agency, "planning:kop_logo"))
    assert (served.status_code, served["Content-Type"], served.content) == (200, "image/jpeg",
                                                                           logo)  # fmt: skip
    assert served["X-Content-Type-Options"] == "nosniff"


def test_the_operator_removes_the_logo(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    assert _post(client, agency, _kop(agency), remove_logo="on").status_code == 302
    assert _kop(agency).logo == ""
    assert client.get(_url(agency, "planning:kop_logo")).status_code == 404


def test_a_gif_logo_is_refused_on_the_screen_and_nothing_is_saved(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    before = _kop(agency)
    response = _post(client, agency, before, address="Jl. Baru",
                     logo=SimpleUploadedFile("logo.gif", image("GIF")))  # fmt: skip
    assert response.status_code == 200
    assert ("Logo harus berupa gambar PNG atau JPG; berkas ini bukan gambar PNG atau JPG."
            in response.content.decode())  # fmt: skip
    assert (_kop(agency).address, _kop(agency).logo) == (before.address, before.logo)


def test_an_invalid_email_is_shown_beside_its_field(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    response = _post(client, agency, _kop(agency), email="bkpsdm@")
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Alamat pos-el tidak sah; tulis seperti nama@instansi.go.id."]  # fmt: skip
    assert _kop(agency).email == EXAMPLE_KOP["email"]


@pytest.mark.parametrize("who", ["verifikator", "evaluator", "pimpinan"])
def test_readers_see_the_kop_and_signatories_but_may_not_save(client, demo_users, agency, who):
    client.force_login(demo_users[who])
    page = client.get(_url(agency))
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["form"] is None and "Simpan kop" not in html
    assert EXAMPLE_KOP["address"] in html and EXAMPLE_HEAD["name"] in html
    assert _post(client, agency, _kop(agency), address="Jl. Lain").status_code == 403
    assert _kop(agency).address == EXAMPLE_KOP["address"]


def test_the_admin_of_the_pemda_may_set_the_kop_for_the_agency(client, demo_users, agency):
    """Setting up a new agency: the admin pemda acts for it, with its name in the history."""
    client.force_login(demo_users["admin"])
    page = client.get(_url(agency))
    assert page.context["form"] is not None and "Simpan kop" in page.content.decode()
    assert _post(client, agency, _kop(agency), address="Jl. Trunojoyo 1").status_code == 302
    kop = _kop(agency)
    assert kop.address == "Jl. Trunojoyo 1"
    assert kop.history.first().history_user == demo_users["admin"]


def test_an_operator_of_another_agency_sees_nothing(client, demo_users, agency):
    from kinerja.accounts.models import Profile, Role
    from kinerja.examples import create_example_agencies

    other = create_example_agencies(agency.government, count=1)[0]
    operator = demo_users["operator"]
    Profile.objects.filter(user=operator).update(agency=other)
    client.force_login(operator)
    assert Profile.objects.get(user=operator).role == Role.OPERATOR
    assert client.get(_url(agency)).status_code == 403
    assert client.get(_url(agency, "planning:kop_logo")).status_code == 403


def test_a_kop_changed_meanwhile_is_a_conflict_that_keeps_the_typing(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    drawn = _kop(agency)
    set_letterhead(user=demo_users["operator"], agency=agency, year=2024,
                   address="Jl. Diubah Orang Lain", telephone=drawn.telephone,
                   email=drawn.email, website=drawn.website)  # fmt: skip
    response = _post(client, agency, drawn, address="Jl. Ketikan Saya")
    html = response.content.decode()
    assert response.status_code == 409
    assert 'value="Jl. Ketikan Saya"' in html  # the typing is kept
    assert "menjadi «Jl. Diubah Orang Lain»; isian Anda «Jl. Ketikan Saya»." in html
    assert _kop(agency).address == "Jl. Diubah Orang Lain"
    # posted again as drawn now (their value in was-address): saved knowingly
    again = client.post(_url(agency), {**{f"was-{f}": getattr(_kop(agency), f) for f in
                                          ("address", "telephone", "email", "website", "logo")},
                                       "address": "Jl. Ketikan Saya", "telephone": drawn.telephone,
                                       "email": drawn.email, "website": drawn.website})  # fmt: skip
    assert again.status_code == 302
    assert _kop(agency).address == "Jl. Ketikan Saya"


def test_a_field_changed_by_someone_else_and_not_by_me_is_kept(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    drawn = _kop(agency)
    set_letterhead(user=demo_users["operator"], agency=agency, year=2024,
                   address=drawn.address, telephone="(0328) 111111", email=drawn.email,
                   website=drawn.website)  # fmt: skip
    assert _post(client, agency, drawn, address="Jl. Baru No. 2").status_code == 302
    assert (_kop(agency).address, _kop(agency).telephone) == ("Jl. Baru No. 2", "(0328) 111111")


def test_the_screen_is_linked_from_the_pk_quarter_and_reports_pages(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    for url in (reverse("planning:pk", args=[agency.slug, 2024]),
                reverse("web:quarter", args=[agency.slug, 2024, 1]),
                reverse("web:reports", args=[agency.slug, 2024, 1])):  # fmt: skip
        assert f'href="{_url(agency)}"' in client.get(url).content.decode(), url


def test_the_kop_history_page_lists_the_change(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    _post(client, agency, _kop(agency), website="bkpsdm.sumenepkab.go.id", reason="situs resmi")
    page = client.get(reverse("web:history", args=[agency.slug, "kop", _kop(agency).pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "bkpsdm.sumenepkab.go.id" in html and "situs resmi" in html


# ---- the demo's example data ------------------------------------------------------------


def test_the_demo_kop_and_signatories_are_examples_marked_as_such(agency):
    kop = _kop(agency)
    assert kop.is_example
    assert {f: getattr(kop, f) for f in EXAMPLE_KOP} == EXAMPLE_KOP
    assert "(alamat contoh)" in kop.address and "(contoh)" in kop.telephone
    assert kop.email.endswith("@example.org") and kop.website == "https://example.org"
    assert kop.logo == logo_name(example_logo(), "png")
    signers = {s.party: s for s in Signatory.objects.filter(agreement__agency=agency)}
    assert [(s.name, s.nip, s.rank) for s in (signers["first"], signers["second"])] == [
        ("Nama Kepala BKPSDM (contoh)", EXAMPLE_HEAD["nip"], "Pembina Utama Muda (IV/c) (contoh)"),
        ("Nama Bupati (contoh)", "", ""),
    ]  # fmt: skip
    assert EXAMPLE_REGENT["name"].endswith("(contoh)")
    agreement = PerformanceAgreement.objects.get(agency=agency, year=2024)
    assert agreement.signed_on == EXAMPLE_PK_SIGNED_ON == date(2024, 1, 31)


def test_the_seed_approves_tw1_with_its_example_kop_and_signatories_frozen(agency):
    inp = quarter_input(agency, year=2024, quarter=1)
    assert inp.kop is not None
    assert (inp.kop.address, inp.kop.logo, inp.kop.example) == (
        EXAMPLE_KOP["address"], logo_name(example_logo(), "png"), True)  # fmt: skip
    assert inp.signatory("first").name == "Nama Kepala BKPSDM (contoh)"
    assert inp.agreement_signed_on == date(2024, 1, 31)


def test_the_example_agencies_have_an_example_kop(agency):
    from kinerja.examples import create_example_agencies

    for example in create_example_agencies(agency.government, count=2):
        kop = Letterhead.objects.get(agency=example, year=2024)
        assert (kop.is_example, kop.address) == (True, EXAMPLE_KOP["address"])


# ---- the admin --------------------------------------------------------------------------


def test_the_admin_pemda_replaces_the_logo_in_the_admin_and_a_gif_is_refused(client, demo_users,
                                                                            agency):  # fmt: skip
    from .test_admin import admin_form

    client.force_login(demo_users["admin"])
    kop = _kop(agency)
    url = reverse("admin:planning_letterhead_change", args=[kop.pk])
    data = {k: v for k, v in admin_form(client, url).items() if k not in ("logo_file",
                                                                           "remove_logo")}  # fmt: skip
    refused = client.post(url, {**data, "change_reason": "logo",
                                "logo_file": SimpleUploadedFile("l.gif", image("GIF"))})  # fmt: skip
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors == {"logo_file": [
        "Logo harus berupa gambar PNG atau JPG; berkas ini bukan gambar PNG atau JPG."]}  # fmt: skip
    logo = image("PNG", (48, 48), (1, 2, 3))
    saved = client.post(url, {**data, "change_reason": "logo resmi",
                              "logo_file": SimpleUploadedFile("l.png", logo)})  # fmt: skip
    assert saved.status_code == 302
    kop.refresh_from_db()
    assert (kop.logo, read_logo(kop.logo)) == (logo_name(logo, "png"), logo)
    assert kop.history.order_by("-history_date", "-history_id")[0].history_change_reason == (
        "logo resmi")  # fmt: skip


def test_the_first_save_of_a_year_creates_its_kop(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    url = reverse("planning:kop", args=[agency.slug, 2025])
    assert "Belum ada kop surat untuk tahun 2025" in client.get(url).content.decode()
    drawn = {f"was-{f}": "" for f in ("address", "telephone", "email", "website", "logo")}
    response = client.post(url, {**drawn, "address": "Jl. Contoh No. 9", "telephone": "",
                                 "email": "", "website": "contoh.go.id",
                                 "logo": SimpleUploadedFile("l.png", image("PNG"))})  # fmt: skip
    assert response.status_code == 302
    kop = Letterhead.objects.get(agency=agency, year=2025)
    assert (kop.address, kop.website, kop.logo, kop.is_example, kop.history.count()) == (
        "Jl. Contoh No. 9", "contoh.go.id", logo_name(image("PNG"), "png"), False, 1)  # fmt: skip
