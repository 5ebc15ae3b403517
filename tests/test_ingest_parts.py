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


def test_check_file_is_check_of_the_files_bytes_and_stops_at_the_size_limit(demo_db, tmp_path, monkeypatch):
    """The command line's entry reads the file itself and hands its bytes over (check() drops them once read)."""
    from twomountains.ingest import reading
    db = access.database(demo_db)
    for name in ("long_utf8.csv", *sorted(p.name for p in CORPUS.iterdir() if p.suffix == ".csv")[:5]):
        path = CORPUS / name
        if not path.exists():
            continue
        by_path, by_bytes = pipeline.check_file(path, db), pipeline.check(path.read_bytes(), name, db)
        assert (by_path.file_name, by_path.sha256, by_path.size) == (by_bytes.file_name, by_bytes.sha256, by_bytes.size)
        assert by_path.problems == by_bytes.problems and list(by_path.changes) == list(by_bytes.changes)
    big = tmp_path / "big.csv"
    big.write_bytes(b"indicator_code,period,value\n" + b"forest_cover,2020,60\n" * 60_000)
    monkeypatch.setenv(reading.MAX_MB_ENV_VAR, "1")
    with pytest.raises(reading.UnreadableFile):
        pipeline.check_file(big, db)
