"""Unit tests of the explore pages' package functions: trajectories, the township reform, tourism
quarters, the ecology themes, the scenic-area data, and the chart builders (without Streamlit)."""
from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from twomountains import demo, environment, metadata, method, tourism, townships, trajectory
from twomountains.access import database
from twomountains.charts import export
from twomountains.charts.ecology import link_chart, small_multiples_chart
from twomountains.charts.goal import goal_charts
from twomountains.charts.tourism import (per_visit_chart, quarter_growth_chart, quarterly_chart,
                                         scenic_per_visit_bars, scenic_trend_chart, seasonality_chart)
from twomountains.charts.township import township_chart
from twomountains.i18n import LANGUAGES, strings
from twomountains.paths import DATA_DIR
from twomountains.progress import Target
from twomountains.scorecard import DISTRICT, compute

LEVEL = Target("level", 1, 65.0, 2018, 2022)
COUNT = Target("count", 1, 100.0, 2018, 2022)
GROWTH = Target("cagr", 1, 20.0, 2019, 2022)


# --- trajectory -----------------------------------------------------------------------------------
def test_level_path_grows_at_a_constant_rate_from_base_to_target():
    path = trajectory.required_path(LEVEL, 62.5)
    assert list(path) == [2018, 2019, 2020, 2021, 2022]
    assert path[2018] == pytest.approx(62.5) and path[2022] == pytest.approx(65.0)
    ratios = [path[y + 1] / path[y] for y in range(2018, 2022)]
    assert max(ratios) == pytest.approx(min(ratios))


def test_count_path_is_a_straight_line():
    path = trajectory.required_path(COUNT, 30)
    assert path == pytest.approx({2018: 30, 2019: 47.5, 2020: 65, 2021: 82.5, 2022: 100})


def test_growth_path_compounds_the_target_rate():
    path = trajectory.required_path(GROWTH, 170.0)
    assert path[2022] == pytest.approx(170 * 1.2 ** 3)


def test_no_path_without_base_or_for_targets_without_one():
    assert trajectory.required_path(LEVEL, None) == {}
    assert trajectory.required_path(LEVEL, 66.0) == {}  # already at the target in the base year
    assert trajectory.required_path(Target("rank", -1, 10, 2018, 2022), 18) == {}
    assert trajectory.required_path(Target("milestone", 1, 1, 2018, 2022), 0) == {}


def test_projection_starts_at_latest_and_reaches_target_year():
    series = {2018: 60.0, 2019: 61.0, 2020: 62.0}
    path = trajectory.projection_path(series, LEVEL, 2020)
    assert list(path) == [2020, 2021, 2022]
    assert path[2020] == 62.0
    rate = (62.0 / 60.0) ** 0.5
    assert path[2022] == pytest.approx(62.0 * rate ** 2)


def test_projection_is_kept_within_bounds_and_absent_once_target_year_is_observed():
    series = {2018: 60.0, 2019: 80.0}
    assert max(trajectory.projection_path(series, LEVEL, 2019, upper=100.0).values()) == 100.0
    assert trajectory.projection_path({2018: 60.0, 2022: 66.0}, LEVEL, 2024) == {}
    assert trajectory.projection_path({2019: 60.0}, LEVEL, 2019) == {}  # no base-year value


def test_growth_measures():
    series = {2019: 100.0, 2020: 80.0, 2021: 120.0}
    assert trajectory.year_on_year(series) == pytest.approx({2020: -0.2, 2021: 0.5})
    assert trajectory.growth_since_base(series, 2019) == pytest.approx({2020: -0.2, 2021: 1.2 ** 0.5 - 1})
    assert trajectory.growth_since_base(series, 2018) == {}


def test_verdict_only_from_the_target_year_on():
    series = {2018: 62.5, 2022: 64.0, 2023: 65.5}
    assert trajectory.verdict(series, LEVEL, 2021) is None
    verdict = trajectory.verdict(series, LEVEL, 2024)
    assert verdict.status == "missed" and verdict.facts["verdict_value"] == 64.0


