"""Checks before each step and the IKU page, in a real browser (issue 17), against `kinerja
serve` on its own demo SQLite file (test_browser_workflow.py's fixtures).

- *Ajukan* opens a confirmation that shows 50 of the 61 rows empty, the IKU and narratives not
  entered and the Lembar Pemeriksaan; only its button submits.
- *Verifikasi* asks again; *Sahkan* with the seed's two blocking findings is not sent without a
  reason, and is with one.
- The IKU page: four values typed, one *Simpan*, all four kept; leaving with a change not saved
  asks first, on the grid too.

Screenshots at 1366 and 390 px land in ``tmp_path``."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from .test_browser_workflow import (  # noqa: F401 - live_server_url is a fixture
    STEP_TIMEOUT,
    Contexts,
    _kinerja,
    _server_env,
    live_server_url,
)

QUARTER_PATH = "/pd/bkpsdm-sumenep/2024/tw2/"
IKU_PATH = "/isi/bkpsdm-sumenep/2024/tw2/iku/"
GRID_PATH = "/isi/bkpsdm-sumenep/2024/tw2/"
OVERRIDE = "Selisih Rp induk dan rinciannya berasal dari laporan tercetak."
# 11 of the 61 Renja rows of TW II 2024 get a K (the demo has none): 50 stay empty
FILL_11 = (
    "from kinerja.monitoring.models import Realisation\n"
    "from kinerja.planning.models import WorkItem\n"
    "items = WorkItem.objects.filter(agency__slug='bkpsdm-sumenep', year=2024)"
    ".order_by('position')[:11]\n"
    "Realisation.objects.bulk_create(Realisation(work_item=i, quarter=2, value_k=1)"
    " for i in items)\n"
)
expect = sync_api.expect


@pytest.fixture
def browser(live_server_url: str, tmp_path: Path, chromium) -> Iterator[object]:  # noqa: F811
    done = subprocess.run([*_kinerja(), "manage", "shell", "-c", FILL_11], cwd=tmp_path,
                          env=_server_env(tmp_path), capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    contexts = Contexts(chromium)  # the session's browser; this test's contexts closed after
    try:
        yield contexts
    finally:
        contexts.close()


def _page(browser, base_url: str, username: str, width: int = 1366):
    context = browser.new_context(base_url=base_url, locale="id-ID",
                                  viewport={"width": width, "height": 900})  # fmt: skip
    context.set_default_timeout(STEP_TIMEOUT)
    page = context.new_page()
    page.goto("/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    return page


def _shots(page, path: str, tmp_path: Path, name: str) -> None:
    """The page at 1366 and at 390 px (full page), and no wider than a 390 px screen."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(path)
        page.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        if width == 390:
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1366, "height": 900})


