"""Uploads of the rural-tourism points file: the complete new list of the map's villages and points.

A points file **replaces the list**: every point of the file is kept (new, changed or unchanged), and
every stored point the file does not list is removed, all in one transaction. It is recognised by its
headers (English or Chinese synonyms in data/ingest/point_headers.csv; the words a type, coordinate or
quality cell may use in data/ingest/point_values.csv). Every row is checked before anything is
written: id (P and three digits, once only), names, township (code or name; a pre-2020 township is
recorded under its successor with a warning), coordinates inside Wulong's bounding box, type,
year designated. Routes are not uploaded: a point's route is the route of data/ that lists it, and a
point that a route passes through cannot be removed.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from twomountains import geo, metadata, rural_tourism
from twomountains.database import read_sql
from twomountains.i18n import t
from twomountains.ingest import field_checks, kinds
from twomountains.ingest import problems as p
from twomountains.ingest.changes import INSERT, UNCHANGED, UPDATE, same_number
from twomountains.ingest.point_headers import (DISTINCTIVE, LAYOUT, field_of, is_points_header,  # noqa: F401
                                               synonyms, synonyms_table)
from twomountains.ingest.layout import Layout
from twomountains.ingest.lookup import Lookup, key
from twomountains.ingest.numbers import NotANumber, is_blank, parse_number
from twomountains.ingest.store import (UploadMeta, _with, bump_data_version, default_source, ensure_tables, next_id,
                                       record_upload)
from twomountains.paths import DATA_DIR
from twomountains.periods import Period

KIND = "points"
DELETE = "delete"
REQUIRED = kinds.required("points")   # data/ingest/kind_fields.csv
# The checks of a row's cells, their order and parameters (Wulong's bounding box, the first year, the length
# of a text, the id's pattern) are data/ingest/field_checks.csv; the functions below are registered by name.
CHECKS = field_checks.Registry(KIND)
CORE = ("name_zh", "name_en", "township_code", "lat", "lon", "coord_quality", "type", "year_designated", "route")


@dataclass(frozen=True)
class PointChange:
    kind: str                  # insert, update, unchanged or delete
    id: str
    row: int | None            # the file's row (None for a removed point)
    old: dict | None           # the stored row (None for a new point)
    new: dict | None           # the row as it will be stored (None for a removed point)
    fields: tuple[str, ...]    # the fields that differ

    @property
    def key(self) -> str:
        return self.id


@lru_cache(maxsize=None)
def _words(data_dir: Path = DATA_DIR) -> dict[str, dict[str, str]]:
    """field -> {word: code}: data/ingest/point_values.csv and the words the page and templates show."""
    out: dict[str, dict[str, str]] = {"type": {}, "coord_quality": {}, "quality": {}}
    table = metadata.load_table("point_values", data_dir)
    for field, text, code in zip(table.field, table.text, table.code):
        out[field][key(text)] = code
    for lang in ("zh", "en"):
        for code in metadata.RURAL_TOURISM_TYPES:
            out["type"].setdefault(key(t(f"map.type.{code}", lang)), code)
        for code in ("published", "approximate"):
            out["coord_quality"].setdefault(key(t(f"map.coord.{code}", lang)), code)
        for code in metadata.RURAL_TOURISM_QUALITIES:
            out["quality"].setdefault(key(t(f"quality.{code}", lang)), code)
    return out


def _field_label(field: str) -> dict:
    return {lang: t(f"upload.point_field.{field}", lang) for lang in ("zh", "en")}


def _listed(fields: list[str]) -> dict:
    return {lang: t("upload.list_separator", lang).join(t(f"upload.point_field.{f}", lang) for f in fields) or "—"
            for lang in ("zh", "en")}


def _columns(layout: Layout) -> tuple[dict[str, int], list[p.Problem]]:
    """field -> column index, and the problems of the header row (missing, duplicated, unknown columns)."""
    fields: dict[str, int] = {}
    problems, unexpected = [], []
    for index, cell in enumerate(layout.header):
        if not cell.strip():
            continue
        field = field_of(cell)
        if field is None:
            unexpected.append(cell.strip())
        elif field in fields:
            problems.append(p.error("duplicate_column", layout.header_row, cell.strip(),
                                    first=layout.header[fields[field]].strip()))
        else:
            fields[field] = index
    missing = [f for f in REQUIRED if f not in fields and not (f == "township" and "township_code" in fields)]
    if missing:
        problems.append(p.error("points_missing_columns", layout.header_row, missing=_listed(missing),
                                unexpected=unexpected))
    elif unexpected:
        problems.append(p.warning("unexpected_columns", layout.header_row, unexpected=unexpected))
    return fields, problems


def _clean(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def record(row) -> dict:
    """A stored point as a plain dict (the JSON of its revisions)."""
    out = {name: _clean(row[name]) for name in rural_tourism.POINT_COLUMNS}
    out["lat"], out["lon"] = float(out["lat"]), float(out["lon"])
    out["year_designated"] = int(out["year_designated"])
    out["route"] = out["route"] or None
    return out


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return same_number(a, b)
    return a == b


class _Row:
    """One row of the file: its cells by field, with the header each came from."""

    def __init__(self, number: int, cells: list[str], fields: dict[str, int], header: list[str]):
        self.number = number
        self.cells = {f: (cells[i] if i < len(cells) else "") for f, i in fields.items()}
        self.columns = {f: header[i].strip() for f, i in fields.items()}

    def text(self, field: str) -> str:
        return unicodedata.normalize("NFKC", self.cells.get(field, "")).strip()

    def raw(self, field: str) -> str:
        return self.cells.get(field, "").strip()


def _township(row: _Row, lookup: Lookup, regions: dict, today: date, problems: list) -> str | None:
    found = {}
    for field, how in (("township_code", "code"), ("township", "any")):
        text = row.raw(field)
        if field not in row.cells:
            continue
        if not text:
            continue
        code = lookup.region(text, how)
        if code is None:
            suggestion = lookup.suggest_region(text)
            problems.append(p.error("unknown_region" if suggestion is None else "unknown_region_suggest",
                                    row.number, row.columns[field], text,
                                    suggestion=lookup.region_names(suggestion) if suggestion else ""))
            return None
        found[field] = code
    if not found:
        column = row.columns.get("township") or row.columns.get("township_code")
        problems.append(p.error("point_missing", row.number, column, "", field=_field_label("township")))
        return None
    if len(set(found.values())) > 1:
        problems.append(p.error("region_mismatch", row.number, row.columns["township"], row.raw("township"),
                                other=row.raw("township_code"), other_column=row.columns["township_code"]))
        return None
    given = next(iter(found.values()))
    column = row.columns["township" if "township" in found else "township_code"]
    if regions[given]["level"] != "township":
        problems.append(p.error("point_not_township", row.number, column, row.raw(
            "township" if "township" in found else "township_code")))
        return None
    match = lookup.region_for_period(given, Period(today.year))
    if match.mapped:
        problems.append(p.warning("point_township_mapped", row.number, column,
                                  row.raw("township" if "township" in found else "township_code"),
                                  old=lookup.region_names(given), new=lookup.region_names(match.code)))
    return match.code


@dataclass
class _Context:
    """What the checks of a file's rows share: the lookups, today, the first row of each id and name."""
    lookup: Lookup
    regions: dict
    today: date
    first_rows: dict


