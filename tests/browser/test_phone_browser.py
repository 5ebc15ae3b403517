"""Pages on a phone (390 px wide) in real Chromium: a wide grid scrolls sideways in its own box under a hint shown
only there, the page itself never scrolls sideways, and the forum's cover title is sized by the width."""
import pytest
from playwright.sync_api import expect

from twomountains.i18n import t

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}

_SIDEWAYS = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return {page: [main.scrollWidth, main.clientWidth],
          boxes: [...document.querySelectorAll("[class*='st-key-sideways_'] [data-testid='stFullScreenFrame']")]
                   .map(frame => { const box = frame.getBoundingClientRect();
                                   return {scroll: frame.scrollWidth, width: frame.clientWidth, right: box.right}; })};
}"""


def _hint(page):
    return page.locator(".tm-sideways-hint")


def _on_a_phone_under_a_hint(browse, path: str, hint: str, lang: str):
    """The page on a phone, its hint shown in the page's language and the page itself not scrolling sideways:
    the visit and the sideways boxes' sizes."""
    visit = browse(f"{path}?lang={lang}", **PHONE)
    expect(_hint(visit.page)).to_be_visible()
    expect(_hint(visit.page)).to_have_text(t(hint, lang))
    found = visit.page.evaluate(_SIDEWAYS)
    assert found["page"][0] <= found["page"][1], found              # the page does not scroll sideways
    return visit, found["boxes"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_ecology_grid_of_charts_scrolls_in_its_box_on_a_phone(browse, lang):
    visit, boxes = _on_a_phone_under_a_hint(browse, "/ecology", "polish22.sideways.goals", lang)
    page = visit.page
    chart = boxes[0]
    assert chart["scroll"] > chart["width"] and chart["right"] <= PHONE["width"], boxes   # the chart's box does
    # The four counts two across (a grid), not four full-width cards one under another.
    cards = page.locator(".st-key-ecology_counts [data-testid='stMetric']")
    expect(cards).to_have_count(4)
    tops = {round(cards.nth(i).bounding_box()["y"]) for i in range(4)}
    assert len(tops) == 2, tops
    visit.screenshot(f"ecology_phone_{lang}")
    visit.assert_clean()


def test_the_hint_is_not_shown_on_a_desk(browse):
    visit = browse("/ecology", width=1400, height=1600)
    expect(visit.page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible()
    assert _hint(visit.page).count() == 1
    expect(_hint(visit.page)).to_be_hidden()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_monthly_grid_scrolls_in_its_own_box_on_a_phone_under_a_hint(browse, lang):
    visit, _ = _on_a_phone_under_a_hint(browse, "/reporting", "polish22.sideways.months", lang)
    table = visit.page.locator("[data-testid='stDataFrame']").first.bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= PHONE["width"] + 1, table
    visit.screenshot(f"reporting_phone_{lang}")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_forum_cover_title_fits_a_phone(browse, lang):
    """The cover's Chinese title broke after every three characters: on a phone it is sized by the width, so
    "重庆市武隆区" is one line, and the English title two at most."""
    visit = browse(f"/present?lang={lang}", **PHONE)
    page = visit.page
    title = page.locator(".cover h1")
    expect(title).to_be_visible()
    box = title.bounding_box()
    line = float(title.evaluate("h => parseFloat(getComputedStyle(h).lineHeight)"))
    assert box["height"] <= line * (1.5 if lang == "zh" else 2.5), (box, line)
    assert box["x"] + box["width"] <= PHONE["width"]
    subtitle = page.locator(".cover-subtitle")
    assert subtitle.bounding_box()["height"] <= 3 * float(
        subtitle.evaluate("s => parseFloat(getComputedStyle(s).lineHeight)"))
    found = page.evaluate(_SIDEWAYS)
    assert found["page"][0] <= found["page"][1], found
    visit.screenshot(f"present_cover_phone_{lang}")
    visit.assert_clean()
