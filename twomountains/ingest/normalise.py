"""The normalise stage: an observation file's records as columns, each text normalised once per distinct text.

The layout stage has found the header, the fields and (for a wide file) the period columns; here the
data rows become one record per value, as columns (`Records`): the spreadsheet row, the raw text of
each field, and for a wide file the period column each value came from. Each field's texts are held as
`Texts`: an index per record into the field's distinct texts (Arrow's dictionary encoding for a file read
by reading_arrow, pandas' factorize for one read by the csv reader or openpyxl). Every per-cell reading
(`numbers.parse_number`, `cumulative.read_period`, the lookup of codes and names) then runs once per
*distinct* text, never per row, and the results are spread back over the records by their index
(`Texts.spread`); no stage makes a Python object per record. Value cells, which are mostly distinct, are
parsed by Arrow when they are plain decimal numbers and by `parse_number` (full-width digits, thousands
separators, %) for the others.

The row-by-row reading of the same records is `layout.Record` + `validate.check_record`, kept as the
reference the columnar check is tested against (tests/test_upload_columnar.py).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from twomountains.ingest.layout import Layout
from twomountains.ingest.numbers import NotANumber, is_blank, parse_number

# A plain decimal number (ASCII digits, optional minus, point, exponent) with blanks or tabs around it:
# Arrow reads these exactly as float() does; anything else goes through numbers.parse_number.
_PLAIN_NUMBER = r"^[ \t]*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t]*$"
_SAMPLE = 10_000          # texts of a column looked at to tell whether it repeats itself (Texts.compact)


def object_array(values) -> np.ndarray:
    """A list as a one-dimensional object array (np.array would make a tuple or a list a second dimension)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class Texts:
    """A column of cell texts: an index per record (`codes`) into the column's distinct texts (`uniques`,
    an Arrow string array or an object array). Computing anything per distinct text and spreading it over
    the records (`spread`) replaces a Python call per cell; a text is made a Python string only for a record
    that needs one (a message) or once per distinct text (`distinct`).

    A column of mostly distinct texts (a long file's values) may come without codes (`codes` None): record i's
    text is then uniques[i], and "per distinct text" is per record (Arrow's vectorised functions do that fast)."""

    def __init__(self, codes: np.ndarray | None, uniques):
        self.codes = codes
        self.uniques = uniques
        self._distinct: np.ndarray | None = None
        self._stripped: Texts | None = None

    @classmethod
    def of(cls, texts) -> "Texts":
        """From an Arrow dictionary or string array, or an object array of texts."""
        if isinstance(texts, pa.ChunkedArray):
            texts = (texts.unify_dictionaries() if pa.types.is_dictionary(texts.type) else texts).combine_chunks()
        if isinstance(texts, pa.Array):
            encoded = texts if isinstance(texts, pa.DictionaryArray) else pc.dictionary_encode(texts)
            return cls(encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary)
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=False)
        return cls(codes, texts[first_positions(codes, len(uniques))])    # factorize makes None NaN

    @classmethod
    def constant(cls, text: str, n: int) -> "Texts":
        return cls(np.zeros(n, dtype=np.int32), object_array([text]))

    def __len__(self) -> int:
        return len(self.uniques) if self.codes is None else len(self.codes)

    @property
    def distinct(self) -> np.ndarray:
        """The distinct texts as Python strings (an object array), made once."""
        if self._distinct is None:
            self._distinct = (object_array(self.uniques.to_pylist()) if isinstance(self.uniques, pa.Array)
                              else self.uniques)
        return self._distinct

    def at(self, i: int) -> str:
        """The text of record i."""
        text = self.uniques[int(i if self.codes is None else self.codes[i])]
        return text.as_py() if isinstance(text, pa.Scalar) else text

    def spread(self, per_distinct: np.ndarray, indexes: np.ndarray | slice | None = None) -> np.ndarray:
        """Values computed for each distinct text (in the order of `uniques`), one per record (or per record of
        `indexes`); without codes, per_distinct itself (or its part)."""
        if self.codes is None:
            return per_distinct if indexes is None else per_distinct[indexes]
        return spread(per_distinct, self.codes if indexes is None else self.codes[indexes])

    def map(self, function, otype=object) -> np.ndarray:
        """function(text) per distinct text, in the order of `uniques`."""
        out = np.empty(len(self.distinct), dtype=otype)
        for index, text in enumerate(self.distinct):
            out[index] = function(text)
        return out

    def stripped(self) -> "Texts":
        """The texts without surrounding blanks (str.strip), as distinct texts again."""
        if self._stripped is None:
            if self.codes is None:
                self._stripped = Texts.of(self.uniques).stripped()      # the distinct texts first (Arrow)
                return self._stripped
            codes, uniques = pd.factorize(pd.Series(self.map(str.strip), dtype=object), use_na_sentinel=False)
            # No two texts the same once stripped (the usual case): the codes stay as they are.
            same = len(uniques) == len(self.distinct)
            self._stripped = Texts(self.codes if same else small_codes(codes, len(uniques))[self.codes],
                                   object_array(list(uniques)))
        return self._stripped

    def compact(self) -> "Texts":
        """The same texts with codes when a sample of a column without them repeats itself (a large file whose
        values are few numbers over and over): the work per distinct text is then less than per record."""
        n = len(self)
        if self.codes is not None or n < _SAMPLE * 4 or not isinstance(self.uniques, pa.Array):
            return self
        sample = self.uniques.take(pa.array(np.linspace(0, n - 1, _SAMPLE).astype(np.int64)))
        if len(pc.unique(sample)) > _SAMPLE // 4:
            return self
        return Texts.of(self.uniques)

    def pair(self) -> tuple[np.ndarray, np.ndarray]:
        """(codes, distinct texts), for `combine`."""
        return (np.arange(len(self)) if self.codes is None else self.codes), self.distinct


