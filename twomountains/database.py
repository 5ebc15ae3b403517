"""The DuckDB file: building it from data/, opening it, and running the named queries in queries/."""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

from twomountains import metadata
from twomountains.observations import read_observation_files
from twomountains.paths import DATA_DIR, QUERIES_DIR, db_path

METADATA_TABLES = ("units", "goal_groups", "categories", "statuses", "departments", "regions", "sources",
                   "indicators")


@lru_cache(maxsize=None)
def read_sql(name: str) -> str:
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def create_statements(tables) -> list[str]:
    """The CREATE TABLE statements of queries/schema.sql for the named tables (comments dropped)."""
    text = "\n".join(line.split("--")[0].rstrip() for line in read_sql("schema").splitlines())
    out = []
    for statement in text.split(";"):
        body = statement.strip()
        if any(body.startswith(f"CREATE TABLE {table} ") for table in tables):
            out.append(body)
    return out


def add_missing_tables(db, probe: str, statements: list[str], fill) -> bool:
    """A database built before some tables existed gets them: when the query `probe` finds no table, the
    statements run and fill(con) fills them, with the data version bumped, in one transaction; True if so.
    (The tasks' and the plans' tables came this way; `db` is an access.Database.)"""
    try:
        db.query(probe)
        return False
    except duckdb.CatalogException:
        pass
    with db.writing() as con:
        for statement in statements:
            con.execute(statement)
        fill(con)
        con.execute(read_sql("data_version_bump")).fetchall()
    return True


def _insert_frame(con, table: str, frame: pd.DataFrame) -> None:
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    con.register("incoming", frame)
    try:
        con.execute(f'INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming')
    finally:
        con.unregister("incoming")


def build_database(target: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    """Build the database from the text files under data/.

    The file is written beside the target under another name and moved into place in one step,
    so a crash leaves either the old database or the new one, never half of one.
    """
    target = db_path(target)
    if str(target).startswith("ducklake:"):   # a lake: built as a file, then moved in, replacing what it held
        from twomountains import lake_transfer
        with tempfile.TemporaryDirectory() as folder:
            lake_transfer.file_to_lake(build_database(Path(folder) / "build.duckdb", data_dir), target, replace=True)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tables = {name: metadata.load_table(name, data_dir) for name in METADATA_TABLES}
    from twomountains.plans import records as plan_records  # indicators only later plans track (issue 14)
    observations = read_observation_files(data_dir, plan_records.every_indicator(data_dir), tables["regions"])
    handle, temp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".building", dir=target.parent)
    os.close(handle)
    os.unlink(temp_name)
    try:
        con = duckdb.connect(temp_name)
        try:
            con.execute(read_sql("schema"))
            for name, frame in tables.items():
                _insert_frame(con, name, frame)
            _insert_frame(con, "observations", observations)
            from twomountains import rural_tourism  # the map's points and routes (a points upload replaces the points)
            rural_tourism.insert_all(con, _insert_frame, data_dir)
            from twomountains.plans.store import insert_all as insert_plan_tables  # plans (issue 14)
            insert_plan_tables(con, data_dir, insert=_insert_frame)
            from twomountains.tasks.book import insert_all as insert_task_tables  # key tasks (issue 6)
            insert_task_tables(con, data_dir, insert=_insert_frame)
            con.execute("INSERT INTO meta VALUES ('data_version', '1')")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(temp_name, target)
    finally:
        for leftover in (temp_name, temp_name + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
    return target


def ensure_database(path: Path | None = None) -> Path:
    """Build the embedded demo database on first start."""
    path = db_path(path)
    if not path.exists():
        build_database(path)
    return path
