"""The "unusual change" warning's typical move (ingest/changes.py), against the plain definition."""
from __future__ import annotations

import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from twomountains.ingest.changes import LONG_SERIES, MIN_HISTORY, _typical_move, _year_before
from twomountains.periods import Period


def plain_typical_move(points: dict[Period, float], period: Period) -> float | None:
    moves = {p: abs(v - points[_year_before(p)]) for p, v in points.items()
             if p.kind == period.kind and _year_before(p) in points}
    if len(moves) <= LONG_SERIES:
        moves = {p: m for p, m in moves.items() if p != period and _year_before(p) != period}
    return statistics.median(moves.values()) if len(moves) >= MIN_HISTORY else None


quarters = st.builds(Period, st.integers(2000, 2030), st.integers(1, 4))
series = st.dictionaries(quarters, st.floats(-1e6, 1e6, allow_nan=False), min_size=0, max_size=90)


@settings(max_examples=200, deadline=None)
@given(series, quarters)
def test_typical_move_is_the_median_of_the_other_moves(points, period):
    cache = {}
    expected = plain_typical_move(points, period)
    got = _typical_move(cache, ("x", "y"), points, period)
    assert (got is None) == (expected is None)
    if got is not None:
        assert abs(got - expected) <= 1e-9 * max(1.0, abs(expected))
    # The cache holds the series' moves: asking again, for another period, gives the plain answer too.
    other = Period(period.year + 1, period.quarter)
    again = _typical_move(cache, ("x", "y"), points, other)
    assert again == plain_typical_move(points, other) or abs(again - plain_typical_move(points, other)) <= 1e-6
