"""A large observation file's records spread over a few files on disk, each holding whole series.

A value is checked against the others of its key (a duplicate), and warned about against the others of its
series (an unusual move): both need only the values of its indicator. So the records of a file read in parts
(`reading_parts`) are written, part by part, to files of about ROWS_PER_PART records by their indicator (the one
the check itself finds from the code and name cells: validate._resolve_indicator, once per distinct pair), and
the later stages take one such file at a time: what they hold at once is one file's share, not the whole file.

Which file an indicator goes to: a file sorted by indicator (its first part has about as many runs of one
indicator as indicators) gives each file the next indicators as they come, so each file is a stretch of the
file and of the stored table (its writes touch one stretch of the table, as the whole file's would); any other
order spreads the indicators over as many files as the file's estimated size needs, by a hash of their codes.
A record whose indicator is not found (an error either way) goes to the file its row falls to.

The files are Arrow IPC streams in a folder of their own, removed with the object (or `close`).
"""
from __future__ import annotations

import shutil
import tempfile
import math
import weakref
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from twomountains.ingest import validate
from twomountains.ingest.headers import INDICATOR_FIELDS
from twomountains.ingest.layout import Layout, Record
from twomountains.ingest.lookup import Lookup
from twomountains.ingest.normalise import Records, Texts, combine

ROW = "_row"
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
ROWS_PER_PART = 250_000
SPREADING: str | None = None      # "in order" or "hashed" whatever the file's order (tests); None: as it comes


class Stale(Exception):
    """The parts no longer fit the file's check (the catalog's indicators changed, or a value is year-to-date,
    which the check splits over a whole series file by file): the file is checked whole, or again."""


def indicators_of(lookup: Lookup) -> tuple:
    """What the spreading depends on: the codes and names by which the catalog finds an indicator."""
    return tuple(sorted(lookup._by_code.items())), tuple(sorted(lookup._by_name.items()))


