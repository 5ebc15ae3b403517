"""The presentation page's parts: cached slides and exports, the slide layouts, the control bar's pieces
(language switch, keys, speaker-notes window) and the CSS that makes a slide fill the screen."""
from __future__ import annotations

import datetime as dt
import html
from urllib.parse import urlencode

import streamlit as st

from twomountains import access
from twomountains.forum import data, live, slides as slide_builder
from twomountains.i18n import LANGUAGES, t
from twomountains.paths import db_path
from twomountains.ui.session import data_version, kept, tr


# Kept (ui.session.kept) like every data-versioned result: the slides and forum data are frozen dataclasses and
# frames nobody writes to, the deck and summary bytes; each session gets them without unpickling a copy.
@kept
def _forum_data(path: str, version: int, as_of: int, plan: str | None = None) -> data.ForumData:
    return data.load(access.database(path).at(version), as_of, plan)


def years() -> list[int]:
    """data.years_available, kept per data version (it was a query in every run of every page)."""
    from twomountains.ui import session
    return session.years()


@kept
def _slides(path: str, version: int, as_of: int, lang: str, forum_date: dt.date | None,
            plan: str | None = None) -> list:
    return slide_builder.build(_forum_data(path, version, as_of, plan), lang, forum_date)


def slides(as_of: int, lang: str, forum_date: dt.date | None = None, plan: str | None = None) -> list:
    return _slides(str(db_path()), data_version(), as_of, lang, forum_date, plan)


@kept
def _deck(path: str, version: int, as_of: int, lang: str, forum_date: dt.date, plan: str | None = None) -> bytes:
    from twomountains.forum import deck  # python-pptx is loaded when a deck is asked for, not by every run
    return deck.build_deck(slide_builder.build(_forum_data(path, version, as_of, plan), lang, forum_date),
                           t("forum.footer", lang))


@kept
def _summary(path: str, version: int, as_of: int, lang: str, plan: str | None = None) -> bytes:
    from twomountains.forum import summary  # Vega's converter likewise
    return summary.summary_pdf(_forum_data(path, version, as_of, plan), lang)


# The two files are made when their button is pressed, after the run: from the data as it is then.
def deck_bytes(as_of: int, lang: str, forum_date: dt.date | None = None, plan: str | None = None) -> bytes:
    return _deck(str(db_path()), access.database(db_path()).version(), as_of, lang, forum_date or dt.date.today(),
                 plan)


def summary_bytes(as_of: int, lang: str, plan: str | None = None) -> bytes:
    return _summary(str(db_path()), access.database(db_path()).version(), as_of, lang, plan)


def forum_date() -> dt.date:
    """The forum's date for the cover: chosen in the settings, kept in the link (?date=2026-11-30), today
    by default."""
    raw = st.query_params.get("date")
    if raw and raw != st.session_state.get("_url_date"):
        try:
            st.session_state["present.forum_date"] = dt.date.fromisoformat(raw)
        except ValueError:
            pass
        st.session_state["_url_date"] = raw
    return st.session_state.setdefault("present.forum_date", dt.date.today())


def talk() -> str:
    """This presentation's id, kept in the link so a reload keeps its notes window following."""
    raw = st.query_params.get("talk")
    if live.valid_talk(raw):
        st.session_state["present.talk"] = raw
    return st.session_state.setdefault("present.talk", live.new_talk())


def notes_link(talk_id: str, lang: str) -> str:
    """The same page in notes mode; relative, so it works under any host name and offline."""
    return "present?" + urlencode({"notes": 1, "talk": talk_id, "lang": lang})


# --- the slide's parts ---------------------------------------------------------------------------------

def _escape(text: str) -> str:
    return html.escape(str(text))


LONG_TITLE = 68  # letters (a Chinese character counts two): a title this long takes two lines at any hall screen


def _width(text: str) -> int:
    return sum(1 if ord(char) < 0x2E80 else 2 for char in text)


def header(slide) -> None:
    """The finding as the slide's title, what is measured under it. A two-line title marks the header
    'long', and the chart's box gives up the second line's height (PRESENT_CSS)."""
    subtitle = f"<p class='slide-subtitle'>{_escape(slide.subtitle)}</p>" if slide.subtitle else ""
    long = " long" if _width(slide.title) > LONG_TITLE else ""
    st.html(f"<div class='slide-header{long}'><h1>{_escape(slide.title)}</h1>{subtitle}</div>")


