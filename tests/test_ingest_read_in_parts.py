"""A large file is read a part at a time (reading_parts), checked a series part at a time (series_parts) and
its changes kept on disk until the commit (diff.SpilledChanges): its plan is the plan of the file checked whole,
what it writes is what the whole file writes, and a file that cannot be read so is read whole.

The files here are a few thousand lines; the parts are made small (a few kilobytes, a thousand records) so such a
file is many parts, as a million-line file is with the real sizes. tests/test_upload_columnar.py compares every
corpus and generated file read in parts (of a line or two) with the row-by-row reference as well.
"""
from __future__ import annotations

import gc
import random

import duckdb
import pytest

from twomountains import access
from twomountains.ingest import history, pipeline, reading, reading_parts, series_parts
from twomountains.ingest.validate import Options
from tests.test_upload_columnar import CORPUS

INDICATORS = ["forest_cover", "air_good_days_ratio", "surface_water_class3_ratio", "urban_sewage_treatment_rate",
              "urban_waste_harmless_rate", "tourism_revenue", "tourist_visits"]
TOWNSHIPS = ["500156", "500156001", "500156002", "500156003", "500156004", "500156101", "500156102", "500156104",
             "500156105", "500156107", "500156108", "500156109", "500156111", "500156112", "500156113",
             "500156201", "500156202", "500156203", "500156204", "500156205"]
YEARS = range(1990, 2026)
HEADER = "indicator_code,region_code,period,value,source,quality,note"
ROWS_PER_PART = 1000


@pytest.fixture(autouse=True)
def small_parts(monkeypatch):
    monkeypatch.setattr(reading_parts, "PART_BYTES", 8192)
    monkeypatch.setattr(series_parts, "ROWS_PER_PART", ROWS_PER_PART)


def _lines(shuffled: bool = False, seed: int = 7) -> list[str]:
    """Every indicator, township and year once, sorted by indicator (as an export is) or shuffled: ~5,000 lines."""
    rng = random.Random(seed)
    lines = [f"{indicator},{region},{year},{rng.uniform(20, 90):.1f},county yearbook,reported,"
             for indicator in INDICATORS for region in TOWNSHIPS for year in YEARS]
    if shuffled:
        rng.shuffle(lines)
    return lines


def _file(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode(encoding)


def _plans(data: bytes, db, monkeypatch, name: str = "large.csv", options: Options | None = None):
    """(the plan of the file checked whole, its plan when it is large)."""
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 1 << 40)
    whole = pipeline.check(data, name, db, options)
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
    return whole, pipeline.check(data, name, db, options)


def assert_same_plan(whole, parts) -> None:
    assert whole._parts is None
    for attribute in ("file_name", "sha256", "size", "readable", "kind", "encoding", "newline", "file_type",
                      "layout", "problems", "statuses", "skipped", "rows", "counts", "writes", "accepted"):
        assert getattr(parts, attribute) == getattr(whole, attribute), attribute
    assert list(parts.changes) == list(whole.changes)


def test_a_file_sorted_by_indicator_is_checked_in_stretches_of_it(demo_db, monkeypatch):
    db = access.database(demo_db)
    whole, parts = _plans(_file(_lines()), db, monkeypatch)
    assert_same_plan(whole, parts)
    assert parts.accepted and parts.counts["insert"] > 3000 and parts.counts["update"] > 0
    assert any(x.code == "unusual_change" for x in parts.warnings)
    spread = parts._parts
    assert spread._hashed is None and spread.count >= 3
    # each series part holds whole indicators, at most one indicator past its size (720 records an indicator)
    sizes = [len(recs) for recs in spread.records()]
    assert sum(sizes) == spread.records_count == len(_lines())
    assert max(sizes) <= ROWS_PER_PART + len(TOWNSHIPS) * len(YEARS)
    rows = [recs.rows for recs in spread.records()]
    assert all(a.max() < b.min() for a, b in zip(rows, rows[1:]))        # stretches of the file, in order


