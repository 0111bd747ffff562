"""The evaluation form (Permendagri 86/2017, the seed's appendix) as an Excel workbook.

People keep working in it: columns 13–16 and the footer are live formulas that reproduce
DESIGN §3 (aggregation, polarity, range targets, missing ≠ zero, the named footer rules), and
their cached values are the core's figures, so a reader that does not calculate sees the same
numbers. Sheet "Formulir" holds the form: the urusan and bidang urusan rows above their
programs, the rows, the averages and the four texts of Permendagri 86/2017, the signature. The
findings are not part of the form (they go to the Lembar Pemeriksaan). ``write_form_sheet``
writes the form into any workbook (the quarterly report's carries it as its appendix).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kinerja.core.numbers import format_declared, format_number
from kinerja.core.scales import PREDIKAT_CAPAIAN

from ..data import (
    FooterLine,
    FormHeading,
    FormLine,
    FormReport,
    KRp,
    Number,
    Signature,
)
from ..dates import place_and_date
from . import Provenance, Renderer, register
from .draft import mark_xlsx

PAPER_SIZES = {"f4": 14, "a4": 9, "a3": 8}  # Excel's paper codes: 14 Folio (F4), 9 A4, 8 A3
SEVERITY = {"error": "KESALAHAN", "warning": "PERINGATAN", "info": "INFO"}
LEVEL_STYLE: dict[str, dict[str, Any]] = {
    "urusan": {"bold": True, "bg_color": "#C9D5E6"},
    "bidang_urusan": {"bold": True, "bg_color": "#D3DCEA"},
    "program": {"bold": True, "bg_color": "#D9E2F3"},
    "kegiatan": {"bold": True, "bg_color": "#F2F2F2"},
    "sub_kegiatan": {},
}
INDENT = {"program": 0, "kegiatan": 1, "sub_kegiatan": 2}
BASE = {"font_name": "Arial", "font_size": 9, "valign": "top", "border": 1}
RP, PCT = "#,##0", "#,##0.00"
HEAD = 5  # first header row (0-based); the title block sits above it
FIRST = HEAD + 4  # first form row
LAST_COL = 27  # column 17
TITLES = {
    1: "No",
    2: "Sasaran",
    3: "Kode",
    4: "Urusan/Bidang Urusan Pemerintahan Daerah dan Program/Kegiatan/Sub Kegiatan",
    5: "Indikator Kinerja Program (outcome)/Kegiatan (output)",
    6: "Target Renstra Perangkat Daerah pada akhir periode Renstra",
    7: "Realisasi capaian kinerja Renstra Perangkat Daerah s.d. Renja tahun lalu ({prev})",
    8: "Target kinerja dan anggaran Renja Perangkat Daerah tahun berjalan ({year})",
    9: "Realisasi kinerja pada Triwulan",
    13: "Realisasi capaian kinerja dan anggaran Renja Perangkat Daerah yang dievaluasi "
    "(s.d. Triwulan {tw})",
    14: "Tingkat capaian kinerja dan realisasi anggaran Renja Perangkat Daerah (%)",
    15: "Realisasi kinerja dan anggaran Renstra Perangkat Daerah s.d. Triwulan {tw} {year}",
    16: "Tingkat capaian kinerja dan realisasi anggaran Renstra Perangkat Daerah (%)",
    17: "Unit Perangkat Daerah penanggung jawab",
}
NUMBERS = {13: "13=9+10+11+12", 14: "14=13/8x100%", 15: "15=7+13", 16: "16=15/6x100%"}


def k_col(column: int) -> int:
    """The sheet column (0-based) of a form column's K value; Rp is the next one."""
    return column - 1 if column <= 5 else 5 + 2 * (column - 6) if column <= 16 else LAST_COL


def cell(col: int, row: int) -> str:
    """``D23`` for (3, 22)."""
    letters, n = "", col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row + 1}"


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _cached(value: Number) -> float | str:
    return "" if value is None else float(value)


