"""A goal by township: one bar per unit for a year, with the target (Altair)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from twomountains.charts.common import AUTOSIZE, NEUTRAL, REFERENCE, quality_label, quality_opacity
from twomountains.i18n import t


def township_chart(frame: pd.DataFrame, name: str, unit_label: str, decimals: int, year: int,
                   target: float | None, target_text: str, lang: str) -> alt.LayerChart:
    """`frame` has label (the unit's name with what the reform did to it), value, year, quality and
    source_label; a unit whose last value is older than `year` (an old unit) says its own year."""
    data = frame.copy()
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    data["value_text"] = data.value.map(lambda v: f"{v:,.{decimals}f}")
    order = data.sort_values("value", ascending=False).label.tolist()
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    x_title = unit_label or t("chart.value", lang)
    x_scale = alt.Scale(zero=True, nice=True)
    tooltip = [alt.Tooltip("label:N", title=t("chart.township", lang)),
               alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip("value:Q", title=x_title, format=f",.{decimals}f"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang)),
               alt.Tooltip("source_label:N", title=t("chart.source", lang))]
    base = alt.Chart(data)
    bars = base.mark_bar(color=NEUTRAL, height=18).encode(
        x=alt.X("value:Q", title=x_title, scale=x_scale), y=y,
        opacity=quality_opacity(lang, set(data.quality.dropna())), tooltip=tooltip)
    labels = base.mark_text(align="left", dx=3, fontSize=11, color="#333333").encode(
        x=alt.X("value:Q", scale=x_scale), y=y, text="value_text:N")
    layers = [bars, labels]
    if target is not None:
        rule_data = pd.DataFrame([{"value": target, "label": f"{t('chart.target', lang)} {target_text}"}])
        layers.append(alt.Chart(rule_data).mark_rule(color=REFERENCE, strokeDash=[5, 3], strokeWidth=1.5).encode(
            x=alt.X("value:Q", scale=x_scale)))
        layers.append(alt.Chart(rule_data).mark_text(align="left", baseline="bottom", dx=4, dy=-2, fontSize=12,
                                                     color=REFERENCE).encode(
            x=alt.X("value:Q", scale=x_scale), y=alt.value(0), text="label:N"))
    return alt.layer(*layers).properties(
        title=alt.TitleParams(t("chart.township_title", lang, name=name, year=year),
                              subtitle=t("chart.township_subtitle", lang)),
        height=max(26 * len(data), 120), autosize=AUTOSIZE)
