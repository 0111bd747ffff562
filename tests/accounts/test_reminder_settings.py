"""The signed-in user's reminder settings (/akun/pengingat/, accounts/views.reminder_settings):
the header links to it; the box turns the e-mail reminders off and on again; a user without
an address is told that nothing can be sent."""

import pytest

from kinerja.accounts.models import Profile

pytestmark = pytest.mark.django_db
URL = "/akun/pengingat/"


def _on(user) -> bool:
    return Profile.objects.get(user=user).reminders


def test_the_user_turns_reminders_off_and_on(client, demo_users):
    operator = demo_users["operator"]
    client.force_login(operator)
    html = client.get("/").content.decode()
    assert f'<a class="button" href="{URL}">Pengingat</a>' in html
    page = client.get(URL).content.decode()
    assert '<input type="checkbox" name="reminders" checked>' in page
    assert "<strong>operator@demo.kinerja.test</strong>" in page

    response = client.post(URL, {}, follow=True)  # the box unticked
    assert not _on(operator)
    assert "Pengingat lewat surel dimatikan." in response.content.decode()
    assert '<input type="checkbox" name="reminders">' in response.content.decode()
    assert _on(demo_users["verifikator"])  # only the own profile

    client.post(URL, {"reminders": "on"})
    assert _on(operator)


def test_a_user_without_an_address_is_told(client, demo_users):
    pimpinan = demo_users["pimpinan"]
    pimpinan.email = ""
    pimpinan.save()
    client.force_login(pimpinan)
    assert "Akun Anda belum memiliki alamat surel" in client.get(URL).content.decode()


def test_a_user_without_a_profile_is_refused(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("tanpa-profil"))
    assert client.get(URL).status_code == 403
    assert client.put(URL).status_code == 405
