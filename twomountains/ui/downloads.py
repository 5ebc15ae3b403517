"""Download buttons: a chart as PNG and SVG (made on the server, offline), a table as CSV and XLSX (formula-safe).

Every file is made by a callable, only when its button is pressed, and the press does not rerun the page
(on_click="ignore"), so the buttons add nothing to a page's run time."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from twomountains.charts import figure_export
from twomountains.exports import csv_bytes, xlsx_bytes
from twomountains.ui.session import tr


def _export():
    """vl-convert and Altair are imported when a file is asked for, not by every page that shows a button."""
    from twomountains.charts import export
    return export


def chart_buttons(chart, name: str, key: str, container=None) -> None:
    """PNG and SVG of an Altair chart; the file is drawn only when the button is pressed."""
    container = container or st
    left, right = container.columns(2)
    left.download_button(tr("explore.download.png"), data=lambda: _export().png_bytes(chart), file_name=f"{name}.png",
                         mime="image/png", icon=":material/image:", on_click="ignore", key=f"{key}_png")
    right.download_button(tr("explore.download.svg"), data=lambda: _export().svg_bytes(chart), file_name=f"{name}.svg",
                          mime="image/svg+xml", icon=":material/draw:", on_click="ignore", key=f"{key}_svg")


def figure_buttons(figure, name: str, key: str, container=None) -> None:
    """PNG and SVG of a plotly figure: the same figure, drawn by plotly.js in a headless Chromium."""
    container = container or st
    if not figure_export.available():
        container.caption(tr("explore.download.needs_chromium"))
        return
    container.download_button(tr("explore.download.png"), data=lambda: figure_export.png_bytes(figure),
                               file_name=f"{name}.png", mime="image/png", icon=":material/image:",
                               on_click="ignore", key=f"{key}_png")
    container.download_button(tr("explore.download.svg"), data=lambda: figure_export.svg_bytes(figure),
                              file_name=f"{name}.svg", mime="image/svg+xml", icon=":material/draw:",
                              on_click="ignore", key=f"{key}_svg")


def svg_buttons(svg: str, name: str, key: str, container=None) -> None:
    """PNG and SVG of an SVG drawing made on the server (a sparkline): the SVG as it is, the PNG from it."""
    container = container or st
    container.download_button(tr("explore.download.png"), data=lambda: _export().svg_to_png_bytes(svg),
                              file_name=f"{name}.png", mime="image/png", icon=":material/image:",
                              on_click="ignore", key=f"{key}_png")
    container.download_button(tr("explore.download.svg"), data=lambda: svg.encode("utf-8"),
                              file_name=f"{name}.svg", mime="image/svg+xml", icon=":material/draw:",
                              on_click="ignore", key=f"{key}_svg")


def table_buttons(frame: pd.DataFrame, name: str, key: str, container=None) -> None:
    """CSV (UTF-8 with BOM) and XLSX of a table, with cells that look like formulas made inert."""
    container = container or st
    left, right = container.columns(2)
    left.download_button(tr("explore.download.csv"), data=lambda: csv_bytes(frame), file_name=f"{name}.csv",
                         mime="text/csv", icon=":material/table:", on_click="ignore", key=f"{key}_csv")
    right.download_button(tr("explore.download.xlsx"), data=lambda: xlsx_bytes(frame), file_name=f"{name}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/grid_on:", on_click="ignore", key=f"{key}_xlsx")
