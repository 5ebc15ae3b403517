"""The annual series of one indicator with its target line (plotly)."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from twomountains.i18n import t
from twomountains.text import plotly_text

QUALITY_SYMBOLS = {"published": "circle", "reported": "diamond", "demo": "circle-open"}


def series_figure(annual: pd.DataFrame, name: str, unit_label: str, target: float | None,
                  status_color: str, lang: str) -> go.Figure:
    """`annual` has year, value and quality; demo points are drawn hollow, published ones filled."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=annual.year, y=annual.value, mode="lines+markers", name=plotly_text(name),
        line={"color": status_color, "width": 3},
        marker={"size": 9, "symbol": [QUALITY_SYMBOLS.get(q, "circle") for q in annual.quality],
                "color": status_color},
        customdata=[plotly_text(t(f"quality.{q}", lang)) for q in annual.quality],
        hovertemplate="%{x}: %{y}<br>%{customdata}<extra></extra>",
    ))
    if target is not None:
        figure.add_hline(y=target, line_dash="dash", line_color="#555555",
                         annotation_text=f"{t('indicator.target_line', lang)} {target:g}",
                         annotation_position="top left")
    figure.update_layout(
        title=plotly_text(t("indicator.chart_title", lang, name=name)),
        xaxis_title=t("indicator.axis_year", lang),
        yaxis_title=plotly_text(unit_label or t("indicator.axis_value", lang)),
        showlegend=False, margin={"l": 60, "r": 20, "t": 60, "b": 50}, height=420,
        font={"family": "Noto Sans CJK SC, Source Sans Pro, sans-serif"},
    )
    figure.update_xaxes(dtick=1)
    return figure
