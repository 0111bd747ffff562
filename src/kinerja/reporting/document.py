"""One document model for the quarterly report: the ordered structure every format walks.

``laporan_document`` turns a ``QuarterlyReport`` (figures from ``kinerja.core``) into a
``ReportDocument``: the cover, the front matter, BAB I–IV as a flat sequence of blocks —
headings, paragraphs, lists, numbered tables and figures with their captions, signature
blocks — and the evaluation form as the appendix. Every cell is already a display string
(numbers in the Indonesian format, with the decimals each indicator declares), so the PDF,
Word and Excel renderings agree in section order, numbering, wording and decimals: they only
lay the blocks out. Pure: no database, no files.

What the model leaves out on purpose: findings, rule identifiers and hashes (those belong on
the Lembar Pemeriksaan and in the files' document properties); a table without rows (a
sentence says so instead); a chart of a quarter without data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from kinerja.core.numbers import format_declared, format_number

from .data import (
    Chart,
    FactorLine,
    FormReport,
    Kop,
    Number,
    QuarterlyReport,
    Signature,
)
from .dates import place_and_date

# ---- the blocks ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """``level`` 1: a chapter (BAB I, on a new page; also Kata Pengantar, Daftar Isi,
    Lampiran, unnumbered); 2: a section (``1.1``)."""

    level: int
    number: str
    text: str
    kind: str = field(default="heading", init=False)

    @property
    def label(self) -> str:
        """``BAB I PENDAHULUAN``; ``1.1 Latar Belakang``; ``KATA PENGANTAR``."""
        return f"{self.number} {self.text}".strip()


@dataclass(frozen=True)
class Paragraph:
    """``style``: body (first line indented), plain (no indent), note (small, under a table)."""

    text: str
    style: str = "body"
    kind: str = field(default="paragraph", init=False)


@dataclass(frozen=True)
class ListBlock:
    """A numbered list: ``numbering`` "1." or "a."."""

    items: tuple[str, ...]
    numbering: str = "1."
    kind: str = field(default="list", init=False)

    def marker(self, index: int) -> str:
        """``1.``, ``b.`` for the item at ``index`` (0-based)."""
        return f"{chr(ord('a') + index)}." if self.numbering == "a." else f"{index + 1}."


@dataclass(frozen=True)
class Terms:
    """Term — description pairs (Sistematika Penulisan)."""

    items: tuple[tuple[str, str], ...]
    kind: str = field(default="terms", init=False)


@dataclass(frozen=True)
class Cell:
    """One table cell as displayed. ``items``: a numbered list inside the cell (shown as
    ``text`` when one); ``note``: a smaller second line; ``number``: never broken."""

    text: str = ""
    align: str = "left"  # left | right | center
    bold: bool = False
    colspan: int = 1
    rowspan: int = 1
    items: tuple[str, ...] = ()
    note: str = ""
    number: bool = False

    @property
    def lines(self) -> tuple[str, ...]:
        """The cell's text as lines, for formats without lists: ``1. a`` ``2. b`` ``note``."""
        if len(self.items) > 1:
            body = tuple(f"{i}. {item}" for i, item in enumerate(self.items, start=1))
        elif self.items:
            body = self.items
        else:
            body = (self.text,)
        return (*body, self.note) if self.note else body

    @property
    def plain(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class Row:
    """``style``: "" | group (a heading row across the table) | total | program | kegiatan |
    sub_kegiatan (the level's shading)."""

    cells: tuple[Cell, ...]
    style: str = ""


@dataclass(frozen=True)
class Table:
    """A numbered table, caption above: ``Tabel 2.1`` + ``caption`` (+ ``subject`` lines).
    ``columns``: one width per column — ``"7mm"`` fixed, ``"1fr"`` a share of the rest,
    ``"fit"`` as wide as its widest number."""

    number: str
    caption: str
    subject: tuple[str, ...]
    columns: tuple[str, ...]
    header: tuple[Row, ...]
    rows: tuple[Row, ...]
    note: str = ""
    breakable: bool = False  # rows of free text may break across pages
    width: str = ""  # "" full width; "95mm": a narrow, centred table
    kind: str = field(default="table", init=False)

    @property
    def label(self) -> str:
        """``Tabel 2.1``; "" for an unnumbered table (a reference scale)."""
        return f"Tabel {self.number}" if self.number else ""

    @property
    def title(self) -> str:
        """``Tabel 2.1 Tujuan, Sasaran …`` — the caption as one line (contents, tests)."""
        return f"{self.label} {self.caption}".strip()


@dataclass(frozen=True)
class Figure:
    number: str
    caption: str
    chart: Chart
    kind: str = field(default="figure", init=False)

    @property
    def label(self) -> str:
        return f"Gambar {self.number}"

    @property
    def title(self) -> str:
        return f"{self.label} {self.caption}"


@dataclass(frozen=True)
class SignatureBlock:
    """Place and date, title, space to sign, name (or a line to write it on), rank, NIP."""

    place_date: str
    title: str
    name: str
    rank: str
    nip: str
    kind: str = field(default="signature", init=False)


Block = Heading | Paragraph | ListBlock | Terms | Table | Figure | SignatureBlock


@dataclass(frozen=True)
class Cover:
    kop: Kop
    title: tuple[str, ...]  # LAPORAN CAPAIAN KINERJA / TRIWULAN I TAHUN 2024
    period: str  # "Renstra periode 2021–2026", "" when the agency has no Renstra
    short_agency: str  # BKPSDM KABUPATEN SUMENEP
    year: str


@dataclass(frozen=True)
class ReportDocument:
    """The quarterly report as one ordered structure. ``front`` (Kata Pengantar) is paged in
    roman numerals; the Daftar Isi follows it, generated by each renderer from ``contents``;
    ``body`` is BAB I–IV; ``appendix`` the evaluation form under ``appendix_heading``."""

    title: str
    agency: str
    draft: bool
    cover: Cover
    front: tuple[Block, ...]
    body: tuple[Block, ...]
    appendix_heading: Heading
    appendix: FormReport
    toc_heading: Heading = Heading(1, "", "DAFTAR ISI")
    # after the form: the opt-in "LAMPIRAN: TEMUAN PEMERIKSAAN" (Agency.findings_appendix);
    # () for an agency that has not opted in
    annex: tuple[Block, ...] = ()

    def blocks(self) -> Iterator[Block]:
        """Every block in reading order, the Daftar Isi's and the appendix's headings in
        their places, the findings appendix last."""
        yield from self.front
        yield self.toc_heading
        yield from self.body
        yield self.appendix_heading
        yield from self.annex

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks() if isinstance(b, Heading)]

    def contents(self) -> list[Heading]:
        """The Daftar Isi's entries: every heading from Kata Pengantar to Lampiran."""
        return self.headings()

    def captions(self) -> list[str]:
        """``Tabel 2.1 …`` and ``Gambar 3.1 …`` in order."""
        return [b.title for b in self.blocks() if isinstance(b, Table | Figure)]


