"""The checks of each kind's cells are data (data/ingest/field_checks.csv): the schema refuses a broken
declaration, every declared field and check exists, every registered function is used, and the running
checks take their order and parameters from the data."""
from __future__ import annotations

import inspect
import json
import shutil
from datetime import date

import pandas as pd
import pandera.errors
import pytest

from twomountains import metadata
from twomountains.access import database
from twomountains.ingest import field_checks, kinds
from twomountains.paths import DATA_DIR
from twomountains.tasks import book as task_book
from twomountains.tasks import ingest as task_ingest


def test_every_declared_check_names_a_field_of_its_kind_and_a_registered_function_that_takes_its_parameters():
    table = metadata.load_table("ingest_field_checks")
    assert set(table.kind) <= set(kinds.names())
    for name in kinds.names():
        registry = field_checks.registry(name)
        declared = field_checks.declared(name)
        assert registry is not None and registry.kind == name and declared, name
        fields = set(kinds.fields(name))
        given = set()
        for check, function in registry.plan():
            assert check.field in fields, (name, check.field)
            signature = inspect.signature(function)
            # the kind's own arguments (row, field, ...) come first, the declared parameters by name after them
            leading = [p for p, v in signature.parameters.items()
                       if p not in check.arguments and v.default is inspect.Parameter.empty]
            signature.bind(*[None] * len(leading), **check.arguments)
            given.add(len(leading))
        assert len(given) == 1, (name, given)      # every function of a kind is called the same way
        unused = set(registry.functions) - {c.check for c in declared}
        assert not unused, (name, unused)     # a registered check the data never names is dead code


def test_the_declarations_read_as_the_checks_expect():
    assert field_checks.parameter("points", "lat", "coordinate", "low") == 29.0
    assert field_checks.parameter("task_reports", "done", "max_length", "limit") == task_ingest.MAX_TEXT == 2000
    assert [c.field for c in field_checks.declared("observations", "max_length")] == ["source", "note"]
    source = field_checks.declared("points", "text")[-1]
    assert source.field == "source" and source.skipped({"id": 0}) and source.when_absent is None
    assert not field_checks.declared("points", "township")[0].skipped({})   # runs on township_code alone


