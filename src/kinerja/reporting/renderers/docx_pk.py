"""The PK (Perjanjian Kinerja) as a Word document, from the docxtpl template ``pk.docx``.

The template (built by ``tools/build_docx_templates.py``; an agency may restyle it in Word)
only lays out: every string and number arrives formatted from ``agreement_context``, which
the PDF renderer shares, so both formats print the same words and figures. It renders in
the sandbox of ``reporting.template_check``.
"""

from __future__ import annotations

import io
from decimal import Decimal
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape

from kinerja.core.numbers import format_number

from ..data import AgreementReport, Signature
from ..dates import place_and_date
from . import Provenance, Renderer, register
from .draft import mark_docx

TEMPLATE = "reporting/templates/pk.docx"
# Portrait page sizes (width, height) in mm: A4, and F4 (folio) that Indonesian offices use.
PAGES = {"a4": (210, 297), "f4": (215, 330), "a3": (297, 420)}
BLANK_NAME = "_" * 34  # until a name is filled in: a line to write it on
BLANK_NIP = "NIP. " + "." * 30
PARTIES = {"first": "PIHAK PERTAMA", "second": "PIHAK KEDUA"}


def check_page(paper: str) -> tuple[int, int]:
    if paper not in PAGES:
        raise ValueError(f"ukuran kertas «{paper}» tidak dikenal (tersedia: {', '.join(PAGES)}).")
    return PAGES[paper]


def target_text(value: Decimal | None) -> str:
    """A target as the PK prints it: 96, and an index with at least two decimals (0,70)."""
    if value is None:
        return "-"
    if value == value.to_integral_value():
        return format_number(value)
    exponent = value.normalize().as_tuple().exponent
    return format_number(value, max(2, -exponent if isinstance(exponent, int) else 2))


def _with_unit(value: Decimal | None, unit: str) -> str:
    text = target_text(value)
    return f"{text} {unit}" if unit and value is not None else text


def party(sig: Signature, role: str) -> dict[str, str]:
    """One signatory's lines. The head of an agency is a civil servant and signs over a NIP
    line even before it is filled in; a regent has none unless the data gives one."""
    acting = f"{sig.acting.rstrip('.')}. " if sig.acting else ""
    nip = f"NIP. {sig.nip}" if sig.nip else BLANK_NIP if role == "first" else ""
    return {
        "party": PARTIES[role],
        "title": acting + sig.title,
        "name": sig.name or BLANK_NAME,
        "named": bool(sig.name),
        "rank": sig.rank,
        "nip": nip,
    }


def agreement_context(data: AgreementReport) -> dict[str, Any]:
    """Everything the PK prints, as display strings (DOCX and PDF)."""
    sig = data.first_party
    return {
        "title": data.title.upper(),
        "government_upper": data.government.upper(),
        "agency_upper": data.agency.upper(),
        "year": str(data.year),
        "paragraphs": list(data.paragraphs),
        "targets": [
            {
                "number": str(t.number),
                "objective": t.objective,
                "indicator": t.indicator,
                "target": target_text(t.target),
                "unit": t.unit,
            }
            for t in data.targets
        ],
        "programs": [
            {
                "number": str(i),
                "name": p.name,
                "indicator": p.indicator,
                "target": _with_unit(p.target, p.unit),
                "budget": format_number(p.budget),
            }
            for i, p in enumerate(data.programs, 1)
        ],
        "total": format_number(data.total_budget),
        "place_date": place_and_date(sig.place, sig.signed_on),
        "first": party(data.first_party, "first"),
        "second": party(data.second_party, "second"),
    }


CUSTOM_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{}'
    "</Properties>"
)
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def set_custom_properties(document: Any, values: dict[str, str]) -> None:
    """docProps/custom.xml (Word: File › Properties › Custom), as the XLSX carries them."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    blob = CUSTOM_XML.format(body).encode("utf-8")
    package = document.part.package
    for rel in package.rels.values():
        if rel.reltype == RT.CUSTOM_PROPERTIES:  # a template saved by Word may carry some
            rel.target_part._blob = blob
            return
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    part = Part(PackURI("/docProps/custom.xml"), content_type, blob, package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


@register
class PkDocx(Renderer):
    document = "pk"
    identifier = "docx"
    label = "Word"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    templates = (TEMPLATE,)

    def render(self, data: AgreementReport, *, provenance: Provenance,
               paper: str = "a4") -> bytes:  # fmt: skip
        from docx.shared import Mm

        from ..template_check import open_template, render_template

        width, height = check_page(paper)
        source = data.word_template or resources.files("kinerja").joinpath(TEMPLATE).read_bytes()
        template = open_template(source)  # a bounded .docx, or TemplateRefused
        render_template(template, agreement_context(data))  # in the sandbox
        document = template.docx  # get_docx() would reload the unrendered template
        for section in document.sections:
            section.page_width, section.page_height = Mm(width), Mm(height)
        if data.draft:
            mark_docx(document)
        props = document.core_properties
        props.title = data.title
        props.subject = f"{data.title} — {data.agency}"
        props.author = props.last_modified_by = provenance.generator
        props.comments = provenance.describe()
        props.keywords = (
            f"perjanjian kinerja; data sha256:{provenance.data_hash}; "
            f"templat sha256:{provenance.template_hash}"
        )
        props.identifier = f"sha256:{provenance.data_hash}"
        set_custom_properties(
            document,
            {
                "kinerja_data_sha256": provenance.data_hash,
                "kinerja_template_sha256": provenance.template_hash,
            },
        )
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
