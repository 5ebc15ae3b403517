"""A plan workbook: a new plan's record and its targets, uploaded by an admin (issue 14).

One sheet (CSV or the first sheet of an Excel file), Chinese or English headers
(data/ingest/plan_headers.csv), in two parts:

    项目 | 内容                      field | value           <- the plan's record, one field a row
    规划代码 | green_2030             plan_code | green_2030
    ...
    (blank row)
    指标代码 | 目标类型 | 目标值 | ...  indicator_code | target_type | target_value | ...   <- its targets

A target that names an indicator the dashboard does not know is an error unless its row also gives the
indicator's definition (the 新指标… / indicator_name_zh… columns): then the indicator is added with it.
check() reads and checks everything and works out the changes; commit() writes them in one transaction
with the upload's history and revisions (kind `plan`); rollback() puts back what was there before.
The default plan cannot be uploaded: its targets are the indicator catalog's (upload the catalog).
"""
from __future__ import annotations

import hashlib
import json
import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.errors

from twomountains.access import Database
from twomountains.database import read_sql
from twomountains.ingest import kinds
from twomountains.ingest import problems as p
from twomountains.ingest import store as upload_store
from twomountains.ingest.reading import UnreadableFile, read_upload
from twomountains.paths import DATA_DIR
from twomountains.plans import goals as plan_goals
from twomountains.plans import records

KIND = "plan"
# The workbook's parts and fields, which are required and which are numbers: data/ingest/kind_fields.csv.
RECORD_FIELDS = kinds.fields(KIND, "record")
TARGET_FIELDS = kinds.fields(KIND, "target")
DEFINITION_FIELDS = kinds.fields(KIND, "definition")
REQUIRED_RECORD = kinds.required(KIND, "record")
NUMERIC = kinds.with_role(KIND, "number")
INSERT, UPDATE, UNCHANGED, DELETE = "insert", "update", "unchanged", "delete"


def _header_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The header synonyms of the file kinds.csv names for plan workbooks (data/ingest/plan_headers.csv)."""
    return pd.read_csv(Path(data_dir) / kinds.kind(KIND, data_dir)["headers"], dtype=str, keep_default_na=False)


@lru_cache(maxsize=None)
def _headers(data_dir: Path = DATA_DIR) -> dict[str, str]:
    frame = _header_table(data_dir)
    return {_key(row.header): row.field for row in frame.itertuples()}


def header_for(field_name: str, lang: str, data_dir: Path = DATA_DIR) -> str:
    frame = _header_table(data_dir)
    rows = frame[(frame.field == field_name) & (frame.lang == lang)]
    return rows.header.iloc[0]


def _key(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def _cell(text: str, numeric: bool = False) -> str | None:
    text = unicodedata.normalize("NFKC", text).strip() if numeric else str(text).strip()
    return (text.replace(",", "") if numeric else text) or None


@dataclass(frozen=True)
class ItemChange:
    item: str               # plan, target or indicator
    key: str                # plan code, plan/indicator, indicator code
    kind: str               # insert, update, unchanged or delete
    old: dict | None
    new: dict | None


@dataclass
class PlanWorkbook(p.HasProblems):
    file_name: str
    sha256: str
    encoding: str | None = None
    record: dict | None = None
    targets: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None     # new indicators the workbook defines
    problems: list[p.Problem] = field(default_factory=list)
    changes: list[ItemChange] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return not self.errors and self.record is not None

    @property
    def writes(self) -> int:
        return sum(c.kind != UNCHANGED for c in self.changes)

    def counts(self) -> dict[str, int]:
        return {kind: sum(c.kind == kind for c in self.changes) for kind in (INSERT, UPDATE, UNCHANGED, DELETE)}


# --- reading ---------------------------------------------------------------------------------------
def _split(rows: list[tuple[int, list[str]]], result: PlanWorkbook):
    """(record rows, target header row, target rows) from the sheet's rows."""
    headers = _headers()
    record_rows, target_header, target_rows = [], None, []
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        first = headers.get(_key(cells[0]))
        if target_header is None and first == "indicator_code":
            target_header = (number, cells)
        elif target_header is None:
            if first == "section_field":
                continue
            record_rows.append((number, cells))
        else:
            target_rows.append((number, cells))
    return record_rows, target_header, target_rows


