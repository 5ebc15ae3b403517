"""twomountains/ui/tables.py: a table as tall as Streamlit draws its rows, and rows tall enough for wrapped
cells; and the key-tasks table, a static table whose rows are each as tall as their own text."""
import re

import pytest

from twomountains import metadata
from twomountains.i18n import strings

from twomountains.ui.tables import full_height, row_height, wrapped_lines


def test_a_table_is_its_rows_one_header_row_and_two_borders():
    # Streamlit's own sizing (Rg in its DataFrame.js): rows x row height + 35 px header + 2 x 1 px border.
    assert full_height(0) == 37
    assert full_height(20) == 20 * 35 + 37
    assert full_height(8, 122) == 8 * 122 + 37          # the header stays 35 px when the rows are taller


def test_a_wrapped_cell_needs_rows_over_four_rem():
    assert row_height(1) == 35
    assert all(row_height(lines) > 64 for lines in range(2, 8))       # Streamlit wraps only over 4rem
    assert row_height(3) > row_height(2)


def test_lines_of_chinese_and_english_texts():
    assert wrapped_lines(["区规划自然资源局"], 330) == 1
    assert wrapped_lines(["区发展改革委、区经济信息委、区城管局、区商务局、区机关事务管理中心、区生态环境局"], 330) == 2
    english = ("Development and Reform Commission; Economy and Information Technology Commission; Urban Management "
               "Bureau; Commerce Bureau; Government Offices Administration Centre; Ecology and Environment Bureau")
    assert wrapped_lines([english], 330) == 5                     # seen wrapping onto 5 lines in Chromium
    assert wrapped_lines([], 330) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_task_table_holds_every_task_with_its_units_in_full(app, lang):
    """The key tasks' table is a static table (st.table), each row as tall as its own text: every task, each
    named as a link to its card alone, and every lead unit by its whole name (in English without "District ")."""
    at = app("pages/tasks.py", lang=lang)
    assert not at.dataframe or all("lead_units" not in frame.value.columns for frame in at.dataframe)
    [table] = at.table
    frame = table.value.data if hasattr(table.value, "data") else table.value
    words = strings(lang)
    assert list(frame.columns) == [words[f"tasks.col.{name}"] for name in
                                   ("task", "status", "flag", "percent", "latest_month", "lead_units")]
    assert len(frame) == len(metadata.load_table("tasks"))
    assert all(re.fullmatch(r"\[.+\]\(tasks\?task=\w+&lang=" + lang + r"\)", cell) for cell in frame.iloc[:, 0]), \
        frame.iloc[:, 0].tolist()[:3]
    units = " ".join(frame.iloc[:, -1]).replace("\\", "")         # Markdown's escapes: the text as shown
    if lang == "en":
        assert "Housing and Urban-Rural Development Commission" in units and "District Housing" not in units
    else:
        assert "区住房城乡建委" in units