def _figure(figure, size: str) -> str:
    detail = f"<div class='big-detail'>{_escape(figure.detail)}</div>" if figure.detail else ""
    return (f"<div class='big big-{size}'><div class='big-value' style='color:{_escape(figure.color)}'>"
            f"{_escape(figure.value)}</div><div class='big-label'>{_escape(figure.label)}</div>{detail}</div>")


def headline(slide) -> None:
    """Big numbers: the status counts in a first row, the few key figures with target and year under them."""
    counts = [f for f in slide.figures if not f.detail]
    keys = [f for f in slide.figures if f.detail]
    st.html("<div class='headline'>"
            f"<div class='big-row'>{''.join(_figure(f, 'count') for f in counts)}</div>"
            f"<div class='big-row'>{''.join(_figure(f, 'key') for f in keys)}</div></div>")


def side_panel(slide, dense: bool) -> None:
    """Beside the chart: the slide's big numbers, then its list."""
    figures = "".join(_figure(f, "side") for f in slide.figures)
    items = "".join(f"<li>{_escape(line)}</li>" for line in slide.bullets)
    st.html(f"<div class='side {'side-dense' if dense else ''}'>{figures}<ul>{items}</ul></div>")


def cover(slide) -> None:
    """Cover and closing: the district's name large, the title, the forum and its date."""
    lines = "".join(f"<p class='cover-line'>{_escape(line)}</p>" for line in slide.bullets)
    st.html(f"<div class='cover cover-{slide.kind}'><h1>{_escape(slide.title)}</h1>"
            f"<p class='cover-subtitle'>{_escape(slide.subtitle)}</p>{lines}</div>")


def footer(container, slide, lang: str) -> None:
    """The foot of every slide, small: the demonstration notice, then the slide's sources (a chart carries
    its own at its foot)."""
    parts = [t("forum.footer", lang)] + ([slide.foot] if slide.foot and slide.chart is None else [])
    container.html(f"<div class='slide-footer'>{_escape(' · '.join(parts))}</div>")


# --- the control bar -------------------------------------------------------------------------------------

def language_switch(container, lang: str) -> None:
    """中文 | English on the page itself; the choice goes to the session's language and so into the link."""
    labels = {code: t(f"lang.{code}", code) for code in LANGUAGES}
    codes = {label: code for code, label in labels.items()}
    if codes.get(st.session_state.get("present.lang_choice")) != lang:
        st.session_state["present.lang_choice"] = labels[lang]
    container.segmented_control(
        tr("present.language"), list(codes), key="present.lang_choice", required=True, label_visibility="collapsed",
        on_change=lambda: st.session_state.update(lang=codes[st.session_state["present.lang_choice"]]))


# Page Up / Page Down (a presenter's clicker) press the buttons, as ← and → do through Streamlit's shortcuts.
# Added once per browser tab; not while typing in a field.
_KEYS = """(() => { if (window.__twoMountainsKeys) return; window.__twoMountainsKeys = true;
 document.addEventListener('keydown', (event) => {
   const target = event.target;
   if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
   const which = {PageDown: 'present_next', PageUp: 'present_previous'}[event.key];
   const button = which && document.querySelector(`.st-key-${which} button`);
   if (!button) return;
   event.preventDefault();
   if (!button.disabled) button.click();
 }, true); })();"""


# The window's height, told to the server: the chart's lettering is drawn for it (plotly sizes text in px
# and Streamlit's plotly element measures itself, so CSS zoom or a font-size in vh would leave the figure's
# margins and label boxes at the old sizes). Sent when it differs from the height the server knows, so a run
# with the right height sends nothing; again after a resize.
_VIEWPORT_JS = """export default function({ data, setStateValue }) {
  const send = () => { const height = Math.round(window.innerHeight);
    if (height > 0 && height !== data) setStateValue('height', height); };
  send();
  let timer;
  const resized = () => { clearTimeout(timer); timer = setTimeout(send, 300); };
  window.addEventListener('resize', resized);
  return () => { clearTimeout(timer); window.removeEventListener('resize', resized); };
}"""
_viewport = st.components.v2.component("twomountains.viewport", js=_VIEWPORT_JS)
BASE_HEIGHT = 720  # px: the window the charts' own sizes are made for (1280x720)
MAX_CHART_SCALE = 1.6


