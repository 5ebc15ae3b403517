"""The rural-tourism map and its progress charts (Altair / Vega-Lite).

Why Vega-Lite geoshape: it draws inline GeoJSON in the browser with no tile, style or topojson request,
so the map works in a hall without internet. It needs outer rings clockwise (d3-geo), which is how
data/geo/wulong_outline.geojson is stored; tests/test_geo.py guards that.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from twomountains import geo
from twomountains.charts import label_placement
from twomountains.i18n import t
from twomountains.metadata import RURAL_TOURISM_TYPES

# Okabe-Ito colours, readable with the common colour-vision deficiencies; each type also has its own
# marker shape, so the map can be read without colour at all.
TYPE_COLORS = {"village": "#0072B2", "point": "#D55E00"}
TYPE_SHAPES = {"village": "circle", "point": "square"}
ROUTE_COLOR = "#009E73"
OUTLINE_FILL, OUTLINE_STROKE = "#E4EEDF", "#3E5E47"
LANDMARK_COLOR = "#4D4D4D"
BAR_COLOR, TARGET_COLOR = "#56B4E9", "#444444"
FONT = "Noto Sans CJK SC, Source Sans Pro, sans-serif"
# Vega-Lite would let Streamlit pick canvas for big data; SVG keeps the outline a real <path> element
# that the browser test can find and measure.
LANDMARK_FONT = 12
# px: the district's width on a phone (360 on a 390 px one), where a name covers the most ground
PHONE_MAP_WIDTHS = (330, 360)
# The landmark names' layers are named with this prefix: Vega puts a mark's name in its SVG group's class, so
# PHONE_STYLE can hide them. On a phone (Streamlit's narrow layout, below 640 px) the long English names cannot be
# placed free of the 100-odd markers at any spot, so there the map shows the triangles only; a landmark's name stays
# in its tooltip (hover or tap).
LANDMARK_NAMES_CLASS = "landmark_names"
PHONE_STYLE = ("<style>@media (max-width: 640px) { [data-testid='stVegaLiteChart'] "
               f"g[class*='{LANDMARK_NAMES_CLASS}_'] {{ display: none; }} }}</style>")
EMBED = {"embedOptions": {"renderer": "svg", "actions": False}}


def _type_label(code: str, lang: str) -> str:
    return t(f"map.type.{code}", lang)


def map_points_table(points: pd.DataFrame, routes: pd.DataFrame, townships: pd.DataFrame,
                     source_names: dict[str, str], lang: str) -> pd.DataFrame:
    """The points with every shown text in `lang`: the map's tooltips and the page's table use it."""
    route_names = routes.set_index("id")[f"name_{lang}"]
    township_names = townships[f"name_{lang}"]
    return pd.DataFrame({
        "id": points.id.values,
        "name": points[f"name_{lang}"].values,
        "township": points.township_code.map(township_names).values,
        "type": points.type.values,
        "type_label": [_type_label(c, lang) for c in points.type],
        "year": points.year_designated.astype(int).values,
        "route": [route_names.get(r, t("map.no_route", lang)) if pd.notna(r) else t("map.no_route", lang)
                  for r in points.route],
        "coord": [t(f"map.coord.{q}", lang) for q in points.coord_quality],
        "source": [source_names.get(s, s) for s in points.source],
        "quality": [t(f"quality.{q}", lang) for q in points.quality],
        "lat": points.lat.astype(float).values,
        "lon": points.lon.astype(float).values,
    })


def map_chart(outline: dict, points: pd.DataFrame, vertices: pd.DataFrame, route_names: dict[str, str],
              landmarks: pd.DataFrame, lang: str, height: int = 620) -> alt.LayerChart:
    """Outline, routes, landmarks and points on a Mercator projection fitted to the outline.

    `points` is map_points_table(); `vertices` has route, order, lat, lon; `landmarks` has lat, lon, name.
    """
    # Geometry only: the attribution properties are shown as text on the page, not shipped to the chart.
    shapes = [{"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in outline["features"]]
    outline_layer = alt.Chart(alt.Data(values=shapes)).mark_geoshape(
        fill=OUTLINE_FILL, stroke=OUTLINE_STROKE, strokeWidth=1.5)
    layers = [outline_layer]

    if not vertices.empty:
        lines = vertices.assign(route_name=vertices.route.map(route_names),
                                legend=t("map.legend.route_line", lang))
        layers.append(alt.Chart(lines).mark_line(strokeWidth=3, opacity=0.9, color=ROUTE_COLOR).encode(
            longitude="lon:Q", latitude="lat:Q", detail="route:N", order="order:Q",
            strokeDash=alt.StrokeDash("legend:N", title=t("map.legend.route", lang),
                                      scale=alt.Scale(range=[[7, 3]]),
                                      legend=alt.Legend(symbolStrokeColor=ROUTE_COLOR, symbolStrokeWidth=3,
                                                        orient="top-left", symbolType="stroke")),
            tooltip=[alt.Tooltip("route_name:N", title=t("map.col.route", lang))]))

    # Landmarks: the triangle under the points; the name where no point is (label_placement), drawn over
    # everything on a white halo with a thin leader line to its landmark, so a name neither hides a point nor is
    # hidden by one. The name's place is fixed in degrees, chosen free on a phone's small map: on a larger map its
    # box shrinks around that place, so it stays free. On a phone itself PHONE_STYLE hides the names (some English
    # ones find no free spot there); the triangles and their tooltips stay.
    names = []
    if not landmarks.empty:
        places = landmarks[["lat", "lon", "name"]]
        layers.append(alt.Chart(places).mark_point(shape="triangle-up", size=70, filled=True,
                                                   color=LANDMARK_COLOR, stroke="white", strokeWidth=1).encode(
            longitude="lon:Q", latitude="lat:Q", tooltip=[alt.Tooltip("name:N", title=t("map.landmark", lang))]))
        west, south, east, north = geo.bbox(outline)
        scales = [label_placement.pixels_per_degree(west, east, south, north, width, height - 20)
                  for width in PHONE_MAP_WIDTHS]
        scale = scales[0]
        spots = label_placement.place(list(zip(places.name, places.lon, places.lat)),
                                      list(zip(points.lon, points.lat)), scales, LANDMARK_FONT, marker_px=9,
                                      distances=(0, 20, 40), inside=(west, east, south, north))
        placed = places.assign(label_lon=[lon + spot.dx / scale[0] for lon, spot in zip(places.lon, spots)],
                               label_lat=[lat + spot.dy / scale[1] for lat, spot in zip(places.lat, spots)])
        names.append(alt.Chart(placed, name=f"{LANDMARK_NAMES_CLASS}_leader").mark_rule(
            color=LANDMARK_COLOR, strokeWidth=1).encode(
            longitude="lon:Q", latitude="lat:Q", longitude2="label_lon:Q", latitude2="label_lat:Q"))
        for halo in (True, False):
            names.append(alt.Chart(placed, name=f"{LANDMARK_NAMES_CLASS}_{'halo' if halo else 'text'}").mark_text(
                align="center", baseline="middle", fontSize=LANDMARK_FONT, font=FONT, fontWeight="bold",
                color=LANDMARK_COLOR,
                **({"stroke": "white", "strokeWidth": 4, "strokeOpacity": 0.9, "strokeJoin": "round"} if halo
                   else {})).encode(longitude="label_lon:Q", latitude="label_lat:Q", text="name:N"))

    domain = [_type_label(c, lang) for c in RURAL_TOURISM_TYPES]
    legend = alt.Legend(title=t("map.legend.type", lang), orient="top-left", symbolSize=120)
    tooltip = [alt.Tooltip(field, title=t(f"map.col.{field}", lang))
               for field in ("name", "township", "type_label", "year", "route", "coord", "quality")]
    layers.append(alt.Chart(points).mark_point(filled=True, size=110, opacity=0.95, stroke="white",
                                               strokeWidth=1).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("type_label:N", scale=alt.Scale(domain=domain, range=[TYPE_COLORS[c] for c in
                                                                                RURAL_TOURISM_TYPES]),
                        legend=legend),
        shape=alt.Shape("type_label:N", scale=alt.Scale(domain=domain, range=[TYPE_SHAPES[c] for c in
                                                                                RURAL_TOURISM_TYPES]),
                        legend=legend),
        tooltip=tooltip))
    layers += names

    # Fitted to the district alone: the names and their leader lines never change the map's scale.
    return alt.layer(*layers).project(type="mercator", fit={"type": "FeatureCollection", "features": shapes}).properties(
        width="container", height=height, usermeta=EMBED,
    ).configure_view(stroke=None).configure(font=FONT).configure_legend(
        labelFontSize=13, titleFontSize=13, fillColor="#FFFFFFDD", padding=8, cornerRadius=4,
        labelLimit=320)


def progress_chart(progress: pd.DataFrame, measure: str, target: float, target_year: int, up_to: int,
                   lang: str, height: int = 240) -> alt.LayerChart:
    """Cumulative count by year as bars, the target as a dashed line, the chosen year in a darker bar.

    `progress` comes from rural_tourism.progress(); `measure` is "points" or "routes".
    """
    frame = progress[["year", measure]].rename(columns={measure: "count"}).assign(
        chosen=lambda f: f.year == up_to, target_year=lambda f: f.year == target_year)
    x = alt.X("year:O", title=t("map.progress.axis_year", lang), axis=alt.Axis(labelAngle=0))
    bars = alt.Chart(frame).mark_bar(color=BAR_COLOR).encode(
        x=x, y=alt.Y("count:Q", title=t(f"map.progress.axis_{measure}", lang),
                     scale=alt.Scale(domain=[0, max(target, float(frame["count"].max())) * 1.15])),
        opacity=alt.condition("datum.chosen", alt.value(1.0), alt.value(0.55)),
        tooltip=[alt.Tooltip("year:O", title=t("map.progress.axis_year", lang)),
                 alt.Tooltip("count:Q", title=t(f"map.progress.axis_{measure}", lang))])
    labels = alt.Chart(frame).mark_text(dy=-7, fontSize=11).encode(x=x, y="count:Q", text="count:Q")
    rule_data = pd.DataFrame({"target": [target], "label": [t("map.progress.target", lang, target=f"{target:g}",
                                                              year=target_year)]})
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[6, 4], color=TARGET_COLOR, strokeWidth=1.5).encode(
        y="target:Q")
    rule_text = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-7, color=TARGET_COLOR, fontSize=12).encode(
        y="target:Q", x=alt.value(0), text="label:N")
    return alt.layer(bars, labels, rule, rule_text).properties(
        width="container", height=height, usermeta=EMBED,
        title=t(f"map.progress.title_{measure}", lang),
    ).configure(font=FONT).configure_view(stroke=None)
