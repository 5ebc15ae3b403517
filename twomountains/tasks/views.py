"""What the pages show, as plain data: the task list, a department's view and the half-year summary.

Goal statuses come in as {indicator code: status} from the scorecard (twomountains.scorecard), so
these functions stay pure and are tested without Streamlit or a database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from twomountains.periods import Period
from twomountains.tasks import rules
from twomountains.tasks.book import TaskBook
from twomountains.tasks.progress import latest_reports, task_statuses


def task_table(book: TaskBook, goal_status: dict[str, str], up_to_month: str | None = None,
               received_by: date | None = None) -> pd.DataFrame:
    """One row per task in the plan's order: status, percent, lead and responsible units, linked goals."""
    statuses = task_statuses(book.units, book.reports, up_to_month, received_by).set_index("task_code")
    sections = book.sections.set_index("code")
    rows = []
    for task in book.tasks.itertuples():
        members = book.units[book.units.task_code == task.code]
        indicators = book.links[book.links.task_code == task.code].indicator_code.tolist()
        state = statuses.loc[task.code] if task.code in statuses.index else None
        rows.append({
            "code": task.code, "section": task.section, "section_order": int(sections.loc[task.section, "order"]),
            "clause": task.clause, "title_zh": task.title_zh, "title_en": task.title_en,
            "description_zh": task.description_zh, "description_en": task.description_en,
            "status": "no_report" if state is None else state.status,
            "percent": None if state is None or pd.isna(state.percent) else float(state.percent),
            "latest_month": None if state is None else state.latest_month,
            "lead_units": members[members.role == "lead"].sort_values("position").unit_code.tolist(),
            "responsible_units": members[members.role == "responsible"].sort_values("position").unit_code.tolist(),
            "indicators": indicators,
            "goal_statuses": [goal_status.get(code, "no_data") for code in indicators],
        })
    return pd.DataFrame(rows)


def filter_tasks(table: pd.DataFrame, sections=(), units=(), statuses=()) -> pd.DataFrame:
    """The tasks in any of the sections, led or shared by any of the units, with any of the statuses."""
    keep = pd.Series(True, index=table.index)
    if sections:
        keep &= table.section.isin(sections)
    if units:
        keep &= pd.Series([bool(set(units) & set(lead + shared))
                           for lead, shared in zip(table.lead_units, table.responsible_units)], index=table.index)
    if statuses:
        keep &= table.status.isin(statuses)
    return table[keep]


@dataclass
class DepartmentView:
    unit: str
    leads: pd.DataFrame             # task_table rows of the tasks it leads
    shares: pd.DataFrame            # ... and of those it shares as a responsible unit
    latest: pd.DataFrame            # its latest report on each of its tasks
    compliance: pd.DataFrame        # its row of the compliance table, month by month
    missing_months: list[str]       # months with a report owed and none (or not all) received
    late_months: list[str]
    goals: pd.DataFrame             # indicator_code, status, tasks (its tasks that serve the goal)


def department_view(book: TaskBook, unit: str, goal_status: dict[str, str], as_of: date) -> DepartmentView:
    table = task_table(book, goal_status, received_by=as_of)
    mine = book.units[book.units.unit_code == unit]
    leads = table[table.code.isin(mine[mine.role == "lead"].task_code)]
    shares = table[table.code.isin(mine[mine.role == "responsible"].task_code)]
    latest = latest_reports(book.reports[book.reports.unit_code == unit], received_by=as_of)
    order = {code: position for position, code in enumerate(book.tasks.code)}
    latest = latest.sort_values("task_code", key=lambda s: s.map(order))
    compliance = rules.compliance(mine, book.reports[book.reports.unit_code == unit], rules.reporting_months(), as_of)
    goals = []
    for link in book.links[book.links.task_code.isin(mine.task_code)].itertuples():
        goals.append((link.indicator_code, link.task_code))
    goal_frame = (pd.DataFrame(goals, columns=["indicator_code", "task_code"])
                  .groupby("indicator_code", sort=False).task_code.apply(list).rename("tasks").reset_index())
    goal_frame["status"] = [goal_status.get(code, "no_data") for code in goal_frame.indicator_code]
    return DepartmentView(
        unit=unit, leads=leads, shares=shares, latest=latest, compliance=compliance,
        missing_months=compliance[compliance.status.isin(rules.FAILED)].month.tolist(),
        late_months=compliance[compliance.status == "late"].month.tolist(),
        goals=goal_frame,
    )


def goals_year(year: int, half: int) -> int:
    """The year whose goal statuses a half-year report shows: the year itself for July–December,
    the year before for January–June (annual figures for the current year are not out yet)."""
    return year if half == 2 else year - 1


def compiled_on(year: int, half: int) -> date:
    """The day the office compiles a half-year report: when the half's last monthly report is due."""
    return rules.due_date(rules.half_year_months(year, half)[-1])


