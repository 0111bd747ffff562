"""The upload page of the form import (*Mulai dari formulir*): a task worker previews the upload
(nothing written) and, once the user confirms on the job's page, writes the plan and the
realisations in one transaction under the user's name; a failing write, a worker that stops
beating, cancel, a moved database, another user, a bad file, an approved quarter and the
roles."""

# ruff: noqa: F811

from decimal import Decimal as D

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import QuarterSubmission, Realisation
from kinerja.planning.models import PlanImportJob, WorkItem

from ..queue_helpers import work_off

# the fixtures new_agency and seed_xlsx are the CLI tests' (imported, then named as arguments)
from .test_form_import import FORM, _cell_of, _edit, new_agency, seed_xlsx  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def new_operator(client, new_agency):
    user = get_user_model().objects.create_user("operator-dpf", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=new_agency.government,
                           agency=new_agency)  # fmt: skip
    client.force_login(user)
    return user


def _url(agency, year=2024):
    return reverse("planning:form_import", args=[agency.slug, year])


def _job_url(agency, job):
    return reverse("planning:plan_import_job", args=[agency.slug, 2024, job.pk])


def _work_off_imports():
    """The worker's step; how many import tasks were ready (other tasks of the queue — a
    roll-up's refresh — run too, uncounted)."""
    ready = DBTaskResult.objects.ready().filter(task_path__endswith=".write_plan_import")
    count = ready.count()
    work_off("default")
    return count


def _kept(media):
    folder = media / "impor-formulir"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _upload(client, agency, data, captured, name=FORM, **extra):
    """Upload (kept and enqueued), the worker's preview; the job and its page."""
    with captured(execute=True):
        response = client.post(_url(agency), {"berkas": SimpleUploadedFile(name, data), **extra})
    assert response.status_code == 302, response.content.decode()[-2000:]
    job = PlanImportJob.objects.latest("pk")
    assert response["Location"] == _job_url(agency, job)
    assert (job.kind, job.state) == (PlanImportJob.Kind.FORM, PlanImportJob.State.QUEUED)
    assert _work_off_imports() == 1
    job.refresh_from_db()
    return job, client.get(_job_url(agency, job))


