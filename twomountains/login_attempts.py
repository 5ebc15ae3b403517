"""Where login attempts are counted: in the database, so every replica and the command line count the same ones.

In embedded mode the table login_attempts lives in a small DuckDB file beside the data file (attempts_file):
a count-and-record is one write transaction (twomountains.access), which that file's lock makes one at a
time across processes; the data file is left alone, so a login works while the dashboard holds it. In lake
mode it lives in the lake's PostgreSQL catalog database (beside DuckLake's own tables, but not in the lake:
an attempt makes no snapshot, so it invalidates no cache): each count-and-record is one PostgreSQL
transaction that first updates the single row of login_gate, so of two at once PostgreSQL lets one commit
and the other is retried on a fresh snapshot (REPEATABLE READ, which DuckDB's postgres extension uses).

The caller (accounts.login) decides from the rows; this module only makes "read, decide, record" atomic.
An attempt is recorded as "pending" before its password is checked (so the check happens outside any lock,
and a parallel attempt already counts it as a failure) and resolved to "success" or "failure" after.
"""
from __future__ import annotations

import random
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

import duckdb

from twomountains import access, lake
from twomountains.database import read_sql
from twomountains.paths import db_path

PENDING = "pending"
RETRY_SECONDS = 30.0
_PG_PREFIX = lake.PREFIX + "postgres:"


@dataclass(frozen=True)
class Attempt:
    seq: int
    at: datetime
    user: str
    client: str
    event: str              # pending, success, failure or locked


Decide = Callable[[list[Attempt]], "tuple[str, datetime] | None"]


def _rows(cursor, user: str, client: str, since: datetime) -> list[Attempt]:
    rows = cursor.execute(read_sql("login_attempts_recent"),
                          {"since": since, "user_name": user, "client": client}).fetchall()
    return [Attempt(int(seq), at, name, who, event) for seq, at, name, who, event in rows]


def _record(cursor, at: datetime, user: str, client: str, event: str, why: str | None) -> int:
    seq = int(cursor.execute(read_sql("login_attempt_next")).fetchall()[0][0])
    cursor.execute(read_sql("login_attempt_record"),
                   {"seq": seq, "at": at, "user_name": user, "client": client, "event": event, "why": why})
    return seq


def _count_and_record(cursor, user, client, now, since, decide: Decide):
    """Inside one transaction: forget attempts older than the window, decide, record. (seq, lock) back."""
    cursor.execute(read_sql("login_attempts_prune"), {"before": since})
    locked = decide(_rows(cursor, user, client, since))
    if locked is not None:
        return _record(cursor, now, user, client, "locked", locked[0]), locked
    return _record(cursor, now, user, client, PENDING, None), None


def attempts_file(location) -> Path:
    """The embedded mode's count: a DuckDB file of its own beside the data file (twomountains.duckdb ->
    twomountains-logins.duckdb). Not the data file itself: the dashboard holds that one open while it runs,
    which would stop a command-line login (`user add --admin` too) from counting at all."""
    location = Path(location)
    return location.with_name(location.stem + "-logins.duckdb")


class FileAttempts:
    """The table in a DuckDB file beside the embedded data file (one machine: DuckDB's file lock makes a
    count-and-record one at a time across its processes, this object's lock across its threads).

    A plain connection, not access.Database: the file holds login attempts only, so nothing of the data file's
    upkeep (the one-time upgrade of an older upload history) belongs here."""

    def __init__(self, location):
        self.path = attempts_file(location)
        self._lock = threading.Lock()   # one process's connections share one DuckDB instance: one at a time

    @contextmanager
    def _writing(self):
        """A read-write connection to the attempts file (waiting while another process holds it), in one
        transaction, with the table made if it is new."""
        with self._lock:
            con = access.open_with_retry(self.path, read_only=False)
            try:
                with access.transaction(con):
                    con.execute(read_sql("login_attempts_schema"))
                    yield con
            finally:
                con.close()

    def begin(self, user: str, client: str, now: datetime, since: datetime, decide: Decide):
        with self._writing() as con:
            return _count_and_record(con, user, client, now, since, decide)

    def recent(self, user: str, client: str, since: datetime) -> list[Attempt]:
        with self._writing() as con:
            return _rows(con, user, client, since)

    def resolve(self, seq: int, event: str) -> None:
        with self._writing() as con:
            con.execute(read_sql("login_attempt_resolve"), {"seq": seq, "event": event})


class CatalogAttempts:
    """The tables in the lake's PostgreSQL catalog database, through DuckDB's postgres extension."""

    def __init__(self, location: str):
        if not location.startswith(_PG_PREFIX):
            raise lake.LakeUnavailable(f"{lake.shown(location)}: login attempts are kept in a PostgreSQL "
                                       f"catalog; use {_PG_PREFIX}<connection string>")
        self.location = location
        self._con: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()

    def _cursor(self):
        with self._lock:
            if self._con is None:
                con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                             "autoload_known_extensions": False})
                try:
                    con.execute(f"LOAD '{lake.extension_path('postgres_scanner')}'")
                    con.execute("ATTACH " + lake._literal(self.location[len(_PG_PREFIX):]) + " AS auth (TYPE postgres)")
                    con.execute("USE auth")
                    self._retrying(con, lambda cur: [cur.execute(read_sql(name)) for name in
                                                     ("login_attempts_schema", "login_gate_schema", "login_gate_first")])
                except duckdb.Error as error:
                    con.close()
                    raise lake.LakeUnavailable(f"{lake.shown(self.location)}: {error}") from error
                self._con = con
            cursor = self._con.cursor()
        cursor.execute("USE auth")
        return cursor

    @staticmethod
    def _retrying(con, work):
        """`work` in one transaction, again on a fresh snapshot while another transaction wins the race."""
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            con.execute("BEGIN TRANSACTION")
            try:
                result = work(con)
                con.execute("COMMIT")
                return result
            except duckdb.Error as error:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                text = str(error).lower()
                if not ("serializ" in text or "already exists" in text or "duplicate key" in text) \
                        or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.001, 0.02))

    def begin(self, user: str, client: str, now: datetime, since: datetime, decide: Decide):
        cursor = self._cursor()
        try:
            def work(cur):
                cur.execute(read_sql("login_gate_pass"))          # first: makes parallel attempts conflict
                return _count_and_record(cur, user, client, now, since, decide)
            return self._retrying(cursor, work)
        finally:
            cursor.close()

    def recent(self, user: str, client: str, since: datetime) -> list[Attempt]:
        cursor = self._cursor()
        try:
            return self._retrying(cursor, lambda cur: _rows(cur, user, client, since))
        finally:
            cursor.close()

    def resolve(self, seq: int, event: str) -> None:
        cursor = self._cursor()
        try:
            self._retrying(cursor, lambda cur: cur.execute(read_sql("login_attempt_resolve"),
                                                            {"seq": seq, "event": event}))
        finally:
            cursor.close()


_STORES: dict[str, FileAttempts | CatalogAttempts] = {}
_STORES_LOCK = threading.Lock()


def store(location=None) -> FileAttempts | CatalogAttempts:
    """The attempts of the database in use ($TWOMOUNTAINS_DB, as every reader and writer finds it)."""
    location = db_path(location)
    key = str(location)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = CatalogAttempts(key) if lake.is_lake(location) else FileAttempts(location)
        return _STORES[key]
