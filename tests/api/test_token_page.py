"""The token page (/akun/token/): make a token (shown once), list one's own, revoke one's own;
and the `kinerja token` command, which prints the token alone."""

import subprocess
import sys

import pytest
from django.urls import reverse

from kinerja.api.models import AccessToken
from kinerja.api.tokens import digest

pytestmark = pytest.mark.django_db


def test_make_shows_the_token_once_and_it_works(client, demo_users):
    client.force_login(demo_users["verifikator"])
    response = client.post(reverse("tokens:list"), {"name": "dasbor provinsi", "expires": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    row = AccessToken.objects.get()
    start = html.index('class="token-secret">') + len('class="token-secret">')
    secret = html[start : html.index("<", start)]
    assert digest(secret) == row.digest and row.name == "dasbor provinsi"
    assert (row.expires - row.created).days == 30
    # shown once: the list afterwards names it by its prefix only
    again = client.get(reverse("tokens:list")).content.decode()
    assert secret not in again and row.prefix in again and "dasbor provinsi" in again
    client.logout()
    answer = client.get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200 and answer.json()["count"] == 1


def test_list_shows_only_ones_own_tokens(client, demo_users, token_of):
    token_of("admin", name="milik admin")
    token_of("operator", name="milik operator")
    client.force_login(demo_users["operator"])
    html = client.get(reverse("tokens:list")).content.decode()
    assert "milik operator" in html and "milik admin" not in html


def test_revoke_own_token_and_not_another_users(client, demo_users, token_of):
    mine = token_of("operator")
    theirs = token_of("admin")
    own_row = AccessToken.objects.get(user=demo_users["operator"])
    their_row = AccessToken.objects.get(user=demo_users["admin"])
    client.force_login(demo_users["operator"])
    client.post(reverse("tokens:revoke", args=[their_row.pk]))
    their_row.refresh_from_db()
    assert their_row.revoked is None
    response = client.post(reverse("tokens:revoke", args=[own_row.pk]), follow=True)
    assert "Token dicabut" in response.content.decode()
    client.logout()
    assert client.get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {mine}").status_code == 401
    assert client.get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {theirs}").status_code == 200


def test_a_too_long_name_is_refused_in_indonesian(client, demo_users):
    client.force_login(demo_users["operator"])
    response = client.post(reverse("tokens:list"), {"name": "x" * 101, "expires": "90"})
    assert response.status_code == 400
    assert "terlalu panjang" in response.content.decode()
    assert not AccessToken.objects.exists()


def test_header_links_the_token_page(client, demo_users):
    client.force_login(demo_users["pimpinan"])
    assert f'href="{reverse("tokens:list")}"' in client.get("/").content.decode()


def test_kinerja_token_prints_the_token_alone(tmp_path):
    """The command in its own process on its own database (the demo, as `kinerja demo
    --load-only` leaves it, in the default SQLite file of KINERJA_VAR_DIR): stdout is the token
    and a newline, and that token's hash is what the database holds."""
    import os
    import sqlite3

    from ..scratch_db import copy_demo

    env = {**os.environ, "KINERJA_VAR_DIR": str(tmp_path), "DATABASE_URL": "", "DEBUG": "1"}
    env.pop("DATABASE_URL")
    kinerja = [sys.executable, "-m", "kinerja.cli"]
    copy_demo(tmp_path, "kinerja.sqlite3")  # the session's demo, loaded once (scratch_db.py)
    run = subprocess.run([*kinerja, "token", "--user", "operator", "--expires", "7",
                          "--name", "keuangan"], env=env, capture_output=True, text=True)  # fmt: skip
    assert run.returncode == 0 and run.stderr == ""
    secret = run.stdout.removesuffix("\n")
    assert "\n" not in secret and secret.startswith("kinerja_") and len(secret) == 51
    with sqlite3.connect(tmp_path / "kinerja.sqlite3") as db:
        rows = db.execute("select digest, name from api_accesstoken").fetchall()
    assert rows == [(digest(secret), "keuangan")]
    missing = subprocess.run([*kinerja, "token", "--user", "tidak-ada"], env=env,
                             capture_output=True, text=True)  # fmt: skip
    assert missing.returncode == 2 and missing.stdout == ""
    assert "tidak ada" in missing.stderr
