"""Load the seed agency (BKPSDM Kabupaten Sumenep, TW I 2024) into the database.

The whole transcription (`data/seed_bkpsdm_2024_tw1.json`): RPJMD linkage, Renstra with
original and revised targets, IKU, PK 2024 (Tabel 2.3 and 2.4), the 61 rows of the evaluation
form with columns 6–12, Tabel 3.1 realisations as entered, Tabel 3.2 cash plans, factors and
recommendations; TW I 2024 approved, TW II 2024 open as Draft.

Corrections (docs/seed.md): Program Penunjang TW I K = 15; the 0 placeholders of
TW II–IV and blank cells are not stored. The TW III/IV values printed on the Sertifikasi,
Kelembagaan … row of a TW I report (K 0,5 each) are stored as printed, as that row's TW III
and TW IV realisations with a note saying where they come from: a TW I report does not count
them, and the check ``realisation-after-report-quarter`` reports them on the pre-signing
checklist, as it does for the printed form.

Names: the appendix's names are the PDF extraction's ("Kepergawaiuan", "Kelengkapan nya");
each item takes the spelling of its line in Tabel 2.4 (the PK's program/kegiatan/sub kegiatan
table, matched by name), and its indicator the same corrections. The appendix's figures,
targets and units stay as printed. Codes: no other table of the seed prints a code, so a
sub-kegiatan number lost in print (printed "00") stays as the seed has it and the item's note
says so (``CODE_UNKNOWN_NOTE``) for the pre-signing checklist.

Idempotent: a row is written only when it is missing or differs, so a second run changes
nothing, its history included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from django.db import models, transaction

from kinerja.core.numbers import format_number
from kinerja.core.scales import SCALES
from kinerja.monitoring.models import (
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    ReportingPeriod,
    SubmissionStatus,
)
from kinerja.monitoring.workflow import approve_imported_quarter
from kinerja.planning.letterhead import example_logo, store_logo
from kinerja.planning.models import (
    ActionPlan,
    Agency,
    AgreementLine,
    AgreementTarget,
    Goal,
    Government,
    Indicator,
    IndicatorTarget,
    Letterhead,
    Objective,
    OrgUnit,
    PerformanceAgreement,
    RpjmdGoal,
    RpjmdMission,
    RpjmdObjective,
    Scale,
    ScaleBand,
    Signatory,
    StrategicPlan,
    WorkItem,
)
from kinerja.planning.queries import match_by_name, name_key

SEED_REASON = "Muat data contoh laporan TW I 2024 BKPSDM Kabupaten Sumenep"
# why TW I 2024 is approved with its Lembar Pemeriksaan's blocking items (the two Rp sums)
SEED_OVERRIDE = (
    "Selisih jumlah Rp induk dan rinciannya berasal dari laporan tercetak; dicatat sesuai aslinya."
)
AGENCY_SLUG = "bkpsdm-sumenep"
YEAR = 2024
LEVELS = ("program", "kegiatan", "sub_kegiatan")
QUARTER_COLUMNS = ("col9_realisasi_tw1", "col10_realisasi_tw2", "col11_realisasi_tw3",
                   "col12_realisasi_tw4")  # fmt: skip
UNITS = {
    "Sekretariat": "SEKR",
    "Bidang Pengadaan Pemberhentian dan Informasi": "PPI",
    "Bidang Penilaian Kinerja Aparatur dan Penghargaan": "PKAP",
    "Bidang Mutasi dan Promosi": "MP",
    "Bidang Pengembangan Kompetensi Aparatur": "PKA",
}
# the item's note when the seed lost its code; the pre-signing checklist looks for it
CODE_UNKNOWN_NOTE = "Kode tidak terbaca pada laporan sumber"
# the note of a realisation the TW I report printed for a quarter that had not yet come
PRINTED_EARLY_NOTE = "Tercetak pada laporan TW I 2024, sebelum triwulan ini tiba"
# The demo's kop and signatories: example data, marked as such in what they print
EXAMPLE_KOP = {
    "address": "Jl. Contoh No. 1, Sumenep (alamat contoh)",
    "telephone": "(0328) 000000 (contoh)",
    "email": "contoh@example.org",
    "website": "https://example.org",
}
EXAMPLE_HEAD = {"name": "Nama Kepala BKPSDM (contoh)", "nip": "123456789012345678",
                "rank": "Pembina Utama Muda (IV/c) (contoh)", "acting": ""}  # fmt: skip
EXAMPLE_REGENT = {"name": "Nama Bupati (contoh)", "nip": "", "rank": "", "acting": ""}
EXAMPLE_PK_SIGNED_ON = date(2024, 1, 31)  # the seed prints no date for its PK: an example
# words the extraction garbled inside the appendix's indicator texts → the spelling Tabel 2.4
# prints in the same item's indicator (applied only where that line shows it)
INDICATOR_GARBLES = {
    "Kepergawaiuan": "Kepegawaian",
    "Kepegawai n": "Kepegawaian",
    "Penyelenggaran": "Penyelenggaraan",
    "Dipelihara/D irehabilitasi": "Dipelihara/Direhabilitasi",
}
_LEVEL_PREFIX = re.compile(r"^(sub kegiatan|kegiatan)\s+", re.IGNORECASE)
# IKU → (scale code, aggregation over quarters, rule deriving it from the form)
IKU_SETTINGS = {
    "Indeks Profesionalitas ASN": ("ip_asn", ""),
    "Indeks Penilaian Sistem Merit": ("sistem_merit_indeks", ""),
    "Nilai SAKIP Perangkat Daerah": ("nilai_sakip", ""),
    "Persentase Capaian Kinerja Perangkat Daerah": ("predikat_capaian", "program_mean"),
}
# The decimals the seed prints an indicator's values with (Tabel 2.2, the PK, Tabel 3.1): the
# Sistem Merit index always two (0,45 · 0,50 · 0,70), the SAKIP score two (89,85 · 89,90 ·
# 89,95; its 2026 target prints "90", read as 90,00). The others print whole numbers as
# entered (62, 84, 96) and keep no declaration.
DECLARED_DECIMALS = {"Indeks Penilaian Sistem Merit": 2, "Nilai SAKIP Perangkat Daerah": 2}


def seed_data() -> dict[str, Any]:
    text = resources.files("kinerja").joinpath("data/seed_bkpsdm_2024_tw1.json").read_text()
    data: dict[str, Any] = json.loads(text, parse_float=Decimal)
    return data


def D(value: Any) -> Decimal | None:  # noqa: N802 - reads like the Decimal it makes
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(value)


@dataclass
class LoadReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)


def _same(a: Any, b: Any) -> bool:
    """Equal as stored: model instances by key, decimals by value (15 == 15.000000)."""
    if isinstance(a, models.Model) or isinstance(b, models.Model):
        return getattr(a, "pk", a) == getattr(b, "pk", b)
    if a is None or b is None:
        return a is b
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(a) == Decimal(b)
    return bool(a == b)


class Loader:
    def __init__(self) -> None:
        self.report = LoadReport()

    def upsert(self, model: type[models.Model], lookup: dict[str, Any],
               values: dict[str, Any] | None = None, *, create_only: Iterable[str] = ()) -> Any:  # fmt: skip
        """Write the row only when it is missing or differs; ``create_only`` fields are set
        on creation and left alone afterwards (e.g. dates relative to today)."""
        values = values or {}
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            obj._change_reason = SEED_REASON  # type: ignore[attr-defined]
            obj.save()
            self.report.created += 1
            return obj
        changed = [
            name
            for name, value in values.items()
            if name not in create_only and not _same(getattr(obj, name), value)
        ]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj._change_reason = SEED_REASON  # type: ignore[attr-defined]
            obj.save(update_fields=[_column(model, n) for n in changed])
            self.report.changed += 1
        else:
            self.report.unchanged += 1
        return obj


def _column(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).name


@transaction.atomic
def load_seed(*, today: date, data: dict[str, Any] | None = None) -> LoadReport:
    """Load the seed agency; ``today`` opens the TW II reporting period (for 30 days)."""
    data = data or seed_data()
    loader = Loader()
    _load_scales(loader)
    agency = _load_agency(loader, data)
    plan, indicators = _load_renstra(loader, data, agency)
    items = _load_work_items(loader, data, agency)
    _load_agreement(loader, data, agency, indicators, items)
    load_example_kop(loader, agency)  # before TW I is approved: its snapshot holds the kop
    _load_quarter(loader, data, agency, indicators, items)
    _load_periods(loader, agency, today=today)
    return loader.report


def _load_scales(loader: Loader) -> None:
    for scale in SCALES.values():
        row = loader.upsert(Scale, {"code": scale.id, "version": 1},
                            {"name": scale.name, "closed": scale.closed})  # fmt: skip
        for position, band in enumerate(scale.bands, start=1):
            loader.upsert(ScaleBand, {"scale": row, "position": position},
                          {"label": band.label, "lower": band.lo, "upper": band.hi})  # fmt: skip


def _load_agency(loader: Loader, data: dict[str, Any]) -> Agency:
    info = data["agency"]
    government = loader.upsert(
        Government,
        {"slug": "kabupaten-sumenep"},
        {"name": f"Pemerintah Kabupaten {info['kabupaten']}", "region": info["kabupaten"],
         "vision": info["visi_kabupaten"]},
    )  # fmt: skip
    rpjmd = data["renstra"]["tabel_2_1_rpjmd_intervened"]
    for number, text in enumerate(info["misi_kabupaten"], start=1):
        mission = loader.upsert(RpjmdMission, {"government": government, "number": number},
                                {"text": text})  # fmt: skip
        if number == info["misi_supported"]:
            goal = loader.upsert(RpjmdGoal, {"mission": mission}, {"text": rpjmd["tujuan"]})
            for position, row in enumerate(rpjmd["rows"], start=1):
                loader.upsert(RpjmdObjective, {"goal": goal, "position": position},
                              {"text": row["sasaran"], "indicator": row["indikator"]})  # fmt: skip
    agency = loader.upsert(Agency, {"slug": AGENCY_SLUG},
                           {"government": government, "name": info["name"],
                            "abbreviation": info["abbreviation"]})  # fmt: skip
    for name, abbreviation in UNITS.items():
        loader.upsert(OrgUnit, {"agency": agency, "name": name}, {"abbreviation": abbreviation})
    return agency


def _load_renstra(
    loader: Loader, data: dict[str, Any], agency: Agency
) -> tuple[StrategicPlan, dict[str, Indicator]]:
    renstra = data["renstra"]
    plan = loader.upsert(StrategicPlan, {"agency": agency, "start_year": 2021},
                         {"end_year": 2026, "revision_note": renstra["revision_note"]})  # fmt: skip
    served = RpjmdObjective.objects.filter(goal__mission__government=agency.government)
    missing = list(served.exclude(pk__in=plan.serves.values("pk")))
    if missing:  # an empty add() still sends m2m_changed, and the Renstra's history would grow
        plan.serves.add(*missing)
    iku = {item["indikator"]: item for item in data["iku"]["items"]}
    indicators: dict[str, Indicator] = {}
    position = 0
    for g in renstra["tujuan"]:
        goal = loader.upsert(Goal, {"plan": plan, "number": g["no"]},
                             {"text": g["tujuan"], "narrative": g.get("narasi", "")})  # fmt: skip
        entries: list[tuple[dict[str, Any], Objective | None]] = [
            (i, None) for i in g["indikator_tujuan"]
        ]
        for s in g["sasaran"]:
            objective = loader.upsert(Objective, {"goal": goal, "code": s["kode"]},
                                      {"text": s["sasaran"]})  # fmt: skip
            entries += [(i, objective) for i in s["indikator"]]
        for entry, objective in entries:
            position += 1
            name = entry["indikator"]
            sheet = iku.get(name, {})
            scale_code, derived = IKU_SETTINGS.get(name, ("", ""))
            indicator = loader.upsert(
                Indicator,
                {"plan": plan, "position": position},
                {
                    "goal": None if objective else goal,
                    "objective": objective,
                    "name": name,
                    "unit": entry.get("satuan") or "",
                    "decimals": DECLARED_DECIMALS.get(name),
                    "definition": sheet.get("definisi_operasional_raw", ""),
                    "formula": sheet.get("formulasi_raw", ""),
                    "data_source": sheet.get("sumber_data_raw", ""),
                    "aggregation": "last",
                    "scale": Scale.objects.get(code=scale_code, version=1) if scale_code else None,
                    "is_key": name in iku,
                    "weights": [
                        [k, int(v)] for k, v in sheet.get("dimension_weights_pct", {}).items()
                    ],
                    "derived_from_form": derived,
                },
            )
            indicators[name] = indicator
            years = sorted(set(entry["original"]["targets"]) | set(entry["revised"]["targets"]))
            for year in years:
                original = D(entry["original"]["targets"].get(year))
                revised = D(entry["revised"]["targets"].get(year))
                loader.upsert(
                    IndicatorTarget,
                    {"indicator": indicator, "year": int(year)},
                    {
                        "original": original,
                        "revised": revised,
                        "revision_reason": renstra["revision_note"]
                        if revised is not None and revised != original
                        else "",
                    },
                )
    return plan, indicators


def _load_work_items(loader: Loader, data: dict[str, Any], agency: Agency) -> list[WorkItem]:
    units = {u.name: u for u in agency.units.all()}
    responsible = {
        name_key(row["program"]): row["penanggung_jawab"]
        for row in data["budget_realisation_tabel_3_2"]["rows"]
        if row.get("program")
    }
    rows = [r for r in data["lampiran_evaluasi_renja"]["rows"] if r["level"] in LEVELS]
    objectives = {name_key(o.text): o for o in Objective.objects.filter(goal__plan__agency=agency)}
    spellings = _agreement_spellings(data, rows)
    items: list[WorkItem] = []
    parents: dict[str, WorkItem] = {}
    for position, (row, (name, indicator)) in enumerate(zip(rows, spellings, strict=True),
                                                        start=1):  # fmt: skip
        level = row["level"]
        parent = None if level == "program" else parents[LEVELS[LEVELS.index(level) - 1]]
        col6, col7, col8 = (row["col6_target_renstra_2021_2026"],
                            row["col7_realisasi_renstra_sd_2023"], row["col8_target_renja_2024"])  # fmt: skip
        unit_names = responsible.get(name_key(row["name"])) or []
        note = ""
        later = [(q, row[c]) for q, c in enumerate(QUARTER_COLUMNS, start=1) if q > 1
                 and ((row[c] or {}).get("K") or (row[c] or {}).get("Rp"))]  # fmt: skip
        if later:
            note = (
                "Laporan TW I mencetak realisasi pada "
                + " dan ".join(
                    f"TW {'I II III IV'.split()[q - 1]} K {format_number(D(c['K']))}"
                    for q, c in later
                )  # fmt: skip
                + "; nilai itu disimpan seperti tercetak sebagai realisasi triwulan tersebut "
                "dan tidak dihitung dalam laporan TW I."
            )
        if _code_lost(row):
            note = " ".join(filter(None, [note, _code_unknown_note(row)]))
        item = loader.upsert(
            WorkItem,
            {"agency": agency, "year": YEAR, "position": position},
            {
                "parent": parent,
                "level": level,
                "code": row["code"],
                "name": name,
                "indicator": indicator,
                "unit": row.get("unit") or col8.get("K_unit") or "",
                "responsible_unit": units.get(unit_names[0]) if len(unit_names) == 1 else None,
                "objective": objectives.get(name_key(row.get("sasaran_normalised") or "")),
                "target_k": D(col8.get("K")),
                "budget_original": D(col8.get("Rp")),
                "renstra_target_k": D(col6.get("K")),
                "renstra_target_unit": col6.get("K_unit") or "",
                "renstra_target_rp": D(col6.get("Rp")),
                "renstra_realised_k": D(col7.get("K")),
                "renstra_realised_unit": col7.get("K_unit") or "",
                "renstra_realised_rp": D(col7.get("Rp")),
                "note": note,
            },
        )
        parents[level] = item
        items.append(item)
    return items


def _agreement_spellings(data: dict[str, Any], rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each appendix row's (name, indicator) as the seed spells it correctly: the name of its
    Tabel 2.4 line without the "Kegiatan"/"Sub Kegiatan" prefix the level already says, and
    the appendix's indicator with the garbled words that line's indicator prints right
    corrected; the appendix's own text where Tabel 2.4 has no such line."""
    lines = data["perjanjian_kinerja"]["tabel_2_4_program_kegiatan_sub"]
    printed = [WorkItem(level=row["level"], name=row["name"]) for row in rows]  # not saved
    matched = match_by_name([(ln["level"], ln["name"]) for ln in lines], printed)
    line_of = {id(item): ln for ln, item in zip(lines, matched, strict=True) if item is not None}
    spellings = []
    for row, item in zip(rows, printed, strict=True):
        name, indicator = row["name"], row.get("indicator") or ""
        line = line_of.get(id(item))
        if line is not None:
            name = _LEVEL_PREFIX.sub("", " ".join(line["name"].split()))
            shown = _squash(line.get("indicator") or "")
            old_name = _LEVEL_PREFIX.sub("", row["name"])
            if old_name != name and old_name in indicator and _squash(name) in shown:
                indicator = indicator.replace(old_name, name)
            for garbled, right in INDICATOR_GARBLES.items():
                if garbled in indicator and _squash(right) in shown:
                    indicator = indicator.replace(garbled, right)
        spellings.append((name, indicator))
    return spellings


