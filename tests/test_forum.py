"""Forum mode: the deck opened with python-pptx, the PDF summary turned into an image, the CLI."""
import io
import datetime as dt
import os
import re
import shutil
import subprocess
import sys

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from twomountains.access import database
from twomountains.charts.slide_chart import slide_figure
from twomountains.forum import data, deck, findings, live, slides, summary
from twomountains.i18n import t
from twomountains.paths import ROOT

CJK = re.compile(r"[\u4e00-\u9fff]")
NATIVE_CHART_SLIDES = {"tourism", "ecology", "link", "next"}   # and every goal group's slide


@pytest.fixture
def forum(demo_db):
    return data.load(database(demo_db), 2022)


def _texts(slide):
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_has_every_slide_in_the_pages_design_with_notes_that_say_the_numbers(forum, lang, tmp_path):
    specs = slides.build(forum, lang, dt.date(2026, 11, 30))
    footer = t("forum.footer", lang)
    path = tmp_path / f"deck_{lang}.pptx"
    path.write_bytes(deck.build_deck(specs, footer))
    presentation = Presentation(str(path))
    groups = forum.catalog.goal_group.nunique()
    assert len(presentation.slides) == len(specs) == 8 + groups
    for spec, slide in zip(specs, presentation.slides):
        texts = _texts(slide)
        assert spec.title in texts[0]
        assert footer in texts[-1]                       # the demonstration notice at the foot of every slide
        charts = [shape for shape in slide.shapes if shape.has_chart]
        if spec.key in NATIVE_CHART_SLIDES or spec.key.startswith("group_"):
            assert len(charts) == 1, spec.key
            chart = charts[0].chart
            assert chart.chart_title.text_frame.text == spec.chart.title
            assert not chart.has_legend                   # series are labelled where they end
            values = [v for series in chart.plots[0].series for v in series.values if v is not None]
            assert values, spec.key  # the data lives inside the chart, editable
            assert spec.chart.foot in " ".join(texts)     # the source under the chart
        if spec.key == "map":                             # the page's map as a picture, not a scatter chart
            assert not charts and [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        notes = slide.notes_slide.notes_text_frame.text
        assert spec.title in notes
        for figure in spec.figures:                       # the notes say the numbers the slide shows
            assert figure.value in notes, (spec.key, figure.value)
        text = " ".join(texts) + notes
        for figure in spec.figures:
            assert figure.value in " ".join(texts)
        if lang == "en":
            assert not CJK.search(text), (spec.key, CJK.findall(text)[:5])
    first_run = presentation.slides[0].shapes[0].text_frame.paragraphs[0].runs[0]
    assert first_run.font._element.find(qn("a:ea")).get("typeface") == deck.EAST_ASIAN_FONT
    cover = " ".join(_texts(presentation.slides[0]))
    assert t("forum.cover.district", lang) in cover and ("2026" in cover and "30" in cover)


def test_speaker_notes_name_sources_and_demonstration_data(forum):
    specs = {s.key: s for s in slides.build(forum, "zh")}
    assert "武隆区委宣传部新闻稿" in specs["tourism"].notes       # a published source is named
    assert "演示数据" in specs["tourism"].notes                   # and the demo years are marked
    assert "2022" in specs["tourism"].notes


def test_slides_follow_the_chosen_year(demo_db):
    early = {s.key: s for s in slides.build(data.load(database(demo_db), 2020), "en")}
    late = {s.key: s for s in slides.build(data.load(database(demo_db), 2025), "en")}
    assert early["tourism"].chart.categories[-1] == 2020
    assert late["tourism"].chart.categories[-1] == 2025
    assert "2020" in early["scorecard"].title and "2025" in late["scorecard"].title


def _first_year_at_or_above(forum, code, target):
    frame = forum.annual[(forum.annual.indicator_code == code) & (forum.annual.year <= forum.as_of)]
    return int(frame[frame.value >= target].year.min())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_titles_state_the_finding_computed_from_the_data(demo_db, lang):
    """The ecology slide's title names the year forest cover first reached its target, read from the
    series; before that year it says the value falls short; other titles carry the scorecard's counts."""
    forum = data.load(database(demo_db), 2025)
    target = float(forum.catalog.loc["forest_cover", "target_value"])
    year = _first_year_at_or_above(forum, "forest_cover", target)
    specs = {s.key: s for s in slides.build(forum, lang)}
    assert specs["ecology"].title == t("forum.find.level_passed", lang, name=forum.catalog.loc[
        "forest_cover", f"name_{lang}"], target="65%", year=year)
    earlier = {s.key: s for s in slides.build(data.load(database(demo_db), year - 1), lang)}
    assert str(year) not in earlier["ecology"].title and "65%" in earlier["ecology"].title
    goals = findings.counted(forum, forum.catalog.index)
    achieved = sum(forum.goals[c].status == "achieved" for c in goals)
    assert specs["scorecard"].title == t("forum.find.headline", lang, achieved=achieved, total=len(goals), year=2025)
    growth = findings.growth(forum, "tourism_revenue")
    assert f"{abs(growth[2]) * 100:.1f}" in specs["tourism"].title


def test_context_series_are_not_counted_as_goals(forum):
    goals = findings.counted(forum, forum.catalog.index)
    assert "tourist_visits" not in goals and "heavy_pollution_days_ratio" not in goals
    assert len(goals) == (forum.catalog.target_type != "context").sum()


def test_headline_slide_has_the_big_numbers_of_the_scorecard(forum):
    headline = {s.key: s for s in slides.build(forum, "en")}["scorecard"]
    assert headline.kind == "headline" and headline.chart is None
    counts = findings.status_counts(forum, forum.catalog.index)
    values = {f.label: f.value for f in headline.figures}
    assert values[t("forum.headline.achieved", "en")] == str(counts["achieved"])
    assert values[t("forum.headline.missed", "en")] == str(counts["missed"])
    assert values[t("forum.headline.no_data", "en")] == str(counts["no_data"])
    keyed = [f for f in headline.figures if f.detail]
    assert len(keyed) == len(slides.HEADLINE_CODES) and all("2022" in f.detail for f in keyed)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_slides_list_and_its_chart_count_the_same_goals(demo_db, lang):
    forum = data.load(database(demo_db), 2025)
    specs = slides.build(forum, lang)
    for spec in specs:
        if spec.key.startswith("group_") or spec.key == "next":
            # Every goal the chart counts is named in the list: one line each, or in the one line that names
            # the goals without data yet.
            # A line per goal with data; the goals without data yet are counted in one line of their own.
            codes = (findings.lagging(forum) if spec.key == "next" else findings.counted(
                forum, forum.catalog.index[forum.catalog.goal_group == spec.key.removeprefix("group_")]))
            without = sum(forum.goals[c].status == "no_data" for c in codes)
            expected = [b for b in spec.bullets if b != t("verdict.group_no_data", lang, count=without)]
            assert len(expected) + without == len(codes) == sum(spec.chart.series[0].values), spec.key
    behind = findings.lagging(forum)
    assert len({s.key: s for s in specs}["next"].bullets) == len(behind) > 8


def test_slide_charts_label_target_verdict_year_and_latest_value_without_a_legend(forum):
    from twomountains.charts.slide_chart import slide_figure
    specs = {s.key: s for s in slides.build(forum, "en")}
    ecology = slide_figure(specs["ecology"].chart, height=520)
    assert ecology.layout.showlegend is False
    shapes = ecology.layout.shapes
    assert any(s.y0 == s.y1 == 65 for s in shapes)                      # the target line …
    texts = [a.text for a in ecology.layout.annotations]
    assert specs["ecology"].chart.target_label in texts                 # … labelled on the line
    assert any(s.x0 == s.x1 == 2022 for s in shapes)                    # the verdict year marked
    assert t("forum.chart.verdict_year", "en", year=2022) in texts
    latest = findings.latest_text(forum, "forest_cover", "en")
    assert any(latest in text for text in texts)                        # the latest value at the line's end
    assert any("demonstration data" in text for text in texts)          # source and demo at the foot
    tourism = slide_figure(specs["tourism"].chart, height=520)
    labels = " ".join(a.text.replace("<br>", " ") for a in tourism.layout.annotations)
    assert t("forum.chart.required", "en") in labels and tourism.layout.showlegend is False


def test_count_axes_show_whole_numbers(forum):
    from twomountains.charts.slide_chart import slide_figure, whole_number_step
    for spec in slides.build(forum, "en"):
        if spec.chart is not None and spec.chart.kind == "bar":
            axis = slide_figure(spec.chart).layout.yaxis
            assert axis.tickformat == "d" and axis.dtick == int(axis.dtick) >= 1, spec.key
    assert [whole_number_step(n) for n in (1, 3, 6, 7, 13, 40)] == [1, 1, 1, 2, 5, 10]


def test_the_map_is_a_map_in_the_map_pages_colours(forum):
    from twomountains.charts.rural_map import ROUTE_COLOR, TYPE_COLORS
    from twomountains.charts.slide_chart import slide_figure
    spec = {s.key: s for s in slides.build(forum, "en")}["map"]
    figure = slide_figure(spec.chart, height=520)
    assert figure.layout.xaxis.visible is False and figure.layout.yaxis.visible is False  # no axes, no grid
    filled = [trace for trace in figure.data if trace.fill == "toself"]
    assert len(filled) == 1                                                 # the district, filled
    colours = {trace.name: trace.marker.color for trace in figure.data if trace.mode == "markers" and trace.showlegend
               is not False}
    assert colours == {t(f"map.type.{k}", "en"): c for k, c in TYPE_COLORS.items()}
    routes = [trace for trace in figure.data if trace.line.color == ROUTE_COLOR]
    assert routes and None in routes[0].x                                   # several routes through their stops
    names = [a.text for a in figure.layout.annotations if a.text.startswith("<b>")]
    assert names == [f"<b>{n}</b>" for n in forum.landmarks.name_en]        # a few landmarks named
    assert any(a.text.endswith(" km") for a in figure.layout.annotations)  # the scale bar
    assert len([s for s in figure.layout.shapes if s.type == "line"]) == 3


def test_notes_window_follows_the_talk_in_memory():
    talk = live.new_talk()
    assert live.valid_talk(talk) and not live.valid_talk("../x") and live.shown(talk) is None
    live.show(talk, 3, 13, 2022, "2026-11-30")
    assert live.shown(talk).slide == 3
    live.show(talk, 4, 13, 2022, "2026-11-30")
    assert live.shown(talk).slide == 4


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


def test_summary_opens_with_the_big_numbers_and_the_map(forum):
    """The PDF's band: the scorecard's counts as big numbers and the district drawn as a map (filled outline,
    the villages and points in the map page's colours, landmarks named), with no axes."""
    import json

    from twomountains.charts.rural_map import TYPE_COLORS
    spec = summary.summary_chart(forum, "en").to_dict()
    numbers, district_map = spec["vconcat"][0]["hconcat"]
    counts = findings.status_counts(forum, forum.catalog.index)
    shown = [row["value"] for row in spec["datasets"][numbers["layer"][1]["data"]["name"]]]
    assert shown == [str(counts[s]) for s in ("achieved", "missed", "no_data")]
    text = json.dumps(district_map)
    assert district_map["projection"]["type"] == "mercator" and '"geoshape"' in text
    assert all(colour in text for colour in TYPE_COLORS.values())
    landmarks = json.dumps([spec["datasets"][layer["data"]["name"]] for layer in district_map["layer"]
                            if layer["mark"]["type"] == "text"], ensure_ascii=False)
    assert all(name in landmarks for name in forum.landmarks.name_en)


def test_summary_page_scales_a_taller_table_down_to_a4():
    tall = '<svg xmlns="http://www.w3.org/2000/svg" width="555" height="1604"><rect width="555" height="1604"/></svg>'
    page = summary._a4(tall)
    assert 'width="595" height="842"' in page and "scale(0.5000)" in page
    assert "scale(1.0000)" in summary._a4(tall.replace("1604", "700"))


def test_deck_and_summary_commands(demo_db, tmp_path):
    env = {**os.environ}
    out = tmp_path / "deck.pptx"
    run = subprocess.run([sys.executable, "-m", "twomountains", "deck", "--lang", "en", "--as-of", "2022",
                          "--date", "2026-05-20", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert len(Presentation(str(out)).slides) > 10
    assert "20 May 2026" in " ".join(_texts(Presentation(str(out)).slides[0]))   # the forum's date on the cover
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


def _slide_title(at) -> str:
    bodies = [element.proto.body for element in at.get("html")]
    return next(re.search(r"<h1>(.*?)</h1>", b).group(1) for b in bodies if "<h1>" in b)


def test_presentation_page_steps_through_the_slides_and_switches_language(app):
    at = app("pages/present.py", lang="en")
    first = _slide_title(at)
    assert first == t("forum.cover.district", "en")
    at.button(key="present_next").click().run()
    assert not at.exception
    assert _slide_title(at) != first
    at.button(key="present_previous").click().run()
    assert _slide_title(at) == first
    assert at.query_params["slide"] == "1"
    assert at.query_params["talk"]                    # the id the speaker-notes window follows
    at.button(key="present_next").click().run()
    assert live.shown(at.query_params["talk"]).slide == 2
    at.button_group(key="present.lang_choice").set_value("中文").run()
    assert not at.exception
    assert at.session_state["lang"] == "zh" and CJK.search(_slide_title(at))     # the switch on the page


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



def test_slide_figure_scaled_for_a_larger_screen_grows_its_lettering_and_margins(forum):
    """At scale 1.5 (1920x1080) every font, offset and margin is 1.5 times that of scale 1; the height, the data
    and the line widths stay."""
    from twomountains.charts.slide_chart import slide_figure
    spec = {s.key: s for s in slides.build(forum, "en")}["tourism"]
    plain, large = slide_figure(spec.chart, height=520), slide_figure(spec.chart, height=520, scale=1.5)
    assert large.layout.height == plain.layout.height == 520
    assert large.layout.font.size == 1.5 * plain.layout.font.size
    assert large.layout.title.font.size == 1.5 * plain.layout.title.font.size
    assert [large.layout.margin[s] for s in "lrtb"] == [1.5 * plain.layout.margin[s] for s in "lrtb"]
    assert [a.font.size for a in large.layout.annotations] == [1.5 * a.font.size for a in plain.layout.annotations]
    assert [a.yshift for a in large.layout.annotations] == [a.yshift and 1.5 * a.yshift
                                                            for a in plain.layout.annotations]
    assert [t.marker.size for t in large.data] == [t.marker.size and 1.5 * t.marker.size for t in plain.data]
    assert [t.line.width for t in large.data] == [t.line.width for t in plain.data]
    assert [list(t.y) for t in large.data] == [list(t.y) for t in plain.data]

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
    headline = specs["scorecard"]
    assert headline.title.endswith(f"of the plan's {goals} goals achieved as of 2025") and context > 0
    assert f"the plan's {goals} goals" in headline.subtitle
    assert sum(int(f.value) for f in headline.figures if not f.detail) == goals   # the counts cover goals only
    bullets = [b for s in specs.values() if s.key.startswith("group_") for b in s.bullets]
    assert "Rural-tourism demonstration villages and points: 116 (2025) · 2022: 94, missed · met in 2023" in bullets
    assert not any(b.startswith("Tourist visits") for b in bullets)       # context series are not goals
    assert any("more goals have no data yet" in b for b in bullets)       # goals without data in one line
    tourism = specs["tourism"]
    assert not any("main reason" in b or "COVID" in b for b in tourism.bullets)
    assert any(re.fullmatch(r"Tourism revenue in the pandemic years 2020–2022: CNY [\d.]+ billion \(2020\); "
                            r"CNY 19.73 billion \(2021\); CNY [\d.]+ billion \(2022\)\.", b) for b in tourism.bullets)
    figure = slide_figure(tourism.chart)
    assert [(shape.x0, shape.x1) for shape in figure.layout.shapes if shape.type == "rect"] == [(2019.5, 2022.5)]
    assert tourism.chart.shaded[:2] == (2020, 2022)
    deck_text = " ".join(shape.text_frame.text for slide in Presentation(io.BytesIO(deck.build_deck(list(
        specs.values())))).slides for shape in slide.shapes if shape.has_text_frame)
    assert "116 (2025) · 2022: 94, missed · met in 2023" in deck_text
    rows = summary.summary_rows(forum, "en").set_index("name")
    assert rows.loc["Rural-tourism demonstration villages and points", "status"] == "2022: missed · met in 2023"
    assert rows.loc["Rural-tourism demonstration villages and points", "latest"] == "116 (2025)*"
    assert rows.loc["Tourist visits", "status"] == "trend since 2019: on track"
    assert rows.loc["National Ecological Civilisation Demonstration Zone title", "latest"] == "done by 2021†"
    next_steps = specs["next"].notes  # the lead units are what the presenter says
    assert "lead: none named in the plan" in next_steps or "lead: District" in next_steps


def test_every_forum_string_is_used():
    """No leftover text in the forum's files: every forum.* and present.* key is asked for by the code, by name or
    by a prefix it completes (f"forum.headline.{status}")."""
    from twomountains.i18n import strings
    code = "\n".join(path.read_text(encoding="utf-8") for folder in ("twomountains", "pages")
                     for path in (ROOT / folder).rglob("*.py")) + (ROOT / "app.py").read_text(encoding="utf-8")
    prefixes = tuple(set(re.findall(r"""f["']((?:forum|present)\.[a-z_.]*)\{""", code)))
    unused = [key for key in strings("en") if key.startswith(("forum.", "present.")) and f'"{key}"' not in code
              and not key.startswith(prefixes or ("\0",))]
    assert not unused, unused


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_deck_charts_label_target_verdict_year_and_latest_value_as_the_page_does(forum, lang):
    """In the deck's native charts, as on the page: the target labelled on its line, the verdict year a label on
    the chart (not only a line), the latest value at the series' end, no legend, source and demo under the chart."""
    specs = [s for s in slides.build(forum, lang) if s.key in ("ecology", "tourism")]
    presentation = Presentation(io.BytesIO(deck.build_deck(specs, t("forum.footer", lang))))
    for spec, slide in zip(specs, presentation.slides):
        chart = next(shape for shape in slide.shapes if shape.has_chart).chart
        labels = " ".join(node.text or "" for node in chart._chartSpace.iter(qn("a:t")))
        assert spec.chart.verdict_label in labels, (spec.key, labels)
        assert spec.chart.series[0].end_label in labels, (spec.key, labels)
        if spec.chart.target is not None:
            assert spec.chart.target_label in labels, (spec.key, labels)
        assert not chart.has_legend
        foot = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        demo = t("forum.foot.demo_years", lang, years="2022").replace("2022", "")
        assert spec.chart.foot in foot and demo.strip()[:8] in spec.chart.foot, (spec.key, foot)
