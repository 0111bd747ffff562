"""Roll-ups of a quarter per agency, pemda, province and the country (issue 18;
docs/rollup.md).

What is done where:

- **SQL** (through the ORM, grouped in the database): which approved quarters read a
  snapshot — the latest approval of each approved agency, picked by a window function
  (``ROW_NUMBER() OVER (PARTITION BY agency ORDER BY sequence DESC) = 1``); then, per program
  row of every agency, one aggregate query over the realisation table (live quarters) and
  one over the snapshot values (approved quarters): the K of each quarter up to Q pivoted
  into columns, Σ Rp up to Q, and Σ and count of the cash plan up to Q. The realisations,
  the biggest table, are read only in the database; Python receives one row per program.
- **kinerja.core** (Python, Decimal): each program row's columns 13 and 14 by
  ``evaluate_row`` (aggregation over quarters, polarity, range targets, the pagu in force
  by ``core.revisions.in_force``), each agency's footer by ``core.evaluation.footer`` — the
  very functions `kinerja evaluate --agency` ends in, so an agency's ``k`` and ``rp`` are
  its footer figures to the last digit —, and above the agency ``core.rollup``: the mean of
  the agencies' K, Σ realisation ÷ Σ pagu, the ranks; predikat by ``PREDIKAT_CAPAIAN``.

Every quarter counts whatever its state; the state is given beside it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, Sum, Window
from django.db.models.functions import RowNumber

from kinerja.core.achievement import Polarity
from kinerja.core.aggregate import Aggregation
from kinerja.core.evaluation import evaluate_row, footer
from kinerja.core.form import EMPTY, FormRow, Level, Pair
from kinerja.core.numbers import to_plain
from kinerja.core.revisions import in_force, quarter_end
from kinerja.core.rollup import mean_of, ranks, ratio_of
from kinerja.core.scales import PREDIKAT_CAPAIAN

__all__ = ["Figures", "quarter_rollup"]

KINDS = ("agency", "pemda", "province", "country")
NO_PREDIKAT = "-"
_POLARITIES = {p.value: p for p in Polarity}
_AGGREGATIONS = {a.value: a for a in Aggregation}


@dataclass
class Figures:
    """One row of the roll-up: an agency, a pemda, a province or the country."""

    kind: str
    slug: str
    name: str
    parent: str | None
    k: Decimal | None = None
    rp: Decimal | None = None
    # the footer Rp's terms: Σ column 13 Rp and Σ pagu of the program rows that count
    realised: Decimal = Decimal(0)
    pagu: Decimal = Decimal(0)
    rp_terms: int = 0
    # Tabel 3.2's total: realisation of every program against its complete cash plan to Q
    realised_all: Decimal | None = None
    cash_plan: Decimal | None = None
    status: str | None = None  # an agency's quarter state
    agencies: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    distribution: dict[str, int] = field(default_factory=dict)
    rank: int | None = None
    ranked_among: int = 0
    children: list[Figures] = field(default_factory=list)

    @property
    def predikat_k(self) -> str | None:
        return PREDIKAT_CAPAIAN.label(self.k)

    @property
    def predikat_rp(self) -> str | None:
        return PREDIKAT_CAPAIAN.label(self.rp)

    @property
    def cash_absorption(self) -> Decimal | None:
        from kinerja.core.achievement import percent_of

        return percent_of(self.realised_all, self.cash_plan)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "slug": self.slug, "name": self.name, "parent": self.parent,
            "k": to_plain(self.k), "rp": to_plain(self.rp),
            "predikat_k": self.predikat_k, "predikat_rp": self.predikat_rp,
            "status": self.status, "realisasi_rp": to_plain(self.realised),
            "pagu": to_plain(self.pagu), "realisasi_rp_semua_program": to_plain(self.realised_all),
            "rencana_kas": to_plain(self.cash_plan),
            "serapan_kas": to_plain(self.cash_absorption), "agencies": self.agencies,
            "statuses": self.statuses, "distribution": self.distribution,
            "rank": self.rank, "ranked_among": self.ranked_among,
        }  # fmt: skip


# ---- SQL: the inputs of each program row ------------------------------------------------


def frozen_snapshots(year: int, quarter: int, agency_ids: Any):  # type: ignore[no-untyped-def]
    """The snapshots the approved quarters read (the latest approval of each agency whose
    quarter is approved now), as a query of (agency_id, pk): the latest picked by a window."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
    from kinerja.record.models import QuarterSnapshot

    approved = QuarterSubmission.objects.filter(
        year=year, quarter=quarter, status=SubmissionStatus.APPROVED, agency_id__in=agency_ids
    ).values("agency_id")
    return (
        QuarterSnapshot.objects.filter(year=year, quarter=quarter, agency_id__in=approved)
        .annotate(newest=Window(RowNumber(), partition_by=[F("agency_id")],
                                order_by=F("sequence").desc()))
        .filter(newest=1)
        .values("agency_id", "pk")
    )  # fmt: skip


