"""The read stage for a large plain CSV file: its cells as Arrow columns, without a Python object per cell.

`reading.read_upload` reads every file (its encodings, delimiters, Excel sheets and limits are the
rules). A long-format CSV file with no empty lines, the same number of cells on every line and quotes only
around whole cells (as Excel and DuckDB write them) is cut into cells by Arrow instead, exactly as Python's csv reader would cut it: the text is
decoded by `reading.decode`, the delimiter found as `reading.read_csv` finds it, the header rows read
by `reading.read_csv` itself (so the layout stage sees the same header), and a spreadsheet row number
is then simply the line number. Anything else returns None and the file goes through `read_upload`.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

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


@dataclass
class ArrowSheet:
    head: reading.Sheet          # the first lines, as read_upload reads them (for the layout stage)
    table: pa.Table              # every line, one string column per cell position
    lines: int


def _delimiter(text: str) -> str:
    # as reading.read_csv sniffs it
    try:
        return csv.Sniffer().sniff(text[:20000], delimiters=",\t;|").delimiter
    except csv.Error:
        return ","


def read(data: bytes, file_name: str) -> ArrowSheet | None:
    """The file as Arrow columns, or None when reading.read_upload must read it."""
    lower = file_name.lower()
    if (len(data) > reading.max_bytes() or data.startswith((reading.OLE_MAGIC, reading.XLSX_MAGIC))
            or lower.endswith((".xls", ".xlsx", ".xlsm")) or data.count(b"\n") < MIN_LINES):
        return None
    try:
        text, encoding, notes = reading.decode_checked(data)
    except reading.UnreadableFile:
        return None                    # read_upload says why (mixed encodings, ...)
    if notes or "\x00" in text or text.startswith(("\n", "\r")):
        return None                    # a guessed encoding: read_upload warns before the commit
    if controls.has_control_characters(text.replace("\r\n", "\n")):
        return None                    # read_upload names each cell that holds one
    newline = reading._newline(text[:20000])
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    if "\n\n" in text:
        return None
    delimiter = _delimiter(text)
    first_lines = text.split("\n", HEAD_LINES)[:HEAD_LINES]
    width = len(first_lines[0].split(delimiter))
    names = [f"c{i}" for i in range(width)]
    try:
        table = pa_csv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pa_csv.ReadOptions(column_names=names, block_size=16 << 20),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char=False, double_quote=False,
                                              newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                  strings_can_be_null=False, check_utf8=False))
    except (pa.ArrowInvalid, pa.ArrowException):
        return None                    # a line with another number of cells, and the like
    if table.num_rows > reading.max_rows() + 1:
        return None                    # read_upload says so, with the limit
    table = _unquoted(table)
    if table is None:
        return None
    head = reading.read_csv("\n".join(first_lines).encode("utf-8"))
    head.encoding, head.newline = encoding, newline
    if head.delimiter != delimiter:
        return None
    return ArrowSheet(head, table, table.num_rows)


def _unquoted(table: pa.Table) -> pa.Table | None:
    """Cells written in quotes ("", "bench upload") as the csv reader reads them; None if any cell has a
    quote in another form (a delimiter, a line break or a doubled quote inside quotes: read_upload reads it)."""
    columns = []
    for column in table.columns:
        column = column.combine_chunks()
        quoted = pc.match_substring(column, '"')
        if not pc.any(quoted).as_py():
            columns.append(column)
            continue
        whole = pc.match_substring_regex(column, r'^"[^"]*"$')
        if pc.any(pc.and_(quoted, pc.invert(whole))).as_py():
            return None
        columns.append(pc.if_else(whole, pc.utf8_slice_codeunits(column, 1, -1), column))
    return pa.table(columns, names=table.column_names)


def non_blank_rows(table: pa.Table) -> pa.Array:
    """Whether each line has a cell with something other than blanks (reading's `any(c.strip() ...)`)."""
    mask = None
    for column in table.columns:
        found = pc.match_substring_regex(column, _NOT_SPACE)
        mask = found if mask is None else pc.or_(mask, found)
    return mask
