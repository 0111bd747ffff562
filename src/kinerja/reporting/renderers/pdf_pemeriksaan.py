"""The pre-signing checklist (*Lembar Pemeriksaan*) as PDF, A4 portrait, through Typst.

Python turns the Checklist into display strings (counts in Indonesian format, dates as
"16 April 2024") and hands them as JSON to ``reporting/templates/pemeriksaan.typ``; the fonts
are the package's (Liberation Sans), system fonts ignored. The rule ids and the hashes go to
the document properties only: the page speaks Indonesian words.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from decimal import Decimal
from importlib import resources
from typing import Any

from kinerja.core.numbers import format_number

from ..checklist import Checklist
from ..dates import indonesian_date
from . import Provenance, Renderer, register

TEMPLATE = "reporting/templates/pemeriksaan.typ"
FONTS = "reporting/fonts"
FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")


def number(n: int) -> str:
    """A count in Indonesian format: ``1.234``."""
    return format_number(Decimal(n))


def count_line(data: Checklist) -> str:
    """``22 temuan: 2 menghambat pengesahan, 20 tidak menghambat.``"""
    total, blocking = len(data.items), len(data.blocking)
    if not total:
        return "Tidak ada temuan."
    return (
        f"{number(total)} temuan: {number(blocking)} menghambat pengesahan, "
        f"{number(total - blocking)} tidak menghambat."
    )


def override_line(data: Checklist) -> str:
    o = data.override
    if o is None:
        return ""
    by = f" oleh {o.by}" if o.by else ""
    return (
        f"Disahkan pada {indonesian_date(o.at)}{by} dengan {number(o.blocking)} temuan yang "
        "menghambat pengesahan, dengan alasan:"
    )


def intro(data: Checklist) -> str:
    return (
        "Periksa setiap temuan di bawah ini sebelum laporan, formulir evaluasi dan Perjanjian "
        "Kinerja ditandatangani. Temuan yang menghambat pengesahan harus diperbaiki lebih "
        "dahulu, atau pimpinan mencatat alasan mengesahkannya seperti adanya."
    )


def facts(data: Checklist) -> list[list[str]]:
    return [
        ["Perangkat daerah", data.agency],
        ["Periode", f"Triwulan {data.quarter_roman} Tahun {data.year}"],
        ["Status triwulan", data.status],
        ["Tanggal laporan", indonesian_date(data.signed_on)],
    ]


def pemeriksaan_context(data: Checklist, *, provenance: Provenance) -> dict[str, Any]:
    """Everything the template prints, as JSON-ready strings."""
    short = data.agency_abbreviation or data.agency
    rules = sorted({i.rule for i in data.items})
    return {
        "meta": {
            "title": f"{data.title} — {short} TW {data.quarter_roman} {data.year}",
            "author": provenance.generator,
            "description": provenance.describe(),
            "keywords": [
                "lembar pemeriksaan",
                *(f"aturan {r}" for r in rules),
                f"data sha256:{provenance.data_hash}",
                f"templat sha256:{provenance.template_hash}",
            ],
            "date": data.signed_on.isoformat(),
        },
        "draft": data.draft,
        "running": f"Lembar Pemeriksaan · {short} · Triwulan {data.quarter_roman} {data.year}",
        "title": data.title,
        "government": data.government,
        "agency": data.agency,
        "facts": facts(data),
        "intro": intro(data),
        "items": [
            {
                "no": number(n),
                "severity": item.severity_label,
                "row": item.row or "Seluruh dokumen",
                "title": item.title,
                "message": item.message,
                "action": item.action,
                "blocks": item.blocks,
                "blocks_text": "Ya" if item.blocks else "Tidak",
            }
            for n, item in enumerate(data.items, start=1)
        ],
        "count": count_line(data),
        "override": None
        if data.override is None
        else {"line": override_line(data), "reason": data.override.reason},
    }


@register
class PemeriksaanPdf(Renderer):
    document = "pemeriksaan"
    identifier = "pdf"
    label = "PDF"
    extension = "pdf"
    content_type = "application/pdf"
    templates = (TEMPLATE, *(f"{FONTS}/{name}" for name in FONT_FILES))

    def render(self, data: Checklist, *, provenance: Provenance, paper: str = "a4") -> bytes:
        del paper  # always A4 portrait: a list to work through, not a form to match
        import typst

        context = pemeriksaan_context(data, provenance=provenance)
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
            )
