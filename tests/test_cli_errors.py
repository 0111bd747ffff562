"""Every failure of the `kinerja` command is one Indonesian line on stderr and exit code 2,
never a Python traceback: unreadable files, absurd numbers, a wrong --output, an unusable
DATABASE_URL or a production setting without SECRET_KEY."""

import codecs
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kinerja.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "seed-tw1-2024.json"


def _kinerja() -> list[str]:
    script = Path(sys.executable).with_name("kinerja")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinerja.cli"]


def _one_indonesian_line(code: int, out: str, err: str, *words: str) -> str:
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kinerja: ")
    for word in words:
        assert word in lines[0]
    return lines[0]


def _run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return _one_indonesian_line(code, out, err)


def _seed_with(tmp_path: Path, change) -> str:
    form = json.loads(SEED.read_text(encoding="utf-8"))
    change(form)
    path = tmp_path / "form.json"
    path.write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\x80{}", "bukan teks UTF-8 (bita ke-1 tidak sah)"),
        (b'{"year": 2024, "name": "Kabupaten \xe9"}', "bukan teks UTF-8 (bita ke-35 tidak sah)"),
        (codecs.BOM_UTF16_LE + '{"year": 2024}'.encode("utf-16-le"), "tersimpan sebagai UTF-16"),
        (codecs.BOM_UTF16_BE + '{"year": 2024}'.encode("utf-16-be"), "tersimpan sebagai UTF-16"),
        (codecs.BOM_UTF32_LE + '{"year": 2024}'.encode("utf-32-le"), "tersimpan sebagai UTF-32"),
        (b"[" * 200_000 + b"]" * 200_000, "JSON bersarang terlalu dalam"),
        (b'{"rows": ' + b"[" * 5_000 + b"]" * 5_000 + b"}", ""),
        (b'{"year": ' + b"9" * 5_000 + b"}", "bilangan bulat 5000 angka terlalu panjang"),
        (b'{"year": -' + b"9" * 5_000 + b"}", "terlalu panjang"),
    ],
)
def test_an_unreadable_form_file_is_one_line(capsys, tmp_path, content, words):
    path = tmp_path / "form.json"
    path.write_bytes(content)
    line = _run(capsys, "evaluate", str(path))
    assert line.startswith(f"kinerja: {path}: ")
    assert words in line


def test_a_json_number_of_a_billion_digits_is_named_as_written(capsys, tmp_path):
    def huge(form):
        form["rows"][0]["quarters"][0]["k"] = "__HUGE__"

    path = Path(_seed_with(tmp_path, huge))
    path.write_text(path.read_text().replace('"__HUGE__"', "1e999999999"))
    line = _run(capsys, "evaluate", str(path))
    assert "kolom «quarters[0].k»: «1E+999999999»" in line
    assert len(line) < 300


@pytest.mark.parametrize("value", ["1e999999999", "-1e999999999", "1e-999999999"])
def test_a_json_amount_out_of_any_range_is_one_line(capsys, tmp_path, value):
    def amount(form):
        form["rows"][0]["year_target"]["rp"] = "__X__"

    path = Path(_seed_with(tmp_path, amount))
    path.write_text(path.read_text().replace('"__X__"', value))
    line = _run(capsys, "evaluate", str(path))
    assert "kolom «year_target.rp»" in line


@pytest.mark.parametrize(
    "argv",
    [
        ["capaian", "0,000000001", "5"],
        ["capaian", "84", "0,000000001"],
        ["capaian", "1e999999999", "5"],
        ["capaian", "9" * 5_000, "5"],
        ["capaian", "84", "59", "--cap", "9" * 5_000],
        ["capaian", "84", "59", "--upper", "1e-999999999"],
    ],
)
def test_capaian_with_absurd_numbers_is_one_line(capsys, argv):
    _run(capsys, *argv)


