"""The real app under AppTest, on a real copy of the demo database."""
import html
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
    found += [plain_html(element.proto.body) for element in app_test.get("html")]
    return found


_STYLE = re.compile(r"<style>.*?</style>", re.S)
_CARD = re.compile(r'<div class="tm-card tm-card_(\w+)"[^>]*>(.*?)</div>', re.S)


def plain_html(body: str) -> str:
    """An st.html element's text as the reader sees it: paragraphs apart, tags gone, entities resolved."""
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", _STYLE.sub("", body), re.S) or [_STYLE.sub("", body)]
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in paragraphs)


def card_html(app_test) -> dict[str, str]:
    """The overview's goal cards (drawn by st.html, one element per group) as HTML, by goal code, in page order."""
    return {code: inner for element in app_test.get("html") for code, inner in _CARD.findall(element.proto.body)}


def badges(app_test) -> list[str]:
    """Status badges (st.badge renders as Markdown :color-badge[:material/icon: text])."""
    found = []
    for element in app_test.markdown:
        found += [text.strip() for text in re.findall(r"-badge\[(?::material/[a-z_]+:)?([^\]]*)\]", element.value)]
    return found


def overview_cards(app_test) -> dict[str, str]:
    """The overview's cards by goal name, as plain text (Markdown escapes and emphasis removed)."""
    cards = {}
    for inner in card_html(app_test).values():
        plain = plain_html(inner)
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


def test_every_count_on_the_overview_counts_the_same_goals(app):
    """"The plan set N goals", the five counts, "showing n of N goals" and the groups' "k goals" all count goals
    with a target; the context series are counted apart, and say so."""
    at = app(lang="en", as_of="2022")
    catalog = metadata.load_table("indicators")
    goals, context = int((catalog.target_type != "context").sum()), int((catalog.target_type == "context").sum())
    words = strings("en")
    shown = texts(at)
    assert words["verdict.headline"].format(year=2022, goals=goals) in shown
    assert sum(int(m.value) for m in at.metric[:5]) == goals
    showing = words["overview.showing"].format(shown=goals, total=goals)
    assert showing + words["overview.showing_context"].format(shown=context, total=context) in shown
    groups = [int(m.group(1)) for s in at.subheader for m in [re.search(r"· (\d+) goals$", s.value)] if m]
    assert sum(groups) == goals
    # a filter narrows both counts, each of its own kind
    at.text_input(key="overview.search").input("forest").run()
    line = next(text for text in texts(at) if text.startswith("Showing "))
    found = re.match(r"Showing (\d+) of (\d+) goals; and (\d+) of (\d+) context series", line)
    assert found and int(found.group(2)) == goals and int(found.group(4)) == context
    assert 1 <= int(found.group(1)) < goals and int(found.group(3)) <= context


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
    # The source of the value shown: on the card, or once above the cards when most of them share it.
    captions = [re.sub(r"\\(.)", r"\1", c.value) for c in app(lang="en", as_of="2025").caption]
    assert any("CNR: China · Chongqing (Wulong) Green Development Practice Forum opens" in c
               for c in captions + list(cards.values()))
    as_of_2021 = overview_cards(app(lang="en", as_of="2021"))
    assert "as of 2021:" in as_of_2021["Forest coverage"] and "for 2022" in as_of_2021["Forest coverage"]


def test_target_year_button_switches_to_the_2022_verdict(app):
    at = app()
    at.button[0].click().run()
    assert at.selectbox(key="overview.as_of").value == 2022
    assert at.query_params["as_of"] == "2022"


def card_texts(app_test, lang: str = "zh") -> list[str]:
    """The goal cards' HTML (name, status, latest value, target), each with its target line."""
    target = strings(lang)["overview.target"] + ":"
    return [inner for inner in card_html(app_test).values() if target in plain_html(inner)]


def test_status_filter_keeps_only_matching_goals(app):
    at = app(as_of="2022")
    at.multiselect(key="overview.statuses").select("missed").run()
    # The status badge is the card's second paragraph (a quality badge sits inside the value's line).
    shown = {html.unescape(status) for card in card_texts(at)
             for status in re.findall(r'<p><span class="tm-badge"[^>]*>([^<]*)</span></p>', card)}
    assert len(shown) == 1 and all(re.search(r'<p><span class="tm-badge"', card) for card in card_texts(at))
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


def test_a_headline_count_filters_the_cards_and_is_kept_in_the_link(app):
    at = app(as_of="2022")
    at.button(key="overview.bucket.missed").click().run()
    cards = card_texts(at)
    missed = metadata.load_table("statuses").set_index("code").loc["missed", "name_zh"]
    assert cards and all(missed in card for card in cards)
    assert at.query_params["count"] in ("missed", ["missed"])
    at.button(key="overview.bucket.missed").click().run()     # pressed again: every goal
    assert len(card_texts(at)) == len(metadata.load_table("indicators"))
    assert "count" not in at.query_params


def test_search_and_filters_come_from_and_go_to_the_link(app):
    at = app(as_of="2022", q="森林", group="livable_environment", view="table")
    assert at.text_input(key="overview.search").value == "森林"
    assert at.multiselect(key="overview.groups").value == ["livable_environment"]
    table = next(frame.value for frame in at.dataframe if "name" in getattr(frame.value, "data", frame.value).columns)
    names = getattr(table, "data", table).name.tolist()
    assert names and all("森林" in name for name in names)
    at.text_input(key="overview.search").input("no such goal").run()
    assert any(strings("zh")["overview.no_match"] == info.value for info in at.info)
    assert at.query_params["q"] in ("no such goal", ["no such goal"])


def test_what_changed_names_status_changes_and_the_latest_quarter(app):
    at = app(as_of="2022")
    text = "\n".join(m.value for m in at.markdown)
    assert strings("zh")["overview.changed.statuses"] in text
    assert "2022年第4季度" in text
    assert any(strings("zh")["overview.changed.no_upload"] == c.value for c in at.caption)


def test_the_indicator_page_leads_back_to_the_overview_as_it_was_left(app):
    at = app(as_of="2022", q="森林")
    at.switch_page("pages/indicator.py").run()
    links = [link for link in at.get("page_link") if link.proto.label == strings("zh")["indicator.to_overview"]]
    assert links, [link.proto.label for link in at.get("page_link")]
    assert "q=%E6%A3%AE%E6%9E%97" in links[0].proto.query_string and "as_of=2022" in links[0].proto.query_string


def test_tasks_flag_done_but_missed_and_one_task_from_a_link(app):
    at = app("pages/tasks.py", task="t2_3")
    cards = [m.value for m in at.markdown if m.value.startswith("**二")]
    assert len(cards) == 1 and metadata.load_table("tasks").set_index("code").loc["t2_3", "title_zh"] in cards[0]
    assert at.query_params["task"] in ("t2_3", ["t2_3"])
    at.button(key="tasks.focus.clear").click().run()
    cards = [m.value for m in at.markdown if m.value.startswith("**二")]
    assert len(cards) == len(metadata.load_table("tasks"))
    flagged = [c for c in cards if strings("zh")["tasks.flag.badge"] in c]
    assert flagged and all("已完成" in c for c in flagged)
