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
    assert sum(metrics[:5]) == len(metadata.load_table("indicators"))


def test_target_year_button_switches_to_the_2022_verdict(app):
    at = app()
    at.button[0].click().run()
    assert at.selectbox(key="overview.as_of").value == 2022
    assert at.query_params["as_of"] == "2022"


def card_texts(app_test, lang: str = "zh") -> list[str]:
    """The goal cards' text (one Markdown element per card: name, status, latest value, target)."""
    target = strings(lang)["overview.target"] + ":"
    return [m.value for m in app_test.markdown if m.value.startswith("**") and target in m.value]


def test_status_filter_keeps_only_matching_goals(app):
    at = app(as_of="2022")
    at.multiselect(key="overview.statuses").select("missed").run()
    shown = {text.strip() for card in card_texts(at) for text in re.findall(r"-badge\[:material/[a-z_]+:([^\]]*)\]", card)}
    assert shown == {metadata.load_table("statuses").set_index("code").loc["missed", "name_zh"]}


def test_indicator_page_opens_from_a_shared_link(app):
    at = app("pages/indicator.py", indicator="tourism_revenue", lang="en", as_of="2022")
    assert at.selectbox(key="indicator.code").value == "tourism_revenue"
    assert at.selectbox(key="indicator.as_of").value == 2022
    assert at.title[0].value == "Total tourism revenue"
    assert not any(CJK.search(text) for text in texts(at))
