"""Build the Word templates Kinerja ships (docxtpl: Jinja tags inside a .docx).

    .venv/bin/python tools/build_docx_templates.py

One function per template (``build_<name>_template``); ``main`` runs them all. The output
is committed: an agency may open it in Word, restyle it and install its own copy (see
docs/report-template.md). Re-run after changing this script; the template hash of every
report made afterwards changes with it.

python-docx is used only here, once, to lay the template out; the reports themselves are
rendered by docxtpl (row loops ``{%tr for %}``), never cell by cell.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "src" / "kinerja" / "reporting" / "templates"
FONT = "Arial"  # Liberation Sans (metric-compatible) where Arial is not installed
HEAD_FILL, PROGRAM_FILL, KEGIATAN_FILL = "E7E6E6", "D9E2F3", "F2F2F2"
PORTRAIT_TEXT = 160  # mm: A4 210 − 30 (left) − 20 (right)


# ---- styles -----------------------------------------------------------------------------------


def _plain_fonts(styles_element) -> None:
    """Arial everywhere: drop the theme fonts (Calibri/Cambria) python-docx's default uses."""
    for fonts in styles_element.iter(qn("w:rFonts")):
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
    for color in styles_element.iter(qn("w:color")):
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color.attrib.pop(qn(attr), None)
        color.set(qn("w:val"), "000000")


def _paragraph_style(doc, name, *, size=12, bold=False, italic=False, align=None, before=0,
                     after=0, line=1.0, first=None, left=None, hanging=None, keep_next=False,
                     base="Normal"):  # fmt: skip
    styles = doc.styles
    style = (
        styles[name]
        if name in [s.name for s in styles]
        else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    )
    style.base_style = styles[base] if base and name != base else None
    style.quick_style = True
    font = style.font
    font.name, font.size, font.bold, font.italic = FONT, Pt(size), bold, italic
    font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(before), Pt(after), line
    fmt.keep_with_next = keep_next
    if first is not None:
        fmt.first_line_indent = Mm(first)
    if left is not None:
        fmt.left_indent = Mm(left)
    if hanging is not None:
        fmt.first_line_indent = Mm(-hanging)
        fmt.tab_stops.add_tab_stop(Mm(left or hanging), WD_TAB_ALIGNMENT.LEFT)
    return style


TABLE_STYLE = f"""<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="TabelKinerja">
  <w:name w:val="Tabel Kinerja"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:qFormat/>
  <w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/><w:sz w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblBorders>
      <w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/>
      <w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="17" w:type="dxa"/><w:left w:w="45" w:type="dxa"/>
      <w:bottom w:w="17" w:type="dxa"/><w:right w:w="45" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
</w:style>"""

PLAIN_TABLE_STYLE = f"""<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="TabelPolos">
  <w:name w:val="Tabel Polos"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>
  <w:tblPr><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>
  </w:tblCellMar></w:tblPr>
</w:style>"""


