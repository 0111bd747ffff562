"""Every page fits a 390 px phone (issue 17): logged in as the role that uses it, each page's
``document.documentElement.scrollWidth`` is at most the viewport's 390 px — a wide table
scrolls inside its own box, a row of summaries stacks, the header's menu wraps. The page may
not hide its overflow instead (``overflow-x`` of html and body stays visible), and where a table
is wider than the screen, that table scrolls. A full-page screenshot of each lands in
``tmp_path`` (kept by pytest after a failure). The session's shared demo server (conftest.py),
one browser for the module (demo_server.py); the entry grid's own phone layout is
test_browser_grid.py's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .demo_server import AGENCY, Browsers, first_history_url

WIDTH = 390
A = AGENCY
PAGES = [
    # (role, page, path); None: the first history page linked from the quarter page
    ("operator", "beranda", "/"),
    ("operator", "triwulan", f"/pd/{A}/2024/tw2/"),
    ("operator", "dasbor", f"/pd/{A}/2024/tw1/dasbor/"),
    ("operator", "laporan", f"/pd/{A}/2024/tw1/laporan/"),
    ("operator", "riwayat", None),
    ("operator", "periksa-formulir", "/periksa-formulir/"),
    ("operator", "renstra", f"/rencana/{A}/renstra/"),
    ("operator", "renja", f"/rencana/{A}/2024/renja/"),
    ("operator", "renja-susun", f"/rencana/{A}/2024/renja/susun/"),
    ("operator", "iku-rencana", f"/rencana/{A}/2024/iku/"),
    ("operator", "pk", f"/rencana/{A}/2024/pk/"),
    ("operator", "kop", f"/rencana/{A}/2024/kop/"),
    ("operator", "impor-rencana", f"/rencana/{A}/2024/impor/"),
    ("operator", "impor-formulir", f"/rencana/{A}/2024/impor-formulir/"),
    ("verifikator", "beranda", "/"),
    ("verifikator", "triwulan", f"/pd/{A}/2024/tw1/"),
    ("verifikator", "ikhtisar", "/pemda/2024/tw1/"),
    ("verifikator", "terlambat", "/terlambat/2024/tw2/"),
    ("pimpinan", "beranda", "/"),
    ("pimpinan", "triwulan", f"/pd/{A}/2024/tw1/"),
    ("pimpinan", "dasbor", f"/pd/{A}/2024/tw1/dasbor/"),
    ("pimpinan", "ikhtisar", "/pemda/2024/tw1/"),
    ("admin", "beranda", "/"),
    ("admin", "terlambat", "/terlambat/2024/tw2/"),
    ("admin", "ikhtisar", "/pemda/2024/tw2/"),
    ("admin", "renja-susun", f"/rencana/{A}/2024/renja/susun/"),
    # above the pemda (issue 18): the demo's national reader and province verifikator
    ("nasional", "ikhtisar-nasional", "/nasional/2024/tw1/"),
    ("provinsi", "ikhtisar-provinsi", "/provinsi/35/2024/tw1/"),
    ("nasional", "ikhtisar-pemda-dari-atas", "/pemda/kabupaten-sumenep/2024/tw1/"),
]

LAYOUT = """() => {
  const x = (e) => getComputedStyle(e).overflowX;
  const scrolls = (e) => ['auto', 'scroll'].includes(x(e));
  const inScrollBox = (e) => { for (let a = e.parentElement; a; a = a.parentElement)
                                 if (scrolls(a)) return true; return false; };
  const tables = [...document.querySelectorAll('table')];
  return {
    width: document.documentElement.scrollWidth,
    hidden: [x(document.documentElement), x(document.body)],
    wideTablesScroll: tables.filter(t => t.scrollWidth > t.clientWidth + 1)
                            .every(t => scrolls(t) || inScrollBox(t)),
    offenders: [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !inScrollBox(e))
      .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right),
  };
}"""


@pytest.fixture(scope="module")
def shared(shared_demo_url: str, chromium) -> Iterator[Browsers]:
    """The session's shared demo server (conftest.py): these tests only read its pages."""
    b = Browsers(shared_demo_url, chromium)
    try:
        yield b
    finally:
        b.close()


@pytest.mark.parametrize(("role", "name", "path"), PAGES, ids=[f"{r}-{n}" for r, n, _ in PAGES])
def test_page_fits_a_390px_phone(shared: Browsers, role, name, path, tmp_path: Path) -> None:
    page = shared.page(role, WIDTH, height=844)
    try:
        target = path or first_history_url(page)
        response = page.goto(target)
        assert response is not None and response.status == 200, (
            target,
            response and response.status,
        )
        page.wait_for_load_state("load")
        page.screenshot(path=str(tmp_path / f"{role}-{name}-390.png"), full_page=True)
        layout = page.evaluate(LAYOUT)
        assert layout["hidden"] == ["visible", "visible"], layout  # overflow not merely hidden
        assert layout["width"] <= WIDTH, (target, layout)
        assert layout["wideTablesScroll"], (target, layout)
    finally:
        page.close()
