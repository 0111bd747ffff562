"""A small, fixed ReportData of each Word document, built in code: what an uploaded template
is test-rendered against before it is kept (``template_check``). It never reads the database,
so whether a template is accepted does not depend on what a pemda has entered.

Every list holds at least one entry and every level of the evaluation form one row, so each
loop of a template runs once; a chart is a 1 × 1 PNG.
"""

from __future__ import annotations

import struct
import zlib
from datetime import date
from decimal import Decimal

from .data import (
    ActionPlanLine,
    AgreementProgramLine,
    AgreementReport,
    AgreementTargetLine,
    BudgetLine,
    Chart,
    FactorLine,
    FindingLine,
    FooterLine,
    FormLine,
    FormReport,
    IkuAchievement,
    IkuSheet,
    Kop,
    KRp,
    QuarterlyReport,
    Signature,
    TargetSeries,
)

D = Decimal
GOVERNMENT = "Pemerintah Kabupaten Contoh"
AGENCY = "Badan Contoh Kabupaten Contoh"
ABBREVIATION = "BC"
HEAD = Signature(place="Contoh", signed_on=date(2024, 4, 16), title="Kepala Badan Contoh",
                 name="Nama Kepala", nip="197001011995031001", rank="Pembina (IV/a)")  # fmt: skip
REGENT = Signature(place="Contoh", signed_on=date(2024, 4, 16), title="Bupati Contoh",
                   name="Nama Bupati")  # fmt: skip


