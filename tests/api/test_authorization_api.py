"""Every route of the API × every role × the own agency, another agency of the same pemda and
an agency of another pemda, against a table written here by hand (the oracle, as
tests/web/test_authorization.py does for the pages) — not derived from accounts/rules.py.
Each role calls with its own token; a route missing from the table fails the test."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse

from kinerja.accounts.models import Profile, Role
from kinerja.api.tokens import create_token
from kinerja.monitoring.models import GeneratedReport, Realisation
from kinerja.planning.models import Agency, Government, Indicator, WorkItem
from tests.web.test_authorization import _names

pytestmark = pytest.mark.django_db

ROLES = ("anonim", "operator", "verifikator", "evaluator", "pimpinan", "admin")
OK, NO, AUTH, GONE = 200, 403, 401, 404
EVERY = dict.fromkeys(ROLES[1:], OK)
# what a reader gets: own agency, another agency of the pemda, an agency of another pemda
READ = ({"anonim": AUTH, **EVERY}, {"anonim": AUTH, **EVERY, "operator": NO},
        {"anonim": AUTH, **dict.fromkeys(ROLES[1:], NO)})  # fmt: skip
# the same where the other agency lacks the record: its readers are told it is not there
READ_MISSING = (READ[0], {"anonim": AUTH, **dict.fromkeys(ROLES[1:], GONE), "operator": NO},
                READ[2])  # fmt: skip
LIST = ({"anonim": AUTH, **EVERY}, None, None)  # what is listed: tests/api/test_read.py
PUBLIC = (dict.fromkeys(ROLES, OK), None, None)
WRITE_ONLY = (
    dict.fromkeys(ROLES, 405),
    None,
    None,
)  # no GET: tests/api/test_write_authorization.py
TABLE = {
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": (dict.fromkeys(ROLES, GONE), None, None),  # /api/ itself: a JSON 404
    "api:list_governments": LIST,
    "api:get_government": ({"anonim": AUTH, **EVERY}, None,
                           {"anonim": AUTH, **dict.fromkeys(ROLES[1:], NO)}),
    "api:list_agencies": LIST,
    "api:get_agency": READ,
    "api:get_renstra": READ,
    "api:list_iku": READ,
    "api:get_pk": READ_MISSING,
    "api:list_renja": READ,
    "api:list_realisations": READ,
    "api:get_realisation": READ,
    "api:list_iku_realisations": READ,
    "api:get_iku_realisation": READ_MISSING,
    "api:get_submission": READ,
    "api:get_evaluation": READ,
    "api:get_findings": READ,
    "api:list_reports": READ,
    "api:get_report_file": READ,
    # the write side's paths (h15): their reads here, their writes in test_write_authorization.py
    "api:list_narratives": READ,
    "api:get_work_item": READ,
    "api:get_target": READ_MISSING,
    "api:put_budget_revision": WRITE_ONLY,
    "api:put_target_revision": WRITE_ONLY,
    "api:post_action": WRITE_ONLY,
    # the pemda's roll-up (?pemda=): an operator gets its own agency's row (test_rollups.py)
    "api:get_rollups": ({"anonim": AUTH, **EVERY}, None,
                        {"anonim": AUTH, **dict.fromkeys(ROLES[1:], NO)}),
}  # fmt: skip
# a write on a read's path has its own name; a GET of it is that read
SAME_PATH = {"api:post_realisations": "api:list_realisations",
             "api:put_realisation": "api:get_realisation",
             "api:post_iku_realisations": "api:list_iku_realisations",
             "api:put_iku_realisation": "api:get_iku_realisation",
             "api:put_narratives": "api:list_narratives", "api:post_work_item": "api:list_renja",
             "api:patch_work_item": "api:get_work_item"}  # fmt: skip
TABLE.update({name: TABLE[read] for name, read in SAME_PATH.items()})


def test_every_api_route_is_in_the_table():
    names = {n for n in _names(get_resolver().url_patterns) if n.startswith("api:")}
    assert sorted(names - TABLE.keys()) == []
    assert sorted(TABLE.keys() - names) == []


@pytest.fixture
def other_agency(agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                  abbreviation="DC", slug="dinas-contoh", is_example=True)  # fmt: skip
    _renja_row(other, "Program Contoh")
    user = get_user_model().objects.create_user("operator-dc", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    return other


@pytest.fixture
def other_pemda_agency(db):
    government = Government.objects.create(name="Kabupaten Lain", slug="kabupaten-lain",
                                           region="Jawa Timur")  # fmt: skip
    other = Agency.objects.create(government=government, name="Dinas Lain", abbreviation="DL",
                                  slug="dinas-lain")  # fmt: skip
    _renja_row(other, "Program Lain")
    return other


def _renja_row(agency, name):
    item = WorkItem.objects.create(agency=agency, year=2024, position=1, level="program",
                                   code="1.01.01", name=name, target_k=10, budget_original=100)  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=1, value_k=1, value_rp=50)


def _report_file(agency):
    row = GeneratedReport(agency=agency, year=2024, quarter=1, document="form", format="xlsx",
                          data_hash="0" * 64, template_hash="0" * 64)  # fmt: skip
    row.file.save("formulir.xlsx", ContentFile(b"PK\x03\x04 contoh"), save=True)
    return row


def _url(name, agency):
    if name in SAME_PATH:
        return _url(SAME_PATH[name], agency)
    where = {"slug": agency.slug, "year": 2024, "quarter": 1}
    if name in ("api:openapi-json", "api:openapi-view", "api:api-root", "api:list_governments",
                "api:list_agencies"):  # fmt: skip
        return reverse(name)
    if name == "api:get_rollups":
        return reverse(name) + f"?year=2024&quarter=1&pemda={agency.government.slug}"
    if name == "api:get_government":
        return reverse(name, kwargs={"slug": agency.government.slug})
    if name in ("api:get_agency", "api:get_renstra", "api:list_iku"):
        return reverse(name, kwargs={"slug": agency.slug})
    if name in ("api:get_pk", "api:list_renja"):
        return reverse(name, kwargs={"slug": agency.slug, "year": 2024})
    if name == "api:get_realisation":
        item = WorkItem.objects.filter(agency=agency, year=2024).order_by("pk").first()
        return reverse(name, kwargs={**where, "item_id": item.pk})
    if name == "api:get_iku_realisation":
        # the seed's first IKU: the other agencies have none of their own
        indicator = Indicator.objects.filter(is_key=True).order_by("pk").first()
        return reverse(name, kwargs={**where, "indicator_id": indicator.pk})
    if name == "api:get_report_file":
        return reverse(name, kwargs={**where, "file_id": _report_file(agency).pk})
    if name in ("api:get_work_item", "api:put_budget_revision"):
        item = WorkItem.objects.filter(agency=agency, year=2024).order_by("pk").first()
        return reverse(name, kwargs={"slug": agency.slug, "year": 2024, "item_id": item.pk})
    if name in ("api:get_target", "api:put_target_revision"):
        from kinerja.planning.models import IndicatorTarget

        target = IndicatorTarget.objects.order_by("pk").first()  # the seed's
        return reverse(name, kwargs={"slug": agency.slug, "target_id": target.pk})
    if name == "api:post_action":
        return reverse(name, kwargs={**where, "action": "submit"})
    return reverse(name, kwargs=where)


CASES = [(name, which) for name, rows in TABLE.items()
         for which, expected in zip(("own", "other", "pemda"), rows, strict=True) if expected]  # fmt: skip


@pytest.mark.parametrize(("name", "which"), CASES, ids=[f"{n}-{w}" for n, w in CASES])
def test_each_role_gets_exactly_what_the_table_says(client, demo_users, agency, other_agency,
                                                    other_pemda_agency, name, which):  # fmt: skip
    expected = TABLE[name][("own", "other", "pemda").index(which)]
    target = {"own": agency, "other": other_agency, "pemda": other_pemda_agency}[which]
    tokens = {role: create_token(demo_users[role])[1] for role in ROLES[1:]}
    got = {}
    for role in ROLES:
        url = _url(name, target)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[role]}"} if role != "anonim" else {}
        response = client.get(url, **headers)
        got[role] = response.status_code
        if response.status_code >= 400 and name != "api:api-root" and TABLE[name] != WRITE_ONLY:
            assert response.json()["code"], (role, response.content)
    assert got == expected


@pytest.mark.parametrize("which", ["other", "pemda"])
def test_the_other_agencys_operator_is_refused_on_our_agency(client, agency, other_agency,
                                                             other_pemda_agency, which):  # fmt: skip
    """The other way round: the operator of another agency (same pemda, and a user of another
    pemda) reads nothing of the seed agency, on every agency route."""
    government = agency.government if which == "other" else other_pemda_agency.government
    owner = get_user_model().objects.create_user(f"op-{which}", password="x")
    Profile.objects.create(user=owner, role=Role.OPERATOR if which == "other" else Role.ADMIN,
                           government=government,
                           agency=other_agency if which == "other" else None)  # fmt: skip
    secret = create_token(owner)[1]
    for name, rows in TABLE.items():
        if rows[1] is None:
            continue
        response = client.get(_url(name, agency), HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == NO, name
        assert response.json()["code"] == "forbidden"
