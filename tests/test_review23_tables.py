"""Tables of the session-23 review in AppTest: the scenic areas' figures each to one number of decimals per column
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
