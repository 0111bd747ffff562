"""The entry grid's checks and the verifier's notes where the operator works (issue 17): the
summary of findings on top, each parent's Σ of children with «pakai jumlah», the return
reason on top, each row's notes answered by the operator and marked done by the verifikator,
and migration 0010 on an existing database (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from kinerja.core import Form, FormRow, Level, Pair, evaluate_row
from kinerja.core.checks import check_form
from kinerja.core.grid import children_sum, grid_findings, k_summable
from kinerja.monitoring import workflow
from kinerja.monitoring.entry import save_quarter_entries
from kinerja.monitoring.models import RowNote
from kinerja.planning.models import WorkItem

from ..conftest import SEED_TODAY

D = Decimal


# ---- the core: Σ of children by the rule of parent-not-sum-of-children ----------------------


def _row(rid, level, parent=None, unit="Dokumen", rp=None, k=None, q=2, pagu=None):
    quarters = [Pair(), Pair(), Pair(), Pair()]
    quarters[q - 1] = Pair(k=k, rp=rp)
    return FormRow(id=rid, level=level, name=rid, parent=parent, unit=unit,
                   quarters=tuple(quarters), year_target=Pair(k=D(10), rp=D(1000) if pagu is None else pagu, k_unit=unit))  # fmt: skip


def test_children_sum_takes_the_children_with_a_value_and_k_only_in_one_unit():
    parent = _row("P", Level.KEGIATAN, rp=D(5))
    kids = [_row("a", Level.SUB_KEGIATAN, "P", rp=D(300), k=D(2)),
            _row("b", Level.SUB_KEGIATAN, "P", rp=None, k=D(3)),
            _row("c", Level.SUB_KEGIATAN, "P", rp=D("0.5"))]  # fmt: skip
    assert children_sum(parent, kids, 2) == Pair(k=D(5), rp=D("300.5"))
    assert children_sum(parent, [kids[1]], 2).rp is None  # no child has an Rp: no sum
    other = _row("d", Level.SUB_KEGIATAN, "P", unit="Laporan", k=D(1))
    assert not k_summable(parent, [*kids, other])
    assert children_sum(parent, [*kids, other], 2).k is None
    percent = _row("P", Level.KEGIATAN, unit="%")
    assert not k_summable(percent, [_row("e", Level.SUB_KEGIATAN, "P", unit="%")])


def test_a_parent_that_takes_the_sum_has_no_parent_finding_and_one_that_does_not_has():
    kids = [_row("a", Level.SUB_KEGIATAN, "P", rp=D(300), pagu=D(600)),
            _row("b", Level.SUB_KEGIATAN, "P", rp=D(200), pagu=D(400))]  # fmt: skip
    for own, expected in ((D(500), []), (D(450), ["parent-not-sum-of-children"])):
        form = Form(year=2024, quarter=2, rows=(_row("P", Level.KEGIATAN, rp=own), *kids))
        results = [evaluate_row(r, 2) for r in form.rows]
        # the rule the checks apply over the whole form, and the grid's own for the quarter
        assert [f.rule for f in check_form(form, results) if f.row == "P"] == expected
        assert [f.rule for f in grid_findings(form, results).get("P", [])] == expected
        assert own != children_sum(form.rows[0], kids, 2).rp or expected == []


def test_the_grid_leaves_out_what_nobody_can_change_in_it():
    """A later quarter's value and a unit written in another column are not the grid's."""
    row = FormRow(id="r", level=Level.PROGRAM, name="r", unit="Dokumen",
                  quarters=(Pair(k=D(1)), Pair(k=D(2)), Pair(k=D(3)), Pair()),
                  renstra_realised_before=Pair(k=D(1), k_unit="Bulan"),
                  year_target=Pair(k=D(10), rp=D(1)))  # fmt: skip
    form = Form(year=2024, quarter=2, rows=(row,))
    results = [evaluate_row(row, 2)]
    rules = {f.rule for f in check_form(form, results)}
    assert {"realisation-after-report-quarter", "unit-mismatch"} <= rules
    assert grid_findings(form, results) == {}
    written = FormRow(**{**{f: getattr(row, f) for f in row.__slots__},
                         "quarters": (Pair(), Pair(k=D(2), k_unit="Bulan"), Pair(), Pair())})  # fmt: skip
    found = grid_findings(Form(year=2024, quarter=2, rows=(written,)), [evaluate_row(written, 2)])
    assert [f.rule for f in found["r"]] == ["unit-mismatch"]  # this quarter's own unit


# ---- the grid page ----------------------------------------------------------------------------

pytestmark = pytest.mark.django_db


def _grid(client, agency, quarter=2):
    return reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024,
                                              "quarter": quarter})  # fmt: skip


@pytest.fixture
def family(agency):
    """A kegiatan of the seed with its sub kegiatan (at least two)."""
    for parent in WorkItem.objects.filter(agency=agency, year=2024, level="kegiatan"):
        kids = list(WorkItem.objects.filter(parent=parent).order_by("position"))
        if len(kids) >= 2:
            return parent, kids
    raise AssertionError("the seed has a kegiatan with two sub kegiatan")


def _save(user, agency, entries):
    return save_quarter_entries(user=user, agency=agency, year=2024, quarter=2,
                                entries=entries, today=SEED_TODAY)  # fmt: skip


def _sum_box(html, pk):
    found = re.search(rf'<div id="sum-{pk}" class="sum"[^>]*>(.*?)</div>', html, re.S)
    assert found, f"no Σ box for {pk}"
    return found.group(1)


def test_a_parent_shows_the_sum_of_its_children_and_offers_to_take_it(
    client, demo_users, agency, family
):
    parent, kids = family
    operator = demo_users["operator"]
    _save(operator, agency, {kids[0].pk: ("", "1.000.000", ""), kids[1].pk: ("", "250.000,5", ""),
                             parent.pk: ("", "1.000.000", "")})  # fmt: skip
    client.force_login(operator)
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=SEED_TODAY):
        html = client.get(_grid(client, agency)).content.decode()
    box = _sum_box(html, parent.pk)
    assert "Rp 1.250.000,5" in box
    assert 'class="use-sum"' in box and 'data-rp="1.250.000,5"' in box
    # the summary on top counts it as an error and links its row
    summary = html[
        html.index('id="grid-summary"') : html.index("</section>", html.index('id="grid-summary"'))
    ]
    assert "1 galat" in summary
    assert f'href="#row-{parent.pk}"' in summary
    assert "Induk tidak sama dengan jumlah rinciannya" in summary

    # taking the sum: the box says it is the same, no button, no finding
    _save(operator, agency, {parent.pk: ("", "1.250.000,5", "")})
    with mock.patch("django.utils.timezone.localdate", return_value=SEED_TODAY):
        html = client.get(_grid(client, agency)).content.decode()
    box = _sum_box(html, parent.pk)
    assert "Rp 1.250.000,5" in box and "sama dengan isian" in box and "use-sum" not in box
    assert "Induk tidak sama" not in html


def test_the_preview_recomputes_the_parents_sum_and_the_summary_as_typed(
    client, demo_users, agency, family
):
    parent, kids = family
    client.force_login(demo_users["operator"])
    url = reverse("monitoring:preview", kwargs={"agency": agency.slug, "year": 2024,
                                                "quarter": 2, "item": kids[0].pk})  # fmt: skip
    typed = {f"rp-{kids[0].pk}": "700", f"rp-{kids[1].pk}": "300", f"rp-{parent.pk}": "900",
             f"k-{kids[0].pk}": "", f"note-{kids[0].pk}": ""}  # fmt: skip
    html = client.post(url, typed).content.decode()
    assert "Rp 1.000" in _sum_box(html, parent.pk)
    assert f'id="sum-{parent.pk}" class="sum" hx-swap-oob="true"' in html
    assert 'id="grid-summary"' in html and "1 galat" in html
    # a value not yet readable in another row counts as saved; this row's error is shown
    typed[f"rp-{kids[1].pk}"] = "3,00,0"
    typed[f"rp-{kids[0].pk}"] = "1,905,955,200"
    html = client.post(url, typed).content.decode()
    assert "memakai format angka Inggris" in html
    assert f'id="err-{kids[0].pk}-rp"' in html


def test_the_summary_counts_what_the_rows_show(client, demo_users, agency):
    """The seed's TW II: as many findings on top as beside the rows, each linking its row."""
    client.force_login(demo_users["verifikator"])
    html = client.get(_grid(client, agency, quarter=2)).content.decode()
    start = html.index('id="grid-summary"')
    summary = html[start : html.index("</section>", start)]
    beside = html.count('class="fig-warning')
    assert beside > 0
    assert summary.count("<li ") == beside
    assert f"0 galat, {beside} peringatan" in summary
    for pk in re.findall(r'href="#row-(\d+)"', summary):
        assert f'id="row-{pk}"' in html


