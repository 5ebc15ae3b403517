"""A printable one-page summary of the scorecard as PDF, drawn by Vega (vl-convert) with no network.

One row per goal, grouped as the plan groups them: name, latest value, target, status shown by a
shaped, coloured mark and by its name, so it reads in black and white too. The page is A4 portrait
(595 x 842 pt): the table is laid out for that width, and scaled down only if more goals than today's
would make it taller than the page.
"""
from __future__ import annotations

import json
import re

import altair as alt
import pandas as pd
import vl_convert as vlc

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
    return alt.vconcat(header_chart, table, spacing=4).properties(
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
