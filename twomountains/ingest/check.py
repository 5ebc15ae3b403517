"""The check stage: every record of an observation file checked as set operations over its columns.

The checks, their order within a record and their messages are those of `validate.check_record` (the
row-by-row reference): each check is a mask over the records, computed from the normalised columns
(`normalise`) and from lookups made once per distinct text or combination; a `Problem` is built only
for a record a mask marks. Problems come out in the reference's order: by record, and within a record
in the order `validate.check_record` finds them (`_SLOTS`).

The result is the checked values as one frame (`VALUE_COLUMNS`, file order), the problems, and the
number of records without a value.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from twomountains.ingest import field_checks
from twomountains.ingest import problems as p
from twomountains.ingest import validate
from twomountains.ingest.cumulative import read_flag, read_period
from twomountains.ingest.headers import INDICATOR_FIELDS, REGION_FIELDS
from twomountains.ingest.layout import Record
from twomountains.ingest.lookup import Lookup
from twomountains.ingest.normalise import Records, codes_of, numbers, text_at
from twomountains.periods import Period, PeriodError

# Where each check's problem stands among a record's problems (validate.check_record's order).
_SLOTS = ["no_value", "indicator", "region", "period", "future", "number", "cumulative_flag", "quality",
          "source_long", "note_long", "unit", "percent", "range", "not_flow", "mapped"]
SLOT = {name: index for index, name in enumerate(_SLOTS)}

VALUE_COLUMNS = ["row", "indicator_code", "region_code", "period", "period_kind", "year", "quarter", "month",
                 "period_code", "value", "source", "quality", "note", "cumulative", "cumulative_value",
                 "given_region", "value_column", "period_column"]
_KIND_CODE = {"Y": 0, "Q": 1, "M": 2}


def period_code(period: Period) -> int:
    """A period as a number within its series: kind, year and quarter or month (diff.point_keys)."""
    return _KIND_CODE[period.kind] * 1_000_000 + period.year * 100 + (period.quarter or period.month or 0)


@dataclass
class Checked(p.HasProblems):
    values: pd.DataFrame                 # VALUE_COLUMNS, one row per value kept, file order
    problems: list[p.Problem]
    skipped: int = 0
    records: int = 0
    existing: pd.DataFrame | None = None
    extra: dict = field(default_factory=dict)


def empty_values() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in VALUE_COLUMNS})


class _Problems:
    """Problems found per record, each with its slot; built in the reference's order at the end."""

    def __init__(self):
        self._parts: list[tuple[np.ndarray, int, object]] = []

    def add(self, slot: str, where: np.ndarray, build) -> None:
        """`build(i)` makes the problem of record i, for every i where `where` (a mask or indexes) holds."""
        indexes = np.nonzero(where)[0] if where.dtype == bool else where
        if len(indexes):
            self._parts.append((indexes, SLOT[slot], build))

    def errors_per_record(self, n: int) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        for indexes, _, build in self._parts:
            if getattr(build, "is_error", True):
                out[indexes] = True
        return out

    def ordered(self) -> list[p.Problem]:
        if not self._parts:
            return []
        records = np.concatenate([indexes for indexes, _, _ in self._parts])
        slots = np.concatenate([np.full(len(indexes), slot) for indexes, slot, _ in self._parts])
        parts = np.concatenate([np.full(len(indexes), k) for k, (indexes, _, _) in enumerate(self._parts)])
        order = np.lexsort((slots, records))
        builders = [build for _, _, build in self._parts]
        return [builders[parts[k]](int(records[k])) for k in order]


def _warning(build):
    build.is_error = False
    return build


def _text_at(texts, i: int) -> str:
    return str(text_at(texts, i)).strip()


def _column_at(column, i: int) -> str:
    return column if isinstance(column, str) else column[i]


def _spread(per_unique: list, codes: np.ndarray, dtype=object) -> np.ndarray:
    """Results computed once per distinct text, spread over the rows by their index."""
    out = np.empty(len(per_unique), dtype=dtype)
    out[:] = per_unique
    return out[codes]


# The per-field checks data/ingest/field_checks.csv declares for observations (kind observations), by name;
# each adds its problems to `found` in the slot named for its field.
CHECKS = field_checks.Registry("observations")


