"""The Django admin with two pemdas: an admin pemda lists, opens, chooses and saves only its own
pemda's rows; another pemda's row is 404 and a forged choice of it is a form error; the
national scales are read-only to it; it never becomes or makes a superuser. The platform
superuser sees both pemdas. The way from each model to its pemda is written here by hand
(the oracle), not read from the admin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from kinerja.accounts.demo import make_pemda_admin
from kinerja.accounts.models import Profile, Role
from kinerja.examples import create_example_agencies
from kinerja.monitoring import models as mon
from kinerja.planning import models as plan

from ..planning.test_admin import admin_form

pytestmark = pytest.mark.django_db

User = get_user_model()

# model → the lookup from it to its pemda (None: national, every pemda reads it)
PEMDA_OF = {
    plan.Scale: None,
    plan.ScaleBand: None,
    plan.Government: "pk",
    plan.RpjmdMission: "government",
    plan.RpjmdGoal: "mission__government",
    plan.RpjmdObjective: "goal__mission__government",
    plan.Agency: "government",
    plan.OrgUnit: "agency__government",
    plan.StrategicPlan: "agency__government",
    plan.Goal: "plan__agency__government",
    plan.Objective: "goal__plan__agency__government",
    plan.Indicator: "plan__agency__government",
    plan.IndicatorTarget: "indicator__plan__agency__government",
    plan.PerformanceAgreement: "agency__government",
    plan.AgreementTarget: "agreement__agency__government",
    plan.AgreementLine: "agreement__agency__government",
    plan.Signatory: "agreement__agency__government",
    plan.Letterhead: "agency__government",
    plan.WorkItem: "agency__government",
    plan.ActionPlan: "work_item__agency__government",
    plan.ReportTemplate: "government",
    mon.ReportingPeriod: "government",
    mon.QuarterSubmission: "agency__government",
    mon.SubmissionEvent: "submission__agency__government",
    mon.Realisation: "work_item__agency__government",
    mon.Evidence: "realisation__work_item__agency__government",
    mon.IndicatorRealisation: "indicator__plan__agency__government",
    mon.Narrative: "agency__government",
    Profile: "government",
    User: "profile__government",  # and never a superuser
}
OTHER_NAMES = ("Kabupaten Lain", "Dinas Lain", "admin-lain")  # nowhere on the seed admin's pages


def _rows(model, government):
    path = PEMDA_OF[model]
    qs = model.objects.all() if path is None else model.objects.filter(**{path: government.pk})
    return set(
        (qs.filter(is_superuser=False) if model is User else qs).values_list("pk", flat=True)
    )


def _url(model, action, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=args)


@pytest.fixture
def other(demo_users):
    """A second pemda with a row of every model, and its own admin pemda."""
    gov = plan.Government.objects.create(name="Kabupaten Lain", slug="kabupaten-lain",
                                         region="Jawa Timur")  # fmt: skip
    create_example_agencies(gov, count=2)  # Renja, TW I realisations, an approved quarter
    agency = plan.Agency.objects.create(government=gov, name="Dinas Lain", abbreviation="DL",
                                        slug="dinas-lain")  # fmt: skip
    item = plan.WorkItem.objects.create(agency=agency, year=2024, position=1, level="program",
                                        code="1.01.01", name="Program Dinas Lain")  # fmt: skip
    plan.ActionPlan.objects.create(work_item=item, quarter=1, target_k=Decimal(1))
    realisation = mon.Realisation.objects.create(work_item=item, quarter=1, value_k=Decimal(1))
    mon.Evidence.objects.create(realisation=realisation, file="bukti/lain.pdf")
    mission = plan.RpjmdMission.objects.create(government=gov, number=1, text="Misi lain")
    goal = plan.RpjmdGoal.objects.create(mission=mission, text="Tujuan lain")
    plan.RpjmdObjective.objects.create(goal=goal, text="Sasaran lain", indicator="Indeks lain")
    plan.OrgUnit.objects.create(agency=agency, name="Bidang Lain")
    renstra = plan.StrategicPlan.objects.create(agency=agency, start_year=2021, end_year=2026)
    goal = plan.Goal.objects.create(plan=renstra, number=1, text="Tujuan Renstra lain")
    objective = plan.Objective.objects.create(goal=goal, code="S1", text="Sasaran Renstra lain")
    indicator = plan.Indicator.objects.create(plan=renstra, objective=objective, position=1,
                                              name="Indikator lain", is_key=True)  # fmt: skip
    plan.IndicatorTarget.objects.create(indicator=indicator, year=2024, original=Decimal(80))
    mon.IndicatorRealisation.objects.create(indicator=indicator, year=2024, quarter=1,
                                            value=Decimal(70))  # fmt: skip
    agreement = plan.PerformanceAgreement.objects.create(agency=agency, year=2024)
    plan.AgreementTarget.objects.create(agreement=agreement, position=1, objective_text="S",
                                        indicator=indicator, indicator_text="I")  # fmt: skip
    plan.AgreementLine.objects.create(agreement=agreement, position=1, level="program",
                                      name="Program", indicator_text="I", work_item=item)  # fmt: skip
    plan.Signatory.objects.create(agreement=agreement, party="first", title="Kepala Dinas Lain")
    plan.Letterhead.objects.create(agency=agency, year=2024, address="Jl. Dinas Lain")
    plan.ReportTemplate.objects.create(government=gov, document="pk", file="templat/lain.docx")
    mon.ReportingPeriod.objects.create(government=gov, year=2024, quarter=2,
                                       opens_on=date(2024, 7, 1), closes_on=date(2024, 7, 31))  # fmt: skip
    submission = mon.QuarterSubmission.objects.create(agency=agency, year=2024, quarter=2)
    mon.SubmissionEvent.objects.create(submission=submission, to_status="submitted")
    mon.Narrative.objects.create(agency=agency, year=2024, quarter=1, kind="supporting",
                                 text="Faktor lain")  # fmt: skip
    admin_user = User.objects.create_user("admin-lain", password="x")
    Profile.objects.create(user=admin_user, role=Role.ADMIN, government=gov)
    make_pemda_admin(admin_user)
    return {"government": gov, "agency": agency, "item": item, "admin": admin_user}


@pytest.fixture
def platform(db):
    return User.objects.create_superuser("platform", password="x")


def test_the_other_pemda_has_a_row_of_every_scoped_model(other):
    empty = [m._meta.label for m, path in PEMDA_OF.items()
             if path is not None and not _rows(m, other["government"])]  # fmt: skip
    assert empty == []


def test_every_registered_admin_is_in_the_table_or_closed_to_an_admin_pemda(client, demo_users):
    """A model added to the admin later is either scoped here or not open to an admin pemda."""
    client.force_login(demo_users["admin"])
    unknown = []
    for model in admin.site._registry:
        if model in PEMDA_OF:
            continue
        if client.get(_url(model, "changelist")).status_code != 403:
            unknown.append(model._meta.label)
    assert unknown == []


@pytest.mark.parametrize("who", ["admin", "admin-lain"])
def test_each_changelist_lists_exactly_its_own_pemdas_rows(client, demo_users, agency, other, who):
    user = demo_users["admin"] if who == "admin" else other["admin"]
    government = agency.government if who == "admin" else other["government"]
    client.force_login(user)
    got, want, leaked = {}, {}, []
    for model in PEMDA_OF:
        if model not in admin.site._registry:
            continue
        page = client.get(_url(model, "changelist"))
        assert page.status_code == 200, model._meta.label
        label = model._meta.label
        got[label] = set(page.context["cl"].queryset.values_list("pk", flat=True))
        want[label] = _rows(model, government)
        if who == "admin":
            html = page.content.decode()
            leaked += [(label, n) for n in OTHER_NAMES if n in html]
    assert got == want
    assert leaked == []


def test_the_platform_superuser_lists_both_pemdas(client, platform, agency, other):
    client.force_login(platform)
    for model in PEMDA_OF:
        page = client.get(_url(model, "changelist"))
        got = set(page.context["cl"].queryset.values_list("pk", flat=True))
        assert got == set(model.objects.values_list("pk", flat=True)), model._meta.label
    assert client.get(_url(plan.Agency, "change", other["agency"].pk)).status_code == 200


def test_another_pemdas_row_is_404_on_every_page_of_every_model(client, demo_users, other):
    client.force_login(demo_users["admin"])
    got = {}
    for model, path in PEMDA_OF.items():
        if path is None:
            continue
        pk = min(_rows(model, other["government"]))
        pages = {"change": client.get(_url(model, "change", pk)).status_code,
                 "delete": client.post(_url(model, "delete", pk),
                                       {"post": "yes", "change_reason": "x"}).status_code}  # fmt: skip
        if hasattr(model, "history"):
            pages["history"] = client.get(_url(model, "history", pk)).status_code
        got[model._meta.label] = set(pages.values())
    assert got == {label: {404} for label in got}
    assert plan.Agency.objects.filter(pk=other["agency"].pk).exists()


def test_a_forged_choice_of_another_pemdas_row_is_a_form_error(client, demo_users, agency, other):
    client.force_login(demo_users["admin"])
    before = plan.OrgUnit.objects.count(), plan.WorkItem.objects.count()
    forged = {
        _url(plan.OrgUnit, "add"): ({"agency": other["agency"].pk, "name": "Bidang Palsu",
                                     "abbreviation": "BP", "change_reason": "uji"}, "agency"),
        _url(mon.ReportingPeriod, "add"): ({"government": other["government"].pk, "year": 2030,
                                            "quarter": 1, "opens_on": "2030-04-01",
                                            "closes_on": "2030-04-30", "change_reason": "uji"},
                                           "government"),
        _url(plan.Agency, "add"): ({"government": other["government"].pk, "name": "Dinas Palsu",
                                    "abbreviation": "DP", "slug": "dinas-palsu",
                                    "change_reason": "uji", **_empty_inline("orgunit_set")},
                                   "government"),
    }  # fmt: skip
    for url, (data, field) in forged.items():
        page = client.post(url, data)
        assert page.status_code == 200, url
        errors = page.context["adminform"].form.errors
        assert list(errors) == [field], url
        assert "Masukkan pilihan yang valid" in errors[field][0], url
    # an existing row moved to the other pemda's agency: refused the same way
    item = plan.WorkItem.objects.filter(agency=agency).order_by("pk").first()
    data = admin_form(client, _url(plan.WorkItem, "change", item.pk))
    data.update(agency=str(other["agency"].pk), change_reason="pindah")
    page = client.post(_url(plan.WorkItem, "change", item.pk), data)
    assert list(page.context["adminform"].form.errors) == ["agency"]
    item.refresh_from_db()
    assert item.agency == agency
    assert (plan.OrgUnit.objects.count(), plan.WorkItem.objects.count()) == before
    assert not mon.ReportingPeriod.objects.filter(year=2030).exists()


def _empty_inline(prefix):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def test_the_choices_of_a_form_and_of_autocomplete_are_its_pemdas(
    client, demo_users, agency, other
):
    client.force_login(demo_users["admin"])
    form = client.get(_url(plan.WorkItem, "add")).context["adminform"].form
    assert set(form.fields["agency"].queryset) == set(agency.government.agencies.all())
    form = client.get(_url(mon.Realisation, "add")).context["adminform"].form
    assert set(form.fields["work_item"].queryset.values_list("pk", flat=True)) == _rows(
        plan.WorkItem, agency.government)  # fmt: skip
    form = client.get(_url(Profile, "add")).context["adminform"].form
    assert list(form.fields["government"].queryset) == [agency.government]
    found = client.get(reverse("admin:autocomplete"), {
        "app_label": "planning", "model_name": "workitem", "field_name": "parent",
        "term": "Program"}).json()["results"]  # fmt: skip
    names = {plan.WorkItem.objects.get(pk=r["id"]).agency.government for r in found}
    assert names == {agency.government}


def test_the_scales_are_read_only_to_an_admin_pemda(client, demo_users, platform):
    scale = plan.Scale.objects.first()
    client.force_login(demo_users["admin"])
    assert client.get(_url(plan.Scale, "change", scale.pk)).status_code == 200
    assert client.get(_url(plan.Scale, "add")).status_code == 403
    gone = {"post": "yes", "change_reason": "uji"}
    assert client.post(_url(plan.Scale, "delete", scale.pk), gone).status_code == 403
    data = admin_form(client, _url(plan.Scale, "change", scale.pk))
    assert "change_reason" not in data  # drawn read-only
    assert client.post(_url(plan.Scale, "change", scale.pk),
                       {**data, "name": "Diubah"}).status_code == 403  # fmt: skip
    client.force_login(platform)
    assert client.get(_url(plan.Scale, "add")).status_code == 200


def test_its_own_pemda_is_changed_never_added_or_deleted(client, demo_users, agency):
    client.force_login(demo_users["admin"])
    own = agency.government
    assert client.get(_url(plan.Government, "change", own.pk)).status_code == 200
    assert client.get(_url(plan.Government, "add")).status_code == 403
    gone = {"post": "yes", "change_reason": "uji"}
    assert client.post(_url(plan.Government, "delete", own.pk), gone).status_code == 403
    assert plan.Government.objects.filter(pk=own.pk).exists()


def test_an_admin_pemda_cannot_make_a_superuser_nor_touch_groups(client, demo_users, agency):
    admin_user = demo_users["admin"]
    client.force_login(admin_user)
    url = _url(User, "change", admin_user.pk)
    data = admin_form(client, url)
    assert [
        f for f in ("is_superuser", "is_staff", "groups", "user_permissions") if f in data
    ] == []
    group = Group.objects.get(name="Admin pemda")
    client.post(url, {**data, "is_superuser": "on", "groups": str(group.pk), "first_name": "X"})
    admin_user.refresh_from_db()
    assert (admin_user.first_name, admin_user.is_superuser) == ("X", False)
    assert client.get(_url(Group, "changelist")).status_code == 403
    assert client.get(_url(Group, "change", group.pk)).status_code == 403
    assert client.get(_url(User, "delete", demo_users["operator"].pk)).status_code == 403


def test_a_platform_superuser_is_invisible_to_an_admin_pemda(client, demo_users, agency, platform):
    Profile.objects.create(user=platform, role=Role.ADMIN, government=agency.government)
    client.force_login(demo_users["admin"])
    assert client.get(_url(User, "change", platform.pk)).status_code == 404
    assert (
        client.get(reverse("admin:auth_user_password_change", args=[platform.pk])).status_code
        == 404
    )


def test_a_user_an_admin_pemda_adds_has_a_profile_in_its_pemda(client, demo_users, agency, other):
    client.force_login(demo_users["admin"])
    url = _url(User, "add")
    data = {"username": "operator-baru", "password1": "Sandi-Panjang-2024",
            "password2": "Sandi-Panjang-2024", "usable_password": "true",
            "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "1", "profile-MAX_NUM_FORMS": "1",
            "profile-0-role": "operator", "profile-0-agency": str(agency.pk)}  # fmt: skip
    page = client.post(url, {**data, "profile-0-government": str(other["government"].pk)})
    assert page.status_code == 200
    assert not User.objects.filter(username="operator-baru").exists()
    page = client.post(url, {**{k: v for k, v in data.items() if not k.startswith("profile-0")},
                             "profile-0-role": ""})  # fmt: skip
    assert page.status_code == 200
    assert not User.objects.filter(username="operator-baru").exists()
    page = client.post(url, {**data, "profile-0-government": str(agency.government.pk)})
    assert page.status_code == 302
    created = User.objects.get(username="operator-baru")
    assert (created.profile.government, created.is_staff, created.is_superuser) == (
        agency.government, False, False)  # fmt: skip


def test_migrate_gives_the_group_exactly_what_an_admin_pemda_may_do(db):
    from django.core.management import call_command

    Group.objects.filter(name="Admin pemda").delete()
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate sets the group again
    granted = {f"{p.content_type.app_label}.{p.codename}"
               for p in Group.objects.get(name="Admin pemda").permissions.all()}  # fmt: skip
    users = {"auth.view_user", "auth.add_user", "auth.change_user", "accounts.view_profile",
             "accounts.add_profile", "accounts.change_profile"}  # fmt: skip
    # only planning and monitoring tables and the users of its pemda: no Django groups or
    # permissions, no approval records, no failed logins, no sessions, no admin log
    assert {p for p in granted if not p.startswith(("planning.", "monitoring."))} == users
    read_only = ("scale", "scaleband", "quartersubmission", "submissionevent")
    assert {p for p in granted if p.split("_", 1)[1] in read_only} == {
        "planning.view_scale", "planning.view_scaleband",
        "monitoring.view_quartersubmission", "monitoring.view_submissionevent"}  # fmt: skip
    assert {p for p in granted if p.endswith("_government")} == {
        "planning.view_government", "planning.change_government"}  # fmt: skip
    for may in ("planning.add_workitem", "planning.delete_agency", "planning.change_signatory",
                "planning.add_reporttemplate", "monitoring.change_realisation",
                "monitoring.delete_evidence", "monitoring.add_reportingperiod"):  # fmt: skip
        assert may in granted


def test_only_the_platform_makes_a_national_reader_or_gives_a_province_scope(client, demo_users,
                                                                             agency, platform):  # fmt: skip
    """An admin pemda's form offers neither the national role nor any province (a forged
    POST naming them is a form error); the platform superuser's offers both."""
    from kinerja.planning.models import Province

    province = Province.objects.get(code="35")  # the demo users put the demo pemda in it
    data = {"username": "baca-nasional", "password1": "Sandi-Panjang-2024",
            "password2": "Sandi-Panjang-2024", "usable_password": "true",
            "profile-TOTAL_FORMS": "1", "profile-INITIAL_FORMS": "0",
            "profile-MIN_NUM_FORMS": "1", "profile-MAX_NUM_FORMS": "1",
            "profile-0-government": str(agency.government.pk)}  # fmt: skip
    client.force_login(demo_users["admin"])
    url = _url(User, "add")
    assert 'value="nasional"' not in client.get(url).content.decode()
    for forged in (
        {"profile-0-role": "nasional"},
        {"profile-0-role": "verifikator", "profile-0-province": str(province.pk)},
    ):
        page = client.post(url, {**data, **forged})
        assert page.status_code == 200, forged
        assert not User.objects.filter(username="baca-nasional").exists()
    client.force_login(platform)
    assert 'value="nasional"' in client.get(url).content.decode()
    page = client.post(url, {**data, "username": "prov", "profile-0-role": "evaluator",
                             "profile-0-province": str(province.pk)})  # fmt: skip
    assert page.status_code == 302
    assert User.objects.get(username="prov").profile.province == province
    # a province scope is for the province's verifikator, evaluator or admin only
    page = client.post(url, {**data, "username": "op", "profile-0-role": "pimpinan",
                             "profile-0-province": str(province.pk)})  # fmt: skip
    assert page.status_code == 200
    assert not User.objects.filter(username="op").exists()