def _read_record(rows, result: PlanWorkbook) -> dict:
    headers = _headers()
    record: dict = {name: None for name in RECORD_FIELDS}
    result.record_rows = {}
    for number, cells in rows:
        name = headers.get(_key(cells[0]))
        if name not in RECORD_FIELDS:
            result.problems.append(p.error("plan_unknown_field", number, cells[0], cells[0]))
            continue
        record[name] = _cell(cells[1] if len(cells) > 1 else "", name in NUMERIC)
        result.record_rows[name] = number
    for name in REQUIRED_RECORD:
        if record[name] is None:
            result.problems.append(p.error("plan_missing_field", result.record_rows.get(name),
                                           header_for(name, "zh") + " / " + header_for(name, "en")))
    return record


def _read_targets(header, rows, result: PlanWorkbook) -> pd.DataFrame:
    headers = _headers()
    number, cells = header
    fields = [headers.get(_key(c)) for c in cells]
    result.target_columns = {f: cells[i].strip() for i, f in enumerate(fields) if f}
    unexpected = [cells[i].strip() for i, f in enumerate(fields)
                  if cells[i].strip() and f not in TARGET_FIELDS + DEFINITION_FIELDS]
    if unexpected:
        result.problems.append(p.warning("unexpected_columns", number, unexpected=unexpected))
    missing = [f for f in TARGET_FIELDS if f not in fields and f not in ("clause", "reading_en", "goal_group")]
    if missing:
        result.problems.append(p.error("plan_missing_columns", number, missing=[
            header_for(f, "zh") + " / " + header_for(f, "en") for f in missing]))
        return pd.DataFrame()
    out = []
    for row_number, row_cells in rows:
        values = {"_row": row_number}
        for i, name in enumerate(fields):
            if name in TARGET_FIELDS + DEFINITION_FIELDS:
                values[name] = _cell(row_cells[i] if i < len(row_cells) else "", name in NUMERIC)
        out.append(values)
    return pd.DataFrame(out, columns=["_row", *TARGET_FIELDS, *DEFINITION_FIELDS])


# --- checking --------------------------------------------------------------------------------------
def _schema_problems(failure: pandera.errors.SchemaErrors, rows: list, columns: dict) -> list[p.Problem]:
    out, seen = [], set()
    for case in failure.failure_cases.itertuples():
        position = None if case.index is None or pd.isna(case.index) else int(case.index)
        column = case.column if isinstance(case.column, str) else None
        if (position, column) in seen:
            continue
        seen.add((position, column))
        row = rows[position] if position is not None and position < len(rows) else None
        value = None if case.failure_case is None or (isinstance(case.failure_case, float)
                                                      and math.isnan(case.failure_case)) else str(case.failure_case)
        out.append(p.error("plan_invalid", row, columns.get(column, column), value, check=str(case.check)))
    return out


def _stored(con) -> dict:
    return {
        "plans": con.execute(read_sql("plans")).df(),
        "targets": con.execute(read_sql("plan_targets_all")).df(),
        "indicators": con.execute("SELECT code FROM indicators").df(),
        "groups": con.execute("SELECT code FROM goal_groups").df().code.tolist(),
    }


