"""The charts of one goal, from its catalog row and annual values: what the detail, tourism and ecology
pages show for a goal. Pure: tests build them for every catalog indicator."""
from __future__ import annotations

from dataclasses import replace

import pandas as pd

from twomountains import townships, trajectory
from twomountains.charts.common import status_table
from twomountains.charts.trajectory import SeriesInfo, VerdictMark, growth_chart, trajectory_chart
from twomountains.formatting import target_text, text_or_empty
from twomountains.scorecard import target_of
from twomountains.tourism import PANDEMIC_YEARS, TOURISM_CODES


def _bound(value):
    return None if value is None or pd.isna(value) else float(value)


def series_info(indicator: dict, status: str, region_name: str, lang: str) -> SeriesInfo:
    target = target_of(indicator)
    return SeriesInfo(
        name=indicator[f"name_{lang}"], unit_label=text_or_empty(indicator.get(f"symbol_{lang}")),
        decimals=int(indicator["decimals"]), target_type=target.type, target=target.value,
        target_text=target_text(target.type, target.value, target.direction, indicator, lang),
        target_year=target.target_year, status=status, region=region_name)


def goal_charts(indicator: dict, annual: pd.DataFrame, status: str, as_of: int, region_name: str, lang: str,
                source_names: dict | None = None, township: bool = False) -> list:
    """The trajectory chart, and for a growth target the growth chart too.

    `indicator` is a row of the indicator_catalog query with its code; `annual` one region's annual
    values of this indicator (year, value, quality, source). The plan's targets are the district's:
    a township's series (`township`) gets no required path and no verdict, and the target line
    only as a reference for a rate (a district count of 100 says nothing about one township).
    """
    target = target_of(indicator)
    frame = trajectory.trajectory_frame(annual, target, as_of, _bound(indicator.get("min_value")),
                                        _bound(indicator.get("max_value")))
    if township:
        frame = frame[frame.layer != "required"]
    series = dict(zip(annual.year.astype(int), annual.value.astype(float)))
    verdict = (trajectory.verdict(series, target, as_of)
               if target.type != "context" and not township else None)
    mark = None
    if verdict is not None:
        value = verdict.facts.get("verdict_value")
        if target.type == "milestone":
            value = series.get(target.target_year)
        mark = VerdictMark(verdict.status, status_table().loc[verdict.status, f"name_{lang}"], value)
    pandemic = (PANDEMIC_YEARS[0], PANDEMIC_YEARS[-1]) if indicator["code"] in TOURISM_CODES else None
    info = series_info(indicator, status, region_name, lang)
    if township and townships.is_additive(indicator["unit"]):
        info = replace(info, target=None)
    charts = [trajectory_chart(frame, info, lang, verdict=mark, source_names=source_names, pandemic=pandemic)]
    if target.type == "cagr" and not township:
        growth = trajectory.growth_frame(annual, target.base_year, as_of)
        if not growth.empty:
            charts.append(growth_chart(growth, info.name, target.value / 100.0, target.base_year, status, lang,
                                       pandemic=pandemic))
    return charts


def first_goal_chart(*args, height: int, **kwargs):
    """The trajectory chart of goal_charts at a fixed height, for a grid of small charts."""
    return goal_charts(*args, **kwargs)[0].properties(height=height)
