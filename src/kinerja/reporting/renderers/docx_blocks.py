"""The document model's blocks written into a Word document with python-docx.

The quarterly report's Word template (``laporan.docx``; an agency may bring its own) lays out
the cover, the Kata Pengantar and the sections; where it says ``{{ isi }}`` the model's blocks
of BAB I–IV are inserted here, in the template's own styles (Heading 1/2, Isi Laporan, Judul
Tabel, Tabel Isi …: restyle them in Word and the report follows), and where it says
``{{ daftar_isi }}`` the Daftar Isi is written: a real TOC field (Word and LibreOffice may
refresh it) whose shown result already holds every heading of the model with the page
number it has in the PDF rendering of the same model.
"""

from __future__ import annotations

import io
from typing import Any

from ..document import (
    Block,
    Cell,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Row,
    SignatureBlock,
    Table,
    Terms,
)

BODY_MARKER = "⟦isi⟧"
CONTENTS_MARKER = "⟦daftar-isi⟧"
HEAD_FILL, GROUP_FILL = "D9E1EC", "EEF2F7"
FILLS = {"program": "DFE7F2", "kegiatan": "F1F4F8", "group": GROUP_FILL, "total": GROUP_FILL}
CHART_WIDTH = 145  # mm
BLANK_NAME = "( " + "." * 40 + " )"
TWIPS_PER_MM = 1440 / 25.4


def _style(doc: Any, *names: str) -> Any:
    """The first of ``names`` the document has (an agency's template may lack ours)."""
    for name in names:
        try:
            return doc.styles[name]
        except KeyError:
            continue
    return doc.styles["Normal"]


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _cant_split(row: Any) -> None:
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