# ---- the return reason and the notes ----------------------------------------------------------


REASON = "Bukti sub kegiatan belum lengkap"


def _returned(demo_users, agency):
    workflow.submit_quarter(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                            today=SEED_TODAY)  # fmt: skip
    workflow.return_quarter(user=demo_users["verifikator"], agency=agency, year=2024,
                            quarter=2, reason=REASON)  # fmt: skip


def test_the_return_reason_is_on_top_of_the_grid_while_returned(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    assert "returned-reason" not in client.get(_grid(client, agency)).content.decode()
    _returned(demo_users, agency)
    html = client.get(_grid(client, agency)).content.decode()
    top = html.index('id="alasan-pengembalian"')
    assert top < html.index('<table class="figures grid')
    assert REASON in html[top : html.index("</section>", top)]
    assert "Dikembalikan verifikator" in html
    workflow.submit_quarter(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                            today=SEED_TODAY)  # fmt: skip
    assert REASON not in client.get(_grid(client, agency)).content.decode()


def _note_urls(agency, note):
    kwargs = {"agency": agency.slug, "year": 2024, "quarter": 2, "note": note.pk}
    return reverse("monitoring:note_reply", kwargs=kwargs), reverse("monitoring:note_done",
                                                                     kwargs=kwargs)  # fmt: skip


def test_the_operator_answers_a_note_and_the_verifikator_marks_it_done(client, demo_users, agency):
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    note = workflow.add_row_note(user=demo_users["verifikator"], work_item=item, quarter=2,
                                 text="Lampirkan SK mutasi.")  # fmt: skip
    reply_url, done_url = _note_urls(agency, note)

    RowNote.objects.create(work_item=item, year=2024, quarter=2, text="Kedua.")
    client.force_login(demo_users["operator"])
    html = client.get(_grid(client, agency)).content.decode()
    top = html[html.index('id="catatan-terbuka"') : html.index('<table class="figures grid')]
    assert "1 baris dengan catatan verifikator yang belum selesai" in top
    assert top.count(f'href="#notes-{item.pk}"') == 1
    notes = html[html.index(f'id="notes-{item.pk}"') :]
    assert "Lampirkan SK mutasi." in notes[:3000]
    assert f'formaction="{reply_url}"' in notes and f'formaction="{done_url}"' not in notes
    answered = client.post(reply_url, {f"reply-{note.pk}": "SK sudah diunggah."})
    assert answered.status_code == 302 and answered["Location"].endswith(f"#notes-{item.pk}")
    assert client.post(done_url, {"done": "1"}).status_code == 403
    note.refresh_from_db()
    assert (note.reply, note.replied_by, note.done_at) == ("SK sudah diunggah.",
                                                          demo_users["operator"], None)  # fmt: skip

    for refused in ("verifikator", "pimpinan", "evaluator", "admin"):
        client.force_login(demo_users[refused])
        assert client.post(reply_url, {f"reply-{note.pk}": "bukan saya"}).status_code == 403
    for refused in ("pimpinan", "evaluator", "admin"):
        client.force_login(demo_users[refused])
        assert client.post(done_url, {"done": "1"}).status_code == 403
    note.refresh_from_db()
    assert note.reply == "SK sudah diunggah." and note.done_at is None

    client.force_login(demo_users["verifikator"])
    html = client.get(_grid(client, agency)).content.decode()
    notes = html[html.index(f'id="notes-{item.pk}"') :]
    assert "SK sudah diunggah." in notes[:3000] and f'formaction="{done_url}"' in notes
    assert f'formaction="{reply_url}"' not in notes
    assert client.post(done_url, {"done": "1"}).status_code == 302
    note.refresh_from_db()
    assert note.done_by == demo_users["verifikator"] and note.done_at is not None
    html = client.get(_grid(client, agency)).content.decode()
    assert "✓ Selesai" in html
    assert 'id="catatan-terbuka"' in html  # the second note is still open
    RowNote.objects.filter(text="Kedua.").delete()
    assert 'id="catatan-terbuka"' not in client.get(_grid(client, agency)).content.decode()

    # the history keeps each step with its reason; the quarter page shows the answer too
    reasons = list(note.history.order_by("history_date", "history_id")
                   .values_list("history_change_reason", flat=True))  # fmt: skip
    assert reasons == [None, "jawaban operator", "ditandai selesai"]
    page = client.get(reverse("web:quarter", kwargs={"agency": agency.slug, "year": 2024,
                                                     "quarter": 2})).content.decode()  # fmt: skip
    assert "SK sudah diunggah." in page and "✓ Selesai" in page


def test_an_empty_answer_is_refused_with_the_reason(client, demo_users, agency):
    item = WorkItem.objects.filter(agency=agency, year=2024).first()
    note = RowNote.objects.create(work_item=item, year=2024, quarter=2, text="Cek.",
                                  author=demo_users["verifikator"])  # fmt: skip
    client.force_login(demo_users["operator"])
    response = client.post(_note_urls(agency, note)[0], {f"reply-{note.pk}": "  "}, follow=True)
    assert "Jawaban tidak boleh kosong." in response.content.decode()
    note.refresh_from_db()
    assert note.reply == ""


def test_a_note_of_another_quarter_is_not_found(client, demo_users, agency):
    item = WorkItem.objects.filter(agency=agency, year=2024).first()
    note = RowNote.objects.create(work_item=item, year=2024, quarter=1, text="Cek.")
    client.force_login(demo_users["operator"])
    assert client.post(_note_urls(agency, note)[0], {"reply": "x"}).status_code == 404


def test_every_reader_reaches_a_rows_evidence_from_the_grid(client, demo_users, agency):
    """TW I has saved rows: each reader of the agency gets the row's bukti link."""
    from kinerja.monitoring.models import Realisation

    saved = Realisation.objects.filter(work_item__agency=agency, quarter=1).first()
    url = reverse("texts:evidence", kwargs={"agency": agency.slug, "year": 2024, "quarter": 1,
                                            "item": saved.work_item_id})  # fmt: skip
    for role in ("operator", "verifikator", "pimpinan", "evaluator", "admin"):
        client.force_login(demo_users[role])
        html = client.get(_grid(client, agency, quarter=1)).content.decode()
        assert f'<a class="evidence" href="{url}">' in html, role
        assert client.get(url).status_code == 200, role


# ---- migration 0010 on an existing database ----------------------------------------------------

MIGRATE = r"""
import json
from kinerja.cli import setup_django

setup_django()
from django.apps import apps  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

OLD = [("monitoring", "0009_approval_override")]
executor = MigrationExecutor(connection)
executor.migrate(OLD)
old = executor.loader.project_state(OLD).apps
gov = old.get_model("planning", "Government").objects.create(name="Pemda Uji", slug="uji",
                                                             region="Uji")
agency = old.get_model("planning", "Agency").objects.create(government=gov, name="Dinas Uji",
                                                            abbreviation="DU", slug="du")
item = old.get_model("planning", "WorkItem").objects.create(agency=agency, year=2024,
                                                             position=1, level="program",
                                                             name="Program Uji")
user = old.get_model("auth", "User").objects.create(username="veri")
note = old.get_model("monitoring", "RowNote").objects.create(work_item=item, year=2024,
                                                             quarter=2, text="Lengkapi.",
                                                             author=user)
executor = MigrationExecutor(connection)
executor.migrate(executor.loader.graph.leaf_nodes())
RowNote = apps.get_model("monitoring", "RowNote")
now = RowNote.objects.get()
first = now.history.get()
print(json.dumps({"text": now.text, "reply": now.reply, "done": now.done_at is None,
                  "history": [first.history_type, first.history_user_id == user.pk,
                              first.history_change_reason, first.text,
                              first.history_date == now.created_at]}))
"""


def test_migration_0010_keeps_the_notes_and_gives_each_its_first_history(tmp_path):
    import json
    import os
    import subprocess
    import sys

    settings = connection.settings_dict
    env = dict(os.environ)
    drop = None
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'before.sqlite3'}"
    else:
        name = f"{settings['NAME']}_notes"
        auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgresql://{auth}@{settings['HOST']}:{settings['PORT']}/{name}"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        drop = name
    script = tmp_path / "migrate.py"
    script.write_text(MIGRATE)
    try:
        done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True,
                              text=True, timeout=600, cwd=tmp_path)  # fmt: skip
    finally:
        if drop:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{drop}"')
    assert done.returncode == 0, done.stderr[-3000:]
    read = json.loads(done.stdout.strip().splitlines()[-1])
    assert read == {"text": "Lengkapi.", "reply": "", "done": True,
                    "history": ["+", True, "catatan verifikator", "Lengkapi.", True]}  # fmt: skip


