"""Widget values kept in the link (?lang=en&indicator=forest_cover&as_of=2022), so a view can be shared.

Streamlit's own bind="query-params" writes the formatted label into the URL when a widget has a
format_func, so codes are kept in sync here instead. Each page gives its widget a key of its own
(e.g. "indicator.as_of") while the URL parameter ("as_of") is shared, so the year chosen on one page
carries over to the next through the link.
"""
from __future__ import annotations

import streamlit as st


def adopt_from_url(param: str, options: list, cast=str, key: str | None = None) -> None:
    """Before the widget is drawn: take the URL's value when the widget is new or the link changed."""
    key = key or param
    raw = st.query_params.get(param)
    if raw is None or (raw == st.session_state.get(f"_url_{param}") and key in st.session_state):
        return
    try:
        value = cast(raw)
    except ValueError:
        return
    if value in options:
        st.session_state[key] = value
    st.session_state[f"_url_{param}"] = raw


def publish_to_url(param: str, value) -> None:
    """After the widget is drawn: show its value in the URL (written once the page is drawn, see flush)."""
    text = str(value)
    _write(param, text)
    st.session_state[f"_url_{param}"] = text


def _write(param: str, text: str | None) -> None:
    """Into this run's batch when app.py runs the page (it flushes at the end), else into the link now
    (a page file run on its own, as AppTest reruns it after a click, has no app.py to flush)."""
    if st.session_state.get(_BATCH) is not None and st.session_state[_BATCH] is _this_run():
        _pending()[param] = text
    elif text is None:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text


# Every change of st.query_params makes the browser push a history entry, so a page that published
# three values took three presses of Back to leave. The values a run publishes are therefore
# collected and written in one change when the page is drawn (app.py calls flush).
_PENDING = "_url_pending"
_BATCH = "_url_batch"


def batch_this_run() -> None:
    """Called first in app.py: this run's published values wait for flush() at its end."""
    st.session_state[_BATCH] = _this_run()


def _this_run() -> object | None:
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx(suppress_warning=True)
    return None if ctx is None else ctx.cursors


def _pending() -> dict:
    """{param: text, or None to remove} published in this script run."""
    run = _this_run()
    stored = st.session_state.get(_PENDING)
    if stored is None or stored[0] is not run:
        stored = (run, {})
        st.session_state[_PENDING] = stored
    return stored[1]


def current() -> dict[str, str]:
    """The link's parameters as they will be once this run's published values are written."""
    merged = {key: st.query_params.get(key) for key in st.query_params}
    for param, text in _pending().items():
        if text is None:
            merged.pop(param, None)
        else:
            merged[param] = text
    return merged


def flush() -> None:
    """Write this run's published values into the link in one change (one history entry at most)."""
    wanted = current()
    if wanted != {key: st.query_params.get(key) for key in st.query_params}:
        st.query_params.from_dict(wanted)
    _pending().clear()


def adopt_list_from_url(param: str, options: list, key: str) -> None:
    """adopt_from_url for a multiselect: the link holds its codes joined by commas (?group=a,b)."""
    raw = st.query_params.get(param)
    if raw is None or (raw == st.session_state.get(f"_url_{param}") and key in st.session_state):
        return
    st.session_state[key] = [value for value in raw.split(",") if value in options]
    st.session_state[f"_url_{param}"] = raw


def adopt_text_from_url(param: str, key: str, limit: int = 100) -> None:
    """adopt_from_url for free text (a search box): any text, cut at `limit` characters."""
    raw = st.query_params.get(param)
    if raw is None or (raw == st.session_state.get(f"_url_{param}") and key in st.session_state):
        return
    st.session_state[key] = raw[:limit]
    st.session_state[f"_url_{param}"] = raw


def publish_optional_to_url(param: str, value) -> None:
    """publish_to_url for a filter that may be empty: an empty value (None, "", []) leaves the link.

    Lists are joined by commas, as adopt_list_from_url reads them."""
    text = ",".join(map(str, value)) if isinstance(value, (list, tuple)) else ("" if value is None else str(value))
    if not text:
        _write(param, None)
        st.session_state.pop(f"_url_{param}", None)
        return
    publish_to_url(param, text)


OVERVIEW_LINK = "overview.link"


def remember_overview_link() -> None:
    """Called by the overview after its filters are drawn: the link that brings the reader back to them."""
    st.session_state[OVERVIEW_LINK] = current()


def overview_link(lang: str, as_of: int) -> dict:
    """Query parameters of the way back to the overview: its filters as last left, this page's language and year."""
    return {**st.session_state.get(OVERVIEW_LINK, {}), "lang": lang, "as_of": str(as_of)}
