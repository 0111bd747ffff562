"""The dashboard charts (web/dashboard_charts.py, static/kinerja/charts.js over the vendored
Chartist): the JSON the page embeds holds the seed's figures as the core formats them, the
vendored library and its licence ship with the package, and in a real browser the charts are
SVG with every value written on them. The screenshots land in ``tmp_path``."""

from __future__ import annotations

import json
import re
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from playwright import sync_api

from kinerja.web.dashboard_charts import chart_data

from .test_browser_workflow import live_server_url, page  # noqa: F401 - fixtures

VENDOR = "kinerja/vendor/chartist/"
DASHBOARD_PATH = "/pd/bkpsdm-sumenep/2024/tw2/dasbor/"
PLAN = "Rp 3.551.016.300"
REALISED = "Rp 1.443.040.145 (40,64 %)"


def _embedded(html: str) -> dict:
    match = re.search(r'<script id="kinerja-charts" type="application/json">(.*?)</script>', html)
    assert match, "no chart data in the page"
    return json.loads(match.group(1))


# The value labels of a chart that stick out of its SVG, or overlap or touch (closer than 2 px)
# another value label.
MISPLACED_LABELS = """chart => {
  const svg = chart.querySelector(".kin-plot > svg");
  const box = svg.getBoundingClientRect();
  const labels = Array.from(svg.querySelectorAll("text.kin-value"), t => [t.textContent,
    t.getBoundingClientRect()]);
  const out = labels.filter(([, r]) => r.left < box.left || r.right > box.right ||
    r.top < box.top || r.bottom > box.bottom).map(([text]) => "outside: " + text);
  labels.forEach(([a, r], i) => labels.slice(i + 1).forEach(([b, q]) => {
    if (r.left < q.right + 2 && q.left < r.right + 2 && r.top < q.bottom && q.top < r.bottom) {
      out.push("overlap: " + a + " / " + b);
    }
  }));
  return out;
}"""


def _metas(series: dict) -> list[str]:
    return [point["meta"] for point in series["data"]]


def _values(series: dict) -> list[float | None]:
    return [point["value"] for point in series["data"]]


