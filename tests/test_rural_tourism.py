"""Rural-tourism points and routes: schema, honest placement, and agreement with the demo indicators."""
import itertools
import json

import pandas as pd
import pandera.errors
import pytest

from twomountains import access, demo_points, geo, metadata, rural_tourism
from twomountains.charts.rural_map import TYPE_COLORS, map_chart, map_points_table, progress_chart
from twomountains.i18n import strings
from twomountains.paths import DATA_DIR


@pytest.fixture(scope="module")
def data():
    points, routes = rural_tourism.load()
    return points, routes


def test_files_pass_their_schemas_and_refer_to_known_things(data):
    points, routes = data
    assert list(points.columns) == ["id", "name_zh", "name_en", "township_code", "lat", "lon", "coord_quality",
                                    "type", "year_designated", "route", "source", "quality"]
    found = rural_tourism.problems(points, routes, metadata.load_table("regions"), metadata.load_table("sources"),
                                   geo.outline())
    assert not found, found[:5]


def test_schema_rejects_a_demo_point_with_a_published_coordinate(data):
    points, _ = data
    broken = points.astype(str).replace("<NA>", None).copy()
    broken.loc[0, "coord_quality"] = "published"
    broken.loc[1, "type"] = "castle"
    with pytest.raises(pandera.errors.SchemaErrors) as error:
        metadata.RURAL_TOURISM_POINTS.validate(broken, lazy=True)
    assert "approximate" in str(error.value) and "type" in str(error.value)


def test_demo_points_are_marked_demo_and_approximate(data):
    points, routes = data
    assert set(points.quality) == {"demo"} and set(points.source) == {"demo"}
    assert set(points.coord_quality) == {"approximate"}
    assert set(routes.quality) == {"demo"}
    assert points.name_zh.str.contains("演示").all()
    assert points.name_en.str.contains("demo").all()
    assert not points.name_en.str.contains(r"[\u4e00-\u9fff]").any()
    assert not routes.name_en.str.contains(r"[\u4e00-\u9fff]").any()


def test_every_point_is_inside_the_outline_and_clear_of_its_edge(data):
    points, _ = data
    outline = geo.outline()
    for row in points.itertuples():
        assert geo.contains(outline, row.lat, row.lon), row.id
        assert geo.distance_to_edge_km(outline, row.lat, row.lon) >= demo_points.EDGE_MARGIN_KM - 0.05, row.id


def test_no_two_points_sit_on_top_of_each_other_or_of_a_landmark(data):
    points, _ = data
    places = list(zip(points.lat, points.lon)) + list(zip(*[metadata.load_table("map_landmarks")[c]
                                                             for c in ("lat", "lon")]))
    closest = min(geo.distance_km(*a, *b) for a, b in itertools.combinations(places, 2))
    assert closest >= demo_points.MIN_SEPARATION_KM - 0.05


def test_points_lie_nearer_their_own_township_than_any_other(data):
    points, _ = data
    outline = geo.outline()
    anchors = demo_points.township_anchors(metadata.load_table("regions"), outline)
    for row in points.itertuples():
        nearest = min(anchors, key=lambda code: geo.distance_km(row.lat, row.lon, *anchors[code]))
        assert nearest == row.township_code, row.id


