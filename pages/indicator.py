"""Indicator detail: one goal's trajectory, verdict, townships, observations, method and downloads.

Reached from the overview and by a shareable link: ?indicator=CODE&as_of=YEAR&region=CODE&lang=en, and
&plan=CODE for a plan other than the default one.
"""
import streamlit as st

from twomountains import townships
from twomountains.charts.goal import goal_charts
from twomountains.charts.township import township_chart
from twomountains.explain import lead_units_text, reason_text
from twomountains.formatting import label_each, target_text, text_or_empty, value_with_unit
from twomountains.method import fact_rows, rule_text
from twomountains.overview import period_label, quality_badge
from twomountains.scorecard import DISTRICT, target_of
from twomountains.sources import note_label
from twomountains.text import markdown_text, plan_clause_label
from twomountains.verdicts import shown_value_quality
from twomountains.ui import charts, plans_ui, session
from twomountains.ui.downloads import table_buttons
from twomountains.ui.session import tr
from twomountains.ui.url_state import adopt_from_url, overview_link, publish_optional_to_url, publish_to_url

lang = session.language()
requested = st.query_params.get("indicator")
moved_from = plans_ui.follow_indicator(requested, "indicator.plan")  # a link to a goal only another plan sets
plan = plans_ui.plan_picker("indicator.plan", st.sidebar)
if moved_from is not None:
    st.info(tr("plans.not_in_plan", plan=markdown_text(plans_ui.plan_record(moved_from)[f"name_{lang}"]),
               other=markdown_text(plans_ui.plan_record(plan)[f"name_{lang}"])))
catalog = session.catalog(plan).set_index("code")
annual = session.annual()
departments = session.departments()
regions = session.regions().set_index("code")
region_names = regions[f"name_{lang}"].to_dict()
source_names = session.sources()[f"name_{lang}"].to_dict()
years = sorted(annual.year.unique().tolist(), reverse=True)

# The way back to the overview, at the top: filled in once the year is known, with the overview's
# filters as the reader left them (pages/overview.py keeps its link in the session).
back_to_overview = st.empty()
if requested is not None and requested not in catalog.index and requested != st.session_state.get("_url_indicator"):
    st.warning(tr("indicator.not_found", code=markdown_text(requested[:80])))
if st.session_state.get("indicator.code") not in catalog.index:  # the plan changed to one without this goal
    st.session_state.pop("indicator.code", None)
adopt_from_url("indicator", catalog.index.tolist(), key="indicator.code")
adopt_from_url("as_of", years, int, key="indicator.as_of")
choose, place, year = st.columns([3, 1.5, 1])
code = choose.selectbox(tr("indicator.choose"), catalog.index.tolist(), key="indicator.code",
                        format_func=lambda c: catalog.loc[c, f"name_{lang}"])
as_of = year.selectbox(tr("overview.as_of"), years, key="indicator.as_of", help=tr("overview.as_of_help"))

indicator = catalog.loc[code]
unit = indicator.to_dict() | {"code": code}
unit_label = text_or_empty(unit[f"symbol_{lang}"])
additive = townships.is_additive(indicator.unit)
mapped = session.township_breakdown(code, additive)
current_units = sorted(mapped[mapped.treatment != "apart"].unit_code.unique())
region_options = [DISTRICT] + current_units
adopt_from_url("region", region_options, key="indicator.region")
if st.session_state.get("indicator.region") not in region_options:
    st.session_state["indicator.region"] = DISTRICT
region = place.selectbox(tr("explore.region"), region_options, key="indicator.region",
                         format_func=lambda c: region_names[c], disabled=len(region_options) == 1,
                         help=tr("explore.region_help"))
publish_to_url("indicator", code)
publish_to_url("as_of", as_of)
publish_optional_to_url("region", None if region == DISTRICT else region)  # the district is the default

back_to_overview.page_link("pages/overview.py", label=tr("indicator.to_overview"), icon=":material/arrow_back:",
                           query_params={**overview_link(lang, as_of), **plans_ui.link_params(plan)})
goal = session.goal_statuses(as_of, plan)[code]
st.title(markdown_text(indicator[f"name_{lang}"]), anchor=False)  # no anchor link made of data text
session.status_badge(goal.status)
# The verdict with the year it is about, and how certain the value shown is (issue 11).
st.caption(markdown_text(" · ".join(part for part in (
    session.verdict_text(goal, unit).full, session.value_qualifier(*shown_value_quality(goal))) if part)))
summary = st.columns([1, 1.5, 0.7])
summary[0].metric(tr("overview.latest_in", period=period_label(goal.latest_period, lang)) if goal.latest_period
                  else tr("overview.latest"), value_with_unit(goal.latest_value, unit, lang), border=True)
if goal.latest_quality:
    summary[0].markdown(quality_badge(goal.latest_quality, lang))
summary[1].metric(tr("overview.target"),
                  target_text(indicator.target_type, goal.target, indicator.direction, unit, lang), border=True)
summary[2].metric(tr("indicator.target_year"), int(indicator.target_year), border=True)

