"""Check a file, then commit it: the one code path of the upload page and `python -m twomountains ingest`.

check() reads the file, finds its layout, checks every value against the database's catalog and
regions, and works out what would change (new, changed, unchanged; for a points file, which replaces
the list, also removed) and which goals' statuses move.
Nothing is written. commit() writes a checked file in one transaction: values, revisions, history
and the data version. If someone else wrote in between, the file is checked again inside the
transaction; when the page showed a preview and the changes are no longer those, it is refused
with "check again" (UploadConflict) instead of writing what nobody previewed.
"""
from __future__ import annotations

import hashlib
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

from twomountains.access import Database
from twomountains.database import read_sql
from twomountains.ingest import catalog as catalog_upload
from twomountains.ingest import changes as diffing
from twomountains.ingest import check as checking
from twomountains.ingest import diff as columnar_diff
from twomountains.ingest import history, normalise, reading_arrow, reading_parts, series_parts, store
from twomountains.ingest import points as points_upload
from twomountains.ingest import problems as p
from twomountains.ingest.impact import StatusChange, observation_impact
from twomountains.ingest.layout import Layout, detect
from twomountains.ingest.lookup import Lookup
from twomountains.ingest.reading import Sheet, UnreadableFile, read_file, read_upload
from twomountains.ingest.lookup import DISTRICT
from twomountains.ingest.store import default_source  # noqa: F401 (the page and the tests ask it here)
from twomountains.ingest.validate import Options
from twomountains.ingest.validate import _decumulate as validate_decumulate


class UploadRejected(Exception):
    """commit() of a plan with errors."""


class UploadConflict(Exception):
    """Another upload changed the same values since the preview: check the file again."""


@dataclass
class Plan(p.HasProblems):
    file_name: str
    sha256: str
    size: int
    options: Options
    readable: bool = True
    kind: str | None = None                 # observations, catalog or points
    encoding: str | None = None
    newline: str | None = None
    file_type: str | None = None
    sheet_name: str | None = None
    layout: str | None = None               # long, wide, catalog or rural_tourism_points
    problems: list[p.Problem] = field(default_factory=list)
    changes: list = field(default_factory=list)   # Change, CatalogChange or PointChange (removed points too)
    statuses: list[StatusChange] = field(default_factory=list)
    data_version: int | None = None
    same_file: list[dict] = field(default_factory=list)   # earlier uploads of this very file
    skipped: int = 0
    _layout: Layout | None = None
    _records: normalise.Records | None = None     # an observation file's records, as columns
    _parts: series_parts.SeriesParts | None = None  # or, for a file read in parts, its records on disk
    timings: dict = field(default_factory=dict)   # seconds per stage, for bench/ (observability only)

    @property
    def accepted(self) -> bool:
        return self.readable and not self.errors

    @property
    def rows(self) -> int:
        """Values in the file: those compared with the database, or for a rejected file those read."""
        if isinstance(self.changes, columnar_diff.Changes):
            return len(self.changes)
        if self._records is not None and not self.changes:
            return max(len(self._records) - self.skipped, 0)
        if self._parts is not None and not self.changes:
            return max(self._parts.records_count - self.skipped, 0)
        if self.changes or self._layout is None:
            return len([c for c in self.changes if c.kind != points_upload.DELETE])
        if self._layout.kind in ("catalog", points_upload.LAYOUT):
            return sum(1 for _, cells in self._layout.data_rows if any(c.strip() for c in cells))
        return max(len(self._layout.records) - self.skipped, 0)

    @property
    def counts(self) -> dict[str, int]:
        if isinstance(self.changes, columnar_diff.Changes):
            return self.changes.counts()
        return diffing.counts([c for c in self.changes if c.kind != points_upload.DELETE])

    @property
    def removed(self) -> int:
        """Stored points a points file does not list (it replaces the list); 0 for other files."""
        if isinstance(self.changes, columnar_diff.Changes):
            return 0
        return sum(1 for c in self.changes if c.kind == points_upload.DELETE)

    @property
    def writes(self) -> int:
        counts = self.counts
        return counts[diffing.INSERT] + counts[diffing.UPDATE] + self.removed

    def fingerprint(self):
        if isinstance(self.changes, columnar_diff.Changes):
            return self.changes.fingerprint()       # a digest: a copy of a million changes was ~150 MB
        return [(c.key, c.kind, c.old, c.new) for c in self.changes]


