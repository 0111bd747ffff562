"""No input makes a server error, and every error page is Kinerja's own Indonesian page —
with DEBUG off (production) and on (`kinerja serve`, `kinerja demo`), where Django would draw
its English technical page."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.monitoring.models import GeneratedReport, Realisation
from kinerja.planning.models import WorkItem

pytestmark = pytest.mark.django_db

TITLES = {
    400: "Permintaan tidak dapat dibaca",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    500: "Terjadi kesalahan",
}
TECHNICAL = ("Traceback", "Page not found", "Request Method", "DEBUG = True", "Django")


def _kinerja_page(response, status: int) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{TITLES[status]}</h1>" in html
    assert '<html lang="id">' in html
    # one <main> landmark holding the heading (axe's region rule; the 500 page has no base.html)
    assert html.count("<main>") == 1 and html.count("</main>") == 1
    assert html.index("<main>") < html.index("<h1>") < html.index("</main>")
    for word in TECHNICAL:
        assert word not in html
    return html


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.fixture
def operator(client, demo_users, debug):
    client.force_login(demo_users["operator"])
    return client


def _quarter(agency, quarter=2, **extra):
    return {"agency": agency.slug, "year": 2024, "quarter": quarter, **extra}


def test_an_unknown_address_is_the_indonesian_404_page(operator):
    html = _kinerja_page(operator.get("/tidak-ada/"), 404)
    assert "Kembali ke beranda" in html


def test_an_unknown_address_still_gets_its_slash_first(operator):
    response = operator.get("/pilih")
    assert response.status_code == 301
    assert response["Location"] == "/pilih/"


@pytest.mark.parametrize(
    "query",
    [
        {"agency": "tidak ada!", "year": "2024", "quarter": "1"},
        {"agency": "²", "year": "2024", "quarter": "1"},
        {"agency": "a" * 300, "year": "2024", "quarter": "1"},
    ],
)
def test_the_picker_with_a_malformed_agency_is_404(operator, query):
    html = _kinerja_page(operator.get(reverse("web:pick"), query), 404)
    assert "Perangkat daerah tidak ada." in html


@pytest.mark.parametrize(
    "query",
    [
        {"agency": "bkpsdm-sumenep", "year": "²⁰²⁴", "quarter": "1"},
        {"agency": "bkpsdm-sumenep", "year": "9" * 5000, "quarter": "1"},
        {"agency": "bkpsdm-sumenep", "year": "2024", "quarter": "9"},
        {"agency": "bkpsdm-sumenep"},
    ],
)
def test_the_picker_with_a_malformed_year_or_quarter_asks_again(operator, query):
    response = operator.get(reverse("web:pick"), query, follow=True)
    assert response.redirect_chain == [(reverse("web:home"), 302)]
    assert "Pilih tahun (2000–2100) dan triwulan (I–IV)." in response.content.decode()


def test_the_picker_with_an_unknown_agency_is_404(operator):
    query = {"agency": "tidak-ada", "year": "2024", "quarter": "1"}
    _kinerja_page(operator.get(reverse("web:pick"), query, follow=True), 404)


@pytest.mark.parametrize(
    "path",
    [
        "/pd/tidak-ada/2024/tw1/",
        "/pd/bkpsdm-sumenep/2024/tw9/",
        "/pd/bkpsdm-sumenep/99999999999999999999999/tw1/",
        "/pd/bkpsdm-sumenep/1999/tw1/",
        "/pd/bkpsdm-sumenep/2024/tw1/laporan/form.tidak",
        "/pd/bkpsdm-sumenep/riwayat/realisasi/99999999999999999999999/",
    ],
)
def test_a_bad_path_part_is_404(operator, path):
    _kinerja_page(operator.get(path), 404)


def test_a_bad_year_says_which_part_is_unknown(operator):
    html = _kinerja_page(operator.get("/pd/bkpsdm-sumenep/2024/tw9/"), 404)
    assert "Tahun atau triwulan tidak dikenal." in html


def test_djangos_own_english_404_message_is_not_shown(operator):
    html = _kinerja_page(operator.get("/pd/tidak-ada/2024/tw1/"), 404)
    assert "matches the given query" not in html


def test_a_preview_of_an_id_no_column_can_hold_is_404(operator, agency):
    url = "/isi/bkpsdm-sumenep/2024/tw2/pratinjau/99999999999999999999999/"
    _kinerja_page(operator.post(url, {"k-1": "5"}), 404)


@pytest.mark.parametrize("stored", ["²", "abc", "-1", "0", "9" * 30, ""])
def test_a_malformed_stored_report_id_is_404(operator, agency, stored):
    url = reverse("web:download", kwargs=_quarter(agency, 1, document="form", fmt="xlsx"))
    _kinerja_page(operator.get(url, {"berkas": stored}), 404)
    assert GeneratedReport.objects.count() == 0  # nothing was generated instead


@pytest.mark.parametrize("field", ["k-²", "k-", "rp-abc", "note-1.5", "k-" + "9" * 40, "k-0"])
def test_grid_fields_that_name_no_row_are_ignored(operator, agency, field):
    url = reverse("monitoring:save", kwargs=_quarter(agency))
    before = Realisation.objects.count()
    response = operator.post(url, {field: "5"})
    assert response.status_code == 302  # nothing to save: "Tidak ada nilai yang berubah."
    assert Realisation.objects.count() == before


@pytest.mark.parametrize("row", ["abc", "²", "", "-3", "9" * 40])
def test_a_note_on_a_malformed_row_is_404(client, demo_users, agency, debug, row):
    client.force_login(demo_users["verifikator"])
    url = reverse("web:note", kwargs=_quarter(agency, 1))
    html = _kinerja_page(client.post(url, {"row": row, "text": "cek"}), 404)
    assert "Baris tidak dikenal." in html


def test_a_note_on_another_agencys_row_is_404(client, demo_users, agency, debug):
    client.force_login(demo_users["verifikator"])
    other_year = WorkItem.objects.filter(agency=agency).exclude(year=2024).first()
    row = other_year.pk if other_year else WorkItem.objects.order_by("-pk").first().pk + 1
    url = reverse("web:note", kwargs=_quarter(agency, 1))
    _kinerja_page(client.post(url, {"row": str(row), "text": "cek"}), 404)


def test_a_nul_character_in_a_field_is_400(operator, agency):
    url = reverse("monitoring:save", kwargs=_quarter(agency))
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    html = _kinerja_page(operator.post(url, {f"note-{item.pk}": "a\x00b"}), 400)
    assert "Isian memuat karakter NUL." in html
    assert not Realisation.objects.filter(work_item=item, quarter=2).exists()


def test_too_many_fields_is_the_indonesian_400_page(operator, agency):
    url = reverse("monitoring:save", kwargs=_quarter(agency))
    # over DATA_UPLOAD_MAX_NUMBER_FIELDS (settings: 20.000, so that a grid of 3.000 rows saves)
    fields = {f"note-{n}": "x" for n in range(1, 20_100)}
    _kinerja_page(operator.post(url, fields), 400)


def test_a_broken_upload_is_the_indonesian_400_page(operator, agency):
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    url = reverse("texts:evidence", kwargs=_quarter(agency, item=item.pk))
    body = b"--b\r\nContent-Disposition: form-data; name=files; filename=x.pdf\r\n"
    response = operator.post(url, body, content_type="multipart/form-data; boundary=")
    _kinerja_page(response, 400)


def test_a_refused_quarter_is_the_indonesian_403_page(client, demo_users, agency, debug):
    client.force_login(demo_users["operator"])
    url = reverse("web:approve", kwargs=_quarter(agency, 1))
    _kinerja_page(client.post(url), 403)


def test_a_form_without_its_csrf_token_is_the_indonesian_403_page(demo_users, agency, debug):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["operator"])
    url = reverse("monitoring:save", kwargs=_quarter(agency))
    html = _kinerja_page(client.post(url, {}), 403)
    assert "Muat ulang halaman, lalu kirim lagi." in html


def test_a_bad_host_header_is_the_indonesian_400_page(demo_users, debug):
    client = Client(HTTP_HOST="penyerang.example")
    _kinerja_page(client.get("/masuk/"), 400)


@pytest.mark.urls("tests.web.error_urls")
def test_an_unexpected_failure_is_the_plain_indonesian_500_page(demo_users, debug, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(demo_users["operator"])
    with caplog.at_level(logging.ERROR, logger="django.request"):
        html = _kinerja_page(client.get("/gagal/"), 500)
    assert "hubungi admin pemda" in html
    assert "an unexpected failure in a view" not in html
    # the traceback goes to the server log, not to the reader
    logged = [r for r in caplog.records if r.name == "django.request"]
    assert [r.exc_info[1].args for r in logged] == [("an unexpected failure in a view",)]


def _patterns(resolver=None, prefix=""):
    """Every URL pattern of the site as (route with converters, name)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    for p in (resolver or get_resolver()).url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if not route.startswith("admin/"):  # Django's own admin checks its own ids
                yield from _patterns(p, route)
        elif isinstance(p, URLPattern):
            yield route


