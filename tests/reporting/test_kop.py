"""The kop a report prints (``reporting.kop.kop_for``) and its place in the approved snapshot:
a kop changed after *Sahkan* reaches the quarter's reports only after a reopen and a new
approval."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from kinerja.monitoring.workflow import (
    approve_quarter,
    reopen_quarter,
    submit_quarter,
    verify_quarter,
)
from kinerja.planning.letterhead import example_logo, logo_name, set_letterhead
from kinerja.planning.models import Letterhead
from kinerja.record.capture import QuarterInput, capture, from_json, input_hash, to_json
from kinerja.record.models import QuarterSnapshot
from kinerja.record.snapshots import quarter_input
from kinerja.reporting.data import Kop
from kinerja.reporting.kop import kop_for
from kinerja.seed import EXAMPLE_KOP

pytestmark = pytest.mark.django_db


def _png(color=(0, 128, 0)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), color).save(buf, "PNG")
    return buf.getvalue()


def _set(user, agency, **changes):
    kop = Letterhead.objects.get(agency=agency, year=2024)
    values = {f: getattr(kop, f) for f in ("address", "telephone", "email", "website")}
    return set_letterhead(user=user, agency=agency, year=2024, **{**values, **changes})


def test_the_kop_of_the_seed_prints_the_pemda_the_agency_and_the_example_logo(agency):
    kop = kop_for(agency, quarter_input(agency, year=2024, quarter=1))
    assert kop == Kop(
        government="Pemerintah Kabupaten Sumenep",
        agency="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia Kabupaten Sumenep",
        address="Jl. Contoh No. 1, Sumenep (alamat contoh)",
        telephone="(0328) 000000 (contoh)",
        email="contoh@example.org",
        website="https://example.org",
        logo=example_logo(),
        logo_ext="png",
    )
    assert kop.contact_line == ("Jl. Contoh No. 1, Sumenep (alamat contoh) · Telepon (0328) "
                                "000000 (contoh) · Pos-el contoh@example.org · "
                                "https://example.org")  # fmt: skip


def test_a_quarter_without_a_kop_prints_only_the_names(agency):
    Letterhead.objects.filter(agency=agency).delete()
    inp = capture(agency.pk, year=2024, quarter=2)
    assert inp.kop is None
    assert kop_for(agency, inp) == Kop(government="Pemerintah Kabupaten Sumenep",
                                       agency=agency.name)  # fmt: skip


def test_a_logo_the_storage_lost_prints_no_logo_and_no_error(demo_users, agency):
    _set(demo_users["operator"], agency, logo=_png())
    inp = capture(agency.pk, year=2024, quarter=2)
    from django.core.files.storage import default_storage

    default_storage.delete(inp.kop.logo)
    kop = kop_for(agency, inp)
    assert (kop.logo, kop.logo_ext, kop.address) == (None, "", EXAMPLE_KOP["address"])


def test_the_kop_goes_through_the_snapshot_json_unchanged(demo_users, agency):
    _set(demo_users["operator"], agency, logo=_png(), address="Jl. Uji No. 3")
    inp = capture(agency.pk, year=2024, quarter=2)
    again = from_json(to_json(inp))
    assert (again.kop, input_hash(again)) == (inp.kop, input_hash(inp))
    without = QuarterInput(**{**inp.__dict__, "kop": None})
    assert "kop" not in to_json(without)  # an input without a kop hashes as before the field


def test_a_kop_changed_after_approval_reaches_the_quarter_only_after_reapproval(demo_users,
                                                                              agency):  # fmt: skip
    new_logo = _png((200, 0, 0))
    _set(demo_users["operator"], agency, address="Jl. Sesudah Pengesahan", logo=new_logo)
    approved = quarter_input(agency, year=2024, quarter=1)
    assert (approved.kop.address, approved.kop.logo) == (EXAMPLE_KOP["address"],
                                                         logo_name(example_logo(), "png"))  # fmt: skip
    assert kop_for(agency, approved).logo == example_logo()
    assert capture(agency.pk, year=2024, quarter=2).kop.address == "Jl. Sesudah Pengesahan"

    reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=1,
                   reason="kop diperbaiki")  # fmt: skip
    assert quarter_input(agency, year=2024, quarter=1).kop.address == "Jl. Sesudah Pengesahan"
    submit_quarter(user=demo_users["operator"], agency=agency, year=2024, quarter=1,
                   today=date(2024, 4, 10))  # fmt: skip
    verify_quarter(user=demo_users["verifikator"], agency=agency, year=2024, quarter=1)
    # the seed's two parent-sum errors block Sahkan without a reason (Lembar Pemeriksaan)
    approve_quarter(user=demo_users["pimpinan"], agency=agency, year=2024, quarter=1,
                    reason="temuan sumber diketahui")  # fmt: skip

    reapproved = quarter_input(agency, year=2024, quarter=1)
    assert (reapproved.kop.address, kop_for(agency, reapproved).logo) == (
        "Jl. Sesudah Pengesahan", new_logo)  # fmt: skip
    second = QuarterSnapshot.objects.get(agency=agency, year=2024, quarter=1, sequence=2)
    assert [c for c in second.changes if c["what"] == "Kop surat"] == [
        {"what": "Kop surat", "field": "alamat", "old": EXAMPLE_KOP["address"],
         "new": "Jl. Sesudah Pengesahan"},
        {"what": "Kop surat", "field": "logo", "old": "logo lama", "new": "logo baru"},
    ]  # fmt: skip
    # and a change after this approval is again not the approved quarter's
    _set(demo_users["operator"], agency, address="Jl. Sesudahnya Lagi")
    assert quarter_input(agency, year=2024, quarter=1).kop.address == "Jl. Sesudah Pengesahan"


def test_capture_in_a_migration_state_without_the_kop_reads_none(agency):
    """A data migration's registry from before planning.0007 has no Letterhead."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(("planning", "0006_signatory_nip"))
    assert "letterhead" not in state.apps.all_models["planning"]
    from kinerja.record.capture import _kops

    assert _kops(state.apps, [agency.pk], 2024) == {}  # no kop: capture reads None
