"""The evaluation form as an Excel workbook: the cached figures are the core's, the layout and
print setup are the form's, and the live formulas alone give the core's figures once
LibreOffice recalculates them."""

import dataclasses
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest

from kinerja.core import evaluate_form
from kinerja.core.aggregate import Aggregation
from kinerja.core.form import AverageRule, Rules
from kinerja.formfile import load_form
from kinerja.reporting.build import form_report
from kinerja.reporting.data import FormReport, data_hash
from kinerja.reporting.renderers import Provenance
from kinerja.reporting.renderers.xlsx_form import FIRST, FormXlsx, form_rows, k_col

from .factories import TW3_FILE, form_report_from_file

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# LibreOffice keeps an xlsx file's cached values unless told to recalculate on load.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode"
 oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def render(data: FormReport, **options) -> bytes:
    provenance = Provenance(data_hash(data), FormXlsx.template_hash())
    return FormXlsx().render(data, provenance=provenance, **options)


def load(content: bytes, *, data_only: bool = True) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content), data_only=data_only)


def figures(ws, data: FormReport):
    """(what, the core's value, the sheet's value) for columns 13–16 K and Rp of every row."""
    rows = form_rows(data)
    for line in data.rows:
        for column in (13, 14, 15, 16):
            figure = getattr(line, f"col{column}")
            for part, expected in enumerate((figure.k, figure.rp)):
                got = ws.cell(rows[line.id] + 1, k_col(column) + part + 1).value
                yield f"{line.id} kolom {column} {('K', 'Rp')[part]}", expected, got


def footer_cells(ws, data: FormReport) -> tuple[list, list]:
    row = FIRST + len(data.printed_rows()) + 1
    values = [ws.cell(row, k_col(14) + 1 + part).value for part in (0, 1)]
    ratings = [ws.cell(row + 1, k_col(14) + 1 + part).value for part in (0, 1)]
    return values, ratings


def blank(value) -> bool:
    return value is None or value == ""


def mismatches(ws, data: FormReport, *, tolerance: Decimal | None = None) -> list:
    """Cells whose value is not the core's: exact to 1e-9 relative, or within ``tolerance``."""
    out = []
    for what, expected, got in figures(ws, data):
        if expected is None:
            ok = blank(got)
        elif not isinstance(got, int | float):
            ok = False
        elif tolerance is None:
            ok = got == pytest.approx(float(expected), rel=1e-9, abs=1e-9)
        else:
            ok = abs(Decimal(repr(got)) - expected) <= tolerance
        if not ok:
            out.append((what, expected, got))
    return out


@pytest.fixture(scope="module")
def seed() -> FormReport:
    return form_report_from_file()


@pytest.fixture(scope="module")
def seed_book(seed) -> openpyxl.Workbook:
    return load(render(seed))


def test_cached_values_are_the_core_figures(seed, seed_book):
    ws = seed_book["Formulir"]
    assert mismatches(ws, seed) == []
    values, ratings = footer_cells(ws, seed)
    assert [round(v, 2) for v in values] == [19.55, 11.80]
    assert values == [
        pytest.approx(float(seed.footer_k.value), rel=1e-12),
        pytest.approx(float(seed.footer_rp.value), rel=1e-12),
    ]
    assert ratings == ["Sangat Rendah", "Sangat Rendah"]


def test_missing_figures_are_empty_and_zeros_are_numbers(seed, seed_book):
    ws = seed_book["Formulir"]
    row = form_rows(seed)["5.03.01.2.05.0002#11"] + 1
    assert [ws.cell(row, k_col(c) + 1).value for c in (13, 14, 15, 16)] == [None] * 4
    row = form_rows(seed)["5.03.01.2.06.0001#14"] + 1
    assert [ws.cell(row, k_col(c) + 1).value for c in (13, 14)] == [0, 0]


def test_columns_13_to_16_and_the_footer_are_formulas(seed):
    ws = load(render(seed), data_only=False)["Formulir"]
    row = FIRST + 3  # below the urusan "5" and bidang urusan "5.03" rows
    formulas = [
        ws.cell(row, k_col(c) + part + 1).value for c in (13, 14, 15, 16) for part in (0, 1)
    ]
    assert [f.startswith("=") for f in formulas] == [True] * 8
    assert formulas[0] == '=IF(COUNT(L12)=0,"",SUM(L12))'  # TW I only: the seed is TW I
    assert formulas[2] == '=IF(OR(T12="",J12=""),"",IF(J12=0,"",T12/J12*100))'
    values, ratings = footer_cells(ws, seed)
    programs = [form_rows(seed)[i] + 1 for i in seed.footer_k.row_ids]
    # the three programs; the urusan rows above them are not counted
    assert [ws.cell(r, 3).value for r in programs] == ["5.03.01", "5.03.02", "5.04.02"]
    assert values[0] == "=AVERAGE(" + ",".join(f"V{r}" for r in programs) + ")"
    assert ratings[0].startswith(f'=IF(V{FIRST + len(seed.printed_rows()) + 1}="","",IF(')


