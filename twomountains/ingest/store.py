"""Writing to the database inside the caller's one transaction: values, their revisions, the history.

Every function here takes the read-write connection of `Database.writing()`, which commits when the
block ends and rolls back if anything raises, so an upload is written entirely or not at all.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa

from twomountains.database import read_sql
from twomountains.ingest import history_migration
from twomountains.ingest.history_migration import upload_tables_sql
from twomountains.ingest.changes import INSERT, UNCHANGED, Change
from twomountains.ingest.normalise import as_arrow, release_memory
from twomountains.observations import with_period_parts

OBSERVATION_COLUMNS = ["indicator_code", "region_code", "period", "period_kind", "year", "quarter", "month",
                       "value", "source", "quality", "note"]
REVISION_COLUMNS = ["indicator_code", "region_code", "period", "action",
                    "old_value", "old_source", "old_quality", "old_note",
                    "new_value", "new_source", "new_quality", "new_note"]


@dataclass(frozen=True)
class UploadMeta:
    kind: str               # observations, catalog, points or rollback
    user_name: str
    file_name: str | None
    sha256: str | None
    encoding: str | None
    layout: str | None
    options: dict
    rows: int
    warnings: int


def ensure_tables(con) -> None:
    """A database built before uploads existed gets the history tables (in the same transaction), and one
    built before the map's points were in the database gets them from data/ (rural_tourism.ensure_tables);
    one whose report uploads had a history of their own has it moved into the shared one (history_migration)."""
    for statement in upload_tables_sql():
        con.execute(statement).fetchall()
    history_migration.migrate(con)
    from twomountains import rural_tourism
    rural_tourism.ensure_tables(con)


def default_source(file_name: str) -> str:
    """The source recorded for values that name none: the file they came from."""
    return PurePath(file_name).name


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def _with(con, name: str, frame: pd.DataFrame, sql: str, params: dict | None = None) -> pd.DataFrame:
    """Run a statement over a registered frame; the result is read to the end (DuckDB wants that)."""
    con.register(name, as_arrow(frame))
    try:
        return con.execute(sql, params or {}).df()
    finally:
        con.unregister(name)


def current_values(con, keys: list[tuple[str, str, str]]) -> dict[tuple, dict]:
    if not keys:
        return {}
    frame = pd.DataFrame(keys, columns=["indicator_code", "region_code", "period"])
    rows = _with(con, "upload_keys", frame, read_sql("upload_current_values"))
    return {(r.indicator_code, r.region_code, r.period):
            {"value": float(r.value), "source": r.source, "quality": r.quality,
             "note": None if not isinstance(r.note, str) or r.note == "" else r.note}
            for r in rows.itertuples()}


def next_id(con) -> int:
    return int(con.execute(read_sql("upload_next_id")).fetchall()[0][0])


def record_upload(con, upload_id: int, meta: UploadMeta, inserted: int, updated: int, unchanged: int,
                  rolls_back: int | None = None) -> None:
    con.execute(read_sql("upload_record"), {
        "id": upload_id, "kind": meta.kind, "user_name": meta.user_name, "created_at": now_utc(),
        "file_name": meta.file_name, "sha256": meta.sha256, "encoding": meta.encoding, "layout": meta.layout,
        "options": json.dumps(meta.options, ensure_ascii=False, sort_keys=True), "rows": meta.rows,
        "inserted": inserted, "updated": updated, "unchanged": unchanged, "warnings": meta.warnings,
        "rolls_back": rolls_back,
    }).fetchall()


def bump_data_version(con) -> None:
    con.execute(read_sql("data_version_bump")).fetchall()


def write_values(con, rows: list[dict] | pd.DataFrame | pa.Table) -> None:
    """Set observations, given as dicts (or a frame) of indicator_code, region_code, period, value, source,
    quality, note: the stored keys by UPDATE ... FROM, the new ones by an anti-join INSERT (one statement each)."""
    if len(rows) == 0:
        return
    if isinstance(rows, pa.Table):
        staged = rows
    else:
        frame = with_period_parts(pd.DataFrame(rows)) if not isinstance(rows, pd.DataFrame) else rows
        staged = as_arrow(frame[OBSERVATION_COLUMNS].astype(
            {"value": float, "source": object, "note": object, "quality": object}))
    con.register("upload_staged", staged)
    try:
        con.execute(read_sql("upload_update_observations")).fetchall()
        con.execute(read_sql("upload_insert_observations")).fetchall()
    finally:
        con.unregister("upload_staged")


_WRITE_PART = 250_000      # rows per UPDATE: its hash table of staged rows held ~100 MB at a million (peak memory)


def _part_size(count: int) -> int:
    """Rows per part when `count` rows are written in parts of at most about _WRITE_PART, all of a size: a frame of
    a file checked in parts (~250,000 values and one indicator's more) is one statement, not one and a remainder."""
    parts = max(1, -(-count // int(_WRITE_PART * 1.1)))
    return max(1, -(-count // parts))


def write_changes(con, staged: pa.Table, updated: int, inserted: int) -> None:
    """An upload's changed and new values (staged: the diff's written rows, `action` update or insert, as
    found in this transaction's data): UPDATE ... FROM the changed ones, INSERT the new ones; no anti-join.
    A large upload is applied in parts of consecutive rows (zero-copy slices), inside the caller's transaction."""
    size = _part_size(len(staged))
    for start in range(0, len(staged), size):
        con.register("upload_changes", staged.slice(start, size))
        try:
            if updated:
                con.execute(read_sql("upload_update_changed")).fetchall()
            if inserted:
                con.execute(read_sql("upload_insert_new")).fetchall()
        finally:
            con.unregister("upload_changes")


def delete_values(con, keys: list[tuple[str, str, str]]) -> None:
    if not keys:
        return
    frame = pd.DataFrame(keys, columns=["indicator_code", "region_code", "period"])
    _with(con, "upload_removed", frame, read_sql("upload_delete_observations"))


def write_revisions(con, upload_id: int, revisions: list[dict] | pd.DataFrame | pa.Table) -> None:
    """Each value's revision by one upload or rollback, written by one INSERT ... SELECT over the frame."""
    if len(revisions) == 0:
        return
    if isinstance(revisions, pa.Table):
        con.register("upload_revisions_incoming", revisions)
        try:
            con.execute(read_sql("upload_write_revisions"), {"upload_id": upload_id}).fetchall()
        finally:
            con.unregister("upload_revisions_incoming")
        return
    frame = pd.DataFrame(revisions, columns=REVISION_COLUMNS) if not isinstance(revisions, pd.DataFrame) \
        else revisions[REVISION_COLUMNS].copy()
    for column in ("old_value", "new_value"):
        frame[column] = frame[column].astype(float)
    for column in REVISION_COLUMNS:
        if column not in ("old_value", "new_value"):
            frame[column] = frame[column].astype(object)
    _with(con, "upload_revisions_incoming", frame, read_sql("upload_write_revisions"), {"upload_id": upload_id})


def revision(key: tuple, action: str, old: dict | None, new: dict | None) -> dict:
    indicator_code, region_code, period = key
    old, new = old or {}, new or {}
    return {"indicator_code": indicator_code, "region_code": region_code, "period": period, "action": action,
            **{f"old_{f}": old.get(f) for f in ("value", "source", "quality", "note")},
            **{f"new_{f}": new.get(f) for f in ("value", "source", "quality", "note")}}


def write_observation_upload(con, meta: UploadMeta, changes, *,
                             make_room_for_new_keys: Callable[[object, int], None]) -> int:
    """The upload's new and changed values, their revisions, the history row and the data version.

    `changes`: a diff.Changes (its frame is written by set statements) or a list of Change. The caller has
    made sure of the tables (ensure_tables: pipeline.commit does, first thing in its transaction).
    `make_room_for_new_keys(con, count)`: the Database's (access.Database.make_room_for_new_keys), told here how
    many new keys this write adds before it adds them: DuckDB holds their index entries in memory until COMMIT."""
    # diff.Changes, or diff.SpilledChanges (a file checked in parts, its frames read one at a time): asked of the
    # type, as the spilled changes' `frame` property would read every part at once
    if hasattr(type(changes), "frame") or hasattr(changes, "frame"):
        make_room_for_new_keys(con, changes.counts()[INSERT])
        frames = changes.parts() if hasattr(type(changes), "parts") else [changes.frame]
        return _write_observation_frames(con, meta, frames, len(changes))
    upload_id = next_id(con)
    written = [c for c in changes if c.kind != UNCHANGED]
    inserted = sum(1 for c in written if c.kind == "insert")
    make_room_for_new_keys(con, inserted)
    write_values(con, [{"indicator_code": c.indicator_code, "region_code": c.region_code, "period": c.period,
                        **c.new} for c in written])
    write_revisions(con, upload_id, [revision(c.key, c.kind, c.old, c.new) for c in written])
    record_upload(con, upload_id, meta, inserted, len(written) - inserted, len(changes) - len(written))
    bump_data_version(con)
    return upload_id


def _write_observation_frames(con, meta: UploadMeta, frames, total: int) -> int:
    """The written changes as Arrow columns, made part by part (_WRITE_PART rows) and shared by the values and
    the revisions: a part's columns are ~18 MB, where the whole upload's were ~70 MB at a million changes.
    `frames`: the changes frame, or the frames of a file checked in parts (diff.SpilledChanges), one at a time;
    `total`: the changes in all of them."""
    upload_id = next_id(con)
    inserted = count = 0
    if total >= 100_000:    # what the check freed, handed back before DuckDB's own allocator needs memory
        release_memory()
    for frame in frames:
        part_inserted, part_count = _write_observation_frame(con, upload_id, frame)
        inserted, count = inserted + part_inserted, count + part_count
        del frame
    record_upload(con, upload_id, meta, inserted, count - inserted, total - count)
    bump_data_version(con)
    return upload_id


def _write_observation_frame(con, upload_id: int, frame: pd.DataFrame) -> tuple[int, int]:
    """One changes frame's new and changed values and their revisions: (values inserted, values written)."""
    keep = (frame["kind"] != UNCHANGED).to_numpy()
    # Only the columns written, and a copy only when some rows are unchanged (a copy of every column of a
    # million changes was the largest allocation of the commit).
    names = ["indicator_code", "region_code", "period", "period_kind", "kind", "old_source", "old_quality", "old_note",
             "new_source", "new_quality", "new_note", "old_value", "new_value", "year", "quarter", "month"]
    written = frame[names] if keep.all() else frame.loc[keep, names]
    is_insert = (written["kind"] == "insert").to_numpy()
    inserted, count = int(is_insert.sum()), len(written)
    size = _part_size(count)
    for start in range(0, count, size):
        # One Arrow table per part for its changed values, its new ones and its revisions (kind: the action).
        staged = _staged(written.iloc[start:start + size])
        part_inserted = int(is_insert[start:start + size].sum())
        write_changes(con, staged, updated=len(staged) - part_inserted, inserted=part_inserted)
        write_revisions(con, upload_id, staged)
        del staged
    return inserted, count


def _staged(written: pd.DataFrame) -> pa.Table:
    """Some written changes as one Arrow table: texts as dictionary arrays, `kind` named `action`."""
    column = {name: _arrow_texts(written[name])
              for name in ("indicator_code", "region_code", "period", "period_kind", "kind", "old_source",
                           "old_quality", "old_note", "new_source", "new_quality", "new_note")}
    for name in ("old_value", "new_value"):
        column[name] = pa.array(written[name].to_numpy(dtype=float), type=pa.float64(),
                                mask=written[name].isna().to_numpy() if name == "old_value" else None)
    for name in ("year", "quarter", "month"):
        column[name] = pa.array(written[name].astype("Int64").to_numpy(dtype=float, na_value=np.nan),
                                type=pa.float64(), from_pandas=True).cast(pa.int32())
    return pa.table({("action" if name == "kind" else name): array for name, array in column.items()})


def _arrow_texts(column: pd.Series) -> pa.Array:
    """A text column of diff.Changes as an Arrow dictionary array (its codes and few distinct texts; DuckDB reads
    it as VARCHAR), not a string per value (~110 MB of Arrow strings at a million changes). Every text column of
    the changes is a Categorical: `kind` and the old and new texts are the diff's (_Dictionary.column), the key
    and period kind the check's (check._values_frame, and check.from_values for a year-to-date file);
    tests/test_upload_columnar.py checks it for both."""
    codes = column.array.codes
    return pa.DictionaryArray.from_arrays(
        pa.array(codes, mask=codes < 0), pa.array(column.array.categories.to_numpy(dtype=object), type=pa.string()))
