"""Rural-tourism demonstration points and boutique routes: the data behind the map, as plain frames.

The files are data/rural_tourism_points.csv and data/rural_tourism_routes.csv (schemas in metadata.py).
Everything here is pure (frames in, frames out), so the page stays thin and the tests need no Streamlit.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from twomountains import geo, metadata
from twomountains.paths import DATA_DIR

POINTS_INDICATOR = "rural_tourism_demo_points"
ROUTES_INDICATOR = "boutique_routes"


def load(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points, routes), validated."""
    return (metadata.load_table("rural_tourism_points", data_dir),
            metadata.load_table("rural_tourism_routes", data_dir))


def route_point_ids(routes: pd.DataFrame) -> dict[str, list[str]]:
    """Route id -> its point ids in travel order."""
    return {row.id: row.point_ids.split(";") for row in routes.itertuples()}


def problems(points: pd.DataFrame, routes: pd.DataFrame, regions: pd.DataFrame, sources: pd.DataFrame,
             outline: dict) -> list[str]:
    """What the schemas cannot see: references between files, and points outside the district."""
    found = []
    current = set(regions[(regions.level == "township") & regions.successor_code.isna()].code)
    for row in points.itertuples():
        if row.township_code not in current:
            found.append(f"{row.id}: township {row.township_code} is not a current township")
        if row.source not in set(sources.code):
            found.append(f"{row.id}: source {row.source} is not in sources.csv")
        if not geo.contains(outline, row.lat, row.lon):
            found.append(f"{row.id}: ({row.lat}, {row.lon}) is outside the district outline")
    by_id = points.set_index("id")
    for route, ids in route_point_ids(routes).items():
        year = int(routes.set_index("id").loc[route, "year_completed"])
        for point in ids:
            if point not in by_id.index:
                found.append(f"{route}: unknown point {point}")
            elif by_id.loc[point, "route"] != route:
                found.append(f"{route}: point {point} names route {by_id.loc[point, 'route']!r}")
            elif by_id.loc[point, "year_designated"] > year:
                found.append(f"{route}: point {point} was designated after the route was completed")
        if len(set(ids)) != len(ids):
            found.append(f"{route}: a point appears twice")
    for row in points.dropna(subset=["route"]).itertuples():
        if row.route not in set(routes.id) or row.id not in route_point_ids(routes)[row.route]:
            found.append(f"{row.id}: route {row.route} does not list it")
    return found


def filter_points(points: pd.DataFrame, townships=(), types=(), years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Points in the chosen townships and types (empty = all), designated within the years (inclusive)."""
    keep = pd.Series(True, index=points.index)
    if townships:
        keep &= points.township_code.isin(townships)
    if types:
        keep &= points.type.isin(types)
    if years:
        keep &= points.year_designated.between(*years)
    return points[keep]


def filter_routes(routes: pd.DataFrame, points: pd.DataFrame, townships=(), up_to: int | None = None) -> pd.DataFrame:
    """Routes completed by `up_to` that pass through one of the chosen townships (empty = all)."""
    keep = routes.year_completed <= up_to if up_to is not None else pd.Series(True, index=routes.index)
    if townships:
        township_of = points.set_index("id").township_code
        ids = route_point_ids(routes)
        keep &= routes.id.map(lambda r: any(township_of.get(p) in townships for p in ids[r]))
    return routes[keep]


def route_vertices(routes: pd.DataFrame, points: pd.DataFrame) -> pd.DataFrame:
    """One row per vertex of every route: route, order, lat, lon (for a line chart)."""
    by_id = points.set_index("id")
    rows = [{"route": route, "order": order, "lat": by_id.loc[p, "lat"], "lon": by_id.loc[p, "lon"]}
            for route, ids in route_point_ids(routes).items() for order, p in enumerate(ids)]
    return pd.DataFrame(rows, columns=["route", "order", "lat", "lon"])


def progress(points: pd.DataFrame, routes: pd.DataFrame, years) -> pd.DataFrame:
    """Cumulative points designated and routes completed by the end of each year."""
    return pd.DataFrame({
        "year": list(years),
        "points": [int((points.year_designated <= y).sum()) for y in years],
        "routes": [int((routes.year_completed <= y).sum()) for y in years],
    })


def counts_by_township(points: pd.DataFrame, years) -> pd.DataFrame:
    """Cumulative points by current township and year (township_code, year, count), zeros included."""
    codes = sorted(points.township_code.unique())
    rows = [{"township_code": code, "year": y,
             "count": int(((points.township_code == code) & (points.year_designated <= y)).sum())}
            for code in codes for y in years]
    return pd.DataFrame(rows, columns=["township_code", "year", "count"])


def indicator_by_township(observations: pd.DataFrame) -> pd.DataFrame:
    """An indicator's annual township observations under their current township (township_code, year, count).

    `observations` has region_code, successor_code, region_level, period_kind, year and value (the
    indicator_observations query). Units abolished in 2020 are added to their successor.
    """
    township = observations[(observations.region_level == "township") & (observations.period_kind == "Y")].copy()
    township["township_code"] = township.successor_code.fillna(township.region_code)
    out = township.groupby(["township_code", "year"], as_index=False)["value"].sum()
    out["count"] = out.pop("value").round().astype(int)
    return out


def targets(catalog: pd.DataFrame) -> dict[str, float]:
    """The plan's targets for the two indicators, from the catalog (100 points, 7 routes)."""
    indexed = catalog.set_index("code")
    return {"points": float(indexed.loc[POINTS_INDICATOR, "target_value"]),
            "routes": float(indexed.loc[ROUTES_INDICATOR, "target_value"]),
            "target_year": int(indexed.loc[POINTS_INDICATOR, "target_year"])}
