"""Monthly reports from a file (CSV or .xlsx) or the page's form, checked row by row before anything is written.

Uses the upload machinery of twomountains.ingest for what is the same as for indicator data: reading
bytes (encodings, .xlsx, refused binary or oversized files), header normalisation, numbers with
full-width digits or a % sign, and the Problem type (row as the spreadsheet shows it, column, value).
A report row names a task (code t2_3, clause 二(二)3 or title), a unit (code or name), a month, a
status, the percent complete and three free texts; the messages are tasks.problem.<code>.
The fields, which are required and which are free text are data (data/ingest/kind_fields.csv, kind
task_reports), so are the header synonyms (the file kinds.csv names: data/tasks/report_headers.csv) and the
status names (data/tasks/status_aliases.csv).
"""
from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd

from twomountains.i18n import strings, t
from twomountains.ingest import controls, field_checks, kinds
from twomountains.ingest import problems as p
from twomountains.ingest.headers import normalise_header
from twomountains.ingest.numbers import NotANumber, is_blank, parse_number
from twomountains.ingest.reading import UnreadableFile, read_upload
from twomountains.paths import DATA_DIR
from twomountains.periods import PeriodError, parse_period
from twomountains.tasks import rules
from twomountains.tasks.book import TaskBook

KIND = "task_reports"
FIELDS = kinds.fields(KIND)
REQUIRED = kinds.required(KIND)
TEXT_FIELDS = kinds.with_role(KIND, "text")
MAX_TEXT = field_checks.parameter(KIND, "done", "max_length", "limit")   # the form's text boxes
CJK = re.compile(r"[\u3400-\u9fff]")
Stored = Callable[[list[tuple]], dict]   # keys -> {key: stored record}
RECORD_FIELDS = ["status", "percent_complete", "done_zh", "done_en", "problems_zh", "problems_en",
                 "next_step_zh", "next_step_en", "submitted_on", "quality"]


@cache
def header_synonyms(data_dir: Path = DATA_DIR) -> dict[str, str]:
    table = pd.read_csv(Path(data_dir) / kinds.kind(KIND, data_dir)["headers"], dtype=str, keep_default_na=False)
    mapping = {}
    for row in table.itertuples():
        if row.field not in FIELDS:
            raise ValueError(f"report_headers.csv: unknown field {row.field!r}")
        mapping[normalise_header(row.header)] = row.field
    return mapping


@cache
def status_aliases(data_dir: Path = DATA_DIR) -> dict[str, str]:
    table = pd.read_csv(Path(data_dir) / "tasks" / "status_aliases.csv", dtype=str, keep_default_na=False)
    return {_key(row.alias): row.status for row in table.itertuples()}


def _key(text) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", str(text)).strip().lower())


def field_of(header: str) -> str | None:
    key = normalise_header(header)
    known = header_synonyms()
    return known.get(key) or known.get(re.sub(r"\s*\([^)]*\)$", "", key))


def text_language(text: str) -> str:
    """zh when the text has Chinese characters, en otherwise."""
    return "zh" if CJK.search(text) else "en"


class Lookup:
    """Tasks and units by every name a person might write."""

    def __init__(self, book: TaskBook):
        self.book = book
        self.tasks: dict[str, str] = {}
        for task in book.tasks.itertuples():
            for name in (task.code, task.clause, task.title_zh, task.title_en, f"{task.clause}{task.title_zh}",
                         f"{task.clause} {task.title_zh}"):
                self.tasks[_key(name)] = task.code
        self.units: dict[str, str] = {}
        for code, unit in book.departments.iterrows():
            if unit.kind == "office":
                continue
            for name in (code, unit.name_zh, unit.short_zh, unit.name_en):
                self.units[_key(name)] = code
        self.members = {(r.task_code, r.unit_code) for r in book.units.itertuples()}

    def task(self, text) -> str | None:
        return self.tasks.get(_key(text))

    def unit(self, text) -> str | None:
        return self.units.get(_key(text))


@dataclass
class Row:
    """One checked report: its key, its record (as the database holds it) and its spreadsheet row."""
    row: int
    task_code: str
    unit_code: str
    month: str
    record: dict
    submitted_given: bool

    @property
    def key(self) -> tuple[str, str, str]:
        return self.task_code, self.unit_code, self.month


