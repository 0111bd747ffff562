"""The PK built from the Renja and the IKU: the seed's PK for the IKU, a line per Renja item
with its pagu, signatories from last year's PK; updating never changes what the PK holds."""

from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.planning import renstra_edit as edit
from kinerja.planning.models import AgreementLine, PerformanceAgreement, Signatory, WorkItem

pytestmark = pytest.mark.django_db


def _seed_pk(agency):
    pk = PerformanceAgreement.objects.get(agency=agency, year=2024)
    targets = [(t.indicator_id, t.target) for t in pk.targets.order_by("position")]
    lines = {line.work_item_id: (line.budget, line.context_indicator_id)
             for line in pk.lines.all()}  # fmt: skip
    return pk, targets, lines


def test_the_pk_built_from_renja_and_iku_matches_the_seed_pk(client, demo_users, agency):
    pk, targets, lines = _seed_pk(agency)
    pk.delete()
    client.force_login(demo_users["operator"])
    response = client.post(reverse("planning:pk_build", args=[agency.slug, 2024]))
    assert response.status_code == 200
    assert "Perjanjian Kinerja 2024 disusun" in response.content.decode()
    built = PerformanceAgreement.objects.get(agency=agency, year=2024)
    assert [(t.indicator_id, t.target) for t in built.targets.order_by("position")] == targets
    items = list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))
    got = {line.work_item_id: (line.budget, line.context_indicator_id)
           for line in built.lines.all()}  # fmt: skip
    assert {k: v[0] for k, v in got.items()} == {k: v[0] for k, v in lines.items()}  # pagu
    # the tujuan/sasaran indicator beside each line, as the seed's PK prints it, wherever the
    # item's program is linked to a sasaran; the seed leaves Program Pengembangan SDM without
    # one, so nothing tells which indicator its lines serve and they are left without
    unlinked = {i.pk for i in items if i.code.startswith("5.04.02")}
    assert {k: v[1] for k, v in got.items() if k not in unlinked} == {
        k: v[1] for k, v in lines.items() if k not in unlinked}  # fmt: skip
    assert {got[k][1] for k in unlinked} == {None} and len(unlinked) == 7
    first = built.lines.order_by("position").first()
    assert (first.work_item, first.target, first.target_unit, first.name) == (
        items[0], items[0].target_k, items[0].unit, items[0].name)  # fmt: skip
    sub = built.lines.get(work_item__code="5.03.02.2.02.0002")
    assert sub.name == "Sub Kegiatan Pengelolaan Kenaikan Pangkat ASN" and sub.target == 1700
    signers = {s.party: (s.title, s.name) for s in built.signatories.all()}
    assert signers[Signatory.Party.FIRST][1] == "" and signers[Signatory.Party.SECOND][1] == ""
    again = edit.build_agreement(user=demo_users["operator"], agency=agency, year=2024)
    assert not again.changed and again.differences == []
    assert built.lines.count() == len(items)


def test_updating_an_existing_pk_adds_what_is_missing_and_lists_differences(demo_users, agency):
    pk, targets, _lines = _seed_pk(agency)
    before = list(AgreementLine.objects.filter(agreement=pk).order_by("position")
                  .values_list("name", "target", "budget"))  # fmt: skip
    result = edit.build_agreement(user=demo_users["operator"], agency=agency, year=2024)
    assert not result.created and result.added_lines == [] and result.added_targets == []
    assert any("5.03.02 Program Kepegawaian Daerah: PK target 55" in d and "Renja target 70" in d
               for d in result.differences)  # fmt: skip
    assert list(AgreementLine.objects.filter(agreement=pk).order_by("position")
                .values_list("name", "target", "budget")) == before  # fmt: skip
    item = WorkItem.objects.get(agency=agency, year=2024, code="5.04.02.2.02.0008")
    AgreementLine.objects.filter(work_item=item).delete()
    result = edit.build_agreement(user=demo_users["operator"], agency=agency, year=2024)
    assert result.added_lines == [f"{item.code} {item.name}"]
    assert (
        edit.build_agreement(user=demo_users["operator"], agency=agency, year=2024).changed is False
    )


def test_next_years_pk_takes_its_signatories_from_this_years(demo_users, agency):
    from kinerja.planning.rollover import rollover

    rollover(agency, 2025, dry_run=False)
    result = edit.build_agreement(user=demo_users["operator"], agency=agency, year=2025)
    built = result.agreement
    names = {s.party: s.name for s in built.signatories.all()}
    assert names == {"first": "Nama Kepala BKPSDM (contoh)", "second": "Nama Bupati (contoh)"}
    merit = built.targets.get(indicator__name="Indeks Penilaian Sistem Merit")
    assert merit.target == Decimal("0.6")  # the 2025 target in force
    program = built.lines.get(work_item__code="5.03.02", level="program")
    assert program.context_indicator.name == "Indeks Profesionalitas ASN"
    assert program.budget is None  # the pagu is the user's to fill


def test_only_the_agencys_editors_build_its_pk(client, demo_users, agency):
    PerformanceAgreement.objects.filter(agency=agency, year=2024).delete()
    client.force_login(demo_users["verifikator"])
    assert client.post(reverse("planning:pk_build", args=[agency.slug, 2024])).status_code == 403
    assert not PerformanceAgreement.objects.filter(agency=agency, year=2024).exists()
    page = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    assert "Susun PK dari Renja dan IKU" not in page
    client.force_login(demo_users["operator"])
    page = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    assert "Susun PK dari Renja dan IKU" in page
    with pytest.raises(edit.PlanRefused, match="Renja 2030 belum berisi"):
        edit.build_agreement(user=demo_users["operator"], agency=agency, year=2030)
