"""A forum slide's chart (forum.slides.Chart) as a plotly figure, drawn the way the page, its PNG/SVG files
and the deck's map picture show it.

Economist / Our World in Data conventions: series labelled at their last value instead of a legend, the
target a labelled line, the verdict year marked, count axes in whole numbers, the source and the
demonstration marking in small type at the foot. A map is a map: the district filled, no axes or grid,
routes through their stops, a few landmarks named and a scale bar.
"""
from __future__ import annotations

import math
import re
import textwrap
from dataclasses import replace

import plotly.graph_objects as go

from twomountains.charts import label_placement
from twomountains.charts.rural_map import LANDMARK_COLOR, OUTLINE_FILL, OUTLINE_STROKE
from twomountains.forum.slides import Chart
from twomountains.text import plotly_text

FONT = "Noto Sans CJK SC, Source Sans Pro, sans-serif"
INK, MUTED, GRID = "#222222", "#666666", "#E6E6E6"
FOOT_SIZE = 13
KM_PER_DEGREE = 111.32
LANDMARK_FONT = 15
MAP_SIZES = ((560, 260), (900, 520))  # px: the forum map's plot at 1280x720 and at 1920x1080
# Plotly symbol names of the map page's Vega shapes (charts/rural_map.TYPE_SHAPES).
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")
SYMBOLS = {"circle": "circle", "square": "square", "triangle-up": "triangle-up", "diamond": "diamond"}


def _width(text: str) -> int:
    return sum(1 if ord(char) < 0x2E80 else 2 for char in text)  # a Chinese character is about two letters wide


def _title_lines(title: str, limit: int = 44) -> str:
    """A long chart title on two lines (plotly does not wrap): at the last space before the middle for
    words, in the middle for Chinese."""
    if _width(title) <= limit:
        return title
    middle = len(title) // 2
    cut = title.rfind(" ", 0, middle + 8) if title.isascii() else middle
    cut = cut if cut > 0 else middle
    return title[:cut].rstrip() + "<br>" + title[cut:].lstrip()


def _category_lines(label: str, limit: int = 11) -> str:
    """A long bar label on lines of about `limit` letters (five Chinese characters), short enough for a bar of
    the narrow chart of a dense slide at 1280x720 (plotly would otherwise turn the labels on end)."""
    if CJK.search(label):
        step = math.ceil(len(label) / math.ceil(len(label) / 5))  # balanced lines: 构筑绿/水青山
        return "<br>".join(label[i:i + step] for i in range(0, len(label), step))
    return "<br>".join(textwrap.wrap(label, limit)) if len(label) > limit else label


def _end_text(label: str) -> str:
    """A series' label at its end: the name on short lines, the value (after the last space) on its own."""
    name, _, value = label.rpartition(" ")
    if name and value.replace(".", "").replace(",", "").isdigit():
        return f"{_wrap(name, 18)}<br>{value}"
    return _wrap(label, 18)


def _wrap(text: str, limit: int) -> str:
    """Text on lines of about `limit` letters (a Chinese character counts two): breaks between words and
    between Chinese characters, never inside a Latin word or number."""
    if not CJK.search(text):
        return "<br>".join(textwrap.wrap(text, limit)) or text
    lines, line = [], ""
    for token in re.findall(r"[^\s\u2e80-\u9fff\uff00-\uffef]+\s*|\s+|.", text):
        if line and _width(line + token.rstrip()) > limit:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    return "<br>".join(lines + [line.rstrip()] if line.strip() else lines)


def whole_number_step(largest: float) -> int:
    """A tick step of 1, 2, 5, 10 … so a count axis shows whole numbers with at most about six ticks."""
    for step in (1, 2, 5, 10, 20, 50, 100):
        if largest / step <= 6:
            return step
    return int(10 ** math.ceil(math.log10(largest / 6)))


FOOT_LINE = 17  # px per line of the foot


def _foot_text(text: str, limit: int = 64) -> str:
    """The foot on lines short enough for the narrow chart of a slide at 1280x720."""
    return "<br>".join(_wrap(part, limit) for part in text.split(" · "))


