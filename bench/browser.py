"""In real Chromium: time from navigation to every overview chart drawn, beside the same time for a bare
Streamlit page (a title and one chart: the floor, bench/fixtures/bare_page.py); the server's peak
memory with several sessions open; and on the upload page, the time from a large file's upload to its preview.

`python -m bench.browser [repeats]` prints the overview's and the bare page's times side by side, measured
alternately in one run, with where the browser spent the overview's time (issue 12).
"""
from __future__ import annotations

import time
from pathlib import Path

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, running_server, wait_for_app
from tests.browser.settle import settled_at

BARE_PAGE = Path(__file__).parent / "fixtures" / "bare_page.py"
BARE_CHART_DRAWN = """() => document.querySelector("[data-testid='stTitle'], h1") !== null
    && document.querySelector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg") !== null"""

OVERVIEW_CHARTS_DRAWN = """(expected) => {
    const images = [...document.querySelectorAll("[data-testid='stImage'] img, .tm-card img")];
    return images.length >= expected && images.every(img => img.complete && img.naturalWidth > 0);
}"""


def _expected_sparklines(db_path: Path) -> int:
    """The overview's sparklines: one per goal of the default plan with more than one annual value."""
    from twomountains.access import database
    from twomountains.cli import plan_goals
    db = database(db_path)
    annual = db.query("annual_values", region="500156")
    counts = annual[annual.indicator_code.isin(plan_goals(db, None, "en").code)].groupby("indicator_code").size()
    return int((counts > 1).sum())


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


def _time_load(browser, url: str, drawn: str, arg=None) -> tuple[float, dict]:
    """Seconds from navigation to `drawn` being true in a fresh context, and the browser's own timings."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(drawn, arg=arg, timeout=60000, polling=50)
    seconds = time.perf_counter() - started
    timings = page.evaluate("""() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const resources = performance.getEntriesByType('resource');
        const longTasks = performance.getEntriesByType('longtask');
        return {dom_content_loaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
                scripts_done: Math.max(0, ...resources.filter(r => r.initiatorType === 'script')
                                                 .map(r => r.responseEnd)),
                resources: resources.length, elements: document.querySelectorAll('.stElementContainer').length,
                now: performance.now()};
    }""")
    context.close()
    return seconds, timings


def bare_and_overview_load_times(db_path: Path, repeats: int = 5) -> dict[str, list]:
    """{'bare': [(seconds, timings)], 'overview': [...]}: the bare page and the overview measured alternately in
    one browser, each on its own server, so both see the same machine load."""
    from playwright.sync_api import sync_playwright
    expected = _expected_sparklines(db_path)
    results: dict[str, list] = {"bare": [], "overview": []}
    with running_server(db_path) as base, running_server(db_path, script=BARE_PAGE) as bare, \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for url in (base, bare):       # the first run of each server fills its caches
            warm = browser.new_page()
            warm.goto(url)
            wait_for_app(warm)
            warm.close()
        for _ in range(repeats):
            results["bare"].append(_time_load(browser, bare, BARE_CHART_DRAWN))
            results["overview"].append(_time_load(browser, base, OVERVIEW_CHARTS_DRAWN, expected))
        browser.close()
    return results


UPLOAD_PASSWORD = "bench-analyst-2026"
PREVIEW_SHOWN = r"""() => /共 [\d,]+ 个数值/.test(document.querySelector("[data-testid='stMain']")?.innerText || "")"""
def upload_preview_times(db_path: Path, upload: Path, work: Path, repeats: int = 3,
                         screenshot: Path | None = None) -> list[dict]:
    """On the upload page in real Chromium, logged in as an analyst: seconds from the file's upload finishing
    (the browser's PUT to /_stcore/upload_file answered) to the preview's counts line shown, and to the whole
    page drawn (its tables and the commit step: the moment it settled, tests/browser/settle.py). Each run in a
    new browser context (a new session, logged in again)."""
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
                done = settled_at(page)
                if screenshot is not None and run == repeats:
                    page.screenshot(path=str(screenshot), full_page=True)
                if run:
                    results.append({"upload": uploaded - chosen, "preview": shown - uploaded, "done": done - uploaded})
                context.close()
            browser.close()
    finally:
        db.unlink(missing_ok=True)
    return results


if __name__ == "__main__":
    import os
    import statistics
    import sys

    from bench.run import _database

    measured = bare_and_overview_load_times(_database("S"), int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    medians = {name: statistics.median(s for s, _ in runs) for name, runs in measured.items()}
    for name, runs in measured.items():
        print(f"{name:9} median {medians[name]:.2f} s  runs " + " ".join(f"{s:.2f}" for s, _ in runs))
        print(f"          browser timings of the last run (ms): {runs[-1][1]}")
    print(f"overview / bare = {medians['overview'] / medians['bare']:.2f} (goal ≤ 1.5); "
          f"load average {os.getloadavg()[0]:.2f}")
