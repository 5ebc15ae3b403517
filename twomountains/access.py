"""One process's access to the database file: many readers, now and then one writer.

DuckDB lets a process open a file read-write only if no other connection in the process has it
open read-only, and one connection must not be shared by threads without cursors. So readers
share one read-only connection (a cursor each), and a writer waits for them, closes it, writes in
one transaction on a read-write connection, and closes that again; the next reader reopens.

A database made by an older version is brought up to date where the process first opens it able to write
(as file_format converts an older file on its first open): its separate report history moves into the
shared one, once, in one transaction (ingest.history_migration). A Database opened read-only (a replica on
a read-only copy; $TWOMOUNTAINS_READ_ONLY=1, or read_only=True) never writes: its reads of an unmigrated
file see the history as it will be, through temporary views, and a write is refused (ReadOnlyDatabase).
"""
from __future__ import annotations

import functools
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from twomountains import file_format, lake
from twomountains.database import read_sql
from twomountains.ingest import history_migration
from twomountains.paths import WRITE_MEMORY_ENV_VAR, duckdb_temp_directory, read_only_requested, write_memory_limit

LOCK_RETRY_SECONDS = 10.0


class DatabaseBusy(RuntimeError):
    """Another process holds the database file; the message says what to do."""


class ReadOnlyDatabase(DatabaseBusy):
    """This process opened the database read-only: it writes nothing (an upload is made on a writing one).
    A kind of busy, so every page and command that handles a busy database refuses it cleanly; the message
    says which it is (`busy_key`)."""


def busy_key(error: DatabaseBusy, busy: str) -> str:
    """The i18n key of the message for a refused write: `busy`, the read-only one or the write-memory one."""
    if isinstance(error, ReadOnlyDatabase):
        return "upload.read_only"
    if isinstance(error, WriteMemoryExceeded):
        return "upload.write_memory"
    return busy


class WriteConflict(DatabaseBusy):
    """Another writer (another replica of the dashboard, or the command line) committed at the same moment.

    The lake's catalog let only one of the two transactions commit: nothing of this one was written. Check
    again and commit again."""


class WriteMemoryExceeded(DatabaseBusy):
    """DuckDB needed more memory for a write than $TWOMOUNTAINS_WRITE_MEMORY allows: nothing was written. A kind of
    refused write, as ReadOnlyDatabase, so every page and command that refuses a busy database says this instead
    (`busy_key`)."""


def _out_of_memory(error: duckdb.Error) -> bool:
    # DuckDB says OutOfMemoryException while a statement runs, a TransactionException when it fails at COMMIT
    return isinstance(error, duckdb.OutOfMemoryException) or "failed to allocate" in str(error)


class DataChanged(RuntimeError):
    """A write came after the version a page run reads at: draw the page again (app.py reruns it)."""


def version_of(cursor) -> int:
    """meta.data_version as seen by this cursor; every write increments it inside its transaction."""
    return int(cursor.execute(read_sql("data_version")).fetchall()[0][0])


class ReadWriteLock:
    """Shared for readers, exclusive for a writer; a waiting writer keeps new readers out."""

    def __init__(self):
        self._condition = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def shared(self):
        with self._condition:
            while self._writer or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextmanager
    def exclusive(self):
        with self._condition:
            self._writers_waiting += 1
            while self._writer or self._readers:
                self._condition.wait()
            self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._condition:
                self._writer = False
                self._condition.notify_all()


def _is_lock_error(error: Exception) -> bool:
    text = str(error).lower()
    return "lock" in text or "conflicting" in text


def writer_config(path: Path) -> dict[str, str]:
    """DuckDB's settings for a connection that writes the file: at most $TWOMOUNTAINS_WRITE_MEMORY of memory (a
    large upload must not grow DuckDB's buffers without bound on a shared server: past the limit DuckDB writes
    what it can to its temporary folder, docs/scaling.md), and that folder."""
    limit = write_memory_limit()
    if limit is None:
        return {}
    _check_memory_limit(limit)
    return {"memory_limit": limit, "temp_directory": str(duckdb_temp_directory(path))}


