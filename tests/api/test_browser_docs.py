"""The API's browsable docs in a real Chromium against `kinerja serve` (the fixtures of
tests/web/test_browser_workflow.py): Swagger UI draws the document from Kinerja's own static
files — no request leaves the server, the Content-Security-Policy refuses nothing."""

from __future__ import annotations

from playwright import sync_api

from tests.web.test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures


def test_docs_page_draws_the_api_offline(page, live_server_url):  # noqa: F811
    requests, refused = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text
            else None)  # fmt: skip
    page.goto("/api/docs")
    expect = sync_api.expect
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Kinerja API")
    expect(page.get_by_text("/api/agencies/{slug}/years/{year}/quarters/{quarter}/evaluation",
                            exact=True)).to_be_visible()  # fmt: skip
    expect(page.locator(".swagger-ui .auth-wrapper button.authorize")).to_be_visible()
    assert requests and all(u.startswith(live_server_url) for u in requests), requests
    assert any(u.endswith("/static/ninja/swagger-ui-bundle.js") for u in requests)
    assert refused == []
