"""A database made by main before task reports joined the shared upload history is migrated, losing nothing.

tests/fixtures/migration/task_history_main/ holds what main's code (commit fbbe084, see
make_task_history_main.py there) left after an indicator upload (uploads id 1), three report file uploads,
a rollback of the third and a form entry (task_report_uploads ids 1-5): the rows of its history tables, the
reports and values they wrote, and the old tables' definitions. Loaded into a demo database built today,
they make the database main had. The first open able to write (the app's, the CLI's) migrates it, once; a
process that opens it read-only writes nothing and still lists the whole history.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.test_upload_page import PAGE, PASSWORD, login, table, users  # noqa: F401  (users is a fixture)
from twomountains import cli
from twomountains.access import ReadOnlyDatabase, database
from twomountains.ingest.commands import PASSWORD_ENV_VAR
from twomountains.paths import READ_ONLY_ENV_VAR, ROOT
from twomountains.ingest import history, history_migration
from twomountains.tasks import store
from twomountains.tasks.__main__ import main as tasks_main

FIXTURE = Path(__file__).parent / "fixtures" / "migration" / "task_history_main"
GOOD_FILE = Path(__file__).parent / "fixtures" / "uploads" / "good_wide_title.csv"
OLD_TO_NEW = {1: 2, 2: 3, 3: 4, 4: 5, 5: 6}   # after the indicator upload, in the same order


def _csv(name: str) -> str:
    return f"read_csv('{FIXTURE / name}.csv', header = true, all_varchar = true)"


def make_main_database(path: Path) -> None:
    """The demo database as main's code left it after the fixture's uploads."""
    con = duckdb.connect(str(path))
    try:
        assert "task_report_uploads" not in {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        con.execute((FIXTURE / "old_schema.sql").read_text(encoding="utf-8").split(";")[0].split("\n", 1)[1])
        con.execute("INSERT INTO uploads BY NAME SELECT * FROM " + _csv("uploads"))
        con.execute("INSERT INTO observation_revisions BY NAME SELECT * FROM " + _csv("observation_revisions"))
        con.execute("INSERT OR REPLACE INTO observations BY NAME SELECT * FROM " + _csv("observations"))
        con.execute("INSERT INTO task_report_uploads BY NAME SELECT * FROM " + _csv("task_report_uploads"))
        con.execute("INSERT INTO task_report_revisions BY NAME SELECT * FROM " + _csv("task_report_revisions"))
        con.execute("INSERT OR REPLACE INTO task_reports BY NAME SELECT * FROM " + _csv("task_reports"))
    finally:
        con.close()


@pytest.fixture
def main_db(demo_db) -> Path:
    make_main_database(demo_db)
    return demo_db


def _reports(db) -> pd.DataFrame:
    """The fixture's task and unit's reports by month."""
    reports = db.query("task_reports")
    return reports[(reports.task_code == "t2_3") & (reports.unit_code == "ecoenv")].set_index("month")


def _old(name: str) -> pd.DataFrame:
    return pd.read_csv(FIXTURE / f"{name}.csv", dtype=str, keep_default_na=False)


def _raw_needs_migration(path: Path) -> bool:
    with duckdb.connect(str(path), read_only=True) as con:
        return history_migration.needs_migration(con)


def test_the_first_open_able_to_write_migrates_every_report_upload_into_the_shared_history(main_db, capsys):
    assert _raw_needs_migration(main_db)
    db = database(main_db)
    with db.reading() as cursor:                       # the process's first open: migrated, then read
        assert not history_migration.needs_migration(cursor)
    assert not _raw_needs_migration(main_db)
    assert store.ensure_tables(db) is False            # the task tables were there
    shared = history.uploads(db).set_index("id")
    assert list(shared.index) == [6, 5, 4, 3, 2, 1]
    assert shared.loc[1, "kind"] == "observations"     # the indicator upload keeps its id and rows
    old = _old("task_report_uploads").set_index("id")
    for old_id, new_id in OLD_TO_NEW.items():
        before, after = old.loc[str(old_id)], shared.loc[new_id]
        assert after["kind"] == ("rollback" if before["kind"] == "rollback" else "task_reports")
        for column in ("user_name", "file_name", "sha256", "encoding"):
            assert (after[column] if isinstance(after[column], str) else "") == before[column], column
        assert str(after["created_at"]) == before["created_at"]
        for column in ("rows", "inserted", "updated", "unchanged", "warnings"):
            assert int(after[column]) == int(before[column]), column
    assert shared.loc[5, "rolls_back"] == 4 and shared.loc[4, "rolled_back_by"] == 5
    assert json.loads(shared.loc[5, "options"]) == {"of_kind": "task_reports"} and shared.loc[5, "layout"] == "file"
    assert shared.loc[6, "layout"] == "form"

    # The reporting page's and the tasks CLI's history: the same entries, keys and kinds as before, new ids.
    tasks_history = store.history(db).set_index("id")
    assert list(tasks_history.kind) == ["form", "rollback", "file", "file", "file"]
    assert list(tasks_history.index) == [6, 5, 4, 3, 2]
    assert tasks_main(["uploads", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert list(listed[0]) == ["id", "kind", "user_name", "created_at", "file_name", "sha256", "encoding", "rows",
                               "inserted", "updated", "unchanged", "warnings", "rolls_back", "rolled_back_by"]
    assert [(e["id"], e["kind"], e["user_name"]) for e in listed] == [
        (6, "form", "dora"), (5, "rollback", "bob"), (4, "file", "bob"), (3, "file", "carol"), (2, "file", "bob")]

    # Every revision, under its upload's new id; the reports point at the upload that wrote them last.
    revisions = _old("task_report_revisions")
    for old_id, new_id in OLD_TO_NEW.items():
        moved = store.revisions(db, new_id)
        mine = revisions[revisions.upload_id == str(old_id)]
        assert list(moved.month) == sorted(mine.month) and list(moved.action) == list(mine.sort_values("month").action)
    assert list(history.revisions(db, 3).month) == ["2022-06"]     # the shared history shows them too
    reports = _reports(db).loc[["2022-03", "2022-05", "2022-06"]]
    assert list(reports.upload_id) == [6, 2, 3]

    assert store.ensure_tables(db) is False   # a second call finds nothing to do
    assert len(history.uploads(db)) == 6


def test_migrated_report_uploads_roll_back_through_the_shared_rollback(main_db, capsys):
    db = database(main_db)
    demo_march = _old("task_report_revisions").query("upload_id == '5'").old_record.iloc[0]
    store.ensure_tables(db)
    with pytest.raises(history.RollbackRefused) as refused:
        history.rollback(db, 2, "bob")                   # carol's upload (now 3) changed the same report
    assert refused.value.code == "changed_later" and refused.value.params["later"] == [3]
    with pytest.raises(history.RollbackRefused) as refused:
        store.rollback(db, 5, "bob")                     # the migrated rollback is still a rollback
    assert refused.value.code == "is_rollback"
    with pytest.raises(history.RollbackRefused) as refused:
        store.rollback(db, 1, "bob")                     # the indicator upload is not a report upload
    assert refused.value.code == "not_found"

    # The main CLI undoes the form entry (a report upload) like any upload, with the same JSON keys.
    assert cli.main(["rollback", "6", "--db", str(main_db), "--json", "--user", "dora"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["upload_id"], out["rollback_id"], out["restored"], out["removed"]) == (6, 7, 1, 0)
    march = _reports(db).loc["2022-03"]
    assert march.quality == "demo" and march.percent_complete == json.loads(demo_march)["percent_complete"]
    # The tasks CLI undoes carol's, then bob's first upload; the history lists both rollbacks as before.
    assert tasks_main(["rollback", "3", "--lang", "en", "--user", "carol"]) == 0
    assert tasks_main(["rollback", "2", "--lang", "en", "--user", "bob"]) == 0
    assert tasks_main(["rollback", "2", "--lang", "en", "--user", "bob"]) == 1
    assert "already rolled back" in capsys.readouterr().err
    may = _reports(db).loc["2022-05"]
    assert may.quality == "demo" and may.percent_complete == 84.0
    kinds = store.history(db).set_index("id").kind
    assert list(kinds.loc[[9, 8, 7]]) == ["rollback", "rollback", "rollback"]


def test_a_migration_that_would_lose_a_revision_changes_nothing(main_db):
    with duckdb.connect(str(main_db)) as con:   # a revision without its history entry: it could not be carried over
        con.execute("INSERT INTO task_report_revisions VALUES (99, 't2_3', 'ecoenv', '2021-01', 'insert', NULL, '{}')")
    with pytest.raises(history_migration.MigrationLost):
        with database(main_db).reading():
            pass
    with duckdb.connect(str(main_db), read_only=True) as cursor:
        assert history_migration.needs_migration(cursor)
        assert cursor.execute("SELECT count(*) FROM task_report_uploads").fetchall()[0][0] == 5
        assert cursor.execute("SELECT count(*) FROM uploads").fetchall()[0][0] == 1
        assert cursor.execute("SELECT count(*) FROM task_report_revisions").fetchall()[0][0] == 7


def _fingerprint(path: Path) -> tuple:
    """The file's bytes and time, and whether a write-ahead log is beside it: a write changes one of them."""
    return (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns,
            path.with_name(path.name + ".wal").exists())