def small_codes(codes: np.ndarray, count: int) -> np.ndarray:
    """Codes below `count` in the smallest integer type that holds them (a column of a few hundred distinct
    texts takes 2 bytes per record, not 4 or 8)."""
    for dtype in (np.int8, np.int16, np.int32):
        if count <= np.iinfo(dtype).max:
            return codes if codes.dtype == dtype else codes.astype(dtype)
    return codes


def categorical(codes: np.ndarray, texts) -> pd.Categorical:
    """A column whose value i is texts[codes[i]] (texts: one per code, may repeat; None, or a code -1, is no text)
    as a pandas Categorical: a 1-2 byte code per value instead of an 8-byte pointer, no text hashed per value."""
    per_code, categories = pd.factorize(pd.Series(object_array(list(texts)), dtype=object), use_na_sentinel=True)
    per_code = np.append(small_codes(per_code, len(categories) + 1), -1)      # a code -1 takes the last: none
    return pd.Categorical.from_codes(per_code[codes], categories=pd.Index(np.asarray(categories, dtype=object),
                                                                          dtype=object))


def spread(per_distinct: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """per_distinct[codes]; a flag that holds for no distinct text (a check nothing fails) without a pass."""
    if per_distinct.dtype == bool and not per_distinct.any():
        return np.zeros(len(codes), dtype=bool)
    return per_distinct[codes]


def _dense(key: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys in 0..space-1 renumbered 0..k-1 (k: the keys that occur), and the key each new number stands for:
    by counting when the space is small (a few array passes), by hashing (pandas' factorize) otherwise."""
    if space <= max(2 * len(key), 1 << 16):
        present = np.flatnonzero(np.bincount(key, minlength=space))
        if len(present) == space:
            return key, present                   # every key occurs: the numbers are the keys
        number = np.zeros(space, dtype=np.int64)
        number[present] = np.arange(len(present))
        return number[key], present
    return pd.factorize(key)


def combine(*columns: tuple[np.ndarray, "np.ndarray | list"]) -> tuple[np.ndarray, list[tuple]]:
    """The distinct combinations of several columns, each given as (codes per record, what a code stands for):
    an index per record into the list of combinations that occur, as tuples of what the codes stand for."""
    if len(columns[0][0]) == 0:
        return np.empty(0, dtype=np.int64), []
    combined, combinations = None, [()]
    for codes, meanings in columns:
        size = max(len(meanings), 1)
        key = codes.astype(np.int64) if combined is None else combined * size + codes
        combined, found = _dense(key, len(combinations) * size)
        combinations = [combinations[k // size] + (meanings[k % size],) for k in found.tolist()]
    return combined, combinations


def group_numbers(*columns: tuple[np.ndarray, int]) -> tuple[np.ndarray, int]:
    """A number per record that is the same for the records with the same codes in every column (each given
    as (codes per record, how many codes there are)), and how many numbers there may be."""
    combined, space = None, 1
    for codes, size in columns:
        size = max(size, 1)
        combined = codes.astype(np.int64) if combined is None else combined * size + codes
        space *= size
        if space > max(2 * len(combined), 1 << 16):
            combined, found = pd.factorize(combined)
            space = len(found)
    return combined, space


def first_positions(codes: np.ndarray, count: int) -> np.ndarray:
    """The first position of each code 0..count-1 (0 for a code that does not occur)."""
    first = np.zeros(count, dtype=np.int64)
    occurring, positions = np.unique(codes, return_index=True)
    first[occurring] = positions
    return first


@dataclass
class Records:
    """One record per value of an observation file, as columns (row order as the file's)."""
    rows: np.ndarray                                  # spreadsheet row numbers (int64)
    texts: dict[str, Texts]                           # field -> raw cell texts, given fields only
    columns: dict[str, str]                           # field -> header as written (long: every field)
    period_columns: np.ndarray | None = None          # wide: the period column's label, per record
    header_unit: str | None = None
    header_row: int | None = None
    _stripped: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    def given(self, name: str) -> bool:
        return name in self.texts

    def column(self, name: str) -> np.ndarray | str:
        """The header a field's cells came from: one text, or per record for a wide file's period and value."""
        if self.period_columns is not None and name in ("period", "value"):
            return self.period_columns
        return self.columns[name]

    def stripped(self, name: str) -> Texts:
        """Record.text(name): the cells' texts without surrounding blanks ('' for a field the file lacks)."""
        if name not in self._stripped:
            self._stripped[name] = (self.texts[name].stripped() if name in self.texts
                                    else Texts.constant("", len(self)))
        return self._stripped[name]

    def release(self) -> None:
        """Forget what the check derived (the stripped texts): a plan keeps only the file's own texts."""
        self._stripped.clear()
        for texts in self.texts.values():
            texts._stripped = None


def release_memory() -> None:
    """Free what a large file's stages left behind and hand it back to the system, before the next stage
    allocates: some of it sits in reference cycles (the collector would free it later), and glibc keeps
    freed memory for Python's reuse that DuckDB and Arrow, with allocators of their own, cannot take.
    Measured at 1,000,000 rows (bench/ingest.py): ~100-200 MB less peak resident memory."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    pa.default_memory_pool().release_unused()


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:
        return None


_LIBC = _libc()


def as_arrow(frame: pd.DataFrame) -> pa.Table:
    """A frame as an Arrow table: DuckDB scans it without a Python call per text cell."""
    return pa.Table.from_pandas(frame, preserve_index=False)


def per_distinct(texts: np.ndarray, function, otypes=object) -> np.ndarray:
    """function(text) for every element, computed once per distinct text."""
    if len(texts) == 0:
        return np.empty(0, dtype=otypes)
    codes, uniques = distinct(texts)
    results = np.empty(len(uniques), dtype=otypes)
    for index, text in enumerate(uniques):
        results[index] = function(text)
    return results[codes]


def records(rows: list[tuple[int, list[str]]], layout: Layout) -> Records:
    """The records of a long or wide layout (the same records, in the same order, as layout's Record list)."""
    header = layout.header
    data = [(number, cells) for number, cells in rows
            if number > layout.header_row and any(c.strip() for c in cells)]
    numbers = np.fromiter((n for n, _ in data), dtype=np.int64, count=len(data))
    columns = {name: header[index].strip() for name, index in layout.fields.items()}

    def cells_of(index: int) -> np.ndarray:
        out = np.empty(len(data), dtype=object)
        out[:] = [cells[index] if index < len(cells) else "" for _, cells in data]
        return out

    if layout.kind == "long":
        texts = {name: Texts.of(cells_of(index)) for name, index in layout.fields.items()}
        return Records(numbers, texts, columns, header_unit=layout.header_unit, header_row=layout.header_row)
    base = {name: cells_of(index) for name, index in layout.fields.items() if name not in ("period", "value")}
    # One record per non-blank period cell, row by row and within a row in column order.
    per_column = [(label, cells_of(index)) for index, label in layout.period_columns]
    if per_column:
        stacked = np.stack([texts for _, texts in per_column], axis=1)            # rows x period columns
        present = ~blank_values(stacked.reshape(-1)).reshape(stacked.shape)
        row_index, column_index = np.nonzero(present)                              # row-major order
    else:
        row_index = column_index = np.empty(0, dtype=np.int64)
        stacked = np.empty((len(data), 0), dtype=object)
    labels = np.array([label for label, _ in per_column] or [""], dtype=object)
    texts = {name: values[row_index] for name, values in base.items()}
    texts["period"] = labels[column_index] if len(column_index) else np.empty(0, dtype=object)
    texts["value"] = stacked[row_index, column_index] if len(row_index) else np.empty(0, dtype=object)
    return Records(numbers[row_index], {name: Texts.of(values) for name, values in texts.items()}, columns,
                   period_columns=texts["period"], header_unit=layout.header_unit, header_row=layout.header_row)


def records_from_arrow(sheet, layout: Layout, first_line: int = 0) -> Records:
    """The records of a long layout read by reading_arrow: the same as `records` gives for its rows. Each
    field keeps its column's dictionary (the distinct texts) and the lines' indexes into it. `first_line`: the
    lines of the file before the sheet's table (a part of a file read in parts, reading_parts)."""
    from twomountains.ingest.reading_arrow import non_blank_rows
    table = sheet.table
    non_blank = sheet.non_blank if sheet.non_blank is not None else non_blank_rows(table)
    keep = non_blank.to_numpy(zero_copy_only=False).copy()
    above = max(layout.header_row - first_line, 0)
    keep[:above] = False                                   # the header and any title above it
    indexes = np.flatnonzero(keep)
    every = slice(above, None) if len(indexes) == table.num_rows - above else indexes
    header = layout.header
    texts = {}
    for name, index in layout.fields.items():
        column = table.column(index)
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        if isinstance(column, pa.DictionaryArray):
            codes, dictionary = column.indices.to_numpy(zero_copy_only=False), column.dictionary
        else:       # plain strings: encoded when they repeat after all, else kept as they are
            compacted = Texts(None, column).compact()
            codes, dictionary = compacted.codes, compacted.uniques
        if codes is not None:
            texts[name] = Texts(small_codes(codes[every], len(dictionary)), dictionary)
        else:       # record i's text is the column's i-th
            texts[name] = Texts(None, column[every] if isinstance(every, slice) else column.take(pa.array(every)))
    columns = {name: header[index].strip() for name, index in layout.fields.items()}
    # Arrow's allocator keeps what parsing the file took (its blocks, ~50 MB at a million lines) for reuse that
    # will not come: the records hold only the columns' indexes and dictionaries.
    pa.default_memory_pool().release_unused()
    return Records(indexes.astype(np.int64) + 1 + first_line, texts, columns, header_unit=layout.header_unit,
                   header_row=layout.header_row)


@dataclass
class Numbers:
    """Value cells read: blank (no value), parsed, or not a number; value and percent sign where parsed."""
    blank: np.ndarray
    parsed: np.ndarray
    value: np.ndarray
    percent: np.ndarray


def text_at(texts, i: int) -> str:
    """One raw cell text of a column (a numpy array or an Arrow array)."""
    item = texts[i]
    return item.as_py() if isinstance(item, pa.Scalar) else item


def take(texts, indexes: np.ndarray):
    return texts.take(pa.array(indexes)) if isinstance(texts, (pa.Array, pa.ChunkedArray)) else texts[indexes]


def _plain(texts) -> tuple[np.ndarray, np.ndarray]:
    """Which texts are plain decimal numbers, and their values (NaN elsewhere), read by Arrow."""
    array = texts if isinstance(texts, (pa.Array, pa.ChunkedArray)) else pa.array(texts, type=pa.string(),
                                                                                   from_pandas=True)
    plain = pc.fill_null(pc.match_substring_regex(array, _PLAIN_NUMBER), False)
    values = pc.cast(pc.utf8_trim(pc.if_else(plain, array, pa.scalar("0")), " \t"), pa.float64())
    return plain.to_numpy(zero_copy_only=False), values.to_numpy(zero_copy_only=False)


def blank_values(texts: np.ndarray) -> np.ndarray:
    plain, _ = _plain(texts)
    blank = np.zeros(len(texts), dtype=bool)
    other = ~plain
    if other.any():
        blank[other] = per_distinct(take(texts, other), is_blank, otypes=bool)
    return blank


def distinct(texts: np.ndarray | pa.Array) -> tuple[np.ndarray, list]:
    """An index per element into the list of distinct texts (NaN and None are texts here too)."""
    if len(texts) == 0:
        return np.empty(0, dtype=np.int64), []
    if isinstance(texts, (pa.Array, pa.ChunkedArray)):
        encoded = pc.dictionary_encode(texts)
        if isinstance(encoded, pa.ChunkedArray):
            encoded = encoded.unify_dictionaries().combine_chunks()
        return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), encoded.dictionary.to_pylist()
    codes, _ = pd.factorize(pd.Series(texts, dtype=object), use_na_sentinel=False)
    return codes, [texts[i] for i in first_seen(codes)]   # the texts themselves (factorize turns None into NaN)


def first_seen(codes: np.ndarray) -> np.ndarray:
    """Where each code first appears, for codes numbered in order of first appearance (pd.factorize's):
    np.unique(codes, return_index=True)[1] without sorting (a code is new where it exceeds all before it)."""
    if len(codes) == 0:
        return np.empty(0, dtype=np.int64)
    before = np.maximum.accumulate(codes)
    return np.flatnonzero(np.r_[True, codes[1:] > before[:-1]])


def numbers(texts: Texts) -> Numbers:
    """The value column read, once per distinct text: plain numbers by Arrow, the rest by parse_number."""
    texts = texts.compact()
    plain, plain_values = _plain(texts.uniques)
    u_blank = np.zeros(len(plain), dtype=bool)
    u_parsed = plain & np.isfinite(plain_values)
    u_value = np.where(u_parsed, plain_values, np.nan)
    u_percent = np.zeros(len(plain), dtype=bool)
    other = np.flatnonzero(~plain)
    if len(other):
        uniques = texts.uniques
        others = uniques.take(pa.array(other)).to_pylist() if isinstance(uniques, pa.Array) else uniques[other]
        for index, text in zip(other.tolist(), others):
            text = str(text).strip()
            u_blank[index] = is_blank(text)
            try:
                number = parse_number(text)
            except NotANumber:
                continue
            u_parsed[index], u_value[index], u_percent[index] = True, number.value, number.percent_sign
    return Numbers(texts.spread(u_blank), texts.spread(u_parsed & ~u_blank), texts.spread(u_value),
                   texts.spread(u_percent))
