"""The quarterly report (Laporan Capaian Kinerja Triwulan) as an Excel workbook.

One sheet per table of the report (Tabel 2.1 – 3.4, the action plan, the recommendations and
the findings), then the evaluation form exactly as ``FormXlsx`` writes it, with its live
formulas. Tabel 3.2's percentages and totals are formulas too, cached with the core's values,
so a reader that does not calculate sees the same numbers as the report.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..data import FactorLine, QuarterlyReport, TargetSeries
from . import Provenance, Renderer, register
from .draft import mark_xlsx
from .xlsx_form import (
    INDENT,
    LEVEL_STYLE,
    PCT,
    RP,
    Formats,
    cell,
    check_paper,
    findings_sheet,
    form_rows,
    print_setup,
    ratio,
    set_provenance,
    text_height,
    write_form_sheet,
)

HEAD = 4  # first header row (0-based): caption, title, agency, note above it
FORM_SHEET = "Formulir"
MAX_HEIGHT = 409  # Excel's tallest row, in points
LEVEL_NAMES = {"program": "Program", "kegiatan": "Kegiatan", "sub_kegiatan": "Sub Kegiatan"}


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    kind: str = "text"  # text | center | num (own decimals) | rp | pct


@dataclass(frozen=True)
class Formula:
    text: str  # without the leading "="
    value: Decimal | None  # the core's value, cached


def num_format(value: Decimal) -> str:
    """``#,##0`` for whole numbers, else two to four decimals (0,70 · 89,95)."""
    exponent = value.normalize().as_tuple().exponent
    places = 0 if not isinstance(exponent, int) or exponent >= 0 else min(max(2, -exponent), 4)
    return RP if places == 0 else "#,##0." + "0" * places


def _or_dash(value: Decimal | None) -> Decimal | str:
    return "-" if value is None else value


def numbered(items: Sequence[str]) -> str:
    """One item as it is, several as ``1. …`` lines, none as ``-``."""
    if not items:
        return "-"
    if len(items) == 1:
        return items[0]
    return "\n".join(f"{i}. {text}" for i, text in enumerate(items, 1))


class _Sheet:
    """A captioned table on its own sheet: title block, a frozen header, rows, notes."""

    def __init__(
        self,
        book: _Book,
        name: str,
        *,
        caption: str,
        title: str,
        columns: Sequence[Column],
        groups: Sequence[tuple[int, int, str]] = (),
        subtitle: str | None = None,
        note: str = "",
    ) -> None:
        self.book, self.fmt, self.columns = book, book.fmt, columns
        ws = self.ws = book.workbook.add_worksheet(name)
        last = len(columns) - 1
        data = book.data
        lines = (
            (caption, self.fmt(border=0, bold=True, font_size=12)),
            (title, self.fmt(border=0, bold=True, font_size=11, text_wrap=True)),
            (subtitle or f"{data.agency} · Triwulan {data.quarter_roman} Tahun {data.year}",
             self.fmt(border=0)),
            (note, self.fmt(border=0, italic=True, font_size=8, text_wrap=True, valign="top")),
        )  # fmt: skip
        width = sum(c.width for c in columns)
        for r, (text, fmt) in enumerate(lines):
            ws.merge_range(r, 0, r, last, text, fmt)
        ws.set_row(1, text_height([(title, width * 0.8)], minimum=16))
        ws.set_row(3, text_height([(note, width)], minimum=8) if note else 8)
        for c, column in enumerate(columns):
            ws.set_column(c, c, column.width)
        head = self.fmt(
            bold=True, align="center", valign="vcenter", text_wrap=True, bg_color="#E7E6E6"
        )
        grouped = {c for first, end, _ in groups for c in range(first, end + 1)}
        for first, end, text in groups:
            ws.merge_range(HEAD, first, HEAD, end, text, head)
        for c, column in enumerate(columns):
            if c in grouped:
                ws.write_string(HEAD + 1, c, column.title, head)
            elif groups:
                ws.merge_range(HEAD, c, HEAD + 1, c, column.title, head)
            else:
                ws.write_string(HEAD, c, column.title, head)
        self.row = HEAD + (2 if groups else 1)
        ws.set_row(HEAD, text_height([(c.title, c.width) for c in columns], bold=True))
        ws.freeze_panes(self.row, 0)
        ws.repeat_rows(HEAD, self.row - 1)
        print_setup(ws, paper=book.paper, title=f"{data.title} · {caption}")

    def write(self, values: Sequence[Any], *, style: dict[str, Any] | None = None,
              indent: int = 0) -> int:  # fmt: skip
        """One table row; returns its sheet row (0-based)."""
        style = style or {}
        row, texts = self.row, []
        for c, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            self.value(row, c, column, value, style, indent if c == 1 else 0)
            if isinstance(value, str):
                texts.append((value, column.width - 1.5 * (indent if c == 1 else 0)))
        height = text_height(texts, bold=bool(style.get("bold")))
        self.ws.set_row(row, min(height, MAX_HEIGHT))
        self.row += 1
        return row

    def value(self, row: int, c: int, column: Column, value: Any, style: dict[str, Any],
              indent: int) -> None:  # fmt: skip
        ws, kind = self.ws, column.kind
        if isinstance(value, Formula):
            number = PCT if kind == "pct" else RP
            cached = "" if value.value is None or not self.book.cache_values else float(value.value)
            ws.write_formula(row, c, "=" + value.text, self.fmt(num_format=number, **style),
                             cached)  # fmt: skip
        elif isinstance(value, Decimal | int):
            value = Decimal(value)
            number = {"rp": RP, "pct": PCT}.get(kind) or num_format(value)
            ws.write_number(row, c, float(value), self.fmt(num_format=number, **style))
        elif value is None:
            ws.write_blank(row, c, None, self.fmt(**style))
        else:
            align = "center" if kind != "text" or value == "-" else "left"
            ws.write_string(row, c, value, self.fmt(text_wrap=True, align=align, indent=indent,
                                                    **style))  # fmt: skip

    def empty(self, text: str) -> None:
        last = len(self.columns) - 1
        self.ws.merge_range(self.row, 0, self.row, last, text, self.fmt(italic=True))
        self.row += 1

    def notes(self, lines: Sequence[str]) -> None:
        """Text under the table, each line merged across it."""
        width = sum(c.width for c in self.columns)
        wrap = self.fmt(border=0, text_wrap=True, valign="top")
        self.row += 1
        for text in lines:
            self.ws.merge_range(self.row, 0, self.row, len(self.columns) - 1, text, wrap)
            self.ws.set_row(self.row, min(text_height([(text, width)]), MAX_HEIGHT))
            self.row += 1


