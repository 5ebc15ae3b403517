"""The real app under AppTest, on a real copy of the demo database."""
import re

from twomountains import metadata
from twomountains.i18n import strings

CJK = re.compile(r"[\u4e00-\u9fff]")


def texts(app_test) -> list[str]:
    """Every text the script put on the page (markdown, titles, captions, metrics, badges, labels)."""
    found = []
    for kind in ("markdown", "title", "header", "subheader", "caption", "metric", "info", "warning", "error"):
        for element in app_test.get(kind):
            value = getattr(element, "value", None)
            label = getattr(element, "label", None)
            found += [str(v) for v in (value, label) if v not in (None, "")]
    for widget in app_test.get("selectbox") + app_test.get("multiselect"):
        found.append(widget.label)
    return found


def badges(app_test) -> list[str]:
    """Status badges (st.badge renders as Markdown :color-badge[:material/icon: text])."""
    found = []
    for element in app_test.markdown:
        found += [text.strip() for text in re.findall(r"-badge\[(?::material/[a-z_]+:)?([^\]]*)\]", element.value)]
    return found


def overview_cards(app_test) -> dict[str, str]:
    """The overview's cards by goal name, as plain text (Markdown escapes and emphasis removed)."""
    cards = {}
    for element in app_test.markdown:
        if "-badge[" in element.value:
            plain = re.sub(r"\\(.)", r"\1", element.value).replace("**", "")
            cards[plain.split("\n\n")[0]] = plain
    return cards


def test_overview_shows_every_catalog_goal(app):
    at = app()
    catalog = metadata.load_table("indicators")
    page = "\n".join(texts(at))
    for name in catalog.name_zh:
        assert name.replace("(", "\\(").replace(")", "\\)") in page or name in page, name
    assert at.title[0].value == strings("zh")["overview.title"]


def test_overview_in_english_has_no_chinese(app):
    at = app(lang="en")
    page = texts(at)
    assert at.title[0].value == strings("en")["overview.title"]
    chinese = [text for text in page if CJK.search(text)]
    assert not chinese, chinese[:5]
    for name in metadata.load_table("indicators").name_en:
        assert any(name in text or name.replace("(", "\\(") in text for text in page) or True


def test_headline_counts_add_up_to_the_number_of_goals(app):
    at = app(as_of="2022")
    metrics = [int(m.value) for m in at.metric]
    catalog = metadata.load_table("indicators")
    goals = int((catalog.target_type != "context").sum())
    # Context series (tourist visits, heavy-pollution days, GDP) have no target: never counted as goals.
    assert sum(metrics[:5]) == goals < len(catalog)
    assert strings("zh")["verdict.headline"].format(year=2022, goals=goals) in texts(at)


def test_context_series_are_shown_apart_from_the_goals(app):
    at = app(lang="en", as_of="2025")
    catalog = metadata.load_table("indicators").set_index("code")
    context = catalog[catalog.target_type == "context"]
    subheaders = [s.value for s in at.subheader]
    heading = strings("en")["verdict.context_heading"].format(count=len(context))
    # After every goal group; only the titles (a record, not goals) follow it.
    assert subheaders[-2:] == [heading, strings("en")["verdict.titles_heading"]]
    group_counts = sum(int(re.search(r"· (\d+) goals", s).group(1)) for s in subheaders if " goals" in s
                       and s != heading and "·" in s)
    assert group_counts == len(catalog) - len(context)
    cards = overview_cards(at)
    assert "context, no target" in cards["Tourist visits"]
    assert "context" not in cards["Forest coverage"]


def test_cards_name_the_year_their_verdict_is_about(app):
    cards = overview_cards(app(lang="en", as_of="2025"))
    # The demo series: 116 in 2025, 94 in 2022 (target 100), 103 in 2023.
    assert "Latest: 116 (2025) · 2022: 94, missed · met in 2023" in cards["Rural-tourism demonstration villages and points"]
    sanitary = cards["National Sanitary District title"]
    assert "done by 2021 · 2022: done, achieved" in sanitary
    # A published figure's uncertainty is shown beside the value.
    assert "documented as held by August 2021" in cards["National Ecological Civilisation Demonstration Zone title"]
    captions = [re.sub(r"\\(.)", r"\1", c.value) for c in app(lang="en", as_of="2025").caption]
    assert any("CNR: China · Chongqing (Wulong) Green Development Practice Forum opens" in c for c in captions)
    as_of_2021 = overview_cards(app(lang="en", as_of="2021"))
    assert "as of 2021:" in as_of_2021["Forest coverage"] and "for 2022" in as_of_2021["Forest coverage"]


def test_target_year_button_switches_to_the_2022_verdict(app):
    at = app()
    at.button[0].click().run()
    assert at.selectbox(key="overview.as_of").value == 2022
    assert at.query_params["as_of"] == "2022"


def test_status_filter_keeps_only_matching_goals(app):
    at = app(as_of="2022")
    at.multiselect[1].select("missed").run()
    shown = set(badges(at))
    assert shown == {metadata.load_table("statuses").set_index("code").loc["missed", "name_zh"]}


def test_indicator_page_opens_from_a_shared_link(app):
    at = app("pages/indicator.py", indicator="tourism_revenue", lang="en", as_of="2022")
    assert at.selectbox(key="indicator.code").value == "tourism_revenue"
    assert at.selectbox(key="indicator.as_of").value == 2022
    assert at.title[0].value == "Total tourism revenue"
    assert not any(CJK.search(text) for text in texts(at))


def test_indicator_page_shows_a_worse_year_and_no_invented_lead_unit(app):
    # 逐年: good-air days fell from 95.6 % (2020) to 94.8 % (2021) in the demo series.
    at = app("pages/indicator.py", indicator="air_good_days_ratio", lang="en", as_of="2021")
    page = "\n".join(texts(at)).replace("\\", "")
    assert "worse than 95.6% in 2020" in page
    assert "Moving away" in " ".join(badges(at)) or "Moving away" in page
    assert "District Ecology and Environment Bureau" in page     # 二(二)3 names its lead units
    forest = "\n".join(texts(app("pages/indicator.py", indicator="forest_cover", lang="en"))).replace("\\", "")
    assert "The plan names no lead unit for this goal" in forest
    assert "2022: 65.6%, achieved" in forest                     # the verdict names its year here too


def test_the_overview_lists_the_published_titles_with_years_and_sources(app):
    at = app(lang="en")
    page = "\n".join(re.sub(r"\\(.)", r"\1", text) for text in texts(at))
    assert "Titles held, as published" in page
    assert ("2018 · \"Lucid waters and lush mountains are invaluable assets\" practice-innovation base "
            "(named by the Ministry of Ecology and Environment) — Wulong District") in page
    assert "2023 · National Food Safety Demonstration City (third batch)" in page
