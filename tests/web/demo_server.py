"""A demo `kinerja serve` and logged-in browser contexts shared by many tests (the page scans
of test_browser_phone.py and test_browser_axe.py visit many pages of one unchanged demo
database: the session's shared server of conftest.py, contexts per module on the session's
Chromium). The server is that of test_browser_workflow.py: a copy of the session's demo
database in a temporary folder, a free port."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright import sync_api

from .test_browser_workflow import (
    START_TIMEOUT,
    STEP_TIMEOUT,
    _free_port,
    _kinerja,
    _server_env,
    demo_database,
)

AGENCY = "bkpsdm-sumenep"
DEMO_PASSWORD = "demo"


@contextmanager
def demo_server(tmp: Path) -> Iterator[str]:
    """The demo database in ``tmp`` (test_browser_workflow.demo_database: a copy of the session's
    once loaded demo), then `kinerja serve` on a free port; its URL."""
    env = _server_env(tmp)
    demo_database(tmp)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*_kinerja(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
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
                    f"kinerja serve tidak menjawab:\n{log_path.read_text(errors='replace')}"
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


class Browsers:
    """One logged-in browser context per (role, viewport width), opened when first asked;
    ``bypass_csp`` lets a test inject a script of its own (axe-core) into the pages."""

    def __init__(self, url: str, browser: sync_api.Browser, bypass_csp: bool = False) -> None:
        self.url = url
        self.bypass_csp = bypass_csp
        self._browser = browser  # the session's (conftest.py's chromium); close() leaves it open
        self._contexts: dict[tuple[str, int], sync_api.BrowserContext] = {}

    def page(self, role: str, width: int, height: int = 900) -> sync_api.Page:
        key = (role, width)
        if key not in self._contexts:
            context = self._browser.new_context(
                base_url=self.url,
                locale="id-ID",
                viewport={"width": width, "height": height},
                bypass_csp=self.bypass_csp,
            )
            context.set_default_timeout(STEP_TIMEOUT)
            page = context.new_page()
            page.goto("/masuk/")
            page.fill("input[name=username]", role)
            page.fill("input[name=password]", DEMO_PASSWORD)
            page.get_by_role("button", name="Masuk").click()
            sync_api.expect(page.get_by_role("button", name="Keluar")).to_be_visible()
            page.close()
            self._contexts[key] = context
        return self._contexts[key].new_page()

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()
        self._contexts.clear()


def first_history_url(page: sync_api.Page) -> str:
    """A history page (riwayat) of the approved TW I 2024, as linked from its quarter page."""
    page.goto(f"/pd/{AGENCY}/2024/tw1/")
    href = page.locator("a[href*='/riwayat/']").first.get_attribute("href")
    assert href, "halaman triwulan tidak menautkan riwayat"
    return href
