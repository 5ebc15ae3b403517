"""Writing reports: one transaction per upload or form entry, with revisions; the shared history and rollback.

Same rules as indicator uploads, and the same history: a report upload or form entry is an entry of the
shared `uploads` table (kind task_reports, layout file or form; data/ingest/kinds.csv), recorded by
twomountains.ingest.store and undone by twomountains.ingest.history.rollback, which calls `rollback_in`
here for this kind. A checked file with any error writes nothing; everything an upload writes (reports,
their revisions, the history row, the data version that turns every page's cache over) is written in one
transaction of Database.writing(); re-sending the same content writes nothing; a rollback restores each
report to what it was before (or removes it) and is refused when a later upload changed the same report.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pandas as pd

from twomountains.access import Database
from twomountains.database import _insert_frame, add_missing_tables, create_statements, read_sql
from twomountains.ingest import history as upload_history
from twomountains.ingest import store as upload_store
from twomountains.ingest.history import RollbackRefused, RollbackResult  # noqa: F401  (shown as tasks.rollback.<code>)
from twomountains.ingest.store import bump_data_version
from twomountains.paths import DATA_DIR
from twomountains.tasks import book as task_book
from twomountains.tasks import ingest
from twomountains.tasks.book import REPORT_COLUMNS

KIND = "task_reports"           # the kind of upload in the shared history (data/ingest/kinds.csv)
HISTORY_COLUMNS = ["id", "kind", "user_name", "created_at", "file_name", "sha256", "encoding", "rows", "inserted",
                   "updated", "unchanged", "warnings", "rolls_back", "rolled_back_by"]

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


def _record(con, upload_id, entry, user, check, inserted, updated, unchanged) -> None:
    """The entry in the shared history: kind task_reports, how the reports came (file or form) as its layout."""
    meta = upload_store.UploadMeta(kind=KIND, user_name=user, file_name=check.file_name, sha256=check.sha256,
                                   encoding=check.encoding, layout=entry, options={},
                                   rows=inserted + updated + unchanged, warnings=len(check.warnings))
    upload_store.record_upload(con, upload_id, meta, inserted, updated, unchanged)


def commit(db: Database, check: ingest.ReportCheck, user: str, kind: str = "file") -> Written:
    """Write a checked file (kind file) or form entry (kind form) in one transaction."""
    if not check.accepted:
        raise ReportsRejected(len(check.errors))
    with db.writing() as con:
        upload_store.ensure_tables(con)
        now = current(con, [change.key for change in check.changes])
        for change in check.changes:
            if not _same_or_none(now.get(change.key), change.old):
                raise ReportConflict(change.key)
        written = [c for c in check.changes if c.kind != "unchanged"]
        inserted = sum(1 for c in written if c.kind == "insert")
        if not written:
            return Written(None, 0, 0, len(check.changes))
        upload_id = upload_store.next_id(con)
        _write_reports(con, upload_id, [(c.key, c.new) for c in written])
        _write_revisions(con, upload_id, [(c.key, c.kind, c.old, c.new) for c in written])
        _record(con, upload_id, kind, user, check, inserted, len(written) - inserted, len(check.changes) - len(written))
        bump_data_version(con)
    return Written(upload_id, inserted, len(written) - inserted, len(check.changes) - len(written))


def _same_or_none(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return ingest.same_record(a, b)


def _has_history(cursor) -> bool:
    return bool(int(cursor.execute(read_sql("upload_history_exists")).fetchall()[0][0]))


def history(db: Database) -> pd.DataFrame:
    """The report uploads, form entries and their rollbacks in the shared history, newest first."""
    with db.reading() as cursor:
        if not _has_history(cursor):
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        return cursor.execute(read_sql("task_report_uploads")).df()


def upload(db: Database, upload_id: int) -> dict | None:
    """One report upload, form entry or rollback of one (kind file, form or rollback, user_name, ...), or None."""
    with db.reading() as cursor:
        if not _has_history(cursor):
            return None
        found = cursor.execute(read_sql("task_report_upload_by_id"), {"id": upload_id}).df()
    return None if found.empty else found.iloc[0].to_dict()


def revisions(db: Database, upload_id: int) -> pd.DataFrame:
    with db.reading() as cursor:
        return cursor.execute(read_sql("task_report_upload_revisions"), {"id": upload_id}).df()


def rollback(db: Database, upload_id: int, user: str) -> int:
    """Undo one report upload or form entry through the shared rollback; returns the rollback's id.

    An id of the shared history that is not a report upload is not_found here (the reporting page and
    `python -m twomountains.tasks rollback` undo reports only; `python -m twomountains rollback` undoes any)."""
    if upload(db, upload_id) is None:
        raise RollbackRefused("not_found", id=upload_id)
    return upload_history.rollback(db, upload_id, user).rollback_id


def rollback_in(con, upload_id: int, user: str, original: dict) -> RollbackResult:
    """Inside the shared rollback's transaction: put each report the upload wrote back as it was before."""
    later = con.execute(read_sql("task_report_later_uploads"), {"id": upload_id}).df()
    if not later.empty:
        raise RollbackRefused("changed_later", id=upload_id, later=[int(i) for i in later.upload_id])
    revs = con.execute(read_sql("task_report_upload_revisions"), {"id": upload_id}).df()
    keys = [tuple(k) for k in revs[KEY].itertuples(index=False)]
    now = current(con, keys)
    rollback_id = upload_store.next_id(con)
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
    upload_history.record_rollback(con, rollback_id, upload_id, user, original, len(restore), len(remove))
    return RollbackResult(rollback_id, upload_id, len(restore), len(remove))


TASK_TABLES = ("task_sections", "tasks", "task_units", "task_indicators", "task_milestones", "task_reports",
               "task_report_revisions")


def ensure_tables(db: Database, data_dir=DATA_DIR) -> bool:
    """A database built before the task tables existed gets them, filled from data/tasks/; True if it did.

    (One whose report uploads still had a history of their own was migrated when the process opened it:
    twomountains.access, ingest.history_migration.)"""
    return add_missing_tables(db, "task_sections", create_statements(TASK_TABLES),
                              lambda con: task_book.insert_all(con, data_dir, insert=_insert_frame))