def build_styles(doc) -> None:
    center, left, right = (
        WD_ALIGN_PARAGRAPH.CENTER,
        WD_ALIGN_PARAGRAPH.LEFT,
        WD_ALIGN_PARAGRAPH.RIGHT,
    )
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs", "w:lang"):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
    rpr.append(parse_xml(f'<w:sz {nsdecls("w")} w:val="24"/>'))
    rpr.append(parse_xml(f'<w:szCs {nsdecls("w")} w:val="24"/>'))
    rpr.append(
        parse_xml(f'<w:lang {nsdecls("w")} w:val="id-ID" w:eastAsia="en-US" w:bidi="ar-SA"/>')
    )
    _plain_fonts(styles)
    _paragraph_style(doc, "Normal", align=justify, after=6, line=1.5, base=None)
    _paragraph_style(doc, "Isi Laporan", align=justify, before=6, line=1.5, first=12.5)
    h1 = _paragraph_style(doc, "Heading 1", size=14, bold=True, align=center, after=18,
                          line=1.15, keep_next=True)  # fmt: skip
    h1.paragraph_format.page_break_before = True
    _paragraph_style(doc, "Heading 2", size=12, bold=True, align=left, before=12, after=6,
                     line=1.15, keep_next=True)  # fmt: skip
    _paragraph_style(doc, "Heading 3", size=12, bold=True, italic=True, align=left, before=6,
                     after=6, line=1.15, keep_next=True)  # fmt: skip
    _paragraph_style(doc, "Daftar Huruf", align=justify, after=3, line=1.5, left=10, hanging=10)
    _paragraph_style(doc, "Daftar Angka", align=justify, after=3, line=1.5, left=10, hanging=10)
    _paragraph_style(doc, "Judul Tabel", size=11, bold=True, align=center, before=12, after=6,
                     line=1.0, keep_next=True)  # fmt: skip
    _paragraph_style(doc, "Judul Gambar", size=11, bold=True, align=center, before=4, after=2,
                     line=1.0)  # fmt: skip
    _paragraph_style(doc, "Keterangan", size=9, italic=True, align=left, before=2, after=8,
                     line=1.0)  # fmt: skip
    _paragraph_style(doc, "Gambar", align=center, before=6, after=0, line=1.0, keep_next=True)
    _paragraph_style(doc, "Tabel Isi", size=9, align=left, line=1.0)
    _paragraph_style(doc, "Tabel Angka", size=9, align=right, line=1.0)
    _paragraph_style(doc, "Tabel Tengah", size=9, align=center, line=1.0)
    _paragraph_style(doc, "Tabel Kepala", size=9, bold=True, align=center, line=1.0)
    _paragraph_style(doc, "Tabel Kecil Isi", size=8, align=left, line=1.0)
    _paragraph_style(doc, "Tabel Kecil Angka", size=8, align=right, line=1.0)
    _paragraph_style(doc, "Tabel Kecil Kepala", size=8, bold=True, align=center, line=1.0)
    _paragraph_style(doc, "Lampiran Isi", size=6, align=left, line=1.0)
    _paragraph_style(doc, "Lampiran Angka", size=6, align=right, line=1.0)
    _paragraph_style(doc, "Lampiran Kepala", size=6, bold=True, align=center, line=1.0)
    _paragraph_style(doc, "Tanda Tangan", align=center, line=1.0, left=80)
    _paragraph_style(doc, "Sampul Judul", size=18, bold=True, align=center, after=6, line=1.15)
    _paragraph_style(doc, "Sampul Instansi", size=14, bold=True, align=center, after=4, line=1.15)
    _paragraph_style(doc, "Kop Pemerintah", size=14, bold=True, align=center, line=1.0)
    _paragraph_style(doc, "Kop Instansi", size=13, bold=True, align=center, line=1.0)
    _paragraph_style(doc, "Kop Alamat", size=9, align=center, line=1.0)
    _paragraph_style(doc, "Kepala Halaman", size=8, italic=True, align=right, line=1.0)
    _paragraph_style(doc, "Kaki Halaman", size=10, align=center, line=1.0)
    _paragraph_style(doc, "Daftar Isi", align=left, line=1.15)
    styles.append(parse_xml(TABLE_STYLE))
    styles.append(parse_xml(PLAIN_TABLE_STYLE))


# ---- building blocks ---------------------------------------------------------------------------


def par(container, text="", style="Normal", *, bold=None, italic=None):
    p = container.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
    return p


def cell_par(cell, text, style, *, bold=None, first=True, indent=None):
    """Write into the cell's first paragraph, or add a paragraph after the others."""
    p = cell.paragraphs[0] if first else cell.add_paragraph()
    p.style = style
    if text:
        run = p.add_run(text)
        run.bold = bold
    if indent:
        p.paragraph_format.left_indent = Mm(indent)
    return p


def shade(cell, fill: str) -> None:
    cell._tc.get_or_add_tcPr().append(
        parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    )


def v_merge(cell, restart: bool) -> None:
    """Start or continue a vertical merge (python-docx keeps ``w:tcPr``'s schema order)."""
    cell._tc.vMerge = "restart" if restart else "continue"


def table(container, widths_mm, caption: str, *, style="Tabel Kinerja"):
    """An empty fixed-layout table with the column widths; rows come from ``row``."""
    t = container.add_table(rows=0, cols=len(widths_mm))
    t.style = container.part.document.styles[style] if hasattr(container, "part") else style
    t.autofit = False
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(t.columns, widths_mm, strict=True):
        column.width = Mm(width)
    tbl_pr = t._tbl.tblPr
    tbl_pr.append(parse_xml(f'<w:tblCaption {nsdecls("w")} w:val="{caption}"/>'))
    return t


