"""The evaluation form (Permendagri 86/2017) as the last, landscape section of a Word document.

``append_form`` writes it with python-docx directly (no template tags): the title, one table —
its four header rows repeated on every page, the urusan and bidang urusan rows, the program,
kegiatan and sub kegiatan rows with columns 6–16 — the averages with their predikat and the
four texts, and the signature block. The quarterly report calls it for its appendix.

The same display strings as the PDF (``pdf_form.row_cells``: declared decimals, Indonesian
numbers). Column widths are fixed and measured from the widest strings, so a code or a number
never wraps; the name and indicator columns share what is left. No findings, rule ids or hashes:
those belong to the Lembar Pemeriksaan and the document properties.
"""

from __future__ import annotations

from typing import Any

from kinerja.core.numbers import format_number

from ..data import FormHeading, FormLine, FormReport
from ..dates import place_and_date
from .docx_blocks import TWIPS_PER_MM, set_grid
from .pdf_form import _estimate, _pieces, footer_rule, row_cells

__all__ = ["append_form", "PAPERS"]

# landscape page (width × height, mm) and the table's type size (pt), as the PDF form
PAPERS: dict[str, tuple[float, float, float]] = {
    "a3": (420, 297, 6.5),
    "f4": (330, 215, 5.5),
    "a4": (297, 210, 5.0),
}
MARGIN_MM = 10.0
CELL_PAD_MM = 0.5  # left and right margin of every cell
FILLS = {
    "urusan": "C9D5E6",
    "bidang_urusan": "D3DCEA",
    "program": "DFE7F2",
    "kegiatan": "F1F4F8",
    "head": "D9E1EC",
}
TITLES = (
    "No",
    "Sasaran",
    "Kode",
    "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan",
    "Indikator Kinerja Program (outcome)/Kegiatan (output)",
)
GROUPS = (
    "Target Renstra PD pada akhir periode",
    "Realisasi Renstra PD s.d. tahun lalu ({prev})",
    "Target kinerja dan anggaran Renja PD tahun {year}",
    "Realisasi kinerja dan anggaran Renja PD pada triwulan",
    "Realisasi capaian Renja PD s.d. TW {tw} {year}",
    "Tingkat capaian Renja PD (%)",
    "Realisasi Renstra PD s.d. TW {tw} {year}",
    "Tingkat capaian Renstra PD (%)",
)
NUMBERS = ("6", "7", "8", "9", "10", "11", "12", "13=9+10+11+12", "14=13/8x100%", "15=7+13",
           "16=15/6x100%")  # fmt: skip
COLUMNS = 28  # No, Sasaran, Kode, name, indicator, 11 × (K, Rp), unit
PT_PER_MM = 72 / 25.4


def _width_mm(text: str, size: float, *, bold: bool = False) -> float:
    """A string's width in mm at ``size`` pt (Liberation Sans / Arial metrics, rounded up)."""
    return _estimate(text) * size * (1.08 if bold else 1.0) / PT_PER_MM


def _widths(form: FormReport, rows: list[Any], size: float, usable: float) -> list[float]:
    """Column widths in mm: numbers and codes as wide as their widest string, Sasaran and Unit
    PD as their longest word, the name and indicator columns share the rest (shrinking the
    type size is the caller's choice when even that does not fit)."""
    pad = 2 * CELL_PAD_MM + 0.4

    def fit(strings: list[str], minimum: float, bold: bool = False, air: float = 1.0) -> float:
        return max([minimum, *(_width_mm(s, size, bold=bold) * air for s in strings)]) + pad

    numeric: list[list[str]] = [[] for _ in range(22)]
    for cells in (r[1] for r in rows if r[1] is not None):
        for column, cell in zip(numeric, cells, strict=True):
            column += _pieces(cell)
    for i, column in enumerate(numeric):
        column.append("K" if i % 2 == 0 else "Rp")
    number_widths = [fit(col, 1.8 * size / PT_PER_MM) for col in numeric]
    codes = [line.code for line in form.printed_rows()]
    objective_words = [w for line in form.rows for w in line.objective.split()]
    unit_words = [w for line in form.rows for w in line.responsible_unit.split()]
    fixed = [
        fit(["99"], 0),
        fit(objective_words, _width_mm("Sasaran", size, bold=True) + 6 * size / PT_PER_MM,
            bold=True, air=1.15) if objective_words else fit(["Sasaran"], 0, bold=True),
        fit(codes, _width_mm("Kode", size, bold=True), bold=True, air=1.1),
    ]  # fmt: skip
    unit = fit(unit_words, 6 * size / PT_PER_MM, air=1.15)  # capitals run wider than estimated
    rest = usable - sum(fixed) - sum(number_widths) - unit
    return [*fixed, rest * 0.52, rest * 0.48, *number_widths, unit]


