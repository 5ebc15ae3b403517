"""The columnar check and diff give exactly the plan of the row-by-row reference.

The reference is the record-by-record path the upload had before (layout.Record per value,
validate.check_record, changes.diff, changes.series_warnings), still in the package. Both run on the
same database: every file of the corpus, the corpus mutated by hypothesis the way tests/
test_reliability_fuzz.py mutates it, and generated long and wide files built from tokens that hit
every check (unknown codes, old townships, Chinese and future periods, full-width digits, units,
ranges, duplicates, cumulative values, values that move a stored series unusually). Identical means:
the same problems in the same order (code, row, column, value, parameters) and the same changes
(kind, key, row, old and new value, source, quality, note).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_reliability_fuzz import build, files
from twomountains import access
from twomountains.database import read_sql
from twomountains.ingest import changes as reference_changes
from twomountains.ingest import pipeline, reading_arrow, reading_parts, series_parts, validate
from twomountains.ingest.layout import detect
from twomountains.ingest.lookup import Lookup
from twomountains.ingest.reading import UnreadableFile, read_upload

CORPUS = Path(__file__).parent / "fixtures" / "uploads"


@pytest.fixture(autouse=True, params=["csv reader", "arrow", "arrow plain strings", "arrow in parts",
                                      "arrow in hashed parts"])
def read_by(request, monkeypatch):
    """Every comparison five times: files read by reading.read_upload, and long CSV files cut into cells by
    Arrow (reading_arrow, which reads only files of 1,000 lines or more unless told otherwise), once with its
    columns dictionary-encoded and once with every column whose first lines are mostly distinct texts (for a
    one-line file, every column) read as plain strings, as a large file's values are; and read as a large file
    is, a part at a time, its records spread over series parts in the file's order or by a hash."""
    if request.param.startswith("arrow"):
        monkeypatch.setattr(reading_arrow, "MIN_LINES", 0)
    if request.param == "arrow plain strings":
        monkeypatch.setattr(reading_arrow, "SAMPLE_LINES", 0)
    if request.param.startswith("arrow in"):
        # every file a large one: read a few lines at a time (reading_parts) and checked in series parts of a few
        # values each (series_parts), its changes kept on disk (diff.SpilledChanges)
        monkeypatch.setattr(pipeline, "PARTS_FROM_BYTES", 0)
        monkeypatch.setattr(series_parts, "ROWS_PER_PART", 2)
        monkeypatch.setattr(reading_parts, "PART_BYTES", 64)
        monkeypatch.setattr(series_parts, "SPREADING", "hashed" if "hashed" in request.param else "in order")
    return request.param
NOT_COMPARED = {"same_file", "other_sheets_ignored"}     # about the file as a whole, not its values


def reference(data: bytes, name: str, db, options: validate.Options):
    """The row-by-row plan: (problems, changes), or None for a file that is not an observation file."""
    try:
        sheet = read_upload(data, name)
    except UnreadableFile:
        return None
    if sheet.is_empty:
        return None
    layout = detect(sheet)
    if layout.kind not in ("long", "wide"):
        return None
    with db.reading() as cursor:
        lookup = Lookup.from_database(cursor)

        def load(codes):
            return cursor.execute(read_sql("upload_existing_observations"), {"indicators": list(codes)}).df()
        checked = validate.check(layout, lookup, options, load)
        # What the read stage adds since issue 15 (a refused control character, a guessed encoding) comes first
        # on both paths.
        problems = [n for n in sheet.notes if n.code in ("control_characters", "guessed_encoding")] + list(
            checked.problems)
        # a file the read stage refused (a control character) gets no changes and no warnings about them
        if checked.errors or any(p.severity == "error" for p in problems):
            return problems, []
        changes = reference_changes.diff(checked.values, checked.existing, pipeline.default_source(name))
        units = dict(zip(lookup.catalog.code, lookup.catalog.unit))
        problems += reference_changes.series_warnings(changes, checked.values, checked.existing, units)
        return problems, changes


