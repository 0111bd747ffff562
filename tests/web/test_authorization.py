"""Every URL of the project × every role × own and other agency, against a table written
here by hand (the oracle) — not derived from accounts/rules.py. A URL missing from the table
fails the test."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import Agency, WorkItem

pytestmark = pytest.mark.django_db

ROLES = ("anonim", "operator", "verifikator", "evaluator", "pimpinan", "admin")
OK, GO, NO, LOGIN, NOT_ALLOWED, GONE = 200, 302, 403, "login", 405, 404
# URL name → (method, {role: expected for the own agency}, {role: expected for another})
# GO = the action was let through (redirect back); NO = refused; LOGIN = sent to log in.
ALL = dict.fromkeys(ROLES[1:], OK)
TABLE = {
    "texts:iku": ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO}),
    "texts:narratives": ("get", {"anonim": LOGIN, **ALL},
                         {"anonim": LOGIN, **ALL, "operator": NO}),
    # the operator is let through to the rules of the quarter (its period is not open on the
    # day the test runs): the page is drawn again with the value typed and why (200)
    "texts:iku_save": ("post", {"anonim": LOGIN, "operator": OK, "verifikator": NO,
                                "evaluator": NO, "pimpinan": NO, "admin": NO},
                       {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "texts:narratives_save": ("post", {"anonim": LOGIN, "operator": GO, "verifikator": NO,
                                       "evaluator": NO, "pimpinan": NO, "admin": NO},
                              {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "texts:evidence": ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO}),
    # a file of the agency's evidence: every reader of the agency downloads it (test_evidence.py:
    # another pemda is refused too)
    "texts:evidence_file": ("get", {"anonim": LOGIN, **ALL},
                            {"anonim": LOGIN, **ALL, "operator": NO}),
    "web:home": ("get", {"anonim": LOGIN, **ALL}, None),
    # the user's own API tokens (api/pages.py): every role; a token of someone else is not theirs
    # to revoke (redirect back with an error, nothing revoked: tests/api/test_token_page.py)
    "tokens:list": ("get", {"anonim": LOGIN, **ALL}, None),
    "tokens:revoke": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], GO)}, None),
    "web:pick": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], GO)}, None),
    "web:dashboard": ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO}),
    "web:quarter": ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO}),
    "web:submit": ("post", {"anonim": LOGIN, "operator": GO, "verifikator": NO, "evaluator": NO,
                            "pimpinan": NO, "admin": NO},
                   {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "web:return": ("post", {"anonim": LOGIN, "operator": NO, "verifikator": GO, "evaluator": NO,
                            "pimpinan": NO, "admin": NO},
                   {"anonim": LOGIN, "operator": NO, "verifikator": GO, "evaluator": NO,
                    "pimpinan": NO, "admin": NO}),
    "web:verify": ("post", {"anonim": LOGIN, "operator": NO, "verifikator": GO, "evaluator": NO,
                            "pimpinan": NO, "admin": NO},
                   {"anonim": LOGIN, "operator": NO, "verifikator": GO, "evaluator": NO,
                    "pimpinan": NO, "admin": NO}),
    "web:approve": ("post", {"anonim": LOGIN, "operator": NO, "verifikator": NO, "evaluator": NO,
                             "pimpinan": GO, "admin": NO},
                    {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    # the confirmation before each step (web/confirm.py): who takes the step reads it (a draft
    # quarter: the page says the step is not possible now)
    "web:submit_confirm": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                   "operator": OK},
                           {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "web:verify_confirm": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                   "verifikator": OK},
                           {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "verifikator": OK}),
    "web:approve_confirm": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                    "pimpinan": OK},
                            {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "web:reopen": ("post", {"anonim": LOGIN, "operator": NO, "verifikator": NO, "evaluator": NO,
                            "pimpinan": NO, "admin": GO},
                   {"anonim": LOGIN, "operator": NO, "verifikator": NO, "evaluator": NO,
                    "pimpinan": NO, "admin": GO}),
    "web:report_date": ("post", {"anonim": LOGIN, "operator": GO, "verifikator": NO,
                                 "evaluator": NO, "pimpinan": NO, "admin": NO},
                        {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "web:note": ("post", {"anonim": LOGIN, "operator": NO, "verifikator": GO, "evaluator": NO,
                          "pimpinan": NO, "admin": NO},
                 {"anonim": LOGIN, "operator": NO, "verifikator": GO, "evaluator": NO,
                  "pimpinan": NO, "admin": NO}),
    **dict.fromkeys(("web:reports", "web:report_job"),
                    ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO})),
    # a download puts a job on the task queue and sends to the job's page
    "web:download": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], GO)},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], GO), "operator": NO}),
    "web:history": ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO}),
    "web:overview": ("get", {"anonim": LOGIN, **ALL, "operator": NO}, None),
    "web:late": ("get", {"anonim": LOGIN, **ALL, "operator": NO}, None),
    # above the pemda (web/rollup_pages.py): the own pemda's overview by its slug, its
    # province's, the country's — no role of a pemda sees a province or the country (the
    # province and national users: SCOPED below)
    "web:overview_of": ("get", {"anonim": LOGIN, **ALL, "operator": NO}, None),
    "web:province": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}, None),
    "web:national": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}, None),
    "monitoring:grid": ("get", {"anonim": LOGIN, **ALL},
                        {"anonim": LOGIN, **ALL, "operator": NO}),
    "monitoring:save": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": GO},
                        {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "monitoring:preview": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                    "operator": OK},
                           {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    # the verifier's notes in the grid: the own operator answers (every verifikator of the
    # pemda writes notes on any agency), a verifikator of the pemda marks them done
    "monitoring:note_reply": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                       "operator": GO},
                              {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "monitoring:note_done": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                      "verifikator": GO},
                             {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                              "verifikator": GO}),
    # a quarter offline (monitoring/views_offline.py): the grid's writers only; a confirmation
    # without a previewed upload is refused (400)
    **dict.fromkeys(("monitoring:offline_download", "monitoring:offline_upload"),
                    ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": OK},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)})),
    "monitoring:offline_apply": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                          "operator": 400},
                                 {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}),
    "login": ("get", {"anonim": OK, **ALL}, None),
    "logout": ("post", dict.fromkeys(ROLES, LOGIN), None),  # back to the login page
    "password_change": ("get", {"anonim": LOGIN, **ALL}, None),
    "password_change_done": ("get", {"anonim": LOGIN, **ALL}, None),
    # the signed-in user's own e-mail reminders (accounts/views.reminder_settings)
    "reminders": ("get", {"anonim": LOGIN, **ALL}, None),
    "health": ("get", dict.fromkeys(ROLES, OK), None),
    "set_language": ("post", dict.fromkeys(ROLES, GO), None),
    # planning pages (planning/urls.py): readers of the pemda read, the own operator writes
    "web:check_form": ("get", {"anonim": LOGIN, **ALL}, None),
    # the kop's logo: its readers only (the demo's example logo exists)
    # (the other agency has none: 404 to its readers)
    "planning:kop_logo": ("get", {"anonim": LOGIN, **ALL},
                          {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], 404), "operator": NO}),
    **dict.fromkeys(("planning:renstra", "planning:renja", "planning:iku", "planning:pk",
                     "planning:kop", "planning:plan_import", "planning:plan_template",
                     "planning:plan_export", "planning:form_import",
                     "planning:plan_import_job"),
                    ("get", {"anonim": LOGIN, **ALL}, {"anonim": LOGIN, **ALL, "operator": NO})),
    # the planning writes: the own operator, and the admin of the pemda acting for any of its
    # agencies (the other agency has no Renstra target, signatory, tujuan or PK: 404 to it)
    **dict.fromkeys(("planning:revise_budget", "planning:action_plan",
                     "planning:findings_appendix"),
                    ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": GO,
                              "admin": GO},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": GO})),
    **dict.fromkeys(("planning:revise_target", "planning:signatory", "planning:goal_narrative",
                     "planning:pk_signing"),
                    ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": GO,
                              "admin": GO},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": 404})),
    # the Renja tree editor (planning/views_renja.py): every reader reads the tree; the forms
    # and the rules' check are for those who edit the plan — the own operator, and the admin
    # of the pemda acting for any of its agencies (the other agency's remove page says why
    # its row with a realisation cannot go: 200)
    "planning:renja_tree": ("get", {"anonim": LOGIN, **ALL},
                            {"anonim": LOGIN, **ALL, "operator": NO}),
    **dict.fromkeys(("planning:renja_add", "planning:renja_check", "planning:renja_edit",
                     "planning:renja_move", "planning:renja_remove",
                     "planning:renja_add_indicator"),
                    ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": OK,
                             "admin": OK},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": OK})),
    # the Renstra editor, IKU sheet, PK from the Renja and next year (planning/views_renstra.py):
    # readers read the Renstra and an indicator; the forms and writes are for those who edit
    # the plan (the own operator, the admin of the pemda for any of its agencies). The other
    # agency has no Renstra: its editor pages are 404 to the admin after the permission check
    **dict.fromkeys(("planning:renstra_edit", "planning:indicator_edit"),
                    ("get", {"anonim": LOGIN, **ALL},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], 404), "operator": NO})),
    **dict.fromkeys(("planning:renstra_new", "planning:iku_list"),
                    ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": OK,
                             "admin": OK},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": OK})),
    **dict.fromkeys(("planning:iku_edit", "planning:indicator_add", "planning:indicator_check"),
                    ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": OK,
                             "admin": OK},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": 404})),
    # next year from this one: a preview (200), or for an agency with nothing to copy back to
    # its Renja with the reason
    "planning:rollover": ("get", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": OK,
                                  "admin": OK},
                          {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": OK}),
    # (an empty form is drawn again with its errors: 200; the other agency has no Renstra)
    **dict.fromkeys(("planning:goal_add", "planning:goal_save", "planning:objective_add",
                     "planning:objective_save"),
                    ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "operator": OK,
                              "admin": OK},
                     {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": 404})),
    # removing the seed's Tujuan 1 is refused with the reason (its indicators are in use): back
    # to the editor
    "planning:renstra_remove": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                         "operator": GO, "admin": GO},
                                {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": 404}),
    # building (or, where the PK exists, comparing with) the PK: its result page
    "planning:pk_build": ("post", {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO),
                                   "operator": OK, "admin": OK},
                          {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO), "admin": OK}),
    # every URL of the admin: only the admin pemda; for admin URLs "other" is an agency of
    # ANOTHER pemda, whose rows do not exist for this admin pemda (tests/accounts/
    # test_admin_scope.py walks every model)
    "admin:*": ("get", {"anonim": LOGIN, "operator": LOGIN, "verifikator": LOGIN,
                        "evaluator": LOGIN, "pimpinan": LOGIN, "admin": OK}, None),
    **dict.fromkeys(("admin:change", "admin:delete", "admin:history"),
                    ("get", {**dict.fromkeys(ROLES[:-1], LOGIN), "admin": OK},
                     {**dict.fromkeys(ROLES[:-1], LOGIN), "admin": GONE})),
}  # fmt: skip


def _names(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or ""
            yield from _names(p.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_url_of_the_project_is_in_the_table():
    names = set(_names(get_resolver().url_patterns))
    # the JSON API's routes (api:…) have their own table: tests/api/test_authorization_api.py
    own = [n for n in names if not n.startswith(("admin:", "api:"))]
    uncovered = sorted(n for n in own if n not in TABLE)
    assert uncovered == []
    assert sorted(n for n in TABLE if not n.startswith("admin:") and n not in names) == []


@pytest.fixture
def other_agency(agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                  abbreviation="DC", slug="dinas-contoh", is_example=True)  # fmt: skip
    item = WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                                   code="1.01.01", name="Program Contoh")  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=1, value_k=1)
    user = get_user_model().objects.create_user("operator-dc", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    return other


@pytest.fixture
def other_pemda_agency(db):
    """An agency of another pemda, with a Renja row and its realisation."""
    from kinerja.planning.models import Government

    government = Government.objects.create(name="Kabupaten Lain", slug="kabupaten-lain",
                                           region="Jawa Timur")  # fmt: skip
    other = Agency.objects.create(government=government, name="Dinas Lain", abbreviation="DL",
                                  slug="dinas-lain")  # fmt: skip
    item = WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                                   code="1.01.01", name="Program Lain")  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=1, value_k=1)
    return other


def _planning_url(name, agency):
    """Planning URLs; a record the agency lacks gets pk 0 (refused before it is looked up)."""
    from kinerja.planning.models import (
        Goal,
        Indicator,
        IndicatorTarget,
        Objective,
        Signatory,
        StrategicPlan,
    )

    kwargs = {"agency": agency.slug, "year": 2024}
    pk = {
        "planning:revise_target": IndicatorTarget.objects.filter(indicator__plan__agency=agency),
        "planning:revise_budget": WorkItem.objects.filter(agency=agency, year=2024),
        "planning:action_plan": WorkItem.objects.filter(agency=agency, year=2024),
        "planning:signatory": Signatory.objects.filter(
            agreement__agency=agency, agreement__year=2024
        ),
        "planning:goal_narrative": Goal.objects.filter(plan__agency=agency),
        **dict.fromkeys(
            (
                "planning:renja_edit",
                "planning:renja_move",
                "planning:renja_remove",
                "planning:renja_add_indicator",
            ),
            WorkItem.objects.filter(agency=agency, year=2024),
        ),
    }.get(name)
    renstra = StrategicPlan.objects.filter(agency=agency).order_by("pk").first()
    goal = Goal.objects.filter(plan=renstra).order_by("pk").first()
    by_plan = {
        "planning:renstra_edit": {},
        "planning:goal_add": {},
        "planning:goal_save": {"pk": getattr(goal, "pk", 0)},
        "planning:objective_add": {"goal": getattr(goal, "pk", 0)},
        "planning:objective_save": {"goal": getattr(goal, "pk", 0), "pk": getattr(
            Objective.objects.filter(goal=goal).order_by("pk").first(), "pk", 0)},
        "planning:indicator_add": {},
        "planning:indicator_check": {},
        "planning:indicator_edit": {"pk": getattr(
            Indicator.objects.filter(plan=renstra).order_by("pk").first(), "pk", 0)},
        "planning:renstra_remove": {"kind": "tujuan", "pk": getattr(goal, "pk", 0)},
    }.get(name)  # fmt: skip
    if by_plan is not None:
        url = reverse(name, kwargs={"agency": agency.slug, "plan": getattr(renstra, "pk", 0),
                                    **by_plan})  # fmt: skip
        return url + (f"?tujuan={goal.pk}" if name == "planning:indicator_add" and goal else "")
    if name == "planning:iku_edit":
        kwargs["pk"] = getattr(Indicator.objects.filter(plan=renstra, is_key=True)
                               .order_by("pk").first(), "pk", 0)  # fmt: skip
    if name == "planning:rollover":
        kwargs["year"] = 2025
    if name in ("planning:renstra", "planning:renstra_new"):
        kwargs.pop("year")
    if name in ("planning:revise_target", "planning:goal_narrative"):
        kwargs.pop("year")
    if pk is not None:
        kwargs["pk"] = getattr(pk.order_by("pk").first(), "pk", 0)
    if name == "planning:action_plan":
        kwargs["quarter"] = 2
    if name == "planning:plan_import_job":  # a plan import the worker has written
        from kinerja.planning.models import PlanImportJob

        job, _ = PlanImportJob.objects.get_or_create(agency=agency, year=2024, file="x.xlsx",
                                                     defaults={"state": "selesai", "created": 1,
                                                               "changed": 0})  # fmt: skip
        kwargs["job"] = job.pk
    return reverse(name, kwargs=kwargs)


def _evidence_of(agency):
    """A PDF of the agency's first item in TW II 2024 (created once, stored under the test's
    MEDIA_ROOT)."""
    from django.core.files.base import ContentFile

    from kinerja.monitoring.models import Evidence
    from tests.monitoring.evidence_samples import raw_pdf

    item = WorkItem.objects.filter(agency=agency).order_by("pk").first()
    realisation, _ = Realisation.objects.get_or_create(work_item=item, quarter=2,
                                                       defaults={"value_k": 1})  # fmt: skip
    return Evidence.objects.filter(realisation=realisation).first() or Evidence.objects.create(
        realisation=realisation, file=ContentFile(raw_pdf(), name="sk.pdf")
    )


def _url(name, agency):
    kwargs = {"agency": agency.slug, "year": 2024, "quarter": 2}
    if name.startswith("planning:"):
        return _planning_url(name, agency)
    if name.startswith("monitoring:"):
        if name == "monitoring:preview":
            kwargs["item"] = WorkItem.objects.filter(agency=agency).first().pk
        if name in ("monitoring:note_reply", "monitoring:note_done"):
            from kinerja.monitoring.models import RowNote

            item = WorkItem.objects.filter(agency=agency).order_by("pk").first()
            note, _ = RowNote.objects.get_or_create(work_item=item, year=2024, quarter=2,
                                                    defaults={"text": "Lengkapi bukti."})  # fmt: skip
            kwargs["note"] = note.pk
        return reverse(name, kwargs=kwargs)
    if name == "web:download":
        return reverse(name, kwargs={**kwargs, "document": "form", "fmt": "xlsx"})
    if name == "web:report_job":
        from kinerja.reporting.models import ReportBatch, ReportJob

        batch, _ = ReportBatch.objects.get_or_create(government=agency.government,
                                                     agency=agency, year=2024, quarter=2)  # fmt: skip
        job, _ = ReportJob.objects.get_or_create(batch=batch, agency=agency, document="form",
                                                 format="xlsx")  # fmt: skip
        return reverse(name, kwargs={**kwargs, "job": job.pk})
    if name == "web:history":
        realisation = Realisation.objects.filter(work_item__agency=agency).first()
        return reverse(name, kwargs={"agency": agency.slug, "kind": "realisasi",
                                     "pk": realisation.pk})  # fmt: skip
    if name in ("web:quarter", "web:dashboard", "web:submit", "web:return", "web:verify",
                "web:approve", "web:reopen", "web:note", "web:reports",
                "web:report_date", "web:submit_confirm", "web:verify_confirm",
                "web:approve_confirm"):  # fmt: skip
        return reverse(name, kwargs=kwargs)
    if name.startswith("texts:"):
        if name == "texts:evidence":
            kwargs["item"] = WorkItem.objects.filter(agency=agency).first().pk
        if name == "texts:evidence_file":
            evidence = _evidence_of(agency)
            kwargs["item"], kwargs["evidence"] = evidence.realisation.work_item_id, evidence.pk
        return reverse(name, kwargs=kwargs)
    if name in ("web:late", "web:overview", "web:national"):
        return reverse(name, kwargs={"year": 2024, "quarter": 2})
    if name == "web:overview_of":
        return reverse(name, kwargs={"pemda": agency.government.slug, "year": 2024, "quarter": 2})
    if name == "web:province":  # the pemda's province (the demo users give the demo one its own)
        return reverse(name, kwargs={"province": agency.government.province.code, "year": 2024,
                                     "quarter": 2})  # fmt: skip
    if name == "tokens:revoke":
        from kinerja.api.models import AccessToken

        owner = get_user_model().objects.get(username="admin")
        token = AccessToken.objects.filter(user=owner).first() or AccessToken.objects.create(
            user=owner, prefix="kinerja_abc", digest="0" * 64)  # fmt: skip
        return reverse(name, kwargs={"pk": token.pk})
    if name == "web:pick":
        return reverse(name) + f"?agency={agency.slug}&year=2024&quarter=2"
    if name == "admin:*":
        return reverse("admin:planning_workitem_changelist")
    if name.startswith("admin:"):  # a Renja row of the agency: change, delete or history
        item = WorkItem.objects.filter(agency=agency).order_by("pk").first()
        return reverse(f"admin:planning_workitem_{name[6:]}", args=[item.pk])
    return reverse(name)


def _data(name, agency):
    if name == "monitoring:preview":
        item = WorkItem.objects.filter(agency=agency).first()
        return {f"k-{item.pk}": "1", f"rp-{item.pk}": "1.000"}
    if name == "web:note":
        return {"row": WorkItem.objects.filter(agency=agency).first().pk, "text": "Periksa."}
    if name == "texts:iku_save":
        from kinerja.planning.models import Indicator

        return {f"value-{i.pk}": "60" for i in Indicator.objects.filter(is_key=True)}
    if name == "web:report_date":
        return {"report_date": "2024-07-01"}
    if name in ("web:return", "web:reopen"):
        return {"reason": "Perlu diperbaiki."}
    if name == "set_language":
        return {"language": "id", "next": "/"}
    if name == "planning:revise_target":
        return {"value": "85", "on": "2024-09-01", "reason": "Evaluasi",
                "legal_basis": "Keputusan Kepala"}  # fmt: skip
    if name == "planning:revise_budget":
        return {"amount": "2.000.000.000", "on": "2024-09-01", "reason": "APBD Perubahan",
                "legal_basis": "Perda APBD Perubahan"}  # fmt: skip
    if name == "planning:action_plan":  # 2024 has an approved quarter: a revision
        return {"target_k": "1", "cash_plan": "1.000.000", "revision_on": "2024-09-01",
                "revision_reason": "Rencana kas APBD-P", "revision_legal_basis": "Perda"}  # fmt: skip
    if name == "planning:signatory":
        return {"name": "Contoh", "nip": "", "rank": "", "acting": ""}
    if name == "planning:goal_narrative":
        return {"narrative": "Uraian contoh."}
    if name == "planning:pk_signing":
        return {"signed_on": "2024-02-01", "place": "Sumenep"}
    if name == "planning:findings_appendix":
        return {"findings_appendix": "on"}
    return {}


CASES = [(name, which) for name, (_, own, other) in TABLE.items()
         for which in ("own", "other") if (own if which == "own" else other)]  # fmt: skip


@pytest.mark.parametrize(("name", "which"), CASES, ids=[f"{n}-{w}" for n, w in CASES])
def test_each_role_gets_exactly_what_the_table_says(client, demo_users, agency, other_agency,
                                                    other_pemda_agency, name, which):  # fmt: skip
    method, own, other = TABLE[name]
    expected = own if which == "own" else other
    target = agency if which == "own" else other_agency
    if which == "other" and name.startswith("admin:"):
        target = other_pemda_agency
    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonim":
            client.force_login(demo_users[role])
        response = getattr(client, method)(_url(name, target), _data(name, target))
        location = response.get("Location", "")
        got[role] = LOGIN if response.status_code == 302 and "/masuk/" in location or \
            "/admin/login/" in location else response.status_code  # fmt: skip
    assert got == expected


def test_no_role_of_one_pemda_downloads_another_pemdas_evidence(client, demo_users,
                                                                other_pemda_agency):  # fmt: skip
    """The demo pemda's roles (its admin and verifikator too) against a file of another pemda's
    agency: 403 like every page of that agency, never the file."""
    url = _url("texts:evidence_file", other_pemda_agency)
    got = {}
    for role in ROLES:
        client.logout()
        if role != "anonim":
            client.force_login(demo_users[role])
        response = client.get(url)
        location = response.get("Location", "")
        got[role] = LOGIN if response.status_code == 302 and "/masuk/" in location else \
            response.status_code  # fmt: skip
    assert got == {"anonim": LOGIN, **dict.fromkeys(ROLES[1:], NO)}


@pytest.mark.parametrize(
    "name", [n for n, (m, _, _) in TABLE.items() if m == "post" and n.startswith("web:")]
)
def test_our_actions_refuse_get(client, demo_users, agency, name):
    client.force_login(demo_users["admin"])
    assert client.get(_url(name, agency)).status_code == NOT_ALLOWED


# The users above the pemda (demo users «provinsi»: a verifikator of the demo pemda with the
# scope of its province; «nasional»: the national reader, also registered at the demo pemda)
# on another pemda's pages: outside the province, then moved into it.
# URL name → (method, {user: expected outside the province}, {user: expected inside it})
SCOPED_USERS = ("provinsi", "nasional")
SCOPED = {
    "web:national": ("get", {"provinsi": NO, "nasional": OK}, {"provinsi": NO, "nasional": OK}),
    "web:province": ("get", {"provinsi": NO, "nasional": OK}, {"provinsi": OK, "nasional": OK}),
    "web:overview_of": ("get", {"provinsi": NO, "nasional": OK},
                        {"provinsi": OK, "nasional": OK}),
    # the drill-down's end: the agency's pages read…
    **dict.fromkeys(("web:quarter", "web:dashboard", "web:reports", "monitoring:grid"),
                    ("get", {"provinsi": NO, "nasional": OK}, {"provinsi": OK, "nasional": OK})),
    # … but no step of another pemda's workflow is theirs
    **dict.fromkeys(("web:verify", "web:return", "web:note", "web:reopen"),
                    ("post", {"provinsi": NO, "nasional": NO}, {"provinsi": NO, "nasional": NO})),
    "monitoring:save": ("post", {"provinsi": NO, "nasional": NO}, {"provinsi": NO, "nasional": NO}),
}  # fmt: skip


@pytest.mark.parametrize("name", list(SCOPED))
def test_province_and_national_users_get_exactly_what_the_table_says(client, demo_users,
                                                                     other_pemda_agency, name):  # fmt: skip
    from kinerja.planning.models import Province

    method, outside, inside = SCOPED[name]
    got = {}
    for where in ("outside", "inside"):
        if where == "inside":
            other_pemda_agency.government.province = Province.objects.get(code="35")
            other_pemda_agency.government.save()
        elif name == "web:province":  # another province than the demo pemda's
            other_pemda_agency.government.province = Province.objects.create(code="11",
                                                                             name="Aceh")  # fmt: skip
            other_pemda_agency.government.save()
        for user in SCOPED_USERS:
            client.force_login(demo_users[user])
            response = getattr(client, method)(_url(name, other_pemda_agency),
                                               _data(name, other_pemda_agency))  # fmt: skip
            got[where, user] = response.status_code
    assert got == {**{("outside", u): outside[u] for u in SCOPED_USERS},
                   **{("inside", u): inside[u] for u in SCOPED_USERS}}  # fmt: skip
