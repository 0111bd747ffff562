"""The planning pages: what a reader sees, what the operator may change through them, and
a fixed number of queries whatever the number of rows."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kinerja.monitoring.history import changes_of
from kinerja.planning.models import (
    ActionPlan,
    Agency,
    AgreementLine,
    AgreementTarget,
    Goal,
    Indicator,
    IndicatorTarget,
    Objective,
    PerformanceAgreement,
    Scale,
    Signatory,
    StrategicPlan,
    WorkItem,
)

pytestmark = pytest.mark.django_db


def _row(page, row_id):
    """The cells' text of one table row, tags and surplus spaces removed."""
    match = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', page, re.S)
    assert match, row_id
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match[1], re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in cells]


def _ip_asn(year):
    return IndicatorTarget.objects.get(indicator__name="Indeks Profesionalitas ASN", year=year)


def _kepegawaian(agency):
    return WorkItem.objects.get(agency=agency, code="5.03.02", level="program")


def test_the_renstra_shows_the_original_and_the_revised_target_side_by_side(client, demo_users,
                                                                            agency):  # fmt: skip
    client.force_login(demo_users["pimpinan"])
    page = client.get(reverse("planning:renstra", args=[agency.slug])).content.decode()
    assert _row(page, f"target-{_ip_asn(2022).pk}")[:5] == [
        "Indeks Profesionalitas ASN IKU", "Nilai", "2022", "62", "62"]  # fmt: skip
    assert _row(page, f"target-{_ip_asn(2024).pk}")[:3] == ["2024", "66", "84"]
    assert "Tujuan 1: Terwujudnya Profesionalisme" in page
    assert "Revisi target" not in page  # a reader gets no forms


def test_revising_a_target_keeps_the_original_and_records_the_reason(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    target = _ip_asn(2025)
    response = client.post(reverse("planning:revise_target", args=[agency.slug, target.pk]),
                           {"value": "86,5", "upper": "", "on": "2024-09-01",
                            "reason": "Hasil evaluasi BKN 2024",
                            "legal_basis": "Keputusan Kepala BKPSDM No. 1/2024"})  # fmt: skip
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.original, target.revised, target.legal_basis) == (
        Decimal("68"), Decimal("86.5"), "Keputusan Kepala BKPSDM No. 1/2024")  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert "direvisi; target awal tetap tersimpan" in page
    row = _row(page, f"target-{target.pk}")
    assert row[:3] == ["2025", "68", "86,5"]
    assert row[3].startswith("1 September 2024 Hasil evaluasi BKN 2024 Dasar hukum: Keputusan")
    change = next(c for c in changes_of(target) if c.field == "revised")
    assert (change.old, change.new, change.user, change.reason) == (
        Decimal("84"), Decimal("86.5"), "operator", "Hasil evaluasi BKN 2024")  # fmt: skip


@pytest.mark.parametrize(("field", "value", "words"), [
    ("reason", "", "Bidang ini tidak boleh kosong"),
    ("legal_basis", " ", "Bidang ini tidak boleh kosong"),
    ("value", "1,905,955,200", "memakai format angka Inggris"),
    ("upper", "80", "Batas atas target tidak boleh lebih kecil"),
])  # fmt: skip
def test_a_revision_with_a_missing_or_malformed_field_changes_nothing(client, demo_users, agency,
                                                                     field, value, words):  # fmt: skip
    client.force_login(demo_users["operator"])
    target = _ip_asn(2025)
    data = {"value": "86", "upper": "", "on": "2024-09-01", "reason": "Hasil evaluasi",
            "legal_basis": "Keputusan Kepala BKPSDM", field: value}  # fmt: skip
    response = client.post(reverse("planning:revise_target", args=[agency.slug, target.pk]), data)
    page = response.content.decode()
    assert (response.status_code, words in page) == (200, True)
    assert "Revisi target belum disimpan" in page
    target.refresh_from_db()
    assert target.revised == Decimal("84")


def test_the_renja_shows_both_pagu_and_the_rencana_aksi(client, demo_users, agency):
    client.force_login(demo_users["verifikator"])
    page = client.get(reverse("planning:renja", args=[agency.slug, 2024])).content.decode()
    row = _row(page, f"item-{_kepegawaian(agency).pk}")
    assert row[:7] == ["5.03.02", "Program Kepegawaian Daerah",
                       "Persentase Pelaksanaan Manajemen Kepegawaian", "%", "70",
                       "1.905.955.200", "sama dengan murni"]  # fmt: skip
    assert [cell.split(" Ubah ")[0] for cell in row[7:]] == [
        "- Rp 758.058.000 riwayat", "belum ada", "belum ada", "belum ada"]  # fmt: skip


