"""Reporting rules, compliance, task status, views and the demo reports: pure Python, no Streamlit, no database."""
from datetime import date

import pandas as pd
import pandas.testing as pdt
import pytest

from twomountains import metadata
from twomountains.tasks import demo, rules, views
from twomountains.tasks.book import REPORT_COLUMNS, TaskBook, load_files
from twomountains.tasks.progress import task_status, task_statuses


def report(task, unit, month, status="in_progress", percent=50.0, submitted=None, **texts):
    period = rules.month(month)
    row = {"task_code": task, "unit_code": unit, "month": month, "status": status, "percent_complete": percent,
           "submitted_on": pd.Timestamp(submitted or rules.due_date(period)), "quality": "demo"}
    for field in ("done", "problems", "next_step"):
        for lang in ("zh", "en"):
            row[f"{field}_{lang}"] = texts.get(f"{field}_{lang}")
    return row


def reports(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=REPORT_COLUMNS)


UNITS = pd.DataFrame([("t1", "a", "lead", 1), ("t1", "b", "responsible", 1), ("t2", "a", "lead", 1)],
                     columns=["task_code", "unit_code", "role", "position"])
MONTHS = [rules.month("2021-01"), rules.month("2021-02"), rules.month("2021-03")]


def test_reporting_period_and_deadline():
    months = rules.reporting_months()
    assert str(months[0]) == "2020-04" and str(months[-1]) == "2022-12" and len(months) == 33
    assert rules.due_date(rules.month("2021-12")) == date(2022, 1, 5)
    assert rules.is_on_time(rules.month("2021-03"), date(2021, 4, 5))
    assert not rules.is_on_time(rules.month("2021-03"), date(2021, 4, 6))
    assert rules.half_years()[0] == (2020, 1) and rules.half_years()[-1] == (2022, 2)
    assert [str(m) for m in rules.half_year_months(2020, 1)] == ["2020-04", "2020-05", "2020-06"]


@pytest.mark.parametrize("expected, arrived, on_time, as_of, status", [
    (0, 0, 0, date(2030, 1, 1), "not_required"),
    (2, 2, 2, date(2030, 1, 1), "reported"),
    (2, 2, 1, date(2030, 1, 1), "late"),
    (2, 1, 1, date(2030, 1, 1), "partial"),
    (2, 0, 0, date(2030, 1, 1), "missing"),
    (2, 0, 0, date(2021, 2, 5), "not_due"),      # the due day itself is still in time
    (2, 1, 1, date(2021, 2, 3), "reported"),
])
def test_cell_status(expected, arrived, on_time, as_of, status):
    assert rules.cell_status(expected, arrived, on_time, date(2021, 2, 5), as_of) == status


def test_compliance_grid_counts_on_time_late_and_missing():
    got = reports(report("t1", "a", "2021-01"), report("t2", "a", "2021-01", submitted="2021-02-09"),
                  report("t1", "b", "2021-02"), report("t1", "a", "2021-02"))
    table = rules.compliance(UNITS, got, MONTHS, date(2021, 6, 1)).set_index(["unit_code", "month"])
    assert table.loc[("a", "2021-01"), "status"] == "late"
    assert table.loc[("a", "2021-02"), "status"] == "partial"      # t2 missing
    assert table.loc[("a", "2021-03"), "status"] == "missing"
    assert table.loc[("b", "2021-01"), "status"] == "missing"
    assert table.loc[("b", "2021-02"), "status"] == "reported"
    grid = rules.grid(table.reset_index())
    assert list(grid.index) == ["a", "b"] and list(grid.columns) == ["2021-01", "2021-02", "2021-03"]
    totals = rules.unit_totals(table.reset_index()).set_index("unit_code")
    assert totals.loc["a"].tolist()[:5] == [0, 1, 1, 1, 3]
    assert totals.loc["b", "on_time_share"] == pytest.approx(1 / 3)


