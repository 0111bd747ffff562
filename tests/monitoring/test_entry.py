from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.domain import EditRefused
from kinerja.monitoring.entry import EntryInvalid, save_quarter_entries
from kinerja.monitoring.history import changes_of
from kinerja.monitoring.models import (
    QuarterSubmission,
    Realisation,
    ReportingPeriod,
    SubmissionStatus,
)
from kinerja.planning.models import ActionPlan, Agency, WorkItem

from ..conftest import SEED_TODAY

pytestmark = pytest.mark.django_db

ENGLISH = "«1,905,955,200» memakai format angka Inggris."


@pytest.fixture
def items(agency):
    """Pengelolaan Mutasi and the next two sub kegiatan of the seed, with no TW II data."""
    subs = list(WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan")
                .order_by("position")[:3])  # fmt: skip
    assert not Realisation.objects.filter(work_item__in=subs, quarter=2).exists()
    return subs


def _save(user, agency, entries, *, quarter=2, reason="", today=SEED_TODAY):
    return save_quarter_entries(user=user, agency=agency, year=2024, quarter=quarter,
                                entries=entries, reason=reason, today=today)  # fmt: skip


def _tw2(items):
    return {
        r.work_item_id: (r.value_k, r.value_rp, r.note)
        for r in Realisation.objects.filter(work_item__in=items, quarter=2)
    }


def test_save_parses_indonesian_input_and_records_history(demo_users, agency, items):
    operator = demo_users["operator"]
    a, b, c = items
    changes = _save(operator, agency, {a.pk: ("1,5", "1.905.955.200", " dokumen SK "),
                                       b.pk: ("-", "", ""), c.pk: ("", "", "")})  # fmt: skip
    assert [(ch.item.pk, ch.field, ch.old, ch.new) for ch in changes] == [
        (a.pk, "k", None, Decimal("1.5")),
        (a.pk, "rp", None, Decimal(1_905_955_200)),
        (a.pk, "note", "", "dokumen SK"),
    ]
    assert _tw2(items) == {a.pk: (Decimal("1.5"), Decimal(1_905_955_200), "dokumen SK")}

    again = _save(operator, agency, {a.pk: ("2", "1.905.955.200", "dokumen SK")})
    assert [(ch.field, ch.old, ch.new) for ch in again] == [("k", Decimal("1.5"), Decimal(2))]
    history = changes_of(Realisation.objects.get(work_item=a, quarter=2))
    assert [(h.field, h.old, h.new, h.user) for h in history] == [
        ("value_k", Decimal("1.5"), Decimal(2), "operator"),
        ("value_k", None, Decimal("1.5"), "operator"),  # the first entry, from nothing
        ("value_rp", None, Decimal(1_905_955_200), "operator"),
        ("note", None, "dokumen SK", "operator"),
    ]
    assert _save(operator, agency, {a.pk: ("2", "1.905.955.200", "dokumen SK")}) == []


def test_a_malformed_value_saves_nothing_and_names_its_cell(demo_users, agency, items):
    a, b, _c = items
    with pytest.raises(EntryInvalid) as caught:
        _save(demo_users["operator"], agency, {a.pk: ("3", "2.000.000", ""),
                                               b.pk: ("1", "1,905,955,200", "")})  # fmt: skip
    assert list(caught.value.errors) == [(b.pk, "rp")]
    assert caught.value.errors[(b.pk, "rp")].startswith(ENGLISH)
    assert _tw2(items) == {}


def test_too_many_decimals_for_the_column_is_refused(demo_users, agency, items):
    with pytest.raises(EntryInvalid) as caught:
        _save(demo_users["operator"], agency, {items[0].pk: ("1,1234567", "10,505", "")})
    assert caught.value.errors == {
        (items[0].pk, "k"): "«1,1234567»: nilai K paling banyak 6 angka di belakang koma.",
        (items[0].pk, "rp"): "«10,505»: nilai rupiah paling banyak 2 angka di belakang koma.",
    }


