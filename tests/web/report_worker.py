"""`kinerja worker` beside a browser test's `kinerja serve` (tests/web/test_browser_workflow.py):
a download puts a job on the task queue and a worker makes the file, as `kinerja demo` runs one
beside its server. Stopped as Ctrl+C stops it."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_browser_workflow import _kinerja, _server_env


@pytest.fixture
def report_worker(live_server_url: str, tmp_path: Path) -> Iterator[subprocess.Popen]:
    """One worker process on the live server's database (its demo is loaded by then)."""
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen([*_kinerja(), "worker", "--processes", "1"], cwd=tmp_path,
                              env=_server_env(tmp_path), stdout=log,
                              stderr=subprocess.STDOUT)  # fmt: skip
    try:
        yield worker
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=60)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)
        log.close()
