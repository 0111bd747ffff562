"""The quarterly report (Laporan Capaian Kinerja Triwulan) as PDF, through Typst.

As for the form (``pdf_form.py``), Python turns the QuarterlyReport into display strings —
every number formatted by ``kinerja.core.numbers`` — and a static template,
``reporting/templates/laporan.typ``, only lays them out: cover, Kata Pengantar, Daftar Isi,
BAB I–IV on A4 or F4 portrait, and the evaluation form as the appendix on landscape pages,
drawn by the form's own template (``form.typ``, imported) from ``form_context``.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from decimal import Decimal
from importlib import resources
from typing import Any

from kinerja.core.numbers import format_number

from ..data import FactorLine, FindingLine, QuarterlyReport
from . import Provenance, Renderer, register
from .pdf_form import FONT_FILES, FONTS, SEVERITIES, _signature, form_context
from .pdf_form import TEMPLATE as FORM_TEMPLATE

TEMPLATE = "reporting/templates/laporan.typ"

# The body's paper (portrait, mm) and the appendix's paper (a key of pdf_form.PAPERS:
# landscape, with the form's type size). "a3" names the appendix paper the CLI offers for
# every PDF; the body stays A4.
PAPERS: dict[str, tuple[tuple[int, int], str]] = {
    "a4": ((210, 297), "a3"),
    "f4": ((215, 330), "f4"),
    "a3": ((210, 297), "a3"),
}


def _n(value: Decimal | None) -> str:
    """A target or realisation as entered: its own decimals (0,7; 89,95; 84)."""
    return format_number(value)


def _pct(value: Decimal | None) -> str:
    return format_number(value, 2)


def _items(text: str) -> list[str]:
    """``A; B; C`` (how the builder joins several units) as a list."""
    return [part.strip() for part in text.split(";") if part.strip()]


def _targets(data: QuarterlyReport) -> list[dict[str, Any]]:
    """Tabel 2.2: per indicator, for each year the original and the revised target."""
    rows = []
    for series in data.targets:
        original, revised = dict(series.original), dict(series.revised)
        years = []
        for year in data.target_years:
            before, after = original.get(year), revised.get(year)
            changed = after is not None and before is not None and after != before
            years.append([_n(before), _n(after), changed])
        label = "Tujuan" if series.level == "tujuan" else "Sasaran"
        rows.append({
            "group": f"{label} {series.number}: {series.statement}",
            "indicator": series.indicator,
            "unit": series.unit,
            "years": years,
        })  # fmt: skip
    return rows


def _iku(data: QuarterlyReport) -> list[dict[str, Any]]:
    return [
        {
            "number": str(sheet.number),
            "level": "Tujuan" if sheet.level == "tujuan" else "Sasaran strategis",
            "statement": sheet.statement,
            "indicator": sheet.indicator,
            "unit": sheet.unit,
            "definition": sheet.definition,
            "formula": sheet.formula,
            "data_source": sheet.data_source,
            "weights": "; ".join(f"{name} {weight} %" for name, weight in sheet.weights),
            "scale_name": sheet.scale_name,
            "scale": [list(band) for band in sheet.scale_bands],
        }
        for sheet in data.iku
    ]


def _achievements(data: QuarterlyReport) -> list[dict[str, Any]]:
    rows = []
    for a in data.achievements:
        check = ""
        if a.derived_rule:
            check = (
                f"Pembanding: nilai dari formulir evaluasi ({a.derived_rule}): "
                f"{format_number(a.derived_value, 2)}, di samping realisasi yang dilaporkan "
                f"{_n(a.realisation)}. Rincian: {a.derived_explain}"
            )
        rows.append({
            "number": str(a.number),
            "statement": a.statement,
            "indicator": a.indicator,
            "target": _n(a.target),
            "realisation": _n(a.realisation),
            "achievement": _pct(a.achievement),
            "rating": a.rating or "-",
            "value_category": a.value_category or "-",
            "value_scale": a.value_scale if a.value_category else "",
            "source": a.source or "-",
            "check": check,
        })  # fmt: skip
    return rows


def _budget(data: QuarterlyReport) -> list[dict[str, Any]]:
    return [
        {
            "total": line.number is None,
            "number": "" if line.number is None else str(line.number),
            "objective": line.objective,
            "program": line.program,
            "budget": format_number(line.budget),
            "cash_plan": format_number(line.cash_plan),
            "realised": format_number(line.realised),
            "of_plan": _pct(line.pct_of_plan),
            "of_budget": _pct(line.pct_of_budget),
            "responsible": _items(line.responsible),
        }
        for line in data.budget
    ]


def _agreement_lines(data: QuarterlyReport) -> tuple[list[dict[str, str]], str]:
    lines = [
        {
            "level": line.level,
            "name": line.name,
            "indicator": line.indicator,
            "target": _n(line.target),
            "unit": line.unit,
            "budget": format_number(line.budget),
        }
        for line in data.agreement_lines
    ]
    programs = [ln.budget for ln in data.agreement_lines if ln.level == "program"]
    total = sum((b for b in programs if b is not None), Decimal(0)) if programs else None
    return lines, format_number(total)


def _factors(lines: tuple[FactorLine, ...]) -> list[dict[str, Any]]:
    return [
        {
            "subject": f.subject,
            "supporting": list(f.supporting),
            "inhibiting": list(f.inhibiting),
            "responsible": _items(f.responsible),
        }
        for f in lines
    ]


def _findings(data: QuarterlyReport) -> list[dict[str, str]]:
    names = {line.id: f"{line.code} {line.name}".strip() for line in data.form.rows}

    def row(f: FindingLine) -> dict[str, str]:
        return {
            "severity": SEVERITIES.get(f.severity, f.severity),
            "rule": f.title,
            "row": names.get(f.row, f.row),
            "message": f.message,
        }

    return [row(f) for f in data.findings]


def laporan_context(data: QuarterlyReport, *, provenance: Provenance, paper: str) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready strings."""
    if paper not in PAPERS:
        offered = ", ".join(p for p in PAPERS if p != "a3")
        raise ValueError(f"ukuran kertas «{paper}» tidak dikenal (tersedia: {offered}).")
    (width, height), appendix = PAPERS[paper]
    agreement_lines, agreement_total = _agreement_lines(data)
    region = data.government.removeprefix("Pemerintah ").strip()
    missions = list(data.missions)
    mission = data.supported_mission
    return {
        "meta": {
            "title": data.title,
            "author": provenance.generator,
            "description": provenance.describe(),
            "keywords": [
                "laporan capaian kinerja",
                f"data sha256:{provenance.data_hash}",
                f"templat sha256:{provenance.template_hash}",
            ],
            "date": data.signature.signed_on.isoformat(),
            "running": f"{data.title} · {data.agency_abbreviation or data.agency}",
            "data_hash": provenance.data_hash[:12],
        },
        "page": {"width": width, "height": height},
        "draft": data.draft,  # "DRAF" in every page's header
        "title": data.title,
        "government": data.government,
        "agency": data.agency,
        "short_agency": f"{data.agency_abbreviation} {region}".strip()
        if data.agency_abbreviation
        else data.agency,
        "region": data.region,
        "year": str(data.year),
        "quarter": data.quarter_roman,
        "plan_period": data.plan_period,
        "signature": _signature(data.signature),
        "foreword": list(data.foreword),
        "background": list(data.background),
        "purposes": list(data.purposes),
        "closing": list(data.closing),
        "vision": data.vision,
        "missions": missions,
        "mission": None
        if mission is None or not 0 < mission <= len(missions)
        # quoted inside a sentence: without its closing full stop
        else {"number": str(mission), "text": missions[mission - 1].rstrip(".")},
        "rpjmd_goal": data.rpjmd_goal,
        "rpjmd_objectives": [list(pair) for pair in data.rpjmd_objectives],
        "target_years": [str(y) for y in data.target_years],
        "targets": _targets(data),
        "revision_note": data.revision_note,
        "iku": _iku(data),
        "agreement_targets": [
            {
                "number": str(t.number),
                "objective": t.objective,
                "indicator": t.indicator,
                "target": _n(t.target),
                "unit": t.unit,
            }
            for t in data.agreement_targets
        ],
        "agreement_lines": agreement_lines,
        "agreement_total": agreement_total,
        "predikat": [list(band) for band in data.predikat_scale],
        "achievements": _achievements(data),
        "paragraphs": [a.paragraph for a in data.achievements if a.paragraph],
        "budget": _budget(data),
        "budget_basis": data.budget_basis,
        "action_plan": [
            {
                "code": p.code,
                "name": p.name,
                "unit": p.unit,
                "target": _n(p.target),
                "realised": _n(p.realised),
                "achievement": _pct(p.achievement),
                "rating": p.rating or "-",
            }
            for p in data.action_plan
        ],
        "factors_by_indicator": _factors(data.factors_by_indicator),
        "factors_by_program": _factors(data.factors_by_program),
        "recommendations": list(data.recommendations),
        "charts": [
            {"title": c.title, "svg": c.svg.decode("utf-8"), "description": c.description}
            for c in data.charts
        ],
        "findings": _findings(data),
        "form": form_context(data.form, provenance=provenance, paper=appendix),
    }


@register
class LaporanPdf(Renderer):
    document = "laporan"
    identifier = "pdf"
    label = "PDF"
    extension = "pdf"
    content_type = "application/pdf"
    # The appendix is drawn by form.typ, and the fonts shape the output: all are hashed.
    templates = (TEMPLATE, FORM_TEMPLATE, *(f"{FONTS}/{name}" for name in FONT_FILES))

    def render(self, data: QuarterlyReport, *, provenance: Provenance, paper: str = "a4") -> bytes:
        import typst

        context = laporan_context(data, provenance=provenance, paper=paper)
        package = resources.files("kinerja")
        with ExitStack() as stack:
            template = stack.enter_context(resources.as_file(package.joinpath(TEMPLATE)))
            stack.enter_context(resources.as_file(package.joinpath(FORM_TEMPLATE)))
            fonts = stack.enter_context(resources.as_file(package.joinpath(FONTS)))
            return typst.compile(
                str(template),
                root=str(template.parent),
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
                # "embedded": form.typ then only defines its parts for the appendix.
                sys_inputs={"data": json.dumps(context, ensure_ascii=False), "embedded": "1"},
                pdf_tags=False,  # untagged: ~10× smaller for big tables (docs/pdf-engine.md)
            )
