"""*Periksa formulir*: any logged-in user uploads a filled form and reads the audit; the file
is never stored; bad files get an Indonesian message, never a server error."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from .corpus import bad_files
from .forms import rkpd_form, seed_form

URL = "/periksa-formulir/"


def _upload(client, path, **extra):
    with open(path, "rb") as fh:
        return client.post(URL, {"berkas": fh, **extra})


def test_the_page_needs_a_login(client, db):
    assert reverse("web:check_form") == URL
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


@pytest.mark.parametrize("role", ["operator", "verifikator", "evaluator", "pimpinan", "admin"])
def test_every_role_audits_the_seed_form(client, demo_users, role, tmp_path, settings):
    client.force_login(demo_users[role])
    response = _upload(client, seed_form(tmp_path / "seed.xlsx"))
    assert response.status_code == 200
    findings = response.context["findings"]
    assert [f["cell"] for f in findings if f["rule"] == "total-not-sum-of-quarters"] == [
        "T39",
        "T61",
    ]
    page = response.content.decode()
    assert "Kolom 13 tidak sama dengan jumlah triwulan" in page
    assert "0,25" in page and "39.702.120.882" in page  # Indonesian numbers
    assert "program_mean" in page and "19,55" not in page  # the printed basis, computed 14,88
    assert "14,88" in page


def test_the_quarter_and_sheet_options_are_used(client, demo_users, tmp_path):
    client.force_login(demo_users["operator"])
    response = _upload(client, rkpd_form(tmp_path / "rkpd.xlsx"), triwulan="2",
                       lembar="Evaluasi RKPD")  # fmt: skip
    assert response.context["audit"].quarter == 2
    response = _upload(client, rkpd_form(tmp_path / "rkpd.xlsx"), lembar="Tidak Ada")
    assert response.status_code == 400
    assert "lembar «Tidak Ada» tidak ada" in response.content.decode()


def test_nothing_is_stored(client, demo_users, tmp_path, settings):
    client.force_login(demo_users["operator"])
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1  # would push any upload to a temporary file
    temp = tmp_path / "tmp"
    temp.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    media = list(__import__("pathlib").Path(settings.MEDIA_ROOT).rglob("*"))
    assert _upload(client, rkpd_form(tmp_path / "rkpd.xlsx")).status_code == 200
    assert list(temp.iterdir()) == []
    assert list(__import__("pathlib").Path(settings.MEDIA_ROOT).rglob("*")) == media


def test_a_request_above_the_limit_is_refused_before_reading(client, demo_users):
    client.force_login(demo_users["operator"])
    big = io.BytesIO(b"PK" + b"\x00" * (21 * 1024 * 1024))
    big.name = "besar.xlsx"
    response = client.post(URL, {"berkas": big})
    assert response.status_code == 400
    assert "lebih dari 20 MB" in response.content.decode()


def test_the_bad_file_corpus_gets_messages_not_errors(client, demo_users, tmp_path):
    client.force_login(demo_users["evaluator"])
    valid = seed_form(tmp_path / "valid.xlsx").read_bytes()
    files = [(n, p) for n, p, extra in bad_files(tmp_path, valid) if not extra and p.is_file()]
    assert len(files) >= 30
    for name, path in files:
        response = _upload(client, path)
        assert response.status_code == 400, name
        assert response.context["error"].startswith("Berkas tidak dapat diperiksa") or (
            "MB" in response.context["error"]), name  # fmt: skip


def test_the_start_page_links_the_check(client, demo_users):
    client.force_login(demo_users["operator"])
    assert URL in client.get("/").content.decode()


def test_a_post_without_csrf_token_is_refused(demo_users, tmp_path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(demo_users["operator"])
    assert _upload(client, rkpd_form(tmp_path / "rkpd.xlsx")).status_code == 403
