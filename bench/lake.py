"""The lake mode measured: `python -m bench.lake [--sizes S,M,L] [--sessions 20] [--replicas 2]` (make bench-lake).

For each size, the benchmark database (bench/generate.py) is moved into a lake with its catalog in a
temporary PostgreSQL (tests/postgres.py), then:
- page run times, cold and warm, through AppTest, on the file and on the lake (bench/pages.py);
- ingest on the lake: the floor (DuckDB reading the CSV and inserting it into the lake in one
  transaction) and the validated command-line ingest of the same file;
- forum day: N websocket sessions (tests/reliability_session.py), each clicking through three pages,
  against one replica directly and against R replicas behind nginx (deploy/), page times median and p90;
- a profile of one warm page run on the lake (the script's thread): where the time goes.
Writes bench/RESULTS-lake.md (results so far, after each step).
"""
from __future__ import annotations

import argparse
import io
import os
import platform
import profile
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from bench import pages
from bench.run import _database
from twomountains import lake, lake_transfer
from twomountains.paths import DB_ENV_VAR, ROOT

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS-lake.md"
FORUM_PAGES = [("overview", ""), ("indicator", "indicator=forest_cover"), ("map", ""),
               ("indicator", "indicator=air_good_days_ratio"), ("present", ""), ("tasks", "")]


def _median_p90(samples: list[float]) -> str:
    if not samples:
        return "—"
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):.2f} s, p90 {p90:.2f} s, max {ordered[-1]:.2f} s (n={len(ordered)})"


def forum_day(base: str, sessions: int, routes: list[str] | None = None, ssl_context=None) -> dict:
    """`sessions` viewers at once, three pages each; page times as the viewer waits for them."""
    from tests.reliability_session import Session
    times, failures = [], []
    go = threading.Barrier(sessions, timeout=300)

    def viewer(number: int):
        rng = random.Random(number)
        cookie = f"twomountains_route={routes[number % len(routes)]}" if routes else None
        waited = False
        try:
            with Session(base, timeout=300, cookie=cookie, ssl_context=ssl_context) as session:
                go.wait()
                waited = True
                for page, query in rng.sample(FORUM_PAGES, 3):
                    render = session.run(page, query)
                    if render.exceptions:
                        failures.append(render.exceptions[:1])
                    times.append(render.seconds)
        except Exception as failure:  # noqa: BLE001 - a benchmark reports, it does not stop
            failures.append(repr(failure))
            if not waited:                 # a session that could not open must not hold the others back
                try:
                    go.wait()
                except threading.BrokenBarrierError:
                    pass

    started = time.monotonic()
    threads = [threading.Thread(target=viewer, args=(n,)) for n in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    return {"times": times, "failures": failures, "wall": wall, "throughput": len(times) / wall if wall else 0}


def profile_page(location: str, data: str, page: str, query: dict, top: int = 30) -> str:
    """A profile of one warm run of a page on the lake (AppTest, in this process)."""
    import streamlit as st  # noqa: F401
    from streamlit.testing.v1 import AppTest
    os.environ[DB_ENV_VAR], os.environ[lake.DATA_ENV_VAR] = location, data

    def run():
        test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        for key, value in query.items():
            test.query_params[key] = value
        test.run()
        if page:
            test.switch_page(str(ROOT / page))
            test.run()
        assert not test.exception, test.exception
    run()
    # AppTest runs the script in a thread of its own: the profiler is installed for new threads (the pure
    # Python profiler, whose dispatcher threading.setprofile takes; its overhead inflates the absolute
    # times, the shares are what to read).
    profiler = profile.Profile()
    threading.setprofile(profiler.dispatcher)
    try:
        run()
    finally:
        threading.setprofile(None)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"twomountains|duckdb|pages/|app\.py", top)
    return out.getvalue()


