"""The tasks of the plan's part 二 and everything about them, as one bundle of data frames.

Read from the files under data/tasks/ (build-db inserts them) or from the database (the pages).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from twomountains import metadata
from twomountains.paths import DATA_DIR

ROLES = ("lead", "responsible")
REPORT_COLUMNS = ["task_code", "unit_code", "month", "status", "percent_complete", "done_zh", "done_en",
                  "problems_zh", "problems_en", "next_step_zh", "next_step_en", "submitted_on", "quality"]


class TaskDataError(ValueError):
    """A file under data/tasks/ names a unit, task or indicator that does not exist."""


def split_units(cell) -> list[str]:
    """'ecoenv;water' -> ['ecoenv', 'water']; an empty cell -> []."""
    if not isinstance(cell, str) or not cell.strip():
        return []
    return [code.strip() for code in cell.split(";") if code.strip()]


def task_units(tasks: pd.DataFrame) -> pd.DataFrame:
    """task_code, unit_code, role (lead | responsible), position: one row per unit of a task, in the plan's order."""
    rows = []
    for task in tasks.itertuples():
        for role, cell in (("lead", task.lead_units), ("responsible", task.responsible_units)):
            for position, unit in enumerate(split_units(cell), start=1):
                rows.append((task.code, unit, role, position))
    return pd.DataFrame(rows, columns=["task_code", "unit_code", "role", "position"])


@dataclass
class TaskBook:
    sections: pd.DataFrame      # code, order, number, title_zh, title_en
    tasks: pd.DataFrame         # code, section, number, clause, title_*, description_*, lead_units, responsible_units
    units: pd.DataFrame         # task_code, unit_code, role, position
    links: pd.DataFrame         # task_code, indicator_code
    milestones: pd.DataFrame    # code, task_code, indicator_code, plan_text, name_zh, name_en
    reports: pd.DataFrame       # REPORT_COLUMNS (+ upload_id in the database)
    departments: pd.DataFrame   # departments.csv, indexed by code

    def task(self, code: str) -> pd.Series:
        return self.tasks.set_index("code").loc[code]

    def unit_name(self, code: str, lang: str) -> str:
        return self.departments.loc[code, f"name_{lang}"]

    def reporting_units(self) -> list[str]:
        """Every unit that owes reports, in the order of departments.csv."""
        named = set(self.units.unit_code)
        return [code for code in self.departments.index if code in named]


def check_references(book: TaskBook, indicator_codes) -> None:
    """Every unit, task and indicator the task files name exists; raises TaskDataError."""
    departments = set(book.departments.index)
    tasks = set(book.tasks.code)
    problems = []
    for unit in sorted(set(book.units.unit_code) - departments):
        problems.append(f"tasks.csv: unit {unit!r} is not in departments.csv")
    duplicated = book.units[book.units.duplicated(["task_code", "unit_code"])]
    problems += [f"tasks.csv: {r.task_code} names {r.unit_code!r} twice" for r in duplicated.itertuples()]
    for section in sorted(set(book.tasks.section) - set(book.sections.code)):
        problems.append(f"tasks.csv: unknown section {section!r}")
    for frame, name in ((book.links, "task_indicators.csv"), (book.milestones, "milestones.csv")):
        problems += [f"{name}: unknown task {c!r}" for c in sorted(set(frame.task_code) - tasks)]
        problems += [f"{name}: unknown indicator {c!r}" for c in sorted(set(frame.indicator_code) - set(indicator_codes))]
    owed = set(zip(book.units.task_code, book.units.unit_code))
    for report in book.reports.itertuples():
        if (report.task_code, report.unit_code) not in owed:
            problems.append(f"reports: {report.unit_code!r} is not a unit of task {report.task_code!r}")
            break
    if problems:
        raise TaskDataError("; ".join(problems))


def load_files(data_dir: Path = DATA_DIR) -> TaskBook:
    """The task files under data/tasks/, validated against their schemas and each other."""
    tasks = metadata.load_table("tasks", data_dir)
    book = TaskBook(
        sections=metadata.load_table("task_sections", data_dir),
        tasks=tasks,
        units=task_units(tasks),
        links=metadata.load_table("task_indicators", data_dir),
        milestones=metadata.load_table("task_milestones", data_dir),
        reports=metadata.load_table("task_reports_demo", data_dir),
        departments=metadata.load_table("departments", data_dir).set_index("code"),
    )
    check_references(book, metadata.load_table("indicators", data_dir).code)
    return book


def load_database(db) -> TaskBook:
    """The same bundle from the database (reports as they stand after uploads)."""
    reports = db.query("task_reports")
    return TaskBook(
        sections=db.query("task_sections"),
        tasks=db.query("task_list"),
        units=db.query("task_unit_roles"),
        links=db.query("task_indicator_links"),
        milestones=db.query("task_milestones"),
        reports=reports,
        departments=metadata.load_table("departments").set_index("code"),
    )


TABLES = {"task_sections": "sections", "tasks": "tasks", "task_units": "units", "task_indicators": "links",
          "task_milestones": "milestones"}


def insert_all(con, data_dir: Path = DATA_DIR, insert=None) -> None:
    """Fill the task tables of a database being built (build-db calls this with its insert function)."""
    book = load_files(data_dir)
    for table, attribute in TABLES.items():
        insert(con, table, getattr(book, attribute))
    insert(con, "task_reports", book.reports[REPORT_COLUMNS])
