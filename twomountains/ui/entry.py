"""Every page runs inside app.py, even when the first visitor after a server start opens it by its own URL.

Streamlit keeps the old (v1) multipage mode while a `pages/` folder exists and no session has called
st.navigation yet: a shared link such as /indicator?indicator=forest_cover&lang=en, opened first,
runs pages/indicator.py on its own, without app.py (no language from the link, no database build,
file names in the sidebar), and every later session too until someone opens "/". A page that finds
itself run that way switches the mode off and reruns, which runs app.py and its st.navigation.
"""
from __future__ import annotations

import streamlit as st


def app_is_running() -> None:
    """Call first in app.py: this run goes through st.navigation, so the old mode is over.

    (AppTest switches the old mode back on before every run; without this, the first page check
    would rerun the script and lose the click that started the run.)
    """
    from streamlit.runtime.pages_manager import PagesManager
    PagesManager.uses_pages_directory = False


def run_inside_app() -> None:
    """Call first in a page script: rerun through app.py if Streamlit ran the page file directly."""
    from streamlit.runtime.pages_manager import PagesManager  # no public API says which mode is on
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
