"""History pages of IKU realisations, narratives, rencana aksi and signatories: who, when,
old → new in Indonesian numbers, why; linked from where the values are shown."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.monitoring.models import QuarterSubmission
from kinerja.planning.models import ActionPlan, Agency, Indicator, Signatory

from ..conftest import SEED_TODAY

pytestmark = pytest.mark.django_db
ROW = re.compile(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>\s*"
                 r"<td class=\"num\">([^<]*)</td><td class=\"num\">([^<]*)</td>\s*"
                 r"<td>([^<]*)</td></tr>")  # fmt: skip


def _rows(client, agency, kind, pk):
    page = client.get(reverse("web:history", args=[agency.slug, kind, pk]))
    assert page.status_code == 200
    return ROW.findall(page.content.decode())


def _returned(agency):
    QuarterSubmission.objects.update_or_create(agency=agency, year=2024, quarter=2,
                                               defaults={"status": "returned"})  # fmt: skip


def test_an_iku_realisation_history_shows_who_old_new_and_why(client, demo_users, agency):
    from kinerja.monitoring.domain import record_indicator_realisation

    indicator = Indicator.objects.filter(plan__agency=agency, is_key=True).first()
    operator = demo_users["operator"]
    record_indicator_realisation(user=operator, indicator=indicator, year=2024, quarter=2,
                                 value=Decimal("1234.5"), today=SEED_TODAY)  # fmt: skip
    _returned(agency)
    row = record_indicator_realisation(user=operator, indicator=indicator, year=2024, quarter=2,
                                       value=Decimal("1905955200"), reason="Data BKN",
                                       today=SEED_TODAY)  # fmt: skip
    client.force_login(demo_users["verifikator"])
    assert _rows(client, agency, "iku", row.pk) == [
        ("operator", "realisasi", "1.234,5", "1.905.955.200", "Data BKN"),
        ("operator", "realisasi", "-", "1.234,5", "Entri realisasi IKU"),
    ]


def test_a_narrative_history_shows_every_line_also_a_removed_one(client, demo_users, agency):
    from kinerja.monitoring.domain import save_narratives

    operator = demo_users["operator"]
    kept = save_narratives(user=operator, agency=agency, year=2024, quarter=2, kind="closing",
                           texts=["Satu.", "Dua."], today=SEED_TODAY)  # fmt: skip
    _returned(agency)
    save_narratives(user=operator, agency=agency, year=2024, quarter=2, kind="closing",
                    texts=["Satu saja."], reason="Diringkas", today=SEED_TODAY)  # fmt: skip
    client.force_login(demo_users["pimpinan"])
    assert sorted(_rows(client, agency, "narasi", kept[0].pk)) == sorted([
        ("operator", "butir 1: isi", "Satu.", "Satu saja.", "Diringkas"),
        ("operator", "butir 1: isi", "-", "Satu.", "Entri narasi"),
        ("operator", "butir 2: isi", "-", "Dua.", "Entri narasi"),
        ("operator", "butir 2: seluruh data", str(kept[1]), "(dihapus)", "Diringkas"),
    ])  # fmt: skip
    # the removed line's own address still answers
    assert len(_rows(client, agency, "narasi", kept[1].pk)) == 4


def test_an_action_plan_history_shows_the_old_and_new_cash_plan(client, demo_users, agency):
    from kinerja.planning.domain import set_action_plan

    plan = ActionPlan.objects.filter(work_item__agency=agency, cash_plan__isnull=False).first()
    old = plan.cash_plan
    from datetime import date

    from kinerja.planning.items import Revision

    # the demo's year has an approved quarter: the change is a revision
    set_action_plan(user=demo_users["operator"], work_item=plan.work_item, quarter=plan.quarter,
                    target_k=plan.target_k, cash_plan=Decimal("1905955200.5"),
                    revision=Revision(date(2024, 9, 2), "Geser ke TW III", "Perda 9/2024"))  # fmt: skip
    client.force_login(demo_users["evaluator"])
    from kinerja.core.numbers import format_number

    assert _rows(client, agency, "rencana-aksi", plan.pk)[0] == (
        "operator", "rencana anggaran kas", format_number(old), "1.905.955.200,5",
        "Revisi 02-09-2024: Geser ke TW III (dasar hukum: Perda 9/2024)")  # fmt: skip


def test_a_signatory_history_shows_labels_not_codes(client, demo_users, agency):
    from kinerja.planning.domain import set_signatory

    signer = Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party="first")
    set_signatory(user=demo_users["operator"], signatory=signer, name=signer.name,
                  nip=signer.nip, rank=signer.rank, acting="Plh", reason="Kepala cuti")  # fmt: skip
    client.force_login(demo_users["operator"])
    assert _rows(client, agency, "penanda-tangan", signer.pk)[0] == (
        "operator",
        "status",
        "definitif",
        "Pelaksana Harian (Plh)",
        "Kepala cuti",
    )


def test_an_unknown_kind_or_another_agencys_record_is_not_found(client, demo_users, agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Lain",
                                  abbreviation="DL", slug="dinas-lain")  # fmt: skip
    signer = Signatory.objects.filter(agreement__agency=agency).first()
    client.force_login(demo_users["verifikator"])
    codes = [client.get(reverse("web:history", args=[a.slug, kind, pk])).status_code
             for a, kind, pk in [(agency, "apa", signer.pk), (other, "penanda-tangan", signer.pk),
                                 (agency, "penanda-tangan", 10**9), (agency, "narasi", 10**9),
                                 (agency, "iku", 10**30)]]  # fmt: skip
    assert codes == [404, 404, 404, 404, 404]


def test_an_operator_of_another_agency_may_not_read_the_history(client, demo_users, agency):
    from django.contrib.auth import get_user_model

    from kinerja.accounts.models import Profile, Role

    other = Agency.objects.create(government=agency.government, name="Dinas Lain",
                                  abbreviation="DL", slug="dinas-lain")  # fmt: skip
    user = get_user_model().objects.create_user("op-lain", password="x")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    signer = Signatory.objects.filter(agreement__agency=agency).first()
    client.force_login(user)
    response = client.get(reverse("web:history", args=[agency.slug, "penanda-tangan", signer.pk]))
    assert response.status_code == 403


def _links(html: str, agency, kind: str) -> list[int]:
    pattern = rf'href="/pd/{agency.slug}/riwayat/{kind}/(\d+)/"'
    return sorted(int(pk) for pk in re.findall(pattern, html))


def test_the_pages_that_show_the_values_link_their_history(client, demo_users, agency):
    from kinerja.monitoring.models import IndicatorRealisation, Narrative

    client.force_login(demo_users["pimpinan"])
    iku = client.get(reverse("texts:iku", args=[agency.slug, 2024, 1])).content.decode()
    assert _links(iku, agency, "iku") == sorted(IndicatorRealisation.objects.filter(
        indicator__plan__agency=agency, year=2024, quarter=1).values_list("pk", flat=True))  # fmt: skip
    pk = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    assert _links(pk, agency, "penanda-tangan") == sorted(Signatory.objects.filter(
        agreement__agency=agency, agreement__year=2024).values_list("pk", flat=True))  # fmt: skip
    renja = client.get(reverse("planning:renja", args=[agency.slug, 2024])).content.decode()
    assert _links(renja, agency, "rencana-aksi") == sorted(ActionPlan.objects.filter(
        work_item__agency=agency, work_item__year=2024).values_list("pk", flat=True))  # fmt: skip
    texts = client.get(reverse("texts:narratives", args=[agency.slug, 2024, 1])).content.decode()
    narratives = Narrative.objects.filter(agency=agency, year=2024, quarter=1)
    groups = {(n.kind, n.indicator_id, n.work_item_id) for n in narratives}
    linked = _links(texts, agency, "narasi")
    assert len(linked) == len(groups) > 0
    assert sorted({(n.kind, n.indicator_id, n.work_item_id) for n in
                   narratives.filter(pk__in=linked)}, key=str) == sorted(groups, key=str)  # fmt: skip
