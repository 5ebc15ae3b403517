"""The half-year report to the district leadership as a Word document (.docx), in Chinese or English.

Built from a HalfYearSummary; every fixed text comes from the translation files (tasks.doc.*), unit
and goal names from their zh/en columns. Text the units wrote goes in as plain text runs.
"""
from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from twomountains.i18n import t
from twomountains.tasks import rules
from twomountains.tasks.book import TaskBook
from twomountains.tasks.views import HalfYearSummary
from twomountains.text import plan_clause_label

FONTS = {"zh": ("SimSun", "宋体"), "en": ("Calibri", "宋体")}


def report_text(record, field: str, lang: str) -> tuple[str | None, str | None]:
    """A free-text field of a report in the reader's language, else in the other one:
    (text, the language it is in when that is not the reader's)."""
    own = record.get(f"{field}_{lang}")
    if isinstance(own, str) and own.strip():
        return own, None
    other = "en" if lang == "zh" else "zh"
    text = record.get(f"{field}_{other}")
    if isinstance(text, str) and text.strip():
        return text, other
    return None, None


def _percent(value) -> str:
    return "—" if value is None or pd.isna(value) else f"{value:.0f}%"


def _join(names, lang: str) -> str:
    return ("、" if lang == "zh" else "; ").join(names)


def half_year_label(year: int, half: int, lang: str) -> str:
    return t(f"tasks.half.{half}", lang, year=year)


def build_docx(summary: HalfYearSummary, book: TaskBook, catalog: pd.DataFrame, statuses: pd.DataFrame,
               lang: str, has_demo: bool) -> bytes:
    """The document's bytes. `catalog` and `statuses` are indexed by code (names in name_zh/name_en)."""
    def tr(key, **params):
        return t(f"tasks.doc.{key}", lang, **params)

    def unit(code):
        return book.unit_name(code, lang)

    def task_title(code):
        row = summary.tasks.set_index("code").loc[code]
        return f"{plan_clause_label(row.clause, lang)} {row[f'title_{lang}']}"

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, east_asian = FONTS[lang]
    normal.font.size = Pt(11)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    for style in ("Title", "Heading 1", "Heading 2"):
        document.styles[style].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)

    period = half_year_label(summary.year, summary.half, lang)
    document.add_heading(tr("title", period=period), level=0)
    document.add_paragraph(tr("byline", office=unit("leading_group_office"), date=summary.compiled_on.isoformat()))
    if has_demo:
        document.add_paragraph(tr("demo_notice")).runs[0].italic = True

    counts = summary.status_counts
    total = len(summary.tasks)
    document.add_heading(tr("overview_heading"), level=1)
    document.add_paragraph(tr("overview", total=total, done=counts.get("done", 0),
                              in_progress=counts.get("in_progress", 0), delayed=counts.get("delayed", 0),
                              not_started=counts.get("not_started", 0) + counts.get("no_report", 0),
                              months=f"{summary.months[0]} – {summary.months[-1]}"))
    if summary.done_in_half:
        document.add_paragraph(tr("done_in_half", tasks=_join([task_title(c) for c in summary.done_in_half], lang)))
    else:
        document.add_paragraph(tr("none_done_in_half"))

    document.add_heading(tr("tasks_heading"), level=1)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, key in zip(table.rows[0].cells, ("clause", "task", "lead_units", "status", "percent")):
        cell.text = tr(f"col.{key}")
    for row in summary.tasks.itertuples():
        cells = table.add_row().cells
        cells[0].text = plan_clause_label(row.clause, lang)
        cells[1].text = getattr(row, f"title_{lang}")
        cells[2].text = _join([unit(c) for c in row.lead_units], lang)
        cells[3].text = t(f"tasks.status.{row.status}", lang)
        cells[4].text = _percent(row.percent)

    document.add_heading(tr("delayed_heading"), level=1)
    if not summary.delayed:
        document.add_paragraph(tr("no_delayed"))
    for code in summary.delayed:
        document.add_paragraph(task_title(code), style="List Bullet")
        for record in summary.problems.get(code, []):
            text, original = report_text(record, "problems", lang)
            if text:
                suffix = f" ({t(f'tasks.original.{original}', lang)})" if original else ""
                document.add_paragraph(t("tasks.half.problem_line", lang, unit=unit(record["unit_code"]),
                                         month=record["month"], text=text + suffix), style="List Bullet 2")

    document.add_heading(tr("goals_heading", year=summary.goals_year), level=1)
    goal_codes = [c for c in catalog.index if c in summary.goals]
    met = [c for c in goal_codes if summary.goals[c] in ("achieved", "on_track")]
    lagging = [c for c in goal_codes if bool(statuses.loc[summary.goals[c], "is_lagging"])]
    document.add_paragraph(tr("goals_summary", total=len(goal_codes), met=len(met), lagging=len(lagging)))
    for key, codes in (("goals_met", met), ("goals_lagging", lagging)):
        if codes:
            document.add_paragraph(tr(key), style="List Bullet")
            for code in codes:
                document.add_paragraph(f"{catalog.loc[code, f'name_{lang}']}: "
                                       f"{statuses.loc[summary.goals[code], f'name_{lang}']}", style="List Bullet 2")

    document.add_heading(tr("reporting_heading"), level=1)
    share = "—" if summary.on_time_share is None else f"{summary.on_time_share * 100:.0f}%"
    document.add_paragraph(tr("reporting_summary", units=len(summary.compliance), share=share,
                              missing=len(summary.units_missing), late=len(summary.units_late)))
    flagged = summary.compliance[summary.compliance.unit_code.isin(set(summary.units_missing) | set(summary.units_late))]
    if flagged.empty:
        document.add_paragraph(tr("all_on_time"))
    else:
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, key in zip(table.rows[0].cells, ("unit", "months", "late", "partial", "missing")):
            cell.text = tr(f"col.{key}")
        for row in flagged.itertuples():
            cells = table.add_row().cells
            cells[0].text = unit(row.unit_code)
            for cell, value in zip(cells[1:], (row.months, row.late, row.partial, row.missing)):
                cell.text = str(int(value))
    document.add_paragraph(tr("rule", day=rules.DUE_DAY))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
