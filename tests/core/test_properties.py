"""Properties of the core that must hold for every input (hypothesis)."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from kinerja.core.achievement import Polarity, Target, achievement
from kinerja.core.aggregate import Aggregation, aggregate
from kinerja.core.scales import SCALES

values = st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False)
targets = st.decimals(min_value="0.0001", max_value=10**12, places=4, allow_nan=False)
anything = st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False)


@given(target=targets, low=values, high=values)
def test_higher_is_better_never_falls_when_the_realisation_rises(target, low, high):
    low, high = min(low, high), max(low, high)
    a = achievement(target=Target(target), actual=low, polarity=Polarity.HIGHER)
    b = achievement(target=Target(target), actual=high, polarity=Polarity.HIGHER)
    assert a <= b


@given(target=values, low=values, high=values)
def test_lower_is_better_never_rises_when_the_realisation_rises(target, low, high):
    low, high = min(low, high), max(low, high)
    a = achievement(target=Target(target), actual=low, polarity=Polarity.LOWER)
    b = achievement(target=Target(target), actual=high, polarity=Polarity.LOWER)
    assert a >= b >= 0


@given(lo=targets, width=values, low=values, high=values, polarity=st.sampled_from(Polarity))
def test_a_range_target_gives_100_inside_and_less_outside(lo, width, low, high, polarity):
    target = Target(lo, lo + width)
    for actual in (low, high):
        got = achievement(target=target, actual=actual, polarity=polarity)
        if lo <= actual <= lo + width:
            assert got == 100
        elif polarity is Polarity.HIGHER and actual < lo:
            assert got < 100


@given(value=anything)
def test_every_value_falls_in_exactly_one_band_of_each_scale(value):
    for scale in SCALES.values():
        hits = []
        for band in scale.bands:
            above_lo = band.lo is None or (
                value > band.lo if scale.closed == "upper" else value >= band.lo
            )
            below_hi = band.hi is None or (
                value <= band.hi if scale.closed == "upper" else value < band.hi
            )
            if above_lo and below_hi:
                hits.append(band)
        assert len(hits) == 1
        assert scale.classify(value) is hits[0]


@given(
    target=st.one_of(st.none(), targets.map(Target)),
    polarity=st.sampled_from(Polarity),
)
def test_none_realisation_gives_none(target, polarity):
    assert achievement(target=target, actual=None, polarity=polarity) is None


@given(
    quarter=st.integers(1, 4),
    aggregation=st.sampled_from(Aggregation),
)
def test_all_none_quarters_aggregate_to_none(quarter, aggregation):
    assert aggregate([None] * 4, quarter=quarter, aggregation=aggregation) is None


@given(
    vals=st.lists(st.one_of(st.none(), values), min_size=4, max_size=4),
    quarter=st.integers(1, 4),
    aggregation=st.sampled_from(Aggregation),
)
def test_quarters_after_the_report_quarter_never_change_the_aggregate(vals, quarter, aggregation):
    changed = vals[:quarter] + [Decimal(999)] * (4 - quarter)
    assert aggregate(vals, quarter=quarter, aggregation=aggregation) == aggregate(
        changed, quarter=quarter, aggregation=aggregation
    )
