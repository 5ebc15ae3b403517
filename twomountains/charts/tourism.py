"""Charts of the tourism page (Altair): quarters, growth on the same quarter, seasons, scenic areas."""
from __future__ import annotations

import altair as alt
import pandas as pd

from twomountains.charts.common import (AUTOSIZE, NEUTRAL, TOL_MUTED, pandemic_band, quality_label,
                                        quality_opacity, year_axis)
from twomountains.i18n import t
from twomountains.tourism import PANDEMIC_YEARS

QUARTER_WIDTH = 0.25
PANDEMIC_SPAN = (PANDEMIC_YEARS[0], PANDEMIC_YEARS[-1])


def quarter_label(year: int, quarter: int, lang: str) -> str:
    return t("chart.quarter_period", lang, year=int(year), quarter=int(quarter))


def _quarter_frame(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    data = frame.copy()
    data["t"] = data.year + (data.quarter - 1) * QUARTER_WIDTH
    data["period_label"] = [quarter_label(y, q, lang) for y, q in zip(data.year, data.quarter)]
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    return data


def _quarter_scale(data: pd.DataFrame) -> alt.Scale:
    return alt.Scale(domain=[float(data.t.min()) - 0.3, float(data.t.max()) + 0.3], nice=False, zero=False)


def _quarter_band(lang: str, x_scale: alt.Scale, height: int) -> alt.LayerChart:
    """The pandemic band on a quarter axis (a year runs from year to year + 1 there)."""
    first, last = PANDEMIC_SPAN
    data = pd.DataFrame([{"start": first - QUARTER_WIDTH / 2, "end": last + 1 - QUARTER_WIDTH / 2,
                          "mid": (first + last + 1) / 2 - QUARTER_WIDTH / 2, "label": t("chart.pandemic", lang)}])
    base = alt.Chart(data)
    return alt.layer(
        base.mark_rect(color="#DDDDDD", opacity=0.6).encode(x=alt.X("start:Q", scale=x_scale), x2="end:Q"),
        base.mark_text(baseline="bottom", dy=-4, fontSize=11, color="#444444").encode(
            x=alt.X("mid:Q", scale=x_scale), y=alt.value(height), text="label:N"))


def quarterly_chart(frame: pd.DataFrame, name: str, unit_label: str, decimals: int, basis: str, lang: str,
                    height: int = 300) -> alt.LayerChart:
    """Bars per quarter; `frame` has year, quarter, value (single quarter or year-to-date, as `basis` says),
    quality and derived (True where a single quarter was derived from year-to-date totals)."""
    data = _quarter_frame(frame, lang)
    data["derived_label"] = data.derived.map(lambda d: t("tourism.derived_yes" if d else "tourism.derived_no", lang))
    x_scale = _quarter_scale(data)
    value_title = unit_label or t("chart.value", lang)
    tooltip = [alt.Tooltip("period_label:N", title=t("chart.period", lang)),
               alt.Tooltip("value:Q", title=value_title, format=f",.{decimals}f"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang)),
               alt.Tooltip("derived_label:N", title=t("tourism.derived_title", lang))]
    bars = alt.Chart(data).mark_bar(color=NEUTRAL, size=9).encode(
        x=alt.X("t:Q", axis=year_axis(lang), scale=x_scale),
        y=alt.Y("value:Q", title=value_title),
        opacity=quality_opacity(lang, set(data.quality.dropna())), tooltip=tooltip)
    return alt.layer(_quarter_band(lang, x_scale, height), bars).properties(
        title=alt.TitleParams(t(f"chart.quarterly_title.{basis}", lang, name=name),
                              subtitle=t(f"chart.quarterly_subtitle.{basis}", lang)),
        height=height, autosize=AUTOSIZE)


