"""The PK (Perjanjian Kinerja) as PDF, through Typst.

The same display strings as the Word document (``docx_pk.agreement_context``) go as JSON to
the static template ``reporting/templates/pk.typ``; fonts come from the package and system
fonts are ignored, so the same data gives the same PDF on every machine (as ``pdf_form``).
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from importlib import resources
from typing import Any

from ..data import AgreementReport
from . import Provenance, Renderer, register
from .docx_pk import agreement_context, check_page
from .pdf_form import FONT_FILES, FONTS

TEMPLATE = "reporting/templates/pk.typ"


def pk_context(data: AgreementReport, *, provenance: Provenance, paper: str) -> dict[str, Any]:
    width, height = check_page(paper)
    return {
        **agreement_context(data),
        "meta": {
            "title": data.title,
            "author": provenance.generator,
            "description": provenance.describe(),
            "keywords": [
                "perjanjian kinerja",
                f"data sha256:{provenance.data_hash}",
                f"templat sha256:{provenance.template_hash}",
            ],
            "date": data.first_party.signed_on.isoformat(),
        },
        "page": {"width": width, "height": height},
        "draft": data.draft,  # "DRAF" in every page's header
    }


@register
class PkPdf(Renderer):
    document = "pk"
    identifier = "pdf"
    label = "PDF"
    extension = "pdf"
    content_type = "application/pdf"
    templates = (TEMPLATE, *(f"{FONTS}/{name}" for name in FONT_FILES))

    def render(self, data: AgreementReport, *, provenance: Provenance,
               paper: str = "a4") -> bytes:  # fmt: skip
        import typst

        context = pk_context(data, provenance=provenance, paper=paper)
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
                pdf_tags=False,
            )
