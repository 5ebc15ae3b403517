"""Charts of the ecology page (Altair): every environment goal at a glance, and the "two mountains" link."""
from __future__ import annotations

import altair as alt
import pandas as pd

from twomountains.charts.common import (AUTOSIZE, NEUTRAL, REFERENCE, quality_label, quality_labels, quality_range,
                                        status_scale, status_table, wrap)
from twomountains.i18n import t
from twomountains.text import vega_text
from twomountains.tourism import PANDEMIC_YEARS

PANEL_WIDTH, PANEL_HEIGHT = 160, 110


def small_multiples_chart(frame: pd.DataFrame, names: dict[str, str], units: dict[str, str], lang: str,
                          columns: int = 4, panel_width: int = PANEL_WIDTH) -> alt.ConcatChart:
    """One small panel per goal: its series coloured by its status, the target dashed, demo points hollow.

    `frame` is environment.small_multiples_frame's output; `names` and `units` map codes to the
    goal's name and unit in `lang`. The status legend is shared by all panels.
    """
    status_names, status_colors = status_scale(lang)
    status_name = status_table()[f"name_{lang}"].to_dict()
    years = frame.year.tolist()
    x_scale = alt.Scale(domain=[min(years) - 0.5, max(years) + 0.5], nice=False)
    panels = []
    for code, group in frame.groupby("code", sort=False):
        data = group.copy()
        data["status_label"] = data.status.map(status_name)
        data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
        data["name"] = names[code]
        target = group.target.iloc[0]
        values = data.value.tolist() + ([target] if pd.notna(target) else [])
        low, high = min(values), max(values)
        pad = (high - low) * 0.1 or 1
        y_scale = alt.Scale(domain=[low - pad, high + pad], nice=False, zero=False)
        color = alt.Color("status_label:N", scale=alt.Scale(domain=status_names, range=status_colors),
                          legend=alt.Legend(title=t("chart.status", lang), orient="bottom", columns=8))
        tooltip = [alt.Tooltip("name:N", title=t("chart.goal", lang)),
                   alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
                   alt.Tooltip("value:Q", title=units.get(code) or t("chart.value", lang), format=",.1f"),
                   alt.Tooltip("status_label:N", title=t("chart.status", lang)),
                   alt.Tooltip("quality_label:N", title=t("chart.quality", lang))]
        x = alt.X("year:Q", scale=x_scale, axis=alt.Axis(format="d", tickCount=3, title=None, labelOverlap=True))
        y = alt.Y("value:Q", scale=y_scale, axis=alt.Axis(title=units.get(code) or None, tickCount=4))
        base = alt.Chart(data)
        layers = [base.mark_line(strokeWidth=2).encode(x=x, y=y, color=color, tooltip=tooltip),
                  base.mark_point(size=22, strokeWidth=1.5, opacity=1).encode(
                      x=x, y=y, color=color, tooltip=tooltip,
                      fill=alt.condition("datum.quality == 'demo'", alt.value("white"),
                                         alt.Fill("status_label:N", legend=None,
                                                  scale=alt.Scale(domain=status_names, range=status_colors))))]
        if pd.notna(target):
            layers.append(alt.Chart(pd.DataFrame([{"value": target}])).mark_rule(
                color=REFERENCE, strokeDash=[4, 3]).encode(y=alt.Y("value:Q", scale=y_scale)))
        panels.append(alt.layer(*layers).properties(
            width=panel_width, height=PANEL_HEIGHT,
            title=alt.TitleParams(wrap(names[code], lang), fontSize=12, anchor="start")))
    return alt.concat(*panels, columns=columns).resolve_scale(y="independent", x="shared").properties(
        title=alt.TitleParams(t("chart.small_multiples_title", lang),
                              subtitle=t("chart.small_multiples_subtitle", lang)))


def link_chart(frame: pd.DataFrame, ecology_name: str, ecology_unit: str, prosperity_name: str,
               prosperity_unit: str, ecology_target: float | None, lang: str, height: int = 420) -> alt.LayerChart:
    """Connected scatter: ecology (x) against prosperity (y), one point a year, labelled with the year.

    `frame` is environment.link_frame's output. A point is hollow when either value is demo data;
    the pandemic years are drawn as squares.
    """
    ecology_name, prosperity_name = vega_text(ecology_name), vega_text(prosperity_name)
    data = frame.copy()
    data["demo"] = (data.ecology_quality == "demo") | (data.prosperity_quality == "demo")
    data["quality_label"] = data.demo.map(lambda d: quality_label("demo" if d else "published", lang))
    data["period_label"] = data.year.map(
        lambda y: t("chart.pandemic_short_year", lang, year=y) if y in PANDEMIC_YEARS else str(y))
    data["kind"] = data.year.map(lambda y: t("chart.pandemic" if y in PANDEMIC_YEARS else "chart.normal_year", lang))
    x_values = data.ecology.tolist() + ([ecology_target] if ecology_target is not None else [])
    x_pad = (max(x_values) - min(x_values)) * 0.08 or 1
    x_scale = alt.Scale(domain=[min(x_values) - x_pad, max(x_values) + x_pad], nice=False, zero=False)
    y_scale = alt.Scale(zero=True, nice=True)
    x = alt.X("ecology:Q", scale=x_scale, title=f"{ecology_name} ({ecology_unit})" if ecology_unit else ecology_name)
    y = alt.Y("prosperity:Q", scale=y_scale,
              title=f"{prosperity_name} ({prosperity_unit})" if prosperity_unit else prosperity_name)
    tooltip = [alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip("ecology:Q", title=ecology_name, format=",.1f"),
               alt.Tooltip("prosperity:Q", title=prosperity_name, format=",.1f"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang))]
    present = ["published", "demo"] if (~data.demo).any() else ["demo"]
    base = alt.Chart(data)
    path = base.mark_line(color=NEUTRAL, strokeWidth=1.5, opacity=0.7).encode(x=x, y=y, order="year:Q")
    kinds = [t("chart.normal_year", lang), t("chart.pandemic", lang)]
    points = base.mark_point(size=110, strokeWidth=2, color=NEUTRAL).encode(
        x=x, y=y, tooltip=tooltip,
        shape=alt.Shape("kind:N", scale=alt.Scale(domain=kinds, range=["circle", "square"]),
                        legend=alt.Legend(title=None, orient="bottom")),
        fill=alt.Fill("quality_label:N", title=t("chart.quality", lang),
                      scale=alt.Scale(domain=quality_labels(lang, present),
                                      range=quality_range(present, {"published": NEUTRAL, "demo": "white"})),
                      legend=alt.Legend(orient="bottom")))
    labels = base.mark_text(align="left", dx=9, dy=-7, fontSize=11, color="#333333").encode(
        x=x, y=y, text="period_label:N")
    layers = [path, points, labels]
    if ecology_target is not None:
        target = pd.DataFrame([{"ecology": ecology_target,
                                "label": t("chart.link_target", lang, value=f"{ecology_target:g}")}])
        layers.append(alt.Chart(target).mark_rule(color=REFERENCE, strokeDash=[5, 3]).encode(x=x))
        layers.append(alt.Chart(target).mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=11,
                                                  color=REFERENCE).encode(x=x, y=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(
        title=alt.TitleParams(t("chart.link_title", lang, ecology=ecology_name, prosperity=prosperity_name),
                              subtitle=t("chart.link_subtitle", lang)),
        height=height, autosize=AUTOSIZE)