def quarter_growth_chart(frame: pd.DataFrame, name: str, lang: str, height: int = 260) -> alt.LayerChart:
    """Growth over the same quarter a year earlier; `frame` has year, quarter, yoy, quality."""
    data = _quarter_frame(frame.dropna(subset=["yoy"]), lang)
    x_scale = _quarter_scale(data)
    y_title = t("chart.growth_axis", lang)
    tooltip = [alt.Tooltip("period_label:N", title=t("chart.period", lang)),
               alt.Tooltip("yoy:Q", title=y_title, format="+.1%"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang))]
    bars = alt.Chart(data).mark_bar(size=9, color=NEUTRAL).encode(
        x=alt.X("t:Q", axis=year_axis(lang), scale=x_scale),
        y=alt.Y("yoy:Q", title=y_title, axis=alt.Axis(format="%")),
        opacity=quality_opacity(lang, set(data.quality.dropna())), tooltip=tooltip)
    zero = alt.Chart(pd.DataFrame([{"yoy": 0.0}])).mark_rule(color="#666666").encode(y="yoy:Q")
    return alt.layer(_quarter_band(lang, x_scale, height), bars, zero).properties(
        title=alt.TitleParams(t("chart.quarter_growth_title", lang, name=name),
                              subtitle=t("chart.quarter_growth_subtitle", lang)),
        height=height, autosize=AUTOSIZE)


def seasonality_chart(frame: pd.DataFrame, name: str, lang: str) -> alt.LayerChart:
    """Quarter × year heatmap of each quarter's share of its year; `frame` from tourism.seasonality."""
    data = frame.copy()
    pandemic_mark = t("chart.pandemic_short", lang)
    data["year_label"] = [f"{y} {pandemic_mark}" if y in PANDEMIC_YEARS else str(y) for y in data.year]
    data["quarter_label"] = data.quarter.map(lambda q: t(f"chart.quarter.{q}", lang))
    data["share_text"] = data.share.map(lambda s: f"{s * 100:.0f}%")
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    quarters = [t(f"chart.quarter.{q}", lang) for q in (1, 2, 3, 4)]
    years = sorted(data.year_label.unique(), key=lambda label: int(label[:4]))
    x = alt.X("quarter_label:N", sort=quarters, title=None, axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("year_label:N", sort=years, title=None)
    tooltip = [alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip("quarter_label:N", title=t("chart.quarter_title", lang)),
               alt.Tooltip("share:Q", title=t("chart.share", lang), format=".1%"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang))]
    base = alt.Chart(data)
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        x=x, y=y, color=alt.Color("share:Q", scale=alt.Scale(scheme="viridis"),
                                  legend=alt.Legend(title=t("chart.share", lang), format="%", orient="right")),
        tooltip=tooltip)
    text = base.mark_text(fontSize=12).encode(
        x=x, y=y, text="share_text:N",
        color=alt.condition(alt.datum.share > 0.3, alt.value("black"), alt.value("white")))
    return alt.layer(cells, text).properties(
        title=alt.TitleParams(t("chart.seasonality_title", lang, name=name),
                              subtitle=t("chart.seasonality_subtitle", lang)),
        height=max(24 * len(years), 120), autosize=AUTOSIZE)


def area_colors(codes: list[str]) -> list[str]:
    return [TOL_MUTED[i % len(TOL_MUTED)] for i in range(len(codes))]


def scenic_trend_chart(frame: pd.DataFrame, measure: str, unit_label: str, decimals: int, lang: str,
                       height: int = 320) -> alt.LayerChart:
    """Annual `measure` (visits, revenue or yuan_per_visit) by scenic area; `frame` from the
    scenic_area_years query with an `area` column (the name in `lang`), quality and source_label."""
    data = frame[["area", "area_order", "year", measure, "quality", "source_label"]].copy()
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    order = data.drop_duplicates("area").sort_values("area_order")
    areas = order.area.tolist()
    value_title = unit_label or t("chart.value", lang)
    years = data.year.tolist()
    x_scale = alt.Scale(domain=[min(years) - 0.3, max(years) + 0.3], nice=False)
    color = alt.Color("area:N", scale=alt.Scale(domain=areas, range=area_colors(areas)),
                      legend=alt.Legend(title=t("tourism.scenic_area", lang), orient="right", labelLimit=260))
    tooltip = [alt.Tooltip("area:N", title=t("tourism.scenic_area", lang)),
               alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip(f"{measure}:Q", title=value_title, format=f",.{decimals}f"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang)),
               alt.Tooltip("source_label:N", title=t("chart.source", lang))]
    lines = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(filled=False, fill="white", size=40),
                                      strokeWidth=2).encode(
        x=alt.X("year:Q", axis=year_axis(lang), scale=x_scale),
        y=alt.Y(f"{measure}:Q", title=value_title), color=color, tooltip=tooltip)
    band = pandemic_band(lang, PANDEMIC_SPAN, x_scale, height)
    return alt.layer(band, lines).properties(
        title=alt.TitleParams(t(f"chart.scenic_title.{measure}", lang),
                              subtitle=t("chart.demo_subtitle", lang)),
        height=height, autosize=AUTOSIZE)