def chart_scale() -> float:
    """How much larger than at 1280x720 the chart's lettering is drawn: the window's height over 720 (1.5 at
    1920x1080), as the slide's text grows; 1 until the page has told its height."""
    known = st.session_state.get("present.viewport_height")
    result = _viewport(key="present_viewport", data=known, default={"height": known},
                       on_height_change=lambda: None, height=0)
    height = result.height if isinstance(getattr(result, "height", None), (int, float)) else known
    if height and height != known:
        st.session_state["present.viewport_height"] = int(height)
    return min(max((height or BASE_HEIGHT) / BASE_HEIGHT, 1.0), MAX_CHART_SCALE)


def keys() -> None:
    st.html(f"<script>{_KEYS}</script>", unsafe_allow_javascript=True)


def notes_window(lang: str) -> None:
    """The speaker notes of the slide the presentation shows, following it: the presenter's page records its
    slide in the server's memory (forum.live) and this view reads it every second."""
    talk_id = st.query_params.get("talk")
    st.html(NOTES_CSS)

    @st.fragment(run_every=1.0)
    def follow() -> None:
        shown = live.shown(talk_id) if live.valid_talk(talk_id) else None
        if shown is None:
            st.info(tr("present.notes_waiting"))
            return
        deck_slides = slides(shown.as_of, lang, dt.date.fromisoformat(shown.forum_date), shown.plan)
        number = min(shown.slide, len(deck_slides))
        slide = deck_slides[number - 1]
        st.caption(tr("present.notes_title"))
        st.subheader(tr("present.notes_slide", n=number, total=len(deck_slides), title=slide.title))
        following = deck_slides[number] if number < len(deck_slides) else None
        st.caption(tr("present.notes_next", title=following.title) if following else tr("present.notes_end"))
        st.container(key="notes_text").text(slide.notes)

    follow()


