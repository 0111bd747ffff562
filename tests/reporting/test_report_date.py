"""The date a quarter's documents are signed: by default the approval date once approved, else
the reporting period's closing date; set by the agency's operator on the quarter page while the
quarter is editable, or for one run by ``kinerja report --tanggal``; frozen with the approved
snapshot. Printed as "Sumenep, 1 Juli 2024". The PK is annual: no --quarter, named by year.

The seed: TW I 2024 approved on 16 April 2024, TW II 2024 a draft whose period runs from
1 to 31 July 2024 (tests/conftest.py)."""

import io
import subprocess
from datetime import date

import docx
import openpyxl
import pytest
from django.urls import reverse

from kinerja.cli import main
from kinerja.monitoring import workflow
from kinerja.monitoring.models import QuarterSubmission
from kinerja.reporting.dates import place_and_date
from kinerja.reporting.generate import build_report, report_date
from kinerja.seed import SEED_OVERRIDE

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)  # a day of generation that must never reach a signed page


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          check=True).stdout.decode()  # fmt: skip


def _docx_text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _xlsx_text(path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)  # fmt: skip


def _quarter_url(name, agency, quarter):
    return reverse(name, kwargs={"agency": agency.slug, "year": 2024, "quarter": quarter})


# ---- the defaults -----------------------------------------------------------------------


def test_an_approved_quarter_is_dated_the_day_it_was_approved(agency):
    assert report_date(agency, year=2024, quarter=1, today=TODAY) == date(2024, 4, 16)
    report = build_report("laporan", agency, year=2024, quarter=1, today=TODAY)
    assert report.signature.signed_on == date(2024, 4, 16)


def test_a_draft_quarter_is_dated_the_close_of_its_reporting_period(agency):
    assert report_date(agency, year=2024, quarter=2, today=TODAY) == date(2024, 7, 31)
    assert build_report("form", agency, year=2024, quarter=2, today=TODAY).signature.signed_on \
        == date(2024, 7, 31)  # fmt: skip


def test_a_quarter_without_a_period_is_dated_today(agency):
    assert report_date(agency, year=2024, quarter=3, today=TODAY) == TODAY


def test_one_helper_writes_place_and_date_with_ordinary_spaces():
    assert place_and_date("Sumenep", date(2024, 4, 16)) == "Sumenep, 16 April 2024"
    assert place_and_date("Sumenep", date(2024, 7, 1)) == "Sumenep, 1 Juli 2024"
    assert "\u00a0" not in place_and_date("Kepulauan\u00a0Seribu", date(2024, 12, 31))


# ---- set on the quarter page ------------------------------------------------------------


