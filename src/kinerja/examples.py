"""Generated example agencies (data rekaan) of the seed's pemda, so the pemda overview has
more than one row to compare. Deterministic (seeded random) and idempotent (upsert by slug
and by the natural keys of each row): running ``kinerja demo`` twice changes nothing."""

from __future__ import annotations

import random
from decimal import Decimal

from django.db import transaction

from kinerja.monitoring.models import QuarterSubmission, Realisation, SubmissionStatus
from kinerja.monitoring.workflow import approve_imported_quarter
from kinerja.planning.models import Agency, Government, WorkItem
from kinerja.seed import Loader, load_example_kop

__all__ = ["EXAMPLES", "create_example_agencies"]

# (slug, name, abbreviation, TW I state, how well the agency did: a factor on its targets)
EXAMPLES = (
    ("contoh-dinas-pendidikan", "Dinas Contoh Pendidikan (contoh)", "Disdik (contoh)",
     SubmissionStatus.APPROVED, 0.78),
    ("contoh-dinas-kesehatan", "Dinas Contoh Kesehatan (contoh)", "Dinkes (contoh)",
     SubmissionStatus.VERIFIED, 0.70),
    ("contoh-dinas-pupr", "Dinas Contoh Pekerjaan Umum (contoh)", "DPUPR (contoh)",
     SubmissionStatus.SUBMITTED, 0.55),
    ("contoh-dinas-sosial", "Dinas Contoh Sosial (contoh)", "Dinsos (contoh)",
     SubmissionStatus.DRAFT, 0.30),
    ("contoh-dinas-pertanian", "Dinas Contoh Pertanian (contoh)", "Distan (contoh)",
     SubmissionStatus.RETURNED, 0.80),
    ("contoh-dinas-perhubungan", "Dinas Contoh Perhubungan (contoh)", "Dishub (contoh)",
     SubmissionStatus.DRAFT, 0.0),
)  # fmt: skip
# why an example's TW I is approved with blocking items on its Lembar Pemeriksaan
EXAMPLE_OVERRIDE = "Data contoh (rekaan) untuk peragaan; temuannya dibiarkan seperti adanya."
PROGRAMS = (
    ("Program Penunjang Urusan Pemerintahan Daerah", "Persentase layanan administrasi", "%"),
    ("Program Peningkatan Layanan", "Jumlah layanan yang diberikan", "layanan"),
    ("Program Pembinaan dan Pengawasan", "Jumlah kegiatan pembinaan", "kegiatan"),
)


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high) * 1_000_000)


@transaction.atomic
def create_example_agencies(government: Government, *, year: int = 2024,
                            count: int = 4) -> list[Agency]:  # fmt: skip
    """Up to ``count`` example agencies of ``government`` with a small Renja (2–3 programs,
    each with one kegiatan and one or two sub kegiatan), TW I realisations and a TW I state."""
    loader = Loader()
    agencies = []
    for number, (slug, name, abbr, state, factor) in enumerate(EXAMPLES[:count], start=1):
        rng = random.Random(f"{slug}-{year}")  # the same numbers on every run
        agency = loader.upsert(Agency, {"slug": slug},
                               {"government": government, "name": name, "abbreviation": abbr,
                                "is_example": True})  # fmt: skip
        load_example_kop(loader, agency, year=year)  # before TW I is approved (its snapshot)
        position = 0

        def item(parent: WorkItem | None, level: str, code: str, label: str, indicator: str,
                 unit: str, target: int, pagu: Decimal, agency: Agency = agency) -> WorkItem:  # fmt: skip
            nonlocal position
            position += 1
            return loader.upsert(
                WorkItem,
                {"agency": agency, "year": year, "position": position},
                {"parent": parent, "level": level, "code": code, "name": label,
                 "indicator": indicator, "unit": unit, "target_k": Decimal(target),
                 "budget_original": pagu},
            )  # fmt: skip

        def realise(work_item: WorkItem, target: int, pagu: Decimal, factor: float = factor,
                    rng: random.Random = rng) -> None:  # fmt: skip
            if not factor:
                return  # an agency that has entered nothing yet
            spread = Decimal(rng.randrange(85, 116)) / 100
            value_k = (Decimal(target) * Decimal(str(factor)) * spread).quantize(Decimal(1))
            value_rp = (pagu * Decimal(str(factor)) * spread).quantize(Decimal(1000))
            loader.upsert(Realisation, {"work_item": work_item, "quarter": 1},
                          {"value_k": value_k, "value_rp": value_rp})  # fmt: skip

        for p, (program, indicator, unit) in enumerate(PROGRAMS[: 2 + number % 2], start=1):
            code = f"9.{number:02d}.{p:02d}"
            sub_pagus = [_money(rng, 50, 900) for _ in range(1 + rng.randrange(2))]
            pagu = sum(sub_pagus, Decimal(0))
            target = 100 if unit == "%" else rng.randrange(12, 200)
            row = item(None, "program", code, program, indicator, unit, target, pagu)
            realise(row, target, pagu)
            keg = item(row, "kegiatan", f"{code}.1.01", f"Kegiatan {program[8:]}",
                       f"Jumlah dokumen {program[8:].lower()}", "dokumen", 12, pagu)  # fmt: skip
            realise(keg, 12, pagu)
            for s, sub_pagu in enumerate(sub_pagus, start=1):
                sub_target = rng.randrange(4, 40)
                sub = item(keg, "sub_kegiatan", f"{code}.1.01.{s:04d}",
                           f"Sub Kegiatan {s} {program[8:]}", "Jumlah layanan", "layanan",
                           sub_target, sub_pagu)  # fmt: skip
                realise(sub, sub_target, sub_pagu)
        if state == SubmissionStatus.APPROVED:  # through the approval, so it has its snapshot
            done = QuarterSubmission.objects.filter(agency=agency, year=year, quarter=1,
                                                    status=state).exists()  # fmt: skip
            if not done:
                approve_imported_quarter(agency=agency, year=year, quarter=1,
                                         reason="Data contoh (rekaan)",
                                         override=EXAMPLE_OVERRIDE)  # fmt: skip
        else:
            loader.upsert(QuarterSubmission, {"agency": agency, "year": year, "quarter": 1},
                          {"status": state})  # fmt: skip
        agencies.append(agency)
    return agencies
