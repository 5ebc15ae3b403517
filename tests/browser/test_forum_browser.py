"""Forum mode in real Chromium: the presentation at hall resolutions, offline, and every page in both
languages without text of the other language."""
import re

import pytest

from tests.browser.conftest import wait_for_app
from twomountains import metadata
from twomountains.i18n import strings

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")
# Latin words a Chinese screen may carry: file formats, units and the name of the other language's switch.
ALLOWED_LATIN = {"English", "CSV", "XLSX", "PNG", "SVG", "PDF", "PPTX", "Excel", "UTF", "BOM", "GBK", "WGS84",
                 "GCJ", "AMap", "MIT", "cnmaps", "data", "SHA", "Vega", "Lite"}


def _next_slide(page, label: str) -> str:
    before = page.locator("h1").first.inner_text()
    page.get_by_role("button", name=label).click()
    page.wait_for_function("(before) => document.querySelector('h1') && "
                           "document.querySelector('h1').innerText !== before", arg=before, timeout=20000)
    wait_for_app(page)
    return page.locator("h1").first.inner_text()


@pytest.mark.parametrize("lang, width, height", [("zh", 1920, 1080), ("en", 1280, 720)])
def test_presentation_steps_through_every_slide_offline(browse, lang, width, height):
    visit = browse(f"/present?lang={lang}", width=width, height=height)
    page = visit.page
    words = strings(lang)
    assert page.locator("h1").first.inner_text() == words["forum.title"]
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    visit.screenshot(f"present_{lang}_{width}_title")
    titles = [words["forum.title"]]
    counter = page.get_by_text(re.compile(words["present.counter"].split("{")[0]))
    total = int(re.findall(r"\d+", counter.first.inner_text())[-1])
    for number in range(2, total + 1):
        titles.append(_next_slide(page, words["present.next"]))
        if page.locator("[data-testid='stPlotlyChart']").count():
            assert page.locator("[data-testid='stPlotlyChart'] .main-svg").count() >= 1
        if number in (2, 8, total - 2):
            visit.screenshot(f"present_{lang}_{width}_slide{number}")
    assert len(set(titles)) == total
    assert f"slide={total}" in page.url
    visit.assert_clean()


def _visible_text(page) -> str:
    """The text a reader sees in the page and the sidebar, without icon names (Material Symbols glyphs)
    and without code (commands and file names are the same in both languages)."""
    return page.evaluate("""() => ['stMain', 'stSidebar'].map(id => {
        const original = document.querySelector(`[data-testid='${id}']`);
        if (!original || getComputedStyle(original).display === 'none' || !original.offsetParent && id !== 'stMain')
            return '';
        const copy = original.cloneNode(true);
        document.body.appendChild(copy);
        copy.querySelectorAll('*').forEach(el => {
            if (el.isConnected && (el.tagName === 'CODE' || getComputedStyle(el).fontFamily.includes('Material')))
                el.remove(); });
        const text = copy.innerText;
        copy.remove();
        return text; }).join('\\n')""")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language(browse, lang):
    pages = metadata.load_table("pages")
    for page_row in pages.itertuples():
        path = "" if page_row.default else page_row.url_path  # the default page lives at "/"
        visit = browse(f"/{path}?lang={lang}", height=1600)
        text = _visible_text(visit.page)
        if lang == "en":
            foreign = [line for line in text.splitlines() if CJK.search(line) and line.strip() != "中文"]
        else:
            words = set(re.findall(r"\b[A-Za-z]{4,}\b", text))
            foreign = sorted(w for w in words - ALLOWED_LATIN if w != w.upper())
        assert not foreign, (page_row.key, foreign[:8])
        visit.screenshot(f"page_{page_row.key}_{lang}")
        visit.assert_clean()
        visit.page.context.close()
