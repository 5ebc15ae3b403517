"""Demo monthly reports: deterministic (seeded), consistent with the demo indicator series, marked demo.

Every unit of a task reports on it every month of the reporting period until the task is done.
Each task follows a course set below (where it stood in April 2020, when it was reported done, the
months it was reported delayed); each unit's reporting habit (how often late or missing) is drawn
from the seed, with a few units that are often late. Run `python -m twomountains.tasks make-demo`
to rewrite data/tasks/reports_demo.csv; the same seed always gives the same file.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from twomountains import metadata
from twomountains.paths import DATA_DIR
from twomountains.tasks import rules
from twomountains.tasks.book import REPORT_COLUMNS, task_units

SEED = 20200401
# task: (percent complete in April 2020, month reported done or None, months reported delayed)
# Agreeing with the demo indicators: the red-line assessment (2019) and "three lines, one list" (2020)
# were finished early; the spatial plan and the smart environmental platform only in 2023; Baima
# Mountain had 4 of its 5 scenic areas by 2022; rocky desertification stayed below 40% in 2022.
COURSE = {
    "t1_1": (20, None, ("2022-06", "2022-12")),
    "t1_2": (70, "2020-09", None),
    "t1_3": (45, "2021-03", None),
    "t2_1": (30, "2022-10", None),
    "t2_2": (15, "2022-06", ("2021-05", "2021-08")),
    "t2_3": (30, "2022-12", None),
    "t2_4": (20, None, ("2022-03", "2022-12")),
    "t2_5": (15, "2022-11", None),
    "t3_1": (20, None, ("2020-04", "2020-07")),
    "t3_2": (25, "2022-08", None),
    "t3_3": (20, "2022-12", ("2021-09", "2021-11")),
    "t3_4": (25, "2022-09", None),
    "t3_5": (10, None, ("2022-01", "2022-12")),
    "t4_1": (30, "2021-12", None),
    "t4_2": (25, "2022-12", None),
    "t4_3": (10, None, ("2020-04", "2020-06", "2022-05", "2022-12")),
    "t4_4": (25, "2022-12", None),
    "t5_1": (0, "2022-04", None),
    "t5_2": (35, "2022-06", None),
    "t5_3": (40, "2021-06", None),
}
NOT_STARTED_UNTIL = {"t5_1": "2020-08"}
LAST_PERCENT = 88  # where an unfinished task stands in December 2022, roughly

DONE_TEXT = [("按计划推进,完成本月工作任务。", "Went ahead as planned; this month's work is done."),
             ("召开专题推进会,落实年度工作安排。", "Held a progress meeting and put this year's work plan in place."),
             ("开展现场督查,推动各项措施落地。", "Inspected on site and pushed the measures forward."),
             ("完成阶段性目标,累计完成{percent}%。", "Reached a stage goal; {percent}% complete in total.")]
FINISHED_TEXT = ("各项任务已全面完成,通过验收。", "Every part is complete and has passed acceptance.")
NOT_STARTED_TEXT = ("开展前期调研,编制工作方案。", "Preliminary study under way; work plan being drafted.")
PROBLEMS = [("项目资金到位较慢。", "Funding arrives slowly."),
            ("专业技术人员不足。", "Too few specialist staff."),
            ("部分项目用地手续尚未办结。", "Land-use approvals for some projects are still pending."),
            ("雨季影响现场施工进度。", "The rainy season slowed work on site.")]
PANDEMIC = ("受新冠肺炎疫情影响,现场工作暂停。", "Work on site stopped because of the COVID-19 epidemic.")
NEXT_STEPS = [("继续按计划推进,加强部门协调。", "Continue as planned and coordinate better between departments."),
              ("加快项目建设进度,确保年度目标完成。", "Speed up the projects to meet this year's target."),
              ("加强调度,每周通报进展。", "Closer scheduling, with progress reported every week.")]
CATCH_UP = ("制定整改计划,倒排工期,加快推进。", "Draw up a catch-up plan, schedule backwards from the deadline and speed up.")
AFTER_DONE = ("巩固建设成果,做好长效管护。", "Keep the results and maintain them.")


def _in_span(month: str, span) -> bool:
    if not span:
        return False
    return any(start <= month <= end for start, end in zip(span[::2], span[1::2]))


def _course(task: str, months: list[str]) -> dict[str, tuple[str, float]]:
    """month -> (status, percent) for a task's lead units."""
    start, done_in, delayed = COURSE[task]
    waiting = NOT_STARTED_UNTIL.get(task)
    end = done_in or months[-1]
    active = [m for m in months if (not waiting or m > waiting) and m <= end]
    goal = 100.0 if done_in else LAST_PERCENT
    out = {}
    for index, m in enumerate(months):
        if waiting and m <= waiting:
            out[m] = ("not_started", 0.0)
            continue
        if m > end:
            if done_in:
                out[m] = ("done", 100.0)   # for a unit that missed the month it was done in
            continue
        position = active.index(m) + 1
        percent = start + (goal - start) * position / len(active)
        if _in_span(m, delayed):
            percent -= 6
        status = "done" if done_in and m == done_in else "delayed" if _in_span(m, delayed) else "in_progress"
        out[m] = (status, 100.0 if status == "done" else min(99.0, max(1.0, percent)))
    return out


