"""The reports page in a real browser, against a real `kinerja serve` and `kinerja worker` (the
server and browser fixtures of test_browser_workflow.py): the pimpinan downloads the quarterly
report of TW I 2024 as DOCX, PDF and XLSX — each link opens its job's page, which refreshes
itself until the worker has made the file, then the download starts by itself — and each file
holds the core's figures. The screenshots land in ``tmp_path`` (kept by pytest after a
failure)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import openpyxl
from docx import Document
from playwright import sync_api

from .report_worker import report_worker  # noqa: F401 - fixture
from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures

REPORTS_PATH = "/pd/bkpsdm-sumenep/2024/tw1/laporan/"


def _cells(path: Path) -> list[str]:
    document = Document(str(path))
    return [cell.text.strip() for table in document.tables for row in table.rows
            for cell in row.cells]  # fmt: skip


def _sheet_values(path: Path, sheet: str) -> list[object]:
    book = openpyxl.load_workbook(path, data_only=True)
    return [v for row in book[sheet].iter_rows(values_only=True) for v in row]


def test_pimpinan_downloads_the_quarterly_report(page, report_worker,  # noqa: F811
                                                 tmp_path: Path) -> None:  # fmt: skip
    expect = sync_api.expect
    page.goto("/masuk/")
    page.fill("input[name=username]", "pimpinan")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    saved = {}
    for label, fmt in (("Word", "docx"), ("PDF", "pdf"), ("Excel", "xlsx")):
        page.goto(REPORTS_PATH)
        expect(page.get_by_role("heading", level=1)).to_contain_text("Laporan")
        link = page.get_by_role(
            "link", name=f"Unduh Laporan kinerja triwulan sebagai {label} ({fmt.upper()})"
        )
        with page.expect_download(timeout=60_000) as info:
            link.click()
            expect(page).to_have_url(re.compile(r"/laporan/antrean/[0-9]+/$"))  # the job's page
            if fmt == "docx":
                page.screenshot(path=str(tmp_path / "job.png"), full_page=True)
        download = info.value
        assert download.suggested_filename == f"laporan-kinerja-bkpsdm-2024-tw1.{fmt}"
        # the job's page says the file is ready and links it
        expect(page.locator("section.report-job")).to_have_attribute("data-state", "selesai")
        expect(
            page.get_by_role("link", name=f"Unduh {download.suggested_filename}")
        ).to_be_visible()
        saved[fmt] = tmp_path / download.suggested_filename
        download.save_as(saved[fmt])

    assert "40,64" in _cells(saved["docx"])
    text = subprocess.run(["pdftotext", "-layout", str(saved["pdf"]), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout  # fmt: skip
    assert "19,55" in text
    # the workbook walks the document model: Tabel 3.2's cells as printed, on "Laporan"
    assert "40,64" in _sheet_values(saved["xlsx"], "Laporan")

    page.goto(REPORTS_PATH)  # the three files are now in the list, newest first
    rows = page.locator("section.generated tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("XLSX")
    expect(rows.nth(2)).to_contain_text("DOCX")
    shot = tmp_path / "reports.png"
    page.screenshot(path=str(shot), full_page=True)