def _confirm(client, agency, job, captured, data=None):
    with captured(execute=True):
        response = client.post(_job_url(agency, job), data or {"terapkan": "1"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    job.refresh_from_db()
    return job


def test_preview_writes_nothing_then_the_worker_writes_plan_and_realisations(
    client, new_operator, new_agency, agency, seed_xlsx, media,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    captured = django_capture_on_commit_callbacks
    page = client.get(_url(new_agency))
    assert page.status_code == 200
    assert 'name="triwulan"' in page.content.decode()

    job, preview = _upload(client, new_agency, seed_xlsx.read_bytes(), captured, triwulan="1")
    assert job.state == PlanImportJob.State.READY and job.quarter == 1
    assert preview.status_code == 200
    assert not WorkItem.objects.filter(agency=new_agency).exists()
    assert not Realisation.objects.filter(work_item__agency=new_agency).exists()
    assert not QuarterSubmission.objects.filter(agency=new_agency).exists()
    counts = job.preview["counts"]
    assert (counts["realisations_created"], counts["realisations_changed"]) == (59, 0)
    text = preview.content.decode()
    assert "5.03.02 Program Kepegawaian Daerah" in text
    assert "realisasi Rp" in text
    assert "<td>TW I</td><td>kegiatan 5.03.01.2.01 " in text
    assert "Mulai dari formulir" in text
    assert len(_kept(media)) == 1

    job = _confirm(client, new_agency, job, captured)
    assert job.state == PlanImportJob.State.QUEUED and job.confirmed
    assert not WorkItem.objects.filter(agency=new_agency).exists()  # the request wrote nothing
    assert client.get(_job_url(new_agency, job))["Refresh"] == "2"
    assert _work_off_imports() == 1
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.DONE
    items = WorkItem.objects.filter(agency=new_agency, year=2024)
    assert items.count() == 61 and job.created == counts["created"] > 0
    assert (job.realisations_created, job.realisations_changed) == (59, 0)
    assert items.get(code="5.03.02").budget_original == D("1905955200")
    kegiatan = items.get(code="5.03.01.2.01")
    tw1 = Realisation.objects.get(work_item=kegiatan, quarter=1)
    assert tw1.value_k == 4
    record = tw1.history.get()
    assert (record.history_change_reason, record.history_user) == (f"impor {FORM}", new_operator)
    assert Realisation.objects.filter(work_item__agency=new_agency).count() == 59
    assert _kept(media) == []
    done = client.get(_job_url(new_agency, job)).content.decode()
    assert (f"Formulir diimpor dari {FORM}: {job.created} butir rencana dibuat, 0 diubah; 59 "
            "realisasi dibuat, 0 diubah.") in done  # fmt: skip
    assert reverse("planning:renja", args=[new_agency.slug, 2024]) in done

    again = client.post(_job_url(new_agency, job), {"terapkan": "1"})
    assert again.status_code == 400
    assert Realisation.objects.filter(work_item__agency=new_agency).count() == 59


def test_a_failing_write_leaves_nothing_half_written(
    client, new_operator, new_agency, seed_xlsx, media, monkeypatch,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """The plan is in the transaction when the realisations fail: it goes with them."""
    from kinerja.web import fragments

    original, seen = fragments.bulk_create_with_history, []

    def fail(objs, model, **kwargs):
        if model is not Realisation:
            return original(objs, model, **kwargs)
        seen.append(WorkItem.objects.filter(agency=new_agency).count())  # inside the write
        raise RuntimeError("disk penuh")

    job, _page = _upload(client, new_agency, seed_xlsx.read_bytes(),
                         django_capture_on_commit_callbacks, triwulan="1")  # fmt: skip
    monkeypatch.setattr(fragments, "bulk_create_with_history", fail)
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    _work_off_imports()
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.FAILED and "disk penuh" in job.error
    assert job.error.startswith("Impor gagal karena kesalahan tak terduga; tidak ada yang ditulis.")
    assert seen == [61]  # the plan was in the transaction…
    assert not WorkItem.objects.filter(agency=new_agency).exists()  # … and went with it
    assert not Realisation.objects.filter(work_item__agency=new_agency).exists()
    assert _kept(media) == []


def test_a_form_import_whose_worker_stopped_beating_is_written_once(
    client, new_operator, new_agency, seed_xlsx, media, monkeypatch, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from kinerja.planning import import_task
    from kinerja.reporting import tasks

    settings.TASK_LEASE_SECONDS, settings.TASK_ATTEMPTS = 300, 2
    job, _page = _upload(client, new_agency, seed_xlsx.read_bytes(),
                         django_capture_on_commit_callbacks, triwulan="1")  # fmt: skip
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    DBTaskResult.objects.get(pk=job.task_id).claim("mesin-lain")
    monkeypatch.setattr(tasks, "worker_name", lambda: "mesin-lain:4242")
    stale = import_task._claim(job.pk)
    monkeypatch.undo()
    PlanImportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=301)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_task.recover_abandoned_imports() == [(job.pk, PlanImportJob.State.QUEUED)]
    with pytest.raises(import_task.LeaseLost):  # the silent run comes back: rolled back
        import_task._write_form(stale, (media / job.file).read_bytes(), None)
    assert not Realisation.objects.filter(work_item__agency=new_agency).exists()
    assert _work_off_imports() == 1
    job.refresh_from_db()
    assert (job.state, job.attempts) == (PlanImportJob.State.DONE, 2)
    assert Realisation.objects.filter(work_item__agency=new_agency).count() == 59


def test_cancel_deletes_the_kept_file(client, new_operator, new_agency, seed_xlsx, media,
                                      django_capture_on_commit_callbacks):  # fmt: skip
    job, _page = _upload(client, new_agency, seed_xlsx.read_bytes(),
                         django_capture_on_commit_callbacks, triwulan="1")  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_job_url(new_agency, job), {"batal": "1"})
    assert response.status_code == 302 and response["Location"] == _url(new_agency)
    assert _kept(media) == []
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_a_database_that_moved_or_another_user_is_refused(
    client, new_operator, new_agency, seed_xlsx, django_capture_on_commit_callbacks,
):  # fmt: skip
    job, _page = _upload(client, new_agency, seed_xlsx.read_bytes(),
                         django_capture_on_commit_callbacks, triwulan="1")  # fmt: skip
    other = get_user_model().objects.create_user("operator-dpf-2", password="demo")
    Profile.objects.create(user=other, role=Role.OPERATOR, government=new_agency.government,
                           agency=new_agency)  # fmt: skip
    client.force_login(other)
    assert client.post(_job_url(new_agency, job), {"terapkan": "1"}).status_code == 403
    client.force_login(new_operator)
    WorkItem.objects.create(agency=new_agency, year=2024, position=1, level="program",
                            code="5.03.02", name="Program Kepegawaian Daerah")  # fmt: skip
    job = _confirm(client, new_agency, job, django_capture_on_commit_callbacks)
    _work_off_imports()
    job.refresh_from_db()
    assert job.state == PlanImportJob.State.FAILED
    assert "berubah sejak pratinjau" in job.error
    assert "berubah sejak pratinjau" in client.get(_job_url(new_agency, job)).content.decode()
    assert WorkItem.objects.filter(agency=new_agency).count() == 1
    assert not Realisation.objects.filter(work_item__agency=new_agency).exists()


def test_a_bad_file_is_refused_with_its_reason_and_nothing_kept(
    client, new_operator, new_agency, media, django_capture_on_commit_callbacks,
):  # fmt: skip
    job, page = _upload(client, new_agency, b"bukan xlsx", django_capture_on_commit_callbacks)
    assert job.state == PlanImportJob.State.FAILED
    assert job.error.startswith("Berkas ditolak: bukan berkas .xlsx")
    assert "Berkas ditolak: bukan berkas .xlsx" in page.content.decode()
    assert _kept(media) == []
    assert not WorkItem.objects.filter(agency=new_agency).exists()


def test_an_approved_quarter_is_refused_in_the_preview(
    client, demo_users, agency, seed_xlsx, tmp_path, media, django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(demo_users["operator"])
    changed = _edit(seed_xlsx, tmp_path / "ubah.xlsx", _cell_of(seed_xlsx, "5.03.01.2.01", "L"), 5)
    job, preview = _upload(client, agency, changed.read_bytes(),
                           django_capture_on_commit_callbacks, triwulan="1")  # fmt: skip
    assert job.state == PlanImportJob.State.FAILED
    assert "Triwulan I 2024" in job.error and "Disahkan" in job.error
    text = preview.content.decode()
    assert "Triwulan I 2024" in text
    assert 'name="terapkan"' not in text
    assert _kept(media) == []


def test_readers_read_only_the_plan_editors_upload(
    client, demo_users, agency, seed_xlsx, django_capture_on_commit_callbacks,
):  # fmt: skip
    client.force_login(demo_users["verifikator"])
    assert client.get(_url(agency)).status_code == 200
    assert 'type="file"' not in client.get(_url(agency)).content.decode()
    upload = {"berkas": SimpleUploadedFile(FORM, seed_xlsx.read_bytes()), "triwulan": "1"}
    assert client.post(_url(agency), upload).status_code == 403
    client.force_login(demo_users["admin"])  # the admin pemda acts for the agency
    job, page = _upload(client, agency, seed_xlsx.read_bytes(),
                        django_capture_on_commit_callbacks, triwulan="1")  # fmt: skip
    assert page.status_code == 200


def test_the_quarter_comes_from_the_title_when_not_chosen(
    client, new_operator, new_agency, seed_xlsx, django_capture_on_commit_callbacks,
):  # fmt: skip
    book = openpyxl.load_workbook(seed_xlsx)
    assert "Triwulan I" in " ".join(
        str(c.value) for row in book.worksheets[0].iter_rows(max_row=4) for c in row if c.value
    )
    job, preview = _upload(client, new_agency, seed_xlsx.read_bytes(),
                           django_capture_on_commit_callbacks)  # fmt: skip
    assert job.quarter is None  # none chosen: the form's title says
    assert preview.status_code == 200 and job.preview["quarter"] == 1
