import pytest

from kinerja.accounts.models import LoginFailure

pytestmark = pytest.mark.django_db


def test_login_is_throttled_after_five_failures_even_with_the_right_password(client, demo_users):
    for _ in range(5):
        response = client.post("/masuk/", {"username": "operator", "password": "salah"})
        assert response.status_code == 200
    assert LoginFailure.objects.filter(username="operator").count() == 5
    refused = client.post("/masuk/", {"username": "operator", "password": "demo"})
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_clears_the_failures(client, demo_users):
    for _ in range(3):
        client.post("/masuk/", {"username": "pimpinan", "password": "salah"})
    response = client.post("/masuk/", {"username": "pimpinan", "password": "demo"})
    assert response.status_code == 302
    assert LoginFailure.objects.filter(username="pimpinan").count() == 0


def test_password_change_in_indonesian(client, demo_users):
    client.force_login(demo_users["operator"])
    page = client.get("/sandi/").content.decode()
    assert "Ganti kata sandi" in page
    response = client.post("/sandi/", {"old_password": "demo", "new_password1": "Sumenep-2024!x",
                                       "new_password2": "Sumenep-2024!x"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/sandi/selesai/"
    demo_users["operator"].refresh_from_db()
    assert demo_users["operator"].check_password("Sumenep-2024!x")
