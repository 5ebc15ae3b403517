"""Both plans in both languages in real Chromium, offline: the picker and the link, a later plan's overview,
every plan's targets on an indicator, the presentation of a later plan, no task pages without tasks."""
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from tests.browser.test_explore_browser import wait_for_charts
from twomountains.i18n import strings

pytestmark = pytest.mark.browser

LATER = "green_lowcarbon_2025"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def _wait_for(page, text: str) -> None:
    """The title comes first and the rest follows as the script runs: wait for the text, then for the app."""
    page.get_by_text(text, exact=False).first.wait_for(timeout=90_000)
    wait_for_app(page)


def _sidebar_text(page) -> str:
    return page.locator("[data-testid='stSidebar']").inner_text()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_of_each_plan_and_the_picker_in_the_link(browse, lang):
    words = strings(lang)
    visit = browse(f"/?lang={lang}")
    page = visit.page
    assert "plan=" not in page.url                                    # no plan named: the 2019-2022 plan
    _wait_for(page, words["overview.title"])
    assert words["nav.tasks"] in _sidebar_text(page)
    # Choose the 2025 plan in the sidebar's picker.
    picker = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']")
    picker.click()
    page.get_by_role("option", name=re.compile("2025")).click()
    page.wait_for_url(re.compile(rf"plan={LATER}"), timeout=60_000)
    _wait_for(page, words["plans.overview.title"].format(year=2025))
    main = _main_text(page)
    assert words["plans.overview.title"].format(year=2025) in main
    assert ("非化石能源" if lang == "zh" else "Non-fossil share") in main
    expect(page.locator(".tm-card")).to_have_count(7)
    assert words["nav.tasks"] not in _sidebar_text(page)              # a plan without tasks: no task pages
    if lang == "en":
        assert not CJK.search(main), CJK.findall(main)[:10]
    visit.screenshot(f"plans_overview_2025_{lang}")
    visit.assert_clean()
    # A link with the plan opens it directly; back to the base plan drops the parameter.
    picker.click()
    page.get_by_role("option", name=re.compile("2019")).click()
    page.wait_for_function("() => !location.search.includes('plan=')", timeout=60_000)
    _wait_for(page, words["overview.title"])
    assert words["nav.tasks"] in _sidebar_text(page)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_indicator_page_shows_every_plans_target_line_and_status(browse, lang):
    words = strings(lang)
    visit = browse(f"/indicator?indicator=forest_cover&as_of=2024&lang={lang}")
    page = visit.page
    _wait_for(page, words["plans.in_time.title"])
    main = _main_text(page)
    # "2022: 65.6%, achieved · as of 2024: on track for 2025": each plan's status naming its year.
    assert re.search(r"2022[^\n]*65\.6%[^\n]*·[^\n]*2024[^\n]*2025", main), main[:2000]
    # The chart of every plan's target is drawn beside the trajectory and the township chart.
    assert wait_for_charts(page, 3) >= 3
    page.get_by_text(words["plans.in_time.title"], exact=True).scroll_into_view_if_needed()
    table = page.locator("[data-testid='stDataFrame']").first
    assert table.is_visible()
    visit.screenshot(f"plans_indicator_forest_{lang}")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_of_the_2025_plan(browse, lang):
    visit = browse(f"/present?plan={LATER}&as_of=2024&lang={lang}", width=1280, height=720)
    page = visit.page
    _wait_for(page, "2025年目标" if lang == "zh" else "2025 targets")
    subtitle = page.locator(".cover-subtitle").first.inner_text()   # the cover names the plan (forum design)
    assert ("2025年目标" if lang == "zh" else "2025 targets") in subtitle and "2024" in subtitle
    assert ("1 / 共7" in _main_text(page)) or ("of 7" in _main_text(page)) or ("共7页" in _main_text(page))
    if lang == "en":
        # (the on-page language switch names Chinese in Chinese: 中文)
        assert not CJK.search(_main_text(page).replace("中文", "")), CJK.findall(_main_text(page))[:10]
    visit.screenshot(f"plans_present_2025_{lang}")
    visit.assert_clean()