HUGE = "99999999999999999999999"
ODD_PARTS = {
    "year": ["2024", HUGE],
    "quarter": ["2", "0"],
    "slug": ["tidak-ada", "bkpsdm-sumenep"],
    "str": ["²", "form"],
    "path": ["²"],
}
ODD_FIELDS = {
    "row": "²", "k-²": "1", "rp-abc": "2", "note-": "x", "berkas": "²", "value": "1e999",
    "measured_on": "kemarin", "reason": "x" * 10_000, "urut": "²", "arah": "naik",
    "year": "²", "quarter": "-1", "agency": "../..", "files": "bukan berkas",
}  # fmt: skip


def _odd_paths(ids: dict[str, str]):
    import itertools
    import re

    for route in _patterns():
        parts = re.findall(r"<(\w+):(\w+)>", route)
        choices = [
            ODD_PARTS.get(name) or ([ids.get(name, ids["pk"]), HUGE] if kind == "int" else
                                    ODD_PARTS[kind])
            for kind, name in parts
        ]  # fmt: skip
        for values in itertools.product(*choices) if parts else [()]:
            path = route
            for (kind, name), value in zip(parts, values, strict=True):
                path = path.replace(f"<{kind}:{name}>", value, 1)
            yield "/" + path.replace("^", "").replace("$", "")


@pytest.mark.parametrize("role", ["admin", "operator"])
def test_no_page_of_the_site_fails_on_odd_path_parts_and_fields(demo_users, agency, role):
    """The audit as a test: every URL of the site with odd ids, slugs and fields, read and
    posted, never answers 500 (the test client raises the exception if a view fails)."""
    from kinerja.planning.models import Indicator

    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    ids = {"pk": str(item.pk), "item": str(item.pk),
           "indicator": str(Indicator.objects.filter(plan__agency=agency).first().pk)}  # fmt: skip
    client = Client()
    client.force_login(demo_users[role])
    answered = {}
    for path in _odd_paths(ids):
        for method in (client.get, client.post):
            response = method(path, ODD_FIELDS)
            answered[(method.__name__, path)] = response.status_code
    assert [k for k, status in answered.items() if status >= 500] == []
    assert len(answered) > 200
