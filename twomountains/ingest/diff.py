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

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from twomountains.database import read_sql
from twomountains.ingest import problems as p
from twomountains.ingest.changes import (DEMO_SOURCE, INSERT, LONG_SERIES, MIN_HISTORY, SKIP_UNUSUAL_UNITS,
                                         UNCHANGED, UNUSUAL_FACTOR, UPDATE, Change)
from twomountains.ingest.normalise import as_arrow, categorical, first_seen, small_codes
from twomountains.periods import Period

KEY = ["indicator_code", "region_code", "period"]
WARNING_VALUE_COLUMNS = ("value",)      # what series_warnings reads of the checked values
# what diff and series_warnings read of the checked values (the pipeline frees the others once the stored
# points are read)
DIFF_VALUE_COLUMNS = ("row", *KEY, "period_kind", "year", "quarter", "month", "source", "quality", "note",
                      "cumulative", "value_column", *WARNING_VALUE_COLUMNS)
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

    def fingerprint(self) -> str:
        """A digest of every change (kind, key, row, old and new): equal changes, equal digests. Comparing
        two plans' changes this way holds 8 bytes per change for a moment, not a copy of the frame."""
        hashes = pd.util.hash_pandas_object(self.frame[CHANGE_COLUMNS], index=False).to_numpy()
        return f"{len(hashes)}:{hashlib.sha256(hashes.tobytes()).hexdigest()}"

    def written(self) -> pd.DataFrame:
        return self.frame[self.frame["kind"] != UNCHANGED]

    def touched_indicators(self) -> list[str]:
        """The indicators of the new and changed values, in the order the file first names them."""
        return _first_named(self.frame)

    def of_region(self, region: str) -> list[Change]:
        """The written changes of one region as Change objects (the impact on goals reads the district's)."""
        chosen = self.frame[(self.frame["kind"] != UNCHANGED) & (self.frame["region_code"] == region)]
        return list(Changes(chosen))


class SpilledChanges(Changes):
    """The changes of a file checked in parts (series_parts): each part's frame in a file of `folder`, read back
    when it is written (`parts`: store) or shown (`frame`: every part, in the file's order); the length, the
    counts and the digest are kept as the parts come."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._paths: list[Path] = []
        self._length = 0
        self._counts = {kind: 0 for kind in (INSERT, UPDATE, UNCHANGED)}
        self._digests: list[str] = []

    def add(self, changes: Changes) -> None:
        path = self.folder / f"changes-{len(self._paths)}.pickle"
        changes.frame.to_pickle(path)       # written and read back by this process only
        self._paths.append(path)
        self._length += len(changes)
        for kind, count in changes.counts().items():
            self._counts[kind] += count
        self._digests.append(changes.fingerprint())

    def parts(self):
        """Each part's changes frame (CHANGE_COLUMNS and what the commit reads), one at a time."""
        for path in self._paths:
            yield pd.read_pickle(path)

    @property
    def frame(self) -> pd.DataFrame:
        if not self._paths:
            return pd.DataFrame(columns=CHANGE_COLUMNS)
        whole = pd.concat(list(self.parts()), ignore_index=True)
        return whole.sort_values("row", kind="stable", ignore_index=True)

    def __len__(self) -> int:
        return self._length

    def counts(self) -> dict[str, int]:
        return dict(self._counts)

    def fingerprint(self) -> str:
        return f"{self._length}:" + hashlib.sha256("|".join(self._digests).encode("ascii")).hexdigest()

    def touched_indicators(self) -> list[str]:
        firsts = {}
        for frame in self.parts():
            written = frame[frame["kind"] != UNCHANGED]
            rows = written.groupby(written["indicator_code"].astype(object), sort=False)["row"].min()
            for code, row in rows.items():
                firsts[code] = min(row, firsts.get(code, row))
        return sorted(firsts, key=firsts.get)

    def of_region(self, region: str) -> list[Change]:
        chosen = [Changes(frame[(frame["kind"] != UNCHANGED) & (frame["region_code"] == region)])
                  for frame in self.parts()]
        return sorted((change for changes in chosen for change in changes), key=lambda change: change.row)


def _first_named(frame: pd.DataFrame) -> list[str]:
    written = frame[frame["kind"] != UNCHANGED]
    return [code for code in pd.unique(written["indicator_code"].astype(object)) if isinstance(code, str)]


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


