"""`kinerja worker` and `kinerja batch` (registered in kinerja/cli.py)."""

from __future__ import annotations

import argparse
import sys
import time


def _fail(message: str) -> int:
    print(f"kinerja: {message}", file=sys.stderr)
    return 2


def cmd_worker(args: argparse.Namespace) -> int:
    from kinerja.cli import setup_django

    if args.processes < 1 or args.max_tasks < 1:
        return _fail("--processes dan --max-tasks harus 1 atau lebih.")
    setup_django()
    from .worker import run_child, supervise

    if args.child:
        return run_child(args.max_tasks, burst=args.burst)
    return supervise(processes=args.processes, max_tasks=args.max_tasks, burst=args.burst,
                     say=lambda line: print(line, flush=True))  # fmt: skip


def _line(progress: dict[str, int]) -> str:
    width = 24
    finished = progress["done"] + progress["failed"]
    filled = width * finished // max(progress["total"], 1)
    bar = "█" * filled + "░" * (width - filled)
    return (f"[{bar}] {finished}/{progress['total']} · selesai {progress['done']} · gagal "
            f"{progress['failed']} · berjalan {progress['running']} · antre {progress['queued']}")  # fmt: skip


def cmd_batch(args: argparse.Namespace) -> int:
    from kinerja.cli import setup_django

    if args.show is None and (not args.pemda or args.year is None or args.quarter is None):
        return _fail("sebutkan --pemda, --year dan --quarter (atau --show ID).")
    if args.show is None and not 1 <= args.quarter <= 4:
        return _fail("--quarter harus 1–4.")
    setup_django()
    from kinerja.planning.models import Agency, Government

    from .models import ReportBatch
    from .tasks import enqueue_quarter

    if args.show is not None:
        batch = ReportBatch.objects.filter(pk=args.show).first()
        if batch is None:
            return _fail(f"antrean laporan {args.show} tidak ada.")
    else:
        government = Government.objects.filter(slug=args.pemda).first()
        if government is None:
            return _fail(f"pemerintah daerah «{args.pemda}» tidak ada.")
        agency = None
        if args.agency:
            agency = Agency.objects.filter(slug=args.agency, government=government).first()
            if agency is None:
                return _fail(f"perangkat daerah «{args.agency}» tidak ada di {government.name}.")
        batch = enqueue_quarter(government, year=args.year, quarter=args.quarter, agency=agency)
        total = batch.jobs.count()
        print(f"Antrean laporan {batch.pk}: {total} berkas ({batch}). Pekerja «kinerja worker» "
              f"membuatnya; kemajuan: «kinerja batch --show {batch.pk}».", flush=True)  # fmt: skip
        if args.no_wait:
            return 0
    return _follow(batch, once=args.show is not None and not args.wait)


def _follow(batch, *, once: bool) -> int:  # type: ignore[no-untyped-def]
    tty = sys.stderr.isatty()
    last = ""
    while True:
        progress = batch.progress()
        line = _line(progress)
        finished = progress["done"] + progress["failed"] == progress["total"]
        if line != last or finished:
            end = "\n" if finished or once or not tty else "\r"
            print(line + ("\033[K" if tty else ""), end=end, file=sys.stderr, flush=True)
            last = line
        if finished or once:
            break
        time.sleep(1)
    for job in batch.jobs.filter(state="gagal").select_related("agency"):
        print(f"Gagal: {job.agency.slug} {job.document}.{job.format}: {job.error}")
    return 1 if progress["failed"] else 0
