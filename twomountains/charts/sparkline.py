"""A small inline SVG trend with the target line: no JavaScript, no request, cheap to draw 40 times."""
from __future__ import annotations

from html import escape

WIDTH, HEIGHT, PAD = 160, 44, 4


def sparkline_svg(points: list[tuple[int, float]], target: float | None, color: str,
                  label: str, target_color: str = "#555555") -> str:
    """`points` are (year, value) pairs; the dashed line is the target, the dot the latest value."""
    if not points:
        return ""
    values = [v for _, v in points] + ([target] if target is not None else [])
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    years = [y for y, _ in points]
    first, last = min(years), max(years)
    year_span = (last - first) or 1

    def x(year):
        return PAD + (year - first) / year_span * (WIDTH - 2 * PAD)

    def y(value):
        return HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD)

    path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in sorted(points))
    last_year, last_value = max(points)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}">']
    if target is not None:
        parts.append(f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                     f'stroke="{target_color}" stroke-width="1" stroke-dasharray="3,3"/>')
    parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
    parts.append(f'<circle cx="{x(last_year):.1f}" cy="{y(last_value):.1f}" r="3" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts)
