"""The quarterly report (Laporan Capaian Kinerja Triwulan) as a Word document, via docxtpl.

``laporan_context`` turns the QuarterlyReport into display strings — every number already
formatted the Indonesian way by ``kinerja.core.numbers`` — and the template
``reporting/templates/laporan.docx`` (built by ``tools/build_docx_templates.py``; an agency
may restyle it in Word: docs/report-template.md) lays them out with Jinja tags and
``{%tr for %}`` row loops, rendered in the sandbox of ``reporting.template_check`` (a
template is code; one that reaches beyond its fields is refused). After rendering, only
document-wide settings are touched: paper size, the tables' column grid, and the appendix's
column widths, measured from its figures so that no number wraps.
"""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime, time
from importlib import resources
from typing import Any

from kinerja.core.numbers import format_number, round_half_up, strip_zeros

from ..data import (
    FormLine,
    FormReport,
    KRp,
    Number,
    QuarterlyReport,
    Signature,
)
from ..dates import place_and_date
from ..document import Paragraph as ParagraphBlock
from ..document import ReportDocument, laporan_document
from . import Provenance, Renderer, register
from .docx_blocks import BODY_MARKER, CONTENTS_MARKER, TWIPS_PER_MM, set_grid
from .draft import mark_docx

TEMPLATE = "reporting/templates/laporan.docx"
FONT = "reporting/fonts/LiberationSans-Bold.ttf"  # Arial's metrics, to size the appendix
PAPERS = {"a4": (210, 297), "f4": (215, 330)}  # portrait width × height, mm
LAMPIRAN = "Lampiran"  # the appendix table's alt-text title (w:tblCaption)
LAMPIRAN_STYLES = ("Lampiran Isi", "Lampiran Angka", "Lampiran Kepala")
SIZES = (6.0, 5.5, 5.0)  # the appendix's type, largest that fits
PADDING = 2.1  # mm: the table style's cell margins (2 × 45 twips) and a little air
CHART_WIDTH, CHART_HEIGHT = 145, 85  # mm: the largest a chart is shown
BLANK_NAME = "." * 40
COLUMNS = {
    6: "Target Renstra Perangkat Daerah pada akhir periode Renstra",
    7: "Realisasi capaian kinerja Renstra Perangkat Daerah s.d. Renja tahun lalu ({prev})",
    8: "Target kinerja dan anggaran Renja Perangkat Daerah tahun berjalan ({year})",
    13: "Realisasi capaian kinerja dan anggaran Renja Perangkat Daerah yang dievaluasi "
    "(s.d. Triwulan {tw})",
    14: "Tingkat capaian kinerja dan realisasi anggaran Renja Perangkat Daerah (%)",
    15: "Realisasi kinerja dan anggaran Renstra Perangkat Daerah s.d. Triwulan {tw} {year}",
    16: "Tingkat capaian kinerja dan realisasi anggaran Renstra Perangkat Daerah (%)",
}
TITLES = (
    "No",
    "Sasaran",
    "Kode",
    "Program/ Kegiatan/ Sub Kegiatan",
    "Indikator Kinerja Program (outcome)/ Kegiatan (output)",
    "Unit Perangkat Daerah penanggung jawab",
)  # as in the template's header
NUMBER_LABELS = {13: "13=9+10+11+12", 14: "14=13/8x100%", 15: "15=7+13", 16: "16=15/6x100%"}
NUMERIC = tuple(f"{part}{column}" for column in range(6, 17) for part in ("k", "rp"))


# ---- display strings ---------------------------------------------------------------------


def _computed(value: Number) -> str:
    """A computed K figure (columns 13 and 15): its own decimals, at most two (0,25; 15)."""
    return format_number(None if value is None else strip_zeros(round_half_up(value, 2)))


def _entered(pair: KRp) -> str:
    """An entered K value as typed: ``55``, a range ``90–95``, with its unit if it has one."""
    text = format_number(pair.k)
    if pair.k is not None and pair.k_upper is not None:
        text = f"{text}–{format_number(pair.k_upper)}"
    return f"{text} {pair.k_unit}" if pair.k is not None and pair.k_unit else text


def _numbered(items: tuple[str, ...] | list[str]) -> list[str]:
    """``1. …`` lines in a cell; one item stands alone; none is ``-`` (a cell needs a line)."""
    if len(items) <= 1:
        return list(items) or ["-"]
    return [f"{i}. {text}" for i, text in enumerate(items, 1)]


