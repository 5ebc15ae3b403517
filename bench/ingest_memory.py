"""Peak memory of the validated ingest against the size of the file: `python -m bench.ingest_memory DB`.

Each size is one validated ingest (check and commit, every value changed, as bench.ingest's `ours`) in a child
process of its own, whose peak resident memory (VmHWM) is read at its end. Printed per size: rows, the file's
megabytes, the peak, the honest floor's own peak (bench.ingest.HONEST_FLOOR_SQL in a child process of its own:
DuckDB's memory for the same change) and the seconds; then the growth of each peak per extra million rows (a
least-squares line through the sizes, and between each two sizes) beside the file's own growth. With --stages,
also each stage's resident memory before it, its peak during it and after it (a separate ingest per size).

Sizes beyond the synthetic values the database holds (bench.ingest.write_upload_file: ~1,000,000 in the M
database) are made by `write_upload_file_of`: the existing values changed, and then new values of the same
series twelve years earlier (inserted, not updated: the only way to grow the file past what is stored).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np

from bench import ingest

SIZES = (50_000, 250_000, 1_000_000, 2_000_000)
YEARS_EARLIER = 12


def write_upload_file_of(source_db: Path, out: Path, rows: int) -> Path:
    """bench.ingest.write_upload_file's rows, and as many new ones as `rows` needs beyond those: the same series'
    quarters YEARS_EARLIER years before (file order: by series and period, updates and inserts mixed)."""
    con = duckdb.connect(str(source_db), read_only=True)
    try:
        con.execute(f"""
            COPY (
                WITH changed AS (
                    SELECT o.indicator_code, o.region_code, o.period, round(o.value + 1, 2) AS value, i.unit
                    FROM observations o JOIN indicators i ON i.code = o.indicator_code
                    WHERE o.region_code LIKE '9%' AND o.indicator_code LIKE 'synthetic_%' AND o.year <= 2025
                ), earlier AS (
                    SELECT indicator_code, region_code,
                           CAST(CAST(left(period, 4) AS INTEGER) - {YEARS_EARLIER} AS VARCHAR) || substr(period, 5)
                               AS period, value, unit
                    FROM changed
                )
                SELECT indicator_code, region_code, period, value, unit, 'bench upload' AS source,
                       'reported' AS quality, '' AS note
                FROM (FROM changed UNION ALL FROM earlier)
                ORDER BY indicator_code, region_code, period
                LIMIT {int(rows)}
            ) TO '{out}' (HEADER, DELIMITER ',')""")
    finally:
        con.close()
    return out


def _stored_rows(source_db: Path) -> int:
    con = duckdb.connect(str(source_db), read_only=True)
    try:
        return con.execute("""SELECT count(*) FROM observations WHERE region_code LIKE '9%'
                              AND indicator_code LIKE 'synthetic_%' AND year <= 2025""").fetchone()[0]
    finally:
        con.close()


def _floor_in_this_process(target: Path, upload: Path) -> dict:
    """The honest floor (bench.ingest.HONEST_FLOOR_SQL, one transaction) on `target`: its peak resident memory."""
    con = duckdb.connect(str(target))
    try:
        con.execute("BEGIN TRANSACTION")
        for statement in ingest.HONEST_FLOOR_SQL:
            con.execute(statement, {"path": str(upload)} if "$path" in statement else {})
        con.execute("COMMIT")
    finally:
        con.close()
    return {"peak_rss_mb": ingest.own_peak_rss_kb() / 1024}


def _stages_run(source_db: Path, upload: Path, work: Path, from_disk: bool = False) -> str:
    """The `stages` report of one validated ingest, in a child process of its own on a copy of the database."""
    target = work / "stages.duckdb"
    shutil.copy(source_db, target)
    try:
        return subprocess.run([sys.executable, "-m", "bench.ingest_memory", "stages", str(target), str(upload),
                               *(["from-disk"] if from_disk else [])],
                              capture_output=True, text=True, check=True,
                              cwd=Path(__file__).resolve().parent.parent).stdout
    finally:
        target.unlink()


def floor_peak_mb(source_db: Path, upload: Path, work: Path) -> float:
    """The honest floor's peak resident memory, in a child process of its own on a copy of the database."""
    target = work / "floor.duckdb"
    shutil.copy(source_db, target)
    try:
        done = subprocess.run([sys.executable, "-m", "bench.ingest_memory", "floor", str(target), str(upload)],
                              capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
        return json.loads(done.stdout.strip().splitlines()[-1])["peak_rss_mb"]
    finally:
        target.unlink()


def _status_mb() -> dict[str, int]:
    """This process's resident memory now (VmRSS) and its peak (VmHWM), in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmHWM:", "VmRSS:")):
            name, value = line.split(":")
            found[name] = int(value.split()[0]) // 1024
    return found


def _stages_in_this_process(target: Path, upload: Path, from_disk: bool = False) -> None:
    """One validated ingest with each stage's resident memory before it, its peak during it and after it
    (the peak is reset before each stage by writing 5 to /proc/self/clear_refs), printed one line a stage."""
    from contextlib import contextmanager

    from twomountains.ingest import pipeline

    timed = pipeline._timed
    stages = []

    @contextmanager
    def measured(plan, stage):
        Path("/proc/self/clear_refs").write_text("5")
        before = _status_mb()["VmRSS"]
        with timed(plan, stage):
            yield
        now = _status_mb()
        stages.append((plan, stage, before, now["VmHWM"], now["VmRSS"]))

    pipeline._timed = measured      # this child process only: the stages' own timing stays as it is
    detail = ingest._ours_in_this_process(target, upload, from_disk)
    committed = [plan for plan, stage, *_ in stages if stage == "write"][-1]     # not the warm-up's plan
    for stage, before, peak, after in [rest for plan, *rest in stages if plan is committed]:
        print(f"  {stage:<10} before {before:5d} MB  peak {peak:5d} MB  after {after:5d} MB")
    print(f"  whole ingest peak {detail['peak_rss_mb']:.0f} MB, {detail['seconds']:.2f} s")


def _line(label: str, results: list[tuple[int, float]]) -> None:
    """The growth of a peak per extra million rows: least squares over the sizes, and between each two."""
    millions = np.array([rows for rows, _ in results]) / 1e6
    slope, base = np.polyfit(millions, [peak for _, peak in results], 1)
    steps = ", ".join(f"{r0:,}->{r1:,}: {(p1 - p0) / ((r1 - r0) / 1e6):.0f}"
                      for (r0, p0), (r1, p1) in zip(results, results[1:]))
    print(f"{label}: grows {slope:.0f} MB per million rows (least squares, {base:.0f} MB at none; between sizes "
          f"{steps})")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "floor":
        print(json.dumps(_floor_in_this_process(Path(sys.argv[2]), Path(sys.argv[3]))))
        return
    if len(sys.argv) in (4, 5) and sys.argv[1] == "stages":
        _stages_in_this_process(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4:] == ["from-disk"])
        return
    parser = argparse.ArgumentParser(description="peak memory of the validated ingest at several sizes")
    parser.add_argument("db")
    parser.add_argument("--rows", default=",".join(map(str, SIZES)))
    parser.add_argument("--repeats", type=int, default=1, help="ingests per size (the lowest peak is kept)")
    parser.add_argument("--no-floor", action="store_true", help="skip the honest floor's peak beside ours")
    parser.add_argument("--from-disk", action="store_true",
                        help="check the file where it lies (pipeline.check_file, the command line's way), not "
                             "its bytes in memory (pipeline.check, the upload page's way)")
    parser.add_argument("--stages", action="store_true",
                        help="also each stage's memory (before, peak during, after) at each size")
    args = parser.parse_args()
    source = Path(args.db)
    available = _stored_rows(source)
    results = []
    with tempfile.TemporaryDirectory(dir=source.parent) as work:
        work = Path(work)
        for rows in map(int, args.rows.split(",")):
            upload = work / f"upload_{rows}.csv"
            if rows <= available:
                ingest.write_upload_file(source, upload, rows)
            else:
                write_upload_file_of(source, upload, rows)
            runs = [ingest.ours_seconds(source, upload, work, args.from_disk) for _ in range(args.repeats)]
            seconds, detail = min(runs, key=lambda run: run[1]["peak_rss_mb"])
            floor = None if args.no_floor else floor_peak_mb(source, upload, work)
            if args.stages:
                print(_stages_run(source, upload, work, args.from_disk), end="", flush=True)
            megabytes = upload.stat().st_size / 1e6
            results.append((rows, megabytes, detail["peak_rss_mb"], floor))
            print(f"{rows:>9,} rows  file {megabytes:6.1f} MB  peak {detail['peak_rss_mb']:6.0f} MB  "
                  + ("" if floor is None else f"(the honest floor's own process: {floor:6.0f} MB)  ")
                  + f"{seconds:6.2f} s  counts {detail['counts']}"
                  + ("  (read in parts)" if detail.get("in_parts") else ""), flush=True)
            upload.unlink()
    if len(results) >= 2:
        _line("ours", [(rows, peak) for rows, _, peak, _ in results])
        if not args.no_floor:
            _line("the honest floor", [(rows, floor) for rows, _, _, floor in results])
        _line("the file", [(rows, megabytes) for rows, megabytes, _, _ in results])
    print("load average", os.getloadavg(), flush=True)


if __name__ == "__main__":
    main()
