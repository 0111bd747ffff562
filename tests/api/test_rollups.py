"""GET /api/rollups: the rows of ``kinerja rollup --json`` for the scope the caller sees on
the overview pages (accounts/rules.py) — the country to the national reader, a province to
its users, a pemda to its roles but operators, an operator its own agency's row only."""

import json

import pytest
from django.contrib.auth import get_user_model

from kinerja.accounts.models import Profile, Role
from kinerja.cli import main
from tests.api.write_helpers import other_agency, other_pemda_agency

pytestmark = pytest.mark.django_db
__all__ = ["other_agency", "other_pemda_agency"]

URL = "/api/rollups?year=2024&quarter=1"
PEMDA = "kabupaten-sumenep"


@pytest.fixture
def pemdas(demo_users, other_agency, other_pemda_agency):
    """The seed's pemda (in Jawa Timur, by the demo users) with two agencies, and another
    pemda with one agency and its own admin."""
    user = get_user_model().objects.create_user("admin-lain", password="x")
    Profile.objects.create(user=user, role=Role.ADMIN, government=other_pemda_agency.government)
    operator_dc = get_user_model().objects.get(username="operator-dc")  # other_agency's
    return {**demo_users, "admin-lain": user, "operator-dc": operator_dc}


def command(capsys, *scope):
    assert main(["rollup", "--year", "2024", "--quarter", "1", *scope, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def rollup(api_get, token, query=""):
    response = api_get(URL + query, token)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(("user", "query", "scope"), [
    ("nasional", "", ()),
    ("provinsi", "", ("--province", "35")),
    ("provinsi", "&province=35", ("--province", "35")),
    ("nasional", "&pemda=kabupaten-lain", ("--pemda", "kabupaten-lain")),
    ("admin", "", ("--pemda", PEMDA)),
    ("verifikator", "&pemda=" + PEMDA, ("--pemda", PEMDA)),
    ("admin-lain", "", ("--pemda", "kabupaten-lain")),
])  # fmt: skip
def test_the_rollup_equals_the_commands(capsys, api_get, token_of, pemdas, user, query, scope):
    printed = command(capsys, *scope)
    assert rollup(api_get, token_of(pemdas[user]), query) == printed
    kinds = [r["kind"] for r in printed["rows"]]
    assert "agency" in kinds and ("country" in kinds) == (scope == ())


def test_the_seed_agencys_row_is_its_evaluation_footer(capsys, api_get, token_of, pemdas):
    rows = rollup(api_get, token_of("admin"))["rows"]
    assert main(["evaluate", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
                 "--json"]) == 0  # fmt: skip
    footer = json.loads(capsys.readouterr().out)["footer"]
    seed = next(r for r in rows if r["slug"] == "bkpsdm-sumenep")
    assert (seed["k"], seed["rp"]) == (footer["k"], footer["rp"]) != (None, None)
    assert [r["kind"] for r in rows] == ["pemda", "agency", "agency"]


def test_an_operator_reads_its_own_agencys_row_only(capsys, api_get, token_of, pemdas):
    printed = command(capsys, "--pemda", PEMDA)
    own = [r for r in printed["rows"] if r["slug"] == "bkpsdm-sumenep"]
    for query in ("", "&pemda=" + PEMDA):
        assert rollup(api_get, token_of("operator"), query)["rows"] == own
    theirs = rollup(api_get, token_of(pemdas["operator-dc"]))["rows"]
    assert [r["slug"] for r in theirs] == ["dinas-contoh"]
    assert api_get(URL + "&province=35", token_of("operator")).status_code == 403


@pytest.mark.parametrize(("user", "query"), [
    ("admin-lain", "&pemda=" + PEMDA),
    ("admin-lain", "&province=35"),
    ("operator", "&pemda=kabupaten-lain"),
    ("admin", "&pemda=kabupaten-lain"),
    ("admin", "&province=35"),  # the pemda's own roles do not read the province's roll-up
    ("provinsi", "&pemda=kabupaten-lain"),  # a pemda of no province: not theirs
    ("pimpinan", ""),  # only the country's reader reads the country
])  # fmt: skip
def test_a_scope_the_screens_do_not_show_is_403(api_get, token_of, pemdas, user, query):
    if user == "pimpinan":  # its own scope is its pemda; the country must be asked for
        response = api_get(URL + "&province=35", token_of(pemdas[user]))
    else:
        response = api_get(URL + query, token_of(pemdas[user]))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


def test_another_pemdas_user_sees_none_of_our_rows(api_get, token_of, pemdas):
    rows = rollup(api_get, token_of(pemdas["admin-lain"]))["rows"]
    assert {r["slug"] for r in rows} == {"kabupaten-lain", "dinas-lain"}
    ours = rollup(api_get, token_of("admin"))["rows"]
    assert not {r["slug"] for r in ours} & {"kabupaten-lain", "dinas-lain"}


def test_unknown_scope_and_both_scopes(api_get, token_of, pemdas):
    token = token_of("nasional")
    assert api_get(URL + "&pemda=tidak-ada", token).json()["code"] == "not_found"
    assert api_get(URL + "&province=99", token).json()["code"] == "not_found"
    # both: the pemda, which must lie in that province
    assert rollup(api_get, token, "&province=35&pemda=" + PEMDA) == rollup(
        api_get, token, "&pemda=" + PEMDA)  # fmt: skip
    assert api_get(URL + "&province=35&pemda=kabupaten-lain", token).status_code == 404
    assert api_get("/api/rollups?year=2024&quarter=5", token).status_code == 422
    assert api_get("/api/rollups?year=2024&quarter=1").status_code == 401
