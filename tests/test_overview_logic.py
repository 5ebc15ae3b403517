"""The overview's logic and what-changed, pure Python on the real catalog and the demo database's data."""
from __future__ import annotations

import re

import pandas as pd
import pytest

from twomountains import metadata, overview, scorecard, tourism, what_changed
from twomountains.access import database
from twomountains.ingest import history, pipeline
from twomountains.i18n import t
from twomountains.ingest.validate import Options
from twomountains.tasks import rules, views
from twomountains.ui import upload_steps

STATUSES = metadata.load_table("statuses").set_index("code")
DEPARTMENTS = metadata.load_table("departments").set_index("code")


@pytest.fixture(scope="module")
def data(demo_db_template):
    db = database(demo_db_template)
    catalog = db.query("indicator_catalog")
    annual = db.query("annual_values", region=scorecard.DISTRICT)
    return catalog, annual, db


def statuses_as_of(data, year):
    catalog, annual, _ = data
    return {goal.code: goal for goal in scorecard.compute(catalog, annual, year)}


def test_buckets_cover_every_goal_once_and_lagging_excludes_missed(data):
    goals = statuses_as_of(data, 2022)
    counts = scorecard.headline(goals)
    buckets = counts.codes
    assert list(buckets) == list(scorecard.BUCKETS)
    assert counts.counts == {bucket: len(codes) for bucket, codes in buckets.items()}
    assert counts.goals == sum(counts.counts.values()) and counts.goals + counts.context == len(goals)
    every = [code for codes in buckets.values() for code in codes]
    assert sorted(every) == sorted(c for c, g in goals.items() if g.is_goal)   # context series are not counted
    assert any(not g.is_goal for g in goals.values())
    assert all(goals[c].status == "missed" for c in buckets["missed"])
    assert all(STATUSES.loc[goals[c].status, "is_lagging"] and goals[c].status != "missed" for c in buckets["lagging"])


def test_the_lagging_bucket_is_every_lagging_status_but_missed():
    """scorecard.HEADLINE_BUCKETS names statuses by code; statuses.csv says which lag: the two agree."""
    members = dict(scorecard.HEADLINE_BUCKETS)
    assert set(members["lagging"]) == set(STATUSES.index[STATUSES.is_lagging]) - {"missed"}
    assert sorted(s for group in members.values() for s in group) == sorted(STATUSES.index)
    assert [scorecard.bucket_of(s) for s in ("achieved", "moderate", "missed", "no_data")] == \
        ["achieved", "lagging", "missed", "other"]


def test_attention_lists_missed_first_then_lagging(data):
    goals = statuses_as_of(data, 2022)
    flagged = overview.needing_attention(goals, STATUSES)
    kinds = [goals[c].status == "missed" for c in flagged]
    assert kinds == sorted(kinds, reverse=True)          # every missed goal before any lagging one
    assert set(flagged) == {c for c, g in goals.items() if STATUSES.loc[g.status, "is_lagging"] and g.is_goal}


def test_status_changes_and_count_deltas_between_two_years(data):
    before, after = statuses_as_of(data, 2021), statuses_as_of(data, 2022)
    changes = what_changed.status_changes(before, after)
    assert changes and all(before[c.code].status == c.before != c.after == after[c.code].status for c in changes)
    unchanged = set(after) - {c.code for c in changes}
    assert all(before[c].status == after[c].status for c in unchanged)
    now, then = scorecard.headline(after).codes, scorecard.headline(before).codes
    deltas = what_changed.count_deltas(now, then)
    assert sum(deltas.values()) == 0                      # goals move between buckets, none appear or vanish
    assert deltas["missed"] == len(now["missed"]) - len(then["missed"])
    assert what_changed.count_deltas(now, None) == {bucket: None for bucket in now}
    assert what_changed.previous_year([2019, 2020, 2022], 2022) == 2020
    assert what_changed.previous_year([2019], 2019) is None


