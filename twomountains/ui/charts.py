"""Altair charts built once and drawn from a cache.

Building an Altair chart and validating its Vega-Lite spec against the schema took most of a page's
run time (py-spy, bench/RESULTS.md), and both give the same result until the data, the language or a
choice on the page changes. A chart is therefore built once per distinct call — the builder, its
arguments (DataFrames hashed by content) and the data version — and its spec is kept beside it:
every later view only sends the spec. The chart object is kept for the PNG and SVG downloads.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

import altair as alt
import pandas as pd
import pyarrow as pa
import streamlit as st

from twomountains.ui import session
from twomountains.ui.downloads import chart_buttons


@dataclass(frozen=True)
class DrawnChart:
    chart: Any            # the Altair chart, for files (never modified: Altair's methods return copies)
    spec: dict            # its validated Vega-Lite spec, with the data inline


def _spec(chart) -> DrawnChart:
    # The row limit of Altair's default data transformer is a guard for notebooks, not for a spec made
    # once and cached.
    with alt.data_transformers.enable("default", max_rows=None):
        spec = chart.to_dict()
    # Legends under a chart stack one above the other from its left edge instead of side by side: on a
    # 390 px phone two of them ran past the chart's right edge and were cut (issue 17).
    # and the entries of each one under the other (two long labels side by side are wider than a phone).
    legend = spec.setdefault("config", {}).setdefault("legend", {})
    legend.setdefault("layout", {"bottom": {"direction": "vertical", "anchor": "start"}})
    _wrap_bottom_legends(spec)
    if "datasets" in spec:
        spec["datasets"] = {name: _arrow(rows) for name, rows in spec["datasets"].items()}
    return DrawnChart(chart, spec)


def _wrap_bottom_legends(node) -> None:
    """Every legend under a chart that sets no column count of its own lists its entries in one column."""
    if isinstance(node, dict):
        legend = node.get("legend")
        if isinstance(legend, dict) and legend.get("orient") == "bottom":
            legend.setdefault("columns", 1)
        for key, value in node.items():
            if key not in ("datasets", "data"):
                _wrap_bottom_legends(value)
    elif isinstance(node, list):
        for value in node:
            _wrap_bottom_legends(value)


def _arrow(rows):
    """A table dataset as Arrow IPC bytes, which Streamlit sends as they are (it would convert the rows
    to Arrow again on every view); GeoJSON and other nested data stay as they are, for Vega to read."""
    if not isinstance(rows, list) or not rows or not all(
            isinstance(row, dict) and not any(isinstance(v, (dict, list)) for v in row.values()) for row in rows):
        return rows
    table = pa.Table.from_pandas(pd.DataFrame(rows))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


@st.cache_resource(show_spinner=False, max_entries=256)
def _build(module: str, name: str, data_version: int, args: tuple, kwargs: dict):
    builder = getattr(importlib.import_module(module), name)
    made = builder(*args, **kwargs)
    return [_spec(chart) for chart in made] if isinstance(made, list) else _spec(made)


def build(builder: Callable, *args, **kwargs):
    """builder(*args, **kwargs) as a DrawnChart (or a list of them, when the builder returns a list).

    The builder must be a module-level function of the package whose result depends only on its
    arguments and the data."""
    return _build(builder.__module__, builder.__qualname__, session.data_version(), args, kwargs)


def show(drawn: DrawnChart, file_name: str | None = None, key: str | None = None, container=None,
         chart_key: str | None = None, **options) -> None:
    """Draw a chart; with a file name, PNG and SVG download buttons below it (widget keys from `key`)."""
    container = container or st
    container.vega_lite_chart(drawn.spec, key=chart_key, **{"width": "stretch", **options})
    if file_name is not None:
        chart_buttons(drawn.chart, file_name, key=key or file_name, container=container)
