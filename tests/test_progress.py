"""The progress methodology: the worked examples of docs/methodology.md, and properties that must hold."""
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from twomountains.progress import STATUSES, TRAJECTORY_RANK, Target, assess, cagr, projection

FOREST = Target("level", 1, 65.0, 2018, 2022, upper_bound=100.0)


def test_worked_example_level_on_track():
    # 62.5 % in 2018, 64.5 % in 2020: observed growth 1.59 %/yr, required (65/62.5)^(1/4)-1 = 0.99 %/yr.
    result = assess({2018: 62.5, 2020: 64.5}, FOREST, 2020)
    assert result.status == "on_track"
    assert result.ratio == pytest.approx(0.015873 / 0.009853, rel=1e-3)


def test_worked_example_level_moderate_and_limited():
    # Required pace 0.99 %/yr. 63.3 % in 2020 is 0.64 %/yr (ratio 0.65), 62.8 % is 0.24 %/yr (ratio 0.24).
    assert assess({2018: 62.5, 2020: 63.3}, FOREST, 2020).status == "moderate"
    assert assess({2018: 62.5, 2020: 62.8}, FOREST, 2020).status == "limited"
    assert assess({2018: 62.5, 2020: 62.0}, FOREST, 2020).status == "deteriorating"


def test_already_met_before_the_target_year_is_achieved():
    assert assess({2018: 62.5, 2021: 65.1}, FOREST, 2021).status == "achieved"


def test_verdict_uses_the_target_year_value_and_reports_when_it_was_met_later():
    series = {2018: 62.5, 2022: 64.8, 2023: 64.9, 2024: 67.6}
    as_of_2022 = assess(series, FOREST, 2022)
    assert as_of_2022.status == "missed" and as_of_2022.met_in is None
    as_of_2025 = assess(series, FOREST, 2025)
    assert as_of_2025.status == "missed" and as_of_2025.met_in == 2024
    assert as_of_2025.reason == "reason.verdict_missed_met_later"
    assert assess({**series, 2022: 65.0}, FOREST, 2025).status == "achieved"


def test_no_value_for_the_target_year_gives_no_verdict():
    result = assess({2018: 62.5, 2021: 64.0, 2023: 66.0}, FOREST, 2023)
    assert result.status == "no_data" and result.reason == "reason.no_target_year_value"


def test_missing_or_zero_baseline_gives_no_data_with_a_reason():
    assert assess({2019: 63.0, 2020: 64.0}, FOREST, 2020).reason == "reason.missing_baseline"
    zero = assess({2018: 0.0, 2020: 10.0}, Target("level", 1, 65.0, 2018, 2022), 2020)
    assert zero.status == "no_data" and zero.reason == "reason.zero_baseline"
    assert assess({}, FOREST, 2020).reason == "reason.no_observations"


def test_counts_use_the_linear_pace_so_a_zero_baseline_works():
    routes = Target("count", 1, 7.0, 2018, 2022)
    result = assess({2018: 0, 2020: 3}, routes, 2020)
    # 1.5 routes a year against 1.75 needed: ratio 0.857 → moderate.
    assert result.status == "moderate"
    assert result.ratio == pytest.approx(1.5 / 1.75)


def test_growth_target_compares_cagr_with_the_target_rate():
    revenue = Target("cagr", 1, 20.0, 2019, 2022)
    on_track = assess({2019: 170.0, 2021: 250.0}, revenue, 2021)
    assert on_track.status == "on_track"
    assert on_track.facts["observed_growth"] == pytest.approx(cagr(170, 250, 2))
    verdict = assess({2019: 170.0, 2021: 197.3, 2022: 160.0, 2025: 300.0}, revenue, 2025)
    assert verdict.status == "missed"
    assert verdict.facts["implied_level"] == pytest.approx(170 * 1.2 ** 3)
    assert verdict.met_in == 2025
    assert assess({2019: 100.0, 2022: 173.0}, revenue, 2022).status == "achieved"


def test_rank_targets():
    rank = Target("rank", -1, 10.0, 2018, 2022)
    assert assess({2018: 14, 2020: 9}, rank, 2020).status == "on_track"
    assert assess({2018: 14, 2020: 12}, rank, 2020).status == "moderate"
    assert assess({2018: 14, 2020: 14}, rank, 2020).status == "limited"
    assert assess({2018: 14, 2020: 16}, rank, 2020).status == "deteriorating"
    assert assess({2018: 14, 2022: 10}, rank, 2022).status == "achieved"
    late = assess({2018: 14, 2022: 13, 2024: 8}, rank, 2025)
    assert late.status == "missed" and late.met_in == 2024