@dataclass
class HalfYearSummary:
    year: int
    half: int
    months: list[str]
    compiled_on: date
    goals_year: int
    tasks: pd.DataFrame                     # task_table at the end of the half
    done_in_half: list[str]                 # tasks reported done during the half
    delayed: list[str]
    status_counts: dict[str, int]
    problems: dict[str, list[dict]]         # delayed task -> each unit's latest problems (unit_code, month, problems_zh/en)
    goals: dict[str, str]                   # indicator code -> status, as of goals_year
    compliance: pd.DataFrame                # unit_totals over the half
    units_missing: list[str]                # units with a month not (fully) reported
    units_late: list[str]
    on_time_share: float | None = None


def half_year_summary(book: TaskBook, year: int, half: int, goal_status: dict[str, str]) -> HalfYearSummary:
    """What the leading group's office reports to the district leadership for one half year."""
    months = rules.half_year_months(year, half)
    if not months:
        raise ValueError(f"{year}H{half} is outside the reporting period")
    day = compiled_on(year, half)
    last = str(months[-1])
    table = task_table(book, goal_status, up_to_month=last, received_by=day)
    before = task_statuses(book.units, book.reports, up_to_month=str(_month_before(months[0])), received_by=day)
    done_before = set(before[before.status == "done"].task_code)
    done_now = table[table.status == "done"].code.tolist()
    delayed = table[table.status == "delayed"].code.tolist()
    in_half = book.reports[book.reports.month.isin([str(m) for m in months])]
    problems = {}
    for task in delayed:
        rows = in_half[(in_half.task_code == task) & (in_half.status == "delayed")
                       & (in_half.problems_zh.notna() | in_half.problems_en.notna())]
        latest = rows.sort_values("month").groupby("unit_code").tail(1)
        problems[task] = latest[["unit_code", "month", "problems_zh", "problems_en"]].to_dict("records")
    compliance = rules.compliance(book.units, book.reports, months, day)
    totals = rules.unit_totals(compliance)
    owed = totals.months.sum()
    return HalfYearSummary(
        year=year, half=half, months=[str(m) for m in months], compiled_on=day, goals_year=goals_year(year, half),
        tasks=table, done_in_half=[t for t in done_now if t not in done_before], delayed=delayed,
        status_counts=table.status.value_counts().to_dict(), problems=problems, goals=goal_status,
        compliance=totals,
        units_missing=totals[(totals.partial + totals.missing) > 0].unit_code.tolist(),
        units_late=totals[totals.late > 0].unit_code.tolist(),
        on_time_share=float(totals.reported.sum() / owed) if owed else None,
    )


def _month_before(period: Period) -> Period:
    return Period(period.year - 1, month=12) if period.month == 1 else Period(period.year, month=period.month - 1)


def done_but_goals_missed(table: pd.DataFrame) -> pd.Series:
    """Per task_table row: marked done while a goal it serves was missed (what a leader asks about)."""
    return pd.Series([status == "done" and "missed" in goals for status, goals in zip(table.status, table.goal_statuses)],
                     index=table.index, dtype=bool)


def task_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The task list as a compact table's rows, worst first: delayed, done but goals missed, no report,
    not started, in progress, done; plan order within. Columns: code, status, percent, latest_month, flagged (done but goals missed)."""
    order = {"delayed": 0, "no_report": 2, "not_started": 3, "in_progress": 4, "done": 5}
    flagged = done_but_goals_missed(table)
    # A task done while its goals were missed comes right after the delayed ones.
    rows = table.assign(flagged=flagged, rank=table.status.map(order).fillna(6).where(~flagged, 1),
                        plan=range(len(table)))
    rows = rows.sort_values(["rank", "plan"], kind="stable")
    return rows[["code", "status", "percent", "latest_month", "flagged"]].reset_index(drop=True)


def report_changes(changes, book: TaskBook, lang: str, kinds=("insert", "update", "unchanged")) -> pd.DataFrame:
    """What a checked report file or form would write, one row per report of the kinds asked for: the task,
    unit and month, and the status and percent complete before (blank for a new report) and after."""
    titles = book.tasks.set_index("code")[f"title_{lang}"]
    rows = [{"task": f"{key[0]} {titles.get(key[0], '')}".strip(), "unit": book.unit_name(key[1], lang),
             "month": key[2], "old_status": None if old is None else old.get("status"), "new_status": new.get("status"),
             "old_percent": None if old is None else _percent(old.get("percent_complete")),
             "new_percent": _percent(new.get("percent_complete"))}
            for key, kind, old, new in ((c.key, c.kind, c.old, c.new) for c in changes) if kind in kinds]
    columns = ["task", "unit", "month", "old_status", "new_status", "old_percent", "new_percent"]
    return pd.DataFrame(rows, columns=columns).astype({"old_percent": "Float64", "new_percent": "Float64"})


def _percent(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