@dataclass
class Change:
    key: tuple[str, str, str]
    kind: str               # insert, update or unchanged
    old: dict | None
    new: dict


@dataclass
class ReportCheck(p.HasProblems):
    file_name: str | None
    sha256: str | None
    encoding: str | None = None
    file_type: str | None = None
    problems: list[p.Problem] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        out = {"insert": 0, "update": 0, "unchanged": 0}
        for change in self.changes:
            out[change.kind] += 1
        return out


def message(problem: p.Problem, lang: str) -> str:
    """The problem in words: tasks.problem.<code>, or the upload page's own message for reading problems."""
    params = {name: p._param_text(name, value, lang) for name, value in problem.params.items()}
    for prefix in ("tasks.problem.", "upload.problem."):
        if prefix + problem.code in strings(lang):
            try:
                return t(prefix + problem.code, lang, **params)
            except KeyError:
                break
    return t("tasks.problem.unreadable", lang, code=problem.code)


def problems_table(check: ReportCheck, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{"severity": x.severity, "row": x.row, "column": x.column, "value": x.value,
                          "message": message(x, lang)} for x in check.problems],
                        columns=["severity", "row", "column", "value", "message"])


def _parse_date(text: str) -> date | None:
    cleaned = unicodedata.normalize("NFKC", text).strip()
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?", cleaned)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


@dataclass
class _Context:
    """What the checks of the rows share: the task book, its lookups, the status words, today."""
    book: TaskBook
    lookup: Lookup
    aliases: dict[str, str]
    today: date
    last_month: object


class _Cells:
    """One row's cells and how to report a problem in one of them (the column as written)."""

    def __init__(self, number: int, cells: dict[str, str], columns: dict[str, str], problems: list[p.Problem]):
        self.number, self.cells, self.columns, self.problems = number, cells, columns, problems

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    def bad(self, code: str, name: str, **params) -> None:
        self.problems.append(p.error(code, self.number, self.columns.get(name, name), self.get(name), **params))


# The checks of a row's cells, their order and parameters are data/ingest/field_checks.csv (kind
# task_reports); the functions below are registered by name. Each gets the values found so far.
CHECKS = field_checks.Registry(KIND)


@CHECKS("known")
def _known(row: _Cells, name: str, values: dict, context: _Context, problem: str) -> str | None:
    """A task or unit as the book knows it (code, clause, title or name); `problem` says none matches."""
    found = getattr(context.lookup, name)(row.get(name))
    if found is None:
        row.bad(problem, name)
    return found


@CHECKS("unit_on_task")
def _unit_on_task(row: _Cells, name: str, values: dict, context: _Context) -> str | None:
    task, unit, book = values.get("task"), values.get(name), context.book
    if task and unit and (task, unit) not in context.lookup.members:
        names = book.units[book.units.task_code == task].unit_code
        row.bad("unit_not_on_task", name, task=task, units={
            "zh": "、".join(book.unit_name(c, "zh") for c in names),
            "en": "; ".join(book.unit_name(c, "en") for c in names)})
    return unit


@CHECKS("month")
def _month(row: _Cells, name: str, values: dict, context: _Context) -> str | None:
    try:
        period = parse_period(row.get(name))
    except PeriodError:
        row.bad("not_a_month", name)
        return None
    if period.kind != "M":
        row.bad("not_a_month", name)
    elif period < rules.FIRST_MONTH or period > rules.LAST_MONTH:
        row.bad("month_outside", name, first=str(rules.FIRST_MONTH), last=str(rules.LAST_MONTH))
    elif period > context.last_month:
        row.bad("month_future", name)
    else:
        return str(period)
    return None


@CHECKS("status")
def _status(row: _Cells, name: str, values: dict, context: _Context) -> str | None:
    status = context.aliases.get(_key(row.get(name)))
    if status is None:
        row.bad("unknown_status", name)
    return status


@CHECKS("percent")
def _percent(row: _Cells, name: str, values: dict, context: _Context, low: float, high: float) -> float | None:
    """Blank: 100 for a done task, 0 for one not started, else missing; otherwise a number in [low, high]."""
    status, text = values.get("status"), row.get(name)
    if is_blank(text):
        percent = {"done": 100.0, "not_started": 0.0}.get(status)
        if percent is None and status is not None:
            row.bad("percent_missing", name)
        return percent
    try:
        percent = parse_number(text).value
    except NotANumber:
        row.bad("percent_not_number", name)
        return None
    if not low <= percent <= high:
        row.bad("percent_range", name)
        return None
    return percent


