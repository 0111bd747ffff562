import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ImproperlyConfigured

from kinerja.accounts.demo import create_demo_users

pytestmark = pytest.mark.django_db


def test_one_demo_user_per_role_with_password_demo(agency, settings):
    settings.DEBUG = True
    users = create_demo_users(agency)
    assert [u for u, _ in users] == ["operator", "verifikator", "evaluator", "pimpinan", "admin",
                                     "provinsi", "nasional"]  # fmt: skip
    for username, _ in users:
        user = authenticate(username=username, password="demo")
        assert user is not None, username
    assert authenticate(username="operator", password="demo").profile.agency == agency
    assert authenticate(username="verifikator", password="demo").profile.agency is None
    admin = authenticate(username="admin", password="demo")
    assert (admin.is_staff, admin.is_superuser, [g.name for g in admin.groups.all()]) == (
        True, False, ["Admin pemda"])  # fmt: skip
    assert get_user_model().objects.filter(is_superuser=True).count() == 0
    # above the pemda: a verifikator of the demo pemda's province, and the national reader
    provinsi = authenticate(username="provinsi", password="demo").profile
    assert (provinsi.role, provinsi.province.code, agency.government.province.code) == (
        "verifikator", "35", "35")  # fmt: skip
    assert authenticate(username="nasional", password="demo").profile.role == "nasional"
    assert not get_user_model().objects.get(username="nasional").is_staff
    # a second call creates nothing and keeps the passwords
    assert create_demo_users(agency) == users


def test_no_demo_users_when_debug_is_off(agency, settings):
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="DEBUG=0"):
        create_demo_users(agency)
    assert get_user_model().objects.count() == 0


def test_an_admin_an_earlier_demo_made_superuser_becomes_an_admin_pemda(agency, settings):
    settings.DEBUG = True
    create_demo_users(agency)
    get_user_model().objects.filter(username="admin").update(is_superuser=True)
    create_demo_users(agency)
    admin = get_user_model().objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser) == (True, False)
    assert admin.has_perm("planning.change_workitem")
    assert not admin.has_perm("auth.change_group")
