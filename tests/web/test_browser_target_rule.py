"""The Renstra indicator page warns, as the operator types, that the yearly targets step back
— in a real browser against a real `kinerja serve` (test_browser_workflow.py's fixtures)."""

from __future__ import annotations

import re

import pytest
from playwright import sync_api

from .test_browser_workflow import page  # noqa: F401 - fixture, on the live_server_url below


@pytest.fixture
def live_server_url(shared_demo_url: str) -> str:
    """The session's shared demo server (conftest.py): the targets are typed, never saved."""
    return shared_demo_url


def test_targets_that_step_back_are_flagged_as_typed_and_cleared_when_fixed(page) -> None:  # noqa: F811
    expect = sync_api.expect
    page.goto("/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.goto("/rencana/bkpsdm-sumenep/renstra/")
    editor = page.locator("a[href*='/renstra/'][href$='/ubah/']").first.get_attribute("href")
    page.goto(editor)
    link = page.locator("a[href*='/indikator/']").filter(has_text="Profesionalitas").first
    page.goto(link.get_attribute("href"))
    warnings = page.locator("#target-warnings")
    expect(warnings).to_have_text(re.compile("Tidak ada peringatan"))
    # 2024 has an approved quarter: its field is the revised target in force; 2025's in force
    # is its stored revision, 84
    target = page.locator("input[name=t2024]")
    target.fill("90")
    expect(warnings).to_contain_text("mundur: 2024 90 → 2025 84")
    target.fill("80")
    expect(warnings).to_have_text(re.compile("Tidak ada peringatan"))
