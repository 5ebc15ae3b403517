"""The check stage: every record of an observation file checked as set operations over its columns.

Which checks run, on which field, with which parameters and in which order is data:
data/ingest/field_checks.csv (kind observations); the checks themselves are small functions registered
by name in `CHECKS` (twomountains/ingest/observation_checks.py, and `one_per_key` here, which checks the
values once they are a frame). Their messages are those of `validate.check_record` (the row-by-row
reference): each check is a mask over the records, computed from the normalised columns (`normalise`)
and from lookups made once per distinct text or combination; a `Problem` is built only for a record a
mask marks. Problems come out in the reference's order: by record, and within a record in the declared
order of the checks (which is the order `validate.check_record` finds them in).

The result is the checked values as one frame (`VALUE_COLUMNS`, file order), the problems, and the
number of records without a value.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from twomountains.ingest import observation_checks
from twomountains.ingest import problems as p
from twomountains.ingest import validate
from twomountains.ingest.lookup import Lookup
from twomountains.ingest.normalise import Records, categorical, first_positions, group_numbers, object_array
from twomountains.periods import Period

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


# The checks data/ingest/field_checks.csv declares for observations (kind observations), by name: those of
# twomountains/ingest/observation_checks.py, and the one of the checked values below (one_per_key).
CHECKS = observation_checks.CHECKS


def check(recs: Records, layout_problems: list[p.Problem], lookup: Lookup, options: validate.Options) -> Checked:
    """All records checked at once, by the checks data/ingest/field_checks.csv declares, in its order; the
    values kept and the problems in the reference's order."""
    problems = list(layout_problems)
    if any(x.is_error for x in problems):
        return Checked(empty_values(), problems)
    state = observation_checks.Checking(recs, lookup, options)
    state.problems = problems
    for slot, (declared, function) in enumerate(CHECKS.plan()):
        if declared.skipped(recs.texts):
            continue
        if declared.check in CHECKS.last and state.kept is None:
            state.settle()
        state.slot = slot
        function(state, declared.field, **declared.arguments)
    _finish(state)
    recs.release()     # the stripped texts are not needed past the check
    return Checked(state.values, problems, int(state.blank.sum()), len(recs))


def _finish(state: observation_checks.Checking) -> None:
    """The checked values as a frame, made once when the checks of the records have run (before the first
    check of the values): the problems those checks found come first (the reference's order), then
    `no_values`."""
    if state.values is not None:
        return
    if state.kept is None:
        state.settle()
    recs, problems = state.recs, state.problems
    problems += state.found.ordered()
    state.values, state.keys = _values_frame(
        recs, np.flatnonzero(state.kept), state.indicators.strings(), state.indicator, state.regions.strings(),
        state.stored_region, state.region, state.period_text, state.u_period, state.nums.value, state.u_quality,
        state.quality_text, state.cumulative & state.not_year, state.value_column, state.period_column)
    if len(recs) == 0 or (state.values.empty and not any(x.is_error for x in problems)):
        problems.append(p.error("no_values", recs.header_row))


@CHECKS("one_per_key", needs=("indicator", "region", "period", "reform"), last=True)
def _one_per_key(state: observation_checks.Checking, name: str) -> None:
    """One value per indicator, region and period: the first is kept; a later one is a warning when it is the
    same, an error when it differs (or when two townships became one in the 2020 reform)."""
    _finish(state)
    state.values, duplicates = _drop_duplicates(state.values, state.keys)
    state.problems += duplicates


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
        return (np.array(per_text, dtype=np.int64) if dtype == "int64" else object_array(per_text))[pcodes]

    def optional_text(name, keep_blank):
        if not recs.given(name):
            return categorical(np.full(count, -1, dtype=np.int8), [])        # None throughout
        texts = recs.stripped(name)                 # stripped texts always have codes (Texts.stripped)
        per_text = texts.distinct if keep_blank else object_array([t or None for t in texts.distinct])
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