def test_a_save_failing_half_way_leaves_the_database_unchanged(demo_users, agency, items,
                                                               monkeypatch):  # fmt: skip
    """The rows and their history are written, then the save fails: nothing stays."""
    from kinerja.web import fragments

    real = fragments.bulk_create_with_history
    written = []

    def write_then_fail(objs, model, **kwargs):
        written.extend(real(objs, model, **kwargs))
        raise EditRefused("gagal di tengah jalan")

    monkeypatch.setattr(fragments, "bulk_create_with_history", write_then_fail)
    before = Realisation.history.count()
    with pytest.raises(EditRefused):
        _save(demo_users["operator"], agency, {i.pk: ("1", "1.000", "") for i in items})
    assert len(written) == 3
    assert _tw2(items) == {}
    assert Realisation.history.count() == before


def test_a_save_asks_a_fixed_number_of_queries_however_many_rows(demo_users, agency):
    """The quarter is checked once per save, the rows read and written in bulk: saving the
    whole grid (61 rows) costs the same queries as saving 3 (it cost ~13 a row when each row
    checked the quarter, locked its submission and bumped the cache on its own)."""
    rows = list(WorkItem.objects.filter(agency=agency, year=2024).order_by("position"))
    assert len(rows) == 61
    assert not Realisation.objects.filter(work_item__in=rows, quarter=2).exists()
    _save(demo_users["operator"], agency, {rows[0].pk: ("1", None, None)}, reason="impor")
    counts = []  # (after the first save, which also made the quarter's submission row)
    for first, last, value in ((1, 4, "1"), (4, 61, "1"), (0, 3, "2"), (0, 61, "3")):
        with CaptureQueriesContext(connection) as queries:
            _save(demo_users["operator"], agency,
                  {i.pk: (value, None, None) for i in rows[first:last]}, reason="impor")  # fmt: skip
        counts.append(len(queries))
    assert _tw2(rows) == {i.pk: (Decimal(3), None, "") for i in rows}
    history = Realisation.history.filter(work_item__in=rows, quarter=2)
    assert history.count() == 1 + 3 + 57 + 3 + 61
    assert set(history.values_list("history_change_reason", flat=True)) == {"impor"}
    assert set(history.values_list("history_user", flat=True)) == {demo_users["operator"].pk}
    # 3 then 57 first entries; 3 then 61 changes (61 updates in one statement)
    assert counts[0] == counts[1] and counts[2] == counts[3], counts
    assert counts[1] <= 25 and counts[3] <= 25, counts


def test_outside_the_period_the_save_is_refused(demo_users, agency, items):
    with pytest.raises(EditRefused, match="Periode pelaporan Triwulan II 2024 dibuka"):
        _save(demo_users["operator"], agency, {items[0].pk: ("1", "", "")},
              today=SEED_TODAY - timedelta(days=1))  # fmt: skip
    assert _tw2(items) == {}


@pytest.mark.parametrize("status", [SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED])
def test_a_locked_quarter_refuses_the_save(demo_users, agency, items, status):
    QuarterSubmission.objects.update_or_create(agency=agency, year=2024, quarter=2,
                                               defaults={"status": status})  # fmt: skip
    with pytest.raises(EditRefused, match="tidak dapat diubah"):
        _save(demo_users["operator"], agency, {items[0].pk: ("1", "", "")})
    assert _tw2(items) == {}


def test_a_returned_quarter_needs_a_reason(demo_users, agency, items):
    QuarterSubmission.objects.update_or_create(agency=agency, year=2024, quarter=2,
                                               defaults={"status": SubmissionStatus.RETURNED})  # fmt: skip
    with pytest.raises(EditRefused, match="alasan"):
        _save(demo_users["operator"], agency, {items[0].pk: ("1", "", "")})
    _save(demo_users["operator"], agency, {items[0].pk: ("1", "", "")}, reason="Salah ketik")
    history = Realisation.history.filter(work_item_id=items[0].pk, quarter=2)
    assert [h.history_change_reason for h in history] == ["Salah ketik"]