def _quarter_columns(prefix: str, quarter: int) -> dict[str, Any]:
    """K of each quarter 1..Q as its own column, Σ Rp to Q, Σ and count of the cash plan to Q
    — aggregates over the realisation (or snapshot value) rows of one program row."""
    q_field, k_field, rp_field = f"{prefix}quarter", f"{prefix}value_k", f"{prefix}value_rp"
    up_to = Q(**{f"{q_field}__lte": quarter})
    columns: dict[str, Any] = {
        f"k{q}": Max(k_field, filter=Q(**{q_field: q})) for q in range(1, quarter + 1)
    }
    columns["rp"] = Sum(rp_field, filter=up_to)
    return columns


def _program_rows(year: int, quarter: int, agency_ids: Any):  # type: ignore[no-untyped-def]
    """(agency id, row values) of every program row the quarter reads: the latest snapshot's
    rows for the approved agencies, the live Renja rows for the others."""
    from kinerja.monitoring.models import Realisation
    from kinerja.planning.models import ActionPlan, LevelChoice, WorkItem
    from kinerja.record.models import SnapshotRow

    program = LevelChoice.PROGRAM
    as_of = quarter_end(year, quarter)
    qcols = [f"k{q}" for q in range(1, quarter + 1)]
    # approved quarters: the snapshot's rows and values (values on the same join: one per
    # quarter, so the cash plan's sums are not multiplied)
    frozen = frozen_snapshots(year, quarter, agency_ids)
    rows = (
        SnapshotRow.objects.filter(snapshot_id__in=frozen.values("pk"), level=program)
        .values("pk", "snapshot__agency_id", "target_k", "target_k_upper", "budget",
                "polarity", "aggregation")
        .annotate(
            **_quarter_columns("values__", quarter),
            cash=Sum("values__cash_plan", filter=Q(values__quarter__lte=quarter)),
            cash_n=Count("values__cash_plan", filter=Q(values__quarter__lte=quarter)),
        )
        .values_list("snapshot__agency_id", "target_k", "target_k_upper", "budget", "polarity",
                     "aggregation", "rp", "cash", "cash_n", *qcols)
    )  # fmt: skip
    for agency_id, tk, tu, budget, pol, agg, rp, cash, cash_n, *ks in rows:
        yield agency_id, (tk, tu, budget, pol, agg, rp, cash, cash_n, ks)
    live = WorkItem.objects.filter(year=year, level=program, agency_id__in=agency_ids)
    live = live.exclude(agency_id__in=frozen.values("agency_id"))
    cash_plans = {
        item: (total, n)
        for item, total, n in ActionPlan.objects.filter(
            work_item__in=live.values("pk"), quarter__lte=quarter
        )
        .values("work_item_id")
        .annotate(total=Sum("cash_plan"), n=Count("cash_plan"))
        .values_list("work_item_id", "total", "n")
    }
    realised = {
        item: (rp, ks)
        for item, rp, *ks in Realisation.objects.filter(
            work_item__in=live.values("pk"), quarter__lte=quarter
        )
        .values("work_item_id")
        .annotate(**_quarter_columns("", quarter))
        .values_list("work_item_id", "rp", *qcols)
    }  # fmt: skip
    empty = (None, [None] * quarter)
    for pk, agency_id, tk, tu, original, revised, revised_on, pol, agg in live.values_list(
        "pk", "agency_id", "target_k", "target_k_upper", "budget_original", "budget_revised",
        "budget_revised_on", "polarity", "aggregation",
    ):  # fmt: skip
        rp, ks = realised.get(pk, empty)
        cash, cash_n = cash_plans.get(pk, (None, 0))
        budget = in_force(original, revised, revised_on, as_of=as_of)
        yield agency_id, (tk, tu, budget, pol, agg, rp, cash, cash_n, ks)


