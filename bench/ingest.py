"""Ingest of a 1-million-row long CSV, validated and committed, against DuckDB's own read_csv + INSERT
of the same file into the same table in the same run (the floor on this machine)."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import duckdb

from twomountains.access import database
from twomountains.ingest import pipeline, reading
from twomountains.ingest.validate import Options

ROWS = 1_000_000

FLOOR_SQL = """
INSERT OR REPLACE INTO observations
SELECT indicator_code, region_code, period, 'Q', CAST(left(period, 4) AS INTEGER),
       CAST(right(period, 1) AS INTEGER), NULL, value, source, 'reported', NULLIF(note, '')
FROM read_csv($path, header = true, all_varchar = false,
              columns = {'indicator_code': 'VARCHAR', 'region_code': 'VARCHAR', 'period': 'VARCHAR',
                         'value': 'DOUBLE', 'unit': 'VARCHAR', 'source': 'VARCHAR', 'quality': 'VARCHAR',
                         'note': 'VARCHAR'})
"""


def write_upload_file(source_db: Path, out: Path, rows: int = ROWS) -> Path:
    """1M existing synthetic quarterly values (years up to 2025), each changed, in the exchange format."""
    con = duckdb.connect(str(source_db), read_only=True)
    try:
        con.execute(f"""
            COPY (
                SELECT o.indicator_code, o.region_code, o.period, round(o.value + 1, 2) AS value, i.unit,
                       'bench upload' AS source, 'reported' AS quality, '' AS note
                FROM observations o JOIN indicators i ON i.code = o.indicator_code
                WHERE o.region_code LIKE '9%' AND o.indicator_code LIKE 'synthetic_%' AND o.year <= 2025
                ORDER BY o.indicator_code, o.region_code, o.period
                LIMIT {int(rows)}
            ) TO '{out}' (HEADER, DELIMITER ',')""")
    finally:
        con.close()
    return out


def floor_seconds(source_db: Path, upload: Path, work: Path) -> float:
    target = work / "floor.duckdb"
    shutil.copy(source_db, target)
    con = duckdb.connect(str(target))
    try:
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        con.execute(FLOOR_SQL, {"path": str(upload)})
        con.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        con.close()
        target.unlink()


def ours_seconds(source_db: Path, upload: Path, work: Path) -> tuple[float, dict]:
    # The file is larger than a browser upload may be: an operator raises the limits, as documented.
    os.environ[reading.MAX_MB_ENV_VAR] = str(upload.stat().st_size // 1024 // 1024 + 1)
    os.environ[reading.MAX_ROWS_ENV_VAR] = str(ROWS * 2)
    target = work / "ours.duckdb"
    shutil.copy(source_db, target)
    db = database(target)
    try:
        started = time.perf_counter()
        plan = pipeline.check(upload.read_bytes(), upload.name, db, Options())
        checked = time.perf_counter()
        assert plan.accepted, plan.errors[:3]
        pipeline.commit(plan, db, "bench", previewed=False)
        finished = time.perf_counter()
        return finished - started, {"check": checked - started, "commit": finished - checked,
                                    "counts": plan.counts, "stages": dict(plan.timings)}
    finally:
        db.release()
        target.unlink()
