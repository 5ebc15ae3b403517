"""The detail chart of one goal: its series, the target, the required path, the projection and the verdict;
and, for growth targets, the yearly growth against the target rate (Altair)."""
from __future__ import annotations

from dataclasses import dataclass

import altair as alt
import pandas as pd

from twomountains.charts.common import (AUTOSIZE, NEUTRAL, REFERENCE, pandemic_band, quality_label, quality_labels,
                                        quality_opacity, quality_range, status_color, year_axis)
from twomountains.i18n import t
from twomountains.text import vega_expression_string

LAYER_DASH = {"observed": [1, 0], "required": [2, 3], "projection": [7, 4]}


@dataclass(frozen=True)
class SeriesInfo:
    """What the chart needs to know about the goal, already in the reader's language."""
    name: str
    unit_label: str
    decimals: int
    target_type: str
    target: float | None
    target_text: str
    target_year: int
    status: str
    region: str


@dataclass(frozen=True)
class VerdictMark:
    status: str
    status_name: str
    value: float | None


def _value_format(decimals: int) -> str:
    return f",.{decimals}f"


def _labelled(frame: pd.DataFrame, lang: str, source_names: dict | None) -> pd.DataFrame:
    out = frame.copy()
    out["layer_label"] = out.layer.map(lambda layer: t(f"chart.layer.{layer}", lang))
    out["quality_label"] = out.quality.map(lambda q: quality_label(q, lang))
    names = source_names or {}
    out["source_label"] = out.source.map(lambda s: names.get(s, s) if isinstance(s, str) else "")
    return out


def trajectory_chart(frame: pd.DataFrame, info: SeriesInfo, lang: str, *, verdict: VerdictMark | None = None,
                     source_names: dict | None = None, pandemic: tuple[int, int] | None = None,
                     height: int = 380) -> alt.LayerChart:
    """`frame` is twomountains.trajectory.trajectory_frame's output."""
    data = _labelled(frame, lang, source_names)
    qualities = set(data.quality.dropna())
    color = status_color(info.status)
    layers_present = [layer for layer in LAYER_DASH if layer in set(data.layer)]
    layer_names = [t(f"chart.layer.{layer}", lang) for layer in layers_present]
    layer_colors = [color if layer != "required" else REFERENCE for layer in layers_present]
    value_format = _value_format(info.decimals)

    years = data.year.tolist() + [info.target_year]
    x_scale = alt.Scale(domain=[min(years) - 0.3, max(years) + 0.3], nice=False)
    x = alt.X("year:Q", axis=year_axis(lang), scale=x_scale)
    y_scale = _y_scale(info, data)
    y_axis = _y_axis(info, lang)
    tooltip = [alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip("value:Q", title=info.unit_label or t("chart.value", lang), format=value_format),
               alt.Tooltip("layer_label:N", title=t("chart.line", lang)),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang)),
               alt.Tooltip("source_label:N", title=t("chart.source", lang))]

    base = alt.Chart(data)
    interpolate = "step-after" if info.target_type == "milestone" else "linear"
    lines = base.mark_line(strokeWidth=2.5, interpolate=interpolate).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
        color=alt.Color("layer_label:N", scale=alt.Scale(domain=layer_names, range=layer_colors),
                        legend=alt.Legend(title=None, orient="bottom", symbolStrokeWidth=3, labelLimit=360)),
        strokeDash=alt.StrokeDash("layer_label:N", scale=alt.Scale(
            domain=layer_names, range=[LAYER_DASH[layer] for layer in layers_present]),
            legend=alt.Legend(title=None, orient="bottom", symbolStrokeWidth=3, labelLimit=360)),
        detail="layer_label:N", tooltip=tooltip)
    points = base.transform_filter(alt.datum.layer == "observed").mark_point(
        size=70, strokeWidth=2, stroke=color, opacity=1).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale),
        fill=alt.Fill("quality_label:N", title=t("chart.quality", lang),
                      scale=alt.Scale(domain=quality_labels(lang, qualities),
                                      range=quality_range(qualities, {"published": color, "reported": color,
                                                                      "demo": "white"})),
                      legend=alt.Legend(orient="bottom")),
        tooltip=tooltip)
    layers = []
    if pandemic:
        layers.append(pandemic_band(lang, pandemic, x_scale, height))
    layers += [lines, points]

    if info.target is not None and info.target_type in ("level", "count", "rank"):
        target = pd.DataFrame([{"value": info.target, "year": min(years) - 0.3,
                                "label": f"{t('chart.target', lang)} {info.target_text}"}])
        rule = alt.Chart(target).mark_rule(color=REFERENCE, strokeDash=[5, 3], strokeWidth=1.5).encode(
            y=alt.Y("value:Q", scale=y_scale))
        text = alt.Chart(target).mark_text(align="left", dx=4, dy=-7, color=REFERENCE, fontSize=12).encode(
            x=alt.X("year:Q", scale=x_scale), y=alt.Y("value:Q", scale=y_scale), text="label:N")
        layers += [rule, text]

    year_rule = pd.DataFrame([{"year": info.target_year,
                               "label": t("chart.target_year", lang, year=info.target_year)}])
    layers.append(alt.Chart(year_rule).mark_rule(color="#999999", strokeWidth=1).encode(
        x=alt.X("year:Q", scale=x_scale)))
    if verdict is None:
        layers.append(alt.Chart(year_rule).mark_text(align="right", baseline="top", dx=-4, dy=4, fontSize=11,
                                                     color="#444444").encode(
            x=alt.X("year:Q", scale=x_scale), y=alt.value(0), text="label:N"))
    else:
        mark = pd.DataFrame([{"year": info.target_year, "value": verdict.value,
                              "label": t("chart.verdict", lang, year=info.target_year, status=verdict.status_name)}])
        verdict_color = status_color(verdict.status)
        layers.append(alt.Chart(mark).mark_text(align="right", baseline="top", dx=-6, dy=4, fontSize=12,
                                                fontWeight="bold", color=verdict_color).encode(
            x=alt.X("year:Q", scale=x_scale), y=alt.value(0), text="label:N"))
        if verdict.value is not None:
            layers.append(alt.Chart(mark).mark_point(shape="diamond", size=260, filled=True, color=verdict_color,
                                                     stroke="#222222", strokeWidth=1).encode(
                x=alt.X("year:Q", scale=x_scale), y=alt.Y("value:Q", scale=y_scale),
                tooltip=[alt.Tooltip("label:N", title=t("chart.verdict_title", lang)),
                         alt.Tooltip("value:Q", title=info.unit_label or t("chart.value", lang),
                                     format=value_format)]))

    return alt.layer(*layers).properties(
        title=alt.TitleParams(t("chart.trajectory_title", lang, name=info.name, region=info.region),
                              subtitle=t("chart.trajectory_subtitle" if len(layers_present) > 1
                                         else "chart.trajectory_subtitle_plain", lang)),
        height=height, autosize=AUTOSIZE)


