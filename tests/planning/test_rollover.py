"""Next year from this one: rollover 2024 → 2025 copies the Renja's structure, takes targets
from the Renstra as revised, carries column 7 from 2024's realisations, leaves pagu empty and
lists what needs a target or pagu; a second run creates nothing."""

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from kinerja.cli import main
from kinerja.monitoring.models import Realisation
from kinerja.planning.models import IndicatorTarget, WorkItem
from kinerja.planning.rollover import RolloverRefused, rollover

pytestmark = pytest.mark.django_db


def _tree(agency, year):
    items = WorkItem.objects.filter(agency=agency, year=year).select_related("parent")
    return sorted((w.position, w.level, w.code, w.name, w.indicator, w.unit, w.objective_id,
                   w.responsible_unit_id, w.parent and (w.parent.code, w.parent.name))
                  for w in items)  # fmt: skip


def test_rollover_copies_the_structure_leaves_pagu_and_carries_column_7(agency):
    result = rollover(agency, 2025, dry_run=False)
    assert len(result.created) == 61 and result.existing == []
    assert [row[1:] for row in _tree(agency, 2025)] == [row[1:] for row in _tree(agency, 2024)]
    new = WorkItem.objects.filter(agency=agency, year=2025)
    assert not new.exclude(budget_original=None).exists()
    assert len(result.needing) == 61 and all("pagu" in r.needs for r in result.needing)
    # column 7 of 2025 = column 7 of 2024 + 2024's realisations (aggregation: sum)
    old = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02.2.02.0002")
    realised = Realisation.objects.filter(work_item=old)
    assert old.aggregation == "sum" and realised.exists()
    k = old.renstra_realised_k + sum(r.value_k for r in realised if r.value_k is not None)
    rp = old.renstra_realised_rp + sum(r.value_rp for r in realised if r.value_rp is not None)
    carried = new.get(code="5.03.02.2.02.0002")
    assert (carried.renstra_realised_k, carried.renstra_realised_rp) == (k, rp)
    assert k == 1913  # 1.895 up to 2023, 18 recorded in 2024
    # an item with no column 7 in 2024 carries its 2024 realisation alone
    fresh = WorkItem.objects.get(agency=agency, year=2024, code="5.03.01.2.01.0001")
    assert fresh.renstra_realised_k is None
    assert new.get(code="5.03.01.2.01.0001").renstra_realised_k == sum(
        r.value_k for r in fresh.realisations.all() if r.value_k is not None)  # fmt: skip
    # column 6: the same Renstra 2021–2026 covers both years
    assert new.get(code="5.03.02", level="program").renstra_target_k == 65
    again = rollover(agency, 2025, dry_run=False)
    assert again.created == [] and len(again.existing) == 61
    assert WorkItem.objects.filter(agency=agency, year=2025).count() == 61


def test_the_ip_asn_target_of_2025_comes_from_the_renstra_as_revised(agency):
    ip_2025 = IndicatorTarget.objects.get(indicator__name="Indeks Profesionalitas ASN", year=2025)
    assert (ip_2025.original, ip_2025.revised) == (68, 84)
    # the seed's program serves IP ASN (its PK line stands beside it): listed with 2025's target
    dry = rollover(agency, 2025, dry_run=True)
    program = next(r for r in dry.rows if r.code == "5.03.02")
    assert (program.context, program.context_target) == ("Indeks Profesionalitas ASN", 84)
    assert not WorkItem.objects.filter(agency=agency, year=2025).exists()  # a dry run
    # an item that measures IP ASN takes its 2025 target from the Renstra, as revised
    WorkItem.objects.filter(agency=agency, year=2024, code="5.03.02", level="program").update(
        indicator="Indeks Profesionalitas ASN", unit="Nilai")  # fmt: skip
    result = rollover(agency, 2025, dry_run=False)
    item = WorkItem.objects.get(agency=agency, year=2025, code="5.03.02", level="program")
    assert item.target_k == 84
    row = next(r for r in result.rows if r.code == "5.03.02")
    assert row.target_from == "Indeks Profesionalitas ASN" and row.needs == ["pagu"]
    other = WorkItem.objects.get(agency=agency, year=2025, code="5.03.01", level="program")
    assert other.target_k is None  # measures no Renstra indicator: left for the user


def test_refusals_and_warnings(agency, demo_users):
    with pytest.raises(RolloverRefused, match="Renja 2029 belum berisi item"):
        rollover(agency, 2030, dry_run=True)
    with pytest.raises(RolloverRefused, match="Hanya operator"):
        rollover(agency, 2025, dry_run=True, user=demo_users["verifikator"])
    rollover(agency, 2025, dry_run=False)
    rollover(agency, 2026, dry_run=False)
    outside = rollover(agency, 2027, dry_run=True)
    assert any("di luar periode Renstra" in w for w in outside.warnings)
    assert all(r.target_k is None for r in outside.rows)


def test_the_cli_dry_run_and_json(agency, capsys):
    assert main(["plan", "rollover", "--agency", agency.slug, "--to", "2025", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Uji coba: tidak ada yang ditulis." in out
    assert "Renja 2025 dari Renja 2024: 61 item akan dibuat, 0 sudah ada." in out
    assert "61 item masih perlu target atau pagu." in out
    assert not WorkItem.objects.filter(agency=agency, year=2025).exists()
    assert main(["plan", "rollover", "--agency", agency.slug, "--to", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["dibuat"], data["sudah_ada"], data["uji_coba"]) == (61, 0, False)
    row = next(r for r in data["item"] if r["kode"] == "5.03.02.2.02.0002")
    assert Decimal(row["kolom_7_k"]) == 1913 and row["perlu"] == ["target K", "pagu"]
    assert main(["plan", "rollover", "--agency", "tidak-ada", "--to", "2025"]) == 2
    assert "tidak ada" in capsys.readouterr().err


def test_the_button_previews_then_prepares_the_year(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    renja = client.get(reverse("planning:renja", args=[agency.slug, 2024])).content.decode()
    assert "Siapkan rencana tahun 2025" in renja
    url = reverse("planning:rollover", args=[agency.slug, 2025])
    preview = client.get(url).content.decode()
    assert "61 item akan dibuat" in preview and "Ya, siapkan rencana tahun 2025" in preview
    assert "1.913" in preview  # column 7 in Indonesian format
    assert not WorkItem.objects.filter(agency=agency, year=2025).exists()
    done = client.post(url)
    assert done.status_code == 200 and "61 item dibuat" in done.content.decode()
    assert WorkItem.objects.filter(agency=agency, year=2025).count() == 61
    renja = client.get(reverse("planning:renja", args=[agency.slug, 2024])).content.decode()
    assert "Siapkan rencana tahun 2025" not in renja  # 2024 is no longer the latest year
    client.force_login(demo_users["verifikator"])
    assert client.post(reverse("planning:rollover", args=[agency.slug, 2026])).status_code == 403
