"""The PK is a draft while its agreement has no signing date (DRAF on every page of the PDF and
the Word file, and in the file name) and signs at the agreement's own place; the quarter's
input keeps the Tujuan, the place and the findings-appendix choice, and an input frozen before
them loads with its hash; the opt-in appendix "LAMPIRAN: TEMUAN PEMERIKSAAN" closes the laporan
in PDF, Word and Excel with the Lembar Pemeriksaan's items in words — never for an agency that
has not opted in (the demo)."""

import io
from dataclasses import replace
from datetime import date

import docx
import openpyxl
import pdfplumber
import pytest
from docx.enum.section import WD_ORIENT

from kinerja.core.evaluation import evaluate_form
from kinerja.monitoring.queries import form_from_input
from kinerja.planning.models import Agency, Goal, PerformanceAgreement
from kinerja.record import capture
from kinerja.record.snapshots import quarter_input
from kinerja.reporting import build_laporan
from kinerja.reporting.build_laporan import (
    appendix_findings,
    build_agreement_report,
    build_quarterly_report,
)
from kinerja.reporting.checklist import TITLES
from kinerja.reporting.document import FINDINGS_HEADING, laporan_document
from kinerja.reporting.generate import filename_for
from kinerja.reporting.renderers import Provenance, renderer_for

pytestmark = pytest.mark.django_db
PROVENANCE = Provenance(data_hash="0" * 64, template_hash="1" * 64)


def render(report, fmt: str) -> bytes:
    return renderer_for(report.document, fmt).render(report, provenance=PROVENANCE)


