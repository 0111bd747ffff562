"""The Renstra editor and the IKU sheet: a new agency builds its Renstra through the screens;
after a quarter of a year is approved a change of that year's target is a revision beside the
original; what other records use cannot be removed; weights sum to 100; only the agency's
operator (or its pemda's admin) writes; two people editing at once do not lose an update."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.planning import renstra_edit as edit
from kinerja.planning.items import Revision
from kinerja.planning.models import (
    Goal,
    Indicator,
    IndicatorTarget,
    Objective,
    Scale,
    StrategicPlan,
)

pytestmark = pytest.mark.django_db


def _text(response):
    return response.content.decode()


def _new_plan(client, agency, start=2027, end=2031):
    return client.post(reverse("planning:renstra_new", args=[agency.slug]),
                       {"start_year": start, "end_year": end, "reason": ""})  # fmt: skip


def test_an_operator_builds_a_renstra_with_yearly_targets_through_the_screens(client, demo_users,
                                                                             agency):  # fmt: skip
    client.force_login(demo_users["operator"])
    response = _new_plan(client, agency)
    plan = StrategicPlan.objects.get(agency=agency, start_year=2027)
    assert plan.end_year == 2031
    assert response.status_code == 302
    url = reverse("planning:goal_add", args=[agency.slug, plan.pk])
    client.post(url, {"ng-number": "1", "ng-text": "Meningkatnya tata kelola kepegawaian"})
    goal = Goal.objects.get(plan=plan)
    client.post(reverse("planning:objective_add", args=[agency.slug, plan.pk, goal.pk]),
                {f"no{goal.pk}-code": "1.1", f"no{goal.pk}-text": "Meningkatnya merit"})  # fmt: skip
    objective = Objective.objects.get(goal=goal)
    scale = Scale.objects.get(code="nilai_sakip")
    data = {"sasaran": objective.pk, "name": "Nilai SAKIP", "unit": "Nilai", "decimals": "2",
            "polarity": "higher", "aggregation": "last", "scale": scale.pk,
            "t2027": "89,95", "t2028": "90", "t2029": "1.250", "u2029": "1.300,5", "t2030": "",
            "t2031": "", "u2027": "", "u2028": "", "u2030": "", "u2031": "",
            "rev_reason": "Renstra baru"}  # fmt: skip
    response = client.post(reverse("planning:indicator_add", args=[agency.slug, plan.pk]), data)
    assert response.status_code == 302, _text(response)
    indicator = Indicator.objects.get(plan=plan)
    assert (indicator.objective, indicator.unit, indicator.decimals, indicator.scale) == (
        objective, "Nilai", 2, scale)  # fmt: skip
    targets = {t.year: (t.original, t.original_upper, t.revised) for t in indicator.targets.all()}
    assert targets == {2027: (Decimal("89.95"), None, None), 2028: (Decimal(90), None, None),
                       2029: (Decimal(1250), Decimal("1300.5"), None)}  # fmt: skip
    assert indicator.targets.get(year=2027).history.first().history_change_reason == "Renstra baru"
    page = _text(client.get(reverse("planning:renstra_edit", args=[agency.slug, plan.pk])))
    assert "89,95" in page and "1.250" in page and "Sasaran 1.1: Meningkatnya merit" in page


def test_a_period_that_overlaps_another_renstra_of_the_agency_is_refused(client, demo_users,
                                                                         agency):  # fmt: skip
    client.force_login(demo_users["operator"])
    response = _new_plan(client, agency, 2025, 2029)
    assert "bertumpang tindih dengan Renstra 2021–2026" in _text(response)
    assert not StrategicPlan.objects.filter(agency=agency, start_year=2025).exists()
    with pytest.raises(edit.PlanRefused, match="sebelum tahun awal"):
        edit.create_plan(user=demo_users["operator"], agency=agency, start_year=2031,
                         end_year=2027)  # fmt: skip


def _ip_asn():
    return Indicator.objects.get(name="Indeks Profesionalitas ASN")


def _targets_of(indicator):
    """The targets as the editor draws them: the one in force for the approved 2024, the
    original for the others."""
    return {t.year: edit.TargetInput(t.current if t.year == 2024 else t.original,
                                     t.revised_upper if t.year == 2024 else t.original_upper)
            for t in indicator.targets.all()}  # fmt: skip


def test_after_a_quarter_is_approved_a_target_change_is_a_revision_beside_the_original(demo_users):
    operator, indicator = demo_users["operator"], _ip_asn()
    fields = {"name": indicator.name, "unit": indicator.unit, "polarity": indicator.polarity,
              "aggregation": indicator.aggregation, "scale": indicator.scale}  # fmt: skip
    with pytest.raises(edit.PlanRefused, match="sudah memiliki triwulan yang disahkan"):
        edit.save_indicator(user=operator, plan=indicator.plan, indicator=indicator, **fields,
                            targets=_targets_of(indicator) | {2024: edit.TargetInput(Decimal(85))})  # fmt: skip
    assert IndicatorTarget.objects.get(indicator=indicator, year=2024).revised == 84
    revision = Revision(on=date(2024, 8, 1), reason="Hasil pengukuran KASN",
                        legal_basis="Perbup 12/2024")  # fmt: skip
    edit.save_indicator(user=operator, plan=indicator.plan, indicator=indicator, **fields,
                        targets=_targets_of(indicator) | {2024: edit.TargetInput(Decimal(85)),
                                                          2026: edit.TargetInput(Decimal(86))},
                        revision=revision)  # fmt: skip
    t2024 = IndicatorTarget.objects.get(indicator=indicator, year=2024)
    assert (t2024.original, t2024.revised, t2024.legal_basis) == (66, 85, "Perbup 12/2024")
    assert t2024.revised_on == date(2024, 8, 1)
    t2026 = IndicatorTarget.objects.get(indicator=indicator, year=2026)  # not approved: free
    assert (t2026.original, t2026.revised) == (86, 85)


def test_the_revision_through_the_page_shows_both_targets(client, demo_users):
    client.force_login(demo_users["operator"])
    indicator = _ip_asn()
    url = reverse("planning:indicator_edit", args=["bkpsdm-sumenep", indicator.plan.pk,
                                                   indicator.pk])  # fmt: skip
    page = _text(client.get(url))
    assert "Tanggal perubahan" in page and "Dasar hukum perubahan" in page
    data = {"name": indicator.name, "unit": "Nilai", "decimals": "", "polarity": "higher",
            "aggregation": "last", "scale": indicator.scale.pk}  # fmt: skip
    for t in indicator.targets.all():
        data[f"t{t.year}"] = str(t.current if t.year == 2024 else t.original)
        data[f"was-t{t.year}"] = data[f"t{t.year}"]
    data["t2024"] = "87"
    response = client.post(url, data | {"rev_reason": "Koreksi"})
    assert response.status_code == 200 and "Isi tanggal perubahan" in _text(response)
    response = client.post(url, data | {"rev_reason": "Koreksi", "rev_on": "2024-08-01",
                                        "rev_legal_basis": "Perbup 13/2024"})  # fmt: skip
    assert response.status_code == 302
    page = _text(client.get(reverse("planning:renstra", args=["bkpsdm-sumenep"])))
    t2024 = IndicatorTarget.objects.get(indicator=indicator, year=2024)
    assert (t2024.original, t2024.revised) == (66, 87)
    assert "Perbup 13/2024" in page


def test_what_realisations_renja_or_the_pk_use_cannot_be_removed(demo_users, agency):
    operator = demo_users["operator"]
    merit = Indicator.objects.get(name="Indeks Penilaian Sistem Merit")
    with pytest.raises(edit.PlanRefused, match="Perjanjian Kinerja 2024"):
        edit.remove_indicator(user=operator, indicator=merit, revision=Revision(
            on=date(2024, 8, 1), reason="x", legal_basis="y"))  # fmt: skip
    with pytest.raises(edit.PlanRefused, match="item Renja tahun 2024"):
        edit.remove_objective(user=operator, objective=merit.objective, revision=Revision(
            on=date(2024, 8, 1), reason="x", legal_basis="y"))  # fmt: skip
    from kinerja.monitoring.models import IndicatorRealisation

    ip = _ip_asn()
    assert IndicatorRealisation.objects.filter(indicator=ip, year=2024).exists()  # the seed's
    ip.agreementline_set.update(context_indicator=None)  # the PK no longer names it
    with pytest.raises(edit.PlanRefused, match="realisasi IKU tahun 2024"):
        edit.remove_indicator(user=operator, indicator=ip, revision=Revision(
            on=date(2024, 8, 1), reason="x", legal_basis="y"))  # fmt: skip
    assert Indicator.objects.filter(pk__in=[merit.pk, ip.pk]).count() == 2
    # one nobody uses goes, with its targets, and the history keeps the reason
    plan = edit.create_plan(user=operator, agency=agency, start_year=2027, end_year=2031)
    goal = edit.save_goal(user=operator, plan=plan, number=1, text="Tujuan")
    free = edit.save_indicator(user=operator, plan=plan, goal=goal, name="Indeks baru",
                               targets={2027: edit.TargetInput(Decimal(1))})  # fmt: skip
    pk = free.pk
    edit.remove_indicator(user=operator, indicator=free, reason="salah ketik")
    assert not Indicator.objects.filter(pk=pk).exists()
    gone = Indicator.history.filter(id=pk).order_by("-history_date").first()
    assert (gone.history_type, gone.history_change_reason) == ("-", "salah ketik")


def test_changing_the_seed_renstra_text_needs_a_revision_because_2024_is_approved(demo_users):
    goal = Goal.objects.get(number=1, plan__agency__slug="bkpsdm-sumenep")
    with pytest.raises(edit.PlanRefused, match="Tahun 2024 sudah memiliki"):
        edit.save_goal(user=demo_users["operator"], plan=goal.plan, goal=goal, number=1,
                       text="Teks lain")  # fmt: skip
    assert Goal.objects.get(pk=goal.pk).text != "Teks lain"


def test_iku_weights_must_sum_to_100(client, demo_users):
    client.force_login(demo_users["operator"])
    indicator = _ip_asn()
    url = reverse("planning:iku_edit", args=["bkpsdm-sumenep", 2024, indicator.pk])
    page = _text(client.get(url))
    assert "Kualifikasi: 25" in page
    data = {"is_key": "on", "definition": "Definisi", "formula": "Σ bobot × nilai",
            "data_source": "BKN", "unit": "Nilai", "scale": indicator.scale.pk,
            "rev_reason": "Lembar IKU 2024", "rev_on": "2024-08-01",
            "rev_legal_basis": "PermenPANRB 38/2018"}  # fmt: skip
    response = client.post(url, data | {"weights": "Kualifikasi: 25\nKompetensi: 40\nKinerja: 30"})
    assert "Jumlah bobot dimensi/aspek harus 100 %, bukan 95 %." in _text(response)
    assert Indicator.objects.get(pk=indicator.pk).weights[0] == ["Kualifikasi", 25]
    response = client.post(url, data | {"weights": "Kualifikasi: 20\nKompetensi 45 %\nKinerja = 30\n"
                                                   "Disiplin: 5"})  # fmt: skip
    assert response.status_code == 302
    saved = Indicator.objects.get(pk=indicator.pk)
    assert saved.weights == [["Kualifikasi", 20], ["Kompetensi", 45], ["Kinerja", 30],
                             ["Disiplin", 5]]  # fmt: skip
    assert saved.history.first().history_change_reason.startswith("Revisi 01-08-2024")
    with pytest.raises(edit.PlanRefused, match="bilangan bulat"):
        edit.parse_weights("A: 50,5\nB: 49,5")


def test_readers_read_and_only_the_operator_or_the_pemda_admin_write(client, demo_users, agency):
    plan = StrategicPlan.objects.get(agency=agency)
    client.force_login(demo_users["verifikator"])
    page = _text(client.get(reverse("planning:renstra_edit", args=[agency.slug, plan.pk])))
    assert "Indeks Profesionalitas ASN" in page and "Tambah tujuan" not in page
    assert _new_plan(client, agency).status_code == 403
    response = client.post(reverse("planning:goal_add", args=[agency.slug, plan.pk]),
                           {"ng-number": "3", "ng-text": "x"})  # fmt: skip
    assert response.status_code == 403
    assert client.get(reverse("planning:rollover", args=[agency.slug, 2025])).status_code == 403
    assert "Renstra baru" not in _text(client.get(reverse("planning:renstra", args=[agency.slug])))
    client.force_login(demo_users["admin"])  # the pemda's admin may act for the agency
    assert _new_plan(client, agency).status_code == 302
    assert StrategicPlan.objects.filter(agency=agency, start_year=2027).exists()


def test_two_people_editing_one_goal_at_once_lose_nothing(client, demo_users, agency):
    operator = demo_users["operator"]
    plan = edit.create_plan(user=operator, agency=agency, start_year=2027, end_year=2031)
    goal = edit.save_goal(user=operator, plan=plan, number=1, text="Teks awal")
    client.force_login(operator)
    url = reverse("planning:goal_save", args=[agency.slug, plan.pk, goal.pk])
    p = f"g{goal.pk}-"
    drawn = {f"was-{p}number": "1", f"was-{p}text": "Teks awal", "was-number": "1",
             "was-text": "Teks awal"}  # fmt: skip
    first = client.post(url, {f"{p}number": "1", f"{p}text": "Teks Ani"} | drawn)
    assert first.status_code == 302
    second = client.post(url, {f"{p}number": "1", f"{p}text": "Teks Budi"} | drawn)
    assert second.status_code == 409
    assert "telah diubah orang lain" in _text(second) and "Teks Ani" in _text(second)
    assert Goal.objects.get(pk=goal.pk).text == "Teks Ani"
    # the number nobody touched is never written back
    third = client.post(url, {f"{p}number": "2", f"{p}text": "Teks Ani"} | drawn
                        | {"was-text": "Teks Ani"})  # fmt: skip
    assert third.status_code == 302
    assert (Goal.objects.get(pk=goal.pk).number, Goal.objects.get(pk=goal.pk).text) == (
        2,
        "Teks Ani",
    )
