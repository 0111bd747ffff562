"""Kinerja's plan template: exact numbers both ways, the blank template's example rows,
every bad cell a warning naming its sheet, row and column, and the CLI."""

import io
import json
from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.cli import main
from kinerja.planning.plan_io.model import PlanData, PlanItem, QuarterPlan
from kinerja.planning.plan_io.template import read_template, write_template


def _sheet(rows, header=None):
    """A Renja sheet of the template with these rows under its header."""
    from kinerja.planning.plan_io.template import RENJA_HEADERS

    header = header or list(RENJA_HEADERS)
    return {"Renja": [["Perangkat daerah", "X"], ["Tahun", 2024.0], [], header, *rows]}


def _row(**cells):
    from kinerja.planning.plan_io.template import RENJA_HEADERS

    return [cells.get(h, "") for h in RENJA_HEADERS]


@pytest.mark.parametrize(
    "value",
    ["1905955200", "0.7", "0.123456", "1000000000000", "-1000000000000", "999999999999999.99",
     "123456789012345.67", "0.000001", "89.95", "1895", "0"],
)  # fmt: skip
def test_numbers_round_trip_exactly(value):
    from kinerja.core.numbers import K_BOUND

    number = D(value)
    k = number if K_BOUND.low <= number <= K_BOUND.high else None
    money = number if number >= 0 and number.as_tuple().exponent >= -2 else None
    item = PlanItem("program", "5.03.01", "P", decimals=2, allows_negative=True,
                    target_k=k, budget=money)  # fmt: skip
    plan = read_template(write_template(PlanData("template", items=[item]), year=2024))
    [back] = plan.items
    assert (back.target_k, back.budget) == (k, money)
    assert k is not None or money is not None
    assert not plan.issues


def test_numbers_are_numbers_with_a_display_format_or_exact_text():
    item = PlanItem("program", "5.03.02", "P", decimals=2, target_k=D("0.7"),
                    budget=D("1905955200"), renstra_target_rp=D("999999999999999.99"),
                    quarters={1: QuarterPlan(D("0.25"), D("758058000"))})  # fmt: skip
    data = write_template(PlanData("template", items=[item]), agency_name="A", year=2024)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Renja"]
    header = [c.value for c in ws[4]]
    row = {h: ws.cell(row=5, column=n + 1) for n, h in enumerate(header)}
    assert row["Pagu (Rp)"].value == 1905955200 and row["Pagu (Rp)"].number_format == "#,##0"
    assert row["Target K"].value == 0.7 and row["Target K"].number_format == "#,##0.00"
    # 17 digits: more than a spreadsheet keeps, so exact Indonesian text
    assert row["Target Renstra Rp"].value == "999.999.999.999.999,99"
    assert row["Kode"].value == "5.03.02" and row["Kode"].data_type == "s"


def test_blank_template_has_its_sheets_validation_and_example_rows_that_import_skips():
    data = write_template(None, year=2025)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Petunjuk", "Renja", "Renstra", "IKU"]
    renja = book["Renja"]
    assert renja.freeze_panes == "D5"
    lists = {dv.formula1 for dv in renja.data_validations.dataValidation}
    assert '"Program,Kegiatan,Sub Kegiatan"' in lists
    assert renja["C5"].value.startswith("CONTOH")
    plan = read_template(data)
    assert plan.items == [] and plan.renstra is None
    skipped = [i for i in plan.issues if "contoh" in i.message]
    assert [(i.source.sheet, i.source.row) for i in skipped][:3] == [
        ("Renja", 5),
        ("Renja", 6),
        ("Renja", 7),
    ]
    assert not plan.refused


def test_each_bad_cell_is_a_warning_naming_sheet_row_column_and_value():
    workbook = _sheet([
        _row(Tingkat="Program", Kode="5.03.01", Nama="P", **{"Pagu (Rp)": "1,905,955,200"}),
        _row(Tingkat="Kegiatan", Kode="5.03.01.2.01", Nama="K", **{"Pagu (Rp)": -5.0}),
        _row(Tingkat="Sub", Kode="5.03.01.2.01.0001", Nama="S"),
        _row(Tingkat="Sub Kegiatan", Kode="5.03.01.2.01.1", Nama="S1", Desimal=9.0,
             Polaritas="naik"),
        _row(Tingkat="Kegiatan", Kode="5.03.01.2.02", Nama=""),
    ])  # fmt: skip
    plan = read_template(workbook)
    found = {(i.source.row, i.source.column): i for i in plan.issues}
    assert "format angka Inggris" in found[(5, "I")].message
    assert found[(5, "I")].value == "1,905,955,200"
    assert "tidak boleh negatif" in found[(6, "I")].message
    assert "Tingkat tidak dikenal" in found[(7, "A")].message
    assert "0 sampai 6" in found[(8, "F")].message
    assert "Pilihan tidak dikenal" in found[(8, "J")].message
    assert "Nama kosong" in found[(9, "C")].message
    [program] = plan.items
    assert program.budget is None  # the cell skipped, the row kept
    [kegiatan] = program.children
    [sub] = kegiatan.children
    assert (sub.code, sub.decimals, sub.polarity) == ("5.03.01.2.01.0001", None, "higher")
    assert not plan.refused