def text_height(
    texts: Sequence[tuple[str, float]], *, minimum: float = 15, bold: bool = False
) -> float:
    """Row height (pt) for wrapped 9 pt Arial in columns of the given widths (LibreOffice does
    not fit row heights when it opens an xlsx, so the workbook sets them)."""
    lines = 1
    for text, width in texts:
        chars = max(1, int(width * (1.4 if bold else 1.55)))
        wrapped = sum(len(textwrap.wrap(part, chars)) or 1 for part in text.split("\n"))
        lines = max(lines, wrapped)
    return max(minimum, 11 * lines + 3)


# ---- formulas (DESIGN §3) -----------------------------------------------------------------


def col13_k(quarters: Sequence[str], aggregation: str) -> str:
    """Quarters 1..Q by the row's aggregation; "" when none of them is filled in."""
    if aggregation == "last":
        expr = '""'
        for q in quarters:
            expr = f'IF({q}<>"",{q},{expr})'
        return expr
    fn = {"sum": "SUM", "average": "AVERAGE", "max": "MAX"}[aggregation]
    args = ",".join(quarters)
    return f'IF(COUNT({args})=0,"",{fn}({args}))'


def achievement(r: str, t: str, upper: Number, polarity: str, *, zero_is_missing: bool) -> str:
    """Capaian of R against T (or the range [T, upper]) by polarity; "" where the core has None."""

    def single(b: str) -> str:
        if polarity == "lower":
            return f"IF({b}=0,IF({r}=0,100,0),MAX(0,(2-{r}/{b})*100))"
        return f'IF({b}=0,"",{r}/{b}*100)'

    if upper is None:
        body = single(t)
    else:
        u = _num(upper)
        body = f"IF(AND({r}>={t},{r}<={u}),100,{single(f'IF({r}<{t},{t},{u})')})"
    missing = f'OR({r}="",{t}="",{t}=0)' if zero_is_missing else f'OR({r}="",{t}="")'
    return f'IF({missing},"",{body})'


def ratio(part: str, whole: str) -> str:
    return f'IF(OR({part}="",{whole}="",{whole}=0),"",{part}/{whole}*100)'


def total(a: str, b: str) -> str:
    return f'IF(OR({a}="",{b}=""),"",{a}+{b})'


def col15_k(before: str, now: str, aggregation: str) -> str:
    if aggregation == "sum":
        return total(before, now)
    if aggregation == "last":
        return f'IF({now}<>"",{now},IF({before}<>"",{before},""))'
    return f'IF({now}="","",{now})'


def _call(fn: str, terms: Sequence[str]) -> str:
    """``SUM(a,b,…)`` for any number of terms (Excel takes 255 arguments per call)."""
    if len(terms) <= 255:
        return f"{fn}({','.join(terms)})"
    return _call("SUM", [_call(fn, terms[i : i + 255]) for i in range(0, len(terms), 255)])


def footer_formula(foot: FooterLine, part: int, rows: Sequence[int]) -> str:
    """The footer's rule over the rows it counted; ``part`` 0 = K, 1 = Rp."""
    if not rows:
        return '""'

    def cap(x: str) -> str:
        return x if foot.cap is None else f"MIN({_num(foot.cap)},{x})"

    if foot.rule == "program_ratio":
        num = _call("SUM", [cell(k_col(13) + part, r) for r in rows])
        den = _call("SUM", [cell(k_col(8) + part, r) for r in rows])
        return f'IF({den}=0,"",{cap(f"{num}/{den}*100")})'
    values = [cap(cell(k_col(14) + part, r)) for r in rows]
    if foot.rule == "pagu_weighted":
        weights = [cell(k_col(8) + 1, r) for r in rows]
        num = _call("SUM", [f"{v}*{w}" for v, w in zip(values, weights, strict=True)])
        return f'IF({_call("SUM", weights)}=0,"",{num}/{_call("SUM", weights)})'
    if len(values) <= 255:
        return f"AVERAGE({','.join(values)})"
    return f"{_call('SUM', values)}/{_call('COUNT', values)}"


def _scale_text() -> str:
    """``Skala predikat: ≤ 50 Sangat Rendah · … · > 90 Sangat Tinggi``."""
    parts = []
    for band in PREDIKAT_CAPAIAN.bands:
        bound = (
            f"≤ {format_number(band.hi)}" if band.hi is not None else f"> {format_number(band.lo)}"
        )
        parts.append(f"{bound} {band.label}")
    return "Skala predikat: " + " · ".join(parts)


