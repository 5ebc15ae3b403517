"""Forum mode: the deck opened with python-pptx, the PDF summary turned into an image, the CLI."""
import io
import os
import re
import shutil
import subprocess
import sys

import pytest
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from twomountains.access import database
from twomountains.charts.slide_chart import slide_figure
from twomountains.forum import data, deck, slides, summary
from twomountains.paths import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
DATA_SLIDES = {"scorecard", "tourism", "ecology", "link", "map", "next"}


@pytest.fixture
def forum(demo_db):
    return data.load(database(demo_db), 2022)


def _texts(slide):
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_has_every_slide_with_a_native_chart_on_each_data_slide(forum, lang, tmp_path):
    specs = slides.build(forum, lang)
    path = tmp_path / f"deck_{lang}.pptx"
    path.write_bytes(deck.build_deck(specs))
    presentation = Presentation(str(path))
    groups = forum.catalog.goal_group.nunique()
    assert len(presentation.slides) == len(specs) == 8 + groups
    for spec, slide in zip(specs, presentation.slides):
        assert spec.title in _texts(slide)[0]
        charts = [shape for shape in slide.shapes if shape.has_chart]
        if spec.key in DATA_SLIDES or spec.key.startswith("group_"):
            assert len(charts) == 1, spec.key
            chart = charts[0].chart
            assert chart.chart_title.text_frame.text == spec.chart.title
            values = [v for series in chart.plots[0].series for v in series.values if v is not None]
            assert values, spec.key  # the data lives inside the chart, editable
        notes = slide.notes_slide.notes_text_frame.text
        assert notes
        text = " ".join(_texts(slide)) + notes
        if lang == "en":
            assert not CJK.search(text), (spec.key, CJK.findall(text)[:5])
    first_run = presentation.slides[0].shapes[0].text_frame.paragraphs[0].runs[0]
    assert first_run.font._element.find(qn("a:ea")).get("typeface") == deck.EAST_ASIAN_FONT


def test_speaker_notes_name_sources_and_demonstration_data(forum):
    specs = {s.key: s for s in slides.build(forum, "zh")}
    assert "武隆区委宣传部新闻稿" in specs["tourism"].notes       # a published source is named
    assert "演示数据" in specs["tourism"].notes                   # and the demo years are marked
    assert "2022" in specs["tourism"].notes


def test_slides_follow_the_chosen_year(demo_db):
    early = {s.key: s for s in slides.build(data.load(database(demo_db), 2020), "en")}
    late = {s.key: s for s in slides.build(data.load(database(demo_db), 2025), "en")}
    assert early["tourism"].chart.categories[-1] == "2020"
    assert late["tourism"].chart.categories[-1] == "2025"
    assert "2020" in early["scorecard"].title and "2025" in late["scorecard"].title


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_pdf_renders_to_an_image_with_every_goal(forum, lang, tmp_path):
    pdf = tmp_path / f"summary_{lang}.pdf"
    pdf.write_bytes(summary.summary_pdf(forum, lang))
    assert pdf.read_bytes().startswith(b"%PDF")
    assert shutil.which("pdftoppm") and shutil.which("pdfinfo"), "poppler-utils is installed by make test"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.M), info
    assert re.search(r"^Page size:\s+595(\.\d+)? x 842(\.\d+)? pts", info, re.M), info   # A4 portrait
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansCJK" in fonts  # the glyphs come from a font that carries Chinese, embedded
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(tmp_path / lang)], check=True)
    image = Image.open(tmp_path / f"{lang}.png").convert("L")
    assert image.size == (827, 1170)  # A4 at 100 dpi
    dark = [(x, y) for y in range(image.size[1]) for x in range(image.size[0]) if image.getpixel((x, y)) < 128]
    assert len(dark) > 5000  # text was drawn, not an empty page
    # Nothing is cut: the ink stays inside the page's margins, and the last goal (at the bottom) is drawn.
    assert min(x for x, _ in dark) > 10 and max(x for x, _ in dark) < image.size[0] - 10
    assert max(y for _, y in dark) > image.size[1] * 0.8 and max(y for _, y in dark) < image.size[1] - 10
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copy(tmp_path / f"{lang}.png", artifacts / f"summary_{lang}.png")
    rows = summary.summary_rows(forum, lang)
    assert (rows.kind == "goal").sum() == len(forum.catalog)


def test_summary_page_scales_a_taller_table_down_to_a4():
    tall = '<svg xmlns="http://www.w3.org/2000/svg" width="555" height="1604"><rect width="555" height="1604"/></svg>'
    page = summary._a4(tall)
    assert 'width="595" height="842"' in page and "scale(0.5000)" in page
    assert "scale(1.0000)" in summary._a4(tall.replace("1604", "700"))