class _Book:
    def __init__(
        self, workbook: Any, data: QuarterlyReport, paper: str, cache_values: bool
    ) -> None:
        self.workbook, self.data, self.paper = workbook, data, paper
        self.cache_values = cache_values
        self.fmt = Formats(workbook)

    def sheet(self, name: str, **kwargs: Any) -> _Sheet:
        return _Sheet(self, name, **kwargs)


def _table_2_1(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Tabel 2.1",
        caption="Tabel 2.1",
        title=f"Tujuan, Sasaran dan Indikator RPJMD yang Diintervensi {d.agency}",
        subtitle=f"{d.government} · RPJMD {d.plan_period} · Visi: {d.vision}",
        columns=(
            Column("No", 5, "center"),
            Column("Misi", 36),
            Column("Tujuan", 36),
            Column("Sasaran", 36),
            Column("Indikator Kinerja", 30),
        ),  # fmt: skip
    )
    mission = ""
    if d.supported_mission and 0 < d.supported_mission <= len(d.missions):
        mission = d.missions[d.supported_mission - 1]
    first = s.row
    for objective, indicator in d.rpjmd_objectives:
        s.write(["", "", "", objective, indicator])
    if not d.rpjmd_objectives:
        s.empty("Belum ada sasaran RPJMD yang diintervensi.")
        return
    wrap = book.fmt(text_wrap=True)
    if mission:
        mission = f"Misi {d.supported_mission}: {mission}"
    for c, text in enumerate(("1", mission, d.rpjmd_goal)):
        fmt = book.fmt(align="center") if c == 0 else wrap
        if s.row - first > 1:
            s.ws.merge_range(first, c, s.row - 1, c, text, fmt)
        else:
            s.ws.write_string(first, c, text, fmt)


def _goal_statements(targets: Sequence[TargetSeries]) -> dict[str, str]:
    return {t.number: t.statement for t in targets if t.level == "tujuan"}


