"""A quarter offline (monitoring/offline.py): the downloaded workbook, the round trip through
the preview and the confirmation, a stale upload, locked cells and keys."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from kinerja.monitoring.entry import save_quarter_entries
from kinerja.monitoring.models import Realisation, ReportingPeriod
from kinerja.planning.models import WorkItem

pytestmark = pytest.mark.django_db

NAME = "realisasi-bkpsdm-sumenep-2024-tw2.xlsx"
FIRST = 6  # the first data row of the sheet


@pytest.fixture
def open_period(agency):
    """The TW II 2024 period around the real today: the views use the clock."""
    today = timezone.localdate()
    ReportingPeriod.objects.filter(government=agency.government, year=2024, quarter=2).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
    )


@pytest.fixture
def operator(client, demo_users):
    client.force_login(demo_users["operator"])
    return demo_users["operator"]


def url(name, quarter=2):
    return reverse(f"monitoring:offline_{name}",
                   kwargs={"agency": "bkpsdm-sumenep", "year": 2024, "quarter": quarter})  # fmt: skip


def download(client, quarter=2) -> bytes:
    response = client.get(url("download", quarter))
    assert response.status_code == 200
    return response.content


def edit(data: bytes, change) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb[wb.sheetnames[0]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(client, data: bytes, name=NAME, quarter=2):
    return client.post(url("upload", quarter), {"berkas": _file(data, name)})


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def token_of(response) -> str:
    found = re.search(r'name="perubahan" value="([^"]+)"', response.content.decode())
    return found[1] if found else ""


def text(response) -> str:
    return response.content.decode().replace("&laquo;", "«").replace("&raquo;", "»")


def realisations(agency):
    return {
        (r.work_item_id, r.quarter): (r.value_k, r.value_rp, r.note)
        for r in Realisation.objects.filter(work_item__agency=agency)
    }


def history_count():
    return Realisation.history.count()


def test_the_workbook_locks_everything_but_this_quarters_cells(client, operator, agency):
    response = client.get(url("download"))
    assert response["Content-Disposition"] == f'attachment; filename="{NAME}"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Realisasi TW II 2024", "kunci"]
    assert wb["kunci"].sheet_state == "veryHidden"
    ws = wb["Realisasi TW II 2024"]
    assert ws.protection.sheet is True and not ws.protection.password
    items = list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))
    assert ws.max_row == FIRST + len(items) - 1 == 66  # the seed's 61 rows of the form
    assert [ws.cell(row=r, column=10).value for r in range(FIRST, ws.max_row + 1)] == [
        i.pk for i in items
    ]
    assert ws.column_dimensions["J"].hidden
    assert [c.value for c in ws[5]][:9] == [
        "Kode", "Program / Kegiatan / Sub Kegiatan", "Indikator", "Satuan", "Target K tahun",
        "Pagu (Rp)", "Realisasi K TW II", "Realisasi Rp TW II", "Catatan TW II",
    ]  # fmt: skip
    first = ws[FIRST]
    assert [c.value for c in first[:6]] == [
        "5.03.01", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten / Kota",
        items[0].indicator, "%",
        100, 9722008231,
    ]  # fmt: skip
    for row in ws.iter_rows(min_row=FIRST - 1, max_row=ws.max_row, max_col=10):
        for cell in row:
            assert cell.protection.locked is (cell.column_letter not in "GHI" or cell.row < FIRST)
    assert "[$-421]#,##0" in ws["F6"].number_format  # Indonesian grouping: 9.722.008.231
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    k_rule, rp_rule = rules[f"G{FIRST}"], rules[f"H{FIRST}"]
    assert (k_rule.type, k_rule.formula1, k_rule.formula2) == ("decimal", "0", "1000000000000")
    assert rp_rule.type == "decimal" and rp_rule.formula1 == "0"
    assert "Kosongkan bila belum ada" in rp_rule.prompt
    assert "tanpa tanda Rp" in rp_rule.error
    assert rules[f"I{FIRST}"].type == "textLength"


def test_the_tw1_workbook_is_filled_with_the_seeds_values(client, operator):
    ws = openpyxl.load_workbook(io.BytesIO(download(client, 1)))["Realisasi TW I 2024"]
    assert (ws["G6"].value, ws["H6"].value) == (15, 1364941860)


def test_the_round_trip_applies_exactly_the_edited_cells(client, operator, agency, open_period):
    data = download(client)
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    a, b, c = (ws.cell(row=r, column=10).value for r in (FIRST, FIRST + 1, FIRST + 2))
    before, history = realisations(agency), history_count()

    def fill(ws):
        ws["G6"] = 20  # a number, as Excel stores what is typed
        ws["H7"] = "1.905.955.200"  # text in Indonesian format, as the grid takes it
        ws["G8"] = 1.5
        ws["I8"] = "  dokumen SK  "

    response = upload(client, edit(data, fill))
    assert response.status_code == 200
    page = text(response)
    assert "4 sel akan diubah" in page
    for cell in ("G6", "H7", "G8", "I8"):
        assert f"<td>{cell}</td>" in page
    assert "1.905.955.200" in page and "1,5" in page
    assert realisations(agency) == before and history_count() == history  # nothing at preview

    response = client.post(url("apply"), {"perubahan": token_of(response)})
    assert response.status_code == 302
    after = realisations(agency)
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    assert changed == {
        (a, 2): (Decimal(20), None, ""),
        (b, 2): (None, Decimal(1_905_955_200), ""),
        (c, 2): (Decimal("1.5"), None, "dokumen SK"),
    }
    assert set(before) <= set(after)
    reasons = set(Realisation.history.filter(work_item_id__in=(a, b, c), quarter=2)
                  .values_list("history_change_reason", flat=True))  # fmt: skip
    assert reasons == {f"impor Excel {NAME}"}
    assert history_count() == history + 3

    again = upload(client, edit(download(client), lambda ws: None))  # a fresh copy, untouched
    assert again.status_code == 200 and "Tidak ada sel yang berubah" in text(again)
    assert token_of(again) == ""


def test_a_stale_upload_is_a_conflict_and_saves_nothing(client, operator, agency, open_period,
                                                        demo_users):  # fmt: skip
    data = download(client)
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    a, b = ws["J6"].value, ws["J7"].value
    # someone else saves two cells in the grid after the download
    save_quarter_entries(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                         entries={a: ("7", None, None), b: (None, "500", None)}, reason="",
                         today=timezone.localdate())  # fmt: skip
    before, history = realisations(agency), history_count()

    def fill(ws):
        ws["G6"] = 9  # a cell they changed too: a conflict
        ws["G7"] = 3  # a cell nobody touched: fine, but nothing is saved while one conflicts

    response = upload(client, edit(data, fill))
    assert response.status_code == 409
    page = text(response)
    assert "1 sel bentrok" in page
    assert "Bentrok:" in page and "menjadi 7." in page
    assert token_of(response) == ""  # no Terapkan
    assert realisations(agency) == before and history_count() == history

    # without the conflicting cell the same stale file applies, and keeps their Rp of row b
    response = upload(client, edit(data, lambda ws: ws.__setitem__("G7", 3)))
    assert response.status_code == 200
    assert client.post(url("apply"), {"perubahan": token_of(response)}).status_code == 302
    assert realisations(agency)[(b, 2)] == (Decimal(3), Decimal(500), "")
    assert realisations(agency)[(a, 2)][0] == Decimal(7)


def test_a_change_after_the_preview_refuses_the_confirmation(client, operator, agency,
                                                             open_period, demo_users):  # fmt: skip
    data = download(client)
    response = upload(client, edit(data, lambda ws: ws.__setitem__("G6", 9)))
    assert response.status_code == 200
    a = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["J6"].value
    save_quarter_entries(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                         entries={a: ("7", None, None)}, today=timezone.localdate())  # fmt: skip
    before, history = realisations(agency), history_count()
    response = client.post(url("apply"), {"perubahan": token_of(response)})
    assert response.status_code == 409
    assert "diubah orang lain setelah pratinjau" in text(response)
    assert realisations(agency) == before and history_count() == history


def test_a_tampered_confirmation_is_refused(client, operator, agency, open_period):
    response = upload(client, edit(download(client), lambda ws: ws.__setitem__("G6", 9)))
    token = token_of(response)
    before = realisations(agency)
    for forged in (token[:-3] + "abc", "", token.replace(":", ";", 1)):
        refused = client.post(url("apply"), {"perubahan": forged})
        assert refused.status_code == 400
        assert "Tidak ada yang disimpan" in text(refused)
    assert realisations(agency) == before


def test_a_locked_cell_edit_or_a_changed_key_is_refused(client, operator, agency, open_period):
    data = download(client)
    other = WorkItem.objects.filter(agency=agency, year=2024).order_by("-position").first().pk
    before, history = realisations(agency), history_count()
    cases = {
        "F7": (lambda ws: ws.__setitem__("F7", 1), "Sel F7 (Pagu (Rp), «5.03.01.2.01 "),
        "B6": (lambda ws: ws.__setitem__("B6", "Program lain"), "Sel B6 (Program / Kegiatan"),
        "E8": (lambda ws: ws.__setitem__("E8", 999), "terkunci dan diubah"),
        "J6": (lambda ws: ws.__setitem__("J6", other), "Baris 66 memakai kunci baris 6 (kolom J"),
        "J7": (lambda ws: ws.__setitem__("J7", 10**9), "Kunci baris 7 (kolom J"),
    }
    for cell, (change, expected) in cases.items():
        response = upload(client, edit(data, lambda ws, change=change: (change(ws),
                                                                        ws.__setitem__("G9", 4))))  # fmt: skip
        assert response.status_code == 400, cell
        assert "Buku kerja ditolak; tidak ada yang disimpan." in text(response)
        assert expected in text(response), cell
        assert token_of(response) == ""
    assert realisations(agency) == before and history_count() == history


def test_an_approved_quarter_is_refused(client, operator, agency):
    data = download(client, 1)
    response = upload(client, edit(data, lambda ws: ws.__setitem__("G6", 20)), quarter=1)
    assert response.status_code == 400
    assert "berstatus Disahkan; datanya tidak dapat diubah" in text(response)


def test_only_the_grids_writers_may_download_or_upload(client, demo_users, agency):
    client.force_login(demo_users["verifikator"])
    assert client.get(url("download")).status_code == 403
    assert client.post(url("upload"), {}).status_code == 403
    client.force_login(demo_users["operator"])
    page = client.get(url("upload"))
    assert page.status_code == 200 and NAME in text(page)


def test_a_returned_quarter_asks_for_a_reason_kept_in_the_history(client, operator, agency,
                                                                  open_period):  # fmt: skip
    from kinerja.monitoring.models import QuarterSubmission, SubmissionStatus

    QuarterSubmission.objects.update_or_create(agency=agency, year=2024, quarter=2,
                                               defaults={"status": SubmissionStatus.RETURNED})  # fmt: skip
    data = download(client)
    response = upload(client, edit(data, lambda ws: ws.__setitem__("G6", 9)))
    assert response.status_code == 200
    assert 'name="reason"' in text(response) and "required" in text(response)
    a = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["J6"].value
    response = client.post(url("apply"), {"perubahan": token_of(response),
                                           "reason": "Koreksi verifikator"})  # fmt: skip
    assert response.status_code == 302
    saved = Realisation.objects.get(work_item_id=a, quarter=2)
    assert saved.value_k == 9
    assert saved.history.first().history_change_reason == f"impor Excel {NAME}: Koreksi verifikator"


def test_a_further_indicator_has_a_k_cell_and_a_locked_rp_cell(client, operator, agency,
                                                               open_period):  # fmt: skip
    """issue 15: a further indicator's row takes K; its Rp cell is locked, and an Rp typed
    there anyway (the sheet's protection removed) is refused with the reason."""
    program = WorkItem.objects.filter(agency=agency, year=2024, level="program").order_by(
        "position").first()  # fmt: skip
    more = WorkItem.objects.create(
        agency=agency, year=2024, level="program", position=10_000, code=program.code,
        name=program.name, indicator="Indeks kepuasan", unit="Indeks", target_k=Decimal(80),
        indicator_of=program)  # fmt: skip
    from kinerja.planning.items import renumber

    renumber(agency, 2024)
    data = download(client)
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    row = next(
        r for r in range(FIRST, ws.max_row + 1) if ws.cell(row=r, column=10).value == more.pk
    )
    assert ws.cell(row=row, column=3).value == "Indeks kepuasan"
    assert ws.cell(row=row, column=7).protection.locked is False  # K
    assert ws.cell(row=row, column=8).protection.locked is True  # Rp

    def fill(ws):
        ws[f"G{row}"] = 60
        ws[f"H{row}"] = 1000

    response = upload(client, edit(data, fill))
    page = text(response)
    assert "indikator tambahan: Rp diisi pada baris itemnya" in page
    assert not Realisation.objects.filter(work_item=more).exists()
