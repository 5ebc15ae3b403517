"""Half-year report: what the leading group's office reports to the district leadership, downloadable as Word."""
import streamlit as st

from twomountains.tasks import document, rules, views
from twomountains.text import markdown_text
from twomountains.ui import session
from twomountains.ui import tasks_ui as ui
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
other = "en" if lang == "zh" else "zh"
book = session.task_book()
catalog = session.catalog().set_index("code")
statuses = session.statuses()
halves = [f"{year}H{half}" for year, half in reversed(rules.half_years())]

adopt_from_url("half", halves, key="half_year.half")
half_labels = {h: tr(f"tasks.half.{h[-1]}", year=h[:4]) for h in halves}
chosen = st.selectbox(tr("tasks.half.choose"), halves, key="half_year.half", format_func=half_labels.get)
publish_to_url("half", chosen)
year, half = int(chosen[:4]), int(chosen[-1])
goal_year = views.goals_year(year, half)
goals = session.goal_statuses(goal_year)
# Goals with a target only: context series are never counted among the goals met or lagging (issue 11).
summary = views.half_year_summary(book, year, half, {code: g.status for code, g in goals.items() if g.is_goal})
has_demo = (book.reports[book.reports.month.isin(summary.months)].quality == "demo").any() \
    or any(g.latest_quality == "demo" for g in goals.values())

st.title(f"{tr('tasks.half.title')} · {tr(f'tasks.half.{half}', year=year)}")
st.caption(tr("tasks.half.caption", date=summary.compiled_on.isoformat(), year=goal_year))
if has_demo:
    st.caption(f"`{tr('quality.demo')}` {tr('tasks.doc.demo_notice')}")

met = [c for c in catalog.index if summary.goals.get(c) in ("achieved", "on_track")]
lagging = [c for c in catalog.index if c in summary.goals and bool(statuses.loc[summary.goals[c], "is_lagging"])]
share = "—" if summary.on_time_share is None else f"{summary.on_time_share * 100:.0f}%"
for column, (key, value) in zip(st.columns(3) + st.columns(3), (
        ("done", summary.status_counts.get("done", 0)), ("done_in_half", len(summary.done_in_half)),
        ("delayed", len(summary.delayed)), ("goals_met", len(met)), ("goals_lagging", len(lagging)),
        ("on_time", share))):
    column.metric(tr(f"tasks.half.metric.{key}"), value, border=True)

left, right = st.columns(2)
for container, target in ((left, lang), (right, other)):
    container.download_button(
        tr("tasks.half.download" if target == lang else "tasks.half.download_other"),
        data=lambda target=target: document.build_docx(summary, book, catalog, statuses, target, bool(has_demo)),
        file_name=f"wulong-two-mountains-{chosen}-{target}.docx", icon=":material/description:",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        on_click="ignore", key=f"half_year.download.{target}")

tasks = summary.tasks.set_index("code")
st.subheader(tr("tasks.half.done_in_half"))
st.markdown("\n".join(f"- {markdown_text(ui.task_label(tasks.loc[c]))}" for c in summary.done_in_half)
            or tr("tasks.half.none"))

st.subheader(tr("tasks.half.delayed"))
if not summary.delayed:
    st.markdown(tr("tasks.half.none"))
for code in summary.delayed:
    st.markdown(f"**{markdown_text(ui.task_label(tasks.loc[code]))}** {ui.task_badge_markdown('delayed')}")
    lines = ["- " + markdown_text(tr("tasks.half.problem_line", unit=ui.unit_name(r["unit_code"]), month=r["month"],
                                     text=ui.localised_text(r, "problems"))) for r in summary.problems.get(code, [])]
    if lines:
        st.markdown("\n".join(lines))

for key, codes in (("goals_met", met), ("goals_lagging", lagging)):
    st.subheader(tr(f"tasks.half.{key}"))
    st.markdown("\n".join(f"- {markdown_text(catalog.loc[c, f'name_{lang}'])} {ui.goal_badge_markdown(summary.goals[c])}"
                          for c in codes) or tr("tasks.half.none"))

st.subheader(tr("tasks.half.units"))
flagged = summary.compliance[summary.compliance.unit_code.isin(set(summary.units_missing) | set(summary.units_late))]
if flagged.empty:
    st.markdown(tr("tasks.half.none"))
else:
    st.dataframe(flagged.assign(unit_code=flagged.unit_code.map(ui.unit_name))[
        ["unit_code", "months", "reported", "late", "partial", "missing"]], hide_index=True, width="stretch",
        column_config={"unit_code": tr("tasks.col.unit"), "months": tr("tasks.col.months"),
                       "reported": tr("tasks.col.reported"), "late": tr("tasks.col.late"),
                       "partial": tr("tasks.col.partial"), "missing": tr("tasks.col.missing")})