# ---- the quarterly report as blocks -------------------------------------------------------


def _n(value: Number, decimals: int | None = None) -> str:
    """A target or realisation: the indicator's declared decimals (0,70), else its own."""
    return format_declared(value, decimals)


def _pct(value: Number) -> str:
    return format_number(value, 2)


def _num(text: str, *, bold: bool = False) -> Cell:
    return Cell(text, align="right", bold=bold, number=True)


def _head(*titles: str) -> Row:
    return Row(tuple(Cell(t, align="center", bold=True) for t in titles))


def _items(text: str) -> tuple[str, ...]:
    """``A; B; C`` (how the builder joins several units) as items."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _signature(sig: Signature) -> SignatureBlock:
    title = f"{sig.acting}. {sig.title}" if sig.acting else sig.title
    nip = f"NIP. {sig.nip}" if sig.nip else ""
    return SignatureBlock(place_and_date(sig.place, sig.signed_on), title, sig.name, sig.rank,
                          nip)  # fmt: skip


class _Numbering:
    """Tables and figures numbered within each chapter: Tabel 2.1, 2.2 …; Gambar 3.1 …"""

    def __init__(self) -> None:
        self.chapter, self.sections, self.tables, self.figures = 0, 0, 0, 0

    def next_chapter(self) -> int:
        self.chapter += 1
        self.sections = self.tables = self.figures = 0
        return self.chapter

    def section(self) -> str:
        self.sections += 1
        return f"{self.chapter}.{self.sections}"

    def table(self) -> str:
        self.tables += 1
        return f"{self.chapter}.{self.tables}"

    def figure(self) -> str:
        self.figures += 1
        return f"{self.chapter}.{self.figures}"


ROMAN = ("I", "II", "III", "IV", "V")


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.numbers = _Numbering()

    def chapter(self, text: str) -> None:
        n = self.numbers.next_chapter()
        self.blocks.append(Heading(1, f"BAB {ROMAN[n - 1]}", text))

    def section(self, text: str) -> None:
        self.blocks.append(Heading(2, self.numbers.section(), text))

    def par(self, *texts: str, style: str = "body") -> None:
        self.blocks.extend(Paragraph(t, style) for t in texts if t)

    def items(self, items: Sequence[str], numbering: str = "1.") -> None:
        if items:
            self.blocks.append(ListBlock(tuple(items), numbering))

    def table(self, intro: str, empty: str, caption: str, subject: Sequence[str],
              columns: Sequence[str], header: Sequence[Row], rows: Sequence[Row],
              numbered: bool = True, **kwargs: object) -> None:  # fmt: skip
        """A table introduced by a sentence — or, without rows, one sentence saying so."""
        if not rows:
            self.par(empty)
            return
        self.par(intro)
        number = self.numbers.table() if numbered else ""
        self.blocks.append(Table(number, caption, tuple(subject), tuple(columns), tuple(header),
                                 tuple(rows), **kwargs))  # type: ignore[arg-type]  # fmt: skip

    def figure(self, chart: Chart | None) -> None:
        if chart is not None:
            self.blocks.append(Figure(self.numbers.figure(), chart.title, chart))


def laporan_document(data: QuarterlyReport) -> ReportDocument:
    """The quarterly report's document model."""
    w = _Writer()
    q, year, agency = data.quarter_roman, data.year, data.agency
    _bab_1(w, data)
    _bab_2(w, data)
    _bab_3(w, data)
    w.chapter("PENUTUP")
    w.par(*data.closing)
    w.blocks.append(_signature(data.signature))
    region = data.government.removeprefix("Pemerintah ").strip()
    short = f"{data.agency_abbreviation} {region}".strip() if data.agency_abbreviation else agency
    cover = Cover(
        kop=data.kop or Kop(data.government, agency),
        title=("LAPORAN CAPAIAN KINERJA", f"TRIWULAN {q} TAHUN {year}"),
        period=f"Renstra periode {data.plan_period}" if data.plan_period else "",
        short_agency=short.upper(),
        year=str(year),
    )
    front = (Heading(1, "", "KATA PENGANTAR"), *(Paragraph(p) for p in data.foreword),
             _signature(data.signature))  # fmt: skip
    return ReportDocument(
        title=data.title, agency=agency, draft=data.draft, cover=cover, front=front,
        body=tuple(w.blocks), appendix_heading=Heading(1, "", "LAMPIRAN"), appendix=data.form,
        annex=findings_annex(data) if data.findings_appendix else (),
    )  # fmt: skip


