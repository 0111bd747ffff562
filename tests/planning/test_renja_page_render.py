"""The Renja page's repeated forms (a pagu form and four rencana aksi forms on every row) are
drawn by Django's Jinja2 widget templates, for speed (planning/forms.py ``_REPEATED_ROWS``).
The page must read exactly as Django's own templates would draw it: fields, values, labels,
help texts, a refused form's errors, the revision fields of a locked year."""

from __future__ import annotations

import re

import pytest
from django.forms.renderers import DjangoTemplates, Jinja2
from django.urls import reverse

from kinerja.planning.forms import ActionPlanForm, ReviseBudgetForm
from kinerja.planning.models import WorkItem

pytestmark = pytest.mark.django_db
FORMS = (ActionPlanForm, ReviseBudgetForm)


def _pages(client, monkeypatch, request) -> dict[str, str]:
    """The page as each renderer draws it, the CSRF tokens left out (new on every request)."""
    drawn = {}
    for renderer in (Jinja2(), DjangoTemplates()):
        for form in FORMS:
            monkeypatch.setattr(form, "default_renderer", renderer)
        page = request(client).content.decode()
        drawn[type(renderer).__name__] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"',
                                                "", page)  # fmt: skip
    return drawn


def test_the_forms_read_the_same_as_with_djangos_own_templates(client, demo_users, agency,
                                                                monkeypatch):  # fmt: skip
    assert all(isinstance(form.default_renderer, Jinja2) for form in FORMS)
    client.force_login(demo_users["operator"])
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02", level="program")
    cases = {
        "the locked year, every row": lambda c: c.get(
            reverse("planning:renja", args=[agency.slug, 2024])),
        "a refused rencana aksi, with its errors": lambda c: c.post(
            reverse("planning:action_plan", args=[agency.slug, 2024, item.pk, 3]),
            {"target_k": "tiga", "cash_plan": "1,2,3"}),
        "a refused pagu, with its errors": lambda c: c.post(
            reverse("planning:revise_budget", args=[agency.slug, 2024, item.pk]),
            {"amount": "-5", "on": "kemarin"}),
    }  # fmt: skip
    for name, request in cases.items():
        drawn = _pages(client, monkeypatch, request)
        assert drawn["Jinja2"] == drawn["DjangoTemplates"], name
        assert drawn["Jinja2"].count('name="target_k"') >= 60, name  # every row's four forms
    assert 'class="error"' in drawn["Jinja2"] and 'name="legal_basis"' in drawn["Jinja2"]
