"""The indicator detail, tourism and ecology pages under AppTest, on a copy of the demo database."""
from __future__ import annotations

import json

import pyarrow as pa
import pytest

from twomountains.metadata import load_table

CODES = load_table("indicators").code.tolist()


def charts(test):
    return test.get("vega_lite_chart")


def spec(chart) -> str:
    """A chart's Vega-Lite spec and the data sent with it, as readable text (the proto holds JSON with
    escaped non-ASCII, and the data as Arrow tables)."""
    parts = [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)]
    for dataset in chart.proto.datasets:
        table = pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()
        parts.append(table.to_json(force_ascii=False))
    return "\n".join(parts)


def text_of(test) -> str:
    parts = [m.value for m in test.markdown] + [c.value for c in test.caption] + [s.value for s in test.subheader]
    parts += [t.value for t in test.title] + [i.value for i in test.info] + [w.value for w in test.warning]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("code", CODES)
def test_every_indicator_opens_its_detail_page(app, code):
    test = app("pages/indicator.py", indicator=code, lang="zh")
    assert test.selectbox(key="indicator.code").value == code
    assert not [w for w in test.warning if "没有代码" in str(w.value)]
    # a chart, or for a goal without any value (a title not awarded) the notice that there is no series
    assert len(charts(test)) >= 1 or any("暂无数据" in str(i.value) for i in test.info)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_shared_link_restores_the_view(app, lang):
    test = app("pages/indicator.py", indicator="forest_cover", lang=lang, as_of="2020", region="500156003")
    assert test.selectbox(key="indicator.code").value == "forest_cover"
    assert test.selectbox(key="indicator.as_of").value == 2020
    assert test.selectbox(key="indicator.region").value == "500156003"
    assert test.query_params["region"] == ["500156003"] or test.query_params["region"] == "500156003"
    body = text_of(test)
    assert ("仙女山街道" in body) if lang == "zh" else ("Xiannüshan Subdistrict" in body)
    first = spec(charts(test)[0])
    assert ("仙女山街道" in first) if lang == "zh" else ("Xiannüshan Subdistrict" in first)
    if lang == "en":  # the plan's target is the district's: no path or verdict drawn for a township
        assert "Path needed to reach the target" not in first and "verdict" not in first


def test_detail_page_shows_township_breakdown_with_the_reform(app):
    test = app("pages/indicator.py", indicator="forest_cover", lang="en", as_of="2019")
    assert len(charts(test)) == 3  # trajectory, every plan's target line (two plans set one, issue 14), townships
    assert "Forest coverage by township, 2019" in spec(charts(test)[2])
    tables = [d.value for d in test.dataframe]
    labels = set(next(t for t in tables if "Township" in t.columns)["Township"])
    assert "Xiannüshan Subdistrict (before 2020: Xiannüshan Town)" in labels
    assert "Yangjiao Town (merged into Yangjiao Subdistrict in 2020; shown apart)" in labels


def test_detail_page_of_a_count_adds_up_old_units(app):
    test = app("pages/indicator.py", indicator="rural_tourism_demo_points", lang="zh", as_of="2019")
    tables = [d.value for d in test.dataframe]
    table = next(t for t in tables if "乡镇(街道)" in t.columns).set_index("乡镇(街道)")
    assert table.loc["羊角街道(2020年前为羊角镇、土坎镇之和)", "2019"] >= 0
    assert "羊角镇(2020年并入羊角街道,单列)" not in table.index


def test_growth_target_detail_has_growth_chart_and_verdict(app):
    test = app("pages/indicator.py", indicator="tourism_revenue", lang="en", as_of="2024")
    specs = [spec(c) for c in charts(test)]
    assert len(specs) == 2
    assert "2022 verdict: Missed" in specs[0] and "Path needed to reach the target" in specs[0]
    assert "Average annual growth since 2019" in specs[1]
    labels = [b.label for b in test.get("download_button")]
    assert {"Download image (PNG)", "Download vector image (SVG)", "Download data (CSV)",
            "Download data (Excel)"} <= set(labels)


def test_projection_before_the_target_year(app):
    test = app("pages/indicator.py", indicator="forest_cover", lang="zh", as_of="2019")
    first = spec(charts(test)[0])
    assert "按现有趋势推算" in first and "2022年结论" not in first


def test_unknown_indicator_is_reported(app):
    test = app("pages/indicator.py", indicator="no_such_goal", lang="en")
    assert any("no_such_goal" in str(w.value) for w in test.warning)


def test_method_explains_the_numbers(app):
    test = app("pages/indicator.py", indicator="forest_cover", lang="en", as_of="2019")
    tables = [t.value for t in test.table]
    assert tables and "Value in the base year (2018)" in tables[0].iloc[:, 0].tolist()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tourism_page(app, lang):
    test = app("pages/tourism.py", lang=lang, as_of="2025")
    assert len(charts(test)) >= 12
    specs = " ".join(spec(c) for c in charts(test))
    assert ("疫情年份" in specs) if lang == "zh" else ("Pandemic years" in specs)
    assert ("仙女山" in specs) if lang == "zh" else ("Xiannüshan" in specs)
    if lang == "en":
        assert "疫情" not in specs and "仙女山" not in specs
    body = text_of(test)
    assert ("单季值" in body) if lang == "zh" else ("single quarters" in body)
    assert any(("演示数据" if lang == "zh" else "demonstration data") in str(w.value) for w in test.warning)


def test_tourism_year_to_date_view(app):
    test = app("pages/tourism.py", lang="zh", as_of="2025")
    test.session_state["tourism.basis"] = "ytd"
    test.run()
    assert not test.exception
    assert any("年初至季末累计值" in spec(c) for c in charts(test))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ecology_page(app, lang):
    test = app("pages/ecology.py", lang=lang, as_of="2022")
    assert len(charts(test)) >= 5
    specs = " ".join(spec(c) for c in charts(test))
    assert ("森林覆盖率" in specs) if lang == "zh" else ("Forest coverage" in specs)
    if lang == "en":
        assert "森林" not in specs
    link = spec(charts(test)[-1])
    assert ("旅游综合收入" in link) if lang == "zh" else ("Total tourism revenue" in link)


def test_ecology_link_switches_prosperity_series(app):
    test = app("pages/ecology.py", lang="en", as_of="2024")
    test.session_state["ecology.link_prosperity"] = "eco_industry_output"
    test.run()
    assert not test.exception
    assert "Gross output of eco-industry" in spec(charts(test)[-1])


def test_ecology_glance_counts_goals_not_context_series(app):
    """Issue 11: heavy-pollution days (context, no target) are charted but not counted among the goals."""
    from twomountains import metadata, scorecard
    from twomountains.access import database
    from twomountains.environment import CHARTED_TYPES, load_themes
    from twomountains.paths import db_path
    test = app("pages/ecology.py", lang="en", as_of="2022")
    counted = sum(int(m.value) for m in test.metric[:4])
    db = database(db_path())
    annual = db.query("annual_values", region=scorecard.DISTRICT)
    goals = {g.code: g for g in scorecard.compute(db.query("indicator_catalog"), annual, 2022)}
    themed = {c for c in set(load_themes().indicator_code) & set(annual[annual.year <= 2022].indicator_code)
              if goals[c].target_type in CHARTED_TYPES}
    assert "heavy_pollution_days_ratio" in themed and not goals["heavy_pollution_days_ratio"].is_goal
    buckets = ("achieved", "on_track", "moderate", "limited", "deteriorating", "missed")
    assert counted == sum(goals[c].is_goal and goals[c].status in buckets for c in themed)
