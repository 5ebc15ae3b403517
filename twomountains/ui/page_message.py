"""A page's result message ("已提交：第 N 号上传", a refusal, a rollback done) that stays until the user's next
action on that page.

An action's outcome is said once, but the page may run again without the user doing anything (a
websocket reconnect, a commit elsewhere moving the data version, the rerun after a dialog): a message that
the first run after it took away was lost. So the message is kept with what the page showed when it was
said (the files in its uploaders, its options: the session values of the widgets `watched` names) and is
shown on every run until one of those changes (a new file, a changed option), the page says a new one (a
new commit or rollback), or the user leaves the page (app.py notes the page of every run: `note_page`).

Each page makes its own `Channel` from the keys it gives its widgets (pages/upload.py, pages/reporting.py), so
a widget's key is written once, where the widget is made.
"""
from __future__ import annotations

import streamlit as st

_CURRENT, _VISIT = "page.current", "page.visit"
# The reader's language (app.py keeps it under this key): every message also stays with it, since a message in
# the other language would make a mixed-language screen.
_LANGUAGE = "lang"


def note_page(name: str) -> None:
    """Called by app.py on every run, before the page: a run on another page than the last starts a new visit."""
    if st.session_state.get(_CURRENT) != name:
        st.session_state[_VISIT] = st.session_state.get(_VISIT, 0) + 1
        st.session_state[_CURRENT] = name


def _identity(value):
    """A widget's value as something to compare: an uploaded file by its upload (file_id), else the value."""
    file_id = getattr(value, "file_id", None)
    return file_id if file_id is not None else value


def _context(watched: tuple[str, ...]) -> tuple:
    return tuple(_identity(st.session_state.get(key)) for key in watched)


def say(key: str, kind: str, text: str, watched: tuple[str, ...]) -> None:
    """Keep `text` (shown as st.<kind>: success, error, ...) under `key` with what the page shows now."""
    st.session_state[key] = {"kind": kind, "text": text, "context": _context(watched),
                             "visit": st.session_state.get(_VISIT)}


def show(key: str, watched: tuple[str, ...]) -> None:
    """Show the kept message, unless the user has since left the page or changed what `watched` names."""
    message = st.session_state.get(key)
    if message is None:
        return
    # Leaving the page: a new visit (app.py); the page's widgets' values are also gone by then (Streamlit drops
    # the state of widgets a run does not draw), which the context sees where app.py does not run first.
    left = st.session_state.get(_VISIT) != message["visit"]
    if left or _context(watched) != message["context"]:
        st.session_state.pop(key, None)
        return
    getattr(st, message["kind"])(message["text"])


class Channel:
    """One page's message: its session key and the widgets it stays with (the keys the page gave its uploaders
    and options), besides the language."""

    def __init__(self, key: str, watched: tuple[str, ...]):
        self.key, self.watched = key, (_LANGUAGE, *watched)

    def say(self, kind: str, text: str) -> None:
        say(self.key, kind, text, self.watched)

    def show(self) -> None:
        show(self.key, self.watched)
