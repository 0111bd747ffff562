"""The quarterly report (Laporan Capaian Kinerja Triwulan) as an Excel workbook.

The workbook walks the same document model as the PDF and the Word file
(``reporting/document.py``), so its headings, table numbers, captions, wording and cell texts
are theirs. Two sheets:

- **Laporan** — the report as a document, read from top to bottom and printed portrait on the
  chosen paper (A3 prints the body on A4, as the PDF does), one page wide: the cover with the
  kop, the Kata Pengantar, the Daftar Isi (each entry a link to its heading), BAB I–IV block by
  block — headings as bold rows, each chapter on a new printed page, paragraphs and lists in
  merged wrapped rows, each table in place under its caption ("Tabel 3.2 …", subject lines,
  header with its merged cells, body rows shaded as in the PDF, note), each chart as its PNG
  under its caption "Gambar 3.1 …" and description, the signature blocks — and the LAMPIRAN
  heading, its line linking to the next sheet. One sheet rather than one per chapter because a
  report is read in sequence, and one sheet keeps the Daftar Isi's links, the print order and
  the page breaks of the PDF. Tables of different shapes share the sheet through a fine grid
  of equal columns: each table column spans as many grid columns as its declared width asks
  (``7mm``, ``1fr``, ``fit`` = its widest text, measured with the shipped Liberation Sans,
  metric-compatible with Arial), so every table is as wide as the text. Excel and LibreOffice
  do not fit the height of merged or wrapped rows on opening, so every row's height is set
  from the same measurement.
- **Lampiran** — the evaluation form, written by ``xlsx_form.write_form_sheet`` exactly as
  the form's own workbook, with its numbers and live formulas (columns 13–16, the footer).

Cell texts are the model's display strings, written as text (numbers right-aligned): a number
format shows "40,64" only where the reader's locale uses a decimal comma, and the document
must read the same as the PDF in every spreadsheet program. The sheet that computes is the
Lampiran, whose numbers stay numbers. What the model leaves out stays out: no findings, no
rule ids, no hashes in any cell (the hashes are in the document properties only).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from ..data import QuarterlyReport
from ..document import (
    Block,
    Cell,
    Cover,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    ReportDocument,
    SignatureBlock,
    Table,
    Terms,
    laporan_document,
)
from . import Provenance, Renderer, register
from .draft import mark_xlsx
from .pdf_form import FONT_FILES, FONTS
from .xlsx_form import Formats, check_paper, set_provenance, write_form_sheet

SHEET, APPENDIX_SHEET = "Laporan", "Lampiran"
GRID, COL_PX = 40, 16  # the sheet: 40 equal columns of 16 px = 640 px, A4 portrait at 100 %
PAGE_PX = GRID * COL_PX
MM = PAGE_PX / 155  # px per mm of the PDF's text width (155 mm on A4), for declared widths
PAD_PX = 7  # a cell's inner margins, both sides
MAX_HEIGHT = 409  # Excel's tallest row, in points
MARGINS = {"left": 0.6, "right": 0.5, "top": 0.7, "bottom": 0.7}  # inches
PAPER_HEIGHT = {"f4": 13.0, "a4": 11.69}  # inches: Excel's Folio (8.5 × 13 in) and A4

# Type sizes (pt). Headings and captions are told apart by their size: the tests read them so.
BODY, TABLE, SMALL = 10, 9, 8
H1, H2, CAPTION = 13, 11, 10.5
GREY = "#505050"
HEAD_FILL = "#D9E1EC"
FILLS = {"program": "#DFE7F2", "kegiatan": "#F1F4F8", "group": "#EEF2F7", "total": "#EEF2F7"}


# ---- measuring text ---------------------------------------------------------------------------


class _Metrics:
    """Text widths in pixels (96 dpi) of Liberation Sans, metric-compatible with Arial."""

    def __init__(self) -> None:
        from PIL import ImageFont

        package = resources.files("kinerja").joinpath(FONTS)
        self.fonts = {
            bold: ImageFont.truetype(io.BytesIO(package.joinpath(name).read_bytes()), 100)
            for bold, name in zip((False, True), FONT_FILES, strict=True)
        }

    def width(self, text: str, size: float, bold: bool = False) -> float:
        return float(self.fonts[bold].getlength(text)) * size * 4 / 3 / 100

    def lines(self, text: str, width_px: float, size: float, bold: bool = False) -> int:
        """How many lines ``text`` wraps to in a cell ``width_px`` wide (breaks at spaces, as
        Excel does; a word wider than the cell takes the lines it needs)."""
        room = max(width_px - PAD_PX, 10)
        space = self.width(" ", size, bold)
        count = 0
        for part in text.split("\n"):
            line, count = 0.0, count + 1
            for word in part.split():
                w = self.width(word, size, bold)
                if line and line + space + w > room:
                    count, line = count + 1, 0.0
                if w > room:
                    count += math.ceil(w / room) - 1
                    w = w % room
                line = w if not line else line + space + w
        return count

    def height(self, text: str, width_px: float, size: float, bold: bool = False) -> float:
        """Row height (pt) for ``text`` wrapped in ``width_px``."""
        return line_height(size) * self.lines(text, width_px, size, bold) + 4


def line_height(size: float) -> float:
    """Arial's line spacing (1.15 em) and a little more."""
    return size * 1.17


