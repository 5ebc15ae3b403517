"""Rural-tourism demonstration points and boutique routes: the data behind the map, as plain frames.

The files data/rural_tourism_points.csv and data/rural_tourism_routes.csv (schemas in metadata.py) are
what `build-db` puts into the tables rural_tourism_points and rural_tourism_routes; pages, the forum
deck and the tests read the database (`read`), where an analyst's points upload replaces the list.
A database built before those tables existed is read from the files until the first points upload
creates them (`ensure_tables`, inside that upload's transaction).
Everything else here is pure (frames in, frames out), so the page stays thin and the tests need no Streamlit.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from twomountains import geo, metadata
from twomountains.database import read_sql
from twomountains.paths import DATA_DIR

POINTS_INDICATOR = "rural_tourism_demo_points"
ROUTES_INDICATOR = "boutique_routes"
POINT_COLUMNS = ["id", "name_zh", "name_en", "township_code", "lat", "lon", "coord_quality", "type",
                 "year_designated", "route", "source", "quality"]
ROUTE_COLUMNS = ["id", "name_zh", "name_en", "point_ids", "year_completed", "source", "quality"]
TABLES = ("rural_tourism_points", "rural_tourism_routes")


def load(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points, routes) as the files under data/ have them, validated (what build-db puts in the database)."""
    return (metadata.load_table("rural_tourism_points", data_dir),
            metadata.load_table("rural_tourism_routes", data_dir))


def points_frame(records: list[dict] | pd.DataFrame) -> pd.DataFrame:
    """Points with the columns and types of the table (a blank route as None)."""
    frame = pd.DataFrame(records, columns=POINT_COLUMNS).copy()
    for column in ("lat", "lon"):
        frame[column] = frame[column].astype(float)
    frame["year_designated"] = frame["year_designated"].astype(int)
    frame["route"] = [r if isinstance(r, str) and r else None for r in frame["route"]]
    for column in POINT_COLUMNS:
        if column not in ("lat", "lon", "year_designated"):
            frame[column] = frame[column].astype(object)
    return frame.reset_index(drop=True)


def tables_exist(cursor) -> bool:
    return int(cursor.execute(read_sql("rural_tourism_tables_exist")).fetchall()[0][0]) == len(TABLES)


def read(cursor, data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(points, routes) as the database holds them now; from data/ for a database built before the tables."""
    if not tables_exist(cursor):
        points, routes = load(data_dir)
        return points_frame(points), routes
    points = cursor.execute(read_sql("rural_tourism_points")).df()
    routes = cursor.execute(read_sql("rural_tourism_routes")).df()
    routes["year_completed"] = routes["year_completed"].astype(int)
    return points_frame(points), routes


def insert_all(con, insert, data_dir: Path = DATA_DIR) -> None:
    """Fill the (empty) tables from data/; `insert(con, table, frame)` is database._insert_frame."""
    points, routes = load(data_dir)
    insert(con, "rural_tourism_points", points_frame(points))
    insert(con, "rural_tourism_routes", routes[ROUTE_COLUMNS])


def ensure_tables(con, data_dir: Path = DATA_DIR) -> bool:
    """In a write transaction: a database built before the tables existed gets them, filled from data/.

    True if it did. The data version is not bumped here: the upload that needs the tables bumps it.
    """
    if tables_exist(con):
        return False
    from twomountains.database import _insert_frame, create_statements
    for statement in create_statements(TABLES):
        con.execute(statement).fetchall()
    insert_all(con, _insert_frame, data_dir)
    return True


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
