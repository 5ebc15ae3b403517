"""Run every benchmark and write bench/RESULTS.md: `make bench` (or python -m bench.run [--quick])."""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from bench import browser, generate, ingest, pages

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
GOALS = {"S": 0.3, "M": 0.3, "L": 1.0}


def _stats(samples: list[float]) -> str:
    return (f"{statistics.median(samples):.3f} s (min {min(samples):.3f}, max {max(samples):.3f}, "
            f"n={len(samples)})")


def _database(size: str) -> Path:
    path = DATA / f"{size}.duckdb"
    if not path.exists():
        DATA.mkdir(exist_ok=True)
        generate.generate(size, path)
    return path


def _rows(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM observations").fetchone()[0]
    finally:
        con.close()


def _write(lines: list[str]) -> None:
    """Results so far: a run stopped half-way keeps what it measured."""
    (HERE / "RESULTS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _ingest_section(source: Path, args) -> list[str]:
    """Each size: both floors and the validated ingest, in one run on the same database and file."""
    goals = {50_000: 5.0, 1_000_000: 3.0}
    lines = ["## 2. Ingest of a long CSV (into the M database): 50,000 and 1,000,000 rows", "",
             "Goal: the validated ingest (check + commit) ≤ 5× the honest floor at 50,000 rows and ≤ 3× at "
             "1,000,000; its peak resident memory ≤ 1 GB at 1,000,000 rows. The *honest floor* is DuckDB's "
             "fastest plain way to apply the same file to the same table: `read_csv` into a staging table, "
             "`UPDATE` the rows whose key exists `FROM` it, `INSERT` the new ones by an anti-join, one "
             "transaction. The *old floor* (the goal's reference until 2026-11-30) is `INSERT OR REPLACE ... "
             "FROM read_csv(...)` into the keyed table, DuckDB's slowest way to apply these rows; it is "
             "shown beside it so the change of ratio can be read. Every row of the file changes a stored "
             "value (the worst case for the diff and the revisions). Load average at the start of this "
             f"section: {os.getloadavg()[0]:.1f} (the machine is shared).", "",
             "| rows | honest floor | old floor | validated ingest | check | commit | peak RSS | ratio to honest | "
             "ratio to old | goal |", "|---:|---|---|---|---:|---:|---:|---:|---:|---|"]
    stage_lines, closed_lines = [], []
    with tempfile.TemporaryDirectory(dir=DATA) as work:
        work = Path(work)
        for rows in ingest.SIZES:
            upload = ingest.write_upload_file(source, work / f"upload_{rows}.csv", rows)
            honest_runs = [ingest.floor_run(source, upload, work, "honest") for _ in range(3)]
            honest = [transaction for transaction, _ in honest_runs]
            honest_closed = [total for _, total in honest_runs]
            old = ([ingest.floor_seconds(source, upload, work, "old") for _ in range(args.old_floor_repeats)]
                   if str(rows) in args.old_floor_rows.split(",") else [])
            ours, details = [], []
            for _ in range(args.ingest_repeats):
                seconds, detail = ingest.ours_seconds(source, upload, work)
                ours.append(seconds)
                details.append(detail)
            ratio = statistics.median(ours) / statistics.median(honest)
            closed_ratio = statistics.median(ours) / statistics.median(honest_closed)
            old_ratio = statistics.median(ours) / statistics.median(old) if old else None
            peak = max(d["peak_rss_mb"] for d in details)
            met = ratio <= goals[rows] and (rows < 1_000_000 or peak <= 1024)
            lines.append(
                f"| {rows:,} | {_stats(honest)} | {_stats(old) if old else 'not measured'} | {_stats(ours)} | "
                f"{statistics.median(d['check'] for d in details):.2f} s | "
                f"{statistics.median(d['commit'] for d in details):.2f} s | {peak:,.0f} MB | **{ratio:.1f}×** | "
                f"{f'{old_ratio:.2f}×' if old else '—'} | ≤ {goals[rows]:g}×: {'met' if met else 'missed'} |")
            closed_lines.append(f"- {rows:,} rows: honest floor with opening and closing the file "
                                f"{_stats(honest_closed)}; validated ingest / that: {closed_ratio:.1f}×")
            stage_lines.append(f"- {rows:,} rows, {details[0]['counts']}; stages (seconds, first run): "
                               + ", ".join(f"{stage} {sec:.2f}" for stage, sec in details[0]["stages"].items()))
    return (lines + ["", "The validated ingest's time includes opening the file read-write and closing it (DuckDB "
                     "writes its log into the file at close), as the dashboard's writer does; the honest floor "
                     "above is the transaction alone (the strictest reading). Measured the same way:", ""]
            + closed_lines + ["", "Where the validated ingest spends its time:", ""] + stage_lines + [""])


def _upload_preview_section(source: Path, args) -> list[str]:
    """The upload page in Chromium: a 50,000-row file (the ingest section's) to its preview."""
    rows = 50_000
    with tempfile.TemporaryDirectory(dir=DATA) as work:
        work = Path(work)
        upload = ingest.write_upload_file(source, work / f"upload_{rows}.csv", rows)
        runs = browser.upload_preview_times(source, upload, work, max(args.ingest_repeats, 3),
                                            screenshot=DATA / "upload_preview.png")
    preview = [r["preview"] for r in runs]
    return ["## 5. Upload page in real Chromium: a 50,000-row file's preview (M database)", "",
            f"Goal ≤ 3 s from the upload finishing (the browser's PUT of the file answered) to the preview's "
            f"counts line shown, on a real server (`python -m twomountains.serve`), logged in as an analyst, a "
            f"new session per run after one warm-up run; load average at the start: {os.getloadavg()[0]:.1f}.", "",
            f"- preview shown: {_stats(preview)} ({'met' if statistics.median(preview) <= 3 else 'missed'})",
            f"- the whole page drawn (tables of changes, the commit step; the page then unchanged for 1 s): "
            f"{_stats([r['done'] for r in runs])}",
            f"- the upload itself (file chosen to PUT answered): {_stats([r['upload'] for r in runs])}",
            f"- the last run's page: `bench/data/upload_preview.png` (not kept in git)", ""]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--ingest-repeats", type=int, default=1, help="runs of the (slow) validated ingest")
    parser.add_argument("--old-floor-repeats", type=int, default=3,
                        help="runs of the old floor (INSERT OR REPLACE: minutes at 1,000,000 rows)")
    parser.add_argument("--old-floor-rows", default="50000,1000000",
                        help="file sizes at which the old floor is measured (it takes minutes at 1,000,000 rows)")
    parser.add_argument("--skip", default="", help="comma-separated: pages,ingest,upload,browser,memory")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    sizes = args.sizes.split(",")
    lines = ["# Benchmark results", "",
             f"Made by `python -m bench.run {' '.join(sys.argv[1:]) or '(defaults)'}` (`make bench`: all sections) on "
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, DuckDB {duckdb.__version__}. Each figure is the median of "
             f"the runs with its minimum and maximum. The databases are synthetic and marked demo "
             f"(`bench/generate.py`).", ""]
    paths = {size: _database(size) for size in sizes}
    lines += ["| size | observations | file size |", "|---|---:|---:|"]
    for size, path in paths.items():
        lines.append(f"| {size} | {_rows(path):,} | {path.stat().st_size / 1e6:,.0f} MB |")
    lines.append("")

    if "pages" not in skip:
        lines += ["## 1. Page run time (server side, one view, AppTest)", "",
                  "Goal: ≤ 0.3 s at S and M, ≤ 1 s at L. *Cold*: caches cleared (first view after a start or "
                  "an upload); *warm*: later views.", "",
                  "| size | page | cold | warm | goal (warm) |", "|---|---|---|---|---|"]
        for size, path in paths.items():
            results = pages.measure(path, args.repeats)
            for view, samples in results.items():
                met = "met" if statistics.median(samples["warm"]) <= GOALS[size] else "missed"
                lines.append(f"| {size} | {view} | {_stats(samples['cold'])} | {_stats(samples['warm'])} | "
                             f"{GOALS[size]} s: {met} |")
        lines.append("")

    _write(lines)
    if "ingest" not in skip and "M" in paths:
        lines += _ingest_section(paths["M"], args)

    _write(lines)
    if "upload" not in skip and "M" in paths:
        lines += _upload_preview_section(paths["M"], args)

    _write(lines)
    if "browser" not in skip and "S" in paths:
        measured = browser.bare_and_overview_load_times(paths["S"], args.repeats)
        times = [seconds for seconds, _ in measured["overview"]]
        bare = [seconds for seconds, _ in measured["bare"]]
        ratio = statistics.median(times) / statistics.median(bare)
        lines += ["## 3. Real Chromium at S: navigation to every overview chart drawn", "",
                  f"Goal ≤ 3 s: {_stats(times)} "
                  f"({'met' if statistics.median(times) <= 3 else 'missed'})", "",
                  f"Beside it, measured alternately in the same run, a bare Streamlit page (a title and one chart, "
                  f"`bench/fixtures/bare_page.py`): {_stats(bare)}. Overview / bare: {ratio:.2f} (goal ≤ 1.5: "
                  f"{'met' if ratio <= 1.5 else 'missed'}); load average {os.getloadavg()[0]:.1f}.", ""]

    _write(lines)
    if "memory" not in skip:
        size = "L" if "L" in paths else sizes[-1]
        peak = browser.peak_memory_with_sessions(paths[size], 10)
        lines += [f"## 4. Peak server memory with 10 sessions open at {size}", "",
                  f"Goal ≤ 2 GB: {peak:,.0f} MB ({'met' if peak <= 2048 else 'missed'})", ""]

    lines += ["What these figures mean, what was changed to reach them and what is left: `docs/scaling.md`, "
              "section *What the benchmarks found*.", ""]
    _write(lines)
    print("\n".join(lines))


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"took {time.perf_counter() - started:.0f} s")