def assert_same_plan(data: bytes, name: str, db, options: validate.Options | None = None) -> str | None:
    options = options or validate.Options()
    expected = reference(data, name, db, options)
    if expected is None:
        return None
    plan = pipeline.check(data, name, db, options)
    problems = [x for x in plan.problems if x.code not in NOT_COMPARED]
    want_problems, want_changes = expected
    assert problems == want_problems
    assert list(plan.changes) == list(want_changes)
    assert plan.counts == reference_changes.counts(want_changes)
    return "accepted" if plan.accepted else "rejected"


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".csv", ".xlsx")))
@pytest.mark.parametrize("cumulative", [False, True])
def test_corpus_plans_are_identical(name, cumulative, demo_db):
    assert_same_plan((CORPUS / name).read_bytes(), name, access.database(demo_db),
                     validate.Options(cumulative=cumulative))


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(case=files)
def test_mutated_corpus_plans_are_identical(demo_db, case):
    name, data = build(case)
    assert_same_plan(data, name, access.database(demo_db))


INDICATORS = ["forest_cover", "tourism_revenue", "tourist_visits", "rural_tourism_demo_points", "森林覆盖率",
              "Forest cover", "forest_covr", "", "unknown_x", "ｆｏｒｅｓｔ_ｃｏｖｅｒ"]
REGIONS = ["", "500156", "武隆区", "武隆县", "仙女山镇", "羊角镇", "土坎镇", "500156200", "500156200000", "月亮湾",
           "Wulong District", "500156.0"]
PERIODS = ["2019", "2020", "2021", "2022", "2023", "2024", "2025", "2024Q1", "2024Q2", "2024Q3", "2025Q1",
           "2024-03", "2024年1-3月", "2024年1-2月", "2024年1月", "２０２３", "2023年第3季度", "2099", "2023Q5", "",
           "2024年前三季度", "2023年"]
VALUES = ["67.5", "68.1", " 70 ", "１２３．５", "1,234.5", "95%", "120", "-5", "0", "1e309", "abc", "", "—",
          "九十六", "63.6", "1e3", "5000", "0.001", "64.2", "+3", "3.", ".5"]
UNITS = ["", "percent", "%", "万元", "亿元", "人次", "个", "xyz"]
SOURCES = ["", "statistics bureau", "demo", "x" * 501]
QUALITIES = ["", "published", "已公布", "reported", "demo", "bad"]
FLAGS = ["", "是", "否", "1", "maybe"]

long_rows = st.lists(st.tuples(st.sampled_from(INDICATORS), st.sampled_from(REGIONS), st.sampled_from(PERIODS),
                               st.sampled_from(VALUES), st.sampled_from(UNITS), st.sampled_from(SOURCES),
                               st.sampled_from(QUALITIES), st.sampled_from(FLAGS)), min_size=0, max_size=25)
optional = st.lists(st.sampled_from(["region", "unit", "source", "quality", "cumulative", "note"]), unique=True)


def _long_file(rows, columns) -> bytes:
    header = ["indicator_code", "period", "value"] + [c for c in columns if c != "note"] + (
        ["note"] if "note" in columns else [])
    lines = [",".join(header)]
    for indicator, region, period, value, unit, source, quality, flag in rows:
        cells = {"indicator_code": indicator, "period": period, "value": value, "region": region, "unit": unit,
                 "source": source, "quality": quality, "cumulative": flag, "note": source[:5]}
        lines.append(",".join(f'"{cells[c]}"' if "," in cells[c] else cells[c] for c in header))
    return ("\n".join(lines) + "\n").encode("utf-8")


@SETTINGS
@given(rows=long_rows, columns=optional, cumulative=st.booleans())
def test_generated_long_files_give_identical_plans(demo_db, rows, columns, cumulative):
    assert_same_plan(_long_file(rows, columns), "generated.csv", access.database(demo_db),
                     validate.Options(cumulative=cumulative))


wide_rows = st.lists(st.tuples(st.sampled_from(INDICATORS), st.sampled_from(REGIONS),
                               st.lists(st.sampled_from(VALUES), min_size=4, max_size=4)), max_size=12)


@SETTINGS
@given(rows=wide_rows, periods=st.lists(st.sampled_from(PERIODS[:14]), min_size=4, max_size=4, unique=True),
       title=st.booleans())
def test_generated_wide_files_give_identical_plans(demo_db, rows, periods, title):
    lines = ["某某统计表,,,,,"] if title else []
    lines.append(",".join(["指标代码", "区域"] + periods))
    for indicator, region, values in rows:
        lines.append(",".join([indicator, region] + [v if "," not in v else f'"{v}"' for v in values]))
    assert_same_plan(("\n".join(lines) + "\n").encode("gb18030"), "wide.csv", access.database(demo_db))


