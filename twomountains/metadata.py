"""The metadata under data/ (catalog, units, groups, statuses, regions, departments), read and validated.

Every file is checked against a pandera schema, so a typo in a reviewed CSV fails loudly in a test
and in build-db instead of showing up as a blank on a page.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from twomountains.paths import DATA_DIR

TARGET_TYPES = ("level", "cagr", "count", "rank", "milestone", "context")
AGGREGATIONS = ("last", "sum")
CODE = r"^[a-z][a-z0-9_]*$"


def _text(nullable=False, **kw):
    return pa.Column(str, nullable=nullable, **kw)


UNITS = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(r"^[a-z0-9_]+$"), unique=True),
    "symbol_zh": _text(nullable=True),
    "symbol_en": _text(nullable=True),
    "min_value": pa.Column(float, nullable=True),
    "max_value": pa.Column(float, nullable=True),
    "decimals": pa.Column(int, pa.Check.in_range(0, 4)),
    "style": _text(checks=pa.Check.isin(["suffix", "spaced", "scaled", "rank", "milestone"])),
    "base_multiplier": pa.Column(float, nullable=True),
    "base_en": _text(nullable=True),
}, strict=True, coerce=True)

ORDERED_NAMES = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "order": pa.Column(int),
    "name_zh": _text(),
    "name_en": _text(),
}, strict=True, coerce=True)

STATUSES = ORDERED_NAMES.add_columns({
    "icon": _text(),
    "color": _text(checks=pa.Check.str_matches(r"^#[0-9A-Fa-f]{6}$")),
    "badge": _text(checks=pa.Check.isin(["red", "orange", "yellow", "blue", "green", "violet", "gray"])),
    "is_lagging": pa.Column(bool),
})

DEPARTMENTS = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "name_zh": _text(unique=True),
    "name_en": _text(),
    "short_zh": _text(),
    "kind": _text(checks=pa.Check.isin(["department", "group", "office"])),
}, strict=True, coerce=True)

REGIONS = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(r"^\d{6}(\d{3})?$"), unique=True),
    "name_zh": _text(),
    "name_en": _text(),
    "level": _text(checks=pa.Check.isin(["district", "township"])),
    "parent_code": _text(nullable=True),
    "valid_from": pa.Column("datetime64[ns]", nullable=True),
    "valid_to": pa.Column("datetime64[ns]", nullable=True),
    "successor_code": _text(nullable=True),
    "lat": pa.Column(float, pa.Check.in_range(29.0, 29.7)),
    "lon": pa.Column(float, pa.Check.in_range(107.2, 108.1)),
    "coord_source": _text(),
}, strict=True, coerce=True)


SOURCES = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "name_zh": _text(),
    "name_en": _text(),
    "publisher": _text(),
    "published_on": _text(nullable=True),
    # Where the figure was read (a repost's own address where only the repost could be read).
    "url": _text(nullable=True, checks=pa.Check.str_matches(r"^https?://\S+$")),
}, strict=True, coerce=True)


PAGE_SECTIONS = ("monitor", "themes", "work", "data")
PAGES = pa.DataFrameSchema({
    "key": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "file": _text(checks=pa.Check.str_matches(r"^pages/[a-z_]+\.py$"), unique=True),
    "url_path": _text(checks=pa.Check.str_matches(r"^[a-z-]+$"), unique=True),
    "icon": _text(checks=pa.Check.str_matches(CODE)),
    "default": pa.Column(bool),
    # The sidebar's group (its name: nav.section.<code>); pages of a section stay together in the file.
    "section": _text(checks=pa.Check.isin(PAGE_SECTIONS)),
}, strict=True, coerce=True)


# Rural tourism map (issue 3): demonstration villages/points and boutique routes. Types are codes;
# their names live in the translation files (map.type.<code>).
RURAL_TOURISM_TYPES = ("village", "point")
RURAL_TOURISM_QUALITIES = ("published", "demo", "reported")  # as observations.QUALITIES

RURAL_TOURISM_POINTS = pa.DataFrameSchema({
    "id": _text(checks=pa.Check.str_matches(r"^P\d{3}$"), unique=True),
    "name_zh": _text(unique=True),
    "name_en": _text(unique=True),
    "township_code": _text(checks=pa.Check.str_matches(r"^500156\d{3}$")),
    "lat": pa.Column(float, pa.Check.in_range(29.0, 29.7)),
    "lon": pa.Column(float, pa.Check.in_range(107.2, 108.1)),
    "coord_quality": _text(checks=pa.Check.isin(["published", "approximate"])),
    "type": _text(checks=pa.Check.isin(RURAL_TOURISM_TYPES)),
    "year_designated": pa.Column(int, pa.Check.in_range(2010, 2030)),
    "route": _text(nullable=True, checks=pa.Check.str_matches(r"^R\d{2}$")),
    "source": _text(checks=pa.Check.str_matches(CODE)),
    "quality": _text(checks=pa.Check.isin(RURAL_TOURISM_QUALITIES)),
}, checks=[
    # A coordinate not taken from a published source must say it is approximate.
    pa.Check(lambda df: (df["quality"] != "demo") | (df["coord_quality"] == "approximate"),
             error="demo points must have coord_quality=approximate"),
], strict=True, coerce=True)

RURAL_TOURISM_ROUTES = pa.DataFrameSchema({
    "id": _text(checks=pa.Check.str_matches(r"^R\d{2}$"), unique=True),
    "name_zh": _text(unique=True),
    "name_en": _text(unique=True),
    "point_ids": _text(checks=pa.Check.str_matches(r"^P\d{3}(;P\d{3})+$")),  # in travel order
    "year_completed": pa.Column(int, pa.Check.in_range(2010, 2030)),
    "source": _text(checks=pa.Check.str_matches(CODE)),
    "quality": _text(checks=pa.Check.isin(RURAL_TOURISM_QUALITIES)),
}, strict=True, coerce=True)

# Every kind of upload (docs/architecture.md): its label in the history, its header synonyms, the query of
# its revisions and its rollback function (data/ingest/kinds.csv), and its fields, which are required and
# what part each plays (data/ingest/kind_fields.csv). twomountains/ingest/kinds.py reads them.
KIND_PARTS = ("row", "record", "target", "definition")
KIND_ROLES = ("indicator", "region", "distinctive", "text", "number")
INGEST_KINDS = pa.DataFrameSchema({
    "kind": _text(checks=pa.Check.str_matches(r"^[a-z_]+$"), unique=True),
    "label": _text(checks=pa.Check.str_startswith("upload.history.kind.")),
    # the i18n key of the rollback's confirmation: what the kind's upload changed, in its own words
    "rollback_text": _text(checks=pa.Check.str_startswith("upload.confirm.rollback_text")),
    "headers": _text(nullable=True, checks=pa.Check.str_matches(r"^[a-z_]+/[a-z_]+\.csv$")),
    "revisions": _text(checks=pa.Check.str_matches(r"^[a-z_]+$")),
    "rollback": _text(checks=pa.Check.str_matches(r"^twomountains(\.[a-z_]+)+:[a-z_]+$")),
    # the module whose field_checks.Registry holds the kind's check functions (data/ingest/field_checks.csv);
    # twomountains.table_checks for the kinds checked as tables (the catalog, a plan workbook)
    "checks": _text(nullable=True, checks=pa.Check.str_matches(r"^twomountains(\.[a-z_]+)+$")),
    "description": _text(),
}, strict=True, coerce=True)
INGEST_FIELDS = pa.DataFrameSchema({
    "kind": _text(checks=pa.Check.str_matches(r"^[a-z_]+$")),
    "part": _text(checks=pa.Check.isin(KIND_PARTS)),
    "field": _text(checks=pa.Check.str_matches(r"^[a-z_]+$")),
    "required": _text(checks=pa.Check.isin(["true", "false"])),   # read as text: a typo is refused, not True
    "role": _text(nullable=True, checks=pa.Check.isin(KIND_ROLES)),
}, unique=["kind", "field"], strict=True, coerce=True)


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


# Each kind's checks of its cells, in the order they run within a row: the field, the name of a small
# function the kind's module registers (twomountains/ingest/field_checks.py) and its parameters (a JSON
# object). tests/test_ingest_kinds.py checks that every kind, field and function named exists.
INGEST_FIELD_CHECKS = pa.DataFrameSchema({
    "kind": _text(checks=pa.Check.str_matches(r"^[a-z_]+$")),
    "field": _text(checks=pa.Check.str_matches(r"^[a-z_]+$")),
    "check": _text(checks=pa.Check.str_matches(r"^[a-z_0-9]+$")),
    "parameters": _text(checks=pa.Check(lambda s: s.map(_json_object), element_wise=False,
                                        error="parameters must be a JSON object")),
}, unique=["kind", "field", "check"], strict=True, coerce=True)

# Uploads of the points file (docs/data-formats.md): header synonyms and the words a cell may use for a code.
POINT_FIELDS = tuple(pd.read_csv(DATA_DIR / "ingest" / "kind_fields.csv", dtype=str).query("kind == 'points'").field)
POINT_HEADERS = pa.DataFrameSchema({
    "field": _text(checks=pa.Check.isin(POINT_FIELDS)),
    "header": _text(unique=True),
    "lang": _text(checks=pa.Check.isin(["zh", "en"])),
}, strict=True, coerce=True)
POINT_VALUES = pa.DataFrameSchema({
    "field": _text(checks=pa.Check.isin(["type", "coord_quality", "quality"])),
    "text": _text(),
    "code": _text(),
}, checks=[
    pa.Check(lambda df: ((df["field"] != "type") | df["code"].isin(RURAL_TOURISM_TYPES))
             & ((df["field"] != "coord_quality") | df["code"].isin(["published", "approximate"]))
             & ((df["field"] != "quality") | df["code"].isin(RURAL_TOURISM_QUALITIES)),
             error="a word must stand for a code the points file allows"),
], unique=["field", "text"], strict=True, coerce=True)

# Places drawn on the map for orientation; their coordinates come from a published source.
MAP_LANDMARKS = pa.DataFrameSchema({
    "id": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "name_zh": _text(unique=True),
    "name_en": _text(unique=True),
    "lat": pa.Column(float, pa.Check.in_range(29.0, 29.7)),
    "lon": pa.Column(float, pa.Check.in_range(107.2, 108.1)),
    "coord_quality": _text(checks=pa.Check.isin(["published", "approximate"])),
    "source": _text(checks=pa.Check.str_matches(CODE)),
}, strict=True, coerce=True)


def _indicator_schema(units, groups, categories, departments) -> pa.DataFrameSchema:
    """The catalog's columns and their checks, as data/ingest/field_checks.csv declares them (kind catalog)."""
    from twomountains import table_checks   # it reads the declarations, which this module's schemas check
    return table_checks.catalog_schema(units, groups, categories, departments)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")