def _table_2_2(book: _Book) -> None:
    d = book.data
    years = d.target_years
    columns = [Column("No", 5, "center"), Column("Tujuan", 28), Column("Sasaran", 28),
               Column("Indikator Kinerja", 26), Column("Satuan", 8, "center")]  # fmt: skip
    groups = []
    for year in years:
        groups.append((len(columns), len(columns) + 1, str(year)))
        columns += [Column("Awal", 9, "num"), Column("Perubahan", 11, "num")]
    s = book.sheet(
        "Tabel 2.2",
        caption="Tabel 2.2",
        title=f"Tujuan, Sasaran, Indikator dan Target Kinerja {d.agency}: target Renstra awal "
        "dan target perubahan per tahun",
        subtitle=f"Renstra {d.agency_abbreviation or d.agency} periode {d.plan_period}",
        columns=columns,
        groups=groups,
        note=d.revision_note,
    )
    goals = _goal_statements(d.targets)
    for t in d.targets:
        goal = t.statement if t.level == "tujuan" else goals.get(t.number.split(".")[0], "")
        objective = t.statement if t.level == "sasaran" else ""
        original, revised = dict(t.original), dict(t.revised)
        cells: list[Any] = [t.number, goal, objective, t.indicator, t.unit]
        for year in years:
            cells += [_or_dash(original.get(year)), _or_dash(revised.get(year))]
        style = {"bold": True} if t.level == "tujuan" else {}
        row = s.write(cells, style=style)
        for i, year in enumerate(years):
            new = revised.get(year)
            if new is not None and new != original.get(year):  # a revised target stands out
                fmt = book.fmt(**style, bg_color="#FFF2CC", num_format=num_format(new))
                s.ws.write_number(row, 6 + 2 * i, float(new), fmt)
    s.notes(["Awal: target Renstra sebagaimana ditetapkan. Perubahan: target setelah "
             "penyesuaian (disorot bila berbeda dari target awal). -: tidak ada target."])  # fmt: skip


def _table_2_3_iku(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Tabel 2.3 IKU",
        caption="Tabel 2.3",
        title=f"Indikator Kinerja Utama {d.agency}",
        subtitle=f"{d.agency_abbreviation or d.agency} · Tahun {d.year}",
        columns=(Column("No", 5, "center"), Column("Tujuan/Sasaran Strategis", 24),
                 Column("Indikator Kinerja", 20), Column("Satuan", 8, "center"),
                 Column("Definisi Operasional", 60), Column("Formulasi/Rumus Perhitungan", 36),
                 Column("Sumber Data", 22), Column("Bobot", 16), Column("Skala Nilai", 26)),
    )  # fmt: skip
    for iku in d.iku:
        weights = "\n".join(f"{name} {weight} %" for name, weight in iku.weights) or "-"
        bands = "\n".join(f"{label}: {text}" for label, text in iku.scale_bands)
        scale = f"{iku.scale_name}\n{bands}".strip() or "-"
        s.write([str(iku.number), iku.statement, iku.indicator, iku.unit, iku.definition,
                 iku.formula, iku.data_source, weights, scale])  # fmt: skip


def _table_2_3_pk(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Tabel 2.3 PK",
        caption="Tabel 2.3",
        title=f"Perjanjian Kinerja Kepala {d.agency_abbreviation or d.agency} Tahun {d.year}",
        subtitle=d.agency,
        columns=(
            Column("No", 5, "center"),
            Column("Sasaran Strategis", 50),
            Column("Indikator Kinerja", 40),
            Column("Target", 10, "num"),
            Column("Satuan", 10, "center"),
        ),  # fmt: skip
    )
    for t in d.agreement_targets:
        s.write([str(t.number), t.objective, t.indicator, _or_dash(t.target), t.unit])
    if not d.agreement_targets:
        s.empty("Belum ada Perjanjian Kinerja tahun ini.")


def _table_2_4(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Tabel 2.4",
        caption="Tabel 2.4",
        title="Program, Kegiatan dan Sub Kegiatan yang Menunjang Sasaran Strategis",
        subtitle=f"{d.agency} · Perjanjian Kinerja Tahun {d.year}",
        columns=(Column("No", 5, "center"), Column("Program/Kegiatan/Sub Kegiatan", 50),
                 Column("Indikator Kinerja", 46), Column("Target", 9, "num"),
                 Column("Satuan", 11, "center"), Column("Pagu Anggaran (Rp)", 17, "rp")),
    )  # fmt: skip
    programs, total, number = [], Decimal(0), 0
    for line in d.agreement_lines:
        is_program = line.level == "program"
        number += is_program
        row = s.write(
            [str(number) if is_program else "", line.name, line.indicator,
             _or_dash(line.target), line.unit, line.budget],
            style=LEVEL_STYLE.get(line.level, {}), indent=INDENT.get(line.level, 0),
        )  # fmt: skip
        if is_program:
            programs.append(row)
            total += line.budget or 0
    if not d.agreement_lines:
        s.empty("Belum ada program pada Perjanjian Kinerja tahun ini.")
        return
    refs = ",".join(cell(5, r) for r in programs) or "0"
    s.write(["", "Jumlah pagu program", "", "", "", Formula(f"SUM({refs})", total)],
            style={"bold": True, "bg_color": "#E7E6E6"})  # fmt: skip


