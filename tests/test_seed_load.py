"""The database equals the seed, cell by cell (compared with the JSON transcription)."""

from decimal import Decimal

import pytest
from django.apps import apps

from kinerja.monitoring.models import (
    IndicatorRealisation,
    Narrative,
    QuarterSubmission,
    Realisation,
    ReportingPeriod,
)
from kinerja.planning.models import (
    ActionPlan,
    AgreementLine,
    AgreementTarget,
    Indicator,
    IndicatorTarget,
    WorkItem,
)
from kinerja.planning.queries import name_key
from kinerja.seed import load_seed

from .conftest import SEED_TODAY

pytestmark = pytest.mark.django_db

LEVELS = ("program", "kegiatan", "sub_kegiatan")


def D(v):
    return None if v is None else Decimal(str(v))


def _appendix(seed):
    return [r for r in seed["lampiran_evaluasi_renja"]["rows"] if r["level"] in LEVELS]


def test_every_appendix_row_matches_columns_6_to_12(seed, agency):
    rows = _appendix(seed)
    items = list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))
    assert len(items) == len(rows) == 61
    realisations = {(r.work_item_id, r.quarter): r for r in Realisation.objects.all()}
    for row, item in zip(rows, items, strict=True):
        col6, col7, col8 = (row["col6_target_renstra_2021_2026"],
                            row["col7_realisasi_renstra_sd_2023"], row["col8_target_renja_2024"])  # fmt: skip
        got = {
            "code": item.code, "level": item.level,
            "parent": item.parent.code if item.parent else None,
            "6": (item.renstra_target_k, item.renstra_target_unit or None, item.renstra_target_rp),
            "7": (item.renstra_realised_k, item.renstra_realised_unit or None,
                  item.renstra_realised_rp),
            "8": (item.target_k, item.unit or None, item.budget_original),
        }  # fmt: skip
        expected = {
            # names: Tabel 2.4's spelling, not the appendix's (tests/test_seed_names.py)
            "code": row["code"], "level": row["level"],
            "parent": row["parent_code"] if row["level"] != "program" else None,
            "6": (D(col6["K"]), col6["K_unit"], D(col6["Rp"])),
            "7": (D(col7["K"]), col7["K_unit"], D(col7["Rp"])),
            "8": (D(col8["K"]), row.get("unit") or col8["K_unit"], D(col8["Rp"])),
        }  # fmt: skip
        assert got == expected, row["code"]
        tw1 = row["col9_realisasi_tw1"]
        k = Decimal(15) if row["code"] == "5.03.01" else D(tw1["K"])  # the seed's correction
        stored = realisations.get((item.pk, 1))
        if k is None and tw1["Rp"] is None:
            assert stored is None, row["code"]
        else:
            assert (stored.value_k, stored.value_rp) == (k, D(tw1["Rp"])), row["code"]
        # the 0s of TW II–IV in a TW I report are placeholders, never stored; the one row
        # printing values there (K 0,5 in TW III and IV) keeps them as printed
        later = {q: realisations[(item.pk, q)].value_k for q in (2, 3, 4)
                 if (item.pk, q) in realisations}  # fmt: skip
        printed = {3: Decimal("0.5"), 4: Decimal("0.5")} if row["code"] == "5.04.02.2.02" else {}
        assert later == printed, row["code"]


def test_the_unit_of_a_target_and_of_column_7_are_kept_apart(agency):
    item = WorkItem.objects.get(agency=agency, code="5.03.01.2.02.0000")
    assert (item.unit, item.renstra_realised_unit, item.target_k) == ("Orang/bulan", "Bulan", 73)


def test_the_tw3_and_tw4_values_of_a_tw1_report_are_stored_as_printed_with_a_note(agency):
    item = WorkItem.objects.get(agency=agency, code="5.04.02.2.02")
    assert item.note == (
        "Laporan TW I mencetak realisasi pada TW III K 0,5 dan TW IV K 0,5; nilai itu disimpan "
        "seperti tercetak sebagai realisasi triwulan tersebut dan tidak dihitung dalam laporan "
        "TW I."
    )
    assert list(
        item.realisations.order_by("quarter").values_list("quarter", "value_k", "note")
    ) == [
        (1, Decimal(0), ""),
        (3, Decimal("0.5"), "Tercetak pada laporan TW I 2024, sebelum triwulan ini tiba"),
        (4, Decimal("0.5"), "Tercetak pada laporan TW I 2024, sebelum triwulan ini tiba"),
    ]


def test_both_renstra_target_tables(seed, agency):
    for goal in seed["renstra"]["tujuan"]:
        entries = list(goal["indikator_tujuan"])
        for objective in goal["sasaran"]:
            entries += objective["indikator"]
        for entry in entries:
            indicator = Indicator.objects.get(plan__agency=agency, name=entry["indikator"])
            assert indicator.unit == entry["satuan"]
            stored = {t.year: (t.original, t.revised) for t in indicator.targets.all()}
            expected = {
                int(y): (D(entry["original"]["targets"].get(y)),
                         D(entry["revised"]["targets"].get(y)))
                for y in set(entry["original"]["targets"]) | set(entry["revised"]["targets"])
            }  # fmt: skip
            assert stored == expected, entry["indikator"]


def test_iku_sheet(seed, agency):
    for item in seed["iku"]["items"]:
        indicator = Indicator.objects.get(plan__agency=agency, name=item["indikator"])
        assert indicator.is_key
        assert (indicator.definition, indicator.formula, indicator.data_source) == (
            item["definisi_operasional_raw"],
            item["formulasi_raw"],
            item["sumber_data_raw"],
        )
        # a list of pairs, in the order the regulation gives them (PostgreSQL's jsonb would
        # reorder the keys of an object)
        assert indicator.weights == [
            [k, v] for k, v in item.get("dimension_weights_pct", {}).items()
        ]
        assert indicator.scale is not None
    assert Indicator.objects.filter(plan__agency=agency, is_key=True).count() == 4