def rating_formula(ref: str) -> str:
    """The predikat of the (unrounded) value in ``ref`` on the Permendagri 86/2017 scale."""
    scale = PREDIKAT_CAPAIAN
    op = "<=" if scale.closed == "upper" else "<"
    expr = f'"{scale.bands[-1].label}"'
    for band in reversed(scale.bands[:-1]):
        assert band.hi is not None
        expr = f'IF({ref}{op}{_num(band.hi)},"{band.label}",{expr})'
    return f'IF({ref}="","",{expr})'


# ---- the workbook ---------------------------------------------------------------------------


class Formats:
    """One XlsxWriter format per distinct set of properties."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.cache: dict[tuple[tuple[str, Any], ...], Any] = {}

    def __call__(self, **props: Any) -> Any:
        merged = {**BASE, **props}
        key = tuple(sorted(merged.items()))
        if key not in self.cache:
            self.cache[key] = self.workbook.add_format(merged)
        return self.cache[key]


def _inputs(line: FormLine) -> tuple[KRp, KRp, KRp]:
    """Columns 6, 7 and 8."""
    return line.renstra_target, line.renstra_realised_before, line.year_target


def k_format(
    value: Number, unit: str = "", upper: Number = None, decimals: int | None = None
) -> str:
    """The number format of a K cell: its declared decimals (at least), else two where the
    value has any; the range's upper bound and the unit as literal text."""
    own = 0 if value is None or value == value.to_integral_value() else 2
    if decimals is not None and value is not None:
        shown = format_declared(value, decimals)
        own = len(shown.split(",")[1]) if "," in shown else 0
    base = RP if own == 0 else f"#,##0.{'0' * own}"
    text = f" – {format_declared(upper, decimals)}" if upper is not None else ""
    unit = unit.replace('"', "").strip()
    text += f" {unit}" if unit else ""
    return f'{base}"{text}"' if text else base


def form_rows(data: FormReport) -> dict[str, int]:
    """The sheet row (0-based) of each form line (the urusan rows above them included)."""
    return {
        line.id: FIRST + i
        for i, line in enumerate(data.printed_rows())
        if isinstance(line, FormLine)
    }


