"""An uploaded file's bytes to rows of text, each with the row number a spreadsheet shows.

CSV files are decoded as UTF-8 (with or without BOM), then GB18030 (a superset of GBK, what Excel
writes on Chinese Windows), then whatever charset-normalizer finds most likely; the encoding used is
always reported. Excel files (.xlsx) are read with openpyxl. A file that cannot be read at all
(binary, corrupt, too large, an old .xls) raises UnreadableFile with a problem that says what to do.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field

from twomountains.ingest.problems import Problem, error, warning

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# An operator who loads large batches from the command line (a whole province's figures) raises the
# limits for that process; the defaults keep a browser upload within what one 2-core server holds well.
MAX_MB_ENV_VAR = "TWOMOUNTAINS_UPLOAD_MAX_MB"
MAX_ROWS_ENV_VAR = "TWOMOUNTAINS_UPLOAD_MAX_ROWS"


def max_bytes() -> int:
    return int(float(os.environ.get(MAX_MB_ENV_VAR) or MAX_BYTES / 1024 / 1024) * 1024 * 1024)


def max_rows() -> int:
    return int(os.environ.get(MAX_ROWS_ENV_VAR) or MAX_ROWS)
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
    """Read a CSV or .xlsx upload; raises UnreadableFile for what cannot be read."""
    if len(data) > max_bytes():
        raise UnreadableFile(error("too_large", size_mb=round(len(data) / 1024 / 1024, 1),
                                   limit_mb=round(max_bytes() / 1024 / 1024, 1)))
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
    """The text and the name of the encoding it was decoded with."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8"), "UTF-8 (BOM)"
        except UnicodeDecodeError:
            raise UnreadableFile(error("undecodable")) from None
    for bom, name in ((codecs.BOM_UTF16_LE, "UTF-16LE"), (codecs.BOM_UTF16_BE, "UTF-16BE")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(name.lower().replace("utf-", "utf_")), "UTF-16 (BOM)"
            except UnicodeDecodeError:
                raise UnreadableFile(error("undecodable")) from None
    if _looks_binary(data):
        raise UnreadableFile(error("binary"))
    for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030 (GBK)")):
        try:
            return data.decode(codec), name
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is None:
        raise UnreadableFile(error("undecodable"))
    return str(best), best.encoding


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
    text, encoding = decode(data)
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
            rows.append((number, [cell.replace("\x00", "") for cell in cells]))
    except csv.Error as problem:
        raise UnreadableFile(error("bad_csv", detail=str(problem))) from None
    return Sheet("csv", rows, encoding=encoding, newline=_newline(sample), delimiter=delimiter)


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


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    except Exception as problem:  # openpyxl raises many kinds for a damaged or foreign zip
        raise UnreadableFile(error("corrupt_xlsx", detail=type(problem).__name__)) from None
    chosen, others = None, []
    for sheet in workbook.worksheets:
        has_data = any(cell is not None and str(cell).strip()
                       for row in sheet.iter_rows(values_only=True) for cell in row)
        if not has_data:
            continue
        if chosen is None:
            chosen = sheet
        else:
            others.append(sheet.title)
    if chosen is None:
        return Sheet("xlsx", [])
    if chosen.max_row > max_rows() + 1:
        raise UnreadableFile(error("too_many_rows", limit=max_rows()))
    rows = []
    for number, values in enumerate(chosen.iter_rows(min_row=1, max_row=chosen.max_row, values_only=True), start=1):
        rows.append((number, [cell_text(v) for v in values]))
    notes = [warning("other_sheets_ignored", sheet=chosen.title, others=others)] if others else []
    return Sheet("xlsx", rows, sheet_name=chosen.title, notes=notes)