@CHECKS("max_length")
def _too_long(recs: Records, name: str, found: _Problems, active: np.ndarray, limit: int) -> None:
    texts = recs.stripped(name)
    lengths = pd.Series(texts, dtype=object).str.len().to_numpy()
    rows, column = recs.rows, recs.columns[name]
    found.add(f"{name}_long", active & (lengths > limit), lambda i: p.error(
        "too_long", int(rows[i]), column, texts[i][:40] + "…", limit=limit))


def check(recs: Records, layout_problems: list[p.Problem], lookup: Lookup, options: validate.Options) -> Checked:
    """All records checked at once; the values kept and the problems in the reference's order."""
    problems = list(layout_problems)
    if any(x.is_error for x in problems):
        return Checked(empty_values(), problems)
    n = len(recs)
    rows = recs.rows
    found = _Problems()
    raw_values = recs.texts.get("value", np.full(n, "", dtype=object))
    nums = numbers(raw_values)
    period_text = recs.stripped("period")
    value_column = recs.column("value")
    period_column = recs.column("period")

    def value_text(i):
        return _text_at(raw_values, i)

    # A record without a value: a warning when it names a period, and no other check.
    blank = nums.blank
    found.add("no_value", blank & (period_text != ""), _warning(
        lambda i: p.warning("no_value", int(rows[i]), _column_at(value_column, i), value_text(i))))
    active = ~blank

    # Indicator and region: the reference's resolvers, once per distinct combination of the cells.
    indicator = np.full(n, None, dtype=object)
    region = np.full(n, None, dtype=object)
    region_column = np.full(n, None, dtype=object)
    given_indicator = [f for f in INDICATOR_FIELDS if recs.given(f)]
    given_region = [f for f in REGION_FIELDS if recs.given(f)]
    columns = dict(recs.columns)

    def resolve(fields, resolver):
        codes, uniques = codes_of(*[recs.stripped(f) for f in fields]) if fields else (np.zeros(n, np.int64), [()])
        results = []
        for combination in uniques:
            record = Record(0, dict(zip(fields, combination)), columns)
            found_problems: list = []
            results.append((resolver(record, lookup, found_problems), found_problems[0] if found_problems else None))
        return codes, results

    codes, results = resolve(given_indicator, validate._resolve_indicator)
    u_code = np.array([r[0] for r in results] + [None], dtype=object)[:-1]
    indicator[:] = u_code[codes]
    failing = np.array([r[1] is not None for r in results], dtype=bool)[codes] & active
    found.add("indicator", failing, lambda i, c=codes, r=results: replace(r[c[i]][1], row=int(rows[i])))

    if given_region:
        rcodes, rresults = resolve(given_region, validate._resolve_region)
        u_region = np.array([r[0][0] for r in rresults] + [None], dtype=object)[:-1]
        u_region_column = np.array([r[0][1] for r in rresults] + [None], dtype=object)[:-1]
        region[:], region_column[:] = u_region[rcodes], u_region_column[rcodes]
        failing = np.array([r[1] is not None for r in rresults], dtype=bool)[rcodes] & active
        found.add("region", failing, lambda i, c=rcodes, r=rresults: replace(r[c[i]][1], row=int(rows[i])))
        texts = [_region_text(dict(zip(given_region, u))) for u in codes_of(
            *[recs.stripped(f) for f in given_region])[1]]
        region_text = np.array(texts + [None], dtype=object)[:-1][rcodes]
    else:
        region[:] = validate.DISTRICT
        region_text = np.full(n, "", dtype=object)

    # Periods, once per distinct text: the period, whether the text says year-to-date, or the error.
    pcodes, puniques = codes_of(period_text)
    read, u_status = [], []
    for (text,) in puniques:
        try:
            read.append(read_period(text))
        except (PeriodError, KeyError, ValueError):
            read.append((None, False))
            u_status.append("bad_period" if text else "missing_period")
            continue
        u_status.append("future" if read[-1][0].start_date > options.today else "ok")
    status = _spread(u_status, pcodes)
    declared = _spread([d for _, d in read], pcodes, bool)
    period_of = _spread([x if s == "ok" else None for (x, _), s in zip(read, u_status)], np.arange(len(read)))
    period = period_of[pcodes]
    bad_period = active & ((status == "bad_period") | (status == "missing_period"))
    found.add("period", bad_period, lambda i: p.error(
        status[i], int(rows[i]), _column_at(period_column, i), period_text[i]))
    found.add("future", active & (status == "future"), lambda i: p.error(
        "future_period", int(rows[i]), _column_at(period_column, i), period_text[i],
        period=str(read[pcodes[i]][0]), today=options.today.isoformat()))
    has_period = status == "ok"
    kinds = _spread([x.kind if x is not None else "" for x in period_of], pcodes)
    not_year = has_period & (kinds != "Y")

    found.add("number", active & ~nums.parsed, lambda i: p.error(
        "not_a_number", int(rows[i]), _column_at(value_column, i), value_text(i)))

    cumulative = np.full(n, bool(options.cumulative)) | declared
    if recs.given("cumulative"):
        flag_text = recs.stripped("cumulative")
        fcodes, funiques = codes_of(flag_text)
        flags = [read_flag(t) for (t,) in funiques]
        bad_flag = np.array([f is None for f in flags], dtype=bool)[fcodes]
        found.add("cumulative_flag", active & bad_flag, lambda i: p.error(
            "bad_cumulative_flag", int(rows[i]), columns["cumulative"], flag_text[i]))
        cumulative |= np.array([bool(f) for f in flags], dtype=bool)[fcodes]

    quality = np.full(n, None, dtype=object)
    if recs.given("quality"):
        quality_text = recs.stripped("quality")
        qcodes, quniques = codes_of(quality_text)
        words = [validate.QUALITY_WORDS.get(t.lower()) if t else None for (t,) in quniques]
        bad = np.array([bool(t) and w is None for (t,), w in zip(quniques, words)], dtype=bool)[qcodes]
        found.add("quality", active & bad, lambda i: p.error(
            "bad_quality", int(rows[i]), columns["quality"], quality_text[i]))
        quality[:] = np.array(words + [None], dtype=object)[:-1][qcodes]

    for declared, function in CHECKS.plan():          # data/ingest/field_checks.csv
        if not declared.skipped(recs.texts):
            function(recs, declared.field, found, active, **declared.arguments)

    # Checks against the indicator's catalog row, once per distinct indicator (and unit text).
    known = active & (indicator != None)   # noqa: E711 (elementwise)
    icodes, iuniques = codes_of(indicator)
    catalog = [u[0] for u in iuniques]

    def per_indicator(function, otype=object, missing=None):
        values = [function(code) if code is not None else missing for code in catalog]
        return np.array(values + [missing], dtype=otype)[:-1][icodes]

    unit_text = recs.stripped("unit") if recs.given("unit") else np.full(n, recs.header_unit or "", dtype=object)
    ucodes, uuniques = codes_of(indicator, unit_text)
    mismatch = np.array([bool(code is not None and text and not lookup.unit_matches(code, text))
                         for code, text in uuniques] + [False], dtype=bool)[:-1][ucodes]
    unit_column = columns.get("unit") or value_column
    found.add("unit", known & mismatch, lambda i: p.error(
        "unit_mismatch", int(rows[i]), _column_at(unit_column, i), unit_text[i],
        expected=lookup.unit_label(indicator[i]), indicator=lookup.names(indicator[i])))

    is_percent = per_indicator(lookup.is_percent, bool, False)
    found.add("percent", known & nums.parsed & nums.percent & ~is_percent, lambda i: p.error(
        "percent_not_allowed", int(rows[i]), _column_at(value_column, i), value_text(i),
        expected=lookup.unit_label(indicator[i])))
    low = per_indicator(lambda c: lookup.bounds(c)[0], float, np.nan).astype(float)
    high = per_indicator(lambda c: lookup.bounds(c)[1], float, np.nan).astype(float)
    ranged = known & nums.parsed & ~(cumulative & not_year)
    below = ranged & ~np.isnan(low) & (nums.value < np.where(np.isnan(low), 0, low))
    above = ranged & ~below & ~np.isnan(high) & (nums.value > np.where(np.isnan(high), 0, high))
    found.add("range", below, lambda i: p.error(
        "below_minimum", int(rows[i]), _column_at(value_column, i), value_text(i),
        minimum=lookup.bounds(indicator[i])[0], unit=lookup.unit_label(indicator[i])))
    found.add("range", above, lambda i: p.error(
        "above_maximum", int(rows[i]), _column_at(value_column, i), value_text(i),
        maximum=lookup.bounds(indicator[i])[1], unit=lookup.unit_label(indicator[i])))
    is_flow = per_indicator(lookup.is_flow, bool, False)
    found.add("not_flow", known & cumulative & not_year & ~is_flow, lambda i: p.error(
        "cumulative_not_flow", int(rows[i]), _column_at(period_column, i), period_text[i],
        indicator=lookup.names(indicator[i])))

    kept = active & ~found.errors_per_record(n)
    # An old township named for a period after the reform: its successor takes the value (a warning).
    stored_region = np.array(region, dtype=object)
    kept_index = np.nonzero(kept)[0]
    if len(kept_index):
        rcodes_kept, runiques = codes_of(region[kept_index])
        merged = np.array([lookup.has_successor(code) for (code,) in runiques] + [False], dtype=bool)[:-1]
        may_map = kept_index[merged[rcodes_kept]]          # only a merged unit can move to its successor
        mapped = np.zeros(n, dtype=bool)
        if len(may_map):
            mcodes, muniques = codes_of(region[may_map], pcodes[may_map])
            matches = [lookup.region_for_period(code, period_of[pc]) for code, pc in muniques]
            stored_region[may_map] = np.array([m.code for m in matches] + [None], dtype=object)[:-1][mcodes]
            mapped[may_map] = np.array([m.mapped for m in matches] + [False], dtype=bool)[:-1][mcodes]
        found.add("mapped", mapped, _warning(lambda i: p.warning(
            "old_region_mapped", int(rows[i]), region_column[i], region_text[i],
            old=lookup.region_names(region[i]), new=lookup.region_names(stored_region[i]),
            period=str(period[i]))))

    problems += found.ordered()
    values = _values_frame(recs, kept_index, indicator, stored_region, period, pcodes, nums.value, quality,
                           cumulative, not_year, region, value_column, period_column)
    if n == 0 or (values.empty and not any(x.is_error for x in problems)):
        problems.append(p.error("no_values", recs.header_row))
    values, duplicates = drop_duplicates(values)
    problems += duplicates
    recs._stripped.clear()     # the stripped texts (an object array per field) are not needed past the check
    return Checked(values, problems, int(blank.sum()), n)