def test_another_role_may_not_save(demo_users, agency, items):
    with pytest.raises(EditRefused):
        _save(demo_users["verifikator"], agency, {items[0].pk: ("1", "", "")})


# ---- the views -----------------------------------------------------------------------------


@pytest.fixture
def open_period(agency):
    """The TW II 2024 period around the real today: the views use the clock."""
    today = timezone.localdate()
    ReportingPeriod.objects.filter(government=agency.government, year=2024, quarter=2).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1)
    )


def _preview(client, agency, item, k="", rp=""):
    url = reverse("monitoring:preview", kwargs={"agency": agency.slug, "year": 2024,
                                                "quarter": 2, "item": item.pk})  # fmt: skip
    return client.post(url, {f"k-{item.pk}": k, f"rp-{item.pk}": rp}).content.decode()


def test_the_preview_shows_the_cores_capaian_for_typed_values(client, demo_users, agency):
    program = WorkItem.objects.get(agency=agency, year=2024, level="program", code="5.03.02")
    client.force_login(demo_users["operator"])
    seed = _preview(client, agency, program)  # TW I only: the seed's 21,43 %
    assert f'id="fig-year-{program.pk}"' in seed
    assert "21,43 %" in seed
    assert "Sangat Rendah" in seed
    ActionPlan.objects.update_or_create(work_item=program, quarter=2, defaults={"target_k": 4})
    typed = _preview(client, agency, program, k="3", rp="1.000.000")
    assert "75,00 %" in typed  # the quarter: 3 of the rencana aksi's 4
    assert "kolom 14 K" in typed
    assert 'class="cell-error" role="alert" hx-swap-oob="true"></div>' in typed


def test_the_preview_shows_the_english_format_error(client, demo_users, agency):
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    client.force_login(demo_users["operator"])
    html = _preview(client, agency, item, k="1", rp="1,905,955,200")
    assert f'id="err-{item.pk}-rp"' in html
    assert ENGLISH in html.replace("&laquo;", "«").replace("&raquo;", "»")


def test_the_grid_save_re_renders_every_message_and_saves_nothing(client, demo_users, agency,
                                                                  items, open_period):  # fmt: skip
    client.force_login(demo_users["operator"])
    url = reverse("monitoring:save", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    a, b, _c = items
    response = client.post(url, {f"k-{a.pk}": "1,905,955,200", f"rp-{a.pk}": "5",
                                 f"k-{b.pk}": "2", f"rp-{b.pk}": "1.2.3"})  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "memakai format angka Inggris" in html
    assert "bukan angka dalam format Indonesia" in html
    assert 'value="1,905,955,200"' in html  # what was typed stays in its cell
    assert _tw2(items) == {}

    response = client.post(url, {f"k-{a.pk}": "1", f"rp-{a.pk}": "1.905.955.200"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"2 nilai diubah: {a.code} K - → 1; {a.code} Rp - → 1.905.955.200"
    ]
    assert 'value="1.905.955.200"' in response.content.decode()


def test_readers_see_the_grid_without_inputs(client, demo_users, agency, open_period):
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    client.force_login(demo_users["verifikator"])
    assert 'name="k-' not in client.get(url).content.decode()
    client.force_login(demo_users["operator"])
    assert 'name="k-' in client.get(url).content.decode()


def test_the_operator_sees_why_a_closed_quarter_is_read_only(client, demo_users, agency):
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 1})
    client.force_login(demo_users["operator"])
    html = client.get(url).content.decode()
    assert 'name="k-' not in html
    assert "Hanya dapat dibaca" in html


