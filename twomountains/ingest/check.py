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
from twomountains.ingest.normalise import (Records, Texts, categorical, combine, first_positions, group_numbers,
                                           numbers, spread)
from twomountains.periods import Period, PeriodError

# Where each check's problem stands among a record's problems (validate.check_record's order).
_SLOTS = ["no_value", "indicator", "region", "period", "future", "number", "cumulative_flag", "quality",
          "source_long", "note_long", "unit", "percent", "range", "not_flow", "mapped"]
SLOT = {name: index for index, name in enumerate(_SLOTS)}

VALUE_COLUMNS = ["row", "indicator_code", "region_code", "period", "period_kind", "year", "quarter", "month",
                 "period_code", "value", "source", "quality", "note", "cumulative", "cumulative_value",
                 "given_region", "value_column", "period_column"]
_KIND_CODE = {"Y": 0, "Q": 1, "M": 2}
# The values frame (VALUE_COLUMNS) holds its texts as pandas Categoricals (a code per value: the diff works on the
# codes, never hashing a text per value), and beside them `_period` (the Period) and `_series` (a number per
# indicator and region). _values_frame and from_values make the same columns.
_PART_TYPES = ("Int16", "Int8")      # year, quarter and month: 3 and 2 bytes per value, not 9
TEXT_COLUMNS = ("indicator_code", "region_code", "period", "period_kind", "source", "quality", "note",
                "given_region", "value_column", "period_column")


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


def _column_at(column, i: int) -> str:
    return column if isinstance(column, str) else column[i]


