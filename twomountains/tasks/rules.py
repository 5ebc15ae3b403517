"""The reporting rules of the plan's section 三(三)1 and the compliance of every unit, month by month.

The plan: "各责任单位每月向建设领导小组办公室报送任务措施及项目进展情况的工作信息 …
建设领导小组办公室每半年向区委、区政府专题汇报". It names no deadline day, so this is how the
dashboard reads it (docs/tasks.md says the same):

- Reporting period: from the month the plan was issued (April 2020; it was issued on 2020-04-01)
  to the end of its last year (December 2022).
- Who owes a report: every unit the plan names as lead (牵头单位) or responsible (责任单位) unit
  of a task owes one report per task per month. The two groups of townships (有关/各街道办事处、
  乡镇人民政府) report as one unit each, through the township that compiles their report.
- Until when: a unit owes no more reports on a task after the month it reported the task done.
- Deadline: a month's report is due by the DUE_DAY-th day of the following month (the 5th), inclusive.
  A report received later is late; a report still missing after the due date is missing.
- A unit-month is `reported` when every report it owes arrived on time, `late` when all arrived but
  one or more after the due date, `partial` when some arrived and some are missing after the due
  date, `missing` when none arrived by now, `not_due` while nothing is in and the due date is still
  ahead, and `not_required` when the unit owed nothing that month.
- The office reports to the district leadership every half year: January–June and July–December.
"""
from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from twomountains.periods import Period

FIRST_MONTH = Period(2020, month=4)
LAST_MONTH = Period(2022, month=12)
DUE_DAY = 5

CELL_STATUSES = ("reported", "late", "partial", "missing", "not_due", "not_required")
# Cell statuses that count against a unit in the compliance rate.
FAILED = ("partial", "missing")


def month(text: str) -> Period:
    """'2021-03' -> Period(2021, month=3)."""
    year, number = str(text).split("-")
    return Period(int(year), month=int(number))


def next_month(period: Period) -> Period:
    return Period(period.year + 1, month=1) if period.month == 12 else Period(period.year, month=period.month + 1)


def months_between(first: Period, last: Period) -> list[Period]:
    out, current = [], first
    while current <= last:
        out.append(current)
        current = next_month(current)
    return out


def reporting_months(first: Period = FIRST_MONTH, last: Period = LAST_MONTH) -> list[Period]:
    """Every month for which reports are owed."""
    return months_between(first, last)


def due_date(period: Period) -> date:
    """The last day on which a month's report is on time: the DUE_DAY-th of the next month."""
    following = next_month(period)
    return date(following.year, following.month, min(DUE_DAY, calendar.monthrange(following.year, following.month)[1]))


def is_on_time(period: Period, submitted_on: date) -> bool:
    return submitted_on <= due_date(period)


def half_year(period: Period) -> tuple[int, int]:
    return period.year, 1 if period.month <= 6 else 2


def half_year_months(year: int, half: int) -> list[Period]:
    """The months of a half year that fall in the reporting period."""
    months = [Period(year, month=m) for m in (range(1, 7) if half == 1 else range(7, 13))]
    return [m for m in months if FIRST_MONTH <= m <= LAST_MONTH]


def half_years() -> list[tuple[int, int]]:
    """Every half year of the reporting period, oldest first."""
    seen: list[tuple[int, int]] = []
    for period in reporting_months():
        if half_year(period) not in seen:
            seen.append(half_year(period))
    return seen


def _as_date(value) -> date:
    return pd.Timestamp(value).date()


def obligations(task_units: pd.DataFrame, reports: pd.DataFrame, months: list[Period]) -> pd.DataFrame:
    """task_code, unit_code, month: every report owed in `months` (until the unit reported the task done)."""
    done = reports[reports.status == "done"].groupby(["task_code", "unit_code"]).month.min()
    rows = []
    for pair in task_units[["task_code", "unit_code"]].drop_duplicates().itertuples(index=False):
        finished = done.get((pair.task_code, pair.unit_code))
        for period in months:
            if finished is not None and str(period) > finished:
                continue
            rows.append((pair.task_code, pair.unit_code, str(period)))
    return pd.DataFrame(rows, columns=["task_code", "unit_code", "month"])