def _from_database(db) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The points and routes as the map reads them: from the database (a points upload replaces them there)."""
    with access.database(db).reading() as cursor:
        return rural_tourism.read(cursor)


def test_points_agree_with_the_demo_indicator_by_township_and_year(demo_db):
    """The map and the indicator must tell the same story: same count per township at the end of each year.

    For the demo data they agree exactly; an analyst's points upload that breaks the agreement is warned
    about, not refused (tests/test_upload_corpus.py, points_disagree_indicator)."""
    points, routes = _from_database(demo_db)
    observations = access.database(demo_db).query("indicator_observations",
                                                  indicator=rural_tourism.POINTS_INDICATOR)
    indicator = rural_tourism.indicator_by_township(observations)
    years = sorted(indicator.year.unique())
    on_map = rural_tourism.counts_by_township(points, years)
    merged = indicator.merge(on_map, on=["township_code", "year"], how="left", suffixes=("_indicator", "_map"))
    merged["count_map"] = merged["count_map"].fillna(0).astype(int)
    mismatched = merged[merged.count_indicator != merged.count_map]
    assert mismatched.empty, mismatched.head().to_string()
    assert set(points.township_code) <= set(indicator.township_code)

    district = observations[observations.region_code == "500156"].set_index("year").value
    progress = rural_tourism.progress(points, routes, years).set_index("year")
    assert (progress.points == district.loc[years].astype(int)).all()


def test_routes_agree_with_the_demo_indicator_by_year(demo_db):
    points, routes = _from_database(demo_db)
    observations = access.database(demo_db).query("indicator_observations",
                                                  indicator=rural_tourism.ROUTES_INDICATOR)
    district = observations[observations.region_code == "500156"].set_index("year").value.astype(int)
    progress = rural_tourism.progress(points, routes, district.index).set_index("year")
    assert (progress.routes == district).all()
    assert int((routes.year_completed <= 2022).sum()) == 7  # the plan's 7 routes by the target year


def test_routes_run_through_points_designated_before_completion_in_order(data):
    points, routes = data
    by_id = points.set_index("id")
    for route in routes.itertuples():
        ids = route.point_ids.split(";")
        assert len(ids) >= 3
        assert (by_id.loc[ids, "year_designated"] <= route.year_completed).all()
        assert (by_id.loc[ids, "route"] == route.id).all()
        legs = [geo.distance_km(*by_id.loc[a, ["lat", "lon"]], *by_id.loc[b, ["lat", "lon"]])
                for a, b in zip(ids, ids[1:])]
        assert max(legs) <= demo_points.ROUTE_REACH_KM
    vertices = rural_tourism.route_vertices(routes, points)
    assert len(vertices) == routes.point_ids.str.count(";").sum() + len(routes)


def test_generator_is_deterministic_and_reproduces_the_committed_files(data):
    points, routes = demo_points.generate()
    committed_points, committed_routes = data
    pd.testing.assert_frame_equal(
        metadata.RURAL_TOURISM_POINTS.validate(points.astype({"route": object})), committed_points,
        check_dtype=False)
    pd.testing.assert_frame_equal(metadata.RURAL_TOURISM_ROUTES.validate(routes), committed_routes, check_dtype=False)


def test_designation_years_follow_the_cumulative_counts():
    counts = pd.DataFrame({"township_code": ["a", "a", "a", "b"], "year": [2015, 2016, 2017, 2016],
                           "count": [1, 1, 3, 2]})
    assert demo_points.designation_years(counts) == [("a", 2015), ("a", 2017), ("a", 2017), ("b", 2016), ("b", 2016)]
    with pytest.raises(ValueError):
        demo_points.designation_years(pd.DataFrame({"township_code": ["a", "a"], "year": [2015, 2016],
                                                    "count": [2, 1]}))


def test_indicator_by_township_adds_abolished_units_to_their_successor():
    observations = pd.DataFrame({
        "region_code": ["500156106", "500156110", "500156004", "500156"],
        "successor_code": ["500156004", "500156004", None, None],
        "region_level": ["township", "township", "township", "district"],
        "period_kind": ["Y"] * 4, "year": [2019, 2019, 2020, 2020], "value": [2.0, 1.0, 4.0, 9.0]})
    out = rural_tourism.indicator_by_township(observations)
    assert out.to_dict("records") == [{"township_code": "500156004", "year": 2019, "count": 3},
                                      {"township_code": "500156004", "year": 2020, "count": 4}]


def test_filters(data):
    points, routes = data
    township = points.township_code.iloc[0]
    assert set(rural_tourism.filter_points(points, [township]).township_code) == {township}
    assert set(rural_tourism.filter_points(points, types=["village"]).type) == {"village"}
    assert rural_tourism.filter_points(points, years=(2016, 2017)).year_designated.between(2016, 2017).all()
    assert len(rural_tourism.filter_points(points)) == len(points)
    assert (rural_tourism.filter_routes(routes, points, up_to=2020).year_completed <= 2020).all()
    route = routes.iloc[0]
    first_stop_township = points.set_index("id").loc[route.point_ids.split(";")[0], "township_code"]
    assert route.id in set(rural_tourism.filter_routes(routes, points, [first_stop_township]).id)


def test_targets_come_from_the_catalog():
    assert rural_tourism.targets(metadata.load_table("indicators")) == {"points": 100, "routes": 7,
                                                                        "target_year": 2022}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_chart_draws_outline_routes_and_points_in_the_language(data, lang):
    points, routes = data
    townships = metadata.load_table("regions").set_index("code")
    table = map_points_table(points, routes, townships, {"demo": "demo source"}, lang)
    landmarks = metadata.load_table("map_landmarks").assign(name=lambda f: f[f"name_{lang}"])
    chart = map_chart(geo.outline(), table, rural_tourism.route_vertices(routes, points),
                      dict(zip(routes.id, routes[f"name_{lang}"])), landmarks, lang)
    spec = chart.to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks[0] == "geoshape" and "line" in marks and "point" in marks
    # the landmarks' names come last: drawn over the markers, in spots beside them (charts/label_placement.py)
    assert marks[-1] == "text" and max(i for i, m in enumerate(marks) if m == "point") < len(marks) - 1
    point_layer = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"
                   and "color" in layer.get("encoding", {})][0]
    assert spec["projection"]["type"] == "mercator"
    assert spec["usermeta"]["embedOptions"]["renderer"] == "svg"
    # the outline goes to the chart as it is stored: clockwise
    ring = spec["layer"][0]["data"]["values"][0]["geometry"]["coordinates"][0][0]
    assert geo.signed_area(ring) < 0
    colour = point_layer["encoding"]["color"]
    assert colour["scale"]["domain"] == [strings(lang)["map.type.village"], strings(lang)["map.type.point"]]
    assert colour["scale"]["range"] == [TYPE_COLORS["village"], TYPE_COLORS["point"]]
    assert colour["legend"]["title"] == strings(lang)["map.legend.type"]
    text = json.dumps(spec, ensure_ascii=False)
    assert "http" not in text.replace("https://vega.github.io/schema", "")  # no tiles, styles or topojson
    if lang == "en":
        assert not pd.Series([text]).str.contains(r"[\u4e00-\u9fff]").any()


def test_map_chart_with_nothing_to_show_still_draws_the_outline(data):
    points, routes = data
    townships = metadata.load_table("regions").set_index("code")
    table = map_points_table(points.iloc[0:0], routes, townships, {}, "zh")
    spec = map_chart(geo.outline(), table, rural_tourism.route_vertices(routes.iloc[0:0], points), {},
                     pd.DataFrame(columns=["lat", "lon", "name"]), "zh").to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["geoshape", "point"]


def test_progress_chart_has_the_target_line(data):
    points, routes = data
    progress = rural_tourism.progress(points, routes, range(2015, 2026))
    spec = progress_chart(progress, "points", 100, 2022, 2022, "en").to_dict()
    rule = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"][0]
    assert rule["encoding"]["y"]["field"] == "target"
    assert spec["title"] == strings("en")["map.progress.title_points"]


def test_map_translation_files_have_the_same_keys_and_no_key_from_another_file():
    import yaml
    keys = {}
    for lang in ("zh", "en"):
        with open(DATA_DIR / "i18n" / lang / "map.yaml", encoding="utf-8") as handle:
            keys[lang] = set(yaml.safe_load(handle))
        others = set()
        for path in (DATA_DIR / "i18n" / lang).glob("*.yaml"):
            if path.name != "map.yaml":
                with open(path, encoding="utf-8") as handle:
                    others |= set(yaml.safe_load(handle) or {})
        assert not keys[lang] & others
        assert "nav.map" in keys[lang]
    assert keys["zh"] == keys["en"]
    assert all(key == "nav.map" or key.startswith("map.") for key in keys["zh"])
