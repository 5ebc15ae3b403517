"""Ecology and forest: every environment goal at a glance, forest cover by year and township, the themes
of the plan (air, water, sewage and waste, erosion and rocky desertification, titles), and the
"two mountains" link between ecology and prosperity."""
import streamlit as st

from twomountains import environment, townships
from twomountains.charts.ecology import link_chart, small_multiples_chart
from twomountains.charts.goal import first_goal_chart, goal_charts
from twomountains.charts.township import township_chart
from twomountains.explain import reason_text
from twomountains.formatting import label_each, target_text, text_or_empty
from twomountains.scorecard import DISTRICT, is_goal
from twomountains.text import markdown_text
from twomountains.ui import charts, session
from twomountains.ui.downloads import table_buttons
from twomountains.ui.layout import sideways_on_phone
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, publish_to_url

lang = session.language()
catalog = session.catalog().set_index("code")
annual = session.annual()
regions = session.regions().set_index("code")
region_names = regions[f"name_{lang}"].to_dict()
source_names = session.sources()[f"name_{lang}"].to_dict()
themes = session.ecology_themes()
years = sorted(annual.year.unique().tolist(), reverse=True)

st.title(tr("ecology.title"))
st.caption(tr("ecology.subtitle"))
adopt_from_url("as_of", years, int, key="ecology.as_of")
as_of = st.columns([1, 2])[0].selectbox(tr("overview.as_of"), years, key="ecology.as_of",
                                        help=tr("overview.as_of_help"))
publish_to_url("as_of", as_of)
goals = session.goal_statuses(as_of)


def unit_of(code: str) -> str:
    return text_or_empty(catalog.loc[code, f"symbol_{lang}"])


def detail_link(code: str) -> None:
    st.page_link("pages/indicator.py", label=tr("ecology.details"), icon=":material/arrow_forward:",
                 query_params={"indicator": code, "lang": lang, "as_of": str(as_of)})


# At a glance.
st.subheader(tr("ecology.glance"))
charted = session.ecology_glance(as_of)
# Goals with a target only: a context series (heavy-pollution days) is charted but never counted (issue 11).
goal_rows = charted.drop_duplicates("code")
counts = goal_rows[[is_goal(catalog.loc[code, "target_type"]) for code in goal_rows.code]].status.value_counts()
with st.grid(4, min_column_width=150, key="ecology_counts"):       # four across on a desk, two on a phone
    for bucket in ("achieved", "on_track", "lagging", "missed"):
        members = {"lagging": {"moderate", "limited", "deteriorating"}}.get(bucket, {bucket})
        st.metric(tr(f"overview.count.{bucket}"), int(sum(counts.get(s, 0) for s in members)), border=True)
names = {code: catalog.loc[code, f"name_{lang}"] for code in charted.code.unique()}
glance = charts.build(small_multiples_chart, charted, names, {code: unit_of(code) for code in names}, lang)
with sideways_on_phone("ecology_glance", tr("polish22.sideways.goals")):   # four panels across: wider than a phone
    charts.show(glance, f"environment_goals_{as_of}", key="glance", width="content")
table = charted.assign(
    goal=charted.code.map(names), theme=label_each(charted.theme, lambda th: tr(f"ecology.theme.{th}")),
    unit=charted.code.map(unit_of), quality=label_each(charted.quality, lambda q: tr(f"quality.{q}")),
    status=label_each(charted.status, session.status_label))[
    ["theme", "goal", "year", "value", "unit", "target", "status", "quality"]]
with st.expander(tr("ecology.glance_table")):
    renamed = table.rename(columns={column: tr(f"ecology.col.{column}") for column in table.columns})
    st.dataframe(renamed, hide_index=True, width="stretch", placeholder="—")
    table_buttons(renamed, f"environment_goals_{as_of}", key="glance_table")

