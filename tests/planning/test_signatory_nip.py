"""A signatory's NIP is 18 digits or empty (a regent has none), typed with or without the
usual spaces and stored without them — the same on the PK page (set_signatory), in the admin
and in the model's own validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kinerja.planning.domain import RevisionRefused, set_signatory
from kinerja.planning.models import Signatory
from kinerja.seed import EXAMPLE_HEAD

from .test_admin import admin_form

pytestmark = pytest.mark.django_db

MESSAGE = ("NIP terdiri atas 18 angka (spasi di antaranya boleh); kosongkan bila penanda "
           "tangan tidak memiliki NIP, misalnya bupati.")  # fmt: skip


def _signer(agency, party="first") -> Signatory:
    return Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party=party)


def _sign(user, signer, nip):
    return set_signatory(user=user, signatory=signer, name="Drs. Contoh", nip=nip,
                         rank="Pembina", acting="")  # fmt: skip


@pytest.mark.parametrize(("typed", "stored"), [
    ("19700101 199503 1 001", "197001011995031001"),
    ("197001011995031001", "197001011995031001"),
    ("  19700101\u00a0199503 1 001 ", "197001011995031001"),  # a no-break space from a copy
    ("", ""),  # a regent: no NIP
])  # fmt: skip
def test_a_nip_is_stored_as_its_18_digits_or_empty(demo_users, agency, typed, stored):
    signer = _sign(demo_users["operator"], _signer(agency), typed)
    signer.refresh_from_db()
    assert signer.nip == stored


@pytest.mark.parametrize("typed", [
    "<b>1</b>",
    "1",
    "1" * 17,
    "1" * 19,
    "19700101-199503-1-001",
    "1970010119950310O1",  # a letter O for a zero
    "١٩٧٠٠١٠١١٩٩٥٠٣١٠٠١",  # 18 Arabic-Indic digits: not a NIP
    "１９７００１０１１９９５０３１００１",  # 18 full-width digits
])  # fmt: skip
def test_anything_else_is_refused_in_indonesian_and_nothing_changes(demo_users, agency, typed):
    signer = _signer(agency)
    before = (signer.name, signer.nip, signer.history.count())
    with pytest.raises(RevisionRefused) as refused:
        _sign(demo_users["operator"], signer, typed)
    assert str(refused.value) == MESSAGE
    signer.refresh_from_db()
    assert (signer.name, signer.nip, signer.history.count()) == before


def test_a_nip_longer_than_its_column_names_the_length(demo_users, agency):
    with pytest.raises(RevisionRefused) as refused:
        _sign(demo_users["operator"], _signer(agency), "1" * 31)
    assert str(refused.value) == "NIP terlalu panjang: 31 karakter, paling banyak 30."


def test_the_pk_page_shows_the_refusal_and_keeps_the_old_nip(client, demo_users, agency):
    signer = _signer(agency)
    client.force_login(demo_users["operator"])
    page = client.post(reverse("planning:signatory", args=[agency.slug, 2024, signer.pk]),
                       {"name": "Drs. Contoh", "nip": "<b>1</b>", "rank": "", "acting": ""})  # fmt: skip
    assert page.status_code == 200
    assert MESSAGE in page.content.decode()
    assert "<b>1</b>" not in page.content.decode()  # drawn escaped, if at all
    signer.refresh_from_db()
    assert signer.nip == EXAMPLE_HEAD["nip"]  # the seed's example NIP, kept


def test_the_model_refuses_a_bad_nip_and_normalises_a_typed_one(agency):
    signer = _signer(agency)
    signer.nip = "<b>1</b>"
    with pytest.raises(ValidationError) as refused:
        signer.full_clean()
    assert refused.value.message_dict == {"nip": [MESSAGE]}
    signer.nip = "19700101 199503 1 001"
    signer.full_clean()
    assert signer.nip == "197001011995031001"


@pytest.mark.parametrize("who", ["admin", "platform"])
def test_the_admin_refuses_a_bad_nip_and_stores_a_typed_one_as_digits(client, demo_users,
                                                                       agency, who):  # fmt: skip
    from django.contrib.auth import get_user_model

    user = demo_users["admin"] if who == "admin" else get_user_model().objects.create_superuser(
        "platform", password="x")  # fmt: skip
    client.force_login(user)
    signer = _signer(agency)
    url = reverse("admin:planning_signatory_change", args=[signer.pk])
    data = admin_form(client, url)
    page = client.post(url, {**data, "nip": "<b>1</b>", "change_reason": "uji"})
    assert page.status_code == 200
    assert page.context["adminform"].form.errors == {"nip": [MESSAGE]}
    signer.refresh_from_db()
    assert signer.nip == EXAMPLE_HEAD["nip"]  # the seed's example NIP, kept
    page = client.post(url, {**data, "nip": "19700101 199503 1 001", "change_reason": "SK"})
    assert page.status_code == 302
    signer.refresh_from_db()
    assert signer.nip == "197001011995031001"


def test_every_signatory_of_the_seed_passes_the_rule(agency):
    """The seed names no NIP: the demo's head has an example NIP (18 digits, marked
    "(contoh)" by its name), the regent none; both valid."""
    signers = list(Signatory.objects.order_by("party"))
    assert [(s.party, s.nip) for s in signers] == [("first", EXAMPLE_HEAD["nip"]),
                                                   ("second", "")]  # fmt: skip
    for signer in signers:
        signer.full_clean()
