"""Kinerja's own plan template (XLSX): written with xlsxwriter, read back from the cell values.

Sheets (docs/plan-import.md):

- **Petunjuk**: what each sheet and column means, in Indonesian.
- **Renja**: one row per program, kegiatan and sub kegiatan of the year.
- **Renstra**: the period, tujuan → sasaran → indicators with their yearly targets (original
  and revised, with the revision's date, reason and legal basis).
- **IKU**: per indicator, whether it is an IKU, its definition, formula, source and weights.

Columns are found by their header text, never by position; a column left out is a field the
file says nothing about (``PlanData.item_fields``). Numbers are written as numbers where the
spreadsheet holds them exactly (at most 15 significant digits, Excel's precision) and as
Indonesian-format text otherwise (``1.234.567.890.123.456,78``), so export → import gives the
same ``Decimal``. Nothing here raises on a bad cell: it becomes a warning naming the sheet,
row, column and value, and the cell (or the row) is skipped.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Context, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from kinerja.core.numbers import InvalidNumber, check_value, format_number, parse_number

from .model import (
    PlanData,
    PlanItem,
    QuarterPlan,
    Renstra,
    RenstraGoal,
    RenstraIndicator,
    RenstraObjective,
    Source,
    TargetYear,
)

__all__ = [
    "IKU_SHEET",
    "RENJA_HEADERS",
    "RENJA_SHEET",
    "RENSTRA_SHEET",
    "Workbook",
    "is_template",
    "load_workbook",
    "read_template",
    "write_template",
]

# The sheets' cell values as python-calamine's ``to_python()`` gives them: sheet name →
# rows → cells (str, float, int, bool, date, datetime; "" or None for an empty cell).
Workbook = Mapping[str, Sequence[Sequence[Any]]]

GUIDE_SHEET = "Petunjuk"
RENJA_SHEET = "Renja"
RENSTRA_SHEET = "Renstra"
IKU_SHEET = "IKU"
EXAMPLE = "CONTOH"  # an example row's name starts with it; import skips such rows
LAST_ROW = 20000  # data validation reaches this row

QUARTERS = ("I", "II", "III", "IV")
LEVEL_LABELS = {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}
POLARITY_LABELS = {"higher": "makin tinggi makin baik", "lower": "makin rendah makin baik"}
AGGREGATION_LABELS = {
    "sum": "jumlah triwulan",
    "last": "nilai terakhir",
    "average": "rata-rata",
    "max": "nilai tertinggi",
}
DERIVATION_LABELS = {
    "program_mean": "rata-rata capaian program",
    "all_mean": "rata-rata capaian semua baris",
    "kegiatan_mean": "rata-rata capaian kegiatan",
    "sub_kegiatan_mean": "rata-rata capaian sub kegiatan",
    "pagu_weighted": "rata-rata berbobot pagu",
}
YES, NO = "Ya", "Tidak"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # PlanItem field, or q<n>_k / q<n>_cash for a quarter
    header: str
    kind: str  # text code level k rp int polarity aggregation bool date
    width: int
    help: str


def _renja_columns() -> tuple[Column, ...]:
    cols = [
        Column("level", "Tingkat", "level", 13, "Program, Kegiatan atau Sub Kegiatan."),
        Column(
            "code",
            "Kode",
            "code",
            20,
            "Kode Kepmendagri 90, mis. 5.03.01 (program), "
            "5.03.01.2.02 (kegiatan), 5.03.01.2.02.0001 (sub kegiatan).",
        ),  # fmt: skip
        Column("name", "Nama", "text", 50, "Nama program, kegiatan atau sub kegiatan."),
        Column("indicator", "Indikator", "text", 45, "Indikator kinerja baris ini."),
        Column("unit", "Satuan", "text", 12, "Satuan target (%, Dokumen, Orang …)."),
        Column(
            "decimals",
            "Desimal",
            "int",
            8,
            "Jumlah angka di belakang koma saat dicetak (0–6); kosong: seperti diisi.",
        ),  # fmt: skip
        Column("target_k", "Target K", "k", 12, "Target kinerja (K) tahun ini (kolom 8)."),
        Column(
            "target_k_upper",
            "Batas atas",
            "k",
            11,
            "Batas atas bila targetnya rentang; kosong bila bukan.",
        ),  # fmt: skip
        Column("budget", "Pagu (Rp)", "rp", 18, "Pagu murni tahun ini (kolom 8 Rp)."),
        Column(
            "polarity",
            "Polaritas",
            "polarity",
            24,
            "makin tinggi makin baik / makin rendah makin baik.",
        ),  # fmt: skip
        Column(
            "aggregation",
            "Agregasi",
            "aggregation",
            16,
            "Cara realisasi triwulan "
            "dijumlahkan: jumlah triwulan, nilai terakhir, rata-rata, nilai tertinggi.",
        ),  # fmt: skip
        Column("allows_negative", "Boleh negatif", "bool", 9, "Ya bila nilai K boleh negatif."),
        Column(
            "objective_code",
            "Kode sasaran",
            "text",
            10,
            "Kode sasaran Renstra yang didukung (mis. 1.1; lihat lembar Renstra).",
        ),  # fmt: skip
        Column(
            "responsible_unit",
            "Unit penanggung jawab",
            "text",
            28,
            "Nama unit kerja (bidang/sekretariat); dibuat bila belum ada.",
        ),  # fmt: skip
        Column(
            "renstra_target_k",
            "Target Renstra K",
            "k",
            12,
            "Kolom 6: target Renstra akhir periode (K).",
        ),  # fmt: skip
        Column(
            "renstra_target_unit", "Target Renstra satuan", "text", 12, "Kolom 6: satuannya."
        ),  # fmt: skip
        Column(
            "renstra_target_rp",
            "Target Renstra Rp",
            "rp",
            18,
            "Kolom 6: target Renstra akhir periode (Rp).",
        ),  # fmt: skip
        Column(
            "renstra_realised_k",
            "Realisasi s.d. tahun lalu K",
            "k",
            12,
            "Kolom 7: realisasi Renstra sampai tahun lalu (K).",
        ),  # fmt: skip
        Column(
            "renstra_realised_unit",
            "Realisasi s.d. tahun lalu satuan",
            "text",
            12,
            "Kolom 7: satuannya.",
        ),  # fmt: skip
        Column(
            "renstra_realised_rp",
            "Realisasi s.d. tahun lalu Rp",
            "rp",
            18,
            "Kolom 7: realisasi Renstra sampai tahun lalu (Rp).",
        ),  # fmt: skip
    ]
    for n, roman in enumerate(QUARTERS, start=1):
        cols.append(Column(f"q{n}_k", f"Target K TW {roman}", "k", 11,
                           f"Rencana aksi: target K triwulan {roman}."))  # fmt: skip
    for n, roman in enumerate(QUARTERS, start=1):
        cols.append(Column(f"q{n}_cash", f"Rencana kas TW {roman} (Rp)", "rp", 17,
                           f"Anggaran kas triwulan {roman}."))  # fmt: skip
    cols += [
        Column(
            "budget_revised",
            "Pagu perubahan (Rp)",
            "rp",
            18,
            "Pagu perubahan, bila pagu sudah direvisi.",
        ),  # fmt: skip
        Column(
            "budget_revised_on",
            "Tanggal perubahan pagu",
            "date",
            13,
            "Tanggal berlakunya pagu perubahan (dd-mm-yyyy).",
        ),  # fmt: skip
        Column(
            "budget_revision_reason", "Alasan perubahan pagu", "text", 30, "Alasan perubahan pagu."
        ),  # fmt: skip
        Column(
            "budget_legal_basis",
            "Dasar hukum perubahan pagu",
            "text",
            30,
            "Peraturan yang mengubah pagu (APBD Perubahan, Perkada …).",
        ),  # fmt: skip
        Column("note", "Catatan", "text", 30, "Catatan baris (tidak dicetak di formulir)."),
    ]
    return tuple(cols)


RENJA_COLUMNS = _renja_columns()
RENJA_HEADERS = tuple(c.header for c in RENJA_COLUMNS)  # read.read_plan recognises the layout
RENSTRA_FIXED = (
    Column("kind", "Jenis", "text", 11, "Tujuan, Sasaran atau Indikator."),
    Column(
        "code",
        "Kode",
        "text",
        8,
        "Nomor tujuan (1, 2 …) atau kode sasaran (1.1, 2.1 …); kosong untuk indikator.",
    ),  # fmt: skip
    Column("text", "Uraian", "text", 55, "Bunyi tujuan/sasaran, atau nama indikator."),
    Column("unit", "Satuan", "text", 10, "Satuan indikator."),
    Column("decimals", "Desimal", "int", 8, "Jumlah angka di belakang koma (0–6)."),
    Column("polarity", "Polaritas", "polarity", 24, "makin tinggi/rendah makin baik."),
    Column("aggregation", "Agregasi", "aggregation", 16, "Cara nilai triwulan digabung."),
    Column(
        "scale", "Kode skala", "text", 20, "Kode skala nilai (mis. ip_asn); kosong: tanpa skala."
    ),  # fmt: skip
    Column("allows_negative", "Boleh negatif", "bool", 9, "Ya bila nilainya boleh negatif."),
)
# per year of the period: (header prefix, TargetYear field, kind, width)
RENSTRA_YEARLY = (
    ("Target", "original", "k", 10),
    ("Batas atas", "original_upper", "k", 10),
    ("Target perubahan", "revised", "k", 11),
    ("Batas atas perubahan", "revised_upper", "k", 11),
    ("Tanggal perubahan", "revised_on", "date", 12),
    ("Alasan perubahan", "revision_reason", "text", 30),
    ("Dasar hukum perubahan", "legal_basis", "text", 24),
)
IKU_COLUMNS = (
    Column(
        "code",
        "Kode tujuan/sasaran",
        "text",
        12,
        "Kode tujuan atau sasaran indikator ini di lembar Renstra.",
    ),  # fmt: skip
    Column("name", "Indikator", "text", 50, "Nama indikator, sama dengan di lembar Renstra."),
    Column("is_key", "IKU", "bool", 7, "Ya bila Indikator Kinerja Utama."),
    Column("definition", "Definisi operasional", "text", 50, "Definisi operasional."),
    Column("formula", "Formulasi", "text", 40, "Rumus perhitungannya."),
    Column("data_source", "Sumber data", "text", 30, "Sumber datanya."),
    Column(
        "weights",
        "Bobot dimensi/aspek",
        "text",
        40,
        "Untuk indeks komposit: «Kualifikasi = 25; Kompetensi = 40; …» (bobot dalam %).",
    ),  # fmt: skip
    Column(
        "derived_from_form",
        "Diturunkan dari formulir",
        "text",
        26,
        "Bila nilainya dihitung dari formulir evaluasi: aturan rata-ratanya.",
    ),  # fmt: skip
)


# ---- writing --------------------------------------------------------------------------


def exact_as_number(value: Decimal) -> bool:
    """Whether a spreadsheet number holds ``value`` exactly as read back: at most 15
    significant digits (Excel keeps 15; the reader rounds a double to 15 digits)."""
    return len(value.normalize().as_tuple().digits) <= 15


class _Writer:
    def __init__(self, workbook: Any) -> None:
        self.wb = workbook
        self._formats: dict[tuple[Any, ...], Any] = {}
        self.header = workbook.add_format({
            "bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DCE6F1",
            "border": 1,
        })  # fmt: skip
        self.label = workbook.add_format({"bold": True})

    def fmt(self, num_format: str | None = None, *, example: bool = False,
            wrap: bool = False, right: bool = False) -> Any:  # fmt: skip
        key = (num_format, example, wrap, right)
        if key not in self._formats:
            props: dict[str, Any] = {"valign": "top"}
            if num_format:
                props["num_format"] = num_format
            if example:
                props.update(italic=True, font_color="#7F7F7F", bg_color="#FFF2CC")
            if wrap:
                props["text_wrap"] = True
            if right:
                props["align"] = "right"
            self._formats[key] = self.wb.add_format(props)
        return self._formats[key]

    def cell(self, ws: Any, row: int, col: int, kind: str, value: Any, *,
             decimals: int | None = None, example: bool = False) -> None:  # fmt: skip
        if value is None or value == "":
            if example:
                ws.write_blank(row, col, None, self.fmt(example=True))
            return
        if kind in ("k", "rp"):
            self.number(ws, row, col, value, money=kind == "rp", decimals=decimals,
                        example=example)  # fmt: skip
        elif kind == "int":
            ws.write_number(row, col, int(value), self.fmt("0", example=example))
        elif kind == "date":
            ws.write_datetime(row, col, datetime(value.year, value.month, value.day),  # noqa: DTZ001
                              self.fmt("dd-mm-yyyy", example=example))  # fmt: skip
        elif kind == "bool":
            ws.write_string(row, col, YES if value else NO, self.fmt(example=example))
        else:
            ws.write_string(row, col, str(value), self.fmt("@", example=example))

    def number(self, ws: Any, row: int, col: int, value: Decimal, *, money: bool,
               decimals: int | None, example: bool = False) -> None:  # fmt: skip
        if not exact_as_number(value):
            shown = format_number(value)
            ws.write_string(row, col, shown, self.fmt("@", example=example, right=True))
            return
        exponent = value.normalize().as_tuple().exponent
        own = max(0, -exponent) if isinstance(exponent, int) else 0
        places = max(decimals or 0, own) if not money else own
        num_format = "#,##0" + ("." + "0" * places if places else "")
        ws.write_number(row, col, float(value), self.fmt(num_format, example=example))


def write_template(plan: PlanData | None, *, agency_name: str = "", year: int | None = None,
                   properties: Mapping[str, str] | None = None) -> bytes:  # fmt: skip
    """The template as XLSX bytes: ``plan`` filled in (an export), or the blank template with
    its example rows when ``plan`` is None. ``properties``: document properties (ids, hashes,
    the time of export — never in cells)."""
    import xlsxwriter

    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
               "strings_to_numbers": False}  # fmt: skip
    wb = xlsxwriter.Workbook(out, options)
    w = _Writer(wb)
    _write_guide(wb, w)
    _write_renja(wb, w, plan, agency_name=agency_name, year=year)
    renstra = plan.renstra if plan is not None else None
    _write_renstra(wb, w, renstra, example=plan is None, year=year)
    _write_iku(wb, w, renstra, example=plan is None)
    wb.set_properties({
        "title": f"Rencana {agency_name} {year or ''}".strip(),
        "subject": "Templat rencana Kinerja (Renja, Renstra, IKU)",
        "author": "Kinerja",
        "comments": "Dibuat oleh Kinerja; impor dengan «kinerja plan import».",
    })  # fmt: skip
    for name, value in (properties or {}).items():
        wb.set_custom_property(name, str(value))
    wb.close()
    return out.getvalue()


GUIDE = (
    ("Templat rencana Kinerja", True),
    (
        "Isi lembar Renja, Renstra dan IKU, lalu impor: «kinerja plan import BERKAS.xlsx "
        "--agency KODE --year TAHUN --dry-run» menampilkan apa yang akan dibuat dan diubah; "
        "tanpa --dry-run data ditulis.",
        False,
    ),
    ("", False),
    ("Aturan umum", True),
    (
        "• Kolom dikenali dari judulnya (baris judul berwarna biru); urutan kolom boleh diubah. "
        "Kolom yang dihapus tidak mengubah data yang tersimpan.",
        False,
    ),
    (
        "• Baris contoh (nama diawali «CONTOH», berwarna kuning) diabaikan saat impor; hapus "
        "baris itu.",
        False,
    ),
    (
        "• Angka diisi sebagai angka, atau sebagai teks berformat Indonesia: titik pemisah "
        "ribuan, koma desimal (1.905.955.200 dan 0,70). Format «1,905,955,200» ditolak.",
        False,
    ),
    ("• Angka lebih dari 15 digit ditulis sebagai teks agar tidak dibulatkan Excel.", False),
    ("• Tanggal: dd-mm-yyyy.", False),
    (
        "• Sel yang tidak dapat dibaca dilewati dengan peringatan (lembar, baris, kolom, isi).",
        False,
    ),
    ("", False),
    ("Lembar Renja", True),
    (
        "Satu baris per program, kegiatan dan sub kegiatan, berurutan seperti formulir: "
        "program, lalu kegiatannya masing-masing diikuti sub kegiatannya. Induk ditentukan "
        "dari Tingkat dan kode: kegiatan masuk ke program di atasnya yang kodenya menjadi "
        "awalan kodenya.",
        False,
    ),
    (
        "Kode tidak menjadi kunci: item yang sama dikenali dari induk, tingkat, kode dan "
        "namanya. Program yang sama (kode dan nama sama) yang berulang dianggap satu item.",
        False,
    ),
    (
        "Item dengan lebih dari satu indikator: indikator berikutnya ditulis pada baris tepat "
        "di bawah itemnya dengan Tingkat, Kode dan Nama kosong — indikator, satuan, target K, "
        "polaritas, agregasi dan target per triwulan sendiri. Pagu, rencana kas dan kolom Rp "
        "tetap milik itemnya dan dikosongkan pada baris ini.",
        False,
    ),
    *((f"• {c.header}: {c.help}", False) for c in RENJA_COLUMNS),
    ("", False),
    ("Lembar Renstra", True),
    (
        "Baris atas: tahun awal dan akhir periode, catatan perubahan target, dan sasaran RPJMD "
        "yang didukung (satu per baris). Di bawah judul kolom: Tujuan, lalu indikator "
        "tujuannya, lalu Sasaran dengan indikatornya. Indikator masuk ke tujuan/sasaran "
        "terdekat di atasnya.",
        False,
    ),
    *((f"• {c.header}: {c.help}", False) for c in RENSTRA_FIXED),
    (
        "• Target TTTT, Batas atas TTTT: target awal tahun itu. Target perubahan TTTT dan "
        "seterusnya: revisi target dengan tanggal, alasan dan dasar hukumnya.",
        False,
    ),
    ("", False),
    ("Lembar IKU", True),
    *((f"• {c.header}: {c.help}", False) for c in IKU_COLUMNS),
    ("", False),
    ("Setelah triwulan pertama tahun itu disahkan", True),
    (
        "Perubahan rencana menjadi revisi: impor memerlukan tanggal, alasan dan dasar hukum "
        "revisi; pagu yang berubah dicatat sebagai pagu perubahan, target Renstra sebagai "
        "target perubahan. Triwulan yang sudah disahkan tidak berubah.",
        False,
    ),
)


def _write_guide(wb: Any, w: _Writer) -> None:
    ws = wb.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, 120, w.fmt(wrap=True))
    for row, (text, bold) in enumerate(GUIDE):
        if text:
            ws.write_string(row, 0, text, w.label if bold else w.fmt(wrap=True))


def _headers(ws: Any, w: _Writer, row: int, columns: Sequence[Column]) -> None:
    for col, c in enumerate(columns):
        ws.write_string(row, col, c.header, w.header)
        ws.set_column(col, col, c.width)
        ws.write_comment(row, col, c.help, {"x_scale": 2})


def _validate(ws: Any, first: int, columns: Sequence[Column]) -> None:
    lists = {
        "level": list(LEVEL_LABELS.values()),
        "polarity": list(POLARITY_LABELS.values()),
        "aggregation": list(AGGREGATION_LABELS.values()),
        "bool": [YES, NO],
    }
    for col, c in enumerate(columns):
        rule: dict[str, Any] | None = None
        if c.kind in lists:
            rule = {"validate": "list", "source": lists[c.kind]}
        elif c.key == "derived_from_form":
            rule = {"validate": "list", "source": list(DERIVATION_LABELS.values())}
        elif c.kind == "int":
            rule = {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 6}
        elif c.kind == "k":
            rule = {"validate": "decimal", "criteria": "between", "minimum": -(10**12),
                    "maximum": 10**12}  # fmt: skip
        elif c.kind == "rp":
            rule = {"validate": "decimal", "criteria": ">=", "value": 0}
        if rule is None:
            continue
        # a warning, not a stop: a number longer than 15 digits is typed as text
        rule.update(error_type="warning", error_title=c.header, error_message=c.help[:250])
        ws.data_validation(first, col, LAST_ROW, col, rule)


def _title_rows(ws: Any, w: _Writer, agency_name: str, year: int | None) -> None:
    ws.write_string(0, 0, "Perangkat daerah", w.label)
    if agency_name:
        ws.write_string(0, 1, agency_name)
    ws.write_string(1, 0, "Tahun", w.label)
    if year is not None:
        ws.write_number(1, 1, year, w.fmt("0"))


EXAMPLE_ITEMS = (
    PlanItem(
        "program",
        "5.03.02",
        f"{EXAMPLE} — Program Kepegawaian Daerah",
        indicator="Persentase Pelaksanaan Manajemen ASN",
        unit="%",
        target_k=Decimal(70),
        budget=Decimal(1905955200),
        objective_code="1.1",
        quarters={1: QuarterPlan(None, Decimal(758058000))},
    ),  # fmt: skip
    PlanItem(
        "kegiatan",
        "5.03.02.2.02",
        f"{EXAMPLE} — Mutasi dan Promosi ASN",
        indicator="Jumlah Laporan Mutasi dan Promosi ASN",
        unit="Laporan",
        target_k=Decimal(3),
        budget=Decimal(499727200),
    ),  # fmt: skip
    PlanItem(
        "sub_kegiatan",
        "5.03.02.2.02.0001",
        f"{EXAMPLE} — Pengelolaan Mutasi ASN",
        indicator="Jumlah Dokumen Hasil Pelaksanaan Mutasi ASN",
        unit="Dokumen",
        target_k=Decimal(1),
        budget=Decimal(272371300),
        quarters={n: QuarterPlan(Decimal("0.25"), None) for n in range(1, 5)},
    ),  # fmt: skip
)


# the columns a further indicator's row leaves blank: its item's (level, code, name, pagu,
# cash plan, Rp, sasaran, unit kerja)
ITEMS_OWN = frozenset({
    "level", "code", "name", "budget", "objective_code", "responsible_unit",
    "renstra_target_rp", "renstra_realised_rp", "budget_revised", "budget_revised_on",
    "budget_revision_reason", "budget_legal_basis", "q1_cash", "q2_cash", "q3_cash", "q4_cash",
})  # fmt: skip


def _item_value(item: PlanItem, key: str) -> Any:
    m = re.fullmatch(r"q(\d)_(k|cash)", key)
    if m:
        q = item.quarters.get(int(m[1]))
        if q is None:
            return None
        return q.target_k if m[2] == "k" else q.cash_plan
    if key == "level":
        return LEVEL_LABELS[item.level]
    if key == "polarity":
        return POLARITY_LABELS.get(item.polarity, item.polarity)
    if key == "aggregation":
        return AGGREGATION_LABELS.get(item.aggregation, item.aggregation)
    return getattr(item, key)


def _write_renja(wb: Any, w: _Writer, plan: PlanData | None, *, agency_name: str,
                 year: int | None) -> None:  # fmt: skip
    ws = wb.add_worksheet(RENJA_SHEET)
    _title_rows(ws, w, agency_name, year)
    head = 3
    _headers(ws, w, head, RENJA_COLUMNS)
    ws.freeze_panes(head + 1, 3)
    ws.set_row(head, 45)
    _validate(ws, head + 1, RENJA_COLUMNS)
    example = plan is None
    items = list(plan.walk()) if plan is not None else list(EXAMPLE_ITEMS)
    more = {id(m) for item in items for m in item.more}  # continuation rows
    for n, item in enumerate(items, start=head + 1):
        own = id(item) not in more
        for col, c in enumerate(RENJA_COLUMNS):
            value = _item_value(item, c.key) if own or c.key not in ITEMS_OWN else None
            w.cell(ws, n, col, c.kind, value, decimals=item.decimals, example=example)


def _write_renstra(wb: Any, w: _Writer, renstra: Renstra | None, *, example: bool,
                   year: int | None) -> None:  # fmt: skip
    ws = wb.add_worksheet(RENSTRA_SHEET)
    if renstra is None and example:
        start = year or date.today().year  # noqa: DTZ011 (the example's years)
        renstra = _example_renstra(start)
    labels = ["Tahun awal", "Tahun akhir", "Catatan perubahan target"]
    for row, label in enumerate(labels):
        ws.write_string(row, 0, label, w.label)
    serves = renstra.serves if renstra is not None else []
    for n, text in enumerate(serves or [""]):
        ws.write_string(3 + n, 0, "Sasaran RPJMD yang didukung", w.label)
        if text:
            ws.write_string(3 + n, 1, text)
    if renstra is not None:
        ws.write_number(0, 1, renstra.start_year, w.fmt("0"))
        ws.write_number(1, 1, renstra.end_year, w.fmt("0"))
        if renstra.revision_note:
            ws.write_string(2, 1, renstra.revision_note)
    head = 3 + max(1, len(serves)) + 1
    years = _renstra_years(renstra)
    columns = list(RENSTRA_FIXED)
    for prefix, key, kind, width in RENSTRA_YEARLY:
        for y in years:
            columns.append(Column(f"{key}:{y}", f"{prefix} {y}", kind, width,
                                  f"{prefix} tahun {y}."))  # fmt: skip
    _headers(ws, w, head, columns)
    ws.set_row(head, 45)
    ws.freeze_panes(head + 1, 3)
    _validate(ws, head + 1, columns)
    if renstra is None:
        return
    row = head + 1

    def indicator(ind: RenstraIndicator) -> None:
        nonlocal row
        values: dict[str, Any] = {
            "kind": "Indikator", "code": "", "text": ind.name, "unit": ind.unit,
            "decimals": ind.decimals, "polarity": POLARITY_LABELS.get(ind.polarity),
            "aggregation": AGGREGATION_LABELS.get(ind.aggregation), "scale": ind.scale,
            "allows_negative": ind.allows_negative,
        }  # fmt: skip
        for y, t in ind.targets.items():
            for _prefix, key, _kind, _width in RENSTRA_YEARLY:
                values[f"{key}:{y}"] = getattr(t, key)
        for col, c in enumerate(columns):
            w.cell(ws, row, col, c.kind, values.get(c.key), decimals=ind.decimals,
                   example=example)  # fmt: skip
        row += 1

    def statement(kind: str, code: str, text: str) -> None:
        nonlocal row
        ws.write_string(row, 0, kind, w.fmt(example=example))
        ws.write_string(row, 1, code, w.fmt("@", example=example))
        ws.write_string(row, 2, text, w.fmt(example=example))
        row += 1

    for goal in renstra.goals:
        statement("Tujuan", str(goal.number), goal.text)
        for ind in goal.indicators:
            indicator(ind)
        for obj in goal.objectives:
            statement("Sasaran", obj.code, obj.text)
            for ind in obj.indicators:
                indicator(ind)


def _renstra_years(renstra: Renstra | None) -> list[int]:
    if renstra is None:
        first = date.today().year  # noqa: DTZ011 (the blank template's years)
        return list(range(first, first + 5))
    years = set(range(renstra.start_year, renstra.end_year + 1))
    for goal in renstra.goals:
        for ind in _indicators_of(goal):
            years.update(ind.targets)
    return sorted(years)


def _indicators_of(goal: RenstraGoal) -> Iterable[RenstraIndicator]:
    yield from goal.indicators
    for obj in goal.objectives:
        yield from obj.indicators


def _example_renstra(start: int) -> Renstra:
    targets = {start + n: TargetYear(original=Decimal("0.55") + Decimal("0.05") * n)
               for n in range(5)}  # fmt: skip
    merit = RenstraIndicator(f"{EXAMPLE} — Indeks Penilaian Sistem Merit", unit="Nilai",
                             decimals=2, is_key=True, targets=targets,
                             definition="Hasil penilaian sistem merit oleh KASN.",
                             data_source="Laporan Hasil Penilaian KASN")  # fmt: skip
    objective = RenstraObjective("1.1", f"{EXAMPLE} — Meningkatnya Kualitas Kinerja ASN",
                                 [merit])  # fmt: skip
    goal = RenstraGoal(1, f"{EXAMPLE} — Terwujudnya Profesionalisme ASN", [], [objective])
    return Renstra(start, start + 4, [goal])


def _write_iku(wb: Any, w: _Writer, renstra: Renstra | None, *, example: bool) -> None:
    ws = wb.add_worksheet(IKU_SHEET)
    _headers(ws, w, 0, IKU_COLUMNS)
    ws.set_row(0, 30)
    ws.freeze_panes(1, 2)
    _validate(ws, 1, IKU_COLUMNS)
    if renstra is None:
        return
    row = 1
    for goal in renstra.goals:
        rows = [(str(goal.number), i) for i in goal.indicators]
        rows += [(o.code, i) for o in goal.objectives for i in o.indicators]
        for code, ind in rows:
            values = {
                "code": code, "name": ind.name, "is_key": ind.is_key,
                "definition": ind.definition, "formula": ind.formula,
                "data_source": ind.data_source, "weights": format_weights(ind.weights),
                "derived_from_form": DERIVATION_LABELS.get(ind.derived_from_form, ""),
            }  # fmt: skip
            for col, c in enumerate(IKU_COLUMNS):
                w.cell(ws, row, col, c.kind, values[c.key], example=example)
            row += 1


def format_weights(weights: Sequence[tuple[str, Decimal]]) -> str:
    """``Kualifikasi = 25; Kompetensi = 40`` (Indonesian numbers)."""
    return "; ".join(f"{name} = {format_number(Decimal(value))}" for name, value in weights)


# ---- reading --------------------------------------------------------------------------


def load_workbook(data: bytes) -> dict[str, list[list[Any]]]:
    """Every sheet's cell values (python-calamine). Raises on a file that is not a readable
    workbook; ``read.read_plan`` checks a file's safety before calling this."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def is_template(workbook: Workbook) -> bool:
    """Whether the workbook is in Kinerja's template layout: a Renja sheet whose header row
    holds Tingkat, Kode and Nama."""
    rows = _sheet(workbook, RENJA_SHEET)
    return rows is not None and _find_header(rows, ("tingkat", "kode", "nama")) is not None


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold() if text is not None else ""


