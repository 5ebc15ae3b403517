"""Everything the forum slides are built from, read once from the database (points and routes too) and data/."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from twomountains import geo, metadata, rural_tourism, scorecard
from twomountains.access import Database


@dataclass(frozen=True)
class ForumData:
    catalog: pd.DataFrame        # indicator_catalog, indexed by code
    annual: pd.DataFrame         # district annual values (indicator_code, year, value, quality, source)
    goals: dict                  # code -> scorecard.GoalStatus as of `as_of`
    statuses: pd.DataFrame       # statuses.csv indexed by code
    sources: pd.DataFrame        # sources.csv indexed by code
    departments: pd.DataFrame    # departments.csv indexed by code
    points: pd.DataFrame         # rural-tourism points
    routes: pd.DataFrame         # boutique routes
    outline: dict                # district outline GeoJSON
    as_of: int
    landmarks: pd.DataFrame = None  # map_landmarks.csv: a few places named on the map
    series: dict = None          # code -> its annual values up to `as_of`, oldest first (read many times)
    plan: dict | None = None     # the plan's record (plans.csv) when it is not the default plan (issue 14)


def years_available(db: Database) -> list[int]:
    annual = db.query("annual_values", region=scorecard.DISTRICT)
    return sorted(annual.year.unique().astype(int).tolist(), reverse=True)


def load(db: Database, as_of: int | None = None, plan: str | None = None) -> ForumData:
    """The forum's data for a plan's goals (default: the default plan, whose slides are as they always were)."""
    from twomountains.plans import goals as plan_goals, store as plan_store
    plan_store.ensure_tables(db)
    plans = plan_store.plans(db)
    code = plan_goals.plan_or_default(plans, plan)
    catalog = plan_store.goals(db, code, plans)
    record = None if code == plan_goals.default_plan(plans) else plans.set_index("code").loc[code].to_dict()
    annual = db.query("annual_values", region=scorecard.DISTRICT)
    year = as_of or scorecard.default_as_of(annual)
    goals = {goal.code: goal for goal in scorecard.compute(catalog, annual, year)}
    with db.reading() as cursor:
        points, routes = rural_tourism.read(cursor)
    return ForumData(
        catalog=catalog.set_index("code"), annual=annual, goals=goals,
        statuses=metadata.load_table("statuses").set_index("code"),
        sources=metadata.load_table("sources").set_index("code"),
        departments=metadata.load_table("departments").set_index("code"),
        points=points, routes=routes, outline=geo.outline(), as_of=year,
        landmarks=metadata.load_table("map_landmarks"),
        series={code: frame for code, frame in
                annual[annual.year <= year].sort_values("year").groupby("indicator_code", sort=False)},
        plan=None if record is None else {"code": code, **record},
    )
