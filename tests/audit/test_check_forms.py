"""`kinerja check` on the seed's printed form (layout A) and on a 15-column RKPD form with the
nine slips of a real filled form (layout B)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kinerja.audit import audit_workbook
from kinerja.audit.output import to_json_data
from kinerja.cli import main

from .forms import RKPD_SLIPS, rkpd_form, seed_form, seed_row


@pytest.fixture(scope="module")
def seed_audit(tmp_path_factory):
    return audit_workbook(str(seed_form(tmp_path_factory.mktemp("seed") / "seed.xlsx")))


def test_seed_form_is_read_whole(seed_audit):
    assert (seed_audit.layout, seed_audit.quarter, seed_audit.rows) == ("renja", 1, 61)


def test_seed_printed_errors_are_exactly_the_known_ones(seed_audit):
    penunjang = seed_row("5.03.01")
    printed = [
        (f.rule, f.cell, f.printed, f.computed)
        for f in seed_audit.findings
        if f.rule in ("printed-value-differs", "total-not-sum-of-quarters")
    ]
    assert printed == [
        ("printed-value-differs", f"V{penunjang}", Decimal(15), Decimal(1)),  # col 14 K
        ("printed-value-differs", f"X{penunjang}", Decimal(115), Decimal(101)),  # col 15 K
        ("total-not-sum-of-quarters", f"T{seed_row('5.03.02.2.01')}", Decimal(25), Decimal("0.25")),
        (
            "total-not-sum-of-quarters",
            f"T{seed_row('5.03.02.2.04.0007')}",
            Decimal(0),
            Decimal(500),
        ),
    ]


def test_seed_form_findings_are_those_of_the_seed_readme(seed_audit):
    others = [(f.rule, f.row) for f in seed_audit.findings
              if f.rule not in ("printed-value-differs", "total-not-sum-of-quarters")]  # fmt: skip
    assert others == [
        ("parent-not-sum-of-children", seed_row("5.03.01")),
        ("parent-not-sum-of-children", seed_row("5.03.01.2.02")),
        ("unit-mismatch", seed_row("5.03.01.2.02.0000")),
        ("renstra-budget-exceeded", seed_row("5.03.01.2.07")),
        ("renstra-budget-exceeded", seed_row("5.03.01.2.09")),
        ("renstra-budget-exceeded", seed_row("5.03.02.2.03")),
        ("realisation-after-report-quarter", seed_row("5.04.02.2.02")),
        ("footer-differs", None),  # 20 % comes from the printed col 14 K 15, not TW I K 1
    ]


def test_seed_footer_rules_reproduce_the_printed_averages(seed_audit):
    foot = seed_audit.footer
    assert (foot.printed_k, foot.printed_rp) == (Decimal(20), Decimal(12))
    assert (foot.rule_k, foot.basis_k) == ("program_mean", "printed")  # 19,55 → 20
    assert (foot.rule_rp, foot.basis_rp) == ("program_ratio", "computed")  # 11,80 → 12
    assert round(foot.computed_rp, 2) == Decimal("11.80")
    assert round(foot.computed_k, 2) == Decimal("14.88")  # with the printed TW I K = 1


def test_seed_json_has_the_stable_keys(seed_audit):
    data = to_json_data(seed_audit)
    assert set(data) == {"sheet", "layout", "quarter", "rows", "footer", "findings"}
    assert data["footer"]["printed"] == {"k": "20", "rp": "12"}
    assert data["footer"]["rule"] == {"k": "program_mean", "rp": "program_ratio"}
    assert {tuple(f) for f in data["findings"]} == {
        ("rule", "severity", "sheet", "row", "cell", "printed", "computed", "message")
    }
    first = data["findings"][0]
    assert (first["sheet"], first["cell"], first["printed"], first["computed"]) == (
        "Evaluasi Renja TW I",
        f"V{seed_row('5.03.01')}",
        "15",
        "1",
    )


def test_rkpd_form_flags_each_of_the_nine_slips(tmp_path):
    audit = audit_workbook(str(rkpd_form(tmp_path / "rkpd.xlsx")))
    assert (audit.layout, audit.quarter) == ("rkpd", 4)
    found = [(f.cell, f.rule) for f in audit.findings]
    assert set(RKPD_SLIPS) <= set(found)
    # and besides the slips only what they cause in the same cells
    assert sorted(set(found) - set(RKPD_SLIPS)) == [
        ("AB10", "parent-k-differs"),  # AVERAGE over its one kegiatan is 100, not 50
        ("AB10", "total-not-sum-of-quarters"),  # the quarters add to 100
        ("K9", "parent-range-differs"),  # =K10+K16 names the other bidang
        ("O20", "parent-range-differs"),  # =O8+O16 likewise
    ]
    wrong_column = next(f for f in audit.findings if f.cell == "AE15")
    assert (wrong_column.printed, wrong_column.computed) == (Decimal(81825849), Decimal(177868883))
    assert "=O15+AC15" in wrong_column.message
    hidden = next(
        f for f in audit.findings if f.cell == "AB10" and f.rule == "parent-range-differs"
    )
    assert "baris tersembunyi 14" in hidden.message


def test_rkpd_form_without_the_slips_has_no_findings(tmp_path):
    audit = audit_workbook(str(rkpd_form(tmp_path / "clean.xlsx", variant="clean")))
    assert audit.findings == ()
    assert audit.rows == 9  # 8 items and the program's second indicator (continuation row)


def test_rkpd_unlabelled_helper_cells_are_matched_to_their_rules(tmp_path):
    foot = audit_workbook(str(rkpd_form(tmp_path / "rkpd.xlsx"))).footer
    assert (foot.printed_k, foot.rule_k, foot.cell_k) == (Decimal("87.5"), "kegiatan_mean", "AI12")
    assert (foot.printed_rp, foot.rule_rp, foot.cell_rp) == (
        Decimal("91.69"),
        "program_ratio",
        "AI13",
    )


def test_cli_check_prints_json_and_exits_0_with_findings(tmp_path, capsys):
    path = rkpd_form(tmp_path / "rkpd.xlsx")
    assert main(["check", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["layout"], data["sheet"], len(data["findings"])) == ("rkpd", "Evaluasi RKPD", 13)


def test_cli_check_quarter_option_overrides_the_title(tmp_path, capsys):
    path = rkpd_form(tmp_path / "rkpd.xlsx")
    assert main(["check", str(path), "--json", "--quarter", "2"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["quarter"] == 2
    assert "realisation-after-report-quarter" in {f["rule"] for f in data["findings"]}


def test_cli_check_writes_the_audit_workbook(tmp_path, capsys):
    import openpyxl

    path = rkpd_form(tmp_path / "rkpd.xlsx")
    out = tmp_path / "audit.xlsx"
    assert main(["check", str(path), "--output", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    sheet = wb["Evaluasi RKPD"]
    assert sheet["AE15"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "Seharusnya 177.868.883" in sheet["AE15"].comment.text
    assert sheet["AE14"].comment is None  # a right cell is left alone
    assert sheet["AB12"].value == 100  # formulas replaced by what they showed
    findings = list(wb["Temuan"].iter_rows(min_row=2, values_only=True))
    assert len(findings) == 13
    assert capsys.readouterr().out.startswith("Lembar «Evaluasi RKPD»")