def _sheet(workbook: Workbook, name: str) -> Sequence[Sequence[Any]] | None:
    for key, rows in workbook.items():
        if _norm(key) == _norm(name):
            return rows
    return None


def _find_header(rows: Sequence[Sequence[Any]], needed: Sequence[str],
                 within: int = 30) -> int | None:  # fmt: skip
    for n, row in enumerate(rows[:within]):
        cells = {_norm(c) for c in row}
        if all(h in cells for h in needed):
            return n
    return None


def _letter(col: int) -> str:
    from xlsxwriter.utility import xl_col_to_name

    return str(xl_col_to_name(col))


_FIFTEEN = Context(prec=15)


def _float_decimal(value: float) -> Decimal:
    """A spreadsheet number as the decimal it was written as: Excel keeps 15 significant
    digits, so the double is read to 15 (0.7000000000000001 → 0.7)."""
    exact = Decimal(repr(value))
    if len(exact.as_tuple().digits) > 15:
        exact = _FIFTEEN.plus(exact)
    return exact


class _Row:
    """One row being read: its cells by column key, and where to warn."""

    def __init__(self, plan: PlanData, sheet: str, number: int, cells: Sequence[Any],
                 columns: Mapping[str, int]) -> None:  # fmt: skip
        self.plan, self.sheet, self.row_no = plan, sheet, number
        self.cells, self.columns = cells, columns

    def source(self, key: str | None = None) -> Source:
        col = self.columns.get(key) if key else None
        return Source(self.sheet, self.row_no, _letter(col) if col is not None else None)

    def cell_value(self, key: str) -> Any:
        col = self.columns.get(key)
        if col is None or col >= len(self.cells):
            return None
        value = self.cells[col]
        if isinstance(value, str):
            value = value.strip()
        return None if value == "" else value

    def warn(self, key: str, message: str, value: Any = None) -> None:
        self.plan.warn(
            message, self.source(key), value if value is not None else self.cell_value(key)
        )

    def text(self, key: str) -> str:
        value = self.cell_value(key)
        if value is None:
            return ""
        if isinstance(value, float):
            return format_number(_float_decimal(value))
        if isinstance(value, datetime | date):
            return value.strftime("%d-%m-%Y")
        return " ".join(str(value).split())

    def long_text(self, key: str) -> str:
        value = self.cell_value(key)
        return "" if value is None else str(value).strip()

    def number(self, key: str, *, money: bool, negative: bool = True) -> Decimal | None:
        value = self.cell_value(key)
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise InvalidNumber(_("«%(v)s» bukan angka.") % {"v": value})
            if isinstance(value, int | float):
                number = (
                    _float_decimal(float(value)) if isinstance(value, float) else Decimal(value)
                )
                return check_value(number, money=money, negative=negative)
            if isinstance(value, datetime | date):
                raise InvalidNumber(_("Tanggal, bukan angka."))
            return parse_number(str(value), money=money, negative=negative)
        except (InvalidNumber, InvalidOperation, ValueError) as exc:
            self.warn(key, _("Angka tidak dapat dibaca, sel dilewati: %(why)s")
                      % {"why": str(exc)})  # fmt: skip
            return None

    def whole(self, key: str, low: int, high: int) -> int | None:
        value = self.cell_value(key)
        if value is None:
            return None
        try:
            number = (_float_decimal(value) if isinstance(value, float)
                      else Decimal(str(value).strip().replace(",", ".")))  # fmt: skip
            if isinstance(value, bool) or number != number.to_integral_value():
                raise ValueError
            whole = int(number)
            if not low <= whole <= high:
                raise ValueError
            return whole
        except (InvalidOperation, ValueError):
            self.warn(key, _("Harus bilangan bulat %(low)s sampai %(high)s; sel dilewati.")
                      % {"low": low, "high": high})  # fmt: skip
            return None

    def choice(self, key: str, labels: Mapping[str, str], default: str) -> str:
        value = self.cell_value(key)
        if value is None:
            return default
        text = _norm(value)
        for code, label in labels.items():
            if text in (code, _norm(label)):
                return code
        self.warn(key, _("Pilihan tidak dikenal (pilih: %(options)s); dipakai «%(default)s».")
                  % {"options": ", ".join(labels.values()),
                     "default": labels.get(default, default)})  # fmt: skip
        return default

    def flag(self, key: str) -> bool:
        value = self.cell_value(key)
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        text = _norm(value)
        if text in ("ya", "y", "yes", "1", "true", "benar", "iku"):
            return True
        if text in ("tidak", "t", "no", "0", "false", "salah", "bukan"):
            return False
        self.warn(key, _("Isi «Ya» atau «Tidak»; dibaca «Tidak»."))
        return False

    def day(self, key: str) -> date | None:
        value = self.cell_value(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})|(\d{4})-(\d{1,2})-(\d{1,2})",
                         str(value).strip())  # fmt: skip
        try:
            if m and m[1]:
                return date(int(m[3]), int(m[2]), int(m[1]))
            if m:
                return date(int(m[4]), int(m[5]), int(m[6]))
        except ValueError:
            pass
        self.warn(key, _("Tanggal tidak dapat dibaca (tulis dd-mm-yyyy); sel dilewati."))
        return None