@dataclass
class StoredTexts:
    """A stored text column: a code per stored row (-1: null) into its few distinct texts."""
    codes: np.ndarray
    texts: list[str]


@dataclass
class Stored:
    """The stored observations of the file's series, by point key (point_keys), as arrays."""
    keys: np.ndarray            # int64
    value: np.ndarray           # float
    source: StoredTexts | None  # '' as null (changes._text)
    quality: StoredTexts | None
    note: StoredTexts | None    # '' as null

    def __len__(self) -> int:
        return len(self.keys)

    def release_texts(self) -> None:
        """Forget the stored texts once the diff has read them: the warnings read keys and values only."""
        self.source = self.quality = self.note = None


def _series(values: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Each value's series (indicator and region) as a number (first seen first), and the table of the series:
    from the check's number per series (check._values_frame's and check.from_values' `_series`), without
    hashing the code strings."""
    codes, _ = pd.factorize(values["_series"].to_numpy(dtype=np.int64))
    codes = codes.astype(np.int64)
    first = first_seen(codes)                                              # where each number first appears
    table = pd.DataFrame({"indicator_code": pd.Series(values["indicator_code"].iloc[first].to_numpy(dtype=object),
                                                      dtype=object),
                          "region_code": pd.Series(values["region_code"].iloc[first].to_numpy(dtype=object),
                                                   dtype=object),
                          "series": np.arange(len(first), dtype=np.int64)})
    return codes, table


def point_keys(values: pd.DataFrame) -> np.ndarray:
    """One int64 per value: its series, kind of period, year, quarter or month (queries/upload_stored_points.sql
    gives the stored rows the same keys). A year before is key - 100, a year after key + 100."""
    series, _ = _series(values)
    return series * _SERIES + values["period_code"].to_numpy(dtype=np.int64)


_BATCH = 131_072           # stored rows read from DuckDB at once (stored_points)


def stored_points(con, values: pd.DataFrame) -> tuple[Stored, np.ndarray]:
    """The stored observations of the values' series, and the values' point keys, made with the same numbering.
    The rows are read in batches, each batch's texts kept as codes at once: the whole result as Arrow strings (and
    DuckDB's copy of it) was ~140 MB at a million stored rows."""
    series, table = _series(values)
    keys, numbers = [], []
    texts = {name: (_Dictionary(), []) for name in ("source", "quality", "note")}
    con.register("upload_series", as_arrow(table))
    try:
        for batch in con.sql(read_sql("upload_stored_points")).fetch_record_batch(_BATCH):
            # Copies, not views: a view kept the whole batch, its texts included (~190 MB at 3.4 million rows).
            keys.append(np.array(batch.column("point").to_numpy(zero_copy_only=False), dtype=np.int64))
            numbers.append(np.array(batch.column("value").to_numpy(zero_copy_only=False), dtype=float))
            for name, (dictionary, codes) in texts.items():
                encoded = pc.dictionary_encode(batch.column(name), null_encoding="encode")   # null: a None text
                codes.append(small_codes(dictionary.codes(encoded.dictionary.to_pylist()), len(dictionary.texts) + 1)[
                    encoded.indices.to_numpy(zero_copy_only=False)])
            del batch
    finally:
        con.unregister("upload_series")

    def joined(parts, dtype):
        return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)

    stored = Stored(joined(keys, np.int64), joined(numbers, float),
                    *(StoredTexts(small_codes(joined(codes, np.int32), len(dictionary.texts) + 1), dictionary.texts)
                      for dictionary, codes in texts.values()))
    return stored, series * _SERIES + values["period_code"].to_numpy(dtype=np.int64)


def stored_series(con, values: pd.DataFrame) -> pd.DataFrame:
    """The stored observations of the values' series as rows (for the reference's year-to-date split)."""
    _, table = _series(values)
    con.register("upload_series", as_arrow(table[["indicator_code", "region_code"]]))
    try:
        return con.execute(read_sql("upload_stored_series")).df()
    finally:
        con.unregister("upload_series")


