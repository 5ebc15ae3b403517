"""The upload flow in real Chromium: log in, upload, read the preview, commit, see it, roll back.

Screenshots go to tests/artifacts/upload_*.png. The server here has its own accounts file (and its
own copy of the demo database), so this module starts its own server instead of the shared one.
"""
from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import server_with_accounts, wait_for_app

pytestmark = pytest.mark.browser
PASSWORD = "wulong-analyst-2026"
UPLOAD = "指标名称,区域,时期,数值,单位\n森林覆盖率,武隆区,2025,71.3,%\n森林覆盖率,仙女山镇,2023,62.8,%\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard with one analyst account, on its own copy of the demo database."""
    with server_with_accounts(tmp_path_factory.mktemp("upload-browser"), {"ana": (PASSWORD, "analyst")}) as running:
        yield running


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def settle_on(page, text: str) -> None:
    page.wait_for_selector(f"text={text}", timeout=60_000)
    wait_for_app(page)


UPLOADER_TEXTS = """() => [
    "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p",
    "[data-testid='stFileUploaderDropzoneInstructions'] span"].map(selector => {
        const element = document.querySelector(selector);
        const after = getComputedStyle(element, "::after").content;
        // What a reader sees: the element's own text is drawn at size 0 when the ::after replaces it.
        return parseFloat(getComputedStyle(element).fontSize) === 0 ? JSON.parse(after) : element.innerText;
    })"""


def uploader_texts(page) -> list[str]:
    """The uploader's button and limits line as drawn (Streamlit's own are English)."""
    return page.evaluate(UPLOADER_TEXTS)


def stored(db, period="2025", region="500156"):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT value, quality FROM observations WHERE indicator_code = 'forest_cover' "
                           "AND region_code = ? AND period = ?", [region, period]).fetchall()


def test_login_upload_preview_commit_rollback(browse, server, tmp_path):
    _, db = server
    upload_file = tmp_path / "森林覆盖率2025.csv"
    upload_file.write_bytes(UPLOAD.encode("gbk"))
    before = stored(db)

    visit = browse("/upload", height=3000)
    page = visit.page
    settle_on(page, "上传需要分析人员账户")
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.get_by_label("用户名").fill("ana")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    settle_on(page, "已登录:ana")
    visit.screenshot("upload_1_logged_in")
    assert uploader_texts(page) == ["选择文件", "每个文件至多 20 MB、200,000 行 · CSV、XLSX"]
    # every step is there before a file is chosen, saying what it waits for
    steps = ("1. 下载模板", "2. 上传文件并检查", "3. 预览改动", "4. 提交", "5. 上传记录")
    expect(page.locator("h3").filter(has_text=steps[-1])).to_have_count(1)   # the last step drawn, so all are
    headings = page.locator("h3").all_inner_texts()
    assert all(any(step in h for h in headings) for step in steps), headings

    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload_file))
    settle_on(page, "共 2 个数值")
    body = main_text(page)
    assert "编码:GB18030 (GBK)" in body and "长表" in body
    assert "新增 0,修改 2,不变 0" in body
    assert "受影响目标的状态" in body
    assert "2 条提醒" in body or "条提醒" in body
    visit.screenshot("upload_2_preview")

    # the commit asks first, naming the file and what changes
    page.get_by_role("button", name="确认提交").click()
    dialog = page.get_by_role("dialog")
    # the dialog's title is drawn a moment before its body: wait for the body, not the frame
    expect(dialog).to_contain_text("新增0个数值,修改2个,删除0个", timeout=30_000)
    expect(dialog).to_contain_text("森林覆盖率")
    visit.screenshot("upload_2b_confirm")
    dialog.get_by_role("button", name="是,写入数据库").click()
    settle_on(page, "已提交:第 1 号上传")
    assert stored(db) == [(71.3, "reported")]
    assert stored(db, "2023", "500156003")[0][0] == 62.8
    visit.screenshot("upload_3_committed")

    detail = browse("/indicator?indicator=forest_cover", height=2400)
    settle_on(detail.page, "森林覆盖率")
    assert re.search(r"71\.3\s*%", main_text(detail.page)), "the detail page does not show the new value"
    detail.screenshot("upload_4_detail_after_commit")

    page.get_by_role("button", name="撤销第 1 号上传").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("2个数值恢复为上传前的值", timeout=30_000)
    dialog.get_by_role("button", name="是,撤销第1号上传").click()
    settle_on(page, "已撤销第 1 号上传")
    assert stored(db) == before
    # the rollback is itself an upload in the history, naming the upload it undid
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT kind, user_name FROM uploads WHERE rolls_back = 1").fetchall() == [
            ("rollback", "ana")]
    visit.screenshot("upload_5_rolled_back")
    visit.assert_clean()
    detail.assert_clean()


def test_phone_in_english_errors_first_wrapped_and_a_region_name_accepted(browse, tmp_path):
    """At 390 px: log in, a file with a bad value and a region given by name in the code column: the name
    is taken, the error comes first in the report and its message wraps instead of being cut."""
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_code,region_code,period,value\nforest_cover,武隆区,2024,seventy\n"
                   "forest_cover,Wulong District,2023,66.0\n", encoding="utf-8")
    visit = browse("/upload?lang=en", width=390, height=2400)
    page = visit.page
    settle_on(page, "Log in")
    page.get_by_label("User name").fill("ana")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    settle_on(page, "Logged in as ana")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(bad))
    page.wait_for_selector("[data-testid='stDataFrame'] canvas", timeout=60_000)
    wait_for_app(page)
    expect(page.locator("[data-testid='stMain']")).to_contain_text("1 error", use_inner_text=True)
    body = main_text(page)
    assert "1 error" in body and "Unknown region" not in body
    assert not re.search(r"[\u4e00-\u9fff]", body.replace("武隆区", ""))
    # rows tall enough to wrap the message (Streamlit's default row is 35 px)
    height = page.locator("[data-testid='stDataFrame']").first.bounding_box()["height"]
    assert height > 100, height   # one 72 px row and the header; at Streamlit's 35 px rows it would be ~75
    visit.screenshot("upload_phone_en_errors")
    visit.assert_clean()