class Writer:
    """Writes blocks before an anchor paragraph of ``doc`` (the template's ``{{ isi }}``)."""

    def __init__(self, doc: Any, anchor: Any, width_mm: float) -> None:
        self.doc, self.anchor, self.width = doc, anchor, width_mm
        self._styles: dict[tuple[str, ...], Any] = {}

    def style(self, *names: str) -> Any:
        """``_style`` once per name list: python-docx looks a style up by scanning them all."""
        if names not in self._styles:
            self._styles[names] = _style(self.doc, *names)
        return self._styles[names]

    def _place(self, element: Any) -> None:
        self.anchor._p.addprevious(element)

    def paragraph(self, text: str = "", *styles: str, bold: bool | None = None,
                  indent: bool = True) -> Any:  # fmt: skip
        p = self.doc.add_paragraph(style=self.style(*styles, "Normal"))
        if text:
            run = p.add_run(text)
            if bold is not None:
                run.bold = bold
        if not indent:
            from docx.shared import Mm

            p.paragraph_format.first_line_indent = Mm(0)
        self._place(p._p)
        return p

    def write(self, block: Block) -> None:
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            if block.style == "note":
                self.paragraph(block.text, "Keterangan")
            elif block.style == "plain":
                self.paragraph(block.text, "Isi Laporan", bold=True, indent=False)
            else:
                self.paragraph(block.text, "Isi Laporan")
        elif isinstance(block, ListBlock):
            for i, item in enumerate(block.items):
                style = "Daftar Huruf" if block.numbering == "a." else "Daftar Angka"
                self.paragraph(f"{block.marker(i)}\t{item}", style)
        elif isinstance(block, Terms):
            for term, text in block.items:
                p = self.paragraph(term, "Daftar Huruf", bold=True, indent=False)
                p.add_run(f": {text}")
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, SignatureBlock):
            self.signature(block)

    def heading(self, h: Heading) -> None:
        p = self.paragraph("", "Heading 1" if h.level == 1 else "Heading 2")
        if h.level == 1 and h.number:
            run = p.add_run(h.number)
            run.add_break()
            p.add_run(h.text)
        else:
            p.add_run(h.label)

    def signature(self, s: SignatureBlock) -> None:
        self.paragraph("", "Tanda Tangan")
        self.paragraph(s.place_date, "Tanda Tangan")
        self.paragraph(s.title, "Tanda Tangan", bold=True)
        for _ in range(4):
            self.paragraph("", "Tanda Tangan")
        name = self.paragraph(s.name or BLANK_NAME, "Tanda Tangan", bold=bool(s.name))
        if s.name:
            name.runs[0].underline = True
        for line in (s.rank, s.nip):
            if line:
                self.paragraph(line, "Tanda Tangan")

    def figure(self, f: Figure) -> None:
        from docx.shared import Mm

        png = f.chart.png
        p = self.paragraph("", "Gambar")
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        shown = min(CHART_WIDTH, 85 * width / max(height, 1), self.width)
        run = p.add_run()
        run.add_picture(io.BytesIO(png), width=Mm(shown))
        for prop in p._p.iter():
            if prop.tag.endswith("}docPr"):
                prop.set("descr", f.chart.description)
        caption = self.paragraph(f.label, "Judul Gambar")
        caption.runs[0].add_break()
        caption.add_run(f.caption)
        self.paragraph(f.chart.description, "Keterangan")

    # ---- tables -------------------------------------------------------------------------

    def widths(self, t: Table) -> list[float]:
        """Column widths (mm): fixed ones as given, ``fit`` ones as wide as their widest
        single-column text, ``fr`` ones sharing the rest of the text width."""
        from .docx_laporan import text_mm

        size = 9.0
        out: list[float | None] = []
        for i, spec in enumerate(t.columns):
            if spec.endswith("mm"):
                out.append(float(spec[:-2]))
            elif spec == "fit":
                texts = [c.text for r in (*t.header[-1:], *t.rows) for x, c in _placed(r)
                         if x == i and c.colspan == 1]  # fmt: skip
                words = [w for text in texts for w in (text.split() if not _is_number(text)
                                                      else [text])]  # fmt: skip
                out.append(max([8.0, *(text_mm(w, size) for w in words)]) + 2.4)
            else:
                out.append(None)
        total = self.width if not t.width.endswith("mm") else float(t.width[:-2])
        fixed = sum(w for w in out if w is not None)
        shares = [float(s[:-2]) if s.endswith("fr") else 0.0 for s in t.columns]
        rest = max(total - fixed, 20.0 * max(1, sum(1 for s in shares if s)))
        result = [w if w is not None else rest * shares[i] / sum(shares)
                  for i, w in enumerate(out)]  # fmt: skip
        scale = min(1.0, self.width / sum(result))
        return [w * scale for w in result]

    def table(self, t: Table) -> None:
        caption = self.paragraph(t.label or t.caption, "Judul Tabel")
        if t.label:
            caption.runs[0].add_break()
            caption.add_run(t.caption)
        for line in t.subject:
            caption.runs[-1].add_break()
            caption.add_run(line)
        rows = (*t.header, *t.rows)
        table = self.doc.add_table(rows=len(rows), cols=len(t.columns))
        try:
            table.style = self.doc.styles["Tabel Kinerja"]
        except KeyError:
            table.style = self.doc.styles["Table Grid"] if "Table Grid" in [
                s.name for s in self.doc.styles] else None  # fmt: skip
        table.autofit = False
        _alt_title(table, t.label or t.caption)
        # the cell grid once, before any merge: python-docx lays out the whole table on each
        # table.cell(), and a merge only touches the cells of its own region
        columns = len(t.columns)
        grid = table._cells
        taken: set[tuple[int, int]] = set()
        for y, row in enumerate(rows):
            head = y < len(t.header)
            if head:
                _repeat_header(table.rows[y])
            elif not t.breakable:
                _cant_split(table.rows[y])
            x = 0
            for cell in row.cells:
                while (y, x) in taken:
                    x += 1
                target = grid[y * columns + x]
                for dy in range(cell.rowspan):
                    for dx in range(cell.colspan):
                        taken.add((y + dy, x + dx))
                if cell.rowspan > 1 or cell.colspan > 1:
                    last = (y + cell.rowspan - 1) * columns + x + cell.colspan - 1
                    target = target.merge(grid[last])
                self._fill(target, cell, row, head)
                x += cell.colspan
        set_grid(table._tbl, [round(w * TWIPS_PER_MM) for w in self.widths(t)])
        self._place(table._tbl)
        if t.note:
            self.paragraph(t.note, "Keterangan")

    def _fill(self, target: Any, cell: Cell, row: Row, head: bool) -> None:
        if head:
            style = "Tabel Kepala"
        elif cell.align == "right":
            style = "Tabel Angka"
        elif cell.align == "center":
            style = "Tabel Tengah"
        else:
            style = "Tabel Isi"
        fill = HEAD_FILL if head else FILLS.get(row.style)
        if fill:
            _shade(target, fill)
        lines = cell.lines[:-1] if cell.note else cell.lines
        first = True
        for line in lines:
            p = target.paragraphs[0] if first else target.add_paragraph()
            p.style = self.style(style, "Normal")
            run = p.add_run(line)
            run.bold = True if (cell.bold or row.style == "total") and not head else None
            if row.style == "note":
                from docx.shared import Pt

                run.font.size = Pt(8)
            first = False
        if cell.note:
            from docx.shared import Pt, RGBColor

            p = target.add_paragraph()
            p.style = self.style("Tabel Kecil Isi", style, "Normal")
            run = p.add_run(cell.note)
            run.font.size = Pt(7.5)
            run.font.color.rgb = RGBColor(0x50, 0x50, 0x50)