def _region_text(cells: dict) -> str:
    for name in REGION_FIELDS:
        if name in cells and cells[name]:
            return cells[name]
    return ""


def _first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """The first position of each code 0..count-1 (codes as codes_of numbers them: first seen first)."""
    _, first = np.unique(codes, return_index=True)
    return first[:count]


def _values_frame(recs, kept, indicator, region, period, period_codes, value, quality, cumulative, not_year,
                  given_region, value_column, period_column) -> pd.DataFrame:
    if not len(kept):
        return empty_values()
    periods = period[kept]
    # Once per distinct period text (the period texts' codes: hashing a million Period objects took seconds).
    pcodes, puniques = codes_of(period_codes[kept])
    parts = [(str(x), x.kind, x.year, x.quarter, x.month, period_code(x))
             for x in (periods[first] for first in _first_positions(pcodes, len(puniques)))]

    def part(k, dtype=object):
        return pd.array([t[k] for t in parts], dtype=dtype)[pcodes]

    def optional_text(name, keep_blank):
        if not recs.given(name):
            return np.full(len(kept), None, dtype=object)
        texts = recs.stripped(name)[kept]
        return texts if keep_blank else np.where(texts == "", None, texts)

    is_cumulative = (cumulative & not_year)[kept]
    frame = pd.DataFrame({
        "row": recs.rows[kept],
        "indicator_code": pd.Series(indicator[kept], dtype=object),
        "region_code": pd.Series(region[kept], dtype=object),
        "period": pd.Series(part(0), dtype=object),
        "period_kind": pd.Series(part(1), dtype=object),
        "year": part(2, "Int64"),
        "quarter": part(3, "Int64"),
        "month": part(4, "Int64"),
        "period_code": part(5, "int64"),
        "value": value[kept].astype(float),
        "source": pd.Series(optional_text("source", False), dtype=object),
        "quality": pd.Series(quality[kept], dtype=object),
        "note": pd.Series(optional_text("note", True), dtype=object),
        "cumulative": is_cumulative,
        "cumulative_value": np.where(is_cumulative, value[kept], np.nan),
        "given_region": pd.Series(given_region[kept], dtype=object),
        "value_column": pd.Series(value_column if isinstance(value_column, str) else value_column[kept],
                                  index=range(len(kept)), dtype=object),
        "period_column": pd.Series(period_column if isinstance(period_column, str) else period_column[kept],
                                   index=range(len(kept)), dtype=object),
    }, copy=False)   # one block per column: consolidating copied every column once more
    frame["_period"] = pd.Series(periods, dtype=object)
    return frame