st.subheader(tr("indicator.why"))
st.markdown(markdown_text(reason_text(goal.reason, goal.facts, goal.ratio, unit, lang)))
with st.expander(tr("explore.method"), icon=":material/calculate:"):
    st.markdown(markdown_text(rule_text(indicator.target_type, int(indicator.base_year),
                                        int(indicator.target_year), lang, target_of(indicator).year_on_year)))
    facts = fact_rows(goal.facts, goal.ratio, unit, lang)
    if facts:
        st.table({tr("explore.method_number"): [label for label, _ in facts],
                  tr("explore.method_value"): [value for _, value in facts]})

st.subheader(tr("indicator.series"))
if region == DISTRICT:
    series = annual[annual.indicator_code == code]
else:
    series = mapped[mapped.unit_code == region].rename(columns={"unit_code": "region_code"})
    st.caption(tr("explore.township_status_note", region=region_names[region]))
shown = series[series.year <= as_of]
if shown.empty:
    st.info(tr("indicator.no_series"))
else:
    drawn = charts.build(goal_charts, unit, shown, goal.status, as_of, region_names[region], lang, source_names,
                         township=region != DISTRICT)
    for position, chart in enumerate(drawn):
        charts.show(chart, f"{code}_{region}_{as_of}_{position + 1}", key=f"chart_{position}")

plans_ui.targets_in_every_plan(code, unit, as_of, indicator[f"name_{lang}"])

if not mapped.empty:
    st.subheader(tr("explore.townships"))
    visible = mapped[mapped.year <= as_of]
    if visible.empty:
        st.info(tr("explore.no_townships", year=as_of))
    else:
        templates = {kind: tr(f"explore.reform.{kind}") for kind in ("renamed", "merged", "apart", "separator")}

        def label(row) -> str:
            return townships.unit_label(row.unit_code, row.successor_code, row.treatment, row.members,
                                        region_names, templates)

        latest_year = int(visible.year.max())
        bars = visible[visible.year == latest_year].copy()
        bars["label"] = [label(r) for r in bars.itertuples()]
        bars["source_label"] = label_each(bars.source, session.source_label)
        # The district's target is a reference for a township's rate, not for its share of a count.
        target_value = goal.target if indicator.target_type == "level" and not additive else None
        chart = charts.build(township_chart, bars, indicator[f"name_{lang}"], unit_label, int(indicator.decimals),
                             latest_year, target_value, target_text(indicator.target_type, goal.target,
                                                                    indicator.direction, unit, lang), lang)
        charts.show(chart, f"{code}_townships_{latest_year}", key="township_chart")
        st.caption(tr("explore.reform_note_additive" if additive else "explore.reform_note_rate"))
        table = townships.wide_by_year(visible, as_of)
        table.insert(0, tr("explore.township"), [label(r) for r in table.itertuples()])
        table = table.drop(columns=["unit_code", "successor_code", "treatment", "members"])
        st.dataframe(table, hide_index=True, width="stretch", placeholder="—", column_config={
            tr("explore.township"): st.column_config.TextColumn(width="large", pinned=True)})
        table_buttons(table, f"{code}_townships", key="township_table")

st.subheader(tr("indicator.observations"))
observations = session.observations(code)
table = observations.assign(
    region=observations[f"region_{lang}"],
    unit=unit_label,
    quality=label_each(observations.quality, lambda q: tr(f"quality.{q}")),
    source=label_each(observations.source, session.source_label),
    note=label_each(observations.note, lambda n: note_label(n, lang)),
)[["period", "region", "value", "unit", "quality", "source", "note"]]
st.dataframe(table, hide_index=True, placeholder="—", column_config={
    column: tr(f"indicator.col.{column}") if column != "unit" else tr("indicator.unit") for column in table.columns})
export = table.rename(columns={column: tr(f"indicator.col.{column}") if column != "unit" else tr("indicator.unit")
                               for column in table.columns})
export.insert(0, tr("explore.col.code"), code)
table_buttons(export, f"{code}_observations", key="observations")

st.subheader(tr("indicator.metadata"))
st.markdown("\n".join([
    f"- **{tr('indicator.definition')}**: {markdown_text(indicator[f'definition_{lang}'])}",
    f"- **{tr('indicator.unit')}**: {markdown_text(unit_label or '—')}",
    f"- **{tr('indicator.plan_clause')}**: {markdown_text(plan_clause_label(indicator.plan_clause, lang))}",
    f"- **{tr('indicator.lead_units')}**: " + markdown_text(lead_units_text(indicator.lead_units, departments, lang)),
    f"- **{tr('indicator.reading')}**: {markdown_text(indicator[f'reading_{lang}'])}",
    f"- **{tr('indicator.base_year')}**: {int(indicator.base_year)} · "
    f"**{tr('indicator.target_year')}**: {int(indicator.target_year)}",
]))
st.page_link("pages/overview.py", label=tr("indicator.back"), icon=":material/arrow_back:",
             query_params={**overview_link(lang, as_of), **plans_ui.link_params(plan)})