# ---- kinerja.core: the agency's footer, then the roll-up ------------------------------------


def _agency_figures(rows: list[tuple], quarter: int) -> tuple[Any, Decimal | None, Decimal | None]:  # type: ignore[type-arg]
    """The footer of an agency's program rows (core.evaluation), and Tabel 3.2's totals:
    Σ realisation of every program and Σ of its complete cash plans to the quarter."""
    results = []
    real_all: Decimal | None = None
    plan_all: Decimal | None = None
    pad = (EMPTY,) * (4 - quarter)
    for n, (tk, tu, budget, pol, agg, rp, cash, cash_n, ks) in enumerate(rows):
        # Σ Rp to Q sits in the last counted quarter: column 13 Rp is their sum either way
        quarters = [Pair(k=k) if k is not None else EMPTY for k in ks]
        if rp is not None:
            quarters[-1] = Pair(k=quarters[-1].k, rp=rp)
        row = FormRow(
            id=str(n), level=Level.PROGRAM, name="", quarters=(*quarters, *pad),  # type: ignore[arg-type]
            polarity=_POLARITIES[pol], aggregation=_AGGREGATIONS[agg],
            year_target=Pair(k=tk, rp=budget, k_upper=tu),
        )  # fmt: skip
        result = evaluate_row(row, quarter)
        results.append(result)
        if result.col13_rp is not None:
            real_all = result.col13_rp + (real_all or 0)
        if cash_n == quarter and cash is not None:
            plan_all = cash + (plan_all or 0)
    return footer(results), real_all, plan_all


