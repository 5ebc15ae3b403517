"""In AppTest: the scenic areas' figures each to one number of decimals per column
(rounding had dropped the trailing zeros: 1169 beside 1097.4 visits, 5.7 beside 5.24 revenue)."""
import json

import pytest

from twomountains.i18n import strings


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_scenic_areas_figures_keep_their_decimals(app, lang):
    at = app("pages/tourism.py", lang=lang)
    assert not at.exception
    words = strings(lang)
    source = words["indicator.col.source"]
    [table] = [d for d in at.dataframe if source in json.loads(d.proto.columns)]
    columns = json.loads(table.proto.columns)
    formats = {measure: columns[words[f"tourism.measure.{measure}"]]["type_config"].get("format")
               for measure in ("visits", "revenue", "yuan_per_visit")}
    assert formats == {"visits": "%.1f", "revenue": "%.2f", "yuan_per_visit": "%.0f"}, columns
    shown = table.value.data if hasattr(table.value, "data") else table.value
    revenue = shown[words["tourism.measure.revenue"]].dropna()
    assert (revenue == revenue.round(2)).all() and (revenue != revenue.round(1)).any()   # the data rounded alike


def test_the_map_points_type_holds_its_chinese_name_on_one_line(app):
    """At 112 px the Chinese type "乡村旅游示范点" wrapped its last character alone onto a second line (seen at
    1400 px); its column now holds it on one, the six columns still within the main area beside the row pickers."""
    from twomountains.ui.tables import wrapped_lines
    at = app("pages/map.py")
    zh = strings("zh")
    points = at.dataframe[0]
    widths = {name: config.get("width") for name, config in json.loads(points.proto.columns).items()}
    types = points.value[zh["map.col.type_label"]].unique()
    assert "乡村旅游示范点" in types
    assert wrapped_lines(types, widths[zh["map.col.type_label"]]) == 1
    assert sum(widths[zh[f"map.col.{c}"]] for c in ("name", "township", "type_label", "year", "route", "quality")) \
        <= 938 - 34