@dataclass(frozen=True)
class CommitResult:
    upload_id: int | None      # None: nothing to change, nothing written
    plan: Plan


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version(cursor) -> int:
    return int(cursor.execute(read_sql("data_version")).fetchall()[0][0])


def _evaluate(plan: Plan, cursor) -> Plan:
    """Everything that depends on the database: run with a reading cursor, or inside the write transaction."""
    layout = plan._layout
    plan.data_version = _version(cursor)
    plan.problems = [x for x in plan.problems if x.code in _READING_CODES]
    if layout.kind == points_upload.LAYOUT:
        plan.kind = points_upload.KIND
        plan.changes, problems = points_upload.check(layout, cursor, plan.file_name, plan.options.today)
        plan.problems += problems
        plan.statuses = []
        if plan.errors:
            plan.changes = []
    elif layout.kind == "catalog":
        plan.kind = "catalog"
        changes, problems, _ = catalog_upload.check(layout, cursor)
        plan.problems += problems
        plan.changes = changes
        plan.statuses = catalog_upload.impact(cursor, changes) if not plan.errors else []
    else:
        plan.kind = "observations"
        if plan._parts is not None:
            _evaluate_observation_parts(plan, cursor)
        else:
            _evaluate_observations(plan, cursor)
    plan.same_file = history.same_file(cursor, plan.sha256).to_dict("records")
    if plan.accepted and plan.changes and plan.writes == 0 and plan.same_file:
        plan.problems.append(p.warning("same_file", upload=int(plan.same_file[-1]["id"])))
    return plan


_LARGE = 100_000          # values from which the stages' leftovers are freed between stages (peak memory)
_READING_CODES = {"other_sheets_ignored", "guessed_encoding", "control_characters"}


def _evaluate_observations(plan: Plan, cursor) -> None:
    """check -> diff -> warnings -> impact, each over whole columns (check, diff)."""
    with _timed(plan, "values"):
        lookup = Lookup.from_database(cursor)
        checked = checking.check(plan._records, plan._layout.problems, lookup, plan.options)
    plan.problems += checked.problems
    plan.skipped = checked.skipped
    values = checked.values
    del checked
    if len(values) >= _LARGE:
        normalise.release_memory()
    if not values.empty and values["cumulative"].any():
        # Year-to-date values are split value by value (validate._decumulate, the reference), even in a file
        # with errors (its report names every problem): such files hold a district's months, not a province.
        rows = columnar_diff.stored_series(cursor, values)
        values = checking.from_values(validate_decumulate(checking.to_values(values), rows, lookup, plan.problems))
    if plan.errors:
        plan.changes, plan.statuses = [], []
        return
    with _timed(plan, "stored"):
        stored, keys = columnar_diff.stored_points(cursor, values)
        values = values[list(columnar_diff.DIFF_VALUE_COLUMNS)]     # the others are freed (peak memory)
        if len(values) >= _LARGE:
            normalise.release_memory()
    with _timed(plan, "diff"):
        plan.changes = columnar_diff.diff(values, stored, keys, default_source(plan.file_name))
    # The warnings read only these of the values (the changes hold the rest): the other columns are freed.
    values = values[list(columnar_diff.WARNING_VALUE_COLUMNS)]
    stored.release_texts()
    if len(values) >= _LARGE:
        normalise.release_memory()
    with _timed(plan, "warnings"):
        units = dict(zip(lookup.catalog.code, lookup.catalog.unit))
        plan.problems += columnar_diff.series_warnings(plan.changes, values, stored, units)
    with _timed(plan, "impact"):
        plan.statuses = observation_impact(cursor, plan.changes.of_region(DISTRICT))


_DUPLICATES = {"duplicate_same", "duplicate_after_mapping", "duplicate_conflict"}


def _by_row(problems: list[p.Problem]) -> list[p.Problem]:
    """Problems of several series parts in the order the whole file gives them: by row (a row is in one part; a
    part gives its own in that order already)."""
    return sorted(problems, key=lambda problem: problem.row if problem.row is not None else -1)