def test_no_report_is_owed_after_a_unit_reported_the_task_done():
    got = reports(report("t1", "b", "2021-01", "done", 100))
    owed = rules.obligations(UNITS, got, MONTHS)
    assert owed[owed.unit_code == "b"].month.tolist() == ["2021-01"]
    table = rules.compliance(UNITS, got, MONTHS, date(2022, 1, 1)).set_index(["unit_code", "month"])
    assert table.loc[("b", "2021-02"), "status"] == "not_required"


def test_reports_received_after_the_day_do_not_count_on_that_day():
    got = reports(report("t1", "b", "2021-01", submitted="2021-03-20"))
    early = rules.compliance(UNITS, got, MONTHS[:1], date(2021, 3, 1)).set_index("unit_code")
    later = rules.compliance(UNITS, got, MONTHS[:1], date(2021, 4, 1)).set_index("unit_code")
    assert early.loc["b", "status"] == "missing" and later.loc["b", "status"] == "late"


@pytest.mark.parametrize("statuses, expected", [
    ({"a": "done", "b": "in_progress"}, "done"),              # done when every lead unit says done
    ({"a": "in_progress", "b": "delayed"}, "delayed"),        # any unit's delay shows
    ({"a": "not_started", "b": "not_started"}, "not_started"),
    ({"a": "in_progress", "b": "done"}, "in_progress"),
])
def test_task_status_rule(statuses, expected):
    latest = reports(*[report("t1", u, "2021-01", s, 100 if s == "done" else 40) for u, s in statuses.items()])
    assert task_status(latest, ["a"])[0] == expected


def test_task_status_uses_the_latest_report_of_each_unit_and_means_lead_percentages():
    got = reports(report("t1", "a", "2021-01", "delayed", 20), report("t1", "a", "2021-02", "in_progress", 40),
                  report("t1", "b", "2021-02", "in_progress", 90))
    row = task_statuses(UNITS, got).set_index("task_code").loc["t1"]
    assert (row.status, row.percent, row.latest_month) == ("in_progress", 40.0, "2021-02")
    before = task_statuses(UNITS, got, up_to_month="2021-01").set_index("task_code").loc["t1"]
    assert before.status == "delayed"
    assert task_statuses(UNITS, got).set_index("task_code").loc["t2", "status"] == "no_report"


def small_book(got: pd.DataFrame) -> TaskBook:
    departments = pd.DataFrame({"code": ["a", "b"], "name_zh": ["甲局", "乙局"], "name_en": ["A bureau", "B bureau"],
                                "short_zh": ["甲", "乙"], "kind": ["department", "department"]}).set_index("code")
    return TaskBook(
        sections=pd.DataFrame([("s1", 1, "(一)", "部分", "Part")], columns=["code", "order", "number", "title_zh", "title_en"]),
        tasks=pd.DataFrame([("t1", "s1", 1, "二(一)1", "任务一", "Task one", "说明", "About", "a", "b"),
                            ("t2", "s1", 2, "二(一)2", "任务二", "Task two", "说明", "About", "a", None)],
                           columns=["code", "section", "number", "clause", "title_zh", "title_en",
                                    "description_zh", "description_en", "lead_units", "responsible_units"]),
        units=UNITS, links=pd.DataFrame([("t1", "forest_cover"), ("t2", "forest_cover"), ("t2", "tourism_revenue")],
                                        columns=["task_code", "indicator_code"]),
        milestones=pd.DataFrame(columns=["code", "task_code", "indicator_code", "plan_text", "name_zh", "name_en"]),
        reports=got, departments=departments)


def test_task_table_and_filters():
    book = small_book(reports(report("t1", "a", "2021-01", "delayed", 30, problems_zh="缺钱")))
    table = views.task_table(book, {"forest_cover": "on_track"})
    assert table.set_index("code").loc["t1", "goal_statuses"] == ["on_track"]
    assert table.set_index("code").loc["t2", "goal_statuses"] == ["on_track", "no_data"]
    assert views.filter_tasks(table, units=["b"]).code.tolist() == ["t1"]
    assert views.filter_tasks(table, statuses=["no_report"]).code.tolist() == ["t2"]
    assert views.filter_tasks(table, sections=["s9"]).empty


