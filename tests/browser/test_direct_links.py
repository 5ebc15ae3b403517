"""A shared link to a page, opened as the very first visit of a freshly started server, goes through
app.py: language from the link, page titles in the sidebar, no error."""
import shutil

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import running_server, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("plain", [False, True], ids=["make-run", "streamlit-run"])
def test_first_visit_of_a_fresh_server_to_a_page_link(browser, demo_db_template, tmp_path, plain):
    db = tmp_path / "fresh.duckdb"
    shutil.copy(demo_db_template, db)
    with running_server(db, plain=plain) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1600})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{base}/overview?lang=en&as_of=2022")
        page.wait_for_selector("h1", timeout=90_000)   # a fresh server's first run, on a loaded machine too
        wait_for_app(page)
        expect(page.locator("h1").first).to_have_text("The 2022 goals at a glance", use_inner_text=True)
        expect(page.locator("[data-testid='stSidebar']")).to_contain_text("Indicator detail", use_inner_text=True)
        sidebar = page.inner_text("[data-testid='stSidebar']")
        assert "Indicator detail" in sidebar and "indicator" not in sidebar.split()  # titles, not file names
        assert not page.locator("[data-testid='stException']").count()
        assert not errors
        context.close()


# Records whether Streamlit's "Page not found" box appeared at any moment while the page loaded (it shows before
# the page and goes once the page is drawn, so a look at the end would miss it).
_WATCH_NOT_FOUND = """
window.__pageNotFound = false;
new MutationObserver(records => {
  for (const record of records) for (const node of record.addedNodes)
    if ((node.textContent || "").includes("Page not found")) window.__pageNotFound = true;
}).observe(document, {childList: true, subtree: true});
"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_direct_link_to_every_page_opens_it_without_page_not_found(browser, server, lang):
    """Each page of data/pages.csv opened by its own path (/overview too, the default page Streamlit serves at
    the root): the page itself, marked in the sidebar, in the link's language, and never Streamlit's English box."""
    from twomountains.i18n import t
    from twomountains.metadata import load_table
    base, _ = server
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN")
    context.add_init_script(_WATCH_NOT_FOUND)
    for page_row in load_table("pages").itertuples():
        page = context.new_page()
        page.goto(f"{base}/{page_row.url_path}?lang={lang}")
        wait_for_app(page)
        current = page.locator("[data-testid='stSidebarNavLink'][aria-current='page']")
        expect(current).to_have_count(1)
        expect(current).to_contain_text(t(f"nav.{page_row.key}", lang), use_inner_text=True)
        assert not page.evaluate("window.__pageNotFound"), page_row.url_path
        assert "Page not found" not in page.inner_text("body")
        assert not page.locator("[data-testid='stException']").count(), page_row.url_path
        page.close()
    context.close()
