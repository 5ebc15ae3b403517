"""Ingest of a long CSV (50,000 and 1,000,000 rows), validated and committed, against DuckDB's own fastest
plain way to apply the same file to the same table in the same run (the floor on this machine).

Two floors are measured side by side, so a reader sees why the ratio changed:
- the honest floor (the one the goal is measured against): read_csv into a staging table, UPDATE the
  rows whose key exists FROM the staging table, INSERT the new ones by an anti-join, one transaction;
- the old floor (until 2026-11-30): `INSERT OR REPLACE ... FROM read_csv(...)` into the keyed table,
  DuckDB's slowest way to apply these rows (it deletes and re-inserts every row through the index).

The validated ingest runs in a child process (`python -m bench.ingest ours ...`), so its peak resident
memory is that process's own: VmHWM of /proc/self/status, not ru_maxrss, which Linux carries over an exec
from the forked copy of the runner (after the L pages the runner holds ~3 GB, and every child "peaked" there).
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROWS = 1_000_000
SIZES = (50_000, 1_000_000)

_READ = """read_csv($path, header = true, all_varchar = false,
              columns = {'indicator_code': 'VARCHAR', 'region_code': 'VARCHAR', 'period': 'VARCHAR',
                         'value': 'DOUBLE', 'unit': 'VARCHAR', 'source': 'VARCHAR', 'quality': 'VARCHAR',
                         'note': 'VARCHAR'})"""

OLD_FLOOR_SQL = [f"""
INSERT OR REPLACE INTO observations
SELECT indicator_code, region_code, period, 'Q', CAST(left(period, 4) AS INTEGER),
       CAST(right(period, 1) AS INTEGER), NULL, value, source, 'reported', NULLIF(note, '')
FROM {_READ}"""]

HONEST_FLOOR_SQL = [
    f"""CREATE TEMP TABLE staged AS
        SELECT indicator_code, region_code, period, 'Q' AS period_kind, CAST(left(period, 4) AS INTEGER) AS year,
               CAST(right(period, 1) AS INTEGER) AS quarter, CAST(NULL AS INTEGER) AS month, value, source,
               'reported' AS quality, NULLIF(note, '') AS note
        FROM {_READ}""",
    """UPDATE observations o SET value = s.value, source = s.source, quality = s.quality, note = s.note
       FROM staged s
       WHERE o.indicator_code = s.indicator_code AND o.region_code = s.region_code AND o.period = s.period""",
    """INSERT INTO observations
       SELECT s.* FROM staged s
       ANTI JOIN observations o
         ON o.indicator_code = s.indicator_code AND o.region_code = s.region_code AND o.period = s.period""",
    "DROP TABLE staged",
]

FLOORS = {"honest": HONEST_FLOOR_SQL, "old": OLD_FLOOR_SQL}


def write_upload_file(source_db: Path, out: Path, rows: int = ROWS) -> Path:
    """`rows` existing synthetic quarterly values (years up to 2025), each changed, in the exchange format."""
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


def floor_seconds(source_db: Path, upload: Path, work: Path, how: str = "honest") -> float:
    """One run of a floor on a fresh copy of the database: the statements of FLOORS[how], one transaction."""
    return floor_run(source_db, upload, work, how)[0]


def floor_run(source_db: Path, upload: Path, work: Path, how: str = "honest") -> tuple[float, float]:
    """(the transaction alone, the transaction with opening the file and closing it). The validated ingest
    opens the file read-write and closes it (DuckDB checkpoints at close) inside its own time, as the
    dashboard's writer does (twomountains/access.py); the second figure is the floor measured the same way."""
    target = work / f"floor-{how}.duckdb"
    shutil.copy(source_db, target)
    opened = time.perf_counter()
    con = duckdb.connect(str(target))
    try:
        started = time.perf_counter()
        con.execute("BEGIN TRANSACTION")
        for statement in FLOORS[how]:
            con.execute(statement, {"path": str(upload)} if "$path" in statement else {})
        con.execute("COMMIT")
        transaction = time.perf_counter() - started
    finally:
        con.close()
    total = time.perf_counter() - opened
    target.unlink()
    return transaction, total


def ours_seconds(source_db: Path, upload: Path, work: Path, from_disk: bool = False) -> tuple[float, dict]:
    """The validated ingest in a child process: seconds, and check/commit/counts/stages/peak_rss_mb. `from_disk`:
    the file checked where it lies (pipeline.check_file, as the command line does), not its bytes in memory
    (pipeline.check, as the upload page does with the bytes the browser sent)."""
    target = work / "ours.duckdb"
    shutil.copy(source_db, target)
    try:
        done = subprocess.run([sys.executable, "-m", "bench.ingest", "ours", str(target), str(upload),
                               *(["--from-disk"] if from_disk else [])],
                              capture_output=True, text=True, check=True,
                              cwd=Path(__file__).resolve().parent.parent)
        detail = json.loads(done.stdout.strip().splitlines()[-1])
        return detail.pop("seconds"), detail
    finally:
        target.unlink()


