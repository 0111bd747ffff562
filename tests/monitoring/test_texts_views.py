"""IKU realisations and narratives of a quarter, entered through their pages."""

from datetime import date

import pytest

from kinerja.monitoring.models import IndicatorRealisation, Narrative
from kinerja.planning.models import Indicator, WorkItem

pytestmark = pytest.mark.django_db
TW2 = "/isi/bkpsdm-sumenep/2024/tw2/"


@pytest.fixture
def operator(client, demo_users, monkeypatch):
    from kinerja.monitoring import texts_views

    monkeypatch.setattr(texts_views.timezone, "localdate", lambda: date(2024, 7, 1))
    client.force_login(demo_users["operator"])
    return client


def test_an_iku_realisation_is_stored_as_entered_with_its_capaian(operator):
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    response = operator.post(f"{TW2}iku/simpan/", {f"value-{ip_asn.pk}": "61,5",
                             f"measured_on-{ip_asn.pk}": "2024-06-30",
                             f"source-{ip_asn.pk}": "SI-ASN BKN"}, follow=True)  # fmt: skip
    stored = IndicatorRealisation.objects.get(indicator=ip_asn, year=2024, quarter=2)
    assert (str(stored.value), stored.source) == ("61.5", "SI-ASN BKN")
    page = response.content.decode()
    assert "Realisasi IKU disimpan: Indeks Profesionalitas ASN." in page
    assert "73,21 %" in page  # 61,5 / 84


def test_a_malformed_iku_value_is_refused_in_indonesian(operator):
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    response = operator.post(f"{TW2}iku/simpan/", {f"value-{ip_asn.pk}": "61.5"}, follow=True)
    assert "ambigu" in response.content.decode()
    assert not IndicatorRealisation.objects.filter(indicator=ip_asn, quarter=2).exists()


def test_narratives_per_indicator_and_program_one_line_each(operator):
    program = WorkItem.objects.get(code="5.03.02", level="program")
    merit = Indicator.objects.get(name="Indeks Penilaian Sistem Merit")
    operator.post(f"{TW2}narasi/simpan/", {
        f"w{program.pk}-supporting": "Dukungan pimpinan\nAnggaran tersedia",
        f"i{merit.pk}-inhibiting": "Penilaian KASN belum dijadwalkan",
        "a-closing": "Penutup triwulan II.",
    })  # fmt: skip
    texts = list(Narrative.objects.filter(quarter=2).order_by("kind", "position")
                 .values_list("kind", "text"))  # fmt: skip
    assert texts == [
        ("closing", "Penutup triwulan II."),
        ("inhibiting", "Penilaian KASN belum dijadwalkan"),
        ("supporting", "Dukungan pimpinan"),
        ("supporting", "Anggaran tersedia"),
    ]
    page = operator.get(f"{TW2}narasi/").content.decode()
    assert "Dukungan pimpinan\nAnggaran tersedia</textarea>" in page


def test_the_approved_quarter_cannot_be_changed(operator):
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    response = operator.post("/isi/bkpsdm-sumenep/2024/tw1/iku/simpan/",
                             {f"value-{ip_asn.pk}": "70"}, follow=True)  # fmt: skip
    assert "berstatus Disahkan" in response.content.decode()
    assert IndicatorRealisation.objects.get(indicator=ip_asn, quarter=1).value == 59


def test_evidence_files_are_checked_and_stored(operator, settings, tmp_path):
    """The upload page end to end; the hostile files are in tests/security/
    test_evidence_uploads.py, the download in test_evidence.py."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kinerja.monitoring.models import Evidence, Realisation
    from tests.monitoring.evidence_samples import image, pdf

    settings.MEDIA_ROOT = tmp_path
    item = WorkItem.objects.get(code="5.03.02.2.02.0001")
    url = f"{TW2}bukti/{item.pk}/"
    # no realisation yet: nothing to attach to
    page = operator.post(url, {"files": [SimpleUploadedFile("sk.pdf", pdf())]},
                         follow=True).content.decode()  # fmt: skip
    assert "Isi realisasi triwulan ini dulu" in page
    Realisation.objects.create(work_item=item, quarter=2, value_k=1)
    bad = [SimpleUploadedFile("sk.pdf", pdf()), SimpleUploadedFile("virus.exe", b"MZ")]
    page = operator.post(url, {"files": bad}, follow=True).content.decode()
    assert "«virus.exe»: jenis berkas tidak diterima" in page
    assert Evidence.objects.count() == 0  # all or none
    renamed = SimpleUploadedFile("foto.png", pdf())
    page = operator.post(url, {"files": [renamed]}, follow=True).content.decode()
    assert "«foto.png»: isinya bukan berkas PNG." in page
    good = [SimpleUploadedFile("sk.pdf", pdf()), SimpleUploadedFile("foto.png", image("PNG"))]
    page = operator.post(url, {"files": good}, follow=True).content.decode()
    assert "2 berkas bukti diunggah." in page
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "foto.png", "sk.pdf"]  # fmt: skip


def test_evidence_larger_than_10_mb_is_refused():
    from io import BytesIO

    from kinerja.monitoring.domain import EditRefused, check_evidence_file
    from tests.monitoring.evidence_samples import pdf

    with pytest.raises(EditRefused, match="lebih dari 10 MB"):
        check_evidence_file("besar.pdf", BytesIO(b"%PDF"), 10 * 1024 * 1024 + 1)
    assert check_evidence_file("SK.PDF", BytesIO(pdf()), len(pdf())) == ".pdf"


def test_a_refused_iku_save_keeps_everything_typed(operator):
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    response = operator.post(f"{TW2}iku/simpan/", {f"value-{ip_asn.pk}": "61.5",
                             f"source-{ip_asn.pk}": "SI-ASN",
                             f"note-{ip_asn.pk}": "catatan panjang yang diketik"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "ambigu" in page
    assert 'value="61.5"' in page and 'value="SI-ASN"' in page
    assert "catatan panjang yang diketik" in page
    assert not IndicatorRealisation.objects.filter(indicator=ip_asn, quarter=2).exists()


def test_a_refused_narratives_save_keeps_every_text_typed(operator):
    program = WorkItem.objects.get(code="5.03.02", level="program")
    response = operator.post(f"{TW2}narasi/simpan/", {
        f"w{program.pk}-supporting": "Dukungan pimpinan",
        "a-closing": "x" * 5001,  # over the limit: nothing is saved
    })  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and "terlalu panjang" in page
    assert "Dukungan pimpinan</textarea>" in page and "x" * 5001 in page
    assert not Narrative.objects.filter(quarter=2).exists()
