"""Forum mode in real Chromium: the presentation at hall resolutions, offline, and every page in both
languages without text of the other language."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from twomountains import metadata
from twomountains.i18n import strings

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")
# Latin words a Chinese screen may carry: file formats, units and the name of the other language's switch.
ALLOWED_LATIN = {"English", "CSV", "XLSX", "PNG", "SVG", "PDF", "PPTX", "Excel", "UTF", "BOM", "GBK", "WGS84",
                 "GCJ", "AMap", "MIT", "cnmaps", "data", "SHA", "Vega", "Lite"}


def _next_slide(page, label: str) -> str:
    before = page.locator("h1").first.inner_text()
    page.get_by_role("button", name=label).click()
    page.wait_for_function("(before) => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText !== before", arg=before, timeout=60_000)
    wait_for_app(page)
    return page.locator("h1").first.inner_text()


# Where the slide stands in the window: the title's box, the controls' bottom, and whether anything scrolls
# (Streamlit scrolls stMain, not the document, so both are measured).
LAYOUT = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const title = document.querySelector('h1').getBoundingClientRect();
    const buttons = [...main.querySelectorAll('button')].map(b => b.getBoundingClientRect().bottom);
    return {title_top: title.top, title_bottom: title.bottom, controls_bottom: Math.max(...buttons),
            main_scroll: main.scrollHeight - main.clientHeight, main_top: main.scrollTop,
            page_scroll: document.scrollingElement.scrollHeight - innerHeight, height: innerHeight};
}"""


def _assert_slide_fits(page, number: int) -> None:
    """The title is in the window and the whole slide (content and controls) fits without scrolling."""
    layout = page.evaluate(LAYOUT)
    assert 0 <= layout["title_top"] and layout["title_bottom"] <= layout["height"], (number, layout)
    assert layout["main_scroll"] <= 1 and layout["page_scroll"] <= 1, (number, layout)
    assert layout["controls_bottom"] <= layout["height"], (number, layout)


# The chart's box and the figure plotly drew in it (the figure's own height is that of its files, 470-520 px).
CHART = """() => {
    const chart = document.querySelector("[data-testid='stPlotlyChart']");
    const svg = chart.querySelector('.main-svg');
    return {box: chart.getBoundingClientRect().height, drawn: svg ? svg.getBoundingClientRect().height : 0,
            height: innerHeight};
}"""


def _assert_chart_fills_the_screen(page, number: int) -> None:
    """The chart takes at least half the window's height (as tall as the window leaves it, at any screen
    size) and plotly drew the figure at its box's height, not at the figure's own."""
    try:
        page.wait_for_function(f"() => {{ const c = ({CHART})(); return c.drawn >= 0.5 * c.height"
                               " && Math.abs(c.drawn - c.box) <= 2; }", timeout=30_000)
    except Exception:  # noqa: BLE001 - the assertion below says what was measured
        pass
    chart = page.evaluate(CHART)
    assert chart["drawn"] >= 0.5 * chart["height"], (number, chart)
    assert abs(chart["drawn"] - chart["box"]) <= 2, (number, chart)


BAR_TOP = "() => document.querySelector('.st-key-present_bar').getBoundingClientRect().top"
TITLE = "() => document.querySelector('h1') && document.querySelector('h1').innerText"
# How each slide is reached: the arrow key and a clicker's Page Down, in turn.
KEYS = ("ArrowRight", "PageDown")


def _press(page, key: str) -> str:
    before = page.evaluate(TITLE)
    page.keyboard.press(key)
    page.wait_for_function(f"(before) => ({TITLE})() && ({TITLE})() !== before", arg=before, timeout=60_000)
    wait_for_app(page)
    return page.evaluate(TITLE)


@pytest.mark.parametrize("lang, width, height", [
    ("zh", 1920, 1080), ("en", 1920, 1080), ("en", 1280, 720), ("zh", 1280, 720), ("en", 1366, 768),
    ("zh", 1366, 768)])
