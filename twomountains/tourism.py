"""Tourism figures as the tourism page reads them: single quarters, year-to-date totals, growth, seasons.

Chinese statistics are often published as year-to-date totals (1–3季度累计, 1—8月): the page works
on single quarters and derives them from year-to-date totals where a value is marked so (note
`ytd`), and can show either form. All functions are pure and tested without Streamlit.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from twomountains.paths import DATA_DIR
from twomountains.periods import PeriodError, parse_period

REVENUE, VISITS = "tourism_revenue", "tourist_visits"
TOURISM_CODES = (REVENUE, VISITS)
# The pandemic years: they decide the 2019–2022 growth verdict, so every time chart marks them.
PANDEMIC_YEARS = (2020, 2021, 2022)
YTD_NOTE = "ytd"  # an observation note saying the value is a year-to-date total still to be split
# The note the upload (twomountains.ingest) leaves on a single period it derived from year-to-date totals.
FROM_CUMULATIVE_NOTE = "from_cumulative"
QUARTERS = (1, 2, 3, 4)

SCENIC_AREAS_FILE = Path("tourism/scenic_areas.csv")
SCENIC_QUARTERS_FILE = Path("tourism/scenic_area_quarters.csv")
SCENIC_MEASURES = {"visits": "10k_visits", "revenue": "100m_yuan"}
SCENIC_AREA_COLUMNS = ["code", "order", "name_zh", "name_en", "lat", "lon", "coord_source"]
SCENIC_QUARTER_COLUMNS = ["area_code", "measure", "period", "value", "unit", "source", "quality", "note"]


class ScenicDataError(ValueError):
    """The scenic-area files under data/tourism/ break their schema; names the file and row."""


def single_quarters(year_to_date: dict[int, float]) -> dict[int, float]:
    """Single quarters of one year from its year-to-date totals ({quarter: total since 1 January}).

    Q1 is its own total; a later quarter is its total less the previous one. A quarter whose
    previous total is missing cannot be derived and is left out rather than guessed.
    """
    out = {}
    for quarter in sorted(year_to_date):
        total = year_to_date[quarter]
        if quarter == 1:
            out[1] = total
        elif quarter - 1 in year_to_date:
            out[quarter] = total - year_to_date[quarter - 1]
    return out


def year_to_date(single: dict[int, float]) -> dict[int, float]:
    """Year-to-date totals of one year from its single quarters, up to the first missing quarter."""
    out, running = {}, 0.0
    for quarter in QUARTERS:
        if quarter not in single:
            break
        running += single[quarter]
        out[quarter] = running
    return out


def quarterly_frame(observations: pd.DataFrame) -> pd.DataFrame:
    """Single-quarter values from quarterly observations (indicator_code, year, quarter, value, quality, source, note).

    Rows noted `ytd` are year-to-date totals: they become single quarters (a quarter whose previous
    total is missing is dropped) marked derived=True so the page can say so; rows the upload already
    split (note `from_cumulative`) are single quarters marked derived too. A year-to-date total for
    a quarter that also has a single value is not mixed in.
    """
    columns = ["indicator_code", "year", "quarter", "value", "quality", "source", "derived"]
    rows = []
    for (code, year), group in observations.groupby(["indicator_code", "year"], sort=True):
        is_ytd = group.note.fillna("").eq(YTD_NOTE)
        for row in group[~is_ytd].itertuples():
            rows.append([code, int(year), int(row.quarter), float(row.value), row.quality, row.source,
                         row.note == FROM_CUMULATIVE_NOTE])
        cumulative = group[is_ytd]
        if cumulative.empty:
            continue
        given = set(group[~is_ytd].quarter.astype(int))
        by_quarter = {int(r.quarter): r for r in cumulative.itertuples()}
        derived = single_quarters({q: float(r.value) for q, r in by_quarter.items()})
        for quarter, value in derived.items():
            if quarter in given:
                continue
            source_rows = [by_quarter[q] for q in (quarter - 1, quarter) if q in by_quarter]
            quality = "demo" if any(r.quality == "demo" for r in source_rows) else by_quarter[quarter].quality
            rows.append([code, int(year), quarter, value, quality, by_quarter[quarter].source, True])
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["indicator_code", "year", "quarter"]).reset_index(drop=True)


def with_year_to_date(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds `ytd`: the total since the start of the year, where every earlier quarter is known."""
    out = frame.copy()
    out["ytd"] = math.nan
    for (_, _), group in out.groupby(["indicator_code", "year"]):
        totals = year_to_date(dict(zip(group.quarter.astype(int), group.value.astype(float))))
        for index, quarter in zip(group.index, group.quarter.astype(int)):
            out.loc[index, "ytd"] = totals.get(quarter, math.nan)
    return out


def quarter_year_on_year(frame: pd.DataFrame, column: str = "value") -> pd.DataFrame:
    """Adds `yoy`: growth over the same quarter of the previous year (NaN where that is unknown or zero)."""
    out = frame.copy()
    previous = {(r.indicator_code, int(r.year) + 1, int(r.quarter)): getattr(r, column) for r in out.itertuples()}
    out["yoy"] = [
        (getattr(r, column) / previous[key] - 1)
        if (key := (r.indicator_code, int(r.year), int(r.quarter))) in previous and previous[key]
        and not math.isnan(previous[key]) else math.nan
        for r in out.itertuples()]
    return out


