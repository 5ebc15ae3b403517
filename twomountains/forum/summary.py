"""A printable one-page summary of the scorecard as PDF, drawn by Vega (vl-convert) with no network.

At the top, the headline: how many goals were achieved, missed or have no data as big numbers, and the
district's map as on the presentation (filled outline, routes, villages and points, landmarks, a scale bar).
Then one row per goal, grouped as the plan groups them: name, latest value, target, status shown by a
shaped, coloured mark and by its name, so it reads in black and white too. The page is A4 portrait
(595 x 842 pt): the table is laid out for that width, and scaled down only if more goals than today's
would make it taller than the page.
"""
from __future__ import annotations

import json
import math
import re

import altair as alt
import pandas as pd
import vl_convert as vlc

from twomountains import geo, rural_tourism
from twomountains.charts.rural_map import (LANDMARK_COLOR, OUTLINE_FILL, OUTLINE_STROKE, ROUTE_COLOR, TYPE_COLORS,
                                           TYPE_SHAPES)
from twomountains.charts.slide_chart import KM_PER_DEGREE, scale_bar_km
from twomountains.forum import findings
from twomountains.forum.data import ForumData
from twomountains.formatting import target_text
from twomountains.verdicts import shown_value_quality, verdict_text
from twomountains.i18n import t

A4 = (595, 842)                 # points: the PDF's page; vl-convert draws 1 px as 1 pt
MARGIN = 20
ROW_HEIGHT = 16
WIDTH = A4[0] - 2 * MARGIN
COLUMNS = {"name": 0, "latest": 200, "target": 318, "status": 405}  # status: the verdict with its year
FONT_SIZE = 8.5
SHAPES = {"achieved": "circle", "on_track": "triangle-up", "moderate": "diamond", "limited": "square",
          "deteriorating": "triangle-down", "missed": "cross", "in_progress": "circle", "no_data": "circle"}
FONT = "Noto Sans CJK SC"


def summary_rows(data: ForumData, lang: str) -> pd.DataFrame:
    rows = []
    groups = data.catalog[["goal_group", f"group_{lang}", "group_order"]].drop_duplicates().sort_values("group_order")
    # Goals by group, then the context series apart (no target, never counted as goals).
    sections = [(getattr(group, f"group_{lang}"),
                 [c for c in data.catalog.index[data.catalog.goal_group == group.goal_group] if data.goals[c].is_goal])
                for group in groups.itertuples()]
    context = [c for c in data.catalog.index if not data.goals[c].is_goal]
    for heading, codes in sections + [(t("verdict.context_heading", lang, count=len(context)), context)]:
        if not codes:
            continue
        rows.append({"kind": "group", "name": heading, "latest": "", "target": "",
                     "status": "", "status_code": "", "color": "#000000"})
        for code in codes:
            indicator, goal = data.catalog.loc[code], data.goals[code]
            unit = indicator.to_dict()
            # The verdict names its year (verdicts.verdict_text); the latest value's column carries the value.
            wording = verdict_text(goal, unit, data.statuses, lang, with_value=False)
            quality, note = shown_value_quality(goal)
            # * demo; † published with a caveat (year not stated, a repost, ...), explained on the dashboard.
            latest = wording.latest + ("*" if quality == "demo" else "†" if note else "")
            rows.append({"kind": "goal", "name": indicator[f"name_{lang}"], "latest": latest,
                         "target": target_text(indicator.target_type, goal.target, indicator.direction, unit, lang),
                         "status": wording.verdict, "status_code": goal.status,
                         "color": data.statuses.loc[goal.status, "color"]})
    frame = pd.DataFrame(rows)
    frame["row"] = range(len(frame))
    return frame


def _column_text(base, column: str, limit: int, **style):
    """Text of one column, cut with an ellipsis at `limit` px so it can never run into the next."""
    return base.mark_text(align="left", fontSize=FONT_SIZE, font=FONT, limit=limit, **style).encode(
        x=alt.value(COLUMNS[column] + (10 if column == "status" else 0)), text=column)


BAND_HEIGHT = 120   # the band of big numbers and the map above the table
MAP_WIDTH = 230