def test_each_step_is_confirmed_with_the_completeness_and_the_checklist(
    browser,
    live_server_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    status = "strong.status"
    # Ajukan: the confirmation shows 50 of 61 rows empty and the checklist; nothing moves yet
    page = _page(browser, live_server_url, "operator")
    page.goto(QUARTER_PATH)
    page.get_by_role("link", name="Ajukan ke verifikator", exact=True).click()
    expect(page).to_have_url(f"{live_server_url}{QUARTER_PATH}ajukan/periksa/")
    expect(page.locator("#kelengkapan-baris")).to_contain_text("50 dari 61 baris belum diisi")
    expect(page.locator("#kelengkapan-iku")).to_contain_text(
        "Realisasi IKU belum diisi: 4 dari 4 indikator"
    )
    expect(page.locator("#kelengkapan-narasi")).to_contain_text("Narasi belum ada")
    expect(page.locator("#lembar-pemeriksaan")).to_contain_text("2 menghambat pengesahan")
    expect(page.locator("#lembar-pemeriksaan tbody tr")).to_have_count(22)
    expect(page.locator(status)).to_have_text("Draf")
    _shots(page, f"{QUARTER_PATH}ajukan/periksa/", tmp_path, "ajukan")
    page.get_by_role("link", name="Batal, kembali ke halaman triwulan").click()
    expect(page.locator(status)).to_have_text("Draf")  # cancelled: still a draft
    page.get_by_role("link", name="Ajukan ke verifikator", exact=True).click()
    page.get_by_role("button", name="Ya, ajukan ke verifikator").click()
    expect(page.locator("p.message")).to_contain_text("Triwulan diajukan.")
    expect(page.locator(status)).to_have_text("Diajukan")
    page.context.close()

    # Verifikasi: asked again
    page = _page(browser, live_server_url, "verifikator")
    page.goto(QUARTER_PATH)
    page.get_by_role("link", name="Verifikasi", exact=True).click()
    expect(page.locator("#kelengkapan-baris")).to_contain_text("50 dari 61 baris belum diisi")
    page.get_by_role("button", name="Ya, verifikasi").click()
    expect(page.locator(status)).to_have_text("Diverifikasi")
    page.context.close()

    # Sahkan: two findings block it; without a reason the form is not sent, with one it is
    page = _page(browser, live_server_url, "pimpinan")
    page.goto(QUARTER_PATH)
    page.get_by_role("link", name="Sahkan", exact=True).click()
    expect(page.get_by_label("Alasan mengesahkan dengan 2 temuan yang menghambat pengesahan")
           ).to_be_visible()  # fmt: skip
    _shots(page, f"{QUARTER_PATH}sahkan/periksa/", tmp_path, "sahkan")
    page.get_by_role("button", name="Ya, sahkan").click()
    expect(page).to_have_url(f"{live_server_url}{QUARTER_PATH}sahkan/periksa/")
    assert page.evaluate("document.querySelector('#approve-reason').validity.valueMissing")
    expect(page.locator(status)).to_have_text("Diverifikasi")
    page.fill("#approve-reason", OVERRIDE)
    page.get_by_role("button", name="Ya, sahkan").click()
    expect(page.locator("p.message")).to_contain_text("Triwulan disahkan.")
    expect(page.locator(status)).to_have_text("Disahkan")
    expect(page.locator(".timeline")).to_contain_text(f"alasan: {OVERRIDE}")
    page.context.close()


def test_the_iku_page_keeps_all_four_values_after_one_save(
    browser,
    live_server_url: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = _page(browser, live_server_url, "operator")
    page.goto(IKU_PATH)
    values = {"Indeks Profesionalitas ASN": "61,5", "Indeks Penilaian Sistem Merit": "0,25",
              "Nilai SAKIP Perangkat Daerah": "66,5",
              "Persentase Capaian Kinerja Perangkat Daerah": "80"}  # fmt: skip
    rows = page.locator("table.figures tbody tr")
    expect(rows).to_have_count(4)
    for name, value in values.items():
        row = rows.filter(has=page.get_by_role("rowheader", name=name))
        field = row.get_by_label("Realisasi", exact=True)
        expect(field).to_be_visible()  # a visible label on every input
        field.press_sequentially(value)
    for label in ("Tanggal pengukuran", "Sumber data", "Keterangan"):
        expect(page.get_by_label(label, exact=True)).to_have_count(4)

    # leaving with unsaved changes asks first; staying keeps what was typed
    asked = []

    def stay(dialog) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Halaman triwulan").click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload"]
    expect(page).to_have_url(f"{live_server_url}{IKU_PATH}")
    page.screenshot(path=str(tmp_path / "iku-typed-1366.png"), full_page=True)

    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator("p.message")).to_contain_text("Realisasi IKU disimpan:")
    assert asked == ["beforeunload"]  # saving is not leaving
    for name, value in values.items():
        row = rows.filter(has=page.get_by_role("rowheader", name=name))
        expect(row.get_by_label("Realisasi", exact=True)).to_have_value(value)
    _shots(page, IKU_PATH, tmp_path, "iku")
    page.get_by_role("link", name="Halaman triwulan").click()  # nothing unsaved: no question
    expect(page.locator(".timeline h2")).to_have_text("Riwayat pengajuan")
    assert asked == ["beforeunload"]

    # the grid asks too, once a value is typed
    page.goto(GRID_PATH)
    page.locator("#grid-form input[name^='k-']").first.press_sequentially("1")
    page.get_by_role("link", name="halaman triwulan").first.click()
    page.wait_for_timeout(300)
    assert asked == ["beforeunload", "beforeunload"]
    expect(page).to_have_url(f"{live_server_url}{GRID_PATH}")
