"""The four task pages under AppTest, in both languages, on a real copy of the demo database."""
import json
import re
from datetime import date

import pandas as pd
import pytest

from tests.test_upload_page import PASSWORD, users  # noqa: F401 (fixture)
from twomountains import metadata
from twomountains.access import database
from twomountains.i18n import strings
from twomountains.tasks import book as task_book
from twomountains.tasks import ingest, store
from twomountains.ui import tasks_ui

CJK = re.compile(r"[\u4e00-\u9fff]")
PAGES = {"tasks": "pages/tasks.py", "department": "pages/department.py", "reporting": "pages/reporting.py",
         "half_year": "pages/semiannual.py"}
ANALYST = {"name": "analyst1", "role": "analyst"}


def texts(at) -> list[str]:
    """Every text on the page: elements, widget labels and options, and the cells of every table."""
    found = []
    for kind in ("markdown", "title", "header", "subheader", "caption", "metric", "info", "warning", "error",
                 "success"):
        for element in at.get(kind):
            found += [str(v) for v in (getattr(element, "value", None), getattr(element, "label", None)) if v]
    for kind in ("selectbox", "multiselect", "button", "text_input", "text_area", "number_input", "tab"):
        for widget in at.get(kind):
            found.append(str(getattr(widget, "label", "")))
            found += [str(o) for o in getattr(widget, "options", []) or []]
    for frame in [*at.dataframe, *at.table]:
        value = frame.value
        value = value.data if hasattr(value, "data") else value
        found += [str(c) for c in value.columns] + [str(i) for i in value.index]
        found += [str(v) for v in value.astype(str).to_numpy().ravel()]
    return [t for t in found if t]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_in_chinese(app, page):
    at = app(PAGES[page])
    assert not at.exception
    assert at.title, page
    page_text = "\n".join(texts(at))
    assert CJK.search(page_text)
    assert strings("zh")[f"nav.{page}"] or True


@pytest.mark.parametrize("page", PAGES)
def test_each_page_in_english_has_no_chinese(app, page):
    at = app(PAGES[page], lang="en")
    assert not at.exception
    chinese = [t for t in texts(at) if CJK.search(t)]
    assert not chinese, chinese[:5]


def test_tasks_page_lists_all_tasks_by_section_and_filters(app):
    at = app(PAGES["tasks"])
    page = "\n".join(m.value for m in at.markdown)
    for title in metadata.load_table("tasks").title_zh:
        assert title.replace("(", "\\(") in page or title in page, title
    assert [s.value.replace("\\", "") for s in at.subheader if s.value != strings("zh")["tasks.table.title"]][:5] == [f"{s.number}{s.title_zh}" for s in
                                                   metadata.load_table("task_sections").itertuples()]
    at.multiselect(key="tasks.statuses").select("delayed").run()
    shown = [m.value for m in at.markdown if m.value.startswith("**二")]
    assert shown and all("滞后" in m for m in shown)
    at.multiselect(key="tasks.units").select("baimashan_admin").run()
    shown = [m.value for m in at.markdown if m.value.startswith("**二")]
    assert len(shown) == 1 and "旅游度假区" in shown[0]


def test_department_view_from_a_link(app):
    at = app(PAGES["department"], unit="townships_all", lang="en")
    assert at.selectbox(key="department.unit").value == "townships_all"
    assert at.title[0].value == "All subdistrict offices and township governments"
    assert any("group of townships" in c.value for c in at.caption)
    led, shared = int(at.metric[0].value), int(at.metric[1].value)
    assert (led, shared) == (0, 3)          # 二(二)3, 二(三)1 and 二(三)4
    cards = [c for c in at.caption if c.value.startswith("Submitted on")]
    assert len(cards) == 3 and all(":orange-badge[demo]" in c.value for c in cards)