def test_pk_tabel_2_3_and_2_4(seed, agency):
    pk = seed["perjanjian_kinerja"]
    targets = list(AgreementTarget.objects.filter(agreement__agency=agency).order_by("position"))
    assert [(t.objective_text, t.indicator_text, t.target) for t in targets] == [
        (r["sasaran_strategis"], r["indikator"], D(r["target"]))
        for r in pk["tabel_2_3_pk_kepala_bkpsdm_2024"]["rows"]
    ]
    assert all(t.indicator is not None for t in targets)
    lines = list(AgreementLine.objects.filter(agreement__agency=agency).order_by("position"))
    assert [(ln.level, ln.name, ln.indicator_text, ln.target, ln.target_unit or None, ln.budget)
            for ln in lines] == [
        (r["level"], r["name"], r["indicator"], D(r["target_value"]), r["target_unit"],
         D(r["pagu"]))
        for r in pk["tabel_2_4_program_kegiatan_sub"]
    ]  # fmt: skip
    # every PK line stands for a Renja item of its level, and every pagu agrees
    assert all(ln.work_item and ln.work_item.level == ln.level for ln in lines)
    assert all(ln.budget == ln.work_item.budget_original for ln in lines)
    assert len({ln.work_item_id for ln in lines}) == 61


def test_tabel_3_1_realisations_as_entered(seed, agency):
    for row in seed["iku_achievement_tabel_3_1"]["rows"]:
        indicator = Indicator.objects.get(plan__agency=agency, name=row["indikator"])
        stored = IndicatorRealisation.objects.get(indicator=indicator, year=2024, quarter=1)
        assert stored.value == D(row["realisasi"]), row["indikator"]
        assert IndicatorTarget.objects.get(indicator=indicator, year=2024).current == D(
            row["target"]
        )
    ip_asn = IndicatorRealisation.objects.get(indicator__name="Persentase Capaian Kinerja "
                                              "Perangkat Daerah")  # fmt: skip
    assert ip_asn.value == 18


def test_tabel_3_2_budget(seed, agency):
    rows = [r for r in seed["budget_realisation_tabel_3_2"]["rows"] if r.get("program")]
    programs = {name_key(i.name): i for i in WorkItem.objects.filter(level="program")}
    for row in rows:
        item = programs[name_key(row["program"])]
        assert item.budget == D(row["pagu"])
        assert ActionPlan.objects.get(work_item=item, quarter=1).cash_plan == D(row["rencana_tw1"])
        assert Realisation.objects.get(work_item=item, quarter=1).value_rp == D(
            row["realisasi_tw1"]
        )


def test_tabel_3_3_3_4_factors_and_recommendations(seed, agency):
    factors = seed["factors"]
    for row in factors["tabel_3_3_by_indikator_sasaran"]:
        name = row["indikator"].replace("Percentase", "Persentase")  # the seed's typo
        stored = Narrative.objects.filter(indicator__name=name, kind="supporting")
        assert [n.text for n in stored.order_by("position")] == row["faktor_pendukung"]
    programs = {name_key(i.name): i for i in WorkItem.objects.filter(level="program")}
    for row in factors["tabel_3_4_by_program"]:
        stored = Narrative.objects.filter(work_item=programs[name_key(row["program"])],
                                          kind="supporting")  # fmt: skip
        assert [n.text for n in stored.order_by("position")] == row["faktor_pendukung"]
    inhibiting = Narrative.objects.filter(kind="inhibiting").values_list("text", flat=True)
    assert list(inhibiting) == ["Kebijakan Pengembangan kompetensi yang masih terbatas."]
    recommendations = Narrative.objects.filter(kind="recommendation").order_by("position")
    assert [n.text for n in recommendations] == [r["text"] for r in seed["recommendations_3_4"]]


def test_tw1_is_approved_and_tw2_is_open_as_draft(agency):
    states = dict(QuarterSubmission.objects.filter(agency=agency, year=2024)
                  .values_list("quarter", "status"))  # fmt: skip
    assert states == {1: "approved", 2: "draft"}
    period = ReportingPeriod.objects.get(year=2024, quarter=2)
    assert (period.opens_on, (period.closes_on - period.opens_on).days) == (SEED_TODAY, 30)
    approved = QuarterSubmission.objects.get(agency=agency, quarter=1)
    assert [e.to_status for e in approved.events.all()] == ["submitted", "verified", "approved"]


def _snapshot():
    """Every row of every Kinerja table, history tables included, as plain values."""
    out = {}
    for model in apps.get_models():
        if model._meta.app_label in ("planning", "monitoring", "accounts"):
            out[model._meta.label] = sorted(
                (tuple(sorted((k, str(v)) for k, v in row.items()))
                 for row in model._default_manager.values()),
            )  # fmt: skip
    return out


def test_a_second_load_changes_nothing_history_included(agency):
    before = _snapshot()
    assert sum(len(rows) for rows in before.values()) > 400
    assert len(before["planning.HistoricalWorkItem"]) == 61
    report = load_seed(today=SEED_TODAY.replace(day=20))  # even on another day
    assert (report.created, report.changed) == (0, 0)
    assert _snapshot() == before


def test_program_rows_serve_the_sasaran_the_seed_prints_beside_them(seed, agency):
    served = {
        i.code: i.objective.code if i.objective else None
        for i in WorkItem.objects.filter(agency=agency, level="program").select_related("objective")
    }
    assert served == {"5.03.01": "2.1", "5.03.02": "1.1", "5.04.02": None}
