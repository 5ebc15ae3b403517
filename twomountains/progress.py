"""Progress methodology: how far each goal is from its target, as of any year.

Pure functions over an annual series ({year: value}); see docs/methodology.md for the rules,
their sources (Eurostat / Open SDG, SDSN, UN progress chart) and worked examples.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

STATUSES = ("achieved", "on_track", "moderate", "limited", "deteriorating",
            "missed", "in_progress", "no_data")
# Order of merit for trajectory statuses: used for "lagging" counts and for the monotonicity property.
TRAJECTORY_RANK = {"deteriorating": 0, "limited": 1, "moderate": 2, "on_track": 3, "achieved": 4}

ON_TRACK_RATIO = 0.95
MODERATE_RATIO = 0.60
# Open SDG's thresholds for series without a numeric target: signed CAGR of 1.5% and 0.5%.
NO_TARGET_SUBSTANTIAL = 0.015
NO_TARGET_MODERATE = 0.005
BOUNDED_CURVATURE = 4.44


@dataclass(frozen=True)
class Target:
    type: str            # level | count | cagr | rank | milestone | context
    direction: int       # +1 higher is better, -1 lower is better
    value: float | None  # the level, count, rank or milestone flag; a growth rate in percent for cagr
    base_year: int
    target_year: int
    upper_bound: float | None = None  # for bounded series (percentages) in the no-target method
    year_on_year: bool = False        # the plan asks for a better value every year (逐年)


@dataclass(frozen=True)
class Assessment:
    status: str
    ratio: float | None
    reason: str                     # a key of the translation files, "reason.<name>"
    facts: dict = field(default_factory=dict)  # the numbers that went into the status
    met_in: int | None = None       # the year a missed target was met after the target year

    def __post_init__(self):
        assert self.status in STATUSES, self.status


def _status_from_ratio(ratio: float) -> str:
    if ratio >= ON_TRACK_RATIO:
        return "on_track"
    if ratio >= MODERATE_RATIO:
        return "moderate"
    if ratio >= 0:
        return "limited"
    return "deteriorating"


def _meets(value: float, target: Target) -> bool:
    return value >= target.value if target.direction > 0 else value <= target.value


def cagr(start: float, end: float, years: int) -> float:
    """Compound annual growth rate; start must be positive and years at least 1.

    An end value at or below zero counts as a fall of 100% a year (docs/methodology.md, Zero values)."""
    if end <= 0:
        return -1.0
    return (end / start) ** (1.0 / years) - 1.0


def _first_year_meeting(series: dict[int, float], after: int, until: int, test) -> int | None:
    years = sorted(y for y in series if after < y <= until and test(series[y]))
    return years[0] if years else None


def assess(series: dict[int, float], target: Target, as_of: int) -> Assessment:
    """The status of one goal as of the end of year `as_of`, from its annual values."""
    observed = {y: v for y, v in series.items()
                if y <= as_of and v is not None and not (isinstance(v, float) and math.isnan(v))}
    if not observed:
        return Assessment("no_data", None, "reason.no_observations", {"as_of": as_of})
    assessor = {
        "level": _assess_level_or_count,
        "count": _assess_level_or_count,
        "cagr": _assess_growth,
        "rank": _assess_rank,
        "milestone": _assess_milestone,
        "context": _assess_without_target,
    }[target.type]
    result = assessor(observed, target, as_of)
    if target.year_on_year and (target.type == "context" or as_of < target.target_year):
        return _worse_than_the_year_before(result, observed, target)
    return result


def _worse_than_the_year_before(result: Assessment, observed, target: Target) -> Assessment:
    """逐年: a year that got worse than the one before is `deteriorating`, whatever the pace since the base year."""
    latest_year = max(observed)
    previous = observed.get(latest_year - 1)
    if previous is None or target.direction * (observed[latest_year] - previous) >= 0:
        return result
    facts = {**result.facts, "latest_year": latest_year, "latest": observed[latest_year],
             "previous_year": latest_year - 1, "previous": previous}
    return Assessment("deteriorating", result.ratio, "reason.worse_than_previous_year", facts)


def _verdict_year_value(observed, target, as_of):
    """At or after the target year, the verdict rests on the target year's own value."""
    return observed.get(target.target_year) if as_of >= target.target_year else None