def row(t, texts, styles, *, header=False, bold=None, fill=None, indent=None, split=False):
    """One row; ``styles`` is one style for all cells or one per cell. Rows stay whole on a
    page (``cantSplit``) unless ``split``: only long texts may run over a page break."""
    r = t.add_row()
    if not split:
        r._tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {nsdecls('w')}/>"))
    if header:
        r._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {nsdecls('w')}/>"))
    cells = r.cells
    styles = [styles] * len(texts) if isinstance(styles, str) else styles
    for i, (cell, text, style) in enumerate(zip(cells, texts, styles, strict=True)):
        cell_par(cell, text, style, bold=bold, indent=(indent or {}).get(i))
        if fill:
            shade(cell, fill)
        if header:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return r


def tag_row(t, tag: str, style="Tabel Isi"):
    """A row holding only a docxtpl ``{%tr … %}`` tag: rendering removes the whole row."""
    r = t.add_row()
    cell = r.cells[0].merge(r.cells[-1]) if len(r.cells) > 1 else r.cells[0]
    cell_par(cell, tag, style)
    return r


def numbers_row(t, count: int, style="Tabel Kepala"):
    """The ``(1) (2) …`` row under a header, repeated with it on every page."""
    return row(t, [f"({i})" for i in range(1, count + 1)], style, header=True, fill=HEAD_FILL)


def caption(container, number: str, title: str) -> None:
    par(container, f"Tabel {number}", "Judul Tabel").paragraph_format.space_after = Pt(0)
    par(container, title, "Judul Tabel").paragraph_format.space_before = Pt(0)


def field(paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``PAGE``, ``TOC …``) with placeholder text until it is updated."""
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        f'<w:r><w:t xml:space="preserve">{placeholder}</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml.replace("<w:r>", f"<w:r {nsdecls('w')}>", 1)))


def page_numbers(section, fmt: str | None, start: int | None) -> None:
    """``w:pgNumType`` (lowerRoman / decimal, restart) right after ``w:pgMar``; a new section
    is a clone of the one before, so its numbering is replaced, not added to."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    numbering = OxmlElement("w:pgNumType")
    if fmt:
        numbering.set(qn("w:fmt"), fmt)
    if start is not None:
        numbering.set(qn("w:start"), str(start))
    sect_pr.find(qn("w:pgMar")).addnext(numbering)


def geometry(section, *, landscape=False, top=25, bottom=25, left=30, right=20, header=12.5,
             footer=12.5) -> None:  # fmt: skip
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210),
                                                                                       Mm(297))  # fmt: skip
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(header), Mm(footer)


def logo_png() -> bytes:
    """A neutral placeholder for the agency's emblem (replace it in Word: Ubah Gambar)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(1.2, 1.4), dpi=150)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 1.2)
    ax.set_ylim(0, 1.4)
    ax.axis("off")
    shield = plt.Polygon([(0.1, 1.3), (1.1, 1.3), (1.1, 0.6), (0.6, 0.08), (0.1, 0.6)],
                         closed=True, fill=False, lw=2.5, ec="#7f7f7f")  # fmt: skip
    ax.add_patch(shield)
    ax.text(0.6, 0.8, "LOGO", ha="center", va="center", fontsize=11, color="#7f7f7f",
            fontweight="bold", family="DejaVu Sans")  # fmt: skip
    out = io.BytesIO()
    fig.savefig(out, format="png", transparent=True, metadata={"Software": None})
    plt.close(fig)
    return out.getvalue()


def settings(doc) -> None:
    """``w:updateFields``: Word offers to update the table of contents when the file opens."""
    element = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    later = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
             "mathPr", "themeFontLang", "clrSchemeMapping", "shapeDefaults", "decimalSymbol",
             "listSeparator")  # fmt: skip
    for child in element:
        if child.tag in {qn(f"w:{name}") for name in later}:
            child.addprevious(update)
            return
    element.append(update)


# ---- the quarterly report (Laporan Capaian Kinerja Triwulan) ----------------------------------

LAMPIRAN_WIDTHS = [4, 13, 13, 26, 24] + [6, 10] * 11 + [21]  # 277 mm: A4 landscape


def _cover(doc) -> None:
    """The kop (the agency's logo, government, agency, address and contacts — set in the
    app, part of the quarter's record), then the title page."""
    kop = table(doc, [28, 132], "Kop", style="Tabel Polos")
    r = kop.add_row().cells
    r[0].vertical_alignment = r[1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    cell_par(r[0], "{{ kop.logo }}", "Tabel Tengah")
    cell_par(r[1], "{{ kop.government }}", "Kop Pemerintah")
    cell_par(r[1], "{{ kop.agency }}", "Kop Instansi", first=False)
    cell_par(r[1], "{{ kop.contact }}", "Kop Alamat", first=False)
    line = par(doc, "", "Kop Alamat")
    line._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="thickThinSmallGap" w:sz="18" w:space="1" '
        'w:color="000000"/></w:pBdr>'
    ))  # fmt: skip
    for _ in range(5):
        par(doc, "", "Sampul Judul")
    par(doc, "{{ cover.title[0] }}", "Sampul Judul")
    par(doc, "{{ cover.title[1] }}", "Sampul Judul")
    par(doc, "{{ cover.period }}", "Sampul Instansi")
    for _ in range(6):
        par(doc, "", "Sampul Judul")
    par(doc, "{{ cover.short_agency }}", "Sampul Instansi")
    par(doc, "TAHUN {{ cover.year }}", "Sampul Instansi")


