"""The upload page in AppTest, through the real app.py: login, report, preview, commit, rollback."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from twomountains.ingest import accounts

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
PAGE = "pages/upload.py"
PASSWORD = "wulong-analyst-2026"
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", path, rounds=4)
    monkeypatch.setenv(accounts.USERS_ENV_VAR, str(path))
    return path


def texts(at) -> list[str]:
    """Every text the page shows outside tables (titles, captions, messages, labels)."""
    out = [e.value for kind in ("title", "subheader", "caption", "markdown", "info", "warning", "error", "success")
           for e in getattr(at, kind)]
    out += [b.label for b in at.button] + [w.label for w in at.text_input] + [w.label for w in at.checkbox]
    out += [w.label for w in at.file_uploader] + [w.label for w in at.get("download_button")]
    return [re.sub(r"\\(.)", r"\1", text) for text in out]   # as shown: Markdown escapes removed


def login(at, name="ana", password=PASSWORD):
    at.text_input(key="upload.login.name").input(name)
    at.text_input(key="upload.login.password").input(password)
    [submit] = [b for b in at.button if b.label in ("登录", "Log in")]
    submit.click().run()
    assert not at.exception, at.exception
    return at


def upload(at, path: Path, name: str | None = None):
    at.file_uploader(key="upload.file").set_value((name or path.name, path.read_bytes(), "text/csv")).run()
    assert not at.exception, at.exception
    return at


def table(at, column: str):
    """The first table that has `column` (the report has message, the history user_name)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[0]


def button(at, label_start: str):
    found = [b for b in at.button if b.label.startswith(label_start)]
    assert found, [b.label for b in at.button]
    return found[0]


def confirmed(at, opener: str, yes: str, expected: str):
    """Press a button that asks for confirmation, check the question names what changes, then confirm."""
    button(at, opener).click().run()
    assert not at.exception
    question = " ".join(str(m.value) for m in at.markdown)
    assert expected in question, question
    button(at, yes).click().run()
    return at


def test_viewing_needs_no_login_but_uploading_does(app, users):
    at = app()                           # the overview opens without any login
    assert not at.exception
    at = app(PAGE)
    assert [w.label for w in at.text_input] == ["用户名", "密码"]
    assert len(at.file_uploader) == 0
    assert not [b for b in at.button if b.label == "确认提交"]


def test_wrong_password_then_locked(app, users):
    at = app(PAGE)
    login(at, password="wrong")
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    for _ in range(accounts.MAX_FAILURES):
        login(at, password="wrong")
    assert "已暂时锁定" in at.error[0].value
    login(at)                            # even the right password waits out the lock
    assert "已暂时锁定" in at.error[0].value and len(at.file_uploader) == 0
    assert accounts.log_path(users).exists()


def test_upload_preview_commit_shows_everywhere_then_rollback(app, users, demo_db, tmp_path):
    at = login(app(PAGE))
    assert len(at.file_uploader) == 1 and "已登录:ana" in " ".join(texts(at))
    # templates: values zh CSV, en CSV, zh Excel; the map's points zh CSV, en CSV
    assert len(at.get("download_button")) == 5
    data = tmp_path / "forest.csv"
    data.write_text("指标名称,区域,时期,数值,单位\n森林覆盖率,武隆区,2025,71.3,%\n森林覆盖率,仙女山镇,2023,62.8,%\n",
                    encoding="gbk")
    upload(at, data)
    shown = " ".join(texts(at))
    assert "编码:GB18030 (GBK)" in shown and "长表" in shown
    assert "共 2 个数值:新增 0,修改 2,不变 0。" in shown
    report = table(at, "message")
    assert "old_region_mapped" not in report.to_string()    # messages, not codes
    assert "仙女山街道" in report.message.str.cat()
    assert report.row.tolist().count("3") >= 1
    assert "受影响目标的状态" in shown

    # The commit asks first, naming the file, the counts and the goals it touches; cancelling writes nothing.
    button(at, "确认提交").click().run()
    button(at, "取消").click().run()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM uploads").fetchall() == [(0,)]
    button(at, "确认提交").click().run()
    question = " ".join(str(m.value) for m in at.markdown)
    assert "新增0个数值,修改2个,删除0个" in question and "涉及:森林覆盖率" in question, question
    button(at, "是,写入数据库").click().run()
    assert not at.exception
    assert [e.value for e in at.success] == ["已提交:第 1 号上传。所有页面已显示新数据。"]
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT value, quality FROM observations WHERE indicator_code = 'forest_cover' "
                           "AND region_code = '500156' AND period = '2025'").fetchall() == [(71.3, "reported")]

    # The detail page shows the new figure at once, in the same session.
    at.switch_page("pages/indicator.py").run()
    assert not at.exception
    at.query_params["indicator"] = "forest_cover"
    at.run()
    assert any("71.3" in str(m.value) for m in at.metric), [m.value for m in at.metric]

    at.switch_page(PAGE).run()
    history = table(at, "user_name")
    assert history.id.tolist() == [1] and history.user_name.tolist() == ["ana"]
    confirmed(at, "撤销第 1 号上传", "是,撤销第1号上传", "2个数值恢复为上传前的值,0个新增的数值删除")
    assert not at.exception
    assert at.success[0].value.startswith("已撤销第 1 号上传")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT value, quality FROM observations WHERE indicator_code = 'forest_cover' "
                           "AND region_code = '500156' AND period = '2025'").fetchall() == [(67.9, "demo")]
        assert con.execute("SELECT kind, rolls_back FROM uploads ORDER BY id").fetchall() == [
            ("observations", None), ("rollback", 1)]
    at.switch_page("pages/indicator.py").run()
    assert not any("71.3" in str(m.value) for m in at.metric)