# Forest cover by year and by township.
st.subheader(tr("ecology.forest"))
forest = catalog.loc[environment.ECOLOGY_CODE].to_dict() | {"code": environment.ECOLOGY_CODE}
forest_goal = goals[environment.ECOLOGY_CODE]
session.status_badge(forest_goal.status)
st.markdown(markdown_text(reason_text(forest_goal.reason, forest_goal.facts, forest_goal.ratio, forest, lang)))
forest_chart = charts.build(goal_charts, forest, annual[annual.indicator_code == environment.ECOLOGY_CODE],
                            forest_goal.status, as_of, region_names[DISTRICT], lang, source_names)[0]
charts.show(forest_chart, f"forest_cover_{as_of}", key="forest")
mapped = session.township_breakdown(environment.ECOLOGY_CODE, townships.is_additive(forest["unit"]))
mapped = mapped[mapped.year <= as_of]
if not mapped.empty:
    templates = {kind: tr(f"explore.reform.{kind}") for kind in ("renamed", "merged", "apart", "separator")}
    township_year = int(mapped.year.max())
    bars = mapped[mapped.year == township_year].copy()
    bars["label"] = [townships.unit_label(r.unit_code, r.successor_code, r.treatment, r.members, region_names,
                                          templates) for r in bars.itertuples()]
    bars["source_label"] = label_each(bars.source, session.source_label)
    chart = charts.build(township_chart, bars, forest[f"name_{lang}"], unit_of(environment.ECOLOGY_CODE),
                         int(forest["decimals"]), township_year, forest_goal.target,
                         target_text("level", forest_goal.target, 1, forest, lang), lang)
    charts.show(chart, f"forest_cover_townships_{township_year}", key="forest_townships")
    st.caption(tr("explore.reform_note_rate"))
detail_link(environment.ECOLOGY_CODE)

# Themes of the plan.
st.subheader(tr("ecology.themes"))
theme_codes = [theme for theme in environment.THEMES if theme != "forest"]
for tab, theme in zip(st.tabs([tr(f"ecology.theme.{theme}") for theme in theme_codes]), theme_codes):
    with tab:
        members = themes[themes.theme == theme].indicator_code.tolist()
        grid = st.columns(2)
        for position, code in enumerate(members):
            indicator = catalog.loc[code].to_dict() | {"code": code}
            goal = goals[code]
            with grid[position % 2].container(border=True, key=f"theme_{code}"):
                st.markdown(f"**{markdown_text(indicator[f'name_{lang}'])}**")
                session.status_badge(goal.status)
                st.caption(markdown_text(reason_text(goal.reason, goal.facts, goal.ratio, indicator, lang)))
                series = annual[(annual.indicator_code == code) & (annual.year <= as_of)]
                if not series.empty:
                    charts.show(charts.build(first_goal_chart, indicator, series, goal.status, as_of,
                                             region_names[DISTRICT], lang, source_names, height=240))
                detail_link(code)

# The two mountains: ecology against prosperity.
st.subheader(tr("ecology.link"))
st.markdown(tr("ecology.link_intro"))
prosperity = st.segmented_control(tr("ecology.link_choose"), list(environment.PROSPERITY_CODES),
                                  key="ecology.link_prosperity", default=environment.PROSPERITY_CODES[0], required=True,
                                  format_func=lambda c: catalog.loc[c, f"name_{lang}"])
link = environment.link_frame(annual, prosperity, as_of)
if link.empty:
    st.info(tr("indicator.no_series"))
else:
    chart = charts.build(link_chart, link, catalog.loc[environment.ECOLOGY_CODE, f"name_{lang}"],
                         unit_of(environment.ECOLOGY_CODE), catalog.loc[prosperity, f"name_{lang}"],
                         unit_of(prosperity), float(catalog.loc[environment.ECOLOGY_CODE, "target_value"]), lang)
    charts.show(chart, f"two_mountains_{prosperity}_{as_of}", key="link")
    st.caption(tr("ecology.link_caveat"))
