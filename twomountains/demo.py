"""The demonstration dataset: deterministic, internally consistent, passing through the published figures.

Everything this module writes is marked quality=demo with a source that says so. Published figures
(data/observations/published.csv) are never overwritten: demo series are drawn through them, and
demo quarters are scaled so that they add up to a published annual total.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from twomountains import metadata
from twomountains.paths import DATA_DIR

SEED = 20190101
FIRST_YEAR, LAST_YEAR = 2015, 2025
LAST_QUARTER = (2026, 3)
DISTRICT = "500156"
REFORM_YEAR = 2020  # township reform of 2020-04-22: from 2020 on, data is reported by the new units
DEMO_SOURCE = "demo"  # a code of data/sources.csv

# Demo anchor values by year; the years between are interpolated. Published years are taken
# from published.csv instead, so each series passes through them.
ANCHORS: dict[str, dict[int, float]] = {
    "forest_cover": {2015: 59.0, 2018: 62.5, 2022: 65.6, 2025: 67.9},
    "park_green_area_per_capita": {2015: 11.2, 2018: 12.8, 2022: 14.6, 2024: 15.2, 2025: 15.4},
    "air_good_days_ratio": {2015: 88.0, 2018: 92.1, 2020: 95.6, 2021: 94.8, 2022: 96.2, 2025: 96.7},
    "surface_water_class3_ratio": {2015: 90.0, 2018: 95.0, 2020: 100.0, 2025: 100.0},
    "urban_sewage_treatment_rate": {2015: 85.0, 2018: 91.0, 2022: 95.8, 2025: 97.0},
    "urban_waste_harmless_rate": {2015: 96.0, 2018: 99.2, 2021: 100.0, 2025: 100.0},
    "village_drinking_water_pass_rate": {2015: 82.0, 2018: 88.0, 2022: 96.5, 2025: 99.1},
    "rural_toilet_standard_rate": {2015: 40.0, 2018: 55.0, 2022: 92.0, 2024: 98.0, 2025: 100.0},
    "rural_env_rectification_coverage": {2015: 50.0, 2018: 72.0, 2021: 100.0, 2025: 100.0},
    "livestock_manure_utilization_rate": {2015: 60.0, 2018: 68.0, 2022: 80.0, 2025: 85.0},
    "eco_industry_output": {2015: 40.0, 2018: 52.0, 2022: 84.0, 2025: 110.0},
    "tourism_revenue": {2015: 75.0, 2016: 90.0, 2017: 110.0, 2018: 140.0, 2020: 135.0, 2022: 160.0,
                        2024: 223.3, 2025: 238.0, 2026: 252.0},
    "tourist_visits": {2015: 2300.0, 2016: 2600.0, 2017: 3000.0, 2018: 3250.0, 2020: 2900.0,
                       2022: 3300.0, 2024: 4700.0, 2025: 4900.0, 2026: 5050.0},
    "green_agri_area_share": {2015: 25.0, 2018: 33.0, 2022: 46.0, 2025: 52.0},
    "disposable_income_per_capita": {2015: 18, 2018: 14, 2019: 12, 2020: 9, 2021: 8, 2022: 9, 2025: 7},
    "rural_affluent_population": {2015: 22, 2018: 20, 2022: 13, 2024: 11, 2025: 10},
    "industrial_wastewater_compliance_rate": {2015: 92.0, 2018: 97.0, 2020: 100.0, 2025: 100.0},
    "agri_nonpoint_pollution_control_rate": {2015: 45.0, 2018: 60.0, 2022: 88.0, 2025: 95.0},
    "soil_erosion_control_rate": {2015: 40.0, 2018: 55.0, 2022: 81.0, 2025: 86.0},
    "rocky_desertification_control_rate": {2015: 10.0, 2018: 18.0, 2022: 37.0, 2023: 41.0, 2025: 45.0},
    "rivers_rectified": {2015: 0, 2018: 2, 2019: 4, 2020: 6, 2021: 9, 2022: 11, 2025: 11},
    "boutique_routes": {2015: 0, 2018: 1, 2019: 2, 2020: 4, 2021: 5, 2022: 7, 2025: 8},
    "baimashan_scenic_areas": {2015: 0, 2018: 1, 2020: 2, 2022: 4, 2024: 5, 2025: 5},
    "baimashan_resort_areas": {2015: 0, 2018: 0, 2020: 2, 2022: 5, 2025: 5},
    "annual_green_forum": {2018: 0, 2019: 1, 2020: 2, 2021: 3, 2022: 4, 2023: 5, 2024: 6, 2025: 7},
    "heavy_pollution_days_ratio": {2015: 1.6, 2018: 0.8, 2020: 0.3, 2022: 0.3, 2025: 0.27},
}
# Year a demo mechanism was established (value 1 from then on, 0 before).
MILESTONE_YEARS = {
    "natural_resource_balance_sheet": 2021, "eco_compensation_mechanism": 2020,
    "eco_big_data_platform": 2023, "assessment_mechanism": 2021, "territorial_spatial_plan": 2023,
    "eco_redline_assessment": 2019, "three_lines_one_list": 2020, "forest_chief_pilot": 2019,
    "accountability_measures": 2020,
}
# Rural-tourism demonstration points designated by the end of each year (district total).
DEMO_POINTS_BY_YEAR = {2015: 8, 2016: 14, 2017: 21, 2018: 30, 2019: 45, 2020: 58, 2021: 76,
                       2022: 94, 2023: 103, 2024: 110, 2025: 116}
# Seasonal shares of tourism (Q1..Q4); the pandemic years had their own shape.
SEASONAL_SHARES = {None: (0.19, 0.23, 0.37, 0.21), 2020: (0.08, 0.25, 0.45, 0.22),
                   2022: (0.22, 0.20, 0.36, 0.22)}
# Successor of each pre-2020 township, for series reported by the old units before the reform.
OLD_UNITS_OF = {"500156003": ["500156103"], "500156004": ["500156106", "500156110"], "500156113": ["500156200"]}


def _interpolate(anchors: dict[int, float], years) -> dict[int, float]:
    known = sorted(anchors)
    return {y: float(np.interp(y, known, [anchors[k] for k in known])) for y in years}


def _row(code, region, period, value, unit):
    return {"indicator_code": code, "region_code": region, "period": str(period), "value": value,
            "unit": unit, "source": DEMO_SOURCE, "quality": "demo", "note": ""}


def _published_annual(published: pd.DataFrame) -> dict[str, dict[int, float]]:
    district_years = published[(published.region_code == DISTRICT) & published.period.str.fullmatch(r"\d{4}")]
    out: dict[str, dict[int, float]] = {}
    for row in district_years.itertuples():
        out.setdefault(row.indicator_code, {})[int(row.period)] = float(row.value)
    return out


def _format(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def generate(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """The whole demo dataset as rows of the exchange format."""
    rng = np.random.default_rng(SEED)
    catalog = metadata.load_table("indicators", data_dir).set_index("code")
    units = metadata.load_table("units", data_dir).set_index("code")
    regions = metadata.load_table("regions", data_dir)
    published = pd.read_csv(data_dir / "observations/published.csv", dtype=str, keep_default_na=False)
    published_annual = _published_annual(published)
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    rows = []

    def decimals(code):
        return int(units.loc[catalog.loc[code, "unit"], "decimals"])

    def bounds(code):
        unit = units.loc[catalog.loc[code, "unit"]]
        return unit.min_value, unit.max_value

    for code, anchors in ANCHORS.items():
        if code in ("tourism_revenue", "tourist_visits"):
            continue
        given = published_annual.get(code, {})
        series = _interpolate({**anchors, **given}, years)
        low, high = bounds(code)
        for year, value in series.items():
            if year in given:
                continue
            if year not in anchors and catalog.loc[code, "target_type"] == "level":
                value += rng.normal(0, 0.15)
            value = min(value, high) if not pd.isna(high) else value
            value = max(value, low) if not pd.isna(low) else value
            rows.append(_row(code, DISTRICT, year, _format(value, decimals(code)), catalog.loc[code, "unit"]))

    for code, done_year in MILESTONE_YEARS.items():
        for year in range(2018, LAST_YEAR + 1):
            rows.append(_row(code, DISTRICT, year, "1" if year >= done_year else "0", "milestone"))

    rows += _tourism_quarters(rng, published_annual, decimals)
    rows += _township_forest_cover(rng, regions, published_annual, decimals("forest_cover"))
    rows += _township_points(rng, regions)
    return pd.DataFrame(rows)


def _tourism_quarters(rng, published_annual, decimals) -> list[dict]:
    rows = []
    last_year, last_quarter = LAST_QUARTER
    for code in ("tourism_revenue", "tourist_visits"):
        annual = _interpolate({**ANCHORS[code], **published_annual.get(code, {})}, range(FIRST_YEAR, last_year + 1))
        for year, total in annual.items():
            shares = np.array(SEASONAL_SHARES.get(year, SEASONAL_SHARES[None]))
            shares = shares * (1 + rng.normal(0, 0.03, 4))
            shares = shares / shares.sum()
            quarters = np.round(shares * total, decimals(code))
            # Rounding may leave the quarters a hair off a published total: put the rest in Q4.
            quarters[3] = round(total - quarters[:3].sum(), decimals(code))
            for quarter, value in enumerate(quarters, start=1):
                if year == last_year and quarter > last_quarter:
                    break
                unit = "100m_yuan" if code == "tourism_revenue" else "10k_visits"
                rows.append(_row(code, DISTRICT, f"{year}Q{quarter}", _format(value, decimals(code)), unit))
    return rows


def _townships_for(year: int, regions: pd.DataFrame) -> list[str]:
    """Township codes that reported in a year: the old units before the reform, the new ones after."""
    current = regions[(regions.level == "township") & regions.successor_code.isna()].code.tolist()
    if year >= REFORM_YEAR:
        return current
    units = []
    for code in current:
        units += OLD_UNITS_OF.get(code, [code])
    return units


def _township_forest_cover(rng, regions, published_annual, decimals) -> list[dict]:
    district = _interpolate({**ANCHORS["forest_cover"], **published_annual.get("forest_cover", {})},
                            range(FIRST_YEAR, LAST_YEAR + 1))
    all_units = sorted(set(_townships_for(2019, regions)) | set(_townships_for(2020, regions)))
    offsets = dict(zip(all_units, rng.normal(0, 6, len(all_units))))
    rows = []
    for year, value in district.items():
        for code in _townships_for(year, regions):
            township_value = min(max(value + offsets[code] + rng.normal(0, 0.2), 20.0), 92.0)
            rows.append(_row("forest_cover", code, year, _format(township_value, decimals), "percent"))
    return rows


def _township_points(rng, regions) -> list[dict]:
    """Cumulative points by township; they add up to the district total every year."""
    current = regions[(regions.level == "township") & regions.successor_code.isna()].code.tolist()
    weights = rng.dirichlet(np.ones(len(current)) * 2.0)
    designated: dict[str, int] = {code: 0 for code in current}
    rows = []
    previous_total = 0
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        for _ in range(DEMO_POINTS_BY_YEAR[year] - previous_total):
            designated[rng.choice(current, p=weights)] += 1
        previous_total = DEMO_POINTS_BY_YEAR[year]
        rows.append(_row("rural_tourism_demo_points", DISTRICT, year, str(previous_total), "count"))
        by_unit: dict[str, int] = {}
        for code, count in designated.items():
            if year < REFORM_YEAR and code in OLD_UNITS_OF:
                old_units = OLD_UNITS_OF[code]
                share = [count // len(old_units) + (1 if i < count % len(old_units) else 0)
                         for i in range(len(old_units))]
                by_unit.update(zip(old_units, share))
            else:
                by_unit[code] = count
        for code, count in sorted(by_unit.items()):
            rows.append(_row("rural_tourism_demo_points", code, year, str(count), "count"))
    return rows


def write(path: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    """Write demo.csv; at the default location also the scenic-area demo file beside it in data/tourism/."""
    default = path is None
    path = Path(path) if path else data_dir / "observations/demo.csv"
    observations = generate(data_dir)
    observations.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    if default:
        write_scenic(data_dir=data_dir, observations=observations)
    return path


# Per-scenic-area tourism (demo only: no per-area figure has been published, see facts.md).
# Each area's visits are a share of the district's demo quarterly visits, drifting between the
# first and last year; revenue is visits times spending per visit (yuan) growing a little each year.
# A separate generator, so the district series above stay exactly as they were.
SCENIC_SEED = SEED + 3
SCENIC_SHARES = {  # share of district visits in FIRST_YEAR and in the last year
    "xiannvshan": (0.26, 0.24), "tiansheng_sanqiao": (0.13, 0.11), "furong_cave": (0.05, 0.04),
    "longshuixia": (0.07, 0.06), "baimashan": (0.005, 0.05), "furong_river": (0.03, 0.03),
}
SCENIC_SPENDING = {"xiannvshan": 85.0, "tiansheng_sanqiao": 95.0, "furong_cave": 80.0,
                   "longshuixia": 70.0, "baimashan": 60.0, "furong_river": 65.0}
SCENIC_SPENDING_GROWTH = 0.03
# Seasonal tilt per area (Q1..Q4), on top of the district's seasons: Xiannüshan has its snow
# season in winter, Baimashan is a summer retreat.
SCENIC_TILT = {"xiannvshan": (1.15, 0.95, 1.0, 0.95), "baimashan": (0.7, 1.0, 1.3, 0.9)}


def generate_scenic(data_dir: Path = DATA_DIR, observations: pd.DataFrame | None = None) -> pd.DataFrame:
    """Quarterly demo visits and revenue by scenic area, in the format of data/tourism/scenic_area_quarters.csv."""
    rng = np.random.default_rng(SCENIC_SEED)
    observations = generate(data_dir) if observations is None else observations
    visits = observations[(observations.indicator_code == "tourist_visits")
                          & (observations.region_code == DISTRICT) & observations.period.str.contains("Q")]
    areas = pd.read_csv(data_dir / "tourism/scenic_areas.csv", dtype=str, keep_default_na=False)
    last_year = LAST_QUARTER[0]
    rows = []
    for area in areas.code:
        first_share, last_share = SCENIC_SHARES[area]
        tilt = SCENIC_TILT.get(area, (1.0, 1.0, 1.0, 1.0))
        for row in visits.itertuples():
            year, quarter = int(row.period[:4]), int(row.period[-1])
            progress = (year - FIRST_YEAR) / (last_year - FIRST_YEAR)
            share = first_share + (last_share - first_share) * progress
            area_visits = float(row.value) * share * tilt[quarter - 1] * (1 + rng.normal(0, 0.04))
            spending = SCENIC_SPENDING[area] * (1 + SCENIC_SPENDING_GROWTH) ** (year - FIRST_YEAR)
            spending *= 1 + rng.normal(0, 0.03)
            revenue = area_visits * spending / 1e4  # 万人次 × yuan / 1e4 = 亿元
            for measure, value, unit in (("visits", round(area_visits, 1), "10k_visits"),
                                         ("revenue", round(revenue, 2), "100m_yuan")):
                rows.append({"area_code": area, "measure": measure, "period": row.period,
                             "value": f"{value:.{1 if measure == 'visits' else 2}f}", "unit": unit,
                             "source": DEMO_SOURCE, "quality": "demo", "note": ""})
    return pd.DataFrame(rows)


def write_scenic(path: Path | None = None, data_dir: Path = DATA_DIR,
                 observations: pd.DataFrame | None = None) -> Path:
    path = Path(path) if path else data_dir / "tourism/scenic_area_quarters.csv"
    generate_scenic(data_dir, observations).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
