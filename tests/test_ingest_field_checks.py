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
        if registry is None:                       # the catalog and plan workbooks: their table schemas
            assert not declared, name
            continue
        assert registry.kind == name and declared, name
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
    assert keys <= {"limit", "pattern", "required", "low", "high", "default", "absent", "first", "problem"}
