"""A plan workbook in real Chromium: an admin downloads the template, uploads it as a new plan, sees the
preview, commits, finds the plan on the overview, and rolls it back. Its own server (an admin account)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import server_with_accounts
from tests.browser.test_upload_browser import PASSWORD, settle_on

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The dashboard with one admin account, on its own copy of the demo database."""
    with server_with_accounts(tmp_path_factory.mktemp("plan-upload-browser"), {"boss": (PASSWORD, "admin")}) as running:
        yield running


def test_template_to_new_plan_to_overview_and_back(browse, server, tmp_path):
    visit = browse("/upload", height=3200)
    page = visit.page
    settle_on(page, "上传需要分析人员账户")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    settle_on(page, "上传规划(规划信息和目标)")

    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="规划模板(中文表头,CSV)").click()
    template = tmp_path / "template.csv"
    download.value.save_as(str(template))
    text = template.read_bytes().decode("utf-8-sig")
    assert text.startswith("项目,内容") and "green_lowcarbon_2025" in text
    new_plan = tmp_path / "规划2030.csv"
    new_plan.write_bytes(text.replace("green_lowcarbon_2025", "green_2030").replace("2025年目标", "2030年目标")
                         .replace("2025 targets", "2030 targets").encode("utf-8-sig"))

    page.locator("[data-testid='stFileUploader'] input[type='file']").nth(1).set_input_files(str(new_plan))
    settle_on(page, "规划 green_2030:新增 8 项")
    visit.screenshot("plans_upload_1_preview")
    page.get_by_role("button", name="写入规划").click()
    settle_on(page, "已提交:第 1 号上传")

    overview = browse("/?plan=green_2030", height=2400)
    settle_on(overview.page, "2025年目标总览")   # the template's targets are for 2025; the name is the new one
    expect(overview.page.locator("[data-testid='stMain']")).to_contain_text("绿色低碳循环经济体系建设(2030年目标)",
                                                                          use_inner_text=True)
    overview.screenshot("plans_upload_2_overview")

    page.get_by_role("button", name="撤销第 1 号上传").click()
    page.get_by_role("button", name="是,撤销第1号上传").click()    # the rollback asks for confirmation
    settle_on(page, "已撤销第 1 号上传")
    visit.screenshot("plans_upload_3_rolled_back")
    after = browse("/?plan=green_2030", height=2400)
    settle_on(after.page, "2022年目标总览")   # the plan is gone: the link falls back to the default plan
    for each in (visit, overview, after):
        each.assert_clean()