def _foot(figure: go.Figure, text: str, below_axis: int, limit: int = 64) -> int:
    """The source line under the chart, `below_axis` px under the plot; returns the margin it needs."""
    if not text:
        return 0
    lines = _foot_text(text, limit)
    figure.add_annotation(text=lines, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                          yshift=-below_axis, showarrow=False, align="left", font={"size": FOOT_SIZE, "color": MUTED})
    return below_axis + FOOT_LINE * (lines.count("<br>") + 1) + 6


def _bars(figure: go.Figure, spec: Chart) -> None:
    for series in spec.series:
        figure.add_trace(go.Bar(x=[_category_lines(c) for c in spec.categories], y=series.values, name=series.name,
                                marker_color=list(series.point_colors) or series.color, text=series.values,
                                textposition="outside", textfont={"size": 22, "color": INK}, cliponaxis=False,
                                hovertemplate="%{x}: %{y}<extra></extra>"))
    largest = max([v for s in spec.series for v in s.values if v is not None] or [1])
    count = len(spec.categories)
    if count < 3:  # one or two bars keep the width of a bar among three, centred
        figure.update_xaxes(range=[-0.5 - (3 - count) / 2, count - 0.5 + (3 - count) / 2])
    figure.update_layout(bargap=0.35)
    figure.update_xaxes(tickangle=0)
    figure.update_yaxes(rangemode="tozero", range=[0, largest * 1.18 + 0.5], showgrid=True, gridcolor=GRID,
                        zeroline=True, zerolinecolor="#999999")
    if spec.whole_numbers:
        figure.update_yaxes(tickmode="linear", tick0=0, dtick=whole_number_step(largest), tickformat="d")


def _lines(figure: go.Figure, spec: Chart) -> None:
    years = [int(c) for c in spec.categories]
    for series in spec.series:
        dashed = series.style == "dash"
        figure.add_trace(go.Scatter(
            x=years, y=series.values, name=series.name, mode="lines" if dashed else "lines+markers",
            line={"color": series.color, "width": 2.5 if dashed else 4, "dash": "dash" if dashed else "solid"},
            marker={"size": 8}, connectgaps=False, hovertemplate="%{x}: %{y}<extra>%{fullData.name}</extra>"))
        last = next(((x, y) for x, y in zip(reversed(years), reversed(series.values)) if y is not None), None)
        if last and series.end_label:
            figure.add_annotation(x=last[0], y=last[1], text=f"<b>{_end_text(series.end_label)}</b>"
                                  if not dashed else _end_text(series.end_label),
                                  xanchor="left", xshift=10, showarrow=False, align="left",
                                  font={"size": 20 if not dashed else 16, "color": series.color})
    if spec.target is not None:
        figure.add_hline(y=spec.target, line={"color": MUTED, "width": 2, "dash": "dash"},
                         annotation={"text": spec.target_label, "font": {"size": 17, "color": MUTED}},
                         annotation_position="bottom right")
    if spec.shaded and years:
        # A span of years shaded (the pandemic years on the tourism slide): what the data shows, no cause.
        first, last, label = spec.shaded
        figure.add_vrect(x0=first - 0.5, x1=min(last, years[-1]) + 0.5, fillcolor="#999999", opacity=0.12,
                         line_width=0, annotation_text=label, annotation_position="top left",
                         annotation_font={"size": 15, "color": MUTED})
    if spec.verdict_year is not None and years and years[0] <= spec.verdict_year <= years[-1]:
        # Under the shaded span's label when there is one (both sit at the plot's top, and would overlap).
        figure.add_vline(x=spec.verdict_year, line={"color": "#999999", "width": 1.5, "dash": "dot"},
                         annotation={"text": spec.verdict_label, "font": {"size": 15, "color": MUTED},
                                     "yshift": -22 if spec.shaded else 0},
                         annotation_position="top left")
    figure.update_xaxes(tickformat="d", dtick=2 if len(years) > 8 else 1, showgrid=False,
                        range=[years[0] - 0.4, years[-1] + 0.4] if years else None)
    figure.update_yaxes(showgrid=True, gridcolor=GRID, zeroline=False)


def scale_bar_km(lon_span: float, lat: float) -> int:
    """A round length about a fifth of the map's width."""
    width_km = lon_span * KM_PER_DEGREE * math.cos(math.radians(lat))
    return next((km for km in (50, 20, 10, 5, 2, 1) if km <= width_km / 4), 1)