def validate_indicators(frame: pd.DataFrame, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """Check a catalog frame against the schema and the other metadata it refers to."""
    frame = frame.copy()
    # A catalog written before the column existed asks for no year-on-year improvement.
    flags = frame["year_on_year"] if "year_on_year" in frame else pd.Series(False, index=frame.index)
    frame["year_on_year"] = flags.map(lambda v: v if isinstance(v, bool) else str(v).strip().lower() == "true")
    schema = _indicator_schema(
        units=load_table("units", data_dir).code,
        groups=load_table("goal_groups", data_dir).code,
        categories=load_table("categories", data_dir).code,
        departments=load_table("departments", data_dir).code,
    )
    return schema.validate(frame, lazy=True)


# Key tasks and monthly reports (issue 6): the sections and tasks of the plan's part 二 with their
# lead and responsible units (department codes in the plan's order, ';'-separated), the catalog
# indicators each task moves, its measurable milestones, and the demo monthly reports.
TASK_REPORT_STATUSES = ("not_started", "in_progress", "done", "delayed")
TASK_REPORT_QUALITIES = ("demo", "reported")
_UNIT_LIST = r"^[a-z][a-z0-9_]*(;[a-z][a-z0-9_]*)*$"

TASK_SECTIONS = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(r"^s\d$"), unique=True),
    "order": pa.Column(int),
    "number": _text(checks=pa.Check.str_matches(r"^\([一二三四五六七八九]\)$"), unique=True),
    "title_zh": _text(unique=True),
    "title_en": _text(unique=True),
}, strict=True, coerce=True)

