"""A printable one-page summary of the scorecard as PDF, drawn by Vega (vl-convert) with no network.

One row per goal, grouped as the plan groups them: name, latest value, target, status shown by a
shaped, coloured mark and by its name, so it reads in black and white too.
"""
from __future__ import annotations

import json

import altair as alt
import pandas as pd
import vl_convert as vlc

from twomountains.forum.data import ForumData
from twomountains.formatting import target_text, value_with_unit
from twomountains.i18n import t

ROW_HEIGHT = 15
WIDTH = 760
COLUMNS = {"name": 0, "latest": 380, "target": 500, "status": 640}
SHAPES = {"achieved": "circle", "on_track": "triangle-up", "moderate": "diamond", "limited": "square",
          "deteriorating": "triangle-down", "missed": "cross", "in_progress": "circle", "no_data": "circle"}
FONT = "Noto Sans CJK SC"


def summary_rows(data: ForumData, lang: str) -> pd.DataFrame:
    rows = []
    groups = data.catalog[["goal_group", f"group_{lang}", "group_order"]].drop_duplicates().sort_values("group_order")
    for group in groups.itertuples():
        rows.append({"kind": "group", "name": getattr(group, f"group_{lang}"), "latest": "", "target": "",
                     "status": "", "status_code": "", "color": "#000000"})
        for code in data.catalog.index[data.catalog.goal_group == group.goal_group]:
            indicator, goal = data.catalog.loc[code], data.goals[code]
            unit = indicator.to_dict()
            latest = value_with_unit(goal.latest_value, unit, lang)
            if goal.latest_period:
                latest += f" ({goal.latest_period}{'*' if goal.latest_quality == 'demo' else ''})"
            rows.append({"kind": "goal", "name": indicator[f"name_{lang}"], "latest": latest,
                         "target": target_text(indicator.target_type, goal.target, indicator.direction, unit, lang),
                         "status": data.statuses.loc[goal.status, f"name_{lang}"], "status_code": goal.status,
                         "color": data.statuses.loc[goal.status, "color"]})
    frame = pd.DataFrame(rows)
    frame["row"] = range(len(frame))
    return frame


def summary_chart(data: ForumData, lang: str) -> alt.LayerChart:
    frame = summary_rows(data, lang)
    height = ROW_HEIGHT * (len(frame) + 1)
    y = alt.Y("row:O", axis=None)
    base = alt.Chart(frame).encode(y=y)
    layers = [
        base.transform_filter("datum.kind == 'group'").mark_text(align="left", fontWeight="bold", fontSize=11,
                                                                 font=FONT).encode(x=alt.value(0), text="name"),
        base.transform_filter("datum.kind == 'goal'").mark_text(align="left", fontSize=9, font=FONT).encode(
            x=alt.value(COLUMNS["name"] + 10), text="name"),
        base.mark_text(align="left", fontSize=9, font=FONT).encode(x=alt.value(COLUMNS["latest"]), text="latest"),
        base.mark_text(align="left", fontSize=9, font=FONT).encode(x=alt.value(COLUMNS["target"]), text="target"),
        base.transform_filter("datum.kind == 'goal'").mark_point(filled=True, size=40).encode(
            x=alt.value(COLUMNS["status"]), color=alt.Color("color:N", scale=None),
            shape=alt.Shape("status_code:N", scale=alt.Scale(domain=list(SHAPES), range=list(SHAPES.values())),
                            legend=None)),
        base.mark_text(align="left", fontSize=9, font=FONT).encode(x=alt.value(COLUMNS["status"] + 10),
                                                                   text="status"),
    ]
    header = pd.DataFrame([{"label": t(key, lang), "x": x} for key, x in (
        ("summary.goal", COLUMNS["name"]), ("overview.latest", COLUMNS["latest"]),
        ("overview.target", COLUMNS["target"]), ("overview.filter_status", COLUMNS["status"]))])
    header_chart = alt.Chart(header).mark_text(align="left", fontWeight="bold", fontSize=10, font=FONT).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[0, WIDTH], range=[0, WIDTH]), axis=None), text="label"
    ).properties(width=WIDTH, height=14)
    table = alt.layer(*layers).properties(width=WIDTH, height=height)
    return alt.vconcat(header_chart, table, spacing=4).properties(
        title=alt.TitleParams(t("summary.title", lang, year=data.as_of), subtitle=[t("summary.demo", lang)],
                              font=FONT, subtitleFont=FONT, fontSize=16, anchor="start"),
        background="white", padding=24,
    ).configure_view(stroke=None)


def summary_pdf(data: ForumData, lang: str) -> bytes:
    spec = summary_chart(data, lang).to_dict()
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return vlc.vegalite_to_pdf(json.dumps(spec), vl_version=f"{major}.{minor}")
