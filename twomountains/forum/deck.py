"""The forum slides as a PowerPoint deck with native, editable charts (python-pptx).

Charts carry their data inside the file, so a presenter can restyle them in PowerPoint or WPS.
Every run names an East Asian typeface as well as a Latin one, so Chinese text renders on machines
with the usual Chinese fonts; speaker notes state sources and demonstration marking.
"""
from __future__ import annotations

import io

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from twomountains.forum.slides import Chart, Slide

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
    if spec.kind == "xy":
        data = XyChartData()
        for series in spec.series:
            target = data.add_series(series.name)
            for x, y in series.values:
                target.add_data_point(x, y)
        graphic = slide.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER, left, top, width, height, data)
    else:
        data = CategoryChartData()
        data.categories = spec.categories
        for series in spec.series:
            data.add_series(series.name, series.values)
        kind = XL_CHART_TYPE.COLUMN_CLUSTERED if spec.kind == "bar" else XL_CHART_TYPE.LINE_MARKERS
        graphic = slide.shapes.add_chart(kind, left, top, width, height, data)
    chart = graphic.chart
    chart.has_title = True
    chart.chart_title.text_frame.text = spec.title
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    for plot_series, series in zip(chart.plots[0].series, spec.series):
        _style_series(plot_series, series, spec.kind)
    if spec.kind != "xy" or spec.x_title:
        _axis_title(chart.category_axis, spec.x_title)
    _axis_title(chart.value_axis, spec.y_title)
    _chart_fonts(chart)
    return chart


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
    if series.style == "markers":
        line.fill.background()
        plot_series.marker.format.fill.solid()
        plot_series.marker.format.fill.fore_color.rgb = color
        plot_series.marker.size = 7
        return
    line.color.rgb = color
    line.width = Pt(2.5)
    if series.style == "dash":
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
    plot_series.smooth = False
    if kind == "xy":
        plot_series.marker.style = XL_MARKER_STYLE.NONE


def build_deck(slides: list[Slide]) -> bytes:
    """The deck as .pptx bytes."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    blank = deck.slide_layouts[6]
    content_width = WIDTH - 2 * MARGIN
    for spec in slides:
        slide = deck.slides.add_slide(blank)
        if spec.chart is None:
            _text_box(slide, MARGIN, Emu(2000000), content_width, Emu(1200000), [spec.title], 40, bold=True)
            paragraphs = ([spec.subtitle] if spec.subtitle else []) + spec.bullets
            _text_box(slide, MARGIN, Emu(3300000), content_width, Emu(2500000), paragraphs, 20)
        else:
            _text_box(slide, MARGIN, Emu(250000), content_width, Emu(800000), [spec.title], 30, bold=True)
            text_width = Emu(int(content_width * 0.42))
            _text_box(slide, MARGIN, Emu(1150000), text_width, Emu(5300000), spec.bullets,
                      14 if len(spec.bullets) > 6 else 16, bullet=True)
            chart_left = MARGIN + text_width + Emu(200000)
            _add_chart(slide, spec.chart, chart_left, Emu(1150000), WIDTH - MARGIN - chart_left, Emu(5300000))
        if spec.notes:
            notes = slide.notes_slide.notes_text_frame
            notes.text = spec.notes
            for paragraph in notes.paragraphs:
                for run in paragraph.runs:
                    _set_fonts(run.font)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
