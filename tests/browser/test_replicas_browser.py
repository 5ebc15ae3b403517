"""Two replicas on one lake behind nginx, in Chromium: the deployment of deploy/, for real.

A real PostgreSQL (a temporary cluster, tests/postgres.py) holds the lake's catalog; two dashboard
processes (`python -m twomountains.serve`) on two ports read and write the lake; Debian's nginx with the
configuration of deploy/nginx_conf.py stands in front (TLS with a certificate from deploy/make-cert.sh,
sticky sessions by cookie, websocket upgrade). A browser is sent to replica A or B by its sticky cookie.

In order (one deployment for the module; the last test kills replica A):
1. a reader on B sees an upload committed through A at its next page run, without any restart;
2. two uploads committed at once on A and B both land, or one is refused with "try again" and nothing of it
   is written; failed logins on A and B count together (the count lives in the lake's PostgreSQL catalog);
3. SIGKILL of A while it commits leaves the lake at the state before the upload or after it (both sides are
   forced, by killing at set points, in tests/test_reliability_faults.py); B keeps
   serving, and a browser pinned to A is served by B.
"""
from __future__ import annotations

import os
import random
import re
import signal
import time
import urllib.error

import pandas as pd
import pytest

from tests.browser.conftest import ARTIFACTS, open_visit, wait_for_app
from tests.replicas import Deployment
from tests.test_upload_concurrency import monthly_file
from twomountains import access, lake, lake_transfer
from twomountains.ingest import accounts

pytestmark = [pytest.mark.browser, pytest.mark.replicas]
PASSWORD = "wulong-analyst-2026"
A, B = 0, 1
FOREST = "indicator_code,region_code,period,value\nforest_cover,500156,2025,71.3\n"
CONFLICT_ZH = "在同一时刻提交了数据"


@pytest.fixture(scope="module")
def deployment(demo_db_template, pg_cluster, tmp_path_factory):
    folder = tmp_path_factory.mktemp("replicas")
    location = pg_cluster.lake_location()
    data = folder / "lake-data"                      # the shared storage of the Parquet files
    lake_transfer.file_to_lake(demo_db_template, location, str(data))
    users = folder / "shared" / "users.json"         # accounts, shared by both replicas (the count: in the catalog)
    accounts.add_user("ana", PASSWORD, "analyst", users, rounds=4)
    accounts.add_user("bo", PASSWORD, "analyst", users, rounds=4)
    with Deployment(location, data, folder, replicas=2, env={accounts.USERS_ENV_VAR: str(users)}) as running:
        running.users = users
        yield running


@pytest.fixture(scope="module")
def chromium(browser):
    return browser


@pytest.fixture
def on(chromium, deployment):
    """on(replica, path) -> Visit: a browser of its own, pinned to replica A or B by the sticky cookie."""
    contexts = []

    def open_on(replica: int, path: str, height: int = 2400):
        context = chromium.new_context(viewport={"width": 1400, "height": height}, locale="zh-CN",
                                       ignore_https_errors=True)
        context.add_cookies([deployment.cookie(replica)])
        contexts.append(context)
        return open_visit(context, deployment.url + path)

    yield open_on
    for context in contexts:
        context.close()


def lake_db(deployment) -> access.LakeDatabase:
    """A fresh reader of the lake, as a third process would be."""
    return access.LakeDatabase(deployment.location, str(deployment.data))


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


YES_COMMIT = "是,写入数据库"


def open_commit(page) -> None:
    """Press Commit: the page asks for confirmation in a dialog naming what will change (issue 17)."""
    page.get_by_role("button", name="确认提交").click()
    page.get_by_role("button", name=YES_COMMIT).wait_for(timeout=60_000)


def confirm_commit(page, no_wait_after: bool = False) -> None:
    open_commit(page)
    page.get_by_role("button", name=YES_COMMIT).click(no_wait_after=no_wait_after)


