"""Text from a link, a file or the database stays text on every page (issue 15, items 2 and 3).

Every page of data/pages.csv runs in the real app (AppTest) with a hostile value in every query parameter
the dashboard reads, on a database whose uploadable texts (catalog names, sources, notes, task reports,
point names) are hostile too. No Markdown field of any element may then carry a live link, autolink,
image, bold text or HTML from them, and no plotly figure raw HTML. (What the browser does with the
escaped text is checked in tests/browser/test_hostile_text_browser.py.)
"""
from __future__ import annotations

import base64
import json
import re

import duckdb
import pandas as pd
import pytest
from google.protobuf.json_format import MessageToDict

from twomountains.paths import ROOT
from twomountains.text import html_text, markdown_text, plotly_text, terminal_text, vega_expression_string

PAGES = pd.read_csv(ROOT / "data" / "pages.csv")
# Every query parameter the app and its pages read: found in their source, so a new one is covered too.
_SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "twomountains" / "ui").glob("*.py"))]
PARAMETERS = sorted({name for path in _SOURCES for name in re.findall(
    r"(?:adopt_from_url\(|query_params\.get\(|query_params\[)\s*\"(\w+)\"", path.read_text(encoding="utf-8"))})
LINK_PAYLOAD = ("x\n\n**Session expired.** [Log in again](http://evil.example/login) "
                "![logo](http://evil.example/logo.png) <img src=http://evil.example/i.png> www.evil.example")
NAME_ZH = '=HYPERLINK("http://evil.example","空气")'
NAME_EN = '<a href="http://evil.example/a">Air</a> **bold** [x](https://evil.example) www.evil.example'
# What a Markdown text may not contain once escaped (each would render as a link, image, bold or HTML).
LIVE = ("http://evil", "https://evil", "www.evil", "![", "<a ", "<img", "**Session", "**bold", "\n\n**")
# A Markdown link to anywhere but one of the dashboard's own pages (the pages link goals and tasks to theirs
# with relative links, "](indicator?…"): a scheme or another host; an escaped "\]\(" in a name is text.
OUTSIDE_LINK = re.compile(r"\]\((?:[A-Za-z][A-Za-z0-9+.-]*:|//|\s*<)")
# st.html shows its body as HTML: names arrive there escaped (&lt;a …), so only a raw tag would be live.
# (The presentation's own key script is the page's, not data's.)
RAW_HTML = ("<a ", "<img", "<iframe")
# The overview's goal cards (st.html) hold the page's own tags: a link to the indicator page (relative, its
# query urlencoded) and the trend as a base64 SVG image (itself checked for raw tags): any other is live.
OWN_TAGS = re.compile(r'<a href="indicator\?[^"<>]*" target="_self">|<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]*)" alt="[^"<>]*">')


def raw_html_tags(body: str) -> bool:
    """Whether an st.html body has a live tag that is not one of the page's own (OWN_TAGS)."""
    images = [base64.b64decode(encoded).decode("utf-8") for encoded in OWN_TAGS.findall(body) if encoded]
    return (any(tag in OWN_TAGS.sub("", body).lower() for tag in RAW_HTML)
            or any(tag in image.lower() for image in images for tag in RAW_HTML + ("<script", "<foreignobject")))
AUTOLINKS = ("http://evil", "https://evil", "www.evil", "@evil")
MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption", "placeholder"}


def hostile_database(path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE indicators SET name_zh = ? || code, name_en = ? || code", [NAME_ZH, NAME_EN])
        con.execute("UPDATE observations SET source = ?, note = ?", [NAME_EN, LINK_PAYLOAD])
        con.execute("UPDATE rural_tourism_points SET name_zh = ?, name_en = ?", [NAME_ZH, NAME_EN])
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "task_reports" in tables:
            columns = {r[0] for r in con.execute("DESCRIBE task_reports").fetchall()}
            texts = [c for c in columns if c.startswith(("done", "problems", "next_step"))]
            con.execute("UPDATE task_reports SET " + ", ".join(f"{c} = ?" for c in texts), [LINK_PAYLOAD] * len(texts))
        con.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS VARCHAR) WHERE key = 'data_version'")


def _strings(node, key=None):
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _strings(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value, key)
    elif isinstance(node, str):
        yield key, node


def _elements(node):
    """(element type, its fields as a dict) of every element and block under `node`."""
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield getattr(node, "type", ""), MessageToDict(proto)
    for child in getattr(node, "children", {}).values():
        yield from _elements(child)


PLAIN = {"text", "arrow_vega_lite_chart", "code"}   # drawn as text: st.text, Vega (expressions checked apart)


