import json
from decimal import Decimal

import pytest

from kinerja.cli import main
from kinerja.planning.queries import database_findings

pytestmark = pytest.mark.django_db


def _json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def _without_ids(data):
    """The output with row ids replaced by their position, and values as Decimals."""
    ids = {row["id"]: i for i, row in enumerate(data["rows"])}
    rows = [
        {**{k: v for k, v in row.items() if k != "id"},
         "explain": {k: v for k, v in row["explain"].items()}}
        for row in data["rows"]
    ]  # fmt: skip
    findings = [{**f, "row": ids[f["row"]], "message": f["message"]} for f in data["findings"]]
    return rows, data["footer"], findings


def test_the_database_form_equals_the_file_form_later_quarters_included(
    capsys, agency, seed_example_path
):
    db = _json(capsys, "evaluate", "--agency", "bkpsdm-sumenep", "--year", "2024", "--quarter",
               "1", "--json")  # fmt: skip
    file = _json(capsys, "evaluate", str(seed_example_path), "--json")
    db_rows, db_footer, db_findings = _without_ids(db)
    file_rows, file_footer, file_findings = _without_ids(file)
    sertifikasi = next(i for i, r in enumerate(file["rows"]) if r["id"] == "5.04.02.2.02#62")
    # both hold the TW III/IV values the printed TW I report showed, and both ignore them
    ignored = file_rows[sertifikasi]["explain"]["col13.k"]
    assert ignored.endswith("= 0; diabaikan: TW III, IV [aturan DESIGN §3 v1]")
    # names and indicators: the database holds the seed's own spellings (Tabel 2.4), the file
    # the appendix as printed (tests/test_seed_names.py compares them); every figure is equal
    for rows in (db_rows, file_rows):
        for row in rows:
            row.pop("name", None)
            row.pop("indicator", None)
    assert db_rows == file_rows
    assert db_footer == file_footer
    assert [f for f in db_findings if f["row"] == sertifikasi] == [
        {"rule": "realisation-after-report-quarter", "severity": "warning", "row": sertifikasi,
         "message": "Ada realisasi pada triwulan sesudah TW I (TW III K 0,5; TW IV K 0,5); "
                    "nilai itu tidak dihitung dalam laporan ini."}
    ]  # fmt: skip
    assert db_findings == file_findings
    assert Decimal(db["footer"]["k"]).quantize(Decimal("0.01")) == Decimal("19.55")


def test_evaluate_from_the_database_refuses_an_unknown_agency_or_missing_year(capsys, agency):
    assert main(["evaluate", "--agency", "tidak-ada", "--year", "2024", "--quarter", "1"]) == 2
    assert "perangkat daerah «tidak-ada» tidak ada" in capsys.readouterr().err
    assert main(["evaluate", "--agency", "bkpsdm-sumenep", "--quarter", "1"]) == 2
    assert "--agency memerlukan --year dan --quarter" in capsys.readouterr().err
    assert main(["evaluate", "--agency", "bkpsdm-sumenep", "--year", "2030", "--quarter", "1"]) == 2
    assert "belum punya program/kegiatan untuk tahun 2030" in capsys.readouterr().err


def test_database_findings_of_the_seed(agency):
    found = database_findings(agency, year=2024)
    assert [(f.rule, f.row) for f in found] == [
        ("pk-differs-from-renja", "5.03.02#28"),  # Program Kepegawaian Daerah 55 vs 70
        ("pk-differs-from-renja", "5.03.02.2.01.0003#31"),
        ("pk-differs-from-renja", "5.03.02.2.01.0008#33"),
        ("pk-differs-from-renja", "5.03.02.2.02#36"),
        ("pk-differs-from-renja", "5.03.02.2.04.0002#47"),
        ("pk-differs-from-renja", "5.04.02.2.01#56"),
        ("pk-differs-from-renja", "5.03.01.2.02#5"),
        ("pk-differs-from-renja", "5.03.01.2.07.0006#20"),
        ("pk-differs-from-renja", "5.03.01.2.09#25"),
        ("pk-differs-from-renja", "5.03.01.2.09.0001#26"),
        ("revised-target-backwards", "Indeks Penilaian Sistem Merit"),
    ]
    assert found[0].message == (
        "Perjanjian Kinerja dan Renja berbeda untuk «Program Kepegawaian Daerah»: "
        "target PK 55 ≠ Renja 70."
    )
    assert found[-1].message == (
        "Target perubahan «Indeks Penilaian Sistem Merit» mundur: 2024 0,70 → 2025 0,60."
    )


def test_iku_and_pk_lists_that_differ_are_found(agency):
    from kinerja.planning.models import AgreementTarget

    AgreementTarget.objects.filter(position=2).delete()
    found = [f for f in database_findings(agency, year=2024) if f.rule == "iku-pk-lists-differ"]
    assert [f.message for f in found] == [
        "Daftar IKU dan Perjanjian Kinerja berbeda: IKU tanpa target PK: Persentase Capaian "
        "Kinerja Perangkat Daerah."
    ]


def test_the_forms_of_several_agencies_equal_each_agencys_own_form(agency):
    from kinerja.examples import create_example_agencies
    from kinerja.monitoring.queries import evaluation_form, evaluation_forms
    from kinerja.planning.models import Agency

    create_example_agencies(agency.government, count=2)
    agencies = list(Agency.objects.filter(government=agency.government))
    assert len(agencies) >= 3
    ids: dict[str, int] = {}
    together = evaluation_forms([a.pk for a in agencies], year=2024, quarter=2)
    for one in agencies:
        alone = evaluation_form(one, year=2024, quarter=2, ids=ids if one == agency else None)
        assert together[one.pk] == alone
    assert len(together[agency.pk].rows) == 61
    assert len(ids) == 61  # each row's Renja item id, by its label
