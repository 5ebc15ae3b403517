"""A unit's view: the tasks it leads and shares, its latest reports, months not reported, the goals its tasks serve."""
import pandas as pd
import streamlit as st

from twomountains.tasks import views
from twomountains.tasks.ingest import today
from twomountains.text import markdown_text
from twomountains.ui import session
from twomountains.ui import tasks_ui as ui
from twomountains.ui.session import tr
from twomountains.ui.tables import full_height
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
book = session.task_book()
goal_status = session.goal_status_codes()
catalog = session.catalog().set_index("code")
tasks = book.tasks.set_index("code")
units = book.reporting_units()

adopt_from_url("unit", units, key="department.unit")
unit_labels = {code: ui.unit_name(code) for code in units}
unit = st.selectbox(tr("tasks.dept.choose"), units, key="department.unit", format_func=unit_labels.get)
publish_to_url("unit", unit)
view = views.department_view(book, unit, goal_status, today())

st.title(markdown_text(ui.unit_name(unit)), anchor=False)  # no anchor link made of data text
if book.departments.loc[unit, "kind"] == "group":
    st.caption(tr("tasks.dept.group_note"))
metrics = st.grid(4, min_column_width=150, key="department_counts")
for key, value in zip(("leads", "shares", "missing", "late"),
                      (len(view.leads), len(view.shares), len(view.missing_months), len(view.late_months))):
    metrics.metric(tr(f"tasks.dept.metric.{key}"), value, border=True)


def task_frame(rows: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        tr("tasks.col.task"): [ui.task_label(r) for r in rows.to_dict("records")],
        tr("tasks.col.status"): [tr(f"tasks.status.{s}") for s in rows.status],
        tr("tasks.col.percent"): rows.percent.round(0),
        tr("tasks.col.latest_month"): rows.latest_month,
        tr("tasks.col.open"): [ui.task_url(c) for c in rows.code],
    })


def table(frame: pd.DataFrame, link_text: str) -> None:
    """A table as tall as its rows, so nothing hides behind a scroll bar; its last column links to a page."""
    st.dataframe(frame, hide_index=True, width="stretch", height=full_height(len(frame)), placeholder="—",
                 column_config={frame.columns[-1]: st.column_config.LinkColumn(display_text=link_text)})


for key, rows in (("leads", view.leads), ("shares", view.shares)):
    st.subheader(tr(f"tasks.dept.{key}"))
    if rows.empty:
        st.caption(tr("tasks.dept.none"))
    else:
        table(task_frame(rows), tr("tasks.open"))

st.subheader(tr("tasks.dept.latest"))
if view.latest.empty:
    st.info(tr("tasks.dept.no_reports"))
else:
    # One card per task: the unit's own words are long, and a table would hide them behind a scroll bar.
    cards = st.columns(2)
    for position, record in enumerate(view.latest.to_dict("records")):
        with cards[position % 2].container(border=True, key=f"report_{record['task_code']}"):
            task = tasks.loc[record["task_code"]].to_dict()
            st.markdown(f"**{ui.task_link_markdown(record['task_code'], task)}**")
            st.markdown(f"{record['month']} · {ui.report_badge_markdown(record['status'])} · "
                        + tr("tasks.percent", percent=f"{record['percent_complete']:.0f}"))
            lines = [f"**{tr(f'tasks.col.{field}')}**: {markdown_text(text)}" for field in ("done", "problems", "next_step")
                     if (text := ui.localised_text(record, field))]
            st.markdown("  \n".join(lines))
            st.caption(f"{tr('tasks.col.submitted_on')}: {pd.Timestamp(record['submitted_on']).date().isoformat()} · "
                       f"{ui.quality_badge(record['quality'])}")

st.subheader(tr("tasks.dept.missing"))
if view.missing_months:
    st.warning(markdown_text(("、" if lang == "zh" else ", ").join(view.missing_months)))
else:
    st.success(tr("tasks.dept.all_reported"))
if view.late_months:
    st.markdown(f"**{tr('tasks.dept.late')}**: " + ("、" if lang == "zh" else ", ").join(view.late_months))

st.subheader(tr("tasks.dept.goals"))
if view.goals.empty:
    st.caption(tr("tasks.dept.none"))
else:
    statuses = session.statuses()
    table(pd.DataFrame({
        tr("tasks.col.goal"): [catalog.loc[c, f"name_{lang}"] for c in view.goals.indicator_code],
        tr("tasks.col.goal_status"): [statuses.loc[s, f"name_{lang}"] for s in view.goals.status],
        tr("tasks.col.tasks"): [("、" if lang == "zh" else "; ").join(
            ui.task_label(tasks.loc[c].to_dict()) for c in codes) for codes in view.goals.tasks],
        tr("tasks.col.open"): [ui.goal_url(c) for c in view.goals.indicator_code],
    }), tr("tasks.open_goal"))