def _ours_in_this_process(target: Path, upload: Path, from_disk: bool = False) -> dict:
    from twomountains.access import database
    from twomountains.ingest import pipeline, reading
    from twomountains.ingest.validate import Options

    # The file is larger than a browser upload may be: an operator raises the limits, as documented.
    os.environ[reading.MAX_MB_ENV_VAR] = str(upload.stat().st_size // 1024 // 1024 + 1)
    # bench.ingest_memory goes to 2,000,000 rows and more (a line of the file is over 16 bytes)
    os.environ[reading.MAX_ROWS_ENV_VAR] = str(max(ROWS * 4, upload.stat().st_size // 16))
    db = database(target)
    try:
        # A server process has its imports and metadata loaded before an upload comes: check a two-line file
        # first (pandera, the header synonyms and the catalog's schema take ~1 s to load once per process).
        with upload.open("rb") as lines:     # the first two lines only (readlines() held the whole file's lines)
            pipeline.check(b"".join(itertools.islice(lines, 2)), "warm-up.csv", db, Options())
        started = time.perf_counter()
        plan = (pipeline.check_file(upload, db, Options()) if from_disk
                else pipeline.check(upload.read_bytes(), upload.name, db, Options()))
        checked = time.perf_counter()
        assert plan.accepted, plan.errors[:3]
        pipeline.commit(plan, db, "bench", previewed=False)
        finished = time.perf_counter()
    finally:
        db.release()
    peak_kb = own_peak_rss_kb()
    write = db.last_write
    return {"seconds": finished - started, "check": checked - started, "commit": finished - checked,
            # The writer's own opening of the file and its close (DuckDB's checkpoint), which the floor's
            # transaction column leaves out: without them the figure compares with that column like for like.
            "open": write.open, "close": write.close,
            "without_open_and_close": finished - started - write.open - write.close,
            "counts": plan.counts, "stages": {k: round(v, 3) for k, v in plan.timings.items()},
            "in_parts": plan._parts is not None,
            "peak_rss_mb": peak_kb / 1024}


def own_peak_rss_kb() -> float:
    """This process's peak resident set in kB since its exec (VmHWM); ru_maxrss where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    except OSError:
        pass
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main() -> None:
    parser = argparse.ArgumentParser(description="one validated ingest (for bench.run) or a quick comparison")
    sub = parser.add_subparsers(dest="command", required=True)
    ours = sub.add_parser("ours")
    ours.add_argument("db")
    ours.add_argument("upload")
    ours.add_argument("--from-disk", action="store_true", help="pipeline.check_file (the command line's way)")
    compare = sub.add_parser("compare", help="floors and validated ingest at some sizes, printed")
    compare.add_argument("db")
    compare.add_argument("--rows", default="50000,1000000")
    compare.add_argument("--repeats", type=int, default=3)
    compare.add_argument("--floors", default=",".join(FLOORS),
                         help="which floors to measure: honest,old (the old one takes minutes at 1,000,000 rows)")
    compare.add_argument("--ours-repeats", type=int, default=1)
    compare.add_argument("--from-disk", action="store_true", help="ours by pipeline.check_file, not check")
    args = parser.parse_args()
    if args.command == "ours":
        print(json.dumps(_ours_in_this_process(Path(args.db), Path(args.upload), args.from_disk)))
        return
    import tempfile
    with tempfile.TemporaryDirectory(dir=Path(args.db).parent) as work:
        work = Path(work)
        for rows in map(int, args.rows.split(",")):
            upload = write_upload_file(Path(args.db), work / f"upload_{rows}.csv", rows)
            for how in args.floors.split(","):
                runs = [floor_run(Path(args.db), upload, work, how) for _ in range(args.repeats)]
                if how == "honest":
                    honest = runs
                print(rows, how, "transaction", [round(t, 3) for t, _ in runs],
                      "with open and close", [round(t, 3) for _, t in runs], flush=True)
            for _ in range(args.ours_repeats):
                seconds, detail = ours_seconds(Path(args.db), upload, work, args.from_disk)
                print(rows, "ours", round(seconds, 3), detail, flush=True)
                if "honest" in args.floors.split(","):
                    transaction, total = (statistics.median(t) for t in zip(*honest))
                    print(rows, "ratio to the honest floor: both with open and close",
                          round(seconds / total, 2), "; both without (the transaction alone)",
                          round(detail["without_open_and_close"] / transaction, 2), flush=True)
        print("load average", os.getloadavg(), flush=True)


if __name__ == "__main__":
    main()
