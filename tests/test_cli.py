"""The command line, run as a user runs it (a subprocess), on a real database file."""
import json
import os
import subprocess
import sys

from twomountains import metadata
from twomountains.paths import ROOT


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "twomountains", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, **(env or {})})


def test_status_json_has_every_goal_with_the_agreed_keys(demo_db):
    result = run("status", "--as-of", "2022", "--json")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert [r["code"] for r in records] != []
    assert {r["code"] for r in records} == set(metadata.load_table("indicators").code)
    for record in records:
        assert {"code", "name_zh", "name_en", "latest_value", "latest_period", "target", "status", "ratio",
                "reason"} <= set(record)
    by_code = {r["code"]: r for r in records}
    assert by_code["tourism_revenue"]["status"] == "missed"
    assert by_code["tourism_revenue"]["latest_period"] == "2022"
    assert "2019" in by_code["tourism_revenue"]["reason"]


def test_status_defaults_to_the_latest_year_and_speaks_english_when_asked(demo_db):
    records = json.loads(run("status", "--json", "--lang", "en").stdout)
    assert {r["as_of"] for r in records} == {2025}
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in r["reason"]) for r in records)


def test_status_table_prints_one_line_per_goal(demo_db):
    result = run("status", "--as-of", "2021")
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "as_of=2021"
    assert len(lines) == 1 + len(metadata.load_table("indicators"))


def test_a_missing_database_is_a_usage_error_with_a_clear_message(tmp_path):
    result = run("status", env={"TWOMOUNTAINS_DB": str(tmp_path / "none.duckdb")})
    assert result.returncode == 2
    assert "build-db" in result.stderr and "Traceback" not in result.stderr


def test_build_db_takes_a_path(tmp_path):
    target = tmp_path / "x.duckdb"
    result = run("build-db", "--db", str(target))
    assert result.returncode == 0 and target.exists()


def test_status_gives_the_published_verdicts_with_their_sources(demo_db):
    """Issue 11's published record: the titles and the forum are achieved, each resting on a published page."""
    records = {r["code"]: r for r in json.loads(run("status", "--as-of", "2025", "--json", "--lang", "en").stdout)}
    sources = metadata.load_table("sources").set_index("code")
    for code, year in (("national_eco_demo_zone", 2021), ("national_sanitary_district", 2021),
                       ("annual_green_forum", 2022)):
        record = records[code]
        assert record["status"] == "achieved", record
        assert record["verdict_quality"] == "published" and record["verdict_year"] == year
        assert record["verdict_source"] in sources.index
        assert record["verdict_source_url"] == sources.loc[record["verdict_source"], "url"].strip()
        assert record["verdict_source_url"].startswith("http")
    assert records["national_eco_demo_zone"]["verdict_source"] == "cnr_forum_2021"
    # Every verdict names the year it is about; context series are marked, never counted as goals.
    points = records["rural_tourism_demo_points"]["verdict_text"]
    assert points == "116 (2025) · 2022: 94, missed · met in 2023"
    assert records["tourist_visits"]["is_goal"] is False and records["forest_cover"]["is_goal"] is True
