"""In real Chromium: time from navigation to every overview chart drawn; the server's peak memory
with several sessions open; and on the upload page, time from a large file's upload to its preview."""
from __future__ import annotations

import time
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, running_server, wait_for_app

OVERVIEW_CHARTS_DRAWN = """(expected) => {
    const images = [...document.querySelectorAll("[data-testid='stImage'] img")];
    return images.length >= expected && images.every(img => img.complete && img.naturalWidth > 0);
}"""


def _expected_sparklines(db_path: Path) -> int:
    from twomountains.access import database
    annual = database(db_path).query("annual_values", region="500156")
    counts = annual.groupby("indicator_code").size()
    return int((counts > 1).sum())


def overview_load_times(db_path: Path, repeats: int = 5) -> list[float]:
    from playwright.sync_api import sync_playwright
    expected = _expected_sparklines(db_path)
    times = []
    with running_server(db_path) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_page()
        warm.goto(base)
        wait_for_app(warm)
        warm.close()
        for _ in range(repeats):
            context = browser.new_context(viewport={"width": 1400, "height": 2400})
            page = context.new_page()
            started = time.perf_counter()
            page.goto(base)
            # Every sparkline drawn: the page's cards stopped changing with their images loaded (the catalog's
            # count of series, `expected`, is more than the overview shows since plans came: it waited forever).
            page.wait_for_function(OVERVIEW_CHARTS_DRAWN, arg=min(expected, 10), timeout=60000, polling=50)
            times.append(_settled_at(page, quiet=0.5) - started)
            context.close()
        browser.close()
    return times


def _peak_memory_mb(pid: int) -> float:
    """VmHWM (peak resident set) of the process and its children, in MB."""
    total = 0.0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task").glob("*/children") for p in p.read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1]) / 1024
    return total


def peak_memory_with_sessions(db_path: Path, sessions: int = 10) -> float:
    """Open `sessions` browser sessions (overview, indicator, tourism, ecology, map in turn) and report the
    server's peak resident memory in MB."""
    from playwright.sync_api import sync_playwright
    paths = ["/", "/indicator?indicator=tourism_revenue", "/tourism", "/ecology", "/map"]
    with running_server(db_path, keep_process=True) as (base, process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = []
        for index in range(sessions):
            page = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
            page.goto(base + paths[index % len(paths)])
            pages.append(page)
        for page in pages:
            wait_for_app(page, timeout=180_000)
        peak = _peak_memory_mb(process.pid)
        browser.close()
    return peak


UPLOAD_PASSWORD = "bench-analyst-2026"
PREVIEW_SHOWN = r"""() => /共 [\d,]+ 个数值/.test(document.querySelector("[data-testid='stMain']")?.innerText || "")"""
PAGE_STATE = """() => [document.querySelector("[data-testid='stMain']")?.innerText.length || 0,
    document.querySelectorAll('.stElementContainer').length, document.querySelectorAll("[data-testid='stSkeleton']").length,
    document.querySelectorAll("[data-testid='stDataFrame']").length
    - document.querySelectorAll("[data-testid='stDataFrame'] canvas").length,
    !!document.querySelector("[data-testid='stStatusWidget'] button, [data-testid='stStatusWidget'] img"),
    [...document.querySelectorAll("[data-testid='stImage'] img")].filter(i => i.complete && i.naturalWidth > 0).length]"""


def _settled_at(page, quiet: float = 1.0, timeout: float = 120.0) -> float:
    """When the page stopped changing: the first moment of a `quiet`-second stretch in which the main text, the
    elements, the tables and their canvases and the running indicator all stayed the same (no skeleton, nothing
    running)."""
    deadline = time.perf_counter() + timeout
    previous, since = None, time.perf_counter()
    while time.perf_counter() < deadline:
        state = page.evaluate(PAGE_STATE)
        now = time.perf_counter()
        if state != previous or state[2] or state[4]:    # (a table in a tab not shown draws no canvas)
            previous, since = state, now
        elif now - since >= quiet:
            return since
        page.wait_for_timeout(50)
    raise TimeoutError("the upload page kept changing")


def upload_preview_times(db_path: Path, upload: Path, work: Path, repeats: int = 3,
                         screenshot: Path | None = None) -> list[dict]:
    """On the upload page in real Chromium, logged in as an analyst: seconds from the file's upload finishing
    (the browser's PUT to /_stcore/upload_file answered) to the preview's counts line shown, and to the whole
    page drawn (its tables and the commit step; `_settled_at`). Each run in a new browser context (a new session, logged in again)."""
    import shutil

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import running_server as serve
    from twomountains.ingest import accounts
    db = work / "upload-preview.duckdb"
    shutil.copy(db_path, db)                     # the preview writes nothing; a copy all the same
    users = work / "secrets" / "users.json"
    accounts.add_user("bench", UPLOAD_PASSWORD, "analyst", users, rounds=4)
    results = []
    try:
        with serve(db, env={accounts.USERS_ENV_VAR: str(users)}) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for run in range(repeats + 1):            # the first run warms the server (imports, caches)
                context = browser.new_context(viewport={"width": 1400, "height": 2400})
                page = context.new_page()
                page.goto(base + "/upload")
                wait_for_app(page, timeout=120_000)
                page.get_by_label("用户名").fill("bench")
                page.get_by_label("密码").fill(UPLOAD_PASSWORD)
                page.get_by_role("button", name="登录").click()
                page.wait_for_selector("text=已登录:bench", timeout=60_000)
                wait_for_app(page, timeout=60_000)
                chosen = time.perf_counter()
                with page.expect_response(lambda r: "/_stcore/upload_file" in r.url and r.request.method == "PUT",
                                          timeout=120_000):
                    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(upload))
                uploaded = time.perf_counter()
                page.wait_for_function(PREVIEW_SHOWN, timeout=300_000, polling=50)
                shown = time.perf_counter()
                done = _settled_at(page)
                if screenshot is not None and run == repeats:
                    page.screenshot(path=str(screenshot), full_page=True)
                if run:
                    results.append({"upload": uploaded - chosen, "preview": shown - uploaded, "done": done - uploaded})
                context.close()
            browser.close()
    finally:
        db.unlink(missing_ok=True)
    return results
