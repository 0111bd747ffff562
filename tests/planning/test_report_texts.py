"""What the operator sets for the signed documents on the planning pages (issue 14): a Tujuan's
explanation on the Renstra page, the PK's signing date and place on the PK page, the opt-in
findings appendix on the kop page — each with the values the page was drawn with (a change by
someone else since is refused, 409), its reason in the history, and read-only for readers;
the kop refuses invisible format characters."""

from datetime import date

import pytest
from django.urls import reverse

from kinerja.monitoring.history import changes_of
from kinerja.planning.models import Agency, Goal, Letterhead, PerformanceAgreement

pytestmark = pytest.mark.django_db


def _goal(agency, number=1):
    return Goal.objects.get(plan__agency=agency, number=number)


def _pk(agency):
    return PerformanceAgreement.objects.get(agency=agency, year=2024)


# ---- the Tujuan's explanation -------------------------------------------------------------


def test_the_renstra_page_shows_each_goals_explanation_and_only_the_operator_a_form(
    client, demo_users, agency
):
    goal = _goal(agency)
    url = reverse("planning:renstra", args=[agency.slug])
    client.force_login(demo_users["pimpinan"])
    page = client.get(url).content.decode()
    assert "Melalui tujuan ini Badan Kepegawaian Daerah" in page  # the seed's text
    assert reverse("planning:goal_narrative", args=[agency.slug, goal.pk]) not in page
    client.force_login(demo_users["operator"])
    page = client.get(url).content.decode()
    assert reverse("planning:goal_narrative", args=[agency.slug, goal.pk]) in page
    assert 'name="was-narrative"' in page


def test_the_operator_changes_an_explanation_with_its_reason_in_the_history(
    client, demo_users, agency
):
    goal = _goal(agency, 2)
    client.force_login(demo_users["operator"])
    response = client.post(reverse("planning:goal_narrative", args=[agency.slug, goal.pk]), {
        "narrative": "  Uraian baru tujuan kedua.  ", "reason": "Renstra perubahan 2024",
        "was-narrative": goal.narrative,
    })  # fmt: skip
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.narrative == "Uraian baru tujuan kedua."
    change = [c for c in changes_of(goal) if c.field == "narrative"][0]
    assert (change.new, change.reason) == ("Uraian baru tujuan kedua.", "Renstra perubahan 2024")


def test_an_explanation_changed_by_someone_else_since_is_refused_and_the_typing_kept(
    client, demo_users, agency
):
    goal = _goal(agency)
    drawn = goal.narrative
    Goal.objects.filter(pk=goal.pk).update(narrative="Diubah orang lain.")
    client.force_login(demo_users["operator"])
    response = client.post(reverse("planning:goal_narrative", args=[agency.slug, goal.pk]), {
        "narrative": "Uraian saya.", "reason": "", "was-narrative": drawn})  # fmt: skip
    assert response.status_code == 409
    page = response.content.decode()
    assert "telah diubah orang lain" in page and "Uraian saya." in page
    goal.refresh_from_db()
    assert goal.narrative == "Diubah orang lain."


def test_a_reader_may_not_change_an_explanation(client, demo_users, agency):
    goal = _goal(agency)
    client.force_login(demo_users["verifikator"])
    response = client.post(reverse("planning:goal_narrative", args=[agency.slug, goal.pk]),
                           {"narrative": "x", "reason": ""})  # fmt: skip
    assert response.status_code == 403
    assert _goal(agency).narrative.startswith("Melalui tujuan ini")


# ---- the PK's signing date and place ------------------------------------------------------


def _sign(client, agency, **data):
    pk = _pk(agency)
    post = {"signed_on": "", "place": pk.place, "reason": "",
            "was-signed_on": pk.signed_on.isoformat() if pk.signed_on else "",
            "was-place": pk.place, **data}  # fmt: skip
    return client.post(reverse("planning:pk_signing", args=[agency.slug, 2024]), post)