FINDINGS_HEADING = "LAMPIRAN: TEMUAN PEMERIKSAAN"


def findings_annex(data: QuarterlyReport) -> tuple[Block, ...]:
    """The opt-in appendix: the Lembar Pemeriksaan's items in words — severity, row, finding,
    what to do — as one table, or one sentence when there are none. No rule ids, no hashes."""
    q, year = data.quarter_roman, data.year
    blocks: list[Block] = [Heading(1, "", FINDINGS_HEADING)]
    if not data.appendix_findings:
        blocks.append(Paragraph(f"Pemeriksaan sebelum penandatanganan laporan triwulan {q} "
                                f"tahun {year} tidak menemukan hal yang perlu diperbaiki."))  # fmt: skip
        return tuple(blocks)
    blocks.append(Paragraph(
        f"Pemeriksaan sebelum penandatanganan laporan triwulan {q} tahun {year} mencatat "
        f"{len(data.appendix_findings)} temuan berikut. Kesalahan: data yang harus diperbaiki "
        "atau dijelaskan; peringatan: data yang perlu diperiksa kembali."))  # fmt: skip
    rows = tuple(Row((Cell(str(i), align="center"), Cell(f.severity), Cell(f.row or "-"),
                      Cell(f.finding), Cell(f.action or "-")))
                 for i, f in enumerate(data.appendix_findings, start=1))  # fmt: skip
    blocks.append(Table("", "Temuan Pemeriksaan Sebelum Penandatanganan",
                        (data.agency, f"Triwulan {q} Tahun {year}"),
                        ("8mm", "20mm", "1fr", "1.6fr", "1.2fr"),
                        (_head("No", "Tingkat", "Baris", "Temuan", "Tindakan"),), rows,
                        breakable=True))  # fmt: skip
    return tuple(blocks)


