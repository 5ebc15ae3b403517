"""The task pages in real Chromium: Chinese by default, English without Chinese, the grid drawn, the report downloaded."""
import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS, wait_for_app

pytestmark = pytest.mark.browser
CJK = re.compile(r"[\u4e00-\u9fff]")


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def settle(page, selector: str) -> None:
    """Wait for an element, then for the page to stop changing."""
    page.wait_for_selector(selector, timeout=60_000)
    wait_for_app(page)


def test_tasks_page_in_chinese(browse):
    visit = browse("/tasks")
    page = visit.page
    page.wait_for_selector("text=重点任务进展", timeout=60_000)
    settle(page, "[data-testid='stProgress']")
    body = main_text(page)
    assert "实施空间格局优化工程" in body and "强化生态环境责任追究制度" in body
    assert "牵头单位" in body and "区规划自然资源局" in body
    assert page.locator("[data-testid='stProgress']").count() >= 15
    visit.screenshot("tasks_zh")
    visit.assert_clean()


def test_tasks_page_in_english(browse):
    visit = browse("/tasks?lang=en")
    page = visit.page
    page.wait_for_selector("text=Key tasks", timeout=60_000)
    settle(page, "[data-testid='stProgress']")
    body = main_text(page)
    assert "Spatial pattern optimisation" in body
    assert not CJK.search(body), CJK.findall(body)[:10]
    sidebar = page.locator("[data-testid='stSidebar']")
    for title in ("Key tasks", "Unit view", "Monthly reports", "Half-year report"):
        expect(sidebar).to_contain_text(title, use_inner_text=True)
    visit.screenshot("tasks_en")
    visit.assert_clean()


# Each cell of the key tasks' table: its box and the box its text needs (a cut text needs more than it has).
_TASK_CELLS = """table => [...table.querySelectorAll('th, td')].map(cell => ({
  text: cell.innerText.trim(), width: cell.clientWidth, height: cell.clientHeight,
  needed_width: cell.scrollWidth, needed_height: cell.scrollHeight}))"""
# Twenty tasks, each row as tall as its own text: in English the longest lists of lead units take four lines,
# most rows one or two. The old grid drew every row as tall as the longest (20 x 122 px + header = 2,478 px in
# English); a row of up to two lines on average, ~60 px, is what "compact" means here: under 1,400 px, no taller
# than the Chinese grid was (20 x 64 px + header = 1,338 px) with a little room for the browser's fonts.
TASK_TABLE_MAX_HEIGHT = 1_400


@pytest.mark.parametrize("lang, last_header", [("zh", "牵头单位"), ("en", "Lead units")])
def test_the_task_table_is_compact_and_shows_every_text_at_1400_px(browse, lang, last_header):
    """Every row of the key tasks' table is as tall as its own text (the grid's rows were all as tall as its
    longest cell: 2,478 px in English), every column within the page and no text cut."""
    visit = browse(f"/tasks?lang={lang}", width=1400, height=1600)
    page = visit.page
    settle(page, ".st-key-tasks_table table")
    table = page.locator(".st-key-tasks_table table")
    table.screenshot(path=str(ARTIFACTS / f"tasks_table_{lang}.png"))
    headers = table.locator("th").all_inner_texts()
    assert headers[-1].strip() == last_header, headers
    assert len(table.locator("tbody tr").all()) == 20
    box = table.bounding_box()
    main = page.locator("[data-testid='stMainBlockContainer']").bounding_box()
    assert box["x"] >= main["x"] and box["x"] + box["width"] <= main["x"] + main["width"] + 1, (box, main)
    assert box["height"] < TASK_TABLE_MAX_HEIGHT, box
    cells = table.evaluate(_TASK_CELLS)
    cut = [c for c in cells if c["needed_width"] > c["width"] + 1 or c["needed_height"] > c["height"] + 1]
    assert not cut, cut[:3]
    if lang == "en":
        assert not CJK.search(" ".join(c["text"] for c in cells))
        assert any("Housing and Urban-Rural Development Commission" in c["text"] for c in cells)   # names in full
    # A task's name opens that task alone.
    href = table.locator("tbody tr").first.locator("a").first.get_attribute("href")
    assert href.startswith("tasks?task=") and f"lang={lang}" in href, href
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_department_view(browse, lang):
    visit = browse(f"/department?unit=ecoenv&lang={lang}", height=2200)
    page = visit.page
    page.wait_for_selector("text=" + ("区生态环境局" if lang == "zh" else "District Ecology and Environment Bureau"),
                           timeout=60_000)
    settle(page, "[data-testid='stDataFrame'] canvas")
    assert page.locator("[data-testid='stDataFrame'] canvas").count() >= 3
    if lang == "en":
        assert not CJK.search(main_text(page))
    visit.screenshot(f"department_{lang}")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reporting_grid(browse, lang):
    visit = browse(f"/reporting?half=2021H1&lang={lang}", height=2600)
    page = visit.page
    page.wait_for_selector("text=" + ("月报报送情况" if lang == "zh" else "Monthly reporting"), timeout=60_000)
    settle(page, "[data-testid='stDataFrame'] canvas")
    assert page.locator("[data-testid='stDataFrame'] canvas").count() >= 2
    body = main_text(page)
    assert ("需要分析员登录" if lang == "zh" else "needs an analyst login") in body
    if lang == "en":
        assert not CJK.search(body)
    # Every month of the half year in view at 1400 px beside the names (the grid draws the headers it shows).
    months = ([f"{m}月" for m in range(1, 7)] if lang == "zh" else ["Jan", "Feb", "Mar", "Apr", "May", "Jun"])
    headers = page.locator("[data-testid='stDataFrame']").first.locator("th").all_inner_texts()
    assert [h for h in headers if h] == months, headers
    visit.screenshot(f"reporting_{lang}")
    visit.assert_clean()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_half_year_report_page_and_download(browse, lang, tmp_path):
    visit = browse(f"/semiannual?half=2022H2&lang={lang}", height=2600)
    page = visit.page
    page.wait_for_selector("text=" + ("半年工作报告" if lang == "zh" else "Half-year report"), timeout=60_000)
    settle(page, "[data-testid='stDataFrame'] canvas")
    if lang == "en":
        assert not CJK.search(main_text(page))
    visit.screenshot(f"half_year_{lang}")
    label = "下载Word文档(中文版)" if lang == "zh" else "Download Word document (English)"
    with page.expect_download(timeout=90_000) as download:   # the report is written on the server
        page.get_by_role("button", name=label).click()
    path = tmp_path / "report.docx"
    download.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    title = doc.paragraphs[0].text
    assert title.endswith("(2022年下半年)" if lang == "zh" else "July–December 2022")
    visit.assert_clean()