def _png() -> bytes:
    """A 1 × 1 white PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _line(level: str, code: str, name: str, k: str, rp: str) -> FormLine:
    pair = KRp(D(k), D(rp))
    return FormLine(
        id=code, level=level, code=code, name=name, indicator=f"Persentase {name.lower()}",
        unit="%", responsible_unit="Bidang Contoh", polarity="higher", aggregation="last",
        renstra_target=KRp(D(100), D(rp) * 5), renstra_realised_before=KRp(D(40), D(rp) * 2),
        year_target=KRp(D(100), D(rp)), quarters=(pair, KRp(), KRp(), KRp()),
        col13=pair, col14=KRp(D(k), D(100)), col15=KRp(D(40) + D(k), D(rp) * 3),
        col16=KRp(D(40) + D(k), D(60)), explain={}, objective="Meningkatnya layanan contoh",
    )  # fmt: skip


def sample_form() -> FormReport:
    footer = FooterLine(rule="program-average", label="rata-rata baris program", value=D("25"),
                        rating="Sangat Rendah", explain="", row_ids=("5.01",))  # fmt: skip
    return FormReport(
        government=GOVERNMENT, agency=AGENCY, agency_abbreviation=ABBREVIATION, year=2024,
        quarter=1,
        rows=(_line("program", "5.01", "Program Contoh", "25", "1000000"),
              _line("kegiatan", "5.01.2.01", "Kegiatan Contoh", "25", "600000"),
              _line("sub_kegiatan", "5.01.2.01.0001", "Sub Kegiatan Contoh", "25", "400000")),
        footer_k=footer, footer_rp=footer,
        findings=(FindingLine(rule="contoh", severity="warning", row="5.01",
                              message="Pesan contoh.", label="Aturan contoh"),),
        supporting=("Faktor pendorong contoh.",), inhibiting=("Faktor penghambat contoh.",),
        follow_up=("Tindak lanjut contoh.",), signature=HEAD,
    )  # fmt: skip


def sample_quarterly_report(word_template: bytes | None = None) -> QuarterlyReport:
    form = sample_form()
    return QuarterlyReport(
        government=GOVERNMENT, region="Kabupaten Contoh", agency=AGENCY,
        agency_abbreviation=ABBREVIATION, year=2024, quarter=1, plan_period="2021–2026",
        vision="Contoh yang Unggul", missions=("Misi pertama.", "Misi kedua."),
        supported_mission=1, rpjmd_goal="Tujuan RPJMD contoh",
        rpjmd_objectives=(("Sasaran RPJMD contoh", "Indeks contoh"),),
        foreword=("Kata pengantar contoh.",), background=("Latar belakang contoh.",),
        purposes=("Maksud contoh.",), closing=("Penutup contoh.",),
        targets=(TargetSeries(level="sasaran", number="1.1", statement="Sasaran contoh",
                              indicator="Indeks contoh", unit="indeks",
                              original=((2023, D("70")), (2024, D("75"))),
                              revised=((2023, D("70")), (2024, D("76")))),),
        target_years=(2023, 2024), revision_note="Catatan revisi contoh.",
        iku=(IkuSheet(number=1, level="sasaran", statement="Sasaran contoh",
                      indicator="Indeks contoh", unit="indeks", definition="Definisi contoh",
                      formula="a / b × 100", data_source="Sumber contoh",
                      weights=(("Kualifikasi", 100),), scale_name="Skala contoh",
                      scale_bands=(("Tinggi", "x > 75"),)),),
        agreement_targets=(AgreementTargetLine(number=1, objective="Sasaran contoh",
                                               indicator="Indeks contoh", target=D("0.70"),
                                               unit="indeks"),),
        agreement_lines=(AgreementProgramLine(level="program", name="Program Contoh",
                                              indicator="Persentase contoh", target=D(100),
                                              unit="%", budget=D(1000000)),
                         AgreementProgramLine(level="kegiatan", name="Kegiatan Contoh",
                                              indicator="Persentase contoh", target=D(100),
                                              unit="%", budget=D(600000)),
                         AgreementProgramLine(level="sub_kegiatan", name="Sub Kegiatan Contoh",
                                              indicator="Persentase contoh", target=D(100),
                                              unit="%", budget=D(400000))),
        predikat_scale=(("Sangat Tinggi", "x > 90"), ("Sangat Rendah", "x ≤ 50")),
        achievements=(IkuAchievement(number=1, statement="Sasaran contoh",
                                     indicator="Indeks contoh", unit="indeks", target=D(75),
                                     realisation=D("60.5"), achievement=D("80.67"),
                                     rating="Tinggi", value_category="Sedang",
                                     value_scale="Skala contoh", source="Sumber contoh",
                                     explain="", paragraph="Penjelasan contoh.",
                                     derived_rule="rata-rata", derived_value=D(25)),),
        budget=(BudgetLine(number=1, objective="Sasaran contoh", program="Program Contoh",
                           budget=D(1000000), cash_plan=D(500000), realised=D(400000),
                           pct_of_plan=D(80), pct_of_budget=D(40), responsible="Bidang Contoh",
                           explain_plan="", explain_budget=""),
                BudgetLine(number=None, objective="", program="Jumlah", budget=D(1000000),
                           cash_plan=D(500000), realised=D(400000), pct_of_plan=D(80),
                           pct_of_budget=D(40), responsible="", explain_plan="",
                           explain_budget="")),
        budget_basis="TW I",
        action_plan=(ActionPlanLine(code="5.01.2.01.0001", name="Sub Kegiatan Contoh",
                                    unit="%", target=D(25), realised=D(25), achievement=D(100),
                                    rating="Sangat Tinggi"),),
        factors_by_indicator=(FactorLine(subject="Indeks contoh", supporting=("Pendorong.",),
                                         inhibiting=("Penghambat.",),
                                         responsible="Bidang Contoh"),),
        factors_by_program=(FactorLine(subject="Program Contoh", supporting=("Pendorong.",),
                                       inhibiting=("Penghambat.",),
                                       responsible="Bidang Contoh"),),
        recommendations=("Rekomendasi contoh.",),
        charts=(Chart(title="Capaian contoh", png=_png(), svg=b"<svg/>",
                      description="Grafik contoh."),),
        findings=form.findings, signature=HEAD, form=form, word_template=word_template,
        kop=Kop(GOVERNMENT, AGENCY, "Jalan Contoh 1", "(0000) 000000", "contoh@example.org",
                "https://example.org", _png(), "png"),
    )  # fmt: skip


def sample_agreement_report(word_template: bytes | None = None) -> AgreementReport:
    return AgreementReport(
        government=GOVERNMENT, region="Kabupaten Contoh", agency=AGENCY,
        agency_abbreviation=ABBREVIATION, year=2024, quarter=1,
        paragraphs=("Paragraf perjanjian contoh.",),
        targets=(AgreementTargetLine(number=1, objective="Sasaran contoh",
                                     indicator="Indeks contoh", target=D("0.70"),
                                     unit="indeks"),),
        programs=(AgreementProgramLine(level="program", name="Program Contoh",
                                       indicator="Persentase contoh", target=D(100), unit="%",
                                       budget=D(1000000)),),
        total_budget=D(1000000), first_party=HEAD, second_party=REGENT,
        word_template=word_template,
    )  # fmt: skip


SAMPLES = {"laporan": sample_quarterly_report, "pk": sample_agreement_report}
