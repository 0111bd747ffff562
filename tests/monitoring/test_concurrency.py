"""No lost update (DESIGN §4a): two operators of the same agency edit the same quarter. Each
save names the values its page was drawn with; only what the user changed is written, and a
cell someone else changed since is refused with who, when, theirs and yours."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kinerja.accounts.models import Profile, Role
from kinerja.monitoring.domain import record_indicator_realisation, save_narratives
from kinerja.monitoring.entry import save_quarter_entries
from kinerja.monitoring.models import (
    IndicatorRealisation,
    Narrative,
    Realisation,
    ReportingPeriod,
)
from kinerja.planning.concurrency import Conflict
from kinerja.planning.models import Indicator, WorkItem

from ..conftest import SEED_TODAY

pytestmark = pytest.mark.django_db

# A's save, moved to a fixed moment so the message can be read: 09.05 UTC is 16.05 WIB
A_SAVED_AT = datetime(2024, 7, 2, 9, 5, tzinfo=UTC)
A_SAVED_SHOWN = "2 Juli 2024 16.05"


@pytest.fixture
def ani(agency):
    """A second operator of the same agency (the demo has one operator per agency)."""
    user = get_user_model().objects.create_user("ani", password="demo", first_name="Ani",
                                                last_name="Rahayu")  # fmt: skip
    Profile.objects.create(user=user, role=Role.OPERATOR, government=agency.government,
                           agency=agency)  # fmt: skip
    return user


@pytest.fixture
def items(agency):
    subs = list(WorkItem.objects.filter(agency=agency, year=2024, level="sub_kegiatan")
                .order_by("position")[:3])  # fmt: skip
    assert not Realisation.objects.filter(work_item__in=subs, quarter=2).exists()
    return subs


def _save(user, agency, entries, drawn, today=SEED_TODAY):
    return save_quarter_entries(user=user, agency=agency, year=2024, quarter=2, entries=entries,
                                expected=drawn, today=today)  # fmt: skip


def _tw2(items):
    return {r.work_item_id: (r.value_k, r.value_rp, r.note)
            for r in Realisation.objects.filter(work_item__in=items, quarter=2)}  # fmt: skip


def _a_saves(ani, agency, items, today=SEED_TODAY):
    """Ani, on a page drawn empty, types K 20 in row a and a note in row b, and saves."""
    a, b, c = items
    empty = {i.pk: ("", "", "") for i in items}
    changes = _save(ani, agency, {a.pk: ("20", "", ""), b.pk: ("", "", "catatan Ani"),
                                  c.pk: ("", "", "")}, empty, today)  # fmt: skip
    assert [(ch.item.pk, ch.field) for ch in changes] == [(a.pk, "k"), (b.pk, "note")]
    Realisation.history.filter(work_item_id__in=[a.pk, b.pk]).update(history_date=A_SAVED_AT)
    return empty


def test_a_stale_cell_is_refused_naming_who_when_theirs_and_yours(demo_users, ani, agency,
                                                                   items):  # fmt: skip
    a, b, c = items
    drawn = _a_saves(ani, agency, items)  # the operator's page was drawn before that
    history = Realisation.history.count()
    with pytest.raises(Conflict) as caught:
        _save(demo_users["operator"], agency, {a.pk: ("25", "", ""), b.pk: ("", "", ""),
                                               c.pk: ("3", "", "")}, drawn)  # fmt: skip
    [cell] = caught.value.cells
    assert (cell.key, cell.who, cell.when, cell.theirs, cell.yours) == (
        (a.pk, "k"), "Ani Rahayu", A_SAVED_AT, Decimal(20), Decimal(25))  # fmt: skip
    assert cell.message == f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi 20; isian Anda 25."
    # nothing of the refused save was written: not row c (no conflict), not b's note
    assert _tw2(items) == {a.pk: (Decimal(20), None, ""), b.pk: (None, None, "catatan Ani")}
    assert Realisation.history.count() == history


def test_cells_the_user_did_not_change_are_never_written(demo_users, ani, agency, items):
    a, b, c = items
    drawn = _a_saves(ani, agency, items)
    # the operator's stale page still shows b's note empty; she changes only row c
    changes = _save(demo_users["operator"], agency, {a.pk: ("", "", ""), b.pk: ("", "", ""),
                                                     c.pk: ("3", "1.000", "")}, drawn)  # fmt: skip
    assert [(ch.item.pk, ch.field, ch.old, ch.new) for ch in changes] == [
        (c.pk, "k", None, Decimal(3)), (c.pk, "rp", None, Decimal(1000))]  # fmt: skip
    assert _tw2(items) == {a.pk: (Decimal(20), None, ""), b.pk: (None, None, "catatan Ani"),
                           c.pk: (Decimal(3), Decimal(1000), "")}  # fmt: skip


def test_typing_the_value_someone_else_saved_is_not_a_conflict(demo_users, ani, agency, items):
    a, _b, _c = items
    drawn = _a_saves(ani, agency, items)
    history = Realisation.history.filter(work_item_id=a.pk).count()
    assert _save(demo_users["operator"], agency, {a.pk: ("20,0", "", "")}, drawn) == []
    assert Realisation.history.filter(work_item_id=a.pk).count() == history


def test_after_the_conflict_saving_again_overwrites_knowingly(demo_users, ani, agency, items):
    a, b, _c = items
    drawn = _a_saves(ani, agency, items)
    with pytest.raises(Conflict):
        _save(demo_users["operator"], agency, {a.pk: ("25", "", "")}, drawn)
    # the page is redrawn with Ani's value as the drawn one; the operator saves again
    changes = _save(demo_users["operator"], agency, {a.pk: ("25", "", "")},
                    {a.pk: ("20", "", "")})  # fmt: skip
    assert [(ch.field, ch.old, ch.new) for ch in changes] == [("k", Decimal(20), Decimal(25))]
    assert _tw2(items)[a.pk] == (Decimal(25), None, "")
    assert _tw2(items)[b.pk] == (None, None, "catatan Ani")


def test_a_save_without_drawn_values_writes_only_the_fields_it_posts(demo_users, agency, items):
    """A script (or an old page) that posts only K: the note is not posted, so not erased."""
    a, _b, _c = items
    Realisation.objects.create(work_item=a, quarter=2, value_k=1, note="tetap")
    changes = save_quarter_entries(user=demo_users["operator"], agency=agency, year=2024,
                                   quarter=2, entries={a.pk: ("2", None, None)},
                                   today=SEED_TODAY)  # fmt: skip
    assert [(ch.field, ch.new) for ch in changes] == [("k", Decimal(2))]
    assert _tw2(items) == {a.pk: (Decimal(2), None, "tetap")}


# ---- IKU realisations and narratives -------------------------------------------------------


def test_an_iku_field_someone_else_changed_is_refused(demo_users, ani):
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    drawn = {"value": None, "measured_on": None, "source": "", "note": ""}
    kwargs = {"indicator": ip_asn, "year": 2024, "quarter": 2, "today": SEED_TODAY,
              "expected": drawn}  # fmt: skip
    record_indicator_realisation(user=ani, value=Decimal("61.5"), source="SI-ASN", **kwargs)
    IndicatorRealisation.history.update(history_date=A_SAVED_AT)
    with pytest.raises(Conflict) as caught:
        record_indicator_realisation(user=demo_users["operator"], value=Decimal("62"),
                                     measured_on=date(2024, 6, 30), source="", **kwargs)  # fmt: skip
    assert [c.message for c in caught.value.cells] == [
        f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi 61,5; isian Anda 62."]  # fmt: skip
    stored = IndicatorRealisation.objects.get(indicator=ip_asn, year=2024, quarter=2)
    assert (stored.value, stored.measured_on, stored.source) == (Decimal("61.5"), None, "SI-ASN")
    # only the date, which nobody else touched: written; Ani's source kept
    record_indicator_realisation(user=demo_users["operator"], value=None,
                                 measured_on=date(2024, 6, 30), source="", **kwargs)  # fmt: skip
    stored.refresh_from_db()
    assert (stored.value, stored.measured_on, stored.source) == (
        Decimal("61.5"), date(2024, 6, 30), "SI-ASN")  # fmt: skip


def test_narrative_lines_someone_else_changed_are_refused(demo_users, ani, agency):
    program = WorkItem.objects.get(agency=agency, code="5.03.02", level="program")
    kwargs = {"agency": agency, "year": 2024, "quarter": 2, "kind": "supporting",
              "work_item": program, "today": SEED_TODAY, "expected": []}  # fmt: skip
    save_narratives(user=ani, texts=["Dukungan pimpinan"], **kwargs)
    Narrative.history.update(history_date=A_SAVED_AT)
    with pytest.raises(Conflict) as caught:
        save_narratives(user=demo_users["operator"], texts=["Anggaran tersedia"], **kwargs)
    assert [c.message for c in caught.value.cells] == [
        f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi «Dukungan pimpinan»; isian Anda "
        "«Anggaran tersedia»."]  # fmt: skip
    # untouched (the drawn lines, even stale): nothing written; the same lines: no conflict
    save_narratives(user=demo_users["operator"], texts=[], **kwargs)
    save_narratives(user=demo_users["operator"], texts=["Dukungan pimpinan"], **kwargs)
    assert list(Narrative.objects.filter(quarter=2, work_item=program).values_list(
        "text", flat=True)) == ["Dukungan pimpinan"]  # fmt: skip


# ---- the grid without JavaScript: one plain form with the drawn values hidden --------------


class _Forms(HTMLParser):
    """Every form's fields (inputs and textareas) by its action, as a browser without
    JavaScript would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.form: dict[str, str] = {}
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.form = self.forms.setdefault(attrs.get("action") or "", {})
        elif tag == "input" and attrs.get("name"):
            self.form[attrs["name"]] = attrs.get("value") or ""
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.form[self.textarea] = ""

    def handle_data(self, data):
        if self.textarea:
            self.form[self.textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None


def _forms(html: str) -> dict[str, dict[str, str]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _form(html: str) -> dict[str, str]:
    [(_action, form)] = [f for f in _forms(html).items() if "was-" in "".join(f[1])]
    return form


@pytest.fixture
def open_period(agency):
    """The TW II 2024 period around the real today: the views use the clock."""
    today = timezone.localdate()
    ReportingPeriod.objects.filter(government=agency.government, year=2024, quarter=2).update(
        opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=1))  # fmt: skip


def test_the_grid_posted_without_javascript_refuses_the_stale_cell_and_keeps_the_typing(
    client, demo_users, ani, agency, items, open_period
):
    a, b, _c = items
    url = reverse("monitoring:grid", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    save = reverse("monitoring:save", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    client.force_login(demo_users["operator"])
    form = _form(client.get(url).content.decode())
    assert (form[f"was-k-{a.pk}"], form[f"was-note-{b.pk}"]) == ("", "")

    _a_saves(ani, agency, items, timezone.localdate())  # while the operator's page is open
    form[f"k-{a.pk}"] = "25"
    response = client.post(save, form)
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi 20; isian Anda 25." in html
    assert "Tidak ada yang disimpan: 1 isian Anda telah diubah orang lain" in html
    again = _form(html)
    assert (again[f"k-{a.pk}"], again[f"was-k-{a.pk}"]) == ("25", "20")  # yours, theirs drawn
    assert (again[f"note-{b.pk}"], again[f"was-note-{b.pk}"]) == ("catatan Ani", "catatan Ani")
    assert _tw2(items) == {a.pk: (Decimal(20), None, ""), b.pk: (None, None, "catatan Ani")}

    response = client.post(save, again, follow=True)  # saving again: knowingly over Ani's
    assert [str(m) for m in response.context["messages"]] == [
        f"1 nilai diubah: {a.code} K 20 → 25"]  # fmt: skip
    assert _tw2(items) == {a.pk: (Decimal(25), None, ""), b.pk: (None, None, "catatan Ani")}


@pytest.fixture
def operator_on_seed_day(client, demo_users, monkeypatch):
    from kinerja.monitoring import texts_views

    monkeypatch.setattr(texts_views.timezone, "localdate", lambda: SEED_TODAY)
    client.force_login(demo_users["operator"])
    return client


def test_the_iku_page_refuses_a_value_changed_since_it_was_drawn(operator_on_seed_day, ani):
    client = operator_on_seed_day
    ip_asn = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    merit = Indicator.objects.get(name="Indeks Penilaian Sistem Merit")
    page = reverse("texts:iku", kwargs={"agency": "bkpsdm-sumenep", "year": 2024, "quarter": 2})
    action = reverse("texts:iku_save", kwargs={"agency": "bkpsdm-sumenep", "year": 2024,
                                               "quarter": 2})  # fmt: skip
    value, was = f"value-{ip_asn.pk}", f"was-value-{ip_asn.pk}"
    form = _forms(client.get(page).content.decode())[action]
    assert (form[value], form[was]) == ("", "")
    record_indicator_realisation(user=ani, indicator=ip_asn, year=2024, quarter=2,
                                 value=Decimal("61.5"), today=SEED_TODAY)  # fmt: skip
    IndicatorRealisation.history.update(history_date=A_SAVED_AT)

    form.update({value: "62", f"note-{ip_asn.pk}": "angka BKN", f"value-{merit.pk}": "70"})
    response = client.post(action, form)
    assert response.status_code == 409
    html = response.content.decode()
    assert f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi 61,5; isian Anda 62." in html
    again = _forms(html)[action]
    assert (again[value], again[was], again[f"note-{ip_asn.pk}"]) == ("62", "61,5", "angka BKN")
    assert again[f"value-{merit.pk}"] == "70"  # the other indicator's typed value stays
    stored = IndicatorRealisation.objects.get(indicator=ip_asn, year=2024, quarter=2)
    assert (stored.value, stored.note) == (Decimal("61.5"), "")
    assert not IndicatorRealisation.objects.filter(indicator=merit, quarter=2).exists()  # none

    assert client.post(action, again).status_code == 302
    stored.refresh_from_db()
    assert (stored.value, stored.note) == (Decimal(62), "angka BKN")
    assert IndicatorRealisation.objects.get(indicator=merit, quarter=2).value == 70


def test_the_narratives_page_saves_nothing_when_one_text_was_changed_since(
    operator_on_seed_day, ani, agency
):
    client = operator_on_seed_day
    program = WorkItem.objects.get(agency=agency, code="5.03.02", level="program")
    page = reverse("texts:narratives", kwargs={"agency": agency.slug, "year": 2024, "quarter": 2})
    action = reverse("texts:narratives_save", kwargs={"agency": agency.slug, "year": 2024,
                                                      "quarter": 2})  # fmt: skip
    form = _forms(client.get(page).content.decode())[action]
    name = f"w{program.pk}-supporting"
    save_narratives(user=ani, agency=agency, year=2024, quarter=2, kind="supporting",
                    work_item=program, texts=["Dukungan pimpinan"], today=SEED_TODAY)  # fmt: skip
    Narrative.history.update(history_date=A_SAVED_AT)

    form.update({name: "Anggaran tersedia", "a-closing": "Penutup triwulan II."})
    response = client.post(action, form)
    assert response.status_code == 409
    html = response.content.decode()
    assert (f"Diubah Ani Rahayu pada {A_SAVED_SHOWN} menjadi «Dukungan pimpinan»; isian Anda "
            "«Anggaran tersedia».") in html.replace("&laquo;", "«").replace("&raquo;", "»")  # fmt: skip
    again = _forms(html)[action]
    assert (again[name], again[f"was-{name}"]) == ("Anggaran tersedia", "Dukungan pimpinan")
    assert again["a-closing"] == "Penutup triwulan II."
    texts = lambda: list(Narrative.objects.filter(agency=agency, quarter=2).order_by(  # noqa: E731
        "kind", "position").values_list("kind", "text"))  # fmt: skip
    assert texts() == [("supporting", "Dukungan pimpinan")]  # the closing text was not saved

    assert client.post(action, again).status_code == 302
    assert texts() == [("closing", "Penutup triwulan II."), ("supporting", "Anggaran tersedia")]