def same_number(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """changes.same_number over columns (math.isclose with rel_tol 1e-9, abs_tol 1e-12)."""
    with np.errstate(invalid="ignore"):
        close = np.abs(a - b) <= np.maximum(1e-9 * np.maximum(np.abs(a), np.abs(b)), 1e-12)
    return (a == b) | close


_SERIES = 10_000_000          # a point's key: series * _SERIES + check.period_code(period)
_KIND_STEP = 1_000_000
_PART = 200_000            # moving values judged at once (_unusual_moves)


def find(sorted_keys: np.ndarray, order: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each wanted key: whether it is among the keys, and its position in the unsorted array."""
    if len(sorted_keys) == 0:
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_keys, wanted), len(sorted_keys) - 1)
    return sorted_keys[at] == wanted, order[at]


class _Dictionary:
    """The texts of one changes column, numbered 0, 1, ... as met (a column holds few distinct texts); None is
    -1. The stored texts and the file's are numbered in one dictionary, so equal texts have equal codes and are
    compared as numbers; the changes hold the codes as a Categorical (normalise.categorical: 1-2 bytes instead
    of an 8-byte pointer per text)."""

    def __init__(self, *texts: str):
        self.texts: list[str] = []
        self._code: dict[str, int] = {}
        for text in texts:
            self.code(text)

    def code(self, text) -> int:
        if text is None:
            return -1
        found = self._code.get(text)
        if found is None:
            found = self._code[text] = len(self.texts)
            self.texts.append(text)
        return found

    def codes(self, texts) -> np.ndarray:
        return np.fromiter((self.code(t) for t in texts), dtype=np.int32, count=len(texts))

    def column(self, codes: np.ndarray) -> pd.Categorical:
        return categorical(codes, self.texts)


def _recoded(column: StoredTexts, dictionary: _Dictionary) -> np.ndarray:
    """The codes (in `dictionary`) of a stored column's distinct texts, and -1 (None) last: indexed by a stored
    code, -1 (null) included."""
    return np.append(dictionary.codes(column.texts), -1)


def _per_text(values: pd.DataFrame, column: str) -> tuple[np.ndarray, list]:
    """The codes per value of a text column (the check's Categorical: no text hashed per value) and the texts they
    stand for, None last: a code -1 (a missing text) indexes the last item of anything made per text."""
    texts = values[column].array
    return texts.codes, [*texts.categories.tolist(), None]


_KINDS = pd.Index([INSERT, UNCHANGED, UPDATE], dtype=object)
_DIFF_PART = 250_000      # values compared at once: the comparison's temporaries are a part's (~60 bytes a value)


def diff(values: pd.DataFrame, stored: Stored, value_keys: np.ndarray, default_source: str) -> Changes:
    """changes.diff over columns: each value new, changed (old -> new) or unchanged. The texts are worked on as
    codes (_Dictionary): the file's once per distinct text, the stored ones once per distinct stored text. The
    values are compared in parts of _DIFF_PART, each written into the changes' columns (peak memory)."""
    order = np.argsort(stored.keys, kind="stable")
    sorted_keys = stored.keys[order]
    sources, qualities, notes = _Dictionary(), _Dictionary("reported", "published"), _Dictionary()
    # Every text is given its code before the parts (stored first, then the file's): the same codes, in the same
    # order, as comparing the whole file at once.
    stored_source, stored_quality, stored_note = (_recoded(stored.source, sources),
                                                  _recoded(stored.quality, qualities), _recoded(stored.note, notes))
    source_codes, texts = _per_text(values, "source")
    no_source_of = np.array([s == DEMO_SOURCE or s is None for s in texts], dtype=bool)
    source_of = sources.codes([None if s == DEMO_SOURCE else s for s in texts])
    quality_codes, texts = _per_text(values, "quality")
    published_of = np.array([q == "published" for q in texts], dtype=bool)
    note_codes, texts = _per_text(values, "note")
    no_note_of = np.array([n is None or n == "" for n in texts], dtype=bool)
    note_of = notes.codes([None if n is None or n == "" else n for n in texts])
    default_code = sources.code(default_source)
    reported, published_code = qualities.code("reported"), qualities.code("published")
    from_cumulative = notes.code("from_cumulative")

    n = len(values)
    new_value = values["value"].to_numpy(dtype=float)
    cumulative = values["cumulative"].to_numpy(dtype=bool)
    has_old, value_changed = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    old_value, kind = np.full(n, np.nan), np.zeros(n, dtype=np.int8)
    code_type = small_codes(np.zeros(0, dtype=np.int32),
                            max(len(sources.texts), len(qualities.texts), len(notes.texts)) + 1).dtype
    old_source, old_quality, old_note, new_source, new_quality, new_note = (
        np.full(n, -1, dtype=code_type) for _ in range(6))
    for start in range(0, n, _DIFF_PART):
        part = slice(start, start + _DIFF_PART)
        found, index = find(sorted_keys, order, value_keys[part])
        has_old[part] = found
        if len(stored):
            old_value[part] = np.where(found, stored.value[index], np.nan)
            old_source[part] = np.where(found, stored_source[stored.source.codes[index]], -1)
            old_quality[part] = np.where(found, stored_quality[stored.quality.codes[index]], -1)
            old_note[part] = np.where(found, stored_note[stored.note.codes[index]], -1)
        del index
        changed = ~found | ~same_number(old_value[part], new_value[part])
        value_changed[part] = changed
        # A new or changed number: the file's source (or the file's name), its quality, its note (or
        # 'from_cumulative'). The same number: what is stored stays, but a given source, note or 'published'
        # replaces it.
        codes = source_codes[part]
        no_source, source = no_source_of[codes], source_of[codes]
        new_source[part] = np.where(changed, np.where(no_source, default_code, source),
                                    np.where(no_source, old_source[part], source))
        new_quality[part] = np.where(published_of[quality_codes[part]], published_code,
                                     np.where(changed, reported, old_quality[part]))
        codes = note_codes[part]
        fresh_note = np.where(cumulative[part], from_cumulative, -1)
        new_note[part] = np.where(no_note_of[codes], np.where(changed, fresh_note, old_note[part]), note_of[codes])
        del codes, no_source, source, fresh_note
        same_texts = ((new_source[part] == old_source[part]) & (new_quality[part] == old_quality[part])
                      & (new_note[part] == old_note[part]))
        unchanged = found & ~changed & same_texts
        kind[part] = np.where(~found, 0, np.where(unchanged, 1, 2))

    frame = pd.DataFrame({
        "kind": pd.Categorical.from_codes(kind, categories=_KINDS),
        "indicator_code": values["indicator_code"].array, "region_code": values["region_code"].array,
        "period": values["period"].array,
        "row": values["row"].to_numpy(),
        "has_old": has_old, "old_value": old_value, "old_source": sources.column(old_source),
        "old_quality": qualities.column(old_quality), "old_note": notes.column(old_note),
        "new_value": new_value, "new_source": sources.column(new_source),
        "new_quality": qualities.column(new_quality), "new_note": notes.column(new_note),
        # what the commit and the warnings need about the value itself
        "period_kind": values["period_kind"].array,
        "year": values["year"].to_numpy(), "quarter": values["quarter"].array,
        "month": values["month"].array, "value_column": values["value_column"].array,
        "value_changed": value_changed,
    }, copy=False)   # one block per column: consolidating copied every column once more
    changes = Changes(frame)
    changes.keys = value_keys
    return changes


def _fmt_period(kind: str, year: int, quarter, month) -> str:
    return str(Period(year, quarter=int(quarter) if kind == "Q" else None, month=int(month) if kind == "M" else None))


def series_warnings(changes: Changes, values: pd.DataFrame, stored: Stored,
                    units: dict[str, str]) -> list[p.Problem]:
    """changes.series_warnings over columns: replaced published figures, then unusually large moves."""
    frame = changes.frame
    chosen = frame["value_changed"].to_numpy(dtype=bool)     # a changed number is never UNCHANGED (diff)
    if not chosen.any():
        return []
    # Only the columns the warnings read: a copy of every column of a million changes doubled the peak memory.
    columns = ["row", "indicator_code", "has_old", "old_quality", "old_value", "old_source", "new_value",
               "value_column", "period_kind", "year", "quarter", "month"]
    candidates = frame[columns] if chosen.all() else frame.loc[chosen, columns]
    found: list[tuple[int, int, p.Problem]] = []
    published = candidates[candidates["has_old"] & (candidates["old_quality"] == "published")]
    for position, c in zip(published.index, published.itertuples()):
        found.append((position, 0, p.warning("replaces_published", int(c.row), c.value_column, f"{c.new_value:g}",
                                             old=f"{c.old_value:g}", source=_none(c.old_source) or "")))
    # Each indicator's unit asked once (a dict lookup per value was half of this stage at a million values): per
    # distinct indicator of the changes' Categorical, spread by its codes (a code -1, no indicator, is not skipped).
    indicator = candidates["indicator_code"].array
    skipped = np.append(np.array([units.get(code) in SKIP_UNUSUAL_UNITS for code in indicator.categories],
                                 dtype=bool), False)[indicator.codes]
    moving = candidates[~skipped] if skipped.any() else candidates
    if not moving.empty:
        for position, problem in _unusual_moves(moving, changes.keys, values["value"].to_numpy(dtype=float),
                                                stored):
            found.append((position, 1, problem))
    found.sort(key=lambda item: (item[0], item[1]))
    return [problem for _, _, problem in found]


_POINTS_PART = 250_000     # points (stored and the file's) of whole series judged at once (_unusual_moves)


def _unusual_moves(moving: pd.DataFrame, value_keys: np.ndarray, value_numbers: np.ndarray, stored: Stored):
    """changes._typical_move for every moving value, over the series' keys (see point_keys). A series' moves
    depend on that series only: the series are taken in parts of about _POINTS_PART points, so the sorting's
    temporaries (~50 bytes per point) are a part's, not the file's (~150 MB at a million values)."""
    value_series, stored_series = value_keys // _SERIES, stored.keys // _SERIES
    count = int(max(value_series.max(initial=-1), stored_series.max(initial=-1))) + 1
    sizes = np.bincount(value_series, minlength=count) + np.bincount(stored_series, minlength=count)
    part_of = ((np.cumsum(sizes) - sizes) // _POINTS_PART).astype(np.int32)   # consecutive series, a part each
    value_part, stored_part = part_of[value_series], part_of[stored_series]
    del value_series, stored_series
    # every value moving (the usual file): its keys as they are, not a copy through the index
    moving_keys = value_keys if len(moving) == len(value_keys) else value_keys[moving.index.to_numpy()]
    moving_part = part_of[moving_keys // _SERIES]
    out = []
    for part in np.unique(moving_part).tolist():
        chosen = np.flatnonzero(moving_part == part)
        in_values, in_stored = value_part == part, stored_part == part
        out += _unusual_series(moving.iloc[chosen], moving_keys[chosen], value_keys[in_values],
                               value_numbers[in_values], stored.keys[in_stored], stored.value[in_stored])
    return out


def _unusual_series(moving: pd.DataFrame, moving_keys: np.ndarray, value_keys: np.ndarray, value_numbers: np.ndarray,
                    stored_keys: np.ndarray, stored_numbers: np.ndarray):
    """The unusual moves among `moving` (their keys `moving_keys`), over the points of their series: the stored
    ones and the file's (value_keys, value_numbers: every value of the file in those series)."""
    # Every point of the affected series: stored, with the file's values in their place.
    keys = np.concatenate([stored_keys, value_keys])
    numbers = np.concatenate([stored_numbers.astype(float), value_numbers])
    last = len(keys) - 1 - np.unique(keys[::-1], return_index=True)[1]      # the file's value wins
    point_keys_sorted = keys[last]                                            # sorted (np.unique)
    point_values = numbers[last]
    del keys, numbers, last            # each temporary is 8 bytes per point: freed as soon as done (peak memory)
    everything = np.arange(len(point_keys_sorted))
    # Each point's year-on-year move: same series, kind, quarter or month, a year before.
    has_before, before_at = find(point_keys_sorted, everything, point_keys_sorted - 100)
    move_keys = point_keys_sorted[has_before]
    moves = np.abs(point_values[has_before] - point_values[before_at[has_before]])
    del has_before, before_at
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
    del order, sorted_groups, starts, group_start, runs, run_start, min_rank_sorted, groups, moves
    move_order = np.argsort(move_keys, kind="stable")
    move_sorted = move_keys[move_order]

    previous_found, previous_at = find(point_keys_sorted, everything, moving_keys - 100)
    if not previous_found.any():
        return []
    out = []
    # The moving values in parts: each part's ~25 temporaries are 8 bytes per value (peak memory at a million).
    for part in np.array_split(np.nonzero(previous_found)[0], max(1, -(-int(previous_found.sum()) // _PART))):
        out += _unusual_part(part, moving, moving_keys, point_values, previous_at, move_sorted, move_order,
                             min_rank, group_ids, group_first, group_sizes, sorted_moves, n)
    return out


def _unusual_part(chosen, moving, moving_keys, point_values, previous_at, move_sorted, move_order, min_rank,
                  group_ids, group_first, group_sizes, sorted_moves, n):
    """The unusual moves among some moving values (`chosen`: their positions in `moving`)."""
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