def _columns(plan: PlanData, sheet: str, header: Sequence[Any],
             known: Mapping[str, str]) -> dict[str, int]:  # fmt: skip
    """Column key → index, from the header texts (``known``: normalised header → key)."""
    found: dict[str, int] = {}
    for col, cell in enumerate(header):
        key = known.get(_norm(cell))
        if key is None:
            continue
        if key in found:
            plan.warn(_("Judul kolom berulang; kolom pertama yang dipakai."),
                      Source(sheet, None, _letter(col)), cell)  # fmt: skip
            continue
        found[key] = col
    return found


RENJA_ALIASES = {
    "level": ("tingkat", "level", "jenis"),
    "code": ("kode", "kode rekening"),
    "name": ("nama", "uraian", "program/kegiatan/sub kegiatan"),
    "indicator": ("indikator", "indikator kinerja"),
    "budget": ("pagu (rp)", "pagu", "pagu murni", "pagu murni (rp)"),
    "target_k_upper": ("batas atas", "batas atas target k"),
    "objective_code": ("kode sasaran", "sasaran"),
}


def _renja_known() -> dict[str, str]:
    known = {_norm(c.header): c.key for c in RENJA_COLUMNS}
    for key, names in RENJA_ALIASES.items():
        for name in names:
            known.setdefault(name, key)
    return known


