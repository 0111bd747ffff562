"""The quarterly report's data, as the database and the core make it (no renderer)."""

from decimal import Decimal

import pytest

from kinerja.core.numbers import format_number, format_percent

pytestmark = pytest.mark.django_db


def test_tabel_3_1_holds_every_iku_as_entered_with_capaian_and_both_categories(quarterly_report):
    rows = [
        (a.indicator, format_number(a.target), format_number(a.realisation),
         format_percent(a.achievement), a.rating, a.value_category)
        for a in quarterly_report.achievements
    ]  # fmt: skip
    assert rows == [
        ("Indeks Profesionalitas ASN", "84", "59", "70,24 %", "Sedang", "Sangat Rendah"),
        ("Indeks Penilaian Sistem Merit", "0,7", "-", "-", None, None),
        ("Nilai SAKIP Perangkat Daerah", "89,95", "-", "-", None, None),
        ("Persentase Capaian Kinerja Perangkat Daerah", "96", "18", "18,75 %", "Sangat Rendah",
         "Sangat Rendah"),
    ]  # fmt: skip
    iku4 = quarterly_report.achievements[3]
    assert format_percent(iku4.derived_value) == "19,55 %"  # the form's program mean beside 18
    assert iku4.derived_rule == "rata-rata kolom 14 baris program"


def test_the_paragraphs_are_written_from_the_figures(quarterly_report):
    paragraphs = [a.paragraph for a in quarterly_report.achievements]
    assert paragraphs[0] == (
        "Indikator Kinerja Indeks Profesionalitas ASN tahun 2024 ditetapkan 84 dan terealisasi 59 "
        "dengan capaian 70,24 % (Sedang). Realisasi ini merupakan hasil pengukuran sementara di "
        "dalam Sistem Informasi ASN BKN per 31 Maret 2024."
    )
    assert paragraphs[1] == (
        "Indikator Kinerja Indeks Penilaian Sistem Merit tahun 2024 ditetapkan 0,70 dan belum "
        "terealisasi karena masih belum dilakukan Penilaian oleh Komisi Aparatur Sipil Negara."
    )


def test_tabel_3_2_shows_percent_of_cash_plan_and_of_pagu(quarterly_report):
    got = [(b.program, format_number(b.pct_of_plan, 2), format_number(b.pct_of_budget, 2))
           for b in quarterly_report.budget]  # fmt: skip
    assert got == [
        ("Program Penunjang Urusan Pemerintahan Daerah Kabupaten / Kota", "51,41", "14,04"),
        ("Program Kepegawaian Daerah", "7,82", "3,11"),
        ("Program Pengembangan Sumber Daya Manusia", "13,63", "3,11"),
        ("Jumlah total", "40,64", "11,80"),  # the seed printed 40 (truncated)
    ]
    total = quarterly_report.budget[-1]
    assert (total.budget, total.cash_plan, total.realised) == (
        Decimal("12233732131"), Decimal("3551016300"), Decimal("1443040145"))  # fmt: skip
    assert quarterly_report.budget_basis == "TW I"


def test_renstra_targets_original_and_revised_side_by_side(quarterly_report):
    ip_asn = next(
        t for t in quarterly_report.targets if t.indicator == "Indeks Profesionalitas ASN"
    )
    assert dict(ip_asn.original)[2024] == 66 and dict(ip_asn.revised)[2024] == 84
    assert quarterly_report.target_years == (2022, 2023, 2024, 2025, 2026)


def test_charts_are_drawn_once_in_both_formats(quarterly_report):
    assert [c.title for c in quarterly_report.charts] == [
        "Capaian kinerja program Triwulan I 2024",
        "Penyerapan anggaran per triwulan 2024",
    ]
    for chart in quarterly_report.charts:
        assert chart.png.startswith(b"\x89PNG") and b"<svg" in chart.svg
    assert "Program Kepegawaian Daerah: 21,43 %" in quarterly_report.charts[0].description


