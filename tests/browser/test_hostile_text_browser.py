"""Hostile text in real Chromium (issue 15, items 2 and 3): a link's parameter and uploaded names show as
text — no link, bold text or image from them — and the browser asks no other host for anything."""
from __future__ import annotations

import shutil
from urllib.parse import quote

import pytest

from tests.browser.conftest import running_server, wait_for_app, LOCAL_HOSTS
from tests.test_text_stays_text import LINK_PAYLOAD, hostile_database

pytestmark = pytest.mark.browser


def live_from_payload(page) -> dict:
    """Links, bold text and images on the page that came from the hostile text (they name evil.example)."""
    return page.evaluate("""() => ({
        links: [...document.querySelectorAll('a')].map(a => a.href).filter(h => h.includes('evil')),
        bold: [...document.querySelectorAll('strong, b')].map(b => b.innerText)
              .filter(t => t.includes('Session') || t.trim() === 'bold'),
        images: [...document.querySelectorAll('img, image')]
              .map(i => i.src || i.getAttribute('href') || '').filter(s => s.includes('evil')),
    })""")


def test_link_payload_and_hostile_names_render_as_text_and_fetch_nothing(browser, demo_db_template, tmp_path):
    from urllib.parse import urlparse
    db = tmp_path / "hostile.duckdb"
    shutil.copy(demo_db_template, db)
    hostile_database(db)
    with running_server(db) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 2000}, locale="zh-CN")
        outside = []
        context.on("request", lambda r: urlparse(r.url).hostname not in LOCAL_HOSTS
                   and not r.url.startswith(("data:", "blob:")) and outside.append(r.url))
        context.route(lambda url: urlparse(url).hostname not in LOCAL_HOSTS, lambda route: route.abort())
        page = context.new_page()
        nothing = {"links": [], "bold": [], "images": []}

        page.goto(f"{base}/indicator?indicator={quote(LINK_PAYLOAD)}")
        wait_for_app(page)
        warning = page.locator("[data-testid='stAlert']").first.inner_text().replace("\u2060", "")
        assert "**Session expired.** [Log in again](http://evil.example/login)" in warning   # shown, literally
        assert live_from_payload(page) == nothing
        page.screenshot(path=str(tmp_path / "indicator.png"))

        page.goto(f"{base}/overview")                 # catalog names: =HYPERLINK("http://…") on every card
        wait_for_app(page)
        assert 'HYPERLINK("http://evil.example","空气")' in page.inner_text("[data-testid='stMain']").replace("\u2060", "")
        assert live_from_payload(page) == nothing

        page.goto(f"{base}/present?lang=en&slide=10")  # two series labelled by names with <a href=…> at their ends
        wait_for_app(page)
        page.wait_for_selector("[data-testid=stPlotlyChart] .annotation-text", timeout=60_000)
        shown = page.evaluate("() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .annotation-text, "
                              "[data-testid=stPlotlyChart] .legendtext')].map(e => e.textContent).join('')")
        assert 'evil.example/a">Air</a>' in shown, shown            # the tag drawn as characters, not a link
        assert live_from_payload(page) == nothing

        from tests.browser.conftest import ARTIFACTS
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "hostile_text_present.png"))
        assert outside == []
        context.close()
