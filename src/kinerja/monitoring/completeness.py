"""How complete a quarter's input is, as the confirmation of *Ajukan*, *Verifikasi* and
*Sahkan* shows it: the Renja rows with no realisation this quarter (no K and no Rp — the same
count as the worklist's "11 / 61"), the key indicators (IKU) with no realisation, the
indicators and programs with no narrative (faktor pendukung, penghambat, tindak lanjut) and the
report's own texts not written. Informational: none of these blocks a step (the *Lembar
Pemeriksaan* says what blocks *Sahkan*). Read-only, a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from kinerja.planning.models import Agency, Indicator, WorkItem

from .models import IndicatorRealisation, Narrative, Realisation

FACTOR_KINDS = ("supporting", "inhibiting", "follow_up")
REPORT_KINDS = ("foreword", "background", "closing", "recommendation")


@dataclass(frozen=True)
class Completeness:
    rows: int  # the year's Renja rows
    empty_rows: tuple[str, ...]  # "5.03.02.2.02.0001 Nama" of each row with nothing entered
    indicators: int  # the key indicators (IKU) of the year
    iku_missing: tuple[str, ...]  # their names, where no realisation was entered
    subjects: int  # the indicators and programs that take a narrative
    narratives_missing: tuple[str, ...]  # those with no factor narrative at all
    texts_missing: tuple[str, ...]  # the report's own texts not written, by their label

    @property
    def rows_empty(self) -> int:
        return len(self.empty_rows)

    @property
    def complete(self) -> bool:
        return not (self.empty_rows or self.iku_missing or self.narratives_missing
                    or self.texts_missing)  # fmt: skip


def completeness(agency: Agency, *, year: int, quarter: int) -> Completeness:
    items = list(WorkItem.objects.filter(agency=agency, year=year).order_by("position")
                 .only("pk", "code", "name"))  # fmt: skip
    entered = set(
        Realisation.objects.filter(work_item__agency=agency, work_item__year=year, quarter=quarter)
        .filter(Q(value_k__isnull=False) | Q(value_rp__isnull=False))
        .values_list("work_item_id", flat=True)
    )
    keys = list(
        Indicator.objects.filter(plan__agency=agency, plan__start_year__lte=year,
                                 plan__end_year__gte=year, is_key=True).order_by("position")
    )  # fmt: skip
    measured = set(
        IndicatorRealisation.objects.filter(indicator__in=keys, year=year, quarter=quarter,
                                            value__isnull=False)
        .values_list("indicator_id", flat=True)
    )  # fmt: skip
    written = Narrative.objects.filter(agency=agency, year=year, quarter=quarter).values_list(
        "kind", "indicator_id", "work_item_id"
    )
    told, own = set(), set()
    for kind, indicator_id, work_item_id in written:
        if kind in FACTOR_KINDS and (indicator_id or work_item_id):
            told.add(("i", indicator_id) if indicator_id else ("w", work_item_id))
        elif kind in REPORT_KINDS and not indicator_id and not work_item_id:
            own.add(kind)
    # the narratives page's subjects: key indicators of a sasaran, then the year's programs
    subjects = [(("i", i.pk), i.name) for i in keys if i.objective_id is not None]
    subjects += [(("w", i.pk), i.name) for i in WorkItem.objects.filter(
        agency=agency, year=year, level="program", indicator_of__isnull=True,
    ).order_by("position")]  # fmt: skip
    return Completeness(
        rows=len(items),
        empty_rows=tuple(f"{i.code} {i.name}".strip() for i in items if i.pk not in entered),
        indicators=len(keys),
        iku_missing=tuple(i.name for i in keys if i.pk not in measured),
        subjects=len(subjects),
        narratives_missing=tuple(name for key, name in subjects if key not in told),
        texts_missing=tuple(str(Narrative.Kind(k).label) for k in REPORT_KINDS if k not in own),
    )
