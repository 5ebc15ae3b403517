"""The ecology side of the plan: environment goals grouped by theme, and the "two mountains" link
between ecology and prosperity. Pure functions over the annual values and the catalog."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from twomountains.paths import DATA_DIR

THEMES = ("forest", "air", "water", "sanitation", "land", "titles")
THEMES_FILE = Path("ecology/themes.csv")
CHARTED_TYPES = ("level", "count", "context")  # milestones are listed with their status, not charted
ECOLOGY_CODE = "forest_cover"
PROSPERITY_CODES = ("tourism_revenue", "eco_industry_output", "tourist_visits")


def load_themes(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """indicator_code, theme, order: which environment goal belongs to which theme of the ecology page."""
    frame = pd.read_csv(Path(data_dir) / THEMES_FILE, dtype={"indicator_code": str, "theme": str, "order": int})
    return frame.sort_values("order").reset_index(drop=True)


def small_multiples_frame(annual: pd.DataFrame, catalog: pd.DataFrame, themes: pd.DataFrame,
                          statuses: dict[str, str], as_of: int) -> pd.DataFrame:
    """One row per charted goal and year up to `as_of`, with its target and status, in theme order.

    `catalog` is indexed by code (target_type, target_value); `statuses` maps code → status.
    """
    columns = ["code", "theme", "order", "year", "value", "quality", "target", "status"]
    charted = themes[themes.indicator_code.map(
        lambda c: c in catalog.index and catalog.loc[c, "target_type"] in CHARTED_TYPES)]
    rows = []
    for item in charted.itertuples():
        indicator = catalog.loc[item.indicator_code]
        target = (float(indicator.target_value)
                  if indicator.target_type in ("level", "count") and pd.notna(indicator.target_value) else None)
        series = annual[(annual.indicator_code == item.indicator_code) & (annual.year <= as_of)]
        for row in series.sort_values("year").itertuples():
            rows.append([item.indicator_code, item.theme, item.order, int(row.year), float(row.value),
                         row.quality, target, statuses.get(item.indicator_code, "no_data")])
    return pd.DataFrame(rows, columns=columns)


def link_frame(annual: pd.DataFrame, prosperity_code: str, as_of: int,
               ecology_code: str = ECOLOGY_CODE) -> pd.DataFrame:
    """Years in which both the ecology series and the prosperity series have a value, up to `as_of`."""
    def one(code, name):
        part = annual[(annual.indicator_code == code) & (annual.year <= as_of)]
        return part[["year", "value", "quality"]].rename(columns={"value": name, "quality": f"{name}_quality"})

    joined = one(ecology_code, "ecology").merge(one(prosperity_code, "prosperity"), on="year")
    joined["year"] = joined.year.astype(int)
    return joined.sort_values("year").reset_index(drop=True)


def indexed(frame: pd.DataFrame, column: str, base_year: int) -> pd.Series:
    """A column as an index with base_year = 100 (NaN if the base year is missing or zero)."""
    base = frame.loc[frame.year == base_year, column]
    if base.empty or not base.iloc[0]:
        return pd.Series(float("nan"), index=frame.index)
    return frame[column] / float(base.iloc[0]) * 100.0