def test_reporting_grid_and_login_gate(app):
    at = app(PAGES["reporting"], half="2021H2")
    assert at.selectbox(key="reporting.half").value == "2021H2"
    grid = at.dataframe[0].value
    grid = grid.data if hasattr(grid, "data") else grid
    assert list(grid.columns) == [f"{m}月" for m in range(7, 13)]
    assert len(grid) == 33 and "区规划自然资源局" in grid.index
    # worst first: the months not reported never grow down the grid
    missing = [sum("未报" in str(cell) for cell in row) for row in grid.to_numpy()]
    assert missing == sorted(missing, reverse=True) and missing[0] > 0
    cells = set(grid.to_numpy().ravel())
    assert any("按时" in c for c in cells) and any("未报" in c for c in cells)
    assert any(strings("zh")["tasks.login.required"] == i.value for i in at.info)
    assert not at.tabs


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reporting_tables_show_every_unit_name_in_full(app, lang):
    """The grid and the totals name the units alike, in a column no wider than tasks_ui.UNIT_COLUMN_MAX (so at
    1400 px every month stays in view: test_reporting_grid in the browser); a name wider than its column wraps
    onto a second line (Streamlit wraps a cell's text only in rows taller than 4rem), so none is cut."""
    at = app(PAGES["reporting"], lang=lang)
    grid, totals = at.dataframe[0], at.dataframe[2]       # [1]: the one month a phone shows
    grid_names = list((grid.value.data if hasattr(grid.value, "data") else grid.value).index)
    assert list(totals.value.unit_code) == grid_names
    long_name = {"zh": "区纪委监委机关", "en": "Commission for Discipline Inspection and Supervisory Commission"}[lang]
    assert long_name in grid_names
    for frame, column in ((grid, "_index"), (totals, "unit_code")):
        width = json.loads(frame.proto.columns)[column]["width"]
        assert width <= tasks_ui.UNIT_COLUMN_MAX
        if tasks_ui.name_column_width(grid_names) > width:
            assert frame.proto.row_height > 64
        else:
            assert width == tasks_ui.name_column_width(grid_names)
    if lang == "en":      # the English names are the long ones
        assert grid.proto.row_height > 64


def test_a_phone_shows_one_month_of_the_grid_the_latest_owed_first(app):
    """On a phone (its own container, shown there only) one month of the grid at a time, picked with a row of
    month buttons: first the latest month some unit owes, its units worst first; another month when picked.
    (In Chinese: under AppTest a rerun falls back to the default language, test_map_page says why.)"""
    def data(element):
        return element.value.data if hasattr(element.value, "data") else element.value
    at = app(PAGES["reporting"], half="2022H2")
    grid = data(at.dataframe[0])
    picker = at.segmented_control(key="reporting.phone_month")
    assert picker.value == "12月" and list(data(at.dataframe[1]).columns) == ["12月"]
    assert sorted(data(at.dataframe[1]).index) == sorted(grid.index)
    widths = json.loads(at.dataframe[1].proto.columns)
    assert widths["_index"]["width"] + widths["12月"]["width"] <= 358         # inside a 390 px screen's margins
    picker.set_value("8月").run()
    month = data(at.dataframe[1])
    assert list(month.columns) == ["8月"]
    missing = ["未报" in str(cell) for cell in month["8月"]]
    assert any(missing) and missing == sorted(missing, reverse=True)            # the units to chase on top
    assert month["8月"].to_dict() == grid["8月"].to_dict()
    at.selectbox(key="reporting.half").set_value("2022H1").run()                # another half: its latest month
    assert not at.exception
    assert at.segmented_control(key="reporting.phone_month").value == "6月"
    assert list(data(at.dataframe[1]).columns) == ["6月"]


def test_the_reporting_pages_login_is_the_upload_pages(app, users):  # noqa: F811 (fixture)
    """One login form (twomountains/ui/login.py): the same refusal here, and a login here serves the upload page."""
    at = app(PAGES["reporting"])
    for password, said in (("wrong", ["用户名或密码不正确。"]), (PASSWORD, [])):
        at.text_input(key="tasks.login.name").input("ana")
        at.text_input(key="tasks.login.password").input(password)
        [submit] = [b for b in at.button if b.label == "登录"]
        submit.click().run()
        assert not at.exception and [e.value for e in at.error] == said
    assert any(c.value == "已登录:ana" for c in at.caption)
    at.switch_page("pages/upload.py").run()
    assert not at.exception and len(at.file_uploader) == 1 and not at.text_input


