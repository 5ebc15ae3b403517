"""Charts as files, made on the server with no network: PNG and SVG through vl-convert (Vega in Rust,
with the system's fonts, so Chinese renders with Noto CJK)."""
from __future__ import annotations

import json

import altair as alt
import vl_convert as vlc

from twomountains.charts.common import finish

EXPORT_WIDTH = 820


def _vl_version() -> str:
    """The Vega-Lite version Altair writes ("v6.4.1" → "6.4"), so vl-convert reads the spec as written."""
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def _spec(chart, width: int | None) -> str:
    spec = finish(chart, width=width).to_dict()
    spec.setdefault("background", "white")
    return json.dumps(spec)


def png_bytes(chart, width: int | None = EXPORT_WIDTH, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_spec(chart, width), vl_version=_vl_version(), scale=scale)


def svg_bytes(chart, width: int | None = EXPORT_WIDTH) -> bytes:
    return vlc.vegalite_to_svg(_spec(chart, width), vl_version=_vl_version()).encode("utf-8")


def svg_to_png_bytes(svg: str, scale: float = 4.0) -> bytes:
    """An SVG drawing we made (e.g. a sparkline) as PNG, rasterised by vl-convert (resvg) with no network."""
    return vlc.svg_to_png(svg, scale=scale)