def settle_on(page, pattern: str, timeout: float = 90_000) -> None:
    page.wait_for_selector(f"text=/{pattern}/", timeout=timeout)
    wait_for_app(page, timeout=timeout)


def log_in(visit, name: str = "ana", password: str = PASSWORD) -> None:
    page = visit.page
    settle_on(page, "上传需要分析人员账户")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def preview(visit, file) -> None:
    visit.page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(file))
    try:
        settle_on(visit.page, "共 [0-9,]+ 个数值")
    except Exception:
        visit.screenshot(f"replicas_preview_failed_{file.stem}")
        raise AssertionError(main_text(visit.page)[:2000])


def served_by(deployment, replica: int) -> None:
    assert deployment.get("/_stcore/health", route=deployment.route_to(replica)).headers[
        "X-Twomountains-Replica"] == deployment.bases[replica].removeprefix("http://")


def forest_2025(db) -> float:
    annual = db.at(db.version()).query("annual_values", region="500156")
    return annual[(annual.indicator_code == "forest_cover") & (annual.year == 2025)].value.item()


def test_a_reader_on_b_sees_an_upload_committed_through_a(deployment, on, tmp_path):
    served_by(deployment, A)
    served_by(deployment, B)
    front = deployment.get("/", route=deployment.route_to(B))
    assert front.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in front.headers["Content-Security-Policy"]
    with pytest.raises(urllib.error.HTTPError) as closed:       # Streamlit's metrics stay behind the balancer
        deployment.get("/_stcore/metrics", route=deployment.route_to(B))
    assert closed.value.code == 404
    reader = on(B, "/indicator?indicator=forest_cover")
    settle_on(reader.page, "森林覆盖率")
    assert re.search(r"67\.9\s*%", main_text(reader.page))

    analyst = on(A, "/upload", height=3000)
    log_in(analyst)
    settle_on(analyst.page, "已登录:ana")
    upload = tmp_path / "forest.csv"
    upload.write_text(FOREST)
    preview(analyst, upload)
    confirm_commit(analyst.page)
    settle_on(analyst.page, "已提交:第 1 号上传")
    analyst.screenshot("replicas_1_committed_on_a")
    assert forest_2025(lake_db(deployment)) == 71.3

    reader.page.reload()                              # B's next page run: no restart, no message between them
    wait_for_app(reader.page)
    settle_on(reader.page, "71\\.3")
    assert re.search(r"71\.3\s*%", main_text(reader.page))
    reader.screenshot("replicas_2_seen_on_b")
    reader.assert_clean()
    analyst.assert_clean()


def test_two_uploads_at_once_on_a_and_b_both_land_or_one_is_refused_cleanly(deployment, on, tmp_path):
    before = lake_db(deployment)
    uploads_before = len(before.query("uploads_history"))
    files = {}
    visits = {}
    for replica, (name, user) in {A: ("a.csv", "ana"), B: ("b.csv", "bo")}.items():
        path = tmp_path / name
        rows = monthly_file(path, ["forest_cover"] if replica == A else ["air_good_days_ratio"], range(2019, 2021),
                            seed=replica)
        files[replica] = (path, rows)
        visit = on(replica, "/upload", height=3000)
        log_in(visit, user)
        settle_on(visit.page, f"已登录:{user}")
        preview(visit, path)
        visits[replica] = visit
    for replica in (A, B):
        open_commit(visits[replica].page)
    for replica in (A, B):                            # both confirmations within a few milliseconds
        visits[replica].page.get_by_role("button", name=YES_COMMIT).click(no_wait_after=True)
    outcomes = {}
    for replica in (A, B):
        page = visits[replica].page
        # What the page said, read the moment it says it (a later rerun of the page, e.g. after a websocket
        # reconnect on a loaded machine, may take the one-time message away again).
        said = page.wait_for_function(
            """(pattern) => { const text = document.querySelector("[data-testid='stMain']")?.innerText || "";
                              const found = text.match(new RegExp(pattern)); return found ? found[0] : null; }""",
            arg=f"已提交:第 [0-9]+ 号上传|{CONFLICT_ZH}", timeout=180_000, polling=50).json_value()
        wait_for_app(page, timeout=180_000)
        outcomes[replica] = "landed" if said.startswith("已提交:第") else "refused"
        visits[replica].screenshot(f"replicas_3_at_once_{'ab'[replica]}")
    after = lake_db(deployment)
    history = after.query("uploads_history")
    assert len(history) == uploads_before + list(outcomes.values()).count("landed"), (outcomes, history)
    assert "landed" in outcomes.values()
    observations = after.query("observations_export")
    monthly = observations[observations.period.str.len() == 7]
    for replica, (path, rows) in files.items():
        indicator = "forest_cover" if replica == A else "air_good_days_ratio"
        stored = int((monthly.indicator_code == indicator).sum())
        assert stored == (rows if outcomes[replica] == "landed" else 0), (replica, outcomes, stored)
    print("\ntwo commits at once:", outcomes)


