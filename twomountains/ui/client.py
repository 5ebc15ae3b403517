"""Who is asking, for the login limits (twomountains.ingest.accounts.login): the browser's address.

Behind the reverse proxy of deploy/ (issue 13) Streamlit sees the proxy's address for everyone, so the
address the proxy appends last to X-Forwarded-For is used (the proxy's own view of the client; entries
before it are whatever the client sent). Without a proxy a client can send any X-Forwarded-For: that
only makes it a new "client", and the limit per name from all clients together still holds.
"""
from __future__ import annotations

import streamlit as st


def client_address() -> str:
    try:
        forwarded = st.context.headers.get("X-Forwarded-For")
        address = forwarded.split(",")[-1].strip() if forwarded else st.context.ip_address
    except Exception:   # outside a browser session (bare mode): no address
        address = None
    # Under AppTest the address is a mock object, not text: then there is none.
    return f"web:{address if isinstance(address, str) and address else 'unknown'}"
