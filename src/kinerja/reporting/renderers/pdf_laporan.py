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
from importlib import resources
from typing import Any

from ..data import QuarterlyReport
from ..document import (
    Block,
    Cell,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    ReportDocument,
    Row,
    Table,
    Terms,
    laporan_document,
)
from . import Provenance, Renderer, register
from .pdf_form import FONT_FILES, FONTS, form_context
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


def _key(i: int) -> str:
    return f"h-{i}"


def _cell(c: Cell) -> dict[str, Any]:
    return {"text": c.text, "align": c.align, "bold": c.bold, "colspan": c.colspan,
            "rowspan": c.rowspan, "items": list(c.items), "note": c.note, "number": c.number}  # fmt: skip


def _rows(rows: tuple[Row, ...]) -> list[dict[str, Any]]:
    return [{"style": r.style, "cells": [_cell(c) for c in r.cells]} for r in rows]


def _column(spec: str) -> dict[str, Any]:
    """``7mm`` → {"mm": 7}; ``1.5fr`` → {"fr": 1.5}; ``fit`` → {} (measured in Typst)."""
    if spec.endswith("mm"):
        return {"mm": float(spec[:-2])}
    if spec.endswith("fr"):
        return {"fr": float(spec[:-2])}
    return {}


def _fit(t: Table) -> dict[str, dict[str, list[str]]]:
    """For each ``fit`` column, the texts of its single-column body cells (plain and bold),
    so Typst can measure the widest."""
    out: dict[str, dict[str, list[str]]] = {}
    for i, spec in enumerate(t.columns):
        if spec != "fit":
            continue
        plain, bold = [], []
        for row in t.rows:
            x = 0
            for c in row.cells:
                if x == i and c.colspan == 1:
                    (bold if c.bold else plain).append(c.text)
                x += c.colspan
        out[str(i)] = {"plain": plain, "bold": bold}
    return out


def block_context(b: Block, keys: dict[int, str]) -> dict[str, Any]:
    """A block of the document model as JSON for the template."""
    if isinstance(b, Heading):
        return {"kind": "heading", "level": b.level, "number": b.number, "text": b.text,
                "key": keys[id(b)]}  # fmt: skip
    if isinstance(b, Paragraph):
        return {"kind": "paragraph", "text": b.text, "style": b.style}
    if isinstance(b, ListBlock):
        return {"kind": "list", "items": list(b.items), "numbering": b.numbering}
    if isinstance(b, Terms):
        return {"kind": "terms", "items": [list(i) for i in b.items]}
    if isinstance(b, Table):
        return {
            "kind": "table", "label": b.label, "caption": b.caption, "subject": list(b.subject),
            "columns": [_column(c) for c in b.columns], "fit": _fit(b),
            "header": _rows(b.header), "rows": _rows(b.rows), "note": b.note,
            "breakable": b.breakable, "width": b.width,
            "width_mm": float(b.width[:-2]) if b.width.endswith("mm") else 0,
        }  # fmt: skip
    if isinstance(b, Figure):
        return {"kind": "figure", "label": b.label, "caption": b.caption,
                "svg": b.chart.svg.decode("utf-8"), "description": b.chart.description}  # fmt: skip
    return {"kind": "signature", "place_date": b.place_date, "title": b.title, "name": b.name,
            "rank": b.rank, "nip": b.nip}  # fmt: skip


def laporan_context(data: QuarterlyReport, *, provenance: Provenance, paper: str,
                    doc: ReportDocument | None = None) -> dict[str, Any]:  # fmt: skip
    """The document model as JSON-ready data for the template."""
    if paper not in PAPERS:
        offered = ", ".join(p for p in PAPERS if p != "a3")
        raise ValueError(f"ukuran kertas «{paper}» tidak dikenal (tersedia: {offered}).")
    (width, height), appendix = PAPERS[paper]
    doc = doc or laporan_document(data)
    headings = doc.headings()
    keys = {id(h): _key(i) for i, h in enumerate(headings)}
    front = {id(b) for b in doc.front} | {id(doc.toc_heading)}
    kop = doc.cover.kop
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
        },
        "page": {"width": width, "height": height},
        "draft": doc.draft,  # "DRAF" in every page's header
        "cover": {
            "kop": {
                "government": kop.government,
                "agency": kop.agency,
                "contact": kop.contact_line,
                "logo": list(kop.logo) if kop.logo else None,
            },  # fmt: skip
            "title": list(doc.cover.title),
            "period": doc.cover.period,
            "short_agency": doc.cover.short_agency,
            "year": doc.cover.year,
        },
        "front": [block_context(b, keys) for b in doc.front],
        "toc_heading": block_context(doc.toc_heading, keys),
        "contents": [
            {"key": keys[id(h)], "label": h.label, "level": h.level, "roman": id(h) in front}
            for h in doc.contents()
        ],  # fmt: skip
        "body": [block_context(b, keys) for b in doc.body],
        "appendix_heading": block_context(doc.appendix_heading, keys),
        "form": form_context(data.form, provenance=provenance, paper=appendix),
        # the opt-in findings appendix after the form, portrait again; [] when not opted in
        "annex": [block_context(b, keys) for b in doc.annex],
    }


def _compile(context: dict[str, Any], *, query: bool = False) -> Any:
    import typst

    package = resources.files("kinerja")
    with ExitStack() as stack:
        template = stack.enter_context(resources.as_file(package.joinpath(TEMPLATE)))
        stack.enter_context(resources.as_file(package.joinpath(FORM_TEMPLATE)))
        fonts = stack.enter_context(resources.as_file(package.joinpath(FONTS)))
        options: dict[str, Any] = {
            "root": str(template.parent),
            "font_paths": [str(fonts)],
            "ignore_system_fonts": True,
            # "embedded": form.typ then only defines its parts for the appendix.
            "sys_inputs": {"data": json.dumps(context, ensure_ascii=False), "embedded": "1"},
        }
        if query:
            return typst.query(str(template), "<toc-page>", field="value", **options)
        # untagged: ~10× smaller for big tables (docs/pdf-engine.md)
        return typst.compile(str(template), pdf_tags=False, **options)


def page_numbers(data: QuarterlyReport, doc: ReportDocument, *, paper: str = "a4") -> list[str]:
    """The printed page number of each entry of ``doc.contents()`` in the PDF rendering of
    the same model (``ii``, ``1``, ``16``): the Word document's Daftar Isi shows them."""
    from . import Provenance

    context = laporan_context(data, provenance=Provenance("", ""), paper=paper, doc=doc)
    found = json.loads(_compile(context, query=True))
    pages = {entry["key"]: entry["page"] for entry in found}
    return [pages.get(_key(i), "") for i in range(len(doc.contents()))]


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
        content: bytes = _compile(laporan_context(data, provenance=provenance, paper=paper))
        return content
