"""Plans on the command line: with no plan named every output is byte for byte what it was; --plan judges
a later plan's goals by the same methodology."""
import json

import pytest

from tests.test_cli import run
from twomountains.paths import ROOT

GOLDEN = ROOT / "tests/fixtures/plans"
LATER = "green_lowcarbon_2025"


@pytest.mark.parametrize("name, args", [
    ("status_2022.json", ["--as-of", "2022", "--json"]), ("status_2025.json", ["--as-of", "2025", "--json"]),
    ("status_2022.txt", ["--as-of", "2022"]), ("status_2025.txt", ["--as-of", "2025"]),
    ("status_2022_en.txt", ["--as-of", "2022", "--lang", "en"]),
    ("status_2025_en.txt", ["--as-of", "2025", "--lang", "en"]),
])
def test_status_without_a_plan_is_byte_for_byte_what_it_was(demo_db, name, args):
    result = run("status", *args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.encode() == (GOLDEN / name).read_bytes()
    named = run("status", "--plan", "base_2019_2022", *args)
    assert named.stdout == result.stdout


def test_status_of_the_2025_plan_lists_its_goals_with_statuses(demo_db):
    result = run("status", "--plan", LATER, "--as-of", "2025", "--json", "--lang", "en")
    assert result.returncode == 0, result.stderr
    records = {r["code"]: r for r in json.loads(result.stdout)}
    assert set(records) == {"forest_cover", "air_good_days_ratio", "energy_intensity_index", "non_fossil_energy_share",
                            "bulk_industrial_solid_waste_reuse_rate", "strategic_emerging_industry_share",
                            "high_tech_industry_share"}
    assert records["forest_cover"]["target"] == 68 and records["air_good_days_ratio"]["target"] == 96
    assert records["energy_intensity_index"]["target"] == 86
    # As of the target year: verdicts by the target year's own value (demo 2025 forest cover 67.9 < 68).
    assert records["forest_cover"]["status"] == "missed"
    assert records["air_good_days_ratio"]["status"] == "achieved"
    assert {r["as_of"] for r in records.values()} == {2025}


def test_before_its_target_year_a_later_plan_shows_trajectories(demo_db):
    records = {r["code"]: r for r in json.loads(run("status", "--plan", LATER, "--as-of", "2024", "--json").stdout)}
    # Forest cover: 64.5 % published for 2020, 67.6 % for 2024; 68 % needed by 2025: pace ratio above 1.
    assert records["forest_cover"]["status"] == "on_track" and records["forest_cover"]["ratio"] > 1
    assert records["energy_intensity_index"]["status"] == "moderate"  # lower is better, index 89.5 vs 86 needed
    assert all(r["status"] not in ("missed",) for r in records.values())


def test_an_unknown_plan_is_a_usage_error_naming_the_plans(demo_db):
    result = run("status", "--plan", "nope", "--lang", "en")
    assert result.returncode == 2
    assert "nope" in result.stderr and LATER in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_and_summary_of_the_2025_plan(demo_db, tmp_path, lang):
    from pptx import Presentation
    deck = tmp_path / "plan.pptx"
    result = run("deck", "--plan", LATER, "--as-of", "2024", "--lang", lang, "--out", str(deck))
    assert result.returncode == 0, result.stderr
    texts = [shape.text_frame.text for slide in Presentation(str(deck)).slides for shape in slide.shapes
             if shape.has_text_frame]
    name = "2025 targets" if lang == "en" else "2025年目标"
    assert any(name in text for text in texts)
    assert any(("Non-fossil" if lang == "en" else "非化石能源") in text for text in texts)
    assert not any(("Tourism" if lang == "en" else "旅游综合收入") in text for text in texts)  # base plan's slides
    pdf = tmp_path / "plan.pdf"
    result = run("summary", "--plan", LATER, "--as-of", "2024", "--lang", lang, "--out", str(pdf))
    assert result.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")
    assert run("deck", "--plan", "nope", "--out", str(deck)).returncode == 2


def test_plan_template_and_ingest_from_the_command_line(demo_db, tmp_path, monkeypatch):
    template = tmp_path / "plan.xlsx"
    assert run("plan-template", "--out", str(template), "--lang", "en").returncode == 0
    dry = run("plan-ingest", str(template), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["counts"] == {"insert": 0, "update": 0, "unchanged": 8, "delete": 0}
    bad = tmp_path / "bad.csv"
    bad.write_text("field,value\nplan_code,x_2030\n\nindicator_code,target_type,target_value,direction,base_year,"
                   "target_year\nno_such,level,1,1,2020,2030\n", encoding="utf-8")
    rejected = run("plan-ingest", str(bad), "--json", "--lang", "en")
    assert rejected.returncode == 1
    messages = [p["message"] for p in json.loads(rejected.stdout)["problems"]]
    assert any("required field" in m for m in messages)
    # Once accounts exist, only an admin may load a plan.
    from twomountains.ingest import accounts
    users = tmp_path / "users.json"
    accounts.add_user("ana", "pw-ana-123456", "analyst", users, rounds=4)
    refused = run("plan-ingest", str(template), "--user", "ana", "--lang", "en",
                  env={accounts.USERS_ENV_VAR: str(users), "TWOMOUNTAINS_PASSWORD": "pw-ana-123456"})
    assert refused.returncode == 2 and "admin" in refused.stderr
