"""The national and province overviews (issue 18) on a `kinerja synth` sample: their figures
are quarter_rollup's (and so the core's), drawn as the page draws them; the drill-down
country → province → pemda → agency; who sees what; a fixed number of queries whatever the
size of the country."""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.core import format_percent
from kinerja.monitoring.models import QuarterSubmission
from kinerja.planning.models import Agency, Government, Province
from kinerja.rollup import quarter_rollup
from kinerja.synth import generate

pytestmark = pytest.mark.django_db
YEAR, QUARTER = 2024, 2
STATES = ("approved", "verified", "submitted", "returned", "draft")  # the pages' column order


class _Tables(HTMLParser):
    """The text of every cell of every table, by the table's class, and the links of its
    body rows."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[str]] = {}
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._in_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self._table = attrs.get("class", "")
            self.tables.setdefault(self._table, [])
            self.links.setdefault(self._table, [])
        elif tag == "tbody":
            self._in_body = True
        elif tag == "tr" and self._in_body:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "a" and self._row is not None and self._table is not None:
            self.links[self._table].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _parse(response) -> _Tables:
    assert response.status_code == 200
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser


def _expected(node, *, with_pemda: bool) -> list[str]:
    """A row as the page must draw it, from the roll-up's figures formatted here."""
    row = [f"{node.rank}." if node.rank else "-", node.name]
    if with_pemda:
        row.append(str(len(node.children)))
    row += [format_percent(node.k), node.predikat_k or "-", format_percent(node.rp),
            str(node.agencies), *(str(node.statuses.get(s, 0)) for s in STATES)]  # fmt: skip
    return row


@pytest.fixture(scope="module")
def _sample_written(django_db_setup, django_db_blocker):
    """generate()'s sample, written once for the module (~2 s of CPU a test before) inside a
    transaction around the tests that ask for it: each test's own transaction is a savepoint
    within it, rolled back after the test as before, and the sample is rolled back after the
    module's last test. Tests without the sample come before the first that asks for it."""
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
        try:
            generate(governments=5, agencies=3, seed=11)
        except BaseException:
            outer.__exit__(*sys.exc_info())  # rolled back: the next module starts clean
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def sample(_sample_written, db):
    """5 pemda × 3 agencies in 3 provinces, every state of the workflow among them."""
    states = set(QuarterSubmission.objects.filter(year=YEAR, quarter=QUARTER,
                                                  agency__government__slug__startswith="s11-")
                 .values_list("status", flat=True))  # fmt: skip
    assert len(states) >= 3  # not only approved quarters: each counts whatever its state
    return Province.objects.filter(governments__slug__startswith="s11-").distinct()


def _user(username, role, government, *, province=None):
    user = get_user_model().objects.create_user(username, password="x")
    Profile.objects.create(user=user, role=role, government=government, province=province)
    return user


@pytest.fixture
def national(sample, agency):
    return _user("nasional-uji", Role.NATIONAL, agency.government)


def _national_url(**kw):
    return reverse("web:national", kwargs={"year": YEAR, "quarter": QUARTER, **kw})


def _province_url(code):
    return reverse("web:province", kwargs={"province": code, "year": YEAR, "quarter": QUARTER})


def test_the_year_links_of_the_switch_name_the_page_they_open(client, demo_users):
    """The national and province overviews' previous and next year: titled as the page they
    lead to (its <title>), the province by its name."""
    client.force_login(demo_users["nasional"])  # the demo pemda lies in Jawa Timur (35)
    got = {}
    for url in (_national_url(), _province_url("35")):
        html = client.get(url).content.decode()
        nav = re.search(r'<nav class="period-switch"[^>]*>(.*?)</nav>', html, re.S).group(1)
        got[url] = re.findall(r'<a href="([^"]*)" title="([^"]*)">', nav)
    assert got == {
        _national_url(): [("/nasional/2023/tw2/", "Ikhtisar nasional Triwulan II 2023"),
                          ("/nasional/2025/tw2/", "Ikhtisar nasional Triwulan II 2025")],
        _province_url("35"): [("/provinsi/35/2023/tw2/", "Ikhtisar Jawa Timur Triwulan II 2023"),
                              ("/provinsi/35/2025/tw2/", "Ikhtisar Jawa Timur Triwulan II 2025")],
    }  # fmt: skip


def test_national_page_shows_each_provinces_rollup_and_the_countrys(client, national, sample):
    client.force_login(national)
    page = _parse(client.get(_national_url()))
    country = quarter_rollup(year=YEAR, quarter=QUARTER)[0]
    provinces = sorted(country.children, key=lambda p: (p.rank is None, p.rank or 0))
    assert page.tables["figures rollup"] == [_expected(p, with_pemda=True) for p in provinces]
    assert len(provinces) == sample.count() + 1  # the seed pemda: under no province
    # the country: every agency of every pemda, whatever its quarter's state
    summary = dict(page.tables["figures summary"])
    assert summary["Rata-rata capaian K"] == format_percent(country.k)
    assert summary["Serapan anggaran"] == format_percent(country.rp)
    assert summary["Jumlah perangkat daerah"] == str(Agency.objects.count())
    assert summary["Jumlah pemda"] == str(Government.objects.count())
    counted = sum(int(summary[f"Triwulan berstatus {label}"]) for label in
                  ("Disahkan", "Diverifikasi", "Diajukan", "Dikembalikan", "Draf"))  # fmt: skip
    assert counted == Agency.objects.count()
    distribution = dict(page.tables["figures distribution"])
    assert sum(int(n) for n in distribution.values()) == Agency.objects.count()
    assert distribution["Tanpa capaian (-)"] == str(country.distribution.get("-", 0))
    # drill-down: each province with a code links to its overview
    links = page.links["figures rollup"]
    assert sorted(links) == sorted(_province_url(p.code) for p in sample)


