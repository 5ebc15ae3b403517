"""Plans on the pages, under AppTest on a real copy of the demo database: the picker, ?plan= in the link,
a later plan's goals, every plan's targets on an indicator, no task pages for a plan without tasks."""
import pandas as pd
import pytest

from tests.test_app import CJK, texts
from twomountains.paths import ROOT

LATER = "green_lowcarbon_2025"


def _open(app, page, **query):
    return app(page, **query)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_of_the_2025_plan_lists_its_goals_in_its_language(app, lang):
    at = _open(app, "pages/overview.py", plan=LATER, lang=lang, as_of="2024")
    shown = texts(at)
    title = "2025年目标总览" if lang == "zh" else "The 2025 goals at a glance"
    assert title in [t.value for t in at.title]
    assert any(("非化石能源" if lang == "zh" else "primary energy consumption") in text for text in shown)
    assert not any(("旅游综合收入" if lang == "zh" else "Total tourism revenue") in text for text in shown)
    # The record's uncertainty is on the page, and the link keeps the plan.
    assert any(("未能确认" if lang == "zh" else "not confirmed") in text for text in shown)
    assert at.query_params["plan"] == [LATER] or at.query_params["plan"] == LATER
    if lang == "en":
        assert not any(CJK.search(text) for text in shown)


def test_overview_with_no_plan_in_the_link_is_the_base_plan_and_adds_no_plan_parameter(app):
    at = _open(app, "pages/overview.py", lang="en", as_of="2022")
    assert [t.value for t in at.title] == ["The 2022 goals at a glance"]
    assert "plan" not in at.query_params
    picker = at.selectbox(key="overview.plan")
    picker.set_value(LATER).run()
    assert not at.exception
    assert [t.value for t in at.title] == ["The 2025 goals at a glance"]


def test_indicator_tracked_by_two_plans_shows_both_targets_and_statuses(app):
    at = _open(app, "pages/indicator.py", indicator="forest_cover", as_of="2024", lang="en")
    assert "Targets in every plan" in [s.value for s in at.subheader]
    caption = next(c.value for c in at.caption if "each plan" in c.value)
    assert "2022" in caption and "achieved" in caption and "on track for 2025" in caption
    frames = [f.value for f in at.dataframe]
    targets = next(f for f in frames if "Target year" in f.columns)
    assert list(targets["Target year"]) == ["2022", "2025"]
    assert list(targets["Target"]) == ["≥ 65.0%", "≥ 68.0%"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_plans_name_and_reading_is_shown_in_full(app, lang):
    """A cell cuts what is wider than its column: the plans' names wrap in theirs (rows over 4rem, Streamlit's
    wrapping threshold), and the readings, a sentence or three, follow the table in full."""
    at = _open(app, "pages/indicator.py", indicator="forest_cover", as_of="2024", lang=lang)
    plan_column = "规划" if lang == "zh" else "Plan"
    [table] = [f for f in at.dataframe if plan_column in f.value.columns]
    assert table.proto.row_height > 64 and "解读" not in table.value.columns and "Reading" not in table.value.columns
    targets = pd.read_csv(ROOT / "data" / "catalog" / "plan_targets.csv")
    readings = targets[targets.indicator_code == "forest_cover"][f"reading_{lang}"].tolist()
    shown = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert readings and all(reading in shown for reading in readings)
    plans = pd.read_csv(ROOT / "data" / "catalog" / "plans.csv").set_index("code")[f"name_{lang}"]
    assert all(plans[code] in shown for code in ("base_2019_2022", LATER))   # each reading names its plan


def test_a_link_to_a_goal_only_a_later_plan_sets_opens_that_plan(app):
    at = _open(app, "pages/indicator.py", indicator="energy_intensity_index", lang="en")
    assert at.title[0].value.startswith("Energy use per unit of GDP")
    assert at.query_params["plan"] in (LATER, [LATER])
    assert any("sets no target for this indicator" in i.value for i in at.info)


def test_a_plan_without_tasks_has_no_task_pages(app):
    with_tasks = app("pages/tasks.py", lang="en")  # the base plan has its task pages
    assert not with_tasks.exception
    without = app(None, lang="en", plan=LATER)
    with pytest.raises(ValueError, match="Could not find a navigation page") as error:
        without.switch_page(str(ROOT / "pages/tasks.py"))
    known = str(error.value).split("Known pages:")[1]
    assert "overview.py" in known and "indicator.py" in known
    assert not any(page in known for page in ("tasks.py", "department.py", "reporting.py", "semiannual.py"))
