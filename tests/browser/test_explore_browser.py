"""The indicator detail, tourism and ecology pages in real Chromium: charts drawn, no console error,
no request to any host but the dashboard's own; screenshots saved under tests/artifacts/."""
from __future__ import annotations

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.tables import geometry_of

pytestmark = pytest.mark.browser

CHART = "[data-testid='stVegaLiteChart']"


def wait_for_charts(page, minimum: int, timeout: float = 120_000) -> int:
    """Wait until at least `minimum` Vega charts are visible and every visible one has drawn its marks.

    Charts in a closed tab or expander are not visible and are not waited for."""
    page.wait_for_function(
        """([selector, minimum]) => {
            const visible = [...document.querySelectorAll(selector)]
                .filter(chart => chart.getBoundingClientRect().width > 0);
            return visible.length >= minimum && visible.every(chart => {
                const drawn = chart.querySelector('canvas, svg.marks');
                const box = drawn && drawn.getBoundingClientRect();
                return box && box.width > 50 && box.height > 50;
            });
        }""", arg=[CHART, minimum], timeout=timeout)
    wait_until_settled(page)
    return page.evaluate(
        "s => [...document.querySelectorAll(s)].filter(c => c.getBoundingClientRect().width > 0).length", CHART)


def wait_until_settled(page, timeout: float = 120_000, quiet_ms: int = 2_000) -> None:
    """Wait until the page has stopped changing (elements and text) for `quiet_ms`: the last
    sections of a long page, its download buttons and late charts are drawn by then."""
    page.wait_for_function(
        """([quiet]) => {
            const main = document.querySelector("[data-testid='stMain']");
            const state = [main.querySelectorAll('*').length, main.innerText.length,
                           document.querySelectorAll('[data-testid="stSkeleton"]').length].join('/');
            const now = Date.now();
            if (window.__lastState !== state) { window.__lastState = state; window.__since = now; }
            return now - window.__since >= quiet;
        }""", arg=[quiet_ms], timeout=timeout, polling=250)


def assert_text(page, *texts: str) -> None:
    body = page.locator("[data-testid='stMain']").inner_text()
    for text in texts:
        assert text in body, f"{text!r} not on the page"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_indicator_detail_forest_cover(browse, lang):
    visit = browse(f"/indicator?indicator=forest_cover&lang={lang}&as_of=2024", height=3400)
    assert wait_for_charts(visit.page, 2) >= 2  # trajectory and township breakdown
    assert_text(visit.page, "森林覆盖率" if lang == "zh" else "Forest coverage",
                "2022年结论" if lang == "zh" else "2022 verdict")
    visit.screenshot(f"explore_indicator_forest_cover_{lang}")
    visit.assert_clean()


def test_indicator_detail_growth_target(browse):
    visit = browse("/indicator?indicator=tourism_revenue&lang=zh&as_of=2024", height=2600)
    assert wait_for_charts(visit.page, 2) >= 2  # level with the required path, growth against 20 %
    visit.screenshot("explore_indicator_tourism_revenue_zh")
    visit.assert_clean()


def test_indicator_detail_township_view_before_target_year(browse):
    visit = browse("/indicator?indicator=rural_tourism_demo_points&lang=en&as_of=2020&region=500156003",
                   height=3400)
    wait_for_charts(visit.page, 2)
    assert_text(visit.page, "Xiannüshan Subdistrict", "Current trend projected")
    visit.screenshot("explore_indicator_points_township_en")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tourism_page(browse, lang):
    visit = browse(f"/tourism?lang={lang}&as_of=2025", height=7600)
    assert wait_for_charts(visit.page, 9) >= 9  # the second tab's three charts are hidden
    assert_text(visit.page, "疫情" if lang == "zh" else "pandemic")
    visit.screenshot(f"explore_tourism_{lang}")
    # The scenic areas' table: every column within the page at 1400 px (its English source was cut by ~21 px).
    scenic = visit.page.locator(".st-key-scenic_area_table [data-testid='stDataFrame']")
    scenic.scroll_into_view_if_needed()
    geometry = geometry_of(scenic)
    assert geometry["scroll_width"] <= geometry["client_width"], geometry
    assert geometry["headers"][-1] == ("来源" if lang == "zh" else "Source"), geometry
    scenic.screenshot(path=str(ARTIFACTS / f"scenic_table_{lang}.png"))
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ecology_page(browse, lang):
    visit = browse(f"/ecology?lang={lang}&as_of=2024", height=6400)
    assert wait_for_charts(visit.page, 5) >= 5
    visit.screenshot(f"explore_ecology_{lang}")
    visit.assert_clean()


def test_chart_and_series_downloads(browse, tmp_path):
    """The chart's PNG and SVG are drawn on the server with no outside request; the series CSV opens in Excel."""
    visit = browse("/indicator?indicator=forest_cover&lang=en&as_of=2024", height=3400)
    wait_for_charts(visit.page, 2)
    files = {}
    for label in ("Download image (PNG)", "Download vector image (SVG)", "Download data (CSV)"):
        with visit.page.expect_download(timeout=120_000) as download:
            visit.page.get_by_role("button", name=label).first.click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        files[label] = path.read_bytes()
    assert files["Download image (PNG)"].startswith(b"\x89PNG")
    assert b"<svg" in files["Download vector image (SVG)"][:200]
    assert files["Download data (CSV)"].startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    visit.assert_clean()
