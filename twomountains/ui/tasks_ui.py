"""Pieces the task pages share: status badges, grid cells, unit names, and the analyst login gate."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from twomountains.text import markdown_text, plan_clause_label
from twomountains.ui import login, session
from twomountains.ui.session import tr
from twomountains.ui.tables import full_height, row_height, text_width, wrapped_lines

# Task status: icon and badge colour (the text always goes with them, never colour alone).
TASK_BADGES = {"done": ("check_circle", "green"), "in_progress": ("pending", "blue"),
               "delayed": ("warning", "orange"), "not_started": ("radio_button_unchecked", "gray"),
               "no_report": ("help", "gray")}
# Task status as a table cell's background (light, with dark text; the text names the status).
TASK_COLOURS = {"done": "#DDF2E8", "in_progress": "#DCEBF7", "delayed": "#FCE9C8", "not_started": "#EEEEEE",
                "no_report": "#F3F3F3"}
# Compliance cells: a symbol and the text, on a light background.
CELL_SYMBOLS = {"reported": "✓", "late": "◷", "partial": "◐", "missing": "✗", "not_due": "…", "not_required": "–"}
FLAG_COLOUR = "#F6C6CF"     # a task reported done while a goal it serves was missed
CELL_COLOURS = {"reported": "#DDF2E8", "late": "#FCE9C8", "partial": "#F9D8C4", "missing": "#F6C6CF",
                "not_due": "#EEEEEE", "not_required": "#FFFFFF"}


def task_badge_markdown(status: str) -> str:
    icon, colour = TASK_BADGES[status]
    return f":{colour}-badge[:material/{icon}: {tr(f'tasks.status.{status}')}]"


REPORT_BADGES = {"done": ("check_circle", "green"), "in_progress": ("pending", "blue"),
                 "delayed": ("warning", "orange"), "not_started": ("radio_button_unchecked", "gray")}


def report_badge_markdown(status: str) -> str:
    """A report's own status (as the unit wrote it), by icon and text."""
    icon, colour = REPORT_BADGES[status]
    return f":{colour}-badge[:material/{icon}: {tr(f'tasks.report_status.{status}')}]"


def goal_badge_markdown(status: str) -> str:
    row = session.statuses().loc[status]
    return f":{row.badge}-badge[:material/{row.icon}: {markdown_text(row[f'name_{session.language()}'])}]"


def cell_label(status: str) -> str:
    return f"{CELL_SYMBOLS[status]} {tr(f'tasks.cell.{status}')}"


def unit_name(code: str) -> str:
    return session.departments().loc[code, f"name_{session.language()}"]


def unit_list(codes, short: bool = False) -> str:
    """The units' names; `short`: in English without "District " (grid_unit_name), for a table's narrow column."""
    separator = "、" if session.language() == "zh" else "; "
    return separator.join((grid_unit_name if short else unit_name)(c) for c in codes) or tr("tasks.none")


def task_label(task) -> str:
    """'二(二)3 实施环境质量提升工程' or 'Part 2 (2) item 3 Environmental quality improvement'."""
    lang = session.language()
    return f"{plan_clause_label(task['clause'], lang)} {task[f'title_{lang}']}"


def section_label(section) -> str:
    if session.language() == "zh":
        return f"{section['number']}{section['title_zh']}"
    return f"({int(section['order'])}) {section['title_en']}"


def localised_text(record: dict, field: str) -> str:
    """A report's free text in the reader's language, else the other language marked as the original."""
    from twomountains.tasks.document import report_text
    text, original = report_text(record, field, session.language())
    if text is None:
        return ""
    return f"{text} ({tr(f'tasks.original.{original}')})" if original else text


