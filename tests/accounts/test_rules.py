"""Permission predicates of accounts/rules.py."""

import pytest
from django.contrib.auth.models import AnonymousUser

from kinerja.accounts import rules

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("username", "allowed"), [
    ("operator", False), ("verifikator", True), ("evaluator", True), ("pimpinan", True),
    ("admin", True)])  # fmt: skip
def test_can_see_overview_refuses_only_operators(demo_users, username, allowed):
    assert rules.can_see_overview(demo_users[username]) is allowed


def test_can_see_overview_refuses_an_anonymous_visitor():
    assert rules.can_see_overview(AnonymousUser()) is False


def test_above_the_pemda_the_province_scope_and_the_national_reader(demo_users, agency):
    """The demo's «provinsi» (verifikator with the scope of Jawa Timur) and «nasional»."""
    from kinerja.planning.models import Agency, Government, Province

    jatim = Province.objects.get(code="35")
    aceh = Province.objects.create(code="11", name="Aceh")
    near = Government.objects.create(name="Kota Uji", slug="kota-uji", region="x", province=jatim)
    far = Government.objects.create(name="Kab Jauh", slug="kab-jauh", region="x", province=aceh)
    near_agency = Agency.objects.create(government=near, name="Dinas A", abbreviation="A",
                                        slug="dinas-a")  # fmt: skip
    far_agency = Agency.objects.create(government=far, name="Dinas B", abbreviation="B",
                                       slug="dinas-b")  # fmt: skip
    got = {
        who: (rules.can_see_national(u), rules.can_see_province(u, jatim),
              rules.can_see_province(u, aceh), rules.can_see_pemda_overview(u, near),
              rules.can_see_pemda_overview(u, far), rules.is_reader_of(u, near_agency),
              rules.is_reader_of(u, far_agency), rules.can_verify(u, near_agency))
        for who, u in demo_users.items() if who in ("provinsi", "nasional", "verifikator",
                                                    "admin", "operator")
    }  # fmt: skip
    assert got == {
        "provinsi": (False, True, False, True, False, True, False, False),
        "nasional": (True, True, True, True, True, True, True, False),
        "verifikator": (False, False, False, False, False, False, False, False),
        "admin": (False, False, False, False, False, False, False, False),
        "operator": (False, False, False, False, False, False, False, False),
    }
    assert rules.province_code_of(demo_users["provinsi"]) == "35"
    assert rules.province_code_of(demo_users["verifikator"]) is None


def test_a_province_scope_makes_a_pemda_role_a_reader_only(demo_users, agency):
    """The admin pemda given a province scope reads as before but acts no more in its own
    pemda: no reopening, no plan, no pemda admin pages — every step stays with the pemda's
    roles without one (issue 18)."""
    from kinerja.accounts.admin_scope import pemda_of
    from kinerja.planning.models import Province

    admin = demo_users["admin"]
    acts = (rules.can_reopen, rules.can_edit_plan, rules.is_reader_of)
    assert [p(admin, agency) for p in acts] + [pemda_of(admin)] == [
        True, True, True, agency.government_id]  # fmt: skip
    admin.profile.province = Province.objects.get(code="35")
    admin.profile.save()
    admin.refresh_from_db()
    assert [p(admin, agency) for p in acts] + [pemda_of(admin)] == [False, False, True, None]
    assert rules.reads_from_above(admin.profile) and not rules.reads_from_above(
        demo_users["verifikator"].profile)  # fmt: skip