def _numbers(data: ForumData, lang: str) -> alt.LayerChart:
    """How many goals were achieved, missed or have no data, as big numbers in their status colours."""
    counts = findings.status_counts(data, data.catalog.index)
    width = WIDTH - MAP_WIDTH - 20
    rows = pd.DataFrame([{"x": index * width / 3, "value": str(counts[status]),
                          "label": t(f"forum.headline.{status}", lang), "color": data.statuses.loc[status, "color"]}
                         for index, status in enumerate(("achieved", "missed", "no_data"))])
    x = alt.X("x:Q", scale=alt.Scale(domain=[0, width], range=[0, width]), axis=None)
    value = alt.Chart(rows).mark_text(align="left", fontSize=40, fontWeight="bold", font=FONT, baseline="alphabetic"
                                      ).encode(x=x, y=alt.value(62), text="value", color=alt.Color("color:N", scale=None))
    label = alt.Chart(rows).mark_text(align="left", fontSize=9.5, font=FONT, baseline="top", limit=width / 3 - 8
                                      ).encode(x=x, y=alt.value(70), text="label")
    headline = pd.DataFrame([{"x": 0, "text": findings.headline_title(data, lang)}])
    title = alt.Chart(headline).mark_text(align="left", fontSize=11, fontWeight="bold", font=FONT, baseline="top",
                                          limit=width).encode(x=x, y=alt.value(0), text="text")
    return alt.layer(title, value, label).properties(width=width, height=BAND_HEIGHT)


def _map(data: ForumData, lang: str) -> alt.LayerChart:
    """The page's map, small: the district filled, routes through their stops, villages and points in the map
    page's colours and shapes, the landmarks named, a scale bar."""
    points = data.points[data.points.year_designated <= data.as_of]
    routes = data.routes[data.routes.year_completed <= data.as_of]
    shapes = [{"type": "Feature", "properties": {}, "geometry": f["geometry"]} for f in data.outline["features"]]
    layers = [alt.Chart(alt.Data(values=shapes)).mark_geoshape(fill=OUTLINE_FILL, stroke=OUTLINE_STROKE,
                                                               strokeWidth=0.8)]
    vertices = rural_tourism.route_vertices(routes, points)
    if not vertices.empty:
        layers.append(alt.Chart(vertices).mark_line(color=ROUTE_COLOR, strokeWidth=1.3, strokeDash=[4, 2]).encode(
            longitude="lon:Q", latitude="lat:Q", detail="route:N", order="order:Q"))
    marks = points.assign(type_label=[t(f"map.type.{k}", lang) for k in points.type])[["lon", "lat", "type", "type_label"]]
    layers.append(alt.Chart(marks).mark_point(filled=True, size=14, opacity=0.95).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("type:N", scale=alt.Scale(domain=list(TYPE_COLORS), range=list(TYPE_COLORS.values())),
                        legend=None),
        shape=alt.Shape("type:N", scale=alt.Scale(domain=list(TYPE_SHAPES), range=list(TYPE_SHAPES.values())),
                        legend=None)))
    places = data.landmarks[["lon", "lat", f"name_{lang}"]].rename(columns={f"name_{lang}": "name"})
    middle = places.lon.mean()
    for side, frame in (("right", places[places.lon < middle]), ("left", places[places.lon >= middle])):
        layers.append(alt.Chart(frame).mark_text(align=side, dx=-5 if side == "right" else 5, fontSize=7,
                                                 fontWeight="bold", font=FONT, color=LANDMARK_COLOR, stroke="white",
                                                 strokeWidth=2, strokeOpacity=0.8).encode(
            longitude="lon:Q", latitude="lat:Q", text="name:N"))
        layers.append(alt.Chart(frame).mark_text(align=side, dx=-5 if side == "right" else 5, fontSize=7,
                                                 fontWeight="bold", font=FONT, color=LANDMARK_COLOR).encode(
            longitude="lon:Q", latitude="lat:Q", text="name:N"))
    west, south, east, north = geo.bbox(data.outline)
    km = scale_bar_km(east - west, (south + north) / 2)
    length = km / (KM_PER_DEGREE * math.cos(math.radians((south + north) / 2)))
    bar = pd.DataFrame({"lon": [east - length, east], "lat": [south, south], "order": [0, 1]})
    layers.append(alt.Chart(bar).mark_line(color="#222222", strokeWidth=1.5).encode(
        longitude="lon:Q", latitude="lat:Q", order="order:Q"))
    label = pd.DataFrame({"lon": [east - length / 2], "lat": [south], "text": [t("forum.map.scale", lang).format(km=km)]})
    layers.append(alt.Chart(label).mark_text(dy=-6, fontSize=7, font=FONT).encode(
        longitude="lon:Q", latitude="lat:Q", text="text:N"))
    return alt.layer(*layers).project(type="mercator").properties(width=MAP_WIDTH, height=BAND_HEIGHT)