def _bab_1(w: _Writer, data: QuarterlyReport) -> None:
    q, year, agency = data.quarter_roman, data.year, data.agency
    w.chapter("PENDAHULUAN")
    w.section("Latar Belakang")
    w.par(*data.background)
    w.section("Maksud dan Tujuan")
    w.par(f"Maksud penyusunan laporan ini adalah tersusunnya laporan capaian kinerja triwulan "
          f"{q} tahun {year}. Tujuannya adalah:")  # fmt: skip
    w.items(data.purposes, "a.")
    w.section("Sistematika Penulisan")
    w.par(f"Laporan Capaian Kinerja {agency} Triwulan {q} Tahun {year} disusun dengan "
          "sistematika sebagai berikut:")  # fmt: skip
    w.blocks.append(Terms((
        ("BAB I Pendahuluan", "latar belakang, maksud dan tujuan, serta sistematika penulisan."),
        ("BAB II Perencanaan Kinerja", "rencana strategis, indikator kinerja utama (IKU) dan "
         "perjanjian kinerja (PK)."),
        ("BAB III Akuntabilitas Kinerja", "capaian IKU, realisasi anggaran, capaian rencana "
         "aksi, faktor pendukung dan penghambat, serta rekomendasi tindak lanjut."),
        ("BAB IV Penutup", "simpulan laporan."),
        ("Lampiran", f"formulir evaluasi terhadap hasil Renja perangkat daerah triwulan {q} "
         f"tahun {year}."),
    )))  # fmt: skip


def _bab_2(w: _Writer, data: QuarterlyReport) -> None:
    agency = data.agency
    w.chapter("PERENCANAAN KINERJA")
    w.section("Perencanaan Strategis")
    missions = list(data.missions)
    if data.vision:
        w.par(f"Visi Pemerintah {data.region} sebagaimana tertuang dalam RPJMD adalah "
              f"“{data.vision}”" + (f", yang diwujudkan melalui {len(missions)} misi:"
                                    if missions else "."))  # fmt: skip
        w.items(missions)
    mission = data.supported_mission
    mission_text = (missions[mission - 1].rstrip(".")
                    if mission is not None and 0 < mission <= len(missions) else "")  # fmt: skip
    if mission_text:
        w.par(f"{agency} mendukung Misi {mission}, “{mission_text}”, melalui tujuan RPJMD "
              f"“{data.rpjmd_goal}”.")  # fmt: skip
    if data.goal_texts:  # the Renstra's Tujuan with their explanations, before Tabel 2.1
        period = f" periode {data.plan_period}" if data.plan_period else ""
        w.par(f"Untuk mewujudkan visi dan misi tersebut, Rencana Strategis {agency}{period} "
              "menetapkan tujuan sebagai berikut:")  # fmt: skip
        for title, text in data.goal_texts:
            w.par(title, style="plain")
            w.par(text)
    objectives = data.rpjmd_objectives
    rows = []
    for i, (objective, indicator) in enumerate(objectives):
        cells = [Cell(objective), Cell(indicator)]
        if i == 0:
            n = len(objectives)
            cells[:0] = [Cell("1", align="center", rowspan=n),
                         Cell(mission_text or "-", rowspan=n),
                         Cell(data.rpjmd_goal or "-", rowspan=n)]  # fmt: skip
        rows.append(Row(tuple(cells)))
    w.table(
        f"Tujuan, sasaran dan indikator RPJMD yang diintervensi {agency} disajikan pada tabel "
        "berikut.",
        f"Tujuan dan sasaran RPJMD yang diintervensi {agency} belum dicatat.",
        "Tujuan, Sasaran dan Indikator RPJMD yang Diintervensi", (agency,),
        ("7mm", "1fr", "1fr", "1fr", "1fr"),
        (_head("No", "Misi", "Tujuan", "Sasaran", "Indikator Kinerja"),), rows,
    )  # fmt: skip
    _targets_table(w, data)
    w.section("Indikator Kinerja Utama")
    _iku_table(w, data)
    w.section("Perjanjian Kinerja")
    _agreement_tables(w, data)


