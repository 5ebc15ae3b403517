"""build-db, the demo data and the exports, on real DuckDB files."""
import os
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from twomountains import demo, metadata
from twomountains.access import database
from twomountains.database import build_database
from twomountains.observations import EXCHANGE_COLUMNS
from twomountains.paths import DATA_DIR, ROOT


def test_build_loads_every_catalog_row_and_every_observation(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    try:
        from twomountains.plans import records as plan_records  # indicators only later plans track (issue 14)
        expected = len(metadata.load_table("indicators")) + len(plan_records.load().indicators)
        assert con.execute("SELECT count(*) FROM indicators").fetchone()[0] == expected
        files = pd.concat([pd.read_csv(p, dtype=str) for p in (DATA_DIR / "observations").glob("*.csv")])
        keys = files[["indicator_code", "region_code", "period"]].drop_duplicates()
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == len(keys)
        orphans = con.execute("""SELECT count(*) FROM observations o
                                 LEFT JOIN indicators i ON i.code = o.indicator_code
                                 LEFT JOIN regions r ON r.code = o.region_code
                                 WHERE i.code IS NULL OR r.code IS NULL""").fetchone()[0]
        assert orphans == 0
    finally:
        con.close()


def test_published_figures_are_kept_with_their_source_and_everything_else_is_demo(demo_db):
    db = database(demo_db)
    published = pd.read_csv(DATA_DIR / "observations/published.csv", dtype=str)
    rows = db.query("observations_export")
    for figure in published.itertuples():
        match = rows[(rows.indicator_code == figure.indicator_code) & (rows.region_code == figure.region_code)
                     & (rows.period == figure.period)]
        assert len(match) == 1
        assert match.value.iloc[0] == pytest.approx(float(figure.value))
        assert match.quality.iloc[0] == "published" and match.source.iloc[0] == figure.source
    assert set(rows.quality) == {"published", "demo"}
    assert (rows[rows.quality == "demo"].source == "demo").all()


def test_demo_quarters_add_up_to_the_published_annual_tourism_totals(demo_db):
    db = database(demo_db)
    rows = db.query("observations_export")
    quarters = rows[(rows.indicator_code == "tourism_revenue") & rows.period.str.contains("Q")]
    for year, total in ((2019, 170.0), (2021, 197.3), (2023, 217.0)):
        assert quarters[quarters.period.str.startswith(str(year))].value.sum() == pytest.approx(total, abs=0.01)
    annual = db.query("annual_values", region="500156")
    tourism = annual[annual.indicator_code == "tourism_revenue"].set_index("year")
    assert tourism.loc[2021, "quality"] == "published"
    assert tourism.loc[2022, "quality"] == "demo"  # derived from four demo quarters
    assert 2026 not in tourism.index  # 2026 has only three quarters so far


def test_township_series_add_up_and_use_the_old_units_before_the_reform(demo_db):
    rows = database(demo_db).query("observations_export")
    points = rows[rows.indicator_code == "rural_tourism_demo_points"]
    for year in ("2019", "2022"):
        in_year = points[points.period == year]
        district = in_year[in_year.region_code == "500156"].value.iloc[0]
        assert in_year[in_year.region_code != "500156"].value.sum() == district
    forest = rows[rows.indicator_code == "forest_cover"]
    assert "500156110" in set(forest[forest.period == "2019"].region_code)   # 土坎镇 before the reform
    assert "500156110" not in set(forest[forest.period == "2021"].region_code)
    assert "500156004" in set(forest[forest.period == "2021"].region_code)   # 羊角街道 after


def test_demo_data_file_is_what_the_seeded_generator_makes(tmp_path):
    regenerated = demo.write(tmp_path / "demo.csv")
    assert regenerated.read_bytes() == (DATA_DIR / "observations/demo.csv").read_bytes()


def test_a_failed_build_leaves_the_previous_database_untouched(tmp_path, demo_db):
    target = tmp_path / "kept.duckdb"
    build_database(target)
    before = target.read_bytes()
    broken = tmp_path / "data"
    subprocess.run(["cp", "-r", str(DATA_DIR), str(broken)], check=True)
    with open(broken / "observations/published.csv", "a", encoding="utf-8") as handle:
        handle.write("no_such_indicator,500156,2020,1,percent,demo,demo,\n")
    with pytest.raises(ValueError):
        build_database(target, data_dir=broken)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if ".building" in p.name] == []


def test_export_observations_writes_the_exchange_format_excel_opens(demo_db, tmp_path):
    out = tmp_path / "observations.csv"
    run = subprocess.run([sys.executable, "-m", "twomountains", "export", "observations", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ})
    assert run.returncode == 0, run.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(out, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    assert list(frame.columns) == EXCHANGE_COLUMNS
    assert frame.period.str.fullmatch(r"\d{4}(Q[1-4]|-\d{2})?").all()
    assert {"2025", "2025Q3"} <= set(frame.period)


def test_export_catalog_has_the_catalog_columns(demo_db, tmp_path):
    out = tmp_path / "catalog.csv"
    subprocess.run([sys.executable, "-m", "twomountains", "export", "catalog", "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    frame = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert list(frame.columns[:3]) == ["code", "name_zh", "name_en"]
    assert set(frame.columns) == set(metadata.load_table("indicators").columns)


def test_a_write_reports_how_long_opening_the_transaction_and_closing_took(demo_db, tmp_path):
    """bench/ingest.py compares the transaction with the floor's: the parts must be measured, not guessed."""
    import shutil
    import time

    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, copy)
    db = database(copy)
    assert db.last_write is None
    started = time.perf_counter()
    with db.writing() as con:
        con.execute("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    times = db.last_write
    assert times.transaction >= 0.05
    assert times.open > 0 and times.close > 0
    assert times.open + times.transaction + times.close <= elapsed
    db.release()