@functools.lru_cache(maxsize=8)
def _check_memory_limit(limit: str) -> None:
    """A size DuckDB reads, or a message naming the setting (once per value: an in-memory connection takes ~10 ms)."""
    try:
        duckdb.connect(config={"memory_limit": limit}).close()
    except duckdb.Error as error:
        raise ValueError(f"${WRITE_MEMORY_ENV_VAR}={limit!r} is not a size DuckDB reads (e.g. 256MB, 1GB, or none): "
                         f"{error}") from error


# DuckDB holds the index entries of a transaction's new keys in memory until COMMIT, where it merges them into the
# table's index; it cannot spill them. Measured on the M database: a million new keyed values failed at COMMIT
# under 128MB and two million under 256MB, and passed under 192MB and 448MB. The writer's limit is raised by this
# much per new value (Database.make_room_for_new_keys), so the limit bounds what DuckDB can spill and never refuses
# an upload the limits of reading.py let in.
NEW_KEY_BYTES = 128
_UNITS = {"bytes": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}


def _bytes_shown(shown: str) -> int:
    """DuckDB's current_setting('memory_limit') ("244.1 MiB") in bytes."""
    number, unit = shown.split()
    return int(float(number) * _UNITS[unit])


def open_with_retry(path: Path, read_only: bool, wait: float = LOCK_RETRY_SECONDS,
                    config: dict | None = None) -> duckdb.DuckDBPyConnection:
    """Open the file, waiting a while if another process holds it, then say clearly what to do."""
    deadline = time.monotonic() + wait
    delay = 0.05
    converted = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.IOException as error:
            if file_format.is_newer_format(error) and not converted:
                file_format.convert(path)          # a DuckDB 2.0 file: converted once, then opened
                converted = True
                continue
            if not _is_lock_error(error) or time.monotonic() >= deadline:
                if _is_lock_error(error):
                    raise DatabaseBusy(str(path)) from error
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


@contextmanager
def transaction(connection: duckdb.DuckDBPyConnection):
    """One transaction on `connection`: committed if the block ends, rolled back if it raises."""
    connection.execute("BEGIN TRANSACTION")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


@dataclass(frozen=True)
class WriteTimes:
    """Seconds of one write (for bench/, observability only): opening the file read-write, the transaction
    up to its COMMIT, and closing the file, when DuckDB checkpoints the write into the file."""
    open: float
    transaction: float
    close: float