def test_presentation_walks_every_slide_by_keys_offline(browse, lang, width, height):
    """One walk per screen and language: every slide fits and is saved as a screenshot, the keys a presenter
    (arrow keys) or a clicker (Page Down / Page Up) sends turn the slides, and the control bar stays put."""
    visit = browse(f"/present?lang={lang}", width=width, height=height)
    page = visit.page
    words = strings(lang)
    page.wait_for_selector("h1", timeout=90_000)  # a fresh server's first run (its status widget is hidden)
    wait_for_app(page)
    assert page.evaluate(TITLE) == words["forum.cover.district"]
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    _assert_slide_fits(page, 1)
    bar_top = page.evaluate(BAR_TOP)
    assert bar_top > 0.8 * height                                # the controls sit at the foot of the screen
    visit.screenshot(f"present_{lang}_{width}_slide01")
    titles = [words["forum.cover.district"]]
    charts = 0
    counter = page.get_by_text(re.compile(words["present.counter"].split("{")[0]))
    total = int(re.findall(r"\d+", counter.first.inner_text())[-1])
    for number in range(2, total + 1):
        titles.append(_press(page, KEYS[number % 2]))
        if page.locator("[data-testid='stPlotlyChart']").count():
            assert page.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= 1
            _assert_chart_fills_the_screen(page, number)
            charts += 1
        _assert_slide_fits(page, number)
        assert abs(page.evaluate(BAR_TOP) - bar_top) <= 2, (number, page.evaluate(BAR_TOP), bar_top)
        expect(page.locator("[data-testid='stBottom']")).to_contain_text(words["forum.footer"], use_inner_text=True)  # the demo notice
        visit.screenshot(f"present_{lang}_{width}_slide{number:02d}")
    assert len(set(titles)) == total
    assert charts >= total - 4  # every slide but the cover, the headline numbers and the closing one
    assert f"slide={total}" in page.url
    assert _press(page, "PageUp") == titles[-2] and _press(page, "ArrowLeft") == titles[-3]
    visit.assert_clean()


def test_speaker_notes_window_follows_the_slides_and_the_page_switches_language(browse):
    """The notes open in a window of their own (here another browser, as on a second device) and follow
    the presentation; the language switch on the page turns the slides into the other language."""
    visit = browse("/present?lang=en&slide=8", width=1280, height=720)
    page = visit.page
    words = strings("en")
    link = page.get_by_role("link", name=re.compile(words["present.notes_window"].split(" ")[0]))
    href = link.get_attribute("href")
    assert "notes=1" in href and "talk=" in href and link.get_attribute("target") == "_blank"
    notes = browse("/" + href.lstrip("/"), width=900, height=900)
    title = page.evaluate(TITLE)
    notes.page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=title, timeout=60_000)
    expect(notes.page.locator("[data-testid='stMain']")).to_contain_text(words["forum.note.say"], use_inner_text=True,
                                                                           timeout=30_000)
    following = _press(page, "ArrowRight")
    notes.page.wait_for_function("(t) => document.body.innerText.includes(t)", arg=following, timeout=60_000)
    notes.screenshot("present_en_notes_window")
    page.locator("[data-testid='stBottom']").get_by_text("中文", exact=True).click()
    page.wait_for_function(f"() => /[\u4e00-\u9fff]/.test(({TITLE})() || '')", timeout=60_000)
    wait_for_app(page)
    assert "lang=zh" in page.url and "slide=9" in page.url
    visit.screenshot("present_zh_after_switch")
    visit.assert_clean()
    notes.assert_clean()


