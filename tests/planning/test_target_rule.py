"""The planning rule on a Renstra indicator's yearly targets — they must not step back — on
the indicator page as typed (the JSON check the page's script asks) and after a save."""

import pytest
from django.urls import reverse

from kinerja.planning.models import Indicator
from kinerja.planning.views_renstra import target_warnings

pytestmark = pytest.mark.django_db


def test_a_series_that_steps_back_is_named_with_its_years_and_declared_decimals():
    years = range(2024, 2027)
    falling = {"name": "IP ASN", "polarity": "higher", "decimals": "2",
               "t2024": "0,70", "t2025": "0,6", "t2026": "0,8"}  # fmt: skip
    assert target_warnings(falling, years) == ["Target «IP ASN» mundur: 2024 0,70 → 2025 0,60."]
    # lower is better: a rise steps back, a fall does not
    assert target_warnings({**falling, "polarity": "lower"}, years) == [
        "Target «IP ASN» mundur: 2025 0,60 → 2026 0,80."
    ]
    rising = {"name": "IP ASN", "polarity": "higher", "t2024": "60", "t2025": "60",
              "t2026": "1.250"}  # fmt: skip
    assert target_warnings(rising, years) == []
    # blank years and text that is not a number are left out, not read as 0
    gaps = {"name": "X", "t2024": "70", "t2025": "", "t2026": "tujuh"}
    assert target_warnings(gaps, years) == []


def test_the_check_answers_as_the_user_types_and_only_to_plan_editors(client, demo_users, agency):
    indicator = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    plan = indicator.plan
    url = reverse("planning:indicator_check", args=[agency.slug, plan.pk])
    client.force_login(demo_users["operator"])
    # 2024 has an approved quarter: what is typed is the target in force (a revision)
    typed = {"name": indicator.name, "polarity": "higher", "indikator": indicator.pk,
             "t2023": "64", "t2024": "90", "t2025": "68"}  # fmt: skip
    answer = client.get(url, typed).json()
    # 2025 has no approved quarter: its field edits the original 68, the revision 84 in force
    assert answer == {"warnings": [f"Target «{indicator.name}» mundur: 2024 90 → 2025 84."]}
    # without the indicator (a new one), the typed values are the series
    del typed["indikator"]
    assert client.get(url, typed).json() == {
        "warnings": [f"Target «{indicator.name}» mundur: 2024 90 → 2025 68."]
    }
    client.force_login(demo_users["verifikator"])
    assert client.get(url, typed).status_code == 403


def test_the_page_shows_the_rule_for_what_was_typed_after_a_save_refused(
    client, demo_users, agency
):
    indicator = Indicator.objects.get(name="Indeks Profesionalitas ASN")
    plan = indicator.plan
    client.force_login(demo_users["operator"])
    page = client.get(reverse("planning:indicator_edit", args=[agency.slug, plan.pk,
                                                              indicator.pk]))  # fmt: skip
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="target-warnings"' in html and "indicator_check.js" in html
    assert reverse("planning:indicator_check", args=[agency.slug, plan.pk]) in html
    # typed with a step back and a missing name: refused, the warning drawn from what was typed
    data = {"name": "", "polarity": "higher", "aggregation": "last",
            **{f"t{y}": str(100 - y + plan.start_year) for y in range(plan.start_year,
                                                                      plan.end_year + 1)}}  # fmt: skip
    response = client.post(reverse("planning:indicator_edit", args=[agency.slug, plan.pk,
                                                                    indicator.pk]), data)  # fmt: skip
    assert response.status_code != 302
    assert "mundur" in response.content.decode()