def _objects(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class _Names:
    """Codes (of indicators or regions) numbered 0, 1, ...; -1 stands for none. An array of numbers per record
    replaces an array of code strings, so the checks compare and group numbers."""

    def __init__(self):
        self.codes: list[str] = []
        self._number: dict[str, int] = {}

    def number(self, code: str | None) -> int:
        if code is None:
            return -1
        if code not in self._number:
            self._number[code] = len(self.codes)
            self.codes.append(code)
        return self._number[code]

    def numbers(self, codes) -> np.ndarray:
        return np.array([self.number(c) for c in codes], dtype=np.int64)

    def per_code(self, function, otype=object, missing=None) -> np.ndarray:
        """function(code) per code, and `missing` last (where -1 lands)."""
        out = np.empty(len(self.codes) + 1, dtype=otype)
        out[:-1] = [function(code) for code in self.codes]
        out[-1] = missing
        return out

    def strings(self) -> np.ndarray:
        return self.per_code(lambda code: code)


# The per-field checks data/ingest/field_checks.csv declares for observations (kind observations), by name;
# each adds its problems to `found` in the slot named for its field.
CHECKS = field_checks.Registry("observations")


@CHECKS("max_length")
def _too_long(recs: Records, name: str, found: _Problems, active: np.ndarray, limit: int) -> None:
    texts = recs.stripped(name)
    too_long = texts.spread(np.array([len(t) > limit for t in texts.distinct], dtype=bool))
    rows, column = recs.rows, recs.columns[name]
    found.add(f"{name}_long", active & too_long, lambda i: p.error(
        "too_long", int(rows[i]), column, texts.at(i)[:40] + "…", limit=limit))


def check(recs: Records, layout_problems: list[p.Problem], lookup: Lookup, options: validate.Options) -> Checked:
    """All records checked at once; the values kept and the problems in the reference's order."""
    problems = list(layout_problems)
    if any(x.is_error for x in problems):
        return Checked(empty_values(), problems)
    n = len(recs)
    rows = recs.rows
    found = _Problems()
    raw_values = recs.texts["value"] if recs.given("value") else Texts.constant("", n)
    nums = numbers(raw_values)
    period_text = recs.stripped("period")
    value_column = recs.column("value")
    period_column = recs.column("period")

    def value_text(i):
        return str(raw_values.at(i)).strip()

    # A record without a value: a warning when it names a period, and no other check.
    blank = nums.blank
    found.add("no_value", blank & period_text.spread(period_text.distinct != ""), _warning(
        lambda i: p.warning("no_value", int(rows[i]), _column_at(value_column, i), value_text(i))))
    active = ~blank

    # Indicator and region: the reference's resolvers, once per distinct combination of the cells.
    given_indicator = [f for f in INDICATOR_FIELDS if recs.given(f)]
    given_region = [f for f in REGION_FIELDS if recs.given(f)]
    columns = dict(recs.columns)

    def resolve(fields, resolver):
        codes, uniques = (combine(*[recs.stripped(f).pair() for f in fields]) if fields
                          else (np.zeros(n, np.int64), [()]))
        results = []
        for combination in uniques:
            record = Record(0, dict(zip(fields, combination)), columns)
            found_problems: list = []
            results.append((resolver(record, lookup, found_problems), found_problems[0] if found_problems else None))
        return codes, uniques, results

    indicators = _Names()
    codes, _, results = resolve(given_indicator, validate._resolve_indicator)
    indicator = indicators.numbers([r[0] for r in results] + [None])[:-1][codes]      # -1: none
    failing = spread(np.array([r[1] is not None for r in results], dtype=bool), codes) & active
    found.add("indicator", failing, lambda i, c=codes, r=results: replace(r[c[i]][1], row=int(rows[i])))

    regions = _Names()
    if given_region:
        rcodes, runiques, rresults = resolve(given_region, validate._resolve_region)
        region = regions.numbers([r[0][0] for r in rresults] + [None])[:-1][rcodes]
        failing = spread(np.array([r[1] is not None for r in rresults], dtype=bool), rcodes) & active
        found.add("region", failing, lambda i, c=rcodes, r=rresults: replace(r[c[i]][1], row=int(rows[i])))

        def region_column(i):
            return rresults[rcodes[i]][0][1]

        def region_text(i):
            return _region_text(dict(zip(given_region, runiques[rcodes[i]])))
    else:
        region = np.full(n, regions.number(validate.DISTRICT), dtype=np.int64)

        def region_column(i):
            return None

        def region_text(i):
            return ""

    # Periods, once per distinct text: the period, whether the text says year-to-date, or the error.
    read, u_status = [], []
    for text in period_text.distinct:
        try:
            read.append(read_period(text))
        except (PeriodError, KeyError, ValueError):
            read.append((None, False))
            u_status.append("bad_period" if text else "missing_period")
            continue
        u_status.append("future" if read[-1][0].start_date > options.today else "ok")
    u_status = _objects(u_status)
    pcodes = period_text.codes
    u_period = _objects([x if s == "ok" else None for (x, _), s in zip(read, u_status)])   # None: no period
    bad_period = active & period_text.spread((u_status == "bad_period") | (u_status == "missing_period"))
    found.add("period", bad_period, lambda i: p.error(
        u_status[pcodes[i]], int(rows[i]), _column_at(period_column, i), period_text.at(i)))
    found.add("future", active & period_text.spread(u_status == "future"), lambda i: p.error(
        "future_period", int(rows[i]), _column_at(period_column, i), period_text.at(i),
        period=str(read[pcodes[i]][0]), today=options.today.isoformat()))
    u_not_year = np.array([x is not None and x.kind != "Y" for x in u_period], dtype=bool)
    not_year = period_text.spread(u_not_year)

    found.add("number", active & ~nums.parsed, lambda i: p.error(
        "not_a_number", int(rows[i]), _column_at(value_column, i), value_text(i)))

    cumulative = period_text.spread(np.array([bool(d) for _, d in read], dtype=bool)) | bool(options.cumulative)
    if recs.given("cumulative"):
        flag_text = recs.stripped("cumulative")
        flags = [read_flag(t) for t in flag_text.distinct]
        bad_flag = flag_text.spread(np.array([f is None for f in flags], dtype=bool))
        found.add("cumulative_flag", active & bad_flag, lambda i: p.error(
            "bad_cumulative_flag", int(rows[i]), columns["cumulative"], flag_text.at(i)))
        cumulative |= flag_text.spread(np.array([bool(f) for f in flags], dtype=bool))

    quality_text = recs.stripped("quality") if recs.given("quality") else None
    u_quality = None
    if quality_text is not None:
        words = [validate.QUALITY_WORDS.get(t.lower()) if t else None for t in quality_text.distinct]
        bad = quality_text.spread(np.array([bool(t) and w is None for t, w in zip(quality_text.distinct, words)],
                                           dtype=bool))
        found.add("quality", active & bad, lambda i: p.error(
            "bad_quality", int(rows[i]), columns["quality"], quality_text.at(i)))
        u_quality = _objects(words)

    for declared, function in CHECKS.plan():          # data/ingest/field_checks.csv
        if not declared.skipped(recs.texts):
            function(recs, declared.field, found, active, **declared.arguments)

    # Checks against the indicator's catalog row, once per distinct indicator (and unit text).
    known = active & (indicator >= 0)
    names = indicators.strings()

    def per_indicator(function, otype=object, missing=None):
        return indicators.per_code(function, otype, missing)[indicator]

    unit_text = (recs.stripped("unit") if recs.given("unit")
                 else Texts.constant(recs.header_unit or "", n))
    ucodes, uuniques = combine((indicator + 1, np.concatenate([[None], names[:-1]])), unit_text.pair())
    mismatch = spread(np.array([bool(code is not None and text and not lookup.unit_matches(code, text))
                                for code, text in uuniques], dtype=bool), ucodes)
    unit_column = columns.get("unit") or value_column
    found.add("unit", known & mismatch, lambda i: p.error(
        "unit_mismatch", int(rows[i]), _column_at(unit_column, i), unit_text.at(i),
        expected=lookup.unit_label(names[indicator[i]]), indicator=lookup.names(names[indicator[i]])))

    is_percent = per_indicator(lookup.is_percent, bool, False)
    found.add("percent", known & nums.parsed & nums.percent & ~is_percent, lambda i: p.error(
        "percent_not_allowed", int(rows[i]), _column_at(value_column, i), value_text(i),
        expected=lookup.unit_label(names[indicator[i]])))
    low = per_indicator(lambda c: lookup.bounds(c)[0], float, np.nan).astype(float)
    high = per_indicator(lambda c: lookup.bounds(c)[1], float, np.nan).astype(float)
    ranged = known & nums.parsed & ~(cumulative & not_year)
    below = ranged & ~np.isnan(low) & (nums.value < np.where(np.isnan(low), 0, low))
    above = ranged & ~below & ~np.isnan(high) & (nums.value > np.where(np.isnan(high), 0, high))
    found.add("range", below, lambda i: p.error(
        "below_minimum", int(rows[i]), _column_at(value_column, i), value_text(i),
        minimum=lookup.bounds(names[indicator[i]])[0], unit=lookup.unit_label(names[indicator[i]])))
    found.add("range", above, lambda i: p.error(
        "above_maximum", int(rows[i]), _column_at(value_column, i), value_text(i),
        maximum=lookup.bounds(names[indicator[i]])[1], unit=lookup.unit_label(names[indicator[i]])))
    is_flow = per_indicator(lookup.is_flow, bool, False)
    found.add("not_flow", known & cumulative & not_year & ~is_flow, lambda i: p.error(
        "cumulative_not_flow", int(rows[i]), _column_at(period_column, i), period_text.at(i),
        indicator=lookup.names(names[indicator[i]])))
    del low, high, ranged, below, above, is_percent, is_flow, known, mismatch, ucodes

    kept = active & ~found.errors_per_record(n)
    # An old township named for a period after the reform: its successor takes the value (a warning).
    stored_region = region.copy()
    kept_index = np.flatnonzero(kept)
    if len(kept_index):
        merged = regions.per_code(lookup.has_successor, bool, False)
        may_map = kept_index[merged[region[kept_index]]]          # only a merged unit can move to its successor
        mapped = np.zeros(n, dtype=bool)
        if len(may_map):
            mcodes, muniques = combine((region[may_map], regions.codes), (pcodes[may_map], u_period))
            matches = [lookup.region_for_period(code, period) for code, period in muniques]
            stored_region[may_map] = regions.numbers([m.code for m in matches] + [None])[:-1][mcodes]
            mapped[may_map] = np.array([m.mapped for m in matches] + [False], dtype=bool)[:-1][mcodes]
        region_codes = regions.strings()
        found.add("mapped", mapped, _warning(lambda i: p.warning(
            "old_region_mapped", int(rows[i]), region_column(i), region_text(i),
            old=lookup.region_names(region_codes[region[i]]), new=lookup.region_names(region_codes[stored_region[i]]),
            period=str(u_period[pcodes[i]]))))

    problems += found.ordered()
    values, keys = _values_frame(recs, kept_index, names, indicator, regions.strings(), stored_region, region,
                                 period_text, u_period, nums.value, u_quality, quality_text, cumulative & not_year,
                                 value_column, period_column)
    if n == 0 or (values.empty and not any(x.is_error for x in problems)):
        problems.append(p.error("no_values", recs.header_row))
    values, duplicates = _drop_duplicates(values, keys)
    problems += duplicates
    recs.release()     # the stripped texts are not needed past the check
    return Checked(values, problems, int(blank.sum()), n)


def _region_text(cells: dict) -> str:
    for name in REGION_FIELDS:
        if name in cells and cells[name]:
            return cells[name]
    return ""


def _period_parts(u_period: np.ndarray) -> tuple[list, np.ndarray]:
    """Per distinct period text: (text, kind, year, quarter, month, period code) of its period, and a number
    per distinct period (two texts may name one period: 2024Q1 and 2024年第1季度)."""
    parts, number, seen = [], np.zeros(len(u_period), dtype=np.int64), {}
    for index, period in enumerate(u_period):
        if period is None:
            parts.append(("", "", None, None, None, 0))
            continue
        text = str(period)
        number[index] = seen.setdefault(text, len(seen))
        parts.append((text, period.kind, period.year, period.quarter, period.month, period_code(period)))
    return parts, number


def _values_frame(recs, kept, indicator_names, indicator, region_names, region, given_region, period_text, u_period,
                  value, u_quality, quality_text, cumulative, value_column,
                  period_column) -> tuple[pd.DataFrame, np.ndarray]:
    """The kept records' values (VALUE_COLUMNS, file order), and a number per value that is the same for the
    values of one key (indicator, region, period)."""
    if not len(kept):
        return empty_values(), (np.empty(0, dtype=np.int64), 0)
    count = len(kept)
    if count == len(period_text):
        kept = slice(None)             # every record kept (an accepted file): views of the columns, not copies
    parts, period_number = _period_parts(u_period)
    pcodes = period_text.codes[kept]

    def part(k, dtype=None):
        per_text = [t[k] for t in parts]
        if dtype in _PART_TYPES:
            return pd.array(per_text, dtype=dtype)[pcodes]
        return (np.array(per_text, dtype=np.int64) if dtype == "int64" else _objects(per_text))[pcodes]

    def optional_text(name, keep_blank):
        if not recs.given(name):
            return categorical(np.full(count, -1, dtype=np.int8), [])        # None throughout
        texts = recs.stripped(name)                 # stripped texts always have codes (Texts.stripped)
        per_text = texts.distinct if keep_blank else _objects([t or None for t in texts.distinct])
        return categorical(texts.codes[kept], per_text)

    def header_column(column) -> pd.Categorical:
        if isinstance(column, str):
            return categorical(np.zeros(count, dtype=np.int8), [column])
        return pd.Categorical(pd.Series(column[kept], dtype=object))

    is_cumulative = cumulative[kept]
    kept_value = value[kept]
    indicator, region, given_region = indicator[kept], region[kept], given_region[kept]
    region_code = categorical(region, region_names)
    frame = pd.DataFrame({
        "row": recs.rows[kept],
        "indicator_code": categorical(indicator, indicator_names),
        "region_code": region_code,
        "period": categorical(pcodes, [t[0] for t in parts]),
        "period_kind": categorical(pcodes, [t[1] for t in parts]),
        "year": part(2, "Int16"),
        "quarter": part(3, "Int8"),
        "month": part(4, "Int8"),
        "period_code": part(5, "int64"),
        "value": kept_value,
        "source": optional_text("source", False),
        "quality": (categorical(quality_text.codes[kept], u_quality) if quality_text is not None
                    else categorical(np.full(count, -1, dtype=np.int8), [])),
        "note": optional_text("note", True),
        "cumulative": is_cumulative,
        "cumulative_value": np.where(is_cumulative, kept_value, np.nan),
        # the region the file named: the stored one's column itself when no old township was mapped
        "given_region": region_code if np.array_equal(given_region, region) else categorical(given_region, region_names),
        "value_column": header_column(value_column),
        "period_column": header_column(period_column),
    }, copy=False)   # one block per column: consolidating copied every column once more
    frame["_period"] = categorical(pcodes, u_period)
    # Each value's series (indicator, region) as one number: the diff numbers the series from it instead of
    # hashing a million code strings twice (diff._series).
    frame["_series"] = indicator.astype(np.int64) * (len(region_names) + 1) + region
    keys = group_numbers((indicator, len(indicator_names)), (region, len(region_names)),
                         (period_number[pcodes], len(u_period)))
    return frame, keys


def _drop_duplicates(values: pd.DataFrame, keys: tuple[np.ndarray, int]) -> tuple[pd.DataFrame, list[p.Problem]]:
    """The first value of each key is kept; the later ones are a warning (same) or an error (different).
    `keys`: a number per value, the same for the values of one key (below the second item)."""
    if values.empty:
        return values, []
    keys, space = keys
    if np.bincount(keys, minlength=space).max() < 2:
        return values, []                                       # no key twice: the usual file
    first_of = first_positions(keys, space)[keys]                # the position of each value's first of its key
    later = first_of != np.arange(len(values))
    if not later.any():
        return values, []
    problems = []
    for position in np.flatnonzero(later):
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
         value_column, period_column) in zip(*[_python(frame[n]) for n in names]):
        out.append(validate.Value(
            row=int(row), indicator_code=indicator, region_code=region, period=period, value=float(value),
            source=source, quality=quality, note=note,
            cumulative_value=float(cumulative_value) if cumulative else None, given_region=given,
            columns={"value": value_column, "period": period_column}))
    return out


