"""The overview in real Chromium: Chinese glyphs, no console error, no request to any host but localhost."""
import re
from pathlib import Path

import pytest

from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from twomountains import metadata
from twomountains.i18n import strings

pytestmark = pytest.mark.browser


def test_overview_renders_in_chinese_offline(browse):
    visit = browse("/", height=2600)
    page = visit.page
    page.wait_for_selector("text=2022年目标总览")
    page.wait_for_selector(".tm-card_forest_cover", timeout=60_000)  # the cards come after the counts
    wait_for_app(page)
    body = page.inner_text("[data-testid='stMain']")
    assert "森林覆盖率" in body and "旅游综合收入" in body
    # The CJK font is really used: the title's glyphs have width (boxes from a missing font would too,
    # so compare against a string of the same length in Latin letters).
    widths = page.evaluate("""() => {
        const probe = (text) => { const s = document.createElement('span'); s.textContent = text;
            s.style.fontSize = '40px'; document.body.appendChild(s); const w = s.getBoundingClientRect().width;
            s.remove(); return w; };
        return [probe('森林覆盖率'), probe('mmmmm')]; }""")
    assert widths[0] > 0
    fonts = page.evaluate("() => document.fonts.check('16px \"Noto Sans CJK SC\"')")
    assert fonts
    sparklines = page.locator(".tm-card img")
    assert sparklines.count() >= 20
    # an image decodes after it is put in the page: wait for every one to be decoded, then check it drew
    page.wait_for_function("() => [...document.querySelectorAll('.tm-card img')].every(i => i.complete)",
                           timeout=60_000)
    assert page.evaluate("() => [...document.querySelectorAll('.tm-card img')].every(i => i.naturalWidth > 0)")
    visit.screenshot("overview_zh")
    visit.assert_clean()


def test_overview_in_english_and_link_to_detail(browse):
    visit = browse("/?lang=en", height=2600)
    page = visit.page
    page.wait_for_selector("text=The 2022 goals at a glance")
    page.wait_for_selector(".tm-card_forest_cover", timeout=60_000)
    wait_for_app(page)
    body = page.inner_text("[data-testid='stMain']")
    assert not re.search(r"[\u4e00-\u9fff]", body), re.findall(r".{0,20}[\u4e00-\u9fff].{0,20}", body)[:5]
    sidebar = page.inner_text("[data-testid='stSidebar']")
    assert "Overview" in sidebar and "Indicator detail" in sidebar
    visit.screenshot("overview_en")
    first_detail = page.get_by_role("link", name=re.compile("Details")).first
    first_detail.click()
    page.wait_for_url(re.compile(r"/indicator\?"))
    page.wait_for_selector("text=Why this status", timeout=60_000)
    wait_for_app(page)
    # Vega draws after Streamlit's run has ended
    expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first) \
        .to_be_attached(timeout=60_000)
    assert "lang=en" in page.url
    names = set(metadata.load_table("indicators").name_en)
    assert page.locator("h1").first.inner_text().strip() in names
    visit.screenshot("indicator_from_overview_en")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_trend_downloads_as_png_and_svg(browse, lang):
    """Each card's trend from its group's download menu: the SVG as drawn on the page, the PNG made from it on
    the server, both only when pressed and with no outside request."""
    words = strings(lang)
    visit = browse(f"/?lang={lang}", height=1400)
    page = visit.page
    page.wait_for_selector(".tm-card_forest_cover", timeout=60_000)
    group = page.locator("[class*='st-key-cards_']").filter(has=page.locator(".tm-card_forest_cover"))
    group.get_by_role("button", name=words["overview.download_trends"]).click()
    popover = page.locator("[data-testid='stPopoverBody']")
    popover.locator(".st-key-trend_forest_cover_png").wait_for(timeout=60_000)
    # every trend of the group is in the menu (one PNG and one SVG per sparkline drawn); the menu is drawn
    # button by button, so its count is awaited, not read the moment its first button shows
    drawn = group.locator(".tm-card img").count()
    assert drawn >= 1
    expect(popover.locator("[class*='st-key-trend_'][class*='_png']")).to_have_count(drawn, timeout=30_000)
    expect(popover.locator("[class*='st-key-trend_'][class*='_svg']")).to_have_count(drawn, timeout=30_000)
    files = {}
    for kind, name in (("png", words["explore.download.png"]), ("svg", words["explore.download.svg"])):
        with page.expect_download(timeout=60_000) as download:
            popover.locator(f".st-key-trend_forest_cover_{kind}").get_by_role("button", name=name).click()
        assert download.value.suggested_filename.startswith("forest_cover-trend-")
        files[Path(download.value.suggested_filename).suffix] = Path(download.value.path()).read_bytes()
    visit.screenshot(f"overview_trend_menu_{lang}")
    assert files[".png"].startswith(b"\x89PNG")
    assert files[".svg"].startswith(b"<svg") and b"<polyline" in files[".svg"]
    visit.assert_clean()
