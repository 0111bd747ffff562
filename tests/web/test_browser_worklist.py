"""The start page's worklist in a real browser, against a real `kinerja serve` (the server and
browser fixtures of test_browser_workflow.py): the demo's TW II 2024 period opens on the day
the demo is loaded and closes 30 days later (seed.py), so the operator's start page says when
it closes and how many days are left, how many of the 61 rows are filled, and leads to the
grid; the header's picker opens on that quarter. Each role's start page at 1366 and 390 px:
never wider than the screen; screenshots in ``tmp_path``."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright import sync_api

from .test_browser_workflow import page  # noqa: F401 - fixture, on the live_server_url below

MONTHS = ("Januari Februari Maret April Mei Juni Juli Agustus September Oktober November "
          "Desember").split()  # fmt: skip


@pytest.fixture
def live_server_url(shared_demo_url: str) -> str:
    """The session's shared demo server (conftest.py): these tests only read its database."""
    return shared_demo_url


def _login(page, username: str) -> None:  # noqa: F811 - the page fixture's page
    page.goto("/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/")


def test_operator_worklist_shows_the_deadline_and_grid_link(page, tmp_path: Path) -> None:  # noqa: F811
    expect = sync_api.expect
    today = datetime.now(ZoneInfo("Asia/Jakarta")).date()  # the day the demo was loaded
    closes = today + timedelta(days=30)
    _login(page, "operator")
    entry = page.locator("section.worklist article.work-entry").first
    link = entry.get_by_role("link", name="Isi realisasi: Triwulan II 2024")
    expect(link).to_be_visible()
    expect(entry.locator(".work-deadline")).to_have_text(
        f"ditutup {closes.day} {MONTHS[closes.month - 1]} {closes.year}, 30 hari lagi"
    )
    expect(entry.locator(".work-meta")).to_contain_text("0 / 61 baris terisi")
    expect(entry.locator(".status")).to_have_text("Draf")
    # the picker opens on the quarter to finish, not on today's quarter
    expect(page.locator("select[name=quarter]")).to_have_value("2")
    expect(page.locator("input[name=year]")).to_have_value("2024")
    page.screenshot(path=str(tmp_path / "operator-worklist.png"), full_page=True)
    link.click()
    page.wait_for_url("**/isi/bkpsdm-sumenep/2024/tw2/")


@pytest.mark.parametrize("width", [1366, 390])
def test_each_roles_start_page_fits_the_screen(page, tmp_path: Path, width: int) -> None:  # noqa: F811
    expect = sync_api.expect
    page.set_viewport_size({"width": width, "height": 900})
    seen = {
        "operator": "Triwulan yang harus diselesaikan",
        "verifikator": "Periksa: Triwulan I 2024 — Dinas Contoh Pekerjaan Umum (contoh)",
        "pimpinan": "Tidak ada triwulan yang menunggu pengesahan.",
        "admin": "Triwulan I 2024",  # Dinsos (contoh) is late for TW I 2024
    }
    for role, text in seen.items():
        page.context.clear_cookies()
        _login(page, role)
        expect(page.locator("section.worklist")).to_contain_text(text)
        wide = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(tmp_path / f"home-{role}-{width}.png"), full_page=True)
        assert wide <= width, f"{role}: the start page is {wide} px wide at {width} px"
    expect(page.locator("section.worklist")).to_contain_text("Dinas Contoh Sosial (contoh)")