@CHECKS("point_id")
def _point_id(row: _Row, field: str, values: dict, problems: list, context: _Context, pattern: str) -> str:
    point_id = row.text(field).upper()
    seen = context.first_rows.setdefault(field, {})
    if not re.match(pattern, point_id):
        problems.append(p.error("bad_point_id", row.number, row.columns[field], row.raw(field)))
    elif point_id in seen:
        problems.append(p.error("duplicate_point_id", row.number, row.columns[field], row.raw(field),
                                first_row=seen[point_id]))
    else:
        seen[point_id] = row.number
    return point_id


@CHECKS("unique")
def _unique(row: _Row, field: str, values: dict, problems: list, context: _Context) -> str | None:
    """A name given twice in the file (compared as the lookups compare texts)."""
    value = values.get(field)
    if value is not None:
        seen = context.first_rows.setdefault(field, {})
        if key(value) in seen:
            problems.append(p.error("duplicate_point_name", row.number, row.columns[field], value,
                                    first_row=seen[key(value)]))
        else:
            seen[key(value)] = row.number
    return value


@CHECKS("township")
def _township_check(row: _Row, field: str, values: dict, problems: list, context: _Context) -> str | None:
    return _township(row, context.lookup, context.regions, context.today, problems)


@CHECKS("code")
def _code(row: _Row, field: str, values: dict, problems: list, context: _Context) -> str:
    return row.text(field).upper()


