"""Input limits (kinerja.limits, docs/design-notes.md "Input limits"): each text and date a user
types is accepted at its limit and refused one step beyond it, in Indonesian, by the domain
function every path calls — with nothing written."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.limits import check_date, check_text
from kinerja.monitoring.domain import (
    EditRefused,
    record_indicator_realisation,
    record_realisation,
    save_narratives,
)
from kinerja.monitoring.models import (
    IndicatorRealisation,
    QuarterSubmission,
    SubmissionStatus,
)
from kinerja.monitoring.workflow import (
    WorkflowRefused,
    add_row_note,
    reopen_quarter,
    return_quarter,
)
from kinerja.planning.domain import (
    RevisionRefused,
    revise_budget,
    revise_target,
    set_action_plan,
    set_signatory,
)
from kinerja.planning.models import (
    Indicator,
    IndicatorTarget,
    PerformanceAgreement,
    Signatory,
    WorkItem,
)

from .conftest import SEED_TODAY
from .security.conftest import db_fingerprint

pytestmark = pytest.mark.django_db


def test_check_text_accepts_the_limit_and_refuses_one_more_naming_both():
    assert check_text("a" * 300, label="Sumber data", limit=300) == "a" * 300
    with pytest.raises(ValueError) as exc:
        check_text("a" * 5001, label="Catatan", limit=5000)
    assert str(exc.value) == "Catatan terlalu panjang: 5.001 karakter, paling banyak 5.000."


def test_check_text_refuses_the_nul_character():
    with pytest.raises(ValueError) as exc:
        check_text("a\x00b", label="Catatan", limit=5000)
    assert str(exc.value) == "Catatan berisi karakter NUL yang tidak dapat disimpan."


@pytest.mark.parametrize(("value", "ok"), [
    (date(2023, 1, 1), True), (date(2025, 12, 31), True), (date(2022, 12, 31), False),
    (date(2026, 1, 1), False), (date(9999, 12, 31), False), (date(1900, 1, 1), False),
    (date(1, 1, 1), False)])  # fmt: skip
def test_check_date_allows_the_year_and_one_either_side(value, ok):
    if ok:
        assert check_date(value, label="Tanggal", first_year=2024) == value
        return
    with pytest.raises(ValueError) as exc:
        check_date(value, label="Tanggal", first_year=2024)
    shown = f"{value.day:02d}-{value.month:02d}-{value.year:04d}"
    assert str(exc.value) == (f"Tanggal {shown} di luar rentang yang diterima: 01-01-2023 "
                              "sampai 31-12-2025.")  # fmt: skip


# ---- each domain function: at the limit stored, one beyond refused, nothing written ----------


@pytest.fixture
def item(agency):
    return WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")


@pytest.fixture
def ip_asn():
    return Indicator.objects.get(name="Indeks Profesionalitas ASN")


def _refused(call, error, message):
    before = db_fingerprint()
    with pytest.raises(error) as exc:
        call()
    assert str(exc.value) == message
    assert db_fingerprint() == before


def _note(demo_users, item, note, reason=""):
    return record_realisation(user=demo_users["operator"], work_item=item, quarter=2,
                              value_k=Decimal(1), value_rp=None, note=note, reason=reason,
                              today=SEED_TODAY)  # fmt: skip


def test_a_realisation_note_of_5000_characters_is_kept_and_5001_refused(demo_users, item):
    assert _note(demo_users, item, "n" * 5000).note == "n" * 5000
    _refused(
        lambda: _note(demo_users, item, "m" * 5001),
        EditRefused,
        "Catatan 5.03.02.2.02.0001 terlalu panjang: 5.001 karakter, paling banyak 5.000.",
    )
    _refused(lambda: _note(demo_users, item, "m" * 1_000_000), EditRefused,
             "Catatan 5.03.02.2.02.0001 terlalu panjang: 1.000.000 karakter, paling banyak "
             "5.000.")  # fmt: skip


def test_a_reason_of_1000_characters_is_kept_and_1001_refused(demo_users, item):
    saved = _note(demo_users, item, "x", reason="r" * 1000)
    assert saved.history.first().history_change_reason == "r" * 1000
    _refused(
        lambda: _note(demo_users, item, "y", reason="r" * 1001),
        EditRefused,
        "Alasan perubahan terlalu panjang: 1.001 karakter, paling banyak 1.000.",
    )


def _iku(demo_users, indicator, **fields):
    return record_indicator_realisation(user=demo_users["operator"], indicator=indicator,
                                        year=2024, quarter=2, value=Decimal(60),
                                        today=SEED_TODAY, **fields)  # fmt: skip


@pytest.mark.parametrize(("field", "ok", "over", "message"), [
    ("source", "s" * 300, "s" * 301,
     "Sumber data terlalu panjang: 301 karakter, paling banyak 300."),
    ("note", "k" * 5000, "k" * 5001,
     "Keterangan terlalu panjang: 5.001 karakter, paling banyak 5.000."),
    ("measured_on", date(2023, 1, 1), date(2022, 12, 31),
     "Tanggal pengukuran 31-12-2022 di luar rentang yang diterima: 01-01-2023 sampai "
     "31-12-2025."),
    ("measured_on", date(2025, 12, 31), date(9999, 12, 31),
     "Tanggal pengukuran 31-12-9999 di luar rentang yang diterima: 01-01-2023 sampai "
     "31-12-2025."),
    ("measured_on", date(2024, 6, 30), date(1900, 1, 1),
     "Tanggal pengukuran 01-01-1900 di luar rentang yang diterima: 01-01-2023 sampai "
     "31-12-2025."),
])  # fmt: skip
def test_an_iku_realisation_keeps_its_limits(demo_users, ip_asn, field, ok, over, message):
    _iku(demo_users, ip_asn, **{field: ok})
    stored = IndicatorRealisation.objects.get(indicator=ip_asn, year=2024, quarter=2)
    assert getattr(stored, field) == ok
    _refused(lambda: _iku(demo_users, ip_asn, **{field: over}), EditRefused, message)


def _narrate(demo_users, agency, texts, responsible=""):
    return save_narratives(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                           kind="closing", texts=texts, responsible=responsible,
                           today=SEED_TODAY)  # fmt: skip


def test_a_narrative_counts_all_its_lines_against_5000_characters(demo_users, agency):
    lines = ["a" * 2499, "b" * 2500]  # 4.999 and the line break between them
    assert [n.text for n in _narrate(demo_users, agency, lines)] == lines
    _refused(
        lambda: _narrate(demo_users, agency, ["a" * 2500, "b" * 2500]),
        EditRefused,
        "Penutup terlalu panjang: 5.001 karakter, paling banyak 5.000.",
    )
    _refused(
        lambda: _narrate(demo_users, agency, ["x"] * 500_000),
        EditRefused,
        "Penutup terlalu panjang: 999.999 karakter, paling banyak 5.000.",
    )


def test_a_narratives_responsible_party_holds_300_characters(demo_users, agency):
    assert _narrate(demo_users, agency, ["isi"], "p" * 300)[0].responsible == "p" * 300
    _refused(
        lambda: _narrate(demo_users, agency, ["isi baru"], "p" * 301),
        EditRefused,
        "Penanggung jawab terlalu panjang: 301 karakter, paling banyak 300.",
    )


def _submitted(agency):
    QuarterSubmission.objects.filter(agency=agency, year=2024, quarter=2).update(
        status=SubmissionStatus.SUBMITTED)  # fmt: skip


def test_a_return_reason_holds_1000_characters(demo_users, agency):
    _submitted(agency)
    back = lambda reason: return_quarter(user=demo_users["verifikator"], agency=agency,  # noqa: E731
                                         year=2024, quarter=2, reason=reason)  # fmt: skip
    _refused(
        lambda: back("r" * 1001),
        WorkflowRefused,
        "Alasan terlalu panjang: 1.001 karakter, paling banyak 1.000.",
    )
    assert back("r" * 1000).status == SubmissionStatus.RETURNED


def test_a_reopen_reason_holds_1000_characters(demo_users, agency):
    _submitted(agency)
    _refused(lambda: reopen_quarter(user=demo_users["admin"], agency=agency, year=2024,
                                    quarter=2, reason="r" * 1001), WorkflowRefused,
             "Alasan terlalu panjang: 1.001 karakter, paling banyak 1.000.")  # fmt: skip
    assert reopen_quarter(user=demo_users["admin"], agency=agency, year=2024, quarter=2,
                          reason="r" * 1000).status == SubmissionStatus.DRAFT  # fmt: skip


def test_a_row_note_holds_5000_characters(demo_users, item):
    note = lambda text: add_row_note(user=demo_users["verifikator"], work_item=item,  # noqa: E731
                                     quarter=2, text=text)  # fmt: skip
    assert note("c" * 5000).text == "c" * 5000
    _refused(
        lambda: note("c" * 5001),
        WorkflowRefused,
        "Catatan terlalu panjang: 5.001 karakter, paling banyak 5.000.",
    )


@pytest.fixture
def target():
    return IndicatorTarget.objects.get(indicator__name="Nilai SAKIP Perangkat Daerah", year=2025)


def _revise_target(demo_users, target, on=date(2024, 9, 1), legal_basis="Keputusan",
                   reason="Capaian melampaui"):  # fmt: skip
    return revise_target(user=demo_users["operator"], target=target, value=Decimal("90.5"),
                         on=on, reason=reason, legal_basis=legal_basis)  # fmt: skip


@pytest.mark.parametrize(("field", "ok", "over", "message"), [
    ("legal_basis", "d" * 300, "d" * 301,
     "Dasar hukum terlalu panjang: 301 karakter, paling banyak 300."),
    ("reason", "r" * 1000, "r" * 1001,
     "Alasan perubahan terlalu panjang: 1.001 karakter, paling banyak 1.000."),
    ("on", date(2020, 1, 1), date(2019, 12, 31),  # the Renstra 2021–2026, a year either side
     "Tanggal perubahan target 31-12-2019 di luar rentang yang diterima: 01-01-2020 sampai "
     "31-12-2027."),
    ("on", date(2027, 12, 31), date(9999, 12, 31),
     "Tanggal perubahan target 31-12-9999 di luar rentang yang diterima: 01-01-2020 sampai "
     "31-12-2027."),
])  # fmt: skip
def test_a_target_revision_keeps_its_limits(demo_users, target, field, ok, over, message):
    _refused(lambda: _revise_target(demo_users, target, **{field: over}), RevisionRefused, message)
    target.refresh_from_db()
    _revise_target(demo_users, target, **{field: ok})
    target.refresh_from_db()
    stored = {"legal_basis": target.legal_basis, "reason": target.revision_reason,
              "on": target.revised_on}[field]  # fmt: skip
    assert stored == ok


def _revise_budget(demo_users, item, on=date(2024, 9, 1), legal_basis="Perda"):
    return revise_budget(user=demo_users["operator"], work_item=item, amount=Decimal(2_000_000),
                         on=on, reason="APBD Perubahan", legal_basis=legal_basis)  # fmt: skip


@pytest.mark.parametrize(("field", "ok", "over", "message"), [
    ("legal_basis", "d" * 300, "d" * 301,
     "Dasar hukum terlalu panjang: 301 karakter, paling banyak 300."),
    ("on", date(2025, 12, 31), date(2026, 1, 1),
     "Tanggal perubahan pagu 01-01-2026 di luar rentang yang diterima: 01-01-2023 sampai "
     "31-12-2025."),
    ("on", date(2023, 1, 1), date(1900, 1, 1),
     "Tanggal perubahan pagu 01-01-1900 di luar rentang yang diterima: 01-01-2023 sampai "
     "31-12-2025."),
])  # fmt: skip
def test_a_pagu_revision_keeps_its_limits(demo_users, item, field, ok, over, message):
    _refused(lambda: _revise_budget(demo_users, item, **{field: over}), RevisionRefused, message)
    _revise_budget(demo_users, item, **{field: ok})
    item.refresh_from_db()
    stored = {"legal_basis": item.budget_legal_basis, "on": item.budget_revised_on}[field]
    assert stored == ok


def test_an_action_plan_reason_holds_1000_characters(demo_users, agency):
    from kinerja.planning.renja_edit import create_item

    # a year with no approved quarter yet: its plan is edited freely, the reason is the user's
    item = create_item(user=demo_users["operator"], agency=agency, year=2030, parent=None,
                       level="program", code="5.03.02", name="Program uji")  # fmt: skip
    plan = lambda reason: set_action_plan(user=demo_users["operator"], work_item=item,  # noqa: E731
                                          quarter=3, target_k=Decimal(2), cash_plan=None,
                                          reason=reason)  # fmt: skip
    _refused(
        lambda: plan("r" * 1001),
        RevisionRefused,
        "Alasan perubahan terlalu panjang: 1.001 karakter, paling banyak 1.000.",
    )
    assert plan("r" * 1000).history.first().history_change_reason == "r" * 1000


@pytest.mark.parametrize(("field", "limit", "label"), [
    ("name", 200, "Nama"), ("rank", 100, "Pangkat/golongan")])  # fmt: skip
# the NIP: 18 digits or empty, its 30-character column (room for spaces) in
# tests/planning/test_signatory_nip.py
def test_a_signatory_holds_its_fields_max_length(demo_users, agency, field, limit, label):
    signer = Signatory.objects.get(agreement__agency=agency, agreement__year=2024, party="first")
    values = {"name": signer.name, "nip": signer.nip, "rank": signer.rank,
              "acting": signer.acting}  # fmt: skip
    sign = lambda text: set_signatory(user=demo_users["operator"], signatory=signer,  # noqa: E731
                                      **{**values, field: text})  # fmt: skip
    _refused(
        lambda: sign("9" * (limit + 1)),
        RevisionRefused,
        f"{label} terlalu panjang: {limit + 1} karakter, paling banyak {limit}.",
    )
    sign("9" * limit)
    signer.refresh_from_db()
    assert getattr(signer, field) == "9" * limit


@pytest.mark.parametrize(("signed_on", "ok"), [
    (date(2023, 1, 1), True), (date(2025, 12, 31), True), (date(2022, 12, 31), False),
    (date(9999, 12, 31), False)])  # fmt: skip
def test_a_pk_signing_date_lies_within_its_year_and_one_either_side(agency, signed_on, ok):
    pk = PerformanceAgreement.objects.get(agency=agency, year=2024)
    pk.signed_on = signed_on
    if ok:
        pk.full_clean()
        return
    with pytest.raises(ValidationError) as exc:
        pk.full_clean()
    shown = signed_on.strftime("%d-%m-") + f"{signed_on.year:04d}"
    assert exc.value.messages == [f"Tanggal penandatanganan {shown} di luar rentang yang "
                                  "diterima: 01-01-2023 sampai 31-12-2025."]  # fmt: skip


# ---- the admin's path: each model's clean() holds the same limits ------------------------------


def _clean_refuses(obj, message):
    with pytest.raises(ValidationError) as exc:
        obj.clean()
    assert exc.value.messages == [message]


def test_the_models_clean_holds_the_text_limits(agency, item, ip_asn):
    from kinerja.monitoring.models import Narrative, Realisation, RowNote

    Realisation(work_item=item, quarter=2, note="n" * 5000).clean()
    _clean_refuses(Realisation(work_item=item, quarter=2, note="n" * 5001),
                   "Catatan terlalu panjang: 5.001 karakter, paling banyak 5.000.")  # fmt: skip
    _clean_refuses(RowNote(work_item=item, year=2024, quarter=2, text="c" * 5001),
                   "Catatan terlalu panjang: 5.001 karakter, paling banyak 5.000.")  # fmt: skip
    _clean_refuses(Narrative(agency=agency, year=2024, quarter=2, kind="closing", text="t",
                             responsible="p" * 301),
                   "Penanggung jawab terlalu panjang: 301 karakter, paling banyak 300.")  # fmt: skip
    _clean_refuses(IndicatorRealisation(indicator=ip_asn, year=2024, quarter=2, note="k\x00"),
                   "Keterangan berisi karakter NUL yang tidak dapat disimpan.")  # fmt: skip


def test_the_models_clean_holds_the_date_limits(item, ip_asn, target):
    IndicatorRealisation(indicator=ip_asn, year=2024, quarter=2,
                         measured_on=date(2025, 12, 31)).clean()  # fmt: skip
    _clean_refuses(IndicatorRealisation(indicator=ip_asn, year=2024, quarter=2,
                                        measured_on=date(9999, 12, 31)),
                   "Tanggal pengukuran 31-12-9999 di luar rentang yang diterima: 01-01-2023 "
                   "sampai 31-12-2025.")  # fmt: skip
    item.budget_revised_on = date(1900, 1, 1)
    _clean_refuses(item, "Tanggal perubahan pagu 01-01-1900 di luar rentang yang diterima: "
                         "01-01-2023 sampai 31-12-2025.")  # fmt: skip
    target.revised_on, target.revision_reason = date(2027, 12, 31), "r" * 1000
    target.clean()
    target.revised_on = date(2028, 1, 1)
    _clean_refuses(target, "Tanggal perubahan target 01-01-2028 di luar rentang yang "
                           "diterima: 01-01-2020 sampai 31-12-2027.")  # fmt: skip
