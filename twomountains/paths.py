"""Where the project's files live, and which database file is in use."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "twomountains.duckdb"
DB_ENV_VAR = "TWOMOUNTAINS_DB"
READ_ONLY_ENV_VAR = "TWOMOUNTAINS_READ_ONLY"   # 1: this process opens the database file for reading only
# The most memory DuckDB may use while it writes the database file (a DuckDB size: 256MB, 1GB; "none": DuckDB's
# own default, 80% of the machine's memory), and where it spills what does not fit (default: beside the file).
WRITE_MEMORY_ENV_VAR = "TWOMOUNTAINS_WRITE_MEMORY"
DEFAULT_WRITE_MEMORY = "256MB"
TEMP_DIR_ENV_VAR = "TWOMOUNTAINS_DUCKDB_TEMP"


LAKE_PREFIX = "ducklake:"


class LakeLocation(str):
    """A DuckLake catalog, `ducklake:postgres:<connection string>` (twomountains.lake), where a path may stand.

    It "exists" as far as the callers that check a file are concerned: whether the catalog answers is
    found out, and said, on connecting."""

    def exists(self) -> bool:
        return True

    @property
    def name(self) -> str:
        return "lake"


def db_path(explicit: str | os.PathLike | None = None) -> Path | LakeLocation:
    """The database: an explicit path, else $TWOMOUNTAINS_DB, else the embedded default file.

    A value starting with `ducklake:` names a lake instead of a file (docs/scaling.md)."""
    value = explicit or os.environ.get(DB_ENV_VAR)
    if not value:
        return DEFAULT_DB
    if str(value).startswith(LAKE_PREFIX):
        return LakeLocation(str(value))
    return Path(value)


def read_only_requested() -> bool:
    """Whether $TWOMOUNTAINS_READ_ONLY asks this process to open the database file read-only."""
    return os.environ.get(READ_ONLY_ENV_VAR, "").strip().lower() in ("1", "true", "yes")


def write_memory_limit() -> str | None:
    """The memory DuckDB may use while writing the database file ($TWOMOUNTAINS_WRITE_MEMORY, default 256MB),
    or None for DuckDB's own default ("none")."""
    value = os.environ.get(WRITE_MEMORY_ENV_VAR, "").strip() or DEFAULT_WRITE_MEMORY
    return None if value.lower() in ("none", "default") else value


def duckdb_temp_directory(database: Path) -> Path:
    """Where DuckDB spills what does not fit in its memory limit: $TWOMOUNTAINS_DUCKDB_TEMP, else a folder beside
    the database file (DuckDB's own default; a writer can write there, as it writes the file's WAL there)."""
    value = os.environ.get(TEMP_DIR_ENV_VAR, "").strip()
    return Path(value) if value else Path(str(database) + ".tmp")
