"""``kinerja plan import|export|rollover`` (cli.py parses the arguments). Each handler sets
up Django, calls one function of plan_io or planning.rollover, prints, and returns the exit
code: 0 done (warnings included), 2 refused (one Indonesian line on stderr)."""

from __future__ import annotations

import argparse
import sys


def _fail(message: str) -> int:
    print(f"kinerja: {message}", file=sys.stderr)
    return 2


def cmd_import(args: argparse.Namespace) -> int:
    return _fail("impor rencana belum tersedia.")


def cmd_export(args: argparse.Namespace) -> int:
    return _fail("ekspor rencana belum tersedia.")


def cmd_rollover(args: argparse.Namespace) -> int:
    from kinerja.cli import setup_django

    setup_django()
    from kinerja.planning.rollover import cli_rollover

    return cli_rollover(args)