def read_template(workbook: bytes | Workbook, *, file_name: str = "") -> PlanData:
    """The plan in a workbook of Kinerja's template layout (kind "template"): the XLSX bytes
    (opened with python-calamine; ``read.read_plan`` checks a file's safety first) or its
    sheets' cell values. Never raises on the workbook's content: each cell or row it cannot
    use is a warning (skipped); a workbook without a Renja sheet with Kode and Nama columns
    is refused (an error). ``file_name`` is not read; it names the file for the caller."""
    del file_name
    if isinstance(workbook, bytes | bytearray):
        workbook = load_workbook(bytes(workbook))
    plan = PlanData(kind="template")
    rows = _sheet(workbook, RENJA_SHEET)
    if rows is None:
        plan.error(_("Lembar «%(sheet)s» tidak ada; ini bukan templat rencana Kinerja.")
                   % {"sheet": RENJA_SHEET})  # fmt: skip
        return plan
    _read_title(plan, rows)
    head = _find_header(rows, ("kode", "nama"))
    if head is None:
        plan.error(_("Lembar Renja tidak memuat kolom «Kode» dan «Nama» dalam 30 baris "
                     "pertamanya."), Source(RENJA_SHEET))  # fmt: skip
        return plan
    columns = _columns(plan, RENJA_SHEET, rows[head], _renja_known())
    plan.item_fields = _item_fields(columns)
    _read_renja(plan, rows, head, columns)
    renstra_rows = _sheet(workbook, RENSTRA_SHEET)
    if renstra_rows is not None:
        plan.renstra = _read_renstra(plan, renstra_rows)
        iku_rows = _sheet(workbook, IKU_SHEET)
        if plan.renstra is not None and iku_rows is not None:
            _read_iku(plan, plan.renstra, iku_rows)
        elif plan.renstra is not None:
            plan.renstra.has_iku = False
    return plan


