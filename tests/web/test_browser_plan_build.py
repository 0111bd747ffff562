"""A new agency starts with the planning screens only (issue 15), in a real browser against a
real `kinerja serve` (test_browser_workflow.py's fixtures, its own SQLite database) with a
`kinerja worker` beside it (report_worker.py: a download is made on the task queue).

The test adds an agency of the demo's pemda and its operator. The operator finds Renja 2025
empty, builds it — 1 program, 2 kegiatan, 3 sub kegiatan with targets and pagu — with the
tree editor (watching the planning rules' warnings change as she types, and the keyboard
focus come back to the row she saved), and types a sub kegiatan's rencana aksi and cash plan
per triwulan in its form with the keyboard (Σ of the cash plan against the pagu shown as she
types); the test then opens TW I 2025's reporting period; she
enters TW I in the grid and downloads the evaluation form as XLSX. No admin page is ever
requested. Screenshots of the tree at desktop width and on a 390 px phone land in
``tmp_path`` (kept by pytest after a failure).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from openpyxl import load_workbook
from playwright import sync_api

from .report_worker import report_worker  # noqa: F401 - fixture
from .test_browser_workflow import _kinerja, _server_env, live_server_url, page  # noqa: F401

SLUG, YEAR = "dinas-arsip", 2025
RENJA = f"/rencana/{SLUG}/{YEAR}/renja/"
ADD_AGENCY = f"""
from django.contrib.auth import get_user_model
from kinerja.accounts.models import Profile, Role
from kinerja.planning.models import Agency
seed = Agency.objects.get(slug='bkpsdm-sumenep')
new = Agency.objects.create(government=seed.government, name='Dinas Perpustakaan dan Kearsipan',
                            abbreviation='DISPUSIP', slug='{SLUG}')
u = get_user_model().objects.create_user('rina', password='demo', first_name='Rina',
                                         last_name='Wulandari')
Profile.objects.create(user=u, role=Role.OPERATOR, government=seed.government, agency=new)
"""
OPEN_TW1 = f"""
import datetime
from kinerja.monitoring.models import ReportingPeriod
from kinerja.planning.models import Agency
today = datetime.date.today()
ReportingPeriod.objects.update_or_create(
    government=Agency.objects.get(slug='{SLUG}').government, year={YEAR}, quarter=1,
    defaults=dict(opens_on=today - datetime.timedelta(days=1),
                  closes_on=today + datetime.timedelta(days=30)))
