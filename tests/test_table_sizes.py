"""twomountains/ui/tables.py: a table as tall as Streamlit draws its rows, and rows tall enough for wrapped
cells; and the key-tasks table that uses them (every column within 1400 px, its long texts wrapped)."""
import json

import pytest

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
def test_the_task_table_fits_1400_px_and_wraps_its_long_texts(app, lang):
    at = app("pages/tasks.py", lang=lang)
    table = at.dataframe[0]
    widths = {name: config.get("width") for name, config in json.loads(table.proto.columns).items()}
    chosen = [widths[c] for c in ("task", "status", "flag", "percent", "latest_month", "lead_units")]
    assert all(chosen) and sum(chosen) <= 938 - 34       # the main area at 1400 px, less the row pickers
    assert table.proto.row_height > 64
