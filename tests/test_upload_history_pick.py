"""After a commit the upload page's history shows the upload just made, and offers to roll back that one (it stayed
on the upload picked before, offering "roll back upload 1" under "committed as upload 2")."""
from tests.test_upload_page import PAGE, button, login, upload, users  # noqa: F401  (users: a fixture)


def commit(at, path):
    upload(at, path)
    button(at, "确认提交").click().run()
    button(at, "是,写入数据库").click().run()
    assert not at.exception, at.exception


def test_the_history_moves_to_the_upload_just_committed(app, users, demo_db, tmp_path):  # noqa: F811
    at = login(app(PAGE))
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text("指标名称,区域,时期,数值,单位\n森林覆盖率,武隆区,2025,71.3,%\n", encoding="gbk")
    second.write_text("指标名称,区域,时期,数值,单位\n森林覆盖率,武隆区,2024,70.1,%\n", encoding="gbk")
    commit(at, first)
    assert at.selectbox(key="upload.chosen").value == 1
    commit(at, second)
    assert [e.value for e in at.success] == ["已提交:第 2 号上传。所有页面已显示新数据。"]
    assert at.selectbox(key="upload.chosen").value == 2
    assert [b.label for b in at.button if b.label.startswith("撤销第")] == ["撤销第 2 号上传"]
    # The reader's own pick holds until the next commit.
    at.selectbox(key="upload.chosen").select(1).run()
    assert at.selectbox(key="upload.chosen").value == 1
    at.run()
    assert at.selectbox(key="upload.chosen").value == 1
