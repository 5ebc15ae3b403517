"""The verdict wording every view shows (twomountains.verdicts) and the headline counts, without Streamlit."""
import pandas as pd
import pytest

from twomountains import metadata, scorecard
from twomountains.explain import lead_units_text
from twomountains.verdicts import verdict_text


@pytest.fixture(scope="module")
def catalog() -> pd.DataFrame:
    units = metadata.load_table("units").rename(columns={"code": "unit"})
    return metadata.load_table("indicators").merge(units, on="unit", how="left")


def goal(catalog, code, series: dict, as_of: int, quality="demo"):
    annual = pd.DataFrame([{"indicator_code": code, "year": y, "value": float(v), "quality": quality,
                            "source": "demo", "note": None} for y, v in series.items()],
                          columns=["indicator_code", "year", "value", "quality", "source", "note"])
    rows = catalog[catalog.code == code]
    return scorecard.compute(rows, annual, as_of)[0], rows.iloc[0].to_dict()


STATUSES = metadata.load_table("statuses").set_index("code")


def words(catalog, code, series, as_of, lang="en", **kw):
    status, unit = goal(catalog, code, series, as_of)
    return verdict_text(status, unit, STATUSES, lang, **kw)


def test_the_verdict_names_the_year_it_is_about(catalog):
    points = {2018: 30, 2022: 94, 2023: 103, 2025: 116}
    wording = words(catalog, "rural_tourism_demo_points", points, 2025)
    assert wording.full == "116 (2025) · 2022: 94, missed · met in 2023"
    assert words(catalog, "rural_tourism_demo_points", points, 2025, "zh").full == \
        "116个(2025年) · 2022年:94个,未达成 · 2023年达到"
    assert words(catalog, "rural_tourism_demo_points", points, 2025, with_value=False).verdict == \
        "2022: missed · met in 2023"


def test_before_the_target_year_the_status_says_when_and_for_which_year(catalog):
    wording = words(catalog, "forest_cover", {2018: 62.5, 2020: 64.5}, 2021)
    assert wording.full == "64.5% (2020) · as of 2021: on track for 2022"


def test_milestones_say_by_when_they_were_done(catalog):
    assert words(catalog, "national_sanitary_district", {2021: 1}, 2025).full == "done by 2021 · 2022: done, achieved"
    late = words(catalog, "territorial_spatial_plan", {2019: 0, 2023: 1}, 2025).full
    assert late == "done by 2023 · 2022: not done, missed · met in 2023"
    assert words(catalog, "greenway_completed", {}, 2025).full == "— · 2022: no value, no verdict"


def test_context_series_have_a_trend_never_a_verdict(catalog):
    wording = words(catalog, "tourist_visits", {2019: 3600, 2021: 4070, 2023: 4494}, 2025)
    assert wording.verdict == "context, no target · trend since 2019: on track"
    assert "2022" not in wording.full


def test_the_headline_counts_only_goals_with_a_target():
    goals = [scorecard.GoalStatus(code=c, latest_value=None, latest_period=None, latest_quality=None,
                                  latest_source=None, target=None, target_type=kind, status=status, ratio=None,
                                  reason="reason.no_observations", facts={}, met_in=None)
             for c, kind, status in (("a", "level", "achieved"), ("b", "count", "missed"), ("c", "rank", "limited"),
                                     ("d", "milestone", "no_data"), ("e", "context", "on_track"),
                                     ("f", "context", "deteriorating"))]
    counts = scorecard.headline(goals)
    assert counts.goals == 4 and counts.context == 2
    assert counts.counts == {"achieved": 1, "on_track": 0, "lagging": 1, "missed": 1, "other": 1}
    assert sum(counts.counts.values()) == counts.goals


def test_lead_units_only_where_the_plan_names_them():
    departments = metadata.load_table("departments").set_index("code")
    assert lead_units_text("ecoenv", departments, "zh") == "区生态环境局"
    assert lead_units_text(None, departments, "en").startswith("The plan names no lead unit")
    assert lead_units_text(float("nan"), departments, "zh", short=True) == "规划未指定"
