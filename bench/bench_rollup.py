"""Benchmark: `kinerja synth` at province or national size on PostgreSQL, and the national
roll-up (kinerja.rollup.quarter_rollup) against a bare GROUP BY over the same realisation
table in the same run.

It creates its own database (kinerja_bench_rollup) on the PostgreSQL server at 127.0.0.1,
generates N pemda × M agencies (`kinerja synth`, timed, with the database size after it),
runs ANALYZE, then times — median of --repeat runs each, warm — the national roll-up of a
quarter (every agency's footer by the core, every pemda, province and the country), one
province's and one pemda's, and the bare query: Σ Rp, Σ K and the count of realisations
per agency up to the quarter, GROUP BY agency. Before timing it checks the roll-up against
the core (`evaluate_form` of the database form) for a few agencies. Then the pages above the
pemda as a national reader sees them (web/rollup_pages.py, through Django's test client, no
server): the national overview, one province's and one pemda's — time and number of
queries, computed (fragment cache off) and kept (the fragment of the unchanged data). The
database is dropped at the end (--keep leaves it; a --reuse run never drops the database it
was given); --database names it (one per engineer when several run the bench on one server).

The roll-up reads the stored per-agency figures (kinerja.rollups): the bench times it first
with nothing stored (every agency computed in line, as before they existed), then the refresh
of every agency's figures (`kinerja rollup --refresh`'s work, in this process), then the
national roll-up from the stored figures against the bare GROUP BY (the goal), and with one
agency's figures made stale by a write. --reuse measures a database a previous --keep run
left (migrated first; no synth).

Run:  .venv/bin/python bench/bench_rollup.py                        # 20 × 10, a few minutes
      .venv/bin/python bench/bench_rollup.py --governments 550 --agencies 40   # the country
      .venv/bin/python bench/bench_rollup.py --governments 22 --agencies 40 --jobs 2
Goal: national roll-up ≤ 3× the bare GROUP BY.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
KINERJA = str(Path(sys.executable).parent / "kinerja")
NAME = "kinerja_bench_rollup"


def timed(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--governments", type=int, default=20)
    parser.add_argument("--agencies", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--quarter", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="do not drop the database")
    parser.add_argument("--jobs", type=int, default=1,
                        help="kinerja synth --jobs: processes writing the pemda")  # fmt: skip
    parser.add_argument("--database", default=NAME, help=f"its name (default {NAME})")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the database a --keep run left (migrate, no synth)")  # fmt: skip
    args = parser.parse_args()
    name = args.database
    import psycopg

    parts = urlsplit(args.server)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("only a PostgreSQL server on 127.0.0.1")
    url = urlunsplit(parts._replace(path=f"/{name}"))
    if not args.reuse:
        with psycopg.connect(args.server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    tmp = Path(tempfile.mkdtemp(prefix="bench-rollup-"))
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {"DATABASE_URL": url, "DEBUG": "1", "KINERJA_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media")}  # fmt: skip
    try:
        start = time.perf_counter()
        command = ([KINERJA, "manage", "migrate"] if args.reuse else
                   [KINERJA, "synth", "--governments", str(args.governments), "--agencies",
                    str(args.agencies), "--seed", str(args.seed), "--years", str(args.year),
                    "--jobs", str(args.jobs)])  # fmt: skip
        done = subprocess.run(command, env=env, cwd=tmp, capture_output=True, text=True)
        generate_s = time.perf_counter() - start
        if args.reuse:
            done.stdout = "(reused: generated by an earlier run)"
        if done.returncode != 0:
            raise SystemExit(f"{command[1]} failed:\n{done.stdout}\n{done.stderr}")
        os.environ.update(env)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
        import django

        django.setup()
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("SELECT pg_database_size(current_database())")
            size = cursor.fetchone()[0]
        report(args, done.stdout.strip(), generate_s, size)
    finally:
        if not args.keep and not args.reuse:  # a database this run did not make is kept
            from django.db import connections

            connections.close_all()
            with psycopg.connect(args.server, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def report(args: argparse.Namespace, summary: str, generate_s: float, size: int) -> None:
    from django.db import connection
    from django.db.models import Count, Sum

    from kinerja.core import evaluate_form
    from kinerja.monitoring.models import Realisation
    from kinerja.monitoring.queries import evaluation_form
    from kinerja.planning.models import Agency, Government, WorkItem
    from kinerja.record.models import SnapshotValue
    from kinerja.rollup import quarter_rollup

    year, quarter = args.year, args.quarter
    items = WorkItem.objects.count()
    realisations = Realisation.objects.count()
    print(f"Data: {args.governments} pemda × {args.agencies} perangkat daerah (seed "
          f"{args.seed}, {year}): {summary}")  # fmt: skip
    print(f"  generated in {generate_s:.1f} s ({generate_s / args.governments:.2f} s per pemda); "
          f"{items} items, {realisations} realisations, {SnapshotValue.objects.count()} "
          f"snapshot values; database {size / 2**20:.0f} MB")  # fmt: skip

    from kinerja.rollups.models import AgencyQuarterFigures
    from kinerja.rollups.stale import mark
    from kinerja.rollups.tasks import refresh, refresh_all

    def checked(rows):  # type: ignore[no-untyped-def]
        """Right first: the roll-up's figures are the core's for a few agencies."""
        by_slug = {r.slug: r for r in rows if r.kind == "agency"}
        for agency in Agency.objects.order_by("?")[:5]:
            foot = evaluate_form(evaluation_form(agency, year=year, quarter=quarter)).footer
            got = by_slug[agency.slug]
            assert (got.k, got.rp) == (foot.k.value, foot.rp.value), agency.slug
        country = rows[0]
        assert country.kind == "country" and country.agencies == Agency.objects.count()
        return rows

    # nothing stored: every agency computed in line (the roll-up before stored figures)
    AgencyQuarterFigures.objects.all().delete()
    checked(quarter_rollup(year=year, quarter=quarter))
    inline, _ = timed(lambda: quarter_rollup(year=year, quarter=quarter), args.repeat)
    start = time.perf_counter()
    stored = refresh_all()
    refresh_s = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE rollups_agencyquarterfigures")
    rows = checked(quarter_rollup(year=year, quarter=quarter))
    country = rows[0]

    def bare():  # type: ignore[no-untyped-def]
        return list(
            Realisation.objects.filter(work_item__year=year, quarter__lte=quarter)
            .values("work_item__agency_id")
            .annotate(rp=Sum("value_rp"), k=Sum("value_k"), n=Count("id"))
            .values_list("work_item__agency_id", "rp", "k", "n")
        )

    national, _ = timed(lambda: quarter_rollup(year=year, quarter=quarter), args.repeat)
    bare_s, groups = timed(bare, args.repeat)
    # the same pair interleaved, each median of its own: the machine's load moves between runs
    pairs = [(timed(lambda: quarter_rollup(year=year, quarter=quarter), 1)[0], timed(bare, 1)[0])
             for _ in range(args.repeat)]  # fmt: skip
    ratios = sorted(n / b for n, b in pairs)
    one = Agency.objects.order_by("?").first()
    mark({(one.pk, year)})  # as a write of its year does: that agency is computed in line
    one_stale, _ = timed(lambda: quarter_rollup(year=year, quarter=quarter), args.repeat)
    refresh([(one.pk, year)])  # current again for the pages below
    government = Government.objects.exclude(province=None).order_by("slug").first()
    province_s, _ = timed(lambda: quarter_rollup(year=year, quarter=quarter,
                                                 province=government.province.code),
                          args.repeat)  # fmt: skip
    pemda_s, _ = timed(lambda: quarter_rollup(year=year, quarter=quarter,
                                              pemda=government.slug), args.repeat)  # fmt: skip
    print(f"Roll-up TW {quarter} {year} (median of {args.repeat}, warm):")
    print(f"  national, nothing stored (every agency in line): {inline:.3f} s")
    print(f"  refresh of every agency's stored figures: {refresh_s:.1f} s ({stored} rows: "
          f"agencies × years × 4 quarters)")  # fmt: skip
    print(f"  national from the stored figures: {national:.3f} s ({len(rows)} rows: "
          f"{country.agencies} agencies, k {country.k:.2f} %, rp {country.rp:.2f} %)")  # fmt: skip
    print(f"  bare GROUP BY agency over the realisations: {bare_s:.3f} s ({len(groups)} groups)")
    print(f"  ratio national / bare: {national / bare_s:.2f}× (goal ≤ 3×); interleaved pairs: "
          f"median {statistics.median(ratios):.2f}×, {ratios[0]:.2f}–{ratios[-1]:.2f}×")  # fmt: skip
    print(f"  national with one agency stale (computed in line): {one_stale:.3f} s")
    print(f"  one province ({government.province.name}): {province_s:.3f} s; "
          f"one pemda ({government.name}): {pemda_s:.3f} s")  # fmt: skip
    pages(args, government)


def pages(args: argparse.Namespace, government) -> None:  # type: ignore[no-untyped-def]
    """The national, a province's and a pemda's overview pages as a national reader gets
    them: median time and queries, computed and kept."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from kinerja.accounts.models import Profile, Role

    user, _ = get_user_model().objects.get_or_create(username="bench-nasional")  # --reuse
    Profile.objects.get_or_create(user=user, defaults={"role": Role.NATIONAL,
                                                       "government": government})  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    where = {"year": args.year, "quarter": args.quarter}
    urls = {
        "national": reverse("web:national", kwargs=where),
        "province": reverse("web:province", kwargs={"province": government.province.code,
                                                    **where}),
        "pemda": reverse("web:overview_of", kwargs={"pemda": government.slug, **where}),
    }  # fmt: skip

    def get(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return len(ctx.captured_queries)

    print(f"Pages as a national reader (median of {args.repeat}; queries per request):")
    for label, url in urls.items():
        settings.FRAGMENT_CACHE = False
        computed, queries = timed(lambda url=url: get(url), args.repeat)
        settings.FRAGMENT_CACHE = True
        get(url)  # the fragment stored
        kept, kept_queries = timed(lambda url=url: get(url), args.repeat)
        print(f"  {label:<9} {url:<34} computed {computed:.3f} s ({queries} queries), "
              f"kept {kept:.3f} s ({kept_queries} queries)")  # fmt: skip


if __name__ == "__main__":
    main()
