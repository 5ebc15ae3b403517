"""The upload page's result message in real Chromium: a rerun nobody asked for (Streamlit's "R" key, as a
reconnect does) keeps it; leaving the page and coming back takes it away (app.py
notes each run's page: twomountains/ui/page_message.py). Screenshot: tests/artifacts/upload_message_kept.png."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app
from tests.browser.test_upload_browser import PASSWORD, UPLOAD, main_text, server, settle_on  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
COMMITTED = "已提交:第 1 号上传"


def committed(browse, tmp_path):
    upload_file = tmp_path / "森林覆盖率2025.csv"
    upload_file.write_bytes(UPLOAD.encode("gbk"))
    visit = browse("/upload", height=3000)
    page = visit.page
    settle_on(page, "上传需要分析人员账户")
    page.get_by_label("用户名").fill("ana")
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    settle_on(page, "已登录:ana")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload_file))
    settle_on(page, "共 2 个数值")
    page.get_by_role("button", name="确认提交").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("新增0个数值,修改2个,删除0个", timeout=30_000)
    dialog.get_by_role("button", name="是,写入数据库").click()
    settle_on(page, COMMITTED)
    return visit


def rerun(page) -> None:
    """Streamlit's own rerun key: the script runs again with nothing changed."""
    page.locator("[data-testid='stMain'] h1").first.click()     # focus the page, not a widget
    page.keyboard.press("r")
    page.wait_for_timeout(300)
    wait_for_app(page)


def test_the_message_stays_through_reruns_and_goes_when_the_analyst_leaves(browse, tmp_path):
    visit = committed(browse, tmp_path)
    page = visit.page
    for _ in range(2):
        rerun(page)
        assert COMMITTED in main_text(page)
    visit.screenshot("upload_message_kept")
    page.get_by_role("link", name="指标详情").click()
    settle_on(page, "指标详情")
    page.get_by_role("link", name="数据上传").click()
    settle_on(page, "已登录:ana")
    assert COMMITTED not in main_text(page)
    visit.assert_clean()