def test_trajectory_frame_holds_the_three_layers_as_of_a_year():
    annual = pd.DataFrame({"year": [2018, 2019, 2020, 2021], "value": [62.5, 63.0, 63.6, 64.1],
                           "quality": ["demo", "demo", "published", "demo"], "source": ["demo", "demo", "x", "demo"]})
    frame = trajectory.trajectory_frame(annual, LEVEL, 2020)
    assert set(frame.layer) == {"observed", "required", "projection"}
    assert frame[frame.layer == "observed"].year.max() == 2020
    assert frame[frame.layer == "projection"].year.tolist() == [2020, 2021, 2022]


def test_growth_frame_marks_a_rate_demo_when_either_value_is():
    annual = pd.DataFrame({"year": [2018, 2019, 2020], "value": [140.0, 170.0, 135.0],
                           "quality": ["demo", "published", "demo"], "source": ["demo", "p", "demo"]})
    frame = trajectory.growth_frame(annual, 2019, 2020)
    yoy = frame[frame.measure == "year_on_year"].set_index("year").quality
    assert yoy[2019] == "demo" and yoy[2020] == "demo"


@given(st.floats(1, 100), st.floats(1, 100))
def test_required_path_ends_at_the_target(base, target_value):
    target = Target("level", 1 if target_value > base else -1, target_value, 2018, 2022)
    path = trajectory.required_path(target, base)
    if path:
        assert path[2018] == pytest.approx(base) and path[2022] == pytest.approx(target_value)


# --- township reform ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regions():
    return metadata.load_table("regions")


def values(rows):
    return pd.DataFrame(rows, columns=["region_code", "year", "value", "quality", "source"])


def test_merged_units_add_up_when_additive(regions):
    frame = values([("500156106", 2019, 3, "demo", "demo"), ("500156110", 2019, 2, "demo", "demo"),
                    ("500156004", 2020, 6, "demo", "demo")])
    mapped = townships.by_successor(frame, regions, additive=True)
    assert mapped.unit_code.tolist() == ["500156004", "500156004"]
    assert mapped.value.tolist() == [5, 6]
    assert mapped.treatment.tolist() == ["merged", "same"]
    assert mapped.members.iloc[0] == "500156106;500156110"


def test_merged_rates_are_kept_apart(regions):
    frame = values([("500156106", 2019, 60.0, "demo", "demo"), ("500156110", 2019, 70.0, "demo", "demo")])
    mapped = townships.by_successor(frame, regions, additive=False)
    assert mapped.unit_code.tolist() == ["500156106", "500156110"]
    assert set(mapped.successor_code) == {"500156004"} and set(mapped.treatment) == {"apart"}


def test_renamed_unit_is_shown_under_its_successor(regions):
    frame = values([("500156103", 2019, 64.0, "demo", "demo"), ("500156003", 2020, 65.0, "published", "s")])
    mapped = townships.by_successor(frame, regions, additive=False)
    assert mapped.unit_code.tolist() == ["500156003", "500156003"]
    assert mapped.treatment.tolist() == ["renamed", "same"]


def test_labels_and_tables(regions):
    names = regions.set_index("code").name_zh.to_dict()
    templates = {"renamed": "{name}(原{members})", "merged": "{name}(={members})", "apart": "{name}→{successor}",
                 "separator": "、"}
    assert townships.unit_label("500156003", "500156003", "renamed", "500156103", names, templates) \
        == "仙女山街道(原仙女山镇)"
    assert townships.unit_label("500156106", "500156004", "apart", "500156106", names, templates) \
        == "羊角镇→羊角街道"
    frame = values([("500156103", 2019, 64.0, "demo", "demo"), ("500156003", 2020, 65.0, "demo", "demo"),
                    ("500156106", 2019, 60.0, "demo", "demo")])
    table = townships.wide_by_year(townships.by_successor(frame, regions, additive=False), 2020)
    assert table.set_index("unit_code").loc["500156003", "treatment"] == "renamed"
    assert table.set_index("unit_code").loc["500156003", ["2019", "2020"]].tolist() == [64.0, 65.0]
    assert math.isnan(table.set_index("unit_code").loc["500156106", "2020"])


