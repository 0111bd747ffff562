"""The draft marking of Word and Excel files: a quarter that is not approved (not *Disahkan*)
says "DRAF" on every page, as text in a page header (a Word section's header, an Excel
sheet's print header) and, in Excel, in a visible cell at the top of each sheet. The PDFs
carry it from their Typst templates (``draft-mark``).

Applied after rendering, so an agency's own Word template is marked as the shipped one is.
"""

from __future__ import annotations

from typing import Any

WORD = "DRAF"
RED = "B3261E"


def mark_docx(document: Any) -> None:
    """Write "DRAF" at the start of every header a page can show: every header the sections
    define, and a new one for the first section where a page would show none (a later section
    inherits it). The definitions are read through the relationships because docxtpl puts
    its rendered headers there, not into python-docx's header objects."""
    from docx.oxml.ns import qn

    even = document.settings.odd_and_even_pages_header_footer
    defined: set[str] = set()  # the kinds of header an earlier section defines
    added = []
    for section in document.sections:
        kinds = {"default": section.header}
        if section.different_first_page_header_footer:
            kinds["first"] = section.first_page_header
        if even:
            kinds["even"] = section.even_page_header
        refs = section._sectPr.findall(qn("w:headerReference"))
        defined |= {ref.get(qn("w:type")) for ref in refs}
        for kind, header in kinds.items():
            if kind not in defined:  # nothing to inherit: this section gets its own
                header.is_linked_to_previous = False
                added.append(header._element)
                defined.add(kind)
    rels = document.part.rels
    rids = {
        ref.get(qn("r:id"))
        for section in document.sections
        for ref in section._sectPr.findall(qn("w:headerReference"))
    }
    elements = [rels[rid].target_part.element for rid in sorted(rids) if rid in rels]
    for element in {id(e): e for e in [*elements, *added]}.values():
        _mark_header(element)


def _mark_header(element: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor
    from docx.text.paragraph import Paragraph

    p = element.find(qn("w:p"))
    if p is None:
        p = element.makeelement(qn("w:p"), {})
        element.insert(0, p)
    paragraph = Paragraph(p, None)
    empty = not paragraph.text.strip()
    run = paragraph.add_run(WORD if empty else f"{WORD} · ")
    if empty:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:  # before the header's own text, on the same line
        first = p.find(qn("w:r"))
        if first is not None and first is not run._r:
            first.addprevious(run._r)
    run.bold = True
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor.from_string(RED)


def mark_xlsx(workbook: Any) -> None:
    """Every sheet of an xlsxwriter ``workbook``, before it is closed: "DRAF" centred in the
    print header, and in the first cell, A1, always in view: "DRAF · " before the sheet's
    title there, or "DRAF" alone in an empty A1. xlsxwriter cannot read a cell back, so the
    title is taken from its table of shared strings; a sheet whose A1 holds anything else gets
    "DRAF" right of what it uses."""
    strings = {index: text for text, index in workbook.str_table.string_table.items()}
    red = workbook.add_format({"bold": True, "font_color": f"#{RED}", "font_size": 12})
    for ws in workbook.worksheets():
        ws.set_header(f'&C&"-,Bold"&12&K{RED}{WORD}')
        cell = ws.table.get(0, {}).get(0)
        title = strings.get(getattr(cell, "string", None)) if cell is not None else None
        if cell is None:
            ws.write_string(0, 0, WORD, red)
        elif isinstance(title, str):
            ws.write_string(0, 0, f"{WORD} · {title}", cell.format)
        else:
            column = 0 if ws.dim_colmax is None else ws.dim_colmax + 1
            ws.write_string(0, column, WORD, red)
