"""Bringing a database made by an older version to the one upload history every kind of file shares.

Until report uploads joined the shared `uploads` table, they kept a history of their own
(task_report_uploads). `migrate(con)` moves each of its entries into `uploads` (new ids after the ones
there, same order, the reports and revisions following them) and drops the old table, inside the caller's
one transaction, so a crash leaves the database as before or after. Nothing to do on a database that has no
old table, so it is safe to call on every write; `needs_migration` is the read-only question a page asks.
"""
from __future__ import annotations

from twomountains.database import read_sql

OLD_TASK_HISTORY = "task_report_uploads"


class MigrationLost(Exception):
    """The migration would not carry every revision over (one without its history entry): nothing is changed."""


def _tables(cursor) -> set[str]:
    return set(cursor.execute(read_sql("upload_tables")).df().table_name)


def needs_migration(cursor) -> bool:
    return OLD_TASK_HISTORY in _tables(cursor)


def migrate(con) -> bool:
    """Move the old report history into `uploads` (which must exist); True if there was one to move."""
    if not needs_migration(con):
        return False
    count = "SELECT count(*) FROM task_report_revisions"
    revisions_before = int(con.execute(count).fetchall()[0][0])
    text = "\n".join(line for line in read_sql("history_task_report_uploads_migrate").splitlines()
                     if not line.strip().startswith("--"))
    for statement in text.split(";"):
        if statement.strip():
            con.execute(statement).fetchall()
    if int(con.execute(count).fetchall()[0][0]) != revisions_before:
        raise MigrationLost(revisions_before)
    return True