class SeriesParts:
    """Records written to files by indicator (`add`, a part of the file at a time); read back a file at a time
    (`records`). `size`: the file's bytes (with the first part's, how many files a hash spreads over)."""

    def __init__(self, size: int, layout: Layout, lookup: Lookup):
        self.size, self.layout, self._lookup = size, layout, lookup
        self.folder = Path(tempfile.mkdtemp(prefix="twomountains-upload-"))
        self._remove = weakref.finalize(self, shutil.rmtree, str(self.folder), True)
        self._writers: dict[int, pa.ipc.RecordBatchStreamWriter] = {}
        self._code_of: dict[tuple, str | None] = {}
        self._part_of: dict[str, int] = {}
        self._rows: dict[int, int] = {}       # records written to each file
        self._hashed: int | None = None       # files to hash over; None: the next indicators to the current file
        self._current = 0
        self.records_count = 0
        self.columns: dict[str, str] = {}
        self.header_unit: str | None = layout.header_unit
        self.header_row: int | None = layout.header_row
        self._fields: list[str] = []
        self._plain: set[str] = set()
        self.indicators = indicators_of(lookup)

    @property
    def count(self) -> int:
        return max(self._rows, default=-1) + 1

    def add(self, recs: Records, part_bytes: int) -> None:
        """A part's records (`part_bytes` of the file), each to the file of its indicator."""
        if not self._fields:
            self._fields, self.columns = list(recs.texts), dict(recs.columns)
            # a field of mostly distinct texts (a large file's values) is read back as plain strings, as
            # normalise.records_from_arrow keeps it; the others dictionary-encoded
            self._plain = {name for name, texts in recs.texts.items() if texts.codes is None}
        first = self.records_count == 0
        self.records_count += len(recs)
        if not len(recs):
            return
        codes = self._codes_of(recs)
        recs.release()
        if first:
            self._choose_spreading(codes, len(recs), part_bytes)
        part = self._parts_of(codes, recs.rows)
        columns = {name: _texts(recs.texts[name], name in self._plain) for name in self._fields}
        columns[ROW] = pa.array(recs.rows, type=pa.int64())
        order = np.argsort(part, kind="stable")
        table = pa.table(columns).take(pa.array(order))       # each file's records together, in the file's order
        starts = np.searchsorted(part[order], np.arange(self.count + 1))
        for number in range(self.count):
            if starts[number + 1] > starts[number]:
                self._writer(number, table.schema).write_table(
                    table.slice(starts[number], starts[number + 1] - starts[number]))

    def _codes_of(self, recs: Records) -> np.ndarray:
        """Each record's indicator as a number into self._known (-1: not found)."""
        fields = [f for f in INDICATOR_FIELDS if recs.given(f)]
        pairs, uniques = combine(*[recs.stripped(f).pair() for f in fields])
        per_pair = [self._code_of_pair(fields, pair) for pair in uniques]
        known = sorted({code for code in per_pair if code is not None})
        self._known = known
        number = {code: index for index, code in enumerate(known)}
        return np.array([number.get(code, -1) for code in per_pair] + [-1], dtype=np.int64)[pairs]

    def _code_of_pair(self, fields: list[str], pair: tuple) -> str | None:
        key = tuple(fields) + tuple(pair)
        if key not in self._code_of:
            self._code_of[key] = validate._resolve_indicator(Record(0, dict(zip(fields, pair)), self.columns),
                                                             self._lookup, [])
        return self._code_of[key]

    def _choose_spreading(self, codes: np.ndarray, records: int, part_bytes: int) -> None:
        runs = 1 + int(np.count_nonzero(codes[1:] != codes[:-1]))
        distinct = len(np.unique(codes))
        hashed = runs > 2 * distinct if SPREADING is None else SPREADING == "hashed"
        if hashed:                             # not sorted by indicator: hashed over the files the size needs
            estimated = self.size * records / max(part_bytes, 1)
            self._hashed = max(1, math.ceil(estimated / ROWS_PER_PART))

    def _parts_of(self, codes: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Each record's file: its indicator's (a new indicator is given one here), or by its row."""
        known = self._known
        if self._hashed is not None:
            per_code = np.array([zlib.crc32(code.encode("utf-8")) % self._hashed for code in known] + [0],
                                dtype=np.int64)
            part = per_code[codes]
            unknown = codes < 0
            part[unknown] = rows[unknown] % self._hashed
        else:
            counts = np.bincount(codes + 1, minlength=len(known) + 1)
            per_code = np.full(len(known) + 1, -1, dtype=np.int64)
            for number, code in enumerate(known):
                if code in self._part_of:
                    per_code[number] = self._part_of[code]
                    self._add_rows(per_code[number], counts[number + 1])
            distinct, first = np.unique(codes, return_index=True)
            for number in distinct[np.argsort(first)].tolist():      # the new indicators in the order they come
                if number < 0 or per_code[number] >= 0:
                    continue
                if self._rows.get(self._current, 0) >= ROWS_PER_PART:
                    self._current += 1
                per_code[number] = self._part_of[known[number]] = self._current
                self._add_rows(self._current, counts[number + 1])
            per_code[-1] = self._current
            self._add_rows(self._current, counts[0])
            part = per_code[codes]
        if self._hashed is not None:
            for number, count in zip(*np.unique(part, return_counts=True)):
                self._add_rows(number, count)
        return part

    def _add_rows(self, number, count) -> None:
        if count:
            self._rows[int(number)] = self._rows.get(int(number), 0) + int(count)

    def _writer(self, number: int, schema: pa.Schema) -> pa.ipc.RecordBatchStreamWriter:
        # the stream format: each part's batch may bring a dictionary of its own (the file format allows one)
        if number not in self._writers:
            self._writers[number] = pa.ipc.new_stream(str(self.folder / f"{number}.arrow"), schema)
        return self._writers[number]

    def finish(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def records(self) -> Iterator[Records]:
        """The records of each file in turn (in the order of the file within it)."""
        for number in range(self.count):
            path = self.folder / f"{number}.arrow"
            if not path.exists():
                continue
            with pa.OSFile(str(path)) as source:
                table = pa.ipc.open_stream(source).read_all()
            texts = {name: (Texts(None, table.column(name).combine_chunks()).compact() if name in self._plain
                            else Texts.of(table.column(name))) for name in self._fields}
            rows = np.array(table.column(ROW).to_numpy(), dtype=np.int64)
            del table
            yield Records(rows, texts, self.columns, header_unit=self.header_unit, header_row=self.header_row)

    def new_folder(self, name: str) -> Path:
        """An empty folder of the parts' own (removed with them), for what a stage keeps on disk."""
        folder = self.folder / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        return folder

    def close(self) -> None:
        self.finish()
        self._remove()


def _texts(texts: Texts, plain: bool) -> pa.Array:
    """A field's text per record: plain strings, or a dictionary array of the part's distinct texts (its codes and
    texts as they are: no string is copied per record)."""
    uniques = texts.uniques if isinstance(texts.uniques, pa.Array) else pa.array(texts.uniques, type=pa.string())
    if plain:
        return uniques if texts.codes is None else uniques.take(pa.array(texts.codes))
    if texts.codes is None:
        return pc.dictionary_encode(uniques).cast(_DICTIONARY)
    return pa.DictionaryArray.from_arrays(pa.array(texts.codes, type=pa.int32()), uniques)