def drop_duplicates(values: pd.DataFrame) -> tuple[pd.DataFrame, list[p.Problem]]:
    """The first value of each key is kept; the later ones are a warning (same) or an error (different)."""
    if values.empty:
        return values, []
    keys = ["indicator_code", "region_code", "period"]
    values = values.reset_index(drop=True)
    group = values.groupby(keys, sort=False, dropna=False).ngroup().to_numpy()
    _, first_position = np.unique(group, return_index=True)
    first_of = first_position[group]                      # the position of each value's first of its key
    later = first_of != np.arange(len(values))
    problems = []
    for position in np.nonzero(later)[0]:
        v, seen = values.iloc[position], values.iloc[first_of[position]]
        same = seen.value == v.value and bool(seen.cumulative) == bool(v.cumulative)
        if same and seen.given_region == v.given_region:
            problems.append(p.warning("duplicate_same", int(v.row), v.value_column, validate._fmt(v.value),
                                      first_row=int(seen.row)))
        elif seen.given_region != v.given_region:
            problems.append(p.error("duplicate_after_mapping", int(v.row), v.value_column, validate._fmt(v.value),
                                    first_row=int(seen.row), first_value=validate._fmt(seen.value),
                                    period=str(v.period)))
        else:
            problems.append(p.error("duplicate_conflict", int(v.row), v.value_column, validate._fmt(v.value),
                                    first_row=int(seen.row), first_value=validate._fmt(seen.value)))
    return values[~later].reset_index(drop=True), problems