def _signature(sig: Signature) -> dict[str, str]:
    acting = f"{sig.acting.rstrip('.')}. " if sig.acting else ""
    return {
        "title": acting + sig.title,
        "name": sig.name or BLANK_NAME,
        "rank": sig.rank,
        "nip": f"NIP. {sig.nip}" if sig.nip else "",
    }


def _form_row(line: FormLine, number: int | None, *, breakable_code: bool) -> dict[str, str]:
    code = line.code.replace(".", ".\u200b") if breakable_code else line.code
    row = {"level": line.level, "no": "" if number is None else str(number),
           "objective": line.objective, "code": code, "name": line.name,
           "indicator": line.indicator, "unit": line.responsible_unit}  # fmt: skip
    for column, pair in enumerate((line.renstra_target, line.renstra_realised_before,
                                   line.year_target, *line.quarters), start=6):  # fmt: skip
        row[f"k{column}"], row[f"rp{column}"] = _entered(pair), format_number(pair.rp)
    row["k13"], row["rp13"] = _computed(line.col13.k), format_number(line.col13.rp)
    row["k14"], row["rp14"] = format_number(line.col14.k, 2), format_number(line.col14.rp, 2)
    row["k15"], row["rp15"] = _computed(line.col15.k), format_number(line.col15.rp)
    row["k16"], row["rp16"] = format_number(line.col16.k, 2), format_number(line.col16.rp, 2)
    return row


def form_context(form: FormReport, scale: str, *, breakable_code: bool) -> dict[str, Any]:
    rows, program = [], 0
    for line in form.rows:
        program += line.numbered
        number = program if line.numbered else None
        rows.append(_form_row(line, number, breakable_code=breakable_code))
    words = {"prev": form.year - 1, "year": form.year, "tw": form.quarter_roman}
    rule = "; ".join(
        f"{part}: {foot.label}"
        + (f", capaian dibatasi {format_number(foot.cap)} %" if foot.cap is not None else "")
        for part, foot in (("K", form.footer_k), ("Rp", form.footer_rp))
    )
    return {
        "title": form.title,
        "rows": rows,
        **{f"col{c}": text.format(**words) for c, text in COLUMNS.items()},
        "footer_k": {"value": format_number(form.footer_k.value, 2),
                     "rating": form.footer_k.rating or "-"},
        "footer_rp": {"value": format_number(form.footer_rp.value, 2),
                      "rating": form.footer_rp.rating or "-"},
        "footer_rule": f"Dihitung sebagai {rule}.",
        "scale": scale,
        "texts": [
            {"title": title, "lines": _numbered(items)}
            for title, items in (
                ("Faktor pendorong keberhasilan kinerja", form.supporting),
                ("Faktor penghambat pencapaian kinerja", form.inhibiting),
                ("Tindak lanjut yang diperlukan dalam triwulan berikutnya", form.follow_up),
            )
        ],
    }  # fmt: skip


def laporan_context(data: QuarterlyReport, *, doc: ReportDocument,
                    breakable_code: bool = False) -> dict[str, Any]:  # fmt: skip
    """What the template prints itself: the cover with its kop, the Kata Pengantar and its
    signature, the markers where the Daftar Isi and BAB I–IV go, and the appendix."""
    scale = "Skala predikat: " + " · ".join(f"{label} {rng}" for label, rng in data.predikat_scale)
    kop = doc.cover.kop
    region_name = data.government.removeprefix("Pemerintah ").strip() or data.region
    return {
        "title": data.title,
        "agency": data.agency,
        "agency_abbreviation": data.agency_abbreviation,
        "region_name": region_name,
        "year": str(data.year),
        "quarter": data.quarter_roman,
        "kop": {"government": kop.government.upper(), "agency": kop.agency.upper(),
                "contact": kop.contact_line, "logo": ""},  # fmt: skip
        "cover": {"title": list(doc.cover.title), "period": doc.cover.period,
                  "short_agency": doc.cover.short_agency, "year": doc.cover.year},  # fmt: skip
        "foreword": [b.text for b in doc.front if isinstance(b, ParagraphBlock)],
        "place_date": place_and_date(data.signature.place, data.signature.signed_on),
        "signature": _signature(data.signature),
        "daftar_isi": CONTENTS_MARKER,
        "isi": BODY_MARKER,
        "form": form_context(data.form, scale, breakable_code=breakable_code),
    }  # fmt: skip


# ---- layout after rendering ------------------------------------------------------------------


