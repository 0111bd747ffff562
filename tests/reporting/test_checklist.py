"""The Lembar Pemeriksaan (reporting/checklist.py and its PDF and XLSX renderers): the seed's
TW I lists exactly the seed's known defects, in Indonesian words, blocking items first; the
readiness items (signatories, kop) from a hand-built input; the files open and show no rule
id in their visible text."""

import io
import re
import subprocess
from datetime import date

import pytest

from kinerja.core.checks import RULE_TITLES
from kinerja.record.capture import KopInput, QuarterInput, SignatoryInput
from kinerja.reporting.checklist import (
    ACTIONS,
    TITLES,
    Override,
    build_checklist,
    checklist_from_input,
)
from kinerja.reporting.generate import build_report, filename_for, generate
from kinerja.seed import SEED_OVERRIDE

# The seed README's table ("The findings Kinerja must report on the seed's appendix"), the
# 10 pk-differs-from-renja rows of seed_checks.md §8, the revised target, and the four rows
# whose sub-kegiatan number the print lost: (rule, code) in row order, the two errors first.
SEED_TW1 = [
    ("parent-not-sum-of-children", "5.03.01"),
    ("parent-not-sum-of-children", "5.03.01.2.02"),
    ("pk-differs-from-renja", "5.03.01.2.02"),
    ("unit-mismatch", "5.03.01.2.02.0000"),
    ("code-unknown", "5.03.01.2.02.0000"),
    ("renstra-budget-exceeded", "5.03.01.2.07"),
    ("pk-differs-from-renja", "5.03.01.2.07.0006"),
    ("renstra-budget-exceeded", "5.03.01.2.09"),
    ("pk-differs-from-renja", "5.03.01.2.09"),
    ("pk-differs-from-renja", "5.03.01.2.09.0001"),
    ("pk-differs-from-renja", "5.03.02"),
    ("pk-differs-from-renja", "5.03.02.2.01.0003"),
    ("pk-differs-from-renja", "5.03.02.2.01.0008"),
    ("pk-differs-from-renja", "5.03.02.2.02"),
    ("renstra-budget-exceeded", "5.03.02.2.03"),
    ("code-unknown", "5.03.02.2.03.0000"),
    ("code-unknown", "5.03.02.2.03.0000"),
    ("code-unknown", "5.03.02.2.03.0000"),
    ("pk-differs-from-renja", "5.03.02.2.04.0002"),
    ("pk-differs-from-renja", "5.04.02.2.01"),
    ("realisation-after-report-quarter", "5.04.02.2.02"),
    ("revised-target-backwards", "Indikator"),
]
RULE_ID = re.compile(r"\b[a-z]+(?:-[a-z]+){2,}\b")  # parent-not-sum-of-children, …


@pytest.fixture
def seed_checklist(agency):
    return build_checklist(agency, 2024, 1)


def _readiness(checklist):
    return [i for i in checklist.items if i.place == "kop"]


def test_the_seed_tw1_checklist_lists_exactly_the_seeds_known_defects(seed_checklist):
    rows = [i for i in seed_checklist.items if i.place != "kop"]
    assert [(i.rule, i.row.split(" ")[0]) for i in rows] == SEED_TW1
    assert [i.blocks for i in rows] == [True, True] + [False] * (len(SEED_TW1) - 2)
    # a missing signatory or kop (none once the demo's example kop is set) comes first
    readiness = _readiness(seed_checklist)
    assert seed_checklist.items == (*readiness, *rows)