def _read_title(plan: PlanData, rows: Sequence[Sequence[Any]]) -> None:
    for n, row in enumerate(rows[:10]):
        if len(row) < 2:
            continue
        label, value = _norm(row[0]), row[1]
        if label == "perangkat daerah" and str(value or "").strip():
            plan.title_agency = " ".join(str(value).split())
        elif label == "tahun" and value not in (None, ""):
            try:
                plan.title_year = int(Decimal(str(value).strip()))
            except (InvalidOperation, ValueError):
                plan.warn(_("Tahun di judul tidak dapat dibaca."), Source(RENJA_SHEET, n + 1, "B"),
                          value)  # fmt: skip


def _item_fields(columns: Mapping[str, int]) -> frozenset[str]:
    fields = {k for k in columns if not k.startswith("q")}
    if any(k.endswith("_k") and k.startswith("q") for k in columns):
        fields.add("q_target_k")
    if any(k.endswith("_cash") for k in columns):
        fields.add("q_cash_plan")
    return frozenset(fields)


def _level_of(row: _Row) -> str | None:
    from kinerja.planning.items import CODE_SHAPES

    value = row.cell_value("level")
    if value is not None:
        text = _norm(value).replace("_", " ").replace("-", " ")
        for code, label in LEVEL_LABELS.items():
            if text in (_norm(label), code.replace("_", " "), _norm(label).replace(" ", "")):
                return code
        row.warn("level", _("Tingkat tidak dikenal (Program, Kegiatan atau Sub Kegiatan); "
                            "baris dilewati."))  # fmt: skip
        return None
    code = row.text("code")
    from kinerja.planning.items import normalise_code

    code = normalise_code(code)
    for level, shape in CODE_SHAPES.items():
        if shape.match(code):
            return str(level)
    row.warn("level", _("Tingkat kosong dan kodenya tidak menunjukkan tingkat; baris "
                        "dilewati."), row.cell_value("code") or "")  # fmt: skip
    return None


