"""A process of its own against the scratch database of ``tests/scratch_db.py`` (its
environment says which). Tests start it, watch its output, and kill it where they need to.

    concurrent SAVERS   SAVERS operators' grid saves and one submission of TW II 2024 at once,
                        each through the real views; prints what each request answered
    save-and-hang       the grid save of three rows of TW II 2024; after its
                        Realisation rows are written inside its transaction prints HANG and sleeps
    report-and-hang WHERE
                        downloads the form as XLSX through the reports page (a job) and
                        runs the job as a worker would; prints HANG and sleeps where WHERE
                        says: "write" (the file half written), "row" (the file written, its
                        GeneratedReport row not yet saved)
    state               prints the realisations of TW II 2024 and the generated reports with
                        whether each file is whole
    first-entry-race    two operators enter the first value of the same empty cell at once,
                        each from a page drawn empty: A's transaction holds its new row while
                        B writes; prints what B was answered and what is stored
"""

from __future__ import annotations

import json
import sys
import threading
import time
from decimal import Decimal

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.signals import pre_save  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from kinerja.accounts.models import Profile, Role  # noqa: E402
from kinerja.monitoring.models import (  # noqa: E402
    GeneratedReport,
    Realisation,
    SubmissionEvent,
    SubmissionStatus,
)
from kinerja.planning.models import Agency, WorkItem  # noqa: E402

AGENCY, YEAR, QUARTER = "bkpsdm-sumenep", 2024, 2
HANG_SECONDS = 120


def _hang(*_args, **_kwargs) -> None:
    print("HANG", flush=True)
    time.sleep(HANG_SECONDS)


def _agency() -> Agency:
    return Agency.objects.get(slug=AGENCY)


def _rows(count: int) -> list[WorkItem]:
    """The first sub kegiatan with no TW II realisation yet."""
    done = Realisation.objects.filter(quarter=QUARTER).values("work_item")
    return list(WorkItem.objects.filter(agency=_agency(), year=YEAR, level="sub_kegiatan")
                .exclude(pk__in=done).order_by("position")[:count])  # fmt: skip


def _operator():
    return Profile.objects.get(role=Role.OPERATOR, agency=_agency()).user


