"""Cached forum slides and exports for the presentation page."""
from __future__ import annotations

import streamlit as st

from twomountains import access
from twomountains.forum import data, deck, slides as slide_builder, summary
from twomountains.paths import db_path
from twomountains.ui.session import data_version


@st.cache_data(show_spinner=False)
def _forum_data(path: str, version: int, as_of: int, plan: str | None = None) -> data.ForumData:
    return data.load(access.database(path).at(version), as_of, plan)


def years() -> list[int]:
    return data.years_available(access.database(db_path()).at(data_version()))


def slides(as_of: int, lang: str, plan: str | None = None) -> list:
    return slide_builder.build(_forum_data(str(db_path()), data_version(), as_of, plan), lang)


@st.cache_data(show_spinner=False)
def _deck(path: str, version: int, as_of: int, lang: str, plan: str | None = None) -> bytes:
    return deck.build_deck(slide_builder.build(_forum_data(path, version, as_of, plan), lang))


@st.cache_data(show_spinner=False)
def _summary(path: str, version: int, as_of: int, lang: str, plan: str | None = None) -> bytes:
    return summary.summary_pdf(_forum_data(path, version, as_of, plan), lang)


# The two files are made when their button is pressed, after the run: from the data as it is then.
def deck_bytes(as_of: int, lang: str, plan: str | None = None) -> bytes:
    return _deck(str(db_path()), access.database(db_path()).version(), as_of, lang, plan)


def summary_bytes(as_of: int, lang: str, plan: str | None = None) -> bytes:
    return _summary(str(db_path()), access.database(db_path()).version(), as_of, lang, plan)


# The presentation fills the screen: no sidebar or header, type sized by the screen's height (vh, within
# bounds; growing faster than the height, so 1280x720 keeps its sizes and 1920x1080 reads larger) so a
# slide, its title and the controls fit 1280x720 and read large at 1920x1080; long lists of goals in two
# columns. (CSS zoom would scale the whole slide, but plotly then measures itself zoomed twice.)
# The chart's box is as tall as the window leaves under the title and above the controls (95vh less 150 px:
# 534 px at 720, 580 at 768, 876 at 1080). Streamlit gives the element the figure's pixel height as its flex
# basis and height, so the basis and the heights of the element, its frame and the chart are all set here;
# Streamlit's plotly element measures its box and draws the figure at that height (plotly's `responsive`
# would not help: the element passes plotly an explicit width and height). Not the "stretch" height: in a
# column the element then has no height to measure and stays hidden.
PRESENT_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], header {display: none !important;}
.block-container {padding-top: 1rem !important; padding-bottom: 0.5rem !important; max-width: 100%;}
.stMarkdown p, .stMarkdown li {font-size: clamp(1rem, calc(4vh - 9.4px), 2.6rem); line-height: 1.4;}
.stMarkdown li {margin-bottom: 0.2em;}
h1 {font-size: clamp(1.4rem, calc(5vh - 10px), 3rem) !important; padding-top: 0 !important; padding-bottom: 0.3rem !important;}
h3 {font-size: clamp(1.1rem, calc(3.6vh - 7.5px), 2.2rem) !important;}
.st-key-slide_text_dense ul {columns: 2; column-gap: 2.2rem;}
.st-key-slide_text_dense li {break-inside: avoid; font-size: clamp(0.85rem, calc(3.3vh - 8px), 1.9rem); line-height: 1.3;}
.st-key-slide_chart {--slide-chart-height: clamp(360px, calc(95vh - 150px), 1400px);}
.st-key-slide_chart [data-testid='stElementContainer'] {flex: 0 0 var(--slide-chart-height) !important;}
.st-key-slide_chart :is([data-testid='stElementContainer'], [data-testid='stFullScreenFrame'], [data-testid='stPlotlyChart']) {height: var(--slide-chart-height) !important;}
.st-key-slide_counter p {text-align: center; font-size: clamp(1rem, 2.2vh, 1.3rem); margin: 0 !important;}
.st-key-slide_counter [data-testid='stMarkdownContainer'] {margin-bottom: 0 !important;}
hr {margin: 0.4rem 0 !important;}
[data-testid='stPopoverBody'] .stMarkdown p {font-size: 1rem;}
</style>"""


def scroll_to_top(slide: int) -> None:
    """Scroll the page back to the top when the slide changes: the script is part of the element's body,
    which changes with the slide number, so it runs once per slide and not on other reruns."""
    script = ("(() => { const top = () => { const main = document.querySelector('[data-testid=\"stMain\"]');"
              " if (main) main.scrollTo({top: 0}); window.scrollTo(0, 0); };"
              " top(); requestAnimationFrame(top); [100, 400, 1000].forEach(ms => setTimeout(top, ms)); })();")
    st.html(f"<script>/* slide {int(slide)} */ {script}</script>", unsafe_allow_javascript=True)
