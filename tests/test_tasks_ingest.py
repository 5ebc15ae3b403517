"""Monthly reports uploaded or typed in: checked row by row, written all or nothing, recorded, undone."""
import io
from datetime import date

import duckdb
import pandas as pd
import pandas.testing as pdt
import pytest

from twomountains.access import database
from twomountains.tasks import book as task_book
from twomountains.tasks import ingest, store

TODAY = date(2026, 1, 1)
HEADER_ZH = "任务,单位,月份,状态,完成百分比,本月完成情况,存在问题,下步计划,报送日期"
GOOD_ZH = [
    "二(二)3,区生态环境局,2022年6月,推进中,６５%,完成河道清漂12公里,,下月验收,2022-07-03",
    "t2_3,区水利局,2022-06,滞后,60,,资金未到位,加快推进,2022/07/09",
    "实施旅游度假区建设工程,白管委,2022-06,推进中,70,景区步道完工,,继续推进,",
]


@pytest.fixture
def db(demo_db):
    return database(demo_db)


def check(db, content: bytes, name="reports.csv", today=TODAY):
    book = task_book.load_database(db)
    return ingest.check_file(content, name, book, lambda keys: store.current_for(db, keys), today)


def stored(db) -> pd.DataFrame:
    return db.query("task_reports")


def codes(result) -> list[tuple]:
    return [(x.code, x.row, x.column) for x in result.errors]


def test_a_gbk_file_with_chinese_headers_names_and_full_width_digits_is_written_and_recorded(db):
    before = stored(db)
    version = int(db.query("data_version").version.iloc[0])
    result = check(db, ("\r\n".join([HEADER_ZH, *GOOD_ZH]) + "\r\n").encode("gb18030"))
    assert result.accepted, ingest.problems_table(result, "en")
    assert result.encoding.startswith("GB18030") and result.counts() == {"insert": 0, "update": 3, "unchanged": 0}
    assert [w.code for w in result.warnings].count("percent_decreased") >= 1
    written = store.commit(db, result, "alice")
    assert (written.inserted, written.updated) == (0, 3) and written.upload_id == 1
    after = stored(db).set_index(["task_code", "unit_code", "month"])
    row = after.loc[("t2_3", "ecoenv", "2022-06")]
    assert (row.status, row.percent_complete, row.quality, row.upload_id) == ("in_progress", 65.0, "reported", 1)
    assert row.done_zh == "完成河道清漂12公里" and pd.isna(row.done_en) and pd.isna(row.problems_zh)
    assert pd.Timestamp(row.submitted_on).date() == date(2022, 7, 3)
    # No date given: a correction keeps the day the report first arrived.
    original = before.set_index(["task_code", "unit_code", "month"]).loc[("t4_3", "baimashan_admin", "2022-06")]
    assert after.loc[("t4_3", "baimashan_admin", "2022-06"), "submitted_on"] == original.submitted_on
    assert int(db.query("data_version").version.iloc[0]) == version + 1
    history = store.history(db)
    assert history.iloc[0][["kind", "user_name", "file_name", "updated"]].tolist() == ["file", "alice", "reports.csv", 3]
    assert len(store.revisions(db, 1)) == 3


