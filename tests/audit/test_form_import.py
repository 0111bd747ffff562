"""Start from an existing form (issue 16): ``kinerja form import`` turns a filled evaluation
form into the year's plan and TW I..Q's realisations. The seed's TW I 2024 form as Kinerja
generates it, imported into a fresh agency of the same pemda, evaluates exactly as the seed;
a second import changes nothing; a bad file, or a changed realisation of an approved quarter,
is refused with nothing written; the write is one transaction."""

import io
import json
from decimal import Decimal as D

import openpyxl
import pytest

from kinerja.cli import main

from .forms import rkpd_form, seed_form

pytestmark = pytest.mark.django_db

FORM = "evaluasi-renja-bkpsdm-2024-tw1.xlsx"


@pytest.fixture
def new_agency(agency):
    """An agency of the seed's pemda with nothing planned yet."""
    from kinerja.planning.models import Agency

    return Agency.objects.create(government=agency.government, name="Dinas Percobaan Formulir",
                                 abbreviation="DPF", slug="dinas-percobaan-formulir")  # fmt: skip


@pytest.fixture
def seed_xlsx(agency, tmp_path, capsys):
    """The seed's TW I 2024 evaluation form as ``kinerja report --document form`` writes it."""
    out = tmp_path / "laporan"
    out.mkdir()
    assert main(["report", "--agency", agency.slug, "--year", "2024", "--quarter", "1",
                 "--document", "form", "--format", "xlsx", "--output", str(out)]) == 0  # fmt: skip
    capsys.readouterr()
    return out / FORM


def _import(path, agency, *extra, capsys=None):
    code = main(["form", "import", str(path), "--agency", agency.slug, "--year", "2024", *extra])
    if capsys is None:
        return code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _written(agency):
    """Everything an import may write for the agency: items, realisations, their history."""
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    return (
        WorkItem.objects.filter(agency=agency).count(),
        WorkItem.history.filter(agency=agency).count(),
        Realisation.objects.filter(work_item__agency=agency).count(),
        Realisation.history.filter(work_item__agency=agency).count(),
    )


def _evaluation(agency):
    from kinerja.core import evaluate_form
    from kinerja.formoutput import to_json_data
    from kinerja.monitoring.queries import evaluation_form

    return to_json_data(evaluate_form(evaluation_form(agency, year=2024, quarter=1)))


def test_the_seed_form_into_a_new_agency_evaluates_as_the_seed(
    agency, new_agency, seed_xlsx, capsys
):
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    code, out, err = _import(seed_xlsx, new_agency, "--quarter", "1", capsys=capsys)
    assert code == 0, err
    assert "— ditulis" in out

    ours = WorkItem.objects.filter(agency=new_agency, year=2024)
    seeds = WorkItem.objects.filter(agency=agency, year=2024)
    assert ours.count() == seeds.count() == 61
    fields = ("level", "code", "name", "indicator", "unit", "target_k", "target_k_upper",
              "budget_original", "renstra_target_k", "renstra_target_rp", "renstra_realised_k",
              "renstra_realised_rp", "position")  # fmt: skip
    assert list(ours.order_by("position").values_list(*fields)) == list(
        seeds.order_by("position").values_list(*fields)
    )
    program = ours.get(code="5.03.02")
    assert program.budget_original == D("1905955200")
    assert ours.get(code="5.03.01").responsible_unit.name == "Sekretariat"
    assert ours.filter(code="5.03.02.2.03.0000").count() == 3  # one code, three names

    # TW I's realisations as printed, nothing of TW III/IV (the seed's one later row)
    mine = {(r.work_item.position, r.quarter): (r.value_k, r.value_rp)
            for r in Realisation.objects.filter(work_item__agency=new_agency)
            .select_related("work_item")}  # fmt: skip
    seed = {(r.work_item.position, r.quarter): (r.value_k, r.value_rp)
            for r in Realisation.objects.filter(work_item__agency=agency, quarter=1)
            .select_related("work_item")}  # fmt: skip
    assert len(mine) == 59
    assert mine == seed
    assert "Realisasi Triwulan III di formulir Triwulan I tidak diimpor" in out

    # the evaluation of TW I: every row and the footer as the seed's (approved, from its
    # snapshot); the findings too, but the seed's TW III/IV value the form left out
    a, b = _evaluation(agency), _evaluation(new_agency)
    assert len(b["rows"]) == 61
    figures = ("id", "level", "name", "col13", "col14", "col15", "col16")
    assert [{k: r[k] for k in figures} for r in b["rows"]] == [
        {k: r[k] for k in figures} for r in a["rows"]
    ]
    # the explanations too, but where the seed's column 13 names the later quarters it ignores
    ignored = "; diabaikan: TW III, IV"
    for mine, seeds in zip(b["rows"], a["rows"], strict=True):
        assert mine["explain"] == {k: v.replace(ignored, "") for k, v in seeds["explain"].items()}
    assert sum(ignored in r["explain"]["col13.k"] for r in a["rows"]) == 1
    assert b["footer"] == a["footer"]
    assert D(b["footer"]["k"]).quantize(D("0.01")) == D("19.55")
    later = [f for f in a["findings"] if f["rule"] == "realisation-after-report-quarter"]
    assert len(later) == 1
    assert b["findings"] == [f for f in a["findings"] if f not in later]

    # history: every row says which file it came from, written by the system
    assert program.history.get().history_change_reason == f"impor {FORM}"
    realisation = Realisation.objects.filter(work_item__agency=new_agency).first()
    record = realisation.history.get()
    assert (record.history_change_reason, record.history_user) == (f"impor {FORM}", None)