def _signature(doc) -> None:
    par(doc, "", "Tanda Tangan")
    par(doc, "{{ place_date }}", "Tanda Tangan")
    par(doc, "{{ signature.title }}", "Tanda Tangan", bold=True)
    for _ in range(4):
        par(doc, "", "Tanda Tangan")
    par(doc, "{{ signature.name }}", "Tanda Tangan", bold=True).runs[0].underline = True
    par(doc, "{%p if signature.rank %}", "Tanda Tangan")
    par(doc, "{{ signature.rank }}", "Tanda Tangan")
    par(doc, "{%p endif %}", "Tanda Tangan")
    par(doc, "{%p if signature.nip %}", "Tanda Tangan")
    par(doc, "{{ signature.nip }}", "Tanda Tangan")
    par(doc, "{%p endif %}", "Tanda Tangan")


def _front_matter(doc) -> None:
    par(doc, "KATA PENGANTAR", "Heading 1")
    par(doc, "{%p for text in foreword %}", "Isi Laporan")
    par(doc, "{{ text }}", "Isi Laporan")
    par(doc, "{%p endfor %}", "Isi Laporan")
    _signature(doc)
    par(doc, "DAFTAR ISI", "Heading 1")
    # Kinerja writes the Daftar Isi here: a TOC field already filled with the document
    # model's headings and their pages (renderers/docx_blocks.py)
    par(doc, "{{ daftar_isi }}", "Daftar Isi")


def _body(doc) -> None:
    # BAB I–IV: the document model's blocks, written here in this template's styles
    par(doc, "{{ isi }}", "Isi Laporan")