def agency_figures(year: int, quarter: int, agency_ids: Any) -> dict[int, Figures]:
    """Each agency's figures of the quarter computed now (ids: a list or a query of pks) —
    the queries above, then the core's footer per agency. The refresh of stored figures
    (``kinerja.rollups.tasks``) calls this very function."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
    from kinerja.planning.models import Agency

    if isinstance(agency_ids, list | tuple | set):
        agency_ids = list(agency_ids)
    per_agency: dict[int, list[tuple]] = {}  # type: ignore[type-arg]
    for agency_id, values in _program_rows(year, quarter, agency_ids):
        per_agency.setdefault(agency_id, []).append(values)
    status = dict(
        QuarterSubmission.objects.filter(year=year, quarter=quarter, agency_id__in=agency_ids)
        .values_list("agency_id", "status")
    )  # fmt: skip
    out: dict[int, Figures] = {}
    for pk in Agency.objects.filter(pk__in=agency_ids).values_list("pk", flat=True):
        agency = Figures("agency", "", "", None,
                         status=status.get(pk, SubmissionStatus.DRAFT.value))  # fmt: skip
        rows = per_agency.get(pk, [])
        if rows:
            foot, agency.realised_all, agency.cash_plan = _agency_figures(rows, quarter)
            agency.k, agency.rp = foot.k.value, foot.rp.value
            terms = foot.rp.terms  # (row, Σ column 13 Rp, pagu) of the rows that count
            agency.realised = sum((t[1] for t in terms), Decimal(0))
            agency.pagu = sum((t[2] for t in terms), Decimal(0))
            agency.rp_terms = len(terms)
        _as_leaf(agency)
        out[pk] = agency
    return out


def stored_figures(year: int, quarter: int, agency_ids: Any) -> dict[int, Figures]:
    """The stored figures (``kinerja.rollups``) of the agencies that have current ones: one
    query; a row whose data changed since it was computed is not read."""
    from kinerja.rollups.models import AgencyQuarterFigures, to_decimal

    out: dict[int, Figures] = {}
    for (pk, k, rp, realised, pagu, rp_terms, realised_all, cash_plan,
         status) in AgencyQuarterFigures.objects.filter(
            year=year, quarter=quarter, agency_id__in=agency_ids,
            figures_token=F("data_token"),
         ).values_list("agency_id", "k", "rp", "realised", "pagu", "rp_terms", "realised_all",
                       "cash_plan", "status"):  # fmt: skip
        agency = Figures("agency", "", "", None, k=to_decimal(k), rp=to_decimal(rp),
                         realised=Decimal(realised), pagu=Decimal(pagu), rp_terms=rp_terms,
                         realised_all=to_decimal(realised_all),
                         cash_plan=to_decimal(cash_plan), status=status)  # fmt: skip
        _as_leaf(agency)
        out[pk] = agency
    return out


def _as_leaf(agency: Figures) -> None:
    agency.agencies = 1
    agency.statuses = {agency.status: 1}  # type: ignore[dict-item]
    agency.distribution = {agency.predikat_k or NO_PREDIKAT: 1}


def quarter_rollup(*, year: int, quarter: int, province: str | None = None,
                   pemda: str | None = None) -> list[Figures]:  # fmt: skip
    """Every agency of the scope (all, a province by code, a pemda by slug), its pemda, its
    province and — for the whole country only — the country, each a ``Figures``; in tree
    order (country, then each province, its pemda, their agencies)."""
    from kinerja.monitoring.models import SubmissionStatus
    from kinerja.planning.models import Agency

    if not 1 <= quarter <= 4:
        raise ValueError("Triwulan harus 1–4.")
    agencies = Agency.objects.all()
    if province is not None:
        agencies = agencies.filter(government__province__code=province)
    if pemda is not None:
        agencies = agencies.filter(government__slug=pemda)
    info = list(
        agencies.order_by("government__province__code", "government__slug", "slug").values_list(
            "pk", "slug", "name", "government_id", "government__slug", "government__name",
            "government__province__code", "government__province__name",
        )
    )  # fmt: skip
    scope = agencies.values("pk")
    per_agency = stored_figures(year, quarter, scope)
    missing = [row[0] for row in info if row[0] not in per_agency]
    if missing:  # no stored figure, or a stale one: the core's figures, computed now
        if len(missing) > 1000:  # by a subquery rather than a long list of ids
            from kinerja.rollups.models import AgencyQuarterFigures

            current = AgencyQuarterFigures.objects.filter(
                year=year, quarter=quarter, figures_token=F("data_token")
            ).values("agency_id")
            per_agency |= agency_figures(year, quarter, agencies.exclude(pk__in=current)
                                         .values("pk"))  # fmt: skip
            # one refreshed between the two reads is in neither: computed too
            missing = [row[0] for row in info if row[0] not in per_agency]
        if missing:
            per_agency |= agency_figures(year, quarter, missing)

    country = Figures("country", "id", "Indonesia", None)
    provinces: dict[str, Figures] = {}
    pemdas: dict[int, Figures] = {}
    for pk, slug, name, gov_id, gov_slug, gov_name, prov_code, prov_name in info:
        prov_slug = prov_code or ""
        prov = provinces.get(prov_slug)
        if prov is None:
            prov = provinces[prov_slug] = Figures("province", prov_slug,
                                                  prov_name or "(tanpa provinsi)", "id")  # fmt: skip
            country.children.append(prov)
        gov = pemdas.get(gov_id)
        if gov is None:
            gov = pemdas[gov_id] = Figures("pemda", gov_slug, gov_name, prov_slug)
            prov.children.append(gov)
        agency = per_agency.get(pk)
        if agency is None:  # deleted since the list was read: no figures, as an empty agency
            agency = Figures("agency", "", "", None, status=SubmissionStatus.DRAFT.value)
            _as_leaf(agency)
        agency.slug, agency.name, agency.parent = slug, name, gov_slug
        gov.children.append(agency)

    def roll(node: Figures) -> None:
        for child in node.children:
            if child.kind != "agency":
                roll(child)
        kids = node.children
        leaves = _leaves(node)
        node.k = mean_of(a.k for a in leaves)
        node.realised = sum((a.realised for a in leaves), Decimal(0))
        node.pagu = sum((a.pagu for a in leaves), Decimal(0))
        node.rp_terms = sum(a.rp_terms for a in leaves)
        node.rp = (ratio_of([a.realised for a in leaves if a.rp_terms],
                            [a.pagu for a in leaves if a.rp_terms])
                   if node.rp_terms else None)  # fmt: skip
        node.realised_all = _sum_present(a.realised_all for a in leaves)
        node.cash_plan = _sum_present(a.cash_plan for a in leaves)
        node.agencies = len(leaves)
        node.statuses = dict(sorted(Counter(a.status for a in leaves).items()))  # type: ignore[arg-type]
        node.distribution = dict(sorted(Counter(a.predikat_k or NO_PREDIKAT
                                                for a in leaves).items()))  # fmt: skip
        for child, rank in zip(kids, ranks([c.k for c in kids]), strict=True):
            child.rank, child.ranked_among = rank, len(kids)

    roll(country)
    out: list[Figures] = []
    if pemda is None and province is None:
        out.append(country)
    for prov in country.children:
        if pemda is None:
            out.append(prov)
        for gov in prov.children:
            out.append(gov)
            out.extend(gov.children)
    return out


def _leaves(node: Figures) -> list[Figures]:
    if node.kind == "agency":
        return [node]
    return [leaf for child in node.children for leaf in _leaves(child)]


def _sum_present(values: Any) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def cmd_rollup(args) -> int:  # type: ignore[no-untyped-def]
    """``kinerja rollup``: the quarter's roll-up as a table or JSON."""
    import json
    import sys

    from kinerja.cli import _fail, setup_django

    if args.refresh:
        return _refresh(args)
    if args.year is None or args.quarter is None:
        return _fail("sebutkan --year dan --quarter (atau --refresh).")
    if not 1 <= args.quarter <= 4:
        return _fail("--quarter harus 1, 2, 3 atau 4.")
    setup_django()
    from kinerja.core.numbers import format_number
    from kinerja.monitoring.models import SubmissionStatus
    from kinerja.planning.models import Government, Province

    if args.province is not None and not Province.objects.filter(code=args.province).exists():
        return _fail(f"provinsi «{args.province}» tidak ada.")
    if args.pemda is not None and not Government.objects.filter(slug=args.pemda).exists():
        return _fail(f"pemda «{args.pemda}» tidak ada.")
    rows = quarter_rollup(year=args.year, quarter=args.quarter, province=args.province,
                          pemda=args.pemda)  # fmt: skip
    if args.json:
        sys.stdout.write(json.dumps({"year": args.year, "quarter": args.quarter,
                                     "rows": [r.as_json() for r in rows]},
                                    ensure_ascii=False, indent=2) + "\n")  # fmt: skip
        return 0
    labels = dict(SubmissionStatus.choices)
    indent = {"country": "", "province": "  ", "pemda": "    ", "agency": "      "}
    print(f"{'Nama':<60} {'K (%)':>8} {'Predikat':<13} {'Rp (%)':>8} {'Kas (%)':>8} "
          f"{'Peringkat':>9}  Status")  # fmt: skip
    for r in rows:
        name = (indent[r.kind] + r.name)[:60]
        if r.kind == "agency":
            state = str(labels.get(r.status, r.status))
        else:
            state = ", ".join(f"{labels.get(s, s)} {n}" for s, n in r.statuses.items())
        rank = f"{r.rank}/{r.ranked_among}" if r.rank else "-"
        k, rp, cash = (format_number(v, 2, missing="-") for v in (r.k, r.rp, r.cash_absorption))
        print(f"{name:<60} {k:>8} {r.predikat_k or '-':<13} {rp:>8} {cash:>8} {rank:>9}  "
              f"{state}")  # fmt: skip
    return 0