def generate(data_dir: Path = DATA_DIR) -> pd.DataFrame:
    rng = np.random.default_rng(SEED)
    tasks = metadata.load_table("tasks", data_dir)
    pairs = task_units(tasks)
    months = [str(m) for m in rules.reporting_months()]
    units = pairs.unit_code.drop_duplicates().tolist()
    habits = {unit: (0.04, 0.02) for unit in units}
    for unit in rng.choice(units, size=4, replace=False):
        habits[unit] = (0.25, 0.10)     # often late, now and then missing
    courses = {task: _course(task, months) for task in tasks.code}
    rows = []
    for unit in units:
        p_late, p_missing = habits[unit]
        mine = pairs[pairs.unit_code == unit].task_code.tolist()
        best: dict[str, float] = {}
        finished: set[str] = set()
        for m in months:
            draw = rng.random()
            if draw < p_missing:
                continue
            period = rules.month(m)
            late = draw < p_missing + p_late
            due = rules.due_date(period)
            submitted = due + timedelta(days=int(rng.integers(1, 25))) if late \
                else due - timedelta(days=int(rng.integers(0, rules.DUE_DAY)))
            drop_one = rng.random() < 0.03 and len(mine) > 1
            skipped = mine[int(rng.integers(0, len(mine)))] if drop_one else None
            for task in mine:
                if m not in courses[task] or task == skipped or task in finished:
                    continue
                status, percent = courses[task][m]
                if status in ("in_progress", "delayed"):
                    percent = max(best.get(task, 0.0), min(99.0, percent + rng.normal(0, 2)))
                best[task] = percent
                if status == "done":
                    finished.add(task)
                rows.append(_row(task, unit, m, status, round(percent), submitted, rng))
    frame = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return frame.sort_values(["task_code", "unit_code", "month"]).reset_index(drop=True)


def _row(task, unit, m, status, percent, submitted, rng) -> dict:
    if status == "not_started":
        done, problems, next_step = NOT_STARTED_TEXT, None, NEXT_STEPS[0]
    elif status == "done":
        done, problems, next_step = FINISHED_TEXT, None, AFTER_DONE
    else:
        done = DONE_TEXT[int(rng.integers(0, len(DONE_TEXT)))]
        problems = None
        if status == "delayed":
            problems = PANDEMIC if m <= "2020-06" else PROBLEMS[int(rng.integers(0, len(PROBLEMS)))]
            next_step = CATCH_UP
        else:
            if rng.random() < 0.15:
                problems = PROBLEMS[int(rng.integers(0, len(PROBLEMS)))]
            next_step = NEXT_STEPS[int(rng.integers(0, len(NEXT_STEPS)))]
    out = {"task_code": task, "unit_code": unit, "month": m, "status": status, "percent_complete": float(percent),
           "submitted_on": submitted.isoformat(), "quality": "demo"}
    for field, pair in (("done", done), ("problems", problems), ("next_step", next_step)):
        for index, lang in enumerate(("zh", "en")):
            out[f"{field}_{lang}"] = pair[index].format(percent=percent) if pair else None
    return out


def write(path: Path | None = None, data_dir: Path = DATA_DIR) -> Path:
    path = Path(path) if path else data_dir / "tasks" / "reports_demo.csv"
    frame = generate(data_dir)
    frame["percent_complete"] = frame.percent_complete.map(lambda v: f"{v:.0f}")
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    return path