def test_milestones():
    mechanism = Target("milestone", 1, 1.0, 2018, 2022)
    assert assess({2019: 0, 2020: 0}, mechanism, 2020).status == "in_progress"
    assert assess({2019: 0, 2021: 1}, mechanism, 2021).status == "achieved"
    assert assess({2019: 0, 2021: 1}, mechanism, 2024).status == "achieved"
    late = assess({2019: 0, 2023: 1}, mechanism, 2024)
    assert late.status == "missed" and late.met_in == 2023
    assert assess({2019: 0, 2022: 0}, mechanism, 2022).reason == "reason.milestone_not_done"


def test_series_without_a_target_use_the_open_sdg_thresholds():
    visits = Target("context", 1, None, 2018, 2022)
    assert assess({2018: 100.0, 2020: 110.0}, visits, 2020).status == "on_track"      # ~4.9 %/yr
    assert assess({2018: 100.0, 2020: 101.5}, visits, 2020).status == "moderate"      # ~0.75 %/yr
    assert assess({2018: 100.0, 2020: 100.5}, visits, 2020).status == "limited"       # ~0.25 %/yr
    assert assess({2018: 100.0, 2020: 95.0}, visits, 2020).status == "deteriorating"
    pollution = Target("context", -1, None, 2018, 2022)
    assert assess({2018: 0.8, 2020: 0.3}, pollution, 2020).status == "on_track"


def test_projection_carries_the_observed_growth_forward():
    assert projection({2018: 100.0, 2020: 121.0}, Target("level", 1, 150, 2018, 2022), 2022) == pytest.approx(146.41)
    assert projection({2018: 0.0, 2020: 4.0}, Target("count", 1, 7, 2018, 2022), 2022) == pytest.approx(8.0)


positive = st.floats(min_value=1.0, max_value=1000.0, allow_nan=False)


@given(base=positive, low=positive, high=positive, target=positive, latest_year=st.integers(2019, 2021))
def test_status_is_monotone_in_the_latest_value(base, low, high, target, latest_year):
    assume(low < high)
    goal = Target("level", 1, target, 2018, 2022)
    worse = assess({2018: base, latest_year: low}, goal, latest_year).status
    better = assess({2018: base, latest_year: high}, goal, latest_year).status
    assert TRAJECTORY_RANK[better] >= TRAJECTORY_RANK[worse]


@given(base=positive, latest=positive, target=positive, kind=st.sampled_from(["level", "count"]))
def test_direction_is_symmetric(base, latest, target, kind):
    """Lower-is-better on the reciprocal series judges the same movement the same way (sign of the ratio)."""
    assume(abs(base - target) > 1e-6 and abs(latest - base) > 1e-6)
    up = assess({2018: base, 2020: latest}, Target(kind, 1, target, 2018, 2022), 2020)
    if kind == "count":
        down = assess({2018: -base, 2020: -latest}, Target(kind, -1, -target, 2018, 2022), 2020)
        assert up.status == down.status
    else:
        down = assess({2018: 1 / base, 2020: 1 / latest}, Target(kind, -1, 1 / target, 2018, 2022), 2020)
        if up.ratio is not None and down.ratio is not None:
            assert math.copysign(1, up.ratio) == math.copysign(1, down.ratio)
        assert (up.status == "achieved") == (down.status == "achieved")


@given(series=st.dictionaries(st.integers(2015, 2026), st.one_of(st.none(), st.floats(allow_nan=True,
                                                                                     allow_infinity=False))),
       kind=st.sampled_from(["level", "count", "cagr", "rank", "milestone", "context"]),
       as_of=st.integers(2015, 2026), direction=st.sampled_from([1, -1]))
def test_any_series_gives_a_known_status_and_never_crashes(series, kind, as_of, direction):
    target = Target(kind, direction, None if kind == "context" else 10.0, 2018, 2022, upper_bound=100.0)
    result = assess(series, target, as_of)
    assert result.status in STATUSES
    assert result.reason.startswith("reason.")


# --- Issue 11: the edge cases where docs/methodology.md and the code disagreed -------------------------------