def _targets_table(w: _Writer, data: QuarterlyReport) -> None:
    agency, period = data.agency, data.plan_period
    years = data.target_years
    header = (
        Row((Cell("Indikator Kinerja", align="center", bold=True, rowspan=2),
             *(Cell(str(y), align="center", bold=True, colspan=2) for y in years))),
        Row(tuple(Cell(t, align="center", bold=True) for _ in years for t in ("Awal", "Revisi"))),
    )  # fmt: skip
    rows = []
    for s in data.targets:
        label = "Tujuan" if s.level == "tujuan" else "Sasaran"
        rows.append(Row((Cell(f"{label} {s.number}: {s.statement}", bold=True,
                              colspan=1 + 2 * len(years)),), "group"))  # fmt: skip
        original, revised = dict(s.original), dict(s.revised)
        cells = [Cell(f"{s.indicator} ({s.unit})" if s.unit else s.indicator)]
        for y in years:
            before, after = original.get(y), revised.get(y)
            changed = after is not None and before is not None and after != before
            cells += [_num(_n(before, s.decimals)), _num(_n(after, s.decimals), bold=changed)]
        rows.append(Row(tuple(cells)))
    w.table(
        f"Tujuan, sasaran, indikator dan target kinerja Rencana Strategis (Renstra) {agency} "
        f"periode {period} disajikan pada tabel berikut, dengan target awal dan target hasil "
        "penyesuaian berdampingan untuk setiap tahun." + (f" {data.revision_note}"
                                                          if data.revision_note else ""),
        f"Target kinerja Renstra {agency} belum dicatat.",
        f"Tujuan, Sasaran, Indikator dan Target Kinerja Renstra {period}".strip(), (agency,),
        ("1fr", *("fit",) * (2 * len(years))), header, rows,
        note="Awal: target Renstra sebagaimana ditetapkan; Revisi: target setelah penyesuaian "
        "(angka tebal: target yang berubah); -: tidak ada target."
        + (f" Sumber: Renstra {agency} periode {period}." if period else ""),
    )  # fmt: skip


def _iku_table(w: _Writer, data: QuarterlyReport) -> None:
    agency = data.agency
    rows = []
    for k in data.iku:
        rows.append(Row((Cell(f"{k.number}. {k.indicator}", bold=True, colspan=2),), "group"))
        pairs = [
            ("Tujuan" if k.level == "tujuan" else "Sasaran strategis", k.statement),
            ("Satuan", k.unit),
            ("Definisi operasional", k.definition),
            ("Formulasi / rumus perhitungan", k.formula),
            ("Sumber data", k.data_source),
        ]
        if k.weights:
            pairs.append(("Bobot", "; ".join(f"{name} {weight} %" for name, weight in k.weights)))
        if k.scale_bands:
            pairs.append(("Skala nilai", f"{k.scale_name}: "
                          + "; ".join(f"{c} ({r})" for c, r in k.scale_bands)))  # fmt: skip
        rows += [Row((Cell(a), Cell(b or "-"))) for a, b in pairs]
    w.table(
        "Indikator Kinerja Utama (IKU) merupakan ukuran keberhasilan dari tujuan dan sasaran "
        f"strategis perangkat daerah. IKU {agency} tahun {data.year} beserta definisi "
        "operasional, formulasi perhitungan, sumber data dan skala nilainya disajikan pada "
        "tabel berikut.",
        f"IKU {agency} tahun {data.year} belum ditetapkan dalam Kinerja.",
        "Indikator Kinerja Utama", (agency,), ("32mm", "1fr"), (_head("Uraian", "Keterangan"),),
        rows, breakable=True,
    )  # fmt: skip


