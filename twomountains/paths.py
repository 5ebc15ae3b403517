"""Where the project's files live, and which database file is in use."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "twomountains.duckdb"
DB_ENV_VAR = "TWOMOUNTAINS_DB"
READ_ONLY_ENV_VAR = "TWOMOUNTAINS_READ_ONLY"   # 1: this process opens the database file for reading only


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
