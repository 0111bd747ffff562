"""A negative K (issue 12): refused where the Renja item or the indicator does not allow it —
a capaian of −940 % is no figure — and stored where it is marked «boleh negatif»."""

from decimal import Decimal

import pytest

from kinerja.core.numbers import InvalidNumber
from kinerja.monitoring.domain import (
    EditRefused,
    record_indicator_realisation,
    record_realisation,
)
from kinerja.monitoring.entry import EntryInvalid, parse_cell, save_quarter_entries
from kinerja.monitoring.models import IndicatorRealisation, Realisation
from kinerja.planning.models import Indicator, WorkItem

from ..conftest import SEED_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(agency):
    return WorkItem.objects.get(agency=agency, code="5.03.02.2.02.0001")  # Pengelolaan Mutasi


@pytest.fixture
def indicator(agency):
    return Indicator.objects.get(plan__agency=agency, name="Indeks Profesionalitas ASN")


def _realise(user, item, k):
    return record_realisation(user=user, work_item=item, quarter=2, value_k=k, value_rp=None,
                              today=SEED_TODAY)  # fmt: skip


def test_a_negative_realisation_is_refused_unless_the_item_allows_it(demo_users, item):
    assert item.allows_negative is False  # the default
    with pytest.raises(EditRefused, match="«-940»: nilai K indikator ini tidak boleh negatif"):
        _realise(demo_users["operator"], item, Decimal(-940))
    assert not Realisation.objects.filter(work_item=item, quarter=2).exists()
    item.allows_negative = True
    item.save()
    assert _realise(demo_users["operator"], item, Decimal(-940)).value_k == Decimal(-940)
    stored = Realisation.objects.get(work_item=item, quarter=2)
    assert stored.value_k == Decimal(-940)


def test_a_negative_iku_realisation_is_refused_unless_the_indicator_allows_it(demo_users,
                                                                            indicator):  # fmt: skip
    kwargs = {"user": demo_users["operator"], "indicator": indicator, "year": 2024,
              "quarter": 2, "value": Decimal("-1.5"), "today": SEED_TODAY}  # fmt: skip
    with pytest.raises(EditRefused, match="tidak boleh negatif"):
        record_indicator_realisation(**kwargs)
    assert not IndicatorRealisation.objects.filter(indicator=indicator, year=2024,
                                                   quarter=2).exists()  # fmt: skip
    Indicator.objects.filter(pk=indicator.pk).update(allows_negative=True)
    indicator.refresh_from_db()
    assert record_indicator_realisation(**kwargs).value == Decimal("-1.5")


def test_the_grid_refuses_a_negative_k_of_an_item_that_does_not_allow_it(demo_users, agency,
                                                                         item):  # fmt: skip
    with pytest.raises(EditRefused, match="tidak boleh negatif"):
        save_quarter_entries(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                             entries={item.pk: ("-5", "", "")}, today=SEED_TODAY)  # fmt: skip
    assert not Realisation.objects.filter(work_item=item, quarter=2).exists()


def test_a_grid_cell_is_read_by_the_one_parser(demo_users, agency, item):
    assert parse_cell("-0,5", money=False) == Decimal("-0.5")
    with pytest.raises(InvalidNumber, match="tidak boleh negatif"):
        parse_cell("-0,5", money=False, negative=False)
    with pytest.raises(EntryInvalid) as caught:
        save_quarter_entries(user=demo_users["operator"], agency=agency, year=2024, quarter=2,
                             entries={item.pk: ("١٢٣", "1.000.000.000.000.000", "")},
                             today=SEED_TODAY)  # fmt: skip
    assert "bukan angka 0–9" in caught.value.errors[(item.pk, "k")]
    assert caught.value.errors[(item.pk, "rp")] == (
        "«1.000.000.000.000.000»: nilai rupiah paling besar 999.999.999.999.999,99.")  # fmt: skip