@CHECKS("coordinate")
def _coordinate(row: _Row, field: str, values: dict, problems: list, context: _Context,
                low: float, high: float) -> float | None:
    bounds = (low, high)
    text = row.raw(field)
    if is_blank(text):
        problems.append(p.error("point_missing", row.number, row.columns[field], text, field=_field_label(field)))
        return None
    try:
        number = parse_number(text)
    except NotANumber:
        problems.append(p.error("not_a_number", row.number, row.columns[field], text))
        return None
    if number.percent_sign or not bounds[0] <= number.value <= bounds[1]:
        problems.append(p.error("point_outside_box", row.number, row.columns[field], text,
                                field=_field_label(field), low=bounds[0], high=bounds[1]))
        return None
    return number.value


@CHECKS("word")
def _word(row: _Row, field: str, values: dict, problems: list, context: _Context,
          default: str | None = None) -> str | None:
    text = row.raw(field)
    if not text:
        if default is None:
            problems.append(p.error("point_missing", row.number, row.columns.get(field), "",
                                    field=_field_label(field)))
        return default
    code = _words()[field].get(key(text))
    if code is None:
        table = metadata.load_table("point_values")
        allowed = table[table.field == field].text.tolist()
        problems.append(p.error(f"bad_point_{field}", row.number, row.columns[field], text, allowed=allowed))
    return code


@CHECKS("year")
def _year(row: _Row, field: str, values: dict, problems: list, context: _Context, first: int) -> int | None:
    text = row.text(field).removesuffix("年").strip()
    if not text:
        problems.append(p.error("point_missing", row.number, row.columns[field], "", field=_field_label(field)))
        return None
    if re.fullmatch(r"\d{4}(\.0+)?", text):
        year = int(text.split(".")[0])
        if first <= year <= context.today.year:
            return year
    problems.append(p.error("bad_point_year", row.number, row.columns[field], row.raw(field),
                            first=first, last=context.today.year))
    return None


@CHECKS("text")
def _text(row: _Row, field: str, values: dict, problems: list, context: _Context,
          required: bool, limit: int) -> str | None:
    text = row.raw(field)
    if not text:
        if required:
            problems.append(p.error("point_missing", row.number, row.columns.get(field), "",
                                    field=_field_label(field)))
        return None
    if len(text) > limit:
        problems.append(p.error("too_long", row.number, row.columns[field], text[:40] + "…", limit=limit))
        return None
    return text


def _read_rows(layout: Layout, lookup: Lookup, regions: dict, today: date, problems: list) -> list[dict]:
    """Every row checked; each good one as {row, id, the fields, source/quality as given (or None)}."""
    fields, header_problems = _columns(layout)
    problems += header_problems
    if any(x.is_error for x in header_problems):
        return []
    checks = CHECKS.plan()
    context = _Context(lookup, regions, today, {})
    out = []
    for number, cells in layout.data_rows:
        if not any(c.strip() for c in cells):
            continue
        row = _Row(number, cells, fields, layout.header)
        before = len([x for x in problems if x.is_error])
        values: dict = {}
        for declared, function in checks:
            if declared.skipped(fields):
                values[declared.field] = declared.when_absent
            else:
                values[declared.field] = function(row, declared.field, values, problems, context,
                                                  **declared.arguments)
        if len([x for x in problems if x.is_error]) > before:
            continue
        out.append({"row": number, "id": values["id"], "name_zh": values["name_zh"], "name_en": values["name_en"],
                    "township_code": values["township"], "lat": values["lat"], "lon": values["lon"],
                    "coord_quality": values["coord_quality"], "type": values["type"],
                    "year_designated": values["year_designated"], "route_given": values["route"],
                    "route_column": row.columns.get("route"), "source_given": values["source"],
                    "quality_given": values["quality"] or None})
    return out