def test_a_read_only_open_writes_nothing_and_lists_the_history_as_migrated(main_db, app, users, monkeypatch):
    before = _fingerprint(main_db)
    db = database(main_db, read_only=True)
    shared = history.uploads(db)
    assert [(int(i), k) for i, k in zip(shared.id, shared.kind)] == [
        (6, "task_reports"), (5, "rollback"), (4, "task_reports"), (3, "task_reports"), (2, "task_reports"),
        (1, "observations")]
    assert list(history.revisions(db, 3).month) == ["2022-06"]      # under the ids the migration will give
    assert list(store.history(db).id) == [6, 5, 4, 3, 2]
    assert list(_reports(db).loc[["2022-03", "2022-05", "2022-06"]].upload_id) == [6, 2, 3]
    with pytest.raises(ReadOnlyDatabase):
        with db.writing():
            pass
    # The app, opened read-only ($TWOMOUNTAINS_READ_ONLY): the upload page lists the whole history.
    monkeypatch.setenv(READ_ONLY_ENV_VAR, "1")
    page = login(app(PAGE))
    assert not page.exception
    listed = table(page, "user_name")
    assert listed.id.tolist() == [6, 5, 4, 3, 2, 1] and listed.kind.tolist()[0] == "任务月报"
    assert [w.value for w in page.warning if "只读模式" in w.value], "the page says it is read-only"
    # A write on a read-only open is refused with its own message, not a traceback and not "busy".
    monkeypatch.setenv(PASSWORD_ENV_VAR, PASSWORD)
    done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", str(GOOD_FILE), "--db", str(main_db),
                           "--user", "ana"], cwd=ROOT, env={**os.environ}, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 2 and "只读" in done.stderr and "Traceback" not in done.stderr, done.stderr
    db.release()
    database(main_db, read_only=True).release()
    assert _fingerprint(main_db) == before and _raw_needs_migration(main_db)

    # The first open able to write migrates it, in one transaction; the ids are the ones read above.
    monkeypatch.delenv(READ_ONLY_ENV_VAR)
    assert [int(i) for i in history.uploads(database(main_db)).id] == [6, 5, 4, 3, 2, 1]
    assert not _raw_needs_migration(main_db)