def _refresh(args) -> int:  # type: ignore[no-untyped-def]
    """``kinerja rollup --refresh [--year Y]``: every stored figure computed again, in this
    process (no worker needed), with a progress bar on stderr."""
    import sys
    import time

    from kinerja.cli import _fail, setup_django

    if args.quarter is not None or args.province is not None or args.pemda is not None \
            or args.json:  # fmt: skip
        return _fail("--refresh menghitung ulang semua triwulan: tanpa --quarter, --province, "
                     "--pemda atau --json.")  # fmt: skip
    setup_django()
    from kinerja.core.numbers import format_number
    from kinerja.rollups.tasks import refresh_all

    width = 30

    def progress(done: int, total: int) -> None:
        filled = width * done // max(total, 1)
        bar = "█" * filled + "░" * (width - filled)
        end = "\n" if done == total else "\r"
        print(f"[{bar}] {done}/{total} perangkat daerah × tahun\033[K", end=end,
              file=sys.stderr, flush=True)  # fmt: skip

    start = time.perf_counter()
    stored = refresh_all(years=[args.year] if args.year else None, progress=progress)
    seconds = format_number(Decimal(f"{time.perf_counter() - start:.1f}"), 1)
    print(f"{format_number(Decimal(stored), 0)} angka triwulan tersimpan dihitung ulang "
          f"dalam {seconds} detik.")  # fmt: skip
    return 0
