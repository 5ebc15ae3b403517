"""The diff compares a large file's values in parts (diff._DIFF_PART) and the commit stages its rows in parts
(store._WRITE_PART), for peak memory: with parts of two values, every plan is still exactly the row-by-row
reference's (the corpus and generated files, as tests/test_upload_columnar.py compares them), and the same
texts get the same codes as comparing the whole file at once."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.test_upload_columnar import CORPUS, SETTINGS, _long_file, assert_same_plan, long_rows, optional
from twomountains import access
from twomountains.ingest import diff, pipeline, validate


@pytest.fixture(autouse=True)
def tiny_parts(monkeypatch):
    monkeypatch.setattr(diff, "_DIFF_PART", 2)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx")))
def test_corpus_plans_in_parts_are_the_references(name, demo_db):
    assert_same_plan((CORPUS / name).read_bytes(), name, access.database(demo_db))


@SETTINGS
@given(rows=long_rows, columns=optional, cumulative=st.booleans())
def test_generated_plans_in_parts_are_the_references(demo_db, rows, columns, cumulative):
    assert_same_plan(_long_file(rows, columns), "generated.csv", access.database(demo_db),
                     validate.Options(cumulative=cumulative))


def test_parts_give_the_same_changes_and_codes_as_one_part(demo_db, monkeypatch):
    names = sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".csv")
    db = access.database(demo_db)
    compared = 0
    for name in names:
        data = (CORPUS / name).read_bytes()
        in_parts = pipeline.check(data, name, db)
        monkeypatch.setattr(diff, "_DIFF_PART", 250_000)
        whole = pipeline.check(data, name, db)
        monkeypatch.setattr(diff, "_DIFF_PART", 2)
        if not isinstance(whole.changes, diff.Changes) or len(whole.changes) < 3:
            continue
        compared += 1
        assert in_parts.changes.fingerprint() == whole.changes.fingerprint()
        for column in ("old_source", "new_source", "old_quality", "new_quality", "old_note", "new_note"):
            assert list(in_parts.changes.frame[column].array.categories) == list(
                whole.changes.frame[column].array.categories), (name, column)
            assert (in_parts.changes.frame[column].array.codes == whole.changes.frame[column].array.codes).all()
    assert compared >= 3
