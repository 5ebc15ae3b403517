"""What a browser test can tell of an st.dataframe: Streamlit draws its cells on a canvas, so the text is not in
the page; its box and its scrolling area (glide-data-grid's `.dvn-scroller`) say whether every column and row is
in view: a column past the table's right edge makes the area scroll sideways, a row below it downwards."""
from __future__ import annotations

_GEOMETRY = """table => {
  const scroller = table.querySelector('.dvn-scroller'), box = table.getBoundingClientRect();
  return {left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          scroll_width: scroller.scrollWidth, client_width: scroller.clientWidth,
          scroll_height: scroller.scrollHeight, client_height: scroller.clientHeight,
          headers: [...table.querySelectorAll('th')].map(th => th.innerText.trim())};
}"""


def table_geometry(page, index: int = 0) -> dict:
    """The index-th table of the page: its box in the viewport, its scrolling area's full and shown sizes, and its
    column headers (from the grid's accessible table)."""
    return geometry_of(page.locator("[data-testid='stDataFrame']").nth(index))


def geometry_of(table) -> dict:
    """table_geometry of the table a locator names (e.g. the one inside a keyed container)."""
    table.wait_for()
    return table.evaluate(_GEOMETRY)


def assert_every_column_in_view(page, index: int = 0, every_row: bool = True) -> dict:
    """Every column of the table is drawn inside it, and the table inside the viewport: the last column (its
    header and cells) is not cut at the right edge; with every_row, no row hides below the table either."""
    geometry = table_geometry(page, index)
    assert geometry["scroll_width"] <= geometry["client_width"], geometry        # no column beyond the right edge
    assert geometry["left"] >= 0 and geometry["right"] <= page.viewport_size["width"], geometry
    if every_row:
        assert geometry["scroll_height"] <= geometry["client_height"], geometry
    return geometry