def _squash(text: str) -> str:
    return "".join(text.split()).casefold()


def _code_lost(row: dict[str, Any]) -> bool:
    """A sub-kegiatan number printed "00" (padded "0000" by the transcription): no such
    number exists, and no other table of the seed prints the code."""
    code: str = row["code"]
    return row["level"] == "sub_kegiatan" and code.rsplit(".", 1)[-1] == "0000"


def _code_unknown_note(row: dict[str, Any]) -> str:
    printed = " ".join(c for c in row.get("code_raw_cells") or [] if c)
    return (
        f"{CODE_UNKNOWN_NOTE}: nomor sub kegiatan dicetak «{printed}»; tidak ada tabel lain "
        f"dalam laporan yang memuat kodenya, sehingga kode {row['code']} disimpan seperti "
        "tercetak dan perlu diperiksa."
    )


def _load_agreement(loader: Loader, data: dict[str, Any], agency: Agency,
                    indicators: dict[str, Indicator], items: list[WorkItem]) -> None:  # fmt: skip
    pk = data["perjanjian_kinerja"]
    agreement = loader.upsert(PerformanceAgreement, {"agency": agency, "year": YEAR},
                              {"place": data["agency"]["kabupaten"],
                               "signed_on": EXAMPLE_PK_SIGNED_ON})  # fmt: skip
    by_key = {name_key(name): ind for name, ind in indicators.items()}
    for row in pk["tabel_2_3_pk_kepala_bkpsdm_2024"]["rows"]:
        indicator = by_key.get(name_key(row["indikator"].replace("Presentase", "Persentase")))
        loader.upsert(
            AgreementTarget,
            {"agreement": agreement, "position": row["no"]},
            {"objective_text": row["sasaran_strategis"], "indicator": indicator,
             "indicator_text": row["indikator"], "target": D(row["target"])},
        )  # fmt: skip
    lines = pk["tabel_2_4_program_kegiatan_sub"]
    for position, (line, item) in enumerate(zip(lines, match_by_name([(ln['level'], ln['name']) for ln in lines], items),
                                                strict=True), start=1):  # fmt: skip
        context = line.get("tujuan_sasaran_context") or {}
        loader.upsert(
            AgreementLine,
            {"agreement": agreement, "position": position},
            {
                "level": line["level"],
                "name": line["name"],
                "indicator_text": line.get("indicator") or "",
                "target": D(line.get("target_value")),
                "target_unit": line.get("target_unit") or "",
                "budget": D(line.get("pagu")),
                "context_indicator": by_key.get(name_key(context.get("indikator", ""))),
                "work_item": item,
            },
        )
    # The seed names no official, no NIP and no signing date: the demo's are examples, marked
    # "(contoh)" in the text itself, never presented as the real officials (EXAMPLE_*)
    head = f"Kepala {data['agency']['name']}"
    loader.upsert(Signatory, {"agreement": agreement, "party": Signatory.Party.FIRST},
                  {"title": head, **EXAMPLE_HEAD})  # fmt: skip
    loader.upsert(Signatory, {"agreement": agreement, "party": Signatory.Party.SECOND},
                  {"title": f"Bupati {data['agency']['kabupaten']}", **EXAMPLE_REGENT})  # fmt: skip


