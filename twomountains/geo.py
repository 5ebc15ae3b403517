"""The district outline (data/geo/wulong_outline.geojson) and the few plane-geometry tests the map needs.

Pure Python on lon/lat degrees: at the scale of one district (0.6° × 0.9°) the plane is accurate enough
for "inside or outside" and "how close", and it spares the app a GIS dependency.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from twomountains.paths import DATA_DIR

OUTLINE_FILE = "geo/wulong_outline.geojson"
KM_PER_DEG_LAT = 110.54


@lru_cache(maxsize=None)
def _outline(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def outline(data_dir: Path = DATA_DIR) -> dict:
    """The outline as a GeoJSON FeatureCollection (a fresh copy: callers may change it)."""
    return json.loads(_outline(Path(data_dir) / OUTLINE_FILE))


def polygons(collection: dict) -> list[list[list[tuple[float, float]]]]:
    """Every polygon of every feature, as lists of rings of (lon, lat)."""
    out = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        out += [[[(float(x), float(y)) for x, y in ring] for ring in polygon] for polygon in parts]
    return out


def signed_area(ring) -> float:
    """Shoelace area in degrees²: positive if counter-clockwise on a north-up map, negative if clockwise."""
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, list(ring[1:]) + list(ring[:1])))


def bbox(collection: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of all outer rings."""
    points = [p for polygon in polygons(collection) for p in polygon[0]]
    return (min(p[0] for p in points), min(p[1] for p in points),
            max(p[0] for p in points), max(p[1] for p in points))


def _in_ring(lon: float, lat: float, ring) -> bool:
    """Even-odd ray casting."""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, list(ring[1:]) + list(ring[:1])):
        if (y1 > lat) != (y2 > lat):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
            if lon < x_cross:
                inside = not inside
    return inside


def contains(collection: dict, lat: float, lon: float) -> bool:
    """Is the point inside the outline (inside an outer ring and in none of its holes)?"""
    return any(_in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:])
               for polygon in polygons(collection))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Plane distance, with longitude shrunk by the cosine of the latitude."""
    kx = KM_PER_DEG_LAT * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot((lon2 - lon1) * kx, (lat2 - lat1) * KM_PER_DEG_LAT)


def distance_to_edge_km(collection: dict, lat: float, lon: float) -> float:
    """Distance from the point to the nearest edge of any ring."""
    kx = KM_PER_DEG_LAT * math.cos(math.radians(lat))
    px, py = lon * kx, lat * KM_PER_DEG_LAT
    best = math.inf
    for polygon in polygons(collection):
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, list(ring[1:]) + list(ring[:1])):
                ax, ay, bx, by = x1 * kx, y1 * KM_PER_DEG_LAT, x2 * kx, y2 * KM_PER_DEG_LAT
                dx, dy = bx - ax, by - ay
                length2 = dx * dx + dy * dy
                t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
                best = min(best, math.hypot(px - (ax + t * dx), py - (ay + t * dy)))
    return best
