"""The command line checks the analyst's password before it writes, once an accounts file exists."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from twomountains import cli
from twomountains.ingest import accounts
from twomountains.ingest.commands import PASSWORD_ENV_VAR
from twomountains.paths import DB_ENV_VAR, ROOT

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
FILE = CORPUS / "good_wide_title.csv"
PASSWORD = "wulong-analyst-2026"


@pytest.fixture
def users(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", path, rounds=4)
    monkeypatch.setenv(accounts.USERS_ENV_VAR, str(path))
    return path


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def content(db: Path) -> tuple:
    """Everything an upload could change: values, catalog, points, history."""
    with duckdb.connect(str(db), read_only=True) as con:
        return tuple(con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
                     for table in ("observations", "indicators", "rural_tourism_points", "meta")) + (
            con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'uploads'").fetchall(),)


def test_right_password_writes_and_records_the_account(demo_db, users, capsys, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV_VAR, PASSWORD)
    code, out, err = run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--json", "--user", "ana")
    assert code == 0, err
    assert json.loads(out)["upload_id"] == 1
    code, out, _ = run(capsys, "uploads", "--db", str(demo_db), "--json")
    assert json.loads(out)[0]["user_name"] == "ana"
    assert run(capsys, "rollback", "1", "--db", str(demo_db), "--user", "ana")[0] == 0
    log = [json.loads(line) for line in accounts.log_path(users).read_text().splitlines()]
    assert [e["event"] for e in log] == ["success", "success"]


def test_wrong_password_exits_2_and_writes_nothing(demo_db, users, capsys, monkeypatch):
    before = content(demo_db)
    monkeypatch.setenv(PASSWORD_ENV_VAR, "not the password")
    code, out, err = run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--user", "ana", "--lang", "en")
    assert code == 2 and "Wrong name or password" in err and "Nothing was written" in err
    code, _, err = run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--user", "nobody")
    assert code == 2 and "用户名或密码不正确" in err
    assert content(demo_db) == before
    log = [json.loads(line) for line in accounts.log_path(users).read_text().splitlines()]
    assert [(e["user"], e["event"]) for e in log] == [("ana", "failure"), ("nobody", "failure")]


def test_failed_attempts_are_limited_as_on_the_page(demo_db, users, capsys, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV_VAR, "wrong wrong")
    for _ in range(accounts.MAX_FAILURES):
        assert run(capsys, "rollback", "1", "--db", str(demo_db), "--user", "ana")[0] == 2
    monkeypatch.setenv(PASSWORD_ENV_VAR, PASSWORD)   # even the right password, while locked
    before = content(demo_db)
    code, _, err = run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--user", "ana", "--lang", "en")
    assert code == 2 and "locked" in err
    assert content(demo_db) == before


def test_accounts_without_user_exit_2_saying_to_pass_it(demo_db, users, capsys, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV_VAR, PASSWORD)
    before = content(demo_db)
    code, _, err = run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--lang", "en")
    assert code == 2 and "--user" in err
    code, _, err = run(capsys, "rollback", "1", "--db", str(demo_db))
    assert code == 2 and "--user" in err
    assert content(demo_db) == before


def test_dry_run_uploads_and_template_need_no_login(demo_db, users, tmp_path, capsys):
    code, out, _ = run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["updated"] == 3
    assert run(capsys, "uploads", "--db", str(demo_db))[0] == 0
    assert run(capsys, "template", "--db", str(demo_db), "--out", str(tmp_path / "t.csv"))[0] == 0
    assert not accounts.log_path(users).exists()


def test_no_terminal_and_no_password_variable_exits_2(demo_db, users):
    before = content(demo_db)
    env = {k: v for k, v in os.environ.items() if k != PASSWORD_ENV_VAR}
    env.update({DB_ENV_VAR: str(demo_db), accounts.USERS_ENV_VAR: str(users)})
    done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", str(FILE), "--user", "ana", "--lang", "en"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 2 and PASSWORD_ENV_VAR in done.stderr and "Traceback" not in done.stderr
    env[PASSWORD_ENV_VAR] = PASSWORD
    done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", str(FILE), "--user", "ana"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert content(demo_db) != before


def test_no_accounts_file_writes_as_the_given_or_login_name(demo_db, capsys):
    assert not accounts.has_accounts()
    assert run(capsys, "ingest", str(FILE), "--db", str(demo_db), "--user", "operator")[0] == 0
    code, out, _ = run(capsys, "uploads", "--db", str(demo_db), "--json")
    assert json.loads(out)[0]["user_name"] == "operator"


def test_task_report_commands_ask_the_same_login(demo_db, users, capsys, monkeypatch):
    from twomountains.tasks.__main__ import main as tasks_main
    monkeypatch.setenv(PASSWORD_ENV_VAR, "wrong wrong")
    assert tasks_main(["rollback", "1", "--db", str(demo_db), "--user", "ana"]) == 2
    assert tasks_main(["rollback", "1", "--db", str(demo_db)]) == 2


@contextmanager
def held_by_another_process(db: Path):
    """The file open (read-only) in another process for the block, as the running dashboard holds it."""
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                               "c = duckdb.connect(sys.argv[1], read_only=True); print('open', flush=True); "
                               "time.sleep(60)", str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield
    finally:
        holder.kill()
        holder.wait()


def test_login_while_another_process_holds_the_file_says_busy(demo_db, users, tmp_path, monkeypatch):
    """With the embedded file held by another process (the dashboard), the login counts (its file is its own)
    and the write says the file is busy, nothing written, no traceback."""
    monkeypatch.setenv(PASSWORD_ENV_VAR, PASSWORD)
    with held_by_another_process(demo_db):
        before = content(demo_db)
        done = subprocess.run([sys.executable, "-m", "twomountains", "ingest", str(FILE), "--db", str(demo_db),
                               "--user", "ana"], cwd=ROOT, env={**os.environ}, capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 2, done.stderr
    assert "正被另一个程序" in done.stderr and "没有写入任何数据" in done.stderr and "Traceback" not in done.stderr
    assert content(demo_db) == before


def test_admin_login_works_while_another_process_holds_the_data_file(demo_db, users, monkeypatch):
    """The embedded mode counts logins in a file beside the data file: `user add --admin` writes only the
    accounts file, and must keep working while the dashboard holds the data file."""
    accounts.add_user("bo", PASSWORD, "admin", users, rounds=4)
    with held_by_another_process(demo_db):
        before = content(demo_db)
        done = subprocess.run([sys.executable, "-m", "twomountains", "user", "add", "newcomer", "--role", "analyst",
                               "--admin", "bo"], cwd=ROOT, input="a new long passphrase\n",
                              env={**os.environ, PASSWORD_ENV_VAR: PASSWORD, DB_ENV_VAR: str(demo_db)},
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert accounts.Account("newcomer", "analyst") in accounts.list_users(users)
    assert content(demo_db) == before
