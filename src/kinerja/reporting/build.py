"""Database → ReportData. The numbers come from ``kinerja.core``; nothing is computed here.

``form_report`` is pure (an Evaluation in, a FormReport out), so a report can be made from
a file as well; ``build_form_report`` reads the database and calls it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from kinerja.core.checks import RULE_TITLES, Finding
from kinerja.core.evaluation import RULE_LABELS, Evaluation, FooterFigure, explain_row
from kinerja.core.form import Pair
from kinerja.core.urusan import program_urusan, urusan_name

from .data import FindingLine, FooterLine, FormHeading, FormLine, FormReport, KRp, Signature

# A heading whose code Kinerja's table (kinerja.core.urusan) does not name: the code is printed
# with this note rather than a guessed name.
UNNAMED_URUSAN = "(nama urusan untuk kode ini belum tercatat di Kinerja)"
UNNAMED_BIDANG = "(nama bidang urusan untuk kode ini belum tercatat di Kinerja)"
NO_URUSAN = "(urusan tidak terbaca dari kode program)"


def _krp(pair: Pair) -> KRp:
    return KRp(k=pair.k, rp=pair.rp, k_upper=pair.k_upper, k_unit=pair.k_unit)


def _footer(figure: FooterFigure) -> FooterLine:
    return FooterLine(
        rule=figure.rule.value,
        label=RULE_LABELS[figure.rule],
        value=figure.value,
        rating=figure.rating,
        explain=figure.explain(),
        row_ids=tuple(t[0] for t in figure.terms),
        cap=figure.cap,
    )


def finding_line(f: Finding) -> FindingLine:
    return FindingLine(f.rule, f.severity.value, f.row, f.message, RULE_TITLES.get(f.rule, ""))


def form_headings(rows: tuple[FormLine, ...]) -> tuple[FormHeading, ...]:
    """The urusan and bidang urusan rows above the programs (Permendagri 86/2017), from each
    program's code: a new urusan or bidang urusan gets its row where it begins. A program
    whose code names none gets a row saying so, so it is not read as belonging to the one
    above it."""
    headings: list[FormHeading] = []
    current: tuple[str, str] | None | bool = False  # False: before the first program
    for line in rows:
        if not line.numbered:  # a kegiatan, or a program's further indicator (no code)
            continue
        found = program_urusan(line.code)
        if found == current:
            continue
        if found is None:
            headings.append(FormHeading("urusan", "", NO_URUSAN, line.id))
        else:
            urusan, bidang = found
            if not isinstance(current, tuple) or current[0] != urusan:
                name = urusan_name(urusan) or UNNAMED_URUSAN
                headings.append(FormHeading("urusan", urusan, name, line.id))
            name = urusan_name(bidang) or UNNAMED_BIDANG
            headings.append(FormHeading("bidang_urusan", bidang, name, line.id))
        current = found
    return tuple(headings)


def _once(texts: list[str]) -> tuple[str, ...]:
    """Each text once, in first-seen order: the form's footer is one list for the agency,
    while the report's Tabel 3.3/3.4 give a factor per indicator and per program — the seed
    states the same factor for two programs, which the footer prints once."""
    return tuple(dict.fromkeys(t.strip() for t in texts if t.strip()))


def form_report(
    evaluation: Evaluation,
    *,
    government: str,
    agency: str,
    agency_abbreviation: str = "",
    supporting: tuple[str, ...] = (),
    inhibiting: tuple[str, ...] = (),
    follow_up: tuple[str, ...] = (),
    next_plan: tuple[str, ...] = (),
    signature: Signature | None = None,
    objectives: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    draft: bool = False,
) -> FormReport:
    """``objectives`` maps a row id to the sasaran printed in column 2 on that row,
    ``decimals`` a row id to its K values' declared decimals."""
    objectives = objectives or {}
    decimals = decimals or {}
    rows = tuple(
        FormLine(
            id=r.row.id,
            level=r.row.level.value,
            code="" if r.row.continues else r.row.code or "",
            name="" if r.row.continues else r.row.name,
            indicator=r.row.indicator or "",
            unit=r.row.unit or "",
            responsible_unit=r.row.responsible_unit or "",
            polarity=r.row.polarity.value,
            aggregation=r.row.aggregation.value,
            renstra_target=_krp(r.row.renstra_target),
            renstra_realised_before=_krp(r.row.renstra_realised_before),
            year_target=_krp(r.row.year_target),
            quarters=tuple(_krp(q) for q in r.row.quarters),  # type: ignore[arg-type]
            col13=KRp(r.col13_k, r.col13_rp),
            col14=KRp(r.col14_k, r.col14_rp),
            col15=KRp(r.col15_k, r.col15_rp),
            col16=KRp(r.col16_k, r.col16_rp),
            explain=explain_row(r),
            objective=objectives.get(r.row.id, ""),
            decimals=decimals.get(r.row.id),
            continues=r.row.continues,
        )
        for r in evaluation.rows
    )
    return FormReport(
        government=government,
        agency=agency,
        agency_abbreviation=agency_abbreviation,
        year=evaluation.form.year,
        quarter=evaluation.form.quarter,
        rows=rows,
        footer_k=_footer(evaluation.footer.k),
        footer_rp=_footer(evaluation.footer.rp),
        findings=tuple(finding_line(f) for f in evaluation.findings),
        supporting=supporting,
        inhibiting=inhibiting,
        follow_up=follow_up,
        next_plan=next_plan,
        headings=form_headings(rows),
        signature=signature,
        draft=draft,
    )