@pytest.mark.parametrize("column, bad", [
    ("parameters", "{limit: 500"),          # not JSON
    ("parameters", "[500]"),                # JSON but not an object
    ("check", "Max-Length"),
    ("field", ""),
])
def test_the_schema_refuses_a_broken_check(tmp_path, column, bad):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "ingest", data / "ingest")
    frame = pd.read_csv(data / "ingest" / "field_checks.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.index[0], column] = bad
    frame.to_csv(data / "ingest" / "field_checks.csv", index=False)
    with pytest.raises((pandera.errors.SchemaErrors, pandera.errors.SchemaError)):
        metadata.load_table("ingest_field_checks", data)


def test_a_check_no_module_registered_is_refused_before_any_row_is_checked(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "ingest", data / "ingest")
    frame = pd.read_csv(data / "ingest" / "field_checks.csv", dtype=str, keep_default_na=False)
    frame.loc[frame.kind == "points", "check"] = frame.loc[frame.kind == "points", "check"].replace("year", "yaer")
    frame.to_csv(data / "ingest" / "field_checks.csv", index=False)
    with pytest.raises(KeyError, match="yaer"):
        field_checks.registry("points").plan(data)


def test_the_running_checks_take_their_order_and_parameters_from_the_data(demo_db, monkeypatch):
    """Change the declarations (a shorter text limit, the percent check dropped): the same rows check differently."""
    book = task_book.load_database(database(demo_db))
    row = {"task": "t2_3", "unit": "区水利局", "month": "2022-06", "status": "推进中", "percent_complete": "150",
           "done": "完成河道清漂12公里"}
    columns = {name: name for name in row}
    _, problems = task_ingest.check_records([(2, row)], columns, book, date(2026, 1, 1))
    assert [(x.code, x.column) for x in problems] == [("percent_range", "percent_complete")]

    original = field_checks._declared

    def changed(kind, data_dir):
        found = original(kind, data_dir)
        if kind != "task_reports":
            return found
        out = []
        for check in found:
            if check.check == "percent":
                out.append(field_checks.FieldCheck(kind, check.field, check.check, {"low": 0, "high": 200}))
            elif check.check == "max_length":
                out.append(field_checks.FieldCheck(kind, check.field, check.check, {"limit": 5}))
            else:
                out.append(check)
        return tuple(out)

    monkeypatch.setattr(field_checks, "_declared", changed)
    _, problems = task_ingest.check_records([(2, row)], columns, book, date(2026, 1, 1))
    assert [(x.code, x.column, x.params.get("limit")) for x in problems] == [("text_too_long", "done", 5)]


def test_the_parameters_column_is_json_as_written():
    """Each row's parameters parse to an object whose keys the docs list (docs/data-formats.md)."""
    table = pd.read_csv(DATA_DIR / "ingest" / "field_checks.csv", dtype=str, keep_default_na=False)
    keys = set()
    for text in table.parameters:
        keys |= set(json.loads(text))
    assert keys <= {"limit", "pattern", "required", "low", "high", "default", "absent", "first", "problem",
                    "values", "table", "separator", "error", "field", "value"}


# --- observations: each check of check.check is declared, runs in the declared order and finds its own problem

# A row of an observation file that fails exactly one declared check (and the problem codes that check gives).
_LONG = "很长的来源" * 101          # 505 characters: over the declared limit of 500
_ONE_BAD_VALUE_PER_CHECK = [
    # check, (indicator_code, region, period, value, unit, source, quality, note, cumulative), codes
    ("present", ("forest_cover", "武隆区", "2023", "", "", "", "", "", ""), {"no_value"}),
    ("indicator", ("no_such_indicator", "武隆区", "2023", "1", "", "", "", "", ""),
     {"unknown_indicator", "unknown_indicator_suggest"}),
    ("region", ("forest_cover", "火星镇", "2023", "62", "", "", "", "", ""), {"unknown_region", "unknown_region_suggest"}),
    ("period", ("forest_cover", "武隆区", "2024Q5", "62", "", "", "", "", ""), {"bad_period"}),
    ("not_future", ("forest_cover", "武隆区", "2099", "62", "", "", "", "", ""), {"future_period"}),
    ("number", ("forest_cover", "武隆区", "2022", "约12", "", "", "", "", ""), {"not_a_number"}),
    ("year_to_date", ("forest_cover", "武隆区", "2021", "62", "", "", "", "", "也许"), {"bad_cumulative_flag"}),
    ("quality_word", ("forest_cover", "武隆区", "2020", "62", "", "", "maybe", "", ""), {"bad_quality"}),
    ("max_length", ("forest_cover", "武隆区", "2019", "62", "", _LONG, "", "", ""), {"too_long"}),
    ("max_length", ("forest_cover", "武隆区", "2018", "62", "", "", "", _LONG, ""), {"too_long"}),
    ("unit", ("forest_cover", "武隆区", "2017", "62", "万元", "", "", "", ""), {"unit_mismatch"}),
    ("percent", ("tourism_revenue", "武隆区", "2024Q4", "21%", "", "", "", "", ""), {"percent_not_allowed"}),
    ("range", ("rivers_rectified", "武隆区", "2024", "-1", "", "", "", "", ""), {"below_minimum"}),
    ("flow", ("forest_cover", "武隆区", "2025Q3", "67.9", "", "", "", "", "是"), {"cumulative_not_flow"}),
    ("reform", ("forest_cover", "仙女山镇", "2023", "62.8", "", "", "", "", ""), {"old_region_mapped"}),
    ("one_per_key", ("forest_cover", "仙女山街道", "2023", "62.9", "", "", "", "", ""), {"duplicate_after_mapping"}),
]
_HEADER = "indicator_code,region,period,value,unit,source,quality,note,cumulative"


def _observation_file(cases) -> bytes:
    return "\n".join([_HEADER] + [",".join(cells) for _, cells, _ in cases]).encode("utf-8")


def test_every_declared_observation_check_finds_exactly_its_own_problem(demo_db):
    from twomountains.ingest import pipeline
    plan = pipeline.check(_observation_file(_ONE_BAD_VALUE_PER_CHECK), "one_bad_value_per_check.csv",
                          database(demo_db))
    assert {check for check, _, _ in _ONE_BAD_VALUE_PER_CHECK} == {c.check for c in field_checks.declared(
        "observations")}                                                     # every declared check is tried
    found = [(x.row, x.code) for x in plan.problems]
    assert len(found) == len(_ONE_BAD_VALUE_PER_CHECK), plan.problems        # one problem per row, no other
    for row, (check, cells, codes) in enumerate(_ONE_BAD_VALUE_PER_CHECK, start=2):
        assert [code for r, code in found if r == row] and {code for r, code in found if r == row} <= codes, (
            check, row, found)
    assert [x.column for x in plan.problems if x.code == "too_long"] == ["source", "note"]


def test_an_observation_check_left_out_of_the_declarations_finds_nothing(demo_db, monkeypatch):
    """The declarations decide what runs: without the unit and quality checks those rows pass."""
    from twomountains.ingest import pipeline
    original = field_checks._declared

    def without(kind, data_dir):
        found = original(kind, data_dir)
        return tuple(c for c in found if c.check not in ("unit", "quality_word")) if kind == "observations" else found

    monkeypatch.setattr(field_checks, "_declared", without)
    cases = [case for case in _ONE_BAD_VALUE_PER_CHECK if case[0] in ("unit", "quality_word", "percent")]
    plan = pipeline.check(_observation_file(cases), "x.csv", database(demo_db))
    assert [x.code for x in plan.problems] == ["percent_not_allowed"]


def test_a_record_reports_its_problems_in_the_declared_order(demo_db, monkeypatch):
    """Two problems of one record come in the order their checks are declared: swap the two, and they swap."""
    from twomountains.ingest import pipeline
    data = _observation_file([("", ("forest_cover", "武隆区", "2024Q5", "约12", "", "", "maybe", "", ""), set())])
    db = database(demo_db)
    assert [x.code for x in pipeline.check(data, "x.csv", db).problems] == ["bad_period", "not_a_number", "bad_quality"]
    original = field_checks._declared

    def swapped(kind, data_dir):
        found = list(original(kind, data_dir))
        if kind == "observations":
            quality = next(c for c in found if c.check == "quality_word")
            found.remove(quality)
            found.insert(next(i for i, c in enumerate(found) if c.check == "period"), quality)
        return tuple(found)

    monkeypatch.setattr(field_checks, "_declared", swapped)
    assert [x.code for x in pipeline.check(data, "x.csv", db).problems] == ["bad_quality", "bad_period", "not_a_number"]


@pytest.mark.parametrize("move, match", [
    (("unit", "indicator"), "before \\['indicator'\\]"),        # unit reads the indicator: it must come after it
    (("range", "year_to_date"), "before \\['year_to_date'\\]"),
    (("reform", "percent"), "runs 'percent' on value after \\['reform'\\]"),   # a last check must stay last
])
def test_a_check_declared_before_what_it_needs_is_refused(tmp_path, move, match):
    check, before = move
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "ingest", data / "ingest")
    frame = pd.read_csv(data / "ingest" / "field_checks.csv", dtype=str, keep_default_na=False)
    moved = frame[(frame.kind == "observations") & (frame.check == check)]
    rest = frame.drop(moved.index)
    at = rest.index.get_loc(rest.index[(rest.kind == "observations") & (rest.check == before)][0])
    pd.concat([rest.iloc[:at], moved, rest.iloc[at:]]).to_csv(data / "ingest" / "field_checks.csv", index=False)
    with pytest.raises(ValueError, match=match):
        field_checks.registry("observations").plan(data)
    field_checks.registry("observations").plan()          # the project's own declarations are in order