def _assess_level_or_count(observed, target: Target, as_of: int) -> Assessment:
    t0, T, X = target.base_year, target.target_year, target.value
    latest_year = max(observed)
    yt = observed[latest_year]
    facts = {"latest_year": latest_year, "latest": yt, "target": X, "base_year": t0, "target_year": T}

    if as_of >= T:
        verdict_value = observed.get(T)
        if verdict_value is None:
            return Assessment("no_data", None, "reason.no_target_year_value", facts)
        facts["verdict_value"] = verdict_value
        ratio = _pace_ratio(target, observed.get(t0), verdict_value, T)
        if _meets(verdict_value, target):
            return Assessment("achieved", ratio, "reason.verdict_met", facts)
        met_in = _first_year_meeting(observed, T, as_of, lambda v: _meets(v, target))
        facts["met_in"] = met_in
        return Assessment("missed", ratio, "reason.verdict_missed_met_later" if met_in else
                          "reason.verdict_missed", facts, met_in=met_in)

    if _meets(yt, target):
        return Assessment("achieved", None, "reason.already_met", facts)
    y0 = observed.get(t0)
    if y0 is None:
        return Assessment("no_data", None, "reason.missing_baseline", facts)
    facts["base"] = y0
    if latest_year <= t0:
        return Assessment("no_data", None, "reason.only_baseline", facts)
    if _meets(y0, target):
        # The target was met in the base year and has been lost since.
        return Assessment("deteriorating", None, "reason.fell_below_target", facts)

    if target.type == "count":
        observed_pace = (yt - y0) / (latest_year - t0)
        required_pace = (X - y0) / (T - t0)
        ratio = target.direction * observed_pace / abs(required_pace)
        facts.update(observed_pace=observed_pace, required_pace=required_pace)
        return Assessment(_status_from_ratio(ratio), ratio, "reason.count_pace", facts)

    if y0 <= 0 or X <= 0:
        return Assessment("no_data", None, "reason.zero_baseline", facts)
    observed_growth = cagr(y0, yt, latest_year - t0)
    required_growth = cagr(y0, X, T - t0)
    ratio = target.direction * observed_growth / abs(required_growth)
    facts.update(observed_growth=observed_growth, required_growth=required_growth)
    return Assessment(_status_from_ratio(ratio), ratio, "reason.level_growth", facts)


def _pace_ratio(target: Target, y0: float | None, value: float, year: int) -> float | None:
    """R of a level or count goal with `value` in `year`: the trajectory's ratio, and at the verdict year T the
    ratio at the verdict. None where it is undefined: no base value, a level base at or below zero, or a base
    already at the target (no pace was required)."""
    t0, T, X = target.base_year, target.target_year, target.value
    if y0 is None or year <= t0:
        return None
    if target.type == "count":
        required = (X - y0) / (T - t0)
        return None if required == 0 else target.direction * ((value - y0) / (year - t0)) / abs(required)
    if y0 <= 0 or X <= 0:
        return None
    required = cagr(y0, X, T - t0)
    return None if required == 0 else target.direction * cagr(y0, value, year - t0) / abs(required)


def _assess_growth(observed, target: Target, as_of: int) -> Assessment:
    t0, T = target.base_year, target.target_year
    rate = target.value / 100.0
    y0 = observed.get(t0)
    facts = {"base_year": t0, "target_year": T, "target_rate": rate}
    if y0 is None:
        return Assessment("no_data", None, "reason.missing_baseline", facts)
    if y0 <= 0:
        return Assessment("no_data", None, "reason.zero_baseline", facts)
    facts["base"] = y0
    end_year = T if as_of >= T else max(observed)
    end_value = observed.get(end_year)
    if end_value is None:
        return Assessment("no_data", None, "reason.no_target_year_value", facts)
    if end_year <= t0:
        return Assessment("no_data", None, "reason.only_baseline", facts)
    observed_growth = cagr(y0, end_value, end_year - t0)  # -100% a year for a value at or below zero
    ratio = target.direction * observed_growth / rate
    implied_level = y0 * (1 + rate) ** (T - t0)
    facts.update(latest_year=end_year, latest=end_value, observed_growth=observed_growth,
                 implied_level=implied_level)
    if as_of >= T:
        facts["verdict_value"] = end_value
        if observed_growth >= rate:
            return Assessment("achieved", ratio, "reason.growth_verdict_met", facts)
        met_in = _first_year_meeting(observed, T, as_of, lambda v: v >= implied_level)
        facts["met_in"] = met_in
        return Assessment("missed", ratio, "reason.growth_verdict_missed_met_later" if met_in else
                          "reason.growth_verdict_missed", facts, met_in=met_in)
    return Assessment(_status_from_ratio(ratio), ratio, "reason.growth_pace", facts)


