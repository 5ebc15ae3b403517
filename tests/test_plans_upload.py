"""A plan workbook: template -> check -> preview -> one-transaction commit -> every page -> exact rollback.

Real DuckDB copies of the demo database; the page under AppTest with a real admin account."""
import re

import duckdb
import pytest

from tests.test_upload_page import PASSWORD, button, login, texts
from twomountains import access
from twomountains.ingest import accounts, history
from twomountains.plans import store, template, workbook
from twomountains.paths import ROOT

PAGE = "pages/upload.py"


def _tables(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return {name: con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
                for name in ("plans", "plan_targets", "indicators")}


def _new_plan(db, lang="en", extra_row=""):
    """The template, turned into a new 2030 plan: new code and names, forest cover 70 % by 2030."""
    text = template.template_bytes(db, lang).decode("utf-8-sig")
    text = text.replace("green_lowcarbon_2025", "green_2030").replace("2025 targets", "2030 targets")
    text = text.replace("2025年目标", "2030年目标")
    text = re.sub(r"\nforest_cover,ecological_quality,level,68,1,2020,2025,", "\nforest_cover,ecological_quality,level,70,1,2020,2030,", text)
    text = text.replace("\n指标代码", "\n指标代码")
    return (text + extra_row).encode("utf-8-sig")


WETLAND = ("wetland_share,ecological_quality,level,12,1,2020,2030,主要目标,湿地≥12%,Wetland ≥ 12%,"
           "湿地面积占比,Wetland share of land,percent,build_ecology,last,forestry,湿地面积占国土面积的比例。,"
           "Wetland area as a share of the district's land.\r\n")


@pytest.mark.parametrize("lang, kind", [("zh", "csv"), ("en", "csv"), ("zh", "xlsx")])
def test_the_template_reads_back_as_the_2025_plan_unchanged(demo_db, lang, kind):
    db = access.database(demo_db)
    checked = workbook.check(template.template_bytes(db, lang, kind), f"t.{kind}", db)
    assert checked.accepted, checked.problems
    assert checked.counts() == {"insert": 0, "update": 0, "unchanged": 8, "delete": 0}


def test_a_new_plan_with_a_new_indicator_commits_in_one_transaction_and_rolls_back_exactly(demo_db):
    db = access.database(demo_db)
    before = _tables(demo_db)
    data = _new_plan(db, extra_row=WETLAND)
    checked = workbook.check(data, "plan-2030.csv", db)
    assert checked.accepted, checked.problems
    assert checked.counts()["insert"] == 10   # the plan, the wetland indicator, 8 targets
    result = workbook.commit(data, "plan-2030.csv", db, "root", previewed=checked)
    goals = store.goals(db, "green_2030").set_index("code")
    assert goals.loc["forest_cover", "target_value"] == 70 and goals.loc["forest_cover", "target_year"] == 2030
    assert goals.loc["wetland_share", "name_en"] == "Wetland share of land"
    assert history.uploads(db).kind.tolist() == ["plan"]
    revisions = history.revisions(db, result.upload_id)     # the history shows what the upload changed
    assert set(revisions.item) == {"plan", "indicator", "target"} and len(revisions) == 10
    history.rollback(db, result.upload_id, "root")
    assert _tables(demo_db) == before


def test_changing_a_target_of_an_existing_plan_and_rolling_it_back(demo_db):
    db = access.database(demo_db)
    before = _tables(demo_db)
    text = template.template_bytes(db, "en").decode("utf-8-sig").replace(
        "high_tech_industry_share,green_industry,level,30,", "high_tech_industry_share,green_industry,level,32,")
    lines = [line for line in text.split("\r\n") if not line.startswith("strategic_emerging_industry_share,")]
    checked = workbook.check("\r\n".join(lines).encode("utf-8-sig"), "edit.csv", db)
    assert checked.counts() == {"insert": 0, "update": 1, "unchanged": 6, "delete": 1}
    result = workbook.commit("\r\n".join(lines).encode("utf-8-sig"), "edit.csv", db, "root")
    assert store.goals(db, "green_lowcarbon_2025").set_index("code").loc["high_tech_industry_share",
                                                                         "target_value"] == 32
    history.rollback(db, result.upload_id, "root")
    assert _tables(demo_db) == before


def test_problems_name_the_row_column_and_what_to_do(demo_db):
    db = access.database(demo_db)
    unknown = workbook.check(_new_plan(db, extra_row="no_such_indicator,ecological_quality,level,1,1,2020,2030\r\n"),
                             "bad.csv", db)
    [problem] = unknown.errors
    assert problem.code == "plan_unknown_indicator" and problem.value == "no_such_indicator"
    assert problem.column == "indicator_code" and problem.row > 20
    base = workbook.check(template.template_bytes(db, "en").decode("utf-8-sig").replace(
        "green_lowcarbon_2025", "base_2019_2022").encode("utf-8-sig"), "base.csv", db)
    assert [p.code for p in base.errors] == ["plan_is_default"]
    wrong = workbook.check(_new_plan(db).decode("utf-8-sig").replace("level,70,", "level,seventy,").encode("utf-8-sig"),
                           "wrong.csv", db)
    assert wrong.errors and wrong.errors[0].column == "target_value" and wrong.errors[0].value == "seventy"
    nothing_written = workbook.check(b"\xff\xfe\x00garbage", "x.csv", db)
    assert not nothing_written.accepted
    with pytest.raises(workbook.WorkbookRejected):
        workbook.commit(_new_plan(db, extra_row="no_such_indicator,ecological_quality,level,1,1,2020,2030\r\n"),
                        "bad.csv", db, "root")
    assert history.uploads(db).empty


@pytest.fixture
def admin(tmp_path, monkeypatch):
    path = tmp_path / "secrets" / "users.json"
    accounts.add_user("ana", PASSWORD, "analyst", path, rounds=4)
    accounts.add_user("boss", PASSWORD, "admin", path, rounds=4)
    monkeypatch.setenv(accounts.USERS_ENV_VAR, str(path))
    return path


def test_only_an_admin_sees_the_plan_upload(app, admin):
    analyst = login(app(PAGE, lang="en"))
    assert any("needs the admin role" in text for text in texts(analyst))
    assert len(analyst.file_uploader) == 1
    boss = login(app(PAGE, lang="en"), "boss")
    assert len(boss.file_uploader) == 2
    assert {"Plan template (Chinese headers, CSV)", "Plan template (English headers, CSV)"} <= {
        b.label for b in boss.get("download_button")}


def test_a_plan_uploaded_on_the_page_shows_on_every_page_and_rolls_back(app, admin, demo_db):
    at = login(app(PAGE, lang="en"), "boss")
    data = _new_plan(access.database(demo_db))
    at.file_uploader(key="upload.plan_file").set_value(("plan-2030.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert any("Plan green_2030: 8 new" in text for text in texts(at))
    button(at, "Write the plan").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Committed as upload 1")
    at.switch_page(str(ROOT / "pages/overview.py")).run()
    at.query_params["plan"] = "green_2030"
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The 2030 goals at a glance"]
    # The indicator page shows the new plan's target beside the other two, at once.
    at.switch_page(str(ROOT / "pages/indicator.py")).run()
    at.query_params["indicator"] = "forest_cover"
    at.query_params["as_of"] = "2024"
    at.run()
    assert not at.exception
    targets = next(f.value for f in at.dataframe if "Target year" in f.value.columns)
    assert list(targets["Target year"]) == ["2022", "2025", "2030"]
    at.switch_page(str(ROOT / PAGE)).run()
    button(at, "Roll back upload 1").click().run()
    button(at, "Yes, undo upload no. 1").click().run()     # a rollback asks for confirmation (issue 17)
    assert not at.exception and at.success[0].value.startswith("Upload 1 rolled back")
    assert "green_2030" not in set(store.plans(access.database(demo_db)).code)


def test_a_database_built_before_plans_gets_their_tables(demo_db):
    with duckdb.connect(str(demo_db)) as con:
        con.execute("DROP TABLE plans")
        con.execute("DROP TABLE plan_targets")
    db = access.database(demo_db)
    version = db.version()
    assert store.ensure_tables(db) is True
    assert list(store.plans(db).code) == ["base_2019_2022", "green_lowcarbon_2025"]
    assert len(store.goals(db, "green_lowcarbon_2025")) == 7 and db.version() == version + 1
    assert store.ensure_tables(db) is False
