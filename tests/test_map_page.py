"""The rural tourism map page under AppTest, on a real copy of the demo database."""
import json
import re

from twomountains import metadata
from twomountains.i18n import strings

CJK = re.compile(r"[\u4e00-\u9fff]")


def _texts(at) -> list[str]:
    found = []
    for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "metric"):
        for element in at.get(kind):
            for attribute in ("value", "label"):
                value = getattr(element, attribute, None)
                if value not in (None, ""):
                    found.append(str(value))
    for widget in at.get("multiselect") + at.get("slider") + at.get("toggle"):
        found.append(widget.label)
    return found


def _specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def _map_spec(at) -> dict:
    return next(s for s in _specs(at) if any(layer["mark"]["type"] == "geoshape" if isinstance(layer["mark"], dict)
                                             else layer["mark"] == "geoshape" for layer in s.get("layer", [])))


def _layer_values(at, spec: dict, mark: str) -> list[dict]:
    """Rows of the layer drawn with `mark` (data inline in the spec, or sent beside it as Arrow)."""
    for layer in spec["layer"]:
        kind = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        if kind == mark and "values" in layer.get("data", {}):
            return layer["data"]["values"]
    return []


def test_map_page_opens_in_chinese_with_every_part(app):
    at = app("pages/map.py")
    zh = strings("zh")
    assert at.title[0].value == zh["map.title"]
    page = "\n".join(_texts(at))
    assert zh["map.note_approximate"] in page
    assert zh["map.progress.heading"] in page
    # The map and both progress charts, all Vega-Lite, offline by construction.
    specs = _specs(at)
    assert len(specs) == 3
    spec = _map_spec(at)
    assert spec["projection"]["type"] == "mercator"
    assert len(at.dataframe) == 2
    points = metadata.load_table("rural_tourism_points")
    assert len(at.dataframe[0].value) == len(points)
    assert str(len(points)) in [m.value for m in at.metric]


def test_map_page_in_english_has_no_chinese(app):
    at = app("pages/map.py", lang="en")
    en = strings("en")
    assert at.title[0].value == en["map.title"]
    chinese = [text for text in _texts(at) if CJK.search(text)]
    assert not chinese, chinese[:5]
    table = at.dataframe[0].value
    assert list(table.columns)[:3] == [en["map.col.name"], en["map.col.township"], en["map.col.type_label"]]
    for column in table.columns:
        assert not table[column].astype(str).str.contains(CJK).any(), column
    assert not at.dataframe[1].value.astype(str).apply(lambda c: c.str.contains(CJK)).any().any()
    # Legend titles and labels of every chart are English too.
    for spec in _specs(at):
        assert not CJK.search(json.dumps({k: v for k, v in spec.items() if k != "datasets"}, ensure_ascii=False))


def test_filters_narrow_the_points_and_the_metrics_count_by_the_chosen_year(app):
    # In Chinese: under AppTest the sidebar's language control is not sent back on a rerun, so any
    # page falls back to the default language after an interaction (not so in a browser).
    at = app("pages/map.py")
    points = metadata.load_table("rural_tourism_points")
    township = points.township_code.value_counts().index[0]
    at.multiselect(key="map.townships").select(township).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == int((points.township_code == township).sum())
    at.multiselect(key="map.types").select("village").run()
    expected = points[(points.township_code == township) & (points.type == "village")]
    assert len(at.dataframe[0].value) == len(expected)
    at.slider(key="map.years").set_value((2015, 2022)).run()
    assert not at.exception
    expected = expected[expected.year_designated <= 2022]
    assert len(at.dataframe[0].value) == len(expected)
    by_2022 = int((points.year_designated <= 2022).sum())
    zh = strings("zh")
    assert at.metric[0].value == zh["map.metric.of_target"].format(count=by_2022, target=100)
    assert at.metric[0].label == zh["map.metric.points"].format(year=2022)
    routes = metadata.load_table("rural_tourism_routes")
    assert at.metric[1].value == zh["map.metric.of_target"].format(
        count=int((routes.year_completed <= 2022).sum()), target=7)


def test_routes_can_be_hidden(app):
    at = app("pages/map.py")
    def line_layers():
        return [layer for layer in _map_spec(at)["layer"]
                if (layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]) == "line"]
    assert line_layers()
    at.toggle(key="map.show_routes").set_value(False).run()
    assert not line_layers()


def test_the_routes_table_shows_every_name_and_stop_in_full(app):
    """Long names and lists of stops wrap in their columns (Streamlit wraps a cell only in rows over 4rem) instead
    of being cut, and the columns fit 1400 px (Source and Data type were pushed off)."""
    at = app("pages/map.py", lang="en")
    routes = at.dataframe[1]
    assert routes.proto.row_height > 64
    widths = {name: config.get("width") for name, config in json.loads(routes.proto.columns).items()}
    assert all(widths[column] for column in ("Name", "Stops (in order)", "Source"))
    assert sum(w for w in widths.values() if w) <= 760     # leaves the three short columns ~180 px at 1400 px


def test_the_points_table_shows_six_columns_that_fit_1400_px_and_keeps_every_column(app):
    """The points' table scrolled sideways with its ten columns: six are in view, in widths that fit the main area
    at 1400 px beside the row pickers, in rows tall enough for the longest wrapped name; the data (and the
    downloads) keep every column, and a picked point's coordinates and source are told."""
    at = app("pages/map.py", lang="en")
    en = strings("en")
    points = at.dataframe[0]
    shown = ["name", "township", "type_label", "year", "route", "quality"]
    assert list(points.proto.column_order) == [en[f"map.col.{c}"] for c in shown]
    widths = {name: config.get("width") for name, config in json.loads(points.proto.columns).items()}
    assert all(widths[en[f"map.col.{c}"]] for c in shown)
    assert sum(widths[en[f"map.col.{c}"]] for c in shown) <= 938 - 34
    assert points.proto.row_height > 64                          # the English names wrap: rows over 4rem
    assert {en[f"map.col.{c}"] for c in ("lat", "lon", "coord", "source")} <= set(points.value.columns)
    assert any(c.value == en["map.table.points_help"] for c in at.caption)


def test_a_picked_point_is_told_and_a_pick_beyond_the_filtered_points_is_not(app):
    """A picked row names its point's coordinates and source; a pick left over from before the filters narrowed
    the table (its row no longer there) shows the help again instead of failing."""
    at = app("pages/map.py")
    zh = strings("zh")
    at.session_state["map.points_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    points = metadata.load_table("rural_tourism_points")
    detail = [c.value for c in at.caption if "纬度" in c.value]
    assert detail and points.name_zh.iloc[0] in detail[0] and f"{points.lat.iloc[0]:.4f}" in detail[0], detail
    at.session_state["map.points_table"] = {"selection": {"rows": [len(points) + 5], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert any(c.value == zh["map.table.points_help"] for c in at.caption)
