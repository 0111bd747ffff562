"""Hand-built ReportData for renderer tests: from the form files, no database."""

from datetime import date
from pathlib import Path

from kinerja.core import evaluate_form
from kinerja.formfile import load_form
from kinerja.reporting.build import form_report
from kinerja.reporting.data import FormReport, Signature

ROOT = Path(__file__).resolve().parents[2]
SEED_FILE = ROOT / "examples" / "seed-tw1-2024.json"
TW3_FILE = ROOT / "tests" / "fixtures" / "tw3-2025.json"


def form_report_from_file(path: Path = SEED_FILE) -> FormReport:
    return form_report(
        evaluate_form(load_form(str(path))),
        government="Pemerintah Kabupaten Sumenep",
        agency="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sumenep",
        agency_abbreviation="BKPSDM",
        supporting=("Komitmen pimpinan dan kerja sama pegawai.",),
        inhibiting=("Kebijakan pengembangan kompetensi yang masih terbatas.",),
        follow_up=("Percepatan proses pengadaan barang/jasa.",),
        signature=Signature(
            place="Sumenep",
            signed_on=date(2024, 4, 16),
            title="Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            name="Nama Kepala Badan",
            nip="19700101 199503 1 001",
            rank="Pembina Utama Muda (IV/c)",
        ),
    )