def test_each_item_reads_in_indonesian_with_its_row_and_what_to_do(seed_checklist):
    first, second = seed_checklist.blocking[-2:]
    assert (first.title, first.row, first.severity_label, first.action) == (
        "Induk tidak sama dengan jumlah rinciannya",
        "5.03.01 Program Penunjang Urusan Pemerintahan Daerah Kabupaten / Kota",
        "Kesalahan",
        "Samakan Rp induk dengan jumlah rinciannya atau perbaiki rinciannya.",
    )
    assert second.message == (
        "Rp kegiatan tidak sama dengan jumlah sub kegiatan di bawahnya: "
        "kolom 7 Rp 7.145.134.537 ≠ Σ 9.341.143.879."
    )
    lost = [i for i in seed_checklist.items if i.rule == "code-unknown"]
    assert [(i.title, i.severity_label, i.blocks) for i in lost] == [
        ("Kode tidak diketahui", "Peringatan", False)
    ] * 4
    assert lost[0].message == (
        "Nomor sub kegiatan pada kode 5.03.01.2.02.0000 hilang pada laporan sumber (tercetak "
        "«00»); kode yang benar tidak diketahui."
    )
    late = next(i for i in seed_checklist.items if i.rule == "realisation-after-report-quarter")
    assert late.message == (
        "Ada realisasi pada triwulan sesudah TW I (TW III K 0,5; TW IV K 0,5); "
        "nilai itu tidak dihitung dalam laporan ini."
    )
    for item in seed_checklist.items:  # no rule id in what a reader sees
        assert RULE_ID.findall(" ".join((item.title, item.row, item.message, item.action))) == []
        assert item.action == ACTIONS[item.rule]


def test_every_rule_has_a_title_and_an_action():
    assert set(RULE_TITLES) <= set(TITLES) == set(ACTIONS)


def test_the_seed_approval_recorded_its_reason_and_the_checklist_carries_it(seed_checklist):
    assert (seed_checklist.status, seed_checklist.draft) == ("Disahkan", False)
    assert seed_checklist.override == Override(SEED_OVERRIDE, "", date(2024, 4, 16), 2)
    assert seed_checklist.signed_on == date(2024, 4, 16)


# ---- readiness: a hand-built input, no database ---------------------------------------------


def _input(*, signatories=(), kop=None):
    return QuarterInput(agency_id=1, year=2025, quarter=2, items=(), indicators=(),
                        indicator_values=(), narratives=(), signatories=signatories,
                        agreement_signed_on=None, agreement_targets=(), agreement_lines=(),
                        kop=kop)  # fmt: skip


def _checklist(inp):
    return checklist_from_input(inp, agency="Dinas Contoh", agency_abbreviation="DC",
                                government="Pemerintah Kabupaten Contoh", status="Draf",
                                draft=True, signed_on=date(2025, 7, 10))  # fmt: skip


HEAD = SignatoryInput("first", "Kepala Dinas Contoh", "Nama Kepala", "", "", "")
REGENT = SignatoryInput("second", "Bupati Contoh", "Nama Bupati", "", "", "")
KOP = KopInput("Jl. Contoh 1", "", "", "", "")


@pytest.mark.parametrize(
    ("signatories", "kop", "expected"),
    [
        ((), None, ["signatory-missing", "second-party-missing", "kop-missing"]),
        ((HEAD, REGENT), KOP, []),
        ((SignatoryInput("first", "Kepala Dinas Contoh", " ", "", "", ""), REGENT), KOP,
         ["signatory-missing"]),
        ((HEAD,), KOP, ["second-party-missing"]),
        ((HEAD, REGENT), KopInput("  ", "0328", "", "", ""), ["kop-missing"]),
    ],
)  # fmt: skip
def test_a_missing_signatory_or_kop_blocks_and_says_the_report_is_only_a_draft(
    signatories, kop, expected
):
    checklist = _checklist(_input(signatories=signatories, kop=kop))
    assert [(i.rule, i.severity, i.blocks, i.place) for i in checklist.items] == [
        (rule, "error", True, "kop") for rule in expected
    ]
    for item in checklist.items:
        assert "hanya dapat dibuat sebagai draf" in item.message


def test_the_missing_first_signatory_is_named_by_its_title():
    (item,) = _checklist(_input(signatories=(
        SignatoryInput("first", "Kepala Dinas Contoh", "", "", "", ""), REGENT), kop=KOP)).items  # fmt: skip
    assert item.message == (
        "Nama penanda tangan pihak pertama (Kepala Dinas Contoh) belum diisi; laporan, formulir "
        "dan Perjanjian Kinerja hanya dapat dibuat sebagai draf sampai nama itu diisi."
    )
    assert item.row == ""


# ---- the documents ----------------------------------------------------------------------------


def _pdf_text(content, tmp_path):
    """The text in reading order, cell by cell (-raw: a wrapped cell stays together)."""
    path = tmp_path / "pemeriksaan.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip


@pytest.fixture
def seed_files(agency):
    report = build_report("pemeriksaan", agency, year=2024, quarter=1)
    return report, {f.filename: f for f in generate(report, ["pdf", "xlsx"])}


