"""An uploaded file's bytes to rows of text, each with the row number a spreadsheet shows.

CSV files are decoded as UTF-8 (with or without BOM), then GB18030 (a superset of GBK, what Excel
writes on Chinese Windows), then whatever charset-normalizer finds most likely; the encoding used is
always reported, and a guessed one (charset-normalizer's) is a warning shown before commit. A file whose
lines are not all in one encoding (UTF-8 lines and GBK lines) is refused, naming the rows that differ
(encodings.py). Excel files (.xlsx) are read with openpyxl. A file that cannot be read at all
(binary, corrupt, too large, an old .xls) raises UnreadableFile with a problem that says what to do.

Every reader stops at its limits while reading (docs/data-formats.md, Limits): the file's size (the
command line reads at most one byte more than the limit, read_file), a workbook's uncompressed size
(checked from the zip directory before openpyxl opens it), rows (an .xlsx is streamed in read-only
mode and reading stops at the first row past the limit), columns per row and characters per line.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

from twomountains.ingest import controls, encodings
from twomountains.ingest.problems import Problem, error, warning

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 500            # the widest real layout (a wide file, a column per month for years) has < 100
MAX_LINE_CHARS = 100_000     # a CSV line: 500 columns of 200 characters
UNPACKED_RATIO = 5           # a workbook may unpack to 5x the file size limit (real .xlsx: 3-10x their size)
# An operator who loads large batches from the command line (a whole province's figures) raises the
# limits for that process; the defaults keep a browser upload within what one 2-core server holds well.
MAX_MB_ENV_VAR = "TWOMOUNTAINS_UPLOAD_MAX_MB"
MAX_ROWS_ENV_VAR = "TWOMOUNTAINS_UPLOAD_MAX_ROWS"


def max_bytes() -> int:
    return int(float(os.environ.get(MAX_MB_ENV_VAR) or MAX_BYTES / 1024 / 1024) * 1024 * 1024)


def max_rows() -> int:
    return int(os.environ.get(MAX_ROWS_ENV_VAR) or MAX_ROWS)


def max_unpacked_bytes() -> int:
    return max_bytes() * UNPACKED_RATIO


def _too_large(size: int) -> UnreadableFile:
    return UnreadableFile(error("too_large", size_mb=round(size / 1024 / 1024, 1),
                                limit_mb=round(max_bytes() / 1024 / 1024, 1)))


def read_file(path: str | os.PathLike) -> bytes:
    """A file's bytes for the command line, never more than the limit: the size is checked first and
    at most one byte past the limit is read (a file that grows meanwhile, or a device, is stopped too)."""
    limit = max_bytes()
    size = os.stat(path).st_size
    if size > limit:
        raise _too_large(size)
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise _too_large(max(size, len(data)))
    return data


XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office binary files)


class UnreadableFile(Exception):
    """The file could not be read as a table; `problem` names why and what to do."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Sheet:
    """Rows of cell texts; `rows` pairs each spreadsheet row number with its cells."""
    file_type: str                      # csv or xlsx
    rows: list[tuple[int, list[str]]]
    encoding: str | None = None         # for CSV: the encoding the text was decoded with
    newline: str | None = None          # for CSV: CRLF, LF or CR
    delimiter: str | None = None
    sheet_name: str | None = None       # for xlsx
    notes: list[Problem] = field(default_factory=list)  # warnings about reading (e.g. other sheets ignored)

    @property
    def is_empty(self) -> bool:
        return not any(any(cell.strip() for cell in cells) for _, cells in self.rows)


def read_upload(data: bytes, file_name: str) -> Sheet:
    """Read a CSV or .xlsx upload; raises UnreadableFile for what cannot be read. A cell with a control
    character is an error in the sheet's notes (controls.py)."""
    sheet = _read(data, file_name)
    sheet.notes += controls.sheet_problems(sheet.rows)
    return sheet


