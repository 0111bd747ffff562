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