def test_a_series_with_an_unusual_move_warns_the_same(demo_db):
    """Every stored yearly value of the district's forest cover moved a little, one a lot."""
    db = access.database(demo_db)
    lines = ["indicator_code,period,value"]
    for year, value in ((2019, 63.0), (2020, 63.4), (2021, 63.9), (2022, 64.3), (2023, 80.0), (2024, 64.9),
                        (2025, 65.2)):
        lines.append(f"forest_cover,{year},{value}")
    outcome = assert_same_plan(("\n".join(lines) + "\n").encode(), "moves.csv", db)
    assert outcome == "accepted"
    plan = pipeline.check(("\n".join(lines) + "\n").encode(), "moves.csv", db)
    assert "unusual_change" in {w.code for w in plan.warnings}


@pytest.mark.parametrize("text", [
    'a,b,c\n1,2,3\n',
    'a,b,c\r\n1,"",3\r\n"x",y, \r\n',
    '标题,,\n指标代码,时期,数值\n forest_cover ,2024,"67.5"\n,,\n\u3000, ,\t\n',
    'a;b;c\n1;2;3\n4;5;6\n',
    'a\tb\tc\n1\t2\t3\n',
    'a,b\n1,2\n,\n3,4\n',                 # a line of empty cells (Excel's trailing rows) is not an empty line
    'a,b\n1,“2”\n3,—\n',                  # bytes that could start a control character, and do not
])
def test_arrow_cells_are_the_csv_readers(monkeypatch, text):
    monkeypatch.setattr(reading_arrow, "MIN_LINES", 0)
    data = text.encode("utf-8")
    arrow = reading_arrow.read(data, "x.csv")
    sheet = read_upload(data, "x.csv")
    assert arrow is not None
    assert [list(r.values()) for r in arrow.table.to_pylist()] == [cells for _, cells in sheet.rows]
    assert (arrow.head.encoding, arrow.head.newline, arrow.head.delimiter) == (
        sheet.encoding, sheet.newline, sheet.delimiter)
    assert reading_arrow.non_blank_rows(arrow.table).to_pylist() == [
        any(c.strip() for c in cells) for _, cells in sheet.rows]


@pytest.mark.parametrize("text", ['a,b\n"1,5",2\n', 'a,b\n"x""y",2\n', 'a,b\n1\n', 'a,b\n\n1,2\n',
                                  'a,b\n"multi\nline",2\n', 'a,b\r1,2\r', 'a,b\r\n1,2\r\n\r\n3,4\r\n',
                                  'a,b\n1,x\u202ey\n', 'a,b\n1,x\x85y\n', 'a,b\n1,x\x1by\n',
                                  'a,b\n1,' + 'x' * 100_001 + '\n', ','.join('c' * 501) + '\n'])
def test_anything_else_is_left_to_the_csv_reader(monkeypatch, text):
    """Quotes the csv reader reads otherwise, an empty line, a lone CR, a control character, a line or a row
    past the csv reader's limits: read_upload reads it (and names what it finds)."""
    monkeypatch.setattr(reading_arrow, "MIN_LINES", 0)
    assert reading_arrow.read(text.encode("utf-8"), "x.csv") is None


@pytest.mark.parametrize("name", ["good_gbk_chinese_headers.csv", "good_old_townships.csv", "good_wide_title.csv",
                                  "warn_replaces_published.csv"])
def test_the_preview_table_is_the_same(name, demo_db, read_by):
    """The page's table of changes, built column by column, is the one built change by change."""
    import copy

    from twomountains.ingest import report
    db = access.database(demo_db)
    plan = pipeline.check((CORPUS / name).read_bytes(), name, db)
    catalog, regions = db.query("indicator_catalog"), db.query("upload_regions")
    by_change = copy.copy(plan)
    by_change.changes = list(plan.changes)
    for lang in ("zh", "en"):
        for kinds in (("insert", "update", "unchanged"), ("update",)):
            columnar = report.changes_frame(plan, catalog, regions, lang, kinds)
            expected = report.changes_frame(by_change, catalog, regions, lang, kinds)
            assert not columnar.empty or expected.empty
            pd.testing.assert_frame_equal(columnar, expected, check_dtype=False)