def test_importing_the_same_form_again_changes_nothing(agency, new_agency, seed_xlsx, capsys):
    assert _import(seed_xlsx, new_agency, "--quarter", "1") == 0
    before = _written(new_agency)
    code, out, _err = _import(seed_xlsx, new_agency, "--quarter", "1", "--json", capsys=capsys)
    assert code == 0
    result = json.loads(out.splitlines()[-1])
    counts = result["counts"]
    assert (counts["created"], counts["changed"], counts["left"]) == (0, 0, 0)
    assert (counts["realisations_created"], counts["realisations_changed"]) == (0, 0)
    assert counts["realisations_unchanged"] == 59
    assert result["written"] is False and result["refusal"] is None
    assert _written(new_agency) == before

    # the seed's own form onto the seed agency, whose TW I is approved: nothing differs, so
    # nothing is refused and nothing asks for a revision
    seed_before = _written(agency)
    code, out, err = _import(seed_xlsx, agency, "--quarter", "1", capsys=capsys)
    assert code == 0, err
    assert "dibuat: 0, diubah: 0" in out
    assert _written(agency) == seed_before


def test_the_dry_run_writes_nothing_and_lists_every_row(new_agency, seed_xlsx, capsys):
    code, out, _err = _import(seed_xlsx, new_agency, "--quarter", "1", "--dry-run",
                              capsys=capsys)  # fmt: skip
    assert code == 0
    assert "uji coba (belum ditulis)" in out
    assert "+ program 5.03.02 " in out
    assert "+ TW I kegiatan 5.03.01.2.01 " in out
    assert "realisasi K - → 4" in out  # the kegiatan's TW I K
    assert "dibuat: 59, diubah: 0, sudah sama: 0" in out
    assert _written(new_agency) == (0, 0, 0, 0)

    _code, out, _err = _import(seed_xlsx, new_agency, "--quarter", "1", "--dry-run", "--json",
                               capsys=capsys)  # fmt: skip
    result = json.loads(out)
    assert (result["layout"], result["quarter"], result["dry_run"]) == ("renja", 1, True)
    first = result["realisations"][0]
    assert first["quarter"] == 1 and first["created"] is True
    assert first["source"] == {"sheet": "Formulir", "row": 12, "column": "L"}
    assert _written(new_agency) == (0, 0, 0, 0)


def _edit(path, target, coord, value):
    book = openpyxl.load_workbook(path)
    book.worksheets[0][coord] = value
    book.save(target)
    return target


