"""Uploads of the indicator catalog: an analyst adds an indicator or corrects a target without a developer.

The file has the columns `export catalog` writes (all of them; rows for only some indicators are fine).
Rows are merged into the database's catalog, and the merged catalog is checked against the same
schema as data/catalog/indicators.csv. Indicators are never deleted by an upload.
"""
from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass

import pandas as pd
import pandera.errors

from twomountains import metadata
from twomountains.database import read_sql
from twomountains.ingest import kinds
from twomountains.ingest import problems as p
from twomountains.ingest.changes import INSERT, UNCHANGED, UPDATE
from twomountains.ingest.impact import StatusChange, compare
from twomountains.ingest.layout import Layout
from twomountains.ingest.store import UploadMeta, _with, bump_data_version, ensure_tables, next_id, record_upload
from twomountains.scorecard import DISTRICT

KIND = "catalog"
# The catalog's fields, which a file must have and which are numbers: data/ingest/kind_fields.csv (kind
# catalog), the columns of data/catalog/indicators.csv in its order (tests/test_ingest_kinds.py checks both).
FIELDS = kinds.fields(KIND)
REQUIRED = kinds.required(KIND)
NUMERIC = kinds.with_role(KIND, "number")


@dataclass(frozen=True)
class CatalogChange:
    kind: str
    code: str
    row: int
    old: dict | None
    new: dict
    fields: tuple[str, ...]      # the fields that differ

    @property
    def key(self) -> str:
        return self.code


# Columns added after catalog files were first exchanged (the fields kind_fields.csv does not require): a
# file without them is read as before, and a row keeps its stored value (or this default, for a new indicator).
_DEFAULTS = {"year_on_year": False}
OPTIONAL_COLUMNS = {name: _DEFAULTS[name] for name in FIELDS if name not in REQUIRED}


def columns() -> list[str]:
    """The catalog's columns, in the order of data/catalog/indicators.csv and `export catalog`."""
    return list(FIELDS)


def _clean(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return value
    return value


def record(row: pd.Series | dict) -> dict:
    return {name: _clean(row[name]) for name in columns()}


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12)
    return a == b


def read_frame(layout: Layout) -> tuple[pd.DataFrame, list[int], list[p.Problem]]:
    """The catalog rows as text (blank cells missing), their spreadsheet rows, and column problems."""
    header = [unicodedata.normalize("NFKC", c).strip().lower() for c in layout.header]
    wanted = columns()
    missing = [c for c in REQUIRED if c not in header]
    unexpected = [layout.header[i].strip() for i, c in enumerate(header) if c and c not in wanted]
    problems = []
    if missing:
        problems.append(p.error("catalog_missing_columns", layout.header_row, missing=missing, unexpected=unexpected))
        return pd.DataFrame(columns=wanted), [], problems
    if unexpected:
        problems.append(p.warning("unexpected_columns", layout.header_row, unexpected=unexpected))
    index = {c: header.index(c) for c in wanted if c in header}
    rows, numbers = [], []
    for number, cells in layout.data_rows:
        if not any(c.strip() for c in cells):
            continue
        values = {}
        for name, i in index.items():
            text = cells[i].strip() if i < len(cells) else ""
            if name in NUMERIC:
                text = unicodedata.normalize("NFKC", text).replace(",", "")
            values[name] = text or None
        rows.append(values)
        numbers.append(number)
    frame = pd.DataFrame(rows, columns=wanted)  # an optional column the file lacks stays blank here
    return frame, numbers, problems