def test_the_operator_sets_the_date_on_the_quarter_page(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    page = client.get(_quarter_url("web:quarter", agency, 2)).content.decode()
    assert "31 Juli 2024" in page and 'name="report_date"' in page
    response = client.post(_quarter_url("web:report_date", agency, 2),
                           {"report_date": "2024-07-01"}, follow=True)  # fmt: skip
    page = response.content.decode()
    assert "Tanggal laporan disimpan." in page
    assert "<strong>1 Juli 2024</strong>" in page
    assert QuarterSubmission.objects.get(agency=agency, year=2024, quarter=2).report_date \
        == date(2024, 7, 1)  # fmt: skip
    report = build_report("laporan", agency, year=2024, quarter=2, today=TODAY)
    assert report.signature.signed_on == date(2024, 7, 1)
    # an empty date goes back to the default
    client.post(_quarter_url("web:report_date", agency, 2), {"report_date": ""})
    assert report_date(agency, year=2024, quarter=2, today=TODAY) == date(2024, 7, 31)


@pytest.mark.parametrize("role", ["verifikator", "pimpinan", "admin", "evaluator"])
def test_no_one_but_the_operator_sets_the_date(client, demo_users, agency, role):
    client.force_login(demo_users[role])
    response = client.post(_quarter_url("web:report_date", agency, 2),
                           {"report_date": "2024-07-01"})  # fmt: skip
    assert response.status_code == 403
    assert QuarterSubmission.objects.get(agency=agency, year=2024, quarter=2).report_date is None
    page = client.get(_quarter_url("web:quarter", agency, 2)).content.decode()
    assert 'name="report_date"' not in page


def test_the_domain_function_refuses_others_in_indonesian(demo_users, agency):
    with pytest.raises(workflow.WorkflowRefused, match="Hanya operator .* tanggal laporan"):
        workflow.set_report_date(user=demo_users["pimpinan"], agency=agency, year=2024,
                                 quarter=2, on=date(2024, 7, 1))  # fmt: skip


@pytest.mark.parametrize(
    ("quarter", "value", "words"),
    [
        (1, "2024-04-20", "berstatus Disahkan; tanggal laporannya hanya dapat diubah"),
        (2, "2030-01-01", "di luar rentang yang diterima"),
        (2, "1 Juli 2024", "bukan tanggal"),
    ],
)
def test_a_refused_date_is_told_in_indonesian_and_nothing_changes(client, demo_users, agency,
                                                                   quarter, value, words):  # fmt: skip
    client.force_login(demo_users["operator"])
    response = client.post(_quarter_url("web:report_date", agency, quarter),
                           {"report_date": value}, follow=True)  # fmt: skip
    assert words in response.content.decode()
    assert QuarterSubmission.objects.get(agency=agency, year=2024, quarter=quarter).report_date \
        is None  # fmt: skip
    expected = date(2024, 4, 16) if quarter == 1 else date(2024, 7, 31)
    assert report_date(agency, year=2024, quarter=quarter, today=TODAY) == expected


def test_the_approved_page_shows_the_date_without_a_form(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    page = client.get(_quarter_url("web:quarter", agency, 1)).content.decode()
    assert "<strong>16 April 2024</strong>" in page
    assert 'name="report_date"' not in page


# ---- frozen with the approval -----------------------------------------------------------


def test_the_approved_snapshot_keeps_the_date(demo_users, agency):
    users = demo_users
    workflow.set_report_date(user=users["operator"], agency=agency, year=2024, quarter=2,
                             on=date(2024, 7, 10))  # fmt: skip
    workflow.submit_quarter(user=users["operator"], agency=agency, year=2024, quarter=2,
                            today=date(2024, 7, 5))  # fmt: skip
    workflow.verify_quarter(user=users["verifikator"], agency=agency, year=2024, quarter=2)
    workflow.approve_quarter(user=users["pimpinan"], agency=agency, year=2024, quarter=2,
                             reason=SEED_OVERRIDE)  # the seed's Rp sums block  # fmt: skip
    # a change behind the workflow's back does not reach the approved quarter's documents
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=2).update(
        report_date=date(2024, 7, 20)
    )
    assert report_date(agency, year=2024, quarter=2, today=TODAY) == date(2024, 7, 10)
    for document in ("form", "laporan"):
        report = build_report(document, agency, year=2024, quarter=2, today=TODAY,
                              signed_on=date(2024, 7, 25))  # fmt: skip
        assert report.signature.signed_on == date(2024, 7, 10)
    with pytest.raises(workflow.WorkflowRefused, match="Disahkan"):
        workflow.set_report_date(user=users["operator"], agency=agency, year=2024, quarter=2,
                                 on=date(2024, 7, 11))  # fmt: skip
    # reopened, the quarter reads its live date again
    workflow.reopen_quarter(user=users["admin"], agency=agency, year=2024, quarter=2,
                            reason="Tanggal laporan salah.")  # fmt: skip
    assert report_date(agency, year=2024, quarter=2, today=TODAY) == date(2024, 7, 20)


# ---- the command line -------------------------------------------------------------------


def test_tanggal_lands_in_the_visible_text_of_pdf_docx_and_xlsx(capsys, agency, tmp_path):
    code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "2",
                 "--document", "laporan", "--format", "docx,pdf,xlsx", "--tanggal", "2024-07-01",
                 "--output", str(tmp_path)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    files = {p.suffix: p for p in tmp_path.iterdir()}
    assert set(files) == {".docx", ".pdf", ".xlsx"}
    texts = {
        ".pdf": _pdf_text(files[".pdf"]),
        ".docx": _docx_text(files[".docx"]),
        ".xlsx": _xlsx_text(files[".xlsx"]),
    }
    for suffix, text in texts.items():
        assert "Sumenep, 1 Juli 2024" in text, suffix
        assert "Desember 2026" not in text, suffix  # not the day of generation
        assert "\u00a0" not in text.split("Sumenep,")[1][:20], suffix
    # the quarter's own date is untouched: --tanggal dates this run only
    assert report_date(agency, year=2024, quarter=2, today=TODAY) == date(2024, 7, 31)


def test_the_seed_tw1_prints_16_april_2024_in_pdf_and_docx(capsys, agency, tmp_path):
    for document, formats in (("laporan", "docx,pdf"), ("form", "pdf,xlsx")):
        code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
                     "--document", document, "--format", formats, "--output", str(tmp_path)])  # fmt: skip
        assert code == 0, capsys.readouterr().err
    for path in tmp_path.iterdir():
        text = {".pdf": _pdf_text, ".docx": _docx_text, ".xlsx": _xlsx_text}[path.suffix](path)
        assert "Sumenep, 16 April 2024" in text, path.name


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--quarter", "2", "--tanggal", "2024-02-30"], "--tanggal «2024-02-30» bukan tanggal"),
        (["--quarter", "2", "--tanggal", "2030-07-01"], "di luar rentang yang diterima"),
        (
            ["--quarter", "1", "--tanggal", "2024-04-20"],
            "Triwulan I 2024 sudah disahkan dengan tanggal laporan 16 April 2024",
        ),
        (["--document", "form"], "sebutkan --quarter"),
    ],
)
def test_a_bad_tanggal_is_refused_with_exit_2(capsys, agency, tmp_path, argv, words):
    code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", *argv,
                 "--output", str(tmp_path)])  # fmt: skip
    assert code == 2
    assert words in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_pk_needs_no_quarter_and_is_named_by_year(capsys, agency, tmp_path):
    code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--document", "pk",
                 "--format", "pdf,docx", "--output", str(tmp_path)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "perjanjian-kinerja-bkpsdm-2024.docx",
        "perjanjian-kinerja-bkpsdm-2024.pdf",
    ]
    # the PK carries its own signing date (the demo's example: 31 January 2024)
    assert "Sumenep, 31 Januari 2024" in _pdf_text(tmp_path / "perjanjian-kinerja-bkpsdm-2024.pdf")
    assert "Sumenep, 31 Januari 2024" in _docx_text(
        io.BytesIO((tmp_path / "perjanjian-kinerja-bkpsdm-2024.docx").read_bytes())
    )


def test_the_pk_carries_its_own_signing_date(capsys, agency, tmp_path):
    from kinerja.planning.models import PerformanceAgreement

    PerformanceAgreement.objects.filter(agency=agency, year=2024).update(signed_on=date(2024, 2, 5))
    # TW II, a draft, reads the live agreement (TW I's snapshot froze it without a date)
    code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--document", "pk",
                 "--quarter", "2", "--format", "pdf", "--output", str(tmp_path)])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    (pdf,) = tmp_path.iterdir()  # a draft quarter's PK may carry a draft mark in its name
    assert pdf.name.startswith("perjanjian-kinerja-bkpsdm-2024")
    assert "Sumenep, 5 Februari 2024" in _pdf_text(pdf)
