"""kinerja synth (deterministic, realistic shapes) and the roll-ups (issue 18): every
agency's k and rp equal its footer as `kinerja evaluate --agency` gives it, on live and
approved quarters, missing ≠ zero; pemda, province and country by their rules."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import transaction

from kinerja.cli import main
from kinerja.core import evaluate_form
from kinerja.core.achievement import CTX, percent_of
from kinerja.core.numbers import to_plain
from kinerja.monitoring.models import QuarterSubmission, Realisation
from kinerja.monitoring.queries import evaluation_form
from kinerja.planning.items import CODE_SHAPES
from kinerja.planning.models import ActionPlan, Agency, Government, WorkItem
from kinerja.record.models import QuarterSnapshot, SnapshotRow
from kinerja.rollup import quarter_rollup
from kinerja.synth import generate

pytestmark = pytest.mark.django_db
YEAR = 2024


def _dump(seed: int) -> list[tuple]:
    """Every generated row by natural keys (ids differ between runs; values must not)."""
    govs = Government.objects.filter(slug__startswith=f"s{seed}-")
    out: list[tuple] = [tuple(govs.order_by("slug").values_list("slug", "name", "province__code"))]
    agencies = Agency.objects.filter(government__in=govs)
    out.append(tuple(agencies.order_by("slug").values_list("slug", "name", "abbreviation")))
    items = WorkItem.objects.filter(agency__in=agencies).order_by("agency__slug", "year",
                                                                  "position")  # fmt: skip
    out.append(tuple(items.values_list(
        "agency__slug", "year", "position", "level", "code", "name", "unit", "polarity",
        "aggregation", "target_k", "target_k_upper", "budget_original", "budget_revised",
        "budget_revised_on", "parent__position", "responsible_unit__name",
    )))  # fmt: skip
    out.append(tuple(Realisation.objects.filter(work_item__in=items).order_by(
        "work_item__agency__slug", "work_item__position", "quarter").values_list(
        "work_item__agency__slug", "work_item__position", "quarter", "value_k", "value_rp",
        "value_k_unit")))  # fmt: skip
    out.append(tuple(ActionPlan.objects.filter(work_item__in=items).order_by(
        "work_item__agency__slug", "work_item__position", "quarter").values_list(
        "work_item__agency__slug", "work_item__position", "quarter", "target_k", "cash_plan")))  # fmt: skip
    out.append(tuple(QuarterSubmission.objects.filter(agency__in=agencies).order_by(
        "agency__slug", "year", "quarter").values_list("agency__slug", "year", "quarter",
                                                       "status")))  # fmt: skip
    # snapshots (their hash names row ids, which differ between runs on PostgreSQL)
    out.append(tuple(SnapshotRow.objects.filter(snapshot__agency__in=agencies).order_by(
        "snapshot__agency__slug", "snapshot__quarter", "position").values_list(
        "snapshot__agency__slug", "snapshot__quarter", "snapshot__approved_at", "position",
        "code", "budget", "target_k")))  # fmt: skip
    return out


def _generate_and_dump(seed: int, **kw) -> list[tuple]:
    with transaction.atomic():
        generate(seed=seed, **kw)
        dump = _dump(seed)
        transaction.set_rollback(True)  # back to the seed-only database
    return dump


def test_the_same_seed_gives_the_same_rows_another_seed_others():
    first = _generate_and_dump(11, governments=2, agencies=2)
    assert first[1] and first[2] and first[3]  # agencies, items, realisations were written
    assert _generate_and_dump(11, governments=2, agencies=2) == first
    other = _generate_and_dump(12, governments=2, agencies=2)
    assert other[2] != first[2]


def test_the_generated_data_has_realistic_shapes():
    report = generate(seed=5, governments=3, agencies=3, years=(2024, 2025))
    agencies = Agency.objects.filter(government__slug__startswith="s5-")
    assert agencies.count() == 9 == report.agencies
    # three pemda over two provinces, each pemda in one
    assert Government.objects.filter(slug__startswith="s5-", province=None).count() == 0
    assert len(set(Government.objects.filter(slug__startswith="s5-")
                   .values_list("province__code", flat=True))) == 2  # fmt: skip
    for agency in agencies:
        for year in (2024, 2025):
            items = WorkItem.objects.filter(agency=agency, year=year)
            assert 30 <= items.count() <= 120
            for level, code in items.values_list("level", "code"):
                assert CODE_SHAPES[level].match(code), (level, code)
            # a parent's pagu is the sum of its children's (murni)
            for parent in items.exclude(level="sub_kegiatan"):
                kids = list(parent.children.values_list("budget_original", flat=True))
                if kids:
                    assert parent.budget_original == sum(kids)
    values = Realisation.objects.filter(work_item__agency__in=agencies)
    total = values.count()
    missing_k = values.filter(value_k=None).count()
    zero_k = values.filter(value_k=0).count()
    assert 0.03 < missing_k / total < 0.2  # missing K: present, at a realistic rate
    assert zero_k > 0  # and honest zeros beside them: not the same thing
    assert values.filter(value_rp=None).exists()
    assert WorkItem.objects.filter(agency__in=agencies).exclude(budget_revised=None).exists()
    assert WorkItem.objects.filter(agency__in=agencies, polarity="lower").exists()
    assert ActionPlan.objects.filter(work_item__agency__in=agencies, cash_plan=None).exists()
    # approved quarters were approved through the approval step: each has its snapshot with
    # a row per Renja item, and its timeline ends in «disahkan»
    approved = QuarterSubmission.objects.filter(agency__in=agencies, status="approved")
    assert approved.exists() and report.approved == approved.count()
    assert QuarterSubmission.objects.filter(agency__in=agencies).exclude(
        status="approved").exists()  # fmt: skip
    for sub in approved:
        snapshot = QuarterSnapshot.objects.get(agency=sub.agency, year=sub.year,
                                               quarter=sub.quarter)  # fmt: skip
        assert SnapshotRow.objects.filter(snapshot=snapshot).count() == WorkItem.objects.filter(
            agency=sub.agency, year=sub.year).count()  # fmt: skip
        assert sub.events.order_by("at", "pk").last().to_status == "approved"


def test_an_approved_quarter_froze_what_was_entered_by_then():
    """The rows are written a pemda at a time, realisations quarter by quarter with each
    quarter's approvals right after it: a snapshot of TW q holds TW 1..q as entered and no
    later quarter, though the live table has them; its hash is the hash of what it holds."""
    from kinerja.record.capture import input_hash
    from kinerja.record.snapshots import read_snapshot

    generate(seed=31, governments=1, agencies=4)
    snapshots = QuarterSnapshot.objects.filter(agency__government__slug__startswith="s31-")
    later_entered = 0
    for snapshot in snapshots.filter(quarter__lt=4):
        frozen = read_snapshot(snapshot)
        live = {(r.work_item_id, r.quarter): r for r in Realisation.objects.filter(
            work_item__agency=snapshot.agency_id, work_item__year=snapshot.year)}  # fmt: skip
        for item in frozen.items:
            for value in item.quarters:
                row = live.get((item.key, value.quarter))
                if value.quarter > snapshot.quarter:
                    assert (value.value_k, value.value_rp) == (None, None)
                    later_entered += row is not None
                else:
                    assert (value.value_k, value.value_rp) == (
                        (row.value_k, row.value_rp) if row else (None, None))  # fmt: skip
        assert snapshot.data_hash == input_hash(frozen)
    assert later_entered  # later quarters were entered after the approval, and left out


def _evaluate_json(capsys, slug: str, quarter: int) -> dict:
    code = main(["evaluate", "--agency", slug, "--year", str(YEAR), "--quarter", str(quarter),
                 "--json"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    return json.loads(out)["footer"]


@pytest.fixture
def sample():
    generate(seed=3, governments=3, agencies=2)
    return Agency.objects.filter(government__slug__startswith="s3-")


def _by_slug(rows, kind):
    return {r.slug: r for r in rows if r.kind == kind}


def _cash_total(agency, quarter):
    """Tabel 3.2's total line of the agency's quarter as the report builds it."""
    from kinerja.record.snapshots import quarter_input
    from kinerja.reporting.build_laporan import budget_lines

    inp = quarter_input(agency, year=YEAR, quarter=quarter)
    evaluation = evaluate_form(evaluation_form(agency, year=YEAR, quarter=quarter))
    return budget_lines(inp, quarter, evaluation)[-1]


def test_every_agency_equals_its_footer_as_kinerja_evaluate_gives_it(capsys, sample):
    states = set()
    for quarter in (1, 2, 3, 4):
        agencies = _by_slug(quarter_rollup(year=YEAR, quarter=quarter), "agency")
        for agency in Agency.objects.all():  # the sample and the seed's agency
            got = agencies[agency.slug]
            want = _evaluate_json(capsys, agency.slug, quarter)
            assert (to_plain(got.k), to_plain(got.rp)) == (want["k"], want["rp"]), agency.slug
            assert got.predikat_k == want["predikat_k"]
            states.add(got.status)
            if agency in sample:
                total = _cash_total(agency, quarter)
                assert got.cash_absorption == total.pct_of_plan
                assert got.cash_plan == total.cash_plan
    assert "approved" in states and len(states) >= 3  # snapshots and live rows both compared


def test_an_approved_quarter_reads_its_snapshot_not_the_live_rows(capsys, sample):
    sub = QuarterSubmission.objects.filter(agency__in=sample, year=YEAR, status="approved").first()
    agency, quarter = sub.agency, sub.quarter
    before = _by_slug(quarter_rollup(year=YEAR, quarter=quarter), "agency")[agency.slug]
    # a live value changed around the workflow after the approval: not what the quarter reads
    Realisation.objects.filter(work_item__agency=agency, work_item__level="program",
                               quarter=quarter).update(value_k=Decimal(0), value_rp=Decimal(0))  # fmt: skip
    after = _by_slug(quarter_rollup(year=YEAR, quarter=quarter), "agency")[agency.slug]
    assert (after.k, after.rp) == (before.k, before.rp)
    want = _evaluate_json(capsys, agency.slug, quarter)
    assert (to_plain(after.k), to_plain(after.rp)) == (want["k"], want["rp"])


def test_missing_is_not_zero(capsys, sample):
    """A program's realisations left empty do not count in the mean; typed as 0 they count
    as 0 %: the roll-up follows the core both ways, and the two differ."""
    approved = set(QuarterSubmission.objects.filter(agency__in=sample, year=YEAR,
                                                    status="approved")
                   .values_list("agency_id", "quarter"))  # fmt: skip
    # a quarter read from the live rows
    agency, quarter = next(
        (a, q) for q in (1, 2, 3, 4) for a in sample if (a.pk, q) not in approved
    )
    program = WorkItem.objects.filter(agency=agency, year=YEAR, level="program",
                                      aggregation="sum").exclude(target_k=None).first()  # fmt: skip
    assert program is not None
    figures = {}
    for label, value in (("missing", None), ("zero", Decimal(0))):
        for q in range(1, quarter + 1):
            Realisation.objects.update_or_create(work_item=program, quarter=q,
                                                 defaults={"value_k": value, "value_rp": value})  # fmt: skip
        got = _by_slug(quarter_rollup(year=YEAR, quarter=quarter), "agency")[agency.slug]
        want = _evaluate_json(capsys, agency.slug, quarter)
        assert (to_plain(got.k), to_plain(got.rp)) == (want["k"], want["rp"])
        figures[label] = got
    assert figures["missing"].k != figures["zero"].k
    assert figures["zero"].pagu > figures["missing"].pagu  # a 0 Rp counts in the ratio


def test_pemda_province_and_country_follow_their_rules(sample):
    rows = quarter_rollup(year=YEAR, quarter=2)
    agencies = [r for r in rows if r.kind == "agency"]
    forms = {
        a.slug: evaluate_form(evaluation_form(a, year=YEAR, quarter=2))
        for a in Agency.objects.all()
    }

    def expected(members):
        ks = [forms[m.slug].footer.k.value for m in members]
        ks = [k for k in ks if k is not None]
        terms = [t for m in members for t in forms[m.slug].footer.rp.terms]
        k = CTX.divide(sum(ks, Decimal(0)), Decimal(len(ks))) if ks else None
        rp = percent_of(sum((t[1] for t in terms), Decimal(0)),
                        sum((t[2] for t in terms), Decimal(0))) if terms else None  # fmt: skip
        return k, rp

    pemdas = _by_slug(rows, "pemda")
    for slug, pemda in pemdas.items():
        members = [a for a in agencies if a.parent == slug]
        assert members and pemda.agencies == len(members)
        assert (pemda.k, pemda.rp) == expected(members)
        assert sum(pemda.statuses.values()) == len(members)
        assert sum(pemda.distribution.values()) == len(members)
        # ranks: the highest k first
        ordered = sorted((a for a in members if a.k is not None), key=lambda a: -a.k)
        assert [a.rank for a in ordered] == sorted(a.rank for a in ordered)
        assert ordered[0].rank == 1
    for code, province in _by_slug(rows, "province").items():
        members = [a for a in agencies if pemdas[a.parent].parent == code]
        assert (province.k, province.rp) == expected(members)
    country = next(r for r in rows if r.kind == "country")
    assert (country.k, country.rp) == expected(agencies)
    assert country.agencies == Agency.objects.count()
    # the country's k is the mean of the agencies, not of the pemda means
    assert country.k == CTX.divide(sum(a.k for a in agencies if a.k is not None),
                                   Decimal(sum(1 for a in agencies if a.k is not None)))  # fmt: skip


def test_rollup_json_shape_and_agreement_with_evaluate(capsys, sample):
    code = main(["rollup", "--year", str(YEAR), "--quarter", "3", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    kinds = [r["kind"] for r in data["rows"]]
    assert kinds[0] == "country" and {"agency", "pemda", "province"} <= set(kinds)
    for row in data["rows"]:
        assert {"kind", "slug", "name", "k", "rp", "predikat_k", "status", "rank",
                "statuses", "distribution", "serapan_kas"} <= set(row)  # fmt: skip
    agencies = [r for r in data["rows"] if r["kind"] == "agency"]
    for row in agencies[:3]:
        want = _evaluate_json(capsys, row["slug"], 3)
        assert (row["k"], row["rp"], row["predikat_k"]) == (want["k"], want["rp"],
                                                            want["predikat_k"])  # fmt: skip
    # one pemda: its agencies and itself, no province or country
    pemda = sample.first().government.slug
    code = main(["rollup", "--year", str(YEAR), "--quarter", "3", "--pemda", pemda, "--json"])
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["kind"] for r in rows] == ["pemda", "agency", "agency"]
    assert rows[0]["slug"] == pemda
    # a table too, and unknown scopes refused with one Indonesian line
    assert main(["rollup", "--year", str(YEAR), "--quarter", "3"]) == 0
    assert "Indonesia" in capsys.readouterr().out
    assert main(["rollup", "--year", str(YEAR), "--quarter", "3", "--pemda", "tidak-ada"]) == 2
    assert "tidak ada" in capsys.readouterr().err


def test_kinerja_synth_command(capsys):
    code = main(["synth", "--governments", "1", "--agencies", "2", "--seed", "21", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0 and "1 pemda, 2 perangkat daerah" in out
    assert Agency.objects.filter(government__slug__startswith="s21-").count() == 2
    # the same seed twice into one database is refused, as are impossible sizes
    assert main(["synth", "--governments", "1", "--agencies", "2", "--seed", "21"]) == 2
    assert "sudah ada" in capsys.readouterr().err
    assert main(["synth", "--governments", "1", "--agencies", "99", "--seed", "22"]) == 2
    assert main(["synth", "--governments", "1", "--agencies", "1", "--seed", "22",
                 "--years", "20x4"]) == 2  # fmt: skip
    assert main(["synth", "--governments", "1", "--agencies", "1", "--seed", "22",
                 "--jobs", "0"]) == 2  # fmt: skip
    assert not Government.objects.filter(slug__startswith="s22-").exists()