def _read_renja(plan: PlanData, rows: Sequence[Sequence[Any]], head: int,
                columns: Mapping[str, int]) -> None:  # fmt: skip
    from kinerja.planning.items import code_problem, normalise_code

    latest: dict[str, list[PlanItem]] = {"program": [], "kegiatan": []}
    last: PlanItem | None = None  # the item read last: a further indicator's row is its
    for n in range(head + 1, len(rows)):
        cells = rows[n]
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        row = _Row(plan, RENJA_SHEET, n + 1, cells, columns)
        name = row.text("name")
        if name.casefold().startswith(EXAMPLE.casefold()):
            plan.warn(_("Baris contoh dari templat diabaikan; hapus baris ini."),
                      row.source("name"), name)  # fmt: skip
            continue
        if not name and not row.text("code") and row.long_text("indicator"):
            if last is None:
                row.warn("indicator", _("Indikator tambahan tanpa item di atasnya; baris "
                                        "dilewati."))  # fmt: skip
            else:
                last.add_more(_more_indicator(row, last))
            continue
        last = None  # until this row is read as an item
        if not name:
            row.warn("name", _("Nama kosong; baris dilewati."), row.cell_value("code") or "")
            continue
        level = _level_of(row)
        if level is None:
            continue
        raw_code = row.cell_value("code")
        code = normalise_code(row.text("code")) if not isinstance(raw_code, float) else ""
        if isinstance(raw_code, float):
            row.warn("code", _("Kode tertulis sebagai angka (titiknya hilang); tulis kode sebagai "
                               "teks. Kode dikosongkan."))  # fmt: skip
        problem = code_problem(code, level)
        if problem:
            row.warn("code", problem + " " + _("Kode tetap dipakai."))
        item = _renja_item(row, level, code, name)
        if level == "program":
            plan.items.append(item)
            latest["program"].append(item)
            latest["kegiatan"] = []
            last = item
            continue
        parent_level = "program" if level == "kegiatan" else "kegiatan"
        parent = _parent(row, latest[parent_level], code, level)
        if parent is None:
            continue
        parent.children.append(item)
        last = item
        if level == "kegiatan":
            latest["kegiatan"].append(item)


