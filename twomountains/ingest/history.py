"""The upload history, each value's revisions, and rollback (itself recorded in the history).

A rollback restores every value an upload wrote to what it was before (and removes the values it
added), in one transaction; for a points upload, the list of points as it was before; for the other kinds
(data/ingest/kinds.csv) what their own function restores. Every kind shares this one history. It is refused when a later upload changed the same values again: that
one must be rolled back first, so that no one's figures are silently lost.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from twomountains.access import Database
from twomountains.database import read_sql
from twomountains.ingest import catalog as catalog_upload
from twomountains.ingest import kinds
from twomountains.ingest import points as points_upload
from twomountains.ingest import store
from twomountains.ingest.changes import same_number


class RollbackRefused(Exception):
    """The rollback cannot be done; `code` and `params` name why (upload.rollback.<code>)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class RollbackResult:
    rollback_id: int
    upload_id: int
    restored: int       # values (or catalog rows) set back to their earlier content
    removed: int        # values (or catalog rows) the upload had added


def _query(cursor, name: str, **params) -> pd.DataFrame:
    # A database built before uploads existed has no history tables yet: no history. (Asked first:
    # DuckDB would otherwise look for a Python variable of the missing table's name.)
    if not int(cursor.execute(read_sql("upload_history_exists")).fetchall()[0][0]):
        return pd.DataFrame()
    return cursor.execute(read_sql(name), params).df()


def uploads(db: Database) -> pd.DataFrame:
    """Every upload and rollback of every kind, newest first (an older database's were migrated on opening it)."""
    with db.reading() as cursor:
        return _query(cursor, "uploads_history")


def upload(db: Database, upload_id: int) -> dict | None:
    with db.reading() as cursor:
        found = _query(cursor, "upload_by_id", id=upload_id)
    return None if found.empty else found.iloc[0].to_dict()


def revisions(db: Database, upload_id: int) -> pd.DataFrame:
    """What an upload changed, value by value (or catalog row, point, plan item or report by report): the
    revisions query its kind names in data/ingest/kinds.csv; a rollback's are in its original's kind's table."""
    with db.reading() as cursor:
        found = _query(cursor, "upload_by_id", id=upload_id)
        if found.empty:
            return _query(cursor, "upload_revisions", id=upload_id)
        entry = found.iloc[0]
        kind = entry["kind"] if entry["kind"] != "rollback" else json.loads(entry["options"] or "{}").get("of_kind")
        # A rollback recorded before rollbacks named their kind: the first kind whose table has its rows.
        for name in [kind] if kind in kinds.names() else kinds.names():
            try:
                changed = cursor.execute(read_sql(kinds.revisions_query(name)), {"id": upload_id}).df()
            except duckdb.CatalogException:   # a database older than that kind's table
                continue
            if not changed.empty or kind is not None:
                return changed
        return changed


def value_revisions(db: Database, indicator: str, region: str, period: str) -> pd.DataFrame:
    with db.reading() as cursor:
        return _query(cursor, "value_revisions", indicator=indicator, region=region, period=period)


def same_file(cursor, sha256: str) -> pd.DataFrame:
    return _query(cursor, "upload_same_file", sha256=sha256)


def _same(stored: dict | None, expected_value, expected: dict) -> bool:
    if stored is None:
        return False
    return (same_number(stored["value"], expected_value) and stored["source"] == expected["source"]
            and stored["quality"] == expected["quality"] and stored["note"] == expected["note"])


def rollback_observations(con, upload_id: int, user: str, original: dict) -> RollbackResult:
    revs = con.execute(read_sql("upload_revisions"), {"id": upload_id}).df()
    keys = list(zip(revs.indicator_code, revs.region_code, revs.period))
    current = store.current_values(con, keys)
    later = con.execute(read_sql("upload_later_revisions"), {"id": upload_id}).df()
    changed_since = []
    for rev, key in zip(revs.to_dict("records"), keys):
        new = {"value": rev["new_value"], "source": rev["new_source"], "quality": rev["new_quality"],
               "note": _none(rev["new_note"])}
        if not _same(current.get(key), rev["new_value"], new):
            changed_since.append(key)
    if changed_since or not later.empty:
        raise RollbackRefused("changed_later", id=upload_id, later=[int(i) for i in later.upload_id] or ["?"],
                              count=len(changed_since) or len(keys))
    rollback_id = store.next_id(con)
    restore, remove, revisions_out = [], [], []
    for rev, key in zip(revs.to_dict("records"), keys):
        now = current[key]
        if rev["action"] == "insert":
            remove.append(key)
            revisions_out.append(store.revision(key, "delete", now, None))
        else:
            old = {"value": rev["old_value"], "source": rev["old_source"], "quality": rev["old_quality"],
                   "note": _none(rev["old_note"])}
            restore.append({"indicator_code": key[0], "region_code": key[1], "period": key[2], **old})
            revisions_out.append(store.revision(key, "update", now, old))
    store.delete_values(con, remove)
    store.write_values(con, restore)
    store.write_revisions(con, rollback_id, revisions_out)
    record_rollback(con, rollback_id, upload_id, user, original, len(restore), len(remove))
    return RollbackResult(rollback_id, upload_id, len(restore), len(remove))


