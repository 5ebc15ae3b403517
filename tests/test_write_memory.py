"""DuckDB's memory while it writes is bounded ($TWOMOUNTAINS_WRITE_MEMORY, docs/scaling.md): the writer's connection
runs with that memory_limit and a temporary folder to spill to, and an upload of ~100,000 new values under a small
limit still writes every value and its revision, in one transaction."""
from __future__ import annotations

import duckdb
import pytest

from twomountains import access
from twomountains.ingest import pipeline
from twomountains.paths import DEFAULT_WRITE_MEMORY, TEMP_DIR_ENV_VAR, WRITE_MEMORY_ENV_VAR


def _shown(limit: str | None) -> str:
    """current_setting('memory_limit') as DuckDB shows a limit (its own default for None)."""
    with duckdb.connect(config={"memory_limit": limit} if limit else {}) as con:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def _writer_settings(db) -> tuple[str, str]:
    with db.writing() as con:
        return con.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()


def test_the_writer_runs_with_the_configured_limit_and_a_temporary_folder(demo_db, tmp_path, monkeypatch):
    db = access.database(demo_db)
    monkeypatch.delenv(WRITE_MEMORY_ENV_VAR, raising=False)
    monkeypatch.delenv(TEMP_DIR_ENV_VAR, raising=False)
    assert _writer_settings(db) == (_shown(DEFAULT_WRITE_MEMORY), str(demo_db) + ".tmp")
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "96MB")
    monkeypatch.setenv(TEMP_DIR_ENV_VAR, str(tmp_path / "spill"))
    assert _writer_settings(db) == (_shown("96MB"), str(tmp_path / "spill"))
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "none")          # DuckDB's own default (80% of the machine's memory)
    assert _writer_settings(db)[0] == _shown(None)
    # The shared reading connection keeps DuckDB's defaults.
    with db.reading() as cursor:
        assert cursor.execute("SELECT current_setting('memory_limit')").fetchone()[0] == _shown(None)


def test_a_limit_duckdb_cannot_read_is_refused_naming_the_setting(demo_db, monkeypatch):
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "lots")
    with pytest.raises(ValueError, match=WRITE_MEMORY_ENV_VAR):
        with access.database(demo_db).writing():
            pass


