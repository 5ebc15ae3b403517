"""Login limits (issue 15, item 4): the check-and-count is atomic across threads and processes, limits
are per name and client, per client and per name from all clients, and a stranger cannot lock a real
user out. The count lives in the database (twomountains.login_attempts): the DuckDB file in embedded mode,
the lake's PostgreSQL catalog in lake mode, so replicas on different machines count the same attempts.
Every test runs on both stores."""
from __future__ import annotations

import json
import multiprocessing
import os
import stat
import threading
from datetime import datetime, timedelta, timezone

import pytest

from twomountains import access, lake, login_attempts
from twomountains.ingest import accounts
from twomountains.paths import DB_ENV_VAR

PASSWORD = "correct horse battery"


@pytest.fixture(params=["file", "lake"])
def users(request, tmp_path, monkeypatch):
    if request.param == "file":
        monkeypatch.setenv(DB_ENV_VAR, str(tmp_path / "twomountains.duckdb"))
    else:
        monkeypatch.setenv(DB_ENV_VAR, request.getfixturevalue("pg_cluster").lake_location())
    path = tmp_path / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", path, rounds=4)
    accounts.add_user("bo", PASSWORD, "admin", path, rounds=4)
    return path


def events(users) -> list[dict]:
    return [json.loads(line) for line in accounts.log_path(users).read_text().splitlines()]


def _at_once(users, passwords: list[str]) -> list[str]:
    """Each password tried by its own thread, all released together (sessions of one server)."""
    barrier = threading.Barrier(len(passwords))
    results = []

    def attempt(password):
        barrier.wait()
        results.append(accounts.login("ana", password, users, client="web:10.0.0.9").reason)

    threads = [threading.Thread(target=attempt, args=(password,)) for password in passwords]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_thirty_parallel_attempts_check_only_as_many_passwords_as_the_limit(users):
    results = _at_once(users, ["wrong guess"] * 30)
    assert results.count("bad_credentials") == accounts.MAX_FAILURES
    assert results.count("locked") == 30 - accounts.MAX_FAILURES
    assert [e["event"] for e in events(users)].count("failure") == accounts.MAX_FAILURES


def test_twelve_sessions_at_once_meet_the_lock(users):
    """Eleven wrong passwords and the right one at once: once gave eleven failures then success."""
    results = _at_once(users, ["wrong guess"] * 11 + [PASSWORD])
    assert "locked" in results
    # A success resets the count for that name and client, so at most the limit before and after it.
    assert results.count("bad_credentials") <= 2 * accounts.MAX_FAILURES


def _attempts_in_process(args):
    path, start = args
    while datetime.now().timestamp() < start:   # all processes begin together
        pass
    return [accounts.login("ana", "wrong guess", path, client="web:10.0.0.9").reason for _ in range(3)]


def test_parallel_processes_share_one_count(users):
    """Replicas of the server (and the command line) are processes: they count the same attempts."""
    start = datetime.now().timestamp() + 1.0
    with multiprocessing.get_context("fork").Pool(4) as pool:
        reasons = sum(pool.map(_attempts_in_process, [(users, start)] * 4), [])
    assert reasons.count("bad_credentials") == accounts.MAX_FAILURES
    assert reasons.count("locked") == 12 - accounts.MAX_FAILURES
    assert [e["event"] for e in events(users)].count("failure") == accounts.MAX_FAILURES


def test_a_stranger_locks_out_only_himself(users):
    now = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    stranger = [accounts.login("ana", f"guess {i}", users, now=now, client="web:10.6.6.6").reason for i in range(8)]
    assert stranger == ["bad_credentials"] * accounts.MAX_FAILURES + ["locked"] * 3
    real = accounts.login("ana", PASSWORD, users, now=now, client="web:10.0.0.7")
    assert real.account == accounts.Account("ana", "analyst")
    # Trying other names from the same client is limited as well (per client, whatever the name).
    others = [accounts.login(f"user{i}", "guess", users, now=now, client="web:10.6.6.6").reason for i in range(8)]
    assert others.count("locked") >= 8 - (accounts.MAX_CLIENT_FAILURES - accounts.MAX_FAILURES)
    assert accounts.login("bo", PASSWORD, users, now=now, client="web:10.6.6.6").reason == "locked"
    assert accounts.login("bo", PASSWORD, users, now=now, client="web:10.0.0.8").account is not None