def _none(value):
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return None
    return value


def rollback_catalog(con, upload_id: int, user: str, original: dict) -> RollbackResult:
    revs = con.execute(read_sql("upload_catalog_revisions"), {"id": upload_id}).df()
    restore, remove, out = [], [], []
    for rev in revs.to_dict("records"):
        new = json.loads(rev["new_record"])
        found = con.execute(read_sql("upload_current_indicator"), {"code": rev["code"]}).df()
        now = catalog_upload.record(found.iloc[0]) if not found.empty else None
        if now is None or any(not catalog_upload._same(now[f], new[f]) for f in new):
            raise RollbackRefused("catalog_changed_later", id=upload_id, indicator=rev["code"])
        if rev["action"] == "insert":
            count = int(con.execute(read_sql("indicator_value_count"), {"code": rev["code"]}).fetchall()[0][0])
            if count:
                raise RollbackRefused("indicator_has_values", id=upload_id, indicator=rev["code"], count=count)
            remove.append(rev["code"])
            out.append((rev["code"], "delete", now, None))
        else:
            old = json.loads(rev["old_record"])
            restore.append(old)
            out.append((rev["code"], "update", now, old))
    rollback_id = store.next_id(con)
    catalog_upload.delete_rows(con, remove)
    catalog_upload.write_rows(con, restore)
    catalog_upload.write_revisions(con, rollback_id, out)
    record_rollback(con, rollback_id, upload_id, user, original, len(restore), len(remove))
    return RollbackResult(rollback_id, upload_id, len(restore), len(remove))


def rollback_points(con, upload_id: int, user: str, original: dict) -> RollbackResult:
    """Put the list back as it was before the upload: its added points go, changed and removed ones return."""
    later = con.execute(read_sql("upload_later_point_uploads"), {"id": upload_id}).df()
    revs = con.execute(read_sql("upload_point_revisions"), {"id": upload_id}).df()
    current = points_upload.current(con)
    changed_since = []
    for rev in revs.to_dict("records"):
        expected = None if _none(rev["new_record"]) is None else json.loads(rev["new_record"])
        now = current.get(rev["point_id"])
        if (now is None) != (expected is None) or (now is not None and any(
                not points_upload._same(now[f], expected[f]) for f in expected)):
            changed_since.append(rev["point_id"])
    if changed_since or not later.empty:
        raise RollbackRefused("changed_later", id=upload_id, later=[int(i) for i in later.upload_id] or ["?"],
                              count=len(changed_since) or len(revs))
    restored, removed, out = 0, 0, []
    for rev in revs.to_dict("records"):
        point, now = rev["point_id"], current.get(rev["point_id"])
        if rev["action"] == "insert":
            del current[point]
            removed += 1
            out.append((point, "delete", now, None))
        else:
            old = json.loads(rev["old_record"])   # update or delete: the row before the upload
            current[point] = old
            restored += 1
            out.append((point, "insert" if now is None else "update", now, old))
    rollback_id = store.next_id(con)
    points_upload.write_list(con, [current[k] for k in sorted(current)])
    points_upload.write_revisions(con, rollback_id, out)
    record_rollback(con, rollback_id, upload_id, user, original, restored, removed)
    return RollbackResult(rollback_id, upload_id, restored, removed)


def record_rollback(con, rollback_id, upload_id, user, original, restored, removed):
    """The rollback's entry in the history (whatever the kind), the mark on the upload it undid, the data version."""
    meta = store.UploadMeta(kind="rollback", user_name=user, file_name=original["file_name"],
                            sha256=original["sha256"], encoding=None, layout=original["layout"],
                            options={"of_kind": original["kind"]}, rows=restored + removed, warnings=0)
    # For a rollback, "inserted" counts nothing; "updated" the values restored, and removed ones are
    # counted as updated too (they went back to "no value").
    store.record_upload(con, rollback_id, meta, 0, restored + removed, 0, rolls_back=upload_id)
    con.execute(read_sql("upload_mark_rolled_back"), {"rollback_id": rollback_id, "id": upload_id}).fetchall()
    store.bump_data_version(con)


def rollback(db: Database, upload_id: int, user: str) -> RollbackResult:
    """Undo one upload in one transaction; raises RollbackRefused with the reason."""
    with db.writing() as con:
        store.ensure_tables(con)
        found = con.execute(read_sql("upload_by_id"), {"id": upload_id}).df()
        if found.empty:
            raise RollbackRefused("not_found", id=upload_id)
        original = found.iloc[0].to_dict()
        if original["kind"] == "rollback":
            raise RollbackRefused("is_rollback", id=upload_id, of=int(original["rolls_back"]))
        if not pd.isna(original["rolled_back_by"]):
            raise RollbackRefused("already", id=upload_id, by=int(original["rolled_back_by"]))
        # Each kind undoes its own rows (data/ingest/kinds.csv names the function); the checks above and
        # the history entry (record_rollback) are the same for every kind.
        return kinds.rollback_function(original["kind"])(con, upload_id, user, original)
