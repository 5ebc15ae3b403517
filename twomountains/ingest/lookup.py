"""Indicators, regions and units as the database knows them, found by code or by name.

Pre-2020 townships (and the former county) stay valid for the periods they existed; a value for a
later period given under an old name or code belongs to the unit that succeeded it.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from twomountains.database import read_sql
from twomountains.paths import DATA_DIR
from twomountains.periods import Period

DISTRICT = "500156"
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "‘": "'", "’": "'"})


@lru_cache(maxsize=65536)   # a file repeats the same few names on every row
def key(text) -> str:
    """How names are compared: full-width folded, quotes unified, no blanks, case ignored."""
    cleaned = unicodedata.normalize("NFKC", str(text)).translate(_QUOTES)
    return re.sub(r"\s+", "", cleaned).lower()


@lru_cache(maxsize=65536)
def region_code_text(text) -> str:
    """'500156103000' (12-digit form) and '500156103.0' (a number cell) as the 9- or 6-digit code."""
    cleaned = unicodedata.normalize("NFKC", str(text)).strip()
    if re.fullmatch(r"\d+\.0+", cleaned):
        cleaned = cleaned.split(".")[0]
    if re.fullmatch(r"\d{12}", cleaned) and cleaned.endswith("000"):
        cleaned = cleaned[:9]
    if re.fullmatch(r"\d{9}", cleaned) and cleaned.endswith("000"):
        cleaned = cleaned[:6]
    return cleaned


@lru_cache(maxsize=None)
def _aliases(data_dir: Path, name: str) -> tuple[tuple[str, str], ...]:
    table = pd.read_csv(Path(data_dir) / "ingest" / name, dtype=str, keep_default_na=False)
    return tuple(zip(table.iloc[:, 0], table.iloc[:, 1]))


def _plain(value):
    """Missing cells (NaN, NaT, pd.NA) as None."""
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):
        return value


@dataclass(frozen=True)
class RegionMatch:
    code: str             # the region the value is stored under
    given_code: str       # the region the file named
    mapped: bool          # True when an old unit was mapped to its successor


class Lookup:
    """Built from the database's catalog and regions (so catalog uploads count at once)."""

    def __init__(self, catalog: pd.DataFrame, regions: pd.DataFrame, data_dir: Path = DATA_DIR):
        self.catalog = catalog.set_index("code", drop=False)
        # Plain dicts: a file of many thousand rows looks them up once per row.
        self._indicators = {row["code"]: {k: _plain(v) for k, v in row.items()} for row in catalog.to_dict("records")}
        self._regions = {row["code"]: {k: _plain(v) for k, v in row.items()} for row in regions.to_dict("records")}
        self._by_code = {key(c): c for c in self._indicators}
        self._by_name = {}
        for row in self._indicators.values():
            self._by_name[key(row["name_zh"])] = row["code"]
            self._by_name[key(row["name_en"])] = row["code"]
        self._region_by_name = {}
        for row in self._regions.values():
            self._region_by_name.setdefault(key(row["name_zh"]), row["code"])
            self._region_by_name.setdefault(key(row["name_en"]), row["code"])
        for alias, code in _aliases(Path(data_dir), "region_aliases.csv"):
            if code in self._regions:
                self._region_by_name.setdefault(key(alias), code)
        self._unit_alias = {key(alias): unit for alias, unit in _aliases(Path(data_dir), "unit_aliases.csv")}

    @classmethod
    def from_database(cls, con, data_dir: Path = DATA_DIR) -> "Lookup":
        catalog = con.execute(read_sql("indicator_catalog")).df()
        regions = con.execute(read_sql("upload_regions")).df()
        return cls(catalog, regions, data_dir)

    # Indicators -------------------------------------------------------------------------------
    def indicator(self, text: str, how: str = "any") -> str | None:
        """The code of the indicator a cell names: by code, by exact Chinese or English name, or either."""
        k = key(text)
        if how in ("code", "any") and k in self._by_code:
            return self._by_code[k]
        if how in ("name", "any") and k in self._by_name:
            return self._by_name[k]
        return None

    def suggest_indicator(self, text: str) -> str | None:
        candidates = list(self._by_code) + list(self._by_name)
        close = difflib.get_close_matches(key(text), candidates, n=1, cutoff=0.6)
        if not close:
            return None
        return self._by_code.get(close[0]) or self._by_name.get(close[0])

    def indicator_row(self, code: str) -> dict:
        return self._indicators[code]

    # Regions ----------------------------------------------------------------------------------
    def region(self, text: str, how: str = "any") -> str | None:
        """The region a cell names. A known name in the code column ("武隆区" under 区划代码) or a code in
        the name column is taken as that region: the analyst's meaning is plain, and answering "did you
        mean 武隆区?" to 武隆区 helps no one. `how` is kept for callers; both columns accept both."""
        code = region_code_text(text)
        if code in self._regions:
            return code
        return self._region_by_name.get(key(text))

    def suggest_region(self, text: str) -> str | None:
        close = difflib.get_close_matches(key(text), list(self._region_by_name), n=1, cutoff=0.6)
        return self._region_by_name[close[0]] if close else None

    def region_for_period(self, code: str, period: Period) -> RegionMatch:
        """An old unit stays itself for the periods it existed; after that its successor takes the value."""
        current = code
        seen = set()
        while current not in seen:
            seen.add(current)
            row = self._regions[current]
            successor = row["successor_code"]
            if not isinstance(successor, str) or not successor:
                break
            valid_to = row["valid_to"]
            if valid_to is not None and period.end_date <= pd.Timestamp(valid_to).date():
                break
            current = successor
        return RegionMatch(current, code, current != code)

    def has_successor(self, code: str) -> bool:
        """Whether a unit was merged into another (only such a unit can be mapped for a later period)."""
        successor = self._regions[code]["successor_code"]
        return isinstance(successor, str) and bool(successor)

    def region_names(self, code: str) -> dict:
        row = self._regions[code]
        return {"zh": row["name_zh"], "en": row["name_en"]}

    # Units ------------------------------------------------------------------------------------
    def unit_matches(self, indicator_code: str, text: str) -> bool:
        row = self._indicators[indicator_code]
        k = key(text)
        accepted = {key(row["unit"])}
        for symbol in (row["symbol_zh"], row["symbol_en"]):
            if isinstance(symbol, str) and symbol:
                accepted.add(key(symbol))
        return k in accepted or self._unit_alias.get(k) == row["unit"]

    def unit_label(self, indicator_code: str) -> dict:
        row = self._indicators[indicator_code]
        zh = row["symbol_zh"] if isinstance(row["symbol_zh"], str) and row["symbol_zh"] else row["unit"]
        en = row["symbol_en"] if isinstance(row["symbol_en"], str) and row["symbol_en"] else row["unit"]
        return {"zh": f"{zh} ({row['unit']})", "en": f"{en} ({row['unit']})"}

    def bounds(self, indicator_code: str) -> tuple[float | None, float | None]:
        row = self._indicators[indicator_code]
        low, high = row["min_value"], row["max_value"]
        return (None if low is None else float(low)), (None if high is None else float(high))

    def is_percent(self, indicator_code: str) -> bool:
        return self._indicators[indicator_code]["unit"] == "percent"

    def is_flow(self, indicator_code: str) -> bool:
        """Values that add up over a year (revenue, visits), the only ones that can be cumulative."""
        return self._indicators[indicator_code]["aggregation"] == "sum"

    def names(self, indicator_code: str) -> dict:
        row = self._indicators[indicator_code]
        return {"zh": row["name_zh"], "en": row["name_en"]}