def _many_new_values(demo_db) -> bytes:
    """~100,000 monthly values of the demo's indicators counted in units (not percent, ranks or milestones) for
    every current region, 1995-2024: all new to the demo database."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        regions = [r for (r,) in con.execute("SELECT code FROM regions WHERE valid_from IS NULL AND valid_to IS NULL "
                                             "AND successor_code IS NULL ORDER BY code").fetchall()]
        indicators = [i for (i,) in con.execute("SELECT code FROM indicators WHERE unit NOT IN "
                                                "('percent', 'milestone', 'rank') ORDER BY code").fetchall()]
    lines = ["indicator_code,region_code,period,value"]
    lines += [f"{i},{r},{y}-{m:02d},{(y * 7 + m * 3) % 997 + 0.5}"
              for i in indicators for r in regions for y in range(1995, 2025) for m in range(1, 13)]
    return ("\n".join(lines) + "\n").encode()


def test_an_upload_under_a_small_limit_writes_every_value(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "64MB")
    monkeypatch.setenv(TEMP_DIR_ENV_VAR, str(tmp_path / "spill"))
    data = _many_new_values(demo_db)
    db = access.database(demo_db)
    with db.reading() as cursor:
        before = cursor.execute("SELECT count(*) FROM observations").fetchone()[0]
    plan = pipeline.check(data, "many.csv", db)
    assert plan.accepted, [(e.code, e.row) for e in plan.errors[:5]]
    rows = data.count(b"\n") - 1
    assert rows > 90_000 and plan.counts["insert"] == rows
    upload_id = pipeline.commit(plan, db, "ana").upload_id
    db.release()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        after = con.execute("SELECT count(*) FROM observations").fetchone()[0]
        revisions = con.execute("SELECT action, count(*) FROM observation_revisions WHERE upload_id = ? GROUP BY ALL",
                                [upload_id]).fetchall()
        sample = con.execute("SELECT value FROM observations WHERE period = '2003-05' AND region_code = ? AND "
                             "indicator_code = ?", [plan.changes.frame["region_code"].iloc[0],
                                                    plan.changes.frame["indicator_code"].iloc[0]]).fetchone()
    assert after == before + rows
    assert revisions == [("insert", rows)]
    assert sample == ((2003 * 7 + 5 * 3) % 997 + 0.5,)


def test_a_write_that_needs_more_than_the_limit_writes_nothing_and_names_the_setting(demo_db, monkeypatch):
    data = _many_new_values(demo_db)
    db = access.database(demo_db)
    plan = pipeline.check(data, "many.csv", db)
    assert plan.accepted
    with db.reading() as cursor:
        before = cursor.execute("SELECT count(*) FROM observations").fetchone()[0]
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "4MB")
    with pytest.raises(access.WriteMemoryExceeded, match=WRITE_MEMORY_ENV_VAR):
        pipeline.commit(plan, db, "ana")
    db.release()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == before
        assert con.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0


def test_the_limit_makes_room_for_the_index_of_new_keys(demo_db, monkeypatch):
    """DuckDB cannot spill a transaction's new index entries: a write of many new values gets NEW_KEY_BYTES each
    on top of the limit (two million new values failed at COMMIT under 256MB without it); a few get nothing."""
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "256MB")
    db = access.database(demo_db)
    with db.writing() as con:
        db.make_room_for_new_keys(con, 1_000)
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == _shown("256MB")
        db.make_room_for_new_keys(con, 2_000_000)
        raised = access._bytes_shown(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
    assert abs(raised - (access._bytes_shown(_shown("256MB")) + 2_000_000 * access.NEW_KEY_BYTES)) < 2 << 20


def test_a_refused_write_is_told_as_such_by_the_pages_and_the_command(demo_db, tmp_path, monkeypatch, capsys):
    """WriteMemoryExceeded is a refused write: every page and command that refuses a busy database (busy_key) says
    what it is in the user's language, and the command line exits with its usage code, nothing written."""
    from twomountains import cli
    from twomountains.i18n import t
    refused = access.WriteMemoryExceeded("x")
    assert access.busy_key(refused, "upload.busy") == "upload.write_memory"
    assert access.busy_key(access.DatabaseBusy("x"), "upload.busy") == "upload.busy"
    assert WRITE_MEMORY_ENV_VAR in t("upload.write_memory", "en") and WRITE_MEMORY_ENV_VAR in t("upload.write_memory", "zh")
    upload = tmp_path / "many.csv"
    upload.write_bytes(_many_new_values(demo_db))
    with duckdb.connect(str(demo_db), read_only=True) as con:
        before = con.execute("SELECT count(*) FROM observations").fetchone()[0]
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "4MB")
    capsys.readouterr()
    code = cli.main(["ingest", str(upload), "--db", str(demo_db), "--user", "ana", "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert t("upload.write_memory", "en") in err
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM observations").fetchone()[0] == before
        assert con.execute("SELECT count(*) FROM uploads").fetchone()[0] == 0


def test_the_store_makes_room_for_the_new_keys_it_writes(demo_db, tmp_path, monkeypatch):
    """The writer of new observation keys (store.write_observation_upload) is the one that makes room for them, with
    their count, before it writes them: every caller of it gets the room, not only pipeline.commit."""
    from twomountains.ingest import store
    monkeypatch.setenv(WRITE_MEMORY_ENV_VAR, "64MB")
    monkeypatch.setenv(TEMP_DIR_ENV_VAR, str(tmp_path / "spill"))
    db = access.database(demo_db)
    plan = pipeline.check(_many_new_values(demo_db), "many.csv", db)
    assert plan.accepted and plan.counts["insert"] > 90_000
    meta = store.UploadMeta(kind="observations", user_name="ana", file_name="many.csv", sha256=plan.sha256,
                            encoding=plan.encoding, layout=plan.layout, options={"cumulative": False},
                            rows=plan.rows, warnings=0)
    asked = []

    def make_room(con, count):
        asked.append((count, con.execute("SELECT count(*) FROM observations").fetchone()[0]))
        db.make_room_for_new_keys(con, count)

    with db.reading() as cursor:
        before = cursor.execute("SELECT count(*) FROM observations").fetchone()[0]
    with db.writing() as con:
        store.ensure_tables(con)
        store.write_observation_upload(con, meta, plan.changes, make_room_for_new_keys=make_room)
    db.release()
    assert asked == [(plan.counts["insert"], before)]          # once, with the count, before any value is written