TASKS = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(r"^t\d_\d$"), unique=True),
    "section": _text(checks=pa.Check.str_matches(r"^s\d$")),
    "number": pa.Column(int, pa.Check.in_range(1, 9)),
    "clause": _text(checks=pa.Check.str_matches(r"^二\([一二三四五六七八九]\)\d$"), unique=True),
    "title_zh": _text(unique=True),
    "title_en": _text(unique=True),
    "description_zh": _text(),
    "description_en": _text(),
    "lead_units": _text(checks=pa.Check.str_matches(_UNIT_LIST)),
    "responsible_units": _text(nullable=True, checks=pa.Check.str_matches(_UNIT_LIST)),
}, strict=True, coerce=True)

TASK_INDICATORS = pa.DataFrameSchema({
    "task_code": _text(checks=pa.Check.str_matches(r"^t\d_\d$")),
    "indicator_code": _text(checks=pa.Check.str_matches(CODE)),
}, unique=["task_code", "indicator_code"], strict=True, coerce=True)

TASK_MILESTONES = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "task_code": _text(checks=pa.Check.str_matches(r"^t\d_\d$")),
    "indicator_code": _text(checks=pa.Check.str_matches(CODE)),
    "plan_text": _text(),
    "name_zh": _text(unique=True),
    "name_en": _text(unique=True),
}, strict=True, coerce=True)