def set_grid(tbl: Any, widths: list[int]) -> None:
    """Column widths (twips) in the grid (LibreOffice reads these) and every cell (Word)."""
    from docx.oxml.ns import qn
    from docx.shared import Twips

    grid = tbl.tblGrid
    for col in grid.findall(qn("w:gridCol")):
        grid.remove(col)
    for width in widths:
        grid.append(grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(width)}))
    for tr in tbl.iter(qn("w:tr")):
        column = 0
        for tc in tr.findall(qn("w:tc")):
            span = tc.grid_span
            tc.width = Twips(sum(widths[column : column + span]))
            column += span
    tbl_w = tbl.tblPr.find(qn("w:tblW"))
    if tbl_w is not None:
        tbl_w.set(qn("w:w"), str(sum(widths)))
        tbl_w.set(qn("w:type"), "dxa")


def _alt_title(table: Any, title: str) -> None:
    """The table's alt-text title (``w:tblCaption``): ``Tabel 3.1``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), title)
    table._tbl.tblPr.append(caption)


def _placed(row: Row) -> list[tuple[int, Cell]]:
    out, x = [], 0
    for c in row.cells:
        out.append((x, c))
        x += c.colspan
    return out


def _is_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text)


def find_paragraph(doc: Any, marker: str) -> Any:
    """The body paragraph whose text holds ``marker`` (None when the template has none)."""
    for p in doc.paragraphs:
        if marker in p.text:
            return p
    return None


def remove_paragraph(p: Any) -> None:
    """Drop a marker paragraph — unless it carries its section's properties (then only its
    text goes, so the section stays)."""
    from docx.oxml.ns import qn

    ppr = p._p.pPr
    if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
        for run in list(p.runs):
            run._r.getparent().remove(run._r)
        return
    p._p.getparent().remove(p._p)


def write_contents(doc: Any, anchor: Any, entries: list[tuple[int, str, str]]) -> None:
    """The Daftar Isi before ``anchor``: a TOC field (``\\o "1-2"``: refreshable in Word and
    LibreOffice) whose shown result lists ``(level, label, page)`` with dot leaders."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    for s in doc.sections:  # the section the anchor is in: the front matter's
        section = s
        if s._sectPr is not None:
            break
    width = (section.page_width - section.left_margin - section.right_margin) / 36000  # mm

    def fld(kind: str) -> Any:
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run.append(char)
        return run

    paragraphs = []
    for level, label, page in entries:
        p = doc.add_paragraph(style=_style(doc, f"toc {level}", "Daftar Isi", "Normal"))
        p.paragraph_format.tab_stops.add_tab_stop(Mm(width), WD_TAB_ALIGNMENT.RIGHT,
                                                  WD_TAB_LEADER.DOTS)  # fmt: skip
        p.paragraph_format.left_indent = Mm(8 if level == 2 else 0)
        p.paragraph_format.first_line_indent = Mm(0)
        run = p.add_run(label)
        run.bold = level == 1
        p.add_run(f"\t{page}")
        paragraphs.append(p)
        anchor._p.addprevious(p._p)
    if not paragraphs:
        return
    first, last = paragraphs[0]._p, paragraphs[-1]._p
    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    instr_run.append(instr)
    anchor_run = first.find(qn("w:r"))
    for element in (fld("begin"), instr_run, fld("separate")):
        anchor_run.addprevious(element)
    last.append(fld("end"))
