"""Key tasks: the plan's 20 tasks by section, with latest status, units, linked goals and milestones."""
import streamlit as st

from twomountains.tasks import views
from twomountains.tasks.progress import TASK_STATUSES
from twomountains.text import markdown_text
from twomountains.ui import session
from twomountains.ui import tasks_ui as ui
from twomountains.ui.session import tr

lang = session.language()
book = session.task_book()
goal_status = session.goal_status_codes()
catalog = session.catalog().set_index("code")
table = session.task_table()
sections = book.sections.set_index("code")
demo_tasks = set(book.reports[book.reports.quality == "demo"].task_code)

st.title(tr("tasks.title"))
st.caption(tr("tasks.caption", count=len(table)))
counts = table.status.value_counts()
for column, status in zip(st.columns(len(TASK_STATUSES)), TASK_STATUSES):
    column.metric(tr(f"tasks.status.{status}"), int(counts.get(status, 0)), border=True)

left, middle, right = st.columns(3)
# Labels are worked out here, not inside format_func, so that they never depend on when they are called.
section_labels = {code: ui.section_label(section) for code, section in sections.iterrows()}
unit_labels = {code: ui.unit_name(code) for code in book.reporting_units()}
status_labels = {status: tr(f"tasks.status.{status}") for status in TASK_STATUSES}
chosen_sections = left.multiselect(tr("tasks.filter.section"), sections.index.tolist(), key="tasks.sections",
                                   format_func=section_labels.get,
                                   placeholder=tr("overview.filter_all"))
chosen_units = middle.multiselect(tr("tasks.filter.unit"), book.reporting_units(), key="tasks.units",
                                  format_func=unit_labels.get, placeholder=tr("overview.filter_all"))
chosen_statuses = right.multiselect(tr("tasks.filter.status"), list(TASK_STATUSES), key="tasks.statuses",
                                    format_func=status_labels.get, placeholder=tr("overview.filter_all"))
shown = views.filter_tasks(table, chosen_sections, chosen_units, chosen_statuses)
st.caption(tr("tasks.status_rule"))
if shown.empty:
    st.info(tr("tasks.no_match"))

milestones = book.milestones
for code, section in sections.iterrows():
    members = shown[shown.section == code]
    if members.empty:
        continue
    st.subheader(markdown_text(ui.section_label(section)))
    for task in members.to_dict("records"):
        with st.container(border=True, key=f"task_{task['code']}"):
            st.markdown(f"**{markdown_text(ui.task_label(task))}** {ui.task_badge_markdown(task['status'])}")
            if task["percent"] is not None:
                st.progress(task["percent"] / 100, text=tr("tasks.percent", percent=f"{task['percent']:.0f}"))
            latest = tr("tasks.latest_report", month=task["latest_month"]) if task["latest_month"] else tr("tasks.no_reports")
            demo = f" · `{tr('quality.demo')}` {tr('tasks.demo_reports')}" if task["code"] in demo_tasks else ""
            st.caption(latest + demo)
            st.markdown(markdown_text(task[f"description_{lang}"]))
            st.markdown("  \n".join(
                tr("tasks.units_line", role=tr(f"tasks.role.{role}"), units=markdown_text(ui.unit_list(task[f"{role}_units"])))
                for role in ("lead", "responsible") if task[f"{role}_units"]))
            own = milestones[milestones.task_code == task["code"]]
            others = [(c, s) for c, s in zip(task["indicators"], task["goal_statuses"])
                      if c not in set(own.indicator_code)]
            if others:
                goals = " ".join(f"{markdown_text(catalog.loc[c, f'name_{lang}'])} {ui.goal_badge_markdown(s)}"
                                 for c, s in others)
                st.markdown(f"**{tr('tasks.goals')}**: {goals}")
            elif own.empty:
                st.caption(tr("tasks.no_goals"))
            if not own.empty:
                st.markdown(f"**{tr('tasks.milestones')}**: " + " ".join(
                    f"{markdown_text(m[f'name_{lang}'])} {ui.goal_badge_markdown(goal_status.get(m['indicator_code'], 'no_data'))}"
                    for m in own.to_dict("records")))