def live_text(at) -> list[str]:
    """Markdown fields and plotly specs that would show a payload as a link, image, bold text or HTML."""
    found = []
    for kind, content in _elements(at._tree):
        if kind in PLAIN or "vega" in kind:
            continue
        if "spec" in content and "plotly" in kind:
            spec = content["spec"]
            found += [spec[max(spec.find(tag) - 40, 0):spec.find(tag) + 60] for tag in ("<a ", "<b>bold", "<img")
                      if tag in spec]
            continue
        for key, text in _strings(content):
            if kind == "html":
                if key == "body" and raw_html_tags(text):
                    found.append(f"{kind} {key}: {text[:200]}")
                continue
            unescaped = re.sub(r"\\.", "·", text)    # what Markdown reads as syntax: escaped characters are not
            shown = text.replace("\\", "")             # GFM finds autolinks after the escapes are resolved
            if key in MARKDOWN_FIELDS and (any(marker in unescaped for marker in LIVE) or OUTSIDE_LINK.search(unescaped)
                                           or any(link in shown for link in AUTOLINKS)):
                found.append(f"{kind} {key}: {text[:200]}")
    return found


@pytest.mark.parametrize("page", PAGES.file.tolist())
def test_hostile_links_and_names_show_as_text_on_every_page(app, demo_db, page):
    hostile_database(demo_db)
    at = app(None, **{name: f"{name}-{LINK_PAYLOAD}" for name in PARAMETERS})
    at.switch_page(str(ROOT / page)).run()
    assert not at.exception, at.exception
    assert live_text(at) == []


def test_the_indicator_page_names_the_unknown_code_as_text(app):
    at = app("pages/indicator.py", indicator=LINK_PAYLOAD)
    [warning] = at.warning
    assert "Session expired" in warning.value and "](" not in warning.value and "\n" not in warning.value


def test_hostile_names_in_english_on_the_indicator_page(app, demo_db):
    hostile_database(demo_db)
    assert live_text(app("pages/indicator.py", lang="en")) == []


def test_hostile_names_in_every_slide_chart(app, demo_db):
    """plotly reads <a href>, <b> and <br> in titles, legends and categories: names arrive as text."""
    hostile_database(demo_db)
    at = app("pages/present.py", lang="en")
    charts = 0
    for slide in range(1, 12):
        at = app("pages/present.py", lang="en", slide=str(slide))
        charts += len(at.get("plotly_chart"))
        assert live_text(at) == [], slide
    assert charts >= 3


def test_every_known_parameter_is_sent():
    assert {"lang", "indicator", "as_of", "region", "slide", "half", "unit"} <= set(PARAMETERS)


def test_markdown_text_leaves_no_markdown_and_no_autolink():
    shown = markdown_text(NAME_ZH + " " + NAME_EN + " mail ana@evil.example\n\n===")
    for marker in LIVE + ("\n",):      # no line break: "===" cannot underline a heading
        assert marker not in re.sub(r"\\.", "·", shown), marker
    for autolink in AUTOLINKS:
        assert autolink not in shown.replace("\\", ""), autolink
    assert shown.replace("\\", "").replace("\u2060", "") == (
        NAME_ZH + " " + NAME_EN + " mail ana@evil.example ===")


def test_plotly_vega_and_terminal_escapes():
    assert plotly_text(NAME_EN).startswith("&lt;a href=") and "<" not in plotly_text(NAME_EN)
    assert json.loads(vega_expression_string("it's \"done\"")) == "it's \"done\""
    assert terminal_text("ok\x1b]0;owned\x07\r\u202eX") == "ok\\u001b]0;owned\\u0007\\u000d\\u202eX"
    assert json.loads(terminal_text(json.dumps({"note": "a\x9b2Jb"}, ensure_ascii=False))) == {"note": "a\x9b2Jb"}


def test_html_text_and_the_overview_cards_own_tags():
    assert html_text(NAME_EN).startswith("&lt;a href=&quot;http") and "<" not in html_text(NAME_EN)
    assert html_text('"x"\n<y>') == "&quot;x&quot; &lt;y&gt;"
    assert not raw_html_tags('<a href="indicator?indicator=a&amp;lang=en" target="_self">Details</a>')
    assert raw_html_tags('<a href="http://evil.example/a">Air</a>')
    assert raw_html_tags('<a href="indicator?x" target="_self">ok</a><img src=http://evil.example/i.png>')
    hostile_svg = base64.b64encode(b'<svg><a href="http://evil.example"><text>x</text></a></svg>').decode()
    assert raw_html_tags(f'<img src="data:image/svg+xml;base64,{hostile_svg}" alt="x">')
