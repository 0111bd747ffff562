"""One naming of quarters and pages (issue 17): quarters as I–IV everywhere ("Triwulan II" in
text, "TW II" in tight headers), the admin's reporting period checked in Indonesian words, a
title naming the page, the agency and the quarter, a favicon, no nested parentheses in the
header."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from kinerja.monitoring.models import Realisation, ReportingPeriod
from kinerja.planning.models import WorkItem

pytestmark = pytest.mark.django_db
NUMBERED = re.compile(r"\b(?:Triwulan|TW) [1-4]\b")


def _quarter_pages(agency):
    kwargs = {"agency": agency.slug, "year": 2024, "quarter": 2}
    item = WorkItem.objects.filter(agency=agency, year=2024).order_by("position").first()
    return {
        "web:quarter": reverse("web:quarter", kwargs=kwargs),
        "monitoring:grid": reverse("monitoring:grid", kwargs=kwargs),
        "texts:iku": reverse("texts:iku", kwargs=kwargs),
        "texts:narratives": reverse("texts:narratives", kwargs=kwargs),
        "texts:evidence": reverse("texts:evidence", kwargs={**kwargs, "item": item.pk}),
        "web:dashboard": reverse("web:dashboard", kwargs=kwargs),
        "web:reports": reverse("web:reports", kwargs=kwargs),
        "web:submit_confirm": reverse("web:submit_confirm", kwargs=kwargs),
    }


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_quarter_pages_name_quarters_in_roman_numerals_and_titles_name_agency_and_quarter(
    client, demo_users, agency
):
    client.force_login(demo_users["operator"])
    titles = {}
    for name, url in _quarter_pages(agency).items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        text = re.sub(r"<[^>]+>", " ", html)
        assert NUMBERED.findall(text) == [], name
        titles[name] = _title(html)
        assert "BKPSDM" in titles[name] and ("TW II" in titles[name] or "Triwulan II" in
                                             titles[name]), (name, titles[name])  # fmt: skip
    assert len(set(titles.values())) == len(titles)  # each page its own title
    assert titles["texts:narratives"] == "Narasi triwulan — BKPSDM Triwulan II 2024 — Kinerja"
    assert titles["texts:iku"] == "Realisasi IKU — BKPSDM Triwulan II 2024 — Kinerja"


def test_the_late_page_names_its_quarter(client, demo_users):
    client.force_login(demo_users["admin"])
    html = client.get(reverse("web:late", kwargs={"year": 2024, "quarter": 3})).content.decode()
    assert _title(html) == "Perangkat daerah terlambat — Triwulan III 2024 — Kinerja"
    assert "terlambat melapor Triwulan III 2024" in html


def test_every_page_links_the_favicon(client, demo_users):
    client.force_login(demo_users["operator"])
    html = client.get(reverse("web:home")).content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link and link.group(1).endswith("kinerja/favicon.svg")
    found = finders.find("kinerja/favicon.svg")
    assert found and open(found).read().startswith("<svg")
    login = client.get(reverse("login")).content.decode()
    assert 'rel="icon"' in login


def test_the_header_names_user_and_role_without_nested_parentheses(client, demo_users):
    client.force_login(demo_users["verifikator"])
    html = client.get(reverse("web:home")).content.decode()
    who = re.search(r'<span class="who">(.*?)</span>', html, re.S).group(1)
    assert who == "Verifikator Bappeda · Verifikator (Bappeda/Bagian Organisasi)"
    assert str(demo_users["verifikator"].profile) == (
        "verifikator · Verifikator (Bappeda/Bagian Organisasi)")  # fmt: skip


def test_models_and_messages_name_quarters_in_roman_numerals(demo_users, agency):
    from kinerja.monitoring.workflow import WorkflowRefused, verify_quarter

    item = WorkItem.objects.filter(agency=agency, year=2024).order_by("position").first()
    realisation = Realisation.objects.create(work_item=item, quarter=3, value_k=1)
    assert str(realisation).endswith(" TW III")
    period = ReportingPeriod.objects.get(government=agency.government, year=2024, quarter=2)
    assert str(period) == "TW II 2024"
    with pytest.raises(WorkflowRefused, match="^Triwulan II 2024 berstatus Draf"):
        verify_quarter(user=demo_users["verifikator"], agency=agency, year=2024, quarter=2)


def _running_text(html: str) -> str:
    """The page's words outside its tight places — the header with its picker, tables (their
    heads, and the Lembar Pemeriksaan's findings, worded as the report prints them), selects,
    the quarter switch — with tags removed and white space collapsed."""
    for tight in (r"<header\b.*?</header>", r"<table\b.*?</table>", r"<select\b.*?</select>",
                  r'<nav class="period-switch".*?</nav>', r"<script\b.*?</script>",
                  r"<style\b.*?</style>"):  # fmt: skip
        html = re.sub(tight, " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_running_text_of_the_start_page_quarter_page_and_mails_says_triwulan(
    client, demo_users, agency, mailoutbox, django_capture_on_commit_callbacks, settings
):
    """Issue 17: «Triwulan II» in text, «TW II» only in tight headers, never a quarter in
    arabic numerals: the operator's start page and quarter page, the verifikator's mail about
    a submission and the operator's deadline reminder (`kinerja remind`)."""
    from datetime import timedelta

    from django.utils import timezone

    from kinerja.cli import main
    from kinerja.monitoring import workflow

    today = timezone.localdate()
    ReportingPeriod.objects.filter(government=agency.government, year=2024, quarter=2).update(
        opens_on=today - timedelta(days=7), closes_on=today + timedelta(days=3)
    )
    client.force_login(demo_users["operator"])
    texts = {"start page": client.get(reverse("web:home")).content.decode(),
             "quarter page": client.get(reverse("web:quarter", kwargs={
                 "agency": agency.slug, "year": 2024, "quarter": 2})).content.decode()}  # fmt: skip
    settings.KINERJA_BASE_URL = "https://kinerja.test"
    assert main(["remind"]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_quarter(user=demo_users["operator"], agency=agency, year=2024,
                                quarter=2, today=today)  # fmt: skip
    mails = {m.to[0]: m for m in mailoutbox}
    texts["reminder"] = f"{mails['operator@demo.kinerja.test'].subject}\n" + (
        mails["operator@demo.kinerja.test"].body
    )
    texts["submitted mail"] = f"{mails['verifikator@demo.kinerja.test'].subject}\n" + (
        mails["verifikator@demo.kinerja.test"].body
    )
    for name, text in texts.items():
        words = _running_text(text) if name.endswith("page") else text
        assert "Triwulan II 2024" in words, name
        assert NUMBERED.findall(text) == [], name  # nowhere, not even in a header or table
        assert re.findall(r"\bTW [IV]+\b", words) == [], name
    assert "TW II" in texts["quarter page"]  # the header's picker keeps the short name


def _admin_errors(client, data):
    html = client.post(reverse("admin:monitoring_reportingperiod_add"),
                       {"change_reason": "Periode baru", **data}).content.decode()  # fmt: skip
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', html, re.S)


def test_the_admin_checks_a_period_in_indonesian_words(client, demo_users, agency):
    client.force_login(demo_users["admin"])
    gov = agency.government_id
    before = ReportingPeriod.objects.count()
    period = {"government": gov, "year": 2024, "opens_on": "2024-10-01",
              "closes_on": "2024-10-15"}  # fmt: skip
    assert _admin_errors(client, {**period, "quarter": 5}) == [
        "Triwulan harus 1 sampai 4 (Triwulan I–IV), bukan 5."]  # fmt: skip
    duplicate = _admin_errors(client, {**period, "quarter": 2})
    assert len(duplicate) == 1
    assert duplicate[0].startswith("Periode pelaporan Triwulan II 2024 untuk ")
    assert "sudah ada" in duplicate[0] and "tidak ada" not in duplicate[0]
    backwards = _admin_errors(client, {**period, "quarter": 3, "closes_on": "2024-09-15"})
    assert backwards == [
        "Tanggal ditutup (15-09-2024) tidak boleh sebelum tanggal dibuka (01-10-2024)."]  # fmt: skip
    assert ReportingPeriod.objects.count() == before
    response = client.post(reverse("admin:monitoring_reportingperiod_add"),
                           {**period, "quarter": 3, "change_reason": "Periode baru"})  # fmt: skip
    assert response.status_code == 302
    assert str(ReportingPeriod.objects.get(government_id=gov, year=2024, quarter=3)) == (
        "TW III 2024")  # fmt: skip


def test_quarter_roman_writes_i_to_iv_and_leaves_anything_else_as_given():
    from django.template import engines

    from kinerja.core.numbers import quarter_roman

    assert [quarter_roman(q) for q in (1, 2, "3", 4)] == ["I", "II", "III", "IV"]
    assert [quarter_roman(q) for q in (0, 5, "x", None)] == ["0", "5", "x", "None"]
    template = engines["django"].from_string("{% load quarters %}Triwulan {{ q|roman }}")
    assert template.render({"q": 2}) == "Triwulan II"