def test_rejected_file_shows_the_report_and_no_commit(app, users, demo_db):
    at = login(app(PAGE))
    upload(at, CORPUS / "bad_errors.xlsx")
    assert at.error[0].value.startswith("发现 2 个错误")
    report = table(at, "message")
    assert report[["row", "column", "value"]].values.tolist() == [["4", "区域", "月亮湾"], ["6", "数值", "九十六"]]
    assert not [b for b in at.button if b.label == "确认提交"]
    assert any(d.label == "下载校验报告(CSV)" for d in at.get("download_button"))
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM uploads").fetchall() == [(0,)]


def test_cumulative_option_and_catalog_upload(app, users, demo_db):
    accounts.add_user("bo", PASSWORD, "admin", users, rounds=4)    # the catalog needs an admin (roles.py)
    at = login(app(PAGE), name="bo")
    at.checkbox(key="upload.cumulative").check().run()
    upload(at, CORPUS / "good_cumulative_months.csv")
    assert "共 8 个数值:新增 8,修改 0,不变 0。" in " ".join(texts(at))
    confirmed(at, "确认提交", "是,写入数据库", "新增8个数值")
    assert at.success[0].value.startswith("已提交:第 1 号上传")
    at.checkbox(key="upload.cumulative").uncheck().run()
    upload(at, CORPUS / "good_catalog_edit.csv")
    shown = " ".join(texts(at))
    assert "指标目录" in shown and "共 2 个指标:新增 1,修改 1,不变 0。" in shown
    confirmed(at, "确认提交", "是,写入数据库", "新增1个数值,修改1个")
    assert at.success[0].value.startswith("已提交:第 2 号上传")
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT target_value FROM indicators WHERE code = 'forest_cover'").fetchall() == [(66.0,)]


def test_uploaded_text_is_shown_as_text(app, users, tmp_path):
    at = login(app(PAGE))
    nasty = tmp_path / "x.csv"
    nasty.write_text('indicator_code,period,value,source,note\n'
                     'forest_cover,2025,68.2,"<img src=x onerror=alert(1)>","**bold** [link](http://evil.example)"\n'
                     '<b>unknown</b>,2025,1,,\n', encoding="utf-8")
    upload(at, nasty, name="**report**<i>.csv")
    markdown = " ".join(e.value for kind in ("markdown", "caption", "error", "warning", "info")
                        for e in getattr(at, kind))
    assert "<img" not in markdown and "<b>" not in markdown and "[link](" not in markdown
    assert "\\*\\*report\\*\\*\\<i\\>" in markdown          # the file name, escaped
    report = table(at, "message")
    assert report.value.tolist() == ["<b>unknown</b>"]       # shown in a table cell, as written


def test_english_screen_has_no_chinese_labels(app, users):
    at = app(PAGE, lang="en")
    assert [w.label for w in at.text_input] == ["User name", "Password"]
    login(at)
    upload(at, CORPUS / "bad_missing_columns.csv")
    shown = texts(at)
    assert "Upload data" in shown
    chinese = [s for s in shown if HAN.search(s) and s not in ("中文",)]
    assert not chinese, chinese
    report = table(at, "message")
    assert report.message.iloc[0].startswith("Required columns are missing: value.")
