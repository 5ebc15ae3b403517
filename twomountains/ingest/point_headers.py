"""The headers of a rural-tourism points file (data/ingest/point_headers.csv): which field a header names,
and whether a header row is a points file's. The layout stage asks this before any kind-specific code."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from twomountains import metadata
from twomountains.ingest import kinds
from twomountains.ingest.headers import normalise_header
from twomountains.paths import DATA_DIR

KIND = "points"
LAYOUT = "rural_tourism_points"
# Headers that only a points file has (role distinctive in data/ingest/kind_fields.csv): one of them and
# three point fields make a header row a points header.
DISTINCTIVE = set(kinds.with_role(KIND, "distinctive"))


@lru_cache(maxsize=None)
def synonyms(data_dir: Path = DATA_DIR) -> dict[str, str]:
    table = metadata.load_table("point_headers", data_dir)
    return {normalise_header(h): f for h, f in zip(table.header, table.field)}


def synonyms_table(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    return metadata.load_table("point_headers", data_dir)


def field_of(header: str) -> str | None:
    return synonyms().get(normalise_header(header))


def is_points_header(cells: list[str]) -> bool:
    fields = {field_of(c) for c in cells if c.strip()} - {None}
    return bool(fields & DISTINCTIVE) and len(fields) >= 3
