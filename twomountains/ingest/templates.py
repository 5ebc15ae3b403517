"""The upload templates: the long layout with the catalog's codes, names and units, and the list of the map's
points (a points file replaces the list); headers in zh or en."""
from __future__ import annotations

import pandas as pd

from twomountains.database import read_sql
from twomountains.exports import csv_bytes, xlsx_bytes
from twomountains.i18n import t
from twomountains.scorecard import DISTRICT

TEMPLATE_FIELDS = ("indicator_code", "indicator_name", "region_code", "region", "period", "value", "unit",
                   "source", "note")


def headers(lang: str) -> list[str]:
    """The template's column headers; each is a synonym in data/ingest/headers.csv (a test checks it)."""
    return [t(f"upload.field.{name}", lang) for name in TEMPLATE_FIELDS]


def frame(con, lang: str) -> pd.DataFrame:
    """One row per catalog indicator for the district, period and value left blank."""
    catalog = con.execute(read_sql("indicator_catalog")).df()
    regions = con.execute(read_sql("upload_regions")).df().set_index("code")
    rows = []
    for indicator in catalog.sort_values("code").itertuples():
        symbol = getattr(indicator, f"symbol_{lang}")
        rows.append([indicator.code, getattr(indicator, f"name_{lang}"), DISTRICT,
                     regions.loc[DISTRICT, f"name_{lang}"], "", "",
                     symbol if isinstance(symbol, str) and symbol else indicator.unit, "", ""])
    return pd.DataFrame(rows, columns=headers(lang))


def file_bytes(con, lang: str, kind: str = "csv") -> bytes:
    table = frame(con, lang)
    return xlsx_bytes(table, sheet="data") if kind == "xlsx" else csv_bytes(table)


def file_name(lang: str, kind: str = "csv") -> str:
    return f"{t('upload.template_file_stem', lang)}.{kind}"


def points_file_bytes(con, lang: str, kind: str = "csv") -> bytes:
    """The points template: every village and point now on the map, headers and words in `lang`."""
    from twomountains.ingest.points import template_frame
    table = template_frame(con, lang)
    return xlsx_bytes(table, sheet="points") if kind == "xlsx" else csv_bytes(table)


def points_file_name(lang: str, kind: str = "csv") -> str:
    return f"{t('upload.template_points_file_stem', lang)}.{kind}"
