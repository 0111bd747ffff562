"""``kinerja plan import|export|rollover`` (cli.py parses the arguments). Each handler sets
up Django, calls one function of plan_io or planning.rollover, prints, and returns the exit
code: 0 done (warnings included), 2 refused (one Indonesian line on stderr)."""

from __future__ import annotations

import argparse
import sys


def _fail(message: str) -> int:
    print(f"kinerja: {message}", file=sys.stderr)
    return 2


def _revision(args: argparse.Namespace) -> tuple[object, str | None]:
    """The revision the arguments give (None without --tanggal-revisi), or why not."""
    from datetime import date

    from kinerja.planning.items import Revision

    on, reason, basis = (getattr(args, name, None) for name in
                         ("tanggal_revisi", "alasan_revisi", "dasar_hukum"))  # fmt: skip
    if on is None and reason is None and basis is None:
        return None, None
    if not (on and (reason or "").strip() and (basis or "").strip()):
        return None, ("revisi memerlukan --tanggal-revisi, --alasan-revisi dan --dasar-hukum "
                      "sekaligus.")  # fmt: skip
    try:
        day = date.fromisoformat(on)
    except ValueError:
        return None, f"--tanggal-revisi «{on}» bukan tanggal; tulis TTTT-BB-HH."
    return Revision(day, reason.strip(), basis.strip()), None


def _where(issue) -> str:  # type: ignore[no-untyped-def]
    source = issue.source
    if source is None:
        return ""
    at = source.sheet
    if source.row is not None:
        at += f"!{source.column or ''}{source.row}"
    elif source.column:
        at += f"!{source.column}"
    return at


def import_summary(changes, *, file_name: str, written: bool, refusal: str | None) -> str:  # type: ignore[no-untyped-def]
    """The dry run (or what was written) in Indonesian: counts, the pagu column read, then
    every item created, changed (field: old → new) and left, and every warning with its
    sheet!cell, value and reason."""
    counts = changes.counts()
    lines = [
        f"Impor {file_name} ke {changes.agency} tahun {changes.year}"
        + (" — ditulis" if written else " — uji coba (belum ditulis)" if not refusal else ""),
        f"  dibuat: {counts['created']}, diubah: {counts['changed']}, tetap (tidak ada di "
        f"berkas, tidak dihapus): {counts['left']}, peringatan: {counts['warnings']}, "
        f"kesalahan: {counts['errors']}",
    ]
    plan = changes.plan
    if plan.pagu_column:
        others = [c for c in plan.pagu_columns if c != plan.pagu_column]
        lines.append(f"  kolom pagu: «{plan.pagu_column}»"
                     + (f" (kolom lain: {', '.join(f'«{c}»' for c in others)}; pilih dengan "
                        "--kolom-pagu)" if others else ""))  # fmt: skip
    if changes.locked:
        lines.append("  triwulan tahun ini sudah disahkan: perubahan dicatat sebagai revisi")
    if refusal:
        lines.append(f"  DITOLAK: {refusal}")
    if changes.created:
        lines.append("Dibuat:")
        lines += [f"  + {c.what} {c.label}" for c in changes.created]
    if changes.changed:
        lines.append("Diubah:")
        for c in changes.changed:
            lines.append(f"  ~ {c.what} {c.label}")
            lines += [f"      {f.field}: {f.old} → {f.new}" + (" (revisi)" if f.revision else "")
                      for f in c.fields]  # fmt: skip
    if changes.left:
        lines.append("Tetap (ada di basis data, tidak ada di berkas; tidak dihapus):")
        lines += [f"  = {c.what} {c.label}" for c in changes.left]
    if changes.issues:
        lines.append("Peringatan dan kesalahan:")
        for issue in changes.issues:
            kind = "KESALAHAN" if issue.severity == "error" else "peringatan"
            where = _where(issue)
            value = f" «{issue.value}»" if issue.value else ""
            lines.append(f"  {kind}: {where + ' ' if where else ''}{issue.message}{value}")
    return "\n".join(lines) + "\n"


