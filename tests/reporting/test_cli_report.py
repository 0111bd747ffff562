import pytest

from kinerja.cli import main

pytestmark = pytest.mark.django_db


def test_report_writes_each_format_with_a_progress_bar(capsys, agency, tmp_path):
    code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
                 "--format", "xlsx,pdf", "--output", str(tmp_path)])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["evaluasi-renja-bkpsdm-2024-tw1.pdf", "evaluasi-renja-bkpsdm-2024-tw1.xlsx"]
    assert out.splitlines() == [str(tmp_path / n) for n in reversed(names)]
    assert "2/2 selesai evaluasi-renja-bkpsdm-2024-tw1.pdf" in err
    assert (tmp_path / names[0]).read_bytes().startswith(b"%PDF")
    assert (tmp_path / names[1]).read_bytes().startswith(b"PK")


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (
            ["--format", "docx"],
            "dokumen «form» tidak tersedia dalam format «docx» (tersedia: pdf, xlsx)",
        ),
        (["--document", "lkjip", "--format", "pdf"], "dokumen «lkjip» tidak tersedia"),
        (["--quarter", "5"], "--quarter harus 1, 2, 3 atau 4"),
    ],
)
def test_report_refuses_what_it_cannot_make_with_exit_2(capsys, agency, tmp_path, argv, words):
    base = {"--agency": "bkpsdm-sumenep", "--year": "2024", "--quarter": "1",
            "--output": str(tmp_path)}  # fmt: skip
    for i in range(0, len(argv), 2):
        base[argv[i]] = argv[i + 1]
    code = main(["report", *[x for kv in base.items() for x in kv]])
    assert code == 2
    assert words in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_the_database_report_prints_the_sasaran_in_column_2(agency):
    from datetime import date

    from kinerja.reporting.build import build_form_report

    report = build_form_report(agency, year=2024, quarter=1, signed_on=date(2024, 4, 16))
    assert [(r.code, r.objective) for r in report.rows if r.objective] == [
        ("5.03.01", "Meningkatnya Capaian Kinerja Perangkat Daerah"),
        ("5.03.02", "Meningkatnya Kualitas Kinerja dan Kompetensi ASN di Lingkungan Pemerintah "
                    "Kabupaten Sumenep"),
    ]  # fmt: skip
    assert report.signature.place == "Sumenep"
    assert report.signature.title.startswith("Kepala Badan Kepegawaian")
    assert report.supporting[0].startswith("Data kepegawaian dikelola online")


def test_report_on_a4_paper(agency, tmp_path, capsys):
    import openpyxl
    import pdfplumber

    code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
                 "--paper", "a4", "--output", str(tmp_path)])  # fmt: skip
    assert code == 0
    book = openpyxl.load_workbook(tmp_path / "evaluasi-renja-bkpsdm-2024-tw1.xlsx")
    assert book["Formulir"].page_setup.paperSize == 9
    with pdfplumber.open(tmp_path / "evaluasi-renja-bkpsdm-2024-tw1.pdf") as pdf:
        page = pdf.pages[0]
        assert (round(page.width), round(page.height)) == (842, 595)  # A4 landscape


def test_the_whole_quarterly_report_and_the_pk_from_the_command_line(agency, tmp_path, capsys):
    import docx
    import openpyxl

    from kinerja.planning.models import Agency
    from kinerja.reporting.data import data_hash
    from kinerja.reporting.generate import build_report

    for document, formats in (("laporan", "docx,pdf,xlsx"), ("pk", "docx,pdf")):
        code = main(["report", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter", "1",
                     "--document", document, "--format", formats, "--output", str(tmp_path)])  # fmt: skip
        assert code == 0, capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "laporan-kinerja-bkpsdm-2024-tw1.docx",
        "laporan-kinerja-bkpsdm-2024-tw1.pdf",
        "laporan-kinerja-bkpsdm-2024-tw1.xlsx",
        "perjanjian-kinerja-bkpsdm-2024.docx",  # a PK is annual: named by year only
        "perjanjian-kinerja-bkpsdm-2024.pdf",
    ]
    from datetime import date

    from django.utils import timezone

    # the command builds as build_report does: an approved quarter dated the day it was approved
    report = build_report("laporan", Agency.objects.get(slug="bkpsdm-sumenep"), year=2024,
                          quarter=1, signed_on=timezone.localdate())  # fmt: skip
    assert report.signature.signed_on == date(2024, 4, 16)
    digest = data_hash(report)
    props = docx.Document(tmp_path / "laporan-kinerja-bkpsdm-2024-tw1.docx").core_properties
    assert digest in props.keywords
    book = openpyxl.load_workbook(tmp_path / "laporan-kinerja-bkpsdm-2024-tw1.xlsx")
    assert {p.name: p.value for p in book.custom_doc_props.props}["kinerja_data_sha256"] == digest