class Database:
    """The embedded DuckDB file."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self._lock = ReadWriteLock()
        self._open_lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._up_to_date = False      # the first open able to write has migrated what needed it
        self._read_through = False    # read-only, and the file still has its old report history
        self.last_write: WriteTimes | None = None

    def _shared_connection(self) -> duckdb.DuckDBPyConnection:
        with self._open_lock:
            if self._connection is None:
                connection = open_with_retry(self.path, read_only=True)
                if not self.read_only and not self._up_to_date:
                    if history_migration.needs_migration(connection):
                        connection.close()      # no cursor of this process is open: it may write now
                        self._upgrade()
                        connection = open_with_retry(self.path, read_only=True)
                    self._up_to_date = True
                self._read_through = self.read_only and history_migration.needs_read_through(connection)
                self._connection = connection
            return self._connection

    def _upgrade(self, connection: duckdb.DuckDBPyConnection | None = None) -> None:
        """Migrate an older file once, in its own transaction, on a read-write connection (opened if none)."""
        writer = connection or open_with_retry(self.path, read_only=False, config=writer_config(self.path))
        try:
            history_migration.upgrade(writer)
        finally:
            if connection is None:
                writer.close()
        self._up_to_date = True

    @contextmanager
    def reading(self):
        """A cursor on the shared read-only connection."""
        with self._lock.shared():
            cursor = self._shared_connection().cursor()
            try:
                if self._read_through:
                    history_migration.read_through(cursor)
                yield cursor
            finally:
                cursor.close()

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run queries/<name>.sql with named parameters."""
        with self.reading() as cursor:
            return cursor.execute(read_sql(name), params).df()

    @contextmanager
    def writing(self):
        """A read-write connection inside one transaction: committed if the block ends, rolled back if it raises."""
        if self.read_only:
            raise ReadOnlyDatabase(f"{self.path} is open read-only here: nothing was written")
        with self._lock.exclusive():
            self.release()
            started = time.perf_counter()
            connection = open_with_retry(self.path, read_only=False, config=writer_config(self.path))
            opened = time.perf_counter()
            try:
                if not self._up_to_date:
                    self._upgrade(connection)
                with transaction(connection):
                    yield connection
            except duckdb.Error as error:
                if not _out_of_memory(error):
                    raise
                raise WriteMemoryExceeded(
                    f"{self.path}: the write needed more memory than ${WRITE_MEMORY_ENV_VAR}="
                    f"{write_memory_limit()} allows; nothing was written. Raise it (docs/scaling.md): {error}") from error
            finally:
                committed = time.perf_counter()
                connection.close()
                self.last_write = WriteTimes(opened - started, committed - opened, time.perf_counter() - committed)

    def make_room_for_new_keys(self, connection, count: int) -> None:
        """Raise the writer's memory limit (inside its transaction, for this connection's life) by NEW_KEY_BYTES
        for each of `count` new keyed values: their index entries stay in DuckDB's memory until COMMIT. The writer of
        new observation keys calls it with their count (ingest.store.write_observation_upload)."""
        if write_memory_limit() is None or count * NEW_KEY_BYTES < 16 << 20:
            return
        limit = _bytes_shown(connection.execute("SELECT current_setting('memory_limit')").fetchone()[0])
        connection.execute(f"SET memory_limit = '{int(limit + count * NEW_KEY_BYTES) >> 20}MiB'")

    def version(self) -> int:
        with self.reading() as cursor:
            return self.version_of(cursor)

    def version_of(self, cursor) -> int:
        """The version a cursor reads: meta.data_version, which every write increments."""
        return version_of(cursor)

    def at(self, version: int) -> Snapshot:
        """Reads that all see the data at `version`, or raise DataChanged."""
        return Snapshot(self, version)

    def release(self) -> None:
        """Close the shared connection (it reopens on the next read)."""
        with self._open_lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


class Snapshot:
    """One page run's reads: all at one data version, never some before a write and some after.

    Each read checks the version on the cursor it reads with, under the same shared lock, so no writer
    of this process comes in between (and no other process can write while the file is open here). A
    read that finds a newer version raises DataChanged instead of returning data of another version.
    """

    def __init__(self, db: Database, version: int):
        self.db = db
        self.path = db.path
        self.version = version

    @contextmanager
    def reading(self):
        with self.db.reading() as cursor:
            now = self.db.version_of(cursor)
            if now != self.version:
                raise DataChanged(f"{self.path}: data version {now}, this run reads at {self.version}")
            yield cursor

    def query(self, name: str, **params) -> pd.DataFrame:
        with self.reading() as cursor:
            return cursor.execute(read_sql(name), params).df()


