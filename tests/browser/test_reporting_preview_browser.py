"""The reporting page's preview of a monthly-report file in real Chromium, in Chinese and English: the
counts, and the reports it changes in the shared preview's tabs (twomountains/ui/upload_preview.py).
Screenshots: tests/artifacts/reporting_preview_<lang>.png."""
from __future__ import annotations

import pytest

from tests.browser.test_upload_browser import PASSWORD, main_text, server, settle_on  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
REPORT = ("任务,单位,月份,状态,完成百分比,本月完成情况,存在问题,下步计划\n"
          "t2_3,区生态环境局,2022-06,推进中,66,完成河道清漂12公里,,下月验收\n"
          "t2_3,区水利局,2022-06,滞后,60,,资金未到位,加快推进\n")
WORDS = {
    "zh": {"name": "用户名", "password": "密码", "submit": "登录", "logged_in": "已登录", "counts": "将写入",
           "tabs": ("新增的月报", "修改的月报", "不变的月报"), "status": "滞后"},
    "en": {"name": "User name", "password": "Password", "submit": "Log in", "logged_in": "Logged in as",
           "counts": "Will write", "tabs": ("New reports", "Changed reports", "Unchanged reports"),
           "status": "Delayed"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_reporting_page_previews_what_a_file_changes(browse, lang, tmp_path):
    words = WORDS[lang]
    report = tmp_path / "月报.csv"
    report.write_bytes(REPORT.encode("gbk"))
    visit = browse(f"/reporting?lang={lang}", height=1600)
    page = visit.page
    settle_on(page, words["password"])
    page.get_by_label(words["name"]).fill("ana")
    page.get_by_label(words["password"], exact=True).fill(PASSWORD)
    page.get_by_role("button", name=words["submit"]).click()
    settle_on(page, words["logged_in"])
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(str(report))
    settle_on(page, words["counts"])
    page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=60_000)
    body = main_text(page)
    tabs = page.get_by_role("tab").all_inner_texts()
    assert all(any(tab.startswith(name) for tab in tabs) for name in words["tabs"]), tabs
    assert sum(int(tab.rsplit("(", 1)[1].rstrip(")）")) for tab in tabs if tab.startswith(words["tabs"])) == 2
    assert words["counts"] in body
    page.get_by_role("tab").first.scroll_into_view_if_needed()     # the preview, under the grid and totals
    page.evaluate("""() => { const tabs = document.querySelector("[data-testid='stTabs']");
                             tabs.scrollIntoView({block: "start"}); }""")
    page.wait_for_timeout(500)
    visit.screenshot(f"reporting_preview_{lang}")
    visit.assert_clean()
