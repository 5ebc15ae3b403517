"""The plan tables in the database: filled by build-db, created in a database built before them, read by plan."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from twomountains.access import Database
from twomountains.paths import DATA_DIR
from twomountains.plans import goals as plan_goals
from twomountains.plans import records



def insert_all(con, data_dir: Path = DATA_DIR, insert=None) -> None:
    """Insert plans, later plans' targets and the indicators only later plans track (no base-plan target)."""
    files = records.load(data_dir)
    insert(con, "indicators", files.indicators)
    insert(con, "plans", files.plans)
    insert(con, "plan_targets", files.targets)


def ensure_tables(db: Database, data_dir: Path = DATA_DIR) -> bool:
    """A database built before plans were data gets their tables, filled from data/catalog/; True if it did."""
    from twomountains.database import _insert_frame, add_missing_tables, create_statements
    from twomountains.ingest.store import upload_tables_sql

    def fill(con) -> None:
        files = records.load(data_dir)
        known = set(con.execute("SELECT code FROM indicators").df().code)
        _insert_frame(con, "indicators", files.indicators[~files.indicators.code.isin(known)])
        _insert_frame(con, "plans", files.plans)
        _insert_frame(con, "plan_targets", files.targets)

    statements = create_statements(("plans", "plan_targets")) + [s for s in upload_tables_sql() if "plan_revisions" in s]
    return add_missing_tables(db, "plans", statements, fill)


def plans(db: Database) -> pd.DataFrame:
    """Every plan, in order, with has_tasks and is_default as booleans."""
    return db.query("plans")


def goals(db: Database, plan: str, plans_frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """A plan's goals in the shape of the indicator_catalog query; the default plan's are the catalog's targets."""
    plans_frame = plans(db) if plans_frame is None else plans_frame
    catalog = db.query("indicator_catalog")
    if plan == plan_goals.default_plan(plans_frame):
        return plan_goals.base_goals(catalog)
    return plan_goals.later_goals(db.query("plan_goals", plan=plan), catalog)


def all_targets(db: Database) -> pd.DataFrame:
    """Every later plan's targets (the base plan's are the catalog's columns)."""
    return db.query("plan_targets_all")
