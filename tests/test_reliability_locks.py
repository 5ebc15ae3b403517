"""Locks between the running dashboard and the command line, with the real server.

tests/test_upload_concurrency.py checks the command line against a stand-in for the dashboard (a
process holding a read-only connection). Here the dashboard is `streamlit run app.py` with a viewer:
- while it runs, `ingest` says what to do and writes nothing, `--dry-run` works beside it, and the
  viewer goes on browsing without an error; once the dashboard stops, the same command works;
- a dashboard started while a command-line import is writing waits for it: the first viewer gets the
  page, with the import's data, not an error, and nothing hangs.
"""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time

import duckdb

from tests.browser.conftest import running_server
from tests.reliability_session import Session, as_json
from tests.test_upload_concurrency import cli, monthly_file, until_write_lock
from twomountains.paths import ROOT

UPLOAD = "indicator_code,region_code,period,value\nforest_cover,500156,2025,71.1\n"


def ingest(*argv, timeout=90) -> tuple[int, str, str, float]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", *argv], check=False, cwd=ROOT,
                          capture_output=True, timeout=timeout)
    return done.returncode, done.stdout.decode(), done.stderr.decode(), time.monotonic() - started


def latest(render) -> str:
    return render.metric_starting("最新值", "Latest")  # the label names the period: 最新值(2025年)


def test_command_line_beside_the_running_dashboard(demo_db_template, tmp_path):
    db = tmp_path / "locks.duckdb"
    shutil.copy(demo_db_template, db)
    upload = tmp_path / "forest.csv"
    upload.write_text(UPLOAD)
    with running_server(db) as base, Session(base) as viewer:
        page = viewer.run("indicator", "indicator=forest_cover")
        assert not page.exceptions and latest(page) == "67.9%", as_json(page)

        code, out, _, _ = ingest(str(upload), "--db", str(db), "--dry-run", "--json")
        assert code == 0 and json.loads(out)["updated"] == 1          # checking beside the dashboard works
        code, out, err, seconds = ingest(str(upload), "--db", str(db))
        assert code == 2, (out, err)
        assert "看板" in err and "数据上传" in err and "没有写入任何数据" in err and "Traceback" not in err
        assert seconds < 60

        for _ in range(3):                                           # the dashboard goes on as before
            page = viewer.run("indicator", "indicator=forest_cover")
            assert not page.exceptions and not page.errors and latest(page) == "67.9%", as_json(page)
    # What the message says works: with the dashboard stopped, the same command loads the file.
    code, out, err, _ = ingest(str(upload), "--db", str(db))
    assert code == 0, err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM uploads").fetchall() == [(1,)]


def test_dashboard_started_while_the_command_line_writes(demo_db_template, tmp_path):
    db = tmp_path / "starting.duckdb"
    shutil.copy(demo_db_template, db)
    big = tmp_path / "monthly.csv"
    rows = monthly_file(big, ["forest_cover", "air_good_days_ratio"], range(2016, 2026), seed=5)
    with duckdb.connect(str(db), read_only=True) as con:
        observations_before = con.execute("SELECT count(*) FROM observations WHERE indicator_code = "
                                          "'forest_cover'").fetchall()[0][0]
    with running_server(db) as base:          # nobody has visited yet: the server has not opened the file
        writer = cli("ingest", str(big), "--db", str(db), "--json")
        try:
            assert until_write_lock(writer, db) is not None, "the import ended before it wrote"
            started = time.monotonic()
            with Session(base, timeout=60) as viewer:
                page = viewer.run("indicator", "indicator=forest_cover")
            waited = time.monotonic() - started
            out, err = writer.communicate(timeout=60)
        finally:
            if writer.poll() is None:
                writer.send_signal(signal.SIGKILL)
                writer.wait()
        assert writer.returncode == 0, err
        assert json.loads(out)["inserted"] == rows
        assert not page.exceptions and not page.errors, as_json(page)
        assert latest(page) == "67.9%"                      # the import's monthly values leave 2025 as it was
        # The first viewer's table of observations has the import's monthly values: all of them.
        [table_rows] = [n for n, f in zip(page.row_counts(), page.dataframes()) if "period" in f.columns]
        assert table_rows == observations_before + rows // 2, table_rows
        with Session(base) as later:                        # and the dashboard reads the file from then on
            again = later.run("indicator", "indicator=forest_cover")
        assert not again.exceptions and latest(again) == "67.9%"
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations WHERE period LIKE '____-__'").fetchall() == [(rows,)]
    print(f"\nthe first viewer waited {waited:.2f}s for the import to finish")


def test_on_the_lake_the_command_line_writes_beside_the_running_dashboard(demo_db_template, pg_cluster, tmp_path,
                                                                          monkeypatch):
    """With the lake (DuckLake, PostgreSQL catalog) there is no file lock: the import the file refuses
    above works while the dashboard runs, and the viewer's next page run shows it."""
    from twomountains import lake, lake_transfer
    location, data = pg_cluster.lake_location(), tmp_path / "lake-data"
    lake_transfer.file_to_lake(demo_db_template, location, str(data))
    monkeypatch.setenv(lake.DATA_ENV_VAR, str(data))
    upload = tmp_path / "forest.csv"
    upload.write_text(UPLOAD)
    with running_server(location, log_dir=tmp_path) as base, Session(base) as viewer:
        page = viewer.run("indicator", "indicator=forest_cover")
        assert not page.exceptions and latest(page) == "67.9%", as_json(page)
        code, out, err, _ = ingest(str(upload), "--db", location)
        assert code == 0, (out, err)
        page = viewer.run("indicator", "indicator=forest_cover")
        assert not page.exceptions and not page.errors and latest(page) == "71.1%", as_json(page)
