"""Faults and concurrency with real processes on real DuckDB files.

- kill -9 of `python -m twomountains ingest` while it commits leaves the database as before or as after;
- two uploads at once both land, or one is told to retry (never a mix, never a lost value);
- the command line, while the dashboard holds the file, says so and exits 2 without writing.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb

from twomountains import access
from twomountains.ingest import pipeline
from twomountains.paths import ROOT

KILL_RUNS = 8


def cli(*argv, **kw) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "twomountains", *argv], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def run(*argv, timeout=120) -> tuple[int, str, str]:
    process = cli(*argv)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out.decode(), err.decode()


def content(db: Path, tmp_path: Path) -> tuple[bytes, int, int]:
    """What the database holds: its observations export, and the counts of uploads and revisions."""
    out = tmp_path / f"export-{random.random()}.csv"
    code, _, err = run("export", "observations", "--db", str(db), "--out", str(out))
    assert code == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        uploads = con.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
        revisions = con.execute("SELECT count(*) FROM observation_revisions").fetchall()[0][0]
    return out.read_bytes(), uploads, revisions


def monthly_file(path: Path, indicators: list[str], years: range, seed: int) -> int:
    """A long file of monthly values for every current township (a big, valid upload)."""
    rng = random.Random(seed)
    regions = ["500156", "500156001", "500156002", "500156003", "500156004", "500156101", "500156102",
               "500156104", "500156105", "500156107", "500156108", "500156109", "500156111", "500156112",
               "500156113"] + [f"500156{c}" for c in range(201, 213)]
    lines = ["indicator_code,region_code,period,value"]
    for indicator in indicators:
        for region in regions:
            level = rng.uniform(50, 90)
            for year in years:
                for month in range(1, 13):
                    level = min(99.9, level + rng.uniform(-0.3, 0.4))
                    lines.append(f"{indicator},{region},{year}-{month:02d},{level:.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def write_lock(pid: int, inode: int) -> bool:
    """Whether process `pid` holds DuckDB's write lock on the file (what DuckDB takes to write, in /proc/locks)."""
    with open("/proc/locks") as locks:
        for line in locks:
            fields = line.split()
            if len(fields) > 5 and fields[3] == "WRITE" and fields[4] == str(pid) and fields[5].endswith(f":{inode}"):
                return True
    return False


def until_write_lock(process: subprocess.Popen, db: Path) -> float | None:
    """Wait for the ingest to start writing; the moment it did (None if it ended first)."""
    inode = db.stat().st_ino
    deadline = time.monotonic() + 180
    while process.poll() is None and time.monotonic() < deadline:
        if write_lock(process.pid, inode):
            return time.monotonic()
        time.sleep(0.001)
    return None


def test_kill_9_mid_commit_leaves_before_or_after(demo_db_template, tmp_path):
    upload = tmp_path / "monthly.csv"
    rows = monthly_file(upload, ["forest_cover", "air_good_days_ratio"], range(2018, 2026), 1)
    before = tmp_path / "before.duckdb"
    shutil.copy(demo_db_template, before)
    before_content = content(before, tmp_path)

    # A complete run gives the "after" state and the length of the write (lock taken to lock released).
    reference = tmp_path / "reference.duckdb"
    shutil.copy(demo_db_template, reference)
    process = cli("ingest", str(upload), "--db", str(reference), "--json")
    locked_at = until_write_lock(process, reference)
    assert locked_at is not None
    while write_lock(process.pid, reference.stat().st_ino):
        time.sleep(0.001)
    write_seconds = time.monotonic() - locked_at
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert json.loads(out)["inserted"] == rows
    after_content = content(reference, tmp_path)
    assert after_content[1:] == (1, rows) and after_content[0] != before_content[0]

    # Kill -9 at random moments of the write: inside the transaction, while committing, while checkpointing.
    rng = random.Random(20261128)
    outcomes = []
    for attempt in range(KILL_RUNS):
        db = tmp_path / f"victim-{attempt}.duckdb"
        shutil.copy(demo_db_template, db)
        process = cli("ingest", str(upload), "--db", str(db))
        delay = rng.uniform(0, write_seconds * 1.2)
        if until_write_lock(process, db) is not None:
            time.sleep(delay)
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        state = content(db, tmp_path)
        assert state in (before_content, after_content), f"attempt {attempt} (after {delay:.3f}s): half-written"
        outcomes.append(("after" if state == after_content else "before", process.returncode, round(delay, 3)))
    print(f"write took {write_seconds:.3f}s; kill -9 outcomes:", outcomes)
    assert any(code == -signal.SIGKILL for _, code, _ in outcomes), "no run was killed while writing"


