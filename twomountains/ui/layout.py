"""Page-wide styles Streamlit has no option for: the print view and the phone's two-column counts."""
from __future__ import annotations

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
