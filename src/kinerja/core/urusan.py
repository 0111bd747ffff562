"""Urusan and bidang urusan of a program, read from its code (Kepmendagri 050-5889/2021).

A program's code begins with its urusan and bidang urusan: ``5.03.01`` is program ``01`` of
bidang urusan ``5.03`` (Kepegawaian) of urusan ``5`` (Unsur Penunjang Urusan Pemerintahan).
The evaluation form of Permendagri 86/2017 prints the urusan and bidang urusan as header rows
above their programs. The names below are those the seed report prints (its appendix:
"UNSUR PENUNJANG URUSAN PEMERINTAHAN", "KEPEGAWAIAN", "PENDIDIKAN DAN PELATIHAN") and the other
bidang urusan of the same unsur as the Kepmendagri names them; a code not listed here has no
name (the form prints the code with a note, never a guessed name).
"""

from __future__ import annotations

import re

__all__ = ["BIDANG_URUSAN", "URUSAN", "program_urusan", "urusan_name"]

URUSAN: dict[str, str] = {
    "1": "URUSAN PEMERINTAHAN WAJIB YANG BERKAITAN DENGAN PELAYANAN DASAR",
    "2": "URUSAN PEMERINTAHAN WAJIB YANG TIDAK BERKAITAN DENGAN PELAYANAN DASAR",
    "3": "URUSAN PEMERINTAHAN PILIHAN",
    "4": "UNSUR PENDUKUNG URUSAN PEMERINTAHAN",
    "5": "UNSUR PENUNJANG URUSAN PEMERINTAHAN",
    "6": "UNSUR PENGAWASAN URUSAN PEMERINTAHAN",
    "7": "UNSUR KEWILAYAHAN",
    "8": "UNSUR PEMERINTAHAN UMUM",
}
BIDANG_URUSAN: dict[str, str] = {
    "5.01": "PERENCANAAN",
    "5.02": "KEUANGAN",
    "5.03": "KEPEGAWAIAN",
    "5.04": "PENDIDIKAN DAN PELATIHAN",
    "5.05": "PENELITIAN DAN PENGEMBANGAN",
}

_PROGRAM = re.compile(r"^(?P<urusan>[0-9X])\.(?P<bidang>[0-9X]{2})\.[0-9]{2}(?:\.|$)")


def program_urusan(code: str) -> tuple[str, str] | None:
    """``("5", "5.03")`` for the program code ``5.03.01``; None where the code does not begin
    with an urusan and a bidang urusan in the Kepmendagri's shape (``9.01.01`` does; ``""``,
    ``5.3.1`` and ``Program A`` do not)."""
    match = _PROGRAM.match(code.strip())
    if match is None:
        return None
    urusan = match["urusan"]
    return urusan, f"{urusan}.{match['bidang']}"


def urusan_name(code: str) -> str | None:
    """The name of an urusan (``5``) or bidang urusan (``5.03``) code; None if not listed."""
    return (URUSAN if "." not in code else BIDANG_URUSAN).get(code)