def _agreement_tables(w: _Writer, data: QuarterlyReport) -> None:
    year = data.year
    rows = [Row((Cell(str(t.number), align="center"), Cell(t.objective), Cell(t.indicator),
                 _num(_n(t.target, t.decimals)), Cell(t.unit)))
            for t in data.agreement_targets]  # fmt: skip
    w.table(
        f"Perjanjian Kinerja (PK) tahun {year} memuat sasaran strategis, indikator kinerja dan "
        "target yang diperjanjikan, serta program, kegiatan dan sub kegiatan beserta "
        "anggarannya, sebagaimana disajikan pada tabel berikut.",
        f"Perjanjian Kinerja tahun {year} belum dicatat.",
        f"Sasaran Strategis, Indikator dan Target Perjanjian Kinerja Tahun {year}", (),
        ("8mm", "1.3fr", "1fr", "fit", "16mm"),
        (_head("No", "Sasaran Strategis", "Indikator Kinerja", "Target", "Satuan"),), rows,
    )  # fmt: skip
    rows, serving, total, programs = [], None, Decimal(0), 0
    for line in data.agreement_lines:
        if line.level == "program" and line.serves and line.serves != serving:
            serving = line.serves
            rows.append(Row((Cell("Menunjang: " + serving, bold=True, colspan=5),), "group"))
        if line.level == "program":
            programs += 1
            total += line.budget or 0
        program = line.level == "program"
        rows.append(Row((
            Cell(line.name, bold=line.level != "sub_kegiatan"), Cell(line.indicator),
            _num(_n(line.target)), Cell(line.unit), _num(format_number(line.budget), bold=program),
        ), line.level))  # fmt: skip
    if programs:
        rows.append(Row((Cell("Jumlah pagu program", bold=True, colspan=4),
                         _num(format_number(total), bold=True)), "total"))  # fmt: skip
    w.table(
        "Program, kegiatan dan sub kegiatan yang menunjang sasaran strategis beserta pagu "
        "anggarannya adalah sebagai berikut.",
        f"Program, kegiatan dan sub kegiatan Perjanjian Kinerja tahun {year} belum dicatat.",
        f"Program, Kegiatan dan Sub Kegiatan Perjanjian Kinerja Tahun {year}", (),
        ("1.25fr", "1fr", "fit", "15mm", "fit"),
        (_head("Program / Kegiatan / Sub Kegiatan", "Indikator Kinerja", "Target", "Satuan",
               "Pagu (Rp)"),), rows,
    )  # fmt: skip


