"""The plan picker (kept in the link as ?plan=) and the words a page shows about the chosen plan (issue 14).

With no plan in the link a page shows the default plan, exactly as it did before plans were data, and the
link gets no plan parameter; choosing another plan adds ?plan=CODE, which page links carry on.
"""
from __future__ import annotations

import streamlit as st

from twomountains.plans import goals as plan_goals
from twomountains.text import markdown_text
from twomountains.ui import session
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

SHARED_KEY = "plan"  # the plan last chosen on any page (app.py hides task pages for a plan without tasks)


def current_plan() -> str:
    """The plan the link or the last picker named, else the default (before any picker is drawn)."""
    plans = session.plans()
    in_link = st.query_params.get("plan")
    if in_link is not None and in_link != st.session_state.get("_url_plan"):
        return plan_goals.plan_or_default(plans, in_link)  # a link just opened names its plan
    # Otherwise the reader's last choice: a picker's on_change has set it before this run began, while the
    # link still shows the previous plan until the picker updates it further down this run.
    return plan_goals.plan_or_default(plans, st.session_state.get(SHARED_KEY) or in_link)


def plan_picker(key: str, container=None) -> str:
    """A select box of every plan; returns the chosen plan's code and keeps it in the link."""
    plans = session.plans().set_index("code")
    codes = plans.index.tolist()
    default = plan_goals.default_plan(plans.reset_index())
    adopt_from_url("plan", codes, key=key)
    if st.session_state.get(key) not in codes:
        st.session_state[key] = plan_goals.plan_or_default(plans.reset_index(), st.session_state.get(SHARED_KEY))
    lang = session.language()
    labels = {code: tr("plans.picker_option", start=int(plans.loc[code, "period_start"]),  # the period first:
                       end=int(plans.loc[code, "period_end"]), name=plans.loc[code, f"name_{lang}"])  # names start alike
              for code in codes}
    chosen = (container or st).selectbox(
        tr("plans.picker"), codes, key=key, format_func=labels.get,
        help=tr("plans.picker_help"),
        on_change=lambda: st.session_state.update({SHARED_KEY: st.session_state[key]}))
    st.session_state[SHARED_KEY] = chosen
    if chosen == default:
        if "plan" in st.query_params:
            del st.query_params["plan"]
        st.session_state.pop("_url_plan", None)
    else:
        publish_to_url("plan", chosen)
    return chosen


def is_default(plan: str) -> bool:
    return plan == session.default_plan()


def link_params(plan: str) -> dict:
    """Query parameters a page link adds for the plan: none for the default plan (links stay as they were)."""
    return {} if is_default(plan) else {"plan": plan}


def plan_record(plan: str):
    return session.plans_by_code().loc[plan]


def plan_caption(plan: str) -> str:
    """Markdown: the plan's name, its source and how certain its text is (for a page's caption)."""
    lang = session.language()
    record = plan_record(plan)
    lines = [markdown_text(record[f"name_{lang}"]),
             f"{tr('plans.source')}: {markdown_text(record[f'source_{lang}'])}"]
    if record.certainty != "confirmed":
        lines.append(f":orange[{markdown_text(record[f'certainty_note_{lang}'])}]")
    return "\n\n".join(lines)


def follow_indicator(requested: str | None, key: str) -> str | None:
    """Before the picker: a new link to an indicator the chosen plan sets no target for opens the first plan
    that does. Returns the plan it moved from, or None."""
    if not requested or requested == st.session_state.get("_url_indicator"):
        return None  # not a new link: the reader chose the plan, keep it
    plans = session.plans()
    wanted = plan_goals.plan_or_default(plans, st.query_params.get("plan") or st.session_state.get(key))
    if requested in set(session.catalog(wanted).code):
        return None
    for other in plans.code:
        if requested in set(session.catalog(other).code):
            st.session_state[key] = other
            st.session_state[SHARED_KEY] = other
            st.query_params["plan"] = other
            return wanted
    return None


