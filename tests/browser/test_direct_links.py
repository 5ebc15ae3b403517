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
