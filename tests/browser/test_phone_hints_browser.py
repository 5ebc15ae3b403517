"""On a phone, in real Chromium: the key tasks' table scrolls sideways under a hint
shown on a phone only, and the monthly reports' totals on a phone keep the units' names pinned inside the screen
(the desk's 300 px names' column left the counts off to the right: names beside empty cells)."""
import pytest
from playwright.sync_api import expect

from twomountains.i18n import t

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
TASKS_HINT = ".st-key-hinted_tasks_table .tm-sideways-hint"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_key_tasks_table_has_its_sideways_hint_on_a_phone_only(browse, lang):
    visit = browse(f"/tasks?lang={lang}", **PHONE)
    hint = visit.page.locator(TASKS_HINT)
    expect(hint).to_be_visible()
    expect(hint).to_have_text(t("review23.sideways.columns", lang))
    table = visit.page.locator(".st-key-tasks_table table")
    assert hint.bounding_box()["y"] < table.bounding_box()["y"]            # above the table it speaks of
    hint.scroll_into_view_if_needed()
    visit.screenshot(f"review23_tasks_phone_{lang}")
    visit.assert_clean()
    desk = browse(f"/tasks?lang={lang}", width=1400, height=1600)
    expect(desk.page.locator(".st-key-tasks_table table")).to_be_visible()
    expect(desk.page.locator(TASKS_HINT)).to_be_hidden()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_totals_on_a_phone_are_inside_the_screen_under_a_hint(browse, lang):
    visit = browse(f"/reporting?half=2022H2&lang={lang}", **PHONE)
    page = visit.page
    expect(page.locator(".st-key-desk_reporting_totals")).to_be_hidden()
    phone = page.locator(".st-key-phone_reporting_totals")
    expect(phone).to_be_visible()
    expect(phone.locator("[data-testid='stCaptionContainer']")).to_have_text(t("review23.sideways.columns", lang))
    table = phone.locator("[data-testid='stDataFrame']")
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    headers = [h.strip() for h in table.locator("th").all_inner_texts() if h.strip()]
    assert headers[0] == t("tasks.col.unit", lang), headers
    phone.locator("[data-testid='stCaptionContainer']").scroll_into_view_if_needed()
    visit.screenshot(f"review23_reporting_totals_phone_{lang}")
    visit.assert_clean()
    desk = browse(f"/reporting?half=2022H2&lang={lang}", width=1400, height=1600)
    expect(desk.page.locator(".st-key-desk_reporting_totals [data-testid='stDataFrame']")).to_be_visible()
    expect(desk.page.locator(".st-key-phone_reporting_totals")).to_be_hidden()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_map_and_scenic_tables_have_their_sideways_hint_on_a_phone_only(browse, lang):
    """The map's points and routes and the scenic areas showed a column or two on a phone, the rest off to the right
    without a word: a hint above each says so there, and none shows on a desk. The table's toolbar (search,
    download, full screen) still opens above the points when it is touched."""
    hint = t("review23.sideways.columns", lang)
    for path, boxes in ((f"/map?lang={lang}", ("map_points", "map_routes")),
                        (f"/tourism?lang={lang}&as_of=2025", ("scenic_areas",))):
        visit = browse(path, **PHONE)
        for box in boxes:
            shown = visit.page.locator(f".st-key-hinted_{box} .tm-sideways-hint")
            expect(shown).to_be_visible()
            expect(shown).to_have_text(hint)
            table = visit.page.locator(f".st-key-hinted_{box} [data-testid='stDataFrame']")
            assert shown.bounding_box()["y"] < table.bounding_box()["y"]
        if path.startswith("/map"):
            table = visit.page.locator(".st-key-hinted_map_points [data-testid='stDataFrame']")
            # The hint in the middle of the screen, then a touch (a hover) on the table's first row below it.
            visit.page.locator(".st-key-hinted_map_points .tm-sideways-hint").evaluate(
                "hint => hint.scrollIntoView({block: 'center'})")
            box = table.bounding_box()
            visit.page.mouse.move(box["x"] + 120, box["y"] + 60)
            toolbar = visit.page.locator(".st-key-hinted_map_points [data-testid='stElementToolbar']")
            expect(toolbar).to_be_visible()
            # Drawn, not clipped: what the page shows at the toolbar's middle is the toolbar, once it has slid in (a
            # scrolling frame around the table, as sideways_on_phone makes, hid it while playwright called it visible).
            visit.page.wait_for_function("""() => {
                const bar = document.querySelector(".st-key-hinted_map_points [data-testid='stElementToolbar']");
                const r = bar.getBoundingClientRect();
                return bar.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)); }""",
                timeout=10_000)
            visit.screenshot(f"review23_map_phone_{lang}")
        visit.assert_clean()
        desk = browse(path, width=1400, height=1600)
        for box in boxes:
            expect(desk.page.locator(f".st-key-hinted_{box} [data-testid='stDataFrame']")).to_be_visible()
            expect(desk.page.locator(f".st-key-hinted_{box} .tm-sideways-hint")).to_be_hidden()
