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
    """Compound annual growth rate; start must be positive and years at least 1."""
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
    return assessor(observed, target, as_of)


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
        if _meets(verdict_value, target):
            return Assessment("achieved", None, "reason.verdict_met", facts)
        met_in = _first_year_meeting(observed, T, as_of, lambda v: _meets(v, target))
        facts["met_in"] = met_in
        return Assessment("missed", None, "reason.verdict_missed_met_later" if met_in else
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

    if y0 <= 0 or yt <= 0 or X <= 0:
        return Assessment("no_data", None, "reason.zero_baseline", facts)
    observed_growth = cagr(y0, yt, latest_year - t0)
    required_growth = cagr(y0, X, T - t0)
    ratio = target.direction * observed_growth / abs(required_growth)
    facts.update(observed_growth=observed_growth, required_growth=required_growth)
    return Assessment(_status_from_ratio(ratio), ratio, "reason.level_growth", facts)


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
    if end_value <= 0:
        return Assessment("deteriorating", None, "reason.zero_baseline", facts)
    observed_growth = cagr(y0, end_value, end_year - t0)
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
        if done_years and done_years[0] <= T:
            return Assessment("achieved", None, "reason.milestone_done", facts)
        if done_years:
            return Assessment("missed", None, "reason.milestone_done_late", facts, met_in=done_years[0])
        return Assessment("missed", None, "reason.milestone_not_done", facts)
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
    if y0 <= 0 or yt <= 0:
        return Assessment("no_data", None, "reason.zero_baseline", facts)
    signed_growth = target.direction * cagr(y0, yt, latest_year - t0)
    curvature = bounded_curvature(y0, target.upper_bound) if target.direction > 0 else 1.0
    ratio = signed_growth / (NO_TARGET_SUBSTANTIAL * curvature)
    facts.update(base=y0, observed_growth=signed_growth, curvature=curvature)
    if signed_growth >= NO_TARGET_SUBSTANTIAL * curvature:
        status = "on_track"
    elif signed_growth >= NO_TARGET_MODERATE * curvature:
        status = "moderate"
    elif signed_growth >= 0:
        status = "limited"
    else:
        status = "deteriorating"
    return Assessment(status, ratio, "reason.no_target_trend", facts)


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