def per_visit_chart(frame: pd.DataFrame, lang: str, height: int = 260) -> alt.LayerChart:
    """District revenue per visit (yuan) by year; `frame` from tourism.per_visit_frame."""
    data = frame.copy()
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    years = data.year.tolist()
    x_scale = alt.Scale(domain=[min(years) - 0.3, max(years) + 0.3], nice=False)
    y_title = t("tourism.yuan_per_visit", lang)
    tooltip = [alt.Tooltip("year:Q", title=t("chart.year", lang), format="d"),
               alt.Tooltip("yuan_per_visit:Q", title=y_title, format=",.0f"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang))]
    line = alt.Chart(data).mark_line(color=NEUTRAL, strokeWidth=2.5).encode(
        x=alt.X("year:Q", axis=year_axis(lang), scale=x_scale), y=alt.Y("yuan_per_visit:Q", title=y_title))
    points = alt.Chart(data).mark_point(size=70, strokeWidth=2, color=NEUTRAL).encode(
        x=alt.X("year:Q", scale=x_scale), y="yuan_per_visit:Q",
        fill=alt.Fill("quality_label:N", title=t("chart.quality", lang), scale=alt.Scale(
            domain=[quality_label(q, lang) for q in ("published", "reported", "demo") if q in set(data.quality)],
            range=[{"published": NEUTRAL, "reported": NEUTRAL, "demo": "white"}[q]
                   for q in ("published", "reported", "demo") if q in set(data.quality)]),
            legend=alt.Legend(orient="bottom")),
        tooltip=tooltip)
    return alt.layer(pandemic_band(lang, PANDEMIC_SPAN, x_scale, height), line, points).properties(
        title=alt.TitleParams(t("chart.per_visit_title", lang), subtitle=t("chart.per_visit_subtitle", lang)),
        height=height, autosize=AUTOSIZE)


def scenic_per_visit_bars(frame: pd.DataFrame, year: int, lang: str) -> alt.LayerChart:
    """Spending per visit by scenic area in one year (scenic-area revenue, not the district's total tourism revenue)."""
    data = frame[["area", "area_order", "yuan_per_visit", "quality", "source_label"]].copy()
    data["quality_label"] = data.quality.map(lambda q: quality_label(q, lang))
    data["value_text"] = data.yuan_per_visit.map(lambda v: f"{v:,.0f}")
    order = data.sort_values("yuan_per_visit", ascending=False).area.tolist()
    x_title = t("tourism.yuan_per_visit", lang)
    x_scale = alt.Scale(zero=True, nice=True)
    y = alt.Y("area:N", sort=order, title=None, axis=alt.Axis(labelLimit=260))
    tooltip = [alt.Tooltip("area:N", title=t("tourism.scenic_area", lang)),
               alt.Tooltip("yuan_per_visit:Q", title=x_title, format=",.0f"),
               alt.Tooltip("quality_label:N", title=t("chart.quality", lang)),
               alt.Tooltip("source_label:N", title=t("chart.source", lang))]
    bars = alt.Chart(data).mark_bar(height=16).encode(
        x=alt.X("yuan_per_visit:Q", title=x_title, scale=x_scale), y=y,
        color=alt.Color("area:N", scale=alt.Scale(domain=data.sort_values("area_order").area.tolist(),
                                                  range=area_colors(data.area.tolist())), legend=None),
        opacity=quality_opacity(lang, set(data.quality.dropna())), tooltip=tooltip)
    labels = alt.Chart(data).mark_text(align="left", dx=3, fontSize=11).encode(
        x=alt.X("yuan_per_visit:Q", scale=x_scale), y=y, text="value_text:N")
    layers = [bars, labels]
    return alt.layer(*layers).properties(
        title=alt.TitleParams(t("chart.scenic_per_visit_title", lang, year=year),
                              subtitle=t("chart.demo_subtitle", lang)),
        height=max(28 * len(data), 120), autosize=AUTOSIZE)
