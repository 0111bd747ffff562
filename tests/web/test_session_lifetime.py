"""A login ends after KINERJA_SESSION_IDLE_MINUTES without a request and KINERJA_SESSION_MAX_HOURS
after it began (web/middleware.SessionLifetimeMiddleware). Time passes by writing the session's
own times back (no sleeping)."""

import time

import pytest
from django.conf import settings

from kinerja.web.middleware import SessionLifetimeMiddleware as Lifetime

pytestmark = pytest.mark.django_db


def _shift(client, **ago):
    """Move the session's login and last-request times into the past by the seconds given."""
    session = client.session
    for key, seconds in ago.items():
        session[getattr(Lifetime, key)] = time.time() - seconds
    session.save()


def _logged_in(client):
    response = client.get("/")
    if response.status_code == 302:
        assert response["Location"].startswith("/masuk/")
        assert "_auth_user_id" not in client.session
        return False
    assert response.status_code == 200
    return True


def test_the_defaults_are_30_minutes_idle_and_12_hours_in_all():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60 == settings.SESSION_COOKIE_AGE
    assert settings.SESSION_MAX_SECONDS == 12 * 3600


def test_a_login_records_its_time(client, demo_users):
    before = time.time()
    assert client.post("/masuk/", {"username": "operator", "password": "demo"}).status_code == 302
    session = client.session
    assert before <= session[Lifetime.LOGIN_AT] == session[Lifetime.SEEN_AT] <= time.time()


def test_an_idle_session_ends(client, demo_users):
    client.force_login(demo_users["operator"])
    assert _logged_in(client)
    _shift(client, SEEN_AT=settings.SESSION_IDLE_SECONDS - 60)
    assert _logged_in(client)  # 29 minutes: still in, and the request counts as activity
    assert time.time() - client.session[Lifetime.SEEN_AT] < 5
    _shift(client, SEEN_AT=settings.SESSION_IDLE_SECONDS + 1)
    assert not _logged_in(client)
    login = client.get("/masuk/?next=/").content.decode()
    assert "Sesi Anda telah berakhir. Silakan masuk lagi." in login
    assert "Sesi Anda telah berakhir." not in client.get("/masuk/").content.decode()  # once


def test_an_active_session_ends_after_its_absolute_lifetime(client, demo_users):
    client.force_login(demo_users["pimpinan"])
    _shift(client, LOGIN_AT=settings.SESSION_MAX_SECONDS - 60, SEEN_AT=10)
    assert _logged_in(client)
    _shift(client, LOGIN_AT=settings.SESSION_MAX_SECONDS + 1, SEEN_AT=10)
    assert not _logged_in(client)
    # a new login starts a new lifetime
    assert client.post("/masuk/", {"username": "pimpinan", "password": "demo"}).status_code == 302
    assert _logged_in(client)


def test_the_idle_timeout_follows_the_setting(client, demo_users, settings):
    settings.SESSION_IDLE_SECONDS = 10 * 60
    client.force_login(demo_users["operator"])
    _shift(client, SEEN_AT=11 * 60)
    assert not _logged_in(client)


def test_a_request_writes_the_session_at_most_once_a_minute(client, demo_users):
    client.force_login(demo_users["operator"])
    assert _logged_in(client)
    _shift(client, SEEN_AT=30)
    seen = client.session[Lifetime.SEEN_AT]
    response = client.get("/")
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.session[Lifetime.SEEN_AT] == seen
    _shift(client, SEEN_AT=Lifetime.RENEW_AFTER + 1)
    response = client.get("/")
    # renewed: the cookie is sent again with a fresh expiry of the idle timeout
    assert (
        response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_IDLE_SECONDS
    )


def test_any_login_records_its_time_before_the_first_request(client, demo_users):
    before = time.time()
    client.force_login(demo_users["evaluator"])  # django.contrib.auth.login, no middleware
    assert before <= client.session[Lifetime.LOGIN_AT] <= time.time()
