"""Kinerja's one settings module, read from the environment.

DATABASE_URL   sqlite:////abs/path.sqlite3 or postgresql://user@host:port/name
               (default: SQLite at ./var/kinerja.sqlite3)
DEBUG          on unless DEBUG=0
SECRET_KEY     required when DEBUG is off
ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
MEDIA_ROOT     where uploaded evidence and generated files go with the default storage
KINERJA_FRAGMENT_CACHE  0 turns off the database cache of rendered tables (web/fragments.py)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("KINERJA_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("DEBUG", "1") != "0"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY wajib diisi bila DEBUG=0.")
    SECRET_KEY = "kinerja-demo-only-not-secret"  # noqa: S105 - DEBUG only
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
# the header in which the load balancer / reverse proxy in front of Kinerja passes the client's
# address (e.g. X-Forwarded-For; its right-most address is the one the proxy added): login
# throttling counts per client address (accounts/throttle.py); empty: REMOTE_ADDR
KINERJA_TRUSTED_PROXY_HEADER = os.environ.get("KINERJA_TRUSTED_PROXY_HEADER", "").strip()
if not DEBUG:
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") != "0"
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "kinerja.accounts",
    "kinerja.planning",
    "kinerja.monitoring",
    "kinerja.record",
    "kinerja.web",
]

MIDDLEWARE = [
    # outermost: Kinerja's own error pages also under DEBUG (kinerja serve, kinerja demo)
    "kinerja.web.middleware.ErrorPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "kinerja.urls"
CSRF_FAILURE_VIEW = "kinerja.web.errors.csrf_failure"
# The grid posts six fields a row (K, Rp, note and the values the page was drawn with): Django's
# default of 1.000 fields would refuse the save of a Renja form of more than 165 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
WSGI_APPLICATION = "kinerja.wsgi.application"

# rendered grid rows, dashboards and overviews kept in the database until their data changes
# (kinerja/web/fragments.py); 0 computes every page on every request
FRAGMENT_CACHE = os.environ.get("KINERJA_FRAGMENT_CACHE", "1") != "0"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kinerja.web.context_processors.navigation",
            ],
        },
    },
]


def _database(url: str, conn_max_age: str) -> dict[str, object]:
    """DATABASE_URL as Django's settings; an unusable value is refused in one sentence."""
    try:
        db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=int(conn_max_age)))
    except ValueError as exc:  # dj_database_url's ParseError and UnknownSchemeError too
        raise ImproperlyConfigured(
            "DATABASE_URL atau CONN_MAX_AGE tidak sah: gunakan sqlite:////jalur/berkas.sqlite3 "
            "atau postgresql://pengguna@host:port/nama, dan CONN_MAX_AGE berupa bilangan bulat."
        ) from exc
    engine = str(db["ENGINE"])
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise ImproperlyConfigured(
            "DATABASE_URL harus sqlite:///… atau postgresql://…; basis data lain tidak didukung."
        )
    if engine.endswith("sqlite3"):
        if not db.get("NAME") or db["NAME"] == ":memory:":
            raise ImproperlyConfigured("DATABASE_URL SQLite harus menyebut jalur berkas.")
        # concurrent writers wait for each other (up to 20 s) instead of failing with
        # "database is locked": every transaction takes the write lock when it begins
        # (IMMEDIATE), so none has to upgrade a read lock midway, which SQLite cannot wait
        # for; WAL lets readers go on while one writer writes
        db["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return db


DATABASES = {
    "default": _database(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kinerja.sqlite3'}"),
        os.environ.get("CONN_MAX_AGE", "60"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
# Numbers a reader sees are formatted by kinerja.core.numbers (1.905.955.200); a template must
# never add separators to ids, years or form values (row-1.234, 2.024).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG  # the demo serves static files without collectstatic
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # written to a temporary file, then linked under its name: never half a file (storage.py)
    "default": {"BACKEND": "kinerja.storage.AtomicFileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# the reason of a change is free text, as long as the user needs (default: 100 characters)
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
