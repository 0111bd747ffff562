"""The bad-input corpus of the `kinerja` command: every subcommand with bad arguments and bad
files. A refusal is exit code 2 with one line on stderr that starts with «kinerja», nothing on
stdout and never a traceback; the database is unchanged."""

from __future__ import annotations

import codecs
import json

import pytest

from kinerja.cli import main

from .conftest import db_fingerprint

pytestmark = pytest.mark.django_db

HUGE_INT = "9" * 5000
A = "bkpsdm-sumenep"
FORM = json.dumps({"year": 2024, "quarter": 1, "rows": []})

# (id, argv with {FILE} for a file holding ``content``, content or None, words of the line)
CLI_CASES: list[tuple[str, list[str], bytes | None, str]] = [
    ("cli-capaian-nan", ["capaian", "NaN", "1"], None, "bukan angka"),
    ("cli-capaian-infinity", ["capaian", "84", "Infinity"], None, "bukan angka"),
    ("cli-capaian-exponent", ["capaian", "1e999999999", "1"], None, "«1e999999999»"),
    ("cli-capaian-5000-digits", ["capaian", HUGE_INT, "1"], None, "paling besar"),
    ("cli-capaian-arabic", ["capaian", "١٢٣", "1"], None, "bukan angka 0–9"),
    ("cli-capaian-fullwidth", ["capaian", "84", "１２"], None, "bukan angka 0–9"),
    ("cli-capaian-negative", ["capaian", "-84", "1"], None, "tidak boleh negatif"),
    ("cli-capaian-empty-target", ["capaian", "", "1"], None, "TARGET harus diisi."),
    ("cli-capaian-whitespace", ["capaian", "   ", "1"], None, "TARGET harus diisi."),
    ("cli-capaian-upper-below", ["capaian", "84", "50", "--upper", "10"], None, "--upper"),
    ("cli-capaian-cap-nan", ["capaian", "84", "50", "--cap", "NaN"], None, "bukan angka"),
    ("cli-capaian-seven-decimals", ["capaian", "1,1234567", "1"], None, "di belakang koma"),
    ("cli-capaian-sql", ["capaian", "'; DROP TABLE x; --", "1"], None, "bukan angka"),
    ("cli-capaian-html", ["capaian", "<script>", "1"], None, "bukan angka"),
    ("cli-capaian-formula", ["capaian", '=HYPERLINK("x")', "1"], None, "bukan angka"),
    ("cli-capaian-nul", ["capaian", "8\x004", "1"], None, "bukan angka"),
    ("cli-capaian-missing", ["capaian"], None, "argumen wajib belum diisi"),
    ("cli-capaian-unknown-flag", ["capaian", "84", "1", "--bogus"], None, "tidak dikenal"),
    ("cli-unknown-command", ["hapus-semua"], None, "tidak dikenal"),
    ("cli-evaluate-missing-file", ["evaluate", "/tidak/ada.json"], None, "tidak dapat"),
    ("cli-evaluate-invalid-utf8", ["evaluate", "{FILE}"], b"\xff\xfe\x80{}", "UTF"),
    (
        "cli-evaluate-utf16",
        ["evaluate", "{FILE}"],
        codecs.BOM_UTF16_LE + FORM.encode("utf-16-le"),
        "UTF-16",
    ),
    ("cli-evaluate-utf16-no-bom", ["evaluate", "{FILE}"], FORM.encode("utf-16-le"), ""),
    ("cli-evaluate-empty", ["evaluate", "{FILE}"], b"", ""),
    ("cli-evaluate-whitespace", ["evaluate", "{FILE}"], b" \n\t ", ""),
    ("cli-evaluate-nul", ["evaluate", "{FILE}"], b"\x00" * 64, ""),
    (
        "cli-evaluate-deep-json",
        ["evaluate", "{FILE}"],
        b"[" * 100_000 + b"]" * 100_000,
        "bersarang terlalu dalam",
    ),
    ("cli-evaluate-array", ["evaluate", "{FILE}"], b"[]", ""),
    ("cli-evaluate-null", ["evaluate", "{FILE}"], b"null", ""),
    ("cli-evaluate-string", ["evaluate", "{FILE}"], b'"formulir"', ""),
    (
        "cli-evaluate-huge-exponent",
        ["evaluate", "{FILE}"],
        b'{"year": 2024, "quarter": 1e999999999, "rows": []}',
        "",
    ),
    (
        "cli-evaluate-5000-digit-year",
        ["evaluate", "{FILE}"],
        b'{"year": ' + HUGE_INT.encode() + b', "quarter": 1, "rows": []}',
        "",
    ),
    ("cli-evaluate-nan", ["evaluate", "{FILE}"], b'{"year": NaN, "quarter": 1, "rows": []}', ""),
    (
        "cli-evaluate-infinity",
        ["evaluate", "{FILE}"],
        b'{"year": 2024, "quarter": Infinity, "rows": []}',
        "",
    ),
    ("cli-evaluate-truncated", ["evaluate", "{FILE}"], b'{"year": 2024, "rows": [', ""),
    (
        "cli-evaluate-sql-keys",
        ["evaluate", "{FILE}"],
        b'{"\'; DROP TABLE x; --": 1, "<script>": 2}',
        "",
    ),
    ("cli-evaluate-directory", ["evaluate", "{DIR}"], None, ""),
    (
        "cli-evaluate-json-and-csv",
        ["evaluate", "x.json", "--json", "--csv"],
        None,
        "tidak dapat dipakai bersama",
    ),
    (
        "cli-evaluate-agency-unknown",
        ["evaluate", "--agency", "tidak-ada", "--year", "2024", "--quarter", "2"],
        None,
        "tidak-ada",
    ),
    (
        "cli-evaluate-agency-sql",
        ["evaluate", "--agency", "'; DROP TABLE x; --", "--year", "2024", "--quarter", "2"],
        None,
        "",
    ),
    (
        "cli-evaluate-quarter-9",
        ["evaluate", "--agency", A, "--year", "2024", "--quarter", "9"],
        None,
        "--quarter",
    ),
    (
        "cli-evaluate-year-abc",
        ["evaluate", "--agency", A, "--year", "abc", "--quarter", "2"],
        None,
        "bukan bilangan bulat",
    ),
    (
        "cli-evaluate-year-huge",
        ["evaluate", "--agency", A, "--year", HUGE_INT, "--quarter", "2"],
        None,
        "bukan bilangan bulat",
    ),
    (
        "cli-evaluate-year-empty",
        ["evaluate", "--agency", A, "--year", "1999", "--quarter", "2"],
        None,
        "1999",
    ),
    ("cli-evaluate-nothing", ["evaluate"], None, ""),
    (
        "cli-report-quarter-5",
        ["report", "--agency", A, "--year", "2024", "--quarter", "5"],
        None,
        "--quarter",
    ),
    (
        "cli-report-agency-unknown",
        ["report", "--agency", "tidak-ada", "--year", "2024", "--quarter", "2"],
        None,
        "tidak ada",
    ),
    (
        "cli-report-format-exe",
        ["report", "--agency", A, "--year", "2024", "--quarter", "2", "--format", "exe"],
        None,
        "",
    ),
    (
        "cli-report-document-unknown",
        ["report", "--agency", A, "--year", "2024", "--quarter", "2", "--document", "rahasia"],
        None,
        "",
    ),
    (
        "cli-report-paper-b5",
        ["report", "--agency", A, "--year", "2024", "--quarter", "2", "--paper", "b5"],
        None,
        "tidak dikenal",
    ),
    (
        "cli-report-year-empty",
        ["report", "--agency", A, "--year", "1999", "--quarter", "2", "--format", "xlsx"],
        None,
        "1999",
    ),
    (
        "cli-report-output-file",
        ["report", "--agency", A, "--year", "1999", "--quarter", "2", "--output", "{FILE}"],
        b"bukan folder",
        "",
    ),
    (
        "cli-report-year-arabic",
        ["report", "--agency", A, "--year", "٢٠٢٤", "--quarter", "2"],
        None,
        "bukan bilangan bulat",
    ),
    (
        "cli-report-quarter-fullwidth",
        ["report", "--agency", A, "--year", "2024", "--quarter", "２"],
        None,
        "bukan bilangan bulat",
    ),
    (
        "cli-report-missing-agency",
        ["report", "--year", "2024", "--quarter", "2"],
        None,
        "argumen wajib belum diisi",
    ),
    ("cli-manage-unknown", ["manage", "hapus-semua"], None, "tidak ada"),
    ("cli-serve-port-huge", ["serve", "--port", "99999999"], None, "1–65535"),
    ("cli-serve-port-negative", ["serve", "--port", "-1"], None, ""),
    ("cli-serve-port-abc", ["serve", "--port", "abc"], None, "bukan bilangan bulat"),
    ("cli-demo-port-abc", ["demo", "--port", "١٢"], None, "bukan bilangan bulat"),
]


@pytest.mark.parametrize(("argv", "content", "words"), [c[1:] for c in CLI_CASES],
                         ids=[c[0] for c in CLI_CASES])  # fmt: skip
def test_bad_cli_input_is_one_indonesian_line(capsys, tmp_path, monkeypatch, argv, content,
                                              words):  # fmt: skip
    monkeypatch.chdir(tmp_path)  # a report let through by mistake lands here, not in the tree
    path = tmp_path / "masukan.json"
    if content is not None:
        path.write_bytes(content)
    argv = [a.replace("{FILE}", str(path)).replace("{DIR}", str(tmp_path)) for a in argv]
    before = db_fingerprint()
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refuses before main returns
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert code == 2, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kinerja")
    assert words in lines[0]
    assert db_fingerprint() == before