@functools.cache
def _advances() -> tuple[dict[int, float], float]:
    """Advance widths in em of the bold face (the wider one: a safe measure for both)."""
    from fontTools.ttLib import TTFont

    with resources.as_file(resources.files("kinerja").joinpath(FONT)) as path:
        font = TTFont(str(path), lazy=True)
        upm, hmtx = font["head"].unitsPerEm, font["hmtx"]
        widths = {cp: hmtx[name][0] / upm for cp, name in font.getBestCmap().items()}
    return widths, widths.get(ord("M"), 0.85)


def text_mm(text: str, size: float) -> float:
    widths, fallback = _advances()
    return sum(widths.get(ord(ch), fallback) for ch in text) * size * 25.4 / 72


def appendix_layout(
    rows: list[dict[str, str]], available: float
) -> tuple[float, list[float], bool]:
    """Type size, the 28 column widths (mm) and whether codes may break after their dots:
    the largest size at which no number wraps and every word fits its column."""

    def widest(pieces: Any, size: float, minimum: str = "") -> float:
        return max([text_mm(p, size) for p in pieces] + [text_mm(minimum, size)]) + PADDING

    def words(key: str, head: str, size: float) -> float:
        return widest((w for text in (head, *(r[key] for r in rows)) for w in text.split()), size)

    for size in SIZES:
        numeric = [widest((p for r in rows for p in r[key].split(" ")), size, "Rp")
                   for key in NUMERIC]  # fmt: skip
        for column, label in NUMBER_LABELS.items():
            i = NUMERIC.index(f"k{column}")
            short = text_mm(label, size) + PADDING - numeric[i] - numeric[i + 1]
            if short > 0:
                numeric[i] += short / 2
                numeric[i + 1] += short / 2
        flexible = [words("objective", "Sasaran", size), words("name", "Kegiatan/", size),
                    words("indicator", "(outcome)/", size), words("unit", "penanggung", size)]  # fmt: skip
        fixed = sum(numeric) + words("no", "No", size)
        full = widest((r["code"] for r in rows), size, "Kode")
        pieces = widest((p for r in rows for p in r["code"].replace(".", ". ").split()), size,
                        "Kode")  # fmt: skip
        # a broken code reads best on two lines, so it keeps about half its width if it can
        half = max(pieces, full * 0.55)
        for code, breakable in ((full, False), (half, True), (pieces, True)):
            spare = available - fixed - code - sum(flexible)
            if spare >= 0 or (size == SIZES[-1] and code == pieces):
                spare = max(spare, 0)
                s, n, ind, unit = (w + spare * share for w, share in
                                   zip(flexible, (0.15, 0.35, 0.3, 0.2), strict=True))  # fmt: skip
                no = words("no", "No", size)
                return size, [no, s, code, n, ind, *numeric, unit], breakable
    raise AssertionError("unreachable")  # pragma: no cover


def header_height(form: dict[str, Any], widths: list[float], size: float) -> float:
    """Height (mm) the appendix's first header row needs for its longest title. LibreOffice
    squeezes repeated header rows whose titles span two rows unless the row says so."""

    def lines(text: str, width: float) -> int:
        count, used = 1, 0.0
        for word in text.split():
            w = text_mm(word, size)
            if used and used + text_mm(" ", size) + w > width - PADDING:
                count, used = count + 1, w
            else:
                used += (text_mm(" ", size) if used else 0) + w
        return count

    titles = [(TITLES[i], widths[i]) for i in range(5)] + [(TITLES[5], widths[-1])]
    titles += [(form[f"col{c}"], widths[NUMERIC.index(f"k{c}") + 5]
                + widths[NUMERIC.index(f"rp{c}") + 5]) for c in COLUMNS]  # fmt: skip
    tallest = max(lines(text, width) for text, width in titles)
    line = size * 1.15 * 25.4 / 72
    return tallest * line - line + 0.6  # the second header row holds one line