def ingest_on_lake(location: str, data: str, source_db: Path, folder: Path, rows: int = 50_000) -> dict:
    """The floor and the validated ingest of one long file of `rows` values, on the lake."""
    con = duckdb.connect(str(source_db), read_only=True)
    frame = con.execute("SELECT indicator_code, region_code, period, round(value * 0.999, 6) AS value FROM observations "
                        "WHERE period_kind = 'Y' OR indicator_code IN (SELECT code FROM indicators WHERE unit = 'percent') "
                        "ORDER BY period_kind DESC, indicator_code, region_code, period LIMIT ?",
                        [rows]).df()                 # the yearly values, then generated quarterly percentages
    con.close()
    csv = folder / "ingest.csv"
    frame.to_csv(csv, index=False)
    lake_con = lake.connect(location, data)
    started = time.perf_counter()
    lake_con.execute("BEGIN TRANSACTION")
    lake_con.execute("CREATE TEMP TABLE staged AS SELECT * FROM read_csv(?, header = true, "
                     "types = {'region_code': 'VARCHAR', 'period': 'VARCHAR'})", [str(csv)])
    lake_con.execute("UPDATE observations SET value = s.value FROM staged s WHERE observations.indicator_code = "
                     "s.indicator_code AND observations.region_code = s.region_code AND observations.period = s.period")
    lake_con.execute("ROLLBACK")             # the floor is measured, not kept: the validated run writes the same
    floor = time.perf_counter() - started
    lake_con.close()
    env = {**os.environ, DB_ENV_VAR: location, lake.DATA_ENV_VAR: data,
           "TWOMOUNTAINS_UPLOAD_MAX_ROWS": str(rows * 2), "TWOMOUNTAINS_UPLOAD_MAX_MB": "500",
           "TWOMOUNTAINS_USERS": str(folder / "no-users.json")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", str(csv), "--db", location],
                          cwd=ROOT, env=env, capture_output=True, text=True)
    validated = time.perf_counter() - started
    return {"rows": len(frame), "floor": floor, "validated": validated, "ok": done.returncode == 0,
            "error": (done.stderr + done.stdout)[-400:] if done.returncode else ""}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="M,L")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--forum-size", default="S", help="database size of the forum-day measurement")
    parser.add_argument("--skip", default="", help="comma-separated: pages,ingest,forum,profile")
    parser.add_argument("--out", default=str(RESULTS), help="the results file (default bench/RESULTS-lake.md)")
    args = parser.parse_args()
    out = Path(args.out)
    skip = set(filter(None, args.skip.split(",")))
    from tests.postgres import TemporaryCluster, binaries
    lines = ["# The lake mode: benchmark results", "",
             f"Made by `python -m bench.lake --sizes {args.sizes} --repeats {args.repeats} --sessions {args.sessions} "
             f"--replicas {args.replicas}{' --skip ' + args.skip if args.skip else ''}` on "
             f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, PostgreSQL "
             f"{binaries().parent.name} (temporary cluster, fsync off, loopback), other jobs running. "
             "Medians of the repeats.", ""]

    def write():
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with TemporaryCluster() as cluster, tempfile.TemporaryDirectory(prefix="bench-lake-") as scratch:
        scratch = Path(scratch)
        for size in filter(None, args.sizes.split(",")):
            source = _database(size)
            location, data = cluster.lake_location(), str(scratch / f"{size}-data")
            started = time.perf_counter()
            rows = lake_transfer.file_to_lake(source, location, data)
            lines += [f"## {size}: {rows['observations']:,} observations", "",
                      f"`lake move-in` of the file: {time.perf_counter() - started:.1f} s.", ""]
            write()
            if "pages" not in skip:
                os.environ[lake.DATA_ENV_VAR] = data
                on_file, on_lake = pages.measure(source, args.repeats), pages.measure(location, args.repeats)
                lines += ["| page | file cold | lake cold | file warm | lake warm | lake/file warm |", "|---|---|---|---|---|---|"]
                for view in on_file:
                    f, k = on_file[view], on_lake.get(view, {"cold": [0], "warm": [0]})
                    fw, kw = statistics.median(f["warm"]), statistics.median(k["warm"])
                    lines.append(f"| {view} | {statistics.median(f['cold']):.3f} s | {statistics.median(k['cold']):.3f} s "
                                 f"| {fw:.3f} s | {kw:.3f} s | {kw / fw if fw else 0:.2f}× |")
                lines.append("")
                write()
            if "ingest" not in skip:
                result = ingest_on_lake(location, data, source, scratch)
                lines += [f"Ingest on the lake, {result['rows']:,} changed values: floor (read_csv into a staging "
                          f"table + one set UPDATE, one transaction) {result['floor']:.2f} s; validated "
                          f"`python -m twomountains ingest` (process start included) {result['validated']:.2f} s"
                          f" ({result['validated'] / result['floor']:.1f}× the floor)"
                          + ("" if result["ok"] else f"; FAILED: {result['error']}"), ""]
                write()
        if "forum" not in skip:
            lines += forum_lines(cluster, scratch, args)
            write()
        if "profile" not in skip:
            source = _database(args.forum_size)
            location, data = cluster.lake_location(), str(scratch / "profile-data")
            lake_transfer.file_to_lake(source, location, data)
            text = profile_page(location, data, "pages/indicator.py", {"indicator": "forest_cover"})
            lines += [f"## Profile: one warm run of the indicator page on the lake ({args.forum_size})", "",
                      "```", *text.strip().splitlines()[:40], "```", ""]
            write()
    print(out.read_text(encoding="utf-8"))


def forum_lines(cluster, scratch: Path, args) -> list[str]:
    from tests.browser.conftest import running_server
    from tests.replicas import Deployment, insecure
    source = _database(args.forum_size)
    lines = [f"## Forum day: {args.sessions} sessions at once, three pages each ({args.forum_size} data)", "",
             "Page time = from asking for the page to its run's end, as the viewer waits (websocket sessions of "
             "tests/reliability_session.py; goal: median ≤ 2 s, p90 ≤ 4 s).", "",
             "| setup | page times | page runs a second | failures |", "|---|---|---|---|"]
    with running_server(source, log_dir=scratch) as base:
        forum_day(base, 1)                                   # fill the caches
        result = forum_day(base, args.sessions)
    lines.append(f"| file, one process, direct | {_median_p90(result['times'])} | {result['throughput']:.2f} "
                 f"| {len(result['failures'])} |")
    location, data = cluster.lake_location(), str(scratch / "forum-data")
    lake_transfer.file_to_lake(source, location, data)
    with Deployment(location, data, scratch / "deployment", replicas=args.replicas) as deployment:
        routes = [deployment.route_to(i) for i in range(args.replicas)]
        for route in routes:                                 # fill each replica's caches
            forum_day(deployment.url, 1, [route], insecure())
        result = forum_day(deployment.url, args.sessions, routes, insecure())
    lines.append(f"| lake, {args.replicas} replicas behind nginx (TLS) | {_median_p90(result['times'])} | "
                 f"{result['throughput']:.2f} | {len(result['failures'])} |")
    lines.append("")
    return lines


if __name__ == "__main__":
    main()
