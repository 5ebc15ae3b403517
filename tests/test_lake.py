"""The lake mode: DuckLake with its catalog in a real PostgreSQL (tests/postgres.py), behind twomountains.access.

Each test gets a fresh catalog database in one temporary cluster and the demo database moved into it
(conftest.demo_lake). Two `LakeDatabase` objects on one location stand for two replicas: each has its
own DuckDB instance and its own connections to the catalog, as two processes would.
"""
from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from twomountains import access, cli, lake, lake_transfer
from twomountains.ingest import history, pipeline
from twomountains.ingest.validate import Options
from twomountains.paths import ROOT

FOREST = b"indicator_code,region_code,period,value\nforest_cover,500156,2025,71.1\nforest_cover,500156,2024,70.2\n"
AIR = b"indicator_code,region_code,period,value\nair_good_days_ratio,500156,2025,95.5\n"


def replica(location: str) -> access.LakeDatabase:
    """Another process's view of the same lake (a new access object with its own DuckDB)."""
    return access.LakeDatabase(location)


def dump(db) -> dict[str, list]:
    """Every table, every row, sorted (what a comparison of two stores needs)."""
    out = {}
    with db.reading() as cursor:
        catalog = lake.ALIAS if isinstance(db, access.LakeDatabase) else None
        query = ("SELECT table_name FROM duckdb_tables() WHERE database_name = ? ORDER BY 1" if catalog else
                 "SELECT table_name FROM duckdb_tables() ORDER BY 1")
        names = [r[0] for r in cursor.execute(query, [catalog] if catalog else []).fetchall()]
        for name in names:
            out[name] = [tuple(map(str, row)) for row in cursor.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()]
    return out


def upload(db, data: bytes, name: str) -> pipeline.CommitResult:
    plan = pipeline.check(data, name, db, Options())
    assert plan.accepted, [(e.code, e.row, e.column) for e in plan.errors]
    return pipeline.commit(plan, db, "ana")


def test_extensions_load_from_the_wheels_with_no_download(demo_lake):
    for name in lake.EXTENSIONS:
        path = lake.extension_path(name)
        assert "site-packages" in str(path) and path.exists()
    db = access.database(demo_lake)
    with db.reading() as cursor:
        loaded = dict(cursor.execute("SELECT extension_name, loaded FROM duckdb_extensions() "
                                     "WHERE extension_name IN ('ducklake', 'postgres_scanner')").fetchall())
        assert loaded == {"ducklake": True, "postgres_scanner": True}
        assert cursor.execute("SELECT current_setting('autoinstall_known_extensions')").fetchall() == [(False,)]


def test_the_same_queries_give_the_same_answers_on_the_file_and_the_lake(demo_db_template, demo_lake, tmp_path,
                                                                          capsys):
    file_db, lake_db = access.database(demo_db_template), access.database(demo_lake)
    assert dump(lake_db) == dump(file_db)
    for name, params in [("indicator_catalog", {}), ("annual_values", {"region": "500156"}),
                         ("indicator_observations", {"indicator": "forest_cover"}),
                         ("indicator_township_values", {"indicator": "forest_cover"}), ("upload_regions", {}),
                         ("task_list", {}), ("rural_tourism_points", {})]:
        pd.testing.assert_frame_equal(lake_db.query(name, **params), file_db.query(name, **params), check_dtype=False)
    outputs = []
    for where in (str(demo_db_template), demo_lake):
        capsys.readouterr()
        assert cli.main(["status", "--json", "--db", where]) == 0
        outputs.append(json.loads(capsys.readouterr().out))
    assert outputs[0] == outputs[1]


def test_upload_and_rollback_on_the_lake_show_on_another_replica_at_once(demo_lake):
    a, b = access.database(demo_lake), replica(demo_lake)
    before = b.version()
    pinned = b.at(before)
    pinned.query("indicator_catalog")
    result = upload(a, FOREST, "forest.csv")
    assert result.upload_id == 1 and result.plan.counts == {"insert": 0, "update": 2, "unchanged": 0}
    assert b.version() > before                                 # the snapshot moved for every replica
    with pytest.raises(access.DataChanged):                     # a page run pinned before the commit redraws
        pinned.query("indicator_observations", indicator="forest_cover")
    latest = b.at(b.version()).query("annual_values", region="500156")
    assert latest[(latest.indicator_code == "forest_cover") & (latest.year == 2025)].value.tolist() == [71.1]
    revisions = history.revisions(b, 1)
    assert len(revisions) == 2 and set(revisions.action) == {"update"}
    undone = history.rollback(b, 1, "bo")                       # undone through the other replica
    assert undone.restored == 2
    again = a.at(a.version()).query("annual_values", region="500156")
    assert again[(again.indicator_code == "forest_cover") & (again.year == 2025)].value.tolist() == [67.9]
    assert history.uploads(a).id.tolist() == [2, 1]          # newest first


