"""The `kinerja` command. Thin: parse arguments, call the core or a domain function, print.

Subcommands import what they need inside their handler, so `kinerja capaian` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import NoReturn

__all__ = ["main"]


# argparse's own messages, said in Indonesian (the rest is kept as argparse wrote it)
_ARGPARSE = (
    (r"the following arguments are required: (.*)", "argumen wajib belum diisi: {0}"),
    (r"argument (\S+): invalid int value: (.*)", "{0}: {1} bukan bilangan bulat"),
    (
        r"argument (\S+): invalid choice: (\S+) \(choose from (.*)\)",
        "{0}: {1} tidak dikenal (pilihan: {2})",
    ),
    (r"argument (\S+): expected one argument", "{0} perlu satu nilai"),
    (r"argument (\S+): not allowed with argument (\S+)", "{0} tidak dapat dipakai bersama {1}"),
    (r"unrecognized arguments: (.*)", "argumen tidak dikenal: {0}"),
    (r"argument (\S+): (.*)", "{0}: {1}"),
)


def _whole(text: str) -> int:
    """A whole number in ASCII digits 0–9 (int() would also read «٢٠٢٤» and «２０２４»)."""
    import re

    if not re.fullmatch(r"-?[0-9]{1,9}", text.strip()):
        raise argparse.ArgumentTypeError(
            f"«{text[:40]}» bukan bilangan bulat (angka 0–9, paling banyak 9 angka)"
        )
    return int(text)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        """One line, in Indonesian, exit code 2 — not argparse's usage block and English."""
        import re

        for pattern, said in _ARGPARSE:
            found = re.fullmatch(pattern, message)
            if found:
                message = said.format(*found.groups())
                break
        message = " ".join(message.split())
        self.exit(2, f"{self.prog}: argumen salah: {message} (lihat «{self.prog} -h»)\n")


def _fail(message: str) -> int:
    print(f"kinerja: {message}", file=sys.stderr)
    return 2


def cmd_capaian(args: argparse.Namespace) -> int:
    from kinerja.core import (
        PREDIKAT_CAPAIAN,
        InvalidNumber,
        Polarity,
        Target,
        achievement,
        capped,
        explain_achievement,
        format_percent,
        parse_number,
    )
    from kinerja.core.numbers import to_plain

    try:
        values = {}
        for name, text in (("TARGET", args.target), ("REALISASI", args.realisasi),
                           ("--upper", args.upper), ("--cap", args.cap)):  # fmt: skip
            value = parse_number(text) if text is not None else None
            if value is not None and value < 0:
                raise InvalidNumber(f"{name} «{text}» tidak boleh negatif.")
            values[name] = value
    except InvalidNumber as exc:
        return _fail(str(exc))
    if values["TARGET"] is None:
        return _fail("TARGET harus diisi.")
    if values["--upper"] is not None and values["--upper"] < values["TARGET"]:
        return _fail("--upper harus sama dengan atau lebih besar dari TARGET (batas bawah).")
    target = Target(values["TARGET"], values["--upper"])
    polarity = Polarity.LOWER if args.lower_is_better else Polarity.HIGHER
    actual = values["REALISASI"]
    value = achievement(target=target, actual=actual, polarity=polarity)
    rating = PREDIKAT_CAPAIAN.label(value)
    explain = explain_achievement(target=target, actual=actual, polarity=polarity)
    cap = values["--cap"]
    if args.json:
        out = {"capaian": to_plain(value), "predikat": rating, "explain": explain}
        if cap is not None:
            out["capaian_untuk_rata_rata"] = to_plain(capped(value, cap))
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"Capaian: {format_percent(value)}")
    print(f"Predikat: {rating or '-'}")
    if cap is not None:
        print(
            f"Dihitung dalam rata-rata: {format_percent(capped(value, cap))} "
            f"(batas {format_percent(cap, 0)})"
        )
    print(explain)
    return 0


