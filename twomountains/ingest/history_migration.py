"""Bringing a database made by an older version to the one upload history every kind of file shares.

Two older shapes are brought up to date:
- until report uploads joined the shared `uploads` table, they kept a history of their own
  (task_report_uploads);
- until observation_revisions lost its PRIMARY KEY (queries/schema.sql says why), the key's index made
  every large upload ~2x slower to write: `unkey_revisions` moves the rows into the unkeyed table.

For the first: `migrate(con)` moves each of its entries into `uploads` (new ids after the ones
there, same order, the reports and revisions following them) and drops the old table, inside the caller's
one transaction, so a crash leaves the database as before or after. Nothing to do on a database that has no
old table, so it is safe to call on every write.

It runs once, where a process first opens the database able to write (twomountains.access.Database:
`upgrade`, its own transaction on the writer's connection), as file_format converts an older file on first
open. A reader that opened the database read-only never writes: `read_through` gives its cursor temporary
views that show the old history as the migration would have moved it, until a writer migrates. Both start
from one definition of the moved rows and their new ids (queries/history_task_report_uploads_moved.sql).
"""
from __future__ import annotations

import re

from twomountains.database import read_sql

OLD_TASK_HISTORY = "task_report_uploads"


class MigrationLost(Exception):
    """The migration would not carry every revision over (one without its history entry): nothing is changed."""


def _tables(cursor) -> set[str]:
    return set(cursor.execute(read_sql("upload_tables")).df().table_name)


def needs_migration(cursor) -> bool:
    """Whether a writer has anything to bring up to date (either older shape)."""
    return needs_read_through(cursor) or keyed_revisions(cursor)


def needs_read_through(cursor) -> bool:
    """Whether a reader must see the old report history as migrated (the revisions' key changes no read)."""
    return OLD_TASK_HISTORY in _tables(cursor)


def keyed_revisions(cursor) -> bool:
    return int(cursor.execute(read_sql("history_keyed_revisions")).fetchall()[0][0]) > 0


def upload_tables_sql() -> list[str]:
    """The CREATE TABLE IF NOT EXISTS statements of queries/schema.sql (the upload history)."""
    text = re.sub(r"--[^\n]*", "", read_sql("schema"))
    return [s.strip() for s in text.split(";") if s.strip().upper().startswith("CREATE TABLE IF NOT EXISTS")]


def _statements(name: str) -> list[str]:
    text = "\n".join(line for line in read_sql(name).splitlines() if not line.strip().startswith("--"))
    return [statement for statement in text.split(";") if statement.strip()]


def _moved_then(cursor, name: str) -> None:
    """The moved rows' views (history_task_report_uploads_moved.sql), then queries/<name>.sql, on the cursor's
    own database (named in full, so the views read the stored tables even where temporary views shadow them)."""
    catalog = cursor.execute("SELECT current_database()").fetchall()[0][0]
    quoted = '"' + catalog.replace('"', '""') + '"'
    for statement in _statements("history_task_report_uploads_moved") + _statements(name):
        cursor.execute(statement.replace("{db}", quoted)).fetchall()


def migrate(con) -> bool:
    """Move the old report history into `uploads` (created if need be) and take the revisions' key off;
    True if there was anything to do."""
    unkeyed = unkey_revisions(con)
    if not needs_read_through(con):
        return unkeyed
    for statement in upload_tables_sql():
        con.execute(statement).fetchall()
    count = "SELECT count(*) FROM task_report_revisions"
    revisions_before = int(con.execute(count).fetchall()[0][0])
    _moved_then(con, "history_task_report_uploads_migrate")
    if int(con.execute(count).fetchall()[0][0]) != revisions_before:
        raise MigrationLost(revisions_before)
    return True


def _revisions_statement() -> str:
    return next(s for s in upload_tables_sql() if re.search(r"\bobservation_revisions\s*\(", s))


def unkey_revisions(con) -> bool:
    """observation_revisions made with its old PRIMARY KEY: its rows moved, same order, into the table
    schema.sql defines now (in the caller's transaction); True if it had the key."""
    if not keyed_revisions(con):
        return False
    count = "SELECT count(*) FROM observation_revisions"
    before = int(con.execute(count).fetchall()[0][0])
    rename, *rest = _statements("history_unkey_revisions_migrate")
    con.execute(rename).fetchall()
    con.execute(_revisions_statement()).fetchall()
    for statement in rest:
        con.execute(statement).fetchall()
    if int(con.execute(count).fetchall()[0][0]) != before or keyed_revisions(con):
        raise MigrationLost(before)
    return True


def upgrade(con) -> bool:
    """On a read-write connection outside a transaction: migrate in one transaction of its own (rolled back
    if anything fails, MigrationLost included); True if there was something to migrate."""
    con.execute("BEGIN TRANSACTION")
    try:
        moved = migrate(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return moved


def read_through(cursor) -> None:
    """Give a read-only cursor of an unmigrated database the shared history as the migration would make it."""
    _moved_then(cursor, "history_task_report_uploads_read_through")
