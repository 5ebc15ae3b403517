"""The dashboard process dies and comes back while viewers have it open: their tabs recover by themselves.

Chromium tabs show an indicator and the forum screen turning its slides by itself (an indicator and
the overview in the second test). The server is killed (SIGKILL, as a crash or the OOM killer would); each tab shows
Streamlit's "Connection error" while it keeps trying. While the server is down an analyst loads a
new value with the command line (the file is free then). The server starts again on the same port.
Without anyone reloading:
- every tab reconnects: the dialog goes, no exception, no console error once it has recovered;
- the forum screen goes on turning its slides, drawn by the new server;
- the other tabs, which had finished drawing, keep showing what they showed (Streamlit reruns a
  script on reconnection only if its run had not finished), and the next click draws the page from
  the new server, with the value loaded while it was down.
A second test stops the server the polite way (SIGTERM, as `systemctl restart` does).

Two things found here and worked around, not hidden (see docs/scaling.md):
- The first click after a restart redraws the page but its own change is lost: a fresh server is
  in Streamlit's pages-folder mode until app.py has run once, and the routing guard's rerun
  (twomountains/ui/entry.py) drops it. The test clicks the language switch and checks the redraw,
  not the language.
- A tab that was downloading one of Streamlit's lazily loaded scripts (Plotly's is 4.7 MB) when the
  server died keeps that failed import for good ("Failed to fetch dynamically imported module") and
  cannot draw such charts until it is reloaded. The test lets the forum tab load its first Plotly
  slide before the kill.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import ARTIFACTS, LOCAL_HOSTS, _free_port, wait_for_app
from twomountains.paths import DB_ENV_VAR, ROOT

pytestmark = pytest.mark.browser
OLD, NEW_VALUE, NEW = "67.9%", 71.1, "71.1%"
RECOVERY_SECONDS = 45


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    """`streamlit run app.py` on a given loopback port (the viewers' tabs point at it), healthy."""
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, DB_ENV_VAR: str(db)}, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("streamlit did not start: " + log.read_text(errors="replace"))


def ingest(db: Path, value: float, tmp_path: Path) -> None:
    upload = tmp_path / f"forest-{value}.csv"
    upload.write_text(f"indicator_code,region_code,period,value\nforest_cover,500156,2025,{value}\n")
    done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", str(upload), "--db", str(db)],
                          check=False, cwd=ROOT, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()