def _rows(form: FormReport) -> list[tuple[FormLine | FormHeading, list[Any] | None]]:
    return [
        (line, None if isinstance(line, FormHeading) else row_cells(line))
        for line in form.printed_rows()
    ]


# ---- low-level python-docx helpers ------------------------------------------------------------


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _write(cell: Any, text: str | list[str], *, size: float, bold: bool = False,
           align: str = "left", indent_mm: float = 0) -> None:  # fmt: skip
    """One paragraph with ``text`` (a list: number, then its unit after a space)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    paragraph = cell.paragraphs[0]
    _mark_size(paragraph, size)
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }[align]
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    if indent_mm:
        fmt.left_indent = Mm(indent_mm)
    run = paragraph.add_run(text if isinstance(text, str) else " ".join(text))
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Arial"


def _mark_size(paragraph: Any, size: float) -> None:
    """The paragraph mark's type size: an empty cell is then as low as a filled one (not the
    document's 11 pt default)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = paragraph._p.get_or_add_pPr()
    marks = props.find(qn("w:rPr"))
    if marks is None:
        marks = OxmlElement("w:rPr")
        props.append(marks)
    for tag in ("w:sz", "w:szCs"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), str(max(2, round(size * 2))))
        marks.append(element)


def _small_marks(table: Any, size: float) -> None:
    """Every still empty cell of ``table`` with ``size``-pt paragraph marks and no spacing."""
    from docx.shared import Pt

    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                if not paragraph.text:
                    _mark_size(paragraph, size)
                    fmt = paragraph.paragraph_format
                    fmt.space_before = fmt.space_after = Pt(0)
                    fmt.line_spacing = 1.0


def _repeat_as_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    props.append(header)


