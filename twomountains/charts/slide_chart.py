"""A forum slide's chart (forum.slides.Chart) as a plotly figure for the presentation page, in large type."""
from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from twomountains.forum.slides import Chart

FONT = "Noto Sans CJK SC, Source Sans Pro, sans-serif"


def _title_lines(title: str, limit: int = 44) -> str:
    """A long chart title on two lines (plotly does not wrap): at the last space before the middle for
    words, in the middle for Chinese."""
    width = sum(1 if ord(char) < 0x2E80 else 2 for char in title)  # a Chinese character is about two letters wide
    if width <= limit:
        return title
    middle = len(title) // 2
    cut = title.rfind(" ", 0, middle + 8) if title.isascii() else middle
    cut = cut if cut > 0 else middle
    return title[:cut].rstrip() + "<br>" + title[cut:].lstrip()


def _category_lines(label: str, limit: int = 11) -> str:
    """A long bar label on lines of about `limit` letters, short enough for a bar of the narrow chart of
    a dense slide at 1280x720 (plotly would otherwise turn the labels on end); Chinese labels are short."""
    return "<br>".join(textwrap.wrap(label, limit)) if label.isascii() and len(label) > limit else label


def slide_figure(spec: Chart, height: int = 430) -> go.Figure:
    figure = go.Figure()
    for series in spec.series:
        if spec.kind == "bar":
            figure.add_trace(go.Bar(x=[_category_lines(c) for c in spec.categories], y=series.values,
                                    name=series.name,
                                    marker_color=list(series.point_colors) or series.color, text=series.values, textposition="outside",
                                    textfont={"size": 20}))
        elif spec.kind == "xy":
            xs = [x for x, _ in series.values]
            ys = [y for _, y in series.values]
            markers = series.style == "markers"
            figure.add_trace(go.Scatter(x=xs, y=ys, name=series.name, mode="markers" if markers else "lines",
                                        marker={"color": series.color, "size": 10},
                                        line={"color": series.color, "width": 2},
                                        hovertemplate="%{x:.3f}, %{y:.3f}<extra>" + series.name + "</extra>"))
        else:
            figure.add_trace(go.Scatter(x=spec.categories, y=series.values, name=series.name, mode="lines+markers",
                                        line={"color": series.color, "width": 4,
                                              "dash": "dash" if series.style == "dash" else "solid"},
                                        marker={"size": 9}, connectgaps=False))
    if spec.shaded and spec.kind == "line" and spec.shaded[0] in spec.categories:
        # A span of years shaded (the pandemic years on the tourism slide), whole years on the category axis.
        # Plotly reads year labels as dates; a category axis puts the span on whole years (index ± 0.5).
        first, last, label = spec.shaded
        end = spec.categories.index(last) if last in spec.categories else len(spec.categories) - 1
        figure.update_xaxes(type="category")
        figure.add_vrect(x0=spec.categories.index(first) - 0.5, x1=end + 0.5, fillcolor="#999999", opacity=0.15,
                         line_width=0, annotation_text=label, annotation_position="top left",
                         annotation_font_size=16)
    figure.update_layout(
        title={"text": _title_lines(spec.title), "font": {"size": 24}}, height=height,
        font={"family": FONT, "size": 18},
        margin={"l": 70, "r": 30, "t": 100 if "<br>" in _title_lines(spec.title) else 70,
                "b": 110 if len(spec.series) > 1 else 60},
        # The legend at the foot of the figure, under the axis title, whatever the figure's height.
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0,
                "font": {"size": 18}}, showlegend=len(spec.series) > 1,
        xaxis_title=spec.x_title, yaxis_title=spec.y_title, plot_bgcolor="white", paper_bgcolor="white",
    )
    # Axes that make room for their labels: the PNG/SVG files (plotly's default template) did, the page
    # did not and cut labels of two or more lines at the figure's foot.
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    if spec.kind == "xy":
        figure.update_yaxes(scaleanchor="x", scaleratio=1.15)  # ~1/cos(29.4°): degrees of longitude are shorter
    if spec.kind == "bar":
        figure.update_yaxes(rangemode="tozero")
    return figure
