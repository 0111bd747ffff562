"""Kinerja's one settings module, read from the environment.

DATABASE_URL   sqlite:////abs/path.sqlite3 or postgresql://user@host:port/name
               (default: SQLite at ./var/kinerja.sqlite3)
DEBUG          on unless DEBUG=0
SECRET_KEY     required when DEBUG is off
ALLOWED_HOSTS  comma-separated (default: 127.0.0.1,localhost)
MEDIA_ROOT     where uploaded evidence and generated files go with the default storage
KINERJA_FRAGMENT_CACHE  0 turns off the cache of rendered tables (web/fragments.py)
KINERJA_CACHE_URL   redis://host:6379/0: Django's cache in Redis (production; default: in the
                    database, table kinerja_cache, created by migrate)
KINERJA_TRUSTED_PROXY_HEADER  the proxy's client-address header (login throttling)
KINERJA_PROXY_SSL_HEADER      the proxy's "this came over HTTPS" header (DEBUG=0)
KINERJA_SSL_REDIRECT          0: do not redirect HTTP to HTTPS (DEBUG=0; default 1)
KINERJA_HSTS_SECONDS          Strict-Transport-Security max-age (DEBUG=0; default one year)
KINERJA_SESSION_IDLE_MINUTES  a session ends after this long without a request (default 30)
KINERJA_SESSION_MAX_HOURS     and this long after its login, however active (default 12)
CSRF_TRUSTED_ORIGINS          comma-separated https://host origins, when a proxy changes Host
KINERJA_BASE_URL              the address users open Kinerja at, for the links in e-mails
                              (default http://127.0.0.1:8000)
EMAIL_BACKEND                 Django's mail backend (default: console with DEBUG on, else smtp)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL,
DEFAULT_FROM_EMAIL            the SMTP server and the sender of reminders (monitoring/reminders.py)
README "Run in production" says what each does.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("KINERJA_VAR_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("DEBUG", "1") != "0"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY wajib diisi bila DEBUG=0.")
    SECRET_KEY = "kinerja-demo-only-not-secret"  # noqa: S105 - DEBUG only
elif not DEBUG and (
    len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure-")
):
    # the rule of Django's own check (security.W009), refused instead of warned
    raise ImproperlyConfigured(
        "SECRET_KEY terlalu lemah: minimal 50 karakter acak dengan sedikitnya 5 karakter "
        "berbeda, tanpa awalan 'django-insecure-' (buat dengan: python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(50))')."
    )


def _env_int(name: str, default: int) -> int:
    """A whole positive number from the environment, refused in one sentence otherwise."""
    value = os.environ.get(name, "").strip() or str(default)
    if not (value.isascii() and value.isdigit() and int(value) > 0):
        raise ImproperlyConfigured(f"{name} harus bilangan bulat positif, bukan «{value}».")
    return int(value)


ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
# the header in which the load balancer / reverse proxy in front of Kinerja passes the client's
# address (e.g. X-Forwarded-For; its right-most address is the one the proxy added): login
# throttling counts per client address (accounts/throttle.py); empty: REMOTE_ADDR
KINERJA_TRUSTED_PROXY_HEADER = os.environ.get("KINERJA_TRUSTED_PROXY_HEADER", "").strip()
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# a session ends after KINERJA_SESSION_IDLE_MINUTES without a request and, however active,
# KINERJA_SESSION_MAX_HOURS after its login (web/middleware.SessionLifetimeMiddleware)
SESSION_IDLE_SECONDS = _env_int("KINERJA_SESSION_IDLE_MINUTES", 30) * 60
SESSION_MAX_SECONDS = _env_int("KINERJA_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS  # renewed by the middleware while the user is active

if not DEBUG:
    # production is served over TLS only (the demo, DEBUG on, is plain HTTP on 127.0.0.1)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("KINERJA_SSL_REDIRECT", "1") != "0"
    SECURE_REDIRECT_EXEMPT = [r"^sehat/$"]  # the load balancer's health check may be plain HTTP
    SECURE_HSTS_SECONDS = _env_int("KINERJA_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # the header in which the TLS-terminating proxy says the request came over HTTPS, e.g.
    # X-Forwarded-Proto (the proxy must set it itself and drop what a client sent)
    _ssl_header = os.environ.get("KINERJA_PROXY_SSL_HEADER", "").strip()
    if _ssl_header:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _ssl_header.upper().replace("-", "_"), "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "csp",
    "kinerja.accounts",
    "kinerja.planning",
    "kinerja.monitoring",
    "kinerja.record",
    "kinerja.web",
    # report batches and their jobs (reporting/models.py), run on the task queue below
    "kinerja.reporting",
    # Django's Tasks API (the django-tasks backport) and its database backend: the queue
    "django_tasks",
    "django_tasks_db",
    # the JSON API (issue 19); "ninja" serves its Swagger UI from its own static files, no CDN
    "ninja",
    "kinerja.api",
    # the roll-up's stored per-agency quarter figures, refreshed on the task queue (docs/rollup.md)
    "kinerja.rollups",
]

MIDDLEWARE = [
    # outermost: Kinerja's own error pages also under DEBUG (kinerja serve, kinerja demo)
    "kinerja.web.middleware.ErrorPageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kinerja.web.middleware.SessionLifetimeMiddleware",
    "kinerja.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

# Content-Security-Policy (django-csp) in every mode: scripts only from Kinerja's own static
# files (htmx, Chartist and Kinerja's scripts are vendored there; no inline script, no eval);
# styles also inline (templates' style attributes and blocks, htmx's indicator style)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

ROOT_URLCONF = "kinerja.urls"
CSRF_FAILURE_VIEW = "kinerja.web.errors.csrf_failure"
# The grid posts six fields a row (K, Rp, note and the values the page was drawn with): Django's
# default of 1.000 fields would refuse the save of a Renja form of more than 165 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
WSGI_APPLICATION = "kinerja.wsgi.application"

# the task queue (docs/deploy.md, "Task workers"): Django's Tasks API with its database backend
# in the demo and in production — tasks and their results are rows of the one database, so no
# process keeps state and no extra service runs; `kinerja worker` runs them (reporting/worker.py)
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                     "QUEUES": ["default", "laporan"]}}  # fmt: skip
# a running report job whose worker sent no sign of life for this long is taken as dead and
# retried (or failed after KINERJA_TASK_ATTEMPTS tries); a dead worker on the same machine is
# seen at once by its process id
TASK_LEASE_SECONDS = _env_int("KINERJA_TASK_LEASE_SECONDS", 300)
TASK_ATTEMPTS = _env_int("KINERJA_TASK_ATTEMPTS", 2)

# rendered grid rows, dashboards and overviews kept in Django's cache until their data changes
# (kinerja/web/fragments.py); 0 computes every page on every request
FRAGMENT_CACHE = os.environ.get("KINERJA_FRAGMENT_CACHE", "1") != "0"


def _caches(url: str) -> dict[str, dict[str, object]]:
    """Django's cache: in the database (its table made by migrate) unless KINERJA_CACHE_URL
    names a Redis server, as production does (docs/deploy.md). Neither keeps anything in the
    process: every app process behind the load balancer sees the same entries."""
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                            "LOCATION": "kinerja_cache", "KEY_PREFIX": "kinerja",
                            # culled beyond this; a pemda's fragments are a few hundred
                            "OPTIONS": {"MAX_ENTRIES": 50_000}}}  # fmt: skip
    if url.partition("://")[0] not in ("redis", "rediss", "unix"):
        raise ImproperlyConfigured(
            "KINERJA_CACHE_URL harus redis://host:port/nomor-db (atau rediss://, unix://); "
            "kosongkan untuk cache di basis data."
        )
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": url, "KEY_PREFIX": "kinerja"}}  # fmt: skip


CACHES = _caches(os.environ.get("KINERJA_CACHE_URL", "").strip())

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

# e-mail: the workflow's notices and `kinerja remind` (monitoring/reminders.py). The demo
# (DEBUG on) prints them on the console; production sends through SMTP unless EMAIL_BACKEND
# says otherwise. Links in mails start with KINERJA_BASE_URL.
KINERJA_BASE_URL = os.environ.get("KINERJA_BASE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "").strip() or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "0") == "1"
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kinerja <kinerja@localhost>")

# the reason of a change is free text, as long as the user needs (default: 100 characters)
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