def _routes_of(routes: pd.DataFrame) -> dict[str, str]:
    """point id -> the route that lists it."""
    return {point: route for route, ids in rural_tourism.route_point_ids(routes).items() for point in ids}


def _new_record(given: dict, stored: dict | None, route: str | None, default_source: str) -> dict:
    """What a row will be stored as. A point whose place, names, type and year stay the same keeps its stored
    source and quality unless the file gives others; a new or changed point is `reported` unless the file says
    `published`, and its source is the file's cell (or the file name). `demo` never marks an analyst's point."""
    core = {f: given[f] for f in CORE if f != "route"} | {"route": route}
    quality, source = given["quality_given"], given["source_given"]
    if stored is not None and all(_same(stored[f], core[f]) for f in CORE):
        new = dict(stored)
        if quality in ("published", "reported"):
            new["quality"] = quality
        if source and source != "demo":
            new["source"] = source
        return new
    return {"id": given["id"], **core, "source": source if source and source != "demo" else default_source,
            "quality": "published" if quality == "published" else "reported"}


def _indicator_warnings(cursor, points: pd.DataFrame) -> list[p.Problem]:
    """Where the map's cumulative count by year would differ from the indicator's district values."""
    observations = cursor.execute(read_sql("indicator_observations"),
                                  {"indicator": rural_tourism.POINTS_INDICATOR}).df()
    district = observations[(observations.region_level == "district") & (observations.period_kind == "Y")]
    if district.empty:
        return []
    indicator = {int(y): int(round(float(v))) for y, v in zip(district.year, district.value)}
    on_map = {y: int((points.year_designated <= y).sum()) for y in indicator}
    differ = [f"{y}: {on_map[y]}/{indicator[y]}" for y in sorted(indicator) if on_map[y] != indicator[y]]
    if not differ:
        return []
    return [p.warning("points_disagree_indicator", years=differ[:8] + (["…"] if len(differ) > 8 else []),
                      indicator=rural_tourism.POINTS_INDICATOR)]


def check(layout: Layout, cursor, file_name: str, today: date) -> tuple[list[PointChange], list[p.Problem]]:
    """The file's points against the stored list: every change (removed points too) and every problem."""
    lookup = Lookup.from_database(cursor)
    regions = {r["code"]: r for r in cursor.execute(read_sql("upload_regions")).df().to_dict("records")}
    problems: list[p.Problem] = []
    rows = _read_rows(layout, lookup, regions, today, problems)
    if any(x.is_error for x in problems):
        return [], problems
    if not rows:
        return [], problems + [p.error("no_points", layout.header_row)]
    stored_points, routes = rural_tourism.read(cursor)
    stored = {r["id"]: record(r) for r in stored_points.to_dict("records")}
    route_of = _routes_of(routes)
    listed = {r["id"] for r in rows}
    for route, ids in rural_tourism.route_point_ids(routes).items():
        for point in ids:
            if point not in listed:
                problems.append(p.error("route_stop_removed", point=point, route=route))
    if any(x.is_error for x in problems):
        return [], problems
    outline = geo.outline()
    changes = []
    for given in rows:
        route = route_of.get(given["id"])
        if given["route_given"] and given["route_given"] != route:
            problems.append(p.warning("point_route_from_routes", given["row"], given["route_column"],
                                      given["route_given"], route=route or "—"))
        if not geo.contains(outline, given["lat"], given["lon"]):
            problems.append(p.warning("point_outside_outline", given["row"], None,
                                      f"{given['lat']:g}, {given['lon']:g}"))
        old = stored.get(given["id"])
        new = _new_record(given, old, route, default_source(file_name))
        if old is None:
            changes.append(PointChange(INSERT, given["id"], given["row"], None, new, tuple(rural_tourism.POINT_COLUMNS)))
            continue
        differ = tuple(f for f in rural_tourism.POINT_COLUMNS if not _same(old[f], new[f]))
        changes.append(PointChange(UPDATE if differ else UNCHANGED, given["id"], given["row"], old, new, differ))
    removed = [PointChange(DELETE, point, None, old, None, ()) for point, old in sorted(stored.items())
               if point not in listed]
    if removed:
        problems.append(p.warning("points_removed", count=len(removed), ids=[c.id for c in removed[:10]]
                                  + (["…"] if len(removed) > 10 else [])))
    changes += removed
    final = rural_tourism.points_frame([c.new for c in changes if c.kind != DELETE])
    problems += _indicator_warnings(cursor, final)
    return changes, problems


