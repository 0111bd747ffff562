"""Reports on the task queue: the page and `kinerja batch` only enqueue; a worker renders each
job once, keeps its file and counts the batch's progress in the database; a failure is recorded
on its job; a job whose worker died is queued again, then failed after its last run."""

import os
import socket
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from kinerja.monitoring.models import GeneratedReport
from kinerja.reporting.models import ReportBatch, ReportJob
from kinerja.reporting.tasks import (
    QUARTER_SET,
    enqueue_batch,
    enqueue_one,
    enqueue_quarter,
    recover_abandoned,
    run_job,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _work_off() -> None:
    """The database backend's own worker, in this process, until the queue is empty (its
    claim and run; not its loop, which closes the test transaction's connection)."""
    worker = Worker(queue_names=["laporan"], interval=0, batch=True, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id="test",
                    excluded_queue_names=[])  # fmt: skip
    while (result := DBTaskResult.objects.ready().filter(queue_name="laporan").first()) is not None:
        result.claim("test")
        worker.run_task(result)


def _url(agency):
    return reverse("web:reports", kwargs={"agency": agency.slug, "year": 2024, "quarter": 1})


def test_the_page_only_enqueues_and_shows_progress_until_done(
    client, demo_users, agency, media, django_capture_on_commit_callbacks
):
    client.force_login(demo_users["evaluator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(agency), {"buat": "form.xlsx"})
    assert response.status_code == 302
    assert GeneratedReport.objects.count() == 0  # nothing rendered in the request
    job = ReportJob.objects.get()
    assert (job.document, job.format, job.state) == ("form", "xlsx", ReportJob.State.QUEUED)
    task = DBTaskResult.objects.get(queue_name="laporan")  # not the seed's roll-up refreshes
    assert str(task.pk) == job.task_id and task.status == TaskResultStatus.READY
    assert task.args_kwargs["args"] == [job.pk]

    page = client.get(_url(agency))
    assert page["Refresh"] == "3"
    assert "0/1 · selesai 0 · gagal 0" in page.content.decode()

    _work_off()
    job.refresh_from_db()
    assert job.state == ReportJob.State.DONE and job.attempts == 1
    stored = GeneratedReport.objects.get()
    assert job.report == stored and stored.created_by == demo_users["evaluator"]
    assert (media / stored.file.name).read_bytes()[:2] == b"PK"  # a whole workbook
    DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL, queue_name="laporan")
    page = client.get(_url(agency))
    assert "Refresh" not in page
    html = page.content.decode()
    assert "1/1 · selesai 1 · gagal 0" in html
    assert f"?berkas={stored.pk}" in html


def test_a_pemda_quarter_is_every_agency_times_every_document_and_format(
    agency, django_capture_on_commit_callbacks
):
    from kinerja.planning.models import Agency

    agencies = list(Agency.objects.filter(government=agency.government))
    with django_capture_on_commit_callbacks(execute=True):
        batch = enqueue_quarter(agency.government, year=2024, quarter=1)
    pairs = {(j.agency_id, j.document, j.format) for j in batch.jobs.all()}
    assert pairs == {(a.pk, d, f) for a in agencies for d, f in QUARTER_SET}
    assert DBTaskResult.objects.ready().filter(queue_name="laporan").count() == len(pairs)
    assert batch.progress() == {"total": len(pairs), "queued": len(pairs), "running": 0,
                                "done": 0, "failed": 0}  # fmt: skip


def test_a_failing_job_is_recorded_and_the_batch_counts_it(
    agency, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = enqueue_batch(government=agency.government, year=2024, quarter=1,
                              pairs=[("pk", "pdf"), ("pk", "odt")], agencies=[agency])  # fmt: skip
    _work_off()
    assert batch.progress() == {"total": 2, "queued": 0, "running": 0, "done": 1, "failed": 1}
    failed = batch.jobs.get(state=ReportJob.State.FAILED)
    assert failed.format == "odt" and "UnsupportedFormat" in failed.error
    assert GeneratedReport.objects.get().format == "pdf"


def test_a_job_runs_once_even_if_enqueued_twice(agency, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = enqueue_one(agency, year=2024, quarter=1, document="pk", fmt="pdf")
    job = batch.jobs.get()
    assert run_job(job.pk) == ReportJob.State.DONE
    assert run_job(job.pk) == "skipped"
    assert GeneratedReport.objects.count() == 1


def _running(agency, *, worker: str, attempts: int, heartbeat_age: int = 0) -> ReportJob:
    batch = ReportBatch.objects.create(government=agency.government, agency=agency, year=2024,
                                       quarter=1)  # fmt: skip
    now = timezone.now()
    return ReportJob.objects.create(batch=batch, agency=agency, document="form", format="xlsx",
                                    state=ReportJob.State.RUNNING, attempts=attempts,
                                    worker=worker, started_at=now,
                                    heartbeat_at=now - timedelta(seconds=heartbeat_age))  # fmt: skip


def _dead_pid() -> int:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


def test_a_dead_workers_job_is_queued_again_then_failed(
    agency, settings, django_capture_on_commit_callbacks
):
    settings.TASK_ATTEMPTS, settings.TASK_LEASE_SECONDS = 2, 300
    host = socket.gethostname()
    dead = _running(agency, worker=f"{host}:{_dead_pid()}", attempts=1)
    last = _running(agency, worker=f"{host}:{_dead_pid()}", attempts=2)
    alive = _running(agency, worker=f"{host}:{os.getpid()}", attempts=1)
    silent = _running(agency, worker="another-machine:1234", attempts=1, heartbeat_age=301)
    busy = _running(agency, worker="another-machine:1235", attempts=1, heartbeat_age=60)
    with django_capture_on_commit_callbacks(execute=True):
        recovered = dict(recover_abandoned())
    assert recovered == {dead.pk: ReportJob.State.QUEUED, last.pk: ReportJob.State.FAILED,
                         silent.pk: ReportJob.State.QUEUED}  # fmt: skip
    for job in (dead, last, alive, silent, busy):
        job.refresh_from_db()
    assert dead.state == ReportJob.State.QUEUED and "dicoba lagi" in dead.error
    assert dead.task_id and DBTaskResult.objects.get(pk=dead.task_id).status == "READY"
    assert last.state == ReportJob.State.FAILED and "berhenti di tengah" in last.error
    assert alive.state == busy.state == ReportJob.State.RUNNING


def test_kinerja_batch_enqueues_and_shows_progress(agency, capsys, media):
    from kinerja.cli import main

    assert main(["batch", "--pemda", agency.government.slug, "--year", "2024", "--quarter",
                 "1", "--agency", agency.slug, "--no-wait"]) == 0  # fmt: skip
    batch = ReportBatch.objects.get()
    out = capsys.readouterr().out
    assert f"Antrean laporan {batch.pk}: {len(QUARTER_SET)} berkas" in out
    assert batch.jobs.count() == len(QUARTER_SET)
    assert main(["batch", "--show", str(batch.pk)]) == 0
    assert f"0/{len(QUARTER_SET)} · selesai 0 · gagal 0" in capsys.readouterr().err
    assert main(["batch", "--pemda", "tidak-ada", "--year", "2024", "--quarter", "1"]) == 2
    assert "tidak ada" in capsys.readouterr().err


def test_only_the_admin_pemda_enqueues_the_whole_pemda(client, demo_users, agency):
    client.force_login(demo_users["evaluator"])
    assert client.post(_url(agency), {"buat": "pemda"}).status_code == 403
    assert "Semua perangkat daerah" not in client.get(_url(agency)).content.decode()
    client.force_login(demo_users["admin"])
    assert "Semua perangkat daerah" in client.get(_url(agency)).content.decode()
    assert client.post(_url(agency), {"buat": "pemda"}).status_code == 302
    assert ReportBatch.objects.get().agency is None
    assert client.post(_url(agency), {"buat": "form.odt"}).status_code == 404