def check(layout: Layout, con) -> tuple[list[CatalogChange], list[p.Problem], pd.DataFrame]:
    """The catalog rows' changes against the database's catalog, and every problem."""
    frame, numbers, problems = read_frame(layout)
    if any(x.is_error for x in problems):
        return [], problems, frame
    if frame.empty:
        return [], problems + [p.error("no_values", layout.header_row)], frame
    duplicated = frame.code.duplicated(keep="first")
    for position in frame.index[duplicated]:
        problems.append(p.error("catalog_duplicate_code", numbers[position], "code", frame.code[position]))
    if problems and any(x.is_error for x in problems):
        return [], problems, frame
    stored = con.execute(read_sql("catalog_export")).df()
    for name, default in OPTIONAL_COLUMNS.items():
        kept = dict(zip(stored.code, stored[name]))
        frame[name] = [value if not pd.isna(value) else kept.get(code, default)
                       for code, value in zip(frame.code, frame[name])]
    merged = pd.concat([stored[~stored.code.isin(frame.code)].astype(object), frame], ignore_index=True)
    file_rows = {len(merged) - len(frame) + i: numbers[i] for i in range(len(frame))}
    try:
        validated = metadata.validate_indicators(merged)
    except pandera.errors.SchemaErrors as failure:
        problems += _schema_problems(failure.failure_cases, merged, file_rows)
        return [], problems, frame
    stored_by_code = {r["code"]: record(r) for r in stored.to_dict("records")}
    changes = []
    for position in range(len(frame)):
        new = record(validated.iloc[len(merged) - len(frame) + position])
        old = stored_by_code.get(new["code"])
        if old is None:
            changes.append(CatalogChange(INSERT, new["code"], numbers[position], None, new, tuple(columns())))
            continue
        differ = tuple(f for f in columns() if not _same(old[f], new[f]))
        changes.append(CatalogChange(UPDATE if differ else UNCHANGED, new["code"], numbers[position], old, new, differ))
    return changes, problems, validated


def _schema_problems(cases: pd.DataFrame, merged: pd.DataFrame, file_rows: dict) -> list[p.Problem]:
    """Pandera's failure cases as problems: one per cell for column checks, one per row for row checks."""
    out, seen = [], set()
    indexed = cases[cases["index"].notna()]
    for case in (indexed if not indexed.empty else cases).itertuples():
        position = None if case.index is None or pd.isna(case.index) else int(case.index)
        whole_row = case.schema_context == "DataFrameSchema"
        column = None if whole_row or not isinstance(case.column, str) else case.column
        if (position, column) in seen:
            continue
        seen.add((position, column))
        row = file_rows.get(position) if position is not None else None
        value = None
        if position is not None and column in merged.columns:
            value = merged.at[position, column]
            value = None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
        out.append(p.error("catalog_invalid", row, column, value, check=str(case.check)))
    return out


def impact(con, changes: list[CatalogChange]) -> list[StatusChange]:
    """Goals whose target or method changes: statuses before and after, with the same data."""
    codes = [c.code for c in changes if c.kind != UNCHANGED]
    if not codes:
        return []
    before = con.execute(read_sql("indicator_catalog")).df()
    units = con.execute(read_sql("upload_units")).df()
    rows = pd.DataFrame([c.new for c in changes if c.kind != UNCHANGED])
    rows = rows.merge(units, on="unit", how="left")
    after = pd.concat([before[~before.code.isin(codes)], rows], ignore_index=True)
    annual = con.execute(read_sql("annual_values"), {"region": DISTRICT}).df()
    return compare(before, after, annual, annual, codes)


def _frame(records: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=columns())
    for name in ("direction", "base_year", "target_year"):
        frame[name] = frame[name].astype("Int64")
    frame["target_value"] = frame["target_value"].astype(float)
    for name in columns():
        if name not in NUMERIC:
            frame[name] = frame[name].astype(object)
    return frame


def write_rows(con, records: list[dict]) -> None:
    if records:
        _with(con, "upload_catalog_incoming", _frame(records), read_sql("upload_write_catalog"))


def delete_rows(con, codes: list[str]) -> None:
    for code in codes:
        con.execute(read_sql("upload_delete_indicator"), {"code": code}).fetchall()


def write_revisions(con, upload_id: int, revisions: list[tuple[str, str, dict | None, dict | None]]) -> None:
    for code, action, old, new in revisions:
        con.execute(read_sql("upload_write_catalog_revision"), {
            "upload_id": upload_id, "code": code, "action": action,
            "old_record": None if old is None else json.dumps(old, ensure_ascii=False),
            "new_record": None if new is None else json.dumps(new, ensure_ascii=False)}).fetchall()


def write_upload(con, meta: UploadMeta, changes: list[CatalogChange]) -> int:
    ensure_tables(con)
    upload_id = next_id(con)
    written = [c for c in changes if c.kind != UNCHANGED]
    write_rows(con, [c.new for c in written])
    write_revisions(con, upload_id, [(c.code, c.kind, c.old, c.new) for c in written])
    inserted = sum(1 for c in written if c.kind == INSERT)
    record_upload(con, upload_id, meta, inserted, len(written) - inserted, len(changes) - len(written))
    bump_data_version(con)
    return upload_id