def image_size(image: bytes) -> tuple[float, float]:
    """Width and height (px at 96 dpi) at which Excel shows an image: its pixels at its own
    resolution (a chart drawn at 150 dpi is shown smaller than its pixels)."""
    from PIL import Image

    with Image.open(io.BytesIO(image)) as picture:
        dpi = picture.info.get("dpi", (96, 96))
        x, y = (float(d) or 96.0 for d in dpi)
        return picture.width * 96 / x, picture.height * 96 / y


# ---- tables on the grid ---------------------------------------------------------------------


@dataclass
class _Placed:
    cell: Cell
    row: int  # 0-based within the table (header rows first)
    col: int  # table column
    style: str
    head: bool


@dataclass
class _Layout:
    """A table's columns as grid columns: ``bounds[i]`` is where table column ``i`` starts
    (relative to ``offset``); ``bounds[-1]`` the table's width in grid columns."""

    offset: int
    bounds: list[int]
    cells: list[_Placed] = field(default_factory=list)

    def span(self, col: int, colspan: int) -> tuple[int, int]:
        return self.offset + self.bounds[col], self.offset + self.bounds[col + colspan] - 1


def _single_column_texts(t: Table, col: int) -> list[tuple[str, bool, bool]]:
    """(text, bold, head) of the cells that sit in column ``col`` alone."""
    out = []
    for placed in _place(t):
        if placed.col == col and placed.cell.colspan == 1:
            c = placed.cell
            out.append((c.text, c.bold or placed.head, placed.head))
    return out


def _place(t: Table) -> list[_Placed]:
    """Every cell with its row and table column, cells spanning rows taken into account."""
    taken: dict[int, set[int]] = {}
    placed = []
    rows = [(r, True) for r in t.header] + [(r, False) for r in t.rows]
    for i, (row, head) in enumerate(rows):
        col = 0
        for c in row.cells:
            while col in taken.get(i, set()):
                col += 1
            placed.append(_Placed(c, i, col, row.style, head))
            for below in range(i + 1, i + c.rowspan):
                taken[below] = taken.get(below, set()) | set(range(col, col + c.colspan))
            col += c.colspan
    return placed