def test_an_excel_file_with_english_headers(db):
    frame = pd.DataFrame({"Task": ["t4_2"], "Unit": ["District Health Commission"], "Month": [pd.Timestamp("2022-07-01")],
                          "Status": ["In progress"], "Percent complete": [77], "What was done": ["Toilets rebuilt"],
                          "Problems": [None], "Next step": ["More toilets"]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    result = check(db, buffer.getvalue(), "reports.xlsx")
    assert result.accepted, ingest.problems_table(result, "en")
    change = result.changes[0]
    assert change.key == ("t4_2", "health", "2022-07") and change.new["done_en"] == "Toilets rebuilt"
    assert change.new["submitted_on"] == TODAY or change.old is not None


BAD = [
    ("t9_9,区水利局,2022-06,推进中,50,,,,", "unknown_task", "任务"),
    ("t2_3,区不存在局,2022-06,推进中,50,,,,", "unknown_unit", "单位"),
    ("t2_3,区公安局,2022-06,推进中,50,,,,", "unit_not_on_task", "单位"),
    ("t2_3,区水利局,2022Q2,推进中,50,,,,", "not_a_month", "月份"),
    ("t2_3,区水利局,2019-06,推进中,50,,,,", "month_outside", "月份"),
    ("t2_3,区水利局,2022-06,差不多,50,,,,", "unknown_status", "状态"),
    ("t2_3,区水利局,2022-06,推进中,,,,,", "percent_missing", "完成百分比"),
    ("t2_3,区水利局,2022-06,推进中,120,,,,", "percent_range", "完成百分比"),
    ("t2_3,区水利局,2022-06,推进中,一半,,,,", "percent_not_number", "完成百分比"),
    ("t2_3,区水利局,2022-06,已完成,90,,,,", "done_not_100", "完成百分比"),
    ("t2_3,区水利局,2022-06,推进中,50,,,,2022-13-40", "bad_date", "报送日期"),
    ("t2_3,区水利局,2022-06,推进中,50,,,,2027-01-01", "date_future", "报送日期"),
    ("t2_3,区水利局,2022-06,推进中,50,,,,2022-05-30", "date_before_month", "报送日期"),
    ("t2_3,区水利局,2022-06,推进中,50," + "长" * 2001 + ",,,", "text_too_long", "本月完成情况"),
]


@pytest.mark.parametrize("line, code, column", BAD, ids=[b[1] for b in BAD])
def test_each_bad_row_is_named_and_nothing_is_written(db, line, code, column):
    before = stored(db)
    content = "\n".join([HEADER_ZH, GOOD_ZH[0], line]).encode("utf-8")
    result = check(db, content)
    assert not result.accepted
    assert (code, 3, column) in codes(result), codes(result)
    for lang in ("zh", "en"):
        messages = ingest.problems_table(result, lang).message
        assert messages.str.len().min() > 5
    with pytest.raises(store.ReportsRejected):
        store.commit(db, result, "alice")
    pdt.assert_frame_equal(stored(db), before)
    assert store.history(db).empty


def test_the_same_report_twice_in_one_file_is_an_error(db):
    result = check(db, "\n".join([HEADER_ZH, GOOD_ZH[0], GOOD_ZH[0]]).encode("utf-8"))
    assert ("duplicate", 3, "任务") in codes(result)


def test_file_level_problems(db):
    missing = check(db, "任务,单位,日期\nt2_3,ecoenv,2022-06\n".encode())
    assert [x.code for x in missing.errors] == ["missing_columns"]
    assert "month" in ingest.message(missing.errors[0], "en") and "日期" in ingest.message(missing.errors[0], "en")
    assert [x.code for x in check(db, b"").errors] == ["empty"]
    assert [x.code for x in check(db, (HEADER_ZH + "\n").encode("utf-8")).errors] == ["no_rows"]
    binary = check(db, bytes(range(256)) * 10, "reports.csv")
    assert not binary.accepted and ingest.message(binary.errors[0], "zh")
    extra = check(db, (HEADER_ZH + ",备注\n" + GOOD_ZH[0] + ",x\n").encode("utf-8"))
    assert extra.accepted and [w.code for w in extra.warnings][:1] == ["unexpected_columns"]


def test_the_same_file_again_writes_nothing(db):
    content = "\n".join([HEADER_ZH, *GOOD_ZH]).encode("utf-8")
    store.commit(db, check(db, content), "alice")
    again = store.commit(db, check(db, content), "alice")
    assert again.upload_id is None and again.unchanged == 3
    assert len(store.history(db)) == 1


def test_rollback_restores_every_report_and_is_recorded(db):
    before = stored(db)
    first = store.commit(db, check(db, "\n".join([HEADER_ZH, *GOOD_ZH]).encode("utf-8")), "alice")
    rollback_id = store.rollback(db, first.upload_id, "bob")
    pdt.assert_frame_equal(stored(db).drop(columns="upload_id"), before.drop(columns="upload_id"))
    history = store.history(db).set_index("id")
    assert history.loc[rollback_id, "kind"] == "rollback" and history.loc[rollback_id, "rolls_back"] == first.upload_id
    assert history.loc[first.upload_id, "rolled_back_by"] == rollback_id
    for upload, code in ((first.upload_id, "already"), (rollback_id, "is_rollback"), (99, "not_found")):
        with pytest.raises(store.RollbackRefused) as refused:
            store.rollback(db, upload, "bob")
        assert refused.value.code == code


def test_rollback_of_an_insert_removes_the_report(db):
    book = task_book.load_database(db)
    key = ("t2_3", "ecoenv", "2022-06")
    db_reports = stored(db)
    with db.writing() as con:
        con.execute("DELETE FROM task_reports WHERE task_code = 't2_3' AND unit_code = 'ecoenv' AND month = '2022-06'")
    result = check(db, "\n".join([HEADER_ZH, GOOD_ZH[0]]).encode("utf-8"))
    assert result.changes[0].kind == "insert"
    written = store.commit(db, result, "alice")
    assert key in set(stored(db).set_index(["task_code", "unit_code", "month"]).index)
    store.rollback(db, written.upload_id, "alice")
    assert key not in set(stored(db).set_index(["task_code", "unit_code", "month"]).index)
    assert len(stored(db)) == len(db_reports) - 1 and len(book.reports) == len(db_reports)


def test_rollback_is_refused_when_a_later_upload_changed_the_same_report(db):
    first = store.commit(db, check(db, "\n".join([HEADER_ZH, GOOD_ZH[0]]).encode("utf-8")), "alice")
    changed = GOOD_ZH[0].replace("６５%", "66")
    second = store.commit(db, check(db, f"{HEADER_ZH}\n{changed}".encode()), "bob")
    with pytest.raises(store.RollbackRefused) as refused:
        store.rollback(db, first.upload_id, "alice")
    assert refused.value.code == "changed_later" and refused.value.params["later"] == [second.upload_id]
    store.rollback(db, second.upload_id, "bob")
    store.rollback(db, first.upload_id, "alice")


def test_a_conflicting_write_between_check_and_commit_is_refused(db):
    result = check(db, "\n".join([HEADER_ZH, GOOD_ZH[0]]).encode("utf-8"))
    store.commit(db, check(db, "\n".join([HEADER_ZH, GOOD_ZH[0].replace("６５%", "67")]).encode("utf-8")), "bob")
    before = stored(db)
    with pytest.raises(store.ReportConflict):
        store.commit(db, result, "alice")
    pdt.assert_frame_equal(stored(db), before)


def test_form_entry_takes_the_same_path(db):
    book = task_book.load_database(db)
    entry = {"task": "t5_3", "unit": "statistics", "month": "2021-05", "status": "in_progress",
             "percent_complete": "80", "done": "Indicators compiled", "problems": "", "next_step": "Publish"}
    result = ingest.check_form(entry, book, lambda keys: store.current_for(db, keys), TODAY)
    assert result.accepted
    written = store.commit(db, result, "carol", kind="form")
    assert store.history(db).iloc[0].kind == "form" and written.upload_id
    bad = ingest.check_form({**entry, "status": "done"}, book, lambda keys: store.current_for(db, keys), TODAY)
    assert [x.code for x in bad.errors] == ["done_not_100"] and bad.errors[0].row is None


def test_template_headers_are_read_back(db):
    for lang in ("zh", "en"):
        frame = ingest.template(lang)
        result = check(db, frame.to_csv(index=False).encode("utf-8-sig"))
        assert result.accepted, ingest.problems_table(result, "en")


def test_a_database_built_before_the_task_tables_gets_them(db):
    with db.writing() as con:
        for table in store.TASK_TABLES:
            con.execute(f"DROP TABLE {table}")
    with pytest.raises(duckdb.CatalogException):
        db.query("task_sections")
    assert store.ensure_tables(db) is True
    assert store.ensure_tables(db) is False
    assert len(task_book.load_database(db).reports) == len(task_book.load_files().reports)
