"""The layout's navigation (web/context_processors.py) follows the quarter being viewed; the
overview is reachable from an agency's quarter and dashboard, and switches quarter and year
itself; status labels are Indonesian."""

import re

import pytest
from django.utils import timezone

from kinerja.examples import create_example_agencies
from kinerja.monitoring.models import SubmissionStatus

pytestmark = pytest.mark.django_db
QUARTER = "/pd/bkpsdm-sumenep/2024/tw1/"
DASHBOARD = QUARTER + "dasbor/"
OVERVIEW = "/pemda/2024/tw1/"


def _header(html: str) -> str:
    return re.search(r'<header class="top">(.*?)</header>', html, re.S).group(1)


def _menu_links(html: str) -> dict[str, str]:
    """The header's links by their text."""
    links = re.findall(r'<a(?: class="[^"]*")? href="([^"]*)">([^<]*)</a>', _header(html))
    return {text: href for href, text in links}


def _picker(html: str) -> tuple[str, str, list[str]]:
    """The picker's year, its selected quarter and its selected agencies."""
    header = _header(html)
    year = re.search(r'name="year" type="number"[^>]* value="([^"]*)"', header).group(1)
    quarter = re.findall(r'<option value="(\d)" selected>', header)
    agencies = re.findall(r'<option value="([a-z-]+)" selected>', header)
    return year, "".join(quarter), agencies


def _today() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


@pytest.mark.parametrize("path", [QUARTER, DASHBOARD, OVERVIEW, "/terlambat/2024/tw1/"])
def test_the_menu_follows_the_quarter_being_viewed(client, demo_users, path):
    client.force_login(demo_users["pimpinan"])
    html = client.get(path).content.decode()
    links = _menu_links(html)
    assert (links["Ikhtisar pemda"], links["Terlambat melapor"]) == (
        "/pemda/2024/tw1/",
        "/terlambat/2024/tw1/",
    )
    assert _picker(html)[:2] == ("2024", "1")


def test_the_picker_selects_the_agency_being_viewed(client, demo_users, agency):
    client.force_login(demo_users["verifikator"])
    assert _picker(client.get(DASHBOARD).content.decode())[2] == [agency.slug]


def test_a_page_without_a_quarter_opens_the_latest_quarter_with_data(client, demo_users, agency):
    """Nothing waits for the pimpinan (no quarter is verified): the start page's picker and
    menu open on the latest quarter someone worked on (TW I 2024, approved; TW II is a draft
    without realisations; the seed's values printed ahead for TW III/IV do not count), not
    on today's quarter, where nothing exists."""
    client.force_login(demo_users["pimpinan"])
    html = client.get("/").content.decode()
    assert _menu_links(html)["Ikhtisar pemda"] == "/pemda/2024/tw1/"
    assert _picker(html) == ("2024", "1", [agency.slug])


def test_a_page_without_a_quarter_and_no_data_keeps_todays_quarter(client, demo_users):
    from kinerja.monitoring.models import Realisation

    Realisation.objects.all().delete()
    client.force_login(demo_users["evaluator"])
    html = client.get("/").content.decode()
    year, quarter = _today()
    assert _menu_links(html)["Ikhtisar pemda"] == f"/pemda/{year}/tw{quarter}/"
    assert _picker(html)[:2] == (str(year), str(quarter))


@pytest.mark.parametrize("path", [QUARTER, DASHBOARD])
@pytest.mark.parametrize("role", ["verifikator", "evaluator", "pimpinan", "admin"])
def test_the_quarter_and_dashboard_link_to_the_same_quarters_overview(client, demo_users,
                                                                       path, role):  # fmt: skip
    client.force_login(demo_users[role])
    html = client.get(path).content.decode()
    main = html.split("<main>", 1)[1]
    # a link in the page's running text, not a tight header: «Triwulan I» (issue 17)
    assert re.findall(r'<a href="([^"]*)">Ikhtisar pemda Triwulan I 2024</a>', main) == [OVERVIEW]
    assert "Ikhtisar pemda TW" not in main


