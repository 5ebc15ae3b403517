"""Bringing a database made by an older version to the one upload history every kind of file shares.

Until report uploads joined the shared `uploads` table, they kept a history of their own
(task_report_uploads). `migrate(con)` moves each of its entries into `uploads` (new ids after the ones
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
    return OLD_TASK_HISTORY in _tables(cursor)


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
    """Move the old report history into `uploads` (created if need be); True if there was one to move."""
    if not needs_migration(con):
        return False
    for statement in upload_tables_sql():
        con.execute(statement).fetchall()
    count = "SELECT count(*) FROM task_report_revisions"
    revisions_before = int(con.execute(count).fetchall()[0][0])
    _moved_then(con, "history_task_report_uploads_migrate")
    if int(con.execute(count).fetchall()[0][0]) != revisions_before:
        raise MigrationLost(revisions_before)
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