"""
# (code as typed, name, indicator, unit, target K, pagu) under each parent
PROGRAM = ("2.24.02", "Program Pengelolaan Arsip", "Persentase arsip tertata", "%", "100",
           "300.000.000")  # fmt: skip
KEGIATAN = [
    ("2.24.02.2.01", "Pengelolaan Arsip Dinamis", "Arsip dinamis tertata", "Dokumen", "4",
     "100.000.000"),
    ("2.24.02.2.02", "Pengelolaan Arsip Statis", "Arsip statis terselamatkan", "Dokumen", "2",
     "200.000.000"),
]  # fmt: skip
SUB = [
    [("2.24.02.2.01.01", "Pengelolaan Arsip Aktif", "Arsip aktif tertata", "Dokumen", "4",
      "100.000.000")],
    [("2.24.02.2.02.0001", "Penyelamatan Arsip Daerah", "Arsip terselamatkan", "Berkas", "1,5",
      "150.000.000"),
     ("2.24.02.2.02.0002", "Autentikasi Arsip Statis", "Arsip terautentikasi", "Berkas", "1",
      "50.000.000")],
]  # fmt: skip


def _shell(code: str, tmp_path: Path) -> None:
    done = subprocess.run([*_kinerja(), "manage", "shell", "-c", code], cwd=tmp_path,
                          env=_server_env(tmp_path), capture_output=True, text=True,
                          timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_a_new_agency_builds_its_year_and_reports_tw1_without_the_admin(page, report_worker,  # noqa: F811
                                                                        tmp_path: Path) -> None:  # fmt: skip
    expect = sync_api.expect
    _shell(ADD_AGENCY, tmp_path)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    shots = iter(range(1, 100))

    def shot(name: str) -> Path:
        path = tmp_path / f"{next(shots):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    page.goto("/masuk/")
    page.fill("input[name=username]", "rina")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()

    # Renja 2025 is empty, but no longer a dead end
    page.goto(RENJA)
    expect(page.get_by_text(f"Belum ada Renja untuk tahun {YEAR}.")).to_be_visible()
    page.get_by_role("link", name="Tambah program").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Tambah program")

    def fill(row: tuple[str, ...], *, submit: bool = True) -> int:
        code, name, indicator, unit, target, pagu = row
        page.get_by_label("Kode Kepmendagri 90").fill(code)
        page.get_by_label("Nama", exact=True).fill(name)
        page.get_by_label("Indikator", exact=True).fill(indicator)
        page.get_by_label("Satuan target").fill(unit)
        page.get_by_label("Target K", exact=True).fill(target)
        page.get_by_label("Pagu murni (Rp)").fill(pagu)
        if not submit:
            return 0
        page.get_by_label("Pagu murni (Rp)").press("Enter")  # the keyboard submits the form
        expect(page.locator("p.message.success")).to_contain_text("ditambahkan")
        pk = int(re.search(r"#item-(\d+)$", page.url)[1])
        # focus is back on the saved row's "Ubah" link
        expect(page.locator(f"#item-{pk} a.edit")).to_be_focused()
        return pk

    program = fill(PROGRAM)
    expect(page.locator(f"#item-{program}")).to_contain_text("Program Pengelolaan Arsip")
    kegiatan = []
    for k, row in enumerate(KEGIATAN):
        page.locator(f"#item-{program}").get_by_role("link", name="+ Kegiatan").click()
        expect(page.get_by_role("heading", level=2)).to_contain_text("Tambah kegiatan")
        kegiatan.append(fill(row))
        if k == 0:  # the program's 300.000.000 against Σ 100.000.000 of one kegiatan
            expect(page.locator(f"#item-{program} td.rules")).to_contain_text(
                "berbeda dengan jumlah pagu rinciannya 100.000.000 (selisih 200.000.000)"
            )
    subs = []
    for parent, rows in zip(kegiatan, SUB, strict=True):
        for n, row in enumerate(rows):
            page.locator(f"#item-{parent}").get_by_role("link", name="+ Sub kegiatan").click()
            if parent == kegiatan[1] and n == 0:
                # the rules as she types: a code of the other kegiatan, then the right one
                fill(("2.24.02.2.01.0003", *row[1:]), submit=False)
                warnings = page.locator("#rule-warnings")
                expect(warnings).to_contain_text(
                    "Kode «2.24.02.2.01.0003» tidak diawali kode induknya «2.24.02.2.02»."
                )
                expect(warnings).to_contain_text("Pagu induknya 2.24.02.2.02 200.000.000, "
                                                 "jumlah rinciannya dengan isian ini "
                                                 "150.000.000.")  # fmt: skip
                page.get_by_label("Pagu murni (Rp)").fill("1,905,955,200")
                expect(page.locator('span.live[data-for="budget"]')).to_contain_text(
                    "memakai format angka Inggris"
                )
                page.get_by_label("Kode Kepmendagri 90").fill(row[0])
                page.get_by_label("Target K", exact=True).fill("")
                expect(warnings).not_to_contain_text("tidak diawali")
                expect(warnings).to_contain_text("Target K belum diisi.")
                shot("peringatan-saat-mengetik")
            subs.append(fill(row))
    # every sub kegiatan code stored in the 4-digit form; Σ children equal: no warning left
    tree = page.locator("table.renja-tree tbody tr")
    expect(tree).to_have_count(6)
    expect(tree.locator("td.code")).to_have_text(
        ["2.24.02", "2.24.02.2.01", "2.24.02.2.01.0001", "2.24.02.2.02", "2.24.02.2.02.0001",
         "2.24.02.2.02.0002"])  # fmt: skip
    expect(page.locator("td.rules li")).to_have_count(0)
    expect(page.locator(f"#item-{kegiatan[1]}")).to_contain_text("Σ rincian 200.000.000")
    expect(page.locator(f"#item-{subs[1]}")).to_contain_text("1,5")

    # the rencana aksi and cash plan of «Penyelamatan Arsip Daerah» (pagu 150.000.000), typed
    # in its form with the keyboard: Tab from TW I's target through the four quarters
    page.locator(f"#item-{subs[1]} a.edit").click()
    expect(page.get_by_role("group", name="Rencana aksi dan rencana anggaran kas per triwulan")
           ).to_be_visible()  # fmt: skip
    page.get_by_label("Target TW I", exact=True).focus()
    for value in ("0,25", "30.000.000", "0,5", "40.000.000", "0,5", "40.000.000", "0,25",
                  "30.000.000"):  # fmt: skip
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    expect(page.locator("#cash-sum")).to_have_text("140.000.000")
    warnings = page.locator("#rule-warnings")
    expect(warnings).to_contain_text("Jumlah rencana anggaran kas Triwulan I–IV 140.000.000 berbeda "
                                     "dengan pagu 150.000.000 (selisih 10.000.000).")  # fmt: skip
    page.set_viewport_size({"width": 1366, "height": 900})
    shot("rencana-kas-1366px")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("rencana-kas-390px")
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.get_by_label("Rencana kas TW IV (Rp)").fill("40.000.000")
    expect(page.locator("#cash-sum")).to_have_text("150.000.000")
    expect(warnings).not_to_contain_text("rencana anggaran kas")
    page.get_by_label("Rencana kas TW IV (Rp)").press("Enter")
    expect(page.locator("p.message.success")).to_contain_text("disimpan")
    row = page.locator(f"#item-{subs[1]}")
    expect(row.locator("ul.tw li")).to_have_text(
        ["TW I 0,25 · 30.000.000", "TW II 0,5 · 40.000.000", "TW III 0,5 · 40.000.000",
         "TW IV 0,25 · 40.000.000", "Σ kas 150.000.000"])  # fmt: skip
    expect(page.locator("td.rules li")).to_have_count(0)
    page.goto(RENJA)  # stored: the Renja page reads the same rencana aksi
    expect(page.locator(f"#item-{subs[1]}")).to_contain_text("Rp 40.000.000")

    # keyboard: from the focused row, Tab reaches ↑ and Enter moves the sub kegiatan up; it is
    # then first, so ↑ is disabled and the focus is on ↓, and Enter moves it back
    page.goto(RENJA)
    page.get_by_role("link", name=re.compile("^Susun Renja")).click()
    expect(page).to_have_url(re.compile(r"/renja/susun/$"))  # that page loaded before the next
    page.goto(RENJA)  # the row's address opened from another page: a whole page load
    page.goto(f"{RENJA}susun/#item-{subs[2]}")
    page.wait_for_load_state("load")
    expect(page.locator(f"#item-{subs[2]} a.edit")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(f"#up-{subs[2]}")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"#up-{subs[2]}")).to_be_disabled()
    expect(page.locator(f"#down-{subs[2]}")).to_be_focused()
    expect(tree.locator("td.code")).to_have_text(
        ["2.24.02", "2.24.02.2.01", "2.24.02.2.01.0001", "2.24.02.2.02", "2.24.02.2.02.0002",
         "2.24.02.2.02.0001"])  # fmt: skip
    page.keyboard.press("Enter")
    expect(tree.locator("td.code").nth(5)).to_have_text("2.24.02.2.02.0002")
    expect(page.locator(f"#up-{subs[2]}")).to_be_focused()

    # the tree editor as a careful user sees it, on a desktop and on a phone
    page.goto(f"{RENJA}susun/")
    shot("susunan-renja-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot("susunan-renja-390px")
    page.set_viewport_size({"width": 1280, "height": 1000})

    # the program's second indicator (issue 15): + Indikator, its own unit and target; the
    # form asks no code, name or pagu (they are the program's)
    page.goto(f"{RENJA}susun/")
    page.locator(f"#item-{program}").get_by_role(
        "link", name=re.compile("^Tambah indikator")
    ).click()
    expect(page.get_by_label("Pagu murni (Rp)")).to_have_count(0)
    expect(page.get_by_label("Kode Kepmendagri 90")).to_have_count(0)
    page.get_by_label("Indikator", exact=True).fill("Indeks pengelolaan arsip")
    page.get_by_label("Satuan target").fill("Indeks")
    page.get_by_label("Target K", exact=True).fill("70")
    page.get_by_role("button", name="Tambahkan").click()
    expect(page.locator("p.message.success")).to_contain_text("Indeks pengelolaan arsip")
    expect(tree).to_have_count(7)
    expect(tree.nth(1)).to_contain_text("Indikator tambahan Indeks pengelolaan arsip")

    # the test opens TW I 2025; Rina enters it in the grid: the further indicator takes K only
    _shell(OPEN_TW1, tmp_path)
    page.goto(f"/isi/{SLUG}/{YEAR}/tw1/")
    k_cells = page.locator('input.cell[data-col="k"]')
    rp_cells = page.locator('input.cell[data-col="rp"]')
    expect(k_cells).to_have_count(7)
    expect(rp_cells).to_have_count(6)
    for n, k in enumerate(["25", "35", "1", "1", "1", "0,5", "0,25"]):
        k_cells.nth(n).fill(k)
    for n, rp in enumerate(["60.000.000", "20.000.000", "20.000.000", "40.000.000",
                            "30.000.000", "10.000.000"]):  # fmt: skip
        rp_cells.nth(n).fill(rp)
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("p.message")).to_contain_text("13 nilai diubah:")
    page.reload()
    expect(rp_cells.nth(4)).to_have_value("30.000.000")

    # and downloads TW I's evaluation form
    page.goto(f"/pd/{SLUG}/{YEAR}/tw1/laporan/")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("link", name="Unduh Formulir evaluasi Renja sebagai Excel (XLSX)").click()
    download = info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.suffix == ".xlsx"
    cells = [str(c) for ws in load_workbook(saved, read_only=True).worksheets
             for row in ws.iter_rows(values_only=True) for c in row if c is not None]  # fmt: skip
    text = "\n".join(cells)
    for name in ("Program Pengelolaan Arsip", "Penyelamatan Arsip Daerah",
                 "Autentikasi Arsip Statis", "Indeks pengelolaan arsip"):  # fmt: skip
        assert name in text
    assert any("2.24.02.2.02.0001" in c or "0001" in c for c in cells)

    # only the planning, entry and report screens: never the Django admin
    assert requested and not [u for u in requested if "/admin/" in u]
    paths = {re.sub(r"^https?://[^/]+", "", u).split("?")[0] for u in requested}
    assert {f"{RENJA}susun/tambah/", f"{RENJA}susun/", f"/isi/{SLUG}/{YEAR}/tw1/"} <= paths
