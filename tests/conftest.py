from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def seed_example_path() -> Path:
    return ROOT / "examples" / "seed-tw1-2024.json"


SEED_TODAY = __import__("datetime").date(2024, 7, 1)  # the TW II 2024 period opens on this day


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seed agency, loaded once into the test database; each test runs in a transaction
    that is rolled back, so every test starts from the seed. What the seed stores (its
    example logo) goes to a temporary media folder, never the work tree."""
    from django.test import override_settings

    from kinerja.seed import load_seed

    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("seed-media")),
    ):
        load_seed(today=SEED_TODAY)


@pytest.fixture
def seed():
    from kinerja.seed import seed_data

    return seed_data()


@pytest.fixture
def agency(db):
    from kinerja.planning.models import Agency

    return Agency.objects.get(slug="bkpsdm-sumenep")


@pytest.fixture
def demo_users(agency, settings):
    from django.contrib.auth import get_user_model

    from kinerja.accounts.demo import create_demo_users

    settings.DEBUG = True
    create_demo_users(agency)
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests create users often; production's slow hasher would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Uploaded evidence and generated reports of tests never land in the work tree."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium (Debian's, through Playwright) for the session's browser tests,
    launched when a test first asks for it (one per test cost ~0,2 s CPU, ~0,6 s wall each on a
    loaded machine, ~20 a pass). Tests stay apart as before: each opens contexts of its own
    (own cookies, storage, cache) and closes them (tests/web/test_browser_workflow.py's
    Contexts)."""
    from playwright import sync_api

    from .web.test_browser_workflow import CHROMIUM, CHROMIUM_ARGS

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
