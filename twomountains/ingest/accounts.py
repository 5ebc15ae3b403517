"""Analyst accounts: salted bcrypt hashes in a file git ignores, and limited, logged login attempts.

The file is secrets/users.json under the project (secrets/ is git-ignored), or $TWOMOUNTAINS_USERS.
Every login attempt is appended to auth.log beside it (JSON lines: time, user, event, client; the file
is readable by its owner only). Failed attempts are limited per name and client, per client, and per
name from all clients (login()); an attempt past a limit is refused whatever the password and logged
as "locked". The count is kept in the database (twomountains.login_attempts: the DuckDB file, or the
lake's PostgreSQL catalog), so the server's threads, replicas on any machine and the command line all count
the same attempts; auth.log is this machine's record of them.
"""
from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from functools import lru_cache

import bcrypt

from twomountains import login_attempts
from twomountains.paths import ROOT

USERS_ENV_VAR = "TWOMOUNTAINS_USERS"
DEFAULT_USERS = ROOT / "secrets" / "users.json"
ROLES = ("analyst", "admin")
MAX_FAILURES = 5            # one name from one client
MAX_CLIENT_FAILURES = 10    # one client, any names (a stranger trying names)
MAX_ACCOUNT_FAILURES = 20   # one name from all clients together (guessing from many machines)
LOCK_MINUTES = 15
MIN_PASSWORD = 8
MAX_PASSWORD_BYTES = 72   # bcrypt reads no further
NAME = re.compile(r"^[\w.@-]{1,64}$")

log = logging.getLogger("twomountains.accounts")