def test_the_pdf_lists_every_item_in_words_and_no_rule_id(seed_files, tmp_path):
    report, files = seed_files
    assert sorted(files) == ["lembar-pemeriksaan-bkpsdm-2024-tw1.pdf",
                             "lembar-pemeriksaan-bkpsdm-2024-tw1.xlsx"]  # fmt: skip
    text = _pdf_text(files["lembar-pemeriksaan-bkpsdm-2024-tw1.pdf"].content, tmp_path)
    flat = " ".join(text.split())
    assert "Lembar Pemeriksaan Sebelum Penandatanganan" in flat
    assert RULE_ID.findall(text) == []
    assert "sha256" not in text
    assert flat.count("Kode tidak diketahui") == 4
    assert flat.count("Perjanjian Kinerja berbeda dengan Renja") == 10
    assert flat.count("Target perubahan mundur") == 1
    assert flat.count("Induk tidak sama dengan jumlah rinciannya") == 2
    total, blocking = len(report.items), len(report.blocking)
    assert f"{total} temuan: {blocking} menghambat pengesahan, {total - blocking} tidak " in flat
    assert SEED_OVERRIDE in flat
    assert "Disahkan pada 16 April 2024 dengan 2 temuan yang menghambat pengesahan" in flat
    assert "DRAF" not in text  # TW I is approved


def test_the_pdf_keeps_the_rule_ids_and_hashes_in_its_properties(seed_files):
    from pypdf import PdfReader

    report, files = seed_files
    meta = PdfReader(io.BytesIO(files["lembar-pemeriksaan-bkpsdm-2024-tw1.pdf"].content)).metadata
    keywords = meta["/Keywords"]
    assert "aturan parent-not-sum-of-children" in keywords
    assert f"data sha256:{files['lembar-pemeriksaan-bkpsdm-2024-tw1.pdf'].data_hash}" in keywords


def test_the_xlsx_lists_the_same_items_and_no_rule_id_in_its_cells(seed_files):
    from openpyxl import load_workbook

    report, files = seed_files
    wb = load_workbook(io.BytesIO(files["lembar-pemeriksaan-bkpsdm-2024-tw1.xlsx"].content))
    (ws,) = wb.worksheets
    cells = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert RULE_ID.findall("\n".join(cells)) == []
    header = cells.index("No")
    assert cells[header : header + 7] == ["No", "Tingkat", "Baris", "Temuan", "Tindakan",
                                          "Menghambat pengesahan", "Catatan pemeriksa"]  # fmt: skip
    rows = [
        [ws.cell(r, c).value for c in range(1, 7)]
        for r in range(1, ws.max_row + 1)
        if str(ws.cell(r, 1).value or "").isdigit()
    ]
    assert [(r[0], r[1], r[2], r[5]) for r in rows] == [
        (str(n), i.severity_label, i.row or "Seluruh dokumen", "Ya" if i.blocks else "Tidak")
        for n, i in enumerate(report.items, start=1)
    ]
    assert [r[3] for r in rows] == [f"{i.title}\n{i.message}" for i in report.items]
    assert wb.properties.keywords.split(", ") == sorted({i.rule for i in report.items})


def test_a_draft_quarters_checklist_is_marked_and_named_draft(agency, tmp_path):
    report = build_report("pemeriksaan", agency, year=2024, quarter=2)
    assert report.draft and report.override is None
    assert filename_for(report, "pdf") == "lembar-pemeriksaan-bkpsdm-2024-tw2-draf.pdf"
    (pdf,) = generate(report, ["pdf"])
    pages = _pdf_text(pdf.content, tmp_path).split("\f")
    assert all("DRAF" in page for page in pages if page.strip())


def test_libreoffice_opens_the_xlsx(seed_files, tmp_path):
    _report, files = seed_files
    path = tmp_path / "pemeriksaan.xlsx"
    path.write_bytes(files["lembar-pemeriksaan-bkpsdm-2024-tw1.xlsx"].content)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, check=True, timeout=180)  # fmt: skip
    text = subprocess.run(["pdftotext", str(tmp_path / "pemeriksaan.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert "Lembar Pemeriksaan Sebelum Penandatanganan" in text
