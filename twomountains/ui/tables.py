"""How tall an st.dataframe and its rows must be to show every row, and every line of a wrapped cell.

Streamlit sizes a table from its rows, one header row and a border above and below: rows x row height
+ header height + 2 x border (the frontend's `Rg` in static/js/DataFrame.*.js of Streamlit 1.67, whose theme
gives the header row 2.1875rem = 35 px and the border 1 px). The header keeps its height when `row_height`
makes the rows taller. A table given exactly this height shows every row and no empty space below.

A long text wraps in its column only in rows taller than 4rem; `wrapped_lines` estimates the lines a column's
longest text takes at a width, and `row_height` the rows that hold them (measured in Chromium: cells of two and
five lines in the task and routes tables).
"""
from __future__ import annotations

import math

ROW_HEIGHT = 35          # Streamlit's default row (2.1875rem)
HEADER_HEIGHT = 35       # the header row, whatever the rows' height
BORDER = 1               # the table's border, above the header and below the last row


def full_height(rows: int, row_height: int = ROW_HEIGHT) -> int:
    """The height in px of a table of `rows` rows of `row_height` px that shows them all."""
    return rows * row_height + HEADER_HEIGHT + 2 * BORDER


def text_width(text) -> float:
    """Pixels a text takes in a table cell: 6.6 px a Latin letter, a CJK character about twice that."""
    return 6.6 * sum(2.1 if ord(ch) > 0x2E80 else 1 for ch in str(text))


# A cell wrapped over several lines (Streamlit wraps only in rows taller than 4rem): its lines ~19 px apart, and
# the cell's padding above and below; two lines fit 65 px, five 122 px.
LINE_HEIGHT, WRAPPED_PADDING = 19, 27
CELL_PADDING = 17          # a cell's text starts and ends this many px inside its column (both sides)
# A line of Latin text wraps at a word's end, so it holds ~85% of what its width would; Chinese wraps at any
# character, and a line is nearly full.
WORD_WRAP_SLACK, CJK_WRAP_SLACK = 0.85, 0.97


def wrapped_lines(texts, width: int) -> int:
    """Lines the longest of `texts` takes in a column `width` px wide."""
    def lines(text) -> int:
        cjk = sum(1 for ch in str(text) if ord(ch) > 0x2E80) * 2 > len(str(text))
        return math.ceil(text_width(text) / ((width - CELL_PADDING) * (CJK_WRAP_SLACK if cjk else WORD_WRAP_SLACK)))
    return max((lines(text) for text in texts), default=1)


def row_height(lines: int) -> int:
    """Rows tall enough for `lines` lines of a wrapped cell (one line: Streamlit's own row)."""
    return ROW_HEIGHT if lines <= 1 else lines * LINE_HEIGHT + WRAPPED_PADDING
