"""Charts come from a cache (twomountains/ui/charts.py): a commit must still show in every chart at once,
and the cached chart must be the one Altair would draw."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa

from twomountains import access
from twomountains.formatting import label_each
from twomountains.ingest import pipeline
from twomountains.paths import db_path


def chart_values(at) -> list[float]:
    """Every number in the `value` column of the datasets of the page's charts, as the browser gets them."""
    values = []
    for chart in at.get("vega_lite_chart"):
        for dataset in chart.proto.datasets:
            frame = pa.ipc.open_stream(dataset.data.data).read_pandas()
            if "value" in frame:
                values += frame.value.dropna().round(3).tolist()
    return values


def test_a_commit_shows_in_the_cached_charts_at_once(app):
    at = app("pages/indicator.py", indicator="forest_cover")
    assert 71.3 not in chart_values(at)
    at.run()                                      # the second view is drawn from the cache
    assert 71.3 not in chart_values(at)

    db = access.database(db_path())
    plan = pipeline.check("indicator_code,region_code,period,value\nforest_cover,500156,2025,71.3\n".encode(),
                          "forest.csv", db)
    assert pipeline.commit(plan, db, "ana").upload_id == 1
    at.run()
    assert not at.exception
    assert 71.3 in chart_values(at)


def test_label_each_labels_every_row_calling_once_per_distinct_value():
    calls = []

    def label(value):
        calls.append(value)
        return "—" if value is None else f"<{value}>"

    values = pd.Series(["a", "b", None, "a", float("nan"), "b"], index=[10, 11, 12, 13, 14, 15])
    labelled = label_each(values, label)
    assert labelled.tolist() == ["<a>", "<b>", "—", "<a>", "—", "<b>"]
    assert labelled.index.tolist() == values.index.tolist()
    assert sorted(calls, key=str) == [None, "a", "b"]   # None and NaN are one missing value
    assert label_each(pd.Series([], dtype=object), label).empty