def _cell_of(path, code, column):
    """The coordinate of ``column`` (a sheet column letter) on the row whose code is ``code``."""
    sheet = openpyxl.load_workbook(path).worksheets[0]
    for row in sheet.iter_rows(min_col=3, max_col=3):
        if row[0].value == code:
            return f"{column}{row[0].row}"
    raise KeyError(code)


def test_a_changed_realisation_of_an_approved_quarter_refuses_the_whole_import(
    agency, new_agency, seed_xlsx, tmp_path, capsys
):
    from kinerja.monitoring.models import QuarterSubmission, Realisation, SubmissionStatus
    from kinerja.planning.models import WorkItem

    # TW I K of kegiatan 5.03.01.2.01 (column 9 K = sheet column L) typed 5 instead of 4
    cell = _cell_of(seed_xlsx, "5.03.01.2.01", "L")
    changed = _edit(seed_xlsx, tmp_path / "tw1-diubah.xlsx", cell, 5)

    # the seed agency's TW I is approved: refused, with the quarter and its state
    before = _written(agency)
    code, out, err = _import(changed, agency, "--quarter", "1", capsys=capsys)
    assert code == 2
    assert "Triwulan I 2024" in err and "Disahkan" in err
    assert "DITOLAK" in out
    assert _written(agency) == before

    # a fresh agency: imported, then its TW I approved — the same refusal, nothing written,
    # not even the plan's own change in the same file
    assert _import(seed_xlsx, new_agency, "--quarter", "1") == 0
    QuarterSubmission.objects.update_or_create(
        agency=new_agency, year=2024, quarter=1, defaults={"status": SubmissionStatus.APPROVED}
    )
    also_name = _edit(changed, tmp_path / "tw1-dan-nama.xlsx",
                      _cell_of(seed_xlsx, "5.03.01.2.01", "E"), "Indikator baru")  # fmt: skip
    before = _written(new_agency)
    code, _out, err = _import(also_name, new_agency, "--quarter", "1", capsys=capsys)
    assert code == 2
    assert "Disahkan" in err or "revisi" in err
    assert _written(new_agency) == before
    kegiatan = WorkItem.objects.get(agency=new_agency, code="5.03.01.2.01")
    assert Realisation.objects.get(work_item=kegiatan, quarter=1).value_k == 4

    # reopened (Draf): the same file is written, the one changed realisation only
    QuarterSubmission.objects.filter(agency=new_agency, year=2024, quarter=1).update(
        status=SubmissionStatus.DRAFT
    )
    code, out, err = _import(changed, new_agency, "--quarter", "1", capsys=capsys)
    assert code == 0, err
    assert "dibuat: 0, diubah: 1, sudah sama: 58" in out
    assert Realisation.objects.get(work_item=kegiatan, quarter=1).value_k == 5


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"ini bukan excel", "bukan berkas .xlsx"),
        (b"", "berkas kosong"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "Excel lama"),
        ("docx", "dokumen Word"),
        ("no-numbers", "baris penomoran kolom"),
        ("no-rows", "tidak ada baris program"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason_and_nothing_written(
    new_agency, tmp_path, capsys, content, words
):
    import zipfile

    path = tmp_path / "formulir.xlsx"
    if content == "docx":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w:document/>")
    elif content in ("no-numbers", "no-rows"):
        book = openpyxl.Workbook()
        ws = book.active
        ws["A1"] = "EVALUASI TERHADAP HASIL RENJA PERANGKAT DAERAH TRIWULAN I TAHUN 2024"
        if content == "no-rows":
            for c in range(1, 18):
                ws.cell(5, c, c)
            ws.cell(6, 4, "Rata-rata capaian kinerja (%)")
        book.save(path)
    else:
        path.write_bytes(content)
    code, out, err = _import(path, new_agency, "--quarter", "1", capsys=capsys)
    assert code == 2
    assert out == ""
    assert err.startswith("kinerja: ") and words in err
    assert len(err.strip().splitlines()) == 1
    assert _written(new_agency) == (0, 0, 0, 0)


def test_a_form_without_quarter_asks_for_one(new_agency, tmp_path, capsys):
    path = seed_form(tmp_path / "formulir.xlsx")
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["A3"] = "Tahun 2024"  # the title no longer names the quarter
    book.save(path)
    code, _out, err = _import(path, new_agency, capsys=capsys)
    assert code == 2
    assert "--quarter" in err
    assert _written(new_agency) == (0, 0, 0, 0)


def test_the_write_is_one_transaction(new_agency, seed_xlsx, monkeypatch, capsys):
    """A failure after the plan and the realisations are written (the cache's token moved
    last, after each bulk write) leaves nothing behind."""
    from kinerja.web import fragments

    def fail():
        raise RuntimeError("gagal di tengah")

    monkeypatch.setattr(fragments, "bump", fail)
    code, _out, err = _import(seed_xlsx, new_agency, "--quarter", "1", capsys=capsys)
    assert code != 0
    assert "gagal di tengah" in err
    assert _written(new_agency) == (0, 0, 0, 0)


def test_the_printed_seed_form_takes_units_from_its_cells_and_warns_of_its_slips(
    new_agency, tmp_path, capsys
):
    """The seed's appendix as printed (a hand-filled form, not Kinerja's): K with units as
    text ("2 Dokumen"), the printed slips in columns 13–16 shown as ``kinerja check``'s
    findings — warnings, the import goes on."""
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    path = seed_form(tmp_path / "formulir-cetak.xlsx")
    code, out, err = _import(path, new_agency, capsys=capsys)  # the quarter from the title
    assert code == 0, err
    assert "Pemeriksaan formulir — " in out
    items = WorkItem.objects.filter(agency=new_agency, year=2024)
    assert items.count() == 61
    penunjang = items.get(code="5.03.01")
    # as printed: Program Penunjang's TW I K is 1 (the seed's print slip), not 15
    assert Realisation.objects.get(work_item=penunjang, quarter=1).value_k == 1
    assert penunjang.budget_original == D("9722008231")
    units = dict(items.values_list("code", "unit"))
    assert units["5.03.01.2.01"] == "Dokumen"


def test_a_15_column_rkpd_form(new_agency, tmp_path, capsys):
    """Layout B: unsur, bidang and total rows are headings; the Satuan column gives the unit;
    a second indicator on its own row is the program's further indicator (issue 15: its own
    target and K realisation, no pagu or Rp); a hidden row is imported
    with a warning; TW I–IV from the K and Rp of each quarter (its % column is not read)."""
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    path = rkpd_form(tmp_path / "rkpd.xlsx", variant="clean")
    code, out, err = _import(path, new_agency, "--json", capsys=capsys)
    assert code == 0, err
    result = json.loads(out)
    assert (result["layout"], result["quarter"]) == ("rkpd", 4)
    items = WorkItem.objects.filter(agency=new_agency, year=2024).order_by("position")
    assert [(i.level, i.code) for i in items] == [
        ("program", "2.16.02"), ("program", "2.16.02"), ("kegiatan", "2.16.02.2.01"),
        ("sub_kegiatan", "2.16.02.2.01.0001"), ("sub_kegiatan", "2.16.02.2.01.0002"),
        ("sub_kegiatan", "2.16.02.2.01.0003"), ("program", "2.20.02"),
        ("kegiatan", "2.20.02.2.01"), ("sub_kegiatan", "2.20.02.2.01.0001"),
    ]  # fmt: skip
    program, more = items[0], items[1]
    assert program.indicator == "Persentase perangkat daerah yang menyebarluaskan informasi publik"
    assert (more.indicator_of, more.indicator, more.unit, more.target_k, more.budget_original) == (
        program, "Indeks kepuasan layanan informasi publik", "Indeks", D("3.4"), None)  # fmt: skip
    assert [(r.quarter, r.value_k, r.value_rp) for r in Realisation.objects.filter(
        work_item=more)] == [(4, D("3.4"), None)]  # fmt: skip
    assert (program.unit, program.target_k, program.budget_original) == ("%", 100, 253_956_966)
    assert (program.renstra_target_k, program.renstra_target_rp) == (100, 2_000_000_000)
    konten = items.get(code="2.16.02.2.01.0003")
    assert [
        (r.quarter, r.value_k, r.value_rp)
        for r in Realisation.objects.filter(work_item=konten).order_by("quarter")
    ] == [(1, 20, 5_000_000), (2, 30, 7_868_883), (3, 25, 7_000_000), (4, 25, 8_000_000)]
    messages = {(i.get("row"), i["message"].split(":")[0].split(";")[0]) for i in result["issues"]}
    assert any(row == 14 and "tersembunyi" in m for row, m in messages)
    # again: the further indicator is matched, not created a second time
    code, out, err = _import(path, new_agency, "--json", capsys=capsys)
    counts = json.loads(out.splitlines()[-1])["counts"]
    assert (counts["created"], counts["changed"], counts["realisations_created"]) == (0, 0, 0)
    assert WorkItem.objects.filter(agency=new_agency, year=2024).count() == len(items)


def test_cells_that_are_not_numbers_are_warned_by_cell_and_read_empty(
    new_agency, seed_xlsx, tmp_path, capsys
):
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    target = _cell_of(seed_xlsx, "5.03.01.2.01", "J")  # column 8 K
    tw1_rp = _cell_of(seed_xlsx, "5.03.01.2.01", "M")  # TW I Rp
    path = _edit(seed_xlsx, tmp_path / "teks.xlsx", target, "sebelas")
    path = _edit(path, path, tw1_rp, "#DIV/0!")
    code, out, err = _import(path, new_agency, "--quarter", "1", "--json", capsys=capsys)
    assert code == 0, err
    issues = json.loads(out)["issues"]
    assert {"severity": "warning", "message": "Sel ini bukan angka; dibaca kosong.",
            "sheet": "Formulir", "row": int(target[1:]), "column": "J",
            "value": "sebelas"} in issues  # fmt: skip
    assert any(i["column"] == "M" and i["row"] == int(tw1_rp[1:]) and i["value"] == "#DIV/0!"
               for i in issues)  # fmt: skip
    kegiatan = WorkItem.objects.get(agency=new_agency, code="5.03.01.2.01")
    assert kegiatan.target_k is None
    tw1 = Realisation.objects.get(work_item=kegiatan, quarter=1)
    assert (tw1.value_k, tw1.value_rp) == (4, None)


def test_read_form_import_keeps_what_the_form_says(seed_xlsx):
    from kinerja.audit.form_import import FORM_FIELDS, read_form_import

    read = read_form_import(seed_xlsx.read_bytes(), file_name=FORM, quarter=1)
    items = list(read.plan.walk())
    assert len(items) == 61
    assert read.plan.item_fields == FORM_FIELDS - {"target_k_upper"} | {"responsible_unit"}
    gaji = next(i for i in items if i.code == "5.03.01.2.02.0000")
    # column 7's unit differs from the row's and is kept; column 6's equals it (none kept)
    assert (gaji.unit, gaji.renstra_realised_unit, gaji.renstra_target_unit) == (
        "Orang/bulan", "Bulan", "")  # fmt: skip
    assert read.realised[id(gaji)][1].k == 3
    _ = io


def test_a_row_a_renja_item_cannot_hold_is_skipped_with_its_realisations(
    new_agency, seed_xlsx, tmp_path, capsys
):
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import WorkItem

    name_cell = _cell_of(seed_xlsx, "5.03.01.2.01.0006", "D")
    path = _edit(seed_xlsx, tmp_path / "panjang.xlsx", name_cell, "Koordinasi " * 60)
    code, out, err = _import(path, new_agency, "--quarter", "1", capsys=capsys)
    assert code == 0, err
    assert f"Formulir!D{name_cell[1:]} Nama (paling banyak 500 karakter)" in out
    items = WorkItem.objects.filter(agency=new_agency, year=2024)
    assert items.count() == 60
    assert not items.filter(code="5.03.01.2.01.0006").exists()
    assert Realisation.objects.filter(work_item__agency=new_agency).count() == 58
