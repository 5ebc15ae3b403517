"""Writing reports: one transaction per upload or form entry, with revisions and history; rollback.

Same rules as indicator uploads (twomountains.ingest.store / history): a checked file with any error
writes nothing; everything an upload writes (reports, their revisions, the history row, the data
version that turns every page's cache over) is written in one transaction of Database.writing();
re-sending the same content writes nothing; a rollback restores each report to what it was before
(or removes it) and is refused when a later upload changed the same report again.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from twomountains.access import Database
from twomountains.database import read_sql
from twomountains.ingest.store import bump_data_version, now_utc
from twomountains.paths import DATA_DIR
from twomountains.tasks import book as task_book
from twomountains.tasks import ingest
from twomountains.tasks.book import REPORT_COLUMNS
from twomountains.ingest.history import RollbackRefused  # noqa: F401  (shown as tasks.rollback.<code>)

KEY = ["task_code", "unit_code", "month"]


class ReportsRejected(Exception):
    """commit() of a check with errors."""


class ReportConflict(Exception):
    """Someone else changed the same reports since the check: check the file again."""


@dataclass(frozen=True)
class Written:
    upload_id: int | None       # None when nothing changed (nothing was written)
    inserted: int
    updated: int
    unchanged: int


def _with(con, name: str, frame: pd.DataFrame, sql: str, params: dict | None = None, fetch: bool = False):
    con.register(name, frame)
    try:
        result = con.execute(sql, params or {})
        return result.df() if fetch else result.fetchall()
    finally:
        con.unregister(name)


def _clean(value):
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return pd.Timestamp(value).date().isoformat()
    return value


def as_record(row) -> dict:
    return {name: _clean(row[name]) for name in ingest.RECORD_FIELDS}


def current(con, keys: list[tuple]) -> dict[tuple, dict]:
    """The reports stored under the keys, as records."""
    if not keys:
        return {}
    frame = pd.DataFrame(keys, columns=KEY)
    found = _with(con, "report_keys", frame, read_sql("task_reports_for_keys"), fetch=True)
    return {(r["task_code"], r["unit_code"], r["month"]): as_record(r) for r in found.to_dict("records")}


def current_for(db: Database, keys: list[tuple]) -> dict[tuple, dict]:
    """The stored reports under the keys (for checking a file or form entry against them)."""
    with db.reading() as cursor:
        return current(cursor, keys)


def _write_reports(con, upload_id: int, rows: list[tuple[tuple, dict]]) -> None:
    if not rows:
        return
    frame = pd.DataFrame([{**dict(zip(KEY, key)), **record} for key, record in rows])
    frame["submitted_on"] = pd.to_datetime(frame["submitted_on"])
    frame["percent_complete"] = frame["percent_complete"].astype(float)
    for column in REPORT_COLUMNS:
        if column not in ("submitted_on", "percent_complete"):
            frame[column] = frame[column].astype(object)
    _with(con, "report_rows", frame[REPORT_COLUMNS], read_sql("task_reports_write"), {"upload_id": upload_id})


def _delete_reports(con, keys: list[tuple]) -> None:
    if keys:
        _with(con, "report_keys", pd.DataFrame(keys, columns=KEY), read_sql("task_reports_delete"))


def _write_revisions(con, upload_id: int, revisions: list[tuple[tuple, str, dict | None, dict | None]]) -> None:
    if not revisions:
        return
    def dump(record):
        return None if record is None else json.dumps({k: _clean(v) for k, v in record.items()}, ensure_ascii=False)
    frame = pd.DataFrame([{**dict(zip(KEY, key)), "action": action, "old_record": dump(old), "new_record": dump(new)}
                          for key, action, old, new in revisions]).astype(object)
    _with(con, "revision_rows", frame, read_sql("task_report_revisions_write"), {"upload_id": upload_id})


def _record(con, upload_id, kind, user, check, inserted, updated, unchanged, rolls_back=None) -> None:
    con.execute(read_sql("task_report_upload_record"), {
        "id": upload_id, "kind": kind, "user_name": user, "created_at": now_utc(),
        "file_name": getattr(check, "file_name", None), "sha256": getattr(check, "sha256", None),
        "encoding": getattr(check, "encoding", None), "rows": inserted + updated + unchanged,
        "inserted": inserted, "updated": updated, "unchanged": unchanged,
        "warnings": len(check.warnings) if check is not None else 0, "rolls_back": rolls_back}).fetchall()


def commit(db: Database, check: ingest.ReportCheck, user: str, kind: str = "file") -> Written:
    """Write a checked file (kind file) or form entry (kind form) in one transaction."""
    if not check.accepted:
        raise ReportsRejected(len(check.errors))
    with db.writing() as con:
        now = current(con, [change.key for change in check.changes])
        for change in check.changes:
            if not _same_or_none(now.get(change.key), change.old):
                raise ReportConflict(change.key)
        written = [c for c in check.changes if c.kind != "unchanged"]
        inserted = sum(1 for c in written if c.kind == "insert")
        if not written:
            return Written(None, 0, 0, len(check.changes))
        upload_id = int(con.execute(read_sql("task_report_next_id")).fetchall()[0][0])
        _write_reports(con, upload_id, [(c.key, c.new) for c in written])
        _write_revisions(con, upload_id, [(c.key, c.kind, c.old, c.new) for c in written])
        _record(con, upload_id, kind, user, check, inserted, len(written) - inserted, len(check.changes) - len(written))
        bump_data_version(con)
    return Written(upload_id, inserted, len(written) - inserted, len(check.changes) - len(written))


def _same_or_none(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return ingest.same_record(a, b)


def history(db: Database) -> pd.DataFrame:
    with db.reading() as cursor:
        return cursor.execute(read_sql("task_report_uploads")).df()


def upload(db: Database, upload_id: int) -> dict | None:
    """One entry of the report upload history (kind, user_name, ...), or None."""
    with db.reading() as cursor:
        found = cursor.execute(read_sql("task_report_upload_by_id"), {"id": upload_id}).df()
    return None if found.empty else found.iloc[0].to_dict()


def revisions(db: Database, upload_id: int) -> pd.DataFrame:
    with db.reading() as cursor:
        return cursor.execute(read_sql("task_report_upload_revisions"), {"id": upload_id}).df()


def rollback(db: Database, upload_id: int, user: str) -> int:
    """Undo one report upload or form entry in one transaction; returns the rollback's id."""
    with db.writing() as con:
        found = con.execute(read_sql("task_report_upload_by_id"), {"id": upload_id}).df()
        if found.empty:
            raise RollbackRefused("not_found", id=upload_id)
        original = found.iloc[0]
        if original.kind == "rollback":
            raise RollbackRefused("is_rollback", id=upload_id)
        if not pd.isna(original.rolled_back_by):
            raise RollbackRefused("already", id=upload_id, by=int(original.rolled_back_by))
        later = con.execute(read_sql("task_report_later_uploads"), {"id": upload_id}).df()
        if not later.empty:
            raise RollbackRefused("changed_later", id=upload_id, later=[int(i) for i in later.upload_id])
        revs = con.execute(read_sql("task_report_upload_revisions"), {"id": upload_id}).df()
        keys = [tuple(k) for k in revs[KEY].itertuples(index=False)]
        now = current(con, keys)
        rollback_id = int(con.execute(read_sql("task_report_next_id")).fetchall()[0][0])
        restore, remove, out = [], [], []
        for rev, key in zip(revs.to_dict("records"), keys):
            if rev["action"] == "insert":
                remove.append(key)
                out.append((key, "delete", now.get(key), None))
            else:
                old = json.loads(rev["old_record"])
                restore.append((key, old))
                out.append((key, "update", now.get(key), old))
        _delete_reports(con, remove)
        _write_reports(con, rollback_id, restore)
        _write_revisions(con, rollback_id, out)
        _record(con, rollback_id, "rollback", user, None, 0, len(restore) + len(remove), 0, rolls_back=upload_id)
        con.execute(read_sql("task_report_mark_rolled_back"), {"rollback_id": rollback_id, "id": upload_id}).fetchall()
        bump_data_version(con)
    return rollback_id


TASK_TABLES = ("task_sections", "tasks", "task_units", "task_indicators", "task_milestones", "task_reports",
               "task_report_uploads", "task_report_revisions")


def ensure_tables(db: Database, data_dir=DATA_DIR) -> bool:
    """A database built before the task tables existed gets them, filled from data/tasks/; True if it did."""
    try:
        db.query("task_sections")
        return False
    except duckdb.CatalogException:
        pass
    statements = [s.strip() for s in read_sql("schema").split(";")]
    mine = [s for s in statements if any(_creates(s, name) for name in TASK_TABLES)]
    with db.writing() as con:
        for statement in mine:
            con.execute(statement)
        from twomountains.database import _insert_frame
        task_book.insert_all(con, data_dir, insert=_insert_frame)
        bump_data_version(con)
    return True


def _creates(statement: str, table: str) -> bool:
    body = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
    return body.strip().startswith(f"CREATE TABLE {table} ")
