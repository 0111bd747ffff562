"""The quarter's whole workflow in a real browser, against a real `kinerja serve`.

Operator submits, verifikator returns with a reason, operator sees the reason and resubmits,
verifikator verifies, pimpinan approves. The server runs in a subprocess on its own SQLite file
(``kinerja demo --load-only``), so this test never touches the pytest-django test database and
runs the same whether DATABASE_URL points at SQLite or PostgreSQL.

Headless Debian Chromium through Playwright; screenshots of each step land in ``tmp_path``
(kept by pytest after a failure).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api  # a dev dependency; `make test` installs Debian's Chromium

from ..scratch_db import copy_demo

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
QUARTER_PATH = "/pd/bkpsdm-sumenep/2024/tw2/"
REASON = "Realisasi sub kegiatan 5.03.02.2.02.0001 belum ada buktinya"
OVERRIDE = "Selisih Rp induk dan rinciannya berasal dari laporan tercetak."
START_TIMEOUT = 30.0  # seconds for the server to answer
STEP_TIMEOUT = 10_000  # milliseconds for each browser wait
# the quarter page's step → the button of its confirmation page (web/confirm.py)
CONFIRM = {"Ajukan ke verifikator": "Ya, ajukan ke verifikator", "Verifikasi": "Ya, verifikasi",
           "Sahkan": "Ya, sahkan"}  # fmt: skip


def _kinerja() -> list[str]:
    script = Path(sys.executable).with_name("kinerja")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinerja.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _server_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DEBUG", None)  # the demo users exist only with DEBUG on (the default)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'browser.sqlite3'}",
        KINERJA_VAR_DIR=str(tmp),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="kinerja.settings",
    )
    return env


def demo_database(tmp: Path) -> None:
    """A freshly loaded demo database in ``tmp``, where _server_env(tmp) has its server look:
    a copy of the demo that `kinerja demo --load-only` loads once per test session and day
    (tests/scratch_db.py's demo_template, beside ``tmp`` in pytest's base temporary folder;
    the demo's TW II 2024 opens on the day it is loaded), as if loaded for this server alone."""
    copy_demo(tmp, "browser.sqlite3")


@pytest.fixture
def live_server_url(tmp_path: Path) -> Iterator[str]:
    """A demo database in tmp_path and `kinerja serve` on a free port; always stopped."""
    env = _server_env(tmp_path)
    demo_database(tmp_path)

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*_kinerja(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"kinerja serve berhenti:\n{log_path.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/masuk/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"kinerja serve tidak menjawab dalam {START_TIMEOUT:.0f} detik:\n"
                    f"{log_path.read_text(errors='replace')}"
                )
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


class Contexts:
    """The session's Chromium (conftest.py's chromium) as one test or module sees it: the
    contexts it opens here are closed by close(), leaving the browser to the next."""

    def __init__(self, browser: sync_api.Browser) -> None:
        self._browser = browser
        self._opened: list[sync_api.BrowserContext] = []

    def new_context(self, **options: object) -> sync_api.BrowserContext:
        context = self._browser.new_context(**options)
        self._opened.append(context)
        return context

    def close(self) -> None:
        for context in self._opened:
            context.close()
        self._opened.clear()


@pytest.fixture
def page(live_server_url: str, chromium: sync_api.Browser) -> Iterator[object]:
    contexts = Contexts(chromium)
    try:
        context = contexts.new_context(
            base_url=live_server_url, viewport={"width": 1280, "height": 1000}, locale="id-ID"
        )
        context.set_default_timeout(STEP_TIMEOUT)
        yield context.new_page()
    finally:
        contexts.close()


def test_quarter_workflow_in_browser(page, tmp_path: Path) -> None:
    expect = sync_api.expect
    shots = iter(range(1, 100))

    def shot(name: str) -> Path:
        path = tmp_path / f"{next(shots):02d}-{name}.png"
        page.screenshot(path=str(path))
        return path

    def log_in(username: str) -> None:
        page.goto("/masuk/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", "demo")
        page.get_by_role("button", name="Masuk").click()
        expect(page.get_by_role("button", name="Keluar")).to_be_visible()
        page.goto(QUARTER_PATH)
        expect(page.locator(".timeline h2")).to_have_text("Riwayat pengajuan")

    def log_out() -> None:
        page.get_by_role("button", name="Keluar").click()
        expect(page.get_by_role("heading", name="Masuk")).to_be_visible()
        expect(page.get_by_role("button", name="Keluar")).to_have_count(0)

    def act(button: str, message: str, status: str, reason: str = "") -> None:
        if button in CONFIRM:  # the step opens its confirmation first (issue 17)
            page.get_by_role("link", name=button, exact=True).click()
            expect(page.locator("#kelengkapan")).to_be_visible()
            if reason:
                page.fill("#approve-reason", reason)
            page.get_by_role("button", name=CONFIRM[button]).click()
        else:
            page.get_by_role("button", name=button).click()
        expect(page.locator("p.message")).to_contain_text(message)
        expect(page.locator("strong.status")).to_have_text(status)

    status = page.locator("strong.status")
    timeline = page.locator(".timeline li")

    # 1. the operator submits the draft quarter
    log_in("operator")
    expect(status).to_have_text("Draf")
    expect(page.get_by_role("button", name="Kembalikan ke operator")).to_have_count(0)
    shot("operator-draft")
    act("Ajukan ke verifikator", "Triwulan diajukan.", "Diajukan")
    expect(page.get_by_role("link", name="Ajukan ke verifikator")).to_have_count(0)
    shot("operator-diajukan")
    log_out()

    # 2. the verifikator returns it with a reason
    log_in("verifikator")
    expect(status).to_have_text("Diajukan")
    page.fill("#return-reason", REASON)
    act("Kembalikan ke operator", "Triwulan dikembalikan.", "Dikembalikan")
    expect(page.locator(".timeline .reason")).to_have_text(f"Alasan: {REASON}")
    shot("verifikator-dikembalikan")
    log_out()

    # 3. the operator sees the reason and resubmits
    log_in("operator")
    expect(status).to_have_text("Dikembalikan")
    expect(page.get_by_text(f"Alasan: {REASON}")).to_be_visible()
    shot("operator-melihat-alasan")
    act("Ajukan ke verifikator", "Triwulan diajukan.", "Diajukan")
    shot("operator-diajukan-lagi")
    log_out()

    # 4. the verifikator verifies
    log_in("verifikator")
    expect(status).to_have_text("Diajukan")
    act("Verifikasi", "Triwulan diverifikasi.", "Diverifikasi")
    expect(page.get_by_role("link", name="Verifikasi", exact=True)).to_have_count(0)
    shot("verifikator-diverifikasi")
    log_out()

    # 5. the pimpinan reads the Lembar Pemeriksaan above the button and approves, giving the
    # reason its two blocking items (the printed form's Rp sums) require
    log_in("pimpinan")
    expect(status).to_have_text("Diverifikasi")
    expect(page.locator("#lembar-pemeriksaan")).to_contain_text("2 menghambat pengesahan")
    act("Sahkan", "Triwulan disahkan.", "Disahkan", reason=OVERRIDE)
    expect(page.get_by_role("link", name="Sahkan", exact=True)).to_have_count(0)

    # the timeline: every transition, in order, with the reason on the return
    expect(timeline).to_have_count(5)
    expect(timeline.locator("strong")).to_have_text(
        ["Diajukan", "Dikembalikan", "Diajukan", "Diverifikasi", "Disahkan"]
    )
    expect(timeline.nth(0)).to_contain_text("Draf → Diajukan")
    expect(timeline.nth(1)).to_contain_text("Diajukan → Dikembalikan")
    expect(timeline.nth(1)).to_contain_text(f"Alasan: {REASON}")
    expect(timeline.nth(2)).to_contain_text("Dikembalikan → Diajukan")
    expect(timeline.nth(3)).to_contain_text("Diajukan → Diverifikasi")
    expect(timeline.nth(4)).to_contain_text("Diverifikasi → Disahkan")
    expect(timeline.nth(4)).to_contain_text(f"alasan: {OVERRIDE}")
    expect(page.locator(".timeline .reason")).to_have_count(2)
    shot("pimpinan-disahkan")