def test_a_file_in_another_order_is_spread_by_a_hash(demo_db, monkeypatch):
    db = access.database(demo_db)
    whole, parts = _plans(_file(_lines(shuffled=True)), db, monkeypatch)
    assert_same_plan(whole, parts)
    assert parts._parts._hashed == parts._parts.count >= 3
    assert parts.accepted


@pytest.mark.parametrize("shuffled", [False, True])
def test_errors_duplicates_and_old_townships_across_parts_are_those_of_the_whole_file(demo_db, monkeypatch, shuffled):
    lines = _lines(shuffled)
    lines[4000] = lines[10].rsplit(",", 4)[0] + ",99.9,county yearbook,reported,"   # the same key, far apart
    lines[3500] = lines[20]                                                         # the same key and value
    lines[2000] = "forest_covr,500156001,2020,60,,,"                                 # an unknown indicator
    lines[1000] = "tourist_visits,500156001,2019,九十六,,,"                           # not a number
    lines += ["forest_cover,500156103,2021,66,,,", "forest_cover,500156103,2019,66,,,",  # an old township
              "forest_cover,500156106,2022,200,,,"]                                   # over 100 percent
    db = access.database(demo_db)
    whole, parts = _plans(_file(lines), db, monkeypatch)
    assert_same_plan(whole, parts)
    codes = {x.code for x in parts.problems}
    assert {"duplicate_conflict", "duplicate_same", "unknown_indicator_suggest", "not_a_number"} <= codes
    assert not parts.accepted and parts.changes == []


def test_a_file_with_only_bad_values_says_no_values_once(demo_db, monkeypatch):
    lines = [f"forest_cover,500156001,{year},abc,,," for year in range(1000, 2200)]
    whole, parts = _plans(_file(lines), access.database(demo_db), monkeypatch)
    assert_same_plan(whole, parts)
    assert parts._parts is not None


@pytest.mark.parametrize("change", ["gb18030", "control character", "lone CR", "ragged line", "quoted comma",
                                    "empty line"])
def test_a_file_not_read_in_parts_is_read_whole(demo_db, monkeypatch, change):
    lines = _lines()
    encoding = "utf-8"
    if change == "gb18030":
        lines[3000] = lines[3000].replace("county yearbook", "统计年鉴")
        encoding = "gb18030"
    elif change == "control character":
        lines[4500] = lines[4500].replace("county", "coun\x01ty")
    elif change == "lone CR":
        lines[4500] = lines[4500].replace("county", "coun\rty")
    elif change == "ragged line":
        lines[4500] += ",extra"
    elif change == "quoted comma":
        lines[4500] = lines[4500].replace("county yearbook", '"county, yearbook"')
    else:
        lines[4500] = ""
    whole, parts = _plans(_file(lines, encoding), access.database(demo_db), monkeypatch)
    assert parts._parts is None                         # read whole: the same as checking it whole
    for attribute in ("problems", "counts", "encoding", "accepted", "sha256"):
        assert getattr(parts, attribute) == getattr(whole, attribute), attribute


def test_year_to_date_values_are_checked_whole(demo_db, monkeypatch):
    lines = [f"tourist_visits,500156,2024年1-{month}月,{month * 10}.0,,," for month in range(1, 13)]
    lines = _lines()[:2000] + lines
    options = Options(cumulative=True)
    whole, parts = _plans(_file(lines), access.database(demo_db), monkeypatch, options=options)
    assert parts._parts is None
    assert parts.problems == whole.problems and list(parts.changes) == list(whole.changes)


def test_check_file_reads_a_large_file_a_part_at_a_time(demo_db, monkeypatch, tmp_path):
    """The command line never holds a large file's bytes whole: reading.read_file is not called for it."""
    path = tmp_path / "large.csv"
    path.write_bytes(_file(_lines()))
    db = access.database(demo_db)
    whole = pipeline.check(path.read_bytes(), path.name, db)
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)

    def refused(_path):
        raise AssertionError("read whole")
    monkeypatch.setattr(pipeline, "read_file", refused)
    blocks = []
    original = reading_parts.Source.chunks

    def counted(self, size=None):
        for block in original(self, size):
            blocks.append(len(block))
            yield block
    monkeypatch.setattr(reading_parts.Source, "chunks", counted)
    by_path = pipeline.check_file(path, db)
    assert_same_plan(whole, by_path)
    assert len(blocks) > 10 and max(blocks) <= 2 * reading_parts.PART_BYTES
    # over the size limit: read whole, which refuses it with the limit
    monkeypatch.setenv(reading.MAX_MB_ENV_VAR, "0.05")
    monkeypatch.undo()
    monkeypatch.setenv(reading.MAX_MB_ENV_VAR, "0.05")
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
    with pytest.raises(reading.UnreadableFile):
        pipeline.check_file(path, db)