def test_demo_points_add_up_to_the_district_after_mapping(demo_db, regions):
    db = database(demo_db)
    raw = db.query("indicator_township_values", indicator="rural_tourism_demo_points")
    mapped = townships.by_successor(raw, regions, additive=townships.is_additive("count"))
    district = db.query("annual_values", region=DISTRICT)
    points = district[district.indicator_code == "rural_tourism_demo_points"].set_index("year").value
    assert (mapped.groupby("year").value.sum() == points.loc[mapped.year.unique()]).all()
    assert set(mapped.treatment) <= {"same", "renamed", "merged"}


# --- tourism --------------------------------------------------------------------------------------
def test_single_quarters_from_year_to_date_and_back():
    ytd = {1: 30.0, 2: 70.0, 3: 140.0, 4: 180.0}
    single = tourism.single_quarters(ytd)
    assert single == {1: 30.0, 2: 40.0, 3: 70.0, 4: 40.0}
    assert tourism.year_to_date(single) == ytd


def test_a_quarter_after_a_gap_is_not_guessed():
    assert tourism.single_quarters({1: 30.0, 3: 140.0}) == {1: 30.0}
    assert tourism.year_to_date({1: 30.0, 3: 70.0}) == {1: 30.0}


@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=4))
def test_year_to_date_round_trip(values_):
    single = dict(enumerate(values_, start=1))
    assert tourism.single_quarters(tourism.year_to_date(single)) == pytest.approx(single)


def quarter_rows(rows):
    return pd.DataFrame(rows, columns=["indicator_code", "year", "quarter", "value", "quality", "source", "note"])


def test_quarterly_frame_splits_ytd_rows_and_marks_them():
    frame = tourism.quarterly_frame(quarter_rows([
        ("tourism_revenue", 2024, 1, 40.0, "published", "s", "ytd"),
        ("tourism_revenue", 2024, 2, 90.0, "published", "s", "ytd"),
        ("tourism_revenue", 2024, 3, 160.0, "published", "s", "ytd"),
        ("tourism_revenue", 2023, 1, 35.0, "demo", "demo", None),
        ("tourism_revenue", 2023, 2, 45.0, "reported", "r", "from_cumulative"),
    ]))
    y2024 = frame[frame.year == 2024]
    assert y2024.value.tolist() == [40.0, 50.0, 70.0] and y2024.derived.all()
    y2023 = frame[frame.year == 2023].set_index("quarter")
    assert not y2023.derived[1] and y2023.derived[2]


def test_year_on_year_and_seasonality():
    rows = [("tourist_visits", year, q, v, "demo", "demo", None)
            for year, values_ in ((2019, (10, 20, 40, 30)), (2020, (5, 20, 50, 25)))
            for q, v in zip((1, 2, 3, 4), values_)]
    frame = tourism.quarterly_frame(quarter_rows(rows))
    growth = tourism.quarter_year_on_year(frame).set_index(["year", "quarter"]).yoy
    assert growth[(2020, 1)] == pytest.approx(-0.5) and math.isnan(growth[(2019, 1)])
    seasons = tourism.seasonality(frame)
    assert seasons.groupby("year").share.sum().tolist() == pytest.approx([1.0, 1.0])
    assert seasons.set_index(["year", "quarter"]).share[(2019, 3)] == pytest.approx(0.4)
    assert tourism.with_year_to_date(frame).set_index(["year", "quarter"]).ytd[(2020, 3)] == 75


def test_revenue_per_visit():
    assert tourism.revenue_per_visit(170.0, 3600.0) == pytest.approx(472.22, abs=0.01)
    assert tourism.revenue_per_visit(1.0, 0.0) is None


def test_tourism_quarters_of_the_demo_add_up_to_published_years(demo_db):
    db = database(demo_db)
    quarters = tourism.quarterly_frame(db.query("tourism_quarters", region=DISTRICT, revenue=tourism.REVENUE,
                                                visits=tourism.VISITS))
    revenue = quarters[(quarters.indicator_code == tourism.REVENUE) & (quarters.year == 2021)]
    assert revenue.value.sum() == pytest.approx(197.3)


# --- scenic-area data -----------------------------------------------------------------------------
def test_scenic_files_follow_their_schema():
    areas, quarters = tourism.read_scenic()
    tourism.validate_scenic(areas, quarters, set(metadata.load_table("sources").code))
    assert {"xiannvshan", "tiansheng_sanqiao", "furong_cave", "longshuixia", "baimashan"} <= set(areas.code)
    assert set(quarters.quality) == {"demo"} and set(quarters.source) == {"demo"}


