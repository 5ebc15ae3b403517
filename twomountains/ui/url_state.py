"""Widget values kept in the link (?lang=en&indicator=forest_cover&as_of=2022), so a view can be shared.

Streamlit's own bind="query-params" writes the formatted label into the URL when a widget has a
format_func, so codes are kept in sync here instead.
"""
from __future__ import annotations

import streamlit as st


def adopt_from_url(key: str, options: list, cast=str) -> None:
    """Before the widget is drawn: take the URL's value if it is new (a shared link, a page link)."""
    raw = st.query_params.get(key)
    if raw is None or raw == st.session_state.get(f"_url_{key}"):
        return
    try:
        value = cast(raw)
    except ValueError:
        return
    if value in options:
        st.session_state[key] = value
    st.session_state[f"_url_{key}"] = raw


def publish_to_url(key: str, value) -> None:
    """After the widget is drawn: show its value in the URL."""
    text = str(value)
    if st.query_params.get(key) != text:
        st.query_params[key] = text
    st.session_state[f"_url_{key}"] = text