def _appendix(doc) -> None:
    par(doc, "LAMPIRAN", "Heading 1").paragraph_format.space_after = Pt(4)
    par(doc, "{{ form.title }}", "Judul Tabel").paragraph_format.space_before = Pt(0)
    t = table(doc, LAMPIRAN_WIDTHS, "Lampiran")
    head, number, body = "Lampiran Kepala", "Lampiran Angka", "Lampiran Isi"
    titles = ["No", "Sasaran", "Kode", "Program/ Kegiatan/ Sub Kegiatan",
              "Indikator Kinerja Program (outcome)/ Kegiatan (output)"]  # fmt: skip
    r1 = row(t, [*titles] + [""] * 22 + ["Unit Perangkat Daerah penanggung jawab"], head,
             header=True, fill=HEAD_FILL)  # fmt: skip
    r2 = row(t, [""] * 28, head, header=True, fill=HEAD_FILL)
    r3 = row(t, ["1", "2", "3", "4", "5"] + [""] * 22 + ["17"], head, header=True, fill=HEAD_FILL)
    r4 = row(t, [""] * 5 + ["K", "Rp"] * 11 + [""], head, header=True, fill=HEAD_FILL)
    for c in (*range(5), 27):
        v_merge(r1.cells[c], True)
        v_merge(r2.cells[c], False)
        v_merge(r3.cells[c], True)
        v_merge(r4.cells[c], False)
    group = {6: "{{ form.col6 }}", 7: "{{ form.col7 }}", 8: "{{ form.col8 }}",
             13: "{{ form.col13 }}", 14: "{{ form.col14 }}", 15: "{{ form.col15 }}",
             16: "{{ form.col16 }}"}  # fmt: skip
    numbers = {13: "13=9+10+11+12", 14: "14=13/8x100%", 15: "15=7+13", 16: "16=15/6x100%"}
    # merges change the rows' cell lists: write texts first, merge right to left
    for column in range(16, 5, -1):
        k = 5 + 2 * (column - 6)
        cell_par(r3.cells[k], numbers.get(column, str(column)), head)
        r3.cells[k].merge(r3.cells[k + 1])
        if 9 <= column <= 12:
            cell_par(r2.cells[k], ("I", "II", "III", "IV")[column - 9], head)
            r2.cells[k].merge(r2.cells[k + 1])
        else:
            cell_par(r1.cells[k], group[column], head)
            top = r1.cells[k].merge(r1.cells[k + 1])
            v_merge(top, True)
            bottom = r2.cells[k].merge(r2.cells[k + 1])
            v_merge(bottom, False)
    cell_par(r1.cells[11], "Realisasi kinerja pada triwulan", head)
    r1.cells[11].merge(r1.cells[18])
    cells = ["{{ r.no }}", "{{ r.objective }}", "{{ r.code }}", "{{ r.name }}",
             "{{ r.indicator }}"]  # fmt: skip
    for column in range(6, 17):
        cells += [f"{{{{ r.k{column} }}}}", f"{{{{ r.rp{column} }}}}"]
    cells.append("{{ r.unit }}")
    styles = [body] * 5 + [number] * 22 + [body]
    tag_row(t, "{%tr for r in form.rows %}", body)
    tag_row(t, '{%tr if r.level == "program" %}', body)
    row(t, cells, styles, bold=True, fill=PROGRAM_FILL)
    tag_row(t, '{%tr elif r.level == "kegiatan" %}', body)
    row(t, cells, styles, bold=True, fill=KEGIATAN_FILL, indent={3: 1})
    tag_row(t, "{%tr else %}", body)
    row(t, cells, styles, indent={3: 2})
    tag_row(t, "{%tr endif %}", body)
    tag_row(t, "{%tr endfor %}", body)
    for label, k, rp, note in (
        ("Rata-rata capaian kinerja (%)", "{{ form.footer_k.value }}",
         "{{ form.footer_rp.value }}", "{{ form.footer_rule }}"),
        ("Predikat kinerja", "{{ form.footer_k.rating }}", "{{ form.footer_rp.rating }}",
         "{{ form.scale }}"),
    ):  # fmt: skip
        r = row(t, [label] + [""] * 20 + [k, rp, note] + [""] * 4,
                [head] * 21 + [number, number, body] + [body] * 4, bold=True, fill=HEAD_FILL)  # fmt: skip
        r.cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.LEFT
        r.cells[23].merge(r.cells[27]).paragraphs[0].runs[0].bold = False
        r.cells[0].merge(r.cells[20])
    r = row(t, [""] * 28, body)
    r.cells[0].merge(r.cells[4])
    r.cells[5].merge(r.cells[27])
    tag_row(t, "{%tr for block in form.texts %}", body)
    r = row(t, ["{{ block.title }}"] + [""] * 27, body, bold=True)
    cell = r.cells[5]
    cell_par(cell, "{%p for s in block.lines %}", body)
    cell_par(cell, "{{ s }}", body, first=False)
    cell_par(cell, "{%p endfor %}", body, first=False)
    r.cells[5].merge(r.cells[27])
    r.cells[0].merge(r.cells[4])
    tag_row(t, "{%tr endfor %}", body)
    # the spacer row above only keeps the column grid readable in Word; drop it
    t._tbl.remove(t.rows[-4]._tr)


