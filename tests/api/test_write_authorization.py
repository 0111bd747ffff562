"""Every write of the API × every role × the own agency, another agency of the same pemda and
an agency of another pemda, against a table written here by hand (the oracle; reads:
tests/api/test_authorization_api.py). Each role sends a well-formed write with the current
version and its own token; a write operation missing from the table fails the test. The other
agency's operator changes no history row on any write of ours (the last tests)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.api.api import api
from kinerja.api.tokens import create_token
from kinerja.api.versions import INDICATOR_REALISATION_FIELDS, REALISATION_FIELDS, row_version
from kinerja.api.write import target_version, work_item_version
from kinerja.monitoring.models import (
    IndicatorRealisation,
    QuarterSubmission,
    Realisation,
    SubmissionStatus,
)
from kinerja.planning.models import Indicator, IndicatorTarget, WorkItem
from tests.api.write_helpers import open_period, other_agency, other_pemda_agency, send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("open_period")]
__all__ = ["open_period", "other_agency", "other_pemda_agency"]

ROLES = ("anonim", "operator", "verifikator", "evaluator", "pimpinan", "admin")
OK, MADE, NO, AUTH, GONE, STATE = 200, 201, 403, 401, 404, 409


def only(ok=OK, **roles):
    """anonim 401; the roles named get their status; every other role 403."""
    out = {"anonim": AUTH, **dict.fromkeys(ROLES[1:], NO)}
    out.update({role: ok if status is True else status for role, status in roles.items()})
    return out


NOBODY = only()
DATA = (only(operator=True), NOBODY, NOBODY)  # the agency's own operator enters its data
PLAN = (only(operator=True, admin=True), only(admin=True), NOBODY)  # can_edit_plan
# (method, url name) → (own agency, another agency of the pemda, another pemda's agency)
TABLE = {
    ("POST", "post_realisations"): DATA,
    ("PUT", "put_realisation"): DATA,
    ("POST", "post_iku_realisations"): DATA,
    ("PUT", "put_iku_realisation"): DATA,
    ("PUT", "put_narratives"): DATA,
    ("PATCH", "patch_work_item"): PLAN,
    ("POST", "post_work_item"): (
        only(MADE, operator=True, admin=True),
        only(MADE, admin=True),
        NOBODY,
    ),  # fmt: skip
    ("PUT", "put_budget_revision"): PLAN,
    # the other agency has no Renstra: its admin is told the target is not there
    ("PUT", "put_target_revision"): (only(operator=True, admin=True), only(admin=GONE), NOBODY),
    ("POST", "submit"): (only(operator=True), NOBODY, NOBODY),
    ("POST", "return"): (only(verifikator=True), only(verifikator=True), NOBODY),
    ("POST", "verify"): (only(verifikator=True), only(verifikator=True), NOBODY),
    ("POST", "approve"): (only(pimpinan=True), NOBODY, NOBODY),  # the agency's own head
    ("POST", "reopen"): (only(admin=True), only(admin=True), NOBODY),
}
ACTIONS = {"submit": None, "return": SubmissionStatus.SUBMITTED,
           "verify": SubmissionStatus.SUBMITTED, "approve": SubmissionStatus.VERIFIED,
           "reopen": SubmissionStatus.SUBMITTED}  # fmt: skip


def test_every_write_operation_is_in_the_table():
    writes = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                for method in op.methods:
                    if method != "GET":
                        writes.add((method, op.view_func.__name__))
    named = {(m, "post_action" if n in ACTIONS else n) for m, n in TABLE}
    assert writes == named


def _request(name, agency, year=2024, quarter=2):
    """(method, url, body, If-Match) of a well-formed write of ``agency``, current versions."""
    where = {"slug": agency.slug, "year": year, "quarter": quarter}
    item = WorkItem.objects.filter(agency=agency, year=year).order_by("position").first()
    indicator = Indicator.objects.filter(is_key=True).order_by("pk").first()  # the seed's
    real = row_version(Realisation.objects.filter(work_item=item, quarter=quarter).first(),
                       REALISATION_FIELDS)  # fmt: skip
    ikuv = row_version(IndicatorRealisation.objects.filter(
        indicator=indicator, year=year, quarter=quarter).first(), INDICATOR_REALISATION_FIELDS)  # fmt: skip
    revision = {"on": "2024-07-01", "reason": "uji", "legal_basis": "Perbup 1/2024"}
    if name == "post_realisations":
        rows = [{"work_item_id": item.pk, "version": real, "value_k": "3"}]
        return reverse("api:post_realisations", kwargs=where), {"rows": rows}, None
    if name == "put_realisation":
        url = reverse("api:put_realisation", kwargs={**where, "item_id": item.pk})
        return url, {"value_k": "3"}, real
    if name == "post_iku_realisations":
        rows = [{"indicator_id": indicator.pk, "version": ikuv, "value": "3"}]
        return reverse("api:post_iku_realisations", kwargs=where), {"rows": rows}, None
    if name == "put_iku_realisation":
        url = reverse("api:put_iku_realisation", kwargs={**where, "indicator_id": indicator.pk})
        return url, {"value": "3"}, ikuv
    if name == "put_narratives":
        from kinerja.api.write import NARRATIVE_FIELDS, _narratives_out

        now = next(n for n in _narratives_out(agency, year, quarter) if n["kind"] == "closing")
        assert NARRATIVE_FIELDS == ("text",)
        texts = [
            {"kind": "closing", "text": f"Penutup {now['version']}", "version": now["version"]}
        ]
        return reverse("api:put_narratives", kwargs=where), {"texts": texts}, None
    plan = {"slug": agency.slug, "year": year}
    if name == "patch_work_item":
        url = reverse("api:patch_work_item", kwargs={**plan, "item_id": item.pk})
        body = {"changes": {"indicator": f"Indikator {work_item_version(item)}"},
                "revision": revision}  # fmt: skip
        return url, body, work_item_version(item)
    if name == "post_work_item":
        body = {"level": "program", "code": "", "name": "Program Baru", "revision": revision}
        return reverse("api:post_work_item", kwargs=plan), body, None
    if name == "put_budget_revision":
        url = reverse("api:put_budget_revision", kwargs={**plan, "item_id": item.pk})
        body = {"amount": "5000", "on": "2024-07-01", "reason": "uji", "legal_basis": "Perda"}
        return url, body, work_item_version(item)
    if name == "put_target_revision":
        target = IndicatorTarget.objects.filter(indicator=indicator, year=year).first()
        url = reverse("api:put_target_revision", kwargs={"slug": agency.slug,
                                                         "target_id": target.pk})  # fmt: skip
        body = {"value": "50", "on": "2024-07-01", "reason": "uji", "legal_basis": "Perbup"}
        return url, body, target_version(target)
    # a workflow action: the quarter in the state the action starts from
    if ACTIONS[name] is not None:
        QuarterSubmission.objects.update_or_create(agency=agency, year=year, quarter=quarter,
                                                   defaults={"status": ACTIONS[name]})  # fmt: skip
    body = {"reason": "uji"}
    return reverse("api:post_action", kwargs={**where, "action": name}), body, None


CASES = [(key, which) for key, rows in TABLE.items()
         for which, expected in zip(("own", "other", "pemda"), rows, strict=True)]  # fmt: skip


@pytest.mark.parametrize(("key", "which"), CASES, ids=[f"{k[1]}-{w}" for k, w in CASES])
def test_each_role_writes_exactly_what_the_table_says(client, demo_users, agency, other_agency,
                                                      other_pemda_agency, key, which):  # fmt: skip
    method, name = key
    expected = TABLE[key][("own", "other", "pemda").index(which)]
    target = {"own": agency, "other": other_agency, "pemda": other_pemda_agency}[which]
    tokens = {role: create_token(demo_users[role])[1] for role in ROLES[1:]}
    got = {}
    for role in ROLES:
        url, body, version = _request(name, target)
        response = send(client, method, url, body, tokens.get(role), version)
        got[role] = response.status_code
        if response.status_code >= 300:
            assert response.json()["code"], (role, response.content)
    assert got == expected


def test_another_agencys_operator_writes_nothing_of_ours(client, agency, other_agency):
    """The other way round: the other agency's operator (same pemda) on every write of the
    seed agency: 403, and no history row anywhere."""
    from kinerja.monitoring.models import Narrative

    owner = get_user_model().objects.get(username="operator-dc")
    secret = create_token(owner)[1]
    counts = (Realisation.history.count(), IndicatorRealisation.history.count(),
              Narrative.history.count(), WorkItem.history.count(),
              IndicatorTarget.history.count())  # fmt: skip
    for method, name in TABLE:
        url, body, version = _request(name, agency)
        response = send(client, method, url, body, secret, version)
        assert response.status_code == NO, name
        assert response.json()["code"] == "forbidden"
    assert counts == (Realisation.history.count(), IndicatorRealisation.history.count(),
                      Narrative.history.count(), WorkItem.history.count(),
                      IndicatorTarget.history.count())  # fmt: skip


def test_a_stranger_of_another_pemda_writes_nothing(client, agency, other_pemda_agency):
    owner = get_user_model().objects.create_user("admin-lain", password="x")
    Profile.objects.create(user=owner, role=Role.ADMIN, government=other_pemda_agency.government)
    secret = create_token(owner)[1]
    for method, name in TABLE:
        url, body, version = _request(name, agency)
        assert send(client, method, url, body, secret, version).status_code == NO, name
