"""The quarterly entry grid in a real browser, against a real `kinerja serve` with its own
SQLite database (the server and browser fixtures of test_browser_workflow.py).

The operator fills TW II 2024 with the keyboard only, watches the capaian change as she types,
is stopped by a number in English format, restores the cell with Esc, saves, and finds the
saved values on reload and in the history. Screenshots land in ``tmp_path`` (kept by pytest
after a failure).
"""

from __future__ import annotations

from pathlib import Path

from playwright import sync_api

from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures

GRID_PATH = "/isi/bkpsdm-sumenep/2024/tw2/"


def test_operator_fills_the_quarter_with_the_keyboard(page, tmp_path: Path) -> None:  # noqa: F811
    expect = sync_api.expect
    shots = iter(range(1, 100))

    def shot(name: str, full_page: bool = False) -> Path:
        path = tmp_path / f"{next(shots):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    page.goto("/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    page.goto(GRID_PATH)

    k_cells = page.locator('input.cell[data-col="k"]')
    rp_cells = page.locator('input.cell[data-col="rp"]')
    first_id = k_cells.nth(0).get_attribute("id").removeprefix("k-")
    second_id = k_cells.nth(1).get_attribute("id").removeprefix("k-")
    year_fig = page.locator(f"#fig-year-{first_id} > span")
    before = year_fig.inner_text()
    assert before == "15,00 %"  # the seed's TW I of Program Penunjang: 15 of 100
    shot("kosong")

    # keyboard only: focus the first K cell, type, Enter goes down, Tab goes across
    k_cells.nth(0).focus()
    page.keyboard.type("20")
    expect(year_fig).to_have_text("35,00 %")  # recomputed by the core before saving
    expect(page.locator(f"#fig-predikat-{first_id}")).to_have_text("Sangat Rendah")
    page.keyboard.press("Enter")
    expect(k_cells.nth(1)).to_be_focused()
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    expect(rp_cells.nth(1)).to_be_focused()
    page.keyboard.type("1,905,955,200")
    error = page.locator(f"#err-{second_id}-rp")
    expect(error).to_contain_text("«1,905,955,200» memakai format angka Inggris")
    expect(rp_cells.nth(1)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("button", name="Simpan")).to_be_disabled()
    expect(page.locator("#save-blocked")).to_be_visible()
    shot("format-inggris")

    page.keyboard.press("Escape")  # back to what the cell held when the page loaded
    expect(rp_cells.nth(1)).to_have_value("")
    expect(error).to_be_empty()
    expect(page.get_by_role("button", name="Simpan")).to_be_enabled()
    page.keyboard.type("1.905.955.200")
    expect(page.locator(f"#fig-year-{second_id} .rp")).not_to_have_text("Rp: -")
    page.keyboard.press("ArrowUp")
    expect(rp_cells.nth(0)).to_be_focused()
    shot("terisi")

    page.get_by_role("button", name="Simpan").focus()
    page.keyboard.press("Enter")
    expect(page.locator("p.message")).to_contain_text("3 nilai diubah:")
    expect(page.locator("p.message")).to_contain_text("Rp - → 1.905.955.200")

    page.reload()
    expect(k_cells.nth(0)).to_have_value("20")
    expect(k_cells.nth(1)).to_have_value("4")
    expect(rp_cells.nth(1)).to_have_value("1.905.955.200")
    expect(year_fig).to_have_text("35,00 %")

    # a second change, so the history has an old and a new value to show
    k_cells.nth(0).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("25")
    expect(year_fig).to_have_text("40,00 %")
    page.get_by_role("button", name="Simpan").focus()
    page.keyboard.press("Enter")
    expect(page.locator("p.message")).to_contain_text("1 nilai diubah:")
    expect(page.locator("p.message")).to_contain_text("K 20 → 25")
    shot("tersimpan")

    page.locator(f"#row-{first_id} a.hist").click()
    expect(page.get_by_role("heading", name="Riwayat perubahan")).to_be_visible()
    history = page.locator("table.figures tbody tr")
    expect(history).to_have_count(2)  # the change, then the first entry (K only)
    expect(history.nth(0)).to_contain_text("operator")
    expect(history.nth(0)).to_contain_text("20")
    expect(history.nth(0)).to_contain_text("25")
    shot("riwayat")
