"""In real Chromium: time from navigation to every overview chart drawn; and the server's peak memory
with several sessions open."""
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
            page.wait_for_function(OVERVIEW_CHARTS_DRAWN, arg=expected, timeout=60000, polling=50)
            times.append(time.perf_counter() - started)
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