def test_two_uploads_at_once_both_land_or_one_is_told_to_retry(demo_db_template, tmp_path):
    db = tmp_path / "shared.duckdb"
    shutil.copy(demo_db_template, db)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    monthly_file(first, ["forest_cover"], range(2022, 2024), 2)
    monthly_file(second, ["air_good_days_ratio"], range(2022, 2024), 3)
    processes = [cli("ingest", str(path), "--db", str(db), "--json", "--user", name)
                 for path, name in ((first, "ana"), (second, "bo"))]
    results = [(p.wait(timeout=180), *[s.decode() for s in p.communicate()]) for p in processes]
    codes = [code for code, _, _ in results]
    assert all(code in (0, 2) for code in codes) and 0 in codes, results
    for code, _, err in results:
        if code == 2:
            assert "重试" in err and "没有写入任何数据" in err
    landed = [path for path, (code, _, _) in zip((first, second), results) if code == 0]
    with duckdb.connect(str(db), read_only=True) as con:
        uploads = con.execute("SELECT user_name, inserted FROM uploads ORDER BY id").fetchall()
        for path in (first, second):
            indicator = path.read_text().splitlines()[1].split(",")[0]
            stored = con.execute("SELECT count(*) FROM observations WHERE indicator_code = ? AND period LIKE '____-__'",
                                 [indicator]).fetchall()[0][0]
            assert stored == (27 * 24 if path in landed else 0)
    assert len(uploads) == len(landed)


def test_two_sessions_commit_at_once_in_one_process(demo_db):
    """Two dashboard sessions (threads) commit together: different values both land; the same value
    previewed by both lands once and the other is told to check again."""
    db = access.database(demo_db)
    plans = {
        "a": pipeline.check(b"indicator_code,period,value\ntourism_revenue,2025Q4,48.5\n", "a.csv", db),
        "b": pipeline.check(b"indicator_code,period,value\nforest_cover,2025,68.2\n", "b.csv", db),
        "c": pipeline.check(b"indicator_code,period,value\ntourism_revenue,2025Q4,49.5\n", "c.csv", db),
    }
    outcome = {}
    barrier = threading.Barrier(len(plans))

    def commit(name):
        barrier.wait()
        try:
            outcome[name] = pipeline.commit(plans[name], db, name).upload_id
        except pipeline.UploadConflict:
            outcome[name] = "conflict"

    threads = [threading.Thread(target=commit, args=(name,)) for name in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert isinstance(outcome["b"], int)
    assert sorted(str(outcome[n]) for n in ("a", "c")).count("conflict") == 1
    winner = "a" if isinstance(outcome["a"], int) else "c"
    with db.reading() as cursor:
        value = cursor.execute("SELECT value FROM observations WHERE indicator_code = 'tourism_revenue' "
                               "AND period = '2025Q4'").fetchall()[0][0]
        uploads = cursor.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
    assert value == {"a": 48.5, "c": 49.5}[winner]
    assert uploads == 2


def test_cli_while_the_dashboard_holds_the_file(demo_db, tmp_path):
    """The dashboard keeps a read-only connection open; a write from another process cannot get the file."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(demo_db)!r}, read_only=True)\n"
        "con.execute('SELECT count(*) FROM observations').fetchall()\n"
        "print('holding', flush=True)\n"
        "sys.stdin.read()\n")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == b"holding"
        upload = ROOT / "tests/fixtures/uploads/good_wide_title.csv"
        code, out, err = run("ingest", str(upload), "--db", str(demo_db), "--dry-run", "--json")
        assert code == 0 and json.loads(out)["updated"] == 3      # reading beside the dashboard is fine
        started = time.monotonic()
        code, out, err = run("ingest", str(upload), "--db", str(demo_db))
        assert code == 2
        assert "看板" in err and "没有写入任何数据" in err and "Traceback" not in err
        assert time.monotonic() - started < 60
        code, out, err = run("rollback", "1", "--db", str(demo_db), "--lang", "en")
        assert code == 2 and "dashboard" in err
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    code, out, _ = run("uploads", "--db", str(demo_db), "--json")
    assert code == 0 and json.loads(out) == []
