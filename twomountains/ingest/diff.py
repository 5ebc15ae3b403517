"""The diff stage: the checked values against the stored ones, as set operations.

Each value becomes new, changed or unchanged exactly as `changes.change_for` decides it (the
row-by-row reference), computed over whole columns after one join with the stored rows of the file's
series. The warnings that need the stored series (a published figure replaced, a move much larger than
the series' usual year-on-year move) are `changes.series_warnings`' computed the same way: each
series' moves are ranked once, and the median that leaves out the moves a value takes part in is read
from the ranks, so no Python runs per value; a Problem is built only for a value that gets a warning.

`Changes` holds the result as a frame and is also the sequence of `changes.Change` the rest of the
code knows (built one by one only when somebody iterates).
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from twomountains.database import read_sql
from twomountains.ingest import problems as p
from twomountains.ingest.changes import (DEMO_SOURCE, INSERT, LONG_SERIES, MIN_HISTORY, SKIP_UNUSUAL_UNITS,
                                         UNCHANGED, UNUSUAL_FACTOR, UPDATE, Change)
from twomountains.ingest.normalise import codes_of
from twomountains.periods import Period

KEY = ["indicator_code", "region_code", "period"]
FIELDS = ("value", "source", "quality", "note")
CHANGE_COLUMNS = ["kind", *KEY, "row", "has_old", *(f"old_{f}" for f in FIELDS), *(f"new_{f}" for f in FIELDS)]


class Changes(Sequence):
    """The changes of an observation file as a frame (CHANGE_COLUMNS), and as a sequence of Change."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return _change(self.frame.iloc[index])

    def __iter__(self):
        columns = [self.frame[c].tolist() for c in CHANGE_COLUMNS]
        for values in zip(*columns):
            yield _change(dict(zip(CHANGE_COLUMNS, values)))

    def __eq__(self, other):
        return list(self) == list(other)

    def counts(self) -> dict[str, int]:
        found = self.frame["kind"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in (INSERT, UPDATE, UNCHANGED)}

    def fingerprint(self) -> pd.DataFrame:
        return self.frame[CHANGE_COLUMNS]

    def written(self) -> pd.DataFrame:
        return self.frame[self.frame["kind"] != UNCHANGED]

    def of_region(self, region: str) -> list[Change]:
        """The written changes of one region as Change objects (the impact on goals reads the district's)."""
        chosen = self.frame[(self.frame["kind"] != UNCHANGED) & (self.frame["region_code"] == region)]
        return list(Changes(chosen))


