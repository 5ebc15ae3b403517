"""The kinds of file an upload can be, as data: data/ingest/kinds.csv and data/ingest/kind_fields.csv.

Each kind (observations, catalog, points, plan workbooks, task reports) declares its label in the one
upload history, the file of its header synonyms, the query that lists what one of its uploads changed and
the function that rolls one back (named module:function, imported when called, so that this vocabulary
module imports no stage and no kind's code); and its fields: which are required, which part of the file
they belong to (a plan workbook has a record, targets and definitions) and what role they play (the
fields that name an indicator or a region, the headers only a points file has, free text, numbers).
The schemas are in twomountains/metadata.py (ingest_kinds, ingest_fields); tests/test_ingest_kinds.py
checks them and that every named query, synonyms file and function exists.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from twomountains import metadata
from twomountains.paths import DATA_DIR


def table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    return metadata.load_table("ingest_kinds", data_dir)


def names(data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    return tuple(table(data_dir).kind)


def kind(name: str, data_dir: Path = DATA_DIR) -> dict:
    """One kind's row of kinds.csv; KeyError for a kind the history does not know."""
    found = table(data_dir).set_index("kind")
    return {"kind": name, **found.loc[name].to_dict()}


def _fields(name: str, data_dir: Path) -> pd.DataFrame:
    found = metadata.load_table("ingest_fields", data_dir)
    found = found[found.kind == name]
    return found.assign(required=found.required == "true")


def fields(name: str, part: str | None = None, data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """A kind's fields in the order of kind_fields.csv (of one part of the file, if given)."""
    found = _fields(name, data_dir)
    return tuple(found.field if part is None else found[found.part == part].field)


def required(name: str, part: str | None = None, data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    found = _fields(name, data_dir)
    found = found[found.required] if part is None else found[found.required & (found.part == part)]
    return tuple(found.field)


def with_role(name: str, role: str, data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    found = _fields(name, data_dir)
    return tuple(found[found.role == role].field)


def revisions_query(name: str, data_dir: Path = DATA_DIR) -> str:
    """The name of the query (queries/<name>.sql, parameter $id) listing what one upload of the kind changed."""
    return kind(name, data_dir)["revisions"]


def rollback_function(name: str, data_dir: Path = DATA_DIR) -> Callable:
    """fn(con, upload_id, user, original) -> RollbackResult: undoes one upload of the kind inside the shared
    rollback's transaction (twomountains.ingest.history.rollback made the checks every kind shares)."""
    module, function = kind(name, data_dir)["rollback"].split(":")
    return getattr(importlib.import_module(module), function)
