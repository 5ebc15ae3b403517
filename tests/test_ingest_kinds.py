"""Every kind of upload is declared as data (data/ingest/kinds.csv, kind_fields.csv) with a schema, and the
declarations point at things that exist: queries, synonyms files, rollback functions, labels, roles."""
from __future__ import annotations

import inspect
import shutil

import pandas as pd
import pandera.errors
import pytest

from twomountains import metadata, roles
from twomountains.i18n import LANGUAGES, strings
from twomountains.ingest import headers, kinds, point_headers
from twomountains.paths import DATA_DIR, ROOT
from twomountains.plans import workbook
from twomountains.tasks import ingest as task_ingest


def test_every_kind_names_a_query_a_rollback_function_a_label_and_its_synonyms_file():
    table = kinds.table()
    assert set(table.kind) == {"observations", "catalog", "points", "plan", "task_reports"}
    assert set(roles.UPLOAD_NEEDS) == set(table.kind)      # every kind one may upload, and no other
    for row in table.itertuples():
        assert (ROOT / "queries" / f"{row.revisions}.sql").exists(), row.kind
        function = kinds.rollback_function(row.kind)
        assert list(inspect.signature(function).parameters)[:4] == ["con", "upload_id", "user", "original"]
        for lang in LANGUAGES:
            assert row.label in strings(lang), (row.kind, lang)
            assert row.rollback_text in strings(lang), (row.kind, lang)   # the rollback's confirmation
        if isinstance(row.headers, str):
            assert (DATA_DIR / row.headers).exists(), row.kind


@pytest.mark.parametrize("kind", ["observations", "points", "task_reports", "plan"])
def test_every_synonym_names_a_field_of_its_kind_and_every_required_field_has_one(kind):
    synonyms = pd.read_csv(DATA_DIR / kinds.kind(kind)["headers"], dtype=str, keep_default_na=False)
    fields = set(kinds.fields(kind))
    named = set(synonyms.field)
    if kind != "plan":          # a plan workbook's headers also name its sections' own two columns
        assert named <= fields
    for field in kinds.required(kind):
        assert field in named, (kind, field)


def test_the_code_takes_its_fields_from_the_data():
    assert headers.FIELDS == kinds.fields("observations") and headers.REQUIRED_LONG == ("indicator", "period", "value")
    assert headers.INDICATOR_FIELDS == ("indicator_code", "indicator_name", "indicator")
    assert point_headers.DISTINCTIVE == {"lat", "lon", "year_designated", "coord_quality"}
    assert metadata.POINT_FIELDS == kinds.fields("points")
    assert task_ingest.REQUIRED == ("task", "unit", "month", "status")
    assert task_ingest.TEXT_FIELDS == ("done", "problems", "next_step")
    assert workbook.REQUIRED_RECORD == ("code", "name_zh", "name_en", "period_start", "period_end", "certainty")
    assert set(workbook.NUMERIC) == {"target_value", "direction", "base_year", "target_year", "period_start",
                                     "period_end"}


@pytest.mark.parametrize("file, column, bad", [
    ("kinds.csv", "rollback", "os:system"),                       # only a function of the package
    ("kinds.csv", "label", "upload.kind.points"),
    ("kind_fields.csv", "required", "maybe"),
    ("kind_fields.csv", "part", "sheet"),
    ("kind_fields.csv", "role", "secret"),
])
def test_the_schema_refuses_a_broken_declaration(tmp_path, file, column, bad):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "ingest", data / "ingest")
    frame = pd.read_csv(data / "ingest" / file, dtype=str, keep_default_na=False)
    frame.loc[frame.index[-1], column] = bad
    frame.to_csv(data / "ingest" / file, index=False)
    with pytest.raises((pandera.errors.SchemaErrors, pandera.errors.SchemaError, ValueError, TypeError)):
        metadata.load_table("ingest_kinds" if file == "kinds.csv" else "ingest_fields", data)


def test_a_kind_declared_twice_or_a_field_given_twice_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "ingest", data / "ingest")
    fields = pd.read_csv(data / "ingest" / "kind_fields.csv", dtype=str, keep_default_na=False)
    pd.concat([fields, fields.tail(1)]).to_csv(data / "ingest" / "kind_fields.csv", index=False)
    with pytest.raises(pandera.errors.SchemaErrors):
        metadata.load_table("ingest_fields", data)
