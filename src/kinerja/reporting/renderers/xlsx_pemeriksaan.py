"""The pre-signing checklist (*Lembar Pemeriksaan*) as an Excel workbook: one sheet, A4
portrait, the same texts as the PDF (``pdf_pemeriksaan``), and a column left free for the
checker's notes on each item.

Written with xlsxwriter, the writer of every other workbook Kinerja makes (a runtime
dependency already; openpyxl is only for reading them back in tests), so the draft marking
of ``draft.mark_xlsx`` applies as it does to the form. The rule ids and hashes are document
properties only.
"""

from __future__ import annotations

import io
from typing import Any

from ..checklist import Checklist
from . import Provenance, Renderer, register
from .draft import mark_xlsx
from .pdf_pemeriksaan import count_line, facts, intro, number, override_line
from .xlsx_form import text_height

COLUMNS = (  # (heading, width in characters): A4 portrait at about three quarters scale
    ("No", 4),
    ("Tingkat", 10),
    ("Baris", 24),
    ("Temuan", 40),
    ("Tindakan", 26),
    ("Menghambat pengesahan", 11),
    ("Catatan pemeriksa", 16),
)
LAST = len(COLUMNS) - 1
RED = "#B3261E"


@register
class PemeriksaanXlsx(Renderer):
    document = "pemeriksaan"
    identifier = "xlsx"
    label = "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    templates = ()

    def render(self, data: Checklist, *, provenance: Provenance, paper: str = "a4") -> bytes:
        del paper  # always A4 portrait: a list to work through, not a form to match
        import xlsxwriter

        out = io.BytesIO()
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = xlsxwriter.Workbook(out, options)
        _write(workbook, data)
        short = data.agency_abbreviation or data.agency
        workbook.set_properties({
            "title": f"{data.title} — {short} TW {data.quarter_roman} {data.year}",
            "subject": f"Lembar Pemeriksaan Triwulan {data.quarter_roman} Tahun {data.year}",
            "author": "Kinerja",
            "company": data.government,
            "keywords": ", ".join(sorted({i.rule for i in data.items})),
            "comments": provenance.describe(),
        })  # fmt: skip
        workbook.set_custom_property("kinerja_data_sha256", provenance.data_hash)
        workbook.set_custom_property("kinerja_template_sha256", provenance.template_hash)
        if data.draft:
            mark_xlsx(workbook)
        workbook.close()
        return out.getvalue()


def _write(workbook: Any, data: Checklist) -> None:
    base = {"font_name": "Arial", "font_size": 9, "valign": "top"}

    def fmt(**props: Any) -> Any:
        return workbook.add_format({**base, **props})

    ws = workbook.add_worksheet("Lembar Pemeriksaan")
    for c, (_name, width) in enumerate(COLUMNS):
        ws.set_column(c, c, width)
    plain, bold, wrap = fmt(), fmt(bold=True), fmt(text_wrap=True)
    ws.merge_range(0, 0, 0, LAST, data.title, fmt(bold=True, font_size=13, align="center"))
    ws.merge_range(1, 0, 1, LAST, data.government, fmt(align="center"))
    ws.merge_range(2, 0, 2, LAST, data.agency, fmt(align="center"))
    row = 4
    for label, value in facts(data):
        ws.merge_range(row, 0, row, 1, label, plain)
        ws.merge_range(row, 2, row, LAST, value, bold)
        row += 1
    row += 1
    ws.merge_range(row, 0, row, LAST, intro(data), wrap)
    ws.set_row(row, 26)
    row += 2
    head = fmt(bold=True, text_wrap=True, align="center", valign="vcenter", bg_color="#D9E1EC",
               border=1)  # fmt: skip
    for c, (name, _width) in enumerate(COLUMNS):
        ws.write_string(row, c, name, head)
    ws.set_row(row, 26)
    ws.repeat_rows(row)
    ws.freeze_panes(row + 1, 0)
    row += 1
    cell = {True: fmt(text_wrap=True, border=1, bg_color="#FBE9E7"),
            False: fmt(text_wrap=True, border=1)}  # fmt: skip
    centre = {True: fmt(border=1, align="center", bold=True, font_color=RED, bg_color="#FBE9E7"),
              False: fmt(border=1, align="center")}  # fmt: skip
    title = {True: fmt(text_wrap=True, border=1, bg_color="#FBE9E7", bold=True),
             False: fmt(text_wrap=True, border=1, bold=True)}  # fmt: skip
    if not data.items:
        ws.merge_range(row, 0, row, LAST, "Tidak ada temuan.", cell[False])
        row += 1
    for n, item in enumerate(data.items, start=1):
        b = item.blocks
        shown_row = item.row or "Seluruh dokumen"
        ws.write_string(row, 0, number(n), centre[False] if not b else centre[True])
        ws.write_string(row, 1, item.severity_label, cell[b])
        ws.write_string(row, 2, shown_row, cell[b])
        ws.write_rich_string(row, 3, title[b], item.title, cell[b], "\n" + item.message, cell[b])
        ws.write_string(row, 4, item.action, cell[b])
        ws.write_string(row, 5, "Ya" if b else "Tidak", centre[b])
        ws.write_blank(row, 6, None, cell[False])
        ws.set_row(row, text_height([(shown_row, 24), (f"{item.title}\n{item.message}", 40),
                                     (item.action, 26)]))  # fmt: skip
        row += 1
    row += 1
    ws.merge_range(row, 0, row, LAST, count_line(data), bold)
    row += 2
    if data.override is not None:
        ws.merge_range(row, 0, row, LAST, "Alasan pengesahan dengan temuan yang menghambat",
                       fmt(bold=True, font_color=RED))  # fmt: skip
        ws.merge_range(row + 1, 0, row + 1, LAST, override_line(data), wrap)
        ws.merge_range(row + 2, 0, row + 2, LAST, data.override.reason, fmt(text_wrap=True,
                                                                              italic=True))  # fmt: skip
        ws.set_row(row + 2, text_height([(data.override.reason, 120)]))
        row += 4
    ws.merge_range(row, 0, row, LAST, "Catatan pemeriksa", bold)
    ws.merge_range(row + 1, 0, row + 4, LAST, "", fmt(border=1))
    row += 6
    line = fmt(bottom=1)  # a line to write on
    ws.merge_range(row, 0, row, 1, "Diperiksa oleh:", plain)
    ws.merge_range(row, 2, row, 3, "", line)
    ws.write_string(row, 4, "Tanggal:", fmt(align="right"))
    ws.merge_range(row, 5, row, LAST, "", line)
    ws.set_portrait()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    short = data.agency_abbreviation or data.agency
    footer = f"Lembar Pemeriksaan · {short} · Triwulan {data.quarter_roman} {data.year}"
    ws.set_footer("&L&8" + footer.replace("&", "&&") + "&R&8Halaman &P dari &N")