def build_form_report(agency, *, year: int, quarter: int, signed_on: date,  # type: ignore[no-untyped-def]
                      inp=None) -> FormReport:  # fmt: skip
    """The evaluation form of an agency's quarter, from its input (``kinerja.record``: an
    approved quarter's snapshot, the live tables otherwise)."""
    from kinerja.core.evaluation import evaluate_form
    from kinerja.monitoring.queries import form_from_input
    from kinerja.planning.queries import label_of
    from kinerja.record.snapshots import latest_snapshot, quarter_input

    if inp is None:
        inp = quarter_input(agency, year=year, quarter=quarter)
    evaluation = evaluate_form(form_from_input(inp))
    texts: dict[str, list[str]] = {}
    # by indicator (Tabel 3.3), then by program (3.4), then the agency's own
    for n in sorted(inp.narratives, key=lambda n: (
        n.kind, n.indicator_key is None, n.indicator_key or 0, n.work_item_key is None,
        n.work_item_key or 0, n.position,
    )):  # fmt: skip
        texts.setdefault(n.kind, []).append(n.text)
    head = inp.signatory("first")
    signature = Signature(
        place=agency.government.region,
        signed_on=signed_on,
        title=head.title if head else f"Kepala {agency.name}",
        name=head.name if head else "",
        nip=head.nip if head else "",
        rank=head.rank if head else "",
        acting=head.acting if head else "",
    )
    return form_report(
        evaluation,
        government=agency.government.name,
        agency=agency.name,
        agency_abbreviation=agency.abbreviation,
        supporting=_once(texts.get("supporting", [])),
        inhibiting=_once(texts.get("inhibiting", [])),
        # Tindak lanjut: the operator's per-indicator/program follow-ups (entered with the
        # factors of the quarter) are what the next quarter must do; the agency's
        # recommendations (the report's "Rekomendasi Tindak Lanjut") are carried into the next
        # rencana kerja — the seed's recommend lasting practice "pada periode mendatang".
        follow_up=_once(texts.get("follow_up", [])),
        next_plan=_once(texts.get("recommendation", [])),
        signature=signature,
        objectives={
            label_of(i.code, i.position): i.objective
            for i in inp.items
            if i.objective and i.continues_key is None
        },  # once, on the item's row
        decimals={
            label_of(i.code, i.position): i.decimals for i in inp.items if i.decimals is not None
        },  # fmt: skip
        draft=latest_snapshot(agency.pk, year=year, quarter=quarter) is None,
    )