@CHECKS("done_is_100")
def _done_is_100(row: _Cells, name: str, values: dict, context: _Context) -> float | None:
    if values.get("status") == "done" and values.get(name) is not None and values[name] != 100:
        row.bad("done_not_100", name)
    return values.get(name)


@CHECKS("max_length")
def _max_length(row: _Cells, name: str, values: dict, context: _Context, limit: int) -> str | None:
    text = (row.cells.get(name) or "").strip()
    if len(text) > limit:
        row.bad("text_too_long", name, limit=limit)
    return text or None


@CHECKS("date")
def _date(row: _Cells, name: str, values: dict, context: _Context) -> date | None:
    """The day the report was made: today when blank; not later than today nor before its month."""
    text = (row.cells.get(name) or "").strip()
    if not text:
        return None
    submitted = _parse_date(text)
    if submitted is None:
        row.bad("bad_date", name)
    elif submitted > context.today:
        row.bad("date_future", name)
    elif values.get("month") and submitted < rules.month(values["month"]).start_date:
        row.bad("date_before_month", name)
    return submitted


@CHECKS("delayed_needs_problems")
def _delayed_needs_problems(row: _Cells, name: str, values: dict, context: _Context) -> str | None:
    if values.get("status") == "delayed" and not values.get(name):
        row.problems.append(p.warning("delayed_without_problems", row.number, row.columns.get(name, name), ""))
    return values.get(name)


def check_records(records: list[tuple[int, dict[str, str]]], columns: dict[str, str], book: TaskBook,
                  today: date) -> tuple[list[Row], list[p.Problem]]:
    """Check rows given as (row number, {field: cell text}); `columns` names each field's column as written."""
    checks = CHECKS.plan()
    context = _Context(book, Lookup(book), status_aliases(), today,
                       min(rules.LAST_MONTH, parse_period(f"{today.year}-{today.month:02d}")))
    problems: list[p.Problem] = []
    rows: list[Row] = []
    seen: dict[tuple, int] = {}
    for number, cells in records:
        found = len(problems)
        row = _Cells(number, cells, columns, problems)
        values: dict = {}
        for declared, function in checks:
            values[declared.field] = function(row, declared.field, values, context, **declared.arguments)
        if len(problems) > found and any(x.is_error for x in problems[found:]):
            continue
        task, unit, month = values["task"], values["unit"], values["month"]
        key = (task, unit, month)
        if key in seen:
            problems.append(p.error("duplicate", number, columns.get("task"), cells.get("task", ""), first=seen[key]))
            continue
        seen[key] = number
        submitted_text = (cells.get("submitted_on") or "").strip()
        submitted = values["submitted_on"] if submitted_text else today
        record = {"status": values["status"], "percent_complete": float(values["percent_complete"]),
                  "submitted_on": submitted, "quality": "reported"}
        for name in TEXT_FIELDS:
            for lang in ("zh", "en"):
                record[f"{name}_{lang}"] = None
            if values[name]:
                record[f"{name}_{text_language(values[name])}"] = values[name]
        rows.append(Row(number, task, unit, month, record, bool(submitted_text)))
    return rows, problems


def compare(rows: list[Row], current: dict[tuple, dict], reports: pd.DataFrame) -> tuple[list[Change], list[p.Problem]]:
    """What the rows would change, and warnings about percentages that went down."""
    changes, warnings = [], []
    earlier = reports.sort_values("month")
    for row in rows:
        old = current.get(row.key)
        new = dict(row.record)
        if old is not None and not row.submitted_given:
            new["submitted_on"] = old["submitted_on"]   # a correction keeps the day the report first arrived
        kind = "insert" if old is None else "unchanged" if same_record(old, new) else "update"
        changes.append(Change(row.key, kind, old, new))
        before = earlier[(earlier.task_code == row.task_code) & (earlier.unit_code == row.unit_code)
                         & (earlier.month < row.month)]
        if not before.empty and float(before.percent_complete.iloc[-1]) > new["percent_complete"]:
            warnings.append(p.warning("percent_decreased", row.row, None, f"{new['percent_complete']:g}",
                                      previous=f"{float(before.percent_complete.iloc[-1]):g}",
                                      month=str(before.month.iloc[-1])))
    return changes, warnings