def _layout(t: Table, metrics: _Metrics) -> _Layout:
    """Grid columns for each table column from its declared width (see ``Table.columns``)."""
    total = round(float(t.width[:-2]) * MM) if t.width.endswith("mm") else PAGE_PX
    total = min(PAGE_PX, total)
    widths: list[float | None] = []
    shares: dict[int, float] = {}
    for i, spec in enumerate(t.columns):
        if spec.endswith("mm"):
            widths.append(float(spec[:-2]) * MM)
        elif spec.endswith("fr"):
            widths.append(None)
            shares[i] = float(spec[:-2])
        else:  # fit: the widest number or word of its own cells
            widest = 8 * MM
            for text, bold, head in _single_column_texts(t, i):
                words = text.split() if head else [text]
                for w in words:
                    widest = max(widest, metrics.width(w, TABLE, bold) + PAD_PX + 3)
            widths.append(widest)
    fixed = sum(w for w in widths if w is not None)
    if shares and fixed > total - 3 * COL_PX * len(shares):
        # keep room for the text columns: narrow the others
        scale = (total - 3 * COL_PX * len(shares)) / fixed
        widths = [None if w is None else w * scale for w in widths]
    # grid columns: a measured or fixed column gets what it needs (rounded up: a number is
    # never broken), the text columns share the rest by their weights
    counts = [0 if w is None else max(1, math.ceil(w / COL_PX - 0.15)) for w in widths]
    grid = min(GRID, max(round(total / COL_PX), sum(counts) + len(shares)))
    if shares:
        rest = grid - sum(counts)
        weight = sum(shares.values())
        exact = {i: rest * share / weight for i, share in shares.items()}
        for i, x in exact.items():
            counts[i] = max(1, math.floor(x))
        by_remainder = sorted(exact, key=lambda i: exact[i] - math.floor(exact[i]), reverse=True)
        for i in by_remainder[: grid - sum(counts)]:
            counts[i] += 1
    while sum(counts) > GRID:  # too wide for the page: narrow the widest column
        counts[counts.index(max(counts))] -= 1
    grid = sum(counts)
    bounds = [0]
    for n in counts:
        bounds.append(bounds[-1] + n)
    return _Layout(offset=(GRID - grid) // 2, bounds=bounds)


# ---- the sheet --------------------------------------------------------------------------------


class _Writer:
    """Writes the document's blocks down the Laporan sheet, one row after another."""

    def __init__(self, workbook: Any, fmt: Formats, doc: ReportDocument) -> None:
        self.workbook, self.fmt, self.doc = workbook, fmt, doc
        self.ws = workbook.add_worksheet(SHEET)
        self.metrics = _Metrics()
        self.row = 0
        self.heights: dict[int, float] = {}
        self.breaks: list[int] = []  # rows that start a page: the chapters
        self.keep: set[int] = set()  # rows printed on the same page as the row under them
        self.heading_rows: dict[int, int] = {}  # id(heading) → its row
        self.images = 0
        self.ws.set_column_pixels(0, GRID - 1, COL_PX)

    # -- primitives

    def style(self, size: float = BODY, **props: Any) -> Any:
        return self.fmt(font_size=size, border=0, **props)

    def height(self, row: int, points: float) -> None:
        self.heights[row] = min(max(self.heights.get(row, 0), points), MAX_HEIGHT)

    def put(self, row: int, first: int, last: int, text: str, fmt: Any, *,
            last_row: int | None = None) -> None:  # fmt: skip
        """``text`` in the cells ``first``–``last`` of ``row`` (merged when more than one)."""
        last_row = row if last_row is None else last_row
        if first == last and last_row == row:
            self.ws.write_string(row, first, text, fmt)
        else:
            self.ws.merge_range(row, first, last_row, last, text, fmt)

    def line(self, text: str, *, size: float = BODY, bold: bool = False, first: int = 0,
             last: int = GRID - 1, space: float = 0, keep: bool = False,
             **props: Any) -> int:  # fmt: skip
        """One wrapped line of text across ``first``–``last``, kept on the page of the next
        row if ``keep``; returns its row."""
        row = self.row
        if keep:
            self.keep.add(row)
        props.setdefault("text_wrap", True)
        self.put(row, first, last, text, self.style(size, bold=bold, **props))
        width = (last - first + 1) * COL_PX - 12 * props.get("indent", 0)
        self.height(row, self.metrics.height(text, width, size, bold) + space)
        self.row += 1
        return row

    def gap(self, points: float = 6, *, keep: bool = False) -> None:
        if keep:
            self.keep.add(self.row)
        self.height(self.row, points)
        self.row += 1

    def page_break(self) -> None:
        if self.row and self.row not in self.breaks:
            self.breaks.append(self.row)

    # -- the cover

    def cover(self, cover: Cover, title: str) -> None:
        # A1: the running title (a draft's "DRAF" goes before it), always in view
        self.line(title, size=SMALL, font_color=GREY)
        kop = cover.kop
        first, last = 3, GRID - 4  # the kop's text, centred; right of the emblem if any
        if kop.logo:
            self.logo(kop.logo, kop.logo_ext)
            first, last = 6, GRID - 1
        self.line(kop.government.upper(), size=14, bold=True, align="center", first=first,
                  last=last)  # fmt: skip
        self.line(kop.agency.upper(), size=12, bold=True, align="center", first=first, last=last)
        if kop.contact_line:
            self.line(kop.contact_line, size=SMALL, align="center", first=first, last=last)
        rule = self.style(bottom=6)  # the kop's double rule
        self.ws.merge_range(self.row, 0, self.row, GRID - 1, "", rule)
        self.gap(4)
        self.gap(150)
        self.line(cover.title[0], size=20, bold=True, align="center", space=6)
        for text in cover.title[1:]:
            self.line(text, size=16, bold=True, align="center", space=6)
        if cover.period:
            self.gap(10)
            self.line(cover.period, size=12, align="center")
        self.gap(260)
        self.line(cover.short_agency, size=14, bold=True, align="center", space=4)
        self.line(f"TAHUN {cover.year}", size=14, bold=True, align="center")

    def logo(self, image: bytes, ext: str) -> None:
        """The agency's emblem left of the kop, 20 mm high as on the PDF's cover."""
        scale = 76 / image_size(image)[1]  # 20 mm at 96 dpi
        self.ws.insert_image(self.row, 0, f"logo.{ext or 'png'}", {
            "image_data": io.BytesIO(image), "x_scale": scale, "y_scale": scale,
            "y_offset": 4, "object_position": 3,
        })  # fmt: skip

    # -- blocks

    def blocks(self, blocks: Sequence[Block]) -> None:
        for i, b in enumerate(blocks):
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if isinstance(b, Paragraph):  # a sentence introducing a table or a list
                self.paragraph(b, keep=isinstance(following, Table | ListBlock | Terms))
            else:
                self.block(b)

    def block(self, b: Block) -> None:
        if isinstance(b, Heading):
            self.heading(b)
        elif isinstance(b, Paragraph):
            self.paragraph(b)
        elif isinstance(b, ListBlock):
            for i, item in enumerate(b.items):
                self.item(b.marker(i), item)
            self.gap(4)
        elif isinstance(b, Terms):
            self.terms(b)
        elif isinstance(b, Table):
            self.table(b)
        elif isinstance(b, Figure):
            self.figure(b)
        else:
            self.signature(b)

    def heading(self, h: Heading) -> None:
        if h.level == 1:
            self.page_break()
            self.heading_rows[id(h)] = self.line(h.label, size=H1, bold=True, align="center",
                                                 valign="vcenter", space=4, keep=True)  # fmt: skip
            self.gap(10, keep=True)
        else:
            self.gap(8)
            self.heading_rows[id(h)] = self.line(h.label, size=H2, bold=True, valign="vcenter",
                                                 space=2, keep=True)  # fmt: skip

    def paragraph(self, p: Paragraph, *, keep: bool = False) -> None:
        if p.style == "plain":
            self.line(p.text, bold=True, space=2, keep=True)
        elif p.style == "note":
            self.line(p.text, size=SMALL, font_color=GREY, space=2, keep=keep)
        else:
            self.line(p.text, align="justify", space=5, keep=keep)

    def item(self, marker: str, text: str) -> None:
        self.ws.write_string(self.row, 0, marker, self.style(align="right"))
        self.line(text, first=1, last=GRID - 1, indent=1, align="justify", space=2)

    def terms(self, t: Terms) -> None:
        widest = max(self.metrics.width(term, BODY, True) for term, _ in t.items)
        split = min(math.ceil((widest + PAD_PX + 4) / COL_PX), GRID // 2)
        for term, text in t.items:
            self.put(self.row, 0, split - 1, term, self.style(bold=True))
            self.line(text, first=split, space=2)
        self.gap(4)

    def signature(self, s: SignatureBlock) -> None:
        first = GRID - 22  # the right 22 columns, as the PDF's 85 mm block on the right
        self.gap(10)
        start = self.row
        self.line(s.place_date, first=first, align="center")
        self.line(s.title, first=first, align="center")
        self.gap(60)  # room to sign
        if s.name:
            self.line(s.name, first=first, bold=True, underline=True, align="center")
        else:
            self.line("( ....................................... )", first=first, align="center")
        if s.rank:
            self.line(s.rank, first=first, align="center")
        if s.nip:
            self.line(s.nip, first=first, align="center")
        self.keep.update(range(start, self.row - 1))  # one block, on one page
        self.gap(6)

    def figure(self, f: Figure) -> None:
        width, height = image_size(f.chart.png)
        scale = min(1.0, PAGE_PX * 0.85 / width)
        x = (PAGE_PX - width * scale) / 2
        self.gap(6, keep=True)
        self.keep.update((self.row, self.row + 1))  # the chart, its caption, its description
        self.images += 1
        self.ws.insert_image(self.row, int(x // COL_PX), f"gambar-{self.images}.png", {
            "image_data": io.BytesIO(f.chart.png), "x_scale": scale, "y_scale": scale,
            "x_offset": int(x % COL_PX), "y_offset": 2, "object_position": 3,
            "description": f.chart.description, "decorative": False,
        })  # fmt: skip
        self.height(self.row, height * scale * 0.75 + 4)  # px → pt
        self.row += 1
        self.line(f.title, size=CAPTION, bold=True, align="center")
        self.line(f.chart.description, size=SMALL, font_color=GREY, align="center", space=8)

    def table(self, t: Table) -> None:
        layout = _layout(t, self.metrics)
        first, last = layout.span(0, len(t.columns))
        self.gap(6)
        self.keep.add(self.row - 1)
        self.line(t.title, size=CAPTION, bold=True, align="center", first=first, last=last,
                  keep=True)  # fmt: skip
        for text in t.subject:
            self.line(text, size=CAPTION, align="center", first=first, last=last, keep=True)
        self.gap(3, keep=True)
        top = self.row
        # the header with the first row; cells spanning rows; the last row with the note
        self.keep.update(range(top, top + len(t.header)))
        body = top + len(t.header)
        for i, row in enumerate(t.rows):  # a group's heading with its first row, a total
            if row.style == "group":  # with the row above it
                self.keep.add(body + i)
            elif row.style == "total" and i:
                self.keep.add(body + i - 1)
        if t.note:
            self.keep.update((body + len(t.rows) - 1, body + len(t.rows)))
        placed = _place(t)
        rows = len(t.header) + len(t.rows)
        needed: list[tuple[int, int, float]] = []  # (first row, last row, height) of tall cells
        for p in placed:
            c = p.cell
            c0, c1 = layout.span(p.col, c.colspan)
            r0, r1 = top + p.row, top + p.row + c.rowspan - 1
            fmt = self.cell_format(p)
            self.put(r0, c0, c1, c.plain if not c.note else "", fmt, last_row=r1)
            if c.note:
                self.rich(r0, c0, c, p, fmt)
            width = (c1 - c0 + 1) * COL_PX
            size = SMALL if p.style == "note" else TABLE
            h = self.metrics.height("\n".join(c.lines[:-1] if c.note else c.lines), width, size,
                                    c.bold or p.head)  # fmt: skip
            if c.note:
                h += line_height(SMALL) * self.metrics.lines(c.note, width, SMALL)
            needed.append((r0, r1, h + 1))
            self.keep.update(range(r0, r1))
        for r in range(top, top + rows):
            self.height(r, line_height(TABLE) + 3)
        for r0, r1, h in sorted(needed, key=lambda n: n[1] - n[0]):
            have = sum(self.heights.get(r, 0) for r in range(r0, r1 + 1))
            if have < h:
                self.height(r1, self.heights.get(r1, 0) + h - have)
        self.row = top + rows
        if t.note:
            self.gap(3)
            self.line(t.note, size=SMALL, font_color=GREY, first=first, last=last)
        self.gap(8)

    def cell_format(self, p: _Placed) -> Any:
        c = p.cell
        props: dict[str, Any] = {"font_size": SMALL if p.style == "note" else TABLE}
        if p.head:
            props |= {"bold": True, "align": "center", "valign": "vcenter", "bg_color": HEAD_FILL}
        else:
            props |= {"bold": c.bold, "align": c.align}
            if p.style in FILLS:
                props["bg_color"] = FILLS[p.style]
        if not c.number or c.note or "\n" in c.plain:
            props["text_wrap"] = True  # a number alone is never broken
        return self.fmt(**props)

    def rich(self, row: int, col: int, c: Cell, p: _Placed, fmt: Any) -> None:
        """A cell with a note: its text, and the note on a smaller grey line under it."""
        size = SMALL if p.style == "note" else TABLE
        main = "\n".join(c.lines[:-1])
        self.ws.write_rich_string(
            row, col,
            self.fmt(font_size=size, bold=c.bold, border=0), main,
            self.fmt(font_size=SMALL - 0.5, font_color=GREY, border=0), "\n" + c.note,
            fmt,
        )  # fmt: skip

    # -- Daftar Isi and the appendix's link

    def contents(self, entries: Sequence[Heading]) -> list[tuple[int, Heading]]:
        """Room for the Daftar Isi: one row per entry, written by ``link_contents`` once the
        headings' rows are known."""
        rows = []
        for h in entries:
            rows.append((self.row, h))
            self.height(self.row, line_height(BODY) + (6 if h.level == 1 else 3))
            self.row += 1
        return rows

    def link_contents(self, rows: Sequence[tuple[int, Heading]]) -> None:
        for row, h in rows:
            target = self.heading_rows[id(h)]
            level1 = h.level == 1
            fmt = self.style(bold=level1, valign="bottom")
            first = 0 if level1 else 1
            self.ws.merge_range(row, first, row, GRID - 1, "", fmt)
            self.ws.write_url(row, first, f"internal:'{SHEET}'!A{target + 1}", fmt,
                              string=h.label, tip="Buka bagian ini")  # fmt: skip

    def appendix_link(self, title: str) -> None:
        fmt = self.style(text_wrap=True, align="center", font_color="#1F4E79", underline=True)
        self.ws.merge_range(self.row, 0, self.row, GRID - 1, "", fmt)
        self.ws.write_url(self.row, 0, f"internal:'{APPENDIX_SHEET}'!A1", fmt, string=title,
                          tip="Buka lembar Lampiran")  # fmt: skip
        self.height(self.row, self.metrics.height(title, PAGE_PX, BODY))
        self.row += 1

    # -- the page

    def page_breaks(self, paper: str) -> list[int]:
        """Where pages begin when printed: each chapter on a new page (as in the PDF), and
        no caption, heading or introducing sentence left at the foot of a page without what
        it introduces. Every row's height is set, so the pages can be counted here; the
        breaks are written out, so Excel and LibreOffice break where this says."""
        page = (PAPER_HEIGHT[paper] - MARGINS["top"] - MARGINS["bottom"]) * 72 * 0.98
        heights = [self.heights.get(r, 12.75) for r in range(self.row)]
        breaks: list[int] = []
        used, row = 0.0, 0
        while row < self.row:
            end = row
            while end in self.keep and end + 1 < self.row:
                end += 1
            if row in self.breaks and used:
                breaks.append(row)
                used = 0
            unit = sum(heights[row : end + 1])
            if used and used + unit > page >= unit:
                breaks.append(row)
                used = 0
            for r in range(row, end + 1):  # a unit longer than a page breaks where it must
                if used and used + heights[r] > page:
                    breaks.append(r)
                    used = 0
                used += heights[r]
            row = end + 1
        return breaks

    def finish(self, *, paper: str, title: str) -> None:
        ws = self.ws
        for row, points in self.heights.items():
            ws.set_row(row, points)
        ws.set_h_pagebreaks(self.page_breaks(paper))
        ws.set_portrait()
        ws.set_paper(check_paper(paper))
        ws.fit_to_pages(1, 0)
        ws.center_horizontally()
        ws.set_margins(**MARGINS)
        ws.set_footer("&L&8" + title.replace("&", "&&") + "&R&8Halaman &P dari &N")
        ws.print_area(0, 0, max(self.row - 1, 0), GRID - 1)
        ws.hide_gridlines(2)
        # every figure is text here: no "number stored as text" marks
        ws.ignore_errors({"number_stored_as_text": f"A1:AN{self.row + 1}"})


def write_laporan_sheet(workbook: Any, fmt: Formats, doc: ReportDocument, *, paper: str,
                        title: str, form_title: str) -> None:  # fmt: skip
    """The report's document model on a new sheet "Laporan" of ``workbook``."""
    w = _Writer(workbook, fmt, doc)
    w.cover(doc.cover, title)
    w.blocks(doc.front)
    w.heading(doc.toc_heading)
    toc = w.contents(doc.contents())
    w.blocks(doc.body)
    w.heading(doc.appendix_heading)
    w.appendix_link(form_title)
    w.blocks(doc.annex)  # the opt-in findings appendix, on its own printed page
    w.link_contents(toc)
    w.finish(paper=paper, title=title)


@register
class LaporanXlsx(Renderer):
    document = "laporan"
    identifier = "xlsx"
    label = "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    # Row heights and column widths are measured with these fonts: they shape the output.
    templates = tuple(f"{FONTS}/{name}" for name in FONT_FILES)
    version = "2"

    def render(self, data: QuarterlyReport, *, provenance: Provenance, paper: str = "f4",
               cache_values: bool = True) -> bytes:  # fmt: skip
        """``cache_values=False`` leaves the appendix's formulas without values (to test that
        a spreadsheet program computes the core's figures from them)."""
        import xlsxwriter

        check_paper(paper)
        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out, {
            "in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            # Arial (the cells' font) as the workbook's: column widths then mean the same in
            # Excel and in LibreOffice, which otherwise measures Calibri with a stand-in
            "default_format_properties": {"font_name": "Arial", "font_size": 10},
            "default_row_height": 17,
        })  # fmt: skip
        fmt = Formats(workbook)
        doc = laporan_document(data)
        write_laporan_sheet(workbook, fmt, doc, paper="a4" if paper == "a3" else paper,
                            title=data.title, form_title=data.form.title)  # fmt: skip
        write_form_sheet(workbook, fmt, data.form, paper=paper, cache_values=cache_values,
                         name=APPENDIX_SHEET)  # fmt: skip
        set_provenance(
            workbook,
            title=data.title,
            subject=f"{data.title} — {data.agency}",
            company=data.government,
            provenance=provenance,
        )
        if doc.draft:
            mark_xlsx(workbook)
        workbook.close()
        return out.getvalue()
