"""The map page offers its charts as PNG and SVG, drawn offline on the server."""
from twomountains.charts.export import png_bytes, svg_bytes
from twomountains.i18n import strings


def test_map_page_offers_png_and_svg_of_its_charts_and_they_draw(app):
    at = app("pages/map.py", lang="en")
    labels = [button.label for button in at.get("download_button")]
    assert labels.count(strings("en")["explore.download.png"]) == 3
    assert labels.count(strings("en")["explore.download.svg"]) == 3


def test_the_map_chart_exports_offline():
    from twomountains import geo, rural_tourism
    from twomountains.charts.rural_map import map_chart, map_points_table
    from twomountains.metadata import load_table
    points, routes = rural_tourism.load()
    regions = load_table("regions").set_index("code")
    table = map_points_table(points, routes, regions, {"demo": "Demo"}, "en")
    landmarks = load_table("map_landmarks").assign(name=lambda f: f["name_en"])
    chart = map_chart(geo.outline(), table, rural_tourism.route_vertices(routes, points),
                      dict(zip(routes.id, routes.name_en)), landmarks, "en")
    assert png_bytes(chart).startswith(b"\x89PNG")
    assert b"<svg" in svg_bytes(chart)[:400]
