import re
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from kinerja.accounts import throttle
from kinerja.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


def test_login_is_throttled_after_five_failures_even_with_the_right_password(client, demo_users):
    for _ in range(5):
        response = client.post("/masuk/", {"username": "operator", "password": "salah"})
        assert response.status_code == 200
    assert LoginFailure.objects.filter(username="operator").count() == 5
    refused = client.post("/masuk/", {"username": "operator", "password": "demo"})
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_failures(client, demo_users):
    for _ in range(3):
        client.post("/masuk/", {"username": "pimpinan", "password": "salah"})
    response = client.post("/masuk/", {"username": "pimpinan", "password": "demo"})
    assert response.status_code == 302
    assert LoginFailure.objects.filter(username="pimpinan").count() == 0


def test_password_change_in_indonesian(client, demo_users):
    client.force_login(demo_users["operator"])
    page = client.get("/sandi/").content.decode()
    assert "Ganti kata sandi" in page
    response = client.post("/sandi/", {"old_password": "demo", "new_password1": "Sumenep-2024!x",
                                       "new_password2": "Sumenep-2024!x"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/sandi/selesai/"
    demo_users["operator"].refresh_from_db()
    assert demo_users["operator"].check_password("Sumenep-2024!x")


# ---- throttling (accounts/throttle.py) -------------------------------------------------------
A, B = "203.0.113.1", "198.51.100.7"


def _login(client, username, password, address=A):
    return client.post("/masuk/", {"username": username, "password": password},
                       REMOTE_ADDR=address)  # fmt: skip


def _age_failures(seconds):
    """Time passes for the throttle: every recorded failure becomes older (no sleeping)."""
    LoginFailure.objects.update(at=F("at") - timedelta(seconds=seconds))


def test_padded_and_case_changed_names_count_as_the_same_user(client, demo_users):
    for name in ("  operator ", "OPERATOR", "Operator", "\toperator", "ＯＰＥＲＡＴＯＲ"):
        assert _login(client, name, "salah").status_code == 200
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"operator"}
    refused = _login(client, "operator", "demo")
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit." in (
        refused.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_a_locked_user_and_address_does_not_lock_the_same_user_from_another_address(
    client, demo_users
):
    for _ in range(throttle.PAIR_LIMIT):
        _login(client, "operator", "salah", A)
    assert _login(client, "operator", "demo", A).status_code == 429
    other = Client()
    assert _login(other, "operator", "demo", B).status_code == 302
    assert other.session["_auth_user_id"] == str(demo_users["operator"].pk)
    # the lock on A stays until its failures leave the window, then A may try again
    assert _login(Client(), "operator", "demo", A).status_code == 429
    _age_failures(throttle.WINDOW.total_seconds() + 1)
    assert _login(Client(), "operator", "demo", A).status_code == 302


def test_failures_from_twenty_addresses_only_slow_the_name_down(client, demo_users):
    # at full speed, twenty addresses get only a few guesses past NAME_FREE: then each waits
    answers = [_login(Client(), "operator", "salah", f"192.0.2.{i + 1}").status_code
               for i in range(20)]  # fmt: skip
    # (the first delays are 1, 2, 4 … seconds: a slow machine may let one or two more through)
    assert answers[: throttle.NAME_FREE] == [200] * throttle.NAME_FREE
    assert answers[-3:] == [429] * 3
    assert LoginFailure.objects.count() == answers.count(200) <= throttle.NAME_FREE + 2
    # a patient guesser, waiting out each delay, fails twenty times from twenty addresses
    LoginFailure.objects.all().delete()
    for i in range(20):
        if i:
            _age_failures(throttle.name_delay(LoginFailure.objects.count()))
        assert _login(Client(), "operator", "salah", f"192.0.2.{i + 1}").status_code == 200
    assert LoginFailure.objects.count() == 20
    # a new address: no lock, a wait of at most NAME_MAX_DELAY seconds for this name
    refused = _login(client, "operator", "demo", B)
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(throttle.NAME_MAX_DELAY)
    assert (f"Terlalu banyak percobaan yang gagal untuk nama pengguna ini. Coba lagi dalam "
            f"{throttle.NAME_MAX_DELAY} detik.") in refused.content.decode()  # fmt: skip
    assert LoginFailure.objects.filter(ip=B).count() == 0  # a refusal is not a failure
    _age_failures(throttle.NAME_MAX_DELAY + 1)
    assert _login(client, "operator", "demo", B).status_code == 302
    # other users are not slowed by the operator's failures
    assert _login(Client(), "pimpinan", "demo", "192.0.2.1").status_code == 302


def test_the_delay_of_a_name_grows_and_is_bounded():
    now = timezone.now()
    assert [throttle.name_delay(n) for n in range(throttle.NAME_FREE)] == [0] * throttle.NAME_FREE
    delays = [throttle.name_delay(n) for n in range(throttle.NAME_FREE, throttle.NAME_FREE + 12)]
    assert delays == sorted(delays) and delays[0] == 1 and delays[1] == 2
    assert max(delays) == throttle.NAME_MAX_DELAY
    assert throttle.name_delay(10_000) == throttle.NAME_MAX_DELAY
    # 200 failures from 200 addresses: the name waits NAME_MAX_DELAY after the last, never more
    for i in range(200):
        throttle.record_failure("evaluator", f"10.0.{i // 250}.{i % 250 + 1}",
                                now=now - timedelta(seconds=200 - i))  # fmt: skip
    last = now - timedelta(seconds=1)
    wait = throttle.refusal("Evaluator", "10.9.9.9", now=now)
    assert wait is not None and not wait.pair
    assert wait.seconds == throttle.NAME_MAX_DELAY - 1
    assert throttle.refusal("evaluator", "10.9.9.9", now=last + timedelta(seconds=59)) is not None
    assert throttle.refusal("evaluator", "10.9.9.9",
                            now=last + timedelta(seconds=throttle.NAME_MAX_DELAY)) is None  # fmt: skip


def test_a_browser_that_logged_in_before_is_not_slowed_down_by_others_failures(client, demo_users):
    assert _login(client, "operator", "demo", B).status_code == 302
    client.post("/keluar/")
    for i in range(throttle.NAME_FREE + 1):
        _login(Client(), "operator", "salah", f"192.0.2.{i + 1}")
    assert _login(Client(), "operator", "demo", B).status_code == 429  # an unknown browser
    assert _login(client, "operator", "demo", B).status_code == 302  # the operator's own
    # a forged or foreign cookie proves nothing
    forged = Client()
    forged.cookies[throttle.KNOWN_COOKIE] = '["operator"]'
    assert _login(forged, "operator", "demo", B).status_code == 429


def test_unknown_and_known_users_get_the_same_answer(client, demo_users):
    answers = {}
    for name in ("operator", "tidak-ada"):
        first = _login(Client(), name, "salah")
        assert first.status_code == 200
        assert "Nama pengguna atau kata sandi salah." in first.content.decode()
        for _ in range(throttle.PAIR_LIMIT - 1):
            _login(Client(), name, "salah")
        locked = _login(Client(), name, "salah")
        answers[name] = (first.status_code, _message(first), locked.status_code,
                         _message(locked), locked["Retry-After"])  # fmt: skip
    assert answers["operator"] == answers["tidak-ada"]
    assert answers["operator"][2] == 429


def _message(response):
    """The page's main part, without the (per-request masked) CSRF token."""
    html = response.content.decode()
    main = html[html.index("<main>") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


def test_the_client_address_is_the_right_most_of_the_trusted_proxy_header(
    client, demo_users, settings
):
    settings.KINERJA_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    balancer = "10.0.0.2"  # every request reaches Kinerja from the load balancer
    for i in range(throttle.PAIR_LIMIT):
        # what the client wrote itself (left) changes; what the proxy added (right) does not
        client.post("/masuk/", {"username": "operator", "password": "salah"},
                    REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR=f"1.1.1.{i}, {A}")  # fmt: skip
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {A}
    refused = client.post("/masuk/", {"username": "operator", "password": "demo"},
                          REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR=f"9.9.9.9, {A}")  # fmt: skip
    assert refused.status_code == 429
    # behind the same balancer, another client is not blocked with the guesser
    other = Client().post("/masuk/", {"username": "operator", "password": "demo"},
                          REMOTE_ADDR=balancer, HTTP_X_FORWARDED_FOR=B)  # fmt: skip
    assert other.status_code == 302


def test_without_a_proxy_header_setting_the_forwarded_header_is_ignored(
    client, demo_users, settings
):
    settings.KINERJA_TRUSTED_PROXY_HEADER = ""
    for i in range(throttle.PAIR_LIMIT):
        client.post("/masuk/", {"username": "operator", "password": "salah"},
                    REMOTE_ADDR=A, HTTP_X_FORWARDED_FOR=f"1.1.1.{i}")  # fmt: skip
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {A}
    assert _login(client, "operator", "demo", A).status_code == 429


def test_a_wrong_old_password_is_throttled_like_a_login(client, demo_users):
    operator = demo_users["operator"]
    client.force_login(operator)
    new = {"new_password1": "Sumenep-2024!x", "new_password2": "Sumenep-2024!x"}
    for _ in range(throttle.PAIR_LIMIT):
        wrong = client.post("/sandi/", {"old_password": "salah", **new}, REMOTE_ADDR=A)
        assert wrong.status_code == 200
    assert LoginFailure.objects.filter(username="operator", ip=A).count() == throttle.PAIR_LIMIT
    refused = client.post("/sandi/", {"old_password": "demo", **new}, REMOTE_ADDR=A)
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in refused.content.decode()
    assert "Sandi lama Anda yang dimasukkan salah." not in refused.content.decode()
    operator.refresh_from_db()
    assert operator.check_password("demo")
    # the login of that user from that address is locked too; from another address it is not
    assert _login(Client(), "operator", "demo", A).status_code == 429
    done = client.post("/sandi/", {"old_password": "demo", **new}, REMOTE_ADDR=B)
    assert done.status_code == 302
    operator.refresh_from_db()
    assert operator.check_password("Sumenep-2024!x")


def test_new_passwords_that_differ_are_no_failure(client, demo_users):
    client.force_login(demo_users["operator"])
    client.post("/sandi/", {"old_password": "demo", "new_password1": "Sumenep-2024!x",
                            "new_password2": "lain"}, REMOTE_ADDR=A)  # fmt: skip
    assert LoginFailure.objects.count() == 0


def test_failures_older_than_the_window_are_not_kept(demo_users):
    now = timezone.now()
    throttle.record_failure("operator", A, now=now - throttle.WINDOW - timedelta(seconds=1))
    throttle.record_failure("pimpinan", A, now=now)
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["pimpinan"]


@pytest.mark.parametrize("header, address", [
    ("198.51.100.7", "198.51.100.7"),
    ("10.1.1.1, 198.51.100.7", "198.51.100.7"),
    ("198.51.100.7:51234", "198.51.100.7"),
    ("2001:db8::1", "2001:db8::1"),
    ("[2001:db8::1]:51234", "2001:db8::1"),
    ("198.51.100.7, bukan-alamat", "10.0.0.2"),  # the proxy's own entry unreadable: its peer
    ("", "10.0.0.2"),
])  # fmt: skip
def test_the_address_read_from_the_proxy_header(rf, settings, header, address):
    settings.KINERJA_TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    request = rf.post("/masuk/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=header)
    assert throttle.client_address(request) == address