@pytest.mark.parametrize("path", [QUARTER, DASHBOARD])
def test_an_operator_gets_no_overview_link(client, demo_users, path):
    client.force_login(demo_users["operator"])
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    counts = [html.count(text) for text in ("Ikhtisar pemda", "/pemda/", "/terlambat/")]
    assert counts == [0, 0, 0]
    assert client.get(OVERVIEW).status_code == 403


def test_the_overview_is_named_ikhtisar_pemda(client, demo_users):
    client.force_login(demo_users["pimpinan"])
    html = client.get(OVERVIEW).content.decode()
    assert re.search(r"<title>(.*?)</title>", html, re.S).group(1) == (
        "Ikhtisar pemda Triwulan I 2024 — Kinerja"
    )
    assert re.search(r"<h1>(.*?)</h1>", html, re.S).group(1) == (
        "Ikhtisar pemda — capaian perangkat daerah Triwulan I 2024"
    )
    assert "Ringkasan" not in html


def _switch(html: str) -> tuple[list[tuple[str, str]], str]:
    nav = re.search(r'<nav class="period-switch"[^>]*>(.*?)</nav>', html, re.S).group(1)
    links = [(href, text) for href, text in re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', nav)]
    current = re.search(r'<strong aria-current="page">([^<]*)</strong>', nav).group(1)
    return links, current


def test_the_overview_switches_quarter_and_year(client, demo_users):
    client.force_login(demo_users["evaluator"])
    links, current = _switch(client.get("/pemda/2024/tw2/").content.decode())
    assert links == [
        ("/pemda/2023/tw2/", "← 2023"),
        ("/pemda/2024/tw1/", "TW I"),
        ("/pemda/2024/tw3/", "TW III"),
        ("/pemda/2024/tw4/", "TW IV"),
        ("/pemda/2025/tw2/", "2025 →"),
    ]
    assert current == "TW II 2024"
    for href, _ in links:
        assert client.get(href).status_code == 200, href


def test_the_overview_switch_names_the_year_it_leads_to(client, demo_users):
    """The previous and next year's links say, as a title, which page they open (its own
    <title>): «← 2023» alone does not say it is the same quarter's overview."""
    client.force_login(demo_users["evaluator"])
    html = client.get("/pemda/2024/tw2/").content.decode()
    nav = re.search(r'<nav class="period-switch"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'<a href="([^"]*)" title="([^"]*)">', nav) == [
        ("/pemda/2023/tw2/", "Ikhtisar pemda Triwulan II 2023"),
        ("/pemda/2025/tw2/", "Ikhtisar pemda Triwulan II 2025"),
    ]


def test_the_overview_switch_stays_within_the_years_the_app_knows(client, demo_users):
    client.force_login(demo_users["pimpinan"])
    first, _ = _switch(client.get("/pemda/2000/tw1/").content.decode())
    last, _ = _switch(client.get("/pemda/2100/tw4/").content.decode())
    assert (first[0], last[-1]) == (("/pemda/2000/tw2/", "TW II"), ("/pemda/2100/tw3/", "TW III"))


def test_the_draft_state_reads_draf(client, demo_users, agency):
    assert SubmissionStatus.DRAFT.label == "Draf"
    create_example_agencies(agency.government, count=4)  # one of them is still a draft
    client.force_login(demo_users["pimpinan"])
    overview = client.get(OVERVIEW)
    labels = {r["status_label"] for r in overview.context["rows"]}
    assert labels == {"Draf", "Diajukan", "Diverifikasi", "Disahkan"}
    quarter = client.get("/pd/bkpsdm-sumenep/2024/tw2/").content.decode()  # TW II: a draft
    state = re.search(r'<strong class="status status-draft">([^<]*)</strong>', quarter)
    assert state.group(1) == "Draf"
    assert (overview.content.decode().count("Draft"), quarter.count("Draft")) == (0, 0)
