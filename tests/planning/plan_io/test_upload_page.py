"""The upload page of the plan import: preview (nothing written), confirm (a job on the task
queue; the worker writes it in one transaction), cancel, and every way a confirmation can be
refused — with the Django client and the worker's step in this process."""

import os
from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kinerja.accounts.models import Profile, Role
from kinerja.planning.models import PlanImportJob, WorkItem

from ...queue_helpers import work_off

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def new_operator(client, new_agency):
    user = get_user_model().objects.create_user("operator-dpi", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=new_agency.government,
                           agency=new_agency)  # fmt: skip
    client.force_login(user)
    return user


def _url(agency, year=2024, name="planning:plan_import"):
    return reverse(name, args=[agency.slug, year])


def _job_url(agency, job):
    return reverse("planning:plan_import_job", args=[agency.slug, 2024, job.pk])


def _work_off_imports():
    """The worker's step; how many import tasks were ready (other tasks of the queue — a
    roll-up's refresh — run too, uncounted)."""
    ready = DBTaskResult.objects.ready().filter(task_path__endswith=".write_plan_import")
    count = ready.count()
    work_off("default")
    return count


def _stored(media):
    folder = media / "impor-rencana"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _upload(client, agency, data, captured, name="rencana.xlsx", **extra):
    """Upload (the request only keeps the file and enqueues), let the worker preview it; the
    job and its page."""
    with captured(execute=True):
        response = client.post(_url(agency), {"berkas": SimpleUploadedFile(name, data), **extra})
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = PlanImportJob.objects.latest("pk")
    assert response["Location"] == _job_url(agency, job)
    assert (job.state, job.confirmed) == (PlanImportJob.State.QUEUED, False)
    assert _work_off_imports() == 1  # the worker's preview
    job.refresh_from_db()
    return job, client.get(_job_url(agency, job))


