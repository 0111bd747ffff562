import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured

from kinerja.accounts.demo import create_demo_users

pytestmark = pytest.mark.django_db


def test_one_demo_user_per_role_with_password_demo(agency, settings):
    settings.DEBUG = True
    users = create_demo_users(agency)
    assert [u for u, _ in users] == ["operator", "verifikator", "evaluator", "pimpinan", "admin"]
    for username, _ in users:
        user = authenticate(username=username, password="demo")
        assert user is not None, username
    assert authenticate(username="operator", password="demo").profile.agency == agency
    assert authenticate(username="verifikator", password="demo").profile.agency is None
    assert authenticate(username="admin", password="demo").is_superuser
    # a second call creates nothing and keeps the passwords
    assert create_demo_users(agency) == users


def test_no_demo_users_when_debug_is_off(agency, settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="DEBUG=0"):
        create_demo_users(agency)
    assert get_user_model().objects.count() == 0
