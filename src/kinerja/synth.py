"""``kinerja synth``: deterministic synthetic data at the scale of a province or the country
(issue 18) — provinces → pemda → agencies, each with a Renstra (goals, objectives,
indicators, yearly targets), IKU, a Renja of 30–120 items per year with Kepmendagri-shaped
codes, units, polarities, aggregations, targets, pagu (some revised during the year), cash
plans, four quarters of realisations with missing values and defects at realistic rates, and
the quarters' states. Approved quarters are approved through the approval step itself
(``monitoring.workflow.approve_imported_quarters``: a pemda's quarter at once), so each
carries its snapshot.

Everything comes from one ``random.Random(seed)`` drawn in a fixed order: the same arguments
give the same rows (ids aside) on SQLite and PostgreSQL. Rows are written per pemda in one
transaction, in bulk (``web.fragments.bulk_create``, ``COPY`` on PostgreSQL: generated data
has no history of its own — nobody entered it); a progress bar goes to stderr.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

__all__ = ["PROVINCES", "SynthReport", "generate"]

# the 38 provinces with their BPS codes
PROVINCES = (
    ("11", "Aceh"), ("12", "Sumatera Utara"), ("13", "Sumatera Barat"), ("14", "Riau"),
    ("15", "Jambi"), ("16", "Sumatera Selatan"), ("17", "Bengkulu"), ("18", "Lampung"),
    ("19", "Kepulauan Bangka Belitung"), ("21", "Kepulauan Riau"), ("31", "DKI Jakarta"),
    ("32", "Jawa Barat"), ("33", "Jawa Tengah"), ("34", "DI Yogyakarta"), ("35", "Jawa Timur"),
    ("36", "Banten"), ("51", "Bali"), ("52", "Nusa Tenggara Barat"),
    ("53", "Nusa Tenggara Timur"), ("61", "Kalimantan Barat"), ("62", "Kalimantan Tengah"),
    ("63", "Kalimantan Selatan"), ("64", "Kalimantan Timur"), ("65", "Kalimantan Utara"),
    ("71", "Sulawesi Utara"), ("72", "Sulawesi Tengah"), ("73", "Sulawesi Selatan"),
    ("74", "Sulawesi Tenggara"), ("75", "Gorontalo"), ("76", "Sulawesi Barat"),
    ("81", "Maluku"), ("82", "Maluku Utara"), ("91", "Papua Barat"), ("92", "Papua Barat Daya"),
    ("94", "Papua"), ("95", "Papua Selatan"), ("96", "Papua Tengah"), ("97", "Papua Pegunungan"),
)  # fmt: skip

# (abbreviation, name, urusan.bidang of its programs)
AGENCY_KINDS = (
    ("disdik", "Dinas Pendidikan", "1.01"), ("dinkes", "Dinas Kesehatan", "1.02"),
    ("dpupr", "Dinas Pekerjaan Umum dan Penataan Ruang", "1.03"),
    ("disperkim", "Dinas Perumahan dan Kawasan Permukiman", "1.04"),
    ("satpolpp", "Satuan Polisi Pamong Praja", "1.05"), ("dinsos", "Dinas Sosial", "1.06"),
    ("disnaker", "Dinas Tenaga Kerja", "2.07"),
    ("dp3a", "Dinas Pemberdayaan Perempuan dan Perlindungan Anak", "2.08"),
    ("dkp", "Dinas Ketahanan Pangan", "2.09"), ("dlh", "Dinas Lingkungan Hidup", "2.11"),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil", "2.12"),
    ("dpmd", "Dinas Pemberdayaan Masyarakat dan Desa", "2.13"),
    ("dppkb", "Dinas Pengendalian Penduduk dan Keluarga Berencana", "2.14"),
    ("dishub", "Dinas Perhubungan", "2.15"), ("diskominfo", "Dinas Komunikasi dan Informatika", "2.16"),
    ("diskopukm", "Dinas Koperasi dan Usaha Mikro", "2.17"),
    ("dpmptsp", "Dinas Penanaman Modal dan PTSP", "2.18"),
    ("dispora", "Dinas Kepemudaan dan Olahraga", "2.19"),
    ("disperpus", "Dinas Perpustakaan dan Kearsipan", "2.23"),
    ("dkp2", "Dinas Perikanan", "3.25"), ("dispar", "Dinas Pariwisata", "3.26"),
    ("distan", "Dinas Pertanian", "3.27"), ("disperindag", "Dinas Perindustrian dan Perdagangan", "3.31"),
    ("bappeda", "Badan Perencanaan Pembangunan Daerah", "5.01"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah", "5.02"),
    ("bkpsdm", "Badan Kepegawaian dan Pengembangan SDM", "5.03"),
    ("bapenda", "Badan Pendapatan Daerah", "5.02"), ("inspektorat", "Inspektorat", "6.01"),
    ("bpbd", "Badan Penanggulangan Bencana Daerah", "1.05"),
    ("kesbangpol", "Badan Kesatuan Bangsa dan Politik", "8.01"),
    ("setda", "Sekretariat Daerah", "4.01"), ("setwan", "Sekretariat DPRD", "4.02"),
    ("rsud", "Rumah Sakit Umum Daerah", "1.02"), ("damkar", "Dinas Pemadam Kebakaran", "1.05"),
    ("disbud", "Dinas Kebudayaan", "2.22"), ("dpkp", "Dinas Perkebunan dan Peternakan", "3.27"),
    ("dinkan", "Dinas Kelautan", "3.25"), ("dispertanahan", "Dinas Pertanahan", "2.10"),
    ("disarpus", "Dinas Kearsipan", "2.24"), ("kec", "Kecamatan Kota", "7.01"),
)  # fmt: skip

SYLLABLES = ("ba", "ma", "su", "ka", "ra", "ja", "lo", "ngi", "pa", "te", "wa", "si", "gor",
             "ta", "la", "ban", "dung", "men", "bo", "ro", "ge", "sa", "ri", "tu", "mo")  # fmt: skip
PROGRAM_WORDS = ("Peningkatan", "Pengelolaan", "Pembinaan", "Pengembangan", "Penyelenggaraan",
                 "Pemenuhan", "Perlindungan", "Pengendalian")  # fmt: skip
SUBJECTS = ("Layanan Dasar", "Sarana dan Prasarana", "Sumber Daya Manusia", "Tata Kelola",
            "Data dan Informasi", "Kemitraan", "Pengawasan", "Perencanaan", "Kualitas Layanan",
            "Administrasi", "Kapasitas Aparatur", "Partisipasi Masyarakat")  # fmt: skip
# (unit, typical yearly target low/high, decimals)
UNITS = (("Dokumen", 1, 30, 0), ("Laporan", 4, 24, 0), ("%", 60, 100, 2), ("Orang", 20, 2000, 0),
         ("Kegiatan", 2, 40, 0), ("Unit", 1, 60, 0), ("Paket", 1, 12, 0), ("Indeks", 1, 4, 2),
         ("Desa", 5, 120, 0), ("Bulan", 12, 12, 0))  # fmt: skip
# rates, per realisation cell unless said
RATE_K_MISSING = 0.08  # K not reported (missing, not zero)
RATE_RP_MISSING = 0.05
RATE_ZERO = 0.04  # an honest zero
RATE_UNIT_DEFECT = 0.02  # realisation written in another unit
RATE_OVER_PAGU = 0.01  # spending beyond the pagu (a defect the checks flag)
RATE_OUTLIER = 0.01  # K typed ten times too high
RATE_QUARTER_EMPTY = 0.25  # a draft quarter nobody started
RATE_CASH_MISSING = 0.05  # a quarter's cash plan not entered
RATE_REVISED_PAGU = 0.10  # pagu perubahan (dated 30 September: TW IV only)
RATE_LOWER = 0.08  # lower-is-better indicator
RATE_RANGE = 0.03  # a range target
# the state of each quarter: (approved, verified, submitted, returned, draft)
STATE_WEIGHTS = {1: (80, 8, 5, 3, 4), 2: (65, 10, 10, 5, 10), 3: (45, 10, 15, 5, 25),
                 4: (20, 10, 15, 5, 50)}  # fmt: skip
OVERRIDE = "Data sintetis (kinerja synth): disahkan seperti adanya beserta temuannya."
JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass
class SynthReport:
    provinces: int = 0
    governments: int = 0
    agencies: int = 0
    items: int = 0
    realisations: int = 0
    approved: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, part: SynthReport) -> None:
        """Count in what a pemda wrote (provinces are counted once, by ``generate``)."""
        for name in ("governments", "agencies", "items", "realisations", "approved"):
            setattr(self, name, getattr(self, name) + getattr(part, name))
        for state, n in part.counts.items():
            self.counts[state] = self.counts.get(state, 0) + n


class Progress:
    """``[██████░░░░] 12/20 pemda`` on stderr (no dependency)."""

    width = 30

    def __init__(self, total: int, *, out=None, enabled: bool = True) -> None:  # type: ignore[no-untyped-def]
        self.total, self.out, self.enabled = total, out or sys.stderr, enabled

    def __call__(self, done: int, what: str) -> None:
        if not self.enabled:
            return
        filled = self.width * done // max(self.total, 1)
        bar = "█" * filled + "░" * (self.width - filled)
        end = "\n" if done == self.total else "\r"
        print(f"[{bar}] {done}/{self.total} pemda {what}\033[K", end=end, file=self.out,
              flush=True)  # fmt: skip


BATCH = 2000  # rows per INSERT


def _bulk(model, objs: list) -> list:  # type: ignore[no-untyped-def, type-arg]
    """Bulk insert (COPY on PostgreSQL); the fragment cache's token is moved once per pemda
    (``_Pemda.write``)."""
    from kinerja.web import fragments

    if not objs:
        return objs
    return fragments.bulk_create(model, objs, bump_token=False, batch_size=BATCH)


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _round(value: float, decimals: int) -> Decimal:
    return Decimal(str(round(value, decimals))).normalize() if decimals else Decimal(round(value))


def _money(value: float) -> Decimal:
    """Rupiah to the thousand."""
    return Decimal(int(value) // 1000 * 1000)


def generate(*, governments: int, agencies: int, seed: int, years: tuple[int, ...] = (2024,),
             progress: Callable[[int, str], None] | None = None, jobs: int = 1) -> SynthReport:  # fmt: skip
    """Write the synthetic data into the database (migrated, with no synth data of this seed
    yet). Returns what was written. ``jobs`` > 1 (PostgreSQL only; SQLite has one writer)
    writes the pemda in that many processes, each pemda from its own stream of the seed: the
    same rows as one process."""
    from django.db import connection, connections, transaction

    from kinerja.planning.models import Government, Province
    from kinerja.seed import Loader, _load_scales

    if not 1 <= agencies <= len(AGENCY_KINDS):
        raise ValueError(f"--agencies harus 1–{len(AGENCY_KINDS)}.")
    rng = random.Random(seed)
    report = SynthReport()
    with transaction.atomic():
        _load_scales(Loader())  # the scales the IKU and the predikat read
        n_prov = min(len(PROVINCES), max(1, math.ceil(governments / 2)))
        provinces = []
        for code, name in PROVINCES[:n_prov]:
            province, _ = Province.objects.get_or_create(code=code, defaults={"name": name})
            provinces.append(province)
        report.provinces = n_prov
    prefix = f"s{seed}"
    if Government.objects.filter(slug__startswith=f"{prefix}-").exists():
        raise ValueError(f"data sintetis dengan --seed {seed} sudah ada di basis data ini.")
    names: set[str] = set()
    tasks = []
    for number in range(1, governments + 1):
        province = provinces[(number - 1) % n_prov]
        kota = rng.random() < 0.2
        name = _name(rng)
        while name in names:
            name = _name(rng)
        names.add(name)
        tasks.append(_Pemda(rng.getrandbits(64), province, number, kota, name, prefix, agencies,
                            years))  # fmt: skip  # each pemda its own stream
    if jobs > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block:
        import multiprocessing

        connections.close_all()  # each process opens its own
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            done = pool.imap_unordered(_pemda_in_process, tasks)
            for count, (part, name) in enumerate(done, 1):
                report.add(part)
                if progress is not None:
                    progress(count, name)
        return report
    for task in tasks:
        report.add(task.write())
        if progress is not None:
            progress(task.number, task.name)
    return report


@dataclass
class _Pemda:
    seed: int
    province: object
    number: int
    kota: bool
    name: str
    prefix: str
    agencies: int
    years: tuple[int, ...]

    def write(self) -> SynthReport:
        """The pemda in one transaction; what it wrote."""
        from django.db import transaction

        from kinerja.web import fragments

        part = SynthReport(governments=1)
        # the token's change at the end of the pemda, so that two processes do not take turns
        # on its row for the whole of their transactions (fragments.token_at_end)
        with transaction.atomic(), fragments.token_at_end():
            fragments.bump()  # in the pemda's transaction, for every bulk write in it
            _government(random.Random(self.seed), part, province=self.province,
                        number=self.number, kota=self.kota, name=self.name, prefix=self.prefix,
                        agencies=self.agencies, years=self.years)  # fmt: skip
        return part


def _pemda_in_process(task: _Pemda) -> tuple[SynthReport, str]:
    return task.write(), task.name


def _government(rng: random.Random, report: SynthReport, *, province, number: int, kota: bool,
                name: str, prefix: str, agencies: int, years: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    from kinerja.monitoring.models import ReportingPeriod
    from kinerja.planning.models import Agency, Government, OrgUnit, Scale

    kind = "Kota" if kota else "Kabupaten"
    government = Government.objects.create(
        name=f"Pemerintah {kind} {name}", slug=f"{prefix}-{province.code}-{number:03d}",
        region=f"{kind} {name}", province=province,
        vision=f"{kind} {name} yang maju, sejahtera dan berdaya saing",
    )  # fmt: skip
    periods = []
    for year in years:
        for q in range(1, 5):
            opens = date(year, 3 * q, 28) + timedelta(days=4)
            periods.append(ReportingPeriod(government=government, year=year, quarter=q,
                                           opens_on=opens, closes_on=opens + timedelta(days=14)))  # fmt: skip
    _bulk(ReportingPeriod, periods)
    kinds = rng.sample(AGENCY_KINDS, agencies)
    made = _bulk(Agency, [
        Agency(government=government, name=f"{full} {kind} {name}",
               abbreviation=abbr.upper() if len(abbr) <= 5 else abbr.capitalize(),
               slug=f"{government.slug}-{abbr}")
        for abbr, full, _bidang in kinds
    ])  # fmt: skip
    for a in made:  # SQLite before 3.35 returns no ids: read them back
        if a.pk is None:
            a.pk = Agency.objects.get(slug=a.slug).pk
    units = _bulk(OrgUnit, [
        OrgUnit(agency=a, name=u, abbreviation="".join(w[0] for w in u.split()))
        for a in made for u in ("Sekretariat", "Bidang Program", "Bidang Layanan", "Bidang Pengawasan")
    ])  # fmt: skip
    by_agency: dict[int, list] = {}
    for u in units:
        by_agency.setdefault(u.agency_id, []).append(u)
    batch = _Batch(scale=Scale.objects.filter(code="predikat_capaian", version=1).first())
    for agency, (_abbr, _full, bidang) in zip(made, kinds, strict=True):
        _agency(rng, report, batch, agency, units=by_agency[agency.pk], bidang=bidang,
                years=years)  # fmt: skip
    batch.write(report)
    report.agencies += len(made)


@dataclass
class _Batch:
    """A pemda's rows, drawn agency by agency in the seed's order and written model by model
    (one bulk insert each, parents first: a child names its parent object, whose id the
    insert fills in). Realisations go in quarter by quarter, each quarter's approvals right
    after its own: an approved quarter freezes what its agency had entered by then, as when
    the rows were written agency by agency."""

    scale: object
    plans: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    objectives: list = field(default_factory=list)
    indicators: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    iku_values: list = field(default_factory=list)
    items: tuple[list, list, list] = field(default_factory=lambda: ([], [], []))
    action_plans: list = field(default_factory=list)
    # per (year, quarter): the realisations, the approvals (agency, when), other states' rows
    realisations: dict = field(default_factory=dict)
    approvals: dict = field(default_factory=dict)
    submissions: dict = field(default_factory=dict)

    def write(self, report: SynthReport) -> None:
        from kinerja.monitoring.models import IndicatorRealisation, QuarterSubmission, Realisation
        from kinerja.monitoring.workflow import approve_imported_quarters
        from kinerja.planning.models import (
            ActionPlan,
            Goal,
            Indicator,
            IndicatorTarget,
            Objective,
            StrategicPlan,
            WorkItem,
        )
        from kinerja.web import fragments

        # the Renstra has a history (as StrategicPlan.objects.create gave it): in bulk too
        fragments.bulk_create_with_history(self.plans, StrategicPlan, batch_size=BATCH)
        for model, objs in ((Goal, self.goals), (Objective, self.objectives),
                            (Indicator, self.indicators), (IndicatorTarget, self.targets),
                            (IndicatorRealisation, self.iku_values)):  # fmt: skip
            _bulk(model, objs)
        for level in self.items:  # programs, then kegiatan, then sub kegiatan
            report.items += len(_bulk(WorkItem, level))
        _bulk(ActionPlan, self.action_plans)
        for when in sorted(self.realisations):
            year, q = when
            rows = self.realisations[when]
            _bulk(Realisation, rows)
            report.realisations += len(rows)
            approve_imported_quarters(quarters=self.approvals.get(when, []), year=year,
                                      quarter=q, reason="kinerja synth", override=OVERRIDE)  # fmt: skip
            _bulk(QuarterSubmission, self.submissions.get(when, []))


@dataclass
class _Item:
    obj: object
    level: str
    parent: _Item | None = None


def _agency(rng: random.Random, report: SynthReport, batch: _Batch, agency, *, units,  # type: ignore[no-untyped-def]
            bidang: str, years: tuple[int, ...]) -> None:  # fmt: skip
    """The agency's rows into ``batch``, drawn in the seed's order."""
    from kinerja.monitoring.models import IndicatorRealisation
    from kinerja.planning.models import Goal, Indicator, IndicatorTarget, Objective, StrategicPlan

    start = min(years) - 1
    plan = StrategicPlan(agency=agency, start_year=start, end_year=start + 5)
    batch.plans.append(plan)
    scale = batch.scale
    goals = [
        Goal(plan=plan, number=n, text=f"Meningkatnya {rng.choice(SUBJECTS).lower()} "
             f"{agency.name.split(' Kabupaten')[0].split(' Kota')[0].lower()}")
        for n in range(1, rng.randint(1, 2) + 1)
    ]  # fmt: skip
    batch.goals += goals
    objectives = [
        Objective(goal=g, code=f"{g.number}.{n}",
                  text=f"Meningkatnya {rng.choice(SUBJECTS).lower()} yang {rng.choice(('andal', 'merata', 'akuntabel', 'tepat waktu'))}")
        for g in goals for n in range(1, rng.randint(1, 2) + 1)
    ]  # fmt: skip
    batch.objectives += objectives
    indicators = []
    position = 0
    for g in goals:
        position += 1
        indicators.append(Indicator(plan=plan, goal=g, position=position, unit="%",
                                    name=f"Persentase capaian tujuan {g.number}",
                                    aggregation="last", is_key=False))  # fmt: skip
    for o in objectives:
        for _ in range(rng.randint(1, 2)):
            position += 1
            unit, low, high, decimals = rng.choice(UNITS)
            indicators.append(Indicator(
                plan=plan, objective=o, position=position, unit=unit,
                name=f"{rng.choice(('Jumlah', 'Persentase', 'Indeks', 'Tingkat'))} "
                     f"{rng.choice(SUBJECTS).lower()} sasaran {o.code}",
                definition="Definisi operasional indikator (data sintetis).",
                formula="Realisasi dibagi target dikali 100%", data_source="Laporan bidang",
                polarity="lower" if rng.random() < RATE_LOWER else "higher",
                aggregation="last", is_key=True, scale=scale if unit == "%" else None,
                decimals=decimals or None,
            ))  # fmt: skip
    batch.indicators += indicators
    targets, iku_values = batch.targets, batch.iku_values
    for ind in indicators:
        unit = next((u for u in UNITS if u[0] == ind.unit), UNITS[2])
        base = rng.uniform(unit[1], unit[2])
        for year in range(plan.start_year, plan.end_year + 1):
            step = (year - plan.start_year) * rng.uniform(0, 0.04) * base
            value = base - step if ind.polarity == "lower" else base + step
            revised = (
                _round(value * rng.uniform(0.95, 1.05), unit[3]) if rng.random() < 0.1 else None
            )
            targets.append(IndicatorTarget(indicator=ind, year=year,
                                           original=_round(value, unit[3]), revised=revised))  # fmt: skip
        if ind.is_key:
            for year in years:
                for q in range(1, 5):
                    missing = rng.random() < 0.15
                    iku_values.append(IndicatorRealisation(
                        indicator=ind, year=year, quarter=q,
                        value=None if missing else _round(base * rng.uniform(0.5, 1.1), unit[3]),
                        source="Laporan bidang", note="belum diukur" if missing else "",
                    ))  # fmt: skip
    factor = rng.uniform(0.35, 1.05)  # how well this agency does
    for year in years:
        _renja(rng, report, batch, agency, year=year, units=units, objectives=objectives,
               bidang=bidang, factor=factor)  # fmt: skip


def _renja(rng: random.Random, report: SynthReport, batch: _Batch, agency, *, year: int,  # type: ignore[no-untyped-def]
           units, objectives, bidang: str, factor: float) -> None:  # fmt: skip
    """The year's Renja (30–120 items), action plans, realisations quarter by quarter, and the
    quarters' states into ``batch``; approved ones are approved by ``_Batch.write`` through
    the approval step."""
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus
    from kinerja.planning.models import ActionPlan

    total = rng.randint(30, 120)
    # shape: programs, kegiatan per program, sub kegiatan per kegiatan, summing to ``total``
    programs = max(2, min(9, round(total / rng.uniform(11, 16))))
    remaining = total - programs
    kegiatan_per = [1] * programs
    remaining -= programs
    for _ in range(max(0, remaining // 4)):
        kegiatan_per[rng.randrange(programs)] += 1
        remaining -= 1
    n_keg = sum(kegiatan_per)
    sub_per = [0] * n_keg
    for _ in range(remaining):
        sub_per[rng.randrange(n_keg)] += 1
    position = 0
    levels: list[list[_Item]] = [[], [], []]
    keg_index = 0
    program_codes = rng.sample(range(1, 30), programs)
    program_codes[0] = 1  # the "penunjang urusan" program every agency has
    for p in range(programs):
        pcode = f"{bidang}.{program_codes[p]:02d}"
        position += 1
        prog = _Item(_work_item(rng, agency, year, position, "program", pcode, units, objectives,
                                f"Program {rng.choice(PROGRAM_WORDS)} {rng.choice(SUBJECTS)}"),
                     "program")  # fmt: skip
        levels[0].append(prog)
        for k in range(kegiatan_per[p]):
            kcode = f"{pcode}.{rng.choice((1, 2, 2))}.{k + 1:02d}"
            position += 1
            keg = _Item(_work_item(rng, agency, year, position, "kegiatan", kcode, units,
                                   objectives, f"{rng.choice(PROGRAM_WORDS)} {rng.choice(SUBJECTS)}"),
                        "kegiatan", prog)  # fmt: skip
            levels[1].append(keg)
            for s in range(sub_per[keg_index]):
                position += 1
                sub = _Item(_work_item(rng, agency, year, position, "sub_kegiatan",
                                       f"{kcode}.{s + 1:04d}", units, objectives,
                                       f"{rng.choice(PROGRAM_WORDS)} {rng.choice(SUBJECTS)} {s + 1}"),
                            "sub_kegiatan", keg)  # fmt: skip
                levels[2].append(sub)
            keg_index += 1
    # pagu bottom-up: a sub kegiatan's own, a kegiatan's the sum of its children (or its own)
    pagu: dict[int, Decimal] = {}
    for item in levels[2]:
        pagu[id(item)] = _money(rng.lognormvariate(19.3, 0.9))
    for lvl in (1, 0):
        for item in levels[lvl]:
            children = [c for c in levels[lvl + 1] if c.parent is item]
            pagu[id(item)] = (sum((pagu[id(c)] for c in children), Decimal(0)) if children
                              else _money(rng.lognormvariate(20, 0.8)))  # fmt: skip
    for lvl, items in enumerate(levels):
        for item in items:
            wi = item.obj
            wi.budget_original = pagu[id(item)]
            if rng.random() < RATE_REVISED_PAGU:
                wi.budget_revised = _money(float(wi.budget_original) * rng.uniform(0.85, 1.15))
                wi.budget_revised_on = date(year, 9, 30)
                wi.budget_revision_reason = "APBD Perubahan"
                wi.budget_legal_basis = f"Perda APBD-P {year}"
            if item.parent is not None:
                wi.parent = item.parent.obj  # not written yet: its id is set when it is
        batch.items[lvl].extend(i.obj for i in items)
    every = [i for items in levels for i in items]
    # rencana aksi: the quarter's K target and cash plan
    plans = batch.action_plans
    for item in every:
        wi = item.obj
        shares = [rng.uniform(0.15, 0.35) for _ in range(4)]
        scale = sum(shares)
        for q in range(1, 5):
            cash = None if rng.random() < RATE_CASH_MISSING else _money(
                float(wi.budget_original) * shares[q - 1] / scale)  # fmt: skip
            plans.append(ActionPlan(work_item=wi, quarter=q, cash_plan=cash,
                                    target_k=_quarter_target(wi, q)))  # fmt: skip
    states = {q: rng.choices(("approved", "verified", "submitted", "returned", "draft"),
                             weights=STATE_WEIGHTS[q])[0] for q in range(1, 5)}  # fmt: skip
    when = {q: datetime(year, 3 * q, 28, 10, tzinfo=JAKARTA) + timedelta(days=20)
            for q in range(1, 5)}  # fmt: skip
    for q in range(1, 5):
        empty = states[q] == "draft" and rng.random() < RATE_QUARTER_EMPTY
        rows = [] if empty else [r for i in every if (r := _realisation(rng, i.obj, q, factor))]
        batch.realisations.setdefault((year, q), []).extend(rows)
        if states[q] == "approved":
            batch.approvals.setdefault((year, q), []).append((agency, when[q]))
            report.approved += 1
        elif states[q] != "draft" or rng.random() < 0.5:  # a draft may have no row yet
            batch.submissions.setdefault((year, q), []).append(QuarterSubmission(
                agency=agency, year=year, quarter=q, status=SubmissionStatus(states[q])))  # fmt: skip
        report.counts[states[q]] = report.counts.get(states[q], 0) + 1


def _work_item(rng: random.Random, agency, year: int, position: int, level: str, code: str,  # type: ignore[no-untyped-def]
               units, objectives, name: str):  # fmt: skip
    from kinerja.planning.models import WorkItem

    unit, low, high, decimals = rng.choice(UNITS)
    target = _round(rng.uniform(low, high), decimals)
    if target == 0:
        target = Decimal(1)
    lower = rng.random() < RATE_LOWER
    aggregation = ("sum" if unit not in ("%", "Indeks") else
                   rng.choice(("last", "average", "max", "last")))  # fmt: skip
    ranged = rng.random() < RATE_RANGE
    renstra = target * rng.choice((3, 4, 5)) if aggregation == "sum" else target
    return WorkItem(
        agency=agency, year=year, position=position, level=level, code=code, name=name,
        indicator=f"{'Persentase' if unit == '%' else 'Jumlah'} {name.lower()}", unit=unit,
        decimals=decimals or None, responsible_unit=rng.choice(units),
        objective=rng.choice(objectives) if level == "program" else None,
        polarity="lower" if lower else "higher", aggregation=aggregation,
        target_k=target, target_k_upper=(target + _round(abs(float(target)) * 0.1, decimals)
                                         if ranged and decimals else None),
        renstra_target_k=renstra, renstra_target_unit=unit,
        renstra_realised_k=(_round(float(renstra) * rng.uniform(0.2, 0.6), decimals)
                            if aggregation == "sum" else _round(float(target) * 0.9, decimals)),
        renstra_realised_unit=unit,
    )  # fmt: skip


def _quarter_target(wi, q: int) -> Decimal | None:  # type: ignore[no-untyped-def]
    if wi.target_k is None:
        return None
    if wi.aggregation == "sum":
        return _round(float(wi.target_k) * q / 4, 2) - _round(float(wi.target_k) * (q - 1) / 4, 2)
    return wi.target_k


def _realisation(rng: random.Random, wi, q: int, factor: float):  # type: ignore[no-untyped-def]
    """The quarter's realisation of an item (per quarter, not cumulative), or None where
    nothing at all was entered; its K or Rp may be missing (None, not 0)."""
    from kinerja.monitoring.models import Realisation

    unit = next(u for u in UNITS if u[0] == wi.unit)
    decimals = unit[3]
    perf = max(0.0, rng.gauss(factor, 0.15))
    if wi.polarity == "lower":
        perf = max(0.0, 2 - perf)
    target = float(wi.target_k)
    k: Decimal | None
    r = rng.random()
    if r < RATE_K_MISSING:
        k = None
    elif r < RATE_K_MISSING + RATE_ZERO:
        k = Decimal(0)
    elif wi.aggregation == "sum":
        k = _round(target / 4 * perf, decimals)
    else:
        k = _round(min(target * perf, 100.0 if wi.unit == "%" else target * 3), decimals)
    if k is not None and rng.random() < RATE_OUTLIER:
        k = k * 10
    pagu = float(wi.budget_original)
    r = rng.random()
    rp: Decimal | None
    if r < RATE_RP_MISSING:
        rp = None
    elif r < RATE_RP_MISSING + RATE_ZERO:
        rp = Decimal(0)
    else:
        rp = _money(pagu / 4 * min(1.2, max(0.0, rng.gauss(factor, 0.2))))
    if rp is not None and rng.random() < RATE_OVER_PAGU:
        rp = _money(pagu * rng.uniform(1.05, 1.3))
    if k is None and rp is None:
        return None
    unit_written = wi.unit
    if rng.random() < RATE_UNIT_DEFECT:
        unit_written = rng.choice([u[0] for u in UNITS if u[0] != wi.unit])
    return Realisation(work_item=wi, quarter=q, value_k=k, value_rp=rp,
                       value_k_unit=unit_written if k is not None else "")  # fmt: skip


def cmd_synth(args) -> int:  # type: ignore[no-untyped-def]
    """``kinerja synth``: migrate, then generate; what was written on stdout."""
    from kinerja.cli import _fail, setup_django

    try:
        years = tuple(sorted({int(y) for y in args.years.split(",") if y.strip()}))
    except ValueError:
        return _fail(f"--years «{args.years}» harus berupa tahun dipisah koma, mis. 2024,2025.")
    if not years or not all(2000 <= y <= 2100 for y in years):
        return _fail("--years harus berisi tahun 2000–2100, mis. 2024,2025.")
    if args.governments < 1:
        return _fail("--governments harus paling sedikit 1.")
    if not 1 <= args.agencies <= len(AGENCY_KINDS):
        return _fail(f"--agencies harus 1–{len(AGENCY_KINDS)} (per pemda).")
    if args.jobs < 1:
        return _fail("--jobs harus paling sedikit 1.")
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    try:
        report = generate(governments=args.governments, agencies=args.agencies, seed=args.seed,
                          years=years, jobs=args.jobs,
                          progress=Progress(args.governments, enabled=not args.quiet))  # fmt: skip
    except ValueError as exc:
        return _fail(str(exc))
    states = ", ".join(f"{k} {v}" for k, v in sorted(report.counts.items()))
    print(f"{report.provinces} provinsi, {report.governments} pemda, {report.agencies} perangkat "
          f"daerah, {report.items} item Renja, {report.realisations} realisasi; triwulan: "
          f"{states} ({report.approved} disahkan dengan rekam pengesahan).")  # fmt: skip
    return 0