def _bab_3(w: _Writer, data: QuarterlyReport) -> None:
    q, year, agency = data.quarter_roman, data.year, data.agency
    w.chapter("AKUNTABILITAS KINERJA")
    w.par(
        "Akuntabilitas kinerja adalah kewajiban menjawab secara transparan keberhasilan atau "
        "kegagalan pelaksanaan tugas kepada pihak yang berwenang. Sesuai Peraturan Presiden "
        "Nomor 29 Tahun 2014 tentang SAKIP dan Peraturan Menteri PANRB Nomor 53 Tahun 2014, "
        "pengukuran kinerja membandingkan realisasi dengan target setiap indikator tujuan dan "
        "sasaran strategis dalam Renstra" + (f" {data.plan_period}" if data.plan_period else "")
        + f" dan Perjanjian Kinerja tahun {year}."
    )  # fmt: skip
    scale = [Row((Cell(str(i), align="center"), Cell(c), Cell(r)))
             for i, (c, r) in enumerate(data.predikat_scale, start=1)]  # fmt: skip
    w.table(
        "Capaian kinerja dinyatakan dalam persen (realisasi dibandingkan target) dan "
        "dikelompokkan dalam predikat berikut, dengan x = capaian (%):",
        "Capaian kinerja dinyatakan dalam persen (realisasi dibandingkan target).",
        "Predikat Capaian Kinerja", (), ("9mm", "1fr", "1fr"),
        (_head("No", "Predikat", "Capaian (%)"),), scale, numbered=False, width="95mm",
    )  # fmt: skip

    w.section("Capaian Indikator Kinerja Utama")
    rows = []
    for a in data.achievements:
        category = Cell(a.rating or "-", bold=bool(a.value_category),
                        note=(f"kategori nilai: {a.value_category}"
                              + (f" (skala {a.value_scale})" if a.value_scale else ""))
                        if a.value_category else "")  # fmt: skip
        realisation = _n(a.realisation, a.decimals)
        rows.append(Row((
            Cell(str(a.number), align="center"), Cell(a.statement), Cell(a.indicator),
            _num(_n(a.target, a.decimals)),
            Cell(realisation, align="right", number=True, note=a.as_of),
            _num(_pct(a.achievement)), category, Cell(a.source or "-"),
        )))  # fmt: skip
        if a.derived_rule:
            rows.append(Row((Cell(
                f"Pembanding: nilai dari formulir evaluasi ({a.derived_rule}): "
                f"{format_number(a.derived_value, 2)}, di samping realisasi yang dilaporkan "
                f"{realisation}.", colspan=8),), "note"))  # fmt: skip
    w.table(
        f"Hasil pengukuran atas indikator kinerja utama {agency} triwulan {q} tahun {year} "
        "adalah sebagai berikut.",
        f"{agency} belum menetapkan IKU untuk tahun {year}.",
        "Capaian Indikator Kinerja Utama (IKU)", (agency, f"Triwulan {q} Tahun {year}"),
        ("6mm", "1fr", "1fr", "fit", "fit", "fit", "25mm", "22mm"),
        (_head("No", "Tujuan / Sasaran", "Indikator Kinerja", "Target", "Realisasi",
               "Capaian (%)", "Kategori", "Sumber Data"),), rows,
        note="Kategori: predikat capaian (persentase capaian terhadap target) menurut skala di "
        "atas; di bawahnya kategori nilai realisasi itu sendiri pada skala indikatornya. "
        "Keduanya dapat berbeda karena skalanya berbeda.",
    )  # fmt: skip
    paragraphs = [a.paragraph for a in data.achievements if a.paragraph]
    if paragraphs:
        w.par("Berdasarkan tabel di atas dapat dijelaskan sebagai berikut:")
        w.items(paragraphs, "a.")
    w.figure(data.charts[0] if data.charts else None)

    w.section("Realisasi Anggaran")
    _budget_table(w, data)
    w.figure(data.charts[1] if len(data.charts) > 1 else None)

    w.section("Capaian Rencana Aksi")
    rows = [Row((Cell(p.code, number=True), Cell(p.name), _num(_n(p.target)), _num(_n(p.realised)),
                 Cell(p.unit), _num(_pct(p.achievement)), Cell(p.rating or "-")))
            for p in data.action_plan]  # fmt: skip
    w.table(
        f"Capaian program, kegiatan dan sub kegiatan terhadap target rencana aksi triwulan {q} "
        f"tahun {year} adalah sebagai berikut.",
        f"Rencana aksi triwulan {q} tahun {year} belum memuat target kinerja per program, "
        "kegiatan atau sub kegiatan, sehingga capaian terhadap target rencana aksi belum dapat "
        "disajikan.",
        f"Capaian terhadap Target Rencana Aksi Triwulan {q} Tahun {year}", (),
        ("fit", "1fr", "fit", "fit", "16mm", "fit", "17mm"),
        (_head("Kode", "Program / Kegiatan / Sub Kegiatan", "Target", "Realisasi", "Satuan",
               "Capaian (%)", "Predikat"),), rows,
    )  # fmt: skip

    w.section("Faktor Pendukung dan Penghambat Capaian Kinerja")
    _factor_table(w, data.factors_by_indicator, "Indikator Kinerja", "indikator sasaran",
                  "Indikator Sasaran", f"Triwulan {q} Tahun {year}", "per indikator")  # fmt: skip
    _factor_table(w, data.factors_by_program, "Program", "program", "Program",
                  f"Triwulan {q} Tahun {year}", "per program")  # fmt: skip

    w.section("Rekomendasi Tindak Lanjut")
    if data.recommendations:
        w.par("Sehubungan dengan permasalahan dan faktor penghambat yang masih ditemui pada "
              f"triwulan {q} tahun {year}, direkomendasikan:")  # fmt: skip
        w.items(data.recommendations, "a.")
    else:
        w.par(f"Tidak ada rekomendasi tindak lanjut yang dicatat untuk triwulan {q} tahun "
              f"{year}.")  # fmt: skip


