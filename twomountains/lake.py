"""DuckLake with its catalog in PostgreSQL: connecting offline, and the few statements it spells otherwise.

The lake mode (docs/scaling.md) is chosen by one setting: TWOMOUNTAINS_DB=ducklake:postgres:<libpq
connection string> (and TWOMOUNTAINS_LAKE_DATA=<folder or s3:// prefix> for the Parquet files). Every
reader and writer then goes through twomountains.access as before; the same queries/*.sql run on both.

DuckLake keeps no PRIMARY KEY or UNIQUE constraint, so two spellings of our SQL are translated here,
and only here: the primary keys of queries/schema.sql are left out of its CREATE TABLE statements, and
`INSERT OR REPLACE INTO t ...` (which needs a key) becomes `MERGE INTO t ... ON <t's primary key>`. The
keys stay true because every write bumps meta.data_version, so two writes committed at once always
conflict on it and DuckLake lets only one of them commit (the other gets access.WriteConflict).
"""
from __future__ import annotations

import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb

from twomountains.database import read_sql

PREFIX = "ducklake:"
ALIAS = "lake"
DATA_ENV_VAR = "TWOMOUNTAINS_LAKE_DATA"
EXTENSIONS = ("postgres_scanner", "ducklake")


class LakeUnavailable(RuntimeError):
    """The catalog cannot be reached or an extension is missing; the message says what to do."""


def is_lake(location) -> bool:
    return str(location).startswith(PREFIX)


def extension_path(name: str) -> Path:
    """The extension file inside its wheel (duckdb-ext-<name>): loaded from there, nothing is downloaded."""
    spec = importlib.util.find_spec("duckdb_ext")
    version = duckdb.__version__
    for folder in (spec.submodule_search_locations if spec else []):
        for platform_dir in sorted((Path(folder) / "extensions" / f"v{version}").glob("*")):
            candidate = platform_dir / f"{name}.duckdb_extension"
            if candidate.exists():
                return candidate
    raise LakeUnavailable(f"the DuckDB extension {name} for DuckDB {version} is not installed: "
                          f"run `make install` (requirements.txt lists duckdb-ext-ducklake and duckdb-ext-postgres)")


def shown(location) -> str:
    """A location fit for messages: a lake's without its password (a file's path as it is)."""
    return " ".join(part for part in str(location).split() if not part.startswith("password="))


def data_path(explicit: str | None = None) -> str | None:
    return explicit or os.environ.get(DATA_ENV_VAR) or None


def connect(location: str, data: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the lake attached as `lake` and in use."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        for name in EXTENSIONS:
            con.execute(f"LOAD '{extension_path(name)}'")
        options = ""
        folder = data_path(data)
        if folder:
            if "://" not in folder:
                Path(folder).mkdir(parents=True, exist_ok=True)
                folder = str(Path(folder).resolve()) + "/"
            options = " (DATA_PATH " + _literal(folder) + ")"
        con.execute(f"ATTACH {_literal(str(location))} AS {ALIAS}{options}")
        con.execute(f"USE {ALIAS}")
    except duckdb.Error as error:
        con.close()
        raise LakeUnavailable(f"{location}: {error}") from error
    return con


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def snapshot_of(cursor) -> int:
    """The lake's snapshot this cursor's transaction reads (every commit makes a new one)."""
    return int(cursor.execute(f"SELECT id FROM {ALIAS}.current_snapshot()").fetchall()[0][0])


# --- The schema of queries/schema.sql, as DuckLake takes it ------------------------------------------
@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]
    create: str              # the statement as in schema.sql (comments dropped)


def _strip_comments(sql: str) -> str:
    return "\n".join(line.split("--")[0].rstrip() for line in sql.splitlines())


def _split_top(body: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in body:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    if "".join(current).strip():
        parts.append("".join(current).strip())
    return parts


_CREATE = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*)\)\s*$", re.S)


def parse_create(statement: str) -> Table | None:
    match = _CREATE.match(statement.strip())
    if not match:
        return None
    columns, key = [], []
    for part in _split_top(match.group(2)):
        upper = part.upper()
        if upper.startswith("PRIMARY KEY"):
            key = [c.strip().strip('"') for c in part[part.index("(") + 1:part.rindex(")")].split(",")]
            continue
        name = part.split()[0].strip('"')
        columns.append(name)
        if "PRIMARY KEY" in upper:
            key = [name]
    return Table(match.group(1), tuple(columns), tuple(key), statement.strip())


@lru_cache(maxsize=1)
def schema_tables() -> dict[str, Table]:
    tables = {}
    for statement in _strip_comments(read_sql("schema")).split(";"):
        table = parse_create(statement)
        if table:
            tables[table.name] = table
    return tables


_PRIMARY_KEY_CLAUSE = re.compile(r",\s*PRIMARY KEY\s*\([^)]*\)", re.I)
_INLINE_KEY = re.compile(r"\s+PRIMARY KEY\b", re.I)
_UPSERT = re.compile(r"^\s*INSERT\s+OR\s+REPLACE\s+INTO\s+(\w+)\s*(\(([^()]*)\))?\s*(.*?)\s*;?\s*$", re.S | re.I)


def create_without_keys(statement: str) -> str:
    """A CREATE TABLE statement as DuckLake takes it: no PRIMARY KEY (NOT NULL stays)."""
    return _INLINE_KEY.sub("", _PRIMARY_KEY_CLAUSE.sub("", statement))


def translate(sql: str) -> str:
    """Our SQL as DuckLake runs it (see the module's docstring); anything else unchanged."""
    head = sql.lstrip()[:200].upper()
    if "INSERT OR REPLACE" in head or "CREATE TABLE" in head or "PRIMARY KEY" in sql.upper():
        text = _strip_comments(sql)
        stripped = text.strip()
        if stripped.upper().startswith("CREATE TABLE") or ";" in stripped.rstrip(";"):
            return ";\n".join(create_without_keys(s) if s.strip().upper().startswith("CREATE TABLE") else s
                              for s in stripped.split(";") if s.strip())
        match = _UPSERT.match(stripped)
        if match:
            return _merge(match)
    return sql


def _merge(match: re.Match) -> str:
    name, listed, source = match.group(1), match.group(3), match.group(4)
    table = schema_tables().get(name)
    if table is None or not table.key:
        raise ValueError(f"INSERT OR REPLACE into {name}: its primary key is not in queries/schema.sql")
    columns = [c.strip().strip('"') for c in listed.split(",")] if listed else list(table.columns)
    quoted = [f'"{c}"' for c in columns]
    on = " AND ".join(f'{name}."{k}" = incoming."{k}"' for k in table.key)
    updates = ", ".join(f'"{c}" = incoming."{c}"' for c in columns if c not in table.key)
    values = ", ".join(f'incoming."{c}"' for c in columns)
    return (f"MERGE INTO {name} USING (SELECT * FROM ({source}) AS raw({', '.join(quoted)})) AS incoming ON {on} "
            f"WHEN MATCHED THEN UPDATE SET {updates} "
            f"WHEN NOT MATCHED THEN INSERT ({', '.join(quoted)}) VALUES ({values})")


class Connection:
    """A cursor of the lake whose execute() speaks our SQL (translate); everything else passes through."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection):
        self._cursor = cursor

    def execute(self, sql: str, parameters=None):
        translated = translate(sql)
        if parameters is None:
            return self._cursor.execute(translated)
        return self._cursor.execute(translated, parameters)

    def sql(self, query: str, *args, **kwargs):
        return self._cursor.sql(translate(query), *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._cursor, name)
