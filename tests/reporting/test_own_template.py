"""An agency replaces Kinerja's Word template with its own, through the storage API."""

import io

import docx
import pytest
from django.core.files.base import ContentFile

from kinerja.planning.models import ReportTemplate
from kinerja.reporting.generate import build_report, generate

from .conftest import SIGNED_ON

pytestmark = pytest.mark.django_db


def _own_template(text: str) -> bytes:
    from importlib import resources

    document = docx.Document(io.BytesIO(
        resources.files("kinerja").joinpath("reporting/templates/pk.docx").read_bytes()))  # fmt: skip
    document.paragraphs[0].insert_paragraph_before(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_the_agencys_own_template_replaces_the_shipped_one(agency, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shipped = build_report("pk", agency, year=2024, quarter=1, signed_on=SIGNED_ON)
    (before,) = generate(shipped, ["docx"])
    ReportTemplate.objects.create(
        government=agency.government, agency=agency, document="pk",
        file=ContentFile(_own_template("KOP SURAT BKPSDM SENDIRI"), name="pk-bkpsdm.docx"),
    )  # fmt: skip
    own = build_report("pk", agency, year=2024, quarter=1, signed_on=SIGNED_ON)
    (after,) = generate(own, ["docx"])
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(after.content)).paragraphs)
    assert "KOP SURAT BKPSDM SENDIRI" in text
    assert "PERJANJIAN KINERJA TAHUN 2024" in text  # the fields are still filled
    assert after.template_hash != before.template_hash
    assert after.data_hash == before.data_hash  # same data, other template
    (pdf,) = generate(own, ["pdf"])  # the PDF does not use the Word template
    assert pdf.template_hash == generate(shipped, ["pdf"])[0].template_hash