def _map(figure: go.Figure, spec: Chart) -> None:
    xs = [p[0] for s in spec.series if s.style == "area" for p in s.values if p is not None]
    ys = [p[1] for s in spec.series if s.style == "area" for p in s.values if p is not None]
    for series in spec.series:
        lon = [None if p is None else p[0] for p in series.values]
        lat = [None if p is None else p[1] for p in series.values]
        if series.style == "area":
            figure.add_trace(go.Scatter(x=lon, y=lat, mode="lines", fill="toself", fillcolor=OUTLINE_FILL,
                                        line={"color": OUTLINE_STROKE, "width": 2}, name=series.name,
                                        hoverinfo="skip"))
        elif series.style == "route":
            figure.add_trace(go.Scatter(x=lon, y=lat, mode="lines", name=series.name,
                                        line={"color": series.color, "width": 3, "dash": "dash"}, hoverinfo="skip"))
        else:
            figure.add_trace(go.Scatter(x=lon, y=lat, mode="markers", name=series.name,
                                        marker={"color": series.color, "size": 11, "line": {"color": "white",
                                                                                             "width": 1},
                                                "symbol": SYMBOLS.get(series.symbol, "circle")},
                                        hovertemplate="%{x:.3f}, %{y:.3f}<extra>%{fullData.name}</extra>"))
    # Each name beside its landmark on the side where no marker and no other name is (label_placement), on a
    # light box: it hides no point and stays readable over the routes.
    markers = [p for s in spec.series if s.style == "markers" for p in s.values if p is not None]
    scales = [label_placement.pixels_per_degree(min(xs), max(xs), min(ys), max(ys), *size) for size in MAP_SIZES] \
        if xs else [(1, 1)]
    spots = label_placement.place(list(spec.landmarks), markers, scales, LANDMARK_FONT, gap_px=8, marker_px=8)
    for (name, lon, lat), spot in zip(spec.landmarks, spots):
        figure.add_trace(go.Scatter(x=[lon], y=[lat], mode="markers", marker={
            "symbol": "triangle-up", "size": 13, "color": LANDMARK_COLOR, "line": {"color": "white", "width": 1}},
            showlegend=False, name=name, hovertemplate="%{fullData.name}<extra></extra>"))
        # A name moved off a crowded spot keeps a thin leader line to its landmark.
        figure.add_annotation(x=lon, y=lat, text=f"<b>{name}</b>", showarrow=spot.leader, ax=spot.dx, ay=-spot.dy,
                              xshift=0 if spot.leader else spot.dx, yshift=0 if spot.leader else spot.dy,
                              arrowhead=0, arrowwidth=1, arrowcolor=LANDMARK_COLOR, standoff=6,
                              xanchor="center", yanchor="middle",
                              font={"size": LANDMARK_FONT, "color": LANDMARK_COLOR},
                              bgcolor="rgba(255,255,255,0.85)", borderpad=2)
    if xs:
        west, east, south, north = min(xs), max(xs), min(ys), max(ys)
        middle = (south + north) / 2
        km = scale_bar_km(east - west, middle)
        length = km / (KM_PER_DEGREE * math.cos(math.radians(middle)))
        x0, y0 = east - length, south + (north - south) * 0.02  # bottom right; the legend is bottom left
        figure.add_shape(type="line", x0=x0, x1=x0 + length, y0=y0, y1=y0, line={"color": INK, "width": 3})
        for x in (x0, x0 + length):
            figure.add_shape(type="line", x0=x, x1=x, y0=y0, y1=y0 + (north - south) * 0.015,
                             line={"color": INK, "width": 2})
        figure.add_annotation(x=x0 + length / 2, y=y0, text=spec.scale_label.format(km=km), yanchor="bottom",
                              yshift=4, showarrow=False, font={"size": 15, "color": INK})
        ratio = 1 / math.cos(math.radians(middle))  # a degree of longitude is shorter than one of latitude
        figure.update_yaxes(scaleanchor="x", scaleratio=ratio)
    figure.update_xaxes(visible=False, showgrid=False, zeroline=False)
    figure.update_yaxes(visible=False, showgrid=False, zeroline=False)
    # The map's legend: the types in the map page's colours and shapes, in the map's empty corner.
    figure.update_layout(showlegend=True, legend={"orientation": "v", "x": 0, "y": 0, "xanchor": "left",
                                                  "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)",
                                                  "font": {"size": 16}})