def test_without_code_and_name_columns_the_file_is_refused():
    plan = read_template({"Renja": [["Tingkat", "Uraian program"], ["Program", "x"]]})
    assert plan.refused
    assert "Kode" in plan.issues[0].message


@pytest.mark.django_db
def test_a_program_repeated_under_the_same_parent_is_one_item(new_agency):
    from kinerja.planning.models import WorkItem
    from kinerja.planning.plan_io.apply import apply_changes, plan_changes

    workbook = _sheet([
        _row(Tingkat="Program", Kode="5.03.01", Nama="Program A", **{"Pagu (Rp)": 100.0}),
        _row(Tingkat="Kegiatan", Kode="5.03.01.2.01", Nama="Kegiatan 1"),
        _row(Tingkat="Program", Kode="5.03.01", Nama="Program A", **{"Pagu (Rp)": 200.0}),
        _row(Tingkat="Kegiatan", Kode="5.03.01.2.02", Nama="Kegiatan 2"),
    ])  # fmt: skip
    changes = plan_changes(read_template(workbook), new_agency, 2024)
    assert any("muncul lagi" in i.message and "budget" in i.message for i in changes.issues)
    apply_changes(changes, None, "dup.xlsx")
    [program] = WorkItem.objects.filter(agency=new_agency, level="program")
    assert program.budget_original == 100
    assert [c.name for c in program.children.order_by("position")] == ["Kegiatan 1", "Kegiatan 2"]


# ---- the CLI --------------------------------------------------------------------------


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.django_db
def test_cli_export_dry_run_json_and_write(capsys, tmp_path, agency, new_agency):
    from kinerja.planning.models import WorkItem

    path = tmp_path / "bkpsdm.xlsx"
    code, out, _ = run(capsys, "plan", "export", "--agency", agency.slug, "--year", "2024",
                       "--output", str(path))  # fmt: skip
    assert code == 0 and "61" in out and path.exists()

    code, out, _ = run(capsys, "plan", "import", str(path), "--agency", new_agency.slug,
                       "--year", "2024", "--dry-run")  # fmt: skip
    assert code == 0
    assert "uji coba (belum ditulis)" in out
    assert "+ program 5.03.02 Program Kepegawaian Daerah" in out
    assert "peringatan: Renja!" in out
    assert not WorkItem.objects.filter(agency=new_agency).exists()

    code, out, _ = run(capsys, "plan", "import", str(path), "--agency", new_agency.slug,
                       "--year", "2024", "--json")  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["written"] is True and data["counts"]["changed"] == 0
    assert {"agency", "year", "counts", "created", "changed", "left", "issues"} <= set(data)
    assert WorkItem.objects.filter(agency=new_agency).count() == 61


@pytest.mark.django_db
def test_cli_refuses_with_exit_2(capsys, tmp_path, agency, seed_export):
    bad = tmp_path / "bukan.xlsx"
    bad.write_text("bukan xlsx")
    code, _, err = run(capsys, "plan", "import", str(bad), "--agency", agency.slug,
                       "--year", "2024")  # fmt: skip
    assert code == 2 and "bukan .xlsx" in err

    # a changed pagu in an approved year, without a revision
    book = openpyxl.load_workbook(io.BytesIO(seed_export))
    ws = book["Renja"]
    ws["I5"] = 1
    path = tmp_path / "ubah.xlsx"
    book.save(path)
    code, out, err = run(capsys, "plan", "import", str(path), "--agency", agency.slug,
                         "--year", "2024", "--dry-run")  # fmt: skip
    assert code == 2 and "sudah disahkan" in err and "DITOLAK" in out
    code, out, err = run(capsys, "plan", "import", str(path), "--agency", agency.slug,
                         "--year", "2024", "--tanggal-revisi", "2024-10-01",
                         "--alasan-revisi", "APBD-P", "--dasar-hukum", "Perda 5/2024")  # fmt: skip
    assert code == 0, err
    assert "pagu perubahan: 9.722.008.231 → 1 (revisi)" in out