def test_a_lower_is_better_context_series_that_falls_to_zero_is_improving():
    pollution = Target("context", -1, None, 2018, 2022)
    fell = assess({2018: 0.8, 2021: 0.0}, pollution, 2021)
    assert fell.status == "on_track" and fell.reason == "reason.no_target_reached_zero"
    stayed = assess({2018: 0.0, 2021: 0.0}, pollution, 2021)
    assert stayed.status == "on_track" and stayed.reason == "reason.no_target_from_zero"  # at its best value
    assert assess({2018: 0.0, 2021: 0.5}, pollution, 2021).status == "deteriorating"
    visits = Target("context", 1, None, 2018, 2022)
    assert assess({2018: 0.0, 2021: 5.0}, visits, 2021).status == "on_track"
    assert assess({2018: 0.0, 2021: 0.0}, visits, 2021).status == "limited"


def test_a_growth_target_whose_target_year_value_is_zero_or_negative_is_missed_not_deteriorating():
    revenue = Target("cagr", 1, 20.0, 2019, 2022)
    for value in (0.0, -5.0):
        verdict = assess({2019: 170.0, 2022: value}, revenue, 2022)
        assert verdict.status == "missed"
        assert verdict.ratio == pytest.approx(-1.0 / 0.20)  # a fall to zero counts as -100 % a year
    assert assess({2019: 170.0, 2021: 0.0}, revenue, 2021).status == "deteriorating"  # before T: a trajectory


def test_r_at_the_verdict_is_defined_for_every_target_type():
    level = assess({2018: 62.5, 2020: 70.0, 2022: 64.8}, Target("level", 1, 65.0, 2018, 2022), 2025)
    assert level.status == "missed"
    assert level.ratio == pytest.approx(cagr(62.5, 64.8, 4) / cagr(62.5, 65.0, 4))  # the 2022 value, not 2020's
    count = assess({2018: 30, 2022: 94, 2025: 116}, Target("count", 1, 100.0, 2018, 2022), 2025)
    assert count.ratio == pytest.approx(((94 - 30) / 4) / ((100 - 30) / 4))          # 94, not the latest 116
    rank = assess({2018: 14, 2022: 13, 2024: 8}, Target("rank", -1, 10.0, 2018, 2022), 2025)
    assert rank.ratio == pytest.approx(10 / 13)                                        # the 2022 rank, not 2024's
    growth = assess({2019: 100.0, 2022: 172.8}, Target("cagr", 1, 20.0, 2019, 2022), 2022)
    assert growth.ratio == pytest.approx(1.0)
    milestone = Target("milestone", 1, 1.0, 2018, 2022)
    assert assess({2021: 1}, milestone, 2025).ratio == 1.0
    assert assess({2019: 0, 2023: 1}, milestone, 2025).ratio == 0.0
    # Undefined only where its inputs are: no base-year value.
    assert assess({2022: 64.8}, Target("level", 1, 65.0, 2018, 2022), 2025).ratio is None


@given(series=st.dictionaries(st.integers(2015, 2026), st.floats(min_value=-50, max_value=500, allow_nan=False)),
       kind=st.sampled_from(["level", "count", "cagr", "rank", "milestone"]), as_of=st.integers(2022, 2026),
       direction=st.sampled_from([1, -1]))
def test_a_verdict_is_only_achieved_or_missed(series, kind, as_of, direction):
    result = assess(series, Target(kind, direction, 10.0, 2018, 2022, upper_bound=100.0), as_of)
    assert result.status in ("achieved", "missed", "no_data")


def test_year_by_year_goals_show_a_year_that_got_worse():
    # 逐年: good-air days 95.6 % in 2020, 94.8 % in 2021. The pace since 2018 alone would say on track.
    air = Target("level", 1, 95.0, 2018, 2022, upper_bound=100.0, year_on_year=True)
    series = {2018: 92.1, 2019: 93.0, 2020: 95.6, 2021: 94.8}
    assert assess(series, Target("level", 1, 95.0, 2018, 2022, upper_bound=100.0), 2021).status == "on_track"
    worse = assess(series, air, 2021)
    assert worse.status == "deteriorating" and worse.reason == "reason.worse_than_previous_year"
    assert worse.facts["previous_year"] == 2020 and worse.facts["previous"] == 95.6
    assert assess(series, air, 2020).status == "achieved"            # 2020 was better than 2019
    assert assess({**series, 2022: 96.2}, air, 2022).status == "achieved"  # the verdict judges the 2022 level
    pollution = Target("context", -1, None, 2018, 2022, year_on_year=True)
    assert assess({2018: 0.8, 2020: 0.3, 2021: 0.4}, pollution, 2021).status == "deteriorating"
    assert assess({2018: 0.8, 2020: 0.3, 2021: 0.2}, pollution, 2021).status == "on_track"
