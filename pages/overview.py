"""Overview: every 2022 goal with its latest value, target, trend and status."""
import pandas as pd
import streamlit as st

from twomountains.charts.sparkline import sparkline_svg
from twomountains.formatting import target_text, value_with_unit
from twomountains.text import markdown_text
from twomountains.ui import session
from twomountains.ui.downloads import svg_buttons
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
catalog = session.catalog().set_index("code")
annual = session.annual()
years = sorted(annual.year.unique().tolist(), reverse=True)
statuses = session.statuses()

st.title(tr("overview.title"))
st.caption(tr("app.subtitle"))

left, right = st.columns([1, 3], vertical_alignment="bottom")
target_year = int(catalog.target_year.max())
left.button(tr("overview.target_year_button", year=target_year), icon=":material/flag:",
            on_click=lambda: st.session_state.update({"overview.as_of": target_year}))
adopt_from_url("as_of", years, int, key="overview.as_of")
as_of = right.selectbox(tr("overview.as_of"), years, key="overview.as_of", help=tr("overview.as_of_help"))
publish_to_url("as_of", as_of)
goals = session.goal_statuses(as_of)

lagging = set(statuses.index[statuses.is_lagging]) - {"missed"}
counts = pd.Series([goal.status for goal in goals.values()]).value_counts()
st.subheader(tr("overview.headline", year=as_of, total=len(goals)))
columns = st.columns(5)
buckets = [("achieved", {"achieved"}), ("on_track", {"on_track"}), ("lagging", lagging),
           ("missed", {"missed"}), ("other", {"in_progress", "no_data"})]
for column, (bucket, members) in zip(columns, buckets):
    column.metric(tr(f"overview.count.{bucket}"), int(sum(counts.get(s, 0) for s in members)), border=True)

groups = catalog[["goal_group", f"group_{lang}", "group_order"]].drop_duplicates().sort_values("group_order")
filter_left, filter_right = st.columns(2)
chosen_groups = filter_left.multiselect(
    tr("overview.filter_group"), groups.goal_group.tolist(),
    format_func=lambda code: groups.set_index("goal_group").loc[code, f"group_{lang}"],
    placeholder=tr("overview.filter_all"))
chosen_statuses = filter_right.multiselect(
    tr("overview.filter_status"), statuses.index.tolist(), format_func=session.status_label,
    placeholder=tr("overview.filter_all"))

visible = {code: goal for code, goal in goals.items()
           if (not chosen_groups or catalog.loc[code, "goal_group"] in chosen_groups)
           and (not chosen_statuses or goal.status in chosen_statuses)}
if not visible:
    st.info(tr("overview.no_match"))

series_of = dict(tuple(annual[annual.year <= as_of][["indicator_code", "year", "value"]].groupby("indicator_code")))
for group in groups.itertuples():
    members = [code for code in catalog.index[catalog.goal_group == group.goal_group] if code in visible]
    if not members:
        continue
    st.subheader(markdown_text(f"{getattr(group, f'group_{lang}')} · {tr('overview.goals_in_group', count=len(members))}"))
    grid = st.columns(3)
    for position, code in enumerate(members):
        indicator, goal = catalog.loc[code], visible[code]
        unit = indicator.to_dict()
        points = series_of.get(code, annual.iloc[0:0])
        with grid[position % 3].container(border=True, key=f"card_{code}"):
            latest = value_with_unit(goal.latest_value, unit, lang)
            quality = tr(f"quality.{goal.latest_quality}") if goal.latest_quality else ""
            period = goal.latest_period or ""
            # One Markdown element for the card's text: the overview draws 39 cards, and the browser's
            # time to draw them grows with their elements (docs/scaling.md).
            lines = [f"**{markdown_text(indicator[f'name_{lang}'])}**", session.status_badge_markdown(goal.status),
                     f"{tr('overview.latest')}: **{markdown_text(latest)}** {period} · `{quality}`"
                     if period else f"{tr('overview.latest')}: {markdown_text(latest)}",
                     f"{tr('overview.target')}: " + markdown_text(target_text(
                         indicator.target_type, goal.target, indicator.direction, unit, lang))]
            if goal.met_in:
                lines.append(f":gray[{markdown_text(tr('overview.met_in', year=int(goal.met_in)))}]")
            st.markdown("\n\n".join(lines))
            trend = None
            if len(points) > 1:
                trend = sparkline_svg(list(zip(points.year.astype(int), points.value.astype(float))),
                                      goal.target if indicator.target_type in ("level", "count") else None,
                                      statuses.loc[goal.status, "color"], indicator[f"name_{lang}"])
                st.image(trend)
            if goal.latest_source:
                st.caption(f"{tr('overview.source')}: {markdown_text(session.source_label(goal.latest_source))}")
            link, download = st.columns(2, vertical_alignment="center")
            link.page_link("pages/indicator.py", label=tr("overview.details"), icon=":material/arrow_forward:",
                           query_params={"indicator": code, "lang": lang, "as_of": str(as_of)})
            if trend:
                with download.popover(tr("overview.download"), icon=":material/download:", type="tertiary"):
                    svg_buttons(trend, f"{code}-trend-{as_of}", key=f"trend_{code}")
