"""Analyst accounts: salted bcrypt hashes in a file git ignores, and limited, logged login attempts.

The file is secrets/users.json under the project (secrets/ is git-ignored), or $TWOMOUNTAINS_USERS.
Every login attempt is appended to auth.log beside it (JSON lines: time, user, event); after
MAX_FAILURES failed attempts within LOCK_MINUTES, a name is locked for LOCK_MINUTES, whatever the
password, and the attempts are logged as "locked".
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

from twomountains.paths import ROOT

USERS_ENV_VAR = "TWOMOUNTAINS_USERS"
DEFAULT_USERS = ROOT / "secrets" / "users.json"
ROLES = ("analyst", "admin")
MAX_FAILURES = 5
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


def _log(path: Path, user: str, event: str, now: datetime) -> None:
    log.warning("login %s for %r", event, user) if event != "success" else log.info("login success for %r", user)
    with open(log_path(path), "a", encoding="utf-8") as out:
        out.write(json.dumps({"time": now.isoformat(timespec="seconds"), "user": user, "event": event},
                             ensure_ascii=False) + "\n")


def recent_failures(path: Path, user: str, now: datetime) -> list[datetime]:
    """Failed attempts for `user` within the lock window, since the last success."""
    file = log_path(path)
    if not file.exists():
        return []
    since = now - timedelta(minutes=LOCK_MINUTES)
    failures: list[datetime] = []
    with open(file, encoding="utf-8") as handle:
        for line in handle:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if entry.get("user") != user:
                continue
            when = datetime.fromisoformat(entry["time"])
            if entry.get("event") == "success":
                failures = []
            elif entry.get("event") == "failure" and when >= since:
                failures.append(when)
    return failures


def login(name: str, password: str, path: Path | None = None, now: datetime | None = None) -> LoginResult:
    """Check a name and password; limited to MAX_FAILURES failures per name within LOCK_MINUTES."""
    path = users_path(path)
    now = now or datetime.now(timezone.utc)
    name = (name or "").strip()[:64]
    failures = recent_failures(path, name, now)
    if len(failures) >= MAX_FAILURES:
        _log(path, name, "locked", now)
        return LoginResult(None, "locked", failures[0] + timedelta(minutes=LOCK_MINUTES))
    entry = _load(path)["users"].get(name)
    secret = (password or "").encode("utf-8")
    stored = entry["hash"].encode("ascii") if entry else _dummy_hash()
    ok = False
    if len(secret) <= MAX_PASSWORD_BYTES:
        ok = bcrypt.checkpw(secret, stored)
    if entry and ok and entry.get("role") in ROLES:
        _log(path, name, "success", now)
        return LoginResult(Account(name, entry["role"]))
    _log(path, name, "failure", now)
    return LoginResult(None, "bad_credentials")