def test_latest_tourism_quarter_with_growth_over_the_same_quarter(data):
    _, _, db = data
    quarters = db.query("tourism_quarters", region=scorecard.DISTRICT, revenue=tourism.REVENUE, visits=tourism.VISITS)
    figures = what_changed.latest_quarter(quarters, 2022)
    assert [f.indicator_code for f in figures] == [tourism.REVENUE, tourism.VISITS]
    single = tourism.quarterly_frame(quarters)
    single = single[single.year <= 2022]
    last = single[(single.year == 2022)].quarter.max()
    revenue = figures[0]
    assert (revenue.year, revenue.quarter) == (2022, last)
    same = single[(single.indicator_code == tourism.REVENUE) & (single.quarter == last)].set_index("year").value
    assert revenue.value == pytest.approx(same[2022])
    assert revenue.year_on_year == pytest.approx(same[2022] / same[2021] - 1)
    assert what_changed.latest_quarter(quarters.iloc[0:0]) == []


def test_latest_upload_changes_come_from_the_latest_standing_upload(demo_db):
    db = database(demo_db)
    assert what_changed.upload_changes(db.query("latest_upload_revisions")) is None
    plan = pipeline.check("指标名称,区域,时期,数值\n森林覆盖率,武隆区,2025,70.1\n森林覆盖率,武隆区,2026,70.5\n"
                          .encode(), "q.csv", db, Options())
    first = pipeline.commit(plan, db, "ana", previewed=True)
    changes = what_changed.upload_changes(db.query("latest_upload_revisions"))
    assert changes.upload_id == first.upload_id and changes.user_name == "ana" and changes.file_name == "q.csv"
    assert changes.added.period.tolist() == ["2026"] and changes.revised.period.tolist() == ["2025"]
    assert changes.revised.new_value.tolist() == [70.1]
    history.rollback(db, first.upload_id, "ana")        # a rolled-back upload is no longer "what changed"
    assert what_changed.upload_changes(db.query("latest_upload_revisions")) is None


def test_search_matches_names_in_both_languages_groups_and_lead_units(data):
    catalog = data[0].set_index("code")
    assert overview.search(catalog, "森林", DEPARTMENTS) >= {"forest_cover"}
    assert "forest_cover" in overview.search(catalog, "  FOREST  coverage ", DEPARTMENTS)
    by_unit = overview.search(catalog, DEPARTMENTS.loc["forestry", "name_zh"], DEPARTMENTS)
    led = {c for c in catalog.index if "forestry" in str(catalog.loc[c, "lead_units"])}
    assert led and by_unit == led          # the plan names the forestry bureau as lead for these goals only
    assert overview.search(catalog, "", DEPARTMENTS) == set(catalog.index)
    assert overview.search(catalog, "no such goal anywhere", DEPARTMENTS) == set()


def test_goal_table_is_worst_first_and_says_each_period(data):
    catalog = data[0].set_index("code")
    goals = statuses_as_of(data, 2022)
    table = overview.goal_table(catalog, goals, STATUSES, DEPARTMENTS, "en")
    assert len(table) == len(goals) and table.status_order.is_monotonic_increasing
    assert table.status.iloc[0] == STATUSES.loc["missed", "name_en"]
    assert table.status.iloc[-1] == STATUSES.loc["achieved", "name_en"]
    forest = table.set_index("code").loc["forest_cover"]
    assert forest.period == "2022" and forest.lead_units == "none named in the plan"   # part 一(三) names no lead
    assert overview.period_label("2025Q3", "zh") == "2025年第3季度" and overview.period_label(None, "en") == "—"


