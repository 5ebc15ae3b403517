"""What a checked file would change: each value new, changed (old -> new) or unchanged.

Also the warnings that need the stored series: a value that replaces a published figure, and a value
that moves much more than the series usually does (compared year on year, so seasons do not count).
"""
from __future__ import annotations

import bisect
import functools
import math
from dataclasses import dataclass

import pandas as pd

from twomountains.ingest import problems as p
from twomountains.ingest.validate import Value
from twomountains.periods import Period, parse_period

INSERT, UPDATE, UNCHANGED = "insert", "update", "unchanged"
FIELDS = ("value", "source", "quality", "note")
UNUSUAL_FACTOR = 3.0          # a change more than 3 times the series' usual year-on-year change
LONG_SERIES = 60
MIN_HISTORY = 3               # usual change needs at least this many earlier year-on-year changes
SKIP_UNUSUAL_UNITS = {"milestone"}
DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class Change:
    kind: str
    indicator_code: str
    region_code: str
    period: str
    row: int
    old: dict | None     # value, source, quality, note as stored; None for a new value
    new: dict            # value, source, quality, note as they will be stored

    @property
    def key(self) -> tuple[str, str, str]:
        return self.indicator_code, self.region_code, self.period

    @property
    def value_changed(self) -> bool:
        return self.old is None or not same_number(self.old["value"], self.new["value"])


def same_number(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return str(value) if str(value) != "" else None


def stored_rows(existing: pd.DataFrame) -> dict[tuple, dict]:
    sources = _texts(existing.source)
    notes = _texts(existing.note)
    return {(indicator, region, period): {"value": float(value), "source": source, "quality": quality, "note": note}
            for indicator, region, period, value, source, quality, note in zip(
                existing.indicator_code, existing.region_code, existing.period, existing.value, sources,
                existing.quality, notes)}


def _texts(column: pd.Series) -> list:
    """_text of every cell, column-wise (a stored series can hold a million rows)."""
    if column.empty:
        return []
    blank = (column.isna() | (column.astype(object).astype(str) == "")).tolist()
    return [None if empty else str(value) for value, empty in zip(column.tolist(), blank)]


def change_for(v: Value, old: dict | None, default_source: str) -> Change:
    """A blank source or note cell says nothing: it keeps what is stored when the value stays the same.

    A new value drops the old note (it was about the old value); one derived from a year-to-date total
    is noted as such unless the file gives a note.
    """
    key = dict(indicator_code=v.indicator_code, region_code=v.region_code, period=str(v.period), row=v.row)
    quality = "published" if v.quality == "published" else "reported"
    note = _text(v.note) or ("from_cumulative" if v.cumulative_value is not None else None)
    # "demo" names the demo generator (data/sources.csv): an analyst's figure never carries it, even when
    # an exported file is edited and uploaded again.
    source = v.source if v.source != DEMO_SOURCE else None
    if old is None:
        return Change(INSERT, old=None, new={"value": v.value, "source": source or default_source,
                                             "quality": quality, "note": note}, **key)
    if not same_number(old["value"], v.value):
        return Change(UPDATE, old=old, new={"value": v.value, "source": source or default_source,
                                            "quality": quality, "note": note}, **key)
    new = dict(old)
    if source is not None:
        new["source"] = source
    if _text(v.note) is not None:
        new["note"] = _text(v.note)
    if v.quality == "published":
        new["quality"] = "published"
    kind = UNCHANGED if all(new[f] == old[f] for f in ("source", "quality", "note")) else UPDATE
    return Change(kind, old=old, new=new, **key)


def diff(values: list[Value], existing: pd.DataFrame, default_source: str) -> list[Change]:
    stored = stored_rows(existing)
    return [change_for(v, stored.get(v.key), default_source) for v in values]


@functools.lru_cache(maxsize=4096)
def _stored_period(text: str) -> Period:
    """A stored period ('2023', '2023Q3', '2023-09'), as the Period it names (a few dozen distinct ones)."""
    return parse_period(text)


@functools.lru_cache(maxsize=4096)
def _year_before(period: Period) -> Period:
    return Period(period.year - 1, quarter=period.quarter, month=period.month)


def series_warnings(changes: list[Change], values: list[Value], existing: pd.DataFrame,
                    units: dict[str, str]) -> list[p.Problem]:
    """Warnings that do not block: replacing a published figure; an unusually large move."""
    warnings = []
    by_key = {v.key: v for v in values}
    series: dict[tuple, dict[Period, float]] = {}
    for indicator, region, period, value in zip(existing.indicator_code, existing.region_code, existing.period,
                                                existing.value):
        series.setdefault((indicator, region), {})[_stored_period(period)] = float(value)
    for v in values:
        series.setdefault((v.indicator_code, v.region_code), {})[v.period] = v.value
    moves: dict = {}
    for change in changes:
        if change.kind == UNCHANGED or not change.value_changed:
            continue
        v = by_key[change.key]
        column = v.columns.get("value")
        if change.old is not None and change.old["quality"] == "published":
            warnings.append(p.warning("replaces_published", change.row, column, f"{v.value:g}",
                                      old=f"{change.old['value']:g}", source=change.old["source"] or ""))
        if units.get(change.indicator_code) in SKIP_UNUSUAL_UNITS:
            continue
        points = series[(change.indicator_code, change.region_code)]
        previous = points.get(_year_before(v.period))
        if previous is None:
            continue
        typical = _typical_move(moves, (change.indicator_code, change.region_code), points, v.period)
        if typical is None:
            continue
        move = v.value - previous
        if abs(move) > max(UNUSUAL_FACTOR * typical, 0.01 * abs(previous), 1e-9):
            warnings.append(p.warning("unusual_change", change.row, column, f"{v.value:g}",
                                      previous=f"{previous:g}", previous_period=str(_year_before(v.period)),
                                      move=f"{move:+g}", typical=f"{typical:.3g}"))
    return warnings


def _typical_move(cache: dict, series: tuple, points: dict[Period, float], period: Period) -> float | None:
    """The median year-on-year move of a series (same kind of period), leaving out the moves `period`
    takes part in; None with fewer than MIN_HISTORY moves left.

    Long series (more than LONG_SERIES moves) use all their moves: one more or less does not change a
    median. The moves of a series are computed and sorted once (a file often holds a whole series).
    """
    key = (series, period.kind)
    if key not in cache:
        by_period = {p: abs(value - points[_year_before(p)]) for p, value in points.items()
                     if p.kind == period.kind and _year_before(p) in points}
        cache[key] = (by_period, sorted(by_period.values()))
    by_period, ordered = cache[key]
    if len(ordered) <= LONG_SERIES:
        left_out = [by_period[p] for p in (period, _year_after(period)) if p in by_period]
        if left_out:
            ordered = list(ordered)
            for move in left_out:
                del ordered[bisect.bisect_left(ordered, move)]
    if len(ordered) < MIN_HISTORY:
        return None
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


@functools.lru_cache(maxsize=4096)
def _year_after(period: Period) -> Period:
    return Period(period.year + 1, quarter=period.quarter, month=period.month)


def counts(changes: list[Change]) -> dict[str, int]:
    out = {INSERT: 0, UPDATE: 0, UNCHANGED: 0}
    for change in changes:
        out[change.kind] += 1
    return out