def test_without_cached_values_every_formula_has_none(seed):
    ws = load(render(seed, cache_values=False))["Formulir"]
    assert {got for _, _, got in figures(ws, seed)} == {None}
    assert footer_cells(ws, seed) == ([None, None], [None, None])


def test_header_is_merged_over_two_rows_with_the_column_numbers(seed_book):
    ws = seed_book["Formulir"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    expected = {
        "A6:A7",
        "B6:B7",
        "C6:C7",
        "D6:D7",
        "E6:E7",
        "F6:G7",
        "H6:I7",
        "J6:K7",
        "L6:S6",
        "L7:M7",
        "N7:O7",
        "P7:Q7",
        "R7:S7",
        "T6:U7",
        "V6:W7",
        "X6:Y7",
        "Z6:AA7",
        "AB6:AB7",
        "F8:G8",
        "T8:U8",
        "Z8:AA8",
    }
    assert expected - merged == set()
    numbers = [ws.cell(8, c).value for c in [1, 2, 3, 4, 5, *range(6, 28, 2), 28]]
    assert numbers == [
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
        "10",
        "11",
        "12",
        "13=9+10+11+12",
        "14=13/8x100%",
        "15=7+13",
        "16=15/6x100%",
        "17",
    ]
    assert [ws.cell(9, c).value for c in range(6, 28)] == ["K", "Rp"] * 11
    assert ws["A6"].value == "No"
    assert ws["L7"].value == "I"
    assert ws["A1"].value == form_report_from_file().title


def test_rows_show_levels_codes_and_units(seed, seed_book):
    ws = seed_book["Formulir"]
    program, kegiatan, sub = FIRST + 3, FIRST + 4, FIRST + 5
    assert (ws.cell(program, 1).value, ws.cell(program, 3).value) == (1, "5.03.01")
    assert [ws.cell(r, 4).font.b for r in (program, kegiatan, sub)] == [True, True, False]
    assert [ws.cell(r, 4).alignment.indent for r in (program, kegiatan, sub)] == [0, 1, 2]
    assert ws.cell(kegiatan, k_col(6) + 1).number_format == '#,##0" Dokumen"'
    assert ws.cell(kegiatan, k_col(6) + 1).value == 55
    assert ws.cell(kegiatan, k_col(6) + 2).number_format == "#,##0"
    assert ws.cell(kegiatan, k_col(14) + 1).number_format == "#,##0.00"


def test_panes_and_print_setup(seed_book):
    ws = seed_book["Formulir"]
    assert ws.freeze_panes == "E10"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 14
    # fitToWidth absent means 1 (the OOXML default); fitToHeight 0 means "as many as needed"
    assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.print_title_rows == "$6:$9"


def test_paper_a4(seed):
    ws = load(render(seed, paper="a4"))["Formulir"]
    assert int(ws.page_setup.paperSize) == 9


def test_document_properties_carry_the_provenance(seed):
    content = render(seed)
    book = load(content)
    assert book.properties.title == seed.title
    assert book.properties.creator == "Kinerja"
    assert book.properties.description.startswith(f"data sha256:{data_hash(seed)}")
    props = {p.name: p.value for p in book.custom_doc_props.props}
    assert props == {
        "kinerja_data_sha256": data_hash(seed),
        "kinerja_template_sha256": FormXlsx.template_hash(),
    }
    app = zipfile.ZipFile(io.BytesIO(content)).read("docProps/app.xml").decode()
    assert "<Company>Pemerintah Kabupaten Sumenep</Company>" in app


def test_the_workbook_is_the_form_alone_without_findings_or_rule_ids(seed):
    book = load(render(seed))
    assert book.sheetnames == ["Formulir"]
    texts = [c.value for row in book["Formulir"].iter_rows() for c in row]
    text = "\n".join(t for t in texts if isinstance(t, str))
    assert seed.findings  # the seed has findings: they are not printed here
    for finding in seed.findings:
        assert finding.message not in text
        assert finding.rule not in text
    assert "program_mean" not in text and "(aturan" not in text and "sha256" not in text
    assert "Cara menghitung — K: rata-rata kolom 14 baris program" in text


def test_footer_and_signature_texts(seed, seed_book):
    ws = seed_book["Formulir"]
    first = FIRST + len(seed.printed_rows()) + 1
    texts = [c.value for row in ws.iter_rows(min_row=first) for c in row]
    texts = [t for t in texts if isinstance(t, str)]
    assert texts[:1] == ["Rata-rata capaian kinerja (%)"]
    # the four texts of Permendagri 86/2017 in order, each with its text or "-"
    titles = [t for t in texts if t.endswith(":")]
    assert titles == [
        "Faktor pendorong keberhasilan kinerja:",
        "Faktor penghambat pencapaian kinerja:",
        "Tindak lanjut yang diperlukan dalam triwulan berikutnya:",
        "Tindak lanjut yang diperlukan dalam rencana kerja berikutnya:",
    ]
    after = {t: texts[texts.index(t) + 1] for t in titles}
    assert list(after.values()) == [
        "Komitmen pimpinan dan kerja sama pegawai.",
        "Kebijakan pengembangan kompetensi yang masih terbatas.",
        "Percepatan proses pengadaan barang/jasa.",
        "-",
    ]
    for expected in (
        "Predikat kinerja",
        "Sumenep, 16 April 2024",
        "Nama Kepala Badan",
        "NIP. 19700101 199503 1 001",
    ):
        assert expected in texts
    acting = dataclasses.replace(seed.signature, acting="Plt")
    ws = load(render(dataclasses.replace(seed, signature=acting)))["Formulir"]
    titles = [c.value for row in ws.iter_rows(min_row=first) for c in row]
    assert f"Plt. {seed.signature.title}" in titles


# ---- the formulas alone, recalculated by LibreOffice ----------------------------------------


def tw3_with(rules: Rules, *, last_becomes: Aggregation, bounds=None) -> FormReport:
    """The TW III fixture under other footer rules, its `last` rows aggregated otherwise (so
    `average` and `max` rows without any quarter are covered too), and ``bounds`` (row id →
    (lower, upper)) replacing the range targets of column 8."""
    form = load_form(str(TW3_FILE))
    rows = []
    for row in form.rows:
        if row.aggregation is Aggregation.LAST:
            row = dataclasses.replace(row, aggregation=last_becomes)
        if row.id in (bounds or {}):
            lower, upper = bounds[row.id]
            target = dataclasses.replace(row.year_target, k=lower, k_upper=upper)
            row = dataclasses.replace(row, year_target=target)
        rows.append(row)
    form = dataclasses.replace(form, rules=rules, rows=tuple(rows))
    return form_report(
        evaluate_form(form),
        government="Pemerintah Kabupaten Sumenep",
        agency="Badan Kepegawaian",
        agency_abbreviation="BKPSDM",
    )


# realisations exactly on a range's bounds: TW III column 13 is 9 and 27 on these rows
ON_THE_BOUNDS = {
    "5.03.02.2.02": (Decimal(9), Decimal(14)),
    "5.04.02.2.01.0003": (Decimal(20), Decimal(27)),
}


@pytest.fixture(scope="module")
def recalculated(seed, tmp_path_factory):
    """Workbooks written without cached values, opened, recalculated and saved by LibreOffice
    (one soffice run for all of them)."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) tidak terpasang")
    reports = {
        "seed": seed,
        "tw3": form_report_from_file(TW3_FILE),
        # the other footer rules, with a cap (TW III has rows above 100 %)
        "tw3-pagu": tw3_with(
            Rules(AverageRule.PAGU_WEIGHTED, AverageRule.SUB_KEGIATAN_MEAN, cap=Decimal(100)),
            last_becomes=Aggregation.AVERAGE,
            bounds=ON_THE_BOUNDS,
        ),
        "tw3-ratio": tw3_with(
            Rules(AverageRule.PROGRAM_RATIO, AverageRule.ALL_MEAN, cap=Decimal(105)),
            last_becomes=Aggregation.MAX,
        ),
    }
    work = tmp_path_factory.mktemp("xlsx-recalc")
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    sources = []
    for name, data in reports.items():
        path = work / f"{name}.xlsx"
        path.write_bytes(render(data, cache_values=False))
        sources.append(str(path))
    out = work / "out"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *sources,
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return {
        name: (data, openpyxl.load_workbook(out / f"{name}.xlsx", data_only=True)["Formulir"])
        for name, data in reports.items()
    }


@pytest.mark.parametrize("name", ["seed", "tw3", "tw3-pagu", "tw3-ratio"])
def test_libreoffice_recalculates_the_core_figures_from_the_formulas(recalculated, name):
    data, ws = recalculated[name]
    assert mismatches(ws, data, tolerance=Decimal("0.005")) == []
    values, ratings = footer_cells(ws, data)
    expected = [data.footer_k.value, data.footer_rp.value]
    assert [round(v, 2) if v != "" else None for v in values] == [
        None if e is None else float(round(e, 2)) for e in expected
    ]
    assert ratings == [data.footer_k.rating, data.footer_rp.rating]


def test_the_tw3_fixture_exercises_every_formula_branch(recalculated):
    data, _ = recalculated["tw3"]
    assert {line.aggregation for line in data.rows} == {"sum", "last", "average", "max"}
    assert {line.polarity for line in data.rows} == {"higher", "lower"}
    assert any(line.year_target.k_upper for line in data.rows)
    assert any(line.renstra_target.k_upper for line in data.rows)
    assert any(line.col13.k is None and line.col15.k is not None for line in data.rows)
    capped, _ = recalculated["tw3-pagu"]
    assert any(line.col14.k > 100 for line in capped.rows if line.col14.k is not None)
    bounds = [line.col14.k for line in capped.rows if line.id in ON_THE_BOUNDS]
    assert bounds == [100, 100]
    for name in ("tw3-pagu", "tw3-ratio"):
        data, _ = recalculated[name]
        assert any(
            line.col13.k is None and line.renstra_realised_before.k is not None
            for line in data.rows
            if line.aggregation in ("average", "max")
        )