def _y_scale(info: SeriesInfo, data: pd.DataFrame) -> alt.Scale:
    if info.target_type == "milestone":
        return alt.Scale(domain=[-0.2, 1.2], nice=False)
    if info.target_type == "rank":
        values = data.value.tolist() + ([info.target] if info.target is not None else [])
        return alt.Scale(domain=[1, max(values) + 1], nice=False, reverse=True, zero=False)
    values = data.value.dropna().tolist() + ([info.target] if info.target is not None else [])
    if info.target_type in ("count", "cagr"):
        return alt.Scale(domain=[0, max(values) * 1.08 if values else 1], nice=True)
    low, high = (min(values), max(values)) if values else (0, 1)
    pad = (high - low) * 0.08 or 1
    return alt.Scale(domain=[low - pad, high + pad], nice=True, zero=False)


def _y_axis(info: SeriesInfo, lang: str) -> alt.Axis:
    title = info.unit_label or t("chart.value", lang)
    if info.target_type == "milestone":
        done, pending = t("value.milestone_done", lang), t("value.milestone_pending", lang)
        return alt.Axis(values=[0, 1], title=None,
                        labelExpr=f"datum.value == 1 ? {vega_expression_string(done)} : {vega_expression_string(pending)}")
    if info.target_type == "rank":
        return alt.Axis(title=title, tickMinStep=1, format="d")
    return alt.Axis(title=title)


def growth_chart(frame: pd.DataFrame, name: str, target_rate: float, base_year: int, status: str, lang: str,
                 *, pandemic: tuple[int, int] | None = None, height: int = 320) -> alt.LayerChart:
    """Yearly growth (bars) and average growth since the base year (line) against the target rate.

    `frame` is twomountains.trajectory.growth_frame's output; rates are fractions (0.2 = 20 %).
    """
    data = frame.copy()
    data["measure_label"] = data.measure.map(lambda m: t(f"chart.growth.{m}", lang))
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    color = status_color(status)
    years = data.year.tolist() or [base_year]
    x_scale = alt.Scale(domain=[min(years) - 0.6, max(years) + 0.6], nice=False)
    x = alt.X("year:Q", axis=year_axis(lang), scale=x_scale)
    y = alt.Y("rate:Q", axis=alt.Axis(format="%", title=t("chart.growth_axis", lang)))
    tooltip = [alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip("rate:Q", title=t("chart.growth_axis", lang), format=".1%"),
               alt.Tooltip("measure_label:N", title=t("chart.line", lang)),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang))]
    yoy_label = t("chart.growth.year_on_year", lang)
    since_label = t("chart.growth.since_base", lang, year=base_year)
    data.loc[data.measure == "since_base", "measure_label"] = since_label
    bars = alt.Chart(data[data.measure == "year_on_year"]).mark_bar(size=22, color=NEUTRAL).encode(
        x=x, y=y, opacity=quality_opacity(lang, set(data.quality.dropna())), tooltip=tooltip)
    line = alt.Chart(data[data.measure == "since_base"]).mark_line(point=True, strokeWidth=2.5).encode(
        x=x, y=y, color=alt.Color("measure_label:N", scale=alt.Scale(
            domain=[since_label, yoy_label], range=[color, NEUTRAL]),
            legend=alt.Legend(title=None, orient="bottom", labelLimit=360)),
        tooltip=tooltip)
    target = pd.DataFrame([{"rate": target_rate, "year": max(years) + 0.6,
                            "label": t("chart.growth_target", lang, rate=f"{target_rate * 100:.0f}")}])
    rule = alt.Chart(target).mark_rule(color=REFERENCE, strokeDash=[5, 3], strokeWidth=1.5).encode(y="rate:Q")
    text = alt.Chart(target).mark_text(align="right", dx=-4, dy=-7, color=REFERENCE, fontSize=12).encode(
        x=alt.X("year:Q", scale=x_scale), y="rate:Q", text="label:N")
    zero = alt.Chart(pd.DataFrame([{"rate": 0.0}])).mark_rule(color="#888888").encode(y="rate:Q")
    layers = ([pandemic_band(lang, pandemic, x_scale, height)] if pandemic else []) + [bars, zero, line, rule, text]
    return alt.layer(*layers).properties(
        title=alt.TitleParams(t("chart.growth_title", lang, name=name),
                              subtitle=t("chart.growth_subtitle", lang, year=base_year)),
        height=height, autosize=AUTOSIZE)