def test_next_scrolls_a_slide_taller_than_the_window_back_to_its_title(browse):
    """In a window too small for a slide, the reader scrolls down to the buttons; after Next the new
    slide's title is in view again (the page scrolls to the top when the slide changes)."""
    visit = browse("/present?lang=en&slide=2", width=900, height=420)
    page = visit.page
    words = strings("en")
    main = "document.querySelector(\"[data-testid='stMain']\")"
    for _ in range(2):
        # Down to the buttons (again while the page is still settling): this slide is taller than the window.
        page.wait_for_function(f"() => {{ {main}.scrollTo({{top: {main}.scrollHeight, behavior: 'instant'}});"
                               f" return {main}.scrollTop > 50; }}", timeout=30_000)
        page.wait_for_timeout(300)
        _next_slide(page, words["present.next"])
        page.wait_for_function(f"{main}.scrollTop === 0", timeout=30_000)
        layout = page.evaluate(LAYOUT)
        assert 0 <= layout["title_top"] and layout["title_bottom"] <= layout["height"], layout
    visit.screenshot("present_en_900_after_next")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_slide_chart_downloads_as_png_and_svg_offline(browse, lang):
    """The chart of the slide shown, from the settings popover: the same plotly figure, drawn on the
    server by a headless Chromium with no network."""
    visit = browse(f"/present?lang={lang}&slide=3", width=1280, height=720)
    page = visit.page
    words = strings(lang)
    page.get_by_role("button", name=words["present.controls"]).click()
    popover = page.locator("[data-testid='stPopoverBody']")
    popover.get_by_text(words["present.chart_files"]).wait_for(timeout=60_000)
    # the menu is drawn button by button: both download buttons, not just the first, before pressing
    for label in (words["explore.download.png"], words["explore.download.svg"]):
        expect(popover.get_by_role("button", name=label)).to_be_visible(timeout=60_000)
    visit.screenshot(f"present_{lang}_settings_popover")
    for label, signature in ((words["explore.download.png"], b"\x89PNG"), (words["explore.download.svg"], b"<svg")):
        with page.expect_download(timeout=90_000) as download:
            popover.get_by_role("button", name=label).click()
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(signature), content[:40]
        assert download.value.suggested_filename.startswith("wulong-group_")
        if signature == b"<svg":
            assert words["forum.group.chart"].encode() in content  # the chart's own title, in this language
    visit.assert_clean()