def test_deck_and_summary_commands(demo_db, tmp_path):
    env = {**os.environ}
    out = tmp_path / "deck.pptx"
    run = subprocess.run([sys.executable, "-m", "twomountains", "deck", "--lang", "en", "--as-of", "2022",
                          "--out", str(out)], cwd=ROOT, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert len(Presentation(str(out)).slides) > 10
    pdf = tmp_path / "s.pdf"
    run = subprocess.run([sys.executable, "-m", "twomountains", "summary", "--out", str(pdf)], cwd=ROOT,
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0 and pdf.read_bytes().startswith(b"%PDF")
    missing = subprocess.run([sys.executable, "-m", "twomountains", "deck", "--out", str(out)], cwd=ROOT,
                             capture_output=True, text=True,
                             env={**env, "TWOMOUNTAINS_DB": str(tmp_path / "none.duckdb")})
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    usage = subprocess.run([sys.executable, "-m", "twomountains", "deck", "--lang", "fr", "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True, env=env)
    assert usage.returncode == 2


def test_presentation_page_steps_through_the_slides(app):
    at = app("pages/present.py", lang="en")
    first = at.title[0].value
    at.button[1].click().run()        # Next
    assert not at.exception
    assert at.title[0].value != first
    at.button[0].click().run()        # Previous
    assert at.title[0].value == first
    assert at.query_params["slide"] == "1"


def test_slide_chart_files_are_the_figure_drawn_by_plotly_offline(forum):
    """PNG and SVG of a slide's chart: the plotly figure the page shows, drawn by plotly.js in a headless
    Chromium (kaleido) that loads nothing from the network."""
    import io

    from twomountains.charts import figure_export
    from twomountains.charts.slide_chart import slide_figure
    spec = {s.key: s for s in slides.build(forum, "zh")}["link"]
    figure = slide_figure(spec.chart, height=440)
    png = figure_export.png_bytes(figure)
    assert png.startswith(b"\x89PNG")
    assert Image.open(io.BytesIO(png)).size == (2 * figure_export.EXPORT_WIDTH, 2 * 440)
    svg = figure_export.svg_bytes(figure).decode("utf-8")
    assert svg.startswith("<svg") and f'width="{figure_export.EXPORT_WIDTH}"' in svg
    assert "森林覆盖率" in svg and "Noto Sans CJK SC" in svg  # Chinese text stays text, in a CJK font
    assert figure_export.svg_bytes(figure).startswith(b"<svg")  # the browser is kept for the next file


def test_slide_figure_keeps_its_own_height_and_labels_on_short_lines(forum):
    """The figure's height is that of its PNG/SVG files (the page only draws it taller on a tall screen);
    long English bar labels are on short lines, with room made for them under the axis."""
    from twomountains.charts.slide_chart import slide_figure
    spec = {s.key: s for s in slides.build(forum, "en")}["next"]
    figure = slide_figure(spec.chart, height=470)
    assert figure.layout.height == 470
    labels = list(figure.data[0].x)
    assert len(labels) == len(spec.chart.categories)
    assert any("<br>" in label for label in labels)
    assert [label.replace("<br>", " ") for label in labels] == list(spec.chart.categories)
    assert all(len(line) <= 11 for label in labels for line in label.split("<br>"))
    assert figure.layout.xaxis.automargin is True


def test_sparkline_png_is_made_from_its_svg():
    import io

    from twomountains.charts.export import svg_to_png_bytes
    from twomountains.charts.sparkline import HEIGHT, WIDTH, sparkline_svg
    svg = sparkline_svg([(2019, 1.0), (2020, 2.0), (2021, 1.5)], 2.0, "#009E73", "森林覆盖率")
    png = svg_to_png_bytes(svg, scale=4)
    assert Image.open(io.BytesIO(png)).size == (4 * WIDTH, 4 * HEIGHT)


def test_every_slide_verdict_names_its_year_and_counts_goals_apart_from_context(demo_db):
    """Issue 11: bullets, deck and summary show "116 (2025) · 2022: 94, missed · met in 2023", the headline
    counts goals with a target only, and the tourism slide states values, not an unsourced cause."""
    forum = data.load(database(demo_db), 2025)
    specs = {s.key: s for s in slides.build(forum, "en")}
    catalog = forum.catalog
    goals = int((catalog.target_type != "context").sum())
    context = len(catalog) - goals
    line = specs["scorecard"].bullets[0]
    assert line.startswith(f"The plan set {goals} goals. As of 2025:") and f"{context} context series" in line
    assert sum(specs["scorecard"].chart.series[0].values) == goals
    bullets = [b for s in specs.values() if s.key.startswith("group_") for b in s.bullets]
    assert "Rural-tourism demonstration villages and points: 116 (2025) · 2022: 94, missed · met in 2023" in bullets
    assert not any(b.startswith("Tourist visits") for b in bullets)       # context series are not goals
    assert any("more goals have no data yet" in b for b in bullets)       # goals without data in one line
    tourism = specs["tourism"]
    assert not any("main reason" in b or "COVID" in b for b in tourism.bullets)
    assert any(re.fullmatch(r"Tourism revenue in the pandemic years 2020–2022: CNY [\d.]+ billion \(2020\); "
                            r"CNY 19.73 billion \(2021\); CNY [\d.]+ billion \(2022\)\.", b) for b in tourism.bullets)
    figure = slide_figure(tourism.chart)
    first = tourism.chart.categories.index("2020")
    assert [(shape.x0, shape.x1) for shape in figure.layout.shapes] == [(first - 0.5, first + 2.5)]
    assert figure.layout.xaxis.type == "category"  # whole years, the axis not stretched by the shading
    assert tourism.chart.shaded[:2] == ("2020", "2022")
    deck_text = " ".join(shape.text_frame.text for slide in Presentation(io.BytesIO(deck.build_deck(list(
        specs.values())))).slides for shape in slide.shapes if shape.has_text_frame)
    assert "116 (2025) · 2022: 94, missed · met in 2023" in deck_text
    rows = summary.summary_rows(forum, "en").set_index("name")
    assert rows.loc["Rural-tourism demonstration villages and points", "status"] == "2022: missed · met in 2023"
    assert rows.loc["Rural-tourism demonstration villages and points", "latest"] == "116 (2025)*"
    assert rows.loc["Tourist visits", "status"] == "trend since 2019: on track"
    assert rows.loc["National Ecological Civilisation Demonstration Zone title", "latest"] == "done by 2021†"
    next_steps = " ".join(specs["next"].bullets)
    assert "lead: none named in the plan" in next_steps or "lead: District" in next_steps