def setup_django() -> None:
    """Configure Django for a command that needs the database (imports stay lazy)."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    import django
    from django.conf import settings

    django.setup()
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        from pathlib import Path

        Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def _write_evaluation(evaluation, args: argparse.Namespace) -> None:  # type: ignore[no-untyped-def]
    from kinerja.formoutput import to_csv, to_json, to_table

    if args.json:
        sys.stdout.write(to_json(evaluation) + "\n")
    elif args.csv:
        sys.stdout.buffer.write(to_csv(evaluation).encode("utf-8"))
    else:
        sys.stdout.write(to_table(evaluation))


def cmd_evaluate(args: argparse.Namespace) -> int:
    from kinerja.core import FormError, evaluate_form

    if args.agency is not None:
        return _evaluate_database(args)
    if args.file is None:
        return _fail("sebutkan berkas JSON formulir evaluasi, atau --agency, --year, --quarter.")
    from kinerja.formfile import load_form

    try:
        evaluation = evaluate_form(load_form(args.file))
    except FormError as exc:
        return _fail(f"{args.file}: {exc}")
    _write_evaluation(evaluation, args)
    return 0


def _evaluate_database(args: argparse.Namespace) -> int:
    if args.file is not None:
        return _fail("pilih salah satu: berkas JSON atau --agency.")
    if args.year is None or args.quarter is None:
        return _fail("--agency memerlukan --year dan --quarter.")
    if not 1 <= args.quarter <= 4:
        return _fail("--quarter harus 1, 2, 3 atau 4.")
    setup_django()
    from kinerja.core import evaluate_form
    from kinerja.monitoring.queries import evaluation_form
    from kinerja.planning.models import Agency

    agency = Agency.objects.filter(slug=args.agency).first()
    if agency is None:
        return _fail(f"perangkat daerah «{args.agency}» tidak ada.")
    form = evaluation_form(agency, year=args.year, quarter=args.quarter)
    if not form.rows:
        return _fail(f"{agency} belum punya program/kegiatan untuk tahun {args.year}.")
    _write_evaluation(evaluate_form(form), args)
    return 0


def cmd_token(args: argparse.Namespace) -> int:
    """A new personal access token of the API (api/tokens.py): the token alone on stdout."""
    setup_django()
    from django.contrib.auth import get_user_model

    from kinerja.api.tokens import TokenRefused, create_token

    user = get_user_model().objects.filter(username=args.user).first()
    if user is None or not user.is_active:
        return _fail(f"pengguna «{args.user}» tidak ada atau tidak aktif.")
    try:
        _token, secret = create_token(user, name=args.name or "", expires_days=args.expires)
    except TokenRefused as exc:
        return _fail(str(exc))
    sys.stdout.write(secret + "\n")
    return 0


def cmd_remind(args: argparse.Namespace) -> int:
    """Mail the operators whose period closes within --hari days with their quarter not yet
    submitted (monitoring/reminders.py); print what was sent and who was skipped."""
    if args.hari < 0:
        return _fail("--hari tidak boleh negatif.")
    setup_django()
    from kinerja.monitoring.reminders import remind

    report = remind(days=args.hari)
    for user, dues in report.sent:
        print(f"Terkirim ke {user.get_username()} <{user.email}>:")
        for due in dues:
            print(f"  {due.line()}")
    for label, users in (("pengingat dimatikan", report.turned_off),
                         ("tanpa alamat surel", report.no_address),
                         ("sudah diingatkan hari ini", report.already)):  # fmt: skip
        if users:
            print(f"Tidak dikirim ({label}): " + ", ".join(u.get_username() for u in users))
    for user, reason in report.failed:
        print(f"Gagal mengirim ke {user.get_username()} <{user.email}>: {reason}",
              file=sys.stderr)  # fmt: skip
    if not report.due:
        print(f"Tidak ada triwulan yang belum diajukan dengan periode pelaporan yang ditutup "
              f"dalam {args.hari} hari.")  # fmt: skip
    print(f"{len(report.sent)} surel pengingat terkirim.")
    return 2 if report.failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    """Audit a filled evaluation form (XLSX) without a database: printed against recomputed."""
    from pathlib import Path

    from kinerja.audit import ReadError, audit_workbook
    from kinerja.audit.output import to_json, to_text, write_audit_workbook

    if args.quarter is not None and not 1 <= args.quarter <= 4:
        return _fail("--quarter harus 1, 2, 3 atau 4.")
    output = Path(args.output) if args.output else None
    if output is not None and output.suffix.lower() != ".xlsx":
        return _fail(f"--output «{args.output}» harus berakhiran .xlsx.")
    if output is not None and output.resolve() == Path(args.file).resolve():
        return _fail("--output tidak boleh menimpa berkas yang diperiksa.")
    try:
        data = Path(args.file).read_bytes()
        audit = audit_workbook(data, sheet=args.sheet, quarter=args.quarter)
    except ReadError as exc:
        return _fail(f"{args.file}: {exc}")
    except OSError as exc:
        return _fail(f"{args.file}: berkas tidak dapat dibaca: {_os_reason(exc)}")
    if output is not None:
        tmp = output.with_suffix(".xlsx.tmp")
        with tmp.open("wb") as fh:
            write_audit_workbook(data, audit, fh)
        tmp.replace(output)  # never a half-written workbook under the real name
    sys.stdout.write(to_json(audit) + "\n" if args.json else to_text(audit))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    setup_django()
    from datetime import date

    from django.conf import settings
    from django.core.management import call_command
    from django.utils import timezone

    from kinerja.accounts.demo import DEMO_PASSWORD, create_demo_users
    from kinerja.seed import AGENCY_SLUG, load_seed

    if not settings.DEBUG:
        return _fail(
            "kinerja demo membuat pengguna dengan kata sandi 'demo': jalankan tanpa DEBUG=0."
        )
    if not args.load_only and (busy := _port_in_use(args.host, args.port, "demo")):
        return _fail(busy)  # said before a minute of loading, not after it
    print("Menyiapkan basis data …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print(
        "Memuat perangkat daerah contoh (BKPSDM Kabupaten Sumenep, Triwulan I 2024) …", flush=True
    )
    today: date = timezone.localdate()
    report = load_seed(today=today)
    print(f"  {report.created} baris baru, {report.changed} diperbarui, "
          f"{report.unchanged} tetap.")  # fmt: skip
    from kinerja.examples import create_example_agencies
    from kinerja.planning.models import Agency

    seeded = Agency.objects.get(slug=AGENCY_SLUG)
    create_example_agencies(seeded.government)
    examples = Agency.objects.filter(government=seeded.government, is_example=True).count()
    print(f"Perangkat daerah contoh (data rekaan): {examples}.")
    users = create_demo_users(seeded)
    print(f"Pengguna demo (kata sandi semuanya «{DEMO_PASSWORD}»):")
    for username, role in users:
        print(f"  {username:<12} {role}")
    if args.load_only:
        return 0
    # the task queue's worker beside the server: reports made in the background need no other
    # service in the demo (production runs `kinerja worker` on its own; docs/deploy.md)
    import subprocess

    print("Pekerja antrean laporan berjalan di latar belakang (kinerja worker --processes 1).")
    worker = subprocess.Popen([sys.executable, "-m", "kinerja.cli", "worker", "--processes", "1"])
    try:
        return _serve(args.host, args.port, "demo")
    finally:
        import signal

        # as Ctrl+C would: the worker lets its process finish the task at hand, then stops
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()


def cmd_serve(args: argparse.Namespace) -> int:
    setup_django()
    return _serve(args.host, args.port, "serve")


def _port_in_use(host: str, port: int, command: str) -> str | None:
    """Why the server cannot listen on host:port (another program holds it), in Indonesian
    with the way out, or None. Bound the way Django's server binds (address reuse on), so a
    port left only in TIME_WAIT counts as free."""
    import socket

    if not 1 <= port <= 65535:
        return f"--port {port}: nomor port harus 1–65535."
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return None  # an unknown host: Django's server says so itself
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            other = port + 1 if port < 65535 else port - 1
            way = (f"make demo PORT={other} atau kinerja demo --port {other}"
                   if command == "demo" else f"kinerja serve --port {other}")  # fmt: skip
            return (f"port {port} di {host} sudah dipakai program lain (mungkin Kinerja yang "
                    f"masih berjalan). Hentikan program itu atau pilih port lain: {way}.")  # fmt: skip
    return None


def _serve(host: str, port: int, command: str = "serve") -> int:
    from django.core.management import call_command

    if busy := _port_in_use(host, port, command):
        return _fail(busy)
    print(f"Kinerja berjalan di http://{host}:{port}/ (hentikan dengan Ctrl+C)", flush=True)
    call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
    return 0


class _ProgressBar:
    """A progress bar on stderr: ``[██████░░░░░░] 1/2 evaluasi-renja-….xlsx``."""

    width = 24

    def __call__(self, done: int, total: int, what: str) -> None:
        filled = self.width * done // max(total, 1)
        bar = "█" * filled + "░" * (self.width - filled)
        state = "selesai" if done == total else "membuat"
        end = "\n" if done == total else "\r"
        print(f"[{bar}] {done}/{total} {state} {what}\033[K", end=end, file=sys.stderr, flush=True)


def cmd_report(args: argparse.Namespace) -> int:
    from datetime import date
    from pathlib import Path

    formats = [f.strip().lower() for f in args.format.split(",") if f.strip()]
    if not formats:
        return _fail("sebutkan format, misalnya --format xlsx,pdf.")
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        return _fail(f"--output «{args.output}» adalah berkas, bukan folder.")
    setup_django()
    from django.utils import timezone

    from kinerja.limits import check_date
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
    from kinerja.planning.models import Agency
    from kinerja.record.snapshots import latest_snapshot
    from kinerja.reporting.dates import indonesian_date
    from kinerja.reporting.generate import build_report, generate, report_date
    from kinerja.reporting.renderers import UnsupportedFormat, renderer_for
    from kinerja.reporting.template_check import TemplateRefused, stored_template_message

    try:
        for fmt in formats:
            renderer_for(args.document, fmt)
    except UnsupportedFormat as exc:
        return _fail(str(exc))
    if args.quarter is None and args.document != "pk":
        return _fail("sebutkan --quarter (1–4); hanya --document pk boleh tanpa --quarter.")
    if args.quarter is not None and not 1 <= args.quarter <= 4:
        return _fail("--quarter harus 1, 2, 3 atau 4.")
    signed_on = None
    if args.tanggal is not None:
        try:
            signed_on = date.fromisoformat(args.tanggal)
        except ValueError:
            return _fail(f"--tanggal «{args.tanggal}» bukan tanggal; tulis TTTT-BB-HH, "
                         "misalnya 2024-07-01.")  # fmt: skip
        try:
            check_date(signed_on, label="--tanggal", first_year=args.year)
        except ValueError as exc:
            return _fail(str(exc))
    agency = Agency.objects.select_related("government").filter(slug=args.agency).first()
    if agency is None:
        return _fail(f"perangkat daerah «{args.agency}» tidak ada.")
    if not agency.work_items.filter(year=args.year).exists():
        return _fail(f"{agency} belum punya program/kegiatan untuk tahun {args.year}.")
    quarter = args.quarter
    if quarter is None:  # the PK is annual: the latest approved quarter of the year, else 1
        quarter = (
            QuarterSubmission.objects.filter(agency=agency, year=args.year,
                                             status=SubmissionStatus.APPROVED)
            .order_by("-quarter").values_list("quarter", flat=True).first()
        ) or 1  # fmt: skip
    today = timezone.localdate()
    if signed_on is not None and latest_snapshot(agency.pk, year=args.year, quarter=quarter):
        own = report_date(agency, year=args.year, quarter=quarter, today=today)
        if signed_on != own:
            from kinerja.core.numbers import QUARTER_ROMAN

            return _fail(f"Triwulan {QUARTER_ROMAN[quarter - 1]} {args.year} sudah disahkan dengan "
                         "tanggal laporan "
                         f"{indonesian_date(own)}; buka kembali triwulan itu untuk mengubah "
                         "tanggalnya.")  # fmt: skip
    report = build_report(args.document, agency, year=args.year, quarter=quarter,
                          signed_on=signed_on, today=today)  # fmt: skip
    output.mkdir(parents=True, exist_ok=True)
    try:
        files = generate(report, formats, progress=_ProgressBar(), paper=args.paper)
    except TemplateRefused as exc:  # a Word template stored before uploads were checked
        return _fail(stored_template_message(exc))
    for file in files:
        path = output / file.filename
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(file.content)
        tmp.replace(path)  # never a half-written report under the real name
        print(path)
    return 0


def _plan_handler(name: str):
    """``kinerja plan import|export|rollover``: the handlers live beside the planning code
    (planning/plan_io/commands.py), set up Django themselves and return the exit code."""

    def handler(args: argparse.Namespace) -> int:
        from kinerja.planning.plan_io import commands

        result: int = getattr(commands, f"cmd_{name}")(args)
        return result

    return handler


def _form_import(args: argparse.Namespace) -> int:
    """``kinerja form import``: the handler lives beside the conversion (audit/form_import)."""
    from kinerja.audit.form_import import cmd_import

    return cmd_import(args)


def _handler(module: str, name: str):
    """A handler living beside its code (``kinerja synth``: synth.py, ``kinerja rollup``:
    rollup.py), imported only when the command runs."""

    def handler(args: argparse.Namespace) -> int:
        import importlib

        result: int = getattr(importlib.import_module(f"kinerja.{module}"), name)(args)
        return result

    return handler


def cmd_manage(args: argparse.Namespace) -> int:
    """Django's management commands (migrate, createsuperuser, collectstatic …)."""
    setup_django()
    from django.core.management import execute_from_command_line, get_commands

    command = args.rest[0] if args.rest else "help"
    if not command.startswith("-") and command != "help" and command not in get_commands():
        return _fail(f"perintah pengelolaan «{command}» tidak ada (lihat «kinerja manage help»).")
    try:
        execute_from_command_line(["kinerja manage", *args.rest])
    except SystemExit as exc:  # a refusal of Django's own command, printed by Django
        return 0 if exc.code in (0, None) else 2
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kinerja",
        description="Kinerja — akuntabilitas kinerja perangkat daerah (SAKIP).",
    )
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)

    p = sub.add_parser("capaian", help="hitung capaian satu indikator dan predikatnya")
    p.add_argument("target", metavar="TARGET", help="target, format Indonesia (mis. 84 atau 0,70)")
    p.add_argument("realisasi", metavar="REALISASI", help="realisasi; '-' bila belum dilaporkan")
    p.add_argument("--lower-is-better", action="store_true",
                   help="polaritas negatif: makin rendah makin baik")  # fmt: skip
    p.add_argument("--upper", metavar="U", help="batas atas: TARGET menjadi batas bawah rentang")
    p.add_argument("--cap", metavar="C", help="batas capaian yang dihitung dalam rata-rata")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(handler=cmd_capaian)

    p = sub.add_parser("evaluate", help="evaluasi formulir Renja (kolom 13–16, rata-rata, temuan)")
    p.add_argument("file", metavar="FILE.json", nargs="?", help="formulir evaluasi dalam JSON")
    p.add_argument("--agency", metavar="SLUG", help="dari basis data: kode perangkat daerah")
    p.add_argument("--year", type=_whole, metavar="Y", help="tahun (dengan --agency)")
    p.add_argument("--quarter", type=_whole, metavar="Q", help="triwulan 1–4 (dengan --agency)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="keluaran JSON")
    fmt.add_argument("--csv", action="store_true", help="keluaran CSV (;, koma desimal, BOM)")
    p.set_defaults(handler=cmd_evaluate)

    p = sub.add_parser("check", help="periksa formulir evaluasi isian (XLSX): angka tercetak "
                       "terhadap hasil hitung, tanpa basis data")  # fmt: skip
    p.add_argument("file", metavar="FILE.xlsx", help="formulir evaluasi Renja/RKPD dalam XLSX")
    p.add_argument("--sheet", metavar="NAMA", help="lembar yang diperiksa (bawaan: lembar "
                   "pertama yang berisi formulir)")  # fmt: skip
    p.add_argument("--quarter", type=_whole, metavar="Q",
                   help="triwulan laporan 1–4 (bawaan: dari judul formulir)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--output", metavar="AUDIT.xlsx",
                   help="tulis salinan formulir dengan sel yang salah ditandai dan lembar Temuan")  # fmt: skip
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("demo", help="siapkan basis data, muat BKPSDM Sumenep, lalu jalankan")
    p.add_argument("--load-only", action="store_true", help="hanya muat data, tanpa server")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_whole, default=8000)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("serve", help="jalankan aplikasi web tanpa memuat data")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_whole, default=8000)
    p.set_defaults(handler=cmd_serve)

    p = sub.add_parser("report", help="buat dokumen laporan (XLSX, PDF, DOCX) dari basis data")
    p.add_argument("--agency", required=True, metavar="SLUG", help="kode perangkat daerah")
    p.add_argument("--year", required=True, type=_whole, metavar="Y")
    p.add_argument("--quarter", type=_whole, metavar="Q",
                   help="triwulan 1–4; wajib kecuali untuk pk (PK tahunan; bawaan: triwulan "
                   "terakhir yang disahkan pada tahun itu, selain itu 1)")  # fmt: skip
    p.add_argument("--tanggal", metavar="TTTT-BB-HH",
                   help="tanggal laporan untuk berkas ini, mis. 2024-07-01 (bawaan: tanggal "
                   "laporan triwulan: tanggal yang diatur, tanggal pengesahan, atau tanggal "
                   "tutup periode pelaporan); triwulan yang disahkan memakai tanggalnya sendiri")  # fmt: skip
    p.add_argument("--format", default="xlsx,pdf", help="daftar format, mis. xlsx,pdf")
    p.add_argument("--output", default=".", metavar="DIR", help="folder tujuan")
    p.add_argument("--document", default="form",
                   help="dokumen: form (formulir evaluasi Renja), laporan (Laporan Capaian "
                   "Kinerja Triwulan), pk (Perjanjian Kinerja), pemeriksaan (Lembar "
                   "Pemeriksaan sebelum penandatanganan)")  # fmt: skip
    p.add_argument("--paper", choices=["a3", "f4", "a4"],
                   help="ukuran kertas (bawaan: PDF A3, XLSX F4; Lembar Pemeriksaan selalu "
                   "A4)")  # fmt: skip
    p.set_defaults(handler=cmd_report)

    p = sub.add_parser(
        "plan", help="rencana (Renstra, IKU, Renja): impor, ekspor, tahun berikutnya"
    )
    plan = p.add_subparsers(dest="plan_command", metavar="PERINTAH", parser_class=_Parser,
                            required=True)  # fmt: skip
    p = plan.add_parser("import", help="impor rencana dari XLSX (templat Kinerja atau daftar "
                        "Renja dari sistem perencanaan)")  # fmt: skip
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--agency", required=True, metavar="SLUG", help="kode perangkat daerah")
    p.add_argument("--year", required=True, type=_whole, metavar="TTTT")
    p.add_argument(
        "--dry-run", action="store_true", help="hanya tampilkan perubahan, tanpa menulis"
    )
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--kolom-pagu", metavar="NAMA", help="judul kolom pagu yang dipakai (bawaan: "
                   "kolom APBD/murni)")  # fmt: skip
    # after the year's first approval every change is a revision: its date, reason, basis
    p.add_argument("--tanggal-revisi", metavar="TTTT-BB-HH", help="tanggal revisi (wajib bila "
                   "triwulan tahun itu sudah disahkan)")  # fmt: skip
    p.add_argument("--alasan-revisi", metavar="TEKS", help="alasan revisi")
    p.add_argument("--dasar-hukum", metavar="TEKS", help="dasar hukum revisi")
    _add_queue_options(p)
    p.set_defaults(handler=_plan_handler("import"))
    p = plan.add_parser("export", help="ekspor rencana setahun ke XLSX dalam tata letak templat")
    p.add_argument("--agency", required=True, metavar="SLUG", help="kode perangkat daerah")
    p.add_argument("--year", required=True, type=_whole, metavar="TTTT")
    p.add_argument("--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(handler=_plan_handler("export"))
    p = plan.add_parser("rollover", help="siapkan rencana tahun berikutnya dari tahun ini")
    p.add_argument("--agency", required=True, metavar="SLUG", help="kode perangkat daerah")
    p.add_argument("--to", required=True, type=_whole, metavar="TTTT", help="tahun tujuan")
    p.add_argument("--dry-run", action="store_true", help="hanya tampilkan, tanpa menulis")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(handler=_plan_handler("rollover"))

    p = sub.add_parser("form", help="formulir evaluasi isian: impor rencana dan realisasinya")
    form = p.add_subparsers(dest="form_command", metavar="PERINTAH", parser_class=_Parser,
                            required=True)  # fmt: skip
    p = form.add_parser("import", help="mulai dari formulir yang ada: rencana tahun itu dan "
                        "realisasi Triwulan I s.d. --quarter dari formulir evaluasi XLSX")  # fmt: skip
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--agency", required=True, metavar="SLUG", help="kode perangkat daerah")
    p.add_argument("--year", required=True, type=_whole, metavar="TTTT")
    p.add_argument("--quarter", type=_whole, metavar="Q", help="triwulan terakhir yang "
                   "diimpor, 1–4 (bawaan: dari judul formulir)")  # fmt: skip
    p.add_argument("--sheet", metavar="NAMA", help="lembar formulir (bawaan: lembar pertama "
                   "yang berisi formulir)")  # fmt: skip
    p.add_argument(
        "--dry-run", action="store_true", help="hanya tampilkan perubahan, tanpa menulis"
    )
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--tanggal-revisi", metavar="TTTT-BB-HH", help="tanggal revisi (wajib bila "
                   "rencana berubah setelah triwulan tahun itu disahkan)")  # fmt: skip
    p.add_argument("--alasan-revisi", metavar="TEKS", help="alasan revisi")
    p.add_argument("--dasar-hukum", metavar="TEKS", help="dasar hukum revisi")
    _add_queue_options(p)
    p.set_defaults(handler=_form_import)

    p = sub.add_parser("token", help="buat token akses API untuk seorang pengguna (dicetak "
                       "sekali, hanya token)")  # fmt: skip
    p.add_argument("--user", required=True, metavar="NAMA", help="nama pengguna pemilik token")
    p.add_argument("--expires", type=_whole, metavar="HARI", help="berlaku sekian hari "
                   "(bawaan: sampai dicabut)")  # fmt: skip
    p.add_argument("--name", metavar="TEKS", help="nama token, mis. sistem keuangan")
    p.set_defaults(handler=cmd_token)

    p = sub.add_parser("remind", help="kirim surel pengingat kepada operator yang periode "
                       "pelaporannya segera ditutup (untuk cron, sekali sehari)")  # fmt: skip
    p.add_argument("--hari", type=_whole, default=7, metavar="N",
                   help="periode yang ditutup dalam N hari lagi (bawaan: 7)")  # fmt: skip
    p.set_defaults(handler=cmd_remind)

    _add_batch_commands(sub)

    p = sub.add_parser("synth", help="buat data sintetis yang deterministik (provinsi, pemda, "
                       "perangkat daerah, rencana, realisasi, status) ke basis data")  # fmt: skip
    p.add_argument("--governments", type=_whole, required=True, metavar="N", help="jumlah pemda")
    p.add_argument("--agencies", type=_whole, required=True, metavar="M",
                   help="jumlah perangkat daerah per pemda")  # fmt: skip
    p.add_argument("--seed", type=_whole, required=True, metavar="S",
                   help="benih acak: benih yang sama, data yang sama")  # fmt: skip
    p.add_argument("--years", default="2024", metavar="TTTT,…", help="tahun Renja (bawaan: 2024)")
    p.add_argument("--quiet", action="store_true", help="tanpa bilah kemajuan")
    p.add_argument("--jobs", type=_whole, default=1, metavar="K",
                   help="jumlah proses penulis (hanya PostgreSQL; bawaan: 1)")  # fmt: skip
    p.set_defaults(handler=_handler("synth", "cmd_synth"))

    p = sub.add_parser("rollup", help="rekap triwulan per perangkat daerah, pemda, provinsi dan "
                       "nasional (capaian, predikat, serapan anggaran, peringkat, status)")  # fmt: skip
    p.add_argument("--year", type=_whole, metavar="Y")
    p.add_argument("--quarter", type=_whole, metavar="Q", help="triwulan 1–4")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--province", metavar="KODE", help="hanya satu provinsi (kode BPS)")
    scope.add_argument("--pemda", metavar="SLUG", help="hanya satu pemda")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.add_argument("--refresh", action="store_true",
                   help="hitung ulang semua angka tersimpan (semua triwulan; hanya tahun "
                        "--year bila disebut)")  # fmt: skip
    p.set_defaults(handler=_handler("rollup", "cmd_rollup"))

    p = sub.add_parser("manage", help="perintah pengelolaan Django (migrate, createsuperuser …)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(handler=cmd_manage)
    return parser


def _add_queue_options(p: argparse.ArgumentParser) -> None:
    """An import on the task queue (planning/plan_io/queued.py) instead of in this process."""
    p.add_argument("--antrean", action="store_true", help="jalankan impor di antrean tugas "
                   "(pekerja «kinerja worker») seperti halaman unggah, lalu tunggu hasilnya")  # fmt: skip
    p.add_argument("--tunggu-detik", type=_whole, default=120, metavar="N",
                   help="dengan --antrean: batalkan bila tidak ada pekerja yang mengambil "
                   "impor dalam N detik (bawaan: 120)")  # fmt: skip


def _add_batch_commands(sub) -> None:  # type: ignore[no-untyped-def]
    """`kinerja worker` and `kinerja batch`: the task queue (reporting/batch_cli.py)."""
    from kinerja.reporting.batch_cli import cmd_batch, cmd_worker

    p = sub.add_parser("worker", help="jalankan pekerja antrean tugas (laporan di latar belakang)")
    p.add_argument("--processes", type=_whole, default=2, metavar="N",
                   help="jumlah proses pekerja (bawaan: 2)")  # fmt: skip
    p.add_argument("--max-tasks", type=_whole, default=20, metavar="N",
                   help="setiap proses diganti yang baru setelah N tugas (bawaan: 20)")  # fmt: skip
    p.add_argument("--burst", action="store_true", help="berhenti bila antrean kosong")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_worker)

    p = sub.add_parser("batch", help="buat semua laporan satu triwulan sebuah pemda di latar "
                       "belakang (setiap perangkat daerah × dokumen × format)")  # fmt: skip
    p.add_argument("--pemda", metavar="SLUG", help="kode pemerintah daerah")
    p.add_argument("--agency", metavar="SLUG", help="hanya perangkat daerah ini")
    p.add_argument("--year", type=_whole, metavar="Y")
    p.add_argument("--quarter", type=_whole, metavar="Q")
    p.add_argument("--no-wait", action="store_true", help="hanya masukkan ke antrean")
    p.add_argument("--show", type=_whole, metavar="ID", help="tampilkan kemajuan antrean ID")
    p.add_argument("--wait", action="store_true", help="dengan --show: tunggu sampai selesai")
    p.set_defaults(handler=cmd_batch)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _os_reason(exc: OSError) -> str:
    """The operating system's reason in Indonesian where it is a common one."""
    import errno

    reasons = {
        errno.ENOENT: "folder atau berkas tidak ada",
        errno.EACCES: "tidak ada izin",
        errno.EPERM: "tidak ada izin",
        errno.EROFS: "sistem berkas hanya dapat dibaca",
        errno.ENOSPC: "ruang disk habis",
        errno.ENOTDIR: "bagian jalurnya bukan folder",
        errno.EISDIR: "jalur itu sebuah folder",
        errno.EEXIST: "sudah ada",
    }
    return reasons.get(exc.errno or 0) or _one_line(exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Every failure ends as one Indonesian line on stderr and exit code 2, never a traceback
    (``KINERJA_TRACEBACK=1`` shows the traceback of an unexpected one)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        code: int = args.handler(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return _fail("dihentikan.")
    except Exception as exc:
        return _explain_failure(exc)
    return code


def _explain_failure(exc: Exception) -> int:
    import os

    name, module = type(exc).__name__, type(exc).__module__
    if name == "ImproperlyConfigured":  # settings: SECRET_KEY, DATABASE_URL …
        return _fail(f"pengaturan tidak sah: {_one_line(exc)}")
    if (
        module.startswith("django.db")
        and name == "ProgrammingError"
        or (name == "OperationalError" and "no such table" in str(exc))
    ):
        return _fail(
            f"basis data belum siap ({_one_line(exc)}). Jalankan «kinerja manage migrate», atau "
            "«kinerja demo --load-only» untuk data contoh."
        )
    if module.startswith("django.db") and name == "OperationalError":
        return _fail(f"basis data tidak dapat dipakai: {_one_line(exc)}")
    if isinstance(exc, OSError):
        where = f" «{exc.filename}»" if exc.filename else ""
        return _fail(f"berkas{where} tidak dapat ditulis atau dibaca: {_os_reason(exc)}")
    if os.environ.get("KINERJA_TRACEBACK") == "1":
        raise exc
    return _fail(
        f"kesalahan tak terduga ({name}: {_one_line(exc)}). Jalankan lagi dengan "
        "KINERJA_TRACEBACK=1 untuk rinciannya, dan laporkan kepada pengelola Kinerja."
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