def test_card_text_names_the_period_the_quality_as_a_badge_and_escapes_names(data):
    catalog = data[0].set_index("code")
    goal = statuses_as_of(data, 2022)["forest_cover"]
    indicator = catalog.loc["forest_cover"].copy()
    indicator["name_zh"] = '森林<b>覆盖率</b>"&<img src=x onerror=alert(1)>'
    link = overview.indicator_href({"indicator": "forest_cover", "lang": "zh", "as_of": "2022", "plan": 'a"b<c>'})
    svg = "<svg xmlns='http://www.w3.org/2000/svg'><polyline points='0,0 1,1'/></svg>"
    text = overview.card_html("forest_cover", indicator, goal, "zh", STATUSES, lambda s: f"src {s}", goal.latest_source,
                              svg, link)
    quality = t(f"quality.{goal.latest_quality}", "zh")
    value_line = re.search(r"<p>最新值: (.*?)</p>", text).group(1)
    assert "(2022年)" in value_line and "2022年:" in value_line.split("(2022年)")[1]   # the verdict names its year
    assert f">{quality}</span>" in value_line                     # the quality as a badge beside the value
    assert "森林&lt;b&gt;覆盖率&lt;/b&gt;&quot;&amp;&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<b>" not in text and "<img src=x" not in text and text.count("<img ") == 1
    assert 'src="data:image/svg+xml;base64,' in text and 'target="_self"' in text
    assert 'href="indicator?indicator=forest_cover&amp;lang=zh&amp;as_of=2022&amp;plan=a%22b%3Cc%3E"' in text
    assert "来源" not in text    # the shared source is said once above the cards
    other = overview.card_html("forest_cover", indicator, goal, "zh", STATUSES, lambda s: "某<来源>", None, None, link)
    assert "来源: 某&lt;来源&gt;" in other and "<img" not in other



def test_common_source_is_the_one_most_goals_share(data):
    goals = statuses_as_of(data, 2022)
    shared = overview.common_source(goals)
    counts = pd.Series([g.latest_source for g in goals.values() if g.latest_source]).value_counts()
    assert shared == counts.index[0]


def test_tasks_done_but_goals_missed_and_worst_first_rows():
    table = pd.DataFrame({"code": ["a", "b", "c", "d"], "status": ["done", "done", "delayed", "in_progress"],
                          "percent": [100.0, 100.0, 40.0, 60.0], "latest_month": ["2022-12", None, "2022-11", None],
                          "goal_statuses": [["achieved"], ["achieved", "missed"], ["missed"], []]})
    assert views.done_but_goals_missed(table).tolist() == [False, True, False, False]
    rows = views.task_rows(table)
    assert rows.code.tolist() == ["c", "b", "d", "a"] and rows.flagged.tolist() == [False, True, False, False]


def test_reporting_grid_worst_first():
    grid = pd.DataFrame({"2021-07": ["reported", "missing", "late", "missing"],
                         "2021-08": ["reported", "reported", "partial", "missing"]}, index=["u1", "u2", "u3", "u4"])
    assert rules.worst_first(grid).index.tolist() == ["u4", "u2", "u3", "u1"]


def test_confirmations_name_counts_and_what_is_touched():
    changes = pd.DataFrame({"indicator_code": ["forest_cover", "forest_cover", "tourism_revenue"],
                            "action": ["update", "insert", "delete"]})
    summary = upload_steps.rollback_summary(changes, {"forest_cover": "森林覆盖率"})
    assert (summary.changed, summary.removed) == (2, 1) and summary.names == ["森林覆盖率", "tourism_revenue"]
    assert upload_steps.short_list([str(i) for i in range(7)], "zh") == "0、1、2、3、4等7项"
    assert upload_steps.short_list(["a", "b"], "en") == "a, b"


def test_changes_grouped_by_transition_largest_first():
    changes = [what_changed.StatusChange("a", "moderate", "missed"), what_changed.StatusChange("b", "on_track", "achieved"),
               what_changed.StatusChange("c", "moderate", "missed")]
    assert what_changed.by_transition(changes) == [("moderate", "missed", ["a", "c"]), ("on_track", "achieved", ["b"])]
