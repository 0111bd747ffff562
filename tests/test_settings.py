import os
import subprocess
import sys


def _settings(**env):
    code = "import kinerja.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS, s.LANGUAGE_CODE, s.TIME_ZONE)"
    full = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")} | env
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=full, check=False)  # fmt: skip


def test_defaults_are_the_embedded_demo():
    done = _settings()
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True ['127.0.0.1', 'localhost'] id Asia/Jakarta"


def test_production_refuses_to_start_without_a_secret_key():
    done = _settings(DEBUG="0")
    assert done.returncode != 0
    assert "SECRET_KEY wajib diisi bila DEBUG=0." in done.stderr
    done = _settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="kinerja.example.go.id")
    assert done.stdout.strip() == "False ['kinerja.example.go.id'] id Asia/Jakarta"
