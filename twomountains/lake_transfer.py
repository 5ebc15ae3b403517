"""Moving the embedded database file into a lake, and a lake back into a file (`python -m twomountains lake`).

A district starts with the embedded file and grows: `lake move-in` copies every table of the file, with
every upload and its history, into the lake in one transaction of the lake (all of it or nothing), and
compares the row counts of every table. `lake move-out` writes the lake into a new file beside the
target, with the primary keys of queries/schema.sql, and moves it into place with os.replace (the old
file or the new one, never half). Neither deletes its source.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from twomountains import lake

SOURCE = "source"
TARGET = "target"


class TransferRefused(RuntimeError):
    """The target already holds a database; nothing was changed. `code` names the message."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


def _tables(con, catalog: str) -> list[str]:
    names = [row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY table_name", [catalog]).fetchall()]
    order = list(lake.schema_tables())
    return sorted(names, key=lambda n: (order.index(n) if n in order else len(order), n))


def _columns(con, catalog: str, table: str) -> tuple[str, ...]:
    return tuple(row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = ? AND table_name = ? ORDER BY column_index",
        [catalog, table]).fetchall())


def _create(con, source: str, target: str, table: str, keys: bool) -> None:
    """The table in `target` as queries/schema.sql defines it (without keys in a lake), or as the source has it."""
    known = lake.schema_tables().get(table)
    if known and known.columns == _columns(con, source, table):
        statement = known.create if keys else lake.create_without_keys(known.create)
        statement = statement.replace("CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ", 1)
        con.execute(statement.replace(f"CREATE TABLE {table} ", f"CREATE TABLE {target}.{table} ", 1))
    else:   # a table of another version: its columns and types as they are
        con.execute(f'CREATE TABLE {target}."{table}" AS SELECT * FROM {source}."{table}" LIMIT 0')


def _counts(con, catalog: str, tables: list[str]) -> dict[str, int]:
    return {t: con.execute(f'SELECT count(*) FROM {catalog}."{t}"').fetchall()[0][0] for t in tables}


def file_to_lake(file: Path, location: str, data: str | None = None, replace: bool = False) -> dict[str, int]:
    """Copy every table of the file into the lake, in one transaction; returns rows per table."""
    file = Path(file)
    if not file.exists():
        raise TransferRefused("no_file", path=file)
    con = lake.connect(location, data)
    try:
        con.execute(f"ATTACH '{file}' AS {SOURCE} (READ_ONLY)")
        tables = _tables(con, SOURCE)
        present = _tables(con, lake.ALIAS)
        if present and not replace:
            raise TransferRefused("lake_not_empty", tables=", ".join(present))
        con.execute("BEGIN TRANSACTION")
        try:
            for table in present:
                con.execute(f'DROP TABLE {lake.ALIAS}."{table}"')
            for table in tables:
                _create(con, SOURCE, lake.ALIAS, table, keys=False)
                con.execute(f'INSERT INTO {lake.ALIAS}."{table}" SELECT * FROM {SOURCE}."{table}"')
            copied, source_counts = _counts(con, lake.ALIAS, tables), _counts(con, SOURCE, tables)
            if copied != source_counts:
                raise RuntimeError(f"rows differ after copying: {source_counts} -> {copied}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        return copied
    finally:
        con.close()


def lake_to_file(location: str, file: Path, data: str | None = None, replace: bool = False) -> dict[str, int]:
    """Write every table of the lake into a new DuckDB file (keys as in queries/schema.sql); rows per table."""
    file = Path(file)
    if file.exists() and not replace:
        raise TransferRefused("file_exists", path=file)
    file.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=file.name + ".", suffix=".building", dir=file.parent)
    os.close(handle)
    os.unlink(temp)
    con = lake.connect(location, data)
    try:
        con.execute(f"ATTACH '{temp}' AS {TARGET}")
        con.execute("BEGIN TRANSACTION")         # one snapshot of the lake for every table
        tables = _tables(con, lake.ALIAS)
        if not tables:
            raise TransferRefused("lake_empty")
        for table in tables:
            _create(con, lake.ALIAS, TARGET, table, keys=True)
            con.execute(f'INSERT INTO {TARGET}."{table}" SELECT * FROM {lake.ALIAS}."{table}"')
        copied, source_counts = _counts(con, TARGET, tables), _counts(con, lake.ALIAS, tables)
        if copied != source_counts:
            raise RuntimeError(f"rows differ after copying: {source_counts} -> {copied}")
        con.execute("COMMIT")
        con.execute(f"CHECKPOINT {TARGET}")
        con.execute(f"DETACH {TARGET}")
        con.close()
        os.replace(temp, file)
        return copied
    finally:
        con.close()
        for leftover in (temp, temp + ".wal"):
            if os.path.exists(leftover):
                os.unlink(leftover)
