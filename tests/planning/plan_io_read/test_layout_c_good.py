"""Good layout-C files read exactly: items, codes, hierarchy, targets, units and pagu."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

from kinerja.planning.plan_io.read import PlanReadError, read_plan

from .files import AGENCY, FIRST, realistic, save, simple, simple_rows


def _read(tmp_path, data: bytes, **kwargs):
    path = tmp_path / "renja.xlsx"
    path.write_bytes(data)
    return read_plan(path.read_bytes(), file_name=path.name, **kwargs)


def _tree(plan):
    return [
        (item.level, item.code, [child.code for child in item.children]) for item in plan.walk()
    ]


def test_realistic_export_items_hierarchy_and_values(tmp_path):
    plan = _read(tmp_path, realistic())
    assert plan.kind == "layout_c"
    assert plan.title_agency == AGENCY
    assert plan.title_year == 2025
    assert plan.pagu_columns == [
        "Pagu Indikatif RKPD",
        "Pagu Indikatif APBD",
        "Pagu Indikatif RKPD Perubahan",
    ]
    assert plan.pagu_column == "Pagu Indikatif APBD"
    # the agency, unsur, urusan, bidang and total rows are not items; the program repeated
    # under the second bidang (rows 20-22) is the same program, kegiatan and sub kegiatan
    assert _tree(plan) == [
        ("program", "5.03.02", ["5.03.02.2.01", "5.03.02.2.02"]),
        ("kegiatan", "5.03.02.2.01", ["5.03.02.2.01.0001", "5.03.02.2.01.0002"]),
        ("sub_kegiatan", "5.03.02.2.01.0001", []),
        ("sub_kegiatan", "5.03.02.2.01.0002", []),
        ("kegiatan", "5.03.02.2.02", ["5.03.02.2.02.0001"]),
        ("sub_kegiatan", "5.03.02.2.02.0001", []),
        ("program", "X.XX.01", ["X.XX.01.2.01"]),
        ("kegiatan", "X.XX.01.2.01", ["X.XX.01.2.01.0001", "X.XX.01.2.01.0007"]),
        ("sub_kegiatan", "X.XX.01.2.01.0001", []),
        ("sub_kegiatan", "X.XX.01.2.01.0007", []),
    ]
    rows = {
        item.code: (
            item.source.row,
            item.target_k,
            item.target_k_upper,
            item.unit,
            item.budget,
            item.renstra_target_k,
            item.renstra_target_unit,
            item.renstra_realised_k,
            item.renstra_realised_unit,
        )
        for item in plan.walk()
    }
    D = Decimal
    assert rows == {
        "5.03.02": (12, D(72), None, "Indeks", D(2_450_000_000), D(75), "Indeks", D("68.5"),
                    "Indeks"),
        "5.03.02.2.01": (13, D(95), None, "%", D(1_450_000_000), D(100), "%", D(90), "%"),
        # «Sesudah» (2 Dokumen) rather than «Sebelum» (1 Dokumen)
        "5.03.02.2.01.0001": (14, D(2), None, "Dokumen", D(950_000_000), D(5), "Dokumen",
                              None, ""),
        "5.03.02.2.01.0002": (15, D(14), None, "Dokumen", D(500_000_000), D(14), "Dokumen",
                              None, ""),
        "5.03.02.2.02": (16, D(80), D(90), "%", D(1_000_000_000), None, "", None, ""),
        "5.03.02.2.02.0001": (17, D(120), None, "", D(1_000_000_000), None, "", None, ""),
        "X.XX.01": (24, D(80), None, "Nilai", D(15_680_291_362), None, "", None, ""),
        "X.XX.01.2.01": (25, D(100), None, "%", D(15_680_291_362), None, "", None, ""),
        "X.XX.01.2.01.0001": (26, D(2), None, "Dokumen", D(80_291_362), None, "", None, ""),
        "X.XX.01.2.01.0007": (27, D(4), None, "Laporan", D(15_600_000_000), None, "", None,
                              ""),
    }  # fmt: skip
    first = plan.items[0]
    assert first.name == "PROGRAM KEPEGAWAIAN DAERAH"
    assert first.indicator == "Indeks Profesionalitas ASN"
    assert first.responsible_unit == "BKPSDM"
    assert first.children[0].children[0].name.startswith("Penyusunan Rencana Kebutuhan")
    # exactly two things to say: a Renstra target that is not a number, and two targets in
    # one cell (the first is read)
    assert [(i.severity, i.source.sheet, i.source.row, i.source.column) for i in plan.issues] == [
        ("warning", "Renja 2025", 24, "I"),
        ("warning", "Renja 2025", 26, "M"),
    ]
    assert "A Predikat" in plan.issues[0].value
    assert "2 Dokumen" in plan.issues[1].message
    assert not plan.refused


@pytest.mark.parametrize(
    ("wanted", "label", "program_budget"),
    [
        ("RKPD", "Pagu Indikatif RKPD", Decimal(2_500_000_000)),
        ("pagu indikatif  apbd", "Pagu Indikatif APBD", Decimal(2_450_000_000)),
        ("rkpd perubahan", "Pagu Indikatif RKPD Perubahan", Decimal(2_600_000_000)),
    ],
)
def test_pagu_column_picked_by_name(tmp_path, wanted, label, program_budget):
    plan = _read(tmp_path, realistic(), pagu_column=wanted)
    assert plan.pagu_column == label
    assert plan.items[0].budget == program_budget


def test_parent_pagu_not_sum_of_children_is_a_warning_in_the_column_read(tmp_path):
    plan = _read(tmp_path, realistic(), pagu_column="RKPD Perubahan")
    sums = [i for i in plan.issues if "jumlah pagu" in i.message]
    assert [(i.source.row, i.severity) for i in sums] == [(24, "warning")]
    assert "15.700.000.000" in sums[0].message and "15.680.291.362" in sums[0].message
    # the program is still read with its own pagu
    assert plan.items[1].budget == Decimal(15_700_000_000)


def test_unknown_pagu_column_is_refused_with_the_choices(tmp_path):
    with pytest.raises(PlanReadError) as refused:
        _read(tmp_path, realistic(), pagu_column="DPA Perubahan")
    message = str(refused.value)
    assert "DPA Perubahan" in message
    for label in ("Pagu Indikatif RKPD", "Pagu Indikatif APBD", "Pagu Indikatif RKPD Perubahan"):
        assert f"«{label}»" in message


def test_code_in_one_cell_with_spaces_and_two_digit_suffix(tmp_path):
    rows = simple_rows()
    rows[0][1] = " 5 . 03 . 02 "
    rows[1][1] = "5.03.02. 2.01"
    rows[2][1] = "5 03 02 2 01 01"
    rows[3][1] = "5.03.02.2.01.0002"
    plan = _read(tmp_path, save(simple(rows)))
    assert _tree(plan) == [
        ("program", "5.03.02", ["5.03.02.2.01"]),
        ("kegiatan", "5.03.02.2.01", ["5.03.02.2.01.0001", "5.03.02.2.01.0002"]),
        ("sub_kegiatan", "5.03.02.2.01.0001", []),
        ("sub_kegiatan", "5.03.02.2.01.0002", []),
    ]
    assert plan.issues == []
    assert [i.budget for i in plan.walk()] == [Decimal(300_000_000), Decimal(300_000_000),
                                               Decimal(100_000_000), Decimal(200_000_000)]  # fmt: skip
    assert plan.pagu_columns == ["Pagu Indikatif (Rp)"]


def test_split_code_typed_as_numbers_keeps_its_zeros(tmp_path):
    """A spreadsheet turns 03 into 3 and 2.10 into 2.1; the five code cells' positions say
    how many digits each part has."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Renja"
    ws["A1"] = "RENCANA KERJA"
    ws["A2"] = "TAHUN 2026"
    ws.merge_cells("A4:E4")
    ws["A4"] = "Kode"
    ws["F4"] = "Program/Kegiatan/Sub Kegiatan"
    ws["G4"] = "Target"
    ws["H4"] = "Pagu"
    for c in range(1, 9):
        ws.cell(row=5, column=c, value=c)
    ws.append([5, 3, 2, None, None, "PROGRAM KEPEGAWAIAN DAERAH", None, 1_500_000])
    ws.append([5, 3, 2, 2.1, None, "Mutasi ASN", "3 Laporan", 1_500_000])
    ws.append([5, 3, 2, 2.1, 7, "Pengelolaan Mutasi", 12.5, 1_499_999.9999999998])
    plan = _read(tmp_path, save(wb))
    assert plan.title_year == 2026 and plan.title_agency == ""
    assert [(i.code, i.target_k, i.unit, i.budget) for i in plan.walk()] == [
        ("5.03.02", None, "", Decimal(1_500_000)),
        ("5.03.02.2.10", Decimal(3), "Laporan", Decimal(1_500_000)),
        ("5.03.02.2.10.0007", Decimal("12.5"), "", Decimal(1_500_000)),
    ]
    assert plan.issues == []