def same_record(old: dict, new: dict) -> bool:
    def norm(name, value):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if name == "submitted_on":
            return pd.Timestamp(value).date()
        if name == "percent_complete":
            return round(float(value), 6)
        return value
    return all(norm(name, old.get(name)) == norm(name, new.get(name)) for name in RECORD_FIELDS)


def read_file(data: bytes, file_name: str) -> tuple[ReportCheck, list[tuple[int, dict]], dict[str, str]]:
    """The file's rows as {field: text}; problems with the file or its header go into the check."""
    check = ReportCheck(file_name=file_name, sha256=hashlib.sha256(data).hexdigest())
    try:
        sheet = read_upload(data, file_name)
    except UnreadableFile as unreadable:
        check.problems.append(unreadable.problem)
        return check, [], {}
    check.encoding, check.file_type = sheet.encoding, sheet.file_type
    check.problems += sheet.notes
    if sheet.is_empty:
        check.problems.append(p.error("empty"))
        return check, [], {}
    lines = [(n, cells) for n, cells in sheet.rows if any(c.strip() for c in cells)]
    header_row, header = lines[0]
    columns: dict[str, str] = {}
    positions: dict[str, int] = {}
    unexpected = []
    for index, cell in enumerate(header):
        if not cell.strip():
            continue
        name = field_of(cell)
        if name is None:
            unexpected.append(cell.strip())
        elif name in positions:
            check.problems.append(p.error("column_twice", header_row, cell, cell, field=name))
        else:
            columns[name], positions[name] = cell.strip(), index
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        check.problems.append(p.error("missing_columns", header_row, None, None,
                                      missing={lang: ", ".join(t(f"tasks.field.{m}", lang) for m in missing)
                                               for lang in ("zh", "en")},
                                      unexpected=unexpected))
        return check, [], columns
    if unexpected:
        check.problems.append(p.warning("unexpected_columns", header_row, None, None, unexpected=unexpected))
    records = []
    for number, cells in lines[1:]:
        records.append((number, {name: (cells[i] if i < len(cells) else "") for name, i in positions.items()}))
    if not records:
        check.problems.append(p.error("no_rows"))
    return check, records, columns


def _finish(check: ReportCheck, records, columns, book: TaskBook, current: Stored, today: date) -> ReportCheck:
    rows, problems = check_records(records, columns, book, today)
    check.problems += problems
    check.rows = rows
    if not check.errors:
        check.changes, warnings = compare(rows, current([row.key for row in rows]), book.reports)
        check.problems += warnings
    return check


def check_file(data: bytes, file_name: str, book: TaskBook, current: Stored, today: date) -> ReportCheck:
    """Every row of a file checked; `current(keys)` gives the stored reports to compare with. Writes nothing."""
    check, records, columns = read_file(data, file_name)
    if check.errors:
        return check
    return _finish(check, records, columns, book, current, today)


def check_form(entry: dict[str, str], book: TaskBook, current: Stored, today: date) -> ReportCheck:
    """A report typed into the page's form: the same checks as a file of one row (row number None)."""
    check = ReportCheck(file_name=None, sha256=None)
    check.problems += controls.record_problems(None, entry)
    if check.errors:
        return check
    return _finish(check, [(None, entry)], {}, book, current, today)


def template(lang: str) -> pd.DataFrame:
    """An empty report file with the headers in one language and one example row."""
    headers = {field: t(f"tasks.field.{field}", lang) for field in FIELDS}
    example = {"task": "t2_3", "unit": "ecoenv", "month": "2022-06", "status": t("tasks.report_status.in_progress", lang),
               "percent_complete": "60", "done": t("tasks.template.done", lang),
               "problems": t("tasks.template.problems", lang), "next_step": t("tasks.template.next_step", lang),
               "submitted_on": "2022-07-04"}
    return pd.DataFrame([{headers[f]: example[f] for f in FIELDS}])


def today() -> date:
    """Today in Chongqing (reports are dated by the office's calendar)."""
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