# The plans' table on an indicator page: a plan's name (up to ~140 characters in English) on three lines of a
# column this wide, in rows tall enough for Streamlit to wrap them (over 4rem).
PLAN_COLUMN_WIDTH, PLAN_ROW_HEIGHT = 400, 80


def targets_in_every_plan(code: str, unit: dict, as_of: int, name: str) -> None:
    """On an indicator several plans set targets for: one chart with every plan's target line, the status of
    each ("2022: achieved · 2025: on track") and a table of the targets in time."""
    from twomountains.charts.plan_targets import plan_targets_chart
    from twomountains.formatting import target_text
    from twomountains.ui import charts
    from twomountains.verdicts import verdict_part
    lang = session.language()
    in_time, annual, statuses = session.targets_across_plans(code, as_of)   # made once per data version
    if len(in_time) < 2:
        return
    st.subheader(tr("plans.in_time.title"))
    st.caption(markdown_text(tr("plans.in_time.caption", year=as_of,
                                line=plan_goals.verdict_line(statuses, lambda goal: verdict_part(
                                    goal, session.statuses(), lang, unit)))))
    targets = [dict(row._asdict(), status=goal.status) for row, (_, _, goal) in zip(in_time.itertuples(), statuses)]
    drawn = charts.build(plan_targets_chart, unit, annual[["year", "value", "quality"]], targets, name, lang)
    charts.show(drawn, f"{code}_plans_{as_of}", key="plan_targets_chart")
    # The plans' names wrap in their cells (rows over 4rem); their readings, a sentence or three each, follow
    # the table in full, where a cell would cut them.
    plan_column = tr("plans.in_time.plan")
    st.dataframe({
        plan_column: in_time[f"plan_{lang}"].tolist(),
        tr("plans.in_time.certainty"): [tr(f"plans.in_time.certainty.{c}") for c in in_time.certainty],
        tr("plans.in_time.base_year"): in_time.base_year.astype(str).tolist(),
        tr("plans.in_time.target_year"): in_time.target_year.astype(str).tolist(),
        tr("plans.in_time.target"): [target_text(r.target_type, r.target_value, r.direction, unit, lang)
                                     for r in in_time.itertuples()],
        tr("plans.in_time.status"): [session.status_label(goal.status) for _, _, goal in statuses],
    }, hide_index=True, width="stretch", row_height=PLAN_ROW_HEIGHT,
        column_config={plan_column: st.column_config.TextColumn(width=PLAN_COLUMN_WIDTH)})
    readings = [(plan, reading) for plan, reading in zip(in_time[f"plan_{lang}"], in_time[f"reading_{lang}"])
                if isinstance(reading, str) and reading]
    if readings:
        st.markdown(f"**{tr('plans.in_time.reading')}**\n\n" + "\n".join(
            f"- **{markdown_text(plan)}**  \n  {markdown_text(reading)}" for plan, reading in readings))


def adopt(key: str) -> str:
    """Before the data is read, where the picker is drawn further down (the presentation's settings): the
    plan the link or the reader chose for this page, else the one last chosen anywhere, else the default."""
    plans = session.plans()
    adopt_from_url("plan", plans.code.tolist(), key=key)
    return plan_goals.plan_or_default(plans, st.session_state.get(key) or st.session_state.get(SHARED_KEY))


def file_suffix(plan: str) -> str:
    """'' for the default plan (file names stay as they were), '-CODE' for another."""
    return "" if is_default(plan) else f"-{plan}"


# Pages about the plan's key tasks (tasks, a department's view, monthly reporting, the half-year report):
# they belong to the plan whose tasks they are, so a plan without tasks has none (app.py leaves them out).
TASK_PAGES = ("tasks", "department", "reporting", "half_year")


def shows_page(page_key: str) -> bool:
    """False for a task page while the plan chosen has no tasks."""
    if page_key not in TASK_PAGES:
        return True
    return bool(plan_record(current_plan()).has_tasks)