def _none(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


def _change(row) -> Change:
    old = None
    if row["has_old"]:
        old = {"value": float(row["old_value"]), "source": _none(row["old_source"]),
               "quality": _none(row["old_quality"]), "note": _none(row["old_note"])}
    new = {"value": float(row["new_value"]), "source": _none(row["new_source"]),
           "quality": _none(row["new_quality"]), "note": _none(row["new_note"])}
    return Change(row["kind"], row["indicator_code"], row["region_code"], row["period"], int(row["row"]), old, new)


def _texts(column: pd.Series) -> pd.Series:
    """changes._text over a column: missing and empty texts are None."""
    out = column.astype(object)
    blank = out.isna() | (out.astype(str) == "")
    return out.where(~blank, None)


def stored_series(con, values: pd.DataFrame) -> pd.DataFrame:
    """The stored observations of every series (indicator and region) the file's values belong to."""
    pairs = values[["indicator_code", "region_code"]].drop_duplicates()
    con.register("upload_series", pairs)
    try:
        return con.execute(read_sql("upload_stored_series")).df()
    finally:
        con.unregister("upload_series")


def same_number(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """changes.same_number over columns (math.isclose with rel_tol 1e-9, abs_tol 1e-12)."""
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= np.maximum(1e-9 * np.maximum(np.abs(a), np.abs(b)), 1e-12)
    return (a == b) | close


_KIND = {"Y": 0, "Q": 1, "M": 2}
_SERIES = 10_000_000          # a point's key: series * _SERIES + kind * _KIND_STEP + year * 100 + quarter or month
_KIND_STEP = 1_000_000


def point_keys(*frames: pd.DataFrame) -> list[np.ndarray]:
    """One int64 per observation (its series, kind of period, year, quarter or month), comparable across
    the frames: joins on these are array lookups. A year before is key - 100, a year after key + 100."""
    sizes = [len(f) for f in frames]
    if not sum(sizes):
        return [np.empty(0, dtype=np.int64) for _ in frames]
    indicator = np.concatenate([f["indicator_code"].to_numpy(dtype=object) for f in frames])
    region = np.concatenate([f["region_code"].to_numpy(dtype=object) for f in frames])
    series, _ = codes_of(indicator, region)
    kind = np.concatenate([f["period_kind"].map(_KIND).to_numpy(dtype=np.int64) for f in frames])
    year = np.concatenate([f["year"].fillna(0).to_numpy(dtype=np.int64) for f in frames])
    quarter = np.concatenate([f["quarter"].fillna(0).to_numpy(dtype=np.int64) for f in frames])
    month = np.concatenate([f["month"].fillna(0).to_numpy(dtype=np.int64) for f in frames])
    sub = np.where(kind == 1, quarter, np.where(kind == 2, month, 0))
    keys = series.astype(np.int64) * _SERIES + kind * _KIND_STEP + year * 100 + sub
    return np.split(keys, np.cumsum(sizes)[:-1])


def find(sorted_keys: np.ndarray, order: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each wanted key: whether it is among the keys, and its position in the unsorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
    return sorted_keys[at] == wanted, order[at]


def _take(column: pd.Series, found: np.ndarray, index: np.ndarray, fill) -> np.ndarray:
    values = column.to_numpy(dtype=object if fill is None else float)
    if len(values) == 0:
        return np.full(len(found), fill, dtype=object if fill is None else float)
    return np.where(found, values[index], fill)


def diff(values: pd.DataFrame, stored: pd.DataFrame, default_source: str) -> Changes:
    """changes.diff over columns: each value new, changed (old -> new) or unchanged."""
    value_keys, stored_keys = point_keys(values, stored)
    order = np.argsort(stored_keys, kind="stable")
    has_old, index = find(stored_keys[order], order, value_keys)
    merged = values.reset_index(drop=True).copy()
    for name in ("source", "quality", "note"):
        merged[f"old_{name}"] = pd.Series(_take(stored[name], has_old, index, None), dtype=object)
    merged["old_value"] = _take(stored["value"], has_old, index, np.nan)

    old_source, old_note = _texts(merged["old_source"]), _texts(merged["old_note"])
    old_quality = merged["old_quality"].astype(object).where(has_old, None)
    new_value = merged["value"].to_numpy(dtype=float)
    old_value = merged["old_value"].to_numpy(dtype=float)

    published = (merged["quality"].astype(object) == "published").to_numpy()
    note_text = _texts(merged["note"])
    note_new = note_text.where(note_text.notna(), pd.Series(np.where(merged["cumulative"].to_numpy(dtype=bool),
                                                                      "from_cumulative", None), dtype=object))
    source = merged["source"].astype(object)
    source = source.where(source != DEMO_SOURCE, None)
    fresh_source = source.where(source.notna(), default_source)
    fresh_quality = pd.Series(np.where(published, "published", "reported"), dtype=object)

    value_changed = ~has_old | ~same_number(old_value, new_value)
    # The same number: what is stored stays, but a given source, note or 'published' replaces it.
    kept_source = source.where(source.notna(), old_source)
    kept_note = note_text.where(note_text.notna(), old_note)
    kept_quality = pd.Series(np.where(published, "published", old_quality), dtype=object)

    def pick(fresh, kept):
        return fresh.where(value_changed, kept).astype(object)

    new_source, new_note, new_quality = pick(fresh_source, kept_source), pick(note_new, kept_note), pick(
        fresh_quality, kept_quality)

    def equal(a, b):
        return ((a == b) | (a.isna() & b.isna())).to_numpy()

    unchanged = has_old & ~value_changed & equal(new_source, old_source) & equal(new_quality, old_quality) & equal(
        new_note, old_note)
    kind = np.where(~has_old, INSERT, np.where(value_changed | ~unchanged, UPDATE, UNCHANGED))
    frame = pd.DataFrame({
        "kind": kind, "indicator_code": merged["indicator_code"], "region_code": merged["region_code"],
        "period": merged["period"], "row": merged["row"].to_numpy(), "has_old": has_old,
        "old_value": np.where(has_old, old_value, np.nan), "old_source": old_source.where(has_old, None),
        "old_quality": old_quality, "old_note": old_note.where(has_old, None),
        "new_value": new_value, "new_source": new_source, "new_quality": new_quality, "new_note": new_note,
        # what the warnings need about the value itself
        "period_kind": merged["period_kind"], "year": merged["year"], "quarter": merged["quarter"],
        "month": merged["month"], "value_column": merged["value_column"], "value_changed": value_changed,
    })
    for column in ("old_source", "old_quality", "old_note", "new_source", "new_quality", "new_note"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return Changes(frame)


def _fmt_period(kind: str, year: int, quarter, month) -> str:
    return str(Period(year, quarter=int(quarter) if kind == "Q" else None, month=int(month) if kind == "M" else None))


def series_warnings(changes: Changes, values: pd.DataFrame, stored: pd.DataFrame,
                    units: dict[str, str]) -> list[p.Problem]:
    """changes.series_warnings over columns: replaced published figures, then unusually large moves."""
    frame = changes.frame
    candidates = frame[(frame["kind"] != UNCHANGED) & frame["value_changed"]]
    if candidates.empty:
        return []
    found: list[tuple[int, int, p.Problem]] = []
    published = candidates[candidates["has_old"] & (candidates["old_quality"] == "published")]
    for position, c in zip(published.index, published.itertuples()):
        found.append((position, 0, p.warning("replaces_published", int(c.row), c.value_column, f"{c.new_value:g}",
                                             old=f"{c.old_value:g}", source=c.old_source or "")))
    moving = candidates[~candidates["indicator_code"].map(units).isin(SKIP_UNUSUAL_UNITS)]
    if not moving.empty:
        for position, problem in _unusual_moves(moving, values, stored):
            found.append((position, 1, problem))
    found.sort(key=lambda item: (item[0], item[1]))
    return [problem for _, _, problem in found]


def _unusual_moves(moving: pd.DataFrame, values: pd.DataFrame, stored: pd.DataFrame):
    """changes._typical_move for every moving value at once, over the series' keys (see point_keys)."""
    moving_keys, value_keys, stored_keys = point_keys(moving, values, stored)
    # Every point of the affected series: stored, with the file's values in their place.
    keys = np.concatenate([stored_keys, value_keys])
    numbers = np.concatenate([stored["value"].to_numpy(dtype=float), values["value"].to_numpy(dtype=float)])
    last = len(keys) - 1 - np.unique(keys[::-1], return_index=True)[1]      # the file's value wins
    point_keys_sorted = keys[last]                                            # sorted (np.unique)
    point_values = numbers[last]
    everything = np.arange(len(point_keys_sorted))
    # Each point's year-on-year move: same series, kind, quarter or month, a year before.
    has_before, before_at = find(point_keys_sorted, everything, point_keys_sorted - 100)
    move_keys = point_keys_sorted[has_before]
    moves = np.abs(point_values[has_before] - point_values[before_at[has_before]])
    groups = move_keys // _KIND_STEP                                          # series and kind
    order = np.lexsort((moves, groups))
    sorted_moves, sorted_groups = moves[order], groups[order]
    n = len(sorted_moves)
    starts = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]] if n else np.zeros(0, dtype=bool)
    group_start = np.maximum.accumulate(np.where(starts, np.arange(n), 0)) if n else np.zeros(0, dtype=np.int64)
    runs = starts | np.r_[True, sorted_moves[1:] != sorted_moves[:-1]] if n else starts
    run_start = np.maximum.accumulate(np.where(runs, np.arange(n), 0)) if n else group_start
    min_rank_sorted = run_start - group_start
    group_ids, group_first, group_sizes = np.unique(sorted_groups, return_index=True, return_counts=True)
    min_rank = np.empty(n, dtype=np.int64)
    min_rank[order] = min_rank_sorted
    move_order = np.argsort(move_keys, kind="stable")
    move_sorted = move_keys[move_order]

    previous_found, previous_at = find(point_keys_sorted, everything, moving_keys - 100)
    if not previous_found.any():
        return []
    chosen = np.nonzero(previous_found)[0]
    at_keys = moving_keys[chosen]
    previous = point_values[previous_at[chosen]]
    this_found, this_at = find(move_sorted, move_order, at_keys)
    after_found, after_at = find(move_sorted, move_order, at_keys + 100)
    group = np.searchsorted(group_ids, at_keys // _KIND_STEP)
    size = group_sizes[group]
    base = group_first[group]
    short = size <= LONG_SERIES
    r1 = np.where(this_found, min_rank[this_at], 0).astype(float)
    r2 = np.where(after_found, min_rank[after_at], np.nan).astype(float)   # NaN: no move a year after
    r2 = np.where(~np.isnan(r2) & (r2 == r1), r2 + 1, r2)                  # an equal move: the next one goes
    removed = np.where(short, this_found.astype(int) + ~np.isnan(r2), 0)
    low = np.where(short & this_found, r1, np.inf)
    low = np.where(short & ~np.isnan(r2), np.fmin(low, r2), low)
    high = np.where(short & this_found & ~np.isnan(r2), np.fmax(r1, r2), np.inf)
    remaining = size - removed

    def at_rank(j):
        """The j-th smallest move left (0-based) as an index into the sorted moves."""
        o = j + (j >= low)
        o = o + (o >= high)
        return np.minimum(base + o.astype(np.int64), max(n - 1, 0))

    middle = remaining // 2
    upper = sorted_moves[at_rank(middle)] if n else np.zeros(len(chosen))
    lower = sorted_moves[at_rank(np.maximum(middle - 1, 0))] if n else np.zeros(len(chosen))
    typical = np.where(remaining % 2 == 1, upper, (lower + upper) / 2)
    value = moving["new_value"].to_numpy(dtype=float)[chosen]
    move = value - previous
    unusual = (remaining >= MIN_HISTORY) & (np.abs(move) > np.maximum(
        np.maximum(UNUSUAL_FACTOR * typical, 0.01 * np.abs(previous)), 1e-9))
    out = []
    for k in np.nonzero(unusual)[0]:
        c = moving.iloc[chosen[k]]
        out.append((int(moving.index[chosen[k]]), p.warning(
            "unusual_change", int(c["row"]), c["value_column"], f"{c['new_value']:g}",
            previous=f"{previous[k]:g}",
            previous_period=_fmt_period(c["period_kind"], int(c["year"]) - 1, c["quarter"], c["month"]),
            move=f"{move[k]:+g}", typical=f"{typical[k]:.3g}")))
    return out
