"""The scorecard: every catalog goal with its latest annual value and its status as of a year."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from twomountains.progress import Assessment, Target, assess

DISTRICT = "500156"


@dataclass(frozen=True)
class GoalStatus:
    code: str
    latest_value: float | None
    latest_period: str | None
    latest_quality: str | None
    latest_source: str | None
    target: float | None
    target_type: str
    status: str
    ratio: float | None
    reason: str
    facts: dict
    met_in: int | None


def target_of(indicator: pd.Series | dict) -> Target:
    get = indicator.get
    target_value = get("target_value")
    upper = get("max_value")
    return Target(
        type=get("target_type"),
        direction=int(get("direction")),
        value=None if target_value is None or pd.isna(target_value) else float(target_value),
        base_year=int(get("base_year")),
        target_year=int(get("target_year")),
        upper_bound=None if upper is None or pd.isna(upper) else float(upper),
    )


def series_by_indicator(annual: pd.DataFrame) -> dict[str, dict[int, float]]:
    return {code: dict(zip(group.year.astype(int), group.value.astype(float)))
            for code, group in annual.groupby("indicator_code")}


def default_as_of(annual: pd.DataFrame) -> int:
    """The latest year with any annual value."""
    return int(annual.year.max())


def compute(catalog: pd.DataFrame, annual: pd.DataFrame, as_of: int) -> list[GoalStatus]:
    """The status of every catalog goal as of the end of `as_of`, in catalog order."""
    series = series_by_indicator(annual)
    rows = []
    for indicator in catalog.to_dict("records"):
        if pd.isna(indicator["target_type"]):
            continue  # tracked only by another plan: this catalog sets it no target
        code = indicator["code"]
        observed = {y: v for y, v in series.get(code, {}).items() if y <= as_of}
        result: Assessment = assess(observed, target_of(indicator), as_of)
        latest = annual[(annual.indicator_code == code) & (annual.year <= as_of)].sort_values("year").tail(1)
        has_latest = not latest.empty
        target_value = indicator["target_value"]
        rows.append(GoalStatus(
            code=code,
            latest_value=float(latest.value.iloc[0]) if has_latest else None,
            latest_period=str(int(latest.year.iloc[0])) if has_latest else None,
            latest_quality=latest.quality.iloc[0] if has_latest else None,
            latest_source=latest.source.iloc[0] if has_latest else None,
            target=None if pd.isna(target_value) else float(target_value),
            target_type=indicator["target_type"],
            status=result.status,
            ratio=None if result.ratio is None or math.isnan(result.ratio) else round(result.ratio, 4),
            reason=result.reason,
            facts=result.facts,
            met_in=result.met_in,
        ))
    return rows
