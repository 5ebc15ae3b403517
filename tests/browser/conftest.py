"""A real Streamlit server on loopback and Debian's Chromium driven by playwright.

Every page opened through `browse` records requests to any host but the server and console errors,
so each browser test can assert the dashboard works offline and cleanly.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.settle import settled_at
from twomountains.paths import DB_ENV_VAR, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "tests" / "artifacts"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
# Streamlit first probes <page>/_stcore/health and host-config when a page is opened by its own URL
# and falls back to the root; those two 404s are its routing, not an error of the dashboard.
IGNORED_CONSOLE = ("/_stcore/health", "/_stcore/host-config")
# playwright's retrying assertions (expect) wait 5 s by default; a page run on CI's loaded 2 cores can take
# longer than that to draw what they wait for. A passing assertion returns as soon as it holds.
EXPECT_TIMEOUT_MS = 30_000


def pytest_configure(config):
    from playwright.sync_api import expect
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(db: Path | str, keep_process: bool = False, plain: bool = False, env: dict | None = None,
                   log_dir: Path | None = None, script: Path | None = None):
    """A Streamlit server for app.py on `db`, on a free loopback port; yields its base URL
    (or (base URL, process) with keep_process, for benchmarks that read its memory).

    Started as `make run` starts it (python -m twomountains.serve), or with plain=True as
    `streamlit run app.py`. `db` may be a lake (`ducklake:…`, with `env` naming its data path); its
    log then goes to `log_dir`. `script` serves another Streamlit script instead of app.py, as
    `streamlit run` does (the benchmarks' bare page)."""
    port = _free_port()
    env = {**os.environ, DB_ENV_VAR: str(db), **(env or {})}
    # The server's output goes to a file: a pipe nobody reads would block the server once full.
    log = open(Path(log_dir) / f"server.{port}.log" if log_dir else Path(db).with_suffix(f".{port}.log"), "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", *(("streamlit", "run", str(script or ROOT / "app.py")) if plain or script
                                 else ("twomountains.serve",)),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        process.kill()
        log.close()
        raise RuntimeError("streamlit did not start: " + Path(log.name).read_text(errors="replace"))
    try:
        yield (base, process) if keep_process else base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@contextmanager
def server_with_accounts(folder: Path, users: dict[str, tuple[str, str]]):
    """The dashboard on its own copy of the demo database, with these accounts ({name: (password, role)}) in an
    accounts file of its own (only the server is told of it); yields (base URL, database path)."""
    from twomountains.database import build_database
    from twomountains.ingest import accounts
    db = build_database(folder / "twomountains.duckdb")
    accounts_file = folder / "secrets" / "users.json"
    for name, (password, role) in users.items():
        accounts.add_user(name, password, role, accounts_file, rounds=4)
    with running_server(db, env={accounts.USERS_ENV_VAR: str(accounts_file)}) as base:
        yield base, db


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The dashboard on its own copy of the demo database; yields (base_url, db_path)."""
    from twomountains.database import build_database
    db = build_database(tmp_path_factory.mktemp("browser") / "twomountains.duckdb")
    with running_server(db) as base:
        yield base, db


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: run `make test` (it installs Debian's chromium and fonts-noto-cjk)")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@dataclass
class Visit:
    page: object
    outside_requests: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def assert_clean(self):
        assert not self.outside_requests, f"requests to other hosts: {self.outside_requests}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


@pytest.fixture
def browse(browser, server):
    """browse(path, width=1400, height=2400) -> Visit, with the app loaded and idle."""
    base, _ = server
    contexts = []

    def open_page(path: str, width: int = 1400, height: int = 2400) -> Visit:
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        contexts.append(context)
        return open_visit(context, f"{base}{path}")

    yield open_page
    for context in contexts:
        context.close()


def open_visit(context, url: str) -> Visit:
    """Open a URL in a new page of the context, recording outside requests and console errors; wait for the app."""
    page = context.new_page()
    visit = Visit(page)

    def on_request(request):
        host = urlparse(request.url).hostname
        if request.url.startswith(("data:", "blob:")):
            return
        if host not in LOCAL_HOSTS:
            visit.outside_requests.append(request.url)

    def on_console(message):
        if message.type == "error" and not any(p in (message.location or {}).get("url", "")
                                               for p in IGNORED_CONSOLE):
            visit.console_errors.append(f"{message.text} @ {(message.location or {}).get('url')}")

    page.on("request", on_request)
    page.on("console", on_console)
    # Anything leaving the machine is refused, as in a hall without internet.
    page.route(lambda url: urlparse(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
    page.goto(url)
    wait_for_app(page)
    return visit


def wait_for_app(page, timeout: float = 90_000) -> None:
    """Wait until Streamlit has finished running the script and the page has stopped changing (settle.py):
    the same quiet snapshot three polls running, 0.4 s apart. The timeout (ms) is generous because it is only
    spent when the page is slow (CI's 2 cores)."""
    page.wait_for_selector("[data-testid='stMain']", timeout=timeout)
    settled_at(page, quiet=1.2, poll=0.4, timeout=timeout / 1000)
