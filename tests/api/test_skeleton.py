"""The API's foundation: the OpenAPI document and docs page are public, everything else needs a
valid token or session, and every refusal is JSON in one shape."""

import pytest
from django.utils import timezone

from kinerja.api.models import AccessToken

pytestmark = pytest.mark.django_db


def test_openapi_document_is_public_and_valid(client):
    from openapi_spec_validator import validate

    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert "/api/agencies/{slug}" in document["paths"]
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"


def test_docs_page_is_public_and_loads_swagger_from_our_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer nonsense", "Basic dXNlcjpwdw==", "Bearer kinerja_" + "x" * 43],
)
def test_no_valid_credentials_is_401_json_never_a_redirect(client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/api/agencies", **extra)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["code"] == "unauthorized"
    assert "Token" in body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_and_expired_tokens_are_refused(demo_users, token_of, api_get):
    secret = token_of("operator")
    assert api_get("/api/agencies", secret).status_code == 200
    AccessToken.objects.update(revoked=timezone.now())
    assert api_get("/api/agencies", secret).json()["code"] == "unauthorized"
    other = token_of("operator", expires_days=1)
    assert api_get("/api/agencies", other).status_code == 200
    AccessToken.objects.filter(revoked=None).update(expires=timezone.now())
    assert api_get("/api/agencies", other).status_code == 401


def test_inactive_user_token_is_refused(demo_users, token_of, api_get):
    secret = token_of("verifikator")
    demo_users["verifikator"].is_active = False
    demo_users["verifikator"].save()
    assert api_get("/api/agencies", secret).status_code == 401


def test_only_the_hash_is_stored(demo_users, token_of):
    import hashlib

    secret = token_of("operator", name="keuangan")
    row = AccessToken.objects.get()
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(row.prefix) and len(row.prefix) < 20
    assert all(secret not in str(v) for v in row.__dict__.values() if v is not None)


def test_session_works_for_the_apps_own_pages(client, demo_users):
    client.force_login(demo_users["operator"])
    response = client.get("/api/agencies")
    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["items"]] == ["bkpsdm-sumenep"]


def test_a_bad_token_is_refused_even_with_a_session(client, demo_users):
    client.force_login(demo_users["operator"])
    assert client.get("/api/agencies", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/tidak-ada/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_validation_errors_are_indonesian(demo_users, token_of, api_get):
    response = api_get("/api/agencies?limit=0&offset=x", token_of("admin"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    said = {tuple(d["loc"]): d["message"] for d in body["details"]}
    assert said == {
        ("query", "limit"): "paling kecil 1",
        ("query", "offset"): "harus bilangan bulat",
    }


def test_last_used_is_recorded(demo_users, token_of, api_get):
    secret = token_of("operator")
    api_get("/api/agencies", secret)
    assert AccessToken.objects.get().last_used is not None


def test_a_request_refused_before_its_view_is_json_too(client, token_of, api_get):
    """The app's middleware refuses a NUL character in the query (400) before any view: under
    /api/ the answer is the API's JSON, not the app's HTML page."""
    response = api_get("/api/agencies?government=a%00b", token_of("admin"))
    assert response.status_code == 400
    assert response.json() == {"code": "bad_request", "message": "Isian memuat karakter NUL.",
                               "details": None}  # fmt: skip
    page = client.get("/?q=%00")  # the app's own pages keep their HTML page
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_a_token_call_costs_two_queries_before_its_view(demo_users, token_of, api_get):
    """The token with its user and profile in one query, the rate count in one UPDATE (the
    last use written at most once a minute): a route reading one row makes three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = token_of("operator")
    assert api_get("/api/agencies/bkpsdm-sumenep", token).status_code == 200  # last use: now
    used = AccessToken.objects.get().last_used
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert api_get("/api/agencies/bkpsdm-sumenep", token).status_code == 200
    tables = [q["sql"].split(" FROM ")[-1].split()[0] if q["sql"].startswith("SELECT")
              else q["sql"].split()[1] for q in queries.captured_queries]  # fmt: skip
    assert tables == ['"api_accesstoken"', '"api_ratecount"', '"planning_agency"'] * 3
    assert AccessToken.objects.get().last_used == used


@pytest.mark.parametrize(("method", "path", "allow"), [
    ("delete", "/api/agencies", {"GET"}),
    ("post", "/api/agencies/bkpsdm-sumenep/years/2024/quarters/2/evaluation", {"GET"}),
    ("patch", "/api/agencies/bkpsdm-sumenep", {"GET"}),
    ("put", "/api/openapi.json", {"GET", "HEAD"}),
    ("post", "/api/docs", {"GET", "HEAD"}),
    ("get", "/api/agencies/bkpsdm-sumenep/years/2024/quarters/2/actions/submit", {"POST"}),
    ("delete", "/api/agencies/bkpsdm-sumenep/years/2024/quarters/2/realisations",
     {"GET", "POST"}),
])  # fmt: skip
def test_a_method_the_route_lacks_is_json_405_with_allow(client, demo_users, token_of, method,
                                                         path, allow):  # fmt: skip
    token = token_of("operator")
    for headers in ({}, {"HTTP_AUTHORIZATION": f"Bearer {token}"}):
        response = getattr(client, method)(path, **headers)
        assert response.status_code == 405
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"code": "method_not_allowed", "details": None,
                                   "message": "Metode ini tidak tersedia untuk alamat ini."}  # fmt: skip
        assert {m.strip() for m in response["Allow"].split(",")} == allow


@pytest.mark.parametrize("path", ["/api/", "/api/tidak-ada", "/api/agencies/x/tidak/ada/"])
def test_unknown_api_paths_are_json_404_whatever_the_method(client, path):
    for method in ("get", "post", "delete"):
        response = getattr(client, method)(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"