def summary_chart(data: ForumData, lang: str) -> alt.VConcatChart:
    frame = summary_rows(data, lang)
    height = ROW_HEIGHT * (len(frame) + 1)
    y = alt.Y("row:O", axis=None)
    base = alt.Chart(frame).encode(y=y)
    goals = base.transform_filter("datum.kind == 'goal'")
    layers = [
        base.transform_filter("datum.kind == 'group'").mark_text(align="left", fontWeight="bold", fontSize=10.5,
                                                                 font=FONT).encode(x=alt.value(0), text="name"),
        goals.mark_text(align="left", fontSize=FONT_SIZE, font=FONT,
                        limit=COLUMNS["latest"] - 12).encode(x=alt.value(COLUMNS["name"] + 8), text="name"),
        _column_text(base, "latest", COLUMNS["target"] - COLUMNS["latest"] - 6),
        _column_text(base, "target", COLUMNS["status"] - COLUMNS["target"] - 6),
        goals.mark_point(filled=True, size=34).encode(
            x=alt.value(COLUMNS["status"]), color=alt.Color("color:N", scale=None),
            shape=alt.Shape("status_code:N", scale=alt.Scale(domain=list(SHAPES), range=list(SHAPES.values())),
                            legend=None)),
        _column_text(base, "status", WIDTH - COLUMNS["status"] - 10),
    ]
    header = pd.DataFrame([{"label": t(key, lang), "x": x} for key, x in (
        ("summary.goal", COLUMNS["name"]), ("overview.latest", COLUMNS["latest"]),
        ("overview.target", COLUMNS["target"]), ("overview.filter_status", COLUMNS["status"]))])
    header_chart = alt.Chart(header).mark_text(align="left", fontWeight="bold", fontSize=9.5, font=FONT).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[0, WIDTH], range=[0, WIDTH]), axis=None), text="label"
    ).properties(width=WIDTH, height=14)
    table = alt.layer(*layers).properties(width=WIDTH, height=height)
    band = alt.hconcat(_numbers(data, lang), _map(data, lang), spacing=20)
    return alt.vconcat(band, header_chart, table, spacing=8).properties(
        title=alt.TitleParams(_title(data, lang), subtitle=_lines(t("summary.demo", lang)) + _lines(t("verdict.summary_caveat", lang)),
                              font=FONT, subtitleFont=FONT, fontSize=15, subtitleFontSize=9, anchor="start"),
        background="white", padding=0,
    ).configure_view(stroke=None)


def _title(data: ForumData, lang: str) -> str:
    """The page's title; a later plan's summary names the plan (issue 14)."""
    if data.plan is None:
        return t("summary.title", lang, year=data.as_of)
    return t("plans.summary.title", lang, plan=data.plan[f"name_{lang}"], year=data.as_of)


def _lines(text: str, width: int = 100) -> list[str]:
    """The subtitle in lines that fit the page: words for English, characters for Chinese."""
    limit = width if text.isascii() else width // 2
    lines, line = [], ""
    for word in re.findall(r"\S+\s*", text) if text.isascii() else list(text):
        if len(line) + len(word) > limit and line:
            lines.append(line.rstrip())
            line = ""
        line += word
    return lines + [line.rstrip()] if line.strip() else lines


def _a4(svg: str) -> str:
    """The drawing on an A4 portrait page with margins, scaled down only if it is larger than the page."""
    width, height = (float(v) for v in re.search(r'width="([\d.]+)" height="([\d.]+)"', svg).groups())
    scale = min(1.0, (A4[0] - 2 * MARGIN) / width, (A4[1] - 2 * MARGIN) / height)
    inner = re.sub(r"^<svg ", f'<svg x="0" y="0" ', svg[svg.index("<svg"):], count=1)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="{A4[0]}" height="{A4[1]}" viewBox="0 0 {A4[0]} {A4[1]}">'
            f'<rect width="{A4[0]}" height="{A4[1]}" fill="white"/>'
            f'<g transform="translate({MARGIN},{MARGIN}) scale({scale:.4f})">{inner}</g></svg>')


def summary_svg(data: ForumData, lang: str) -> str:
    """The page as SVG, A4 portrait in points."""
    spec = summary_chart(data, lang).to_dict()
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return _a4(vlc.vegalite_to_svg(json.dumps(spec), vl_version=f"{major}.{minor}"))


def summary_pdf(data: ForumData, lang: str) -> bytes:
    """One A4 portrait page (595 x 842 pt); text stays text, in Noto CJK, so it prints sharp in both languages."""
    return vlc.svg_to_pdf(summary_svg(data, lang))
