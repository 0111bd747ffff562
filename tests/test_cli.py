import csv
import io
import json
import subprocess
import sys
from decimal import Decimal as D

import pytest

from kinerja.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- kinerja capaian ----------------------------------------------------------------------


def test_capaian_prints_capaian_predikat_and_explanation(capsys):
    code, out, err = run(capsys, "capaian", "84", "59")
    assert code == 0
    assert out.splitlines() == [
        "Capaian: 70,24 %",
        "Predikat: Sedang",
        "capaian = 59 / 84 × 100 = 70,24 % (polaritas: makin tinggi makin baik)",
    ]


def test_capaian_json_is_unrounded(capsys):
    code, out, _ = run(capsys, "capaian", "84", "59", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["capaian"].startswith("70.238095238095")
    assert D(data["capaian"]) == D(5900) / D(84)
    assert data["predikat"] == "Sedang"
    assert data["explain"].startswith("capaian = 59 / 84 × 100")


def test_capaian_of_an_unreported_realisation_is_null(capsys):
    code, out, _ = run(capsys, "capaian", "84", "-", "--json")
    assert code == 0
    assert json.loads(out)["capaian"] is None
    assert json.loads(out)["predikat"] is None


def test_capaian_lower_is_better_with_a_range(capsys):
    code, out, _ = run(capsys, "capaian", "10", "30", "--upper", "20", "--lower-is-better",
                       "--json")  # fmt: skip
    assert code == 0
    assert D(json.loads(out)["capaian"]) == D(50)


def test_capaian_indonesian_decimals(capsys):
    code, out, _ = run(capsys, "capaian", "0,70", "0,55", "--json")
    assert D(json.loads(out)["capaian"]) == D("78.57142857142857142857142857")


def test_capaian_with_a_cap_shows_the_value_that_counts_in_averages(capsys):
    code, out, _ = run(capsys, "capaian", "100", "115", "--cap", "100")
    assert out.splitlines()[:3] == [
        "Capaian: 115,00 %",
        "Predikat: Sangat Tinggi",
        "Dihitung dalam rata-rata: 100,00 % (batas 100 %)",
    ]


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["1,905,955,200", "5"], "format angka Inggris"),
        (["84", "1.2.3,4"], "bukan angka"),
        (["84", "-5"], "tidak boleh negatif"),
        (["84", "NaN"], "bukan angka"),
        (["84", "1e999"], "bukan angka"),
        (["10", "5", "--upper", "8"], "--upper"),
    ],
)
def test_capaian_refuses_bad_input_on_stderr_with_exit_2(capsys, argv, words):
    code, out, err = run(capsys, "capaian", *argv)
    assert code == 2
    assert out == ""
    assert words in err


# ---- kinerja evaluate FILE ----------------------------------------------------------------


def test_evaluate_json_follows_the_output_contract(capsys, seed_example_path):
    code, out, _ = run(capsys, "evaluate", str(seed_example_path), "--json")
    data = json.loads(out)
    assert code == 0
    assert len(data["rows"]) == 61
    first = data["rows"][0]
    assert list(first) == ["id", "level", "name", "col13", "col14", "col15", "col16", "explain"]
    assert first["id"] == "5.03.01#3"
    assert first["col14"] == {"k": "15", "rp": "14.03971100999163513257058463"}
    assert first["explain"]["col14.k"].startswith("kolom 14 K: capaian = 15 / 100 × 100")
    footer = data["footer"]
    assert (footer["rule_k"], footer["rule_rp"]) == ("program_mean", "program_ratio")
    assert footer["k"] == "19.55026455026455026455026455"
    assert (footer["predikat_k"], footer["predikat_rp"]) == ("Sangat Rendah", "Sangat Rendah")
    assert len(data["findings"]) == 7
    assert set(data["findings"][0]) == {"rule", "severity", "row", "message"}
    # no exponent notation anywhere, every value a string or null
    for row in data["rows"]:
        for col in ("col13", "col14", "col15", "col16"):
            for v in row[col].values():
                assert v is None or (isinstance(v, str) and "E" not in v)


def test_evaluate_csv_is_semicolon_separated_with_bom_and_decimal_comma(
    capsysbinary, seed_example_path
):
    code = main(["evaluate", str(seed_example_path), "--csv"])
    raw = capsysbinary.readouterr().out
    assert code == 0
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["id", "tingkat", "kode", "nama", "satuan"]
    first = rows[1]
    assert first[0] == "5.03.01#3"
    assert first[6] == "1.364.941.860"  # 13 Rp
    assert first[8] == "14,04"  # 14 Rp
    assert ["Rata-rata capaian kinerja K", "program_mean", "19,55", "Sangat Rendah"] in rows