def _table_3_1(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Tabel 3.1",
        caption="Tabel 3.1",
        title="Capaian Indikator Kinerja Utama (IKU)",
        columns=(Column("No", 5, "center"), Column("Tujuan/Sasaran", 28),
                 Column("Indikator Kinerja", 22), Column("Satuan", 8, "center"),
                 Column("Target", 9, "num"), Column("Realisasi", 10, "num"),
                 Column("Capaian (%)", 10, "pct"), Column("Kategori (predikat capaian)", 13),
                 Column("Kategori nilai", 13), Column("Skala nilai", 22),
                 Column("Sumber Data", 24), Column("Cek silang dari formulir (%)", 12, "pct"),
                 Column("Aturan cek silang", 18), Column("Penjelasan", 44)),
    )  # fmt: skip
    for a in d.achievements:
        explain = a.explain + (f"\nCek silang: {a.derived_explain}" if a.derived_explain else "")
        s.write([str(a.number), a.statement, a.indicator, a.unit, _or_dash(a.target),
                 _or_dash(a.realisation), _or_dash(a.achievement), a.rating or "-",
                 a.value_category or "-", a.value_scale or "-", a.source or "-",
                 _or_dash(a.derived_value), a.derived_rule or "-", explain])  # fmt: skip
    scale = " · ".join(f"{label}: {text}" for label, text in d.predikat_scale)
    s.notes([f"Skala predikat capaian (x = capaian %): {scale}.",
             *(f"{chr(96 + i)}. {a.paragraph}" for i, a in enumerate(d.achievements, 1))])  # fmt: skip


def _table_3_2(book: _Book) -> None:
    d = book.data
    basis = d.budget_basis
    s = book.sheet(
        "Tabel 3.2",
        caption="Tabel 3.2",
        title="Realisasi Anggaran Sasaran dan Program",
        columns=(Column("No", 5, "center"), Column("Sasaran", 30), Column("Program", 34),
                 Column("Pagu Anggaran (Rp)", 17, "rp"),
                 Column(f"Rencana Anggaran Kas {basis} (Rp)", 17, "rp"),
                 Column(f"Realisasi {basis} (Rp)", 17, "rp"),
                 Column("% Realisasi terhadap Rencana Kas", 13, "pct"),
                 Column("% Realisasi terhadap Pagu", 13, "pct"),
                 Column("Penanggung Jawab", 30)),
    )  # fmt: skip
    lines = [b for b in d.budget if b.number is not None]
    first = s.row
    for b in lines:
        r = s.row
        s.write([str(b.number), b.objective, b.program, b.budget, b.cash_plan, b.realised,
                 Formula(ratio(cell(5, r), cell(4, r)), b.pct_of_plan),
                 Formula(ratio(cell(5, r), cell(3, r)), b.pct_of_budget),
                 numbered(b.responsible.split("; ")) if b.responsible else ""])  # fmt: skip
    totals = [b for b in d.budget if b.number is None]
    if totals:
        t, r, last = totals[-1], s.row, s.row - 1
        sums = [Formula(f"SUM({cell(c, first)}:{cell(c, last)})" if lines else "0", v)
                for c, v in ((3, t.budget), (4, t.cash_plan), (5, t.realised))]  # fmt: skip
        s.write(["", t.program.upper(), "", *sums,
                 Formula(ratio(cell(5, r), cell(4, r)), t.pct_of_plan),
                 Formula(ratio(cell(5, r), cell(3, r)), t.pct_of_budget), ""],
                style={"bold": True, "bg_color": "#E7E6E6"})  # fmt: skip
    s.notes([f"% rencana kas = realisasi {basis} ÷ rencana anggaran kas {basis} × 100; "
             f"% pagu = realisasi {basis} ÷ pagu × 100. Jumlah dan persentase berisi rumus; "
             "sel kosong: tidak dapat dihitung."])  # fmt: skip


