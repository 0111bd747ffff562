"""Evidence file names as a browser or a script may send them: a name longer than the column,
a path, a right-to-left override, accented letters. Each is stored under bukti/ with a name the
column holds, never outside it; a name without a stem is refused."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.monitoring.models import Evidence, Realisation
from kinerja.planning.models import WorkItem
from tests.monitoring.evidence_samples import raw_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", [
    "a" * 300 + ".pdf", "../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "b\u202efdp.exe.pdf",
    "é" * 120 + ".pdf", "x.PDF", "<script>.pdf", "=HYPERLINK(1).pdf"],
    ids=["300-chars", "traversal", "windows-traversal", "rtl-override", "accents", "upper-ext",
         "html", "formula"])  # fmt: skip
def test_an_evidence_name_is_stored_safely_under_bukti(client, demo_users, agency, open_period,
                                                       name):  # fmt: skip
    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal(1))
    client.force_login(demo_users["operator"])
    url = f"/isi/{agency.slug}/2024/tw2/bukti/{item.pk}/"
    response = client.post(url, {"files": SimpleUploadedFile(name, raw_pdf())}, follow=True)
    assert response.status_code == 200
    assert "1 berkas bukti diunggah." in response.content.decode()
    [stored] = Evidence.objects.values_list("file", flat=True)
    assert stored.startswith("bukti/")
    assert ".." not in stored and "\\" not in stored and "\u202e" not in stored
    assert stored.lower().endswith(".pdf")
    assert len(stored) <= Evidence._meta.get_field("file").max_length


def test_a_name_without_a_stem_is_refused(client, demo_users, agency, open_period):
    item = WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")
    Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal(1))
    client.force_login(demo_users["operator"])
    url = f"/isi/{agency.slug}/2024/tw2/bukti/{item.pk}/"
    response = client.post(url, {"files": SimpleUploadedFile(".pdf", b"%PDF-1.4 x")}, follow=True)
    assert "«.pdf»: jenis berkas tidak diterima" in response.content.decode()
    assert not Evidence.objects.exists()
