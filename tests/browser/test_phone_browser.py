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
def test_the_monthly_reports_show_one_month_at_a_time_on_a_phone(browse, lang):
    """The grid of six months beside the units' names showed a month or two on a phone, the rest off to the side:
    there, one month is shown at a time, picked with a row of month buttons, its table inside the screen."""
    from tests.browser.tables import geometry_of
    visit = browse(f"/reporting?half=2022H2&lang={lang}", **PHONE)
    page = visit.page
    months = [t(f"tasks.month.{m}", lang) for m in range(7, 13)]
    picker = page.locator(".st-key-phone_reporting_month [data-testid='stButtonGroup'] button")
    expect(picker).to_have_count(6)
    assert picker.all_inner_texts() == months
    expect(page.locator(".st-key-desk_reporting_grid")).to_be_hidden()
    table = page.locator(".st-key-phone_reporting_month [data-testid='stDataFrame']")
    geometry = geometry_of(table)
    assert geometry["scroll_width"] <= geometry["client_width"], geometry          # no month off to the side
    assert geometry["left"] >= 0 and geometry["right"] <= PHONE["width"], geometry
    assert geometry["headers"][-1] == months[-1], geometry                          # the latest month owed first
    found = page.evaluate(_SIDEWAYS)
    assert found["page"][0] <= found["page"][1], found                              # the page does not either
    visit.screenshot(f"reporting_phone_{lang}")
    picker.nth(1).click()
    expect(table.locator("th").last).to_have_text(months[1])
    visit.screenshot(f"reporting_phone_{lang}_second_month")
    visit.assert_clean()


def test_the_key_tasks_table_scrolls_in_its_box_on_a_phone(browse):
    """The key tasks' table (a static table) is wider than a phone: it scrolls sideways in its own box, its task
    and lead-unit columns wide enough that a row is a few lines (squeezed to the screen, they made it 4,400 px)."""
    visit = browse("/tasks?lang=en", **PHONE)
    page = visit.page
    table = page.locator(".st-key-tasks_table table")
    expect(table).to_be_visible()
    found = page.evaluate(_SIDEWAYS)
    assert found["page"][0] <= found["page"][1], found                              # the page does not scroll
    box = table.evaluate("t => ({scroll: t.parentElement.scrollWidth, width: t.parentElement.clientWidth, "
                         "overflow: getComputedStyle(t.parentElement).overflowX, height: t.offsetHeight})")
    assert box["scroll"] > box["width"] and box["overflow"] == "auto", box
    assert box["height"] < 2_400, box
    table.scroll_into_view_if_needed()
    visit.screenshot("tasks_phone_en")
    visit.assert_clean()


def test_the_month_buttons_are_not_shown_on_a_desk(browse):
    visit = browse("/reporting?half=2022H2", width=1400, height=1600)
    expect(visit.page.locator(".st-key-desk_reporting_grid [data-testid='stDataFrame']")).to_be_visible()
    expect(visit.page.locator(".st-key-phone_reporting_month")).to_be_hidden()


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
