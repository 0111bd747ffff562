"""`kinerja evaluate` on a form that carries what was printed (examples/seed-tw1-2024-printed.json:
the seed's appendix as printed, Program Penunjang TW I K = 1): exactly the seed's known printed
slips in columns 13–16 and its footer; and the output of a form without printed fields is what
it always was. Plain and CSV output round every figure of columns 13–16 (DESIGN §3)."""

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

import kinerja.core.printed
from kinerja.cli import main
from kinerja.core import evaluate_form
from kinerja.formfile import load_form

ROOT = Path(__file__).resolve().parent.parent
PRINTED = ROOT / "examples" / "seed-tw1-2024-printed.json"
PENUNJANG = "5.03.01#3"
KEYS = {"rule", "severity", "row", "message"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def _without_printed(path, tmp_path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc.pop("printed", None)
    for row in doc["rows"]:
        row.pop("printed", None)
    out = tmp_path / "without-printed.json"
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return out


def test_the_printed_seed_reports_exactly_its_known_printed_slips(capsys):
    data = json.loads(run(capsys, "evaluate", str(PRINTED), "--json"))
    printed = [(f["rule"], f["row"], f["column"], f["printed"], f["computed"])
               for f in data["findings"] if "column" in f]  # fmt: skip
    assert printed == [
        # the printed TW I K 1 against the printed col 14 K 15 % and col 15 K 115 (100 + 15)
        ("printed-value-differs", PENUNJANG, "col14.k", "15", "1"),
        ("printed-value-differs", PENUNJANG, "col15.k", "115", "101"),
        # Pengadaan, Pemberhentian dan Informasi: 25 printed where the quarters add to 0,25
        ("total-not-sum-of-quarters", "5.03.02.2.01#31", "col13.k", "25", "0.25"),
        # Pembinaan Disiplin ASN: 0 printed where TW I is 500
        ("total-not-sum-of-quarters", "5.03.02.2.04.0007#53", "col13.k", "0", "500"),
        # 20 % is program_mean over the printed col 14 K (15; 21,43; 22,22 → 19,55); with
        # the printed TW I K 1 the program rows' col 14 K give 14,88
        ("footer-differs", "rata-rata", "footer.k", "20", "14.88359788359788359788359788"),
    ]
    footer = data["findings"][-1]
    assert "aturan yang sama atas angka kolom yang tercetak memberi 19,55 %" in footer["message"]
    # 12 % is 11,80 (program_ratio) rounded: it agrees and is not a finding
    assert round(D(data["footer"]["rp"]), 2) == D("11.80")


def test_besides_the_printed_slips_the_findings_are_the_seeds_form_findings(
    capsys, seed_example_path
):
    printed = json.loads(run(capsys, "evaluate", str(PRINTED), "--json"))["findings"]
    plain = json.loads(run(capsys, "evaluate", str(seed_example_path), "--json"))["findings"]
    assert [f for f in printed if "column" not in f] == plain
    assert [set(f) for f in printed if "column" in f] == [
        KEYS | {"column", "printed", "computed"}
    ] * 5


def test_printed_fields_only_add_findings(capsys, tmp_path):
    stripped = _without_printed(PRINTED, tmp_path)
    with_printed = json.loads(run(capsys, "evaluate", str(PRINTED), "--json"))
    without = json.loads(run(capsys, "evaluate", str(stripped), "--json"))
    assert with_printed["rows"] == without["rows"]
    assert with_printed["footer"] == without["footer"]
    assert [f for f in with_printed["findings"] if "column" not in f] == without["findings"]
    assert all(set(f) == KEYS for f in without["findings"])
    table = run(capsys, "evaluate", str(PRINTED))
    table_without = run(capsys, "evaluate", str(stripped))
    printed_lines = [line for line in table.splitlines() if line not in table_without.splitlines()]
    assert printed_lines == [
        "Temuan (12):",
        "- [KESALAHAN] printed-value-differs — 5.03.01#3: Kolom 14 K tercetak 15 %, hasil hitung "
        "(capaian kolom 13 terhadap target kolom 8) 1,00 %.",
        "- [KESALAHAN] printed-value-differs — 5.03.01#3: Kolom 15 K tercetak 115, hasil hitung "
        "(kolom 7 + kolom 13) 101.",
        "- [KESALAHAN] total-not-sum-of-quarters — 5.03.02.2.01#31: Kolom 13 tidak sama dengan "
        "agregat triwulannya: K tercetak 25, seharusnya 0,25.",
        "- [KESALAHAN] total-not-sum-of-quarters — 5.03.02.2.04.0007#53: Kolom 13 tidak sama "
        "dengan agregat triwulannya: K tercetak 0, seharusnya 500.",
        "- [PERINGATAN] footer-differs — rata-rata: Rata-rata capaian kinerja K tercetak 20 %, "
        "hasil hitung 14,88 % (rata-rata kolom 14 baris program, aturan program_mean); aturan "
        "yang sama atas angka kolom yang tercetak memberi 19,55 %: rata-rata itu mengikuti "
        "angka tercetak yang berbeda dengan hasil hitung.",
    ]


def test_a_form_without_printed_fields_never_enters_the_printed_check(
    capsys, seed_example_path, monkeypatch
):
    def refuse(*args, **kwargs):
        raise AssertionError("check_printed called for a form without printed fields")

    monkeypatch.setattr(kinerja.core.printed, "check_printed", refuse)
    data = json.loads(run(capsys, "evaluate", str(seed_example_path), "--json"))
    assert len(data["findings"]) == 7
    assert all(set(f) == KEYS for f in data["findings"])
    with pytest.raises(AssertionError, match="check_printed called"):  # the patch holds
        evaluate_form(load_form(str(PRINTED)))


def test_the_printed_findings_are_in_the_csv_with_row_and_column(capsysbinary):
    assert main(["evaluate", str(PRINTED), "--csv"]) == 0
    text = capsysbinary.readouterr().out.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    findings = rows[rows.index(["temuan", "tingkat", "baris", "pesan"]) + 1 :]
    assert [r[:3] for r in findings if r[0] in ("printed-value-differs", "footer-differs")] == [
        ["printed-value-differs", "error", PENUNJANG],
        ["printed-value-differs", "error", PENUNJANG],
        ["footer-differs", "warning", "rata-rata"],
    ]
    assert findings[1][3].startswith("Kolom 14 K tercetak 15 %")


# ---- plain and CSV output round every figure of columns 13–16 (DESIGN §3) ------------------


def _average_form(tmp_path):
    """TW III, aggregation average of 1, 1 and 2: col 13 K = col 15 K = 4/3 = 1,3333…;
    col 14 K = 4/3 of 3 = 44,44…; col 16 K = 4/3 of 7 = 19,047…; col 13 Rp 0,50 + 0,25 +
    0,25 = 1 of a pagu 3: col 14 Rp 33,33…; col 15 Rp 2 + 1 = 3 of 9: col 16 Rp 33,33…"""
    doc = {"year": 2025, "quarter": 3, "rows": [{
        "id": "p", "level": "program", "name": "Program", "aggregation": "average",
        "renstra_target": {"k": 7, "rp": 9}, "renstra_realised_before": {"k": 1, "rp": 2},
        "year_target": {"k": 3, "rp": 3},
        "quarters": [{"k": 1, "rp": "0,50"}, {"k": 1, "rp": "0,25"}, {"k": 2, "rp": "0,25"},
                     None],
    }]}  # fmt: skip
    path = tmp_path / "average.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_plain_output_rounds_every_figure_of_columns_13_to_16(capsys, tmp_path):
    table = run(capsys, "evaluate", str(_average_form(tmp_path)))
    row = next(line for line in table.splitlines() if line.startswith("p "))
    assert row.split() == ["p", "Program", "1,33", "1", "44,44", "%", "33,33", "%", "1,33", "3",
                           "19,05", "%", "33,33", "%"]  # fmt: skip
    assert "1,3333" not in table and "44,444" not in table and "19,047" not in table


def test_csv_output_rounds_every_figure_of_columns_13_to_16(capsysbinary, tmp_path):
    assert main(["evaluate", str(_average_form(tmp_path)), "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig")),
                           delimiter=";"))  # fmt: skip
    assert rows[1][5:] == ["1,33", "1", "44,44", "33,33", "1,33", "3", "19,05", "33,33"]


def test_json_output_keeps_columns_13_to_16_unrounded(capsys, tmp_path):
    data = json.loads(run(capsys, "evaluate", str(_average_form(tmp_path)), "--json"))
    row = data["rows"][0]
    for column, digits in (("col13", "1.3333333333"), ("col14", "44.4444444444"),
                           ("col15", "1.3333333333"), ("col16", "19.0476190476")):  # fmt: skip
        assert row[column]["k"].startswith(digits)