def compliance(task_units: pd.DataFrame, reports: pd.DataFrame, months: list[Period], as_of: date) -> pd.DataFrame:
    """One row per unit and month: expected, on_time, late, missing (reports) and the cell status.

    Only reports submitted on or before `as_of` count, so the grid can be seen as it stood on a day.
    """
    known = reports[[_as_date(d) <= as_of for d in reports.submitted_on]] if len(reports) else reports
    owed = obligations(task_units, known, months)
    received = known[["task_code", "unit_code", "month", "submitted_on"]]
    merged = owed.merge(received, on=["task_code", "unit_code", "month"], how="left")
    due = {str(p): due_date(p) for p in months}
    merged["arrived"] = merged.submitted_on.notna()
    merged["on_time"] = [bool(a) and _as_date(s) <= due[m] for a, s, m in
                         zip(merged.arrived, merged.submitted_on, merged.month)]
    units = task_units.unit_code.drop_duplicates().tolist()
    counts = (merged.groupby(["unit_code", "month"])
              .agg(expected=("task_code", "size"), arrived=("arrived", "sum"), on_time=("on_time", "sum")))
    rows = []
    for unit in units:
        for period in months:
            key = (unit, str(period))
            expected, arrived, on_time = (int(v) for v in counts.loc[key]) if key in counts.index else (0, 0, 0)
            late, missing = arrived - on_time, expected - arrived
            rows.append({"unit_code": unit, "month": str(period), "expected": expected, "on_time": on_time,
                         "late": late, "missing": missing,
                         "status": cell_status(expected, arrived, on_time, due[str(period)], as_of)})
    return pd.DataFrame(rows, columns=["unit_code", "month", "expected", "on_time", "late", "missing", "status"])


def cell_status(expected: int, arrived: int, on_time: int, due: date, as_of: date) -> str:
    """The status of one unit-month (see the module's rules)."""
    if expected == 0:
        return "not_required"
    if arrived == expected:
        return "reported" if on_time == expected else "late"
    if as_of <= due:
        return "not_due" if arrived == 0 else "reported" if on_time == arrived else "late"
    return "missing" if arrived == 0 else "partial"


def grid(table: pd.DataFrame) -> pd.DataFrame:
    """Units as rows (in the given order), months as columns, cell statuses as values."""
    order = table.unit_code.drop_duplicates().tolist()
    wide = table.pivot(index="unit_code", columns="month", values="status")
    return wide.loc[order]


def unit_totals(table: pd.DataFrame) -> pd.DataFrame:
    """Per unit: months owed, on time, late, partial, missing, and the share of months reported on time."""
    owed = table[~table.status.isin(["not_required", "not_due"])]
    totals = owed.groupby("unit_code", sort=False).status.value_counts().unstack(fill_value=0)
    for status in ("reported", "late", "partial", "missing"):
        if status not in totals:
            totals[status] = 0
    totals = totals[["reported", "late", "partial", "missing"]].reindex(
        table.unit_code.drop_duplicates(), fill_value=0)
    totals["months"] = totals.sum(axis=1)
    totals["on_time_share"] = (totals.reported / totals.months).where(totals.months > 0)
    return totals.reset_index()


def worst_first(grid_frame: pd.DataFrame) -> pd.DataFrame:
    """The grid's units reordered worst first: most months missing, then partial, then late; ties keep
    their order (the plan's). What the office chases first is at the top."""
    def count(status):
        return (grid_frame == status).sum(axis=1)
    score = pd.DataFrame({"missing": count("missing"), "partial": count("partial"), "late": count("late"),
                          "position": range(len(grid_frame))}, index=grid_frame.index)
    order = score.sort_values(["missing", "partial", "late", "position"],
                              ascending=[False, False, False, True]).index
    return grid_frame.loc[order]
