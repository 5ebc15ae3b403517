"""Commit, history, revisions and rollback on a real DuckDB file (a fresh copy of the demo database)."""
from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from twomountains import access, cli
from twomountains.database import build_database
from twomountains.ingest import history, pipeline, store
from twomountains.ingest.validate import Options

CORPUS = Path(__file__).parent / "fixtures" / "uploads"


def export_bytes(db: Path, tmp_path: Path, what: str = "observations") -> bytes:
    out = tmp_path / f"export-{what}.csv"
    assert cli.main(["export", what, "--db", str(db), "--out", str(out)]) == 0
    return out.read_bytes()


def upload(db_path: Path, data: bytes, name: str = "file.csv", user: str = "ana", **options):
    db = access.database(db_path)
    plan = pipeline.check(data, name, db, Options(**options))
    assert plan.accepted, [(e.code, e.row, e.column) for e in plan.errors]
    return pipeline.commit(plan, db, user)


def version(db_path: Path) -> int:
    with duckdb.connect(str(db_path), read_only=True) as con:
        return int(con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()[0][0])


def test_export_round_trip_changes_nothing(demo_db, tmp_path):
    exported = export_bytes(demo_db, tmp_path)
    plan = pipeline.check(exported, "observations.csv", access.database(demo_db))
    assert plan.accepted and plan.layout == "long"
    assert plan.counts == {"insert": 0, "update": 0, "unchanged": len(plan.changes)}
    assert len(plan.changes) == exported.count(b"\r\n") - 1
    assert pipeline.commit(plan, access.database(demo_db), "ana").upload_id is None
    assert export_bytes(demo_db, tmp_path) == exported


