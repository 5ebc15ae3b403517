"""The validated ingest checked a second way: apply the honest floor to one copy of a database and the validated
ingest to another, from the same file, and compare the results (`python -m bench.ingest_agrees DB [ROWS]`).

Prints the counts of observations one has and the other lacks (both must be 0), and whether every changed value
left exactly one revision whose old value is the database's before and whose new value is the one stored."""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
import shutil

import duckdb

from bench import ingest

COLUMNS = "indicator_code, region_code, period, period_kind, year, quarter, month, value"


def main() -> None:
    source = Path(sys.argv[1])
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else ingest.ROWS
    with tempfile.TemporaryDirectory(dir=source.parent) as work:
        work = Path(work)
        upload = ingest.write_upload_file(source, work / f"upload_{rows}.csv", rows)
        floor, ours = work / "floor.duckdb", work / "ours.duckdb"
        shutil.copy(source, floor)
        shutil.copy(source, ours)
        con = duckdb.connect(str(floor))
        con.execute("BEGIN TRANSACTION")
        for statement in ingest.HONEST_FLOOR_SQL:
            con.execute(statement, {"path": str(upload)} if "$path" in statement else {})
        con.execute("COMMIT")
        con.close()
        done = subprocess.run([sys.executable, "-m", "bench.ingest", "ours", str(ours), str(upload)],
                              capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent)
        print("counts", json.loads(done.stdout.splitlines()[-1])["counts"])
        c = duckdb.connect(":memory:")
        for alias, path in (("f", floor), ("o", ours), ("m", source)):
            c.execute(f"ATTACH '{path}' AS {alias} (READ_ONLY)")
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        print("floor minus ours", one(f"SELECT count(*) FROM (SELECT {COLUMNS} FROM f.observations "
                                      f"EXCEPT ALL SELECT {COLUMNS} FROM o.observations)"),
              "ours minus floor", one(f"SELECT count(*) FROM (SELECT {COLUMNS} FROM o.observations "
                                      f"EXCEPT ALL SELECT {COLUMNS} FROM f.observations)"))
        print("revisions", one("SELECT count(*) FROM o.observation_revisions"),
              "distinct keys", one("SELECT count(DISTINCT (indicator_code, region_code, period)) "
                                   "FROM o.observation_revisions"),
              "old value as before", one("SELECT count(*) FROM o.observation_revisions r JOIN m.observations s "
                                         "USING (indicator_code, region_code, period) WHERE r.old_value = s.value"),
              "new value as stored", one("SELECT count(*) FROM o.observation_revisions r JOIN o.observations s "
                                         "USING (indicator_code, region_code, period) WHERE r.new_value = s.value"))
        c.close()


if __name__ == "__main__":
    main()