NOTES_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], header {display: none !important;}
.st-key-notes_text [data-testid='stText'] {font-size: 1.35rem; line-height: 1.5; white-space: pre-wrap;}
</style>"""


# The presentation fills the screen: no sidebar or header, type sized by the screen's height (vh, within
# bounds; growing faster than the height, so 1280x720 keeps its sizes and 1920x1080 reads larger) so a
# slide, its title and the controls fit 1280x720 and read large at 1920x1080; long lists in two columns.
# (CSS zoom would scale the whole slide, but plotly then measures itself zoomed twice.)
# The control bar is Streamlit's bottom container, fixed at the foot of the window. The chart's box is as tall
# as the window leaves under the title (about 9.5vh - 16px) and above the bar (462 px at 720, 787 at 1080).
# Streamlit gives the element the figure's pixel height as its flex basis and height, so the basis and the
# heights of the element, its frame and the chart are all set here; Streamlit's plotly element measures its box
# and draws the figure at that height. Not the "stretch" height: in a column the element then has no height
# to measure and stays hidden.
PRESENT_CSS = """<style>
[data-testid='stSidebar'], [data-testid='stSidebarCollapsedControl'], header {display: none !important;}
.block-container {padding-top: 0.8rem !important; padding-bottom: 0 !important; max-width: 100%;}
[data-testid='stBottomBlockContainer'] {padding: 0.3rem 5rem 0.2rem !important; max-width: 100%;}
.slide-header h1 {font-size: clamp(1.5rem, calc(5.2vh - 9px), 3.1rem); font-weight: 700; line-height: 1.18;
  margin: 0; padding: 0; color: #1a1a1a;}
.slide-subtitle {font-size: clamp(0.95rem, calc(2.6vh - 4px), 1.6rem); color: #5a5a5a; margin: 0.25em 0 0;}
.side {display: flex; flex-direction: column; gap: 0.4rem;}
.side ul {margin: 0.3rem 0 0 0; padding-left: 1.2em;}
.side li {font-size: clamp(1rem, calc(3.4vh - 7px), 2.2rem); line-height: 1.35; margin-bottom: 0.25em;}
.side-dense ul {columns: 2; column-gap: 2rem;}
.side-dense li {break-inside: avoid; font-size: clamp(0.85rem, calc(3.5vh - 9px), 1.8rem); line-height: 1.26;}
.big {margin: 0.2rem 0 0.6rem;}
.big-value {font-weight: 700; line-height: 1.05; font-variant-numeric: tabular-nums;}
.big-label {color: #333; line-height: 1.25;}
.big-detail {color: #666; line-height: 1.25;}
.big-side .big-value {font-size: clamp(2rem, calc(8vh - 14px), 5.4rem);}
.big-side .big-label {font-size: clamp(0.95rem, calc(2.8vh - 5px), 1.8rem);}
.big-side .big-detail {font-size: clamp(0.85rem, calc(2.3vh - 4px), 1.5rem);}
.headline {display: flex; flex-direction: column; justify-content: space-evenly; height: calc(100vh - 200px - 9.5vh);
  min-height: 360px;}  /* the window less the header (about 9.5vh - 16px) and the bar */
.big-row {display: grid; grid-template-columns: repeat(auto-fit, minmax(0, 1fr)); gap: 2.5rem;}
.big-count .big-value {font-size: clamp(3.5rem, calc(17vh - 30px), 11rem);}
.big-count .big-label {font-size: clamp(1.05rem, calc(3.2vh - 6px), 2rem);}
.big-key {border-top: 3px solid #ddd; padding-top: 0.6rem;}
.big-key .big-value {font-size: clamp(2rem, calc(8vh - 14px), 5.4rem);}
.big-key .big-label {font-size: clamp(1rem, calc(3vh - 6px), 1.9rem); font-weight: 600;}
.big-key .big-detail {font-size: clamp(0.9rem, calc(2.6vh - 5px), 1.6rem);}
.cover {display: flex; flex-direction: column; justify-content: center; height: calc(100vh - 150px); padding-left: 4vw;
  border-left: 1.2rem solid #009E73;}
.cover h1 {font-size: clamp(2.6rem, calc(11vh - 20px), 7rem); font-weight: 800; margin: 0; padding: 0; line-height: 1.1;}
.cover-subtitle {font-size: clamp(1.5rem, calc(5.5vh - 8px), 3.6rem); margin: 0.4em 0 0.8em; color: #1a1a1a;}
.cover-line {font-size: clamp(1.1rem, calc(3.4vh - 6px), 2.2rem); color: #4a4a4a; margin: 0.15em 0;}
.st-key-slide_chart {--slide-chart-height: clamp(300px, calc(100vh - 190px - 9.5vh), 1400px);}
[data-testid='stMain']:has(.slide-header.long) .st-key-slide_chart {
  --slide-chart-height: clamp(280px, calc(100vh - 190px - 9.5vh - 5.2vh), 1400px);}
.st-key-slide_chart [data-testid='stElementContainer'] {flex: 0 0 var(--slide-chart-height) !important;}
.st-key-slide_chart :is([data-testid='stElementContainer'], [data-testid='stFullScreenFrame'], [data-testid='stPlotlyChart']) {height: var(--slide-chart-height) !important;}
.st-key-slide_counter p {text-align: center; font-size: clamp(1rem, 2.2vh, 1.3rem); margin: 0 !important;}
.st-key-slide_counter [data-testid='stMarkdownContainer'] {margin-bottom: 0 !important;}
.st-key-present_bar {gap: 0.2rem; border-top: 1px solid #ddd; padding-top: 0.3rem;}
.slide-footer {font-size: 0.74rem; line-height: 1.3; height: 2.6em; overflow: hidden; color: #666;}  /* two lines on every slide: the bar never moves */
[data-testid='stBottom'], [data-testid='stBottom'] * {flex-shrink: 0;}
[data-testid='stPopoverBody'] .stMarkdown p {font-size: 1rem;}
.st-key-present_viewport {display: none !important;}
@media (max-width: 640px) {  /* a phone: the cover's title sized by the width (it broke every three characters) */
  .cover {height: auto; min-height: 60vh; padding-left: 5vw; border-left-width: 0.6rem;}
  .cover h1 {font-size: clamp(1.8rem, 10vw, 2.6rem);}
  .cover-subtitle {font-size: clamp(1.05rem, 4.6vw, 1.6rem);}
  .cover h1, .cover-subtitle {text-wrap: balance;}  /* no single character left alone on a line */
  .cover-line {font-size: 1rem;}
}
</style>"""


def scroll_to_top(slide: int) -> None:
    """Scroll the page back to the top when the slide changes: the script is part of the element's body,
    which changes with the slide number, so it runs once per slide and not on other reruns."""
    script = ("(() => { const top = () => { const main = document.querySelector('[data-testid=\"stMain\"]');"
              " if (main) main.scrollTo({top: 0}); window.scrollTo(0, 0); };"
              " top(); requestAnimationFrame(top); [100, 400, 1000].forEach(ms => setTimeout(top, ms)); })();")
    st.html(f"<script>/* slide {int(slide)} */ {script}</script>", unsafe_allow_javascript=True)
