"""The upload page's result message stays until the analyst's next action on the page: a rerun nobody asked
for (a reconnect, a commit elsewhere) still shows it; a new file, a new commit or rollback, or leaving the
page takes it away (twomountains/ui/page_message.py)."""
from __future__ import annotations

from tests.test_upload_page import CORPUS, PAGE, button, confirmed, login, upload, users  # noqa: F401 (fixture)

COMMITTED = "已提交:第 1 号上传。所有页面已显示新数据。"


def successes(at) -> list[str]:
    return [s.value for s in at.success]


def committed_page(app, tmp_path):
    at = login(app(PAGE))
    data = tmp_path / "forest.csv"
    data.write_text("指标名称,区域,时期,数值,单位\n森林覆盖率,武隆区,2025,71.3,%\n", encoding="gbk")
    upload(at, data)
    confirmed(at, "确认提交", "是,写入数据库", "修改1个")
    assert COMMITTED in successes(at)
    return at


def test_the_message_survives_reruns_and_goes_with_a_new_file(app, users, tmp_path):  # noqa: F811
    at = committed_page(app, tmp_path)
    for _ in range(3):                   # reruns nobody asked for: the message is still there
        at.run()
        assert not at.exception
        assert COMMITTED in successes(at)
    upload(at, CORPUS / "good_cumulative_months.csv")      # the next action: a new file
    assert COMMITTED not in successes(at)
    at.run()
    assert COMMITTED not in successes(at)


def test_the_message_goes_when_the_analyst_leaves_the_page(app, users, tmp_path):  # noqa: F811
    at = committed_page(app, tmp_path)
    at.switch_page("pages/indicator.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception and COMMITTED not in successes(at)


def test_the_message_goes_when_the_analyst_changes_the_option(app, users, tmp_path):  # noqa: F811
    at = committed_page(app, tmp_path)
    at.run()
    assert COMMITTED in successes(at)
    at.checkbox(key="upload.cumulative").check().run()
    assert COMMITTED not in successes(at)


def test_a_rollback_replaces_the_message_and_keeps_its_own(app, users, tmp_path):  # noqa: F811
    at = committed_page(app, tmp_path)
    confirmed(at, "撤销第 1 号上传", "是,撤销第1号上传", "恢复为上传前的值")
    said = [s for s in successes(at) if s.startswith("已撤销第 1 号上传")]
    assert said and COMMITTED not in successes(at)
    at.run()
    assert said[0] in successes(at) and COMMITTED not in successes(at)


def committed_report(app):
    """The reporting page after an analyst committed a report file: (the page, its message)."""
    at = app("pages/reporting.py")
    at.session_state["upload.user"] = {"name": "analyst1", "role": "analyst"}
    at.run()
    content = "任务,单位,月份,状态,完成百分比\nt2_3,区生态环境局,2022-06,推进中,86\n".encode("gb18030")
    at.file_uploader(key="reporting.file").upload("report.csv", content, "text/csv").run()
    at.button(key="reporting.commit").click().run()
    said = [s for s in successes(at) if "记录编号1" in s]
    assert said, successes(at)
    return at, said[0]


def test_the_reporting_pages_message_survives_reruns_and_goes_with_a_new_file(app):
    at, said = committed_report(app)
    at.run()
    at.run()
    assert said in successes(at)
    other = "任务,单位,月份,状态,完成百分比\nt2_3,区水利局,2022-06,推进中,90\n".encode("gb18030")
    at.file_uploader(key="reporting.file").upload("other.csv", other, "text/csv").run()
    assert not at.exception and said not in successes(at)


def test_the_reporting_pages_message_goes_when_the_form_names_another_task(app):
    """The page gives its message the keys of the widgets it makes: the form's task is one of them."""
    at, said = committed_report(app)
    at.selectbox(key="reporting.form.task").select("t5_3").run()
    assert not at.exception and said not in successes(at)


def test_the_message_goes_when_the_language_changes(app, users, tmp_path):  # noqa: F811
    """A Chinese message on an English page would be a mixed-language screen."""
    at = committed_page(app, tmp_path)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and not [s for s in successes(at) if "第 1 号" in s or "upload 1" in s.lower()]
