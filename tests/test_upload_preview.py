"""The one preview every kind of upload uses (twomountains/ui/upload_preview.py), run by Streamlit's AppTest:
its verdict banners, the problems table, the counts and the changes' tabs; and every page that previews an
upload draws it with this component."""
from __future__ import annotations

import ast

import pandas as pd

import pytest
from streamlit.testing.v1 import AppTest

from twomountains.paths import ROOT


def preview_app(errors: int, warnings: int, beside: bool, with_tabs: bool):
    import pandas as pd

    from twomountains.ui import upload_preview

    upload_preview.verdict(errors, warnings, upload_preview.Verdict(
        errors=f"{errors} errors", warnings=f"{warnings} warnings", clean="clean", warnings_beside_errors=beside))
    frame = pd.DataFrame({"severity": ["error"] * errors + ["warning"] * warnings,
                          "row": [str(2 + i) for i in range(errors + warnings)], "column": "value",
                          "value": "<b>x</b>", "message": "do this"})
    upload_preview.problems(frame, str.upper, key="problems", tall_rows=True)
    upload_preview.counts("**3** new", boxed=not with_tabs)
    changes = {"new (1)": pd.DataFrame({"code": ["a"]}), "changed (0)": pd.DataFrame({"code": []})}
    upload_preview.changes(changes if with_tabs else {"": changes["new (1)"]}, str, default="new (1)")


@pytest.mark.parametrize("errors, warnings, beside, banners", [
    (0, 0, True, {"success": ["clean"]}),
    (2, 0, True, {"error": ["2 errors"]}),
    (0, 1, True, {"warning": ["1 warnings"]}),
    (2, 1, True, {"error": ["2 errors"], "warning": ["1 warnings"]}),
    (2, 1, False, {"error": ["2 errors"]}),       # the reporting page: the table lists the warnings too
])
def test_the_verdict_says_what_the_page_asks_for(errors, warnings, beside, banners):
    at = AppTest.from_function(preview_app, args=(errors, warnings, beside, True)).run()
    assert not at.exception
    shown = {kind: [x.value for x in getattr(at, kind)] for kind in ("success", "error", "warning")}
    assert {k: v for k, v in shown.items() if v} == banners
    problems = at.dataframe[0].value
    assert list(problems.row) == [str(2 + i) for i in range(errors + warnings)]
    assert (problems.value == "<b>x</b>").all()          # the file's text stays text in a table cell
    assert [t.label for t in at.tabs] == ["new (1)", "changed (0)"]
    assert at.markdown[0].value == "**3** new"


def test_one_unlabelled_frame_is_one_table_and_boxed_counts_are_an_info():
    at = AppTest.from_function(preview_app, args=(0, 0, True, False)).run()
    assert not at.exception and not at.tabs
    assert [x.value for x in at.info] == ["**3** new"]
    assert len(at.dataframe) == 2


@pytest.mark.parametrize("module", ["pages/upload.py", "pages/reporting.py", "twomountains/ui/plan_upload_ui.py"])
def test_every_page_that_previews_an_upload_draws_it_with_the_component(module):
    """No page builds its own banners, problem table or change tabs: they call upload_preview."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
             and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
             and node.func.value.id == "upload_preview"}
    assert {"verdict", "problems"} <= calls, (module, calls)
    assert "counts" in calls
    streamlit_calls = {node.func.attr for node in ast.walk(tree) if isinstance(node, ast.Call)
                       and isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
                       and node.func.value.id == "st"}
    assert "tabs" not in streamlit_calls or module == "pages/reporting.py"   # the reporting page's own three tabs


def test_the_reporting_page_previews_the_reports_a_file_changes(app, demo_db):
    """A monthly-report file's preview: the counts, and a tab per kind of change with the reports in it."""
    at = app("pages/reporting.py", lang="en")
    at.session_state["upload.user"] = {"name": "analyst1", "role": "analyst"}
    at.run()
    content = ("task,unit,month,status,percent complete\n"
               "t2_3,ecoenv,2022-06,in progress,66\n"
               "t2_3,water,2022-06,delayed,60\n").encode()
    at.file_uploader(key="reporting.file").upload("report.csv", content, "text/csv").run()
    assert not at.exception
    [info] = [i.value for i in at.info if i.value.startswith("Will write")]
    tabs = [t.label for t in at.tabs if " reports (" in t.label]        # inside the page's own upload tab
    assert len(tabs) == 3 and len(at.tabs) == 6, [t.label for t in at.tabs]
    counts = {label.split(" (")[0]: int(label.rsplit("(", 1)[1].rstrip(")")) for label in tabs}
    assert sum(counts.values()) == 2 and f"{counts['New reports']} new" in info
    frames = [d.value for d in at.dataframe if "new_status" in d.value.columns]
    shown = pd.concat(frames)
    assert sorted(shown.month) == ["2022-06", "2022-06"]
    assert set(shown.new_status) == {"In progress", "Delayed"}
    assert shown.task.str.startswith("t2_3 ").all()
