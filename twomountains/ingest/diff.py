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


def diff(values: pd.DataFrame, stored: pd.DataFrame, default_source: str) -> Changes:
    """changes.diff over columns: each value new, changed (old -> new) or unchanged."""
    old = stored[KEY + ["value", "source", "quality", "note"]].rename(
        columns={f: f"old_{f}" for f in FIELDS})
    merged = values.merge(old, on=KEY, how="left", sort=False, indicator="_found")
    has_old = (merged["_found"] == "both").to_numpy()
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


def _period_key(frame: pd.DataFrame, year_shift: int = 0) -> pd.DataFrame:
    return pd.DataFrame({"indicator_code": frame["indicator_code"].to_numpy(),
                         "region_code": frame["region_code"].to_numpy(),
                         "period_kind": frame["period_kind"].to_numpy(),
                         "year": frame["year"].astype("int64").to_numpy() + year_shift,
                         "quarter": frame["quarter"].fillna(0).astype("int64").to_numpy(),
                         "month": frame["month"].fillna(0).astype("int64").to_numpy()})


_POINT = ["indicator_code", "region_code", "period_kind", "year", "quarter", "month"]


def _fmt_period(kind: str, year: int, quarter: int, month: int) -> str:
    return str(Period(year, quarter=quarter if kind == "Q" else None, month=month if kind == "M" else None))


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
    # Every point of the affected series: stored, with the file's values in their place.
    file_points = _period_key(values).assign(value=values["value"].to_numpy(dtype=float))
    stored_points = _period_key(stored).assign(value=stored["value"].to_numpy(dtype=float))
    points = pd.concat([stored_points, file_points], ignore_index=True).drop_duplicates(_POINT, keep="last")
    # Each point's year-on-year move (same kind, same quarter or month, a year before).
    before = points.assign(year=points["year"] + 1).rename(columns={"value": "before"})
    moves = points.merge(before, on=_POINT, how="inner")
    moves["move"] = (moves["value"] - moves["before"]).abs()
    group_keys = ["indicator_code", "region_code", "period_kind"]
    moves = moves.sort_values(group_keys + ["move"], kind="mergesort").reset_index(drop=True)
    moves["group"] = moves.groupby(group_keys, sort=False).ngroup()
    moves["rank"] = moves.groupby("group").cumcount()
    moves["min_rank"] = moves.groupby(["group", "move"])["rank"].transform("min")
    sizes = moves.groupby("group").size()
    offsets = np.concatenate([[0], np.cumsum(sizes.to_numpy())[:-1]])
    ordered = moves["move"].to_numpy()

    at = _period_key(moving)
    at["position"] = moving.index.to_numpy()
    at["value"] = moving["new_value"].to_numpy(dtype=float)
    with_previous = at.merge(before.drop(columns=["year"]).assign(year=before["year"]),
                             on=_POINT, how="inner")          # the value a year before
    if with_previous.empty:
        return []
    indexed = moves.set_index(_POINT)
    this = indexed.reindex(pd.MultiIndex.from_frame(with_previous[_POINT]))
    after_key = with_previous[_POINT].assign(year=with_previous["year"] + 1)
    after = indexed.reindex(pd.MultiIndex.from_frame(after_key))
    group = this["group"].to_numpy()
    size = sizes.to_numpy()[group.astype(int)]
    short = size <= LONG_SERIES
    r1 = this["min_rank"].to_numpy().astype(float)
    r2 = after["min_rank"].to_numpy().astype(float)                       # NaN: no move the year after
    same_value = ~np.isnan(r2) & (r2 == r1)
    r2 = np.where(same_value, r2 + 1, r2)
    removed = np.where(short, 1 + ~np.isnan(r2), 0)
    low = np.where(short, np.fmin(r1, r2), np.inf)
    high = np.where(short & ~np.isnan(r2), np.fmax(r1, r2), np.inf)
    remaining = size - removed

    def original(j):
        o = j + (j >= low)
        return o + (o >= high)

    middle = remaining // 2
    odd = remaining % 2 == 1
    enough = remaining >= MIN_HISTORY
    base = offsets[group.astype(int)]
    upper = ordered[np.minimum(base + original(middle).astype(int), len(ordered) - 1)]
    lower = ordered[np.minimum(base + original(np.maximum(middle - 1, 0)).astype(int), len(ordered) - 1)]
    typical = np.where(odd, upper, (lower + upper) / 2)
    previous = with_previous["before"].to_numpy(dtype=float)
    move = with_previous["value"].to_numpy(dtype=float) - previous
    unusual = enough & (np.abs(move) > np.maximum(np.maximum(UNUSUAL_FACTOR * typical, 0.01 * np.abs(previous)),
                                                  1e-9))
    out = []
    for k in np.nonzero(unusual)[0]:
        c = moving.loc[with_previous["position"].iat[k]]
        kind, year = with_previous["period_kind"].iat[k], int(with_previous["year"].iat[k])
        quarter, month = int(with_previous["quarter"].iat[k]), int(with_previous["month"].iat[k])
        out.append((int(with_previous["position"].iat[k]), p.warning(
            "unusual_change", int(c["row"]), c["value_column"], f"{c['new_value']:g}",
            previous=f"{previous[k]:g}", previous_period=_fmt_period(kind, year - 1, quarter, month),
            move=f"{move[k]:+g}", typical=f"{typical[k]:.3g}")))
    return out
