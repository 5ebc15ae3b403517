"""A database file written by DuckDB 2.0.1 (the project's DuckDB until November 2026) keeps working.

The file is made the way a district made it: the project's own build and `ingest` commands running on
DuckDB 2.0.1 (the converter's copy beside the project, put first on the path), with an upload, a second
upload and a rollback in its history. Then the dashboard's access layer, on DuckDB 1.4.4, opens it:
converted once, every row of every table as before, the original kept, and it takes the next upload.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from twomountains import access, file_format
from twomountains.paths import ROOT

DUMP = r"""
import json, sys
import duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
out = {"version": duckdb.__version__,
       "storage": con.execute("SELECT tags['storage_version'] FROM duckdb_databases() WHERE NOT internal").fetchall()[0][0]}
for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall():
    out[name] = [list(map(str, row)) for row in con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()]
print(json.dumps(out))
"""


def under_duckdb2(*argv: str, check: bool = True) -> subprocess.CompletedProcess:
    """Run Python with DuckDB 2.0.1 first on the path (the rest of the environment as it is)."""
    env = {**os.environ, "PYTHONPATH": f"{file_format.converter_dir()}{os.pathsep}{ROOT}"}
    done = subprocess.run([sys.executable, *argv], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def contents(path: Path, duckdb2: bool) -> dict:
    if duckdb2:
        return json.loads(under_duckdb2("-c", DUMP, str(path)).stdout)
    done = subprocess.run([sys.executable, "-c", DUMP, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def duckdb2_file(tmp_path_factory) -> tuple[Path, dict]:
    if not (file_format.converter_dir() / "duckdb").is_dir():
        pytest.fail(f"DuckDB 2.0.1 is missing in {file_format.converter_dir()}: run `make install`")
    folder = tmp_path_factory.mktemp("duckdb2")
    db = folder / "twomountains.duckdb"
    upload = folder / "forest.csv"
    upload.write_text("indicator_code,region_code,period,value\nforest_cover,500156,2025,71.1\n"
                      "forest_cover,500156,2024,70.2\n")
    second = folder / "air.csv"
    second.write_text("indicator_code,region_code,period,value\nair_good_days_ratio,500156,2025,95.5\n")
    probe = under_duckdb2("-c", "import duckdb; print(duckdb.__version__)").stdout.strip()
    assert probe == "2.0.1", probe
    under_duckdb2("-m", "twomountains", "build-db", "--db", str(db))
    under_duckdb2("-m", "twomountains", "ingest", str(upload), "--db", str(db))
    under_duckdb2("-m", "twomountains", "ingest", str(second), "--db", str(db))
    under_duckdb2("-m", "twomountains", "rollback", "2", "--db", str(db))
    before = contents(db, duckdb2=True)
    assert before["version"] == "2.0.1" and before["storage"] == "v2.0.0+"
    assert len(before["uploads"]) == 3 and before["observation_revisions"]
    return db, before


def test_a_duckdb2_file_is_converted_once_with_every_row(duckdb2_file, tmp_path):
    original, before = duckdb2_file
    db = tmp_path / "twomountains.duckdb"
    db.write_bytes(original.read_bytes())
    with pytest.raises(duckdb.IOException, match="newer version"):
        duckdb.connect(str(db), read_only=True)

    assert int(access.Database(db).version()) >= 1            # opened through the dashboard's access layer
    after = contents(db, duckdb2=False)
    assert after.pop("storage") == "v1.4.0+" and after.pop("version") == duckdb.__version__
    before = {k: v for k, v in before.items() if k not in ("storage", "version")}
    assert after == before                                       # every table, every row, the history too
    backup = db.with_name(db.name + file_format.BACKUP_SUFFIX)
    assert backup.read_bytes() == original.read_bytes()          # the original kept, byte for byte
    assert not file_format.needs_conversion(db)


def test_the_converted_file_takes_the_next_upload_and_its_rollback(duckdb2_file, tmp_path):
    original, _ = duckdb2_file
    db = tmp_path / "twomountains.duckdb"
    db.write_bytes(original.read_bytes())
    upload = tmp_path / "next.csv"
    upload.write_text("indicator_code,region_code,period,value\nforest_cover,500156,2023,69.9\n")
    for argv in (["ingest", str(upload)], ["rollback", "4"]):
        done = subprocess.run([sys.executable, "-m", "twomountains", *argv, "--db", str(db)], capture_output=True,
                              text=True, cwd=ROOT, timeout=120)
        assert done.returncode == 0, done.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT id, kind, rolls_back FROM uploads ORDER BY id").fetchall() == [
            (1, "observations", None), (2, "observations", None), (3, "rollback", 2),
            (4, "observations", None), (5, "rollback", 4)]


def test_without_the_converter_nothing_changes_and_the_message_says_what_to_do(duckdb2_file, tmp_path,
                                                                                monkeypatch):
    original, _ = duckdb2_file
    db = tmp_path / "twomountains.duckdb"
    db.write_bytes(original.read_bytes())
    monkeypatch.setenv(file_format.CONVERTER_ENV_VAR, str(tmp_path / "nowhere"))
    with pytest.raises(file_format.ConversionFailed, match="make install"):
        access.Database(db).version()
    assert db.read_bytes() == original.read_bytes()
    assert not db.with_name(db.name + file_format.BACKUP_SUFFIX).exists()