def test_the_operator_sets_the_pk_signing_date_and_place_with_a_reason(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    response = _sign(client, agency, signed_on="2024-02-05", place="Sumenep",
                     reason="PK ditandatangani ulang")  # fmt: skip
    assert response.status_code == 302
    pk = _pk(agency)
    assert (pk.signed_on, pk.place) == (date(2024, 2, 5), "Sumenep")
    change = [c for c in changes_of(pk) if c.field == "signed_on"][0]
    assert change.reason == "PK ditandatangani ulang"
    page = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    assert "Sumenep, 5 Februari 2024" in page


@pytest.mark.parametrize(("typed", "message"), [
    ("2024-02-30", "Tanggal penandatanganan «2024-02-30» bukan tanggal; tulis TTTT-BB-HH"),
    ("kemarin", "Tanggal penandatanganan «kemarin» bukan tanggal"),
    ("2031-01-31", "Tanggal penandatanganan 31-01-2031 di luar rentang yang diterima"),
])  # fmt: skip
def test_a_bad_signing_date_is_refused_in_indonesian(client, demo_users, agency, typed, message):
    before = _pk(agency).signed_on
    client.force_login(demo_users["operator"])
    response = _sign(client, agency, signed_on=typed)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _pk(agency).signed_on == before


def test_clearing_the_signing_date_makes_the_pk_a_draft_again(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    assert _sign(client, agency, signed_on="").status_code == 302
    assert _pk(agency).signed_on is None
    page = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    assert "dicetak sebagai DRAF" in page


def test_a_signing_date_changed_by_someone_else_since_is_refused(client, demo_users, agency):
    drawn = _pk(agency).signed_on.isoformat()
    PerformanceAgreement.objects.filter(agency=agency, year=2024).update(
        signed_on=date(2024, 1, 15)
    )
    client.force_login(demo_users["operator"])
    response = _sign(client, agency, signed_on="2024-02-01", **{"was-signed_on": drawn})
    assert response.status_code == 409
    assert "15 Januari 2024" in response.content.decode()  # theirs, beside the field
    assert _pk(agency).signed_on == date(2024, 1, 15)


def test_readers_see_the_signing_date_without_a_form_and_may_not_post(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    page = client.get(reverse("planning:pk", args=[agency.slug, 2024])).content.decode()
    assert "31 Januari 2024" in page
    assert reverse("planning:pk_signing", args=[agency.slug, 2024]) not in page
    assert _sign(client, agency, signed_on="2024-03-01").status_code == 403


# ---- the opt-in findings appendix -----------------------------------------------------------


def _appendix(client, agency, on: bool, was: bool = False, reason: str = ""):
    data = {"reason": reason, "was-findings_appendix": str(was)}
    if on:
        data["findings_appendix"] = "on"
    return client.post(reverse("planning:findings_appendix", args=[agency.slug, 2024]), data)


def test_the_demo_agency_prints_no_findings_appendix_by_default(agency):
    assert agency.findings_appendix is False


def test_the_operator_opts_in_to_the_findings_appendix_with_a_reason(client, demo_users, agency):
    client.force_login(demo_users["operator"])
    page = client.get(reverse("planning:kop", args=[agency.slug, 2024])).content.decode()
    assert reverse("planning:findings_appendix", args=[agency.slug, 2024]) in page
    assert _appendix(client, agency, True, reason="Diminta Inspektorat").status_code == 302
    found = Agency.objects.get(pk=agency.pk)
    assert found.findings_appendix is True
    assert found.history.first().history_change_reason == "Diminta Inspektorat"
    assert _appendix(client, agency, False, was=True).status_code == 302
    assert Agency.objects.get(pk=agency.pk).findings_appendix is False


def test_a_save_that_leaves_the_choice_as_drawn_keeps_someone_elses_change(
    client, demo_users, agency
):
    Agency.objects.filter(pk=agency.pk).update(findings_appendix=True)
    client.force_login(demo_users["operator"])
    response = _appendix(client, agency, False, was=False)  # drawn off; someone turned it on
    assert response.status_code == 302
    assert Agency.objects.get(pk=agency.pk).findings_appendix is True  # not written back


def test_a_reader_may_not_opt_in(client, demo_users, agency):
    client.force_login(demo_users["pimpinan"])
    page = client.get(reverse("planning:kop", args=[agency.slug, 2024])).content.decode()
    assert reverse("planning:findings_appendix", args=[agency.slug, 2024]) not in page
    assert _appendix(client, agency, True).status_code == 403
    assert Agency.objects.get(pk=agency.pk).findings_appendix is False


# ---- the kop refuses invisible format characters ------------------------------------------


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\ufeff"])
def test_a_kop_line_with_an_invisible_format_character_is_refused(client, demo_users, agency,
                                                                  hidden):  # fmt: skip
    row = Letterhead.objects.get(agency=agency, year=2024)
    client.force_login(demo_users["operator"])
    response = client.post(reverse("planning:kop", args=[agency.slug, 2024]), {
        "address": f"Jl. Trunojoyo {hidden}No. 1", "telephone": row.telephone,
        "email": row.email, "website": row.website, "reason": "",
        **{f"was-{f}": getattr(row, f) for f in ("address", "telephone", "email", "website",
                                                  "logo")},
    })  # fmt: skip
    assert response.status_code == 200
    assert f"karakter format tak terlihat (U+{ord(hidden):04X})" in response.content.decode()
    assert Letterhead.objects.get(pk=row.pk).address == row.address
