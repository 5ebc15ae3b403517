"""The read stage for a large file, a part at a time: a large plain CSV file as Arrow tables of its lines, never
the whole file's bytes or cells at once.

`reading_arrow.read` cuts a file that is in memory into cells; this module makes the same cells from the file's
bytes as they come (from disk, or from the bytes of an upload), each part of about PART_BYTES cut at a line end,
so what is held at once is one part's bytes and cells (the next stages spread the cells over files on disk:
`series_parts`). It takes only the files `reading_arrow.read` would take *and* that are UTF-8 (with or without a
BOM; plain ASCII is UTF-8): every test `read` makes of the whole file is made of each part (a control character,
a lone CR, a line with another number of cells, a quote in another form, ...) or summed over the parts (the
number of lines, the longest line, an empty line). When a part fails one of them, or the file is in another
encoding, `NotInParts` is raised and the caller reads the file whole, as before: what is read in parts is read
exactly as `read` reads it (tests/test_upload_columnar.py compares the plans).
"""
from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from twomountains.ingest import reading
from twomountains.ingest import reading_arrow as whole

PART_BYTES = 8 << 20          # bytes of lines read, checked and cut into cells at once
HEAD_BYTES = 1 << 20          # the bytes the first lines (reading_arrow.HEAD_LINES) and the sample are read from
_SAMPLE_CHARACTERS = 20_000   # as reading_arrow._text's sample (the delimiter and the line ends are told from it)


class NotInParts(Exception):
    """The file is not one `reading_arrow.read` takes, or not UTF-8: it is read whole."""


@dataclass
class Part:
    table: pa.Table           # a string column per cell position, as reading_arrow.read's (without its first lines'
    first_line: int           # ... offset: the lines of the file before this part)
    non_blank: pa.Array       # reading_arrow.non_blank_rows(table)
    size: int                 # the part's bytes


class Source:
    """A file's bytes as they come: from disk (`of_path`) or from memory (`of_bytes`), with its size and digest."""

    def __init__(self, name: str, size: int, opener: Callable):
        self.name, self.size, self._open = name, size, opener
        self.sha256: str | None = None      # known once every part has been read (`parts`)

    @classmethod
    def of_path(cls, path) -> "Source":
        return cls(os.fspath(path), os.stat(path).st_size, lambda: open(path, "rb"))

    @classmethod
    def of_bytes(cls, name: str, data: bytes) -> "Source":
        import io
        return cls(name, len(data), lambda: io.BytesIO(data))

    def head(self, count: int) -> bytes:
        with self._open() as handle:
            return handle.read(count)

    def chunks(self, size: int | None = None) -> Iterator[bytes]:
        """The bytes in parts of about `size`, each ending at a line end (the last: where the file ends). The
        digest is made on the way; a file longer than reading.max_bytes() raises NotInParts (read whole, it is
        refused with the limit)."""
        size = size or PART_BYTES
        digest, total, rest, limit = hashlib.sha256(), 0, b"", reading.max_bytes()
        with self._open() as handle:
            while True:
                block = handle.read(size)
                total += len(block)
                if total > limit:
                    raise NotInParts("over the size limit")
                digest.update(block)
                if not block:
                    break
                data = rest + block if rest else block
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    rest = data          # a line longer than a part: the next block is added to it
                    continue
                rest = data[cut:]
                yield data[:cut]
        if rest:
            yield rest
        self.sha256 = digest.hexdigest()


@dataclass
class PartedFile:
    head: reading.Sheet       # the first lines, as reading_arrow.read's head (for the layout stage)
    parts: Iterator[Part]     # raises NotInParts when a part is not read as reading_arrow.read would read it


def open_parts(source: Source) -> PartedFile | None:
    """The file's first lines, and its parts as they are read; None when the file is not read in parts."""
    head_bytes = source.head(HEAD_BYTES)
    lower = source.name.lower()
    if (source.size > reading.max_bytes() or head_bytes.startswith((reading.OLE_MAGIC, reading.XLSX_MAGIC))
            or lower.endswith((".xls", ".xlsx", ".xlsm"))):
        return None
    bom = head_bytes.startswith(codecs.BOM_UTF8)
    if bom:
        encoding, head_bytes = "UTF-8 (BOM)", head_bytes[len(codecs.BOM_UTF8):]
    elif head_bytes.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or reading._looks_binary(head_bytes):
        return None
    else:
        encoding = "UTF-8"
    try:
        # complete characters only: the head may end inside one
        sample = codecs.getincrementaldecoder("utf-8")().decode(head_bytes)[:_SAMPLE_CHARACTERS]
    except UnicodeDecodeError:
        return None
    if b"\x00" in head_bytes or head_bytes.startswith((b"\n", b"\r")):
        return None
    first = whole._first_lines(head_bytes, whole.HEAD_LINES)
    if first is head_bytes and len(head_bytes) + len(codecs.BOM_UTF8) * bom < source.size:
        return None                    # the first lines are longer than the head: not a file of short lines
    try:
        first_lines = first.decode("utf-8").replace("\r\n", "\n").split("\n")
    except UnicodeDecodeError:
        return None
    delimiter = whole._delimiter(sample)
    width = len(first_lines[0].split(delimiter))
    if width > reading.MAX_COLUMNS:
        return None
    head = reading.read_csv("\n".join(first_lines).encode("utf-8"))
    head.encoding, head.newline = encoding, reading._newline(sample)
    if head.delimiter != delimiter:
        return None
    names = [f"c{i}" for i in range(width)]
    plain = whole._mostly_distinct(first_lines, delimiter, width)
    return PartedFile(head, _parts(source, bom, delimiter, names, plain))


def _parts(source: Source, bom: bool, delimiter: str, names: list[str], plain: set[int]) -> Iterator[Part]:
    breaks = lines = 0
    longest = [0] * len(names)
    blank_line = empty_line = False
    for index, body in enumerate(source.chunks()):
        if index == 0 and bom:
            body = body[len(codecs.BOM_UTF8):]
        breaks += body.count(b"\n")
        if not body.isascii():
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                raise NotInParts("not UTF-8") from None
        if b"\x00" in body:
            raise NotInParts("a NUL")
        carriage_returns = body.count(b"\r") if b"\r" in body else 0
        if carriage_returns and carriage_returns != body.count(b"\r\n"):
            raise NotInParts("a lone CR")
        if whole._has_control_characters(body):
            raise NotInParts("a control character")
        table = whole._parse(body, delimiter, names, plain)
        if table is None:
            raise NotInParts("cells Arrow does not cut as the csv reader")
        lines += table.num_rows
        if lines > reading.max_rows() + 1:
            raise NotInParts("over the row limit")
        table = whole._unquoted(table)
        if table is None:
            raise NotInParts("a quote inside a cell")
        longest = [max(a, b) for a, b in zip(longest, whole._longest_cells(table))]
        non_blank = whole.non_blank_rows(table)
        blank_line = blank_line or not pc.all(non_blank).as_py()
        # an empty line inside the part, or at its start (the part before ended with a line end)
        empty_line = empty_line or b"\n\n" in body or (carriage_returns and b"\n\r\n" in body) or (
            index > 0 and body.startswith((b"\n", b"\r\n")))
        yield Part(table, lines - table.num_rows, non_blank, len(body))
        del table, body
    if breaks < whole.MIN_LINES or breaks > reading.max_rows() + 1:
        raise NotInParts("too few or too many lines")
    if sum(longest) + len(longest) - 1 > reading.MAX_LINE_CHARS:
        raise NotInParts("a line over the limit")
    if blank_line and empty_line:
        raise NotInParts("an empty line")