def test_export_edit_upload_then_rollback(demo_db, tmp_path):
    original = export_bytes(demo_db, tmp_path)
    frame = pd.read_csv(io.BytesIO(original), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    row = frame.index[(frame.indicator_code == "forest_cover") & (frame.region_code == "500156")
                      & (frame.period == "2023")][0]
    old_value = float(frame.loc[row, "value"])
    frame.loc[row, "value"] = "66.6"
    edited = frame.to_csv(index=False).encode("utf-8-sig")
    start = version(demo_db)
    result = upload(demo_db, edited, "edited.csv")
    assert result.upload_id == 1 and result.plan.counts["update"] == 1
    assert version(demo_db) == start + 1

    after = pd.read_csv(io.BytesIO(export_bytes(demo_db, tmp_path)), dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    changed = after[(after.indicator_code == "forest_cover") & (after.region_code == "500156") & (after.period == "2023")]
    assert changed.value.tolist() == ["66.6"] and changed.quality.tolist() == ["reported"]
    assert changed.source.tolist() == ["edited.csv"]
    assert (after.drop(changed.index).values == frame.drop(row).values).all()

    db = access.database(demo_db)
    revisions = history.value_revisions(db, "forest_cover", "500156", "2023")
    assert revisions[["upload_id", "action", "old_value", "new_value"]].values.tolist() == [
        [1, "update", old_value, 66.6]]
    done = history.rollback(db, 1, "bo")
    assert (done.rollback_id, done.restored, done.removed) == (2, 1, 0)
    assert export_bytes(demo_db, tmp_path) == original
    assert version(demo_db) == start + 2

    log = history.uploads(db)
    assert log.id.tolist() == [2, 1] and log.kind.tolist() == ["rollback", "observations"]
    assert log.user_name.tolist() == ["bo", "ana"]
    assert int(log.rolls_back.iloc[0]) == 1 and pd.isna(log.rolls_back.iloc[1])
    assert int(log.set_index("id").loc[1, "rolled_back_by"]) == 2
    assert len(log.loc[0, "sha256"]) == 64
    trail = history.value_revisions(db, "forest_cover", "500156", "2023")
    assert trail.action.tolist() == ["update", "update"] and trail.upload_id.tolist() == [1, 2]


def test_rollback_removes_inserted_values(demo_db, tmp_path):
    original = export_bytes(demo_db, tmp_path)
    result = upload(demo_db, (CORPUS / "good_cumulative_months.csv").read_bytes(), "months.csv", cumulative=True)
    assert result.plan.counts["insert"] == 8
    done = history.rollback(access.database(demo_db), result.upload_id, "ana")
    assert (done.restored, done.removed) == (0, 8)
    assert export_bytes(demo_db, tmp_path) == original


def test_rollback_refused_when_a_later_upload_changed_the_values(demo_db, tmp_path):
    first = upload(demo_db, b"indicator_code,region_code,period,value\nforest_cover,500156,2023,66.1\n", "a.csv")
    second = upload(demo_db, b"indicator_code,region_code,period,value\nforest_cover,500156,2023,66.2\n", "b.csv")
    db = access.database(demo_db)
    before = export_bytes(demo_db, tmp_path)
    with pytest.raises(history.RollbackRefused) as refused:
        history.rollback(db, first.upload_id, "ana")
    assert refused.value.code == "changed_later" and refused.value.params["later"] == [second.upload_id]
    assert export_bytes(demo_db, tmp_path) == before
    history.rollback(db, second.upload_id, "ana")
    history.rollback(db, first.upload_id, "ana")
    with pytest.raises(history.RollbackRefused) as again:
        history.rollback(db, first.upload_id, "ana")
    assert again.value.code == "already"
    rollbacks = history.uploads(db).query("kind == 'rollback'")
    with pytest.raises(history.RollbackRefused) as of_rollback:
        history.rollback(db, int(rollbacks.id.iloc[0]), "ana")
    assert of_rollback.value.code == "is_rollback"
    with pytest.raises(history.RollbackRefused) as missing:
        history.rollback(db, 99, "ana")
    assert missing.value.code == "not_found"


def test_catalog_upload_and_rollback(demo_db, tmp_path):
    catalog_before = export_bytes(demo_db, tmp_path, "catalog")
    result = upload(demo_db, (CORPUS / "good_catalog_edit.csv").read_bytes(), "catalog.csv")
    assert result.plan.kind == "catalog" and result.plan.counts == {"insert": 1, "update": 1, "unchanged": 0}
    statuses = {s.code: (s.before, s.after) for s in result.plan.statuses}
    assert statuses["forest_cover"] == ("achieved", "missed")  # 2022 had 65.6: enough for 65, not for 66
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT target_value FROM indicators WHERE code = 'forest_cover'").fetchall() == [(66.0,)]
        assert con.execute("SELECT name_zh FROM indicators WHERE code = 'forest_ranger_posts'").fetchall() == \
            [("生态护林员人数",)]
    # The new indicator takes values at once, and the catalog rollback then waits for them to go.
    values = upload(demo_db, "指标名称,时期,数值\n生态护林员人数,2024,312\n".encode(), "rangers.csv")
    db = access.database(demo_db)
    with pytest.raises(history.RollbackRefused) as refused:
        history.rollback(db, result.upload_id, "ana")
    assert refused.value.code == "indicator_has_values"
    history.rollback(db, values.upload_id, "ana")
    history.rollback(db, result.upload_id, "ana")
    assert export_bytes(demo_db, tmp_path, "catalog") == catalog_before


def test_a_rejected_file_changes_nothing_even_in_history(demo_db, tmp_path):
    before = export_bytes(demo_db, tmp_path)
    db = access.database(demo_db)
    plan = pipeline.check((CORPUS / "bad_errors.xlsx").read_bytes(), "bad_errors.xlsx", db)
    with pytest.raises(pipeline.UploadRejected):
        pipeline.commit(plan, db, "ana")
    assert export_bytes(demo_db, tmp_path) == before
    assert history.uploads(db).empty


def test_a_failure_inside_the_transaction_writes_nothing(demo_db, tmp_path, monkeypatch):
    """The revisions are written after the values: if they fail, the values are rolled back too."""
    before = export_bytes(demo_db, tmp_path)
    db = access.database(demo_db)
    plan = pipeline.check((CORPUS / "good_wide_title.csv").read_bytes(), "wide.csv", db)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(store, "write_revisions", broken)
    with pytest.raises(RuntimeError):
        pipeline.commit(plan, db, "ana")
    assert export_bytes(demo_db, tmp_path) == before
    assert history.uploads(db).empty


def test_preview_conflict_tells_to_check_again(demo_db, tmp_path):
    """Two analysts preview files touching the same value; the second commit is refused, not merged."""
    db = access.database(demo_db)
    first = pipeline.check(b"indicator_code,period,value\ntourism_revenue,2025Q4,48.0\n", "a.csv", db)
    second = pipeline.check(b"indicator_code,period,value\ntourism_revenue,2025Q4,49.0\n", "b.csv", db)
    other = pipeline.check(b"indicator_code,period,value\nforest_cover,2025,68.1\n", "c.csv", db)
    assert pipeline.commit(first, db, "ana").upload_id == 1
    with pytest.raises(pipeline.UploadConflict):
        pipeline.commit(second, db, "bo")
    assert pipeline.commit(other, db, "cy").upload_id == 2   # different values: both land
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT value FROM observations WHERE indicator_code = 'tourism_revenue' "
                           "AND period = '2025Q4'").fetchall() == [(48.0,)]


def test_database_built_before_uploads_gets_the_tables(tmp_path):
    db_path = build_database(tmp_path / "old.duckdb")
    with duckdb.connect(str(db_path)) as con:
        for table in ("catalog_revisions", "observation_revisions", "uploads"):
            con.execute(f"DROP TABLE {table}")
    db = access.database(db_path)
    assert history.uploads(db).empty
    result = upload(db_path, b"indicator_code,period,value\nforest_cover,2025,68.1\n", "x.csv")
    assert result.upload_id == 1 and len(history.uploads(db)) == 1


def test_build_db_still_works_and_has_the_upload_tables(tmp_path):
    path = build_database(tmp_path / "fresh.duckdb")
    with duckdb.connect(str(path), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"uploads", "observation_revisions", "catalog_revisions", "observations"} <= tables


def test_a_catalog_file_without_the_year_on_year_column_keeps_the_stored_flag(demo_db, tmp_path):
    """Issue 11 added `year_on_year`; catalog files written before it still upload and change nothing else."""
    exported = pd.read_csv(io.BytesIO(export_bytes(demo_db, tmp_path, "catalog")), dtype=str, encoding="utf-8-sig",
                           keep_default_na=False)
    row = exported[exported.code == "air_good_days_ratio"].drop(columns=["year_on_year"]).copy()
    row["reading_en"] = row["reading_en"] + " (edited)"
    result = upload(demo_db, row.to_csv(index=False).encode("utf-8"), "catalog.csv")
    assert result.plan.counts == {"insert": 0, "update": 1, "unchanged": 0}
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT year_on_year, reading_en FROM indicators WHERE code = 'air_good_days_ratio'"
                           ).fetchall()[0] == (True, row["reading_en"].iloc[0])