def analyst_user() -> dict | None:
    """The logged-in analyst ({name, role}), or None after showing the login form (twomountains.ui.login: the
    upload page's accounts and session key, so logging in on either page is enough for both)."""
    user = login.user()
    if user is not None:
        left, right = st.columns([4, 1])
        left.caption(tr("tasks.login.as", name=markdown_text(user["name"])))
        if right.button(tr("tasks.login.logout"), key="tasks.logout"):
            login.log_out()
            st.rerun()
        return user
    st.info(tr("tasks.login.required"))
    login.form("tasks.login")
    return None


def styled_grid(grid: pd.DataFrame):
    """The compliance grid (cell statuses) as labelled, coloured cells."""
    labels = grid.map(lambda s: cell_label(s) if isinstance(s, str) else "")
    colours = grid.map(lambda s: f"background-color: {CELL_COLOURS.get(s, '#FFFFFF')}; color: #222222")
    return labels.style.apply(lambda _: colours, axis=None)


def styled_task_table(frame: pd.DataFrame, colours: dict[str, str], status: str = "status", flag: str = "flag"):
    """The tasks' table with each status's colour (`colours`: status label -> background) and the flagged cells
    in pink (`status`, `flag`: those columns' names). A task without a flag has no text in its cell: pandas
    keeps that as NaN, which is not a flag."""
    return frame.style.map(lambda label: f"background-color: {colours.get(label, '#FFFFFF')}; color: #222222",
                           subset=[status]).map(
        lambda text: f"background-color: {FLAG_COLOUR}; color: #222222" if isinstance(text, str) and text else "",
        subset=[flag])


# The key tasks' table (st.table in a container keyed tasks_table): the short columns (status, percent, latest
# report) and the headers on one line (their Markdown paragraphs: Streamlit sets those to wrap), the task and its
# lead units wrapping in the width left, so each row is as tall as its own longest text.
TASK_TABLE_CSS = """<style>
.st-key-tasks_table th p, .st-key-tasks_table td:nth-child(2) p, .st-key-tasks_table td:nth-child(4) p,
.st-key-tasks_table td:nth-child(5) p { white-space: nowrap !important; }
.st-key-tasks_table td:nth-child(1) { width: 25%; }
.st-key-tasks_table td:nth-child(3) { min-width: 7em; }
.st-key-tasks_table td:nth-child(6) { width: 55%; }
@media (max-width: 640px) {   /* a phone: the table scrolls sideways in its box, its rows a few lines tall */
  .st-key-tasks_table td:nth-child(1) { min-width: 12em; }
  .st-key-tasks_table td:nth-child(6) { min-width: 16em; }
}
</style>"""


def task_overview_table(rows: pd.DataFrame, tasks: pd.DataFrame, status_labels: dict[str, str]):
    """The key tasks at a glance (rows: views.task_rows, worst first; tasks: the task table by code), for
    st.table: each task as a link to its card alone, its status and flag coloured, its percent complete, latest
    report and lead units (in English without "District "). Headers in the reader's language; every text from
    the data escaped as Markdown (st.table renders its cells' Markdown)."""
    none = "—"
    columns = {name: tr(f"tasks.col.{name}") for name in ("task", "status", "flag", "percent", "latest_month",
                                                          "lead_units")}
    frame = pd.DataFrame({
        columns["task"]: [f"[{markdown_text(task_label(tasks.loc[c].to_dict()))}]({task_url(c)})" for c in rows.code],
        columns["status"]: [status_labels[s] for s in rows.status],
        columns["flag"]: [tr("tasks.flag.cell") if f else "" for f in rows.flagged],
        columns["percent"]: [none if p is None or p != p else f"{p:.0f}%" for p in rows.percent],
        columns["latest_month"]: [m or none for m in rows.latest_month],
        columns["lead_units"]: [markdown_text(unit_list(tasks.loc[c, "lead_units"], short=True)) for c in rows.code],
    })
    return styled_task_table(frame, {label: TASK_COLOURS[s] for s, label in status_labels.items()},
                             status=columns["status"], flag=columns["flag"])


