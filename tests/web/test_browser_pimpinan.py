"""A head of agency (pimpinan) walks the app in a real browser, against a real `kinerja serve`
(the server and browser fixtures of test_browser_workflow.py), by clicking as a person would:

start page → the agency's quarter (TW I 2024) → its dashboard: the IKU cards and the average
capaian 19,55 %; "Mengapa angka ini?" opens the formula with the numbers the core used, and the
figure's tooltip says the same → the pemda overview: the same 19,55 % and predikat for the agency,
sorting by capaian, the predikat distribution → the agency's quarter → its reports page, whose
quarterly report links are plain GET downloads (the downloads themselves are
test_browser_downloads.py's job).

Full-page screenshots of the dashboard, the opened explanation and the overview land in
``tmp_path`` (kept by pytest after a failure).
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from playwright import sync_api

from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures

AGENCY = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sumenep"
QUARTER_PATH = "/pd/bkpsdm-sumenep/2024/tw1/"
OVERVIEW_PATH = "/pemda/2024/tw1/"
# the seed's TW I 2024 figures, as the core computes and explains them (tests/test_cli.py,
# tests/web/test_overview.py)
PROGRAM_CAPAIAN = ["15,00 %", "21,43 %", "22,22 %"]
AVERAGE = "19,55 %"
AVERAGE_WHY = (
    "rata-rata kolom 14 baris program: (15,00 + 21,43 + 22,22) / 3 = 19,55 %; "
    "predikat Sangat Rendah (aturan program_mean)"
)
PROGRAM_WHY = (
    "kolom 14 K: capaian = 15 / 70 × 100 = 21,43 % (polaritas: makin tinggi makin baik) "
    "(kolom 13 terhadap target kolom 8) [aturan DESIGN §3 v1]"
)
IKU_WHY = "capaian = 59 / 84 × 100 = 70,24 % (polaritas: makin tinggi makin baik)"


def _percent(shown: str) -> Decimal:
    """A shown percentage as a number: "80,70 %" → 80.70 (Indonesian format, checked)."""
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{2} %", shown), shown
    return Decimal(shown.removesuffix(" %").replace(".", "").replace(",", "."))


def test_pimpinan_walks_dashboard_overview_and_reports(page, tmp_path: Path) -> None:  # noqa: F811
    expect = sync_api.expect

    def screenshot(name: str) -> None:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)

    # log in; the start page lists the agency with its latest quarter and its figures
    page.goto("/masuk/")
    page.fill("input[name=username]", "pimpinan")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/$"))
    home = page.locator("section.agency").filter(
        has=page.get_by_role("link", name=AGENCY, exact=True)
    )
    expect(home).to_contain_text("Triwulan I 2024 — status: Disahkan")
    expect(home.locator("tfoot")).to_contain_text(AVERAGE)

    # 1. start page → quarter page → dashboard, by links
    home.get_by_role("link", name=AGENCY, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(QUARTER_PATH) + "$"))
    expect(page.locator("p.state")).to_contain_text("Triwulan I 2024")
    page.locator("nav.quarter-links").get_by_role("link", name="Dasbor", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(QUARTER_PATH + "dasbor/") + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Dasbor {AGENCY}")
    expect(page.locator("p.state").first).to_have_text("Triwulan I 2024")

    cards = page.locator("article.dash-card")
    expect(cards).to_have_count(4)
    iku1, iku4 = cards.nth(0), cards.nth(3)
    expect(iku1.get_by_role("heading")).to_have_text("1. Indeks Profesionalitas ASN")
    expect(iku1.locator(".big")).to_have_text(re.compile(r"^\s*70,24 %\s+Sedang\s*$"))
    expect(iku1.locator("dd")).to_have_text(
        ["84 Nilai", "59 Nilai", "70,24 % — predikat Sedang", re.compile(r"^Sangat Rendah ")]
    )
    expect(iku4.get_by_role("heading")).to_have_text(
        "4. Persentase Capaian Kinerja Perangkat Daerah"
    )
    expect(iku4.locator(".big")).to_have_text(re.compile(r"^\s*18,75 %\s+Sangat Rendah\s*$"))
    expect(iku4.locator("dd").nth(0)).to_have_text("96 %")
    expect(iku4.locator("dd").nth(1)).to_have_text("18 %")
    derived = iku4.locator("dd").nth(4)  # its explanation opens from the figure (closed: unread)
    expect(derived).to_have_text(
        re.compile(r"^19,55 %\s+\(rata-rata kolom 14"), use_inner_text=True
    )
    derived.locator("summary").press("Enter")  # by keyboard too
    expect(derived.locator(".why-text")).to_contain_text("(15,00 + 21,43 + 22,22) / 3")
    for empty in (cards.nth(1), cards.nth(2)):  # no realisation yet: said so, not 0 %
        expect(empty.locator(".big")).to_have_text("Belum dilaporkan s.d. Triwulan I")

    programs = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile(r"^Capaian kinerja program dan kegiatan"))
    )
    average = programs.locator("p").filter(has_text="Rata-rata capaian kinerja:")
    expect(average.locator("strong")).to_have_text(AVERAGE)
    expect(average.locator(".rating")).to_have_text("Sangat Rendah")
    program_table = page.get_by_role("table", name="Program", exact=True)
    program_rows = program_table.locator("tbody tr")
    expect(program_rows.locator("td:first-child")).to_have_text(["5.03.01", "5.03.02", "5.04.02"])
    expect(program_rows.locator(".barval")).to_have_text(PROGRAM_CAPAIAN)
    screenshot("dashboard")

    # 2. why is the average 19,55 %? The explanation is hidden until asked for, then shows the
    # formula over the program rows' capaian above; the figure's tooltip says the same.
    why = programs.locator("details.explain").first
    why_text = why.locator("p")
    expect(why_text).to_be_hidden()
    why.get_by_text("Mengapa angka ini?", exact=True).click()
    expect(why).to_have_attribute("open", "")
    expect(why_text).to_be_visible()
    expect(why_text).to_have_text(AVERAGE_WHY)
    operands = " + ".join(v.removesuffix(" %") for v in PROGRAM_CAPAIAN)
    expect(why_text).to_contain_text(f"({operands}) / {len(PROGRAM_CAPAIAN)} = {AVERAGE}")
    expect(average.locator("strong")).to_have_attribute("title", AVERAGE_WHY)

    # a program row: its capaian's operands are the row's own realisation and target
    kepegawaian = program_rows.filter(has_text="5.03.02")
    expect(kepegawaian.locator("td").nth(2)).to_have_text("70 %")
    expect(kepegawaian.locator("td").nth(3)).to_have_text("15 %")
    row_why = kepegawaian.locator("details.explain")
    expect(row_why).not_to_contain_text("15 / 70", use_inner_text=True)  # closed: not rendered
    row_why.get_by_text("Mengapa?", exact=True).click()
    expect(row_why).to_have_attribute("open", "")
    expect(row_why).to_have_text(re.compile(r"^\s*Mengapa\?\s*" + re.escape(PROGRAM_WHY) + r"\s*$"))
    expect(row_why).to_contain_text("15 / 70 × 100 = 21,43 %", use_inner_text=True)
    expect(kepegawaian.locator(".barval")).to_have_attribute("title", PROGRAM_WHY)

    # an IKU card: target and realisation of the card are the operands
    iku_why = iku1.locator("details.explain")
    expect(iku_why.locator("p").first).to_be_hidden()
    iku_why.get_by_text("Mengapa angka ini?", exact=True).click()
    expect(iku_why.locator("p").first).to_be_visible()
    expect(iku_why.locator("p").first).to_have_text(IKU_WHY)
    expect(iku1.locator(".big .why")).to_have_attribute("title", IKU_WHY)
    why_text.scroll_into_view_if_needed()
    screenshot("explanation")

    # 3. the pemda overview: the menu's entry follows the quarter being viewed (TW I 2024)
    page.get_by_role("navigation").first.get_by_role("link", name="Ikhtisar pemda").click()
    expect(page).to_have_url(re.compile(re.escape(OVERVIEW_PATH) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Ikhtisar pemda — capaian perangkat daerah Triwulan I 2024"
    )
    table = page.locator("table.overview")
    headers = table.locator("thead th")
    expect(headers.first).to_have_attribute("aria-sort", "ascending")  # by rank
    labels = [t.strip() for t in headers.all_inner_texts()]
    col = {
        name: next(i for i, label in enumerate(labels) if label.startswith(name))
        for name in ("Peringkat", "Perangkat daerah", "Status", "Rata-rata capaian K", "Predikat")
    }
    rows = table.locator("tbody tr")
    expect(rows).not_to_have_count(0)
    count = rows.count()
    ours = rows.filter(has=page.get_by_role("link", name=AGENCY, exact=True))
    expect(ours).to_have_count(1)
    cells = ours.locator("td")
    average = cells.nth(col["Rata-rata capaian K"])
    expect(average.locator("summary")).to_have_text(AVERAGE)  # as on the dashboard
    expect(average.locator(".why-text")).to_be_hidden()
    average.locator("summary").click()  # the explanation opens on click, not hover only
    expect(average.locator(".why-text")).to_have_text(AVERAGE_WHY)
    expect(cells.nth(col["Predikat"])).to_have_text("Sangat Rendah")
    expect(cells.nth(col["Status"])).to_have_text("Disahkan")

    def column(name: str) -> list[str]:
        return [t.strip() for t in rows.locator(f"td:nth-child({col[name] + 1})").all_inner_texts()]

    # the predikat distribution counts every agency once
    distribution = page.locator("table.distribution tbody tr")
    expect(distribution.first).to_be_visible()
    counts = {
        label.strip(): int(n)
        for label, n in zip(
            distribution.locator("td:first-child").all_inner_texts(),
            distribution.locator("td.num").all_inner_texts(),
            strict=True,
        )
    }
    assert sum(counts.values()) == count, counts
    assert counts["Sangat Rendah"] == column("Predikat").count("Sangat Rendah") >= 1
    screenshot("overview")

    # sort by capaian: the first click puts the best first, the second the weakest first; the
    # ranks follow capaian, so they read 1, 2, … and then …, 2, 1
    capaian_header = headers.nth(col["Rata-rata capaian K"])
    ranks = [f"{n}." for n in range(1, count + 1)]
    capaian_header.get_by_role("link").click()
    expect(capaian_header).to_have_attribute("aria-sort", "descending")
    expect(page).to_have_url(re.compile(r"urut=capaian&arah=desc$"))
    shown = [_percent(v) for v in column("Rata-rata capaian K")]
    assert shown == sorted(shown, reverse=True), shown
    expect(rows.locator(f"td:nth-child({col['Peringkat'] + 1})")).to_have_text(ranks)
    capaian_header.get_by_role("link").click()
    expect(capaian_header).to_have_attribute("aria-sort", "ascending")
    expect(page).to_have_url(re.compile(r"urut=capaian&arah=asc$"))
    shown = [_percent(v) for v in column("Rata-rata capaian K")]
    assert shown == sorted(shown), shown
    expect(rows.locator(f"td:nth-child({col['Peringkat'] + 1})")).to_have_text(ranks[::-1])
    expect(rows.first.locator("td").nth(col["Perangkat daerah"])).to_have_text(AGENCY)
    expect(
        rows.first.locator("td").nth(col["Rata-rata capaian K"]).locator("summary")
    ).to_have_text(AVERAGE)
    expect(rows.first.locator("td").nth(col["Peringkat"])).to_have_text(f"{count}.")

    # 4. overview → the agency's quarter → its reports page; the quarterly report's three
    # formats are plain links (GET), not forms
    rows.first.get_by_role("link", name=AGENCY, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(QUARTER_PATH) + "$"))
    page.locator("nav.quarter-links").get_by_role("link", name="Laporan", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(QUARTER_PATH + "laporan/") + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Laporan — {AGENCY}")
    for label, fmt in (("Word", "docx"), ("PDF", "pdf"), ("Excel", "xlsx")):
        link = page.get_by_role(
            "link", name=f"Unduh Laporan kinerja triwulan sebagai {label} ({fmt.upper()})"
        )
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", f"{QUARTER_PATH}laporan/laporan.{fmt}")
        assert link.evaluate("a => a.closest('form') === null && a.tagName === 'A'")