def test_guessing_from_many_clients_locks_the_name_for_a_while_only(users):
    now = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    clients = accounts.MAX_ACCOUNT_FAILURES // accounts.MAX_FAILURES
    for client in range(clients):
        for attempt in range(accounts.MAX_FAILURES):
            assert accounts.login("ana", "guess", users, now=now + timedelta(seconds=attempt),
                                  client=f"web:10.1.0.{client}").reason == "bad_credentials"
    locked = accounts.login("ana", PASSWORD, users, now=now + timedelta(minutes=1), client="web:10.0.0.7")
    assert locked.reason == "locked" and locked.retry_after == now + timedelta(minutes=accounts.LOCK_MINUTES)
    assert events(users)[-1]["why"] == "account_all"
    later = accounts.login("ana", PASSWORD, users, now=now + timedelta(minutes=accounts.LOCK_MINUTES, seconds=30),
                           client="web:10.0.0.7")
    assert later.account is not None


def test_auth_log_is_readable_by_its_owner_only(users):
    accounts.login("ana", "guess", users, client="cli:ana")
    log = accounts.log_path(users)
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    os.chmod(log, 0o644)                # a log made by an older version is put right at the next attempt
    accounts.login("ana", PASSWORD, users, client="cli:ana")
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
    assert [e["client"] for e in events(users)] == ["cli:ana", "cli:ana"]


def test_the_count_is_in_the_database_not_in_this_machines_log(users):
    """A replica on another machine has another auth.log: the lock must hold without it."""
    for _ in range(accounts.MAX_FAILURES):
        assert accounts.login("ana", "wrong guess", users, client="web:10.0.0.9").reason == "bad_credentials"
    accounts.log_path(users).unlink()
    assert accounts.login("ana", PASSWORD, users, client="web:10.0.0.9").reason == "locked"
    assert len(accounts.recent_failures(users, "ana", datetime.now(timezone.utc), client="web:10.0.0.9")) == 5


def test_two_replicas_count_the_same_attempts(users):
    """Two stores on one database stand for two machines (each its own connections)."""
    location = os.environ[DB_ENV_VAR]
    other = (login_attempts.CatalogAttempts(location) if lake.is_lake(location)
             else login_attempts.FileAttempts(location))
    for _ in range(3):
        accounts.login("ana", "wrong guess", users, client="web:10.0.0.9")
    now = datetime.now(timezone.utc)
    seen = other.recent("ana", "web:10.0.0.9", now - timedelta(minutes=accounts.LOCK_MINUTES))
    assert [a.event for a in seen] == ["failure"] * 3


def test_attempts_make_no_lake_snapshot(demo_lake, tmp_path):
    """Login attempts are not data: on the lake they must not make a snapshot (every cache would be dropped)."""
    users = tmp_path / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", users, rounds=4)
    db = access.database(demo_lake)
    before = db.version()
    accounts.login("ana", "wrong guess", users, db=demo_lake, client="web:10.0.0.9")
    accounts.login("ana", PASSWORD, users, db=demo_lake, client="web:10.0.0.9")
    assert db.version() == before


def test_the_attempts_file_is_not_put_through_the_data_files_upgrade(tmp_path, monkeypatch):
    """The file beside the data file holds login attempts only: the data file's one-time upgrade (the old
    report history's migration) never looks at it, and nothing but the attempts table is made in it."""
    import duckdb
    from twomountains.ingest import history_migration
    looked_at = []
    real = history_migration.needs_migration

    def watched(cursor):
        looked_at.append(cursor.execute("SELECT current_database()").fetchall()[0][0])
        return real(cursor)

    monkeypatch.setattr(history_migration, "needs_migration", watched)
    location = tmp_path / "twomountains.duckdb"
    monkeypatch.setenv(DB_ENV_VAR, str(location))
    users = tmp_path / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", users, rounds=4)
    assert accounts.login("ana", "wrong guess", users, client="cli:ana").reason == "bad_credentials"
    assert accounts.login("ana", PASSWORD, users, client="cli:ana").account is not None
    assert not [name for name in looked_at if name.endswith("-logins")], looked_at
    with duckdb.connect(str(login_attempts.attempts_file(location)), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert tables == {"login_attempts"}
