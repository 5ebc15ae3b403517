"""Faults: `python -m twomountains ingest` killed with SIGKILL again and again on one database file.

tests/test_upload_concurrency.py kills 8 runs, each on a fresh copy of the database and each while
DuckDB's write lock is held. Here one file lives through a chain of uploads, each run killed at a
random moment of its whole life (start-up, reading the file, checking, writing, committing,
checkpointing) or of its write, so a run also meets what the kill before it left behind (a write-ahead
log to replay, a half-done checkpoint). After every kill the file must open and hold exactly the data
before that run or after it: every observation outside the upload unchanged, the upload's values
all old or all new, and the upload, its revisions and the data version recorded with them or not at all.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import time
from pathlib import Path

import duckdb
import pandas as pd

from tests.test_upload_concurrency import (
    cli,
    monthly_file,
    until_write_lock,
    write_lock,
)

ATTEMPTS = 14           # kills on one file
LAKE_ATTEMPTS = 7       # runs on one lake (the first completes, the others meet KILL_AT in turn)
BUDGET = 45.0           # seconds for all of them at least, a bound, not the expected time (see below)
KEY = ["indicator_code", "region_code", "period"]


def state(db: Path) -> dict:
    """What the file holds, read by a fresh read-only connection (which also proves it opens)."""
    with duckdb.connect(str(db), read_only=True) as con:
        return state_of(con)


def state_of(con) -> dict:
    observations = con.execute("SELECT indicator_code, region_code, period, value, source FROM observations "
                               "ORDER BY ALL").df()
    return {
        "observations": observations.set_index(KEY),
        "uploads": con.execute("SELECT count(*) FROM uploads").fetchall()[0][0],
        "revisions": con.execute("SELECT count(*) FROM observation_revisions").fetchall()[0][0],
        "version": int(con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0]),
    }


def uploaded_values(path: Path) -> pd.Series:
    frame = pd.read_csv(path, dtype={"region_code": str, "period": str})
    return frame.set_index(KEY).value


def outcome(before: dict, after: dict, upload: pd.Series) -> str:
    """'before' or 'after' the upload; anything else fails the test."""
    old, new = before["observations"], after["observations"]
    outside_old = old.drop(index=upload.index, errors="ignore")
    outside_new = new.drop(index=upload.index, errors="ignore")
    assert outside_new.equals(outside_old), "values outside the upload changed"
    counts = (after["uploads"] - before["uploads"], after["revisions"] - before["revisions"],
              after["version"] - before["version"])
    shown = new.value.reindex(upload.index)
    if shown.equals(old.value.reindex(upload.index)):
        assert counts == (0, 0, 0), f"values as before but the records moved: {counts}"
        return "before"
    changed = int((old.value.reindex(upload.index) != upload).sum())
    assert (shown.round(6) == upload.round(6)).all(), "some of the upload's values are new, some are not"
    assert counts == (1, changed, 1), f"values as after but the records say {counts}, {changed} changed"
    return "after"


def lifetime(template: Path, upload: Path, tmp_path: Path) -> tuple[float, float, float]:
    """One complete run on a scratch copy: (seconds from start to exit, write lock taken at, released at)."""
    scratch = tmp_path / "scratch.duckdb"
    shutil.copy(template, scratch)
    started = time.monotonic()
    process = cli("ingest", str(upload), "--db", str(scratch))
    locked = until_write_lock(process, scratch)
    assert locked is not None
    while write_lock(process.pid, scratch.stat().st_ino):
        time.sleep(0.001)
    released = time.monotonic()
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return time.monotonic() - started, locked - started, released - started


def test_sigkill_again_and_again_on_one_file(demo_db_template, tmp_path):
    uploads = []
    for attempt in range(ATTEMPTS):
        path = tmp_path / f"monthly-{attempt}.csv"
        monthly_file(path, ["forest_cover", "air_good_days_ratio"], range(2019, 2023), seed=100 + attempt)
        uploads.append(path)
    total, lock_at, unlock_at = lifetime(demo_db_template, uploads[0], tmp_path)

    db = tmp_path / "victim.duckdb"
    shutil.copy(demo_db_template, db)
    rng = random.Random(20261129)
    # The bound grows with one run's time as measured here: on a loaded 2-core machine each of the runs (a new
    # Python process each) takes longer, and a fixed bound would fail the test for the machine, not the file.
    budget = max(BUDGET, 2 * ATTEMPTS * (total + 0.5))
    deadline = time.monotonic() + budget
    log = []
    for attempt, upload in enumerate(uploads):
        assert time.monotonic() < deadline, f"over {budget:.0f}s after {attempt} kills: {log}"
        before = state(db)
        process = cli("ingest", str(upload), "--db", str(db))
        if attempt % 2:      # anywhere in the run's life, start-up and checking included
            moment = "life"
            delay = rng.uniform(0, total * 1.1)
            time.sleep(delay)
        else:                # while it writes: inside the transaction, committing, checkpointing
            moment = "write"
            delay = rng.uniform(0, (unlock_at - lock_at) * 1.5)
            if until_write_lock(process, db) is not None:
                time.sleep(delay)
        killed = process.poll() is None
        if killed:
            os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        assert killed or process.returncode == 0, f"attempt {attempt}: exit {process.returncode}"
        result = outcome(before, state(db), uploaded_values(upload))
        log.append((moment, round(delay, 3), "killed" if killed else "finished", result))

    # After all of it the file still takes an upload, and holds it.
    before = state(db)
    last = tmp_path / "last.csv"
    monthly_file(last, ["forest_cover"], range(2019, 2021), seed=999)
    process = cli("ingest", str(last), "--db", str(db))
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert outcome(before, state(db), uploaded_values(last)) == "after"
    print(f"\nrun {total:.2f}s, write {lock_at:.2f}-{unlock_at:.2f}s; kills:", log)
    kills = [entry for entry in log if entry[2] == "killed"]
    assert len(kills) >= ATTEMPTS // 2, log
    assert any(entry[0] == "write" for entry in kills), "no run was killed while writing"


def lake_state(location: str, data: Path) -> dict:
    """What the lake holds, read by a new access object (as a process started after the kill would)."""
    from twomountains import access
    db = access.LakeDatabase(location, str(data))
    try:
        with db.reading() as cursor:
            return state_of(cursor)
    finally:
        db.release()


# Where each run on the lake is killed, in turn: as soon as its Parquet files appear (the catalog not written
# yet), as soon as the catalog holds its new snapshot (committed, the process not yet ended), or at random.
KILL_AT = ("data written", "catalog written", "random")


def parquet_files(data: Path) -> list[Path]:
    return list(Path(data).rglob("*.parquet"))


def kill_when(process, happened, timeout: float = 120.0) -> bool:
    """SIGKILL `process` the moment `happened()` is true; False when the process ended first."""
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if happened():
            os.kill(process.pid, signal.SIGKILL)
            return True
        time.sleep(0.002)
    return False


class CatalogWatch:
    """The lake's newest snapshot as its PostgreSQL catalog holds it (DuckLake's table ducklake_snapshot)."""

    def __init__(self, location: str):
        from twomountains import lake
        self.con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
        self.con.execute(f"LOAD '{lake.extension_path('postgres_scanner')}'")
        connection = location.removeprefix("ducklake:postgres:").replace("'", "''")
        self.con.execute(f"ATTACH '{connection}' AS catalog (TYPE postgres, READ_ONLY)")

    def snapshot(self) -> int:
        return int(self.con.execute("SELECT max(snapshot_id) FROM catalog.public.ducklake_snapshot").fetchall()[0][0])

    def close(self) -> None:
        self.con.close()


def test_sigkill_again_and_again_on_one_lake(demo_db_template, pg_cluster, tmp_path, monkeypatch):
    """The same on the lake (DuckLake, PostgreSQL catalog): a killed writer leaves the lake before or after."""
    from twomountains import lake, lake_transfer
    location, data = pg_cluster.lake_location(), tmp_path / "lake-data"
    lake_transfer.file_to_lake(demo_db_template, location, str(data))
    monkeypatch.setenv(lake.DATA_ENV_VAR, str(data))
    uploads = []
    for attempt in range(LAKE_ATTEMPTS):
        path = tmp_path / f"monthly-{attempt}.csv"
        monthly_file(path, ["forest_cover", "air_good_days_ratio"], range(2019, 2023), seed=300 + attempt)
        uploads.append(path)
    started = time.monotonic()
    first = cli("ingest", str(uploads[0]), "--db", location)
    _, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    total = time.monotonic() - started
    rng = random.Random(20261130)
    log = []
    before = lake_state(location, data)
    catalog = CatalogWatch(location)
    for attempt, upload in enumerate(uploads[1:], start=1):
        moment = KILL_AT[(attempt - 1) % len(KILL_AT)]
        files, snapshot = parquet_files(data), catalog.snapshot()
        process = cli("ingest", str(upload), "--db", location)
        if moment == "random":
            delay = rng.uniform(total * 0.5, total * 1.5)      # past start-up: checking, writing, committing, done
            time.sleep(delay)
            killed = process.poll() is None
            if killed:
                os.kill(process.pid, signal.SIGKILL)
        elif moment == "data written":                         # its Parquet files are there, the catalog not yet
            killed = kill_when(process, lambda: len(parquet_files(data)) > len(files))
        else:                                                  # the commit's catalog write is there
            killed = kill_when(process, lambda: catalog.snapshot() > snapshot)
        process.communicate(timeout=60)
        assert killed or process.returncode == 0, f"attempt {attempt}: exit {process.returncode}"
        after = lake_state(location, data)
        result = outcome(before, after, uploaded_values(upload))
        log.append((moment, "killed" if killed else "finished", result))
        if moment == "catalog written":
            assert result == "after", log                      # the catalog's commit is the lake's commit
        before = after
    catalog.close()
    last = tmp_path / "last.csv"
    monthly_file(last, ["forest_cover"], range(2019, 2021), seed=998)
    process = cli("ingest", str(last), "--db", location)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert outcome(before, lake_state(location, data), uploaded_values(last)) == "after"
    print(f"\nlake: run {total:.2f}s; kills:", log)
    killed = [entry for entry in log if entry[1] == "killed"]
    # Killed runs must land on both sides, else the test could not tell a half-written lake from either.
    assert {entry[2] for entry in killed} == {"before", "after"}, log
    assert any(entry[0] == "catalog written" for entry in killed), log