TASK_REPORTS = pa.DataFrameSchema({
    "task_code": _text(checks=pa.Check.str_matches(r"^t\d_\d$")),
    "unit_code": _text(checks=pa.Check.str_matches(CODE)),
    "month": _text(checks=pa.Check.str_matches(r"^\d{4}-(0[1-9]|1[0-2])$")),
    "status": _text(checks=pa.Check.isin(TASK_REPORT_STATUSES)),
    "percent_complete": pa.Column(float, pa.Check.in_range(0, 100)),
    "done_zh": _text(nullable=True),
    "done_en": _text(nullable=True),
    "problems_zh": _text(nullable=True),
    "problems_en": _text(nullable=True),
    "next_step_zh": _text(nullable=True),
    "next_step_en": _text(nullable=True),
    "submitted_on": pa.Column("datetime64[ns]"),
    "quality": _text(checks=pa.Check.isin(TASK_REPORT_QUALITIES)),
}, checks=[
    pa.Check(lambda df: (df["status"] != "done") | (df["percent_complete"] == 100),
             error="a task reported done is 100% complete"),
], unique=["task_code", "unit_code", "month"], strict=True, coerce=True)


# Titles and designations Wulong holds, with the year and the page each was read from (issue 11): the
# record beside the goals, not goals themselves.
TITLES = pa.DataFrameSchema({
    "code": _text(checks=pa.Check.str_matches(CODE), unique=True),
    "year": pa.Column(int, pa.Check.in_range(1990, 2040)),
    "name_zh": _text(),
    "name_en": _text(),
    "holder_zh": _text(),
    "holder_en": _text(),
    "source": _text(),
    "note": _text(nullable=True),
}, strict=True, coerce=True)


_TABLES = {
    "units": ("catalog/units.csv", UNITS),
    "goal_groups": ("catalog/goal_groups.csv", ORDERED_NAMES),
    "categories": ("catalog/categories.csv", ORDERED_NAMES),
    "statuses": ("catalog/statuses.csv", STATUSES),
    "departments": ("departments.csv", DEPARTMENTS),
    "regions": ("regions.csv", REGIONS),
    "sources": ("sources.csv", SOURCES),
    "titles": ("titles.csv", TITLES),
    "pages": ("pages.csv", PAGES),
    "rural_tourism_points": ("rural_tourism_points.csv", RURAL_TOURISM_POINTS),
    "rural_tourism_routes": ("rural_tourism_routes.csv", RURAL_TOURISM_ROUTES),
    "map_landmarks": ("geo/landmarks.csv", MAP_LANDMARKS),
    "ingest_kinds": ("ingest/kinds.csv", INGEST_KINDS),
    "ingest_fields": ("ingest/kind_fields.csv", INGEST_FIELDS),
    "ingest_field_checks": ("ingest/field_checks.csv", INGEST_FIELD_CHECKS),
    "point_headers": ("ingest/point_headers.csv", POINT_HEADERS),
    "point_values": ("ingest/point_values.csv", POINT_VALUES),
    "task_sections": ("tasks/sections.csv", TASK_SECTIONS),
    "tasks": ("tasks/tasks.csv", TASKS),
    "task_indicators": ("tasks/task_indicators.csv", TASK_INDICATORS),
    "task_milestones": ("tasks/milestones.csv", TASK_MILESTONES),
    "task_reports_demo": ("tasks/reports_demo.csv", TASK_REPORTS),
}


@lru_cache(maxsize=None)
def _load_cached(name: str, data_dir: Path) -> pd.DataFrame:
    if name == "indicators":
        return validate_indicators(_read(data_dir / "catalog/indicators.csv"), data_dir)
    relative, schema = _TABLES[name]
    frame = _read(data_dir / relative)
    for column in ("is_lagging", "default"):
        if column in frame:
            frame[column] = frame[column].map({"true": True, "false": False})
    return schema.validate(frame, lazy=True)


def load_table(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A metadata table by name: indicators, units, goal_groups, categories, statuses, departments, regions."""
    return _load_cached(name, Path(data_dir)).copy()


TABLE_NAMES = ("indicators", *_TABLES)
