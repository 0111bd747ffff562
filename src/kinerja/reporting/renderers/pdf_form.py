"""The evaluation form (Permendagri 86/2017, the seed's appendix) as PDF, through Typst.

Python turns the FormReport into plain display strings — every number already formatted
the Indonesian way by ``kinerja.core.numbers`` — and hands them as JSON to a static
template, ``reporting/templates/form.typ``. The template only lays out; it computes
nothing. Fonts come from the package (Liberation Sans, SIL OFL) and system fonts are
ignored, so the same data gives the same PDF on every machine. Measurements and the
reasons for Typst: ``docs/pdf-engine.md``.
"""

from __future__ import annotations

import json
import re
from contextlib import ExitStack
from decimal import Decimal
from importlib import resources
from typing import Any

from kinerja.core.numbers import format_declared, format_number, round_half_up, strip_zeros

from ..data import FooterLine, FormHeading, FormLine, FormReport, KRp, Signature
from ..dates import place_and_date
from . import Provenance, Renderer, register

TEMPLATE = "reporting/templates/form.typ"
FONTS = "reporting/fonts"
FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")

# Paper (width × height in mm, landscape) and the table's type size in pt: the largest
# size at which the seed's widest figures (39.702.120.882) leave the text columns room.
PAPERS: dict[str, tuple[float, float, float]] = {
    "a3": (420, 297, 6.5),
    "f4": (330, 215, 5.5),
    "a4": (297, 210, 5.0),
}

# How many of a column's longest strings the template measures to size the column.
CANDIDATES = 3


def computed_k(value: Decimal | None, decimals: int | None = None) -> str:
    """A computed K figure (columns 13 and 15): the row's declared decimals, else its own
    decimals, at most two."""
    if value is None:
        return format_number(None)
    if decimals is not None:
        return format_number(value, decimals)
    return format_number(strip_zeros(round_half_up(value, 2)))


def entered_k(pair: KRp, decimals: int | None = None) -> str:
    """An entered K value as typed, with at least its declared decimals: ``55``, ``0,70`` or
    a range ``90–95`` (without its unit)."""
    text = format_declared(pair.k, decimals)
    if pair.k is not None and pair.k_upper is not None:
        text = f"{text}–{format_declared(pair.k_upper, decimals)}"
    return text


def _k_cell(pair: KRp, decimals: int | None = None) -> str | list[str]:
    """An entered K value with its unit if it has one (``["55", "Dokumen"]``: the number
    never breaks, the unit may wrap below it)."""
    text = entered_k(pair, decimals)
    return [text, pair.k_unit] if pair.k is not None and pair.k_unit else text


def row_cells(line: FormLine) -> list[str | list[str]]:
    """Columns 6–16 of one row, K then Rp: 22 display values."""
    cells: list[str | list[str]] = []
    for pair in (line.renstra_target, line.renstra_realised_before, line.year_target,
                 *line.quarters):  # fmt: skip
        cells += [_k_cell(pair, line.decimals), format_number(pair.rp)]
    cells += [computed_k(line.col13.k, line.decimals), format_number(line.col13.rp)]
    cells += [format_number(line.col14.k, 2), format_number(line.col14.rp, 2)]
    cells += [computed_k(line.col15.k, line.decimals), format_number(line.col15.rp)]
    cells += [format_number(line.col16.k, 2), format_number(line.col16.rp, 2)]
    return cells


def _pieces(cell: str | list[str]) -> list[str]:
    """The parts of a cell that never break: the number, and each word of its unit
    (``Orang/bulan`` may break after the slash)."""
    return [cell] if isinstance(cell, str) else [cell[0], *re.split(r"\s+|(?<=/)", cell[1])]


def _estimate(text: str) -> float:
    """A rough width in em, only to pick which strings the template measures exactly."""
    return sum(0.556 if ch.isdigit() else 0.278 if ch in ".,- " else 0.72 for ch in text)


def widest(columns: list[list[str]]) -> list[list[str]]:
    """For each column, the few strings most likely to be its widest."""
    return [sorted(set(col), key=_estimate, reverse=True)[:CANDIDATES] or ["-"]
            for col in columns]  # fmt: skip


def footer_rule(line: FooterLine) -> str:
    """How the average was computed, in words (``rata-rata kolom 14 baris program``): the
    rule's id stays in the data, not on the page."""
    rule = line.label
    if line.cap is not None:
        rule += f"; capaian per baris dibatasi {format_number(line.cap)} %"
    return rule


