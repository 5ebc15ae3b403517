"""The forum slides as a PowerPoint deck with native, editable charts (python-pptx).

The page's design: the finding as the title, big numbers, the list, one chart labelled where its series
end (no legend), the source under it and the demonstration notice at the foot of every slide. Charts carry
their data inside the file, so a presenter can restyle them in PowerPoint or WPS; the map is the page's map
as a picture.
Every run names an East Asian typeface as well as a Latin one, so Chinese text renders on machines
with the usual Chinese fonts; speaker notes state sources and demonstration marking.
"""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from twomountains.charts import figure_export
from twomountains.charts.slide_chart import slide_figure, whole_number_step
from twomountains.forum.slides import BigNumber, Chart, Series, Slide

LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Microsoft YaHei"
WIDTH, HEIGHT = Emu(12192000), Emu(6858000)  # 16:9
MARGIN = Emu(457200)


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _set_fonts(font, size: int | None = None, bold: bool | None = None) -> None:
    font.name = LATIN_FONT
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    properties = font._element  # a:rPr or a:defRPr
    for tag in ("a:ea", "a:cs"):
        existing = properties.find(qn(tag))
        if existing is None:
            existing = etree.SubElement(properties, qn(tag))
        existing.set("typeface", EAST_ASIAN_FONT)


