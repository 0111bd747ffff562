"""What a newcomer meets on a fresh clone (issue 17): the docs point only inside the
repository; `make demo` says what it installs and takes another port; a port already taken is
said in Indonesian with the way out, before anything is loaded; `kinerja --help` names every
report format; browser tests keep their screenshots in pytest's tmp_path, never under fixed
names in the system temp folder; CI drops its PostgreSQL database when it ends."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _kinerja() -> list[str]:
    script = Path(sys.executable).with_name("kinerja")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kinerja.cli"]


def test_readme_and_docs_point_only_inside_the_repository() -> None:
    outside = re.compile(r"\.\./shared|\bshared/|DESIGN\.md")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if outside.search(line)
    ]
    assert found == []
    # what they relied on is now in the repository, and linked
    seed = (ROOT / "docs" / "seed.md").read_text(encoding="utf-8")
    assert "parent-not-sum-of-children" in seed and "40,64 %" in seed
    assert "docs/seed.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_path_the_docs_name_exists() -> None:
    """A `docs/….md` or `src/…` path written in README or docs is a file of the repository."""
    named = set()
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        named |= set(
            re.findall(r"(?<![\w/.])((?:docs|examples|tools)/[\w./-]+\.(?:md|json|py))", text)
        )
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert missing == []


def test_browser_tests_write_screenshots_only_under_tmp_path() -> None:
    fixed = re.compile(r"""["'](/tmp/|/var/tmp/)|gettempdir\(""")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != Path(__file__).name
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if fixed.search(line)
    ]
    assert found == []


def test_help_names_docx_for_report() -> None:
    shown = subprocess.run([*_kinerja(), "--help"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0
    line = next(t for t in shown.stdout.splitlines() if t.strip().startswith("report"))
    assert "XLSX" in line and "PDF" in line and "DOCX" in line, line


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_a_taken_port_is_said_in_indonesian_with_the_way_out(command, taken_port, tmp_path):
    env = dict(os.environ)
    env.pop("DEBUG", None)
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", KINERJA_VAR_DIR=str(tmp_path))
    run = subprocess.run(
        [*_kinerja(), command, "--port", str(taken_port)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "berjalan di" not in run.stdout  # never announced as running
    assert "already in use" not in run.stdout + run.stderr
    assert f"port {taken_port} di 127.0.0.1 sudah dipakai program lain" in run.stderr
    if command == "demo":
        assert f"make demo PORT={taken_port + 1}" in run.stderr
        assert f"kinerja demo --port {taken_port + 1}" in run.stderr
        assert "Menyiapkan basis data" not in run.stdout  # said before a minute of loading
        assert not (tmp_path / "demo.sqlite3").exists()
    else:
        assert f"kinerja serve --port {taken_port + 1}" in run.stderr


def _make_plan(*args: str) -> subprocess.CompletedProcess[str]:
    """``make -n …`` as a user runs it: not as a sub-make of ``make test`` (whose MAKEFLAGS
    and MAKELEVEL would add "make[1]: Entering directory" lines)."""
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.run(["make", "--no-print-directory", "-n", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip


def test_make_demo_says_what_it_installs_and_takes_a_port() -> None:
    # -n: print, run nothing; -W pyproject.toml: as on a fresh clone, the install step is due
    plan = _make_plan("-W", "pyproject.toml", "demo", "PORT=8123")
    assert plan.returncode == 0, plan.stderr
    lines = plan.stdout.splitlines()
    say = next(i for i, t in enumerate(lines) if "Menyiapkan lingkungan Python" in t)
    install = next(i for i, t in enumerate(lines) if "pip install" in t and "-e" in t)
    assert say < install  # said before the silent half minute
    assert lines[-1].endswith("kinerja demo --port 8123")


def test_make_test_installs_axe_core_from_npm_into_an_ignored_folder() -> None:
    plan = _make_plan("-W", "Makefile", "-B", "test")
    assert plan.returncode == 0, plan.stderr
    assert "npm install --prefix .cache/npm" in plan.stdout and "axe-core@4" in plan.stdout
    ignored = subprocess.run(["git", "check-ignore", "-q", ".cache/npm/node_modules/x"], cwd=ROOT)
    assert ignored.returncode == 0


def test_ci_drops_its_database_at_the_end_without_notices() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    trap = re.search(r"^trap (\w+) EXIT", script, re.M)
    assert trap, "no EXIT trap"
    body = re.search(rf"^{trap.group(1)}\(\) \{{(.*?)\}}", script, re.M | re.S)
    assert body and "DROP DATABASE IF EXISTS kinerja_ci" in body.group(1)
    # the trap is set once the database exists, before the run that uses it
    assert script.index("CREATE DATABASE kinerja_ci") < trap.start()
    assert trap.start() < script.index('DATABASE_URL="$PGURL_BASE/kinerja_ci" make test')
    assert "client_min_messages=warning" in script  # psql prints no NOTICE
