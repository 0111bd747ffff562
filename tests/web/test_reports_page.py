"""The reports page: links per document × format; a download is a job on the task queue (the
web process never renders), its page shows the progress and then gives the kept file."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.models import GeneratedReport
from kinerja.planning.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _kw(agency, **extra):
    return {"agency": agency.slug, "year": 2024, "quarter": 1, **extra}


def test_the_page_lists_a_link_for_each_pair(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    response = client.get(reverse("web:reports", kwargs=_kw(agency)))
    assert response.status_code == 200
    html = response.content.decode()
    for document, formats in {"form": ("xlsx", "pdf"), "laporan": ("docx", "pdf", "xlsx"),
                              "pk": ("docx", "pdf")}.items():  # fmt: skip
        for fmt in formats:
            url = reverse("web:download", kwargs=_kw(agency, document=document, fmt=fmt))
            assert f'href="{url}"' in html
    assert "Laporan kinerja triwulan" in html
    assert "Belum ada berkas yang dibuat" in html


@pytest.fixture
def renders(monkeypatch):
    """Every render of a file, counted: (document, format) per call."""
    from kinerja.reporting.renderers import load_renderers

    calls = []
    for cls in set(load_renderers().values()):

        def counted(self, report, *args, _original=cls.render, **kwargs):
            calls.append((report.document, self.identifier))
            return _original(self, report, *args, **kwargs)

        monkeypatch.setattr(cls, "render", counted)
    return calls


def test_a_download_is_a_job_the_web_process_never_renders(
    client, demo_users, agency, media, renders, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    from kinerja.reporting.models import ReportJob

    from ..queue_helpers import work_off

    client.force_login(demo_users["evaluator"])
    url = reverse("web:download", kwargs=_kw(agency, document="form", fmt="xlsx"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = ReportJob.objects.get()
    job_url = reverse("web:report_job", kwargs=_kw(agency, job=job.pk))
    assert response.status_code == 302 and response["Location"] == job_url
    assert (job.document, job.format, job.state) == ("form", "xlsx", ReportJob.State.QUEUED)
    assert job.batch.requested_by == demo_users["evaluator"] and job.task_id
    assert renders == [] and not GeneratedReport.objects.exists()

    waiting = client.get(job_url)
    assert waiting["Refresh"] == "2"
    assert "Dalam antrean" in waiting.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # a second click: the same job
        assert client.get(url)["Location"] == job_url
    assert ReportJob.objects.count() == 1

    assert work_off() == 1  # the worker's step
    assert renders == [("form", "xlsx")]
    stored = GeneratedReport.objects.get()
    assert stored.created_by == demo_users["evaluator"]
    assert (stored.agency, stored.year, stored.quarter) == (agency, 2024, 1)
    assert (stored.document, stored.format) == ("form", "xlsx")
    assert stored.file.name.startswith("laporan/")
    done = client.get(job_url)
    file_url = f"{url}?berkas={stored.pk}"
    assert done["Refresh"] == f"1; url={file_url}"  # the download starts by itself
    assert f'href="{file_url}"' in done.content.decode()

    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "evaluasi-renja-" in disposition and "-2024-tw1.xlsx" in disposition
    content = b"".join(response.streaming_content)
    workbook = load_workbook(BytesIO(content))
    assert workbook.custom_doc_props["kinerja_data_sha256"].value == stored.data_hash
    assert (media / stored.file.name).read_bytes() == content
    page = client.get(reverse("web:reports", kwargs=_kw(agency))).content.decode()
    assert stored.data_hash[:12] in page and file_url in page


def test_a_file_of_the_same_data_is_given_at_once_and_new_data_makes_a_new_job(
    client, demo_users, agency, media, renders, django_capture_on_commit_callbacks
):
    from kinerja.monitoring.models import Realisation
    from kinerja.reporting.models import ReportJob

    from ..queue_helpers import work_off

    client.force_login(demo_users["pimpinan"])
    where = _kw(agency, quarter=2)  # a quarter being filled in (TW I's data is frozen)
    url = reverse("web:download", kwargs={**where, "document": "form", "fmt": "xlsx"})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)
    work_off()
    stored = GeneratedReport.objects.get()
    again = client.get(url)  # nothing changed: the kept file, no job, no render
    assert again.status_code == 200 and again["Content-Disposition"].startswith("attachment;")
    assert b"".join(again.streaming_content) == (media / stored.file.name).read_bytes()
    assert ReportJob.objects.count() == 1 and renders == [("form", "xlsx")]

    (media / stored.file.name).unlink()  # a kept row whose file is gone is not served
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 302
    assert ReportJob.objects.count() == 2
    work_off()
    assert renders == [("form", "xlsx")] * 2

    first = Realisation.objects.filter(work_item__agency=agency, quarter=1).first()
    Realisation.objects.create(work_item=first.work_item, quarter=2, value_k=first.value_k,
                               value_rp=first.value_rp)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 302  # the data changed: a new file
    assert ReportJob.objects.count() == 3


def test_the_worker_gives_a_drawn_report_its_twin_without_rendering(
    client, demo_users, agency, media, renders, django_capture_on_commit_callbacks
):
    """The quarterly report's data is drawn (charts): the request never builds it; the worker
    finds the file made from the same data and gives it without rendering the document."""
    from kinerja.reporting.models import ReportJob

    from ..queue_helpers import work_off

    client.force_login(demo_users["pimpinan"])
    url = reverse("web:download", kwargs=_kw(agency, document="laporan", fmt="pdf"))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(url).status_code == 302
        work_off()
    first, second = ReportJob.objects.order_by("pk")
    assert first.report_id == second.report_id == GeneratedReport.objects.get().pk
    assert second.state == ReportJob.State.DONE and renders == [("laporan", "pdf")]


def test_a_big_years_form_is_not_built_in_the_request(
    client, demo_users, agency, media, renders, monkeypatch, django_capture_on_commit_callbacks
):
    """Beyond BUILT_IN_REQUEST_ROWS the request does not even build the data to look for a kept
    twin: each click is a job, and the worker gives the twin without rendering."""
    from kinerja.reporting import generate
    from kinerja.reporting.models import ReportJob
    from kinerja.web import reports

    from ..queue_helpers import work_off

    monkeypatch.setattr(reports, "BUILT_IN_REQUEST_ROWS", 10)  # the seed year has 61 rows
    built = []
    original = generate.build_report
    monkeypatch.setattr(reports, "build_report",
                        lambda *a, **k: built.append(a[0]) or original(*a, **k))  # fmt: skip
    client.force_login(demo_users["pimpinan"])
    url = reverse("web:download", kwargs=_kw(agency, document="form", fmt="xlsx"))
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.get(url).status_code == 302
        work_off()
    assert built == []  # never in the request
    first, second = ReportJob.objects.order_by("pk")
    assert first.report_id == second.report_id and renders == [("form", "xlsx")]


def test_a_failed_job_says_why_on_its_page(client, demo_users, agency,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    from kinerja.reporting.models import ReportJob

    client.force_login(demo_users["operator"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("web:download", kwargs=_kw(agency, document="pk",
                                                                 fmt="pdf")))  # fmt: skip
    job = ReportJob.objects.get()
    job.state, job.error = ReportJob.State.FAILED, "Templat rusak."
    job.save()
    page = client.get(response["Location"])
    assert "Refresh" not in page
    assert "Berkas tidak dapat dibuat." in page.content.decode()
    assert "Templat rusak." in page.content.decode()


def test_a_job_nobody_takes_says_a_worker_is_missing(client, demo_users, agency,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    from datetime import timedelta

    from django.utils import timezone

    from kinerja.reporting.models import ReportBatch

    client.force_login(demo_users["pimpinan"])
    with django_capture_on_commit_callbacks(execute=True):
        job_url = client.get(reverse("web:download", kwargs=_kw(agency, document="pk",
                                                                fmt="pdf")))["Location"]  # fmt: skip
    hint = "Belum ada pekerja antrean yang mengambil pekerjaan ini."
    assert hint not in client.get(job_url).content.decode()
    ReportBatch.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    page = client.get(job_url)
    assert hint in page.content.decode() and page["Refresh"] == "2"


def test_a_job_page_of_another_agency_or_quarter_is_404(client, demo_users, agency,
                                                        django_capture_on_commit_callbacks):  # fmt: skip
    from kinerja.reporting.models import ReportJob

    client.force_login(demo_users["pimpinan"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("web:download", kwargs=_kw(agency, document="pk", fmt="pdf")))
    job = ReportJob.objects.get()
    other = reverse("web:report_job", kwargs={**_kw(agency, job=job.pk), "quarter": 2})
    assert client.get(other).status_code == 404


def test_an_unsupported_pair_is_404(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    response = client.get(reverse("web:download", kwargs=_kw(agency, document="pk", fmt="xlsx")))
    assert response.status_code == 404
    assert not GeneratedReport.objects.exists()


def test_another_agencys_operator_is_refused(client, agency):
    other = Agency.objects.create(government=agency.government, name="Dinas Lain",
                                  abbreviation="DL", slug="dinas-lain", is_example=True)  # fmt: skip
    user = get_user_model().objects.create_user("operator-dl", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    client.force_login(user)
    assert client.get(reverse("web:reports", kwargs=_kw(agency))).status_code == 403
    url = reverse("web:download", kwargs=_kw(agency, document="form", fmt="xlsx"))
    assert client.get(url).status_code == 403
    assert not GeneratedReport.objects.exists()
