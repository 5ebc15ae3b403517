"""The catalog kind declares its fields in data/ingest/kind_fields.csv like every other kind; the declaration
matches data/catalog/indicators.csv and what the catalog upload accepts and refuses."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from twomountains import metadata
from twomountains.access import database
from twomountains.ingest import catalog, kinds, layout, pipeline
from twomountains.paths import DATA_DIR


def catalog_file(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def test_the_declared_fields_are_the_columns_of_the_catalog_file_in_its_order():
    on_disk = list(pd.read_csv(DATA_DIR / "catalog" / "indicators.csv", nrows=0).columns)
    assert list(kinds.fields("catalog")) == on_disk == catalog.columns()
    assert list(metadata.load_table("indicators").columns) == on_disk
    assert set(kinds.fields("catalog")) - set(kinds.required("catalog")) == {"year_on_year"}
    assert set(catalog.NUMERIC) == {"direction", "target_value", "base_year", "target_year"}
    assert layout.CATALOG_MARKERS == {"code", "name_zh", "name_en", "target_type"}


def rows_of_the_catalog() -> pd.DataFrame:
    return pd.read_csv(DATA_DIR / "catalog" / "indicators.csv", dtype=str, keep_default_na=False).head(3)


@pytest.mark.parametrize("field", kinds.fields("catalog"))
def test_a_file_without_a_required_field_is_refused_and_without_an_optional_one_accepted(demo_db, field):
    frame = rows_of_the_catalog()
    if field in layout.CATALOG_MARKERS:        # without one of these the file is not recognised as a catalog
        return
    plan = pipeline.check(catalog_file(frame.drop(columns=[field])), "catalog.csv", database(demo_db))
    assert plan.kind == "catalog"
    missing = [x for x in plan.errors if x.code == "catalog_missing_columns"]
    if field in kinds.required("catalog"):
        assert missing and field in missing[0].params["missing"], field
    else:
        assert not plan.errors and plan.counts["unchanged"] == 3


def test_the_declared_number_fields_read_full_width_digits(demo_db):
    frame = rows_of_the_catalog()
    for name in kinds.with_role("catalog", "number"):
        frame[name] = frame[name].map(lambda text: text.translate(str.maketrans("0123456789", "０１２３４５６７８９")))
    plan = pipeline.check(catalog_file(frame), "catalog.csv", database(demo_db))
    assert not plan.errors and plan.counts["unchanged"] == 3