def counts(changes: list[PointChange]) -> dict[str, int]:
    out = {INSERT: 0, UPDATE: 0, UNCHANGED: 0, DELETE: 0}
    for change in changes:
        out[change.kind] += 1
    return out


def write_list(con, records: list[dict]) -> None:
    """The complete list of points: the stored one is cleared and this one written (inside the caller's transaction)."""
    con.execute(read_sql("upload_points_clear")).fetchall()
    if records:
        _with(con, "upload_points_incoming", rural_tourism.points_frame(records), read_sql("upload_points_write"))


def write_revisions(con, upload_id: int, revisions: list[tuple[str, str, dict | None, dict | None]]) -> None:
    if not revisions:
        return
    frame = pd.DataFrame([{"id": point, "action": action,
                           "old_record": None if old is None else json.dumps(old, ensure_ascii=False),
                           "new_record": None if new is None else json.dumps(new, ensure_ascii=False)}
                          for point, action, old, new in revisions],
                         columns=["id", "action", "old_record", "new_record"]).astype(object)
    _with(con, "upload_point_revisions_incoming", frame, read_sql("upload_write_point_revisions"),
          {"upload_id": upload_id})


def write_upload(con, meta: UploadMeta, changes: list[PointChange]) -> int:
    """The complete new list, one revision per point added, changed or removed, the history row, the version."""
    ensure_tables(con)
    upload_id = next_id(con)
    write_list(con, [c.new for c in changes if c.kind != DELETE])
    written = [c for c in changes if c.kind != UNCHANGED]
    write_revisions(con, upload_id, [(c.id, c.kind, c.old, c.new) for c in written])
    n = counts(changes)
    meta = UploadMeta(**{**meta.__dict__, "options": {**meta.options, "removed": n[DELETE]}})
    record_upload(con, upload_id, meta, n[INSERT], n[UPDATE], n[UNCHANGED])
    bump_data_version(con)
    return upload_id


def current(con) -> dict[str, dict]:
    points, _ = rural_tourism.read(con)
    return {r["id"]: record(r) for r in points.to_dict("records")}


def template_frame(con, lang: str) -> pd.DataFrame:
    """The points as stored now, with headers and words in `lang`: edit it and upload it back."""
    points, _ = rural_tourism.read(con)
    regions = con.execute(read_sql("upload_regions")).df().set_index("code")
    columns = ("id", "name_zh", "name_en", "township_code", "township", "lat", "lon", "coord_quality", "type",
               "year_designated", "route", "source", "quality")
    rows = []
    for r in points.to_dict("records"):
        rows.append([r["id"], r["name_zh"], r["name_en"], r["township_code"],
                     regions.loc[r["township_code"], f"name_{lang}"] if r["township_code"] in regions.index else "",
                     repr(float(r["lat"])), repr(float(r["lon"])), t(f"map.coord.{r['coord_quality']}", lang),
                     t(f"map.type.{r['type']}", lang), int(r["year_designated"]), r["route"] or "", r["source"],
                     t(f"quality.{r['quality']}", lang)])
    return pd.DataFrame(rows, columns=[t(f"upload.point_field.{c}", lang) for c in columns])