def test_a_database_built_today_has_one_history(demo_db):
    db = database(demo_db)
    with db.reading() as cursor:
        assert not history_migration.needs_migration(cursor)
    assert store.history(db).empty


def test_the_main_command_line_lists_the_migrated_uploads_of_every_kind(main_db, capsys):
    assert cli.main(["uploads", "--db", str(main_db), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["id"], e["kind"]) for e in listed] == [
        (6, "task_reports"), (5, "rollback"), (4, "task_reports"), (3, "task_reports"), (2, "task_reports"),
        (1, "observations")]
    assert cli.main(["uploads", "--db", str(main_db), "--show", "2", "--json"]) == 0
    assert [r["month"] for r in json.loads(capsys.readouterr().out)] == ["2022-05", "2022-06"]


def test_a_lake_moved_in_from_an_older_file_is_migrated_on_its_first_use(main_db, pg_cluster, tmp_path, monkeypatch):
    from twomountains import lake, lake_transfer
    location = pg_cluster.lake_location()
    monkeypatch.setenv(lake.DATA_ENV_VAR, str(tmp_path / "lake-data"))
    lake_transfer.file_to_lake(main_db, location, str(tmp_path / "lake-data"))
    shared = history.uploads(database(location))       # the first read migrated it
    assert [int(i) for i in shared.id] == [6, 5, 4, 3, 2, 1]
    with database(location).reading() as cursor:
        assert not history_migration.needs_migration(cursor)
    assert list(store.history(database(location)).id) == [6, 5, 4, 3, 2]
    assert list(history.revisions(database(location), 3).month) == ["2022-06"]


def test_the_migration_and_the_read_through_share_one_definition_of_the_new_ids():
    """The old ids' new numbers and the moved rows are written once (…_moved.sql), so the ids a read-only reader
    sees cannot drift from the ones the migration gives (the test above checks they are the same)."""
    files = {path.name: path.read_text() for path in (ROOT / "queries").glob("history_task_report_uploads_*.sql")}
    assert [name for name, text in files.items() if "row_number()" in text.lower()] == \
        ["history_task_report_uploads_moved.sql"]
    assert [name for name, text in files.items() if "'rollback' THEN" in text] == \
        ["history_task_report_uploads_moved.sql"]