class _FormSheet:
    def __init__(self, ws: Any, fmt: Formats, data: FormReport, cache_values: bool) -> None:
        self.ws, self.fmt, self.data, self.cache_values = ws, fmt, data, cache_values
        self.row_of = form_rows(data)

    def formula(self, row: int, col: int, text: str, fmt: Any, value: Any) -> None:
        self.ws.write_formula(row, col, "=" + text, fmt, value if self.cache_values else "")

    def title_block(self) -> None:
        d, ws = self.data, self.ws
        plain = self.fmt(border=0)
        ws.merge_range(0, 0, 0, LAST_COL, d.title, self.fmt(border=0, bold=True, font_size=13))
        ws.merge_range(1, 0, 1, LAST_COL, d.government, self.fmt(border=0, bold=True))
        ws.merge_range(2, 0, 2, LAST_COL, d.agency, plain)
        note = (
            "Kolom 13–16 dan baris rata-rata berisi rumus: ubah kolom 6–12 dan angkanya "
            "dihitung ulang. Sel kosong berarti belum dilaporkan (bukan nol)."
        )
        ws.merge_range(3, 0, 3, LAST_COL, note, self.fmt(border=0, italic=True, font_size=8))

    def header(self) -> None:
        d, ws = self.data, self.ws
        head = self.fmt(
            bold=True, align="center", valign="vcenter", text_wrap=True, bg_color="#E7E6E6"
        )
        words = {"prev": d.year - 1, "year": d.year, "tw": d.quarter_roman}
        for column in (1, 2, 3, 4, 5, 17):
            c = k_col(column)
            ws.merge_range(HEAD, c, HEAD + 1, c, TITLES[column], head)
            ws.write_string(HEAD + 2, c, str(column), head)
            ws.write_blank(HEAD + 3, c, None, head)
        ws.merge_range(HEAD, k_col(9), HEAD, k_col(12) + 1, TITLES[9], head)
        for column in range(6, 17):
            c = k_col(column)
            if 9 <= column <= 12:
                ws.merge_range(
                    HEAD + 1, c, HEAD + 1, c + 1, ("I", "II", "III", "IV")[column - 9], head
                )
            else:
                ws.merge_range(HEAD, c, HEAD + 1, c + 1, TITLES[column].format(**words), head)
            ws.merge_range(HEAD + 2, c, HEAD + 2, c + 1, NUMBERS.get(column, str(column)), head)
            ws.write_string(HEAD + 3, c, "K", head)
            ws.write_string(HEAD + 3, c + 1, "Rp", head)
        for r, height in zip(range(HEAD, HEAD + 4), (100, 15, 15, 15), strict=True):
            ws.set_row(r, height)

    def line(self, row: int, line: FormLine, number: int | None) -> None:
        ws, q = self.ws, self.data.quarter
        style = LEVEL_STYLE[line.level]

        def fmt(num_format: str = RP, **props: Any) -> Any:
            return self.fmt(num_format=num_format, **style, **props)

        if number is None:
            ws.write_blank(row, 0, None, fmt(align="center"))
        else:
            ws.write_number(row, 0, number, fmt(align="center"))
        ws.write_string(row, 1, line.objective, fmt(text_wrap=True))
        ws.write_string(row, 2, line.code, fmt())
        ws.write_string(row, 3, line.name, fmt(text_wrap=True, indent=INDENT[line.level]))
        ws.write_string(row, 4, line.indicator, fmt(text_wrap=True))
        dec = line.decimals
        for column, pair in enumerate(_inputs(line), start=6):
            unit = pair.k_unit or line.unit
            k_fmt = k_format(pair.k, unit, pair.k_upper, dec)
            self.value(row, k_col(column), pair.k, fmt(k_fmt))
            self.value(row, k_col(column) + 1, pair.rp, fmt())
        for i, pair in enumerate(line.quarters):
            later = {"font_color": "#808080"} if i >= q else {}
            self.value(row, k_col(9 + i), pair.k, fmt(k_format(pair.k, decimals=dec), **later))
            self.value(row, k_col(9 + i) + 1, pair.rp, fmt(**later))
        ws.write_string(row, LAST_COL, line.responsible_unit, fmt(text_wrap=True))
        self.figures(row, line, fmt)
        w = self.widths
        indent = 1.5 * INDENT[line.level]
        texts = [
            (line.objective, w[1]),
            (line.name, w[3] - indent),
            (line.indicator, w[4]),
            (line.responsible_unit, w[-1]),
        ]
        ws.set_row(row, text_height(texts, bold=line.level != "sub_kegiatan"))

    def heading(self, row: int, heading: FormHeading) -> None:
        """An urusan or bidang urusan row: its code, and its name across the row."""
        fmt = self.fmt(**LEVEL_STYLE[heading.level])
        self.ws.write_blank(row, 0, None, fmt)
        self.ws.write_blank(row, 1, None, fmt)
        self.ws.write_string(row, 2, heading.code, fmt)
        self.ws.merge_range(row, 3, row, LAST_COL, heading.name, fmt)
        self.ws.set_row(row, 15)

    def value(self, row: int, col: int, value: Number, fmt: Any) -> None:
        if value is None:
            self.ws.write_blank(row, col, None, fmt)
        else:
            self.ws.write_number(row, col, float(value), fmt)

    def figures(self, row: int, line: FormLine, fmt: Any) -> None:
        """Columns 13–16 as formulas, cached with the core's values."""

        def ref(column: int, part: int = 0) -> str:
            return cell(k_col(column) + part, row)

        quarters = [ref(9 + i) for i in range(self.data.quarter)]
        money = [ref(9 + i, 1) for i in range(self.data.quarter)]
        k_formulas = {
            13: col13_k(quarters, line.aggregation),
            14: achievement(
                ref(13), ref(8), line.year_target.k_upper, line.polarity, zero_is_missing=False
            ),
            15: col15_k(ref(7), ref(13), line.aggregation),
            16: achievement(
                ref(15), ref(6), line.renstra_target.k_upper, line.polarity, zero_is_missing=True
            ),
        }
        rp_formulas = {
            13: f'IF(COUNT({",".join(money)})=0,"",SUM({",".join(money)}))',
            14: ratio(ref(13, 1), ref(8, 1)),
            15: total(ref(7, 1), ref(13, 1)),
            16: ratio(ref(15, 1), ref(6, 1)),
        }
        results: dict[int, KRp] = {13: line.col13, 14: line.col14, 15: line.col15, 16: line.col16}
        for column, figure in results.items():
            if column in (14, 16):
                k_fmt = PCT
            elif line.decimals is not None:  # computed: exactly the declared decimals
                k_fmt = RP if line.decimals == 0 else f"#,##0.{'0' * line.decimals}"
            else:
                k_fmt = k_format(figure.k)
            self.formula(row, k_col(column), k_formulas[column], fmt(k_fmt), _cached(figure.k))
            rp_fmt = PCT if column in (14, 16) else RP
            self.formula(
                row, k_col(column) + 1, rp_formulas[column], fmt(rp_fmt), _cached(figure.rp)
            )

    def footer(self, row: int) -> int:
        d, ws = self.data, self.ws
        label = self.fmt(bold=True, bg_color="#E7E6E6")
        value = self.fmt(bold=True, bg_color="#E7E6E6", num_format=PCT, align="right")
        note = self.fmt(text_wrap=True, font_size=8, bg_color="#E7E6E6")
        rating = self.fmt(bold=True, bg_color="#E7E6E6", text_wrap=True, align="center")
        c = k_col(14)
        ws.merge_range(row, 0, row, c - 1, "Rata-rata capaian kinerja (%)", label)
        ws.merge_range(row + 1, 0, row + 1, c - 1, "Predikat kinerja", label)
        for part, foot in enumerate((d.footer_k, d.footer_rp)):
            rows = [self.row_of[i] for i in foot.row_ids if i in self.row_of]
            self.formula(
                row, c + part, footer_formula(foot, part, rows), value, _cached(foot.value)
            )
            self.formula(
                row + 1, c + part, rating_formula(cell(c + part, row)), rating, foot.rating or ""
            )
        rules = "; ".join(
            f"{p}: {f.label}"
            + (f", capaian dibatasi {format_number(f.cap)} %" if f.cap is not None else "")
            for p, f in (("K", d.footer_k), ("Rp", d.footer_rp))
        )
        ws.merge_range(row, c + 2, row, LAST_COL, f"Cara menghitung — {rules}.", note)
        ws.merge_range(row + 1, c + 2, row + 1, LAST_COL, _scale_text(), note)
        ws.set_row(row, 24)
        ws.set_row(row + 1, 26)
        return row + 2

    def narrative(self, row: int) -> int:
        d, ws = self.data, self.ws
        width = sum(self.widths[k_col(6) :])
        for title, items in d.footer_texts:
            lines = [f"{i}. {text}" for i, text in enumerate(items, 1)] or ["-"]
            if len(lines) == 1 and items:
                lines = [items[0]]
            head = self.fmt(bold=True, text_wrap=True)
            ws.merge_range(row, 0, row, k_col(6) - 1, f"{title}:", head)
            text = "\n".join(lines)
            ws.merge_range(row, k_col(6), row, LAST_COL, text, self.fmt(text_wrap=True))
            title_width = sum(self.widths[: k_col(6)])
            ws.set_row(row, text_height([(text, width), (title, title_width)], minimum=26,
                                        bold=True))  # fmt: skip
            row += 1
        return row

    def signature(self, row: int, sig: Signature) -> None:
        ws, c = self.ws, k_col(14)
        center = self.fmt(border=0, align="center", text_wrap=True)
        acting = f"{sig.acting.rstrip('.')}. " if sig.acting else ""
        lines = [
            (place_and_date(sig.place, sig.signed_on), center, 15),
            (acting + sig.title, self.fmt(border=0, align="center", text_wrap=True, bold=True), 38),
            ("", center, 54),
            (
                sig.name or "(" + "." * 40 + ")",
                self.fmt(border=0, align="center", bold=True, underline=1),
                15,
            ),
            (sig.rank, center, 15),
            (f"NIP. {sig.nip}" if sig.nip else "", center, 15),
        ]
        for i, (text, fmt, height) in enumerate(lines):
            ws.merge_range(row + i, c, row + i, LAST_COL, text, fmt)
            ws.set_row(row + i, height)

    def set_widths(self) -> None:
        # Sasaran: room for a long word ("Meningkatnya") so none is broken
        widths = [4.5, 14.0, 15.0, 38.0, 32.0] + [0.0] * 22 + [22.0]
        for line in self.data.rows:
            widths[2] = max(widths[2], len(line.code) * 0.95 + 2)
            pairs = (*_inputs(line), *line.quarters, line.col13, line.col14, line.col15, line.col16)
            for column, pair in enumerate(pairs, start=6):
                if column in (14, 16):
                    k = format_number(pair.k, 2)
                else:
                    k = format_declared(pair.k, line.decimals)
                if column <= 8:
                    upper = (
                        f" – {format_declared(pair.k_upper, line.decimals)}" if pair.k_upper else ""
                    )
                    k += upper + " " + (pair.k_unit or line.unit)
                c = k_col(column)
                widths[c] = max(widths[c], len(k) * 0.95 + 2, 7.5)
                widths[c + 1] = max(widths[c + 1], len(format_number(pair.rp, 0)) * 0.95 + 2, 8)
        self.widths = [min(w, 40.0) for w in widths]
        for c, w in enumerate(self.widths):
            self.ws.set_column(c, c, w)


