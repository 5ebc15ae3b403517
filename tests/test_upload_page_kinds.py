"""The upload page shows and undoes every kind of upload of the one history: here a task-report upload."""
from __future__ import annotations

from datetime import date

import duckdb

from tests.test_upload_page import PAGE, PASSWORD, button, confirmed, login, table, users  # noqa: F401  (users is a fixture)
from tests.test_upload_points import CORPUS
from twomountains import cli
from twomountains.access import database
from twomountains.ingest import accounts
from twomountains.tasks import book as task_book
from twomountains.tasks import ingest, store


def test_a_task_report_upload_is_listed_and_rolled_back_on_the_upload_page(app, users, demo_db):  # noqa: F811
    db = database(demo_db)
    content = "task,unit,month,status,percent complete\nt2_3,ecoenv,2022-06,in progress,70\n".encode()
    check = ingest.check_file(content, "june.csv", task_book.load_database(db),
                              lambda keys: store.current_for(db, keys), date(2022, 7, 10))
    written = store.commit(db, check, "ana")
    assert written.upload_id == 1

    at = login(app(PAGE))
    history = table(at, "user_name")
    assert history.id.tolist() == [1] and history.kind.tolist() == ["任务月报"]
    # The confirmation names what a report upload changed: reports, not values.
    confirmed(at, "撤销第 1 号上传", "是,撤销第1号上传", "1份月报恢复为上传前的内容,0份新增的月报删除")
    assert not at.exception
    assert at.success[0].value.startswith("已撤销第 1 号上传")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT quality, percent_complete FROM task_reports WHERE task_code = 't2_3' "
                           "AND unit_code = 'ecoenv' AND month = '2022-06'").fetchall() == [("demo", 84.0)]
    assert store.history(db).kind.tolist() == ["rollback", "file"]   # the reporting page's view of it


def _question(at) -> str:
    return " ".join(str(m.value) for m in at.markdown)


def test_the_rollback_confirmation_names_reports_in_english_too(app, users, demo_db):  # noqa: F811
    db = database(demo_db)
    content = "task,unit,month,status,percent complete\nt2_3,ecoenv,2022-06,in progress,70\n".encode()
    check = ingest.check_file(content, "june.csv", task_book.load_database(db),
                              lambda keys: store.current_for(db, keys), date(2022, 7, 10))
    store.commit(db, check, "ana")
    at = login(app(PAGE, lang="en"))
    confirmed(at, "Roll back upload 1", "Yes, undo upload no. 1",
              "Undo upload no. 1: 1 report(s) go back to what they were before it, 0 report(s) it added are removed.")
    assert "values" not in _question(at)


def test_the_rollback_confirmation_of_a_points_upload_names_points(app, demo_db, tmp_path, monkeypatch, capsys):
    assert cli.main(["ingest", str(CORPUS / "good_points_remove.csv"), "--db", str(demo_db), "--json",
                     "--user", "ana"]) == 0                       # one point (P003) removed (no accounts yet)
    capsys.readouterr()
    users = tmp_path / "admins.json"
    accounts.add_user("ana", PASSWORD, "admin", users, rounds=4)   # undoing a points file needs an admin
    monkeypatch.setenv(accounts.USERS_ENV_VAR, str(users))
    for lang, opener, expected in (
            ("zh", "撤销第 1 号上传", "1个点位恢复为上传前的内容,0个新增的点位删除"),
            ("en", "Roll back upload 1", "1 point(s) go back to what they were before it, 0 point(s) it added are removed")):
        at = login(app(PAGE, lang=lang))
        button(at, opener).click().run()
        assert not at.exception
        assert expected in _question(at), _question(at)