def run_import(args: argparse.Namespace, *, read, diff, apply, summary) -> int:  # type: ignore[no-untyped-def]
    """The flow both ``kinerja plan import`` and ``kinerja form import`` follow: the revision
    the arguments give, the agency, the file's bytes, ``read(data, path)`` (a ValueError is
    the refusal of an unreadable file), ``diff(read, agency, year)`` (the dry run: its
    ``refusal(revision)``, ``writes`` and ``as_json()``), then — without --dry-run and with
    something to write — ``apply(changes, user, file_name, revision)``; the JSON or
    ``summary(changes, file_name=, written=, refusal=)`` on stdout; 0 done or previewed, 2
    refused with the reason on stderr."""
    import json
    from pathlib import Path

    from kinerja.cli import _os_reason, setup_django

    setup_django()
    from kinerja.planning.models import Agency

    from .apply import ImportRefused

    revision, problem = _revision(args)
    if problem:
        return _fail(problem)
    queued = getattr(args, "antrean", False)
    if queued and getattr(args, "sheet", None):
        return _fail("--sheet belum dapat dipakai dengan --antrean (pekerja antrean membaca "
                     "lembar formulir yang pertama); impor tanpa --antrean.")  # fmt: skip
    agency = Agency.objects.filter(slug=args.agency).first()
    if agency is None:
        return _fail(f"perangkat daerah «{args.agency}» tidak ada.")
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(f"{args.file}: berkas tidak dapat dibaca: {_os_reason(exc)}")
    if queued:  # read, compared and written by a task worker, as the upload pages' imports
        return _queued(args, agency=agency, path=path, data=data, revision=revision,
                       summary=summary)  # fmt: skip
    try:
        content = read(data, path)
    except ValueError as exc:  # read.PlanReadError, FormImportError
        return _fail(f"{args.file}: {exc}")
    changes = diff(content, agency, args.year)
    refusal = changes.refusal(revision)
    written = False
    if refusal is None and not args.dry_run and changes.writes:
        try:
            changes = apply(changes, None, path.name, revision)
            written = True
        except ImportRefused as exc:
            refusal = str(exc)
    if args.json:
        out = changes.as_json()
        out.update(file=path.name, dry_run=bool(args.dry_run), written=written,
                   refusal=refusal)  # fmt: skip
        print(json.dumps(out, ensure_ascii=False, sort_keys=True))
    else:
        sys.stdout.write(summary(changes, file_name=path.name, written=written,
                                 refusal=refusal))  # fmt: skip
    if refusal:
        print(f"kinerja: {refusal}", file=sys.stderr)
        return 2
    return 0


def _queued(args: argparse.Namespace, **kwargs) -> int:  # type: ignore[no-untyped-def]
    """``--antrean``: the import as a job on the task queue (plan_io/queued.py), of the kind
    and in the storage folder of the page it mirrors: *Mulai dari formulir* for ``kinerja form
    import``, *Impor rencana* for ``kinerja plan import``."""
    from kinerja.planning import views_form_import, views_import
    from kinerja.planning.models import PlanImportJob

    from .queued import run_queued

    if getattr(args, "form_command", None):
        return run_queued(args, kind=PlanImportJob.Kind.FORM, folder=views_form_import.FOLDER,
                          **kwargs)  # fmt: skip
    return run_queued(args, kind=PlanImportJob.Kind.PLAN, folder=views_import.FOLDER, **kwargs)


def cmd_import(args: argparse.Namespace) -> int:
    """``kinerja plan import FILE --agency SLUG --year YYYY [--dry-run] [--json]``: 0 done or
    previewed (warnings included), 2 refused (unreadable file, no code/name columns, a
    change to an approved year without a revision)."""
    from kinerja.cli import setup_django

    setup_django()  # before the models apply.py imports
    from .apply import apply_changes, plan_changes

    def read(data: bytes, path) -> object:  # type: ignore[no-untyped-def]
        return _read(data, file_name=path.name, pagu_column=args.kolom_pagu)

    return run_import(args, read=read, diff=plan_changes, apply=apply_changes,
                      summary=import_summary)  # fmt: skip


def _read(data: bytes, *, file_name: str, pagu_column: str | None):  # type: ignore[no-untyped-def]
    """The file's plan through read.read_plan (safety limits, layout detection); a refused
    file raises read.PlanReadError (a ValueError) with the Indonesian reason."""
    from .read import read_plan

    plan = read_plan(data, file_name=file_name, pagu_column=pagu_column)
    if plan.refused:
        raise ValueError("; ".join(i.message for i in plan.issues if i.severity == "error"))
    return plan


def cmd_export(args: argparse.Namespace) -> int:
    """``kinerja plan export --agency SLUG --year YYYY --output FILE.xlsx``: the year's plan
    in the import template's layout."""
    from pathlib import Path

    from kinerja.cli import _os_reason, setup_django

    output = Path(args.output)
    if output.suffix.lower() != ".xlsx":
        return _fail(f"--output «{args.output}» harus berakhiran .xlsx.")
    setup_django()
    from kinerja.planning.models import Agency

    from .export import export_workbook

    agency = Agency.objects.filter(slug=args.agency).first()
    if agency is None:
        return _fail(f"perangkat daerah «{args.agency}» tidak ada.")
    data = export_workbook(agency, args.year)
    try:
        output.write_bytes(data)
    except OSError as exc:
        return _fail(f"{args.output}: berkas tidak dapat ditulis: {_os_reason(exc)}")
    items = agency.work_items.filter(year=args.year).count()
    print(f"Rencana {agency} tahun {args.year}: {items} program/kegiatan/sub kegiatan → "
          f"{output}")  # fmt: skip
    return 0


def cmd_rollover(args: argparse.Namespace) -> int:
    from kinerja.cli import setup_django

    setup_django()
    from kinerja.planning.rollover import cli_rollover

    return cli_rollover(args)
