"""The analysts' login, one form for every page that writes (the upload page, monthly reporting).

Accounts are twomountains.ingest.accounts' (salted hashes, limited and logged attempts). The user who logged in
is kept in the session under USER_KEY, so logging in on one of those pages is enough for all of them.
"""
from __future__ import annotations

from datetime import timezone

import streamlit as st

from twomountains.ingest import accounts
from twomountains.ui.client import client_address
from twomountains.ui.session import tr

USER_KEY = "upload.user"


def user() -> dict | None:
    """The logged-in user ({"name", "role"}), or None."""
    return st.session_state.get(USER_KEY)


def log_out() -> None:
    st.session_state.pop(USER_KEY, None)


def form(key: str) -> None:
    """The login form (its widgets' keys start with `key`). A login that succeeds keeps the user and runs the
    page again; one refused says why (a locked name says until when)."""
    with st.form(key):
        name = st.text_input(tr("upload.login.name"), key=f"{key}.name")
        password = st.text_input(tr("upload.login.password"), type="password", key=f"{key}.password")
        submitted = st.form_submit_button(tr("upload.login.submit"), type="primary")
    if not submitted:
        return
    result = accounts.login(name, password, client=client_address())
    if result.account:
        st.session_state[USER_KEY] = {"name": result.account.name, "role": result.account.role}
        st.rerun()
    elif result.reason == "locked":
        st.error(tr("upload.login.locked",
                    time=result.retry_after.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M")))
    else:
        st.error(tr("upload.login.failed"))