def open_tab(browser, base: str, path: str, errors: list):
    context = browser.new_context(viewport={"width": 1400, "height": 1200}, locale="zh-CN")
    page = context.new_page()
    page.route(lambda url: urlparse(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
    page.on("console", lambda m: errors.append((time.monotonic(), path, f"{m.text} @ {(m.location or {}).get('url')}"))
            if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append((time.monotonic(), path, f"page error: {e}")))
    page.goto(base + path)
    # On a fresh server the first visit is drawn twice (the routing guard's rerun): wait for the second.
    page.wait_for_selector("[data-testid='stMain'] h1", timeout=RECOVERY_SECONDS * 1000)
    wait_for_app(page)
    return context, page


def main_text(page) -> str:
    return page.inner_text("[data-testid='stMain']")


def slide_number(page) -> int:
    found = re.search(r"第(\d+)页|Slide (\d+)", main_text(page))
    assert found, main_text(page)[:300]
    return int(found.group(1) or found.group(2))


def fail_with_screenshot(page, what: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"restart_{urlparse(page.url).path.strip('/') or 'overview'}.png"
    page.screenshot(path=str(shot))
    raise AssertionError(f"{page.url}: {what} (screenshot {shot}): {page.inner_text('body')[:500]!r}")


def wait_until(page, script: str, arg, what: str) -> float:
    started = time.monotonic()
    try:
        page.wait_for_function(script, arg=arg, timeout=RECOVERY_SECONDS * 1000, polling=250)
    except PlaywrightTimeout:
        fail_with_screenshot(page, f"not {what} within {RECOVERY_SECONDS}s")
    return time.monotonic() - started


def connection_error_shown(page) -> bool:
    return any("Connection error" in text for text in page.locator("[data-testid='stDialog']").all_inner_texts())


def assert_healthy(page, path: str) -> None:
    assert page.locator("[data-testid='stException']").count() == 0, path
    assert not connection_error_shown(page), path


def turn_on_auto_advance(page) -> None:
    """On the forum screen: the settings popover, automatic turning, the shortest interval (5 s)."""
    page.get_by_text("演示设置").click()
    page.get_by_text("自动翻页").click()
    page.get_by_role("slider").focus()
    page.keyboard.press("Home")
    page.keyboard.press("Escape")


FORUM_TURNS = "n => (/第(\\d+)页|Slide (\\d+)/.exec(document.body.innerText) || []).slice(1).some(x => x && Number(x) !== n)"
RECONNECTED = ("() => !Array.from(document.querySelectorAll(\"[data-testid='stDialog']\"))"
               ".some(d => d.innerText.includes('Connection error'))")
SHOWS = "t => document.querySelector(\"[data-testid='stMain']\").innerText.includes(t)"


def restart_with_viewers(browser, demo_db_template, tmp_path, paths: list[str], how: signal.Signals) -> dict:
    """Open the tabs, stop the server with `how`, load a value while it is down, start it again, check
    every tab; returns seconds to reconnect by tab."""
    db = tmp_path / "twomountains.duckdb"
    shutil.copy(demo_db_template, db)
    port, log = _free_port(), tmp_path / "server.log"
    base = f"http://127.0.0.1:{port}"
    server = start_server(db, port, log)
    errors: list = []
    contexts = []
    try:
        tabs = {}
        for path in paths:
            context, page = open_tab(browser, base, path, errors)
            contexts.append(context)
            tabs[path] = page
        forum = tabs.get("/present")
        for path, page in tabs.items():
            assert_healthy(page, path)
            if path != "/present":
                assert OLD in main_text(page), path
        if forum:
            turn_on_auto_advance(forum)            # it turns to a Plotly slide (the first has none)
            wait_until(forum, "() => document.querySelector(\"[data-testid='stPlotlyChart'] .main-svg\")", None,
                       "drawing a Plotly slide")
            wait_for_app(forum)

        server.send_signal(how)
        server.wait(timeout=30)
        for path, page in tabs.items():          # every tab notices, says so and keeps trying
            page.wait_for_selector("[data-testid='stDialog'] >> text=Connection error", timeout=30_000)
        ingest(db, NEW_VALUE, tmp_path)          # the file is free while the dashboard is down
        before = {path: main_text(page) for path, page in tabs.items() if path != "/present"}
        server = start_server(db, port, log)
        restarted = time.monotonic()
        reconnected = {path: wait_until(page, RECONNECTED, None, "reconnected") for path, page in tabs.items()}
        recovered_at = restarted + max(reconnected.values())

        if forum:                                # the forum screen goes on by itself, from the new server
            wait_until(forum, FORUM_TURNS, slide_number(forum), "turning slides after the restart")
        # The finished pages stay as they were, whole, until someone clicks (or, should Streamlit rerun
        # them on reconnection one day, show the new value).
        for path, text in before.items():
            assert_healthy(tabs[path], path)
            now = main_text(tabs[path])
            assert now == text or NEW in now, f"{path} changed without a click"
        # A click (the other language) draws each page again, from the new server, with the new value.
        for path in before:
            tabs[path].locator("[role='radio'][aria-checked='false']").first.click()
        for path in before:
            wait_until(tabs[path], SHOWS, NEW, f"showing {NEW}")
            wait_for_app(tabs[path], timeout=RECOVERY_SECONDS * 1000)
        for path, page in tabs.items():
            assert_healthy(page, path)
        # Errors that go on: any after every tab has recovered and been drawn again. While they
        # reconnect and redraw, a tab may log one or two (the page icon's old /media address, which
        # the new server knows only once the page has run there).
        settled = time.monotonic()
        next(iter(tabs.values())).wait_for_timeout(2500)
        late = [e for e in errors if e[0] > settled]
        assert not late, [(round(t - restarted, 1), path, text[:200]) for t, path, text in late]
        passing = [(round(t - restarted, 1), path, text[:120]) for t, path, text in errors if t > recovered_at]
        print(f"\n{len(errors) - len(passing)} console errors while the server was down, then {passing}")
        return {path: round(seconds, 1) for path, seconds in reconnected.items()}
    finally:
        for context in contexts:
            context.close()
        server.terminate()
        server.wait(timeout=30)


def test_viewers_recover_when_the_dashboard_crashes(browser, demo_db_template, tmp_path):
    """SIGKILL, as a crash or the OOM killer: an indicator and the forum screen turning its slides."""
    seconds = restart_with_viewers(browser, demo_db_template, tmp_path,
                                   ["/indicator?indicator=forest_cover", "/present"], signal.SIGKILL)
    print("\nreconnected in (s):", seconds)


def test_a_viewer_recovers_when_the_dashboard_is_restarted(browser, demo_db_template, tmp_path):
    """SIGTERM, as `systemctl restart`: the server closes the connections itself before it goes."""
    seconds = restart_with_viewers(browser, demo_db_template, tmp_path,
                                   ["/indicator?indicator=forest_cover", "/"], signal.SIGTERM)
    print("\nreconnected in (s):", seconds)