@pytest.mark.django_db
def test_the_dashboard_embeds_the_seed_figures_as_chart_data(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    url = reverse("web:dashboard", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    charts = _embedded(html)
    for chart in ("chart-budget", "chart-trend"):  # shown by charts.js once drawn
        assert re.search(f'<div class="kin-chart" id="{chart}"[^>]* role="img" hidden', html)

    budget = charts["budget"]
    assert budget["labels"] == ["s.d. TW I", "s.d. TW II"]
    assert budget["axis"] == {"title": "miliar rupiah", "divisor": 1_000_000_000}
    plan, realised = budget["series"]
    assert plan["name"] == "Rencana anggaran kas kumulatif"
    assert _metas(plan) == [PLAN, "Rp -"]  # TW II's cash plan is not entered: unknown, not TW I's
    assert _values(plan) == [3551016300.0, 0.0]  # drawn as nothing; labelled "Rp -"
    assert realised["name"] == "Realisasi kumulatif"
    assert _metas(realised) == [REALISED, "Rp 1.443.040.145"]  # TW II: no plan, no ratio
    assert _values(realised) == [1443040145.0, 1443040145.0]

    trend = charts["trend"]
    assert trend["labels"] == ["TW I", "TW II", "TW III", "TW IV"]
    (k,) = trend["series"]
    assert k["name"] == "Rata-rata capaian K"
    assert _metas(k) == ["19,55 %", "19,55 %", "", ""]
    assert [None if v is None else round(v, 2) for v in _values(k)] == [19.55, 19.55, None, None]
    # 7,82 % is one program's absorption, in the per-program table, not on a chart
    assert "7,82 %" not in json.dumps(charts)


def _quarter(roman: str, plan: str, real: str, pct: str) -> dict:
    return {"roman": roman, "plan_raw": Decimal(plan), "real_raw": Decimal(real),
            "plan": plan, "realised": real, "pct_plan": pct}  # fmt: skip


def test_chart_data_picks_the_rupiah_unit_and_leaves_out_a_missing_percentage():
    charts = chart_data({
        "budget_quarters": [_quarter("I", "0", "0", "-"), _quarter("II", "2500000", "0", "0,00 %")],
        "trend": [{"roman": "I", "value": "-", "value_raw": None}],
    })  # fmt: skip
    budget = charts["budget"]
    assert budget["axis"] == {"title": "juta rupiah", "divisor": 1_000_000}
    assert _metas(budget["series"][1]) == ["Rp 0", "Rp 0 (0,00 %)"]
    assert _values(charts["trend"]["series"][0]) == [None, None, None, None]
    assert _metas(charts["trend"]["series"][0]) == ["-", "", "", ""]


def test_chart_data_is_valid_json_without_decimals():
    charts = chart_data({"budget_quarters": [_quarter("I", "12.5", "7.25", "58,00 %")],
                         "trend": []})  # fmt: skip
    assert charts["budget"]["axis"] == {"title": "rupiah", "divisor": 1}
    assert json.loads(json.dumps(charts)) == charts


def test_the_vendored_library_is_a_static_file_with_its_licence():
    for name in ("chartist.min.js", "chartist.min.css"):
        assert finders.find(VENDOR + name), name
    assert static(VENDOR + "chartist.min.js").endswith("/kinerja/vendor/chartist/chartist.min.js")
    licence = Path(finders.find(VENDOR + "LICENSE")).read_text(encoding="utf-8")
    assert "Chartist 1.5.0" in licence
    assert "Permission is hereby granted, free of charge" in licence
    assert finders.find("kinerja/charts.js")


def test_pimpinan_sees_the_charts_with_their_values(page, live_server_url, tmp_path):  # noqa: F811
    expect = sync_api.expect
    with urllib.request.urlopen(f"{live_server_url}/static/{VENDOR}chartist.min.js") as response:
        assert response.status == 200
        assert b"Chartist" in response.read(400)
    page.goto("/masuk/")
    page.fill("input[name=username]", "pimpinan")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    page.goto(DASHBOARD_PATH)

    budget = page.locator("#chart-budget")
    expect(budget).to_have_attribute("role", "img")
    expect(budget.locator("svg.ct-chart-bar rect.kin-bar")).to_have_count(4)
    values = budget.locator("svg text.kin-value")
    expect(values).to_have_count(4)
    assert sorted(values.all_text_contents()) == sorted(
        [PLAN, "Rp -", REALISED, "Rp 1.443.040.145"]
    )
    for n in range(4):
        expect(values.nth(n)).to_be_visible()
    expect(budget.locator(".kin-legend li")).to_have_text(
        ["Rencana anggaran kas kumulatif", "Realisasi kumulatif"]
    )

    trend = page.locator("#chart-trend")
    expect(trend.locator("svg.ct-chart-line path.kin-point")).to_have_count(2)
    points = trend.locator("svg text.kin-value")
    expect(points).to_have_text(["19,55 %", "19,55 %"])
    expect(points.first).to_be_visible()
    expect(trend.locator(".kin-legend li")).to_have_text(["Rata-rata capaian K", "Capaian 100 %"])

    for chart in (budget, trend):
        assert chart.evaluate(MISPLACED_LABELS) == []
    shot = tmp_path / "dashboard-charts.png"
    page.screenshot(path=str(shot), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: values above the bars
    page.wait_for_function(
        "() => document.querySelector('#chart-budget svg').getBoundingClientRect().width < 390"
    )
    for chart in (budget, trend):
        expect(chart.locator("svg text.kin-value")).to_have_count(4 if chart is budget else 2)
        assert chart.evaluate(MISPLACED_LABELS) == []
    page.screenshot(path=str(tmp_path / "dashboard-charts-narrow.png"), full_page=True)
