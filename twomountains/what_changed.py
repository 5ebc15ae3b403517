"""What moved since the last year and the last upload: the first question a leader asks every quarter.

Pure functions on the scorecard (scorecard.GoalStatus by code), the upload history and the tourism
quarters; the overview lays out what they return.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from twomountains import tourism


@dataclass(frozen=True)
class StatusChange:
    code: str
    before: str
    after: str


def status_changes(before: dict, after: dict) -> list[StatusChange]:
    """Goals whose status differs between two scorecards ({code: GoalStatus}), in the later one's order."""
    return [StatusChange(code, before[code].status, goal.status) for code, goal in after.items()
            if code in before and before[code].status != goal.status]


def count_deltas(now: dict[str, list], before: dict[str, list] | None) -> dict[str, int | None]:
    """Each headline bucket's change in size ({bucket: codes} now and before); None without a before."""
    if before is None:
        return {bucket: None for bucket in now}
    return {bucket: len(codes) - len(before.get(bucket, [])) for bucket, codes in now.items()}


def previous_year(years: list[int], as_of: int) -> int | None:
    """The latest year with data before `as_of` (what 'since last year' compares with), or None."""
    earlier = [int(y) for y in years if int(y) < as_of]
    return max(earlier) if earlier else None


@dataclass(frozen=True)
class QuarterFigure:
    indicator_code: str
    year: int
    quarter: int
    value: float
    year_on_year: float | None      # growth over the same quarter a year before, as a fraction
    quality: str
    source: str


def latest_quarter(observations: pd.DataFrame, up_to_year: int | None = None) -> list[QuarterFigure]:
    """The latest quarter's tourism figures (revenue, visits) with growth over the same quarter a year before.

    `observations` as queries/tourism_quarters.sql returns them (year-to-date totals are split into
    single quarters by tourism.quarterly_frame). The latest quarter is the newest one any of the two
    has, up to `up_to_year` if given; a figure missing in that quarter is left out.
    """
    quarters = tourism.quarterly_frame(observations)
    if up_to_year is not None:
        quarters = quarters[quarters.year <= up_to_year]
    if quarters.empty:
        return []
    growth = tourism.quarter_year_on_year(quarters)
    year, quarter = max(zip(growth.year.astype(int), growth.quarter.astype(int)))
    latest = growth[(growth.year == year) & (growth.quarter == quarter)]
    order = {code: position for position, code in enumerate(tourism.TOURISM_CODES)}
    return [QuarterFigure(row.indicator_code, year, quarter, float(row.value),
                          None if math.isnan(row.yoy) else float(row.yoy), row.quality, row.source)
            for row in sorted(latest.itertuples(), key=lambda r: order.get(r.indicator_code, 99))]


@dataclass(frozen=True)
class UploadChanges:
    upload_id: int
    user_name: str
    created_at: pd.Timestamp
    file_name: str | None
    added: pd.DataFrame      # indicator_code, region_code, period, new_value
    revised: pd.DataFrame    # indicator_code, region_code, period, old_value, new_value


def upload_changes(revisions: pd.DataFrame) -> UploadChanges | None:
    """The latest upload's added and revised values (queries/latest_upload_revisions.sql), or None."""
    if revisions.empty:
        return None
    first = revisions.iloc[0]
    columns = ["indicator_code", "region_code", "period", "old_value", "new_value"]
    return UploadChanges(
        upload_id=int(first.upload_id), user_name=str(first.user_name), created_at=pd.Timestamp(first.created_at),
        file_name=None if pd.isna(first.file_name) else str(first.file_name),
        added=revisions[revisions.action == "insert"][columns].drop(columns="old_value").reset_index(drop=True),
        revised=revisions[revisions.action == "update"][columns].reset_index(drop=True))


def by_transition(changes: list[StatusChange]) -> list[tuple[str, str, list[str]]]:
    """Changes grouped by (before, after), largest group first, goals in their given order within a group:
    a leader reads "moderate → missed: A, B, C" faster than one line per goal."""
    groups: dict[tuple[str, str], list[str]] = {}
    for change in changes:
        groups.setdefault((change.before, change.after), []).append(change.code)
    ordered = sorted(groups.items(), key=lambda item: -len(item[1]))
    return [(before, after, codes) for (before, after), codes in ordered]