def test_a_malformed_pagu_is_explained_in_indonesian_and_changes_nothing(client, demo_users,
                                                                        agency):  # fmt: skip
    client.force_login(demo_users["operator"])
    item = _kepegawaian(agency)
    response = client.post(reverse("planning:revise_budget", args=[agency.slug, 2024, item.pk]),
                           {"amount": "1,905,955,200", "on": "2024-09-01",
                            "reason": "APBD Perubahan", "legal_basis": "Perda"})  # fmt: skip
    page = response.content.decode()
    assert "«1,905,955,200» memakai format angka Inggris" in page
    assert 'value="1,905,955,200"' in page  # what was typed stays in the field
    item.refresh_from_db()
    assert item.budget_revised is None


def test_revising_a_pagu_through_the_page(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    item = _kepegawaian(agency)
    url = reverse("planning:revise_budget", args=[agency.slug, 2024, item.pk])
    assert client.post(url, {"amount": "2.000.000.000", "on": "2024-09-01", "reason": "",
                             "legal_basis": "Perda"}).status_code == 200  # fmt: skip
    assert client.post(url, {"amount": "2.000.000.000", "on": "2024-09-01",
                             "reason": "APBD Perubahan 2024"}).status_code == 200  # fmt: skip
    item.refresh_from_db()
    assert item.budget_revised is None  # no legal basis: nothing saved
    response = client.post(url, {"amount": "2.000.000.000", "on": "2024-09-01",
                                 "reason": "APBD Perubahan 2024",
                                 "legal_basis": "Perda Nomor 5 Tahun 2024"})  # fmt: skip
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.budget_original, item.budget_revised) == (Decimal("1905955200"),
                                                           Decimal("2000000000"))  # fmt: skip
    row = _row(client.get(response["Location"]).content.decode(), f"item-{item.pk}")
    assert row[5] == "1.905.955.200"
    assert row[6].startswith("2.000.000.000 1 September 2024 APBD Perubahan 2024 "
                             "Dasar hukum: Perda Nomor 5 Tahun 2024 riwayat")  # fmt: skip


