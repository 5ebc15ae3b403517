"""What every Altair chart of the dashboard shares: fonts, the status palette, the other colours, the
demo/published marking and the pandemic-years band.

Colour rules: the status colours of data/catalog/statuses.csv (Okabe-Ito, colour-blind safe) mean a
status and nothing else. Data that is not a status is drawn in a neutral slate; categories that are
not statuses (scenic areas) use Paul Tol's colour-blind-safe "muted" scheme. Demo values are drawn
lighter or hollow, published ones solid, and both are named in a legend and in every tooltip.
"""
from __future__ import annotations

import textwrap
from functools import lru_cache

import altair as alt
import pandas as pd

from twomountains.i18n import t
from twomountains.text import vega_text

FONT = "Noto Sans CJK SC, Source Sans Pro, sans-serif"
NEUTRAL = "#44546A"      # data that is not a status
REFERENCE = "#555555"    # target lines, required paths
BAND = "#DDDDDD"         # the pandemic years
TOL_MUTED = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499")
QUALITIES = ("published", "reported", "demo")
DEMO_OPACITY = 0.45
# The page stretches a chart to its column's width and keeps the plot's own height (Streamlit's
# default "fit" would squeeze titles, axes and legends into the height, leaving a flat plot).
AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


@lru_cache(maxsize=1)
def status_table() -> pd.DataFrame:
    from twomountains.metadata import load_table
    return load_table("statuses").set_index("code")


def status_color(status: str) -> str:
    return status_table().loc[status, "color"]


def status_scale(lang: str) -> tuple[list[str], list[str]]:
    """Status names in `lang` and their colours, in the statuses' order: a legend's domain and range."""
    table = status_table().sort_values("order")
    return table[f"name_{lang}"].tolist(), table.color.tolist()


def quality_label(quality, lang: str) -> str:
    return t(f"quality.{quality}", lang) if isinstance(quality, str) and quality else ""


def quality_labels(lang: str, present=None) -> list[str]:
    """Quality names in `lang`, in a fixed order; only those in `present` when it is given."""
    return [quality_label(q, lang) for q in QUALITIES if present is None or q in set(present)]


def quality_range(present, colors: dict[str, str]) -> list[str]:
    return [colors[q] for q in QUALITIES if q in set(present)]


def quality_opacity(lang: str, present, legend: bool = True) -> alt.Opacity:
    """Opacity by data quality: published and reported solid, demo light; with a legend saying so."""
    opacity = {"published": 1.0, "reported": 1.0, "demo": DEMO_OPACITY}
    return alt.Opacity("quality_label:N", title=t("chart.quality", lang),
                       scale=alt.Scale(type="ordinal", domain=quality_labels(lang, present),
                                       range=quality_range(present, opacity)),
                       legend=alt.Legend(orient="bottom") if legend else None)


def wrap(text: str, lang: str, width_zh: int = 14, width_en: int = 28) -> list[str]:
    """A title in lines that fit a small chart (Chinese has no spaces: cut by characters); one line per
    item, so a line break in the name cannot add lines of its own (vega_text)."""
    text = vega_text(text)
    if lang == "zh":
        return [text[i:i + width_zh] for i in range(0, len(text), width_zh)] or [""]
    return textwrap.wrap(text, width_en) or [""]


def year_axis(lang: str, title: bool = True) -> alt.Axis:
    return alt.Axis(format="d", tickMinStep=1, labelAngle=0, title=t("chart.year", lang) if title else None,
                    labelOverlap=True)


def pandemic_band(lang: str, years: tuple[int, int], x_scale: alt.Scale | None = None,
                  height: int | None = None) -> alt.LayerChart:
    """A grey band over the pandemic years on a quantitative year axis, labelled at its foot."""
    first, last = years
    data = pd.DataFrame([{"start": first - 0.5, "end": last + 0.5, "mid": (first + last) / 2,
                          "label": t("chart.pandemic", lang)}])
    scale = x_scale if x_scale is not None else alt.Scale(zero=False)
    base = alt.Chart(data)
    band = base.mark_rect(color=BAND, opacity=0.6).encode(x=alt.X("start:Q", scale=scale), x2="end:Q")
    text = base.mark_text(baseline="bottom", dy=-4, fontSize=11, color="#444444").encode(
        x=alt.X("mid:Q", scale=scale), y=alt.value(height if height else 300), text="label:N")
    return alt.layer(band, text)


def finish(chart, width: int | None = None, height: int | None = None):
    """Fonts and sizes for a top-level chart; a width for files (the page stretches to its column)."""
    sized = chart
    if width is not None or height is not None:
        sized = chart.properties(**{k: v for k, v in (("width", width), ("height", height)) if v is not None})
    return (sized.configure(font=FONT)
            .configure_axis(labelFontSize=12, titleFontSize=13, labelFont=FONT, titleFont=FONT)
            .configure_legend(labelFontSize=12, titleFontSize=12, labelFont=FONT, titleFont=FONT,
                              labelLimit=260)
            .configure_title(fontSize=15, anchor="start", font=FONT, subtitleFont=FONT, subtitleFontSize=12)
            .configure_view(stroke=None))