def _python(column: pd.Series) -> list:
    """A column's values as Python objects, a missing text (a Categorical's NaN) as None."""
    if not isinstance(column.dtype, pd.CategoricalDtype):
        return column.tolist()
    texts = column.array.categories.tolist()
    return [None if code < 0 else texts[code] for code in column.array.codes.tolist()]


def _numbered(items: list) -> np.ndarray:
    """A number per item, the same for equal items (first seen first)."""
    numbers: dict = {}
    return np.array([numbers.setdefault(item, len(numbers)) for item in items], dtype=np.int64)


def from_values(values: list[validate.Value]) -> pd.DataFrame:
    """The reference's Value objects as a values frame, with the same columns as _values_frame's."""
    if not values:
        return empty_values().assign(_period=pd.Series(dtype=object), _series=pd.Series(dtype=np.int64),
                                     **{column: categorical(np.zeros(0, dtype=np.int8), []) for column in TEXT_COLUMNS})
    periods = [v.period for v in values]
    frame = pd.DataFrame({
        "row": [v.row for v in values], "indicator_code": [v.indicator_code for v in values],
        "region_code": [v.region_code for v in values], "period": [str(x) for x in periods],
        "period_kind": [x.kind for x in periods], "year": pd.array([x.year for x in periods], dtype="Int16"),
        "quarter": pd.array([x.quarter for x in periods], dtype="Int8"),
        "month": pd.array([x.month for x in periods], dtype="Int8"),
        "period_code": np.array([period_code(x) for x in periods], dtype=np.int64),
        "value": [float(v.value) for v in values], "source": [v.source for v in values],
        "quality": [v.quality for v in values], "note": [v.note for v in values],
        "cumulative": [v.cumulative_value is not None for v in values],
        "cumulative_value": [np.nan if v.cumulative_value is None else v.cumulative_value for v in values],
        "given_region": [v.given_region for v in values],
        "value_column": [v.columns.get("value") for v in values],
        "period_column": [v.columns.get("period") for v in values]})
    # The values are Python objects here already (a year-to-date file, split value by value): numbered by dicts.
    for column in TEXT_COLUMNS:
        codes = _numbered(frame[column].tolist())
        texts = [None] * (int(codes.max()) + 1)
        for code, text in zip(codes.tolist(), frame[column].tolist()):
            texts[code] = text
        frame[column] = categorical(codes, texts)
    frame["_period"] = pd.Series(periods, dtype=object)
    frame["_series"] = _numbered([(v.indicator_code, v.region_code) for v in values])
    return frame
