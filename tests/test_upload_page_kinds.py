"""The upload page shows and undoes every kind of upload of the one history: here a task-report upload."""
from __future__ import annotations

from datetime import date

import duckdb

from tests.test_upload_page import PAGE, confirmed, login, table, users  # noqa: F401  (users is a fixture)
from twomountains.access import database
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
    confirmed(at, "撤销第 1 号上传", "是,撤销第1号上传", "1个数值恢复为上传前的值")
    assert not at.exception
    assert at.success[0].value.startswith("已撤销第 1 号上传")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT quality, percent_complete FROM task_reports WHERE task_code = 't2_3' "
                           "AND unit_code = 'ecoenv' AND month = '2022-06'").fetchall() == [("demo", 84.0)]
    assert store.history(db).kind.tolist() == ["rollback", "file"]   # the reporting page's view of it
