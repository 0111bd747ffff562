"""The corpus through ``kinerja plan import``: a refused file exits 2 with one Indonesian
line and writes nothing; a file with warnings exits 0 and prints each warning with its
sheet!cell. Never a traceback."""

from __future__ import annotations

import pytest

from kinerja.cli import main

from .corpus import CASES
from .files import realistic

pytestmark = pytest.mark.django_db


def _items(agency, year):
    from kinerja.planning.models import WorkItem

    return WorkItem.objects.filter(agency=agency, year=year).count()


def _history(agency, year):
    from kinerja.planning.models import WorkItem

    return WorkItem.history.filter(agency_id=agency.pk, year=year).count()


def _import(tmp_path, name, data, *extra):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(data)
    code = main(["plan", "import", str(path), "--agency", "bkpsdm-sumenep", "--year", "2025",
                 *extra])  # fmt: skip
    return code, path


@pytest.mark.parametrize("case", [c for c in CASES if c.refuse], ids=lambda c: c.name)
def test_refused_file_exits_2_and_writes_nothing(tmp_path, capsys, agency, case):
    extra = ["--kolom-pagu", case.kwargs["pagu_column"]] if case.kwargs else []
    code, path = _import(tmp_path, case.name, case.build(), *extra)
    out, err = capsys.readouterr()
    assert code == 2
    assert err.startswith(f"kinerja: {path}: ") and case.refuse in err
    assert err.count("\n") == 1 and "Traceback" not in err + out
    assert _items(agency, 2025) == 0 and _history(agency, 2025) == 0


@pytest.mark.parametrize("case", [c for c in CASES if c.warn], ids=lambda c: c.name)
def test_file_with_warnings_is_imported_with_them(tmp_path, capsys, agency, case):
    code, _path = _import(tmp_path, case.name, case.build())
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    sheet, row, column, words = case.warn
    where = f"{sheet}!{column or ''}{row}" if row is not None else sheet
    assert any(where in line and words in line for line in out.splitlines()), out
    assert "Traceback" not in out
    assert _items(agency, 2025) == len(case.codes)


def test_realistic_export_dry_run_then_write_then_again(tmp_path, capsys, agency):
    data = realistic()
    code, _path = _import(tmp_path, "renja", data, "--dry-run")
    out, _err = capsys.readouterr()
    assert code == 0 and _items(agency, 2025) == 0
    assert "kolom pagu: «Pagu Indikatif APBD»" in out and "--kolom-pagu" in out
    assert "Renja 2025!I24" in out and "Renja 2025!M26" in out
    code, _path = _import(tmp_path, "renja", data)
    capsys.readouterr()
    assert code == 0 and _items(agency, 2025) == 10
    from kinerja.planning.models import WorkItem

    program = WorkItem.objects.get(agency=agency, year=2025, code="5.03.02")
    assert program.budget_original == 2_450_000_000 and program.target_k == 72
    assert program.unit == "Indeks" and program.children.count() == 2
    history = _history(agency, 2025)
    code, _path = _import(tmp_path, "renja", data)
    out, _err = capsys.readouterr()
    assert code == 0 and "dibuat: 0, diubah: 0" in out
    assert _items(agency, 2025) == 10 and _history(agency, 2025) == history


def test_title_naming_another_agency_and_year_is_a_warning(tmp_path, capsys, agency):
    from .files import save, simple

    data = save(simple(agency="DINAS PENDIDIKAN KABUPATEN SUMENEP", year=2019))
    code, _path = _import(tmp_path, "lain", data, "--dry-run")
    out, _err = capsys.readouterr()
    assert code == 0
    assert "DINAS PENDIDIKAN KABUPATEN SUMENEP" in out and "2019" in out