def _assess_rank(observed, target: Target, as_of: int) -> Assessment:
    t0, T, X = target.base_year, target.target_year, target.value
    latest_year = max(observed)
    yt = observed[latest_year]
    facts = {"latest_year": latest_year, "latest": yt, "target": X, "target_year": T}
    within = (lambda rank: rank <= X) if target.direction < 0 else (lambda rank: rank >= X)
    ratio = (X / yt if target.direction < 0 else yt / X) if yt else None
    if as_of >= T:
        verdict_value = observed.get(T)
        if verdict_value is None:
            return Assessment("no_data", None, "reason.no_target_year_value", facts)
        facts["verdict_value"] = verdict_value
        # R at the verdict is about the verdict's own rank, not the latest one.
        ratio = (X / verdict_value if target.direction < 0 else verdict_value / X) if verdict_value else None
        if within(verdict_value):
            return Assessment("achieved", ratio, "reason.rank_verdict_met", facts)
        met_in = _first_year_meeting(observed, T, as_of, within)
        facts["met_in"] = met_in
        return Assessment("missed", ratio, "reason.rank_verdict_missed_met_later" if met_in else
                          "reason.rank_verdict_missed", facts, met_in=met_in)
    if within(yt):
        return Assessment("on_track", ratio, "reason.rank_within", facts)
    y0 = observed.get(t0)
    if y0 is None or latest_year <= t0:
        return Assessment("limited", ratio, "reason.rank_outside", facts)
    facts["base"] = y0
    improvement = (y0 - yt) * (-target.direction)
    if improvement > 0:
        return Assessment("moderate", ratio, "reason.rank_improving", facts)
    if improvement == 0:
        return Assessment("limited", ratio, "reason.rank_outside", facts)
    return Assessment("deteriorating", ratio, "reason.rank_worsening", facts)


def _assess_milestone(observed, target: Target, as_of: int) -> Assessment:
    T = target.target_year
    done_years = sorted(y for y, v in observed.items() if v >= target.value)
    facts = {"target_year": T}
    if done_years:
        facts["done_in"] = done_years[0]
    if as_of >= T:
        # R at the verdict: 1 if done by the target year, 0 if not.
        if done_years and done_years[0] <= T:
            return Assessment("achieved", 1.0, "reason.milestone_done", facts)
        if done_years:
            return Assessment("missed", 0.0, "reason.milestone_done_late", facts, met_in=done_years[0])
        return Assessment("missed", 0.0, "reason.milestone_not_done", facts)
    if done_years:
        return Assessment("achieved", None, "reason.milestone_done", facts)
    return Assessment("in_progress", None, "reason.milestone_pending", facts)


def bounded_curvature(base: float, upper_bound: float | None) -> float:
    """Open SDG's C = 1 - (y0/limit)^4.44: smaller thresholds for a share already near its cap."""
    if upper_bound is None or upper_bound <= 0:
        return 1.0
    share = min(max(base / upper_bound, 0.0), 1.0)
    return max(1.0 - share ** BOUNDED_CURVATURE, 1e-6)


def _assess_without_target(observed, target: Target, as_of: int) -> Assessment:
    t0 = target.base_year
    latest_year = max(observed)
    yt = observed[latest_year]
    y0 = observed.get(t0)
    facts = {"latest_year": latest_year, "latest": yt, "base_year": t0}
    if y0 is None:
        return Assessment("no_data", None, "reason.missing_baseline", facts)
    if latest_year <= t0:
        return Assessment("no_data", None, "reason.only_baseline", facts)
    if y0 < 0 or yt < 0:
        return Assessment("no_data", None, "reason.zero_baseline", facts)
    facts["base"] = y0
    if y0 == 0:
        # No growth rate from zero: the sign of the change decides; a lower-is-better series that stays at
        # zero is at its best possible value.
        change = target.direction * (yt - y0)
        if change > 0 or (change == 0 and target.direction < 0):
            return Assessment("on_track", None, "reason.no_target_from_zero", facts)
        return Assessment("limited" if change == 0 else "deteriorating", None, "reason.no_target_from_zero", facts)
    signed_growth = target.direction * cagr(y0, yt, latest_year - t0)
    curvature = bounded_curvature(y0, target.upper_bound) if target.direction > 0 else 1.0
    ratio = signed_growth / (NO_TARGET_SUBSTANTIAL * curvature)
    facts.update(observed_growth=signed_growth, curvature=curvature)
    if signed_growth >= NO_TARGET_SUBSTANTIAL * curvature:
        status = "on_track"
    elif signed_growth >= NO_TARGET_MODERATE * curvature:
        status = "moderate"
    elif signed_growth >= 0:
        status = "limited"
    else:
        status = "deteriorating"
    # A lower-is-better series that fell to zero (no heavy-pollution days at all) has improved as far as it can:
    # its signed growth is +100% a year (cagr counts a fall to zero as -100%).
    reason = "reason.no_target_reached_zero" if yt == 0 and target.direction < 0 else "reason.no_target_trend"
    return Assessment(status, ratio, reason, facts)


def projection(series: dict[int, float], target: Target, to_year: int) -> float | None:
    """The latest value carried forward to `to_year` at the observed pace since the base year."""
    y0 = series.get(target.base_year)
    if not series or y0 is None:
        return None
    latest_year = max(series)
    yt = series[latest_year]
    if latest_year <= target.base_year:
        return None
    years_ahead = to_year - latest_year
    if target.type == "count" or y0 <= 0 or yt <= 0:
        return yt + (yt - y0) / (latest_year - target.base_year) * years_ahead
    return yt * (1 + cagr(y0, yt, latest_year - target.base_year)) ** years_ahead