# --- the catalog and plan workbooks: their declared checks build their table schemas

# A bad cell per check (where `field` is the cell's field, `row` the rest of the row): what fails that check alone.
_BAD_CELL = {
    "text": lambda field, row: "", "integer": lambda field, row: "abc", "number": lambda field, row: "abc",
    "pattern": lambda field, row: "Not A Code!", "one_of": lambda field, row: "nonsense",
    "direction": lambda field, row: "2", "in_table": lambda field, row: "nonsense",
    "codes_in_table": lambda field, row: "nobody_we_know",
    # out of range on the side that keeps a later year after the earlier one (the check across them passes)
    "range": lambda field, row, low, high: str(int(high) + 1) if field in ("target_year", "period_end")
    else str(int(low) - 1),
    "after": lambda field, row, field_: row[field_], "not_before": lambda field, row, field_: str(int(row[field_]) - 1),
    "required_unless": lambda field, row, field_, value: "",
}
# How pandera names each check in a problem's `check` (the text the message shows).
_SHOWN_AS = {"text": "not_nullable", "integer": "coerce_dtype", "number": "coerce_dtype", "pattern": "str_matches",
             "one_of": "isin", "direction": "isin", "in_table": "isin", "codes_in_table": "lead unit not in",
             "range": "in_range", "after": "must follow", "not_before": "must not precede",
             "required_unless": "needs a", "unique": "field_uniqueness"}