def _text_box(slide, left, top, width, height, paragraphs: list[str], size: int, bold=False, bullet=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, text in enumerate(paragraphs):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = ("• " if bullet else "") + text
        _set_fonts(run.font, size, bold)
        paragraph.space_after = Pt(6)
    return box


def _chart_fonts(chart) -> None:
    _set_fonts(chart.font, 12)
    if chart.has_title:
        for paragraph in chart.chart_title.text_frame.paragraphs:
            for run in paragraph.runs:
                _set_fonts(run.font, 14, True)


def _axis_title(axis, text: str) -> None:
    if not text:
        return
    axis.has_title = True
    axis.axis_title.text_frame.text = text
    for run in axis.axis_title.text_frame.paragraphs[0].runs:
        _set_fonts(run.font, 11)


def _add_chart(slide, spec: Chart, left, top, width, height):
    data = CategoryChartData()
    data.categories = [str(c) for c in spec.categories]
    series_list = list(spec.series)
    for series in series_list:
        data.add_series(series.name, series.values)
    if spec.target is not None:  # the target as a dashed series, labelled at its end like the page's line
        data.add_series(spec.target_label, [spec.target] * len(spec.categories))
    kind = XL_CHART_TYPE.COLUMN_CLUSTERED if spec.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
    graphic = slide.shapes.add_chart(kind, left, top, width, height, data)
    chart = graphic.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title
    chart.has_legend = False  # every series is labelled where it ends
    plot = chart.plots[0]
    for plot_series, series in zip(plot.series, series_list):
        _style_series(plot_series, series, spec.kind)
        if spec.kind == "line":
            _line_labels(plot_series, spec, series)
    if spec.target is not None:
        target_series = plot.series[len(series_list)]
        _style_series(target_series, Series(spec.target_label, [], "#8C8C8C", style="dash"), spec.kind)
        _end_label(target_series, [spec.target] * len(spec.categories), spec.target_label, "#666666")
    if spec.kind == "bar":
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "0", False
        _set_fonts(plot.data_labels.font, 14, True)
    if spec.whole_numbers:
        largest = max([v for s in series_list for v in s.values if v is not None] or [1])
        chart.value_axis.major_unit = whole_number_step(largest)
        chart.value_axis.minimum_scale = 0
        chart.value_axis.tick_labels.number_format = "0"
        chart.value_axis.tick_labels.number_format_is_linked = False
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = _rgb("#E6E6E6")
    _axis_title(chart.category_axis, spec.x_title)
    _axis_title(chart.value_axis, spec.y_title)
    _chart_fonts(chart)
    return chart


def _last_index(values) -> int | None:
    return next((i for i in range(len(values) - 1, -1, -1) if values[i] is not None), None)


def _point_label(plot_series, index: int, text: str, color: str, position=XL_LABEL_POSITION.RIGHT) -> None:
    label = plot_series.points[index].data_label
    label.has_text_frame = True
    label.text_frame.text = text
    label.position = position
    for run in (run for paragraph in label.text_frame.paragraphs for run in paragraph.runs):
        _set_fonts(run.font, 12, True)
        run.font.color.rgb = _rgb(color)


def _end_label(plot_series, values, text: str, color: str) -> None:
    index = _last_index(values)
    if text and index is not None:
        _point_label(plot_series, index, text, color)


def _line_labels(plot_series, spec: Chart, series) -> None:
    """The series' latest value at its end and, on the main series (the first), the verdict year as a label where
    the page draws its vertical line. Where the verdict year is the last point, one label says both."""
    last = _last_index(series.values)
    verdict = None
    if spec.verdict_year is not None and series is spec.series[0]:
        years = [int(c) for c in spec.categories]
        if spec.verdict_year in years and series.values[years.index(spec.verdict_year)] is not None:
            verdict = years.index(spec.verdict_year)
    if verdict is not None and verdict == last and series.end_label:
        _point_label(plot_series, last, f"{series.end_label}\n{spec.verdict_label}", series.color)
        return
    if series.end_label and last is not None:
        _point_label(plot_series, last, series.end_label, series.color)
    if verdict is not None:
        _point_label(plot_series, verdict, spec.verdict_label, "#666666", XL_LABEL_POSITION.BELOW)


def _style_series(plot_series, series, kind: str) -> None:
    color = _rgb(series.color)
    if kind == "bar":
        plot_series.format.fill.solid()
        plot_series.format.fill.fore_color.rgb = color
        for index, point_color in enumerate(series.point_colors):
            point = plot_series.points[index]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(point_color)
        return
    line = plot_series.format.line
    line.color.rgb = color
    line.width = Pt(3 if series.style != "dash" else 1.75)
    plot_series.smooth = False
    if series.style == "dash":
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
        plot_series.marker.style = XL_MARKER_STYLE.NONE
    else:
        plot_series.marker.format.fill.solid()
        plot_series.marker.format.fill.fore_color.rgb = color


def _map_picture(slide, spec: Chart, left, top, width, height) -> bool:
    """The page's map as a picture (plotly drawn by the headless Chromium); False where that is not available."""
    if not figure_export.available():
        return False
    figure = slide_figure(spec, height=int(figure_export.EXPORT_WIDTH * height / width))
    picture = io.BytesIO(figure_export.png_bytes(figure))
    slide.shapes.add_picture(picture, left, top, width=width)
    return True


def _big(slide, left, top, width, figure: BigNumber, value_size: int, label_size: int) -> None:
    box = slide.shapes.add_textbox(left, top, width, Emu(int(Pt(value_size + 2.4 * label_size + 20))))
    frame = box.text_frame
    frame.word_wrap = True
    parts = [(figure.value, value_size, True, figure.color), (figure.label, label_size, False, "#333333")]
    if figure.detail:
        parts.append((figure.detail, label_size - 2, False, "#666666"))
    for index, (text, size, bold, color) in enumerate(parts):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        _set_fonts(run.font, size, bold)
        run.font.color.rgb = _rgb(color)


def _footer(slide, text: str) -> None:
    box = _text_box(slide, MARGIN, HEIGHT - Emu(420000), WIDTH - 2 * MARGIN, Emu(330000), [text], 9)
    for paragraph in box.text_frame.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = _rgb("#666666")


def _header(slide, spec: Slide) -> None:
    _text_box(slide, MARGIN, Emu(220000), WIDTH - 2 * MARGIN, Emu(700000), [spec.title], 26, bold=True)
    if spec.subtitle:
        box = _text_box(slide, MARGIN, Emu(880000), WIDTH - 2 * MARGIN, Emu(400000), [spec.subtitle], 14)
        box.text_frame.paragraphs[0].runs[0].font.color.rgb = _rgb("#5A5A5A")


def _cover(slide, spec: Slide) -> None:
    left = MARGIN + Emu(500000)
    _text_box(slide, left, Emu(1500000), WIDTH - left - MARGIN, Emu(1100000), [spec.title], 48, bold=True)
    _text_box(slide, left, Emu(2700000), WIDTH - left - MARGIN, Emu(800000), [spec.subtitle], 26)
    _text_box(slide, left, Emu(3700000), WIDTH - left - MARGIN, Emu(1200000), spec.bullets, 18)
    bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, Emu(900000), Emu(150000), Emu(4600000))
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb("#009E73")
    bar.line.fill.background()


