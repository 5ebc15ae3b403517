"""What each slide says, computed from the data: its title states the finding, its subtitle what is measured.

One small function per sentence, so wording can change without touching the slides' layout. Counts come
from the scorecard's statuses through `counted` and `status_counts`, the one place that decides which
series count as goals.
"""
from __future__ import annotations

from collections import Counter

import pandas as pd

from twomountains.forum.data import ForumData
from twomountains.formatting import number, target_text, value_with_unit
from twomountains.i18n import t
from twomountains.progress import cagr
from twomountains.verdicts import verdict_text

LAGGING = ("moderate", "limited", "deteriorating", "missed")


def name(data: ForumData, code: str, lang: str) -> str:
    return data.catalog.loc[code, f"name_{lang}"]


def unit(data: ForumData, code: str) -> dict:
    return data.catalog.loc[code].to_dict()


def series(data: ForumData, code: str) -> pd.DataFrame:
    """The district's annual values of one indicator up to the chosen year, oldest first."""
    if data.series is not None:
        return data.series.get(code, data.annual.iloc[0:0])
    frame = data.annual[(data.annual.indicator_code == code) & (data.annual.year <= data.as_of)]
    return frame.sort_values("year")


def short_value(value: float, data: ForumData, code: str, lang: str) -> str:
    """A value with its unit, without decimals a whole number does not need ('65%', not '65.0%')."""
    details = unit(data, code)
    if float(value).is_integer():
        details = {**details, "decimals": 0}
    return value_with_unit(float(value), details, lang)


def counted(data: ForumData, codes) -> list[str]:
    """The goals among `codes` that a count covers: context series (no target, e.g. tourist visits) are
    shown but are not goals of the plan."""
    return [code for code in codes if data.goals[code].is_goal]


def status_counts(data: ForumData, codes) -> Counter:
    return Counter(data.goals[code].status for code in counted(data, codes))


def lagging(data: ForumData) -> list[str]:
    return [code for code in counted(data, data.catalog.index) if data.goals[code].status in LAGGING]


# --- titles -----------------------------------------------------------------------------------------

def headline_title(data: ForumData, lang: str) -> str:
    codes = counted(data, data.catalog.index)
    counts = status_counts(data, codes)
    return t("forum.find.headline", lang, achieved=counts["achieved"], total=len(codes), year=data.as_of)


def group_title(data: ForumData, group_name: str, codes, lang: str) -> str:
    goals = counted(data, codes)
    counts = status_counts(data, goals)
    key = "forum.find.group_missed" if counts["missed"] else "forum.find.group"
    return t(key, lang, group=group_name, achieved=counts["achieved"], total=len(goals), missed=counts["missed"])


def first_year_meeting(data: ForumData, code: str) -> int | None:
    goal, direction = data.goals[code], int(data.catalog.loc[code, "direction"])
    if goal.target is None:
        return None
    frame = series(data, code)
    meeting = frame[frame.value * direction >= goal.target * direction]
    return int(meeting.year.iloc[0]) if not meeting.empty else None


def level_title(data: ForumData, code: str, lang: str) -> str:
    """'Forest coverage passed its 65% target in 2021', or where it stands against the target."""
    goal = data.goals[code]
    if goal.latest_value is None:
        return t("forum.find.no_data", lang, name=name(data, code, lang))
    target = short_value(goal.target, data, code, lang)
    year = first_year_meeting(data, code)
    if year is None:
        return t("forum.find.level_short", lang, name=name(data, code, lang), target=target,
                 latest=value_with_unit(goal.latest_value, unit(data, code), lang), year=goal.latest_period)
    frame = series(data, code)
    first = frame.year.iloc[0]
    key = "forum.find.level_since" if year == first else "forum.find.level_passed"
    return t(key, lang, name=name(data, code, lang), target=target, year=year)


def growth(data: ForumData, code: str) -> tuple[int, int, float] | None:
    """Average yearly growth from the base year to the target year (or the latest year before it)."""
    indicator = data.catalog.loc[code]
    frame = series(data, code).set_index("year").value
    base = int(indicator.base_year)
    end = min(int(indicator.target_year), int(frame.index.max())) if not frame.empty else base
    if base not in frame.index or end <= base or frame[base] <= 0:
        return None
    return base, end, cagr(float(frame[base]), float(frame[end]), end - base)


def growth_title(data: ForumData, code: str, lang: str) -> str:
    """'Tourism revenue fell 2.0% a year in 2019–2022, against a growth target of 20%'."""
    found = growth(data, code)
    rate = float(data.catalog.loc[code, "target_value"])
    if found is None:
        return t("forum.find.no_data", lang, name=name(data, code, lang))
    base, end, rate_found = found
    if rate_found < 0:
        key = "forum.find.growth_fell"
    else:
        key = "forum.find.growth_beat" if rate_found * 100 >= rate else "forum.find.growth_short"
    return t(key, lang, name=name(data, code, lang), first=base, last=end, rate=number(abs(rate_found) * 100, 1),
             target=number(rate, 0))


def link_title(data: ForumData, first: int, last: int, forest_from: float, forest_to: float, growth_rate: float,
               lang: str) -> str:
    key = "forum.find.link_rose" if forest_to >= forest_from else "forum.find.link_fell"
    return t(key, lang, first=first, last=last, growth=number(growth_rate * 100, 1), forest=number(forest_to, 1))


def map_title(data: ForumData, points: int, lang: str) -> str:
    """The count on the map against the plan's target, and when the target was reached if that was late."""
    code = "rural_tourism_demo_points"
    target = int(data.catalog.loc[code, "target_value"])
    target_year = int(data.catalog.loc[code, "target_year"])
    reached = first_year_meeting(data, code)
    if points < target:
        key = "forum.find.map_short"
    else:
        key = "forum.find.map_late" if reached and reached > target_year else "forum.find.map_passed"
    return t(key, lang, count=points, target=target, year=data.as_of, reached=reached, target_year=target_year)


def next_title(data: ForumData, by_category: dict[str, int], lang: str) -> str:
    total = sum(by_category.values())
    if not total:
        return t("forum.next.none", lang)
    most = max(by_category, key=by_category.get)
    return t("forum.find.next", lang, count=total, category=most, most=by_category[most])


# --- the lines under the titles and the big numbers ----------------------------------------------------

def goal_line(data: ForumData, code: str, lang: str) -> str:
    """One goal as a list line: "Name: 116 (2025) · 2022: 94, missed · met in 2023" (the verdict names the
    year it is about, verdicts.verdict_text)."""
    wording = verdict_text(data.goals[code], unit(data, code), data.statuses, lang)
    return t("forum.goal_verdict_line", lang, name=name(data, code, lang), verdict=wording.full)


def figure_detail(data: ForumData, code: str, lang: str) -> str:
    """Under a big number: the target and the status ('target ≥ 65% by 2022 · Achieved')."""
    goal, indicator = data.goals[code], data.catalog.loc[code]
    target = target_text(goal.target_type, goal.target, int(indicator.direction), unit(data, code), lang)
    status = data.statuses.loc[goal.status, f"name_{lang}"]
    return t("forum.figure.detail", lang, target=target, year=int(indicator.target_year), status=status)


def latest_text(data: ForumData, code: str, lang: str) -> str:
    goal = data.goals[code]
    return value_with_unit(goal.latest_value, unit(data, code), lang)
