"""Where the project's files live, and which database file is in use."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = DATA_DIR / "twomountains.duckdb"
DB_ENV_VAR = "TWOMOUNTAINS_DB"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit path, else $TWOMOUNTAINS_DB, else the embedded default."""
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(DB_ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_DB
