"""The plan workbook template: the 2025 plan as a filled-in workbook, CSV (UTF-8 with BOM) or Excel."""
from __future__ import annotations

import csv
import io

from twomountains.access import Database
from twomountains.exports import neutralise_cell
from twomountains.i18n import t
from twomountains.plans import goals as plan_goals
from twomountains.plans.workbook import DEFINITION_FIELDS, RECORD_FIELDS, TARGET_FIELDS, _plain, header_for


def template_rows(db: Database, lang: str, plan: str | None = None) -> list[list]:
    """A plan workbook as one sheet: the record's fields, a blank row, the targets' header and rows.

    Filled with a later plan (default: the first one that is not the default plan) so an analyst sees
    every field used; change the code and the values to load a new plan. Numbers stay numbers."""
    plans = db.query("plans")
    default = plan_goals.default_plan(plans)
    chosen = plan or next((c for c in plans.code if c != default), None)
    rows: list[list] = [[header_for("section_field", lang), header_for("section_value", lang)]]
    record = plans.set_index("code").loc[chosen].to_dict() if chosen else {}
    for name in RECORD_FIELDS:
        value = chosen if name == "code" else _plain(record.get(name))
        if isinstance(value, bool):
            value = "true" if value else "false"
        rows.append([header_for(name, lang), "" if value is None else value])
    rows.append([])
    rows.append([header_for(f, lang) for f in TARGET_FIELDS + DEFINITION_FIELDS])
    targets = db.query("plan_targets_all")
    for row in targets[targets.plan_code == chosen].to_dict("records"):
        cells = []
        for name in TARGET_FIELDS:
            value = _plain(row.get(name))
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            cells.append("" if value is None else value)
        rows.append(cells)
    return rows


def template_bytes(db: Database, lang: str, kind: str = "csv") -> bytes:
    """The template as CSV (UTF-8 with BOM, CRLF) or Excel; text that looks like a formula is neutralised."""
    rows = [[neutralise_cell(cell) for cell in row] for row in template_rows(db, lang)]
    if kind == "xlsx":
        from openpyxl import Workbook
        book = Workbook()
        sheet = book.active
        sheet.title = "plan"
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return text.getvalue().encode("utf-8-sig")


def template_name(lang: str, kind: str = "csv") -> str:
    return f"{t('plans.upload.template_stem', lang)}.{kind}"