def test_failed_logins_on_a_and_b_count_together(deployment, on):
    for replica in (A, B, A, B, A):                   # five failures, spread over both replicas
        visit = on(replica, "/upload")
        log_in(visit, "bo", "wrong password")
        settle_on(visit.page, "用户名或密码不正确")
    locked = on(B, "/upload")
    log_in(locked, "bo", PASSWORD)                     # the right password, but the name is locked everywhere
    settle_on(locked.page, "已暂时锁定")
    locked.screenshot("replicas_4_locked_on_b")


def test_sigkill_of_a_replica_mid_commit_leaves_the_lake_before_or_after(deployment, on, tmp_path):
    path = tmp_path / "big.csv"
    rows = monthly_file(path, ["forest_cover", "air_good_days_ratio"], range(2010, 2019), seed=77)
    db = lake_db(deployment)
    before_uploads = len(db.query("uploads_history"))
    analyst = on(A, "/upload", height=3000)
    log_in(analyst)
    settle_on(analyst.page, "已登录:ana")
    preview(analyst, path)
    reader = on(B, "/indicator?indicator=forest_cover")
    confirm_commit(analyst.page, no_wait_after=True)
    time.sleep(random.Random(13).uniform(0.3, 1.5))
    os.kill(deployment.processes[A].pid, signal.SIGKILL)
    deployment.processes[A].wait(timeout=30)

    after = lake_db(deployment)
    history = after.query("uploads_history")
    observations = after.query("observations_export")
    monthly = observations[(observations.period.str.len() == 7) & (observations.period < "2019")]
    if len(history) == before_uploads:
        outcome = "before"
        assert len(monthly) == 0
    else:
        outcome = "after"
        assert len(history) == before_uploads + 1 and len(monthly) == rows
        assert len(after.query("upload_revisions", id=int(history.id.max()))) == rows
    print(f"\nSIGKILL of replica A during its commit: the lake is as {outcome} the upload")

    # B goes on serving; a browser pinned to A is sent to B by nginx.
    reader.page.reload()
    settle_on(reader.page, "森林覆盖率")
    assert not reader.console_errors
    moved = on(A, "/indicator?indicator=forest_cover")
    settle_on(moved.page, "森林覆盖率")
    assert re.search(r"71\.3\s*%", main_text(moved.page))
    moved.screenshot("replicas_5_after_a_was_killed")
    tried = deployment.get("/_stcore/health", route=deployment.route_to(A)).headers["X-Twomountains-Replica"]
    assert tried.split(", ")[-1] == deployment.bases[B].removeprefix("http://"), tried   # A (if tried), then B
    # and it takes an upload again
    analyst = on(A, "/upload", height=3000)
    log_in(analyst)
    settle_on(analyst.page, "已登录:ana")
    again = tmp_path / "again.csv"
    again.write_text("indicator_code,region_code,period,value\nforest_cover,500156,2024,70.4\n")
    preview(analyst, again)
    confirm_commit(analyst.page)
    settle_on(analyst.page, "已提交:第 [0-9]+ 号上传")
