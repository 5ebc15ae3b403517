"""The text columns of an observation file's changes, from the diff to the database.

The diff numbers the stored and the file's texts in one dictionary (diff._Dictionary) and keeps them as
Categoricals made by the normalise stage's `categorical`; the commit hands every text column to DuckDB as an
Arrow dictionary array (store._arrow_texts), which needs each to be a Categorical. These tests hold both on the
plain path (check._values_frame) and on the year-to-date path (check.from_values), on real files and a real
database, and read back what the commit wrote.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from twomountains import access
from twomountains.ingest import pipeline, validate
from twomountains.ingest.changes import UNCHANGED
from twomountains.ingest.diff import _Dictionary
from twomountains.ingest.normalise import object_array

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
TEXT_COLUMNS = ("kind", "indicator_code", "region_code", "period", "period_kind", "old_source", "old_quality",
                "old_note", "new_source", "new_quality", "new_note")
FIELDS = ("value", "source", "quality", "note")


def test_a_list_of_tuples_is_one_object_per_item():
    """np.array would make the periods' (text, kind) pairs a second dimension; object_array keeps them items."""
    made = object_array([("2024", "Y"), ("2024Q1", "Q"), None])
    assert made.shape == (3,) and made.dtype == object
    assert made[0] == ("2024", "Y") and made[2] is None


def test_a_dictionary_column_is_a_categorical_of_its_texts_in_the_order_met():
    dictionary = _Dictionary("reported", "published")
    codes = np.append(dictionary.codes(["demo", "published", None, "demo"]), [-1, 0])
    column = dictionary.column(codes)
    assert isinstance(column, pd.Categorical)
    assert column.categories.tolist() == ["reported", "published", "demo"]
    assert [None if pd.isna(x) else x for x in column] == ["demo", "published", None, "demo", None, "reported"]
    assert column.codes.dtype.itemsize == 1            # a byte per value, not a pointer
    assert _Dictionary().column(np.full(3, -1, dtype=np.int32)).isna().all()      # no text at all


def _written(con, upload_id: int, changes: pd.DataFrame):
    keys = changes[["indicator_code", "region_code", "period"]].astype(str)
    stored = con.execute(
        "SELECT indicator_code, region_code, period, value, source, quality, note FROM observations").df()
    revisions = con.execute(
        "SELECT indicator_code, region_code, period, action, old_value, old_source, old_quality, old_note, "
        "new_value, new_source, new_quality, new_note FROM observation_revisions WHERE upload_id = ?",
        [upload_id]).df()
    return (keys.merge(stored, on=["indicator_code", "region_code", "period"], how="left"),
            keys.merge(revisions, on=["indicator_code", "region_code", "period"], how="left"))


def _texts(column: pd.Series) -> list:
    return [None if pd.isna(x) else x for x in column.astype(object)]


@pytest.mark.parametrize("name, cumulative", [
    ("good_gbk_chinese_headers.csv", False),
    ("good_old_townships.csv", False),
    ("warn_replaces_published.csv", False),
    ("good_cumulative_months.csv", True),       # year-to-date: the values come through check.from_values
    ("good_cumulative_column.csv", False),
])
def test_every_text_column_of_the_changes_is_a_categorical_and_is_written_as_it_says(demo_db, name, cumulative):
    db = access.database(demo_db)
    plan = pipeline.check((CORPUS / name).read_bytes(), name, db, validate.Options(cumulative=cumulative))
    assert plan.accepted, plan.problems
    frame = plan.changes.frame
    assert {c: str(frame[c].dtype) for c in TEXT_COLUMNS} == {c: "category" for c in TEXT_COLUMNS}
    written_changes = frame[frame["kind"] != UNCHANGED].reset_index(drop=True)
    assert len(written_changes)
    upload_id = pipeline.commit(plan, db, "ana").upload_id
    with db.reading() as con:
        stored, revisions = _written(con, upload_id, written_changes)
    assert stored["value"].tolist() == pytest.approx(written_changes["new_value"].tolist())
    for field in FIELDS[1:]:
        assert _texts(stored[field]) == _texts(written_changes[f"new_{field}"]), field
        assert _texts(revisions[f"new_{field}"]) == _texts(written_changes[f"new_{field}"]), field
        assert _texts(revisions[f"old_{field}"]) == _texts(written_changes[f"old_{field}"]), field
    assert revisions["action"].tolist() == written_changes["kind"].astype(str).tolist()
