"""A quarter offline in a real browser against `kinerja serve` (the fixtures of
test_browser_workflow.py): the operator downloads the TW II workbook from the grid, fills it
(as Excel would store it), uploads it, reads the preview — a refused cell first, then the
corrected file — and applies it. Screenshots land in ``tmp_path``.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from playwright import sync_api

from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures

GRID_PATH = "/isi/bkpsdm-sumenep/2024/tw2/"


def test_operator_fills_a_quarter_offline(page, tmp_path: Path) -> None:  # noqa: F811
    expect = sync_api.expect
    shots = iter(range(1, 100))

    def shot(name: str) -> None:
        path = tmp_path / f"{next(shots):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)

    page.goto("/masuk/")
    page.fill("input[name=username]", "operator")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    page.goto(GRID_PATH)
    page.get_by_role("link", name="Isi luring (Excel): unduh dan unggah").click()
    expect(page.locator("h1")).to_contain_text("Isi luring (Excel) triwulan II 2024")
    with page.expect_download() as info:
        page.get_by_role("link", name="realisasi-bkpsdm-sumenep-2024-tw2.xlsx").click()
    download = info.value
    assert download.suggested_filename == "realisasi-bkpsdm-sumenep-2024-tw2.xlsx"
    original = tmp_path / download.suggested_filename
    download.save_as(original)

    def filled(rp: str) -> Path:
        wb = openpyxl.load_workbook(original)
        ws = wb.worksheets[0]
        ws["G6"], ws["H7"], ws["I8"] = 20, rp, "SK terbit 30 Juni"
        path = tmp_path / "isian" / original.name
        path.parent.mkdir(exist_ok=True)
        out = io.BytesIO()
        wb.save(out)
        path.write_bytes(out.getvalue())
        return path

    page.set_input_files("#berkas", str(filled("1,905,955,200")))
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    expect(page.locator(".offline-counts")).to_contain_text("1 sel ditolak")
    expect(page.locator("tr.cell-refused")).to_contain_text("memakai format angka Inggris")
    expect(page.get_by_role("button", name="Terapkan")).to_have_count(0)
    shot("ditolak")

    page.get_by_role("link", name="Unggah berkas lain").click()
    page.set_input_files("#berkas", str(filled("1.905.955.200")))
    page.get_by_role("button", name="Unggah dan pratinjau").click()
    expect(page.locator(".offline-counts")).to_contain_text("3 sel akan diubah")
    expect(page.locator("tr.cell-ok")).to_have_count(3)
    shot("pratinjau")

    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("p.message")).to_contain_text(
        "Impor Excel realisasi-bkpsdm-sumenep-2024-tw2.xlsx: 3 nilai diubah"
    )
    first = page.locator('input.cell[data-col="k"]').nth(0)
    expect(first).to_have_value("20")
    expect(page.locator('input.cell[data-col="rp"]').nth(1)).to_have_value("1.905.955.200")
    shot("diterapkan")
