"""A plan's goals in the shape of the indicator catalog, and one indicator's targets across plans (pure).

Every page, command and export that judged the 2019-2022 goals takes a plan's goals from here and
judges them by the same scorecard (twomountains.scorecard), so a later plan is computed by the same
methodology.
"""
from __future__ import annotations

import pandas as pd

from twomountains import scorecard

TARGET_COLUMNS = ["goal_group", "target_type", "direction", "target_value", "base_year", "target_year",
                  "plan_clause", "reading_zh", "reading_en"]
_INTEGER_COLUMNS = ("direction", "base_year", "target_year")


def default_plan(plans: pd.DataFrame) -> str:
    """The code of the plan every page, command and link means when none is named."""
    return str(plans.code[plans.is_default.astype(bool)].iloc[0])


def plan_or_default(plans: pd.DataFrame, requested: str | None) -> str:
    """The requested plan if it exists, else the default (an unknown code in a link falls back)."""
    return requested if requested in set(plans.code) else default_plan(plans)


def base_goals(catalog: pd.DataFrame) -> pd.DataFrame:
    """The base plan's goals: the catalog's indicators that carry a target (others are tracked by later plans)."""
    goals = catalog[catalog.target_type.notna()].copy()
    for column in _INTEGER_COLUMNS:
        if column in goals and goals[column].dtype != "int64":
            goals[column] = goals[column].astype("int64")
    return goals.reset_index(drop=True)


def later_goals(goals: pd.DataFrame, catalog: pd.DataFrame) -> pd.DataFrame:
    """A later plan's goals (queries/plan_goals.sql) with the catalog's columns in the catalog's order."""
    goals = goals.reindex(columns=catalog.columns)
    if "year_on_year" in goals:  # a later plan's targets ask for no year-on-year improvement unless they say so
        goals["year_on_year"] = goals["year_on_year"].fillna(False).astype(bool)
    return goals.reset_index(drop=True)


def targets_in_time(code: str, plans: pd.DataFrame, catalog: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """One indicator's target in every plan that sets one, by target year: how the ambition moved.

    `catalog` is the full indicator catalog (the base plan's targets are its columns), `targets` every
    later plan's rows (queries/plan_targets_all.sql). Columns: plan_code, plan_zh, plan_en, certainty,
    target_type, target_value, direction, base_year, target_year, reading_zh, reading_en.
    """
    rows = []
    names = plans.set_index("code")
    base = default_plan(plans)
    indicator = catalog.set_index("code").loc[code]
    if pd.notna(indicator.target_type):
        rows.append({"plan_code": base, "target_type": indicator.target_type, "target_value": indicator.target_value,
                     "direction": indicator.direction, "base_year": indicator.base_year,
                     "target_year": indicator.target_year, "reading_zh": indicator.reading_zh,
                     "reading_en": indicator.reading_en})
    for row in targets[targets.indicator_code == code].itertuples():
        if row.plan_code in names.index:
            rows.append({"plan_code": row.plan_code, "target_type": row.target_type, "target_value": row.target_value,
                         "direction": row.direction, "base_year": row.base_year, "target_year": row.target_year,
                         "reading_zh": row.reading_zh, "reading_en": row.reading_en})
    frame = pd.DataFrame(rows, columns=["plan_code", "target_type", "target_value", "direction", "base_year",
                                        "target_year", "reading_zh", "reading_en"])
    frame["plan_zh"] = [names.loc[p, "name_zh"] for p in frame.plan_code]
    frame["plan_en"] = [names.loc[p, "name_en"] for p in frame.plan_code]
    frame["certainty"] = [names.loc[p, "certainty"] for p in frame.plan_code]
    frame["order"] = [names.loc[p, "order"] for p in frame.plan_code]
    for column in _INTEGER_COLUMNS:
        frame[column] = frame[column].astype("int64")
    return frame.sort_values(["target_year", "order"]).drop(columns="order").reset_index(drop=True)


def statuses_across_plans(code: str, in_time: pd.DataFrame, catalog: pd.DataFrame, annual: pd.DataFrame,
                          as_of: int) -> list[tuple[str, int, scorecard.GoalStatus]]:
    """(plan, target year, status) for each of an indicator's targets, as of a year, by the same scorecard."""
    indicator = catalog[catalog.code == code].iloc[0].to_dict()
    out = []
    for row in in_time.itertuples():
        goal = dict(indicator, target_type=row.target_type, target_value=row.target_value, direction=row.direction,
                    base_year=row.base_year, target_year=row.target_year)
        status = scorecard.compute(pd.DataFrame([goal]), annual, as_of)[0]
        out.append((row.plan_code, int(row.target_year), status))
    return out


def verdict_line(statuses: list[tuple[str, int, scorecard.GoalStatus]], wording) -> str:
    """Each plan's status in words that name its year, in time order: "2022: 65.6%, achieved · as of 2024:
    on track for 2025". `wording(goal)` is the one verdict wording (twomountains.verdicts.verdict_part)."""
    return " · ".join(wording(goal) for _, _, goal in statuses)
