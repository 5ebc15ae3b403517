"""Where a map's place names go: beside their landmark, on the side where no marker and no other name is.

Why: a name drawn over the points hides them, and points drawn over a name hide it. Each name takes the nearest
place whose box covers no marker and no other name: beside its landmark, or further out with a leader line.
The offsets are pixels, so a name's place in degrees changes with the map's size: it is chosen free at each size
the map is drawn (a phone's and a desk's for the map page, a small and a large screen for the forum).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# Where a name may go, nearest first: beside its landmark (right, left, above, below, then the corners), then
# further out in the same eight directions with a leader line to it, as a cartographer moves a name off a crowded
# spot.
DIRECTIONS = ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1))
DISTANCES = (0, 25, 50, 80, 120)  # px between the landmark's gap and the name's box


@dataclass(frozen=True)
class Placement:
    dx: float        # px from the landmark to the middle of the name's box, east positive
    dy: float        # px, north positive
    leader: bool     # far enough from its landmark to need a line to it


def text_width(text: str, font_px: float) -> float:
    """About how wide a bold label is: a Chinese character a full em, a Latin letter 0.62 em."""
    return sum(font_px if ord(char) >= 0x2E80 else 0.62 * font_px for char in text)


def pixels_per_degree(west: float, east: float, south: float, north: float, width: float,
                      height: float) -> tuple[float, float]:
    """(px per degree of longitude, px per degree of latitude) of a map fitted to this extent in a width x height
    box, a degree of longitude drawn 1/cos(latitude) shorter than one of latitude (Mercator near the district,
    and the forum map's aspect ratio)."""
    stretch = 1 / math.cos(math.radians((south + north) / 2))
    per_lon = min(width / max(east - west, 1e-9), height / max((north - south) * stretch, 1e-9))
    return per_lon, per_lon * stretch


def _box(center_x: float, center_y: float, width: float, height: float, lon: float, lat: float,
         scale: tuple[float, float]) -> tuple[float, float, float, float]:
    """(west, east, south, north) in degrees of a box of width x height px whose middle is (center_x, center_y) px
    from (lon, lat)."""
    return (lon + (center_x - width / 2) / scale[0], lon + (center_x + width / 2) / scale[0],
            lat + (center_y - height / 2) / scale[1], lat + (center_y + height / 2) / scale[1])


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def place(labels: list[tuple[str, float, float]], markers: list[tuple[float, float]],
          scales: list[tuple[float, float]], font_px: float, gap_px: float = 9, marker_px: float = 7,
          distances: tuple[float, ...] = DISTANCES,
          inside: tuple[float, float, float, float] | None = None) -> list[Placement]:
    """Where each (name, lon, lat) label goes, in order: the nearest place whose box (grown by a marker's radius)
    holds the fewest markers and landmarks and overlaps the fewest names placed before it, at every one of the
    map's `scales` (px per degree, from pixels_per_degree: the sizes it is drawn at). With `inside` (west, east,
    south, north), a name's middle stays in that extent at the first scale (Vega fits its map to every mark's
    position, so a name outside the district would shrink the map)."""
    placed: list[list[tuple]] = []
    result = []
    for index, (name, lon, lat) in enumerate(labels):
        width, height = text_width(name, font_px) + 6, font_px * 1.35
        others = markers + [(x, y) for i, (_, x, y) in enumerate(labels) if i != index]
        candidates = []
        for distance in distances:
            for x_sign, y_sign in DIRECTIONS:
                center = (x_sign * (width / 2 + gap_px + distance), y_sign * (height / 2 + gap_px + distance))
                boxes = [_box(*center, width, height, lon, lat, scale) for scale in scales]
                covered = sum(box[0] - marker_px / scale[0] < x < box[1] + marker_px / scale[0]
                              and box[2] - marker_px / scale[1] < y < box[3] + marker_px / scale[1]
                              for box, scale in zip(boxes, scales) for x, y in others)
                clash = sum(_overlaps(box, other[i]) for other in placed for i, box in enumerate(boxes))
                middle = (lon + center[0] / scales[0][0], lat + center[1] / scales[0][1])
                outside = inside is not None and not (inside[0] <= middle[0] <= inside[1]
                                                      and inside[2] <= middle[1] <= inside[3])
                candidates.append(((outside, clash, covered, distance), center, boxes, distance))
        _, center, boxes, distance = min(candidates, key=lambda c: c[0])
        placed.append(boxes)
        result.append(Placement(center[0], center[1], leader=distance > 0))
    return result