def _fit(tbl: Any, available: int) -> None:
    """Rebuild the grid from a full row's cell widths (docxtpl's column loops leave the grid
    evened out) and shrink the table to the text width if it is wider."""
    from docx.oxml.ns import qn

    columns = len(tbl.tblGrid.findall(qn("w:gridCol")))
    widths = [int(c.get(qn("w:w"), "0")) for c in tbl.tblGrid.findall(qn("w:gridCol"))]
    for tr in tbl.iter(qn("w:tr")):
        cells = tr.findall(qn("w:tc"))
        if len(cells) == columns and all(tc.grid_span == 1 and tc.width for tc in cells):
            widths = [tc.width.twips for tc in cells]
            break
    if sum(widths) > available:
        widths = [w * available // sum(widths) for w in widths]
    set_grid(tbl, widths)


def _caption(tbl: Any) -> str:
    from docx.oxml.ns import qn

    caption = tbl.tblPr.find(qn("w:tblCaption"))
    return "" if caption is None else caption.get(qn("w:val"), "")


def _layout(doc: Any, paper: str, widths: list[float], size: float, head: float) -> None:
    """Paper size of every section (landscape ones stay landscape), then each table's grid:
    the appendix from the measured widths, the others fitted to their section."""
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    width, height = PAPERS[paper]
    sections = list(doc.sections)
    for s in sections:
        landscape = s.orientation == WD_ORIENT.LANDSCAPE or s.page_width > s.page_height
        s.page_width, s.page_height = (Mm(height), Mm(width)) if landscape else (Mm(width),
                                                                                   Mm(height))  # fmt: skip
    index = 0
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            s = sections[min(index, len(sections) - 1)]
            available = round((s.page_width - s.left_margin - s.right_margin) / 635)  # EMU
            if _caption(child) == LAMPIRAN:
                set_grid(child, [round(w * TWIPS_PER_MM) for w in widths])
                first = child.find(qn("w:tr"))
                height = first.get_or_add_trPr().makeelement(
                    qn("w:trHeight"), {qn("w:val"): str(round(head * TWIPS_PER_MM)),
                                       qn("w:hRule"): "atLeast"})  # fmt: skip
                first.get_or_add_trPr().append(height)
            else:
                _fit(child, available)
        elif child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1
    for name in LAMPIRAN_STYLES:
        try:
            doc.styles[name].font.size = Pt(size)
        except KeyError:  # an agency's template without the style keeps its own sizes
            pass


def _appendix_width(doc: Any, paper: str) -> float:
    """Text width (mm) of the last landscape section (the appendix) on the chosen paper."""
    from docx.enum.section import WD_ORIENT

    width, height = PAPERS[paper]
    section = doc.sections[-1]
    for s in doc.sections:
        if s.orientation == WD_ORIENT.LANDSCAPE or s.page_width > s.page_height:
            section = s
    page = max(width, height) if section.page_width > section.page_height else width
    return page - section.left_margin.mm - section.right_margin.mm


def _write_model(doc: Any, model: ReportDocument, data: QuarterlyReport, paper: str) -> None:
    """BAB I–IV where the template says ``{{ isi }}`` (at the end of the body when it does
    not) and the Daftar Isi where it says ``{{ daftar_isi }}``, its page numbers from the
    PDF rendering of the same model."""
    from .docx_blocks import Writer, find_paragraph, remove_paragraph, write_contents
    from .pdf_laporan import page_numbers

    anchor = find_paragraph(doc, BODY_MARKER) or doc.add_paragraph()
    width, _ = PAPERS[paper]
    writer = Writer(doc, anchor, width - 50)  # the body's margins: 30 + 20 mm
    for block in model.body:
        writer.write(block)
    remove_paragraph(anchor)
    contents = find_paragraph(doc, CONTENTS_MARKER)
    if contents is not None:
        pages = page_numbers(data, model, paper=paper if paper in ("a4", "f4") else "a4")
        write_contents(doc, contents, [(h.level, h.label, page) for h, page in
                                       zip(model.contents(), pages, strict=True)])  # fmt: skip
        remove_paragraph(contents)


def _append_appendix(doc: Any, model: ReportDocument, data: QuarterlyReport, paper: str) -> None:
    """The evaluation form as the last, landscape section (docx_form.append_form), under the
    model's LAMPIRAN heading — unless the agency's template lays the form out itself."""
    from docx.oxml.ns import qn

    from .docx_form import append_form

    if any(_caption(t) == LAMPIRAN for t in doc.element.body.iter(qn("w:tbl"))):
        return
    before = len(doc.element.body)
    append_form(doc, data.form, paper=paper)
    added = [el for el in list(doc.element.body)[before - 1 :] if el.tag == qn("w:p")]
    tables = list(doc.element.body.iter(qn("w:tbl")))
    if tables:  # its alt-text title, as the template's tables have
        caption = tables[-1].tblPr.makeelement(qn("w:tblCaption"), {qn("w:val"): LAMPIRAN})
        tables[-1].tblPr.append(caption)
    numbering = doc.sections[-1]._sectPr.find(qn("w:pgNumType"))
    if numbering is not None:  # the appendix's pages continue the body's numbers
        numbering.attrib.pop(qn("w:start"), None)
    heading = doc.add_paragraph(model.appendix_heading.label, style="Heading 1")
    first = next((p for p in added if "".join(p.xpath(".//w:t/text()")).strip() == data.form.title),
                 None)  # fmt: skip
    if first is not None:
        first.addprevious(heading._p)


def _append_annex(doc: Any, model: ReportDocument, paper: str) -> None:
    """The opt-in findings appendix (``model.annex``) after the form, on a new portrait
    section with the body's margins, written block by block as BAB I–IV are."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    from .docx_blocks import Writer, remove_paragraph

    if not model.annex:
        return
    body = next((s for s in doc.sections if s.page_width < s.page_height), doc.sections[0])
    margins = {side: getattr(body, side) for side in
               ("left_margin", "right_margin", "top_margin", "bottom_margin")}  # fmt: skip
    width, height = PAPERS[paper]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side, value in margins.items():
        setattr(section, side, value)
    anchor = doc.add_paragraph()
    writer = Writer(doc, anchor, width - margins["left_margin"].mm - margins["right_margin"].mm)
    for block in model.annex:
        writer.write(block)
    remove_paragraph(anchor)


def _image(tpl: Any, png: bytes, description: str, *, height: float | None = None) -> Any:
    """An InlineImage whose alt text is the chart's description."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    class DescribedImage(InlineImage):  # type: ignore[misc]
        def _insert_image(self) -> str:
            inline = self.tpl.current_rendering_part.new_pic_inline(
                self.image_descriptor, self.width, self.height
            )
            inline.docPr.set("descr", description)
            return (f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
                    '<w:t xml:space="preserve">')  # fmt: skip

    if height is not None:  # a logo: by height (any format Word reads)
        return DescribedImage(tpl, io.BytesIO(png), height=Mm(height))
    width, tall = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    shown = min(CHART_WIDTH, CHART_HEIGHT * width / max(tall, 1))  # mm, from the PNG header
    return DescribedImage(tpl, io.BytesIO(png), width=Mm(shown))


@register
class LaporanDocx(Renderer):
    document = "laporan"
    identifier = "docx"
    label = "Word"
    extension = "docx"
    content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    templates = (TEMPLATE,)

    def render(self, data: QuarterlyReport, *, provenance: Provenance, paper: str = "a4") -> bytes:
        from ..template_check import open_template, render_template

        if paper not in PAPERS:
            raise ValueError(
                f"ukuran kertas «{paper}» tidak dikenal (tersedia: {', '.join(PAPERS)})."
            )
        source = data.word_template or resources.files("kinerja").joinpath(TEMPLATE).read_bytes()
        tpl = open_template(source)  # a bounded .docx, or TemplateRefused
        available = _appendix_width(tpl.get_docx(), paper)
        model = laporan_document(data)
        context = laporan_context(data, doc=model)
        form = context["form"]
        footer = dict.fromkeys(("no", "objective", "code", "name", "indicator", "unit",
                                *NUMERIC), "")  # fmt: skip
        footer.update({f"{part}14": f"{form[f'footer_{name}']['value']} "
                                    f"{form[f'footer_{name}']['rating']}"
                       for part, name in (("k", "k"), ("rp", "rp"))})  # fmt: skip
        size, widths, breakable = appendix_layout([*form["rows"], footer], available)
        if breakable:
            context["form"] = form_context(data.form, context["form"]["scale"],
                                           breakable_code=True)  # fmt: skip
        kop = model.cover.kop
        if kop.logo:
            context["kop"]["logo"] = _image(tpl, kop.logo, f"Logo {kop.agency}", height=20)
        render_template(tpl, context)  # in the sandbox: TemplateRefused if it reaches out
        doc = tpl.docx
        _write_model(doc, model, data, paper)
        _layout(doc, paper, widths, size, header_height(context["form"], widths, size))
        _append_appendix(doc, model, data, paper)
        _append_annex(doc, model, paper)
        if data.draft:
            mark_docx(doc)
        props = doc.core_properties
        props.title, props.author, props.language = data.title, provenance.generator, "id-ID"
        props.subject = props.comments = provenance.describe()
        props.keywords = (f"laporan kinerja; data sha256:{provenance.data_hash}; "
                          f"templat sha256:{provenance.template_hash}")  # fmt: skip
        props.category = "Laporan Capaian Kinerja Triwulan"
        props.last_modified_by, props.revision = provenance.generator, 1
        props.created = props.modified = datetime.combine(data.signature.signed_on, time(),
                                                          tzinfo=UTC)  # fmt: skip
        out = io.BytesIO()
        tpl.save(out)
        return out.getvalue()