def _table(path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


OBSERVATIONS = "SELECT * FROM observations ORDER BY indicator_code, region_code, period"
REVISIONS = ("SELECT * EXCLUDE (upload_id) FROM observation_revisions "
             "ORDER BY indicator_code, region_code, period, action")


def test_the_commit_writes_what_the_whole_file_writes_and_rollback_restores(demo_db, monkeypatch, tmp_path):
    import shutil
    copy = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, copy)
    before = _table(demo_db, OBSERVATIONS)
    data = _file(_lines(shuffled=True))
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 1 << 40)
    whole = pipeline.check(data, "large.csv", access.database(copy))
    pipeline.commit(whole, access.database(copy), "ana")
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
    db = access.database(demo_db)
    parts = pipeline.check(data, "large.csv", db)
    assert parts._parts is not None
    done = pipeline.commit(parts, db, "ana")
    db.release()
    assert _table(demo_db, OBSERVATIONS) == _table(copy, OBSERVATIONS) != before
    assert _table(demo_db, REVISIONS) == _table(copy, REVISIONS)
    upload = history.upload(access.database(demo_db), done.upload_id)
    assert (upload["inserted"], upload["updated"], upload["unchanged"]) == (
        whole.counts["insert"], whole.counts["update"], whole.counts["unchanged"])
    history.rollback(access.database(demo_db), done.upload_id, "ana")
    assert _table(demo_db, OBSERVATIONS) == before


def test_a_write_in_between_is_checked_again_in_parts(demo_db, monkeypatch):
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
    db = access.database(demo_db)
    plan = pipeline.check(_file(_lines()), "large.csv", db)
    other = pipeline.check(b"indicator_code,period,value\nheavy_pollution_days_ratio,2019,1.5\n", "other.csv", db)
    pipeline.commit(other, db, "bo")
    done = pipeline.commit(plan, db, "ana")          # checked again inside the write: the same changes
    assert done.upload_id is not None and plan._parts is not None


def test_a_new_indicator_in_between_asks_to_check_again(demo_db, monkeypatch):
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
    db = access.database(demo_db)
    plan = pipeline.check(_file(_lines()), "large.csv", db)
    catalog = pipeline.check((CORPUS / "good_catalog_edit.csv").read_bytes(), "good_catalog_edit.csv", db)
    assert catalog.kind == "catalog" and catalog.accepted
    pipeline.commit(catalog, db, "bo")
    with pytest.raises(pipeline.UploadConflict):
        pipeline.commit(plan, db, "ana")


def test_the_parts_on_disk_go_with_the_plan(demo_db, monkeypatch):
    monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
    plan = pipeline.check(_file(_lines()), "large.csv", access.database(demo_db))
    folder = plan._parts.folder
    assert any(folder.glob("*.arrow")) and any((folder / "changes").iterdir())
    del plan
    gc.collect()
    assert not folder.exists()


@pytest.mark.parametrize("shuffled", [False, True])
def test_the_confirmation_names_the_indicators_as_the_file_first_names_them(demo_db, monkeypatch, shuffled):
    from twomountains.ui.upload_steps import commit_summary
    whole, parts = _plans(_file(_lines(shuffled)), access.database(demo_db), monkeypatch)
    by_iteration = list(dict.fromkeys(c.indicator_code for c in whole.changes if c.kind in ("insert", "update")))
    assert whole.changes.touched_indicators() == parts.changes.touched_indicators() == by_iteration
    assert commit_summary(parts, {}) == commit_summary(whole, {})
    assert commit_summary(parts, {}).names == by_iteration and len(by_iteration) == len(INDICATORS)