def concurrent(savers: int) -> None:
    rows = _rows(2 * savers)
    kwargs = {"agency": AGENCY, "year": YEAR, "quarter": QUARTER}
    save_url, submit_url = reverse("monitoring:save", kwargs=kwargs), reverse("web:submit",
                                                                              kwargs=kwargs)  # fmt: skip
    jobs = []
    for i in range(savers):
        mine = rows[2 * i : 2 * i + 2]
        data = {}
        for j, item in enumerate(mine):
            data[f"k-{item.pk}"] = str(i + 1)
            data[f"rp-{item.pk}"] = f"{(i + 1) * 1000 + j}"
        jobs.append(("save", save_url, data, [item.pk for item in mine]))
    jobs.insert(savers // 2, ("submit", submit_url, {}, []))
    clients = []
    for _ in jobs:
        client = Client()
        client.force_login(_operator())
        clients.append(client)
    connection.close()
    start = threading.Barrier(len(jobs))
    answers: list[dict] = [{} for _ in jobs]

    def run(n: int) -> None:
        kind, url, data, pks = jobs[n]
        start.wait()
        try:
            response = clients[n].post(url, data)
            page = response.content.decode(errors="replace")
            answers[n] = {"kind": kind, "status": response.status_code, "rows": pks,
                          "data": data, "page": page[-2000:] if response.status_code >= 500
                          else ("submitted" if "berstatus Diajukan" in page else "")}  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - reported to the test
            answers[n] = {"kind": kind, "error": f"{type(exc).__name__}: {exc}", "rows": pks}
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(json.dumps(answers))


def save_and_hang() -> None:
    from kinerja.monitoring.entry import save_quarter_entries

    rows = _rows(3)
    print(json.dumps([r.pk for r in rows]), flush=True)
    if "--no-hang" not in sys.argv:  # once the rows and their history are written (in bulk)
        from kinerja.web import fragments

        write = fragments.bulk_create_with_history

        def write_and_hang(*args, **kwargs):
            rows = write(*args, **kwargs)
            _hang()
            return rows

        fragments.bulk_create_with_history = write_and_hang
    save_quarter_entries(user=_operator(), agency=_agency(), year=YEAR, quarter=QUARTER,
                         entries={r.pk: ("7", "7.000", "sebagian") for r in rows},
                         reason="", today=timezone.localdate())  # fmt: skip
    print("SAVED", flush=True)


def report_and_hang(where: str) -> None:
    if where == "write":
        chunks = ContentFile.chunks

        def slow_chunks(self, chunk_size=None):  # Django's class, slowed: a long write
            for n, chunk in enumerate(chunks(self, 1024)):
                yield chunk
                if n == 1:
                    _hang()

        ContentFile.chunks = slow_chunks  # type: ignore[method-assign]
    elif where == "row":
        pre_save.connect(_hang, sender=GeneratedReport)
    from kinerja.reporting import tasks
    from kinerja.reporting.models import ReportJob

    # each run must write its file: a twin made before from the same data is not looked for
    tasks.identical_file = lambda *args, **kwargs: None
    client = Client()
    client.force_login(_operator())
    url = reverse("web:download", kwargs={"agency": AGENCY, "year": 2024, "quarter": 1,
                                          "document": "form", "fmt": "xlsx"})  # fmt: skip
    print("GET", client.get(url).status_code, flush=True)  # the request only enqueues
    job = ReportJob.objects.filter(state=ReportJob.State.QUEUED).latest("pk")
    print("RUN", tasks.run_job(job.pk), flush=True)  # as a worker runs it


def state() -> None:
    import zipfile

    from django.core.files.storage import default_storage

    realisations = sorted(
        [r.work_item_id, str(r.value_k), str(r.value_rp), r.note]
        for r in Realisation.objects.filter(quarter=QUARTER, work_item__agency=_agency())
    )
    reports = []
    for row in GeneratedReport.objects.all():
        whole = default_storage.exists(row.file.name)
        if whole:
            with default_storage.open(row.file.name, "rb") as fh:
                try:
                    whole = zipfile.ZipFile(fh).testzip() is None
                except zipfile.BadZipFile:
                    whole = False
        reports.append({"name": row.file.name, "whole": whole})
    history = Realisation.history.filter(quarter=QUARTER, work_item__agency=_agency())
    submitted = SubmissionEvent.objects.filter(
        submission__agency=_agency(), submission__year=YEAR, submission__quarter=QUARTER,
        to_status=SubmissionStatus.SUBMITTED).values_list("at", flat=True).first()  # fmt: skip
    print(json.dumps({
        "realisations": realisations, "reports": reports, "history": history.count(),
        "written_at": {h.work_item_id: h.history_date.isoformat() for h in history},
        "submitted_at": submitted.isoformat() if submitted else None}))  # fmt: skip


def first_entry_race() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from kinerja.monitoring.domain import record_realisation
    from kinerja.planning.concurrency import Conflict

    agency, item, operator = _agency(), _rows(1)[0], _operator()
    ani = get_user_model().objects.create_user("ani-race", first_name="Ani")
    Profile.objects.create(user=ani, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    drawn = {"value_k": None, "value_rp": None, "note": ""}
    written, answer = threading.Event(), {}

    def first() -> None:
        with transaction.atomic():
            record_realisation(user=operator, work_item=item, quarter=QUARTER,
                               value_k=Decimal(20), value_rp=None, note="",
                               today=timezone.localdate(), expected=drawn)  # fmt: skip
            written.set()
            time.sleep(1.5)  # B reaches its insert while this row is not yet committed
        connection.close()

    def second() -> None:
        if not written.wait(30):
            answer["b"] = "A never wrote"
            return
        try:
            record_realisation(user=ani, work_item=item, quarter=QUARTER, value_k=Decimal(25),
                               value_rp=None, note="", today=timezone.localdate(),
                               expected=drawn)  # fmt: skip
            answer["b"] = "saved"
        except Conflict as exc:
            answer["b"] = "conflict"
            answer["cells"] = [(c.field, str(c.theirs), str(c.yours)) for c in exc.cells]
        except Exception as exc:  # what the test must never see
            answer["b"] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stored = Realisation.objects.get(work_item=item, quarter=QUARTER)
    print(json.dumps({**answer, "stored": str(stored.value_k)}))


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "concurrent":
        concurrent(int(rest[0]))
    elif command == "save-and-hang":
        save_and_hang()
    elif command == "report-and-hang":
        report_and_hang(rest[0])
    elif command == "state":
        state()
    elif command == "first-entry-race":
        first_entry_race()
    else:
        raise SystemExit(f"unknown command {command}")
