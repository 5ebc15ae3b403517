"""Uploads of the rural-tourism points file: template round trip, commit as the complete list, exact rollback,
a database built before the points were in it, the map page showing an uploaded point, the upload page."""
from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from twomountains import access, cli, rural_tourism
from twomountains.i18n import strings
from twomountains.ingest import history, pipeline, points
from twomountains.paths import ROOT

CORPUS = Path(__file__).parent / "fixtures" / "uploads"
GOOD = CORPUS / "good_points_gbk_chinese.csv"


def run(capsys, *argv) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def stored_points(db: Path) -> pd.DataFrame:
    with access.database(db).reading() as cursor:
        return rural_tourism.read(cursor)[0]


def test_build_db_puts_the_files_points_and_routes_in_the_database(demo_db):
    with access.database(demo_db).reading() as cursor:
        db_points, db_routes = rural_tourism.read(cursor)
    file_points, file_routes = rural_tourism.load()
    pd.testing.assert_frame_equal(db_points, rural_tourism.points_frame(file_points), check_dtype=False)
    pd.testing.assert_frame_equal(db_routes, file_routes, check_dtype=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_points_template_round_trip_changes_nothing(demo_db, tmp_path, capsys, lang):
    out = tmp_path / f"points-{lang}.csv"
    code, stdout, _ = run(capsys, "template", "--points", "--db", str(demo_db), "--out", str(out), "--lang", lang)
    assert code == 0 and str(out) in stdout
    frame = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert frame.columns[0] == ("编号" if lang == "zh" else "id")
    assert [points.field_of(c) for c in frame.columns] == [
        "id", "name_zh", "name_en", "township_code", "township", "lat", "lon", "coord_quality", "type",
        "year_designated", "route", "source", "quality"]
    code, stdout, _ = run(capsys, "ingest", str(out), "--db", str(demo_db), "--json")
    report = json.loads(stdout)
    assert code == 0 and report["layout"] == "rural_tourism_points" and report["upload_id"] is None
    assert (report["inserted"], report["updated"], report["unchanged"], report["removed"]) == (0, 0, 116, 0)
    assert not report["warnings"]


def test_commit_replaces_the_list_and_rollback_restores_it_exactly(demo_db, tmp_path, capsys):
    before = stored_points(demo_db)
    version = access.database(demo_db).version()
    code, stdout, _ = run(capsys, "ingest", str(CORPUS / "good_points_remove.csv"), "--db", str(demo_db), "--json",
                          "--user", "ana")
    assert code == 0 and json.loads(stdout)["upload_id"] == 1
    code, stdout, _ = run(capsys, "ingest", str(GOOD), "--db", str(demo_db), "--json", "--user", "ana")
    report = json.loads(stdout)
    assert code == 0 and report["upload_id"] == 2
    # The second file lists P003 again: back in; P031 moved; P117 new; the old township name mapped.
    after = stored_points(demo_db).set_index("id")
    assert len(after) == 117 and "P003" in after.index
    assert after.loc["P031", "lat"] == pytest.approx(29.425)
    new = after.loc["P117"]
    assert (new.township_code, new.type, new.year_designated, new.quality) == ("500156003", "village", 2025, "reported")
    assert new.source == "区文化旅游委2025年认定文件"
    assert after.loc["P015", "township_code"] == "500156003" and after.loc["P015", "quality"] == "demo"
    assert access.database(demo_db).version() == version + 2
    uploads = history.uploads(access.database(demo_db)).set_index("id")
    assert uploads.loc[2, "kind"] == "points" and uploads.loc[2, "layout"] == "rural_tourism_points"
    assert json.loads(uploads.loc[1, "options"])["removed"] == 1
    code, stdout, _ = run(capsys, "uploads", "--db", str(demo_db), "--show", "2", "--json")
    revisions = {r["point_id"]: r["action"] for r in json.loads(stdout)}
    assert revisions == {"P003": "insert", "P031": "update", "P117": "insert"}

    # The first upload cannot be undone while the second is in effect; undone in order, the list is as before.
    code, _, err = run(capsys, "rollback", "1", "--db", str(demo_db), "--lang", "en")
    assert code == 1 and "2" in err
    assert run(capsys, "rollback", "2", "--db", str(demo_db))[0] == 0
    assert run(capsys, "rollback", "1", "--db", str(demo_db))[0] == 0
    pd.testing.assert_frame_equal(stored_points(demo_db), before)
    # Re-uploading the same file again changes nothing the second time.
    assert run(capsys, "ingest", str(GOOD), "--db", str(demo_db), "--json")[0] == 0
    snapshot = stored_points(demo_db)
    code, stdout, _ = run(capsys, "ingest", str(GOOD), "--db", str(demo_db), "--json")
    again = json.loads(stdout)
    assert code == 0 and again["upload_id"] is None and "same_file" in {w["code"] for w in again["warnings"]}
    pd.testing.assert_frame_equal(stored_points(demo_db), snapshot)


def test_a_database_built_before_the_points_tables_still_works(demo_db, capsys):
    with duckdb.connect(str(demo_db)) as con:
        con.execute("DROP TABLE rural_tourism_points")
        con.execute("DROP TABLE rural_tourism_routes")
    db = access.database(demo_db)
    with db.reading() as cursor:
        old_points, _ = rural_tourism.read(cursor)       # read from data/ until the first points upload
    assert len(old_points) == 116
    code, stdout, _ = run(capsys, "ingest", str(GOOD), "--db", str(demo_db), "--json")
    assert code == 0 and json.loads(stdout)["inserted"] == 1
    with duckdb.connect(str(demo_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM rural_tourism_points").fetchall()[0][0] == 117
        assert con.execute("SELECT count(*) FROM rural_tourism_routes").fetchall()[0][0] > 0
    assert run(capsys, "rollback", "1", "--db", str(demo_db))[0] == 0
    pd.testing.assert_frame_equal(stored_points(demo_db), old_points)


def test_problems_name_row_column_value_and_what_to_do(demo_db):
    plan = pipeline.check((CORPUS / "bad_points_errors.csv").read_bytes(), "bad.csv", access.database(demo_db))
    by_row = {(x.row, x.column): x for x in plan.errors}
    assert by_row[(6, "lat")].value == "39.3105"
    assert "29" in pipeline.p.message(by_row[(6, "lat")], "en") and "swapped" in pipeline.p.message(by_row[(6, "lat")], "en")
    assert "village" in pipeline.p.message(by_row[(8, "type")], "en")
    missing = pipeline.check((CORPUS / "bad_points_missing_columns.csv").read_bytes(), "m.csv", access.database(demo_db))
    [problem] = missing.errors
    message = pipeline.p.message(problem, "zh")
    assert "英文名称" in message and "经度" in message and "负责人" in message


def _new_point_file(demo_db) -> bytes:
    with access.database(demo_db).reading() as cursor:
        from twomountains.ingest import templates
        frame = pd.read_csv(io.BytesIO(templates.points_file_bytes(cursor, "en")), dtype=str, keep_default_na=False)
    frame.loc[len(frame)] = ["P150", "上传测试示范村", "Uploaded test village", "500156003", "", "29.46", "107.72",
                             "approximate", "village", "2020", "", "culture bureau", "reported"]
    return frame.to_csv(index=False).encode("utf-8")


def test_map_page_shows_an_uploaded_point_at_once(app, demo_db):
    at = app("pages/map.py", lang="en")
    assert "Uploaded test village" not in set(at.dataframe[0].value.iloc[:, 0])
    db = access.database(demo_db)
    plan = pipeline.check(_new_point_file(demo_db), "new.csv", db)
    assert plan.accepted and plan.counts["insert"] == 1
    pipeline.commit(plan, db, "ana")
    at.run()   # the same session: the cache is keyed on the data version the commit bumped
    assert not at.exception
    names = set(at.dataframe[0].value.iloc[:, 0])
    assert "上传测试示范村" in names or "Uploaded test village" in names
    assert len(at.dataframe[0].value) == 117


def test_upload_page_previews_commits_and_rolls_back_a_points_file(app, demo_db, tmp_path, monkeypatch):
    from twomountains.ingest import accounts
    from tests.test_upload_page import PASSWORD, button, login, texts, upload
    users = tmp_path / "users.json"
    accounts.add_user("ana", PASSWORD, "admin", users, rounds=4)   # a points file needs an admin (roles.py)
    monkeypatch.setenv(accounts.USERS_ENV_VAR, str(users))
    at = login(app("pages/upload.py"))
    zh = strings("zh")
    assert zh["upload.template_points_zh"] in texts(at)
    upload(at, CORPUS / "good_points_remove.csv")
    shown = "\n".join(texts(at))
    assert zh["upload.layout.rural_tourism_points"] in shown
    assert "将被删除" in shown and "替换原名单" in shown
    removed = [d.value for d in at.dataframe if "point_id" in d.value.columns and (d.value.point_id == "P003").any()]
    assert removed and removed[0].change.tolist() == [zh["upload.change.delete"]]
    button(at, zh["upload.commit"]).click().run()
    # the confirmation names what goes: one point removed
    assert "删除1个" in " ".join(str(m.value) for m in at.markdown)
    button(at, zh["upload.confirm.commit_yes"]).click().run()
    assert not at.exception
    assert len(stored_points(demo_db)) == 115
    history_table = [d.value for d in at.dataframe if "user_name" in d.value.columns][0]
    assert zh["upload.history.kind.points"] in set(history_table.kind)
    button(at, zh["upload.rollback.button"].format(id=1)).click().run()
    button(at, zh["upload.confirm.rollback_yes"].format(id=1)).click().run()
    assert not at.exception
    assert len(stored_points(demo_db)) == 116


def test_docs_list_every_points_header_and_word():
    doc = (ROOT / "docs" / "data-formats.md").read_text(encoding="utf-8")
    section = doc[doc.index("### Rural-tourism points file"):]
    missing = [h for h in points.synonyms_table().header if h not in section]
    assert not missing, missing
    from twomountains import metadata
    words = [w for w in metadata.load_table("point_values").text if w not in section]
    assert not words, words
    assert "replaces" in section