class LakeDatabase(Database):
    """DuckLake with a PostgreSQL catalog (twomountains.lake): the same interface as Database.

    There is no file lock: any number of processes (replicas, the command line) read and write at once.
    Every read runs in its own transaction, so a query and the snapshot it is checked against are one
    snapshot of the lake; the version is the lake's snapshot id, the same number on every replica. A write
    is one transaction on the lake; writers of this process take turns (they would only conflict), and a
    writer that loses against another process gets WriteConflict with nothing written.
    """

    def __init__(self, location: str, data: str | None = None):   # query, version, at: as Database's
        self.path = str(location)
        self.data = lake.data_path(data)
        self._open_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._idle: list[duckdb.DuckDBPyConnection] = []     # cursors with the lake in use, between reads
        self._upgrade_lock = threading.Lock()
        self._up_to_date = False      # this process's first use has migrated what needed it (every replica may write)

    def _shared_connection(self) -> duckdb.DuckDBPyConnection:
        with self._open_lock:
            if self._connection is None:
                self._connection = lake.connect(self.path, self.data)
            return self._connection

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        with self._open_lock:
            if self._idle:
                return self._idle.pop()
        cursor = self._shared_connection().cursor()
        cursor.execute(f"USE {lake.ALIAS}")
        return cursor

    def _put_back(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Cursors are kept for the next read: making one and choosing the lake costs more than a read."""
        with self._open_lock:
            if self._connection is not None and len(self._idle) < 16:
                self._idle.append(cursor)
                return
        cursor.close()

    def _bring_up_to_date(self) -> None:
        """A lake moved in from an older file is migrated once, in one lake transaction, on first use."""
        if self._up_to_date:
            return
        with self._upgrade_lock:
            if self._up_to_date:
                return
            cursor = self._cursor()
            try:
                connection = lake.Connection(cursor)
                if history_migration.needs_migration(connection):
                    with self._write_lock:
                        history_migration.upgrade(connection)
            finally:
                cursor.close()
            self._up_to_date = True

    @contextmanager
    def reading(self):
        """A cursor inside a read transaction: all its reads see one snapshot of the lake."""
        self._bring_up_to_date()
        cursor = self._cursor()
        healthy = False
        try:
            cursor.execute("BEGIN TRANSACTION")
            yield lake.Connection(cursor)
        finally:
            try:
                cursor.execute("ROLLBACK")
                healthy = True
            except duckdb.Error:
                pass
            if healthy:
                self._put_back(cursor)
            else:
                cursor.close()

    @contextmanager
    def writing(self):
        """One transaction on the lake: committed if the block ends, rolled back if it raises."""
        self._bring_up_to_date()
        with self._write_lock:
            cursor = self._cursor()
            try:
                cursor.execute("BEGIN TRANSACTION")
                try:
                    yield lake.Connection(cursor)
                except BaseException:
                    cursor.execute("ROLLBACK")
                    raise
                try:
                    cursor.execute("COMMIT")
                except (duckdb.TransactionException, duckdb.ConstraintException) as error:
                    raise WriteConflict(f"{lake.shown(self.path)}: {error}") from error
            finally:
                cursor.close()

    def version_of(self, cursor) -> int:
        return lake.snapshot_of(cursor)

    def make_room_for_new_keys(self, connection, count: int) -> None:
        """The lake's connection keeps DuckDB's default memory limit (it is shared with the readers)."""

    def release(self) -> None:
        with self._open_lock:
            for cursor in self._idle:
                cursor.close()
            self._idle = []
            if self._connection is not None:
                self._connection.close()
                self._connection = None


_DATABASES: dict[object, Database | LakeDatabase] = {}
_REGISTRY_LOCK = threading.Lock()


def database(path, read_only: bool | None = None) -> Database | LakeDatabase:
    """The process-wide access object for a database file, or for the lake a `ducklake:` location names.

    read_only (default: $TWOMOUNTAINS_READ_ONLY) opens a file for reading only: nothing is ever written."""
    if lake.is_lake(path):
        key: object = str(path)
    else:
        read_only = read_only_requested() if read_only is None else read_only
        key = (Path(path).resolve(), read_only)
    with _REGISTRY_LOCK:
        if key not in _DATABASES:
            _DATABASES[key] = LakeDatabase(key) if lake.is_lake(path) else Database(key[0], read_only=read_only)
        return _DATABASES[key]
