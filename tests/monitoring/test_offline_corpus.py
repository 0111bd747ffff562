"""Bad uploads of the offline workbook (monitoring/offline.py): every file of this corpus,
generated under tmp_path, is refused through the Django client with HTTP 400 and a clear
Indonesian message, and nothing is written."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kinerja.monitoring.models import QuarterSubmission, Realisation, ReportingPeriod
from kinerja.monitoring.offline import write_workbook
from kinerja.planning.models import Agency, WorkItem

pytestmark = pytest.mark.django_db

SHEET = "Realisasi TW II 2024"


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cells(**values):
    """Set cells of the data sheet."""

    def change(wb):
        ws = wb[SHEET]
        for coord, value in values.items():
            ws[coord] = value

    return change


def sheet(fn):
    return lambda wb: fn(wb[SHEET])


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _swap_rows(ws, a, b):
    for col in range(1, 11):
        x, y = ws.cell(row=a, column=col), ws.cell(row=b, column=col)
        x.value, y.value = y.value, x.value


def _copy_row(ws, source, target):
    for col in range(1, 11):
        ws.cell(row=target, column=col).value = ws.cell(row=source, column=col).value


def _tamper_token(wb):
    cell = wb["kunci"]["A2"]
    cell.value = cell.value[:-4] + ("AAAA" if not cell.value.endswith("AAAA") else "BBBB")


def _entity_bomb(base: bytes) -> bytes:
    """sharedStrings with nested entities (a billion laughs)."""
    source = zipfile.ZipFile(io.BytesIO(base))
    entries = {i.filename: source.read(i.filename) for i in source.infolist()}
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    entries["xl/sharedStrings.xml"] = (
        f'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">{lol}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&l9;</t></si></sst>'
    ).encode()
    return _zip(entries)


def _drop_part(base: bytes, part: str) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(base))
    return _zip({i.filename: source.read(i.filename) for i in source.infolist()
                 if i.filename != part})  # fmt: skip


# (name, how the file is made from the downloaded workbook, what the page must say)
# A "raw" maker gets the downloaded bytes; the others get the workbook opened by openpyxl.
BIG = "x" * (10 * 1024 * 1024)
RAW = {
    "teks-biasa": (lambda base: b"ini bukan buku kerja", "bukan buku kerja Excel .xlsx"),
    "kosong": (lambda base: b"", "Berkas kosong"),
    "pdf": (lambda base: b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "bukan buku kerja Excel .xlsx"),
    "xls-lama": (lambda base: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "Excel lama"),
    "zip-terpotong": (lambda base: base[: len(base) // 2], "rusak"),
    "zip-sampah": (lambda base: b"PK\x03\x04" + bytes(range(256)) * 8, "rusak"),
    "bom-zip-besar": (lambda base: _zip({"xl/workbook.xml": b"", "a.xml": b"\0" * 210 * 2**20}),
                      "terlalu besar setelah dibuka"),
    "bom-zip-entri": (lambda base: _zip({f"x/{i}.xml": b"" for i in range(2100)}),
                      "terlalu besar setelah dibuka"),
    "dokumen-word": (lambda base: _zip({"word/document.xml": b"<w/>"}),
                     "bukan buku kerja Excel .xlsx"),
    "lebih-20-mb": (lambda base: b"PK" + b"\x01" * (20 * 2**20 + 10), "lebih dari 20 MB"),
    "bagian-hilang": (lambda base: _drop_part(base, "xl/worksheets/sheet1.xml"),
                      "Lembar «Realisasi TW II 2024» tidak ada"),
    "xml-rusak": (lambda base: _zip({"xl/workbook.xml": b"<workbook><sheets>",
                                     "[Content_Types].xml": b"<Types/>"}),
                  "rusak atau tidak lengkap"),
    "bom-entitas": (_entity_bomb, "rusak atau tidak lengkap"),
}  # fmt: skip
BOOK = {
    "lembar-kunci-dihapus": (lambda wb: wb.remove(wb["kunci"]), "Lembar kunci tidak ada"),
    "tanda-tangan-diubah": (_tamper_token, "Tanda tangan buku kerja tidak cocok"),
    "tanda-tangan-dikosongkan": (lambda wb: wb["kunci"].delete_rows(2, 5),
                                 "Tanda tangan buku kerja tidak cocok"),
    "lembar-diganti-nama": (lambda wb: setattr(wb[SHEET], "title", "Data"),
                            "Lembar «Realisasi TW II 2024» tidak ada"),
    "teks-di-k": (cells(G6="sepuluh"), "«sepuluh» bukan angka dalam format Indonesia"),
    "format-inggris": (cells(H7="1,905,955,200"), "«1,905,955,200» memakai format angka Inggris"),
    "titik-ambigu": (cells(G7="1.5"), "«1.5» ambigu"),
    "rp-negatif": (cells(H6=-5), "nilai rupiah tidak boleh negatif"),
    "rp-negatif-teks": (cells(H6="-1.000"), "nilai rupiah tidak boleh negatif"),
    "k-negatif": (cells(G6=-1), "nilai K indikator ini tidak boleh negatif"),
    "k-raksasa": (cells(G6=1e20), "nilai K paling besar"),
    "rp-raksasa": (cells(H6=10**18), "nilai rupiah paling besar"),
    "k-terlalu-banyak-desimal": (cells(G6=0.1234567), "paling banyak 6 angka di belakang koma"),
    "rp-tiga-desimal": (cells(H6="1.000,123"), "paling banyak 2 angka di belakang koma"),
    "rumus-k": (cells(G6="=1+1"), "Sel berisi rumus"),
    "rumus-rp": (cells(H6="=SUM(F6:F7)"), "Sel berisi rumus"),
    "rumus-catatan": (cells(I6='=CONCATENATE("a","b")'), "Sel berisi rumus"),
    "tanggal-di-k": (cells(G6=date(2024, 6, 30)), "Sel berisi tanggal"),
    "boolean-di-k": (cells(G6=True), "bukan angka"),
    "teks-nan": (cells(G6="NaN"), "«NaN» bukan angka"),
    "sel-10-mb-catatan": (cells(I6=BIG), "Catatan TW II terlalu panjang"),
    "sel-10-mb-k": (cells(G6=BIG), "bukan angka"),
    "catatan-5001": (cells(I6="a" * 5001), "paling banyak 5.000"),
    "nama-diubah": (cells(B6="Program baru"), "Sel B6 (Program / Kegiatan / Sub Kegiatan"),
    "target-diubah": (cells(E6=99), "Sel E6 (Target K tahun"),
    "pagu-diubah": (cells(F6=1), "Sel F6 (Pagu (Rp)"),
    "kode-dihapus": (cells(A7=None), "Sel A7 (Kode"),
    "judul-diubah": (cells(A1="Realisasi"), "Sel A1 di judul atau kepala tabel diubah"),
    "kepala-diubah": (cells(G5="K"), "Sel G5 di judul atau kepala tabel diubah"),
    "kunci-diubah": (cells(J8=123456789), "Kunci baris 8 (kolom J yang tersembunyi) diubah"),
    "kunci-dihapus": (cells(J8=None), "Baris 8 tidak punya kunci"),
    "baris-disisipkan": (sheet(lambda ws: (ws.insert_rows(9), ws.__setitem__("B9", "Baru"))),
                         "Baris 9 tidak punya kunci"),
    "baris-ditambah-di-bawah": (cells(A67="5.03.09", B67="Kegiatan baru", G67=5),
                                "Baris 67 tidak punya kunci"),
    "baris-dihapus": (sheet(lambda ws: ws.delete_rows(10)), "tidak ada lagi: dihapus"),
    "baris-diurutkan": (sheet(lambda ws: _swap_rows(ws, 7, 8)), "Urutan baris diubah (mulai baris 7)"),
    "baris-disalin": (sheet(lambda ws: _copy_row(ws, 7, 8)), "Baris 8 memakai kunci baris 7"),
    "sel-digabung": (sheet(lambda ws: ws.merge_cells("G6:H6")), "Sel digabung (merge) diubah (G6:H6)"),
    "gabungan-judul-dilepas": (sheet(lambda ws: ws.unmerge_cells("A3:I3")),
                               "Sel digabung (merge) diubah"),
    "kolom-tambahan": (cells(K6=5), "Sel K6 di luar tabel berisi data"),
}  # fmt: skip


@pytest.fixture
def operator(client, demo_users, agency):
    today = timezone.localdate()
    for quarter in (2, 3):
        ReportingPeriod.objects.filter(government=agency.government, year=2024,
                                       quarter=quarter).update(
            opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1))  # fmt: skip
    client.force_login(demo_users["operator"])
    return demo_users["operator"]


def _state(agency):
    return (
        list(Realisation.objects.order_by("pk").values_list("pk", "value_k", "value_rp", "note")),
        Realisation.history.count(),
        QuarterSubmission.objects.count(),
    )


def _refused(client, agency, tmp_path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(data)
    before = _state(agency)
    url = reverse("monitoring:offline_upload",
                  kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})  # fmt: skip
    with path.open("rb") as fh:
        response = client.post(url, {"berkas": fh})
    page = response.content.decode().replace("&laquo;", "«").replace("&raquo;", "»")
    assert response.status_code == 400, name
    shown = page[page.find("<h1") :].split("<form")[0]
    assert expected in page, (name, " ".join(shown.split())[:2000])
    assert 'name="perubahan"' not in page  # no Terapkan
    assert _state(agency) == before


@pytest.mark.parametrize("name", list(RAW))
def test_a_file_that_is_not_our_workbook_is_refused(client, operator, agency, tmp_path, name):
    make, expected = RAW[name]
    base = write_workbook(agency, year=2024, quarter=2)
    _refused(client, agency, tmp_path, name, make(base), expected)


@pytest.mark.parametrize("name", list(BOOK))
def test_a_changed_workbook_is_refused(client, operator, agency, tmp_path, name):
    change, expected = BOOK[name]
    wb = openpyxl.load_workbook(io.BytesIO(write_workbook(agency, year=2024, quarter=2)))
    change(wb)
    _refused(client, agency, tmp_path, name, _save(wb), expected)


def test_another_agencys_workbook_is_refused(client, operator, agency, tmp_path):
    other = Agency.objects.create(government=agency.government, name="Dinas Contoh",
                                  abbreviation="DC", slug="dinas-contoh", is_example=True)  # fmt: skip
    WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                            code="1.01.01", name="Program Contoh")  # fmt: skip
    data = write_workbook(other, year=2024, quarter=2)
    _refused(client, agency, tmp_path, "lain", data,
             "Buku kerja ini milik Dinas Contoh, bukan Badan Kepegawaian")  # fmt: skip


def test_another_quarters_or_years_workbook_is_refused(client, operator, agency, tmp_path):
    for year, quarter, expected in ((2024, 3, "untuk Triwulan III 2024, bukan Triwulan II 2024"),
                                    (2024, 1, "untuk Triwulan I 2024, bukan Triwulan II 2024"),
                                    (2025, 2, "untuk Triwulan II 2025, bukan Triwulan II 2024")):  # fmt: skip
        data = write_workbook(agency, year=year, quarter=quarter)
        _refused(client, agency, tmp_path, f"tw{quarter}-{year}", data, expected)


def test_a_workbook_signed_by_another_installation_is_refused(client, operator, agency,
                                                              tmp_path):  # fmt: skip
    with override_settings(SECRET_KEY="another installation " * 3):
        data = write_workbook(agency, year=2024, quarter=2)
    _refused(client, agency, tmp_path, "instalasi-lain", data, "Tanda tangan buku kerja")


def test_an_upload_without_a_file_is_refused(client, operator, agency):
    url = reverse("monitoring:offline_upload",
                  kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})  # fmt: skip
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Pilih berkas .xlsx" in response.content.decode()


def test_the_corpus_has_at_least_forty_files():
    assert len(RAW) + len(BOOK) + 5 >= 40
