import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

KINERJA = str(Path(sys.executable).with_name("kinerja"))
STRONG_KEY = "k7Qm2vX9pL4wR8tY1zN6bH3cJ5dF0gS-aB3dE6gH9j_Uo2Ww7Ee"  # 51 characters, varied
# the environment README "Run in production" documents (DATABASE_URL set per test)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "kinerja.example.go.id",
    "KINERJA_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    "KINERJA_TRUSTED_PROXY_HEADER": "X-Forwarded-For",
}
OURS = ("DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CSRF_TRUSTED_ORIGINS")


def _env(**env):
    base = {k: v for k, v in os.environ.items() if k not in OURS and not k.startswith("KINERJA_")}
    return base | env


def _settings(code="", **env):
    code = (
        code
        or "import kinerja.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=_env(**env), check=False)  # fmt: skip


def test_defaults_are_the_embedded_demo():
    done = _settings()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True ['127.0.0.1', 'localhost'] id Asia/Jakarta"


def test_production_refuses_to_start_without_a_secret_key():
    done = _settings(DEBUG="0")
    assert done.returncode != 0
    assert "SECRET_KEY wajib diisi bila DEBUG=0." in done.stderr
    done = _settings(DEBUG="0", SECRET_KEY=STRONG_KEY, ALLOWED_HOSTS="kinerja.example.go.id")
    assert done.stdout.strip() == "False ['kinerja.example.go.id'] id Asia/Jakarta"


@pytest.mark.parametrize("key", [
    "x" * 49 + "a",  # 50 characters, 2 different
    "abcd" * 20,  # long, 4 different
    "django-insecure-" + STRONG_KEY,  # Django's generated development key
    STRONG_KEY[:49],  # one short of 50
    "",  # missing
])  # fmt: skip
def test_a_weak_or_missing_secret_key_refuses_to_start_in_one_indonesian_line(tmp_path, key):
    env = _env(**PRODUCTION | {"SECRET_KEY": key,
                               "DATABASE_URL": f"sqlite:///{tmp_path / 'k.sqlite3'}"})  # fmt: skip
    done = subprocess.run([KINERJA, "manage", "check"], capture_output=True, text=True, env=env,
                          check=False, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith("kinerja: pengaturan tidak sah: SECRET_KEY ")
    # the same key with DEBUG on (the demo) starts
    env["DEBUG"] = "1"
    done = subprocess.run([KINERJA, "manage", "check"], capture_output=True, text=True, env=env,
                          check=False, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_check_deploy_is_clean_with_the_documented_production_environment(tmp_path):
    env = _env(**PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'p.sqlite3'}")
    done = subprocess.run([KINERJA, "manage", "check", "--deploy"], capture_output=True,
                          text=True, env=env, check=False, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "System check identified no issues (0 silenced).", done.stderr
    assert "WARNINGS" not in done.stderr and "security.W" not in done.stderr
    # and each documented variable matters: without the HSTS or with HTTP allowed, it warns
    done = subprocess.run([KINERJA, "manage", "check", "--deploy"], capture_output=True,
                          text=True, env=env | {"KINERJA_SSL_REDIRECT": "0"}, check=False,
                          cwd=tmp_path)  # fmt: skip
    assert "security.W008" in done.stdout + done.stderr


def test_the_readme_documents_every_variable_the_settings_read():
    settings_py = (Path(__file__).parents[1] / "src/kinerja/settings.py").read_text()
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    production = readme[readme.index("## Run in production") :]
    production = production[: production.index("\n## ", 5)]
    read = set(re.findall(r'os\.environ\.get\("([A-Z_]+)"', settings_py))
    read |= set(re.findall(r'_env_int\("([A-Z_]+)"', settings_py))
    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS",
            "KINERJA_TRUSTED_PROXY_HEADER", "KINERJA_SESSION_IDLE_MINUTES"} <= read  # fmt: skip
    missing = sorted(name for name in read if f"`{name}`" not in production)
    assert missing == []


def test_production_settings_only_with_debug_off():
    code = ("import kinerja.settings as s; print(s.SESSION_COOKIE_SECURE if hasattr(s, "
            "'SESSION_COOKIE_SECURE') else None, getattr(s, 'SECURE_SSL_REDIRECT', None), "
            "getattr(s, 'SECURE_HSTS_SECONDS', None), getattr(s, 'SECURE_PROXY_SSL_HEADER', "
            "None), s.SESSION_COOKIE_AGE, s.SESSION_MAX_SECONDS)")  # fmt: skip
    demo = _settings(code)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split() == ["None", "None", "None", "None", "1800", "43200"]
    prod = _settings(code, **PRODUCTION, KINERJA_SESSION_IDLE_MINUTES="10",
                     KINERJA_SESSION_MAX_HOURS="8")  # fmt: skip
    assert prod.returncode == 0, prod.stderr
    assert prod.stdout.strip() == ("True True 31536000 ('HTTP_X_FORWARDED_PROTO', 'https') "
                                   "600 28800")  # fmt: skip


@pytest.mark.parametrize("value", ["0", "-5", "30m", "٣٠", "1.5"])
def test_a_session_timeout_that_is_no_positive_whole_number_is_refused(value):
    done = _settings(KINERJA_SESSION_IDLE_MINUTES=value)
    assert done.returncode != 0
    assert f"KINERJA_SESSION_IDLE_MINUTES harus bilangan bulat positif, bukan «{value}»." in (
        done.stderr
    )


def test_the_cache_is_the_database_unless_kinerja_cache_url_names_redis():
    code = ("import kinerja.settings as s; c = s.CACHES['default']; "
            "print(c['BACKEND'], c['LOCATION'])")  # fmt: skip
    demo = _settings(code)
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "kinerja_cache"]
    prod = _settings(code, KINERJA_CACHE_URL="redis://127.0.0.1:6379/3")
    assert prod.returncode == 0, prod.stderr
    assert prod.stdout.split() == ["django.core.cache.backends.redis.RedisCache",
                                   "redis://127.0.0.1:6379/3"]  # fmt: skip


def test_a_cache_url_that_is_not_redis_is_refused():
    done = _settings(KINERJA_CACHE_URL="memcached://127.0.0.1:11211")
    assert done.returncode != 0
    assert "KINERJA_CACHE_URL harus redis://" in done.stderr
