"""A database whose observation_revisions still has its old PRIMARY KEY is unkeyed on its first open able to
write, losing nothing; rollback of an upload it recorded before still restores exactly.

The old shape: the table as main defined it (tests/fixtures/migration/keyed_revisions/old_schema.sql), with
two uploads written into it by the same statements main's code ran (store.write_observation_upload on a
plain connection, the way pipeline.commit writes, but without the open that migrates). Readers (read-only)
read it unchanged and write nothing.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.test_upload_store import export_bytes
from twomountains import access
from twomountains.ingest import history, history_migration, pipeline, store
from twomountains.ingest.validate import Options

OLD_SCHEMA = Path(__file__).parent / "fixtures" / "migration" / "keyed_revisions" / "old_schema.sql"
FIRST = b"indicator_code,period,value\ntourism_revenue,2025Q4,48.0\nforest_cover,2025,68.1\n"


def _keyed(path: Path) -> bool:
    with duckdb.connect(str(path), read_only=True) as con:
        return history_migration.keyed_revisions(con)


def _revisions(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM observation_revisions ORDER BY ALL").fetchall()


def _old_upload(path: Path, data: bytes, name: str) -> None:
    """One upload written as main's code wrote it, into the keyed table: the statements of pipeline.commit
    on a Database told it is up to date already (main's knew no such migration, so it never ran one)."""
    db = access.database(path)
    db._up_to_date = True
    plan = pipeline.check(data, name, db, Options())
    assert plan.accepted, [(e.code, e.row) for e in plan.errors]
    meta = store.UploadMeta(kind="observations", user_name="ana", file_name=name, sha256=plan.sha256,
                            encoding=plan.encoding, layout=plan.layout, options={"cumulative": False},
                            rows=plan.rows, warnings=len(plan.warnings))
    with db.writing() as con:
        store.write_observation_upload(con, meta, plan.changes, make_room_for_new_keys=db.make_room_for_new_keys)
    db.release()


def _as_a_new_process(path: Path) -> None:
    """Forget this process's access objects of the file, as a process started after the update has none."""
    for read_only in (False, True):
        access.database(path, read_only=read_only).release()
        access._DATABASES.pop((path.resolve(), read_only), None)


@pytest.fixture
def keyed_db(demo_db, tmp_path) -> tuple[Path, bytes]:
    """The demo database with the old keyed revisions table and one upload in it; and its export before."""
    before = export_bytes(demo_db, tmp_path)       # first: the command line's open would migrate
    with access.database(demo_db).writing() as con:
        con.execute("DROP TABLE observation_revisions")
        con.execute(OLD_SCHEMA.read_text(encoding="utf-8"))
    _old_upload(demo_db, FIRST, "first.csv")
    assert _keyed(demo_db)
    _as_a_new_process(demo_db)
    return demo_db, before


def test_a_reader_reads_the_keyed_table_and_writes_nothing(keyed_db):
    path, _ = keyed_db
    stamp = path.stat().st_mtime_ns
    reader = access.database(path, read_only=True)
    assert len(history.revisions(reader, 1)) == 2
    reader.release()
    assert _keyed(path) and path.stat().st_mtime_ns == stamp


def test_the_first_open_able_to_write_takes_the_key_off_and_keeps_every_revision(keyed_db, tmp_path):
    path, before = keyed_db
    revisions = _revisions(path)
    assert len(revisions) == 2
    db = access.database(path)
    assert db.version() >= 0                   # the first open: migrated here, before any write
    db.release()
    assert not _keyed(path)
    assert _revisions(path) == revisions
    with duckdb.connect(str(path), read_only=True) as con:   # NOT NULL stays as schema.sql says
        assert con.execute("SELECT count(*) FROM duckdb_constraints() WHERE table_name = "
                           "'observation_revisions' AND constraint_type = 'NOT NULL'").fetchall()[0][0] == 5
    # Writing and undoing work on the migrated file: the old upload rolls back to the export made before it.
    assert history.rollback(db, 1, "bo").restored == 2
    assert export_bytes(path, tmp_path) == before
    assert not history_migration.needs_migration(duckdb.connect(str(path), read_only=True))


def test_an_old_upload_blocked_by_a_later_one_still_names_it_after_migrating(keyed_db):
    path, _ = keyed_db
    _old_upload(path, b"indicator_code,period,value\ntourism_revenue,2025Q4,50.5\n", "second.csv")
    _as_a_new_process(path)
    assert _keyed(path)
    db = access.database(path)
    with pytest.raises(history.RollbackRefused) as refused:
        history.rollback(db, 1, "bo")
    assert refused.value.code == "changed_later" and refused.value.params["later"] == [2]
    assert history.rollback(db, 2, "bo").restored == 1
    assert history.rollback(db, 1, "bo").restored == 2
    assert not _keyed(path)


def test_a_failing_migration_changes_nothing(keyed_db, monkeypatch):
    path, _ = keyed_db
    revisions = _revisions(path)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(history_migration, "_revisions_statement", broken)
    with pytest.raises(RuntimeError):
        access.database(path).version()
    assert _keyed(path) and _revisions(path) == revisions
