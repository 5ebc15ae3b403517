"""Demo rural-tourism points and boutique routes that agree with the demo indicator counts.

    .venv/bin/python -m twomountains.demo_points      # rewrites data/rural_tourism_points.csv and _routes.csv

No published list of Wulong's demonstration villages and points was found (facts.md), so the map shows
demonstration data, marked so in every row (quality=demo, source=demo, coord_quality=approximate):

* how many points each township has by each year is taken from the demo indicator
  rural_tourism_demo_points in data/observations/demo.csv (pre-2020 units added to their successor),
  and the number of routes completed by each year from boutique_routes, so map and indicator agree;
* each point is placed near its township's approximate centre (data/regions.csv), inside the district
  outline, nearer to its own township's centre than to any other, and never on top of another point.
  Where a centre in regions.csv lies outside the outline or on its edge, the nearest spot well inside
  is used instead (those centres are guesses too).

Deterministic: the same inputs and SEED give the same files. Run it again after `make-demo`.
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd

from twomountains import geo, metadata
from twomountains.paths import DATA_DIR
from twomountains.rural_tourism import POINTS_INDICATOR, ROUTES_INDICATOR

SEED = 20200422
DEMO_SOURCE = "demo"
MIN_SEPARATION_KM = 1.5   # about 15 px on the page's map: markers never overlap
EDGE_MARGIN_KM = 0.8      # keeps a marker wholly inside the outline line
ANCHOR_MARGIN_KM = 2.0    # a township centre moved inside the outline sits at least this far in
START_SPREAD_KM = 2.0     # first spread of points around their centre; widened when crowded
VILLAGE_SHARE = 0.4
ROUTE_LENGTHS = (3, 4, 5)
ROUTE_REACH_KM = 12.0     # the next stop of a route is the nearest free point within this distance
TYPE_NAMES = {"village": ("示范村", "demo village"), "point": ("示范点", "demo point")}


def demo_counts(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.Series]:
    """(points by current township and year: township_code, year, count; routes by year)."""
    demo = pd.read_csv(Path(data_dir) / "observations/demo.csv", dtype=str, keep_default_na=False)
    regions = metadata.load_table("regions", data_dir)
    successor = regions.set_index("code").successor_code
    points = demo[(demo.indicator_code == POINTS_INDICATOR) & (demo.region_code != "500156")].copy()
    points["township_code"] = points.region_code.map(lambda c: successor.get(c) if pd.notna(successor.get(c))
                                                     else c)
    points["year"] = points.period.astype(int)
    points["count"] = points.value.astype(float).round().astype(int)
    by_township = points.groupby(["township_code", "year"], as_index=False)["count"].sum()
    routes = demo[(demo.indicator_code == ROUTES_INDICATOR) & (demo.region_code == "500156")]
    return by_township, pd.Series(routes.value.astype(float).round().astype(int).values,
                                  index=routes.period.astype(int)).sort_index()


def designation_years(by_township: pd.DataFrame) -> list[tuple[str, int]]:
    """(township, year) for every point: as many as the cumulative count grows each year."""
    out = []
    for code, frame in by_township.sort_values(["township_code", "year"]).groupby("township_code"):
        previous = 0
        for row in frame.itertuples():
            if row.count < previous:
                raise ValueError(f"{code}: demo count falls from {previous} to {row.count} in {row.year}")
            out += [(code, int(row.year))] * (row.count - previous)
            previous = row.count
    return out


def _anchor(outline: dict, lat: float, lon: float) -> tuple[float, float]:
    """The centre itself if it is well inside the outline, else the nearest grid spot that is."""
    if geo.contains(outline, lat, lon) and geo.distance_to_edge_km(outline, lat, lon) >= ANCHOR_MARGIN_KM:
        return lat, lon
    grid = [(lat + dy * 0.005, lon + dx * 0.005) for dy in range(-40, 41) for dx in range(-40, 41)]
    grid.sort(key=lambda p: geo.distance_km(lat, lon, *p))
    for candidate in grid:
        if geo.contains(outline, *candidate) and geo.distance_to_edge_km(outline, *candidate) >= ANCHOR_MARGIN_KM:
            return round(candidate[0], 4), round(candidate[1], 4)
    raise ValueError(f"no spot inside the outline near ({lat}, {lon})")


def township_anchors(regions: pd.DataFrame, outline: dict) -> dict[str, tuple[float, float]]:
    current = regions[(regions.level == "township") & regions.successor_code.isna()]
    return {row.code: _anchor(outline, row.lat, row.lon) for row in current.itertuples()}


def place(rng: np.random.Generator, outline: dict, anchors: dict[str, tuple[float, float]],
          townships: list[str], keep_clear: list[tuple[float, float]] = ()) -> list[tuple[float, float]]:
    """A coordinate for each entry of `townships` (one entry per point), by rejection sampling.

    `keep_clear` are places already drawn on the map (landmarks): points keep their distance from them too.
    """
    occupied = list(keep_clear)
    placed: list[tuple[float, float]] = []
    for code in townships:
        lat0, lon0 = anchors[code]
        spread = START_SPREAD_KM
        for attempt in range(5000):
            if attempt and attempt % 100 == 0:
                spread *= 1.25
            dx, dy = rng.normal(0, spread, 2)
            lat = round(lat0 + dy / geo.KM_PER_DEG_LAT, 4)
            lon = round(lon0 + dx / (geo.KM_PER_DEG_LAT * math.cos(math.radians(lat0))), 4)
            nearest = min(anchors, key=lambda c: geo.distance_km(lat, lon, *anchors[c]))
            if (nearest == code and geo.contains(outline, lat, lon)
                    and geo.distance_to_edge_km(outline, lat, lon) >= EDGE_MARGIN_KM
                    and all(geo.distance_km(lat, lon, *p) >= MIN_SEPARATION_KM for p in occupied)):
                placed.append((lat, lon))
                occupied.append((lat, lon))
                break
        else:
            raise ValueError(f"could not place a point for {code}")
    return placed


def points_frame(rng: np.random.Generator, designations: list[tuple[str, int]], regions: pd.DataFrame,
                 outline: dict, keep_clear: list[tuple[float, float]] = ()) -> pd.DataFrame:
    names = regions.set_index("code")
    order = sorted(designations, key=lambda d: (d[1], d[0]))  # ids follow the designation year
    coordinates = place(rng, outline, township_anchors(regions, outline), [code for code, _ in order],
                        keep_clear)
    types = rng.choice(["village", "point"], size=len(order), p=[VILLAGE_SHARE, 1 - VILLAGE_SHARE])
    seen: dict[str, int] = {}
    rows = []
    for index, ((code, year), (lat, lon), kind) in enumerate(zip(order, coordinates, types), start=1):
        seen[code] = seen.get(code, 0) + 1
        zh, en = TYPE_NAMES[kind]
        rows.append({
            "id": f"P{index:03d}",
            "name_zh": f"{names.loc[code, 'name_zh']}演示{zh}{seen[code]:02d}",
            "name_en": f"{names.loc[code, 'name_en']} {en} {seen[code]:02d}",
            "township_code": code, "lat": lat, "lon": lon, "coord_quality": "approximate",
            "type": str(kind), "year_designated": year, "route": None,
            "source": DEMO_SOURCE, "quality": "demo",
        })
    return pd.DataFrame(rows)


def routes_frame(rng: np.random.Generator, points: pd.DataFrame, routes_by_year: pd.Series,
                 regions: pd.DataFrame) -> pd.DataFrame:
    """Routes completed each year as the indicator says, each a chain of nearby free points.

    A route's points were all designated by the year it was completed; the first stop of each new route
    is the free point farthest from the routes so far, which spreads the routes over the district.
    """
    names = regions.set_index("code")
    years = []
    previous = 0
    for year, total in routes_by_year.items():
        years += [int(year)] * (int(total) - previous)
        previous = int(total)
    used: set[str] = set()
    rows = []
    for number, year in enumerate(years, start=1):
        free = points[(points.year_designated <= year) & ~points.id.isin(used)]
        taken = points[points.id.isin(used)]

        def remoteness(row):
            return min((geo.distance_km(row.lat, row.lon, t.lat, t.lon) for t in taken.itertuples()),
                       default=float(rng.random()))
        starts = sorted(free.itertuples(), key=remoteness, reverse=True)
        length = int(rng.choice(ROUTE_LENGTHS))
        chain = []
        for start in starts:
            chain = [start]
            while len(chain) < length:
                end = chain[-1]
                options = [p for p in free.itertuples() if p.id not in {c.id for c in chain}
                           and geo.distance_km(end.lat, end.lon, p.lat, p.lon) <= ROUTE_REACH_KM]
                if not options:
                    break
                chain.append(min(options, key=lambda p: geo.distance_km(end.lat, end.lon, p.lat, p.lon)))
            if len(chain) >= min(ROUTE_LENGTHS):
                break
        else:
            raise ValueError(f"no free points for route {number} ({year})")
        used |= {p.id for p in chain}
        first, last = names.loc[chain[0].township_code], names.loc[chain[-1].township_code]
        span_zh = first.name_zh if first.name == last.name else f"{first.name_zh}—{last.name_zh}"
        span_en = first.name_en if first.name == last.name else f"{first.name_en} – {last.name_en}"
        rows.append({"id": f"R{number:02d}", "name_zh": f"演示精品线路{number}:{span_zh}",
                     "name_en": f"Demo route {number}: {span_en}",
                     "point_ids": ";".join(p.id for p in chain), "year_completed": year,
                     "source": DEMO_SOURCE, "quality": "demo"})
    return pd.DataFrame(rows)


def generate(data_dir: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(SEED)
    regions = metadata.load_table("regions", data_dir)
    outline = geo.outline(data_dir)
    by_township, routes_by_year = demo_counts(data_dir)
    landmarks = metadata.load_table("map_landmarks", data_dir)
    points = points_frame(rng, designation_years(by_township), regions, outline,
                          list(zip(landmarks.lat, landmarks.lon)))
    routes = routes_frame(rng, points, routes_by_year, regions)
    for route in routes.itertuples():
        points.loc[points.id.isin(route.point_ids.split(";")), "route"] = route.id
    return points, routes


def write(data_dir: Path = DATA_DIR) -> tuple[Path, Path]:
    points, routes = generate(data_dir)
    paths = Path(data_dir) / "rural_tourism_points.csv", Path(data_dir) / "rural_tourism_routes.csv"
    for frame, path in zip((points, routes), paths):
        frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m twomountains.demo_points", description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    for path in write(args.data_dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