def _evaluate_observation_parts(plan: Plan, cursor) -> None:
    """_evaluate_observations for a file read in parts: check -> diff -> warnings one series part at a time
    (series_parts), each part's changes written to disk (diff.SpilledChanges); the problems come out in the
    whole file's order. A year-to-date value sends the file back to be checked whole (series_parts.Stale)."""
    parts = plan._parts
    lookup = Lookup.from_database(cursor)
    if parts.indicators != series_parts.indicators_of(lookup):
        raise series_parts.Stale("the catalog's indicators changed since the file was spread")
    found, duplicates, warnings, district = [], [], [], []
    kept = skipped = 0
    units = dict(zip(lookup.catalog.code, lookup.catalog.unit))
    source = default_source(plan.file_name)
    spilled = columnar_diff.SpilledChanges(parts.new_folder("changes"))
    for recs in parts.records():
        with _timed(plan, "values"):
            checked = checking.check(recs, [], lookup, plan.options)
        del recs
        skipped += checked.skipped
        for problem in checked.problems:
            if problem.code in _DUPLICATES:
                duplicates.append(problem)
            elif problem.code != "no_values":
                found.append(problem)
        values = checked.values
        del checked
        if values.empty:
            continue
        kept += len(values)
        if values["cumulative"].any():
            raise series_parts.Stale("year-to-date values: the file is checked whole")
        if any(x.is_error for x in found) or any(x.is_error for x in duplicates):
            continue                       # no changes for a file with errors: its other parts are only checked
        with _timed(plan, "stored"):
            stored, keys = columnar_diff.stored_points(cursor, values)
            values = values[list(columnar_diff.DIFF_VALUE_COLUMNS)]
        with _timed(plan, "diff"):
            changes = columnar_diff.diff(values, stored, keys, source)
        values = values[list(columnar_diff.WARNING_VALUE_COLUMNS)]
        stored.release_texts()
        with _timed(plan, "warnings"):
            warnings += columnar_diff.series_warnings(changes, values, stored, units)
        district += changes.of_region(DISTRICT)
        spilled.add(changes)
        del changes, values, stored, keys
    problems = list(plan._layout.problems) + _by_row(found)
    if parts.records_count == 0 or (kept == 0 and not any(x.is_error for x in problems)):
        problems.append(p.error("no_values", parts.header_row))
    plan.problems += problems + _by_row(duplicates)
    plan.skipped = skipped
    if plan.errors:
        plan.changes, plan.statuses = [], []
        return
    plan.changes = spilled
    plan.problems += _by_row(warnings)
    with _timed(plan, "impact"):
        plan.statuses = observation_impact(cursor, sorted(district, key=lambda change: change.row))


def _check_in_parts(source: reading_parts.Source, file_name: str, db: Database, options: Options) -> Plan | None:
    """check() of a large plain CSV file read a part at a time (reading_parts) and spread over series parts on disk
    (series_parts): None when the file is not one read in parts (the caller reads it whole)."""
    opened = reading_parts.open_parts(source)
    if opened is None:
        return None
    plan = Plan(file_name=PurePath(file_name).name, sha256="", size=source.size, options=options)
    with _timed(plan, "layout"):
        layout = detect(opened.head, records=False)
    if layout.kind != "long" or any(x.is_error for x in layout.problems):
        return None
    with db.reading() as cursor:
        lookup = Lookup.from_database(cursor)
    parts = series_parts.SeriesParts(source.size, layout, lookup)
    try:
        with _timed(plan, "read"):         # read, cut into cells, made records and spread: a part at a time
            for part in opened.parts:
                sheet = reading_arrow.ArrowSheet(opened.head, part.table, part.table.num_rows, part.non_blank)
                recs = normalise.records_from_arrow(sheet, layout, part.first_line)
                parts.add(recs, part.size)
                del sheet, part, recs
            parts.finish()
    except reading_parts.NotInParts:
        parts.close()
        return None
    plan.sha256 = source.sha256
    head = opened.head
    plan.encoding, plan.newline, plan.file_type, plan.sheet_name = (
        head.encoding, head.newline, head.file_type, head.sheet_name)
    plan.problems = list(head.notes)
    plan._layout, plan._parts, plan.layout = layout, parts, layout.kind
    try:
        with db.reading() as cursor:
            return _evaluate(plan, cursor)
    except series_parts.Stale:
        parts.close()
        return None


def _read_and_lay_out(plan: Plan, data: bytes, file_name: str):
    """read -> layout: (sheet, layout or None for an empty file, the Arrow columns of a large plain long CSV)."""
    with _timed(plan, "read"):
        arrow = reading_arrow.read(data, file_name)
    if arrow is not None:
        with _timed(plan, "layout"):
            layout = detect(arrow.head, records=False)
        if layout.kind == "long":
            return arrow.head, layout, arrow
    with _timed(plan, "read"):
        sheet: Sheet = read_upload(data, file_name)
    if sheet.is_empty:
        return sheet, None, None
    with _timed(plan, "layout"):
        return sheet, detect(sheet, records=False), None


