"""Plans as data: the files obey their schemas and refer to what exists; a plan's goals and an indicator's
targets across plans are computed by the same scorecard."""
import pandas as pd
import pandera.errors
import pytest

from twomountains import metadata, scorecard
from twomountains.paths import DATA_DIR
from twomountains.plans import goals, records
from twomountains.plans import demo as plan_demo

LATER = "green_lowcarbon_2025"


def test_plan_files_pass_their_schemas_and_ship_two_plans():
    files = records.load()
    assert list(files.plans.code) == ["base_2019_2022", LATER]
    assert goals.default_plan(files.plans) == "base_2019_2022"
    later = files.plans.set_index("code").loc[LATER]
    # The source does not give the document's title, number or date: the record says so.
    assert later.certainty == "unconfirmed" and pd.isna(later.document_number) and pd.isna(later.issued_on)
    assert "not confirmed" in later.certainty_note_en and "未能确认" in later.certainty_note_zh
    assert later.source_url.startswith("https://news.cqnews.net/")
    assert not later.has_tasks and files.plans.set_index("code").loc["base_2019_2022", "has_tasks"]


def test_the_2025_targets_are_those_of_the_source():
    targets = records.load().targets.set_index("indicator_code")
    expected = {"forest_cover": 68, "air_good_days_ratio": 96, "energy_intensity_index": 86,
                "non_fossil_energy_share": 22.5, "bulk_industrial_solid_waste_reuse_rate": 70,
                "strategic_emerging_industry_share": 13, "high_tech_industry_share": 30}
    assert targets.target_value.to_dict() == expected
    assert set(targets.target_year) == {2025}
    assert targets.loc["energy_intensity_index", "direction"] == -1
    assert "左右" in targets.loc["non_fossil_energy_share", "reading_zh"]


def test_a_target_naming_an_unknown_indicator_or_the_base_plan_is_refused():
    files = records.load()
    broken = pd.concat([files.targets, files.targets.head(1).assign(indicator_code="no_such_thing"),
                        files.targets.head(1).assign(plan_code="base_2019_2022", indicator_code="tourism_revenue")])
    with pytest.raises(records.PlanDataError) as error:
        records.check_references(files.plans, broken, set(metadata.load_table("indicators").code),
                                 metadata.load_table("goal_groups").code)
    assert "no_such_thing" in str(error.value) and "indicators.csv" in str(error.value)


def test_two_default_plans_are_refused():
    plans = records._read(DATA_DIR / "catalog/plans.csv")
    plans["is_default"] = "true"
    with pytest.raises(pandera.errors.SchemaErrors, match="default"):
        records.validate_plans(plans)


def test_new_indicators_have_demo_series_marked_demo_through_the_base_year():
    frame = plan_demo.generate()
    assert set(frame.indicator_code) == set(records.load().indicators.code)
    assert (frame.quality == "demo").all() and (frame.source == "demo").all()
    assert set(frame.period[frame.indicator_code == "energy_intensity_index"]) >= {"2020", "2025"}
    assert float(frame[(frame.indicator_code == "energy_intensity_index") & (frame.period == "2020")].value.iloc[0]) == 100
    on_disk = pd.read_csv(DATA_DIR / "observations/demo_plans.csv", dtype=str, keep_default_na=False)
    assert on_disk.equals(frame.astype(str))


def _catalog():
    catalog = metadata.load_table("indicators")
    extra = records.load().indicators
    return pd.concat([catalog, extra], ignore_index=True)


def test_base_goals_are_the_catalog_rows_with_a_target():
    base = goals.base_goals(_catalog())
    assert list(base.code) == list(metadata.load_table("indicators").code)
    assert base.target_year.dtype == "int64"


def test_forest_cover_targets_in_time_and_one_verdict_per_plan():
    files = records.load()
    catalog = _catalog()
    in_time = goals.targets_in_time("forest_cover", files.plans, catalog, files.targets)
    assert list(in_time.plan_code) == ["base_2019_2022", LATER]
    assert list(in_time.target_value) == [65, 68] and list(in_time.target_year) == [2022, 2025]
    annual = pd.DataFrame({"indicator_code": "forest_cover", "year": [2018, 2020, 2022, 2024],
                           "value": [62.5, 64.5, 65.6, 67.6], "quality": "demo", "source": "demo"})
    statuses = goals.statuses_across_plans("forest_cover", in_time, catalog, annual, 2024)
    assert [(plan, year, goal.status) for plan, year, goal in statuses] == [
        ("base_2019_2022", 2022, "achieved"), (LATER, 2025, "on_track")]
    from twomountains.verdicts import verdict_part
    names = metadata.load_table("statuses").set_index("code")
    unit = metadata.load_table("units").set_index("code").loc["percent"].to_dict()
    line = goals.verdict_line(statuses, lambda goal: verdict_part(goal, names, "en", unit))
    assert line == "2022: 65.6%, achieved · as of 2024: on track for 2025"


def test_an_indicator_without_a_base_target_has_no_base_status():
    catalog = _catalog()
    annual = pd.DataFrame({"indicator_code": "non_fossil_energy_share", "year": [2020, 2024], "value": [18.9, 22.1],
                           "quality": "demo", "source": "demo"})
    assert scorecard.compute(catalog[catalog.code == "non_fossil_energy_share"], annual, 2024) == []
