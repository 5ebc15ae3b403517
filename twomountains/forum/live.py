"""Which slide each running presentation shows, kept in the server's memory for its speaker-notes window.

The presenter's page records its slide here on every run; the notes window (the same page with
?notes=1&talk=<id>) reads it every second. Nothing leaves the machine and nothing is written to the
database: a talk is forgotten when the server stops. With several replicas behind a load balancer the
notes window must reach the replica the presentation runs on (sticky sessions).
"""
from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

KEEP = 200  # talks remembered at most; the oldest is forgotten first


@dataclass(frozen=True)
class Shown:
    slide: int
    total: int
    as_of: int
    forum_date: str
    at: float
    plan: str | None = None  # the plan the slides show (None: the default plan)


_lock = threading.Lock()
_talks: dict[str, Shown] = {}


def new_talk() -> str:
    return secrets.token_urlsafe(8)


def valid_talk(talk: object) -> bool:
    return isinstance(talk, str) and 6 <= len(talk) <= 32 and all(c.isalnum() or c in "-_" for c in talk)


def show(talk: str, slide: int, total: int, as_of: int, forum_date: str, plan: str | None = None) -> None:
    with _lock:
        _talks.pop(talk, None)
        _talks[talk] = Shown(slide, total, as_of, forum_date, time.time(), plan)
        while len(_talks) > KEEP:
            _talks.pop(next(iter(_talks)))


def shown(talk: str) -> Shown | None:
    with _lock:
        return _talks.get(talk)