def _footer(line: FooterLine) -> dict[str, str]:
    return {
        "value": format_number(line.value, 2),
        "rating": line.rating or "-",
        "rule": footer_rule(line),
    }


def _signature(sig: Signature | None) -> dict[str, str] | None:
    if sig is None:
        return None
    return {
        "place_date": place_and_date(sig.place, sig.signed_on),
        "title": f"{sig.acting}. {sig.title}" if sig.acting else sig.title,
        "name": sig.name,
        "rank": sig.rank,
        "nip": f"NIP. {sig.nip}" if sig.nip else "",
    }


def form_context(data: FormReport, *, provenance: Provenance, paper: str) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready strings."""
    if paper not in PAPERS:
        raise ValueError(f"ukuran kertas «{paper}» tidak dikenal (tersedia: {', '.join(PAPERS)}).")
    width, height, size = PAPERS[paper]
    rows: list[dict[str, Any]] = []
    numeric: list[list[str]] = [[] for _ in range(22)]  # columns 6–16, K and Rp
    number = 0  # the form numbers its programs 1, 2, 3 …
    for line in data.printed_rows():
        if isinstance(line, FormHeading):  # urusan / bidang urusan: code and name, no figures
            rows.append({"level": line.level, "no": "", "objective": "", "code": line.code,
                         "name": line.name, "indicator": "", "unit": "", "cells": []})  # fmt: skip
            continue
        if line.numbered:
            number += 1
        cells = row_cells(line)
        for column, cell in zip(numeric, cells, strict=True):
            column += _pieces(cell)
        rows.append(
            {
                "level": line.level,
                "no": str(number) if line.numbered else "",
                "objective": line.objective,
                "code": line.code,
                "name": line.name,
                "indicator": line.indicator,
                "unit": line.responsible_unit,
                "cells": cells,
            }
        )
    short = f"Evaluasi Renja {data.agency_abbreviation or data.agency}"
    return {
        "meta": {
            "title": data.title,
            "author": provenance.generator,
            "description": provenance.describe(),
            "keywords": [
                "evaluasi hasil Renja",
                f"data sha256:{provenance.data_hash}",
                f"templat sha256:{provenance.template_hash}",
            ],
            "date": data.signature.signed_on.isoformat() if data.signature else None,
            "running": f"{short} · Triwulan {data.quarter_roman} {data.year}",
        },
        "page": {"width": width, "height": height, "size": size},
        "draft": data.draft,  # "DRAF" in every page's header
        "title": data.title,
        "government": data.government,
        "agency": data.agency,
        "year": data.year,
        "quarter": data.quarter_roman,
        "rows": rows,
        "has_objective": any(row["objective"] for row in rows),
        # the Sasaran column is at least as wide as its longest word: no word runs into Kode
        "widest_objective_word": widest([[w for r in rows for w in r["objective"].split()]])[0],
        "widest": widest(numeric),
        "widest_code": widest([[row["code"] for row in rows]])[0],
        "widest_unit_word": widest([[w for r in rows for w in r["unit"].split()]])[0],
        "footer": {"k": _footer(data.footer_k), "rp": _footer(data.footer_rp)},
        "texts": [[title, list(items)] for title, items in data.footer_texts],
        "signature": _signature(data.signature),
    }


@register
class FormPdf(Renderer):
    document = "form"
    identifier = "pdf"
    label = "PDF"
    extension = "pdf"
    content_type = "application/pdf"
    # The fonts shape the output as much as the template does, so they are hashed too.
    templates = (TEMPLATE, *(f"{FONTS}/{name}" for name in FONT_FILES))

    def render(self, data: FormReport, *, provenance: Provenance, paper: str = "a3") -> bytes:
        import typst

        context = form_context(data, provenance=provenance, paper=paper)
        package = resources.files("kinerja")
        with ExitStack() as stack:
            template = stack.enter_context(resources.as_file(package.joinpath(TEMPLATE)))
            fonts = stack.enter_context(resources.as_file(package.joinpath(FONTS)))
            return typst.compile(
                str(template),
                root=str(template.parent),
                font_paths=[str(fonts)],
                ignore_system_fonts=True,
                sys_inputs={"data": json.dumps(context, ensure_ascii=False)},
                pdf_tags=False,  # untagged: ~10× smaller for big tables (docs/pdf-engine.md)
            )