def build_laporan_template(path: Path = TEMPLATES / "laporan.docx") -> Path:
    doc = Document()
    build_styles(doc)
    doc.core_properties.title = "Laporan Capaian Kinerja Triwulan"
    doc.core_properties.author = "Kinerja"
    doc.core_properties.language = "id-ID"
    doc.core_properties.comments = "Templat Word Kinerja (docxtpl): lihat docs/report-template.md"
    body = doc.paragraphs[0]._p if doc.paragraphs else None
    if body is not None:
        body.getparent().remove(body)

    cover = doc.sections[0]
    geometry(cover)
    _cover(doc)

    front = doc.add_section(WD_SECTION.NEW_PAGE)
    page_numbers(front, "lowerRoman", 1)
    footer = front.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    p.style = doc.styles["Kaki Halaman"]
    field(p, "PAGE", "i")
    _front_matter(doc)

    main = doc.add_section(WD_SECTION.NEW_PAGE)
    page_numbers(main, "decimal", 1)
    header = main.header
    header.is_linked_to_previous = False
    h = header.paragraphs[0]
    h.style = doc.styles["Kepala Halaman"]
    h.add_run("{{ title }} · {{ agency_abbreviation }} {{ region_name }}")
    _body(doc)

    # the appendix (the evaluation form) is appended by the renderer as its own landscape
    # section (renderers/docx_form.append_form)

    settings(doc)
    return save(doc, path)


def save(doc, path: Path) -> Path:
    """Save reproducibly: fixed document dates and zip timestamps, so the same script gives
    the same bytes (and the same template hash) on every machine."""
    stamp = datetime(2024, 1, 1, tzinfo=UTC)
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.last_modified_by = "Kinerja"
    doc.core_properties.revision = 1
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path


# ---- the PK (Perjanjian Kinerja) ---------------------------------------------------------