def test_department_view():
    got = reports(report("t1", "a", "2021-01"), report("t2", "a", "2021-01", submitted="2021-02-20"),
                  report("t1", "a", "2021-02", "delayed", 55))
    view = views.department_view(small_book(got), "a", {"forest_cover": "achieved"}, date(2023, 1, 1))
    assert view.leads.code.tolist() == ["t1", "t2"] and view.shares.empty
    assert view.latest.set_index("task_code").loc["t1", "month"] == "2021-02"
    assert "2021-01" in view.late_months and "2021-02" in view.missing_months
    assert view.goals.set_index("indicator_code").loc["forest_cover", "tasks"] == ["t1", "t2"]
    other = views.department_view(small_book(got), "b", {}, date(2023, 1, 1))
    assert other.leads.empty and other.shares.code.tolist() == ["t1"] and other.latest.empty


def test_half_year_summary_of_the_demo_reports():
    book = load_files()
    summary = views.half_year_summary(book, 2022, 2, {"forest_cover": "achieved"})
    assert summary.compiled_on == date(2023, 1, 5) and summary.goals_year == 2022
    assert summary.months == [f"2022-{m:02d}" for m in range(7, 13)]
    assert sum(summary.status_counts.values()) == 20
    assert set(summary.delayed) == set(summary.tasks[summary.tasks.status == "delayed"].code)
    assert "t4_3" in summary.delayed and summary.problems["t4_3"]
    assert set(summary.done_in_half) <= set(summary.tasks[summary.tasks.status == "done"].code)
    assert summary.units_missing and 0 < summary.on_time_share < 1
    first = views.half_year_summary(book, 2020, 1, {})
    assert first.months == ["2020-04", "2020-05", "2020-06"] and first.goals_year == 2019
    with pytest.raises(ValueError):
        views.half_year_summary(book, 2019, 2, {})


def test_demo_reports_are_deterministic_marked_demo_and_on_file():
    generated = demo.generate()
    assert (generated.quality == "demo").all()
    on_file = metadata.load_table("task_reports_demo")
    pdt.assert_series_equal(generated.percent_complete.reset_index(drop=True),
                            on_file.percent_complete.reset_index(drop=True), check_names=False)
    assert generated[["task_code", "unit_code", "month", "status"]].equals(
        on_file[["task_code", "unit_code", "month", "status"]].reset_index(drop=True))
    # Progress never goes backwards for a unit, and every report has both languages.
    for _, rows in generated.groupby(["task_code", "unit_code"]):
        assert rows.sort_values("month").percent_complete.is_monotonic_increasing
    assert generated.done_zh.notna().all() and generated.done_en.notna().all()


def test_demo_courses_agree_with_the_demo_goals():
    """Tasks whose 2022 goal is missed in the demo data are delayed at the end of 2022."""
    book = load_files()
    final = task_statuses(book.units, book.reports).set_index("task_code").status
    assert final["t4_3"] == "delayed"        # 4 of 5 Baimashan scenic areas in 2022
    assert final["t3_5"] == "delayed"        # the smart environmental platform came in 2023
    assert final["t1_2"] == "done"           # the red-line assessment was done early


def test_task_translations_have_the_same_keys_in_both_languages():
    import yaml

    from twomountains.i18n import strings
    from twomountains.paths import DATA_DIR
    keys = {lang: set(yaml.safe_load((DATA_DIR / "i18n" / lang / "tasks.yaml").read_text(encoding="utf-8")))
            for lang in ("zh", "en")}
    assert keys["zh"] == keys["en"]
    for lang in ("zh", "en"):
        assert keys[lang] <= set(strings(lang))      # merged without a key defined twice
    cjk = [k for k in keys["en"] if any("\u4e00" <= ch <= "\u9fff" for ch in strings("en")[k])]
    assert not cjk, cjk