def _read(data: bytes, file_name: str) -> Sheet:
    if len(data) > max_bytes():
        raise _too_large(len(data))
    lower = file_name.lower()
    if data.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise UnreadableFile(error("legacy_excel"))
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if lower.endswith((".xlsx", ".xlsm")):
        if not data:
            return Sheet("xlsx", [])
        raise UnreadableFile(error("corrupt_xlsx"))
    return read_csv(data)


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of the encoding it was decoded with (see decode_checked for the warnings)."""
    text, name, _ = decode_checked(data)
    return text, name


def decode_checked(data: bytes) -> tuple[str, str, list[Problem]]:
    """The text, the encoding's name, and warnings (a guessed encoding); refuses a file of mixed encodings."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 (BOM)", []
        except UnicodeDecodeError:
            mixed = encodings.mixed_lines(data[len(codecs.BOM_UTF8):])
            if mixed:
                raise UnreadableFile(encodings.mixed_problem(mixed)) from None
            raise UnreadableFile(error("undecodable")) from None
    for bom, name in ((codecs.BOM_UTF16_LE, "UTF-16LE"), (codecs.BOM_UTF16_BE, "UTF-16BE")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.lower().replace("utf-", "utf_")), "UTF-16 (BOM)", []
            except UnicodeDecodeError:
                raise UnreadableFile(error("undecodable")) from None
    if _looks_binary(data):
        raise UnreadableFile(error("binary"))
    try:
        return data.decode("utf-8"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    # Not UTF-8 as a whole: lines that are UTF-8 (with Chinese or other non-ASCII text) beside lines that
    # are not mean two files were pasted together; any single guess would store one part as mojibake.
    mixed = encodings.mixed_lines(data)
    if mixed:
        raise UnreadableFile(encodings.mixed_problem(mixed))
    try:
        return data.decode("gb18030"), "GB18030 (GBK)", []
    except UnicodeDecodeError:
        pass
    guessed = encodings.guess(data)
    if guessed is None:
        raise UnreadableFile(error("undecodable"))
    text, name = guessed
    return text, name, [warning("guessed_encoding", encoding=name)]


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    return bool(sample) and controls / len(sample) > 0.05


def _newline(text: str) -> str | None:
    if "\r\n" in text:
        return "CRLF"
    if "\n" in text:
        return "LF"
    if "\r" in text:
        return "CR"
    return None


def read_csv(data: bytes) -> Sheet:
    if not data.strip():
        return Sheet("csv", [])
    text, encoding, notes = decode_checked(data)
    long_line = re.search(r"[^\r\n]{%d}" % (MAX_LINE_CHARS + 1), text)
    if long_line:
        raise UnreadableFile(error("line_too_long", row=text.count("\n", 0, long_line.start()) + 1,
                                   limit=MAX_LINE_CHARS))
    sample = text[:20000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",\t;|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    limit = max_rows()
    try:
        for number, cells in enumerate(reader, start=1):
            if number > limit + 1:
                raise UnreadableFile(error("too_many_rows", limit=limit))
            if len(cells) > MAX_COLUMNS:
                raise UnreadableFile(error("too_many_columns", row=number, limit=MAX_COLUMNS))
            rows.append((number, [cell.replace("\x00", "") for cell in cells]))
    except csv.Error as problem:
        raise UnreadableFile(error("bad_csv", detail=str(problem))) from None
    return Sheet("csv", rows, encoding=encoding, newline=_newline(sample), delimiter=delimiter, notes=notes)


def cell_text(value) -> str:
    """What the cell shows, as text: whole numbers without '.0', dates as the month they name."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        if value.day == 1 and value.time() == dt.time(0):
            return f"{value.year}-{value.month:02d}"
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return f"{value.year}-{value.month:02d}" if value.day == 1 else value.isoformat()
    return str(value)


def _check_unpacked_size(data: bytes) -> None:
    """Refuse a workbook whose parts unpack to more than the limit, from the zip directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as problem:
        raise UnreadableFile(error("corrupt_xlsx", detail=type(problem).__name__)) from None
    if unpacked > max_unpacked_bytes():
        raise UnreadableFile(error("too_large_unpacked", size_mb=round(unpacked / 1024 / 1024),
                                   limit_mb=round(max_unpacked_bytes() / 1024 / 1024)))


def _streamed_rows(sheet, limit: int):
    """(row number, values) of a read-only sheet, refusing rows past `limit` and cells past MAX_COLUMNS while
    reading. The sheet's stated dimensions are ignored: a forged "A1:XFD1048576" would pad every row."""
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limit:
            raise UnreadableFile(error("too_many_rows", limit=limit - 1))
        if len(values) > MAX_COLUMNS:
            values = _trimmed(values)
            if len(values) > MAX_COLUMNS:
                raise UnreadableFile(error("too_many_columns", row=number, limit=MAX_COLUMNS))
        yield number, values


def _trimmed(values) -> tuple:
    end = len(values)
    while end and (values[end - 1] is None or not str(values[end - 1]).strip()):
        end -= 1
    return tuple(values[:end])


def _has_data(values) -> bool:
    return any(cell is not None and str(cell).strip() for cell in values)


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook
    _check_unpacked_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as problem:  # openpyxl raises many kinds for a damaged or foreign zip
        raise UnreadableFile(error("corrupt_xlsx", detail=type(problem).__name__)) from None
    try:
        return _read_workbook(workbook)
    except UnreadableFile:
        raise
    except Exception as problem:  # a damaged sheet shows itself only while it is streamed
        raise UnreadableFile(error("corrupt_xlsx", detail=type(problem).__name__)) from None
    finally:
        workbook.close()


def _read_workbook(workbook) -> Sheet:
    limit = max_rows() + 1
    chosen, rows, others = None, [], []
    for sheet in workbook.worksheets:
        if chosen is None:
            kept = [(number, values) for number, values in _streamed_rows(sheet, limit)]
            if any(_has_data(values) for _, values in kept):
                chosen, rows = sheet, kept
        elif any(_has_data(values) for _, values in _streamed_rows(sheet, limit)):
            others.append(sheet.title)
    if chosen is None:
        return Sheet("xlsx", [])
    # As openpyxl's normal mode gave them: every row as wide as the widest, up to its last cell with data.
    last = max((len(_trimmed(values)) for _, values in rows), default=0)
    rows = [(number, [cell_text(v) for v in values[:last]] + [""] * (last - len(values[:last])))
            for number, values in rows]
    while rows and not any(cell.strip() for cell in rows[-1][1]):
        rows.pop()
    notes = [warning("other_sheets_ignored", sheet=chosen.title, others=others)] if others else []
    return Sheet("xlsx", rows, sheet_name=chosen.title, notes=notes)
