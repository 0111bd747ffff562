"""A quarter that is not approved prints "DRAF" on every page of every format and in its file
names; an approved one nowhere. The seed: TW I 2024 approved, TW II 2024 a draft."""

import io
import shutil
import subprocess
from datetime import date

import openpyxl
import pdfplumber
import pytest

from kinerja.reporting.generate import filename_for
from kinerja.reporting.renderers import Provenance, renderer_for

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PROVENANCE = Provenance(data_hash="0" * 64, template_hash="1" * 64)

pytestmark = pytest.mark.django_db


def _reports(django_db_blocker, quarter: int) -> dict:
    from kinerja.planning.models import Agency
    from kinerja.reporting.build import build_form_report
    from kinerja.reporting.build_laporan import build_agreement_report, build_quarterly_report

    signed_on = date(2024, 4, 16) if quarter == 1 else date(2024, 7, 15)
    with django_db_blocker.unblock():
        agency = Agency.objects.select_related("government").get(slug="bkpsdm-sumenep")
        return {
            "form": build_form_report(agency, year=2024, quarter=quarter, signed_on=signed_on),
            "laporan": build_quarterly_report(agency, year=2024, quarter=quarter,
                                              signed_on=signed_on),
            "pk": build_agreement_report(agency, year=2024, quarter=quarter,
                                         signed_on=signed_on),
        }  # fmt: skip


@pytest.fixture(scope="module")
def draft(django_db_setup, django_db_blocker):
    return _reports(django_db_blocker, 2)


@pytest.fixture(scope="module")
def approved(django_db_setup, django_db_blocker):
    return _reports(django_db_blocker, 1)


def render(report, fmt: str) -> bytes:
    return renderer_for(report.document, fmt).render(report, provenance=PROVENANCE)


def pdf_pages(content: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def test_a_quarter_not_approved_is_a_draft_and_an_approved_one_is_not(draft, approved):
    assert {name: r.draft for name, r in draft.items()} == dict.fromkeys(draft, True)
    assert {name: r.draft for name, r in approved.items()} == dict.fromkeys(approved, False)
    assert draft["laporan"].form.draft


def test_a_drafts_file_names_end_in_draf_and_the_approved_names_stay(draft, approved):
    assert filename_for(draft["laporan"], "pdf") == "laporan-kinerja-bkpsdm-2024-tw2-draf.pdf"
    assert filename_for(draft["form"], "xlsx") == "evaluasi-renja-bkpsdm-2024-tw2-draf.xlsx"
    assert filename_for(draft["pk"], "docx").endswith("-draf.docx")
    assert filename_for(approved["laporan"], "pdf") == "laporan-kinerja-bkpsdm-2024-tw1.pdf"
    assert filename_for(approved["form"], "xlsx") == "evaluasi-renja-bkpsdm-2024-tw1.xlsx"
    assert "draf" not in filename_for(approved["pk"], "docx")


@pytest.mark.parametrize("document", ["laporan", "form", "pk"])
def test_every_page_of_a_drafts_pdf_says_draf(draft, approved, document):
    pages = pdf_pages(render(draft[document], "pdf"))
    assert len(pages) > 1 or document != "laporan"
    assert [i for i, text in enumerate(pages, 1) if "DRAF" not in text] == []
    final = pdf_pages(render(approved[document], "pdf"))
    assert [i for i, text in enumerate(final, 1) if "DRAF" in text] == []


@pytest.fixture(scope="module")
def word_pages(draft, approved, tmp_path_factory):
    """Each Word file converted by LibreOffice (one run for all): its pages' text by name."""
    tmp = tmp_path_factory.mktemp("draft-docx")
    names = []
    for state, reports in (("draf", draft), ("sah", approved)):
        for document in ("laporan", "pk"):
            path = tmp / f"{document}-{state}.docx"
            path.write_bytes(render(reports[document], "docx"))
            names.append(path)
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp), *map(str, names)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {p.stem: pdf_pages(p.with_suffix(".pdf").read_bytes()) for p in names}


@pytest.mark.parametrize("document", ["laporan", "pk"])
def test_every_page_of_a_drafts_word_file_says_draf(word_pages, document):
    pages = word_pages[f"{document}-draf"]
    assert pages
    assert [i for i, text in enumerate(pages, 1) if "DRAF" not in text] == []
    final = word_pages[f"{document}-sah"]
    assert [i for i, text in enumerate(final, 1) if "DRAF" in text] == []


def _sheets(content: bytes) -> dict[str, tuple[str, str]]:
    """Per sheet: its print header's centre text and its first cell, A1 (always in view)."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {ws.title: (ws.oddHeader.center.text or "", str(ws["A1"].value)) for ws in book}


@pytest.mark.parametrize("document", ["laporan", "form"])
def test_every_sheet_of_a_drafts_workbook_says_draf_in_its_header_and_first_row(
    draft, approved, document
):
    sheets = _sheets(render(draft[document], "xlsx"))
    # the form is one sheet (its findings are on the Lembar Pemeriksaan); the report has many
    assert len(sheets) > 1 if document == "laporan" else list(sheets) == ["Formulir"]
    assert [name for name, (header, _) in sheets.items() if "DRAF" not in header] == []
    assert [name for name, (_, a1) in sheets.items() if not a1.startswith("DRAF")] == []
    # the sheet's own title stays after the mark
    final = _sheets(render(approved[document], "xlsx"))
    assert {n: a1.removeprefix("DRAF · ") for n, (_, a1) in sheets.items()} == {
        n: a1.replace("TW I ", "TW II ").replace("Triwulan I ", "Triwulan II ")
        for n, (_, a1) in final.items()
    }
    assert [n for n, (header, a1) in final.items() if "DRAF" in header or "DRAF" in a1] == []