def seasonality(frame: pd.DataFrame) -> pd.DataFrame:
    """Each quarter's share of its year's total, for complete years (all four quarters known)."""
    rows = []
    for (code, year), group in frame.groupby(["indicator_code", "year"], sort=True):
        if set(group.quarter.astype(int)) != set(QUARTERS):
            continue
        total = float(group.value.sum())
        if total <= 0:
            continue
        for row in group.itertuples():
            rows.append({"indicator_code": code, "year": int(year), "quarter": int(row.quarter),
                         "share": float(row.value) / total, "quality": row.quality})
    return pd.DataFrame(rows, columns=["indicator_code", "year", "quarter", "share", "quality"])


def revenue_per_visit(revenue_100m_yuan: float, visits_10k: float) -> float | None:
    """Yuan per visit from revenue in 亿元 (1e8 yuan) and visits in 万人次 (1e4 visits)."""
    if visits_10k is None or revenue_100m_yuan is None or visits_10k <= 0:
        return None
    return revenue_100m_yuan * 1e8 / (visits_10k * 1e4)


def per_visit_frame(annual: pd.DataFrame) -> pd.DataFrame:
    """Revenue per visit by year, from annual revenue and visits (indicator_code, year, value, quality, source)."""
    wide = annual[annual.indicator_code.isin(TOURISM_CODES)].pivot_table(
        index="year", columns="indicator_code", values="value", aggfunc="first")
    quality = annual[annual.indicator_code.isin(TOURISM_CODES)].groupby("year").quality.agg(
        lambda q: "demo" if (q == "demo").any() else min(q))
    rows = []
    for year, row in wide.iterrows():
        if REVENUE in row and VISITS in row and not (pd.isna(row[REVENUE]) or pd.isna(row[VISITS])):
            value = revenue_per_visit(float(row[REVENUE]), float(row[VISITS]))
            if value is not None:
                rows.append({"year": int(year), "yuan_per_visit": value, "quality": quality[year]})
    return pd.DataFrame(rows, columns=["year", "yuan_per_visit", "quality"])


def is_pandemic_year(year: int) -> bool:
    return int(year) in PANDEMIC_YEARS


def scenic_paths(data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    return Path(data_dir) / SCENIC_AREAS_FILE, Path(data_dir) / SCENIC_QUARTERS_FILE


def validate_scenic(areas: pd.DataFrame, quarters: pd.DataFrame, sources: set[str]) -> None:
    """Raise ScenicDataError for the first row that breaks the scenic-area files' rules."""
    if list(areas.columns) != SCENIC_AREA_COLUMNS:
        raise ScenicDataError(f"scenic_areas.csv: columns must be {SCENIC_AREA_COLUMNS}")
    if list(quarters.columns) != SCENIC_QUARTER_COLUMNS:
        raise ScenicDataError(f"scenic_area_quarters.csv: columns must be {SCENIC_QUARTER_COLUMNS}")
    if areas.code.duplicated().any():
        raise ScenicDataError("scenic_areas.csv: duplicate area code")
    for index, row in areas.iterrows():
        where = f"scenic_areas.csv row {index + 2}"
        has_lat, has_lon = bool(row.lat), bool(row.lon)
        if has_lat != has_lon or (has_lat and not row.coord_source):
            raise ScenicDataError(f"{where}: a coordinate needs both lat and lon and its source")
        if not row.name_zh or not row.name_en:
            raise ScenicDataError(f"{where}: names in both languages are required")
    known = set(areas.code)
    seen = set()
    for index, row in quarters.iterrows():
        where = f"scenic_area_quarters.csv row {index + 2}"
        if row.area_code not in known:
            raise ScenicDataError(f"{where}: unknown scenic area {row.area_code!r}")
        if row.measure not in SCENIC_MEASURES or row.unit != SCENIC_MEASURES[row.measure]:
            raise ScenicDataError(f"{where}: measure and unit must be one of {SCENIC_MEASURES}")
        try:
            period = parse_period(row.period)
        except PeriodError as error:
            raise ScenicDataError(f"{where}: {error}") from error
        if period.kind != "Q" or str(period) != row.period:
            raise ScenicDataError(f"{where}: periods are quarters written like 2023Q3")
        if row.quality not in ("published", "demo", "reported") or row.source not in sources:
            raise ScenicDataError(f"{where}: every value needs a known source and a quality")
        if row.quality == "demo" and row.source != "demo":
            raise ScenicDataError(f"{where}: demo values must name the demo source")
        if float(row.value) < 0:
            raise ScenicDataError(f"{where}: negative value")
        key = (row.area_code, row.measure, row.period)
        if key in seen:
            raise ScenicDataError(f"{where}: {key} appears twice")
        seen.add(key)


def read_scenic(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two scenic-area files as text frames (for validation; the page queries them through DuckDB)."""
    areas_path, quarters_path = scenic_paths(data_dir)
    read = dict(dtype=str, keep_default_na=False, encoding="utf-8")
    return pd.read_csv(areas_path, **read), pd.read_csv(quarters_path, **read)