def _headline(slide, spec: Slide) -> None:
    _header(slide, spec)
    counts = [f for f in spec.figures if not f.detail]
    keys = [f for f in spec.figures if f.detail]
    for row, (figures, top, value_size) in enumerate(((counts, Emu(1500000), 66), (keys, Emu(3700000), 36))):
        if not figures:
            continue
        width = Emu(int((WIDTH - 2 * MARGIN) / len(figures)))
        for index, figure in enumerate(figures):
            _big(slide, MARGIN + width * index, top, width - Emu(150000), figure, value_size, 16 if row else 18)


def _content(slide, spec: Slide) -> None:
    _header(slide, spec)
    top, bottom = Emu(1400000), HEIGHT - Emu(500000)
    text_width = Emu(int((WIDTH - 2 * MARGIN) * (0.5 if len(spec.bullets) > 6 else 0.36)))
    y = top
    for figure in spec.figures:
        _big(slide, MARGIN, y, text_width, figure, 30, 12)
        y += Emu(int(Pt(30 + 2.4 * 12 + 26)))
    dense = len(spec.bullets) > 6
    if spec.bullets:
        box = _text_box(slide, MARGIN, y, text_width, bottom - y, spec.bullets, 11 if dense else 14, bullet=True)
        body = box.text_frame._txBody.bodyPr
        if dense:  # a long list in two columns, as on the page
            body.set("numCol", "2")
            body.set("spcCol", str(Emu(180000)))
        box.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks what would overflow
    if spec.chart is None:
        return
    chart_left = MARGIN + text_width + Emu(250000)
    chart_width, chart_height = WIDTH - MARGIN - chart_left, bottom - top - Emu(450000)
    drawn = spec.chart.kind == "map" and _map_picture(slide, spec.chart, chart_left, top, chart_width, chart_height)
    if not drawn:
        _add_chart(slide, spec.chart, chart_left, top, chart_width, chart_height)
    if spec.chart.foot and spec.chart.kind != "map":  # the map's picture carries its own foot
        box = _text_box(slide, chart_left, top + chart_height + Emu(30000), chart_width, Emu(400000),
                        [spec.chart.foot], 9)
        box.text_frame.paragraphs[0].runs[0].font.color.rgb = _rgb("#666666")


def build_deck(slides: list[Slide], footer: str = "") -> bytes:
    """The deck as .pptx bytes: the page's slides, the same design, with speaker notes that say the numbers."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    for spec in slides:
        slide = deck.slides.add_slide(blank)
        {"cover": _cover, "closing": _cover, "headline": _headline}.get(spec.kind, _content)(slide, spec)
        foot = " · ".join(p for p in (footer, spec.foot if spec.chart is None else "") if p)
        if foot:
            _footer(slide, foot)
        if spec.notes:
            notes = slide.notes_slide.notes_text_frame
            notes.text = spec.notes
            for paragraph in notes.paragraphs:
                for run in paragraph.runs:
                    _set_fonts(run.font)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