@pytest.mark.parametrize(
    ("target", "actual", "flags", "expected"),
    [
        ("0,000001", "1.000.000.000.000", [], "100.000.000.000.000.000.000,00 %"),
        ("1.000.000.000.000", "0,000001", [], "0,00 %"),
        ("0,000001", "1.000.000.000.000", ["--lower-is-better"], "0,00 %"),
        ("1.000.000.000.000", "0,000001", ["--lower-is-better"], "200,00 %"),
    ],
)
def test_capaian_at_the_bounds_is_computed(capsys, target, actual, flags, expected):
    """The smallest and largest values the bounds allow are valid input: the core computes
    them (no Decimal overflow or underflow), it does not refuse them."""
    assert main(["capaian", target, actual, *flags]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines()[0] == f"Capaian: {expected}"


def test_a_form_at_the_bounds_is_evaluated(capsys, tmp_path):
    def extreme(form):
        for row in form["rows"]:
            for key in ("renstra_target", "year_target"):
                if row.get(key):
                    row[key] = {"k": "0,000001", "rp": "0,01"}
            row["quarters"][0] = {"k": "1.000.000.000.000", "rp": "999.999.999.999.999,99"}
            if row.get("renstra_realised_before"):
                row["renstra_realised_before"] = row["quarters"][0]

    assert main(["evaluate", _seed_with(tmp_path, extreme), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    first = json.loads(out)["rows"][0]
    # 1.000.000.000.000 / 0,000001 × 100; 999.999.999.999.999,99 / 0,01 × 100
    assert first["col14"] == {"k": "100000000000000000000", "rp": "9999999999999999900"}
    # twice that up to this year (renstra_realised_before is the same) over the Renstra target
    assert first["col16"] == {"k": "200000000000000000000", "rp": "19999999999999999800"}


def test_report_into_a_file_instead_of_a_folder_is_one_line(capsys, tmp_path):
    target = tmp_path / "laporan.pdf"
    target.write_bytes(b"mine")
    line = _run(capsys, "report", "--agency", "x", "--year", "2024", "--quarter", "1",
                "--output", str(target))  # fmt: skip
    assert line == f"kinerja: --output «{target}» adalah berkas, bukan folder."
    assert target.read_bytes() == b"mine"


def _subprocess(tmp_path: Path, *argv: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    full.update(KINERJA_VAR_DIR=str(tmp_path), **env)
    return subprocess.run([*_kinerja(), *argv], capture_output=True, text=True, env=full,
                          cwd=tmp_path, timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"DATABASE_URL": "bukan-url"}, "pengaturan tidak sah: DATABASE_URL"),
        ({"DATABASE_URL": "mysql://u@h/x"}, "basis data lain tidak didukung"),
        ({"DATABASE_URL": "postgresql://u@h:port/x"}, "pengaturan tidak sah: DATABASE_URL"),
        ({"DATABASE_URL": "sqlite://"}, "harus menyebut jalur berkas"),
        ({"CONN_MAX_AGE": "lama"}, "CONN_MAX_AGE berupa bilangan bulat"),
        ({"DEBUG": "0"}, "pengaturan tidak sah: SECRET_KEY wajib diisi bila DEBUG=0."),
        (
            {"DATABASE_URL": "postgresql://kinerja@127.0.0.1:1/kinerja"},
            "basis data tidak dapat dipakai",
        ),
    ],
)
def test_an_unusable_setting_is_one_line(tmp_path, env, words):
    done = _subprocess(tmp_path, "evaluate", "--agency", "x", "--year", "2024", "--quarter", "1",
                       **env)  # fmt: skip
    line = _one_indonesian_line(done.returncode, done.stdout, done.stderr, words)
    assert "Traceback" not in line


def test_an_empty_database_is_one_line(tmp_path):
    done = _subprocess(tmp_path, "evaluate", "--agency", "x", "--year", "2024", "--quarter", "1",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'kosong.sqlite3'}")  # fmt: skip
    _one_indonesian_line(done.returncode, done.stdout, done.stderr, "basis data belum siap",
                         "kinerja manage migrate")  # fmt: skip


def test_the_installed_command_reads_a_utf16_file_as_one_line(tmp_path):
    path = tmp_path / "form.json"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-16")
    done = _subprocess(tmp_path, "evaluate", str(path))
    _one_indonesian_line(done.returncode, done.stdout, done.stderr, "tersimpan sebagai UTF-16")