def check_paper(paper: str) -> int:
    """Excel's paper code of ``paper``; an unknown size is refused in Indonesian."""
    if paper not in PAPER_SIZES:
        raise ValueError(f"ukuran kertas «{paper}» tidak dikenal (pilih: f4, a4, a3).")
    return PAPER_SIZES[paper]


def print_setup(ws: Any, *, paper: str, title: str) -> None:
    """Landscape on ``paper``, as wide as one page, the title and page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(check_paper(paper))
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&L&8" + title.replace("&", "&&") + "&R&8Halaman &P dari &N")


def write_form_sheet(
    workbook: Any,
    fmt: Formats,
    data: FormReport,
    *,
    paper: str,
    cache_values: bool = True,
    name: str = "Formulir",
) -> dict[str, int]:
    """The form on a new sheet ``name`` of ``workbook``; returns each line's sheet row."""
    ws = workbook.add_worksheet(name)
    sheet = _FormSheet(ws, fmt, data, cache_values)
    sheet.set_widths()
    sheet.title_block()
    sheet.header()
    program = 0
    for i, line in enumerate(data.printed_rows()):
        if isinstance(line, FormHeading):
            sheet.heading(FIRST + i, line)
            continue
        program += line.numbered
        number = program if line.numbered else None
        sheet.line(sheet.row_of[line.id], line, number)
    row = sheet.narrative(sheet.footer(FIRST + len(data.printed_rows())))
    if data.signature is not None:
        sheet.signature(row + 1, data.signature)
    ws.freeze_panes(FIRST, 4)
    ws.repeat_rows(HEAD, HEAD + 3)
    print_setup(ws, paper=paper, title=data.title)
    return sheet.row_of


