"""Overview: every goal of a plan (default: the 2019-2022 plan) with its latest value, target, trend and status."""
import streamlit as st

from twomountains.charts.sparkline import sparkline_svg
from twomountains.formatting import target_text
from twomountains.scorecard import headline as headline_of
from twomountains.verdicts import shown_value_quality, shown_value_source
from twomountains.text import markdown_text
from twomountains.ui import plans_ui, session
from twomountains.ui.downloads import svg_buttons
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
plan = plans_ui.plan_picker("overview.plan", st.sidebar)
catalog = session.catalog(plan).set_index("code")
annual = session.annual()
years = sorted(annual.year.unique().tolist(), reverse=True)
statuses = session.statuses()

if plans_ui.is_default(plan):
    st.title(tr("overview.title"))
    st.caption(tr("app.subtitle"))
else:  # a later plan: its target year in the title, its name, source and certainty under it
    st.title(tr("plans.overview.title", year=int(catalog.target_year.max())))
    st.caption(plans_ui.plan_caption(plan))

left, right = st.columns([1, 3], vertical_alignment="bottom")
target_year = int(catalog.target_year.max())
left.button(tr("overview.target_year_button", year=target_year), icon=":material/flag:",
            on_click=lambda: st.session_state.update({"overview.as_of": target_year}))
adopt_from_url("as_of", years, int, key="overview.as_of")
as_of = right.selectbox(tr("overview.as_of"), years, key="overview.as_of", help=tr("overview.as_of_help"))
publish_to_url("as_of", as_of)
goals = session.goal_statuses(as_of, plan)

# Only goals with a target are counted; context series are shown apart below the goals.
headline = headline_of(goals)
st.subheader(tr("verdict.headline", year=as_of, goals=headline.goals))
columns = st.columns(len(headline.counts))
for column, (bucket, count) in zip(columns, headline.counts.items()):
    column.metric(tr(f"overview.count.{bucket}"), count, border=True)

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
context_codes = [code for code in visible if not visible[code].is_goal]
sections = [(getattr(group, f"group_{lang}"),
             [code for code in catalog.index[catalog.goal_group == group.goal_group]
              if code in visible and visible[code].is_goal]) for group in groups.itertuples()]
for heading, members in sections + [(None, context_codes)]:
    if not members:
        continue
    if heading is None:
        st.subheader(tr("verdict.context_heading", count=len(members)))
        st.caption(tr("verdict.context_caption"))
    else:
        st.subheader(f"{heading} · {tr('overview.goals_in_group', count=len(members))}")
    grid = st.columns(3)
    for position, code in enumerate(members):
        indicator, goal = catalog.loc[code], visible[code]
        unit = indicator.to_dict()
        points = series_of.get(code, annual.iloc[0:0])
        with grid[position % 3].container(border=True, key=f"card_{code}"):
            wording = session.verdict_text(goal, unit)
            qualifier = session.value_qualifier(*shown_value_quality(goal))
            # One Markdown element for the card's text: the overview draws every goal's card, and the browser's
            # time to draw them grows with their elements (docs/scaling.md). The verdict names its year.
            lines = [f"**{markdown_text(indicator[f'name_{lang}'])}**", session.status_badge_markdown(goal.status),
                     f"{tr('overview.latest')}: **{markdown_text(wording.latest)}** · {markdown_text(wording.verdict)}",
                     f"{tr('overview.target')}: " + markdown_text(target_text(
                         indicator.target_type, goal.target, indicator.direction, unit, lang))]
            if qualifier:
                lines.insert(3, f":gray[{markdown_text(qualifier)}]")
            st.markdown("\n\n".join(lines))
            trend = None
            if len(points) > 1:
                trend = sparkline_svg(list(zip(points.year.astype(int), points.value.astype(float))),
                                      goal.target if indicator.target_type in ("level", "count") else None,
                                      statuses.loc[goal.status, "color"], indicator[f"name_{lang}"])
                st.image(trend)
            if shown_value_source(goal):
                st.caption(f"{tr('overview.source')}: {markdown_text(session.source_label(shown_value_source(goal)))}")
            link, download = st.columns(2, vertical_alignment="center")
            link.page_link("pages/indicator.py", label=tr("overview.details"), icon=":material/arrow_forward:",
                           query_params={"indicator": code, "lang": lang, "as_of": str(as_of),
                                         **plans_ui.link_params(plan)})
            if trend:
                with download.popover(tr("overview.download"), icon=":material/download:", type="tertiary"):
                    svg_buttons(trend, f"{code}-trend-{as_of}", key=f"trend_{code}")

# The published record of titles, beside the goals and not counted among them (issue 11).
st.subheader(tr("verdict.titles_heading"))
st.caption(tr("verdict.titles_caption"))
st.markdown("\n".join(f"- {markdown_text(line)}" for line in session.title_lines()))