def test_scenic_validation_names_the_bad_row():
    areas, quarters = tourism.read_scenic()
    sources = set(metadata.load_table("sources").code)
    broken = quarters.copy()
    broken.loc[3, "source"] = "wulong_press_release_2022"
    with pytest.raises(tourism.ScenicDataError, match="row 5"):
        tourism.validate_scenic(areas, broken, sources)
    broken = quarters.copy()
    broken.loc[0, "period"] = "2019"
    with pytest.raises(tourism.ScenicDataError, match="quarters"):
        tourism.validate_scenic(areas, broken, sources)


def test_committed_scenic_demo_file_equals_the_generated_one():
    generated = demo.generate_scenic()
    committed = pd.read_csv(DATA_DIR / tourism.SCENIC_QUARTERS_FILE, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(generated.reset_index(drop=True), committed)


def test_scenic_queries_aggregate_with_duckdb(demo_db):
    areas, quarters = tourism.scenic_paths()
    years = database(demo_db).query("scenic_area_years", areas=str(areas), quarters=str(quarters))
    raw = pd.read_csv(quarters)
    raw["year"] = raw.period.str[:4].astype(int)
    expected = raw[(raw.area_code == "xiannvshan") & (raw.measure == "visits") & (raw.year == 2019)].value.sum()
    row = years[(years.area_code == "xiannvshan") & (years.year == 2019)].iloc[0]
    assert row.visits == pytest.approx(expected)
    assert row.yuan_per_visit == pytest.approx(row.revenue * 1e4 / row.visits)
    assert 2026 not in set(years.year)  # only three quarters of 2026


# --- ecology --------------------------------------------------------------------------------------
def test_every_theme_code_is_in_the_catalog():
    themes = environment.load_themes()
    catalog = metadata.load_table("indicators").set_index("code")
    assert set(themes.indicator_code) <= set(catalog.index)
    assert set(themes.theme) == set(environment.THEMES)
    assert not themes.indicator_code.duplicated().any()
    for key in environment.THEMES:
        for lang in LANGUAGES:
            assert f"ecology.theme.{key}" in strings(lang)


@pytest.fixture(scope="module")
def demo_tables(demo_db_template):
    db = database(demo_db_template)
    catalog = db.query("indicator_catalog")
    annual = db.query("annual_values", region=DISTRICT)
    return catalog, annual


def test_small_multiples_and_link_frames(demo_tables):
    catalog, annual = demo_tables
    statuses = {g.code: g.status for g in compute(catalog, annual, 2022)}
    frame = environment.small_multiples_frame(annual, catalog.set_index("code"), environment.load_themes(),
                                              statuses, 2022)
    assert frame.year.max() == 2022
    assert "national_forest_city" not in set(frame.code)  # milestones are listed, not charted
    assert frame[frame.code == "forest_cover"].target.iloc[0] == 65
    link = environment.link_frame(annual, "tourism_revenue", 2022)
    assert link.year.tolist() == sorted(link.year) and set(link.columns) >= {"ecology", "prosperity"}
    assert environment.indexed(link, "prosperity", 2019)[link.year == 2019].iloc[0] == pytest.approx(100)


# --- method ---------------------------------------------------------------------------------------
def test_method_rows_name_the_numbers_behind_a_status(demo_tables):
    catalog, annual = demo_tables
    goals = {g.code: g for g in compute(catalog, annual, 2019)}
    unit = catalog.set_index("code").loc["forest_cover"].to_dict()
    rows = dict(method.fact_rows(goals["forest_cover"].facts, goals["forest_cover"].ratio, unit, "en"))
    assert rows["Value in the base year (2018)"] == "62.5%"
    assert "Ratio of observed to needed" in rows
    assert "0.95" in method.rule_text("level", 2018, 2022, "zh")


# --- chart builders -------------------------------------------------------------------------------
def spec_text(chart) -> str:
    return chart.to_json()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_goal_charts_for_every_indicator(demo_tables, lang):
    """Every catalog goal gets a valid chart in each language, with no text of the other language."""
    catalog, annual = demo_tables
    goals = {g.code: g for g in compute(catalog, annual, 2024)}
    for indicator in catalog.to_dict("records"):
        series = annual[annual.indicator_code == indicator["code"]]
        if series.empty or indicator["code"] not in goals:   # not a goal of the base plan (a later plan's, issue 14)
            continue
        charts = goal_charts(indicator, series, goals[indicator["code"]].status, 2024, "Wulong", lang)
        assert 1 <= len(charts) <= 2
        text = spec_text(charts[0])
        assert ("实际值" in text) == (lang == "zh")
        assert ("Observed" in text) == (lang == "en")
        if indicator["target_type"] in ("level", "count", "cagr", "rank", "milestone"):
            assert ("2022年结论" in text) if lang == "zh" else ("2022 verdict" in text)


def test_growth_target_has_required_path_and_growth_chart(demo_tables):
    catalog, annual = demo_tables
    indicator = catalog.set_index("code").loc["tourism_revenue"].to_dict() | {"code": "tourism_revenue"}
    series = annual[annual.indicator_code == "tourism_revenue"]
    charts = goal_charts(indicator, series, "missed", 2021, "武隆区", "zh")
    assert len(charts) == 2
    assert "达标所需路径" in spec_text(charts[0]) and "按现有趋势推算" in spec_text(charts[0])
    assert "疫情年份" in spec_text(charts[0])
    assert "年均增长 ≥ 20%" in spec_text(charts[1])


def test_page_charts_build(demo_db, demo_tables, regions):
    catalog, annual = demo_tables
    db = database(demo_db)
    quarters = tourism.quarter_year_on_year(tourism.with_year_to_date(tourism.quarterly_frame(
        db.query("tourism_quarters", region=DISTRICT, revenue=tourism.REVENUE, visits=tourism.VISITS))))
    revenue = quarters[quarters.indicator_code == tourism.REVENUE]
    areas, files = tourism.scenic_paths()
    scenic = db.query("scenic_area_years", areas=str(areas), quarters=str(files))
    scenic = scenic.assign(area=scenic.name_en, source_label="demo")
    raw = db.query("indicator_township_values", indicator="forest_cover")
    mapped = townships.by_successor(raw, regions, additive=False)
    bars = mapped[mapped.year == 2019].assign(label=lambda f: f.unit_code, source_label="demo")
    statuses = {g.code: g.status for g in compute(catalog, annual, 2024)}
    small = environment.small_multiples_frame(annual, catalog.set_index("code"), environment.load_themes(),
                                              statuses, 2024)
    names = catalog.set_index("code").name_en.to_dict()
    charts = [
        quarterly_chart(revenue, "Revenue", "CNY 100 million", 2, "single", "en"),
        quarterly_chart(revenue.assign(value=revenue.ytd).dropna(subset=["value"]), "Revenue", "", 2, "ytd", "en"),
        quarter_growth_chart(revenue, "Revenue", "en"),
        seasonality_chart(tourism.seasonality(revenue), "Revenue", "en"),
        per_visit_chart(tourism.per_visit_frame(annual), "en"),
        scenic_trend_chart(scenic, "visits", "10k visits", 1, "en"),
        scenic_per_visit_bars(scenic[scenic.year == 2025], 2025, "en"),
        township_chart(bars, "Forest coverage", "%", 1, 2019, 65.0, "≥ 65.0%", "en"),
        small_multiples_chart(small, names, {}, "en"),
        link_chart(environment.link_frame(annual, "tourism_revenue", 2024), "Forest", "%", "Revenue", "CNY",
                   65.0, "en"),
    ]
    for chart in charts:
        assert chart.to_dict()
    assert "Pandemic years" in spec_text(charts[0])
    assert len(bars) == 27  # 23 unchanged units, 2 renamed ones under their successors, 2 kept apart


def test_charts_export_offline_as_png_and_svg(demo_tables):
    catalog, annual = demo_tables
    indicator = catalog.set_index("code").loc["forest_cover"].to_dict() | {"code": "forest_cover"}
    series = annual[annual.indicator_code == "forest_cover"]
    chart = goal_charts(indicator, series, "achieved", 2024, "武隆区", "zh")[0]
    png = export.png_bytes(chart)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    svg = export.svg_bytes(chart).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "http://" not in svg.replace("http://www.w3.org", "")
