"""Content-Security-Policy (django-csp, settings.CONTENT_SECURITY_POLICY): scripts only from
Kinerja's own static files, never inline, never eval; and the pages still work under it in a
real browser (a violation is reported by Chromium and fails the test)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright import sync_api

from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures

SRC = Path(__file__).parents[2] / "src" / "kinerja"
GRID = "/isi/bkpsdm-sumenep/2024/tw2/"
QUARTER = "/pd/bkpsdm-sumenep/2024/tw1/"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


class _Scripts(HTMLParser):
    """Inline scripts a browser would run: <script> without src (data blocks such as
    json_script's application/json are not run), on…= handlers and javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and "src" not in named and named.get("type") != "application/json":
            self.found.append(f"<script> tanpa src: {attrs}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}={value}")
            if name in ("href", "src", "action", "formaction") and (value or "").strip(
            ).lower().startswith("javascript:"):  # fmt: skip
                self.found.append(f"{tag} {name}={value}")


def _inline_scripts(html: str) -> list[str]:
    parser = _Scripts()
    parser.feed(html)
    return parser.found


@pytest.mark.django_db
def test_every_page_forbids_inline_scripts_and_eval(client, demo_users, agency, settings):
    settings.DEBUG = False  # as in production (django-csp leaves DEBUG's 404 and 500 pages alone)
    pages = [("/masuk/", None), ("/", "operator"), (GRID, "operator"), (QUARTER, "pimpinan"),
             (QUARTER + "dasbor/", "pimpinan"), ("/sandi/", "operator"), ("/admin/", "admin"),
             ("/admin/planning/workitem/", "admin"), ("/tidak-ada/", None)]  # fmt: skip
    for url, user in pages:
        client.logout()
        if user:
            client.force_login(demo_users[user])
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["default-src"] == ["'self'"]
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert policy["base-uri"] == ["'none'"] and policy["form-action"] == ["'self'"]
        header = response["Content-Security-Policy"]
        assert "unsafe-eval" not in header and "script-src-attr" not in header
        assert "'unsafe-inline'" not in policy["script-src"] + policy["default-src"]
        assert _inline_scripts(response.content.decode()) == [], url


def test_no_template_holds_an_inline_script():
    templates = [p for p in SRC.rglob("*") if p.suffix in (".html", ".jinja")]
    assert len(templates) > 20
    found = {str(p.relative_to(SRC)): _inline_scripts(p.read_text()) for p in templates}
    assert {name: f for name, f in found.items() if f} == {}


def test_the_parser_finds_what_csp_would_block():
    assert _inline_scripts('<script>alert(1)</script><a href="javascript:x()">a</a>'
                           '<button onclick="x()">b</button>') != []  # fmt: skip
    assert len(_inline_scripts('<script>1</script><a href=" JavaScript:x()">a</a>'
                               '<img src=x onerror="y()">')) == 3  # fmt: skip
    assert (
        _inline_scripts(
            '<script src="/static/a.js"></script>'
            '<script id="d" type="application/json">{"a": 1}</script>'
        )
        == []
    )


def test_the_pages_work_under_the_policy_in_a_browser(page):  # noqa: F811
    """Grid (htmx previews as one types), dashboard (Chartist), quarter page and the admin,
    with the policy the server sends: Chromium reports no violation."""
    expect = sync_api.expect
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in
            m.text or "Content-Security-Policy" in m.text else None)  # fmt: skip
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "console.error('Content-Security-Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
    )

    def log_in(username: str) -> None:
        page.goto("/masuk/")
        response_headers = page.context.request.get(page.url).headers
        assert "script-src 'self'" in response_headers["content-security-policy"]
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("button", name="Keluar")).to_be_visible()

    log_in("operator")
    page.goto(GRID)
    cell = page.locator('input.cell[data-col="k"]').first
    row = cell.get_attribute("id").removeprefix("k-")
    year = page.locator(f"#fig-year-{row} > span")
    before = year.inner_text()
    cell.focus()
    page.keyboard.type("20")
    expect(year).not_to_have_text(before)  # htmx asked the server and swapped the figure in
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Keluar").click()

    log_in("pimpinan")
    page.goto(QUARTER + "dasbor/")
    expect(page.locator("#chart-budget svg.ct-chart-bar")).to_have_count(1)  # Chartist drew it
    expect(page.locator("#chart-trend svg.ct-chart-line")).to_have_count(1)
    page.get_by_role("button", name="Keluar").click()

    log_in("admin")
    page.goto("/admin/planning/workitem/")
    expect(page.locator("#changelist")).to_be_visible()
    assert violations == []
    # the check itself works: a script the policy forbids is reported
    page.evaluate("() => { const s = document.createElement('script'); "
                  "s.textContent = 'window.ran = 1'; document.body.append(s); }")  # fmt: skip
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran") is None
    assert any("script-src" in v for v in violations), violations
