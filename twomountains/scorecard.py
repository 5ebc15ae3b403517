"""The scorecard: every catalog goal with its latest annual value and its status as of a year."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

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
    # Added for issue 11 (defaults keep older callers working):
    latest_note: str | None = None      # what the source says about the figure's certainty (note codes)
    target_year: int | None = None
    base_year: int | None = None
    as_of: int | None = None
    decided_year: int | None = None     # the year whose value decided the status: T at the verdict, the
    decided_source: str | None = None   # year done for a milestone, the latest year otherwise; with its
    decided_quality: str | None = None  # source and quality, so a verdict names what it rests on
    decided_note: str | None = None

    @property
    def is_goal(self) -> bool:
        """A goal has a target; a context series (tourist visits, GDP) is shown apart and never counted."""
        return is_goal(self.target_type)


def is_goal(target_type: str) -> bool:
    return target_type != "context"


def _flag(value) -> bool:
    return False if value is None or pd.isna(value) else bool(value)


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
        year_on_year=_flag(get("year_on_year")),
    )


def series_by_indicator(annual: pd.DataFrame) -> dict[str, dict[int, float]]:
    return {code: dict(zip(group.year.astype(int), group.value.astype(float)))
            for code, group in annual.groupby("indicator_code")}


def default_as_of(annual: pd.DataFrame) -> int:
    """The latest year with any annual value."""
    return int(annual.year.max())


def _text_or_none(value) -> str | None:
    return value if isinstance(value, str) and value else None


def _decided_year(result: Assessment, indicator: dict, as_of: int) -> int | None:
    """The year whose value the status rests on."""
    if result.status == "no_data":
        return None
    if indicator["target_type"] == "milestone" and result.facts.get("done_in") is not None:
        return int(result.facts["done_in"])
    if indicator["target_type"] != "context" and as_of >= int(indicator["target_year"]):
        return int(indicator["target_year"])
    latest_year = result.facts.get("latest_year")
    return int(latest_year) if latest_year is not None else None


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
        rows_of_goal = annual[(annual.indicator_code == code) & (annual.year <= as_of)].sort_values("year")
        latest = rows_of_goal.tail(1)
        has_latest = not latest.empty
        target_value = indicator["target_value"]
        decided_year = _decided_year(result, indicator, as_of)
        if decided_year is None and has_latest and result.status != "no_data":
            decided_year = int(latest.year.iloc[0])
        decided = rows_of_goal[rows_of_goal.year == decided_year] if decided_year is not None else latest.iloc[0:0]
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
            latest_note=_text_or_none(latest.note.iloc[0]) if has_latest and "note" in latest else None,
            target_year=int(indicator["target_year"]),
            base_year=int(indicator["base_year"]),
            as_of=as_of,
            decided_year=decided_year if not decided.empty else None,
            decided_source=decided.source.iloc[0] if not decided.empty else None,
            decided_quality=decided.quality.iloc[0] if not decided.empty else None,
            decided_note=_text_or_none(decided.note.iloc[0]) if not decided.empty and "note" in decided else None,
        ))
    return rows


# The headline buckets, in reading order: the one definition the overview's counts, their filters, "what
# changed" and the forum's findings use. "lagging" is every status behind pace but missed (statuses.csv
# is_lagging; a test checks the two agree).
HEADLINE_BUCKETS = (("achieved", ("achieved",)), ("on_track", ("on_track",)),
                    ("lagging", ("moderate", "limited", "deteriorating")), ("missed", ("missed",)),
                    ("other", ("in_progress", "no_data")))
BUCKETS = tuple(bucket for bucket, _ in HEADLINE_BUCKETS)
_BUCKET_OF = {status: bucket for bucket, members in HEADLINE_BUCKETS for status in members}


def bucket_of(status: str) -> str:
    """The headline bucket of a status code."""
    return _BUCKET_OF[status]


@dataclass(frozen=True)
class Headline:
    goals: int                 # goals with a target: what "N goals" means everywhere
    counts: dict               # bucket -> number of goals (context series never counted)
    context: int               # series shown for context, apart from the goals
    codes: dict = field(default_factory=dict)   # bucket -> the goals' codes, in the order given


def headline(goals) -> Headline:
    """How many goals the plan set and how they stand; context series are counted apart, never as goals.

    goals: {code: GoalStatus} or GoalStatus items."""
    goals = list(goals.values()) if isinstance(goals, dict) else list(goals)
    codes: dict[str, list[str]] = {bucket: [] for bucket in BUCKETS}
    for goal in goals:
        if goal.is_goal:
            codes[bucket_of(goal.status)].append(goal.code)
    with_target = sum(len(members) for members in codes.values())
    return Headline(goals=with_target, counts={bucket: len(members) for bucket, members in codes.items()},
                    context=len(goals) - with_target, codes=codes)