def _budget_table(w: _Writer, data: QuarterlyReport) -> None:
    q, year, agency, basis = data.quarter_roman, data.year, data.agency, data.budget_basis
    rows, current = [], None
    for b in data.budget:
        values = (b.budget, b.cash_plan, b.realised)
        if b.number is None:
            rows.append(Row((Cell(b.program, bold=True, colspan=2),
                             *(_num(format_number(v), bold=True) for v in values),
                             _num(_pct(b.pct_of_plan), bold=True),
                             _num(_pct(b.pct_of_budget), bold=True)), "total"))  # fmt: skip
            continue
        if b.objective != current:
            current = b.objective
            rows.append(Row((Cell("Sasaran: " + (b.objective or
                                                 "(program belum dikaitkan dengan sasaran)"),
                                  bold=bool(b.objective), colspan=7),), "group"))  # fmt: skip
        rows.append(Row((
            Cell(str(b.number), align="center"),
            Cell(b.program, note=("Penanggung jawab: " + "; ".join(_items(b.responsible)))
                 if b.responsible else ""),
            *(_num(format_number(v)) for v in values),
            _num(_pct(b.pct_of_plan)), _num(_pct(b.pct_of_budget)),
        )))  # fmt: skip
    programs = [b for b in data.budget if b.number is not None]
    w.table(
        f"Realisasi anggaran program {agency} triwulan {q} tahun {year} dibandingkan dengan "
        "rencana anggaran kas dan dengan pagu anggaran adalah sebagai berikut.",
        f"{agency} belum memiliki program dengan pagu anggaran tahun {year}.",
        "Realisasi Anggaran Sasaran dan Program", (agency, f"Triwulan {q} Tahun {year}"),
        ("6mm", "1fr", "fit", "fit", "fit", "fit", "fit"),
        (_head("No", "Program", "Pagu anggaran (Rp)", f"Rencana anggaran kas {basis} (Rp)",
               f"Realisasi {basis} (Rp)", "% terhadap rencana kas", "% terhadap pagu"),),
        rows if programs else [],
        note=f"% terhadap rencana kas = realisasi {basis} ÷ rencana anggaran kas {basis} × 100; "
        f"-: rencana anggaran kas {basis} belum lengkap, rasionya tidak dihitung. % terhadap "
        f"pagu = realisasi {basis} ÷ pagu anggaran tahun {year} × 100.",
    )  # fmt: skip


def _factor_table(w: _Writer, lines: tuple[FactorLine, ...], subject: str, by: str,
                  by_title: str, period: str, empty: str) -> None:  # fmt: skip
    rows = [Row((Cell(str(i), align="center"), Cell(f.subject),
                 Cell(items=f.supporting or ("-",)), Cell(items=f.inhibiting or ("-",)),
                 Cell(items=_items(f.responsible) or ("-",))))
            for i, f in enumerate(lines, start=1)]  # fmt: skip
    w.table(
        f"Faktor pendukung dan faktor penghambat realisasi capaian kinerja berdasarkan {by} "
        "adalah sebagai berikut.",
        f"Belum ada faktor pendukung atau penghambat yang dicatat {empty}.",
        f"Faktor Pendukung dan Penghambat Capaian Kinerja berdasarkan {by_title}",
        (period,), ("7mm", "1fr", "1.5fr", "1.1fr", "1fr"),
        (_head("No", subject, "Faktor Pendukung", "Faktor Penghambat", "Penanggung Jawab"),),
        rows, breakable=True,
    )  # fmt: skip
