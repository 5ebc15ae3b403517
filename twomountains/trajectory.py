"""A goal's trajectory: the path it had to follow, where its trend leads, and the target-year verdict.

Pure functions over an annual series ({year: value}) and a progress.Target, consistent with the
progress methodology: a level target is measured by compound growth, so its required path grows at
a constant rate from the base-year value to the target; a count target by a constant yearly gain, so
its path is a straight line; a growth target is the base value growing at the target rate. The
projection carries the observed pace since the base year forward (progress.projection).
"""
from __future__ import annotations

import math

import pandas as pd

from twomountains.progress import Assessment, Target, assess, cagr, projection

PATH_TYPES = ("level", "count", "cagr")
PROJECTION_TYPES = ("level", "count", "cagr", "context")
LAYERS = ("observed", "required", "projection")


def _clean(series: dict[int, float]) -> dict[int, float]:
    return {int(y): float(v) for y, v in series.items()
            if v is not None and not (isinstance(v, float) and math.isnan(v))}


def _meets(value: float, target: Target) -> bool:
    return value >= target.value if target.direction > 0 else value <= target.value


def required_path(target: Target, base_value: float | None) -> dict[int, float]:
    """The value the goal needed in each year from the base year to reach its target in the target year.

    Empty when there is no path to draw: no base value, a target type without a path (rank,
    milestone, context), or a level already at its target in the base year.
    """
    t0, T = target.base_year, target.target_year
    if base_value is None or math.isnan(base_value) or T <= t0 or target.type not in PATH_TYPES:
        return {}
    years = range(t0, T + 1)
    if target.type == "cagr":
        if base_value <= 0:
            return {}
        rate = target.value / 100.0
        return {y: base_value * (1 + rate) ** (y - t0) for y in years}
    X = target.value
    if _meets(base_value, target):
        return {}
    if target.type == "count" or base_value <= 0 or X <= 0:
        return {y: base_value + (X - base_value) * (y - t0) / (T - t0) for y in years}
    return {y: base_value * (X / base_value) ** ((y - t0) / (T - t0)) for y in years}


def projection_path(series: dict[int, float], target: Target, as_of: int,
                    lower: float | None = None, upper: float | None = None) -> dict[int, float]:
    """The latest value (as of `as_of`) carried to the target year at the pace observed since the base year.

    Starts at the latest observed year so the line joins the series; empty once the target year is
    observed, or when the pace cannot be measured. Values are kept within the unit's bounds.
    """
    observed = {y: v for y, v in _clean(series).items() if y <= as_of}
    if target.type not in PROJECTION_TYPES or not observed:
        return {}
    latest = max(observed)
    if latest >= target.target_year or target.base_year not in observed or latest <= target.base_year:
        return {}
    path = {latest: observed[latest]}
    for year in range(latest + 1, target.target_year + 1):
        value = projection(observed, target, year)
        if value is None:
            return {}
        if upper is not None and not math.isnan(upper):
            value = min(value, upper)
        if lower is not None and not math.isnan(lower):
            value = max(value, lower)
        path[year] = value
    return path


def year_on_year(series: dict[int, float]) -> dict[int, float]:
    """Growth over the previous year, for each year whose previous year is known and positive."""
    clean = _clean(series)
    return {y: clean[y] / clean[y - 1] - 1 for y in sorted(clean) if y - 1 in clean and clean[y - 1] > 0}


def growth_since_base(series: dict[int, float], base_year: int) -> dict[int, float]:
    """Average annual (compound) growth from the base year to each later year.

    This is the figure a growth target is judged by."""
    clean = _clean(series)
    base = clean.get(base_year)
    if base is None or base <= 0:
        return {}
    return {y: cagr(base, v, y - base_year) for y, v in sorted(clean.items()) if y > base_year and v > 0}


def verdict(series: dict[int, float], target: Target, as_of: int) -> Assessment | None:
    """The target year's verdict, once `as_of` has reached the target year; None before."""
    if as_of < target.target_year:
        return None
    observed = {y: v for y, v in _clean(series).items() if y <= target.target_year}
    return assess(observed, target, target.target_year)


def trajectory_frame(annual: pd.DataFrame, target: Target, as_of: int,
                     lower: float | None = None, upper: float | None = None) -> pd.DataFrame:
    """Every line of the detail chart in one tidy frame: year, value, layer, quality, source.

    `annual` has year, value, quality and source (one region's annual values); rows after
    `as_of` are left out, since the view is as of that year.
    """
    shown = annual[annual.year <= as_of].sort_values("year")
    series = dict(zip(shown.year.astype(int), shown.value.astype(float)))
    rows = [{"year": int(r.year), "value": float(r.value), "layer": "observed",
             "quality": r.quality, "source": r.source} for r in shown.itertuples()]
    base = series.get(target.base_year)
    for year, value in required_path(target, base).items():
        rows.append({"year": year, "value": value, "layer": "required", "quality": None, "source": None})
    for year, value in projection_path(series, target, as_of, lower, upper).items():
        rows.append({"year": year, "value": value, "layer": "projection", "quality": None, "source": None})
    return pd.DataFrame(rows, columns=["year", "value", "layer", "quality", "source"])


def growth_frame(annual: pd.DataFrame, base_year: int, as_of: int) -> pd.DataFrame:
    """Year-on-year growth and average growth since the base year, by year, for a growth target's chart."""
    shown = annual[annual.year <= as_of]
    series = dict(zip(shown.year.astype(int), shown.value.astype(float)))
    quality = dict(zip(shown.year.astype(int), shown.quality))

    def combined(*years):
        """A rate computed from two values is demo data when either value is."""
        qualities = [quality.get(y) for y in years]
        return "demo" if "demo" in qualities else qualities[-1]

    rows = [{"year": y, "rate": r, "measure": "year_on_year", "quality": combined(y - 1, y)}
            for y, r in year_on_year(series).items()]
    rows += [{"year": y, "rate": r, "measure": "since_base", "quality": combined(base_year, y)}
             for y, r in growth_since_base(series, base_year).items()]
    return pd.DataFrame(rows, columns=["year", "rate", "measure", "quality"])