def _parent(row: _Row, candidates: list[PlanItem], code: str, level: str) -> PlanItem | None:
    if not candidates:
        row.warn("level", _("%(level)s tanpa %(parent)s di atasnya; baris dilewati.") % {
            "level": LEVEL_LABELS[level],
            "parent": "program" if level == "kegiatan" else "kegiatan",
        }, row.cell_value("code") or row.text("name"))  # fmt: skip
        return None
    if code:
        for candidate in reversed(candidates):
            if candidate.code and code.startswith(candidate.code + "."):
                return candidate
    last = candidates[-1]
    if code and last.code:
        row.warn("code", _("Kode tidak diawali kode induknya «%(parent)s»; dimasukkan ke "
                           "induk di atasnya.") % {"parent": last.code})  # fmt: skip
    return last


def _more_indicator(row: _Row, item: PlanItem) -> PlanItem:
    """A row under ``item`` with no level, code or name: a further indicator of it. What is
    the item's (pagu, cash plan, Rp, sasaran, unit kerja) is left out, warned where written."""
    more = _renja_item(row, item.level, item.code, item.name)
    given = [key for key in ITEMS_OWN - {"level", "code", "name"}
             if key in row.columns and row.cell_value(key) not in (None, "")]  # fmt: skip
    if given:
        row.warn(given[0], _("Baris indikator tambahan: pagu, rencana kas, kolom Rp, sasaran "
                             "dan unit kerja milik itemnya; isiannya dilewati."))  # fmt: skip
    more.budget = more.renstra_target_rp = more.renstra_realised_rp = None
    more.budget_revised, more.budget_revised_on = None, None
    more.budget_revision_reason = more.budget_legal_basis = ""
    more.objective_code, more.responsible_unit = item.objective_code, item.responsible_unit
    more.allows_negative = item.allows_negative
    for q, plan in list(more.quarters.items()):
        if plan.target_k is None:
            del more.quarters[q]
        else:
            plan.cash_plan = None
    return more


def _renja_item(row: _Row, level: str, code: str, name: str) -> PlanItem:
    negative = row.flag("allows_negative")
    item = PlanItem(level=level, code=code, name=name, source=row.source())  # type: ignore[arg-type]
    item.allows_negative = negative
    item.indicator = row.long_text("indicator")
    item.unit = row.text("unit")
    item.decimals = row.whole("decimals", 0, 6)
    item.target_k = row.number("target_k", money=False, negative=negative)
    item.target_k_upper = row.number("target_k_upper", money=False, negative=negative)
    if (item.target_k is not None and item.target_k_upper is not None
            and item.target_k_upper < item.target_k):  # fmt: skip
        row.warn("target_k_upper", _("Batas atas lebih kecil dari target; batas atas "
                                     "dilewati."))  # fmt: skip
        item.target_k_upper = None
    item.budget = row.number("budget", money=True)
    item.polarity = row.choice("polarity", POLARITY_LABELS, "higher")
    item.aggregation = row.choice("aggregation", AGGREGATION_LABELS, "sum")
    item.objective_code = row.text("objective_code")
    item.responsible_unit = row.text("responsible_unit")
    item.renstra_target_k = row.number("renstra_target_k", money=False, negative=negative)
    item.renstra_target_unit = row.text("renstra_target_unit")
    item.renstra_target_rp = row.number("renstra_target_rp", money=True)
    item.renstra_realised_k = row.number("renstra_realised_k", money=False, negative=negative)
    item.renstra_realised_unit = row.text("renstra_realised_unit")
    item.renstra_realised_rp = row.number("renstra_realised_rp", money=True)
    for q in range(1, 5):
        k = row.number(f"q{q}_k", money=False, negative=negative)
        cash = row.number(f"q{q}_cash", money=True)
        if k is not None or cash is not None:
            item.quarters[q] = QuarterPlan(k, cash)
    item.budget_revised = row.number("budget_revised", money=True)
    item.budget_revised_on = row.day("budget_revised_on")
    item.budget_revision_reason = row.long_text("budget_revision_reason")
    item.budget_legal_basis = row.text("budget_legal_basis")
    item.note = row.long_text("note")
    return item


# ---- Renstra and IKU ---------------------------------------------------------------------

_YEARLY = re.compile(r"^(?P<prefix>.+?)\s+(?P<year>(19|20)\d{2})$")


def _renstra_known(header: Sequence[Any]) -> dict[str, str]:
    known = {_norm(c.header): c.key for c in RENSTRA_FIXED}
    known.setdefault("nama", "text")
    known.setdefault("indikator", "text")
    prefixes = {_norm(prefix): key for prefix, key, _k, _w in RENSTRA_YEARLY}
    for cell in header:
        m = _YEARLY.match(_norm(cell))
        if m and m["prefix"] in prefixes:
            known[_norm(cell)] = f"{prefixes[m['prefix']]}:{m['year']}"
    return known