def grid_unit_name(code: str) -> str:
    """A unit's name for the rows of a wide grid: in English without the leading "District ", which
    every district unit shares (the Chinese names are short enough as they are)."""
    name = unit_name(code)
    return name.removeprefix("District ") if session.language() == "en" else name


def name_column_width(names) -> int:
    """Pixels for a column of names (a CJK character is about twice a Latin letter), within 160-490."""
    widest = max((text_width(name) for name in names), default=66)
    return max(160, min(490, round(widest) + 28))


# A table of units beside six months (or six counts) at 1400 px: the names' column at most this wide leaves the
# months theirs, every month in view; a longer name wraps onto a second line, in rows tall enough for two.
UNIT_COLUMN_MAX = 300


@dataclass(frozen=True)
class UnitTable:
    """How a table of units is drawn: its names' column, its rows' height and the table's height."""
    column: object          # st.column_config.TextColumn
    row_height: int
    height: int


def unit_table(names, label: str | None = None) -> UnitTable:
    """The names' column as wide as its longest name needs, up to UNIT_COLUMN_MAX; the rows two lines tall
    where a name needs more (so every name is read in full), and the table tall enough to show every row."""
    needed = name_column_width(names)
    width = min(needed, UNIT_COLUMN_MAX)
    rows = row_height(2 if needed > width else 1)
    return UnitTable(st.column_config.TextColumn(label, width=width), rows, full_height(len(names), rows))


# The monthly grid on a phone (~358 px inside the page's margins at 390 px): the names' column and one month's.
PHONE_NAME_WIDTH, PHONE_CELL_WIDTH = 205, 140


def phone_unit_table(names, label: str | None = None, pinned: bool = False) -> UnitTable:
    """The names' column of a table of units on a phone: PHONE_NAME_WIDTH wide (`pinned`: kept in view while the
    other columns scroll sideways), its rows as tall as the longest name needs when it wraps (three lines for the
    longest English names), the table tall enough for every row."""
    rows = row_height(wrapped_lines(names, PHONE_NAME_WIDTH))
    return UnitTable(st.column_config.TextColumn(label, width=PHONE_NAME_WIDTH, pinned=pinned or None), rows,
                     full_height(len(names), rows))


def latest_due_column(grid: pd.DataFrame):
    """The grid's last month that some unit owes a report for (not all "not yet due" or "not required"), else its
    first: the month a phone shows first."""
    owed = [column for column in grid.columns if grid[column].isin(["reported", "late", "partial", "missing"]).any()]
    return owed[-1] if owed else grid.columns[0]


def goal_link_markdown(code: str, as_of: int | None = None, name: str | None = None) -> str:
    """A goal's (or a milestone's) name as a Markdown link to its indicator page (name escaped)."""
    if name is None:
        name = session.catalog_by_code().loc[code, f"name_{session.language()}"]
    return f"[{markdown_text(name)}]({goal_url(code, as_of)})"


def goal_url(code: str, as_of: int | None = None) -> str:
    """An indicator's page, relative to the current page (so it works under any server.baseUrlPath).
    Streamlit opens Markdown and table links in a new tab: the page the reader came from stays as it was."""
    year = f"&as_of={as_of}" if as_of else ""
    return f"indicator?indicator={code}&lang={session.language()}{year}"


def task_link_markdown(code: str, task) -> str:
    """A task's clause and title as a Markdown link to that task on the task list (?task=CODE)."""
    return f"[{markdown_text(task_label(task))}]({task_url(code)})"


def task_url(code: str) -> str:
    """The task list showing one task (for link columns of tables)."""
    return f"tasks?task={code}&lang={session.language()}"


def quality_badge(quality: str) -> str:
    from twomountains.overview import quality_badge as badge
    return badge(quality, session.language())


def flag_badge() -> str:
    """The mark of a task reported done while a goal it serves was missed."""
    return f":red-badge[:material/flag: {tr('tasks.flag.badge')}]"
