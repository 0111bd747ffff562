"""``kinerja plan import --antrean``: the command's import runs on the task queue (a real
`kinerja worker` process beside it, against a database of its own, tests/scratch_db.py) and
prints what the in-process import prints — the same plan written, the same dry run, the same
refusal and exit code — while the job's progress goes to stderr; with no worker it gives up
after --tunggu-detik, the job withdrawn and nothing written."""

import json
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest

from .scratch_db import kinerja, scratch_database

HELPER = Path(__file__).resolve().with_name("import_cli_helper.py")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("impcli")
    with scratch_database(tmp) as env:
        plan = tmp / "rencana.xlsx"
        _helper(env, "agencies", str(plan))
        yield env, plan


def _helper(env, *args) -> str:
    done = subprocess.run([sys.executable, str(HELPER), *args], env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _state(env, slug: str) -> dict:
    return json.loads(_helper(env, "state", slug))


def _import(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run([*kinerja(), "plan", "import", *args], env=env,
                          cwd=env["KINERJA_VAR_DIR"], capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip


@contextmanager
def worker(env):
    process = subprocess.Popen([*kinerja(), "worker", "--processes", "1"], env=env,
                               cwd=env["KINERJA_VAR_DIR"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        yield
    finally:
        process.send_signal(signal.SIGTERM)  # it lets its child finish the task, then stops
        try:
            process.wait(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def _changed_name(plan: Path, out: Path) -> Path:
    """The plan with its first Renja row renamed: a new item (and the old one left)."""
    book = openpyxl.load_workbook(plan)
    sheet = book["Renja"]
    column = next(c.column for c in sheet[4] if c.value == "Nama")
    sheet.cell(row=5, column=column).value = "Program Diganti dari Uji"
    book.save(out)
    return out


def test_a_queued_import_previews_then_writes_what_the_in_process_import_writes(database):
    env, plan = database
    a = ("--agency", "dinas-cli-a", "--year", "2024", "--json")
    b = ("--agency", "dinas-cli-b", "--year", "2024", "--json")
    dry_here = _import(env, str(plan), *a, "--dry-run")
    written_here = _import(env, str(plan), *a)
    with worker(env):
        dry_queued = _import(env, str(plan), *b, "--dry-run", "--antrean")
        after_dry = _state(env, "dinas-cli-b")
        written_queued = _import(env, str(plan), *b, "--antrean", "--tunggu-detik", "120")

    for done in (dry_here, written_here, dry_queued, written_queued):
        assert done.returncode == 0, done.stderr[-3000:]
    # the same output but for the agency (its slug, and its name in a warning)
    got = {name: json.loads(done.stdout.replace("Dinas CLI B", "Dinas CLI A"))
           for name, done in [("dry_here", dry_here), ("written_here", written_here),
                              ("dry_queued", dry_queued), ("written_queued", written_queued)]}  # fmt: skip
    for name in got:
        assert got[name].pop("agency") == (
            "dinas-cli-a" if name.endswith("here") else "dinas-cli-b"
        )
    assert got["dry_queued"] == got["dry_here"]
    assert got["written_queued"] == got["written_here"]
    assert (got["dry_queued"]["written"], got["written_queued"]["written"]) == (False, True)
    assert got["written_queued"]["counts"]["created"] > 0

    # the dry run wrote nothing and its job ended cancelled, its kept file deleted
    assert (after_dry["items"], after_dry["renstra"]) == ([], 0)
    assert [(j["state"], j["confirmed"]) for j in after_dry["jobs"]] == [("batal", False)]
    here, queued = _state(env, "dinas-cli-a"), _state(env, "dinas-cli-b")
    assert queued["items"] == here["items"] != []
    assert queued["history"] == here["history"] == [[None, "impor rencana.xlsx"]]
    assert queued["renstra"] == here["renstra"] == 1
    assert [(j["state"], j["user"], j["confirmed"], j["created"]) for j in queued["jobs"]] == [
        ("selesai", None, True, got["written_queued"]["counts"]["created"]),
        ("batal", None, False, None),
    ]
    assert queued["kept"] == []
    progress = written_queued.stderr.splitlines()
    assert progress[0].endswith("(pratinjau): dalam antrean — menunggu pekerja antrean "
                                "(kinerja worker)")  # fmt: skip
    assert progress[-1].endswith("(tulis): selesai")
    assert any("(tulis): dalam antrean" in line for line in progress)


def test_a_queued_import_refused_exits_2_with_the_same_summary_and_writes_nothing(
    database, tmp_path
):
    env, plan = database
    changed = _changed_name(plan, tmp_path / "diganti.xlsx")
    seed = ("--agency", "bkpsdm-sumenep", "--year", "2024")
    before = _state(env, "bkpsdm-sumenep")
    garbage = tmp_path / "bukan.xlsx"
    garbage.write_bytes(b"bukan berkas xlsx")
    here = _import(env, str(changed), *seed)
    with worker(env):
        queued = _import(env, str(changed), *seed, "--antrean")
        unreadable = _import(env, str(garbage), *seed, "--antrean")

    assert (here.returncode, queued.returncode) == (2, 2)
    assert "sudah disahkan" in here.stderr
    assert queued.stdout == here.stdout  # the same summary, DITOLAK line included
    assert queued.stderr.splitlines()[-1] == here.stderr.splitlines()[-1]
    assert unreadable.returncode == 2
    assert unreadable.stdout == ""
    assert "Berkas ditolak" in unreadable.stderr.splitlines()[-1]
    after = _state(env, "bkpsdm-sumenep")
    assert (after["items"], after["history"]) == (before["items"], before["history"])
    assert [j["state"] for j in after["jobs"]] == ["gagal", "batal"]
    assert after["kept"] == []


def test_a_queued_import_no_worker_takes_is_withdrawn_after_the_wait(database, tmp_path):
    env, plan = database
    changed = _changed_name(plan, tmp_path / "diganti.xlsx")
    before = _state(env, "dinas-cli-a")
    done = _import(env, str(changed), "--agency", "dinas-cli-a", "--year", "2024", "--antrean",
                   "--tunggu-detik", "1")  # fmt: skip

    assert done.returncode == 3
    assert done.stdout == ""
    said = done.stderr.splitlines()[-1]
    assert said.startswith("kinerja: tidak ada pekerja antrean yang mengambil impor ")
    assert "dalam 1 detik; jalankan «kinerja worker»" in said
    drained = subprocess.run([*kinerja(), "worker", "--burst", "--processes", "1"], env=env,
                             cwd=env["KINERJA_VAR_DIR"], capture_output=True, text=True,
                             timeout=300, check=False)  # fmt: skip
    assert drained.returncode == 0, drained.stderr[-3000:]
    after = _state(env, "dinas-cli-a")
    assert after["items"] == before["items"]  # its task, run later, found it withdrawn
    assert after["jobs"][0]["state"] == "batal"
    assert after["jobs"][0]["error"] == said.removeprefix("kinerja: ")
    assert after["kept"] == []


def test_a_queued_form_import_prints_and_writes_what_the_in_process_one_does(database, tmp_path):
    env, _plan = database
    made = subprocess.run([*kinerja(), "report", "--agency", "bkpsdm-sumenep", "--year", "2024",
                           "--quarter", "1", "--format", "xlsx", "--output", str(tmp_path)],
                          env=env, cwd=env["KINERJA_VAR_DIR"], capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert made.returncode == 0, made.stderr[-3000:]
    (form,) = tmp_path.glob("*.xlsx")

    def form_import(slug, *extra):
        return subprocess.run([*kinerja(), "form", "import", str(form), "--agency", slug,
                               "--year", "2024", *extra], env=env, cwd=env["KINERJA_VAR_DIR"],
                              capture_output=True, text=True, timeout=300, check=False)  # fmt: skip

    here = form_import("dinas-cli-c")
    with worker(env):
        queued = form_import("dinas-cli-d", "--antrean")

    assert (here.returncode, queued.returncode) == (0, 0), queued.stderr[-3000:]
    assert "Realisasi Triwulan I–I" in here.stdout
    # the same summary but for the agency (its name in the title, the warning of another agency)
    shown = queued.stdout.replace("Dinas CLI D", "Dinas CLI C").replace(" ke DCD ", " ke DCC ")
    assert shown == here.stdout
    assert queued.stderr.splitlines()[-1].endswith("(tulis): selesai")
    c, d = _state(env, "dinas-cli-c"), _state(env, "dinas-cli-d")
    assert d["items"] == c["items"] != []
    assert d["history"] == c["history"]
    assert [(j["state"], j["user"]) for j in d["jobs"]] == [("selesai", None)]


def test_ctrl_c_withdraws_a_queued_import(database, tmp_path):
    env, plan = database
    changed = _changed_name(plan, tmp_path / "diganti.xlsx")
    before = _state(env, "dinas-cli-a")
    process = subprocess.Popen([*kinerja(), "plan", "import", str(changed), "--agency",
                                "dinas-cli-a", "--year", "2024", "--antrean"], env=env,
                               cwd=env["KINERJA_VAR_DIR"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        first = process.stderr.readline()  # the job is queued: no worker runs
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)

    assert "(pratinjau): dalam antrean" in first
    assert process.returncode == 130
    assert rest[0] == ""
    assert rest[1].splitlines()[-1].endswith("dihentikan dengan Ctrl+C; tidak ada yang ditulis.")
    after = _state(env, "dinas-cli-a")
    assert after["items"] == before["items"]
    assert (after["jobs"][0]["state"], after["kept"]) == ("batal", [])