def pdf_pages(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _agency():
    return Agency.objects.select_related("government").get(slug="bkpsdm-sumenep")


# ---- the PK's signing date and place --------------------------------------------------------


@pytest.fixture
def unsigned_pk(monkeypatch):
    """The PK of the approved TW I as if its agreement had no signing date."""
    original = build_laporan.quarter_input

    def without_date(agency, *, year, quarter):
        return replace(original(agency, year=year, quarter=quarter), agreement_signed_on=None)

    monkeypatch.setattr(build_laporan, "quarter_input", without_date)
    return build_agreement_report(_agency(), year=2024, quarter=1, signed_on=date(2024, 4, 16))


def test_an_approved_quarters_pk_with_its_signing_date_is_final(agreement_report):
    assert agreement_report.draft is False
    assert agreement_report.first_party.signed_on == date(2024, 1, 31)
    assert agreement_report.first_party.place == "Sumenep"  # the agreement's own place


def test_a_pk_without_a_signing_date_is_a_draft_named_so(unsigned_pk):
    assert unsigned_pk.draft is True
    assert filename_for(unsigned_pk, "pdf") == "perjanjian-kinerja-bkpsdm-2024-draf.pdf"
    assert filename_for(unsigned_pk, "docx").endswith("-2024-draf.docx")


def test_every_page_of_an_unsigned_pks_pdf_says_draf(unsigned_pk, agreement_report):
    pages = pdf_pages(render(unsigned_pk, "pdf"))
    assert pages
    assert [i for i, text in enumerate(pages, 1) if "DRAF" not in text] == []
    assert not any("DRAF" in text for text in pdf_pages(render(agreement_report, "pdf")))


def test_every_header_of_an_unsigned_pks_word_file_says_draf(unsigned_pk, agreement_report):
    def headers(content):
        d = docx.Document(io.BytesIO(content))
        return [" ".join(p.text for p in s.header.paragraphs) for s in d.sections]

    assert [h for h in headers(render(unsigned_pk, "docx")) if "DRAF" not in h] == []
    assert not any("DRAF" in h for h in headers(render(agreement_report, "docx")))


def test_the_pk_signs_at_the_agreements_place(agency):
    PerformanceAgreement.objects.filter(agency=agency, year=2024).update(place="Kalianget")
    report = build_agreement_report(_agency(), year=2024, quarter=2, signed_on=date(2024, 7, 1))
    assert (report.first_party.place, report.second_party.place) == ("Kalianget", "Kalianget")
    text = "\n".join(pdf_pages(render(report, "pdf")))
    assert "Kalianget, 31 Januari 2024" in text


# ---- what the quarter's input keeps ----------------------------------------------------------


def test_the_input_keeps_the_tujuan_place_and_choice_and_an_older_input_loads_with_its_hash(
    agency,
):
    Agency.objects.filter(pk=agency.pk).update(findings_appendix=True)
    inp = capture.capture(agency.pk, year=2024, quarter=2)
    assert [(g.number, g.narrative.split()[:3]) for g in inp.goals] == [
        (1, ["Melalui", "tujuan", "ini"]), (2, ["Tujuan", "yang", "kedua"])]  # fmt: skip
    assert (inp.agreement_place, inp.findings_appendix) == ("Sumenep", True)
    data = capture.to_json(inp)
    assert capture.from_json(data) == inp
    older = {k: v for k, v in data.items()
             if k not in ("goals", "agreement_place", "findings_appendix")}  # fmt: skip
    read = capture.from_json(older)
    assert (read.goals, read.agreement_place, read.findings_appendix) == ((), "", False)
    assert capture.to_json(read) == older  # so its hash is the one it was frozen with
    Goal.objects.filter(plan__agency=agency).update(narrative="")
    Agency.objects.filter(pk=agency.pk).update(findings_appendix=False)
    assert "goals" not in capture.to_json(capture.capture(agency.pk, year=2024, quarter=2))


def test_an_approved_quarter_prints_the_tujuan_it_was_approved_with(agency):
    Goal.objects.filter(plan__agency=agency, number=1).update(narrative="Teks baru.")
    frozen = build_quarterly_report(_agency(), year=2024, quarter=1, signed_on=date(2024, 4, 16))
    assert frozen.goal_texts[0][1].startswith("Melalui tujuan ini")
    live = build_quarterly_report(_agency(), year=2024, quarter=2, signed_on=date(2024, 7, 1))
    assert live.goal_texts[0] == (
        "Tujuan 1 “Terwujudnya Profesionalisme Aparatur Sipil Negara Pemerintah Daerah”",
        "Teks baru.",
    )


# ---- the opt-in findings appendix ---------------------------------------------------------


def test_the_demo_prints_no_findings_appendix(quarterly_report):
    assert quarterly_report.findings_appendix is False
    doc = laporan_document(quarterly_report)
    assert doc.annex == ()
    assert doc.headings()[-1].label == "LAMPIRAN"


def test_an_agency_that_opts_in_gets_the_checklists_items_in_its_draft_report(agency):
    Agency.objects.filter(pk=agency.pk).update(findings_appendix=True)
    report = build_quarterly_report(_agency(), year=2024, quarter=2, signed_on=date(2024, 7, 1))
    assert report.findings_appendix is True
    assert len(report.appendix_findings) > 10
    findings = [f.finding for f in report.appendix_findings]
    assert any(f.startswith("Induk tidak sama dengan jumlah rinciannya") for f in findings)
    assert any("mundur: 2024 0,70 → 2025 0,60" in f for f in findings)  # declared decimals
    assert not any(rule in " ".join(findings) for rule in TITLES)
    # an approved quarter keeps the choice it was approved with (the seed: none)
    frozen = build_quarterly_report(_agency(), year=2024, quarter=1, signed_on=date(2024, 4, 16))
    assert frozen.findings_appendix is False


@pytest.fixture(scope="module")
def with_appendix(quarterly_report, django_db_blocker):
    """The seed's TW I report as an agency that opted in would print it."""
    with django_db_blocker.unblock():
        inp = quarter_input(_agency(), year=2024, quarter=1)
    found = appendix_findings(inp, evaluate_form(form_from_input(inp)))
    return replace(quarterly_report, findings_appendix=True, appendix_findings=found)


def test_the_appendix_is_the_last_part_of_the_model_with_one_row_per_item(with_appendix):
    doc = laporan_document(with_appendix)
    assert [h.label for h in doc.headings()][-2:] == ["LAMPIRAN", FINDINGS_HEADING]
    assert doc.contents()[-1].label == FINDINGS_HEADING  # in the Daftar Isi too
    table = doc.annex[-1]
    assert len(table.rows) == len(with_appendix.appendix_findings) > 10
    assert [c.text for c in table.header[0].cells] == ["No", "Tingkat", "Baris", "Temuan",
                                                       "Tindakan"]  # fmt: skip


def test_the_pdf_ends_with_the_appendix_after_the_form(with_appendix):
    pages = pdf_pages(render(with_appendix, "pdf"))
    first = max(i for i, text in enumerate(pages) if FINDINGS_HEADING in text)  # not the TOC
    form = max(i for i, text in enumerate(pages) if "Rata-rata capaian kinerja" in text)
    assert form < first
    tail = " ".join(" ".join(pages[first:]).split())
    words = tail.split()  # the table's narrow columns interleave their lines
    assert words.count("Kesalahan") + words.count("Peringatan") == len(
        with_appendix.appendix_findings)  # fmt: skip
    assert {"Induk", "rinciannya", "Samakan"} <= set(words)
    assert not any(rule in tail for rule in TITLES)


def test_the_word_file_ends_with_the_appendix_on_a_portrait_section(with_appendix):
    d = docx.Document(io.BytesIO(render(with_appendix, "docx")))
    assert d.sections[-1].orientation == WD_ORIENT.PORTRAIT
    assert d.sections[-2].orientation == WD_ORIENT.LANDSCAPE  # the form
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings[-1] == FINDINGS_HEADING
    rows = [[c.text for c in r.cells] for r in d.tables[-1].rows]
    assert len(rows) == len(with_appendix.appendix_findings) + 1
    assert rows[1][1] == "Kesalahan"
    assert not any(rule in " ".join(map(" ".join, rows)) for rule in TITLES)


def test_the_workbook_ends_its_laporan_sheet_with_the_appendix(with_appendix):
    book = openpyxl.load_workbook(io.BytesIO(render(with_appendix, "xlsx")))
    texts = [str(c.value) for row in book["Laporan"].iter_rows() for c in row
             if c.value not in (None, "")]  # fmt: skip
    at = texts.index(FINDINGS_HEADING)
    assert texts.index("LAMPIRAN") < at
    assert "Temuan Pemeriksaan Sebelum Penandatanganan" in texts[at:]
    assert sum(t in ("Kesalahan", "Peringatan") for t in texts[at:]) == len(
        with_appendix.appendix_findings)  # fmt: skip