def _agency_with(agency, n):
    other = Agency.objects.create(government=agency.government, name=f"Dinas {n}",
                                  abbreviation=f"D{n}", slug=f"dinas-{n}")  # fmt: skip
    program = WorkItem.objects.create(agency=other, year=2024, position=1, level="program",
                                      code="1.01.01", name="Program", target_k=10, budget_original=100)  # fmt: skip
    for i in range(2, n + 1):
        item = WorkItem.objects.create(agency=other, year=2024, position=i, parent=program,
                                       level="kegiatan", code=f"1.01.01.1.{i:02d}",
                                       name=f"Kegiatan {i}", target_k=4, budget_original=50)  # fmt: skip
        Realisation.objects.create(work_item=item, quarter=1, value_k=1, value_rp=10)
        Realisation.objects.create(work_item=item, quarter=2, value_k=1, value_rp=10, note="x")
        ActionPlan.objects.create(work_item=item, quarter=2, target_k=2)
    user = get_user_model().objects.create_user(f"operator-{n}", password="demo")
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=other)  # fmt: skip
    return other, user


def test_the_grid_needs_as_many_queries_for_60_rows_as_for_3(client, agency, open_period):
    counts = []
    for n in (3, 60):
        other, user = _agency_with(agency, n)
        client.force_login(user)
        url = reverse("monitoring:grid", kwargs={"agency": other.slug, "year": 2024,
                                                 "quarter": 2})  # fmt: skip
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('name="k-') == n
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_grid_rows_escape_what_people_typed_and_carry_their_links(client, demo_users, agency,
                                                                       open_period):  # fmt: skip
    """The rows are rendered by Jinja2 (kinerja.web.jinja): names, notes and units typed by
    people are escaped, each row links its preview, history and evidence."""
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    item.name = 'Uji <script>alert("x")</script> & co'
    item.save()
    realisation = Realisation.objects.create(work_item=item, quarter=2, value_k=Decimal("1.5"),
                                             note='catatan "kutip" <b>')  # fmt: skip
    client.force_login(demo_users["operator"])
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    html = client.get(url).content.decode()
    assert "<script>alert" not in html
    assert "Uji &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html
    assert 'value="catatan &#34;kutip&#34; &lt;b&gt;"' in html
    assert f'id="k-{item.pk}" value="1,5"' in html
    preview = reverse("monitoring:preview", kwargs={"agency": agency.slug, "year": 2024,
                                                    "quarter": 2, "item": item.pk})  # fmt: skip
    history = reverse("web:history", kwargs={"agency": agency.slug, "kind": "realisasi",
                                             "pk": realisation.pk})  # fmt: skip
    evidence = reverse("texts:evidence", kwargs={"agency": agency.slug, "year": 2024,
                                                 "quarter": 2, "item": item.pk})  # fmt: skip
    for link in (f'hx-post="{preview}"', f'href="{history}"', f'href="{evidence}"'):
        assert link in html
    assert f'aria-label="Realisasi K TW II {item.code}"' in html


def test_the_grid_rows_show_the_cores_figures(client, demo_users, agency, open_period):
    program = WorkItem.objects.get(agency=agency, year=2024, level="program", code="5.03.02")
    client.force_login(demo_users["pimpinan"])
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    html = client.get(url).content.decode()
    row = html[html.index(f'id="row-{program.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "21,43 %" in row  # TW I's 15 of the year's 70, the seed's capaian
    assert "Sangat Rendah" in row
    assert "kolom 14 K: capaian = 15 / 70 × 100 = 21,43 %" in row


def test_the_grid_warns_beside_a_row_while_typing_spending_above_pagu(client, demo_users, agency):
    """Pengelolaan Mutasi's pagu is its year target Rp; typing more than it (with TW I) shows
    the core's finding beside the row before anything is saved."""
    item = WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan").first()
    client.force_login(demo_users["operator"])
    pagu = item.budget
    within = _preview(client, agency, item, k="1", rp="1")
    assert "melebihi pagu" not in within
    above = _preview(client, agency, item, k="1", rp=f"{int(pagu) + 1:,}".replace(",", "."))
    assert "melebihi pagu" in above and 'class="fig-warning is-error"' in above
    assert Realisation.objects.filter(work_item=item, quarter=2).count() == 0  # nothing saved