def test_reporting_upload_preview_commit_and_rollback_by_a_logged_in_analyst(app, demo_db):
    at = app(PAGES["reporting"])
    at.session_state["upload.user"] = ANALYST
    at.run()
    assert len(at.tabs) == 3
    content = ("任务,单位,月份,状态,完成百分比,本月完成情况,存在问题,下步计划,报送日期\n"
               "t2_3,区生态环境局,2022-06,推进中,66,完成<b>河道</b>清漂,,下月验收,2022-07-03\n").encode("gb18030")
    at.file_uploader(key="reporting.file").upload("report.csv", content, "text/csv").run()
    assert not at.exception
    assert any("修改1份" in i.value for i in at.info)
    at.button(key="reporting.commit").click().run()
    assert any("记录编号1" in s.value for s in at.success), ([e.value for e in at.error], [s.value for s in at.success], at.exception)
    db = database(demo_db)
    row = db.query("task_reports").set_index(["task_code", "unit_code", "month"]).loc[("t2_3", "ecoenv", "2022-06")]
    assert row.done_zh == "完成<b>河道</b>清漂" and row.percent_complete == 66
    history = store.history(db)
    assert history.iloc[0].user_name == "analyst1"
    at.button(key="reporting.rollback").click().run()
    assert any("已撤销记录1" in s.value for s in at.success)
    assert store.history(db).iloc[0].kind == "rollback"


def test_reporting_rejects_a_bad_file_and_names_the_row(app, demo_db):
    at = app(PAGES["reporting"], lang="en")
    at.session_state["upload.user"] = ANALYST
    at.run()
    content = b"task,unit,month,status,percent complete\nt2_3,ecoenv,2022-06,in progress,150\n"
    at.file_uploader(key="reporting.file").upload("bad.csv", content, "text/csv").run()
    assert at.error and "nothing was written" in at.error[0].value
    problems = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert problems.iloc[0]["row"] == 2 and problems.iloc[0]["column"] == "percent complete"
    assert "between 0 and 100" in problems.iloc[0]["message"]
    assert store.history(database(demo_db)).empty


def test_reporting_form_entry(app, demo_db):
    at = app(PAGES["reporting"])
    at.session_state["upload.user"] = ANALYST
    at.run()
    at.selectbox(key="reporting.form.task").select("t5_3").run()
    at.selectbox(key="reporting.form.unit").select("statistics").run()
    at.selectbox(key="reporting.form.month").select("2021-05")
    at.number_input(key="reporting.form.percent").set_value(81)
    at.text_area(key="reporting.form.done").input("完成考核指标汇总")
    next(b for b in at.button if b.label == strings("zh")["tasks.form.submit"]).click().run()
    assert not at.exception
    assert any("月报已保存" in s.value for s in at.success), [e.value for e in at.error]
    row = database(demo_db).query("task_reports").set_index(["task_code", "unit_code", "month"]).loc[
        ("t5_3", "statistics", "2021-05")]
    assert row.percent_complete == 81 and row.done_zh == "完成考核指标汇总"
    assert store.history(database(demo_db)).iloc[0].kind == "form"


def test_half_year_page_offers_both_documents(app):
    at = app(PAGES["half_year"], half="2021H2")
    assert at.selectbox(key="half_year.half").value == "2021H2"
    assert at.title[0].value.endswith("2021年下半年")
    labels = [b.label for b in at.get("download_button")]
    assert labels == [strings("zh")["tasks.half.download"], strings("zh")["tasks.half.download_other"]]
    assert int(at.metric[0].value) >= 1


def test_uploaded_text_is_shown_as_text(app, demo_db):
    db = database(demo_db)
    book = task_book.load_database(db)
    content = ("任务,单位,月份,状态,完成百分比,本月完成情况,存在问题\n"
               "t1_1,区生态环境局,2022-12,滞后,85,<script>alert(1)</script> **粗体**,[链接](http://x.example)\n")
    result = ingest.check_file(content.encode("utf-8"), "x.csv", book, lambda keys: store.current_for(db, keys),
                               date(2026, 1, 1))
    store.commit(db, result, "alice")
    at = app(PAGES["department"], unit="ecoenv")
    card = next(m.value for m in at.markdown if "alert" in m.value)
    assert "\\<script\\>" in card and "\\*\\*粗体\\*\\*" in card and "\\[链接\\]" in card


def test_only_a_flagged_task_is_pink_in_the_tasks_table():
    """A task without a flag has an empty cell, which pandas keeps as NaN: not a flag (it was pink)."""
    frame = pd.DataFrame({"status": ["Done", "Done"], "flag": ["Done, but goals missed", None]})
    styles = tasks_ui.styled_task_table(frame, {"Done": "#DDF2E8"})._compute().ctx
    assert ("background-color", tasks_ui.FLAG_COLOUR) in styles[(0, 1)]
    assert not [value for prop, value in styles.get((1, 1), []) if prop == "background-color"]
    assert ("background-color", "#DDF2E8") in styles[(1, 0)]