def test_findings_of_the_form_and_of_the_database(quarterly_report):
    rules = [f.rule for f in quarterly_report.findings]
    assert rules.count("pk-differs-from-renja") == 10
    assert rules.count("renstra-budget-exceeded") == 3
    assert "revised-target-backwards" in rules


def test_the_pk_document(agreement_report):
    assert [(t.indicator, format_number(t.target)) for t in agreement_report.targets] == [
        ("Indeks Penilaian Sistem Merit", "0,7"),
        ("Presentase Capaian Kinerja Perangkat Daerah", "96"),
    ]
    assert format_number(agreement_report.total_budget) == "12.233.732.131"
    assert agreement_report.second_party.title == "Bupati Sumenep"


def test_only_a_level_indicator_carries_an_earlier_quarters_value_into_a_draft(agency):
    """TW II has no IKU values: an indicator measured as a level (aggregation last, all four
    of the seed's) shows TW I's value labelled with its date; one that adds up per quarter
    (sum) is not realised in TW II, whatever TW I held."""
    import dataclasses

    from kinerja.core.evaluation import evaluate_form
    from kinerja.monitoring.queries import form_from_input
    from kinerja.record.capture import from_json, to_json
    from kinerja.record.snapshots import quarter_input
    from kinerja.reporting.build_laporan import iku_achievements

    inp = quarter_input(agency, year=2024, quarter=2)
    evaluation = evaluate_form(form_from_input(inp))
    carried = iku_achievements(inp, evaluation)[0]
    assert (carried.realisation, carried.as_of) == (
        Decimal("59"), "nilai per 31 Maret 2024 (triwulan I)")  # fmt: skip

    ip_asn = inp.indicators[0]
    summed = dataclasses.replace(inp, indicators=(
        dataclasses.replace(ip_asn, aggregation="sum"), *inp.indicators[1:]))  # fmt: skip
    own = iku_achievements(summed, evaluation)[0]
    assert (own.realisation, own.achievement, own.as_of) == (None, None, "")
    # "last" is the default and stays out of the frozen JSON; another aggregation is kept
    assert "aggregation" not in to_json(inp)["indicators"][0]
    assert from_json(to_json(summed)).indicators[0].aggregation == "sum"


def test_the_budget_chart_leaves_a_missing_cash_plan_unknown(agency):
    """A quarter whose programs have no cash plan: the plan s.d. that quarter is "-" in the
    chart's text and no bar, never Rp 0 (missing is not zero); realisation still shows."""
    import dataclasses

    from kinerja.record.snapshots import quarter_input
    from kinerja.reporting.build_laporan import _budget_chart

    inp = quarter_input(agency, year=2024, quarter=2)
    tw1 = next(v for item in inp.items if item.level == "program" for v in item.quarters
               if v.quarter == 1 and v.value_rp is not None)  # fmt: skip
    assert tw1 is not None
    # give every program a TW II realisation and no TW II cash plan
    items = []
    for item in inp.items:
        if item.level == "program":
            quarters = [dataclasses.replace(v, cash_plan=None, value_rp=Decimal(1000))
                        if v.quarter == 2 else v for v in item.quarters]  # fmt: skip
            if not any(v.quarter == 2 for v in quarters):
                quarters.append(dataclasses.replace(item.quarters[0], quarter=2, cash_plan=None,
                                                    value_rp=Decimal(1000)))  # fmt: skip
            item = dataclasses.replace(item, quarters=tuple(quarters))
        items.append(item)
    chart = _budget_chart(dataclasses.replace(inp, items=tuple(items)))
    tw1_text, tw2_text = chart.description.split("; ")
    assert tw1_text.startswith("TW I: realisasi Rp ") and "dari rencana Rp " in tw1_text
    assert tw2_text.startswith("TW II: realisasi Rp ") and tw2_text.endswith("dari rencana -")