def _check(result: PlanWorkbook, rows, con) -> PlanWorkbook:
    record_rows, target_header, target_rows = _split(rows, result)
    record = _read_record(record_rows, result)
    if target_header is None:
        result.problems.append(p.error("plan_no_targets", None, header_for("indicator_code", "zh")))
        return result
    targets = _read_targets(target_header, target_rows, result)
    if result.errors:
        return result
    if targets.empty:
        result.problems.append(p.error("plan_no_targets", target_header[0], header_for("indicator_code", "zh")))
        return result
    stored = _stored(con)
    default = plan_goals.default_plan(stored["plans"])
    if record["code"] == default:
        result.problems.append(p.error("plan_is_default", result.record_rows.get("code"), "code", record["code"]))
        return result
    existing = stored["plans"].set_index("code")
    record_frame = pd.DataFrame([{
        **record, "has_tasks": record["has_tasks"] or "false",
        "source_zh": record["source_zh"] or "", "source_en": record["source_en"] or "",
        "issuer_zh": record["issuer_zh"] or "", "issuer_en": record["issuer_en"] or "",
        "certainty_note_zh": record["certainty_note_zh"] or "", "certainty_note_en": record["certainty_note_en"] or "",
        "order": int(existing.loc[record["code"], "order"]) if record["code"] in existing.index
        else int(stored["plans"]["order"].max()) + 1,
        "is_default": "false"}])[list(records.PLANS.columns)]
    try:
        checked_record = records.validate_plans(record_frame, records.PLAN_RECORD).iloc[0].to_dict()
    except pandera.errors.SchemaErrors as failure:
        for problem in _schema_problems(failure, [None], {}):
            name = problem.column
            result.problems.append(p.error("plan_invalid", result.record_rows.get(name), name, problem.value,
                                           check=problem.params["check"]))
        return result
    others = stored["plans"][stored["plans"].code != record["code"]]
    for name in ("name_zh", "name_en"):  # names are unique among all plans
        if checked_record[name] in set(others[name]):
            result.problems.append(p.error("plan_name_taken", result.record_rows.get(name), name,
                                           checked_record[name]))
    if result.errors:
        return result
    # Duplicate rows, unknown groups, unknown indicators (with or without a definition).
    numbers = targets["_row"].tolist()
    known = set(stored["indicators"].code)
    for position in targets.index[targets.indicator_code.duplicated()]:
        result.problems.append(p.error("plan_duplicate_indicator", numbers[position],
                                       result.target_columns["indicator_code"], targets.indicator_code[position]))
    definitions = targets[~targets.indicator_code.isin(known) & targets.indicator_code.notna()]
    new_indicators = []
    for row in definitions.itertuples():
        given = {f: getattr(row, f) for f in DEFINITION_FIELDS}
        if not all(given[f] for f in DEFINITION_FIELDS if f != "lead_units"):
            result.problems.append(p.error("plan_unknown_indicator", row._1, result.target_columns["indicator_code"],
                                           row.indicator_code, fields=", ".join(
                                               header_for(f, "zh") + " / " + header_for(f, "en")
                                               for f in DEFINITION_FIELDS if not given[f] and f != "lead_units")))
            continue
        new_indicators.append({"code": row.indicator_code, "name_zh": given["indicator_name_zh"],
                               "name_en": given["indicator_name_en"], "unit": given["unit"],
                               "goal_group": row.goal_group, "category": given["category"],
                               "direction": row.direction, "aggregation": given["aggregation"],
                               "lead_units": given["lead_units"] or "leading_group_office",
                               "definition_zh": given["definition_zh"], "definition_en": given["definition_en"],
                               "_row": row._1})
    if result.errors:
        return result
    checked_indicators = pd.DataFrame(columns=records.PLAN_INDICATOR_COLUMNS)
    if new_indicators:
        frame = pd.DataFrame(new_indicators)
        try:
            checked_indicators = records.validate_plan_indicators(frame[records.PLAN_INDICATOR_COLUMNS])
        except pandera.errors.SchemaErrors as failure:
            columns = {"name_zh": result.target_columns.get("indicator_name_zh"),
                       **{f: result.target_columns.get(f) for f in DEFINITION_FIELDS + TARGET_FIELDS}}
            result.problems += _schema_problems(failure, frame._row.tolist(), columns)
            return result
    target_frame = targets.assign(plan_code=checked_record["code"],
                                  goal_group=targets.goal_group.fillna("")).rename(columns={})
    target_frame["clause"] = target_frame.clause.fillna("")
    target_frame["reading_zh"] = target_frame.reading_zh.fillna("")
    target_frame["reading_en"] = target_frame.reading_en.fillna("")
    target_frame = target_frame[list(records.PLAN_TARGETS.columns)]
    try:
        checked_targets = records.PLAN_TARGETS.validate(target_frame, lazy=True)
    except pandera.errors.SchemaErrors as failure:
        result.problems += _schema_problems(failure, numbers, result.target_columns)
        return result
    groups = set(stored["groups"])
    for position, group in enumerate(checked_targets.goal_group):
        if group not in groups:
            result.problems.append(p.error("plan_unknown_group", numbers[position],
                                           result.target_columns.get("goal_group", "goal_group"), group,
                                           groups=", ".join(sorted(groups))))
    if result.errors:
        return result
    result.record, result.targets, result.indicators = checked_record, checked_targets, checked_indicators
    result.changes = _changes(checked_record, checked_targets, checked_indicators, stored)
    return result


def _plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return value


def _row_dict(row: dict) -> dict:
    return {k: _plain(v) for k, v in row.items()}


