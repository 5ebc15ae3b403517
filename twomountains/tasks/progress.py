"""Each task's latest status and percent complete, from the latest report of each of its units.

Rule (docs/tasks.md): take each unit's latest report on the task (up to a month, and only reports
received by a day when one is given). The task is
- `done` when every lead unit's latest report says done (every unit's, if no lead unit has reported),
- `delayed` when any unit's latest report says delayed,
- `not_started` when every latest report says not started,
- `in_progress` otherwise, and `no_report` when no unit has reported on it at all.
Its percent complete is the mean of the lead units' latest percentages (all units' if no lead reported).
"""
from __future__ import annotations

from datetime import date

import pandas as pd

TASK_STATUSES = ("done", "in_progress", "delayed", "not_started", "no_report")


def latest_reports(reports: pd.DataFrame, up_to_month: str | None = None, received_by: date | None = None) -> pd.DataFrame:
    """Each task and unit's latest report (by month) within the limits."""
    chosen = reports
    if up_to_month is not None:
        chosen = chosen[chosen.month <= up_to_month]
    if received_by is not None:
        chosen = chosen[pd.to_datetime(chosen.submitted_on).dt.date <= received_by]
    return chosen.sort_values("month").groupby(["task_code", "unit_code"], as_index=False).tail(1)


def task_status(latest: pd.DataFrame, leads: list[str]) -> tuple[str, float | None, str | None]:
    """(status, percent, latest month) of one task from its units' latest reports."""
    if latest.empty:
        return "no_report", None, None
    from_leads = latest[latest.unit_code.isin(leads)]
    deciding = from_leads if not from_leads.empty else latest
    percent = float(deciding.percent_complete.mean())
    month = str(latest.month.max())
    if (deciding.status == "done").all() and len(from_leads) in (0, len(leads)):
        return "done", 100.0, month
    if (latest.status == "delayed").any():
        return "delayed", percent, month
    if (latest.status == "not_started").all():
        return "not_started", 0.0, month
    return "in_progress", percent, month


def task_statuses(units: pd.DataFrame, reports: pd.DataFrame, up_to_month: str | None = None,
                  received_by: date | None = None) -> pd.DataFrame:
    """task_code, status, percent, latest_month for every task in `units`."""
    latest = latest_reports(reports, up_to_month, received_by)
    by_task = dict(tuple(latest.groupby("task_code")))
    rows = []
    for task, members in units.groupby("task_code", sort=False):
        leads = members[members.role == "lead"].unit_code.tolist()
        status, percent, month = task_status(by_task.get(task, latest.iloc[0:0]), leads)
        rows.append({"task_code": task, "status": status, "percent": percent, "latest_month": month})
    return pd.DataFrame(rows, columns=["task_code", "status", "percent", "latest_month"])
