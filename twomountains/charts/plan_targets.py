"""One indicator against every plan's target: the series and one target segment per plan (issue 14).

Each segment runs from the plan's base year to its target year at the target value, coloured by the
status the same methodology gives it, and is labelled "2025: ≥ 68%" at its end, so the chart shows how
the district's ambition moved from plan to plan.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from twomountains.charts.common import AUTOSIZE, finish, quality_opacity, status_color, year_axis
from twomountains.formatting import target_text, text_or_empty
from twomountains.i18n import t


def plan_targets_chart(unit: dict, annual: pd.DataFrame, targets: list[dict], name: str, lang: str) -> alt.LayerChart:
    """`annual`: the district's year, value, quality; `targets`: dicts of target_type, target_value, direction,
    base_year, target_year, status (one per plan, in time order)."""
    symbol = text_or_empty(unit.get(f"symbol_{lang}"))
    series = annual.assign(year=annual.year.astype(int), value=annual.value.astype(float),
                           quality_label=[t(f"quality.{q}", lang) for q in annual.quality])
    segments = pd.DataFrame([{
        "start": int(row["base_year"]), "end": int(row["target_year"]), "value": float(row["target_value"]),
        "color": status_color(row["status"]),
        "label": f"{int(row['target_year'])}: " + target_text(row["target_type"], row["target_value"],
                                                              row["direction"], unit, lang),
    } for row in targets if row["target_type"] in ("level", "count")],  # a line at a level or count only
        columns=["start", "end", "value", "color", "label"])
    x = alt.X("year:Q", axis=year_axis(lang), scale=alt.Scale(zero=False, nice=False))
    line = alt.Chart(series).mark_line(color="#0072B2", strokeWidth=2.5).encode(x=x, y=alt.Y(
        "value:Q", title=symbol or None, scale=alt.Scale(zero=False)))
    points = alt.Chart(series).mark_point(filled=True, size=60, color="#0072B2").encode(
        x=x, y="value:Q", opacity=quality_opacity(lang, series.quality.unique()),
        tooltip=[alt.Tooltip("year:Q", title=t("chart.year", lang)), alt.Tooltip("value:Q", title=name),
                 alt.Tooltip("quality_label:N", title=t("chart.quality", lang))])
    rules = alt.Chart(segments).mark_rule(strokeDash=[6, 4], strokeWidth=2).encode(
        x=alt.X("start:Q"), x2="end:Q", y="value:Q", color=alt.Color("color:N", scale=None))
    labels = alt.Chart(segments).mark_text(align="right", baseline="bottom", dy=-4, fontSize=12).encode(
        x="end:Q", y="value:Q", text="label:N", color=alt.Color("color:N", scale=None))
    chart = alt.layer(line, points, rules, labels).properties(
        title=t("plans.in_time.chart", lang, name=name), height=320, autosize=AUTOSIZE)
    return finish(chart, width=640)