def _same(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return a is b
    for name in b:
        x, y = a.get(name), b.get(name)
        if isinstance(x, (int, float)) and isinstance(y, (int, float)):
            if not math.isclose(float(x), float(y), rel_tol=1e-12):
                return False
        elif (x or None) != (y or None):
            return False
    return True


def _changes(record: dict, targets: pd.DataFrame, indicators: pd.DataFrame, stored: dict) -> list[ItemChange]:
    changes = []
    plans = stored["plans"].set_index("code", drop=False)
    new_record = _row_dict(record)
    old_record = _row_dict(plans.loc[record["code"]].to_dict()) if record["code"] in plans.index else None
    changes.append(ItemChange("plan", record["code"], INSERT if old_record is None else
                              UNCHANGED if _same(old_record, new_record) else UPDATE, old_record, new_record))
    for row in indicators.to_dict("records"):
        changes.append(ItemChange("indicator", row["code"], INSERT, None, _row_dict(row)))
    old_targets = stored["targets"][stored["targets"].plan_code == record["code"]]
    old_by_code = {r["indicator_code"]: _row_dict(r) for r in old_targets.to_dict("records")}
    for row in targets.to_dict("records"):
        new = _row_dict(row)
        old = old_by_code.pop(row["indicator_code"], None)
        kind = INSERT if old is None else UNCHANGED if _same(old, new) else UPDATE
        changes.append(ItemChange("target", f"{record['code']}/{row['indicator_code']}", kind, old, new))
    for code, old in old_by_code.items():  # a target the workbook leaves out is removed from the plan
        changes.append(ItemChange("target", f"{record['code']}/{code}", DELETE, old, None))
    return changes


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read(data: bytes, file_name: str, result: PlanWorkbook):
    try:
        sheet = read_upload(data, file_name)
    except UnreadableFile as failure:
        result.problems.append(failure.problem)
        return None
    result.encoding = sheet.encoding
    result.problems += sheet.notes
    return sheet.rows


def check(data: bytes, file_name: str, db: Database) -> PlanWorkbook:
    """Read and check a plan workbook against the database; nothing is written."""
    result = PlanWorkbook(file_name, sha256(data))
    rows = _read(data, file_name, result)
    if rows is None:
        return result
    with db.reading() as cursor:
        return _check(result, rows, cursor)


# --- writing ---------------------------------------------------------------------------------------
class WorkbookRejected(Exception):
    """commit() of a workbook with errors, or one whose changes moved since the preview."""


def _write_plan(con, record: dict) -> None:
    con.execute("DELETE FROM plans WHERE code = $code", {"code": record["code"]}).fetchall()
    frame = pd.DataFrame([record])[list(records.PLANS.columns)]
    upload_store._with(con, "plan_rows", frame, "INSERT INTO plans SELECT * FROM plan_rows")


def _write_targets(con, plan_code: str, rows: list[dict]) -> None:
    con.execute("DELETE FROM plan_targets WHERE plan_code = $plan", {"plan": plan_code}).fetchall()
    if rows:
        frame = pd.DataFrame(rows)[list(records.PLAN_TARGETS.columns)]
        columns = ", ".join(records.PLAN_TARGETS.columns)
        upload_store._with(con, "target_rows", frame,
                           f"INSERT INTO plan_targets ({columns}) SELECT {columns} FROM target_rows")


def _write_indicators(con, rows: list[dict]) -> None:
    if rows:
        frame = pd.DataFrame(rows)[records.PLAN_INDICATOR_COLUMNS]
        columns = ", ".join(records.PLAN_INDICATOR_COLUMNS)
        upload_store._with(con, "indicator_rows", frame,
                           f"INSERT INTO indicators ({columns}) SELECT {columns} FROM indicator_rows")


def _write_revisions(con, upload_id: int, changes: list[ItemChange]) -> None:
    rows = [{"upload_id": upload_id, "item": c.item, "key": c.key, "action": c.kind,
             "old_record": None if c.old is None else json.dumps(c.old, ensure_ascii=False, default=str),
             "new_record": None if c.new is None else json.dumps(c.new, ensure_ascii=False, default=str)}
            for c in changes if c.kind != UNCHANGED]
    if rows:
        upload_store._with(con, "revision_rows", pd.DataFrame(rows),
                           "INSERT INTO plan_revisions SELECT upload_id, item, key, action, old_record, new_record "
                           "FROM revision_rows")


def _apply(con, plan_code: str, changes: list[ItemChange], targets_after: list[dict]) -> None:
    plan = next(c for c in changes if c.item == "plan")
    if plan.kind != UNCHANGED and plan.new is not None:
        _write_plan(con, plan.new)
    _write_indicators(con, [c.new for c in changes if c.item == "indicator" and c.kind == INSERT])
    _write_targets(con, plan_code, targets_after)


@dataclass(frozen=True)
class CommitResult:
    upload_id: int
    counts: dict


def commit(data: bytes, file_name: str, db: Database, user: str, previewed: PlanWorkbook | None = None) -> CommitResult:
    """Check the workbook again inside one write transaction and write it there: all of it or nothing."""
    with db.writing() as con:
        upload_store.ensure_tables(con)
        result = PlanWorkbook(file_name, sha256(data))
        rows = _read(data, file_name, result)
        if rows is None:
            raise WorkbookRejected("unreadable")
        _check(result, rows, con)
        if not result.accepted:
            raise WorkbookRejected("errors")
        if previewed is not None and [(c.key, c.kind) for c in previewed.changes] != [
                (c.key, c.kind) for c in result.changes]:
            raise WorkbookRejected("changed")
        upload_id = upload_store.next_id(con)
        targets_after = [c.new for c in result.changes if c.item == "target" and c.new is not None]
        _apply(con, result.record["code"], result.changes, targets_after)
        _write_revisions(con, upload_id, result.changes)
        counts = result.counts()
        meta = upload_store.UploadMeta(kind=KIND, user_name=user, file_name=file_name, sha256=result.sha256,
                                       encoding=result.encoding, layout=KIND,
                                       options={"plan": result.record["code"]},
                                       rows=len(result.targets) + 1, warnings=len(result.warnings))
        upload_store.record_upload(con, upload_id, meta, counts[INSERT], counts[UPDATE] + counts[DELETE],
                                   counts[UNCHANGED])
        upload_store.bump_data_version(con)
    return CommitResult(upload_id, counts)


def rollback_in(con, upload_id: int, user: str, original: dict):
    """Inside history.rollback's transaction: put back the plan, its targets and indicators as they were."""
    from twomountains.ingest.history import RollbackRefused, RollbackResult, record_rollback
    revisions = con.execute("SELECT * FROM plan_revisions WHERE upload_id = $id", {"id": upload_id}).df()
    later = con.execute("SELECT DISTINCT r.upload_id FROM plan_revisions r JOIN uploads u ON u.id = r.upload_id "
                        "WHERE r.upload_id > $id AND u.rolled_back_by IS NULL AND r.key IN "
                        "(SELECT key FROM plan_revisions WHERE upload_id = $id)", {"id": upload_id}).df()
    if not later.empty:
        raise RollbackRefused("changed_later", id=upload_id, later=[int(i) for i in later.upload_id],
                              count=len(revisions))
    plan_code = json.loads(revisions[revisions.item == "plan"].iloc[0]["new_record"] or
                           revisions[revisions.item == "plan"].iloc[0]["old_record"])["code"] \
        if (revisions.item == "plan").any() else revisions.key.iloc[0].split("/")[0]
    for code in revisions[(revisions.item == "indicator") & (revisions.action == INSERT)].key:
        count = int(con.execute(read_sql("indicator_value_count"), {"code": code}).fetchall()[0][0])
        if count:
            raise RollbackRefused("indicator_has_values", id=upload_id, indicator=code, count=count)
    current = con.execute("SELECT * FROM plan_targets WHERE plan_code = $plan", {"plan": plan_code}).df()
    targets = {r["indicator_code"]: _row_dict(r) for r in current.to_dict("records")}
    back, out = 0, []
    for rev in revisions.to_dict("records"):
        old = None if rev["old_record"] is None else json.loads(rev["old_record"])
        if rev["item"] == "target":
            code = rev["key"].split("/", 1)[1]
            now = targets.pop(code, None)
            if old is not None:
                targets[code] = old
            out.append(ItemChange("target", rev["key"], DELETE if old is None else UPDATE, now, old))
        elif rev["item"] == "indicator":
            con.execute("DELETE FROM indicators WHERE code = $code", {"code": rev["key"]}).fetchall()
            out.append(ItemChange("indicator", rev["key"], DELETE, json.loads(rev["new_record"]), None))
        elif rev["item"] == "plan":
            con.execute("DELETE FROM plans WHERE code = $code", {"code": rev["key"]}).fetchall()
            if old is not None:
                _write_plan(con, old)
            out.append(ItemChange("plan", rev["key"], DELETE if old is None else UPDATE,
                                  json.loads(rev["new_record"]) if rev["new_record"] else None, old))
        back += 1
    if not con.execute("SELECT count(*) FROM plans WHERE code = $code", {"code": plan_code}).fetchall()[0][0]:
        targets = {}  # the upload added the plan: its targets go with it
    _write_targets(con, plan_code, list(targets.values()))
    rollback_id = upload_store.next_id(con)
    _write_revisions(con, rollback_id, out)
    restored = sum(c.kind == UPDATE for c in out)
    record_rollback(con, rollback_id, upload_id, user, original, restored, len(out) - restored)
    return RollbackResult(rollback_id, upload_id, restored, len(out) - restored)
