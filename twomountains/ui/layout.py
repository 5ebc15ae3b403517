"""Page-wide styles Streamlit has no option for: the print view and the phone's two-column counts."""
from __future__ import annotations

import html

import streamlit as st

# Lists of links wrap their long names instead of cutting them (a goal's status comes after its name).
_WRAP_LINKS = """<style>
.st-key-overview_attention [data-testid="stPageLink"] * { white-space: normal !important; text-overflow: clip !important;
  overflow: visible !important; }
</style>"""
# Printing (Ctrl+P): no sidebar, header, buttons or filters; Streamlit's scrolling containers let the
# content run over pages instead of cutting it at the window's height; a card never splits over two pages.
_PRINT = """<style>
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  .stButton, .stDownloadButton, [data-testid="stPopover"], [data-testid="stPageLink"],
  .stSelectbox, .stMultiSelect, .stTextInput, .stSegmentedControl, .stPills, .no-print,
  [data-testid="stElementToolbar"] { display: none !important; }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"],
  [data-testid="stMainBlockContainer"] { height: auto !important; overflow: visible !important;
    position: static !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 !important; max-width: none !important; }
  [data-testid="stMain"] { margin-left: 0 !important; }
  [data-testid="stVerticalBlockBorderWrapper"], .stElementContainer { break-inside: avoid; }
  h1, h2, h3 { break-after: avoid; }
}
</style>"""


def print_view() -> None:
    """Make the page print cleanly (one call per page that leaders print)."""
    st.html(_PRINT + _WRAP_LINKS)


# Back returns where the reader was: Streamlit draws a page anew when Back is pressed, at the top. The
# position the reader scrolled to is kept per link (path and query) in the tab's sessionStorage and put
# back once the page is tall enough again: when the page's run ends and when Back or Forward changes the link
# (the listener does not depend on Streamlit running this element again). Only scrolling the reader did is
# kept: Streamlit's own re-rendering moves the page too, and would overwrite it; a press on a link or button
# keeps the place at that moment and stops keeping for a while, as the page is about to be replaced.
# A constant script: nothing from data in it.
_KEEP_SCROLL = """<script>
(() => {
  const key = () => "twomountains-scroll:" + location.pathname + location.search;
  const main = () => document.querySelector('[data-testid="stMain"]');
  const restore = () => {
    const saved = Number(sessionStorage.getItem(key()) || 0);
    if (!(saved > 0)) return;
    const wanted = key(), started = Date.now(), since = window.__twomountainsInput || 0;
    const step = () => {
      const scroller = main();
      if (key() !== wanted || (window.__twomountainsInput || 0) > since) return;  // moved on, or reading
      if (scroller && scroller.scrollHeight - scroller.clientHeight >= saved) scroller.scrollTop = saved;
      // Held for a while: Streamlit may still replace the stale page's elements and move it.
      if (Date.now() - started < 2500) setTimeout(step, 100);
    };
    step();
  };
  if (!window.__twomountainsScroll) {
    window.__twomountainsScroll = true;
    let lastInput = 0, leaving = 0;
    for (const kind of ["wheel", "touchmove", "keydown", "mousedown"]) {
      window.addEventListener(kind, (event) => {
        const scroller = main();
        if (kind === "mousedown" && event.target.closest && event.target.closest("a, button")) {
          if (scroller) sessionStorage.setItem(key(), String(Math.round(scroller.scrollTop)));
          leaving = Date.now();
          return;
        }
        lastInput = Date.now();
        window.__twomountainsInput = lastInput;
      }, {capture: true, passive: true});
    }
    document.addEventListener("scroll", (event) => {
      const scroller = main();
      if (scroller && event.target === scroller && Date.now() - lastInput < 1500 && Date.now() - leaving > 3000) {
        sessionStorage.setItem(key(), String(Math.round(scroller.scrollTop)));
      }
    }, true);
    window.addEventListener("popstate", () => setTimeout(restore, 50));
  }
  restore();
})();
</script>"""


def keep_scroll_position() -> None:
    """Call at the end of every page (app.py): Back returns to the place the reader left."""
    st.html(_KEEP_SCROLL, unsafe_allow_javascript=True)


# On a phone (Streamlit's narrow layout, below 640 px) a grid wider than the screen scrolls sideways in its own
# box instead of pushing the whole page sideways, and a hint above it, shown there only, says so.
_HINT = """<style>
.tm-sideways-hint {display: none;}
@media (max-width: 640px) {
  .tm-sideways-hint {display: block; margin: 0; font-size: 0.875rem; color: rgba(49, 51, 63, 0.7);}
}
</style>"""
_SIDEWAYS = _HINT + """<style>
@media (max-width: 640px) { [class*='st-key-sideways_'] [data-testid='stFullScreenFrame'] {overflow-x: auto;} }
</style>"""


def sideways_on_phone(key: str, hint: str):
    """A container whose wide chart or table scrolls sideways on a phone, under `hint` (shown on a phone only)."""
    box = st.container(key=f"sideways_{key}")
    box.html(f'{_SIDEWAYS}<p class="tm-sideways-hint">{html.escape(hint)}</p>')
    return box


def hinted_on_phone(key: str, hint: str):
    """A container for a table that scrolls sideways by itself (st.dataframe's grid, st.table's box), under `hint`
    (shown on a phone only). Not sideways_on_phone: its scrolling frame would clip a data frame's toolbar (search,
    download, full screen), which Streamlit draws above the frame."""
    box = st.container(key=f"hinted_{key}")
    box.html(f'{_HINT}<p class="tm-sideways-hint">{html.escape(hint)}</p>')
    return box


# One view for a desk and another for a phone (Streamlit's narrow layout, below 640 px), both sent, each shown on
# its own screen only: where one table cannot serve both (the monthly grid's six months beside long unit names).
_DESK_OR_PHONE = """<style>
@media (max-width: 640px) { [class*='st-key-desk_'] {display: none !important;} }
@media (min-width: 641px) { [class*='st-key-phone_'] {display: none !important;} }
</style>"""


def on_desk(key: str):
    """A container shown on a desk (wider than 640 px) only."""
    box = st.container(key=f"desk_{key}")
    box.html(_DESK_OR_PHONE)
    return box


def on_phone(key: str):
    """A container shown on a phone (640 px wide or less) only."""
    box = st.container(key=f"phone_{key}")
    box.html(_DESK_OR_PHONE)
    return box