def test_two_replicas_committing_at_once_one_lands_and_the_other_is_told_to_try_again(demo_lake):
    a, b = access.database(demo_lake), replica(demo_lake)
    plan_a = pipeline.check(FOREST, "forest.csv", a, Options())
    plan_b = pipeline.check(AIR, "air.csv", b, Options())
    before = dump(a)
    inside = threading.Barrier(2, timeout=60)
    from twomountains.ingest import store

    real = store.write_observation_upload

    def write_then_wait(con, meta, changes, **room):
        upload_id = real(con, meta, changes, **room)
        inside.wait()                                           # both transactions have written, none committed
        return upload_id

    store.write_observation_upload = write_then_wait
    outcomes = {}
    try:
        def commit(name, db, plan):
            try:
                outcomes[name] = pipeline.commit(plan, db, name).upload_id
            except access.WriteConflict as conflict:
                outcomes[name] = conflict
        threads = [threading.Thread(target=commit, args=args) for args in (("a", a, plan_a), ("b", b, plan_b))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    finally:
        store.write_observation_upload = real
    conflicts = [name for name, outcome in outcomes.items() if isinstance(outcome, access.WriteConflict)]
    assert len(outcomes) == 2 and len(conflicts) == 1, outcomes
    assert isinstance(conflicts and outcomes[conflicts[0]], access.DatabaseBusy)   # pages say "try again"
    [winner] = [name for name in outcomes if name not in conflicts]
    after = dump(a)
    assert len(after["uploads"]) == 1 and after["uploads"][0][2] == winner          # user_name: one upload only
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"uploads", "observations", "observation_revisions", "meta"}
    # The loser's values are not there: all of the winner's and none of the loser's.
    values = a.at(a.version()).query("annual_values", region="500156").set_index(["indicator_code", "year"]).value
    forest, air = values[("forest_cover", 2025)], values[("air_good_days_ratio", 2025)]
    assert (forest, air) in ((71.1, 96.7), (67.9, 95.5)), (forest, air)
    # Trying again works.
    loser = a if conflicts[0] == "a" else b
    retried = upload(loser, FOREST if conflicts[0] == "a" else AIR, "again.csv")
    assert retried.upload_id == 2


def test_many_commits_from_two_replicas_never_lose_or_mix_rows(demo_lake):
    a, b = access.database(demo_lake), replica(demo_lake)
    files = {f"r{i}.csv": f"indicator_code,region_code,period,value\nforest_cover,500156,{2001 + i},{50 + i}.5\n"
             .encode() for i in range(8)}
    landed, refused = [], []
    lock = threading.Lock()

    def worker(db, names):
        for name in names:
            try:
                result = upload(db, files[name], name)
                with lock:
                    landed.append((name, result.upload_id))
            except (access.WriteConflict, pipeline.UploadConflict):
                with lock:
                    refused.append(name)
    names = sorted(files)
    threads = [threading.Thread(target=worker, args=(a, names[0::2])),
               threading.Thread(target=worker, args=(b, names[1::2]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert len(landed) + len(refused) == len(files)
    uploads = history.uploads(a)
    assert sorted(uploads.id) == list(range(1, len(landed) + 1))                # ids unique, no gaps
    assert sorted(uploads.file_name) == sorted(name for name, _ in landed)
    observations = a.query("indicator_observations", indicator="forest_cover")
    years = set(observations[observations.region_code == "500156"].period)
    for name in files:
        year = str(2001 + int(name[1:-4]))
        assert (year in years) == (name in dict(landed)), name                  # landed: there; refused: not
    revisions = sum(len(history.revisions(a, i)) for i in uploads.id)
    assert revisions == len(landed)


def test_move_a_file_into_a_lake_and_back(demo_db_template, pg_cluster, tmp_path):
    file_db = tmp_path / "start.duckdb"
    file_db.write_bytes(demo_db_template.read_bytes())
    upload(access.database(file_db), FOREST, "forest.csv")               # a district with history
    access.database(file_db).release()
    location = pg_cluster.lake_location()
    data = str(tmp_path / "data")
    done = cli_run("lake", "move-in", "--from", str(file_db), "--to", location, "--data", data)
    assert done.returncode == 0, done.stderr
    again = cli_run("lake", "move-in", "--from", str(file_db), "--to", location, "--data", data)
    assert again.returncode == 2 and "uploads" in again.stderr                # a lake with tables is not overwritten
    back = tmp_path / "back.duckdb"
    done = cli_run("lake", "move-out", "--from", location, "--to", str(back), "--data", data)
    assert done.returncode == 0, done.stderr
    assert dump(access.Database(back)) == dump(access.Database(file_db))
    with duckdb.connect(str(back), read_only=True) as con:                    # the keys are back
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY' "
                           "AND table_name = 'observations'").fetchall() == [(1,)]
    refused = cli_run("lake", "move-out", "--from", location, "--to", str(back), "--data", data)
    assert refused.returncode == 2 and str(back) in refused.stderr


def cli_run(*argv):
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "twomountains", *argv], capture_output=True, text=True, cwd=ROOT,
                          timeout=180)


def test_translation_of_the_two_spellings(demo_lake):
    assert "PRIMARY KEY" not in lake.translate("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    merged = lake.translate("INSERT OR REPLACE INTO meta (key, value) SELECT 'a', 'b'")
    assert merged.startswith("MERGE INTO meta") and 'meta."key" = incoming."key"' in merged
    with access.database(demo_lake).writing() as con:
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', '1')")
        con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('probe', '2')")
    assert access.database(demo_lake).query("data_version").shape == (1, 1)
    with access.database(demo_lake).reading() as cursor:
        assert cursor.execute("SELECT value FROM meta WHERE key = 'probe'").fetchall() == [("2",)]


PAGES = [line.split(",")[1] for line in (ROOT / "data" / "pages.csv").read_text(encoding="utf-8").splitlines()[1:]
         if line.strip()]


def test_every_page_runs_on_the_lake(demo_lake):
    """The pages do not know the store: each one, under AppTest, with TWOMOUNTAINS_DB naming the lake."""
    from streamlit.testing.v1 import AppTest
    assert len(PAGES) >= 10
    test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    test.query_params["indicator"] = "forest_cover"
    test.run()
    assert not test.exception, test.exception
    for page in PAGES:
        test.switch_page(str(ROOT / page)).run()
        assert not test.exception, (page, test.exception)
        assert not [e.value for e in test.error], (page, [e.value for e in test.error])
