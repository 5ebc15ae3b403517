"""Entry point: language, navigation and the demo-data notice shared by every page."""
import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from twomountains.access import DataChanged
from twomountains.database import ensure_database
from twomountains.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from twomountains.metadata import load_table
from twomountains.paths import ROOT, db_path
from twomountains.ui.entry import app_is_running
from twomountains.ui import page_message, plans_ui
from twomountains.ui.layout import keep_scroll_position
from twomountains.ui.session import language
from twomountains.ui.url_state import adopt_from_url, batch_this_run, flush, publish_to_url

app_is_running()
batch_this_run()
adopt_from_url("lang", list(LANGUAGES))
st.session_state.setdefault("lang", DEFAULT_LANGUAGE)
st.set_page_config(page_title=t("app.title", language()), page_icon=str(ROOT / "assets" / "icon.png"), layout="wide")

if not db_path().exists():
    with st.spinner(t("app.database_missing", language())):
        ensure_database()

# The switch shows each language's own name; the session keeps the code ("lang"), which the link carries.
labels = {code: t(f"lang.{code}", code) for code in LANGUAGES}
codes = {label: code for code, label in labels.items()}
if codes.get(st.session_state.get("lang_choice")) != st.session_state["lang"]:
    st.session_state["lang_choice"] = labels[st.session_state["lang"]]
with st.sidebar:
    st.segmented_control(t("app.language", language()), list(codes), key="lang_choice", required=True,
                         on_change=lambda: st.session_state.update(lang=codes[st.session_state["lang_choice"]]))
lang = language()
publish_to_url("lang", lang)

# The sidebar in four groups (monitor, themes, work, data), in the order of data/pages.csv; no task pages for
# a plan without tasks.
# Streamlit serves the default page at the root only: a link to its own path (/overview, data/pages.csv's url_path)
# would show Streamlit's English "Page not found" before the page. A hidden page answers that path and hands over to
# the default page at once (below), so the sidebar marks it and the link becomes the root's.
def _hands_over():
    """The default page's own path: never drawn, the switch below happens first. A function, not the page's file,
    so a link to the file (st.page_link, AppTest.switch_page) is the default page itself, query parameters and all."""


sections: dict[str, list] = {}
own_paths: dict = {}
for page in load_table("pages").itertuples():
    if not plans_ui.shows_page(page.key):
        continue
    entry = st.Page(page.file, title=t(f"nav.{page.key}", lang), icon=f":material/{page.icon}:",
                    url_path="" if page.default else page.url_path, default=page.default)
    sections.setdefault(t(f"nav.section.{page.section}", lang), []).append(entry)
    if page.default:
        own_paths[entry] = st.Page(_hands_over, title=entry.title, url_path=page.url_path, visibility="hidden")
sections[next(iter(sections))] += list(own_paths.values())
navigation = st.navigation(sections, expanded=True)  # every entry visible, none behind "View more"
for default_page, own_path in own_paths.items():
    if navigation is own_path:
        st.switch_page(default_page, query_params=[(key, value) for key in st.query_params
                                                   for value in st.query_params.get_all(key)])
page_message.note_page(navigation.url_path)  # a page's result message goes when the user leaves the page
st.sidebar.caption(t("app.demo_banner", lang))
try:
    navigation.run()
except DataChanged:
    # An upload committed while this page was being drawn: draw it again, all of it at the new data.
    st.rerun()
except StopException:  # st.stop(): the page is drawn as far as it goes, and its link with it
    flush()
    raise
flush()  # the values the page published, into the link in one change (one entry in the browser's history)
keep_scroll_position()