def _read_renstra(plan: PlanData, rows: Sequence[Sequence[Any]]) -> Renstra | None:
    head = _find_header(rows, ("jenis", "uraian"))
    if head is None:
        plan.warn(_("Lembar Renstra tidak memuat kolom «Jenis» dan «Uraian»; Renstra tidak "
                    "dibaca."), Source(RENSTRA_SHEET))  # fmt: skip
        return None
    start = end = None
    note = ""
    serves: list[str] = []
    for n, cells in enumerate(rows[:head]):
        if len(cells) < 2:
            continue
        label = _norm(cells[0])
        row = _Row(plan, RENSTRA_SHEET, n + 1, cells, {"v": 1})
        if label == "tahun awal":
            start = row.whole("v", 1900, 2200)
        elif label == "tahun akhir":
            end = row.whole("v", 1900, 2200)
        elif label == "catatan perubahan target":
            note = row.long_text("v")
        elif label.startswith("sasaran rpjmd") and row.text("v"):
            serves.append(row.long_text("v"))
    empty = not any(
        c not in (None, "") and str(c).strip() for cells in rows[head + 1 :] for c in cells
    )
    if start is None and end is None and empty:
        return None  # an agency without a Renstra: the sheet's headers only
    if start is None or end is None or end < start:
        plan.warn(_("Periode Renstra (tahun awal dan akhir) tidak terbaca; Renstra tidak "
                    "dibaca."), Source(RENSTRA_SHEET, 1, "B"))  # fmt: skip
        return None
    renstra = Renstra(start, end, revision_note=note, serves=serves)
    columns = _columns(plan, RENSTRA_SHEET, rows[head], _renstra_known(rows[head]))
    goal: RenstraGoal | None = None
    holder: RenstraGoal | RenstraObjective | None = None
    for n in range(head + 1, len(rows)):
        cells = rows[n]
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        row = _Row(plan, RENSTRA_SHEET, n + 1, cells, columns)
        kind, text = _norm(row.cell_value("kind")), row.long_text("text")
        if text.casefold().startswith(EXAMPLE.casefold()):
            plan.warn(_("Baris contoh dari templat diabaikan; hapus baris ini."),
                      row.source("text"), text)  # fmt: skip
            continue
        if not text:
            row.warn("text", _("Uraian kosong; baris dilewati."), row.cell_value("kind") or "")
            continue
        code = row.text("code")
        if kind == "tujuan":
            number = row.whole("code", 1, 999) if code else len(renstra.goals) + 1
            if number is None:
                continue
            goal = RenstraGoal(number, text, source=row.source())
            renstra.goals.append(goal)
            holder = goal
        elif kind == "sasaran":
            if goal is None:
                row.warn("kind", _("Sasaran tanpa tujuan di atasnya; baris dilewati."))
                continue
            if not code:
                code = f"{goal.number}.{len(goal.objectives) + 1}"
            owner = next((g for g in renstra.goals if code.split(".")[0] == str(g.number)), goal)
            objective = RenstraObjective(code, text, source=row.source())
            owner.objectives.append(objective)
            holder = objective
        elif kind == "indikator":
            if holder is None:
                row.warn("kind", _("Indikator tanpa tujuan atau sasaran di atasnya; baris "
                                   "dilewati."))  # fmt: skip
                continue
            holder.indicators.append(_renstra_indicator(row, renstra, text))
        else:
            row.warn("kind", _("Jenis harus Tujuan, Sasaran atau Indikator; baris dilewati."))
    if not renstra.goals:
        return None  # the blank template's period with its example rows only
    return renstra


def _renstra_indicator(row: _Row, renstra: Renstra, name: str) -> RenstraIndicator:
    negative = row.flag("allows_negative")
    ind = RenstraIndicator(name, source=row.source())
    ind.allows_negative = negative
    ind.unit = row.text("unit")
    ind.decimals = row.whole("decimals", 0, 6)
    ind.polarity = row.choice("polarity", POLARITY_LABELS, "higher")
    ind.aggregation = row.choice("aggregation", AGGREGATION_LABELS, "last")
    ind.scale = row.text("scale")
    years = sorted({int(k.split(":")[1]) for k in row.columns if ":" in k})
    for y in years:
        t = TargetYear(
            original=row.number(f"original:{y}", money=False, negative=negative),
            original_upper=row.number(f"original_upper:{y}", money=False, negative=negative),
            revised=row.number(f"revised:{y}", money=False, negative=negative),
            revised_upper=row.number(f"revised_upper:{y}", money=False, negative=negative),
            revised_on=row.day(f"revised_on:{y}"),
            revision_reason=row.long_text(f"revision_reason:{y}"),
            legal_basis=row.text(f"legal_basis:{y}"),
        )
        if t == TargetYear():
            continue
        if not renstra.start_year <= y <= renstra.end_year:
            row.warn(f"original:{y}", _("Tahun %(year)s di luar periode Renstra "
                                        "%(start)s–%(end)s.")
                     % {"year": y, "start": renstra.start_year, "end": renstra.end_year},
                     str(y))  # fmt: skip
        ind.targets[y] = t
    return ind


def _read_iku(plan: PlanData, renstra: Renstra, rows: Sequence[Sequence[Any]]) -> None:
    head = _find_header(rows, ("indikator",))
    if head is None:
        plan.warn(_("Lembar IKU tidak memuat kolom «Indikator»; IKU tidak dibaca."),
                  Source(IKU_SHEET))  # fmt: skip
        return
    known = {_norm(c.header): c.key for c in IKU_COLUMNS}
    columns = _columns(plan, IKU_SHEET, rows[head], known)
    by_code: dict[tuple[str, str], RenstraIndicator] = {}
    by_name: dict[str, list[RenstraIndicator]] = {}
    for goal in renstra.goals:
        for ind in goal.indicators:
            by_code[(str(goal.number), _norm(ind.name))] = ind
            by_name.setdefault(_norm(ind.name), []).append(ind)
        for obj in goal.objectives:
            for ind in obj.indicators:
                by_code[(obj.code, _norm(ind.name))] = ind
                by_name.setdefault(_norm(ind.name), []).append(ind)
    derivations = {_norm(v): k for k, v in DERIVATION_LABELS.items()}
    for n in range(head + 1, len(rows)):
        cells = rows[n]
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue
        row = _Row(plan, IKU_SHEET, n + 1, cells, columns)
        name = row.text("name")
        if name.casefold().startswith(EXAMPLE.casefold()):
            plan.warn(_("Baris contoh dari templat diabaikan; hapus baris ini."),
                      row.source("name"), name)  # fmt: skip
            continue
        ind = by_code.get((row.text("code"), _norm(name)))
        if ind is None:
            same = by_name.get(_norm(name), [])
            ind = same[0] if len(same) == 1 else None
        if ind is None:
            row.warn("name", _("Indikator ini tidak ada di lembar Renstra; baris dilewati."))
            continue
        ind.is_key = row.flag("is_key")
        ind.definition = row.long_text("definition")
        ind.formula = row.long_text("formula")
        ind.data_source = row.text("data_source")
        ind.weights = _weights(row)
        rule = row.text("derived_from_form")
        if rule:
            ind.derived_from_form = derivations.get(_norm(rule), derivations.get(rule, ""))
            if not ind.derived_from_form and rule in DERIVATION_LABELS:
                ind.derived_from_form = rule
            if not ind.derived_from_form:
                row.warn("derived_from_form", _("Aturan tidak dikenal; dikosongkan."))


def _weights(row: _Row) -> list[tuple[str, Decimal]]:
    text = row.long_text("weights")
    weights: list[tuple[str, Decimal]] = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, value = part.rpartition("=")
        try:
            if not sep or not name.strip():
                raise InvalidNumber(part)
            number = parse_number(value.strip())
            if number is None:
                raise InvalidNumber(part)
        except InvalidNumber:
            row.warn("weights", _("Bobot «%(part)s» tidak dapat dibaca (tulis «Nama = 25»); "
                                  "dilewati.") % {"part": part})  # fmt: skip
            continue
        weights.append((" ".join(name.split()), number))
    return weights
