"""The read stage for a large plain CSV file: its cells as Arrow columns, without a Python object per cell.

`reading.read_upload` reads every file (its encodings, delimiters, Excel sheets and limits are the
rules). A long-format CSV file with no empty lines, the same number of cells on every line and quotes only
around whole cells (as Excel and DuckDB write them) is cut into cells by Arrow instead, exactly as Python's csv
reader would cut it: the text is decoded by `reading.decode_checked`, the delimiter found as `reading.read_csv`
finds it, the header rows read by `reading.read_csv` itself (so the layout stage sees the same header), and a
spreadsheet row number is then simply the line number. Anything else returns None and the file goes through
`read_upload`, which names what it finds (a control character, too many rows, a line too long, ...).

Each column comes out dictionary-encoded (an int32 index per line into the column's distinct texts): the
checks after this stage work once per distinct text, and a million-line file's cells take ~30 MB instead of
~90 MB. The limits are checked before Arrow parses anything: the size (as read_upload), the number of lines
(counted in the bytes) and the cells of the first line; a line longer than read_upload allows is found from
the longest cell of each column, and sends the file to read_upload, which refuses it while reading.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from twomountains.ingest import controls, reading

# A character Python's str.strip() keeps: not one of the characters str.isspace() names.
_NOT_SPACE = (r"[^\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}"
              r"\x{205f}\x{3000}]")
# The first lines, read by reading.read_csv for the layout stage: more than the rows it searches for a header
# (layout.HEADER_SEARCH_ROWS); a file whose header is not among them is read by read_upload.
HEAD_LINES = 64
MIN_LINES = 1000          # smaller files are read by reading.read_upload: there is nothing to win
SAMPLE_LINES = 16         # data lines among the first lines from which a column of mostly distinct texts is told
# The bytes of UTF-8 text that can start a control character as controls._CONTROL names them: the C0 controls
# but tab, line feed and carriage return (a lone CR is looked for on its own), DEL, and the lead bytes of the C1
# controls (U+0080-U+009F: C2 80-9F) and of the bidirectional overrides (U+202A-U+202E, U+2066-U+2069: E2 80/81).
_CONTROL_LEADS = bytes(b for b in range(256) if (b < 0x20 and b not in (0x09, 0x0A, 0x0D)) or b in (0x7F, 0xC2, 0xE2))
_NOT_CONTROL_LEADS = bytes(b for b in range(256) if b not in _CONTROL_LEADS)
# controls._CONTROL without its lone-CR part, in RE2's syntax (for text whose bytes hold one of the leads).
_CONTROL_RE2 = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x{9f}\x{202a}-\x{202e}\x{2066}-\x{2069}]"
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())


@dataclass
class ArrowSheet:
    head: reading.Sheet          # the first lines, as read_upload reads them (for the layout stage)
    table: pa.Table              # every line, a string column per cell position (most dictionary-encoded)
    lines: int
    non_blank: pa.Array | None = None     # non_blank_rows(table)


def _delimiter(text: str) -> str:
    # as reading.read_csv sniffs it
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def _has_control_characters(body: bytes) -> bool:
    """controls.has_control_characters for UTF-8 text without lone CRs, from its bytes: only a byte of
    _CONTROL_LEADS can start one; text that holds such a byte (Chinese text's “”, —, …) is searched exactly."""
    leads = body.translate(None, _NOT_CONTROL_LEADS)
    if not leads:
        return False
    if leads.strip(b"\xc2\xe2"):
        return True                    # a C0 control or DEL itself
    whole = pa.LargeStringArray.from_buffers(1, pa.py_buffer(pa.array([0, len(body)], pa.int64()).buffers()[1]),
                                             pa.py_buffer(body))
    return pc.any(pc.match_substring_regex(whole, _CONTROL_RE2)).as_py()


def _first_lines(body: bytes, count: int) -> bytes:
    """The bytes of the first `count` lines (without the line break after the last)."""
    end = -1
    for _ in range(count):
        end = body.find(b"\n", end + 1)
        if end < 0:
            return body
    return body[:end]


def _text(data: bytes) -> tuple[bytes, str, str] | None:
    """(the text as UTF-8 bytes, the encoding's name, its first 20,000 characters) as reading.decode_checked
    reads the file; None when it refuses it or guesses (read_upload says why or warns). Plain ASCII is UTF-8 as
    it stands: it is not decoded (a copy of the whole file) only to be encoded again."""
    if data.isascii():
        if reading._looks_binary(data):
            return None
        return data, "UTF-8", data[:20000].decode("ascii")
    try:
        text, encoding, notes = reading.decode_checked(data)
    except reading.UnreadableFile:
        return None                    # read_upload says why (mixed encodings, ...)
    if notes:
        return None                    # a guessed encoding: read_upload warns before the commit
    # The file's own bytes when it is UTF-8 (no copy of a large file).
    if encoding == "UTF-8":
        return data, encoding, text[:20000]
    if encoding == "UTF-8 (BOM)":
        return data[len(codecs.BOM_UTF8):], encoding, text[:20000]
    return text.encode("utf-8"), encoding, text[:20000]


def _mostly_distinct(lines: list[str], delimiter: str, width: int) -> set[int]:
    """The cell positions whose texts in the first lines are mostly distinct (a long file's values): Arrow reads
    them as plain strings, the others dictionary-encoded (how is a matter of speed only, not of what is read)."""
    rows = [line.split(delimiter) for line in lines[1:]]
    rows = [cells for cells in rows if len(cells) == width]
    if len(rows) < SAMPLE_LINES:
        return set()
    return {i for i in range(width) if len({cells[i] for cells in rows}) > len(rows) // 2}


def read(data: bytes, file_name: str) -> ArrowSheet | None:
    """The file as Arrow columns, or None when reading.read_upload must read it."""
    lower = file_name.lower()
    if (len(data) > reading.max_bytes() or data.startswith((reading.OLE_MAGIC, reading.XLSX_MAGIC))
            or lower.endswith((".xls", ".xlsx", ".xlsm"))):
        return None
    breaks = data.count(b"\n")
    if breaks < MIN_LINES or breaks > reading.max_rows() + 1:
        return None                    # read_upload reads it, or stops at the row limit and says so
    read_text = _text(data)
    if read_text is None:
        return None
    body, encoding, sample = read_text
    if b"\x00" in body or body.startswith((b"\n", b"\r")):
        return None
    newline = reading._newline(sample)
    carriage_returns = body.count(b"\r") if b"\r" in body else 0
    if carriage_returns and carriage_returns != body.count(b"\r\n"):
        return None                    # a lone CR: a control character, or old Mac line ends
    if _has_control_characters(body):
        return None                    # read_upload names each cell that holds one
    delimiter = _delimiter(sample)
    first_lines = _first_lines(body, HEAD_LINES).decode("utf-8").replace("\r\n", "\n").split("\n")
    width = len(first_lines[0].split(delimiter))
    if width > reading.MAX_COLUMNS:
        return None
    names = [f"c{i}" for i in range(width)]
    plain = _mostly_distinct(first_lines, delimiter, width)
    table = _parse(body, delimiter, names, plain)
    if table is None or table.num_rows > reading.max_rows() + 1:
        return None                    # a line with another number of cells, or more lines than read_upload reads
    table = _unquoted(table)
    if table is None or sum(_longest_cells(table)) + width - 1 > reading.MAX_LINE_CHARS:
        return None
    non_blank = non_blank_rows(table)
    # Arrow reads an empty line as a line of empty cells; the csv reader reads it as no cells (read_upload reads
    # such a file). Only a line without anything but blanks can be one: the bytes are searched only then.
    if not pc.all(non_blank).as_py() and (b"\n\n" in body or (carriage_returns and b"\n\r\n" in body)):
        return None
    head = reading.read_csv("\n".join(first_lines).encode("utf-8"))
    head.encoding, head.newline = encoding, newline
    if head.delimiter != delimiter:
        return None
    return ArrowSheet(head, table, table.num_rows, non_blank)


def _parse(body: bytes, delimiter: str, names: list[str], plain: set[int]) -> pa.Table | None:
    """The lines cut into cells by Arrow (as Python's csv reader would cut them, for the files read() takes);
    None for a line with another number of cells and the like."""
    try:
        return pa_csv.read_csv(
            io.BytesIO(body),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=4 << 20),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                              newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types={n: pa.string() if i in plain else _DICTIONARY for i, n in enumerate(names)},
                strings_can_be_null=False, check_utf8=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None


def _longest_cells(table: pa.Table) -> list[int]:
    """Each column's longest text in bytes: with the delimiters, at least the characters of the longest line."""
    return [pc.max(pc.binary_length(_distinct_texts(column))).as_py() or 0 for column in table.columns]


def _distinct_texts(column) -> pa.Array:
    """A column's dictionary, or the column itself when it is plain strings."""
    column = column.chunk(0) if isinstance(column, pa.ChunkedArray) else column
    return column.dictionary if isinstance(column, pa.DictionaryArray) else column


def _unquoted(table: pa.Table) -> pa.Table | None:
    """Each column as one array (dictionary-encoded or plain strings), its cells written in quotes ("", "bench
    upload") as the csv reader reads them; None if any cell has a quote in another form (a delimiter, a line
    break or a doubled quote inside quotes: read_upload reads it). A dictionary's quotes are looked at once per
    distinct text."""
    columns = []
    for column in table.columns:
        if pa.types.is_dictionary(column.type):
            column = column.unify_dictionaries().combine_chunks() if column.num_chunks != 1 else column.chunk(0)
        else:
            column = column.combine_chunks()
        texts = _distinct_texts(column)
        quoted = pc.match_substring(texts, '"')
        if pc.any(quoted).as_py():
            whole = pc.match_substring_regex(texts, r'^"[^"]*"$')
            if pc.any(pc.and_(quoted, pc.invert(whole))).as_py():
                return None
            texts = pc.if_else(whole, pc.utf8_slice_codeunits(texts, 1, -1), texts)
            column = _dictionary(column.indices, texts) if isinstance(column, pa.DictionaryArray) else texts
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def _dictionary(indices: pa.Array, texts: pa.Array) -> pa.DictionaryArray:
    """indices into texts that may repeat, as a dictionary array of distinct texts."""
    encoded = pc.dictionary_encode(texts)
    return pa.DictionaryArray.from_arrays(pc.take(encoded.indices, indices), encoded.dictionary)


def non_blank_rows(table: pa.Table) -> pa.Array:
    """Whether each line has a cell with something other than blanks (reading's `any(c.strip() ...)`). The
    dictionary-encoded columns are looked at first, once per distinct text; a column of plain strings only for
    the lines still blank."""
    n = table.num_rows
    mask = np.zeros(n, dtype=bool)
    plain = []
    for column in table.columns:
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
        if isinstance(column, pa.DictionaryArray):
            found = pc.match_substring_regex(column.dictionary, _NOT_SPACE).to_numpy(zero_copy_only=False)
            mask |= found[column.indices.to_numpy(zero_copy_only=False)]
        else:
            plain.append(column)
    for column in plain:
        blank = np.flatnonzero(~mask)
        if not len(blank):
            break
        found = pc.match_substring_regex(column.take(pa.array(blank)), _NOT_SPACE)
        mask[blank] = found.to_numpy(zero_copy_only=False)
    return pa.array(mask)