def _confirm(client, agency, job, captured, data=None):
    """POST the confirmation on the job's page (the request only enqueues the write)."""
    with captured(execute=True):
        response = client.post(_job_url(agency, job), data or {"terapkan": "1"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert response["Location"] == _job_url(agency, job)
    job.refresh_from_db()
    return job


def test_page_offers_the_template_and_the_stored_plan(client, new_operator, new_agency, agency):
    import openpyxl

    page = client.get(_url(new_agency))
    assert page.status_code == 200
    text = page.content.decode()
    assert _url(new_agency, name="planning:plan_template") in text
    assert 'type="file"' in text
    blank = client.get(_url(new_agency, name="planning:plan_template"))
    assert blank["Content-Disposition"].endswith('templat-rencana-dinas-percobaan-impor-2024.xlsx"')
    book = openpyxl.load_workbook(BytesIO(blank.content))
    assert {"Petunjuk", "Renja", "Renstra", "IKU"} <= set(book.sheetnames)


def test_the_worker_previews_then_writes_it_all_once_confirmed(
    client, new_operator, new_agency, agency, seed_export, _media,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    captured = django_capture_on_commit_callbacks
    with captured(execute=True):
        response = client.post(_url(new_agency), {
            "berkas": SimpleUploadedFile("rencana-bkpsdm.xlsx", seed_export)})  # fmt: skip
    job = PlanImportJob.objects.latest("pk")
    assert response.status_code == 302 and not WorkItem.objects.filter(agency=new_agency).exists()
    waiting = client.get(_job_url(new_agency, job))  # before any worker: the page waits
    assert waiting["Refresh"] == "2"
    assert "Dalam antrean" in waiting.content.decode()
    assert "belum ada yang ditulis" in waiting.content.decode()
    assert _work_off_imports() == 1  # the preview
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.READY and job.digest
    assert not WorkItem.objects.filter(agency=new_agency).exists()  # nothing written yet
    seed_items = WorkItem.objects.filter(agency=agency, year=2024).count()
    assert job.preview["counts"]["created"] >= seed_items
    preview = client.get(_job_url(new_agency, job))
    assert "Refresh" not in preview
    text = preview.content.decode()
    assert "5.03.02 Program Kepegawaian Daerah" in text
    assert 'name="terapkan"' in text
    assert len(_stored(_media)) == 1  # kept for the confirmation only

    job = _confirm(client, new_agency, job, captured)
    assert not WorkItem.objects.filter(agency=new_agency).exists()  # the request wrote nothing
    assert (job.state, job.confirmed) == (PlanImportJob.State.QUEUED, True) and job.task_id
    assert job.file_name == "rencana-bkpsdm.xlsx" and job.requested_by == new_operator
    page = client.get(_job_url(new_agency, job))
    assert page["Refresh"] == "2"
    assert "dalam satu transaksi" in page.content.decode()
    assert "5.03.02 Program Kepegawaian Daerah" not in page.content.decode()  # not re-drawn
    # a second click on the same confirmation: refused, nothing queued twice
    again = client.post(_job_url(new_agency, job), {"terapkan": "1"})
    assert again.status_code == 400 and "tidak lagi menunggu persetujuan" in again.content.decode()

    assert _work_off_imports() == 1  # the write
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.DONE
    assert (job.created, job.changed) == (job.preview["counts"]["created"], 0)
    items = WorkItem.objects.filter(agency=new_agency, year=2024)
    assert items.count() == seed_items
    program = items.get(code="5.03.02")
    assert program.budget_original == D("1905955200")
    latest = program.history.first()
    assert latest.history_change_reason == "impor rencana-bkpsdm.xlsx"
    assert latest.history_user == new_operator
    assert _stored(_media) == []  # deleted once written
    done = client.get(_job_url(new_agency, job))
    assert "Refresh" not in done
    text = done.content.decode()
    assert f"Rencana diimpor dari rencana-bkpsdm.xlsx: {job.created} dibuat, 0 diubah." in text
    assert reverse("planning:renja", args=[new_agency.slug, 2024]) in text
    assert 'name="terapkan"' not in text

    # the same file again: previewed as nothing to write, and nothing is kept
    same, page = _upload(client, new_agency, seed_export, captured)
    assert (same.state, same.created, same.changed) == (PlanImportJob.State.DONE, 0, 0)
    assert "Tidak ada yang perlu ditulis" in page.content.decode()
    assert _stored(_media) == []
    assert WorkItem.objects.filter(agency=new_agency, year=2024).count() == seed_items


def test_a_failing_write_is_reported_in_indonesian_and_leaves_nothing_half_written(
    client, new_operator, new_agency, seed_export, _media, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The write fails after its first rows are in the transaction: none of them stays."""
    from kinerja.planning.models import OrgUnit, StrategicPlan
    from kinerja.planning.plan_io import apply

    def written_so_far():
        return (StrategicPlan.objects.filter(agency=new_agency).count(),
                OrgUnit.objects.filter(agency=new_agency).count())  # fmt: skip

    seen = []

    def fail_after_the_renstra(self, *args, **kwargs):
        seen.append(written_so_far())  # inside the write's transaction
        raise RuntimeError("disk penuh")

    monkeypatch.setattr(apply._Writer, "_items", fail_after_the_renstra)
    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    _work_off_imports()
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.FAILED
    assert job.error.startswith("Impor gagal karena kesalahan tak terduga; tidak ada yang ditulis.")
    assert "disk penuh" in job.error
    assert seen and seen[0] != (0, 0)  # the Renstra and units were in the transaction…
    assert written_so_far() == (0, 0)  # … and went with it
    assert not WorkItem.objects.filter(agency=new_agency).exists()
    page = client.get(_job_url(new_agency, job))
    assert "Refresh" not in page
    assert "Impor tidak ditulis; tidak ada yang berubah." in page.content.decode()
    assert _stored(_media) == []


def test_cancel_deletes_the_kept_file(client, new_operator, new_agency, seed_export, _media,
                                      django_capture_on_commit_callbacks):  # fmt: skip
    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_job_url(new_agency, job), {"batal": "1"})
    assert response.status_code == 302 and response["Location"] == _url(new_agency)
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.CANCELLED
    assert _stored(_media) == []
    assert client.post(_job_url(new_agency, job), {"terapkan": "1"}).status_code == 400
    assert _work_off_imports() == 0
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_a_database_that_moved_since_the_preview_is_refused(
    client, new_operator, new_agency, seed_export, django_capture_on_commit_callbacks
):
    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    WorkItem.objects.create(agency=new_agency, year=2024, position=1, level="program",
                            code="5.03.02", name="Program Kepegawaian Daerah")  # fmt: skip
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    _work_off_imports()
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.FAILED
    assert "berubah sejak pratinjau" in job.error
    page = client.get(_job_url(new_agency, job))
    assert "berubah sejak pratinjau" in page.content.decode()
    assert WorkItem.objects.filter(agency=new_agency).count() == 1


def test_only_the_uploader_confirms_and_only_a_fresh_preview(
    client, new_operator, new_agency, seed_export, _media, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from kinerja.planning import import_task

    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    # another operator of the same agency reads the preview but cannot confirm or cancel it
    other = get_user_model().objects.create_user("operator-dpi-2", password="demo")
    Profile.objects.create(user=other, role=Role.OPERATOR, government=new_agency.government,
                           agency=new_agency)  # fmt: skip
    client.force_login(other)
    page = client.get(_job_url(new_agency, job))
    assert page.status_code == 200 and 'name="terapkan"' not in page.content.decode()
    assert client.post(_job_url(new_agency, job), {"terapkan": "1"}).status_code == 403
    assert client.post(_job_url(new_agency, job), {"batal": "1"}).status_code == 403
    assert import_task.expire_previews() == []  # a fresh preview waits for its answer
    # a preview older than two hours is done again
    client.force_login(new_operator)
    PlanImportJob.objects.filter(pk=job.pk).update(
        finished_at=job.finished_at - timedelta(hours=2, seconds=1)
    )
    stale = client.post(_job_url(new_agency, job), {"terapkan": "1"})
    assert stale.status_code == 400 and "kedaluwarsa" in stale.content.decode()
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.READY and not job.confirmed
    assert _work_off_imports() == 0
    assert not WorkItem.objects.filter(agency=new_agency).exists()
    # nobody answers it: the next worker check expires it and deletes the kept file
    with django_capture_on_commit_callbacks(execute=True):
        assert import_task.expire_previews() == [job.pk]
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.FAILED and "kedaluwarsa" in job.error
    assert _stored(_media) == []


@pytest.mark.parametrize("data", [b"bukan xlsx", b"PK\x03\x04rusak"])
def test_a_bad_file_is_refused_with_a_reason_and_nothing_kept(
    client, new_operator, new_agency, _media, data, django_capture_on_commit_callbacks
):
    job, page = _upload(client, new_agency, data, django_capture_on_commit_callbacks)
    assert job.state == PlanImportJob.State.FAILED
    assert job.error.startswith("Berkas ditolak")
    assert (
        "Berkas ditolak" in page.content.decode() and 'name="terapkan"' not in page.content.decode()
    )
    assert _stored(_media) == []
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_an_upload_above_the_limit_is_refused_in_the_request(
    client, new_operator, new_agency, _media, monkeypatch
):
    from kinerja.planning import upload_flow

    monkeypatch.setattr(upload_flow, "MAX_BYTES", 10)
    response = client.post(_url(new_agency), {"berkas": SimpleUploadedFile("b.xlsx", b"x" * 11)})
    assert response.status_code == 400 and "Berkas lebih dari" in response.context["error"]
    assert _stored(_media) == [] and not PlanImportJob.objects.filter(agency=new_agency).exists()


def test_only_the_plan_editors_may_upload(client, demo_users, agency, seed_export,
                                          django_capture_on_commit_callbacks):  # fmt: skip
    client.force_login(demo_users["verifikator"])
    assert client.get(_url(agency)).status_code == 200  # reads
    assert client.post(_url(agency), {"berkas": SimpleUploadedFile("r.xlsx", seed_export)}
                       ).status_code == 403  # fmt: skip
    client.force_login(demo_users["admin"])  # the admin pemda acts for the agency
    job, page = _upload(client, agency, seed_export, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    client.force_login(demo_users["verifikator"])  # reads the job, cannot answer it
    assert client.get(_job_url(agency, job)).status_code == 200
    assert client.post(_job_url(agency, job), {"terapkan": "1"}).status_code == 403


def test_an_approved_year_asks_for_the_revision(client, demo_users, agency, seed_export,
                                                django_capture_on_commit_callbacks):  # fmt: skip
    from tests.planning.plan_io.test_round_trip import _with_cell

    client.force_login(demo_users["operator"])
    data = _with_cell(seed_export, "Renja", lambda r: r[1].value == "5.03.02", "Pagu (Rp)",
                      2000000000)  # fmt: skip
    job, preview = _upload(client, agency, data, django_capture_on_commit_callbacks,
                           name="perubahan.xlsx")  # fmt: skip
    assert preview.status_code == 200
    assert job.state == PlanImportJob.State.READY and job.preview["needs_revision"]
    assert 'name="dasar_hukum"' in preview.content.decode()
    refused = client.post(_job_url(agency, job), {"terapkan": "1"})
    assert refused.status_code == 400 and "revisi" in refused.context["error"]
    program = WorkItem.objects.get(agency=agency, year=2024, code="5.03.02")
    assert program.budget_revised is None
    half = client.post(_job_url(agency, job), {"tanggal_revisi": "2024-09-30"})
    assert half.status_code == 400 and "sekaligus" in half.context["error"]
    assert 'value="2024-09-30"' in half.content.decode()  # shown again as typed
    job = _confirm(client, agency, job, django_capture_on_commit_callbacks,
                   {"tanggal_revisi": "2024-09-30", "alasan_revisi": "APBD Perubahan",
                    "dasar_hukum": "Perda 5/2024"})  # fmt: skip
    _work_off_imports()
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.DONE and job.changed == 1
    program.refresh_from_db()
    assert program.budget_revised == D("2000000000")
    assert program.budget_revised_on == date(2024, 9, 30)
    assert program.budget_original == D("1905955200")


def _claimed_elsewhere(job, monkeypatch, *, beat_age, attempts=None):
    """``job`` claimed by a worker on another machine whose last heartbeat is ``beat_age``
    seconds old; the claimed job as that worker holds it."""
    from datetime import timedelta

    from django.utils import timezone

    from kinerja.planning import import_task
    from kinerja.reporting import tasks

    job.refresh_from_db()
    DBTaskResult.objects.get(pk=job.task_id).claim("mesin-lain")  # its task: running there
    monkeypatch.setattr(tasks, "worker_name", lambda: "mesin-lain:4242")
    claimed = import_task._claim(job.pk)
    monkeypatch.undo()
    fields = {"heartbeat_at": timezone.now() - timedelta(seconds=beat_age)}
    if attempts is not None:
        fields["attempts"] = attempts
    PlanImportJob.objects.filter(pk=job.pk).update(**fields)
    return claimed


def test_an_import_whose_worker_stopped_beating_is_queued_again_and_written_once(
    client, new_operator, new_agency, seed_export, _media, monkeypatch, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from kinerja.planning import import_task

    settings.TASK_LEASE_SECONDS, settings.TASK_ATTEMPTS = 300, 2
    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    stale = _claimed_elsewhere(job, monkeypatch, beat_age=301)
    assert stale.state == PlanImportJob.State.RUNNING and stale.attempts == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert import_task.recover_abandoned_imports() == [(job.pk, PlanImportJob.State.QUEUED)]
    job.refresh_from_db()
    assert (job.state, job.stage, job.attempts) == (PlanImportJob.State.QUEUED, "", 1)
    assert job.error == ("Pekerja antrean mesin-lain:4242 berhenti di tengah impor (percobaan "
                         "ke-1); tidak ada yang ditulis. Dicoba lagi.")  # fmt: skip
    assert len(_stored(_media)) == 1  # kept for the next run
    assert DBTaskResult.objects.get(pk=stale.task_id).status == "FAILED"  # the dead run's task
    page = client.get(_job_url(new_agency, job))
    assert page["Refresh"] == "2"

    # the silent worker comes back to life and writes: its lease is gone, so it rolls back
    data = (_media / job.file).read_bytes()
    with pytest.raises(import_task.LeaseLost):
        import_task._write_plan(stale, data, None)
    assert not WorkItem.objects.filter(agency=new_agency).exists()

    assert _work_off_imports() == 1  # the task enqueued again by the recovery
    job.refresh_from_db()
    assert (job.state, job.attempts) == (PlanImportJob.State.DONE, 2)
    seed_items = WorkItem.objects.filter(agency__slug="bkpsdm-sumenep", year=2024).count()
    assert WorkItem.objects.filter(agency=new_agency, year=2024).count() == seed_items
    assert _stored(_media) == []


def test_a_running_import_with_a_fresh_heartbeat_is_left_alone(
    client, new_operator, new_agency, seed_export, monkeypatch, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from datetime import timedelta

    from kinerja.planning.import_task import recover_abandoned_imports

    settings.TASK_LEASE_SECONDS = 300
    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    _claimed_elsewhere(job, monkeypatch, beat_age=60)  # started long ago, still beating
    PlanImportJob.objects.filter(pk=job.pk).update(started_at=job.created_at - timedelta(hours=1))
    assert recover_abandoned_imports() == []
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.RUNNING


def test_an_import_out_of_runs_is_failed_and_its_file_deleted(
    client, new_operator, new_agency, seed_export, _media, monkeypatch, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from kinerja.planning.import_task import recover_abandoned_imports, run_import

    settings.TASK_LEASE_SECONDS, settings.TASK_ATTEMPTS = 300, 2
    job, _page = _upload(client, new_agency, seed_export, django_capture_on_commit_callbacks)
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    _claimed_elsewhere(job, monkeypatch, beat_age=301, attempts=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert recover_abandoned_imports() == [(job.pk, PlanImportJob.State.FAILED)]
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.FAILED and job.finished_at is not None
    assert job.error == ("Pekerja antrean mesin-lain:4242 berhenti di tengah impor (percobaan "
                         "ke-2); tidak ada yang ditulis. Unggah berkasnya lagi.")  # fmt: skip
    assert _stored(_media) == []
    assert run_import(job.pk) == "skipped"  # a late task of a failed job does nothing
    page = client.get(_job_url(new_agency, job))
    assert "Refresh" not in page
    assert "berhenti di tengah impor" in page.content.decode()
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_an_import_whose_worker_process_is_gone_is_recovered_at_once(new_agency, _media,
                                                                     settings):  # fmt: skip
    import socket
    import subprocess
    import sys

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from kinerja.planning.import_task import recover_abandoned_imports

    settings.TASK_ATTEMPTS = 2
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    kept = default_storage.save("impor-rencana/mati.xlsx", ContentFile(b"x"))
    now = timezone.now()  # beating a moment ago: only the process being gone gives it away
    dead = PlanImportJob.objects.create(agency=new_agency, year=2024, file=kept,
                                        file_name="a.xlsx", sha256="0" * 64, digest="d",
                                        state="berjalan", started_at=now, heartbeat_at=now,
                                        attempts=2, worker=f"{socket.gethostname()}:{gone}")  # fmt: skip
    alive = PlanImportJob.objects.create(agency=new_agency, year=2024, file="impor-rencana/b",
                                         file_name="b.xlsx", sha256="0" * 64, digest="d",
                                         state="berjalan", started_at=now, heartbeat_at=now,
                                         attempts=2, worker=f"{socket.gethostname()}:{os.getpid()}")  # fmt: skip
    assert recover_abandoned_imports() == [(dead.pk, PlanImportJob.State.FAILED)]
    alive.refresh_from_db()
    assert alive.state == PlanImportJob.State.RUNNING