def _action_plan(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Rencana Aksi",
        caption="Rencana Aksi",
        title=f"Capaian terhadap Target Rencana Aksi Triwulan {d.quarter_roman}",
        columns=(Column("Kode", 18), Column("Program/Kegiatan/Sub Kegiatan", 50),
                 Column("Satuan", 12, "center"), Column(f"Target TW {d.quarter_roman}", 11, "num"),
                 Column(f"Realisasi TW {d.quarter_roman}", 11, "num"),
                 Column("Capaian (%)", 11, "pct"), Column("Predikat", 14)),
    )  # fmt: skip
    for a in d.action_plan:
        s.write([a.code, a.name, a.unit, _or_dash(a.target), _or_dash(a.realised),
                 _or_dash(a.achievement), a.rating or "-"])  # fmt: skip
    if not d.action_plan:
        s.empty(f"Belum ada target rencana aksi (K) untuk triwulan {d.quarter_roman}.")


def _factors(book: _Book, name: str, title: str, subject: str,
             lines: Sequence[FactorLine]) -> None:  # fmt: skip
    s = book.sheet(
        name,
        caption=name,
        title=title,
        columns=(Column("No", 5, "center"), Column(subject, 30), Column("Faktor Pendukung", 48),
                 Column("Faktor Penghambat", 40), Column("Penanggung Jawab", 32)),
    )  # fmt: skip
    for i, f in enumerate(lines, 1):
        responsible = numbered(f.responsible.split("; ")) if f.responsible else "-"
        s.write([str(i), f.subject, numbered(f.supporting), numbered(f.inhibiting),
                 responsible])  # fmt: skip
    if not lines:
        s.empty("Belum ada faktor pendukung atau penghambat yang dicatat.")


def _recommendations(book: _Book) -> None:
    d = book.data
    s = book.sheet(
        "Rekomendasi",
        caption="Rekomendasi",
        title="Rekomendasi Tindak Lanjut",
        columns=(Column("No", 5, "center"), Column("Rekomendasi", 120)),
    )
    for i, text in enumerate(d.recommendations):
        s.write([f"{chr(97 + i % 26)}.", text])
    if not d.recommendations:
        s.empty("Belum ada rekomendasi.")


@register
class LaporanXlsx(Renderer):
    document = "laporan"
    identifier = "xlsx"
    label = "Excel"
    extension = "xlsx"
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    templates = ()

    def render(self, data: QuarterlyReport, *, provenance: Provenance, paper: str = "f4",
               cache_values: bool = True) -> bytes:  # fmt: skip
        """``cache_values=False`` leaves the formulas without values (to test that a
        spreadsheet program computes the core's figures from them)."""
        import xlsxwriter

        check_paper(paper)
        out = io.BytesIO()
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = xlsxwriter.Workbook(out, options)
        book = _Book(workbook, data, paper, cache_values)
        _table_2_1(book)
        _table_2_2(book)
        _table_2_3_iku(book)
        _table_2_3_pk(book)
        _table_2_4(book)
        _table_3_1(book)
        _table_3_2(book)
        _action_plan(book)
        abbreviation = data.agency_abbreviation or data.agency
        period = f"{abbreviation} Triwulan {data.quarter_roman} Tahun {data.year}"
        _factors(book, "Tabel 3.3", "Faktor Pendukung dan Faktor Penghambat Capaian Kinerja "
                 f"berdasarkan Indikator Sasaran {period}", "Indikator Kinerja",
                 data.factors_by_indicator)  # fmt: skip
        _factors(book, "Tabel 3.4", "Faktor Pendukung dan Faktor Penghambat Capaian Kinerja "
                 f"berdasarkan Program {period}", "Program", data.factors_by_program)  # fmt: skip
        _recommendations(book)
        findings = workbook.add_worksheet("Temuan")
        findings_sheet(
            findings,
            book.fmt,
            title=f"Temuan pemeriksaan konsistensi — {data.title}",
            findings=data.findings,
            lines=data.form.rows,
            rows=form_rows(data.form),
            form_sheet=FORM_SHEET,
        )
        print_setup(findings, paper=paper, title=f"{data.title} · Temuan")
        write_form_sheet(workbook, book.fmt, data.form, paper=paper, cache_values=cache_values,
                         name=FORM_SHEET)  # fmt: skip
        set_provenance(
            workbook,
            title=data.title,
            subject=f"{data.title} — {data.agency}",
            company=data.government,
            provenance=provenance,
        )
        if data.draft:
            mark_xlsx(workbook)
        workbook.close()
        return out.getvalue()