class AccountError(ValueError):
    """A name or password that cannot be used; `code` is upload.account.<code>."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Account:
    name: str
    role: str


@dataclass(frozen=True)
class LoginResult:
    account: Account | None
    reason: str | None = None          # bad_credentials or locked
    retry_after: datetime | None = None


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    """Checked against when the name is unknown, so an unknown name takes as long as a wrong password."""
    return bcrypt.hashpw(b"not a password", bcrypt.gensalt(rounds=12))


def users_path(explicit: str | os.PathLike | None = None) -> Path:
    if explicit:
        return Path(explicit)
    from_env = os.environ.get(USERS_ENV_VAR)
    return Path(from_env) if from_env else DEFAULT_USERS


def log_path(users: Path) -> Path:
    return Path(users).with_name("auth.log")


def _load(path: Path) -> dict:
    if not path.exists():
        return {"users": {}}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _save(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(content, out, ensure_ascii=False, indent=2)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    finally:
        if os.path.exists(temp):
            os.unlink(temp)


def add_user(name: str, password: str, role: str, path: Path | None = None, rounds: int = 12) -> Account:
    """Create or replace an account (a new password for an existing name replaces the old one)."""
    path = users_path(path)
    if not NAME.match(name):
        raise AccountError("bad_name", name=name)
    if role not in ROLES:
        raise AccountError("bad_role", role=role)
    if len(password) < MIN_PASSWORD:
        raise AccountError("short_password", minimum=MIN_PASSWORD)
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccountError("long_password", maximum=MAX_PASSWORD_BYTES)
    content = _load(path)
    content.setdefault("users", {})[name] = {
        "role": role,
        "hash": bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii"),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    _save(path, content)
    return Account(name, role)


def has_accounts(path: Path | None = None) -> bool:
    """Whether an accounts file with at least one account exists (then the command line asks for a login too)."""
    path = users_path(path)
    return path.exists() and bool(_load(path).get("users"))


def list_users(path: Path | None = None) -> list[Account]:
    return [Account(name, entry["role"]) for name, entry in sorted(_load(users_path(path))["users"].items())]


def _append(file: Path, entry: dict) -> None:
    """One JSON line; the log is created readable by its owner only (0600) and kept so."""
    file.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.fchmod(handle, 0o600)
        os.write(handle, (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8"))
    finally:
        os.close(handle)


def _log(path: Path, user: str, event: str, now: datetime, client: str = "", why: str | None = None) -> None:
    log.warning("login %s for %r from %r", event, user, client) if event != "success" else log.info(
        "login success for %r from %r", user, client)
    entry = {"time": now.isoformat(timespec="seconds"), "user": user, "event": event, "client": client}
    if why:
        entry["why"] = why
    _append(log_path(path), entry)


@dataclass
class _Counts:
    account: list[datetime]       # failures for the name from any client, since its last success
    pair: list[datetime]          # failures for the name from this client, since its last success
    client: list[datetime]        # failures from this client for any name


def _counts(attempts: list[login_attempts.Attempt], user: str, client: str) -> _Counts:
    """The failures that count, from the window's attempts in the order they began. A pending attempt (its
    password is being checked right now) counts as a failure until it is resolved."""
    counts = _Counts([], [], [])
    for attempt in attempts:
        same_user, same_client = attempt.user == user, attempt.client == client
        if attempt.event == "success" and same_user:
            counts.account, counts.pair = [], []
        elif attempt.event in ("failure", login_attempts.PENDING):
            if same_user:
                counts.account.append(attempt.at)
                if same_client:
                    counts.pair.append(attempt.at)
            if same_client:
                counts.client.append(attempt.at)
    return counts


def recent_failures(path: Path, user: str, now: datetime, client: str = "", db=None) -> list[datetime]:
    """Failed attempts for `user` from `client` within the lock window, since the last success."""
    attempts = login_attempts.store(db).recent(user, client, now - timedelta(minutes=LOCK_MINUTES))
    return _counts(attempts, user, client).pair


def _lock(counts: _Counts) -> tuple[str, datetime] | None:
    """Which limit is reached ("account", "client" or "account_all") and when it ends, or None."""
    window = timedelta(minutes=LOCK_MINUTES)
    for why, failures, limit in (("account", counts.pair, MAX_FAILURES),
                                 ("client", counts.client, MAX_CLIENT_FAILURES),
                                 ("account_all", counts.account, MAX_ACCOUNT_FAILURES)):
        if len(failures) >= limit:
            return why, failures[-limit] + window
    return None


def login(name: str, password: str, path: Path | None = None, now: datetime | None = None,
          client: str = "", db=None) -> LoginResult:
    """Check a name and password from `client` (the browser's address, or cli:<login> for the command line).

    Limits, each counted over the last LOCK_MINUTES and each lifting by itself when its failures age out:
    MAX_FAILURES for one name from one client; MAX_CLIENT_FAILURES from one client for any names;
    MAX_ACCOUNT_FAILURES for one name from all clients together. So a stranger who guesses locks out
    only himself, and locking a name for everyone needs many clients, and lasts LOCK_MINUTES.
    The count lives in the database (`db`, else the one $TWOMOUNTAINS_DB names; twomountains.login_attempts),
    so replicas on other machines count the same attempts. Counting and recording an attempt is one atomic
    step there: parallel attempts are counted one after the other (an attempt whose password is still
    being checked counts as a failure), and no attempt past a limit has its password checked.
    """
    path = users_path(path)
    name = (name or "").strip()[:64]
    client = (client or "")[:100]
    now = now or datetime.now(timezone.utc)
    store = login_attempts.store(db)
    seq, locked = store.begin(name, client, now, now - timedelta(minutes=LOCK_MINUTES),
                              lambda attempts: _lock(_counts(attempts, name, client)))
    if locked is not None:
        _log(path, name, "locked", now, client, locked[0])
        return LoginResult(None, "locked", locked[1])
    entry = _load(path)["users"].get(name)
    secret = (password or "").encode("utf-8")
    stored = entry["hash"].encode("ascii") if entry else _dummy_hash()
    ok = False
    if len(secret) <= MAX_PASSWORD_BYTES:
        ok = bcrypt.checkpw(secret, stored)
    event = "success" if entry and ok and entry.get("role") in ROLES else "failure"
    store.resolve(seq, event)
    _log(path, name, event, now, client)
    return LoginResult(Account(name, entry["role"])) if event == "success" else LoginResult(None, "bad_credentials")
