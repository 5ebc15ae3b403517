"""The upload flow in real Chromium: log in, upload, read the preview, commit, see it, roll back.

Screenshots go to tests/artifacts/upload_*.png. The server here has its own accounts file (and its
own copy of the demo database), so this module starts its own server instead of the shared one.
"""
from __future__ import annotations

import os
import re

import duckdb
import pytest

from tests.browser.conftest import running_server, wait_for_app
from twomountains.ingest import accounts

pytestmark = pytest.mark.browser
PASSWORD = "wulong-analyst-2026"
UPLOAD = "指标名称,区域,时期,数值,单位\n森林覆盖率,武隆区,2025,71.3,%\n森林覆盖率,仙女山镇,2023,62.8,%\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard with one analyst account, on its own copy of the demo database."""
    from twomountains.database import build_database
    folder = tmp_path_factory.mktemp("upload-browser")
    db = build_database(folder / "twomountains.duckdb")
    users = folder / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", users, rounds=4)
    saved = os.environ.get(accounts.USERS_ENV_VAR)
    os.environ[accounts.USERS_ENV_VAR] = str(users)
    try:
        with running_server(db) as base:
            os.environ.pop(accounts.USERS_ENV_VAR)
            if saved is not None:
                os.environ[accounts.USERS_ENV_VAR] = saved
            yield base, db
    finally:
        if saved is None:
            os.environ.pop(accounts.USERS_ENV_VAR, None)


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

    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload_file))
    settle_on(page, "共 2 个数值")
    body = main_text(page)
    assert "编码:GB18030 (GBK)" in body and "长表" in body
    assert "新增 0,修改 2,不变 0" in body
    assert "受影响目标的状态" in body
    assert "2 条提醒" in body or "条提醒" in body
    visit.screenshot("upload_2_preview")

    page.get_by_role("button", name="确认提交").click()
    settle_on(page, "已提交:第 1 号上传")
    assert stored(db) == [(71.3, "reported")]
    assert stored(db, "2023", "500156003")[0][0] == 62.8
    visit.screenshot("upload_3_committed")

    detail = browse("/indicator?indicator=forest_cover", height=2400)
    settle_on(detail.page, "森林覆盖率")
    assert re.search(r"71\.3\s*%", main_text(detail.page)), "the detail page does not show the new value"
    detail.screenshot("upload_4_detail_after_commit")

    page.get_by_role("button", name="撤销第 1 号上传").click()
    settle_on(page, "已撤销第 1 号上传")
    assert stored(db) == before
    body = main_text(page)
    assert "撤销第 1 号" in body   # the history shows the rollback
    visit.screenshot("upload_5_rolled_back")
    visit.assert_clean()
    detail.assert_clean()