def build_pk_template(path: Path = TEMPLATES / "pk.docx") -> Path:
    """pk.docx: kop, title, the agreement paragraphs, both signatures; then the attachment
    (sasaran/indikator/target, programs with pagu and their total), signed again. A4
    portrait (the renderer sets F4 on request). Fields: docs/report-template.md, "pk.docx"."""
    from docx import Document
    from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), "Arial")
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    props = doc.core_properties
    props.author, props.title, props.language = "Kinerja", "Perjanjian Kinerja", "id-ID"

    def paragraph(text: str = "", *, align=None, bold=False, size: float = 0, after: float = 6,
                  before: float = 0):  # fmt: skip
        p = doc.add_paragraph()
        if text:
            run = p.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
        p.alignment = align
        p.paragraph_format.space_after, p.paragraph_format.space_before = Pt(after), Pt(before)
        return p

    def border_below(p) -> None:
        """The kop's double rule."""
        borders, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
        for key, value in (("w:val", "thinThickSmallGap"), ("w:sz", "18"), ("w:space", "4"),
                           ("w:color", "000000")):  # fmt: skip
            bottom.set(qn(key), value)
        borders.append(bottom)
        p._p.get_or_add_pPr().append(borders)

    def fill(cell, text: str, *, align=None, bold=False, size: float = 10, underline=False,
             pad: float = 1):  # fmt: skip
        p = cell.paragraphs[0]
        run = p.add_run(text)
        run.bold, run.underline, run.font.size = bold, underline, Pt(size)
        p.alignment = align
        p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(pad)
        p.paragraph_format.line_spacing = 1.0
        return p

    def shade(cell, color: str = "D9E2F3") -> None:
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), color)
        cell._tc.get_or_add_tcPr().append(shading)

    def row_flag(row, name: str) -> None:
        """``tblHeader`` (repeat on each page) or ``cantSplit`` (never split the row)."""
        row._tr.get_or_add_trPr().append(OxmlElement(f"w:{name}"))

    def widths(table, cm: tuple[float, ...]) -> None:
        """Column widths in the grid (LibreOffice reads these) and in every cell (Word)."""
        table.autofit = False
        for column, width in zip(table._tbl.tblGrid.gridCol_lst, cm, strict=True):
            column.w = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, cm, strict=True):
                cell.width = Cm(width)

    def signatures() -> None:
        """PIHAK KEDUA (the regent) left, PIHAK PERTAMA (the head) right, as PKs are signed;
        one row per line, so both names stand level whatever the titles' length."""
        table = doc.add_table(rows=7, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        lines = [
            ("", "{{ place_date }}", False, False),
            ("{{ second.party }},", "{{ first.party }},", True, False),
            ("{{ second.title }}", "{{ first.title }}", True, False),
            ("", "", False, False),
            ("{{ second.name }}", "{{ first.name }}", True, True),
            ("{{ second.rank }}", "{{ first.rank }}", False, False),
            ("{{ second.nip }}", "{{ first.nip }}", False, False),
        ]
        for row, (left, right_text, bold, underline) in zip(table.rows, lines, strict=True):
            row_flag(row, "cantSplit")
            for cell, text in zip(row.cells, (left, right_text), strict=True):
                p = fill(cell, text, align=center, bold=bold, size=11, underline=underline,
                         pad=0)  # fmt: skip
                p.paragraph_format.keep_with_next = True
        table.rows[0].height = Cm(0.9)
        table.rows[3].height, table.rows[3].height_rule = Cm(2.6), WD_ROW_HEIGHT_RULE.EXACTLY
        widths(table, (8.25, 8.25))

    def loop_table(headers: tuple[str, ...], cm: tuple[float, ...], loop: str,
                   cells: tuple[str, ...], aligns: tuple):  # fmt: skip
        """Header, column numbers, then {%tr for %} / one templated row / {%tr endfor %}."""
        table = doc.add_table(rows=5, cols=len(headers))
        table.style = doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for i, header in enumerate(headers):
            fill(table.rows[0].cells[i], header, align=center, bold=True)
            fill(table.rows[1].cells[i], f"({i + 1})", align=center, size=8, pad=0)
            for r in (0, 1):
                shade(table.rows[r].cells[i])
        for r in (0, 1):
            row_flag(table.rows[r], "tblHeader")
        fill(table.rows[2].cells[0], f"{{%tr for {loop} %}}")
        for i, (text, align) in enumerate(zip(cells, aligns, strict=True)):
            fill(table.rows[3].cells[i], text, align=align)
        row_flag(table.rows[3], "cantSplit")
        fill(table.rows[4].cells[0], "{%tr endfor %}")
        widths(table, cm)
        return table

    # ---- the agreement ----
    paragraph("{{ government_upper }}", align=center, bold=True, size=14, after=0)
    border_below(paragraph("{{ agency_upper }}", align=center, bold=True, size=12, after=12))
    paragraph("{{ title }}", align=center, bold=True, size=13, before=6, after=12)
    paragraph("{%p for text in paragraphs %}")
    body = paragraph("{{ text }}", align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=8)
    body.paragraph_format.first_line_indent = Cm(1)
    paragraph("{%p endfor %}")
    paragraph(after=6)
    signatures()

    # ---- the attachment, on its own page ----
    heading = paragraph("LAMPIRAN {{ title }}", align=center, bold=True, size=12, after=0)
    heading.paragraph_format.page_break_before = True
    paragraph("{{ agency_upper }}", align=center, bold=True, after=12)
    paragraph("A. Sasaran Strategis, Indikator Kinerja dan Target", bold=True, after=4)
    loop_table(("No", "Sasaran Strategis", "Indikator Kinerja", "Target", "Satuan"),
               (1.0, 6.0, 5.5, 2.0, 2.0), "t in targets",
               ("{{ t.number }}", "{{ t.objective }}", "{{ t.indicator }}", "{{ t.target }}",
                "{{ t.unit }}"), (center, None, None, right, center))  # fmt: skip
    paragraph("B. Program dan Anggaran", bold=True, before=12, after=4)
    programs = loop_table(
        ("No", "Program", "Indikator Kinerja Program", "Target", "Anggaran (Rp)"),
        (1.0, 5.2, 5.3, 2.0, 3.0), "p in programs",
        ("{{ p.number }}", "{{ p.name }}", "{{ p.indicator }}", "{{ p.target }}",
         "{{ p.budget }}"), (center, None, None, right, right),
    )  # fmt: skip
    total = programs.add_row()
    fill(total.cells[0].merge(total.cells[3]), "Jumlah", align=center, bold=True)
    fill(total.cells[4], "{{ total }}", align=right, bold=True)
    row_flag(total, "cantSplit")
    paragraph(after=12)
    signatures()
    return save(doc, path)  # reproducible: the same bytes, the same template hash


def main() -> None:
    for name, builder in sorted(globals().items()):
        if name.startswith("build_") and name.endswith("_template") and callable(builder):
            print(builder())


if __name__ == "__main__":
    main()