def load_example_kop(loader: Loader, agency: Agency, *, year: int = YEAR) -> Letterhead:
    """The demo's kop surat of the year: example data (``is_example``), an example address
    and contacts and the neutral emblem shipped in the package, stored in the default storage
    under its content-addressed name."""
    return loader.upsert(Letterhead, {"agency": agency, "year": year},
                         {**EXAMPLE_KOP, "logo": store_logo(example_logo()),
                          "is_example": True})  # fmt: skip


def _load_quarter(loader: Loader, data: dict[str, Any], agency: Agency,
                  indicators: dict[str, Indicator], items: list[WorkItem]) -> None:  # fmt: skip
    rows = [r for r in data["lampiran_evaluasi_renja"]["rows"] if r["level"] in LEVELS]
    for row, item in zip(rows, items, strict=True):
        cell = row["col9_realisasi_tw1"]
        k, rp = D(cell.get("K")), D(cell.get("Rp"))
        if item.level == "program" and item.code == "5.03.01":
            k = Decimal(15)  # printed 1; its col 14 (15 %) and col 15 (115) say 15
        if k is not None or rp is not None:
            loader.upsert(Realisation, {"work_item": item, "quarter": 1},
                          {"value_k": k, "value_rp": rp, "value_k_unit": cell.get("K_unit") or ""})  # fmt: skip
        # a later quarter printed in this TW I report: as printed, but its 0s are placeholders
        for quarter, column in enumerate(QUARTER_COLUMNS[1:], start=2):
            later = row[column] or {}
            k, rp = D(later.get("K")) or None, D(later.get("Rp")) or None
            if k is None and rp is None:
                continue
            loader.upsert(Realisation, {"work_item": item, "quarter": quarter},
                          {"value_k": k, "value_rp": rp, "value_k_unit": later.get("K_unit") or "",
                           "note": PRINTED_EARLY_NOTE})  # fmt: skip

    programs = {name_key(i.name): i for i in items if i.level == "program"}
    for row in data["budget_realisation_tabel_3_2"]["rows"]:
        item = programs.get(name_key(row.get("program") or ""))
        if item is not None:
            loader.upsert(ActionPlan, {"work_item": item, "quarter": 1},
                          {"cash_plan": D(row["rencana_tw1"])})  # fmt: skip

    by_key = {name_key(name): ind for name, ind in indicators.items()}
    narrative = data["iku_achievement_tabel_3_1"]["narrative"]
    for row in data["iku_achievement_tabel_3_1"]["rows"]:
        indicator = by_key[name_key(row["indikator"])]
        loader.upsert(
            IndicatorRealisation,
            {"indicator": indicator, "year": YEAR, "quarter": 1},
            {
                "value": D(row.get("realisasi")),
                "measured_on": date(2024, 3, 31) if row.get("realisasi") is not None else None,
                "source": row.get("sumber_data") or "",
                "note": _iku_note(narrative[row["no"] - 1] if row["no"] <= len(narrative) else ""),
            },
        )

    def texts(kind: str, entries: list[str], responsible: list[str] | None, **target: Any) -> None:
        for position, text in enumerate(entries, start=1):
            loader.upsert(
                Narrative,
                {"agency": agency, "year": YEAR, "quarter": 1, "kind": kind,
                 "position": position, **target},
                {"text": text, "responsible": "; ".join(responsible or [])},
            )  # fmt: skip

    factors = data["factors"]
    for row in factors["tabel_3_3_by_indikator_sasaran"]:
        name = row["indikator"].replace("Percentase", "Persentase")
        indicator = by_key[name_key(name)]
        texts("supporting", row["faktor_pendukung"], row["penanggung_jawab"], indicator=indicator)
        texts("inhibiting", row["faktor_penghambat"], row["penanggung_jawab"], indicator=indicator)
    for row in factors["tabel_3_4_by_program"]:
        item = programs[name_key(row["program"])]
        texts("supporting", row["faktor_pendukung"], row["penanggung_jawab"], work_item=item)
        texts("inhibiting", row["faktor_penghambat"], row["penanggung_jawab"], work_item=item)
    texts("recommendation", [r["text"] for r in data["recommendations_3_4"]], None,
          indicator=None, work_item=None)  # fmt: skip