# ---- this quarter's unit: editable where one is written ---------------------------------------


def test_a_unit_written_for_this_quarter_can_be_corrected_in_the_grid(client, demo_users, agency):
    from unittest import mock

    from kinerja.monitoring.models import Realisation

    item, other = WorkItem.objects.filter(agency=agency, year=2024,
                                          level="sub_kegiatan").exclude(unit="")[:2]  # fmt: skip
    Realisation.objects.create(work_item=item, quarter=2, value_k=D(1), value_k_unit="Bulan")
    Realisation.objects.create(work_item=other, quarter=2, value_k=D(1))
    client.force_login(demo_users["operator"])
    with mock.patch("django.utils.timezone.localdate", return_value=SEED_TODAY):
        html = client.get(_grid(client, agency)).content.decode()
    row = html[
        html.index(f'id="row-{item.pk}"') : html.index("</tr>", html.index(f'id="row-{item.pk}"'))
    ]
    assert f'name="unit-{item.pk}"' in row and 'value="Bulan"' in row
    assert "Satuan berbeda dengan satuan target" in row
    assert f'name="unit-{other.pk}"' not in html  # no unit written: the target's applies

    # typing the target's unit clears the finding as typed
    url = reverse("monitoring:preview", kwargs={"agency": agency.slug, "year": 2024,
                                                "quarter": 2, "item": item.pk})  # fmt: skip
    typed = client.post(url, {f"k-{item.pk}": "1", f"unit-{item.pk}": item.unit}).content.decode()
    assert "Satuan berbeda" not in typed
    assert (
        "Satuan berbeda"
        in client.post(url, {f"k-{item.pk}": "1", f"unit-{item.pk}": "Bulan"}).content.decode()
    )

    save = reverse("monitoring:save", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    with mock.patch("django.utils.timezone.localdate", return_value=SEED_TODAY):
        done = client.post(save, {f"k-{item.pk}": "1", f"was-k-{item.pk}": "1",
                                  f"unit-{item.pk}": "  ", f"was-unit-{item.pk}": "Bulan"},
                           follow=True)  # fmt: skip
    assert "satuan «Bulan» → «-»" in done.content.decode()
    saved = Realisation.objects.get(work_item=item, quarter=2)
    assert saved.value_k_unit == "" and saved.value_k == 1
    assert saved.history.first().history_change_reason == "Entri realisasi"
    assert "Satuan berbeda" not in done.content.decode()


def test_pakai_jumlah_without_script_redraws_the_grid_with_the_sum_and_saves_nothing(
    client, demo_users, agency, family
):
    from kinerja.monitoring.models import Realisation

    parent, kids = family
    client.force_login(demo_users["operator"])
    save = reverse("monitoring:save", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    posted = {f"rp-{kids[0].pk}": "1.000", f"rp-{kids[1].pk}": "2,5", f"rp-{parent.pk}": "7",
              f"was-rp-{parent.pk}": "", f"k-{parent.pk}": "", "pakai-jumlah": str(parent.pk)}  # fmt: skip
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=SEED_TODAY):
        response = client.post(save, posted)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(rf'id="rp-{parent.pk}" value="1\.002,5"', html)
    assert re.search(rf'id="rp-{kids[0].pk}" value="1\.000"', html)  # the typing is kept
    assert "belum disimpan" in html
    assert not Realisation.objects.filter(work_item__in=[parent, *kids], quarter=2).exists()
