import io

import openpyxl
import pandas as pd

from twomountains.exports import csv_bytes, neutralise_cell, xlsx_bytes


def test_cells_that_look_like_formulas_are_made_inert():
    assert neutralise_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    for prefix in "=+-@":
        assert neutralise_cell(prefix + "1").startswith("'")
    assert neutralise_cell("森林") == "森林"
    assert neutralise_cell(-3.5) == -3.5  # numbers keep their sign


def test_csv_and_xlsx_exports_are_formula_safe():
    frame = pd.DataFrame({"source": ["=cmd|' /C calc'!A0", "ok"], "value": [-1.0, 2.0]})
    text = csv_bytes(frame).decode("utf-8-sig")
    assert "'=cmd" in text and "-1.0" in text
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame))).active
    assert sheet["A2"].value.startswith("'=") and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -1.0