def _iku_note(paragraph: str) -> str:
    """What the seed's paragraph says beyond the figures: why nothing was realised yet
    ("… belum terealisasi dikarenakan <reason>"), or the sentences after the first."""
    if "dikarenakan " in paragraph:
        return paragraph.split("dikarenakan ", 1)[1].strip()
    first, _, rest = paragraph.partition(". ")
    return rest.strip()


def _load_periods(loader: Loader, agency: Agency, *, today: date) -> None:
    government = agency.government
    loader.upsert(ReportingPeriod, {"government": government, "year": YEAR, "quarter": 1},
                  {"opens_on": date(2024, 4, 1), "closes_on": date(2024, 4, 15)})  # fmt: skip
    loader.upsert(
        ReportingPeriod,
        {"government": government, "year": YEAR, "quarter": 2},
        {"opens_on": today, "closes_on": today + timedelta(days=30)},
        create_only=("opens_on", "closes_on"),
    )
    # TW I 2024 was signed on paper: approved through the approval step itself, so it has its
    # snapshot like any quarter approved in Kinerja (loading again leaves it as it is)
    done = QuarterSubmission.objects.filter(agency=agency, year=YEAR, quarter=1,
                                            status=SubmissionStatus.APPROVED).exists()  # fmt: skip
    if not done:
        signed = datetime(
            2024, 4, 16, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")
        )  # "Sumenep, 16 April 2024"
        approve_imported_quarter(agency=agency, year=YEAR, quarter=1, reason=SEED_REASON,
                                 at=signed, override=SEED_OVERRIDE)  # fmt: skip
    loader.upsert(QuarterSubmission, {"agency": agency, "year": YEAR, "quarter": 2},
                  {"status": SubmissionStatus.DRAFT})  # fmt: skip