def _keep_rows_whole(table: Any) -> None:
    from docx.oxml import OxmlElement

    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _fixed_layout(table: Any, widths: list[float]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table.autofit = False
    props = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    props.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(CELL_PAD_MM * 56.7)))  # twips
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    props.append(margins)
    borders = OxmlElement("w:tblBorders")  # a grid, without relying on a "Table Grid" style
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        border = OxmlElement(f"w:{side}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "6E6E6E")):
            border.set(qn(f"w:{key}"), value)
        borders.append(border)
    props.append(borders)
    set_grid(table._tbl, [round(w * TWIPS_PER_MM) for w in widths])


# ---- the section --------------------------------------------------------------------------------


def _landscape_section(doc: Any, paper: str) -> tuple[float, float]:
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    if paper not in PAPERS:
        raise ValueError(f"ukuran kertas «{paper}» tidak dikenal (tersedia: {', '.join(PAPERS)}).")
    width, height, _size = PAPERS[paper]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    return width, height


def _header(table: Any, form: FormReport, size: float) -> None:
    words = {"prev": form.year - 1, "year": form.year, "tw": form.quarter_roman}
    head = size * 0.92
    rows = table.rows[:4]
    for row in rows:
        _repeat_as_header(row)
    for c, title in enumerate(TITLES):
        cell = table.cell(0, c).merge(table.cell(1, c))
        _write(cell, title, size=head, bold=True, align="center")
        below = table.cell(2, c).merge(table.cell(3, c))
        _write(below, str(c + 1), size=head, align="center")
    unit = COLUMNS - 1
    cell = table.cell(0, unit).merge(table.cell(1, unit))
    _write(cell, "Unit PD penanggung jawab", size=head, bold=True, align="center")
    _write(table.cell(2, unit).merge(table.cell(3, unit)), "17", size=head, align="center")
    for group, title in enumerate(GROUPS):
        first = 5 + 2 * group if group <= 3 else 5 + 2 * (group + 3)
        if group == 3:  # the four quarters: one title over I–IV
            cell = table.cell(0, first).merge(table.cell(0, first + 7))
            _write(cell, title.format(**words), size=head, bold=True, align="center")
            for q, roman in enumerate(("I", "II", "III", "IV")):
                sub = table.cell(1, first + 2 * q).merge(table.cell(1, first + 2 * q + 1))
                _write(sub, roman, size=head, bold=True, align="center")
            continue
        cell = table.cell(0, first).merge(table.cell(1, first + 1))
        _write(cell, title.format(**words), size=head, bold=True, align="center")
    for n, number in enumerate(NUMBERS):
        c = 5 + 2 * n
        _write(table.cell(2, c).merge(table.cell(2, c + 1)), number, size=head, align="center")
        _write(table.cell(3, c), "K", size=head, align="center")
        _write(table.cell(3, c + 1), "Rp", size=head, align="center")
    for row in rows:
        for cell in row.cells:
            _shade(cell, FILLS["head"])


def _body(table: Any, rows: list[tuple[FormLine | FormHeading, list[Any] | None]],
          size: float) -> None:  # fmt: skip
    number = 0
    for r, (line, cells) in enumerate(rows, start=4):
        row = table.rows[r]
        tcs = row.cells  # once per row: each call lays out the whole table
        if isinstance(line, FormHeading) or cells is None:
            _write(tcs[2], line.code, size=size, bold=True)
            name = tcs[3].merge(tcs[COLUMNS - 1])
            _write(name, line.name, size=size, bold=True)
            for c in (0, 1, 2):
                _shade(tcs[c], FILLS[line.level])
            _shade(name, FILLS[line.level])
            continue
        bold = line.level != "sub_kegiatan"
        if line.numbered:
            number += 1
            _write(tcs[0], str(number), size=size)
        _write(tcs[1], line.objective, size=size)
        _write(tcs[2], line.code, size=size, bold=bold)
        _write(tcs[3], line.name, size=size, bold=bold,
               indent_mm=1.5 if line.level == "sub_kegiatan" else 0)  # fmt: skip
        _write(tcs[4], line.indicator, size=size)
        for c, cell in enumerate(cells, start=5):
            _write(tcs[c], cell, size=size, align="right")
        _write(tcs[COLUMNS - 1], line.responsible_unit, size=size)
        if line.level in FILLS:
            for cell in tcs:
                _shade(cell, FILLS[line.level])


def _summary(doc: Any, form: FormReport, size: float, usable: float) -> None:
    from docx.shared import Pt

    text_size = max(size, 7.0)
    table = doc.add_table(rows=3 + len(form.footer_texts), cols=4)
    widths = [80.0, 32.0, 32.0, usable - 144.0]
    for c, title in enumerate(("", "Kinerja (K)", "Anggaran (Rp)", "Cara menghitung")):
        _write(table.cell(0, c), title, size=text_size, bold=True, align="center")
        _shade(table.cell(0, c), FILLS["head"])
    k, rp = form.footer_k, form.footer_rp
    _write(table.cell(1, 0), "Rata-rata capaian kinerja (%)", size=text_size, bold=True)
    _write(table.cell(1, 1), format_number(k.value, 2), size=text_size, align="center")
    _write(table.cell(1, 2), format_number(rp.value, 2), size=text_size, align="center")
    rule = table.cell(1, 3).merge(table.cell(2, 3))
    _write(rule, f"K: {footer_rule(k)}; Rp: {footer_rule(rp)}", size=text_size)
    _write(table.cell(2, 0), "Predikat kinerja", size=text_size, bold=True)
    _write(table.cell(2, 1), k.rating or "-", size=text_size, align="center")
    _write(table.cell(2, 2), rp.rating or "-", size=text_size, align="center")
    for r, (title, items) in enumerate(form.footer_texts, start=3):
        _write(table.cell(r, 0), f"{title}:", size=text_size, bold=True)
        text = table.cell(r, 1).merge(table.cell(r, 3))
        if len(items) <= 1:
            _write(text, items[0] if items else "-", size=text_size)
        else:
            _write(text, f"1. {items[0]}", size=text_size)
            for i, item in enumerate(items[1:], start=2):
                paragraph = text.add_paragraph()
                run = paragraph.add_run(f"{i}. {item}")
                run.font.size = Pt(text_size)
                run.font.name = "Arial"
                paragraph.paragraph_format.space_after = Pt(0)
    _fixed_layout(table, widths)
    _keep_rows_whole(table)


def _signature(doc: Any, form: FormReport, size: float, width: float) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    sig = form.signature
    if sig is None:
        return
    text_size = max(size * 1.3, 9.0)
    acting = f"{sig.acting.rstrip('.')}. " if sig.acting else ""
    lines: list[tuple[str, bool]] = [
        (place_and_date(sig.place, sig.signed_on), False),
        (acting + sig.title, False),
        ("", False),
        ("", False),
        ("", False),
        (sig.name or "( " + "." * 44 + " )", bool(sig.name)),
    ]
    if sig.rank:
        lines.append((sig.rank, False))
    if sig.nip:
        lines.append((f"NIP. {sig.nip}", False))
    for i, (text, bold) in enumerate(lines):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt = paragraph.paragraph_format
        fmt.left_indent = Mm(width - 2 * MARGIN_MM - 130)  # a 130 mm block at the right
        fmt.space_before = Pt(6 if i == 0 else 0)
        fmt.space_after = Pt(0)
        fmt.keep_with_next = i < len(lines) - 1
        run = paragraph.add_run(text)
        run.font.size = Pt(text_size)
        run.font.name = "Arial"
        run.font.bold = bold
        run.font.underline = bold


def append_form(doc: Any, form: FormReport, *, paper: str) -> None:
    """Append ``form`` to the python-docx ``doc`` as a new landscape section on ``paper``
    (a4, f4 or a3): title, the table with its repeated header, averages and texts, signature."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    width, _height = _landscape_section(doc, paper)
    size = PAPERS[paper][2]
    usable = width - 2 * MARGIN_MM
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(form.title)
    run.font.size, run.font.bold, run.font.name = Pt(max(size * 1.8, 10)), True, "Arial"
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = sub.add_run(f"{form.government} · {form.agency}")
    run.font.size, run.font.name = Pt(max(size * 1.4, 8.5)), "Arial"

    rows = _rows(form)
    widths = _widths(form, rows, size, usable)
    fixed = sum(widths) - widths[3] - widths[4]
    if fixed > 0.8 * usable:  # the name and indicator columns would get under a fifth
        size = size * 0.8 * usable / fixed
        widths = _widths(form, rows, size, usable)
    # the header's merges first, on a four-row table: python-docx finds a cell by laying out
    # the whole table, so merging after the body rows exist costs their count on every call
    table = doc.add_table(rows=4, cols=COLUMNS)
    _header(table, form, size)
    for _ in rows:
        table.add_row()
    _body(table, rows, size)
    _small_marks(table, size)
    _fixed_layout(table, widths)
    _keep_rows_whole(table)

    legend = doc.add_paragraph()
    run = legend.add_run(
        "PD: Perangkat Daerah · K: kinerja · Rp: anggaran (rupiah) · TW: triwulan · "
        "-: tidak ada nilai"
    )
    run.font.size, run.font.name = Pt(max(size * 0.9, 6)), "Arial"
    _summary(doc, form, size, usable)
    _signature(doc, form, size, width)
