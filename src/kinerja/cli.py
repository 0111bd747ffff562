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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kesalahan: argumen tidak lengkap atau salah ({message})\n")


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


def cmd_evaluate(args: argparse.Namespace) -> int:
    from kinerja.core import FormError, evaluate_form
    from kinerja.formfile import load_form
    from kinerja.formoutput import to_csv, to_json, to_table

    if args.file is None:
        return _fail("sebutkan berkas JSON formulir evaluasi.")
    try:
        evaluation = evaluate_form(load_form(args.file))
    except FormError as exc:
        return _fail(f"{args.file}: {exc}")
    if args.json:
        sys.stdout.write(to_json(evaluation) + "\n")
    elif args.csv:
        sys.stdout.buffer.write(to_csv(evaluation).encode("utf-8"))
    else:
        sys.stdout.write(to_table(evaluation))
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
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="keluaran JSON")
    fmt.add_argument("--csv", action="store_true", help="keluaran CSV (;, koma desimal, BOM)")
    p.set_defaults(handler=cmd_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    code: int = args.handler(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