def test_province_page_shows_its_pemda_and_links_to_their_overviews(client, national, sample):
    client.force_login(national)
    province = sample.order_by("code").first()
    page = _parse(client.get(_province_url(province.code)))
    node = quarter_rollup(year=YEAR, quarter=QUARTER, province=province.code)[0]
    pemdas = sorted(node.children, key=lambda g: (g.rank is None, g.rank or 0))
    assert page.tables["figures rollup"] == [_expected(g, with_pemda=False) for g in pemdas]
    assert dict(page.tables["figures summary"])["Rata-rata capaian K"] == format_percent(node.k)
    assert page.links["figures rollup"] == [
        reverse("web:overview_of", kwargs={"pemda": g.slug, "year": YEAR, "quarter": QUARTER})
        for g in pemdas
    ]
    # the pemda's overview: its agencies, the way back up to the province and the country
    pemda = client.get(page.links["figures rollup"][0])
    assert pemda.status_code == 200
    html = pemda.content.decode()
    assert f'href="{_province_url(province.code)}"' in html
    assert f'href="{_national_url()}"' in html
    agencies = Agency.objects.filter(government__slug=pemdas[0].slug)
    assert {r["agency"] for r in pemda.context["rows"]} == set(agencies)
    # … and each agency's quarter page opens for the national reader
    first = pemda.context["rows"][0]["url"]
    assert client.get(first).status_code == 200


def test_sorting_by_name_and_by_capaian(client, national, sample):
    client.force_login(national)
    by_name = _parse(client.get(_national_url() + "?urut=nama&arah=asc"))
    names = [r[1] for r in by_name.tables["figures rollup"]]
    assert names == sorted(names, key=str.casefold)
    by_k = _parse(client.get(_national_url() + "?urut=capaian&arah=desc"))
    country = quarter_rollup(year=YEAR, quarter=QUARTER)[0]
    expected = sorted((p for p in country.children if p.k is not None), key=lambda p: -p.k)
    assert [r[1] for r in by_k.tables["figures rollup"]][: len(expected)] == [
        p.name for p in expected
    ]
    assert 'aria-sort="descending"' in client.get(_national_url() + "?urut=capaian&arah=desc"
                                                  ).content.decode()  # fmt: skip


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_country(client, national, sample, settings,
                                              django_assert_max_num_queries):  # fmt: skip
    settings.FRAGMENT_CACHE = False  # the roll-up itself on every request
    client.force_login(national)
    province = sample.order_by("code").first().code
    small = (_count(client, _national_url()), _count(client, _province_url(province)))
    generate(governments=8, agencies=4, seed=12)  # more pemda, agencies, and a new province
    with django_assert_max_num_queries(small[0]):
        client.get(_national_url())
    with django_assert_max_num_queries(small[1]):
        client.get(_province_url(province))
    assert max(small) <= 15


def test_a_province_user_sees_its_province_only_and_writes_nothing_there(client, sample,
                                                                          agency):  # fmt: skip
    mine, other = list(sample.order_by("code")[:2])
    user = _user("verif-prov", Role.VERIFIER, agency.government, province=mine)
    client.force_login(user)
    assert client.get(_national_url()).status_code == 403
    assert client.get(_province_url(mine.code)).status_code == 200
    assert client.get(_province_url(other.code)).status_code == 403
    inside = Government.objects.filter(province=mine).first()
    outside = Government.objects.filter(province=other).first()
    where = {"year": YEAR, "quarter": QUARTER}
    assert client.get(reverse("web:overview_of", kwargs={"pemda": inside.slug, **where})
                      ).status_code == 200  # fmt: skip
    assert client.get(reverse("web:overview_of", kwargs={"pemda": outside.slug, **where})
                      ).status_code == 403  # fmt: skip
    read = Agency.objects.filter(government=inside).first()
    assert client.get(reverse("web:quarter", kwargs={"agency": read.slug, **where})
                      ).status_code == 200  # fmt: skip
    away = Agency.objects.filter(government=outside).first()
    assert client.get(reverse("web:quarter", kwargs={"agency": away.slug, **where})
                      ).status_code == 403  # fmt: skip
    # reading a pemda of the province is not verifying it
    verify = reverse("web:verify", kwargs={"agency": read.slug, **where})
    assert client.post(verify).status_code == 403
    # without a province scope the same role reads its own pemda only
    plain = _user("verif-pemda", Role.VERIFIER, agency.government)
    client.force_login(plain)
    assert client.get(_province_url(mine.code)).status_code == 403
    assert client.get(reverse("web:overview_of", kwargs={"pemda": inside.slug, **where})
                      ).status_code == 403  # fmt: skip


def test_the_menu_shows_the_overview_the_user_may_see(client, sample, agency):
    mine = sample.order_by("code").first()
    menus = {}
    for username, role, province in (("n", Role.NATIONAL, None), ("p", Role.EVALUATOR, mine),
                                     ("v", Role.VERIFIER, None)):  # fmt: skip
        client.force_login(_user(username, role, agency.government, province=province))
        menus[username] = client.get(reverse("web:home")).context["nav"]["above_url"]
    # (at the quarter the start page is about)
    assert menus["n"].startswith("/nasional/")
    assert menus["p"].startswith(f"/provinsi/{mine.code}/")
    assert menus["v"] is None