def set_provenance(
    workbook: Any, *, title: str, subject: str, company: str, provenance: Provenance
) -> None:
    """Document properties: title, subject, and the data and template hashes."""
    workbook.set_properties(
        {
            "title": title,
            "subject": subject,
            "author": "Kinerja",
            "company": company,
            "comments": provenance.describe(),
        }
    )
    workbook.set_custom_property("kinerja_data_sha256", provenance.data_hash)
    workbook.set_custom_property("kinerja_template_sha256", provenance.template_hash)


@register
class FormXlsx(Renderer):
    document = "form"
    identifier = "xlsx"
    label = "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    templates = ()

    def render(
        self,
        data: FormReport,
        *,
        provenance: Provenance,
        paper: str = "f4",
        cache_values: bool = True,
    ) -> bytes:
        import xlsxwriter

        check_paper(paper)
        out = io.BytesIO()
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = xlsxwriter.Workbook(out, options)
        fmt = Formats(workbook)
        write_form_sheet(workbook, fmt, data, paper=paper, cache_values=cache_values)
        set_provenance(
            workbook,
            title=data.title,
            subject=f"Evaluasi Renja Triwulan {data.quarter_roman} Tahun {data.year} "
            "(Permendagri 86/2017)",
            company=data.government,
            provenance=provenance,
        )
        if data.draft:
            mark_xlsx(workbook)
        workbook.close()
        return out.getvalue()