def _failing(declared: field_checks.FieldCheck, row: dict) -> dict | None:
    """The row with one cell that fails the declared check, or None where no cell can (a blank allowed, a flag)."""
    check, arguments = declared.check, dict(declared.arguments)
    if check in ("text", "integer", "number", "flag") and not arguments.pop("required") and check != "number":
        return None           # a blank is allowed (a number that may be blank must still be a number)
    if check == "flag":
        return None           # any text reads as a flag (true, or not)
    if check == "unique":
        return None           # a name taken by another row: the catalog test below and test_plans_upload
    if "field" in arguments:
        arguments["field_"] = arguments.pop("field")
    if check == "codes_in_table" or check == "in_table" or check == "one_of" or check == "pattern":
        arguments = {}
    bad = _BAD_CELL[check](declared.field, row, **arguments)
    if check == "required_unless":
        row = {**row, arguments["field_"]: "level"}
    return {**row, declared.field: bad}


def test_every_declared_catalog_check_refuses_its_bad_cell_with_its_own_message(demo_db):
    from twomountains.ingest import pipeline
    base = pd.read_csv(DATA_DIR / "catalog" / "indicators.csv", dtype=str, keep_default_na=False).head(1)
    tried = set()
    for declared in field_checks.declared("catalog"):
        row = _failing(declared, base.iloc[0].to_dict())
        if row is None:
            continue
        if declared.field == "code":          # another code is another indicator: with names of its own
            row = {**row, "name_zh": row["name_zh"] + "(新)", "name_en": row["name_en"] + " (new)"}
        tried.add(declared.check)
        data = pd.DataFrame([row]).to_csv(index=False).encode("utf-8")
        plan = pipeline.check(data, "catalog.csv", database(demo_db))
        assert plan.kind == "catalog" and plan.errors, declared
        whole_row = declared.check in ("after", "required_unless")
        assert [(x.code, x.row, x.column) for x in plan.errors] == [
            ("catalog_invalid", 2, None if whole_row else declared.field)], (declared, plan.errors)
        assert _SHOWN_AS[declared.check] in plan.errors[0].params["check"], (declared, plan.errors)
    # a name another indicator has: the file's row (and the stored one) refused as not unique
    taken = base.assign(code="a_new_indicator", name_en=base.name_en + " (new)")
    plan = pipeline.check(taken.to_csv(index=False).encode("utf-8"), "catalog.csv", database(demo_db))
    assert {(x.column, x.params["check"]) for x in plan.errors} == {("name_zh", "field_uniqueness")}
    assert 2 in {x.row for x in plan.errors}
    tried.add("unique")
    assert tried == {c.check for c in field_checks.declared("catalog")} - {"flag"}


@pytest.mark.parametrize("part, path", [("record", "plans.csv"), ("target", "plan_targets.csv")])
def test_every_declared_plan_check_refuses_its_bad_cell_with_its_own_message(part, path):
    import pandera.errors
    from twomountains.plans import records
    base = pd.read_csv(DATA_DIR / "catalog" / path, dtype=str, keep_default_na=False, na_values=[""]).iloc[[1]]
    schema = records.PLAN_RECORD if part == "record" else records.PLAN_TARGETS
    fields = set(kinds.fields("plan", part))
    tried = set()
    for declared in field_checks.declared("plan"):
        if declared.field not in fields:
            continue
        row = _failing(declared, base.iloc[0].to_dict())
        if row is None:
            continue
        tried.add(declared.check)
        frame = pd.DataFrame([{name: None if cell == "" else cell for name, cell in row.items()}])   # a blank cell
        with pytest.raises(pandera.errors.SchemaErrors) as failure:
            records.validate_plans(frame, schema) if part == "record" else schema.validate(frame, lazy=True)
        cases = failure.value.failure_cases
        # its own check fails; a cell that is not a number also fails the checks of its number (pandera)
        assert any(_SHOWN_AS[declared.check] in str(text) for text in cases.check), (declared, cases)
        columns = set(cases[cases.schema_context == "Column"].column)
        assert columns <= {declared.field}, (declared, cases)
        if declared.check not in ("integer", "number"):
            assert len(set(cases.check.astype(str))) == 1, (declared, cases)      # (a row check: once per cell)
    assert tried, part


def test_the_declared_word_lists_are_the_codes_the_dashboard_knows():
    from twomountains import metadata
    assert tuple(field_checks.parameter("catalog", "target_type", "one_of", "values")) == metadata.TARGET_TYPES
    assert tuple(field_checks.parameter("catalog", "aggregation", "one_of", "values")) == metadata.AGGREGATIONS
    assert set(field_checks.parameter("plan", "target_type", "one_of", "values")) == set(metadata.TARGET_TYPES) - {
        "context"}