def _as_text(spec: Chart) -> Chart:
    """Every text the chart shows escaped for plotly, which reads a little HTML in labels (names come from the
    catalog, which an upload changes): the only markup on the figure is the <br> and <b> this module adds."""
    def text(value):
        return plotly_text(value) if isinstance(value, str) else value
    series = [replace(s, name=text(s.name), end_label=text(s.end_label)) for s in spec.series]
    return replace(spec, title=text(spec.title), categories=[text(c) for c in spec.categories], series=series,
                   x_title=text(spec.x_title), y_title=text(spec.y_title), target_label=text(spec.target_label),
                   verdict_label=text(spec.verdict_label), foot=text(spec.foot), scale_label=text(spec.scale_label),
                   landmarks=tuple((text(name), lon, lat) for name, lon, lat in spec.landmarks),
                   shaded=tuple(text(part) for part in spec.shaded))


def slide_figure(spec: Chart, height: int = 430, narrow: bool = False, scale: float = 1.0) -> go.Figure:
    """The figure; `narrow` for the narrower chart beside a long list (its foot on shorter lines). `scale` > 1
    for a screen larger than 1280x720: its lettering, markers and margins grow as the slide's text does (the
    files keep scale 1)."""
    spec = _as_text(spec)
    figure = go.Figure()
    {"bar": _bars, "line": _lines, "map": _map}[spec.kind](figure, spec)
    title = _title_lines(spec.title, 30 if narrow else 44)
    ends = [s.end_label for s in spec.series if s.end_label]
    right = 30 if spec.kind != "line" or not ends else 20 + 10 * min(max(_width(e) for e in ends), 18)
    figure.update_layout(
        title={"text": title, "font": {"size": 20, "color": MUTED}, "x": 0, "xanchor": "left", "xref": "paper"},
        height=height, font={"family": FONT, "size": 18, "color": INK},
        margin={"l": 70 if spec.kind != "map" else 10, "r": right if spec.kind != "map" else 10,
                "t": 90 if "<br>" in title else 60},
        plot_bgcolor="white", paper_bgcolor="white", hoverlabel={"font": {"family": FONT}},
        xaxis_title=spec.x_title, yaxis_title="" if narrow and spec.whole_numbers else spec.y_title,
    )  # a narrow count chart: its title says what is counted, the axis keeps the room
    if spec.kind != "map":
        figure.update_layout(showlegend=False)  # every series is labelled where it ends
    # Axes that make room for their labels (the page cut labels of two or more lines at the figure's foot).
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    # Under the axis: its tick labels (bars: as many lines as the longest label) and the axis title.
    tick_lines = max([_category_lines(str(c)).count("<br>") + 1 for c in spec.categories] or [1])
    below = {"map": 4, "line": 34}.get(spec.kind, 12 + 24 * tick_lines) + (26 if spec.x_title else 0)
    limit = 100 if spec.kind == "map" else 34 if narrow else 64  # the map has the slide's widest column
    figure.update_layout(margin_b=max(_foot(figure, spec.foot, below, limit), 40))
    return _scaled(figure, scale) if scale != 1 else figure


def _size(value, scale: float):
    return None if value is None else round(value * scale, 1)


def _scaled(figure: go.Figure, scale: float) -> go.Figure:
    """Every size in px the figure sets, times `scale`: fonts (the axes' ticks and titles follow the layout's
    font), annotation offsets, margins, markers and bar labels. Line widths and the plot's proportions stay."""
    layout = figure.layout
    layout.font.size = _size(layout.font.size, scale)
    layout.title.font.size = _size(layout.title.font.size, scale)
    layout.legend.font.size = _size(layout.legend.font.size, scale)
    for side in ("l", "r", "t", "b"):
        setattr(layout.margin, side, _size(getattr(layout.margin, side), scale))
    for note in layout.annotations:
        note.font.size = _size(note.font.size, scale)
        for offset in ("xshift", "yshift", "ax", "ay", "borderpad", "standoff"):
            setattr(note, offset, _size(getattr(note, offset), scale))
    for trace in figure.data:
        if getattr(trace, "textfont", None) is not None and trace.textfont.size is not None:
            trace.textfont.size = _size(trace.textfont.size, scale)
        if getattr(trace, "marker", None) is not None and getattr(trace.marker, "size", None) is not None:
            trace.marker.size = _size(trace.marker.size, scale)
    return figure
