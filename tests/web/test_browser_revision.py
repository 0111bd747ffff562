"""Revising a Renstra target in a real browser: the original stays beside the revision
(own server and SQLite database, the fixtures of test_browser_workflow.py)."""

from __future__ import annotations

from pathlib import Path

from playwright import sync_api

from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures


def test_revising_a_target_shows_original_and_revised_side_by_side(page, tmp_path: Path) -> None:  # noqa: F811
    expect = sync_api.expect
    page.goto("/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    page.goto("/rencana/bkpsdm-sumenep/renstra/")
    row = (
        page.locator("tr", has=page.locator("td", has_text="2026")).filter(has_text="90").first
    )  # Nilai SAKIP 2026: original 90
    row.locator("summary").click()
    form = row.locator("form")
    form.locator("input[name=value]").fill("91,5")
    form.locator("textarea[name=reason], input[name=reason]").first.fill(
        "Capaian 2024 melampaui target"
    )
    form.locator("input[name=legal_basis]").fill("Keputusan Kepala BKPSDM Nomor 7 Tahun 2024")
    form.get_by_role("button", name="Simpan revisi").click()
    expect(page.locator("p.message")).to_contain_text("target awal tetap tersimpan")
    revised = page.locator("tr", has=page.locator("strong", has_text="91,5"))
    expect(revised).to_contain_text("90")  # the original, beside it
    expect(revised).to_contain_text("Capaian 2024 melampaui target")
    expect(revised).to_contain_text("Keputusan Kepala BKPSDM Nomor 7 Tahun 2024")
    path = tmp_path / "revisi.png"
    page.screenshot(path=str(path), full_page=True)
