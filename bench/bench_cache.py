"""Benchmark: the cache of rendered tables (web/fragments.py) in the database and in Redis.

It loads the demo into a throwaway SQLite database (or uses DATABASE_URL if set), then, in one
process per cache, opens the seed agency's TW I 2024 grid (61 rows) as *pimpinan* through
Django's test client: the median of 30 requests served from the kept fragment (and its
queries), of 10 requests each after a new token (drawn again), and of 20 ``save()`` calls of
a program row with their token. Redis is the one on 127.0.0.1:6379 (database 14, keys under a
prefix of this run, deleted at the end). Only 127.0.0.1 is ever contacted.

Run:  .venv/bin/python bench/bench_cache.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

BIN = Path(sys.executable).parent
REDIS = "redis://127.0.0.1:6379/14"

ONE = r"""
import os, statistics, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from kinerja.planning.models import WorkItem
from kinerja.web import fragments

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(get_user_model().objects.get(username="pimpinan"))
url = reverse("monitoring:grid", kwargs={"agency": "bkpsdm-sumenep", "year": 2024, "quarter": 1})
assert client.get(url).status_code == 200


def median_ms(call, n):
    took = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        took.append((time.perf_counter() - start) * 1000)
    return statistics.median(took)


kept = median_ms(lambda: client.get(url), 30)
connection.queries_log.clear()  # DEBUG's log is capped: counted from empty
with CaptureQueriesContext(connection) as queries:
    client.get(url)
item = WorkItem.objects.filter(level="program").first()
save = median_ms(item.save, 20)


def drawn_again():
    fragments.bump()
    client.get(url)


again = median_ms(drawn_again, 10)
print(f"| {sys.argv[1]} | {kept:.0f} ms, {len(queries.captured_queries)} queries "
      f"| {again:.0f} ms | {save:.1f} ms |")
"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="kinerja-bench-cache-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "KINERJA_CACHE_URL"}
        env |= {"KINERJA_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "kinerja.settings"}
        env.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
        subprocess.run([str(BIN / "kinerja"), "demo", "--load-only"], env=env, check=True,
                       cwd=tmp, stdout=subprocess.DEVNULL)  # fmt: skip
        prefix = f"bench-{uuid.uuid4().hex[:8]}"
        runs = {
            "database (`DatabaseCache`)": {},
            "Redis on loopback": {"KINERJA_CACHE_URL": REDIS},
            "none (`KINERJA_FRAGMENT_CACHE=0`)": {"KINERJA_FRAGMENT_CACHE": "0"},
        }
        print("| cache | grid, kept fragment | grid, drawn again | a save() with its token |")
        print("|---|---|---|---|")
        try:
            for name, extra in runs.items():
                code = ONE
                if "KINERJA_CACHE_URL" in extra:  # this run's own keys
                    code = code.replace("django.setup()\n", "django.setup()\nfrom django.conf "
                                        f"import settings\nsettings.CACHES['default']"
                                        f"['KEY_PREFIX'] = {prefix!r}\n")  # fmt: skip
                subprocess.run([sys.executable, "-c", code, name], env=env | extra, check=True,
                               cwd=tmp)  # fmt: skip
        finally:
            import redis

            client = redis.Redis.from_url(REDIS)
            for key in client.scan_iter(match=f"{prefix}:*"):
                client.delete(key)


if __name__ == "__main__":
    main()
