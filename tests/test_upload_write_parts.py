"""A large upload is applied in parts of consecutive rows (store.write_changes, 250,000 rows each): with tiny
parts, a file of new and changed values lands exactly as the plan said, with one revision per value, in one
transaction, and its rollback restores the export made before it."""
from __future__ import annotations

import duckdb

from tests.test_upload_store import export_bytes
from twomountains import access
from twomountains.ingest import history, pipeline, store

FILE = (b"indicator_code,period,value\n"
        b"tourism_revenue,2025Q4,48.0\nforest_cover,2025,68.1\ntourism_revenue,2025Q3,41.5\n"
        b"forest_cover,2014,70.2\ntourism_revenue,2014Q4,12.5\n")


def test_parts_write_every_value_and_revision_and_roll_back_exactly(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(store, "_WRITE_PART", 2)
    before = export_bytes(demo_db, tmp_path)
    db = access.database(demo_db)
    plan = pipeline.check(FILE, "parts.csv", db)
    assert plan.accepted, [(e.code, e.row, e.column) for e in plan.errors]
    assert plan.counts["insert"] == 2 and plan.counts["update"] == 3, plan.counts
    upload_id = pipeline.commit(plan, db, "ana").upload_id
    db.release()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        stored = dict(con.execute(
            "SELECT indicator_code || '/' || period, value FROM observations WHERE region_code = '500156' "
            "AND indicator_code IN ('tourism_revenue', 'forest_cover')").fetchall())
        revisions = con.execute("SELECT action, count(*) FROM observation_revisions WHERE upload_id = ? "
                                "GROUP BY ALL ORDER BY ALL", [upload_id]).fetchall()
    assert {k: stored[k] for k in ("tourism_revenue/2025Q4", "forest_cover/2025", "tourism_revenue/2025Q3",
                                   "forest_cover/2014", "tourism_revenue/2014Q4")} == {
        "tourism_revenue/2025Q4": 48.0, "forest_cover/2025": 68.1, "tourism_revenue/2025Q3": 41.5,
        "forest_cover/2014": 70.2, "tourism_revenue/2014Q4": 12.5}
    assert revisions == [("insert", 2), ("update", 3)]
    result = history.rollback(db, upload_id, "bo")
    assert (result.restored, result.removed) == (3, 2)
    assert export_bytes(demo_db, tmp_path) == before
