"""Accessibility scan (issue 17): axe-core, installed from npm by `make test` into
.cache/npm, injected into each page of the working day in Chromium — the start page, the
entry grid, the IKU page, the quarter page, the dashboard, the pemda overview and the planning
screens (Renstra, Renja, the Renja tree editor, PK, kop, plan import) — at 1280 px and on a
390 px phone; no violation of impact serious or critical may remain. Then the keyboard: the
capaian explanations on the start page, quarter page and dashboard are reached with Tab and
opened with Enter, and a table wider than the phone is scrolled with the arrow keys.

The page's Content-Security-Policy allows only Kinerja's own scripts, so the browser context
that injects axe bypasses it (``bypass_csp``); the pages are otherwise as served."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from .demo_server import AGENCY, Browsers

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / ".cache" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
A = AGENCY
PAGES = [
    ("operator", "beranda", "/"),
    ("operator", "isian", f"/isi/{A}/2024/tw2/"),
    ("operator", "iku", f"/isi/{A}/2024/tw2/iku/"),
    ("operator", "triwulan", f"/pd/{A}/2024/tw2/"),
    ("pimpinan", "triwulan-disahkan", f"/pd/{A}/2024/tw1/"),
    ("pimpinan", "dasbor", f"/pd/{A}/2024/tw1/dasbor/"),
    ("verifikator", "ikhtisar", "/pemda/2024/tw1/"),
    ("operator", "renstra", f"/rencana/{A}/renstra/"),
    ("operator", "renja", f"/rencana/{A}/2024/renja/"),
    ("operator", "renja-susun", f"/rencana/{A}/2024/renja/susun/"),
    ("operator", "pk", f"/rencana/{A}/2024/pk/"),
    ("operator", "kop", f"/rencana/{A}/2024/kop/"),
    ("operator", "impor-rencana", f"/rencana/{A}/2024/impor/"),
    # above the pemda (issue 18): the demo's national reader and province verifikator
    ("nasional", "ikhtisar-nasional", "/nasional/2024/tw1/"),
    ("provinsi", "ikhtisar-provinsi", "/provinsi/35/2024/tw1/"),
    ("nasional", "ikhtisar-pemda-dari-atas", "/pemda/kabupaten-sumenep/2024/tw1/"),
]
WIDTHS = [1280, 390]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + n.failureSummary),
  }));
}"""


@pytest.fixture(scope="module")
def shared(shared_demo_url: str, chromium) -> Iterator[Browsers]:
    """The session's shared demo server (conftest.py): the scan only reads its pages."""
    assert AXE.is_file(), (
        f"axe-core tidak ada di {AXE.relative_to(ROOT)}: `make test` memasangnya "
        "(npm install --prefix .cache/npm axe-core@4)"
    )
    shared = Browsers(shared_demo_url, chromium, bypass_csp=True)
    try:
        yield shared
    finally:
        shared.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("role", "name", "path"), PAGES, ids=[f"{r}-{n}" for r, n, _ in PAGES])
def test_no_serious_or_critical_violation(shared, role, name, path, width, tmp_path) -> None:
    page = shared.page(role, width)
    try:
        response = page.goto(path)
        assert response is not None and response.status == 200, (path, response and response.status)
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(RUN_AXE)
        page.screenshot(path=str(tmp_path / f"{role}-{name}-{width}.png"), full_page=True)
        serious = [v for v in violations if v["impact"] in ("serious", "critical")]
        assert serious == [], "\n".join(
            f"{v['impact']} {v['id']} ({v['help']}):\n  " + "\n  ".join(v["nodes"]) for v in serious
        )
    finally:
        page.close()


def _tab_to(page: sync_api.Page, selector: str, limit: int = 300) -> None:
    """Press Tab until the focused element matches ``selector`` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement?.matches(s) ?? false", selector):
            return
    pytest.fail(f"{selector} tidak tercapai dengan Tab dalam {limit} langkah di {page.url}")


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("pimpinan", "/"),
        ("pimpinan", f"/pd/{A}/2024/tw1/"),
        ("pimpinan", f"/pd/{A}/2024/tw1/dasbor/"),
    ],
    ids=["beranda", "triwulan", "dasbor"],
)
def test_explanations_open_from_the_keyboard(shared, role, path) -> None:
    page = shared.page(role, 1280)
    try:
        page.goto(path)
        _tab_to(page, "details.why > summary")
        details = page.locator("details.why:has(> summary:focus)")
        text = details.locator(".why-text")
        sync_api.expect(text).to_be_hidden()
        page.keyboard.press("Enter")
        sync_api.expect(details).to_have_attribute("open", "")
        sync_api.expect(text).to_be_visible()
        sync_api.expect(text).to_contain_text("=")  # the formula with its numbers
        page.keyboard.press("Enter")  # and closed again
        sync_api.expect(text).to_be_hidden()
    finally:
        page.close()


def test_a_wide_table_on_a_phone_scrolls_from_the_keyboard(shared) -> None:
    page = shared.page("pimpinan", 390)
    try:
        page.goto(f"/pd/{A}/2024/tw1/dasbor/")
        _tab_to(page, "table[data-scroll-focus]")
        box = page.locator("table[data-scroll-focus]:focus")
        assert box.evaluate("t => t.scrollWidth > t.clientWidth")
        assert box.evaluate("t => t.scrollLeft") == 0
        for _ in range(5):
            page.keyboard.press("ArrowRight")
        page.wait_for_function("() => document.activeElement.scrollLeft > 0")
    finally:
        page.close()
