"""Roles (issue 15, item 5): analysts upload values and task reports and roll back their own uploads;
the catalog (targets), the map's points, accounts and other users' rollbacks need an admin. Every
refusal names the role needed; the page and the command line ask the same function (twomountains.roles)."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import duckdb
import pytest

from twomountains import cli, roles
from twomountains.i18n import strings
from twomountains.ingest import accounts
from twomountains.ingest.commands import PASSWORD_ENV_VAR
from twomountains.tasks import __main__ as tasks_cli

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
PASSWORD = "wulong-analyst-2026"
VALUES = CORPUS / "good_wide_title.csv"


@pytest.fixture
def users(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", path, rounds=4)
    accounts.add_user("cy", PASSWORD, "analyst", path, rounds=4)
    accounts.add_user("bo", PASSWORD, "admin", path, rounds=4)
    monkeypatch.setenv(accounts.USERS_ENV_VAR, str(path))
    monkeypatch.setenv(PASSWORD_ENV_VAR, PASSWORD)
    return path


def run(capsys, main, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def target(db: Path) -> float:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT target_value FROM indicators WHERE code = 'forest_cover'").fetchone()[0]


def uploads(db: Path) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        return con.execute("SELECT id, kind, user_name FROM uploads ORDER BY id").fetchall() if "uploads" in tables else []


def test_cli_catalog_and_points_need_an_admin_and_say_so(demo_db, users, capsys):
    before = target(demo_db)
    for file in ("good_catalog_edit.csv", "good_points_remove.csv"):
        code, _, err = run(capsys, cli.main, "ingest", str(CORPUS / file), "--db", str(demo_db), "--user", "ana",
                           "--lang", "en")
        assert code == 2 and "administrator role" in err and "ana is analyst" in err, err
    code, _, err = run(capsys, cli.main, "ingest", str(CORPUS / "good_catalog_edit.csv"), "--db", str(demo_db),
                       "--user", "ana")
    assert code == 2 and "需要管理员角色" in err
    assert target(demo_db) == before and uploads(demo_db) == []
    assert run(capsys, cli.main, "ingest", str(CORPUS / "good_catalog_edit.csv"), "--db", str(demo_db),
               "--user", "bo")[0] == 0
    assert target(demo_db) == 66.0


def test_cli_analysts_roll_back_their_own_uploads_only(demo_db, users, capsys):
    assert run(capsys, cli.main, "ingest", str(VALUES), "--db", str(demo_db), "--user", "ana")[0] == 0
    code, _, err = run(capsys, cli.main, "rollback", "1", "--db", str(demo_db), "--user", "cy", "--lang", "en")
    assert code == 2 and "another user (ana)" in err and "administrator role" in err
    assert uploads(demo_db) == [(1, "observations", "ana")]
    assert run(capsys, cli.main, "rollback", "1", "--db", str(demo_db), "--user", "ana")[0] == 0
    assert run(capsys, cli.main, "ingest", str(VALUES), "--db", str(demo_db), "--user", "cy")[0] == 0
    assert run(capsys, cli.main, "rollback", "3", "--db", str(demo_db), "--user", "bo")[0] == 0   # an admin may
    assert [u[1:] for u in uploads(demo_db)] == [("observations", "ana"), ("rollback", "ana"),
                                                 ("observations", "cy"), ("rollback", "bo")]


def test_cli_adding_an_account_needs_an_admin(users, capsys, monkeypatch):
    def add(*extra):
        monkeypatch.setattr(sys, "stdin", io.StringIO("a new passphrase\n"))
        return run(capsys, cli.main, "user", "add", "dee", "--role", "analyst", "--lang", "en", *extra)

    code, _, err = add()
    assert code == 2 and "--admin" in err
    code, _, err = add("--admin", "ana")
    assert code == 2 and "Adding an account needs the administrator role" in err
    assert "dee" not in {a.name for a in accounts.list_users(users)}
    assert add("--admin", "bo")[0] == 0
    assert accounts.Account("dee", "analyst") in accounts.list_users(users)


def test_cli_task_reports_rollback_of_another_users_upload_needs_an_admin(demo_db, users, capsys, tmp_path):
    report = tmp_path / "report.csv"
    assert run(capsys, tasks_cli.main, "template", "--out", str(report), "--lang", "en")[0] == 0
    assert run(capsys, tasks_cli.main, "ingest", str(report), "--db", str(demo_db), "--user", "ana")[0] == 0
    code, _, err = run(capsys, tasks_cli.main, "rollback", "1", "--db", str(demo_db), "--user", "cy", "--lang", "en")
    assert code == 2 and "another user (ana)" in err and "administrator role" in err
    assert run(capsys, tasks_cli.main, "rollback", "1", "--db", str(demo_db), "--user", "ana")[0] == 0


def test_every_refusal_names_the_role_in_both_languages():
    for check, args in ((roles.authorise_upload, ("catalog",)), (roles.authorise_upload, ("points",)),
                        (roles.authorise_rollback, ("observations", "bo")), (roles.authorise_accounts, ())):
        refused = roles.refusal(check, "ana", "analyst", *args)
        assert refused is not None and refused.needed == "admin"
        assert "管理员" in roles.message(refused, "zh") and "administrator" in roles.message(refused, "en")
    assert roles.refusal(roles.authorise_upload, "ana", "analyst", "observations") is None
    assert roles.refusal(roles.authorise_rollback, "ana", "analyst", "task_reports", "ana") is None
    assert roles.refusal(roles.authorise_rollback, "bo", "admin", "catalog", "ana") is None


def test_page_catalog_upload_and_others_rollback_need_an_admin(app, users, demo_db):
    from tests.test_upload_page import button, login, upload
    zh = strings("zh")
    at = login(app("pages/upload.py"))                       # ana, analyst
    upload(at, CORPUS / "good_catalog_edit.csv")
    assert any("需要管理员角色" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.label == zh["upload.commit"]]
    upload(at, VALUES)
    button(at, zh["upload.commit"]).click().run()
    button(at, zh["upload.confirm.commit_yes"]).click().run()    # the commit asks for confirmation (issue 17)
    assert uploads(demo_db) == [(1, "observations", "ana")]
    [leave] = [b for b in at.button if b.label == zh["upload.logout"]]
    leave.click().run()
    at = login(at, name="cy")
    refusals = [e.value for e in at.error if "需要管理员角色" in e.value]
    assert refusals and "ana" in refusals[0]
    assert not [b for b in at.button if b.label.startswith("撤销第 1 号上传")]
    assert target(demo_db) != 10.0 and uploads(demo_db) == [(1, "observations", "ana")]


def test_reporting_page_rollback_of_another_users_report_needs_an_admin(app, demo_db, capsys, tmp_path):
    report = tmp_path / "report.csv"
    assert run(capsys, tasks_cli.main, "template", "--out", str(report), "--lang", "en")[0] == 0
    assert run(capsys, tasks_cli.main, "ingest", str(report), "--db", str(demo_db), "--user", "ana")[0] == 0
    at = app("pages/reporting.py")
    at.session_state["upload.user"] = {"name": "cy", "role": "analyst"}
    at.run()
    assert any("需要管理员角色" in e.value and "ana" in e.value for e in at.error), [e.value for e in at.error]
    assert not [b for b in at.button if b.key == "reporting.rollback"]
    at.session_state["upload.user"] = {"name": "bo", "role": "admin"}
    at.run()
    at.button(key="reporting.rollback").click().run()
    assert any("已撤销记录1" in s.value for s in at.success)