def test_evaluate_table_is_readable_indonesian(capsys, seed_example_path):
    code, out, _ = run(capsys, "evaluate", str(seed_example_path))
    assert code == 0
    assert "Rata-rata capaian kinerja K: 19,55 % — Sangat Rendah (aturan program_mean)" in out
    assert "Rata-rata capaian kinerja Rp: 11,80 % — Sangat Rendah (aturan program_ratio)" in out
    assert "Temuan (7):" in out
    assert "1.364.941.860" in out


def _write(tmp_path, data):
    path = tmp_path / "form.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _row(id, level, parent=None, **extra):
    row = {"id": id, "level": level, "name": f"Baris {id}", "quarters": [None] * 4}
    if parent:
        row["parent"] = parent
    row.update(extra)
    return row


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([_row("a", "program"), _row("a", "program")], "baris «a», kolom «id»: id ganda"),
        ([_row("k", "kegiatan", parent="x")], "baris «k», kolom «parent»: induk «x» tidak ada"),
        (
            [_row("p", "program"), _row("s", "sub_kegiatan", parent="p")],
            "baris «s», kolom «parent»: induk «p» adalah Program, seharusnya Kegiatan",
        ),
        (
            [_row("p", "program", year_target={"k": 1, "rp": "-5"})],
            "baris «p», kolom «year_target.rp»: «-5»: nilai rupiah tidak boleh negatif",
        ),
        (
            [_row("p", "program", year_target={"k": 1, "rp": -5})],
            "baris «p», kolom «year_target.rp»: tidak boleh kurang dari 0",
        ),
        (
            [_row("p", "program", year_target={"k": "1,905,955,200"})],
            "baris «p», kolom «year_target.k»: «1,905,955,200» memakai format angka Inggris",
        ),
        (
            [_row("p", "program", year_target={"k": "1.2.3,4"})],
            "baris «p», kolom «year_target.k»: «1.2.3,4» bukan angka",
        ),
        ([_row("p", "program", level2=1)], "baris «p»: isian tidak dikenal: level2"),
        (
            [{"id": "p", "level": "program", "name": "x", "quarters": [None] * 3}],
            "baris «p», kolom «quarters»: jumlah isian harus sedikitnya 4",
        ),
        ([_row("p", "bidang")], "baris «p», kolom «level»: harus salah satu dari"),
        (
            [_row("p", "program", year_target={"k": 5, "k_upper": 3})],
            "baris «p», kolom «year_target.k_upper»: batas atas rentang",
        ),
    ],
)
def test_evaluate_refuses_what_the_form_cannot_express(capsys, tmp_path, rows, words):
    path = _write(tmp_path, {"year": 2024, "quarter": 1, "rows": rows})
    code, out, err = run(capsys, "evaluate", path, "--json")
    assert code == 2
    assert out == ""
    assert words in err


def test_evaluate_refuses_a_json_number_too_large_and_a_nan(capsys, tmp_path):
    path = tmp_path / "f.json"
    path.write_text('{"year": 2024, "quarter": 1, "rows": [{"id": "p", "level": "program", '
                    '"name": "x", "quarters": [{"k": 1e999}, null, null, null]}]}')  # fmt: skip
    code, _, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert "baris «p», kolom «quarters[0].k»" in err
    assert "nilai K paling besar 1.000.000.000.000" in err
    path.write_text('{"year": 2024, "quarter": 1, "rows": [{"id": "p", "level": "program", '
                    '"name": "x", "quarters": [{"k": NaN}, null, null, null]}]}')  # fmt: skip
    code, _, err = run(capsys, "evaluate", str(path))
    assert code == 2
    assert "bukan angka" in err


def test_evaluate_refuses_a_missing_file_and_broken_json(capsys, tmp_path):
    code, _, err = run(capsys, "evaluate", str(tmp_path / "nope.json"))
    assert code == 2 and "tidak dapat dibaca" in err
    broken = tmp_path / "b.json"
    broken.write_text("{")
    code, _, err = run(capsys, "evaluate", str(broken))
    assert code == 2 and "JSON tidak sah" in err


def test_findings_do_not_change_the_exit_code(capsys, tmp_path):
    rows = [_row("p", "program", year_target={"k": 0, "rp": 0},
                 quarters=[{"k": 1, "rp": 5}, None, None, None])]  # fmt: skip
    code, out, _ = run(capsys, "evaluate", _write(tmp_path, {"year": 2024, "quarter": 1,
                                                             "rows": rows}), "--json")  # fmt: skip
    assert code == 0
    assert [f["rule"] for f in json.loads(out)["findings"]] == [
        "target-zero",
        "spending-without-pagu",
    ]


def test_the_console_script_is_installed():
    done = subprocess.run(
        [sys.executable, "-m", "kinerja.cli", "capaian", "84", "59"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == "Capaian: 70,24 %"