def test_rupiah_prefix_dash_and_blank_amounts(tmp_path):
    rows = simple_rows()
    rows[0][6] = "Rp 300.000.000"
    rows[1][6] = "Rp. 300.000.000,00"
    rows[2][6] = "-"
    rows[3][6] = None
    plan = _read(tmp_path, save(simple(rows)))
    assert [i.budget for i in plan.walk()] == [Decimal(300_000_000), Decimal(300_000_000),
                                               None, None]  # fmt: skip
    assert plan.issues == []


def test_title_with_agency_label_and_year_on_one_line(tmp_path):
    wb = simple(agency="Perangkat Daerah : Dinas Kesehatan", year=2024)
    plan = _read(tmp_path, save(wb))
    assert plan.title_agency == "Dinas Kesehatan"
    assert plan.title_year == 2024


def test_rows_start_where_the_header_ends_even_without_numbering(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Kode", "Nomenklatur Program/Kegiatan", "Indikator Kinerja", "Pagu APBD"])
    ws.append(["5.03.02", "PROGRAM KEPEGAWAIAN DAERAH", "Indeks", "10.000,00"])
    plan = _read(tmp_path, save(wb))
    assert [(i.code, i.name, i.indicator, i.budget) for i in plan.walk()] == [
        ("5.03.02", "PROGRAM KEPEGAWAIAN DAERAH", "Indeks", Decimal(10_000))
    ]
    assert plan.pagu_column == "Pagu APBD"


def test_first_data_row_of_simple_file(tmp_path):
    plan = _read(tmp_path, save(simple()))
    assert [i.source.row for i in plan.walk()] == [FIRST, FIRST + 1, FIRST + 2, FIRST + 3]
    assert [i.source.column for i in plan.walk()] == ["C"] * 4
