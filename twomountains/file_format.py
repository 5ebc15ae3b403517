"""Database files written by DuckDB 2.0, converted once, automatically, for the DuckDB the project pins.

Until November 2026 the project ran DuckDB 2.0.1, which writes its files in storage format "v2.0.0+".
The project now pins DuckDB 1.4.4 (the 1.4 LTS line, the newest one for which the DuckLake and PostgreSQL
extensions are published as wheels), and 1.4.4 cannot read that format. A district's file holds its
uploads and their history, so it is converted, not rebuilt: DuckDB 2.0.1, installed beside the project
by `make install` (`.venv/duckdb-2.0.1`, see the Makefile), copies every table, with its constraints and
rows, into a new file in format "v1.4.0" (`COPY FROM DATABASE`); the row counts of every table are
compared; the original is kept beside it as `<name>.duckdb-2.0.bak`, and the new file is moved into
place with `os.replace`. A crash leaves the original in place (converted again on the next start).
Processes starting at once convert one at a time under a lock file and the later ones find it done.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from twomountains.paths import ROOT

CONVERTER_ENV_VAR = "TWOMOUNTAINS_DUCKDB2"       # a folder holding the duckdb 2.0.x package
DEFAULT_CONVERTER = ROOT / ".venv" / "duckdb-2.0.1"
TARGET_STORAGE = "v1.4.0"
BACKUP_SUFFIX = ".duckdb-2.0.bak"
_NEWER = "created with an newer version"         # DuckDB's message (sic), 1.4.4


class ConversionFailed(RuntimeError):
    """The file is of a newer DuckDB and could not be converted; the message says what to do."""


def is_newer_format(error: Exception) -> bool:
    text = str(error)
    return _NEWER in text or "newer version of DuckDB" in text


def converter_dir() -> Path:
    return Path(os.environ.get(CONVERTER_ENV_VAR) or DEFAULT_CONVERTER)


# Runs under DuckDB 2.0.x (its own folder first on the path). Prints the row counts of both files as JSON.
_SCRIPT = r"""
import json, sys
import duckdb
source, target, storage = sys.argv[1:4]
con = duckdb.connect()
con.execute(f"ATTACH '{source}' AS old (READ_ONLY)")
con.execute(f"ATTACH '{target}' AS new (STORAGE_VERSION '{storage}')")
con.execute("COPY FROM DATABASE old TO new")
counts = {}
for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'old' ORDER BY 1").fetchall():
    counts[name] = [con.execute(f'SELECT count(*) FROM old."{name}"').fetchall()[0][0],
                    con.execute(f'SELECT count(*) FROM new."{name}"').fetchall()[0][0]]
con.execute("DETACH new")
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


def convert(path: Path) -> Path:
    """Convert a DuckDB 2.0 file in place (keeping the original as <name>.duckdb-2.0.bak); returns the backup."""
    path = Path(path)
    lock_path = path.with_name(path.name + ".converting.lock")
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)           # another process converting: wait, then find it done
        if not needs_conversion(path):
            return path.with_name(path.name + BACKUP_SUFFIX)
        folder = converter_dir()
        if not (folder / "duckdb").is_dir():
            raise ConversionFailed(
                f"{path} was written by DuckDB 2.0, which this version of the dashboard (DuckDB 1.4) cannot read. "
                f"It is converted automatically once DuckDB 2.0.1 is installed beside the project: run `make install` "
                f"(or `pip install --target {folder} duckdb==2.0.1`). Nothing was changed.")
        temp = path.with_name(path.name + ".converting")
        for leftover in (temp, Path(str(temp) + ".wal")):
            leftover.unlink(missing_ok=True)
        env = {**os.environ, "PYTHONPATH": str(folder), "PYTHONNOUSERSITE": "1"}
        done = subprocess.run([sys.executable, "-c", _SCRIPT, str(path), str(temp), TARGET_STORAGE],
                              capture_output=True, text=True, env=env, cwd=folder)
        try:
            if done.returncode != 0:
                raise ConversionFailed(f"{path}: the conversion from DuckDB 2.0 failed, nothing was changed:\n"
                                       f"{done.stderr.strip()}")
            report = json.loads(done.stdout.strip().splitlines()[-1])
            uneven = {name: pair for name, pair in report["counts"].items() if pair[0] != pair[1]}
            if uneven or not report["counts"]:
                raise ConversionFailed(f"{path}: the converted copy does not hold every row ({uneven}); "
                                       f"nothing was changed")
            backup = path.with_name(path.name + BACKUP_SUFFIX)
            shutil.copy2(path, backup)             # the original stays, byte for byte
            os.replace(temp, path)                 # one step: the old file or the new one, never half
            return backup
        finally:
            for leftover in (temp, Path(str(temp) + ".wal")):
                leftover.unlink(missing_ok=True)


def needs_conversion(path: Path) -> bool:
    """Whether the file exists and was written in a newer storage format than this DuckDB reads."""
    import duckdb
    if not Path(path).exists():
        return False
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.IOException as error:
        if is_newer_format(error):
            return True
        raise
    return False