def test_the_rencana_aksi_of_a_quarter_is_saved_with_its_reason(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    item = _kepegawaian(agency)
    url = reverse("planning:action_plan", args=[agency.slug, 2024, item.pk, 2])
    # 2024 has an approved quarter: each change is a revision (tests/planning/
    # test_renja_page_revision.py has the refusal without one)
    basis = {"revision_on": "2024-09-02", "revision_legal_basis": "Perda 9/2024"}
    response = client.post(url, {"target_k": "35,5", "cash_plan": "500.000.000",
                                 "revision_reason": "Rencana awal", **basis})  # fmt: skip
    assert response.status_code == 302
    response = client.post(url, {"target_k": "40", "cash_plan": "500.000.000",
                                 "revision_reason": "Jadwal diklat dimajukan", **basis})  # fmt: skip
    plan = ActionPlan.objects.get(work_item=item, quarter=2)
    assert (plan.target_k, plan.cash_plan) == (Decimal("40"), Decimal("500000000"))
    assert [(c.field, c.old, c.new, c.reason) for c in changes_of(plan)][0] == (
        "target_k", Decimal("35.5"), Decimal("40"),
        "Revisi 02-09-2024: Jadwal diklat dimajukan (dasar hukum: Perda 9/2024)")  # fmt: skip
    page = client.get(response["Location"]).content.decode()
    assert _row(page, f"item-{item.pk}")[8].startswith("40 Rp 500.000.000")


def test_a_malformed_cash_plan_is_refused(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    item = _kepegawaian(agency)
    url = reverse("planning:action_plan", args=[agency.slug, 2024, item.pk, 3])
    page = client.post(url, {"target_k": "1", "cash_plan": "-5"}).content.decode()
    assert "nilai rupiah tidak boleh negatif" in page
    assert ActionPlan.objects.filter(work_item=item, quarter=3).count() == 0


def test_the_iku_sheet_shows_definitions_weights_and_scale(client, demo_users, agency):
    client.force_login(demo_users["evaluator"])
    page = client.get(reverse("planning:iku", args=[agency.slug, 2024])).content.decode()
    assert re.findall(r"<h3>(.*?)</h3>", page) == [
        "Indeks Profesionalitas ASN", "Indeks Penilaian Sistem Merit",
        "Nilai SAKIP Perangkat Daerah", "Persentase Capaian Kinerja Perangkat Daerah"]  # fmt: skip
    assert "Indeks Profesionalitas ASN (IP ASN) adal" in page
    assert "Kompetensi: 40 %" in page
    assert "awal 66 — perubahan <strong>84</strong>" in page
    assert "rata-rata capaian program" in page


def test_the_pk_shows_its_lines_beside_the_renja(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    page = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    first = re.search(r'<tr class="level-program( differs)?">(.*?)</tr>', page, re.S)
    cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split())
             for c in re.findall(r"<td[^>]*>(.*?)</td>", first[2], re.S)]  # fmt: skip
    assert (first[1], cells[0], cells[2:]) == (
        " differs", "Program Kepegawaian Daerah",
        ["55", "", "1.905.955.200", "70", "%", "1.905.955.200"])  # fmt: skip
    assert "Bupati Sumenep" in page
    assert "Ubah penanda tangan" not in page


def test_the_operator_names_a_signatory(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    signer = Signatory.objects.get(agreement__agency=agency, party="first")
    response = client.post(reverse("planning:signatory", args=[agency.slug, 2024, signer.pk]),
                           {"name": "Drs. Contoh", "nip": "19700101 199001 1 001",
                            "rank": "Pembina Utama Muda (IV/c)", "acting": "Plt"})  # fmt: skip
    assert response.status_code == 302
    signer.refresh_from_db()
    assert (signer.name, signer.nip, signer.acting) == ("Drs. Contoh", "197001011990011001",
                                                        "Plt")  # fmt: skip


def test_an_operator_of_another_agency_can_neither_read_nor_revise(client, demo_users, agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Lain",
                                  abbreviation="DL", slug="dinas-lain")  # fmt: skip
    client.force_login(demo_users["operator"])
    assert client.get(reverse("planning:renstra", args=[other.slug])).status_code == 403
    target = _ip_asn(2025)
    url = reverse("planning:revise_target", args=[other.slug, target.pk])
    assert client.post(url, {"value": "1", "on": "2024-09-01", "reason": "x",
                             "legal_basis": "y"}).status_code == 403  # fmt: skip
    target.refresh_from_db()
    assert target.revised == Decimal("84")


# ---- a fixed number of queries at 3 and at 60 rows ------------------------------------------


def _agency_with(agency, n):
    """A separate agency of the same pemda with n rows in every planning table."""
    other = Agency.objects.create(government=agency.government, name=f"Dinas {n}",
                                  abbreviation=f"D{n}", slug=f"dinas-{n}")  # fmt: skip
    plan = StrategicPlan.objects.create(agency=other, start_year=2024, end_year=2026)
    goal = Goal.objects.create(plan=plan, number=1, text="Tujuan")
    objective = Objective.objects.create(goal=goal, code="1.1", text="Sasaran")
    scale = Scale.objects.first()
    agreement = PerformanceAgreement.objects.create(agency=other, year=2024)
    for party in ("first", "second"):
        Signatory.objects.create(agreement=agreement, party=party, title="Kepala")
    for i in range(1, n + 1):
        indicator = Indicator.objects.create(plan=plan, objective=objective if i % 2 else None,
                                             goal=goal, position=i, name=f"Indikator {i}",
                                             is_key=True, scale=scale, weights=[["A", 50]])  # fmt: skip
        for year in (2024, 2025):
            IndicatorTarget.objects.create(indicator=indicator, year=year, original=i, revised=i)
        item = WorkItem.objects.create(agency=other, year=2024, position=i, level="program",
                                       code=f"1.{i}", name=f"Program {i}", target_k=i,
                                       budget_original=1000 * i)  # fmt: skip
        for quarter in (1, 2):
            ActionPlan.objects.create(work_item=item, quarter=quarter, target_k=1, cash_plan=10)
        AgreementLine.objects.create(agreement=agreement, position=i, level="program",
                                     name=f"Program {i}", indicator_text="x", target=i,
                                     budget=1000 * i, work_item=item)  # fmt: skip
        AgreementTarget.objects.create(agreement=agreement, position=i, objective_text="S",
                                       indicator=indicator, indicator_text=f"Indikator {i}",
                                       target=i)  # fmt: skip
    return other


@pytest.mark.parametrize("name", ["renstra", "renja", "iku", "pk"])
@pytest.mark.parametrize("role", ["evaluator", "operator"])
def test_each_page_issues_as_many_queries_for_3_as_for_60_rows(client, demo_users, agency,
                                                               name, role):  # fmt: skip
    counts = []
    for n in (3, 60):
        other = _agency_with(agency, n)
        demo_users["operator"].profile.agency = other  # the operator sees its forms
        demo_users["operator"].profile.save()
        client.force_login(demo_users[role])
        url = reverse(f"planning:{name}", args=[other.slug] + ([] if name == "renstra" else [2024]))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert f"Program {n}" in response.content.decode() or name in ("renstra", "iku")
        counts.append(len(queries))
    assert counts[0] == counts[1]
