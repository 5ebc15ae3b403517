"""Header cells to fields: the fields are data (data/ingest/kind_fields.csv, kind observations), so are
the synonyms (English and Chinese) in the file kinds.csv names for the kind (data/ingest/headers.csv)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pandas as pd

from twomountains.ingest import kinds
from twomountains.paths import DATA_DIR

KIND = "observations"
# Fields of an observation file. `indicator` and `region` accept a code or a name.
FIELDS = kinds.fields(KIND)
INDICATOR_FIELDS = kinds.with_role(KIND, "indicator")
REGION_FIELDS = kinds.with_role(KIND, "region")
# What the long layout needs: an indicator (by code or name), a period and a value.
REQUIRED_LONG = kinds.required(KIND)


def normalise_header(text: str) -> str:
    """Full-width to ASCII, lower case, no blanks; a trailing '(...)' note is kept (it may be a unit)."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip().lower()
    cleaned = cleaned.lstrip("\ufeff'")
    return re.sub(r"\s+", " ", cleaned).replace("（", "(").replace("）", ")")


@lru_cache(maxsize=None)
def synonyms(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """Normalised header text to field."""
    table = synonyms_table(data_dir)
    mapping: dict[str, str] = {}
    for row in table.itertuples():
        if row.field not in FIELDS:
            raise ValueError(f"headers.csv: unknown field {row.field!r}")
        key = normalise_header(row.header)
        if key in mapping and mapping[key] != row.field:
            raise ValueError(f"headers.csv: {row.header!r} is given for two fields")
        mapping[key] = row.field
    return mapping


def synonyms_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """field, header, lang: for the documentation and the page."""
    return pd.read_csv(Path(data_dir) / kinds.kind(KIND, data_dir)["headers"], dtype=str, keep_default_na=False)


def field_of(header: str) -> str | None:
    """The field a header names, or None. A header with a unit in brackets, '数值(亿元)', names its field too."""
    key = normalise_header(header)
    known = synonyms()
    if key in known:
        return known[key]
    bare = re.sub(r"\s*\([^)]*\)$", "", key)
    return known.get(bare)


def bracketed_unit(header: str) -> str | None:
    """The unit written in a header's brackets, '数值(亿元)' -> '亿元'."""
    match = re.search(r"\(([^)]*)\)$", normalise_header(header))
    return match[1].strip() if match else None