def _visible_text(page) -> str:
    """The text a reader sees in the page and the sidebar, without icon names (Material Symbols glyphs)
    and without code (commands and file names are the same in both languages)."""
    return page.evaluate("""() => ['stMain', 'stSidebar'].map(id => {
        const original = document.querySelector(`[data-testid='${id}']`);
        if (!original || getComputedStyle(original).display === 'none' || !original.offsetParent && id !== 'stMain')
            return '';
        const copy = original.cloneNode(true);
        document.body.appendChild(copy);
        copy.querySelectorAll('*').forEach(el => {
            if (el.isConnected && (el.tagName === 'CODE' || getComputedStyle(el).fontFamily.includes('Material')))
                el.remove(); });
        const text = copy.innerText;
        copy.remove();
        return text; }).join('\\n')""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(browse, lang):
    pages = metadata.load_table("pages")
    for page_row in pages.itertuples():
        path = "" if page_row.default else page_row.url_path  # the default page lives at "/"
        visit = browse(f"/{path}?lang={lang}", height=1600)
        text = _visible_text(visit.page)
        if lang == "en":
            foreign = [line for line in text.splitlines() if CJK.search(line) and line.strip() != "中文"]
        else:
            words = set(re.findall(r"\b[A-Za-z]{4,}\b", text))
            foreign = sorted(w for w in words - ALLOWED_LATIN if w != w.upper())
        assert not foreign, (page_row.key, foreign[:8])
        visit.screenshot(f"page_{page_row.key}_{lang}")
        visit.assert_clean()
        visit.page.context.close()


# The landmarks' names on the forum map and how many village or point markers lie under each (their middles).
MAP_NAMES_OVER_POINTS = """(colours) => {
    const chart = document.querySelector("[data-testid='stPlotlyChart']");
    const points = [...chart.querySelectorAll('.scatterlayer .points path')]
        .filter(p => colours.includes(p.style.fill.replace(/\\s/g, '')))
        .map(p => { const r = p.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
    return [...chart.querySelectorAll('.annotation .annotation-text-g')].filter(g => g.querySelector('b, text'))
        .map(g => { const r = g.querySelector('text').getBoundingClientRect();
            return {name: g.textContent, points: points.length, covered: points.filter(([x, y]) => x > r.left
                    && x < r.right && y > r.top && y < r.bottom).length}; });
}"""


@pytest.mark.parametrize("lang, width, height", [("en", 1280, 720), ("zh", 1920, 1080)])
def test_forum_map_names_cover_no_village_or_point(browse, lang, width, height):
    from twomountains.charts.rural_map import TYPE_COLORS
    visit = browse(f"/present?lang={lang}&slide=11", width=width, height=height)
    page = visit.page
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=90_000)
    wait_for_app(page)
    colours = [f"rgb({int(c[1:3], 16)},{int(c[3:5], 16)},{int(c[5:7], 16)})" for c in TYPE_COLORS.values()]
    names = [n for n in page.evaluate(MAP_NAMES_OVER_POINTS, colours) if n["name"] in
             {row[f"name_{lang}"] for _, row in metadata.load_table("map_landmarks").iterrows()}]
    visit.screenshot(f"present_{lang}_{width}_map_names")
    assert len(names) == len(metadata.load_table("map_landmarks")) and names[0]["points"] > 50, names
    assert not [n for n in names if n["covered"]], names
    visit.assert_clean()


# The font sizes plotly drew the chart's lettering in (px, the largest of each kind): title, tick labels of both
# axes, and the annotations (target and verdict labels, end labels, the source at the foot).
CHART_FONTS = """() => {
    const chart = document.querySelector("[data-testid='stPlotlyChart']");
    const largest = (selector) => Math.max(0, ...[...chart.querySelectorAll(selector)]
        .map(t => parseFloat(getComputedStyle(t).fontSize)));
    return {title: largest('.gtitle'), ticks: largest('.xtick text, .ytick text'),
            labels: largest('.annotation-text'), foot: Math.min(...[...chart.querySelectorAll('.annotation-text')]
                .map(t => parseFloat(getComputedStyle(t).fontSize)))};
}"""


def _chart_fonts(browse, lang: str, slide: int, width: int, height: int, at_least: dict | None = None) -> dict:
    visit = browse(f"/present?lang={lang}&slide={slide}", width=width, height=height)
    page = visit.page
    page.wait_for_selector("[data-testid='stPlotlyChart'] .main-svg", timeout=90_000)
    wait_for_app(page)
    if at_least:  # the page tells the server its height after its first run, which then redraws the chart
        try:
            page.wait_for_function(f"(small) => {{ const f = ({CHART_FONTS})(); return f.title >= 1.3 * small.title"
                                   " && f.ticks >= 1.3 * small.ticks; }", arg=at_least, timeout=60_000)
        except Exception:  # noqa: BLE001 - the assertion in the test says what was measured
            pass
        wait_for_app(page)
    fonts = page.evaluate(CHART_FONTS)
    visit.screenshot(f"present_{lang}_{width}_chart_fonts_slide{slide:02d}")
    visit.assert_clean()
    visit.page.context.close()
    return fonts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_lettering_grows_with_the_screen(browse, lang):
    """At 1920x1080 the chart's title, ticks, labels and foot are drawn about 1.5 times as large as at 1280x720,
    as the slide's own text is (a bar chart beside a long list, and a line chart)."""
    for slide in (3, 9):
        small = _chart_fonts(browse, lang, slide, 1280, 720)
        large = _chart_fonts(browse, lang, slide, 1920, 1080, at_least=small)
        assert min(small.values()) >= 10, (slide, small)
        for part in ("title", "ticks", "labels", "foot"):
            assert 1.3 * small[part] <= large[part] <= 1.7 * small[part], (slide, part, small, large)