def to_values(frame: pd.DataFrame) -> list[validate.Value]:
    """The frame's values as the reference's Value objects (for the year-to-date split)."""
    names = ["row", "indicator_code", "region_code", "_period", "value", "source", "quality", "note", "cumulative",
             "cumulative_value", "given_region", "value_column", "period_column"]
    out = []
    for (row, indicator, region, period, value, source, quality, note, cumulative, cumulative_value, given,
         value_column, period_column) in zip(*[frame[n].tolist() for n in names]):
        out.append(validate.Value(
            row=int(row), indicator_code=indicator, region_code=region, period=period, value=float(value),
            source=source, quality=quality, note=note,
            cumulative_value=float(cumulative_value) if cumulative else None, given_region=given,
            columns={"value": value_column, "period": period_column}))
    return out


def from_values(values: list[validate.Value]) -> pd.DataFrame:
    if not values:
        return empty_values().assign(_period=pd.Series(dtype=object))
    periods = [v.period for v in values]
    frame = pd.DataFrame({
        "row": [v.row for v in values], "indicator_code": [v.indicator_code for v in values],
        "region_code": [v.region_code for v in values], "period": [str(x) for x in periods],
        "period_kind": [x.kind for x in periods], "year": pd.array([x.year for x in periods], dtype="Int64"),
        "quarter": pd.array([x.quarter for x in periods], dtype="Int64"),
        "month": pd.array([x.month for x in periods], dtype="Int64"),
        "period_code": np.array([period_code(x) for x in periods], dtype=np.int64),
        "value": [float(v.value) for v in values], "source": [v.source for v in values],
        "quality": [v.quality for v in values], "note": [v.note for v in values],
        "cumulative": [v.cumulative_value is not None for v in values],
        "cumulative_value": [np.nan if v.cumulative_value is None else v.cumulative_value for v in values],
        "given_region": [v.given_region for v in values],
        "value_column": [v.columns.get("value") for v in values],
        "period_column": [v.columns.get("period") for v in values]})
    for column in ("indicator_code", "region_code", "period", "period_kind", "source", "quality", "note",
                   "given_region", "value_column", "period_column"):
        frame[column] = frame[column].astype(object)
    frame["_period"] = pd.Series(periods, dtype=object)
    return frame