# Files of at least this many bytes are read a part at a time (reading_parts) and checked a series part at a time
# (series_parts): what the check holds at once is a part's.
PARTS_FROM_BYTES = 8 << 20


def check(data: bytes, file_name: str, db: Database, options: Options | None = None) -> Plan:
    """Read and check a file against the database; nothing is written."""
    options = options or Options()
    if len(data) >= PARTS_FROM_BYTES:
        plan = _check_in_parts(reading_parts.Source.of_bytes(file_name, data), file_name, db, options)
        if plan is not None:
            return plan
    return _check_whole(data, file_name, db, options)


def _check_whole(data: bytes, file_name: str, db: Database, options: Options) -> Plan:
    plan = Plan(file_name=PurePath(file_name).name, sha256=sha256(data), size=len(data),
                options=options)
    try:
        sheet, layout, arrow = _read_and_lay_out(plan, data, file_name)
    except UnreadableFile as unreadable:
        plan.readable = False
        plan.problems = [unreadable.problem]
        return plan
    del data        # read: a caller that does not hold the bytes itself (check_file) has them freed here
    plan.encoding, plan.newline, plan.file_type, plan.sheet_name = (
        sheet.encoding, sheet.newline, sheet.file_type, sheet.sheet_name)
    plan.problems = list(sheet.notes)
    if layout is None:
        plan.problems.append(p.error("empty_file"))
        return plan
    plan._layout = layout
    if layout.kind in ("long", "wide") and not any(x.code == "missing_columns" for x in layout.problems):
        with _timed(plan, "normalise"):
            plan._records = (normalise.records_from_arrow(arrow, layout) if arrow is not None
                             else normalise.records(sheet.rows, layout))
    arrow = None        # every cell of the file: the records hold what the checks need (peak memory)
    if plan._records is not None and len(plan._records) >= _LARGE:
        normalise.release_memory()      # Arrow's pool keeps the parse's blocks (~100 MB at a million lines)
    plan.layout = layout.kind if layout.kind != "unknown" else None
    if layout.kind == "unknown":
        plan.problems += layout.problems
        return plan
    with db.reading() as cursor:
        return _evaluate(plan, cursor)


def check_file(path, db: Database, options: Options | None = None) -> Plan:
    """check() of a file on disk (the command line). A large file is read a part at a time (_check_in_parts);
    any other file's bytes are read here and handed over, so nothing holds them past the read stage (~68 MB per
    million lines); reading.read_file refuses a file over the size limit (UnreadableFile) before reading it."""
    options = options or Options()
    name = PurePath(path).name
    try:
        large = os.stat(path).st_size >= PARTS_FROM_BYTES
    except OSError:
        large = False                  # read_file says what is wrong with the path
    if large:
        plan = _check_in_parts(reading_parts.Source.of_path(path), name, db, options)
        if plan is not None:
            return plan
    return _check_whole(read_file(path), name, db, options)


def commit(plan: Plan, db: Database, user: str, previewed: bool = True) -> CommitResult:
    """Write a checked file in one transaction. `previewed`: refuse if the changes differ from the plan's."""
    if not plan.accepted:
        raise UploadRejected(plan.file_name)
    with db.writing() as con:
        store.ensure_tables(con)
        if _version(con) != plan.data_version:
            expected = plan.fingerprint()
            try:
                _evaluate(plan, con)
            except series_parts.Stale:
                raise UploadConflict(plan.file_name) from None
            if not plan.accepted:
                raise UploadRejected(plan.file_name)
            if previewed and plan.fingerprint() != expected:
                raise UploadConflict(plan.file_name)
        if plan.writes == 0:
            return CommitResult(None, plan)
        meta = store.UploadMeta(
            kind=plan.kind, user_name=user, file_name=plan.file_name, sha256=plan.sha256, encoding=plan.encoding,
            layout=plan.layout, options={"cumulative": plan.options.cumulative}, rows=plan.rows,
            warnings=len(plan.warnings))
        if plan.kind == points_upload.KIND:
            upload_id = points_upload.write_upload(con, meta, plan.changes)
        elif plan.kind == "catalog":
            upload_id = catalog_upload.write_upload(con, meta, plan.changes)
        else:
            with _timed(plan, "write"):
                upload_id = store.write_observation_upload(con, meta, plan.changes,
                                                           make_room_for_new_keys=db.make_room_for_new_keys)
    return CommitResult(upload_id, plan)


@contextmanager
def _timed(plan: Plan, stage: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        plan.timings[stage] = plan.timings.get(stage, 0.0) + time.perf_counter() - started

